//! poolctl against the real emulator, both as separate processes over HTTP on
//! an ephemeral loopback port, the way a user or a pipeline runs them.

use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::{pools_named, run, std_poolctl, Emulator};

fn clean() -> Command {
    common::poolctl()
}

#[test]
fn create_get_list_delete_without_wait() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .args(["create", "-f", "examples/physical-pool.yaml", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let created: Value = serde_json::from_str(&r.stdout).unwrap();
    let id = created["metadata"]["name"].as_str().unwrap().to_string();
    assert!(id.starts_with("pool-ae01-"));
    // The create answer, as the service returned it: no phase yet.
    assert!(created["status"].get("phase").is_none());

    for name in [id.as_str(), "pool-ae01"] {
        let r = run(emu.poolctl().args(["get", name]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains(&format!("name:         {id}")),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains("display name: pool-ae01"), "{}", r.stdout);
    }
    let r = run(emu.poolctl().arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("NAME")
            && lines[0].contains("DISPLAY NAME")
            && lines[0].ends_with("AGE")
    );
    assert!(
        lines[1].contains("pool-ae01") && lines[1].contains("Dedicate"),
        "{}",
        r.stdout
    );

    let r = run(emu.poolctl().args(["delete", "pool-ae01", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("deleted"), "{}", r.stdout);
    let r = run(emu.poolctl().args(["get", &id]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("ModelArts.50015001"), "{}", r.stderr);
}

#[test]
fn create_wait_ends_running_with_plain_progress_lines() {
    let emu = Emulator::start(&[]);
    let started = Instant::now();
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--wait",
        "-o",
        "json",
    ]));
    let took = started.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pool: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(pool["status"]["phase"], "Running");
    // Not a terminal: one plain line per change, no escape codes.
    assert!(
        r.stderr.contains("pool-ae01: Running, 2/2 nodes available"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains('\x1b'), "{}", r.stderr);
    assert!(took < Duration::from_secs(30), "{took:?}");
    // --quiet: nothing on stderr, the result on stdout.
    let r = run(emu
        .poolctl()
        .args(["create", "-f", "examples/logical-pool.yaml", "--wait", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert!(r.stdout.contains("phase:        Running"), "{}", r.stdout);
}

#[test]
fn already_exists_is_exit_5_unless_reused() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .args(["create", "-f", "examples/physical-pool.yaml"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu
        .poolctl()
        .args(["create", "-f", "examples/physical-pool.yaml"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("ModelArts.50015000"), "{}", r.stderr);
    assert!(r.stderr.contains("--if-exists reuse"), "{}", r.stderr);
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--if-exists",
        "reuse",
        "--wait",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("reusing it"), "{}", r.stderr);
    assert_eq!(pools_named(&emu, "pool-ae01").len(), 1);
}

#[test]
fn api_rejection_is_exit_3() {
    let emu = Emulator::start(&[]);
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--network",
        "network-missing",
        // The service's own 404, not preflight's.
        "--no-preflight",
    ]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("ModelArts.50025001"), "{}", r.stderr);
    assert!(r.stderr.contains("request id"), "{}", r.stderr);
}

#[test]
fn authentication_failures_are_exit_4() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .env("HUAWEICLOUD_SDK_SK", "not-the-secret-key")
        .args(["list"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("APIG.0301"), "{}", r.stderr);
    assert!(!r.stderr.contains("not-the-secret-key"));

    let r = run(clean().args([
        "list",
        "--endpoint",
        &emu.get("POOLCTL_ENDPOINT"),
        "--project-id",
        "p",
    ]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    for place in ["POOLCTL_AUTH_TOKEN", "HUAWEICLOUD_SDK_AK", "credentials"] {
        assert!(r.stderr.contains(place), "{place} not named: {}", r.stderr);
    }
}

#[test]
fn a_failed_phase_is_exit_6_with_the_pools_message() {
    let emu = Emulator::start(&[]);
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--flavor",
        "modelarts.vm.gpu.v100",
        "--no-preflight",
        "--wait",
    ]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("CreationFailed"), "{}", r.stderr);
    assert!(r.stderr.contains("sold out"), "{}", r.stderr);
    // The service's own explanation: its Warning events.
    assert!(
        r.stderr.contains(
            "recent warning events:\n    FlavorSoldOut: flavor modelarts.vm.gpu.v100 is sold out"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn a_wait_timeout_is_exit_7_and_says_how_to_resume() {
    let emu = Emulator::start(&["--provision-time", "60s"]);
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--wait",
        "--wait-timeout",
        "2s",
    ]));
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(r.stderr.contains("poolctl wait pool-ae01"), "{}", r.stderr);
    let r = run(emu
        .poolctl()
        .args(["wait", "pool-ae01", "--wait-timeout", "1s"]));
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("keeps being created; follow it with: poolctl wait pool-ae01\n"),
        "{}",
        r.stderr
    );
    // A delete that outlasts its wait says so, and how to follow it: as a
    // deletion (it used to say "still being created").
    let r = run(emu
        .poolctl()
        .args(["delete", "pool-ae01", "--wait", "--wait-timeout", "1s"]));
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "it is still being deleted\n  hint: the pool keeps being deleted; \
             follow it with: poolctl delete pool-ae01 --wait --ignore-not-found"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unreachable_service_is_exit_8() {
    // A port that was free a moment ago: connection refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .env("POOLCTL_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .arg("list"));
    assert_eq!(r.code, 8, "{}", r.stderr);
}

#[test]
fn the_project_id_is_looked_up_through_iam() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .env_remove("POOLCTL_PROJECT_ID")
        .env("POOLCTL_IAM_ENDPOINT", emu.get("POOLCTL_ENDPOINT"))
        .env("POOLCTL_REGION", "ap-southeast-1")
        .args(["-v", "list"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("/v3/projects?name=ap-southeast-1"),
        "{}",
        r.stderr
    );
    let r = run(emu
        .poolctl()
        .env_remove("POOLCTL_PROJECT_ID")
        .env("POOLCTL_IAM_ENDPOINT", emu.get("POOLCTL_ENDPOINT"))
        .env("POOLCTL_REGION", "cn-north-4")
        .arg("list"));
    // IAM answered, with no project of that name: a rejection, exit 3.
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("cn-north-4"), "{}", r.stderr);
}

#[test]
fn secrets_never_reach_the_output_even_at_vv() {
    let emu = Emulator::start(&[]);
    let sk = emu.get("HUAWEICLOUD_SDK_SK");
    let password = "c2FsdGVkLWFuZC1lbmNyeXB0ZWQ=";
    let r = run(emu.poolctl().args([
        "-vv",
        "create",
        "-f",
        "examples/privileged-pool.yaml",
        "--wait",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("Authorization"),
        "-vv should trace headers: {}",
        r.stderr
    );
    // The trace shows each request line once.
    assert_eq!(r.stderr.matches("> POST ").count(), 1, "{}", r.stderr);
    for secret in [sk.as_str(), password] {
        assert!(
            !r.stdout.contains(secret) && !r.stderr.contains(secret),
            "a secret leaked"
        );
    }
    let r = run(emu
        .poolctl()
        .args(["-vv", "get", "pool-priv-gpu", "-o", "yaml"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains(password) && !r.stderr.contains(password));
    assert!(r.stdout.contains("password: <redacted>"), "{}", r.stdout);
    // Token auth: the token is never printed either.
    let r = run(emu
        .poolctl()
        .env("POOLCTL_AUTH_TOKEN", "CANARY-TOKEN-123")
        .args(["-vv", "list"]));
    assert!(!r.stdout.contains("CANARY-TOKEN-123") && !r.stderr.contains("CANARY-TOKEN-123"));
    assert_eq!(r.code, 4, "{}", r.stderr);
}

/// Ctrl-C, or SIGTERM as a CI system sends when a job is cancelled, during
/// a wait: the exit code of the signal, the resume hint, and the pool left
/// as it is.
#[cfg(unix)]
#[test]
fn a_signal_during_a_wait_exits_with_its_code_and_leaves_the_pool() {
    let emu = Emulator::start(&["--provision-time", "30s"]);
    for (signal, code, said, name) in [
        ("INT", 130, "error: interrupted", "pool-sigint"),
        ("TERM", 143, "error: terminated (SIGTERM)", "pool-sigterm"),
    ] {
        let mut cmd = std_poolctl();
        for (k, v) in &emu.exports {
            cmd.env(k, v);
        }
        let child = cmd
            .args(["create", "-f", "examples/physical-pool.yaml", "--wait"])
            .args(["--name", name])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        // Let it create the pool and start waiting.
        let started = Instant::now();
        while pools_named(&emu, name).is_empty() && started.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_millis(300));
        let status = StdCommand::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{signal}: {stderr}");
        assert!(stderr.contains(said), "{signal}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "the pool is still being created and was left as it is; resume with: poolctl wait {name}"
            )),
            "{signal}: {stderr}"
        );
        // Untouched: still there, still being created.
        let pools = pools_named(&emu, name);
        assert_eq!(pools.len(), 1);
        assert_ne!(pools[0]["status"]["phase"], "Deleting");
    }
}

/// Spawns `poolctl ARGS` with the emulator's exports (none for
/// `--emulator`), sends `signal` after `after`, and returns the run.
#[cfg(unix)]
fn signalled(emu: Option<&Emulator>, args: &[&str], after: Duration, signal: &str) -> common::Run {
    let mut cmd = std_poolctl();
    for (k, v) in emu.map(|e| e.exports.as_slice()).unwrap_or_default() {
        cmd.env(k, v);
    }
    let child = cmd
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let status = StdCommand::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A signal while the create request is in flight: the pool may exist, and
/// the message says how to check (it used to say only "terminated").
#[cfg(unix)]
#[test]
fn a_signal_during_the_create_request_says_the_pool_may_exist() {
    let emu = Emulator::start(&["--faults", "post:latency=5s*1"]);
    let r = signalled(
        Some(&emu),
        &[
            "create",
            "-f",
            "examples/physical-pool.yaml",
            "--name",
            "pool-inflight",
            "--wait",
        ],
        Duration::from_millis(1500),
        "TERM",
    );
    assert_eq!(r.code, 143, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "the create was sent and its answer not seen, \
             so the pool may exist; check with: poolctl get pool-inflight"
        ),
        "{}",
        r.stderr
    );
}

/// With `--emulator` the pools end with the process: no resume hint that
/// cannot work.
#[cfg(unix)]
#[test]
fn a_signal_with_the_in_process_emulator_says_nothing_is_left() {
    let r = signalled(
        None,
        &[
            "create",
            "-f",
            "examples/physical-pool.yaml",
            "--emulator",
            "--wait",
        ],
        Duration::from_millis(1500),
        "INT",
    );
    assert_eq!(r.code, 130, "{}", r.stderr);
    assert!(
        r.stderr.contains("nothing is left to resume"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("poolctl wait"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_emulator_cleanly() {
    let mut emu = Emulator::start(&[]);
    let pid = emu.child.id().to_string();
    assert!(StdCommand::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let status = emu.child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "Ctrl-C is how the emulator is stopped, not an error"
    );
}

/// What a person sees, command by command: exit code, stdout and stderr in
/// one snapshot each. Progress lines depend on timing, so waits run with
/// `-q` here; their lines are checked in
/// `create_wait_ends_running_with_plain_progress_lines`.
#[test]
fn human_output() {
    let emu = Emulator::start(&[]);
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--wait",
        "-q",
    ]));
    assert_run_snapshot!("create_wait", r);
    let r = run(emu
        .poolctl()
        .args(["create", "-f", "examples/physical-pool.yaml"]));
    assert_run_snapshot!("create_already_exists", r);
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--name",
        "pool-sold",
        "--flavor",
        "modelarts.vm.gpu.v100",
        "--no-preflight",
        "--wait",
        "-q",
    ]));
    assert_run_snapshot!("create_failed_phase", r);
    let r = run(emu.poolctl().arg("list"));
    assert_run_snapshot!("list", r);
    let r = run(emu
        .poolctl()
        .args(["list", "--status", "failed", "-o", "json"]));
    assert_run_snapshot!("list_failed_json", r);
    let r = run(emu.poolctl().args(["get", "pool-ae01", "-o", "yaml"]));
    assert_run_snapshot!("get_yaml", r);
    let r = run(emu.poolctl().args(["wait", "pool-ae01", "-q"]));
    assert_run_snapshot!("wait_running", r);
    let r = run(emu.poolctl().args(["get", "pool-none"]));
    assert_run_snapshot!("get_not_found", r);
    let r = run(emu.poolctl().args(["delete", "pool-sold"]));
    assert_run_snapshot!("delete", r);
    let r = run(emu.poolctl().args(["delete", "pool-ae01", "--wait", "-q"]));
    assert_run_snapshot!("delete_wait", r);
    let r = run(emu
        .poolctl()
        .args(["wait", "pool-ae01", "--for", "deleted", "-q"]));
    assert_run_snapshot!("wait_deleted", r);
}

/// `poolctl emulator` as a user starts it: the export lines on stdout,
/// where it serves on stderr, and exit 0 on Ctrl-C.
#[cfg(unix)]
#[test]
fn emulator_prints_its_exports_and_stops_on_ctrl_c() {
    use std::io::{BufRead, BufReader, Read};
    let mut child = std_poolctl()
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--provision-time",
            "5s",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut exports = String::new();
    while exports.lines().count() < 6 {
        if stdout.read_line(&mut exports).unwrap() == 0 {
            break;
        }
    }
    let status = StdCommand::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.wait().unwrap().code().unwrap_or(-1);
    stdout.read_to_string(&mut exports).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let r = common::Run {
        code,
        stdout: exports,
        stderr,
    };
    assert_run_snapshot!("emulator_exports", r);
}

#[test]
fn several_pools_are_created_concurrently_and_each_result_is_reported() {
    let emu = Emulator::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("examples/physical-pool.yaml").unwrap();
    let mut docs = Vec::new();
    for i in 0..3 {
        docs.push(base.replace("pool-ae01", &format!("pool-many-{i}")));
    }
    docs.push(
        base.replace("pool-ae01", "pool-many-bad")
            .replace("modelarts.vm.cpu.8ud", "modelarts.vm.gpu.v100"),
    );
    let path = dir.path().join("many.yaml");
    std::fs::write(&path, docs.join("---\n")).unwrap();
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        path.to_str().unwrap(),
        "--wait",
        "-o",
        "json",
        // Preflight would stop the run before any create; this is about results.
        "--no-preflight",
    ]));
    // The first failure decides the code: the sold-out pool failed (6).
    assert_eq!(r.code, 6, "{}", r.stderr);
    // One List of every pool's last state, the failed one included, so a
    // pipeline can inspect or clean it up.
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(list["kind"], "List");
    let pools = list["items"].as_array().unwrap();
    assert_eq!(pools.len(), 4);
    assert!(pools[..3].iter().all(|p| p["status"]["phase"] == "Running"));
    assert_eq!(pools[3]["status"]["phase"], "CreationFailed");
    assert_eq!(
        pools[3]["metadata"]["labels"]["os.modelarts/name"],
        "pool-many-bad"
    );
    assert!(
        r.stderr.contains("error: pool pool-many-bad"),
        "{}",
        r.stderr
    );
    for i in 0..3 {
        assert_eq!(pools_named(&emu, &format!("pool-many-{i}")).len(), 1);
    }
}

