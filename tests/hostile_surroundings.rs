//! Issue 9, the client's side: proxies, plain HTTP, terminals, pipes,
//! signals, secrets and oversized input, each through the real binary
//! (docs/reliability.md, "Hostile surroundings").

mod common;

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use common::scripted::{answer, Answer, Route, Server};
use common::{poolctl, run, std_poolctl, Emulator, Run};

/// A "proxy" that counts the connections it gets and answers each with a
/// made-up 200, as a hostile proxy could.
fn counting_proxy() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            // Good for an IAM lookup and for a list alike.
            let body = format!(
                r#"{{"kind":"List","apiVersion":"v2","metadata":{{}},"items":[],"projects":[{{"id":"{}"}}]}}"#,
                common::scripted::PROJECT
            );
            let _ = std::io::Write::write_all(
                &mut stream,
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            );
        }
    });
    (url, hits)
}

/// `poolctl list` at an endpoint where nothing listens, for the checks made
/// before any request (credentials, files); the test adds the environment.
fn list_nowhere() -> assert_cmd::Command {
    let mut cmd = poolctl();
    cmd.args([
        "--endpoint",
        "http://127.0.0.1:1",
        "--project-id",
        "p",
        "list",
    ]);
    cmd
}

const CREATE: &[&str] = &[
    "create",
    "--name",
    "pool-ae01",
    "--flavor",
    "modelarts.vm.cpu.8ud",
    "--count",
    "1",
    "--network",
    "network-21e1",
];

fn no_escape(r: &Run) {
    for (what, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\r'),
            "raw control characters on {what}: {text:?}"
        );
    }
}

// ------------------------------------------------------------ network

