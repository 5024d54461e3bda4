//! `poolctl emulator --state FILE` against a hostile or careless
//! neighbourhood: a symlink planted where the temporary file goes, a second
//! emulator on the same file, a file with malformed pools, a huge file
//! (issue 9; docs/emulator.md, "State file"). Through the real binary.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use poolctl::auth::signer::{self, SigningInput};
use serde_json::{json, Value};

use common::{run, std_poolctl, Emulator};

fn create(emu: &Emulator, name: &str) {
    let r = run(emu.poolctl().args([
        "create",
        "--name",
        name,
        "--flavor",
        "modelarts.vm.cpu.8ud",
        "--count",
        "1",
        "--network",
        "network-21e1",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `poolctl emulator --state FILE` that is expected to refuse to start.
fn refused(state: &Path) -> common::Run {
    let mut cmd = std_poolctl();
    cmd.args(["emulator", "--listen", "127.0.0.1:0", "--state"])
        .arg(state)
        .stdin(Stdio::null());
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // A refusal is immediate; an emulator that starts would serve forever.
    let killer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(10));
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    });
    let out = child.wait_with_output().unwrap();
    drop(killer);
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Before, the temporary file was `.FILE.tmp-PID`, opened with
/// `O_CREAT|O_TRUNC` and followed through symlinks: a symlink planted there
/// made the emulator write the state, SK included, into the file it pointed
/// at. Now the name is unpredictable and the file is created exclusively.
#[cfg(unix)]
#[test]
fn a_planted_symlink_never_receives_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emu.json");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let state_arg = state.to_str().unwrap();
    let emu = Emulator::start(&["--state", state_arg]);
    let pid = emu.child.id();
    // Where the old code put its temporary file, and a few guesses more.
    for name in [
        format!(".emu.json.tmp-{pid}"),
        ".emu.json.tmp".to_string(),
        "emu.json.tmp".to_string(),
    ] {
        std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
    }
    create(&emu, "pool-symlink");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["pools"].as_array().unwrap().len(), 1);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&state).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // Only the state file, its lock and the planted links are there.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.contains("tmp"))
        .collect();
    names.sort();
    assert_eq!(names, ["emu.json", "emu.json.lock", "victim.txt"]);
}

/// Before, a second emulator on the same file started, and each one's
/// writes erased the other's pools.
#[test]
fn a_second_emulator_on_the_same_state_file_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emu.json");
    let emu = Emulator::start(&["--state", state.to_str().unwrap()]);
    create(&emu, "pool-first");
    let before = std::fs::read(&state).unwrap();
    let r = refused(&state);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "no exports: {}", r.stdout);
    assert!(
        r.stderr.contains("emu.json") && r.stderr.contains("another poolctl emulator"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read(&state).unwrap(),
        before,
        "the file is untouched"
    );
    // The first one still serves, and still writes.
    create(&emu, "pool-second");
    drop(emu);
    // Once it is gone, the file can be used again.
    let again = Emulator::start(&["--state", state.to_str().unwrap()]);
    assert_eq!(common::pools_named(&again, "pool-second").len(), 1);
}