/// A machine without a CA trust store (a minimal container) can still talk
/// to a plain-http endpoint such as the emulator: no roots are needed there.
#[test]
fn plain_http_needs_no_trust_store() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .env("SSL_CERT_FILE", "/nonexistent/ca.pem")
        .env("SSL_CERT_DIR", "/nonexistent/certs")
        .arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(common::poolctl()
        .env("SSL_CERT_FILE", "/nonexistent/ca.pem")
        .env("SSL_CERT_DIR", "/nonexistent/certs")
        .args(["create", "-f", "examples/physical-pool.yaml", "--emulator"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// More pools than may be created at once, with --wait: every pool is
/// created at the start, none waits for another to be Running.
#[test]
fn waiting_never_delays_the_creation_of_other_pools() {
    let emu = Emulator::start(&["--provision-time", "3s"]);
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("examples/physical-pool.yaml").unwrap();
    let docs: Vec<String> = (0..40)
        .map(|i| base.replace("pool-ae01", &format!("pool-batch-{i:02}")))
        .collect();
    let path = dir.path().join("batch.yaml");
    std::fs::write(&path, docs.join("---\n")).unwrap();
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        path.to_str().unwrap(),
        "--wait",
        "-o",
        "json",
        "-q",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    let pools = list["items"].as_array().unwrap();
    assert_eq!(pools.len(), 40);
    let mut created: Vec<String> = pools
        .iter()
        .map(|p| {
            p["metadata"]["creationTimestamp"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    created.sort();
    let secs = |t: &str| poolctl::time::parse_timestamp(t).unwrap();
    let spread = secs(created.last().unwrap()) - secs(&created[0]);
    // Provisioning takes 3 s: a pool created behind a finished wait would be 3 s late.
    assert!(spread <= 1, "creations spread over {spread} s: {created:?}");
}