#[test]
fn loopback_and_the_emulator_never_go_through_a_proxy() {
    let (proxy, hits) = counting_proxy();
    let r = run(poolctl()
        .env("HTTP_PROXY", &proxy)
        .env("http_proxy", &proxy)
        .env("ALL_PROXY", &proxy)
        .args(["--emulator"])
        .args(CREATE));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the proxy saw the request");

    let s = Server::start();
    s.answer(Route::List, &[answer(200, json!({"items": []}))]);
    let r = run(s
        .poolctl()
        .env("HTTP_PROXY", &proxy)
        .env("http_proxy", &proxy)
        .arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(s.count("GET", "/pools"), 1, "the service saw the request");
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the proxy saw the request");

    // A loopback endpoint with a remote IAM endpoint: IAM may go through
    // the proxy, the pools never.
    let r = run(poolctl()
        .env("POOLCTL_AUTH_TOKEN", "TOKEN-CANARY-1")
        .env("HTTP_PROXY", &proxy)
        .env("http_proxy", &proxy)
        .args([
            "--endpoint",
            &s.url,
            "--iam-endpoint",
            "http://iam.example.test",
            "--allow-plain-http",
            "--region",
            "eu-de",
            "list",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(s.count("GET", "/pools"), 2, "the service saw the list");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "only the IAM lookup went through the proxy"
    );
}

#[test]
fn credentials_never_go_in_cleartext_to_another_machine_without_the_opt_in() {
    let r = run(poolctl().env("POOLCTL_AUTH_TOKEN", "TOKEN-CANARY-1").args([
        "--endpoint",
        "http://modelarts.example.test",
        "--project-id",
        "p",
        "list",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("plain http to another machine"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--allow-plain-http"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was sent"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("note:"),
        "no request was tried: {}",
        r.stderr
    );

    // The same for the IAM endpoint of the project lookup.
    let r = run(poolctl().env("POOLCTL_AUTH_TOKEN", "TOKEN-CANARY-1").args([
        "--endpoint",
        "https://modelarts.example.test",
        "--iam-endpoint",
        "http://iam.example.test",
        "--region",
        "eu-de",
        "list",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--iam-endpoint http://iam.example.test"),
        "{}",
        r.stderr
    );

    // With the opt-in, it warns and goes.
    let r = run(poolctl().env("POOLCTL_AUTH_TOKEN", "TOKEN-CANARY-1").args([
        "--endpoint",
        "http://127.0.0.2.nip.invalid:9",
        "--project-id",
        "p",
        "--allow-plain-http",
        "--request-timeout",
        "1s",
        "list",
    ]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "warning: --endpoint http://127.0.0.2.nip.invalid:9: credentials go in cleartext"
        ),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("CANARY"));
}

#[test]
fn a_401_with_a_huge_body_is_exit_4_at_once() {
    let s = Server::start();
    s.answer(
        Route::List,
        &[Answer {
            status: 401,
            body: format!(
                "{{\"error_code\":\"APIG.0301\",\"error_msg\":\"{}\"}}",
                "x".repeat(50 * 1024 * 1024)
            ),
            date: None,
        }],
    );
    let r = run(s.poolctl().arg("list"));
    assert_eq!(r.code, 4, "{}", &r.stderr[..r.stderr.len().min(2000)]);
    assert_eq!(s.count("GET", "/pools"), 1, "a 401 is never retried");
    assert!(
        r.stderr.len() < 10_000,
        "the message is cut: {} bytes",
        r.stderr.len()
    );
}

#[test]
fn credentials_with_control_characters_are_exit_4_naming_the_source() {
    let r = run(list_nowhere().env("POOLCTL_AUTH_TOKEN", "TOK\u{1b}EN-CANARY"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("POOLCTL_AUTH_TOKEN"), "{}", r.stderr);
    assert!(r.stderr.contains("control character"), "{}", r.stderr);
    assert!(!r.stderr.contains("CANARY"), "{}", r.stderr);
    let r = run(list_nowhere()
        .env("HUAWEICLOUD_SDK_AK", "AK")
        .env("HUAWEICLOUD_SDK_SK", "SK\u{7}CANARY"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the value of HUAWEICLOUD_SDK_SK holds a control character"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("CANARY"), "{}", r.stderr);
    // The security token is named as itself.
    let r = run(list_nowhere()
        .env("HUAWEICLOUD_SDK_AK", "AK")
        .env("HUAWEICLOUD_SDK_SK", "SK")
        .env("HUAWEICLOUD_SDK_SECURITY_TOKEN", "ST\u{1}CANARY"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
        "{}",
        r.stderr
    );
    // Bytes that are not UTF-8 are not "not set".
    use std::os::unix::ffi::OsStringExt;
    let r = run(poolctl()
        .env(
            "POOLCTL_AUTH_TOKEN",
            std::ffi::OsString::from_vec(b"tok\xffCANARY".to_vec()),
        )
        .args([
            "--endpoint",
            "http://127.0.0.1:1",
            "--project-id",
            "p",
            "list",
        ]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("POOLCTL_AUTH_TOKEN holds bytes that are not UTF-8"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("CANARY"), "{}", r.stderr);
}

#[test]
fn a_credentials_file_over_its_bound_is_a_usage_error() {
    let r = run(list_nowhere().env("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/dev/zero"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 1 MiB"), "{}", r.stderr);
}

#[test]
fn a_huge_pool_name_neither_panics_nor_floods_the_table() {
    let s = Server::start();
    let name = "\u{1b}".repeat(20_000);
    s.answer(
        Route::List,
        &[answer(
            200,
            json!({"items": [{"metadata": {"name": name}}]}),
        )],
    );
    let r = run(s.poolctl().arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    no_escape(&r);
    assert!(
        r.stdout.lines().all(|l| l.chars().count() < 500),
        "{}",
        r.stdout.len()
    );
    let r = run(s.poolctl().args(["list", "-v"]));
    assert_eq!(r.code, 0, "{}", &r.stderr[..r.stderr.len().min(500)]);
}

#[test]
fn an_answer_too_large_to_read_is_not_asked_again() {
    let s = Server::start();
    s.answer(
        Route::List,
        &[Answer {
            status: 200,
            body: format!(
                "{{\"items\": [], \"pad\": \"{}\"}}",
                "x".repeat(33 * 1024 * 1024)
            ),
            date: None,
        }],
    );
    let r = run(s.poolctl().arg("list"));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("answered HTTP 200, but the answer is larger than 32 MiB"),
        "{}",
        r.stderr
    );
    assert_eq!(s.count("GET", "/pools"), 1);
}

#[test]
fn the_plain_http_opt_in_is_said_even_with_quiet_and_may_come_from_the_environment() {
    let r = run(poolctl()
        .env("POOLCTL_AUTH_TOKEN", "TOKEN-CANARY-1")
        .env("POOLCTL_ALLOW_PLAIN_HTTP", "1")
        .args([
            "--endpoint",
            "http://127.0.0.2.nip.invalid:9",
            "--project-id",
            "p",
            "--request-timeout",
            "1s",
            "-q",
            "list",
        ]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: --endpoint http://127.0.0.2.nip.invalid:9"),
        "{}",
        r.stderr
    );
}

#[test]
fn bidirectional_overrides_and_separators_are_escaped() {
    let s = Server::start();
    let sneaky = "pool\u{202e}txt.exe\u{2028}\u{85}x";
    s.answer(
        Route::Show,
        &[answer(
            200,
            json!({"metadata": {"name": "pool-x", "labels": {"os.modelarts/name": sneaky}},
                   "status": {"phase": "Running"}}),
        )],
    );
    let r = run(s.poolctl().args(["get", "pool-x"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("pool\\u{202e}txt.exe\\u{2028}\\u{85}x"),
        "{}",
        r.stdout
    );
    let r = run(s.poolctl().args(["get", "pool-x", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains('\u{202e}') && !r.stdout.contains('\u{85}'),
        "{}",
        r.stdout
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["metadata"]["labels"]["os.modelarts/name"], sneaky,
        "the same value"
    );
}

#[test]
fn a_ca_bundle_that_never_ends_is_refused_quickly() {
    let r = run(poolctl().args(["--emulator", "--ca-bundle", "/dev/zero", "list"]));
    // The emulator is plain http: the bundle is read only for https, or
    // whenever it is given.
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 4 MiB"), "{}", r.stderr);
}

// ------------------------------------------------------------ terminals

#[test]
fn text_from_the_service_cannot_drive_the_terminal() {
    let hostile = "\u{1b}]0;PWNED\u{7}\u{1b}[2J\rreached";
    let s = Server::start();
    let mut pool = json!({
        "kind": "Pool", "apiVersion": "v2",
        "metadata": {"name": format!("pool-x{hostile}"),
                     "labels": {"os.modelarts/name": format!("name{hostile}")}},
        "spec": {"type": "Dedicate", "resources": [{"flavor": "f", "count": 1}]},
        "status": {"phase": "CreationFailed", "message": format!("boom{hostile}")}
    });
    s.answer(
        Route::List,
        &[answer(200, json!({"items": [pool.clone()]}))],
    );
    let r = run(s.poolctl().arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    no_escape(&r);
    assert!(r.stdout.contains("\\u{1b}]0;PWNED"), "{}", r.stdout);

    // A failed pool's message, in the error line of a wait.
    pool["metadata"]["name"] = json!("pool-x");
    s.answer(Route::Show, &[answer(200, pool.clone())]);
    let r = run(s.poolctl().args(["wait", "pool-x"]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    no_escape(&r);
    assert!(r.stderr.contains("boom\\u{1b}]0;PWNED"), "{}", r.stderr);

    // JSON stays exact.
    let r = run(s.poolctl().args(["get", "pool-x", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(printed, pool);
}

#[test]
fn a_huge_error_message_is_cut_unless_asked_for() {
    let s = Server::start();
    let long = "e".repeat(20 * 1024);
    s.answer(
        Route::Show,
        &[answer(
            400,
            json!({"error_code": "ModelArts.50004000", "error_msg": format!("{long}\u{1b}[2J")}),
        )],
    );
    let r = run(s.poolctl().args(["get", "pool-x"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    no_escape(&r);
    assert!(r.stderr.len() < 2_000, "{} bytes", r.stderr.len());
    assert!(r.stderr.contains("-v shows all"), "{}", r.stderr);
    let r = run(s.poolctl().args(["get", "pool-x", "-v"]));
    assert_eq!(r.code, 3, "{}", &r.stderr[..500]);
    no_escape(&r);
    assert!(r.stderr.contains(&long), "-v shows it whole");
}

#[test]
fn text_from_a_manifest_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string("examples/physical-pool.yaml")
        .unwrap()
        .replace("spec:\n", "spec:\n  \"bad\\e]0;PWNED\\a\": 1\n");
    let path = dir.path().join("m.yaml");
    std::fs::write(&path, manifest).unwrap();
    let r = run(poolctl().args(["validate", "-f", path.to_str().unwrap()]));
    assert_eq!(r.code, 2, "{}", r.stdout);
    no_escape(&r);
    assert!(r.stdout.contains("\\u{1b}]0;PWNED"), "{}", r.stdout);
}

// ------------------------------------------------------------ secrets

#[test]
fn a_mistyped_password_field_is_redacted_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    for typo in ["Password:", "pasword:", "passwrod:", "userPasswd:"] {
        let manifest = std::fs::read_to_string("examples/privileged-pool.yaml")
            .unwrap()
            .replace("password:", typo);
        let path = dir.path().join("m.yaml");
        std::fs::write(&path, &manifest).unwrap();
        let password = manifest
            .lines()
            .find_map(|l| l.trim().strip_prefix(typo))
            .unwrap()
            .trim()
            .trim_matches('"')
            .to_string();
        for format in ["json", "yaml", "text"] {
            let r = run(poolctl().args([
                "create",
                "-f",
                path.to_str().unwrap(),
                "--validate",
                "warn",
                "--dry-run",
                "-o",
                format,
            ]));
            assert_eq!(r.code, 0, "{}", r.stderr);
            assert!(
                !r.stdout.contains(&password),
                "{typo} {format}: {}",
                r.stdout
            );
            assert!(
                !r.stderr.contains(&password),
                "{typo} {format}: {}",
                r.stderr
            );
        }
    }
}

#[test]
fn a_short_token_is_not_redacted_inside_words() {
    let s = Server::start();
    s.answer(
        Route::List,
        &[answer(
            401,
            json!({"error_code": "ModelArts.50001000", "error_msg": "The token is invalid: tok"}),
        )],
    );
    let r = run(poolctl().env("POOLCTL_AUTH_TOKEN", "tok").args([
        "--endpoint",
        &s.url,
        "--project-id",
        common::scripted::PROJECT,
        "list",
    ]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("The token is invalid: <redacted>"),
        "{}",
        r.stderr
    );
}

// ------------------------------------------------------------ streams and signals

#[test]
fn a_closed_stderr_in_the_middle_of_a_wait_changes_nothing() {
    let emu = Emulator::start(&["--provision-time", "2s"]);
    let mut cmd = std_poolctl();
    for (k, v) in &emu.exports {
        cmd.env(k, v);
    }
    let mut child = cmd
        .args(CREATE)
        .args(["--wait", "-o", "json", "-v"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line of stderr, then close it, as `2>&1 | head -1` does.
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    drop(err);
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{line}");
    let pool: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(pool["status"]["phase"], "Running");
}

#[test]
fn sighup_stops_the_wait_with_129_and_how_to_resume() {
    let emu = Emulator::start(&["--provision-time", "20m"]);
    let mut cmd = std_poolctl();
    for (k, v) in &emu.exports {
        cmd.env(k, v);
    }
    let child = cmd
        .args(CREATE)
        .args(["--wait"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(129), "{stderr}");
    assert!(stderr.contains("hung up (SIGHUP)"), "{stderr}");
    assert!(
        stderr.contains("resume with: poolctl wait pool-ae01"),
        "{stderr}"
    );
    // The pool was left as it was.
    assert_eq!(common::pools_named(&emu, "pool-ae01").len(), 1);
}