/// Before, a pool whose `object` was null was accepted, and every `list`
/// then failed in the client.
#[test]
fn malformed_pools_are_refused_at_start_naming_the_pool() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emu.json");
    let good = |name: &str| {
        serde_json::json!({
            "name": format!("{name}-0123456789abcdef0123456789abcdef"),
            "label": name, "workspace": "0", "pool_type": "Dedicate",
            "resources": [{"flavor": "modelarts.vm.cpu.8ud", "count": 1}],
            "scope": ["Train"], "parent": null, "created_ms": 1_729_773_763_000u64,
            "provision_ms": 1000, "deleted_ms": null, "delete_ms": 250,
            "object": {"kind": "Pool", "apiVersion": "v2",
                "metadata": {"name": format!("{name}-0123456789abcdef0123456789abcdef"),
                    "labels": {"os.modelarts/name": name}},
                "spec": {"type": "Dedicate"}}
        })
    };
    let mut null_object = good("pool-null");
    null_object["object"] = serde_json::Value::Null;
    let mut no_label = good("pool-nolabel");
    no_label.as_object_mut().unwrap().remove("label");
    let mut odd_type = good("pool-odd");
    odd_type["pool_type"] = "Huge".into();
    // A scale that does not end at the pool's resources.
    let mut odd_scale = good("pool-scaled");
    odd_scale["scales"] = serde_json::json!([{"at_ms": 1_729_773_800_000u64,
        "from": [{"flavor": "modelarts.vm.cpu.8ud", "count": 1}],
        "to": [{"flavor": "modelarts.vm.cpu.8ud", "count": 5}], "sold_out": []}]);
    let mut no_scale_list = good("pool-scalenull");
    no_scale_list["scales"] = serde_json::json!({"at_ms": 1});
    for (bad, named) in [
        (null_object, "pool-null-0123456789abcdef0123456789abcdef"),
        (no_label, "pool-nolabel-0123456789abcdef0123456789abcdef"),
        (odd_type, "pool-odd-0123456789abcdef0123456789abcdef"),
        (odd_scale, "pool-scaled-0123456789abcdef0123456789abcdef"),
        (
            no_scale_list,
            "pool-scalenull-0123456789abcdef0123456789abcdef",
        ),
    ] {
        let file = serde_json::json!({
            "format": "poolctl-emulator-state/1",
            "credentials": {"ak": "EMU00000000000000000", "sk": "s".repeat(40), "project_id": "p"},
            "pools": [good("pool-fine"), bad],
        });
        let text = serde_json::to_string_pretty(&file).unwrap();
        std::fs::write(&state, &text).unwrap();
        let r = refused(&state);
        assert_eq!(r.code, 2, "{named}: {}", r.stderr);
        assert!(
            r.stderr.contains("emu.json") && r.stderr.contains(named),
            "{named}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        assert_eq!(std::fs::read_to_string(&state).unwrap(), text);
    }
}

/// The state file is read with a bound; a bigger one is refused, untouched.
#[test]
fn a_huge_state_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emu.json");
    let f = std::fs::File::create(&state).unwrap();
    // Sparse: whitespace-free zeros, 65 MiB.
    f.set_len(65 * 1024 * 1024).unwrap();
    drop(f);
    let r = refused(&state);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("emu.json") && r.stderr.contains("64 MiB"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::metadata(&state).unwrap().len(),
        65 * 1024 * 1024,
        "left as it was"
    );
}

/// The lock is on the file, not on the name: with an emulator on
/// `real.json`, a second one on a symlink to it is refused. Before, it
/// started, replaced the symlink by a file of its own at its first write,
/// and the two emulators went their own ways. An emulator started through
/// the symlink writes the file it points at, and leaves the symlink be.
#[cfg(unix)]
#[test]
fn a_symlink_to_a_state_file_in_use_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let emu = Emulator::start(&["--state", real.to_str().unwrap()]);
    create(&emu, "pool-real");
    let before = std::fs::read(&real).unwrap();
    let r = refused(&link);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "no exports: {}", r.stdout);
    assert!(
        r.stderr.contains("link.json")
            && r.stderr.contains("another poolctl emulator")
            && r.stderr.contains("real.json.lock"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(&real).unwrap(), before);
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    drop(emu);

    // Alone, an emulator on the symlink reads and writes real.json.
    let emu = Emulator::start(&["--state", link.to_str().unwrap()]);
    assert_eq!(common::pools_named(&emu, "pool-real").len(), 1);
    create(&emu, "pool-through-link");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&real).unwrap()).unwrap();
    assert_eq!(saved["pools"].as_array().unwrap().len(), 2);
    // And one on real.json is refused while it runs.
    let r = refused(&real);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("another poolctl emulator"),
        "{}",
        r.stderr
    );
}

/// A FIFO is refused at once, exit 2. Before, the emulator opened it for
/// reading before checking what it was, and waited forever for a writer.
#[cfg(unix)]
#[test]
fn a_fifo_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("ff");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let t0 = std::time::Instant::now();
    let r = refused(&fifo);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("ff") && r.stderr.contains("not a regular file"),
        "{}",
        r.stderr
    );
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

/// The lock is taken before the file is read: a second emulator on a file
/// in use says so, whatever the file holds at that moment. Before, it read
/// the file first, and reported what it found there.
#[test]
fn the_lock_is_taken_before_the_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emu.json");
    let _emu = Emulator::start(&["--state", state.to_str().unwrap()]);
    // Someone else writes the file behind the running emulator's back.
    std::fs::write(&state, "not json").unwrap();
    let r = refused(&state);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("another poolctl emulator"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("not a poolctl emulator state file"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "not json");
}

/// Saved credentials are served and printed in `export` lines: an empty
/// one, or one with a byte outside visible ASCII (an ESC, a space, a
/// non-ASCII letter), is refused at start, naming the file and the field,
/// never the value. Before, they were served, and an ESC went raw to the
/// terminal in the exports.
#[test]
fn credentials_that_are_empty_or_not_visible_ascii_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emu.json");
    let fine = |field: &str, value: &str| {
        let mut creds = serde_json::json!({
            "ak": "EMU00000000000000000",
            "sk": "s".repeat(40),
            "project_id": "0123456789abcdef0123456789abcdef",
        });
        creds[field] = value.into();
        serde_json::json!({
            "format": "poolctl-emulator-state/1",
            "credentials": creds,
            "pools": [],
        })
    };
    for (field, value) in [
        ("ak", ""),
        ("ak", "EMU\u{1b}]0;PWNED\u{7}"),
        ("sk", ""),
        ("sk", "secret with spaces"),
        ("project_id", ""),
        ("project_id", "proj\u{e9}t"),
        ("project_id", "p\u{7f}"),
    ] {
        let text = serde_json::to_string_pretty(&fine(field, value)).unwrap();
        std::fs::write(&state, &text).unwrap();
        let r = refused(&state);
        let what = format!("{field} {value:?}");
        assert_eq!(r.code, 2, "{what}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{what}: {}", r.stdout);
        assert!(
            r.stderr.contains("emu.json") && r.stderr.contains(&format!("`{field}`")),
            "{what}: {}",
            r.stderr
        );
        if !value.is_empty() {
            assert!(!r.stderr.contains(value), "{what}: {}", r.stderr);
        }
        assert!(!r.stderr.contains('\u{1b}'), "{what}: {}", r.stderr);
        assert_eq!(std::fs::read_to_string(&state).unwrap(), text, "{what}");
    }
    // Visible ASCII of any kind is fine.
    let text = serde_json::to_string(&fine("sk", "a!~\"#{}")).unwrap();
    std::fs::write(&state, &text).unwrap();
    let emu = Emulator::start(&["--state", state.to_str().unwrap()]);
    assert_eq!(emu.get("HUAWEICLOUD_SDK_SK"), "a!~\"#{}");
}

/// One signed request to the emulator, as a client sends it, over a plain
/// socket: the status and the JSON answer.
fn call(
    emu: &Emulator,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    content_type: Option<&str>,
    body: &[u8],
) -> (u16, Value) {
    let endpoint = emu.get("POOLCTL_ENDPOINT");
    let host = endpoint.strip_prefix("http://").unwrap().to_string();
    let pairs: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut headers = vec![
        ("host".to_string(), host.clone()),
        (
            "x-sdk-date".to_string(),
            poolctl::time::sdk_date_from_unix(poolctl::time::now_unix()),
        ),
    ];
    if let Some(t) = content_type {
        headers.push(("content-type".to_string(), t.to_string()));
    }
    let authorization = signer::authorization(
        &SigningInput {
            method,
            path,
            query: &pairs,
            headers: &headers,
            body,
        },
        &emu.get("HUAWEICLOUD_SDK_AK"),
        &emu.get("HUAWEICLOUD_SDK_SK"),
    );
    let q = signer::canonical_query(&pairs);
    let target = if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{q}")
    };
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    for (k, v) in &headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "authorization: {authorization}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut sock = std::net::TcpStream::connect(&host).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    sock.write_all(head.as_bytes()).unwrap();
    sock.write_all(body).unwrap();
    let mut answer = Vec::new();
    sock.read_to_end(&mut answer).unwrap();
    let text = String::from_utf8(answer).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(!head.to_ascii_lowercase().contains("chunked"), "{head}");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn pool_path(emu: &Emulator, name: &str) -> String {
    format!("/v2/{}/pools/{name}", emu.get("POOLCTL_PROJECT_ID"))
}

/// Polls show until the pool's status satisfies `done`.
fn show_until(emu: &Emulator, name: &str, done: impl Fn(&Value) -> bool) -> Value {
    let t0 = Instant::now();
    loop {
        let (status, pool) = call(emu, "GET", &pool_path(emu, name), &[], None, b"");
        assert_eq!(status, 200, "{pool}");
        if done(&pool["status"]) {
            return pool;
        }
        assert!(t0.elapsed() < Duration::from_secs(20), "{}", pool["status"]);
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// A PATCH is in the state file once answered: a restarted emulator (even
/// with another provision time) shows the new spec, carries the scale on
/// from its timestamps, and lists its events.
#[test]
fn a_patch_survives_a_restart_on_the_same_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emu.json");
    let state_arg = state.to_str().unwrap();
    let emu = Emulator::start(&["--state", state_arg, "--provision-time", "300ms"]);
    create(&emu, "pool-patched");
    let name = common::pools_named(&emu, "pool-patched")[0]["metadata"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    show_until(&emu, &name, |st| st["phase"] == "Running");
    let patch = json!({
        "metadata": {"annotations": {"team": "ml"}},
        "spec": {"resources": [{"flavor": "modelarts.vm.cpu.8ud", "count": 3}]}
    });
    let (status, answer) = call(
        &emu,
        "PATCH",
        &pool_path(&emu, &name),
        &[],
        Some("application/merge-patch+json"),
        patch.to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{answer}");
    // On disk before the answer: the new spec and the scale.
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    let pool = &saved["pools"][0];
    assert_eq!(
        pool["resources"],
        json!([{"flavor": "modelarts.vm.cpu.8ud", "count": 3}])
    );
    assert_eq!(pool["object"]["metadata"]["annotations"]["team"], "ml");
    let scales = pool["scales"].as_array().unwrap();
    assert_eq!(scales.len(), 1);
    assert_eq!(
        scales[0]["from"],
        json!([{"flavor": "modelarts.vm.cpu.8ud", "count": 1}])
    );
    drop(emu); // kill -9

    let emu = Emulator::start(&["--state", state_arg, "--provision-time", "1h"]);
    let done = show_until(&emu, &name, |st| {
        st["resources"]["available"][0]["count"] == 3
    });
    assert_eq!(done["status"]["phase"], "Running");
    assert_eq!(
        done["spec"]["resources"],
        json!([{"flavor": "modelarts.vm.cpu.8ud", "count": 3, "maxCount": 3}])
    );
    assert_eq!(done["metadata"]["annotations"]["team"], "ml");
    let (status, events) = call(
        &emu,
        "GET",
        &format!("/v1/{}/events", emu.get("POOLCTL_PROJECT_ID")),
        &[("resource", "pools"), ("name", &name)],
        None,
        b"",
    );
    assert_eq!(status, 200, "{events}");
    let reasons: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "PoolCreating",
            "NodesAvailable",
            "PoolRunning",
            "PoolScaling",
            "PoolScaled"
        ]
    );
    // And it can be patched again after the restart.
    let (status, answer) = call(
        &emu,
        "PATCH",
        &pool_path(&emu, &name),
        &[],
        Some("application/merge-patch+json"),
        br#"{"metadata": {"annotations": {"team": null}}}"#,
    );
    assert_eq!(status, 200, "{answer}");
    assert!(answer["metadata"]["annotations"].get("team").is_none());
}
