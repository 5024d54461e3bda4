//! The official SDK's last credential source and its region sources,
//! through the real binary (issue 12): temporary credentials from the ECS
//! metadata service (the emulator's, or a scripted one for the answers the
//! emulator never gives), renewed during a long wait; and the endpoint of a
//! region from `HUAWEICLOUD_SDK_REGION_MODELARTS_<ID>`, the regions file
//! and `~/.huaweicloud/regions.yaml`, before the built-in table.

mod common;

use std::time::{Duration, Instant};

use common::scripted::{self, answer, text, Route, PROJECT};
use common::{poolctl, pools_named, run, Emulator};
use serde_json::json;

/// poolctl against `emu` with no credentials of its own: only the
/// emulator's metadata service can give some.
fn with_metadata(emu: &Emulator) -> assert_cmd::Command {
    let endpoint = emu.get("POOLCTL_ENDPOINT");
    let mut cmd = poolctl();
    cmd.env("POOLCTL_ENDPOINT", &endpoint)
        .env("POOLCTL_PROJECT_ID", emu.get("POOLCTL_PROJECT_ID"))
        .env("POOLCTL_METADATA_ENDPOINT", &endpoint);
    cmd
}

/// What no output may hold: the emulator's session tokens, security
/// tokens and temporary SKs (40 letters and digits), at any verbosity.
fn assert_no_secret(text: &str) {
    assert!(!text.contains("emu-mt-"), "a session token shows:\n{text}");
    assert!(!text.contains("emu-st-"), "a security token shows:\n{text}");
    let sk = regex_lite_40(text);
    assert!(sk.is_none(), "an SK shows ({sk:?}):\n{text}");
}

/// A run of exactly 40 ASCII letters and digits, as the emulator's SKs are.
fn regex_lite_40(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| w.len() == 40)
        .map(str::to_string)
}

#[test]
fn a_create_is_signed_with_temporary_credentials_from_the_metadata_service() {
    let emu = Emulator::start(&[]);
    let r = run(with_metadata(&emu).args([
        "-vv",
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--name",
        "pool-ecs",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Both calls of the metadata service, then the create, signed with the
    // security token; secrets redacted.
    for line in [
        "> PUT http://127.0.0.1:",
        "/meta-data/latest/api/token\n> Host: 127.0.0.1:",
        "> X-Metadata-Token-Ttl-Seconds: 21600",
        "/openstack/latest/securitykey\n",
        "> X-Metadata-Token: <redacted>",
        "\"secret\":\"<redacted>\",\"securitytoken\":\"<redacted>\"",
        "> X-Security-Token: <redacted>",
        "> Authorization: <redacted>",
        "credentials from the ECS metadata service at http://127.0.0.1:",
        "note: temporary credentials (access key EMUTMP",
    ] {
        assert!(r.stderr.contains(line), "no `{line}` in:\n{}", r.stderr);
    }
    let put = r.stderr.find("> PUT ").unwrap();
    let key = r.stderr.find("> GET ").unwrap();
    let post = r.stderr.find("> POST ").unwrap();
    assert!(put < key && key < post, "{}", r.stderr);
    assert_no_secret(&r.stderr);
    assert_no_secret(&r.stdout);
    // The emulator took the signature with the security token.
    assert_eq!(pools_named(&emu, "pool-ecs").len(), 1);
}

#[test]
fn a_long_wait_renews_the_credentials_before_they_expire() {
    // Credentials that last 10 s; a pool that takes 12 s. Without a
    // renewal, the polls after 10 s would be refused (401, exit 4).
    let emu = Emulator::start_with_env(
        &["--provision-time", "12s"],
        &[("POOLCTL_EMULATOR_METADATA_EXPIRY", "10s")],
    );
    let r = run(with_metadata(&emu).args([
        "-v",
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--name",
        "pool-renew",
        "--wait",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // At -v each request is a line: the lookups are counted there.
    let lookups = r.stderr.matches("> GET http://127.0.0.1:").count();
    let renewals = r.stderr.matches("/openstack/latest/securitykey").count();
    assert!(renewals >= 2, "{renewals} lookups:\n{}", r.stderr);
    assert!(lookups > renewals, "{}", r.stderr);
    let keys: Vec<&str> = r
        .stderr
        .lines()
        .filter_map(|l| l.split("access key ").nth(1))
        .map(|rest| rest.split(')').next().unwrap())
        .collect();
    assert!(keys.len() >= 2, "{keys:?}");
    assert_ne!(keys[0], keys[1], "a renewal brings new keys");
    assert!(r.stdout.contains("Running"), "{}", r.stdout);
    assert!(!r.stderr.contains("APIG.0301"), "{}", r.stderr);
    assert_no_secret(&r.stderr);
}

/// Off ECS nothing answers: the probe costs its connect timeout (1 s),
/// once, and the error names it among every place looked at.
#[test]
fn off_ecs_the_probe_is_short_and_named() {
    // A listener whose queue is full: connections hang, as at a blackhole.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let listener = rt.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        socket.listen(0).unwrap()
    });
    let addr = listener.local_addr().unwrap();
    let _queued = std::net::TcpStream::connect(addr).unwrap();
    let started = Instant::now();
    let r = run(poolctl()
        .env("POOLCTL_METADATA_ENDPOINT", format!("http://{addr}"))
        .args([
            "create",
            "-f",
            "examples/physical-pool.yaml",
            "--region",
            "cn-north-4",
        ]));
    let took = started.elapsed();
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("no credentials found"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "the ECS metadata service at http://{addr} (no answer from {addr} within 1 s)"
        )),
        "{}",
        r.stderr
    );
    for place in [
        "POOLCTL_AUTH_TOKEN",
        "HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK",
        "/nonexistent-home-for-tests/.huaweicloud/credentials (not found)",
        "on an ECS give the instance an agency",
    ] {
        assert!(r.stderr.contains(place), "{place}: {}", r.stderr);
    }
    // One connect timeout, not the 3 s of a whole request, nor two.
    assert!(took < Duration::from_millis(2800), "took {took:?}");
    drop(listener);

    // A port where nothing listens: refused at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let r = run(poolctl()
        .env(
            "POOLCTL_METADATA_ENDPOINT",
            format!("http://127.0.0.1:{port}"),
        )
        .args(["list", "--region", "cn-north-4"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("(could not connect to 127.0.0.1:{port}: ")),
        "{}",
        r.stderr
    );

    // Turned off: not asked at all.
    let r = run(poolctl().args(["list", "--region", "cn-north-4"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the ECS metadata service (not asked: POOLCTL_METADATA_ENDPOINT=off)"),
        "{}",
        r.stderr
    );
}

/// Credentials from the environment or the file: the metadata service is
/// never asked, and another machine's plain http is refused before it is.
#[test]
fn the_chain_stops_at_the_first_source_with_credentials() {
    let server = scripted::Server::start();
    server.answer(
        Route::List,
        &[answer(
            200,
            json!({"kind": "List", "apiVersion": "v2", "items": []}),
        )],
    );
    let r = run(poolctl()
        .env("HUAWEICLOUD_SDK_AK", "AK")
        .env("HUAWEICLOUD_SDK_SK", "SK-CANARY")
        .env("POOLCTL_METADATA_ENDPOINT", &server.url)
        .args(["list", "--endpoint", &server.url, "--project-id", PROJECT]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(server.count("PUT", "/api/token"), 0);
    assert_eq!(server.count("GET", "/securitykey"), 0);

    let r = run(poolctl()
        .env("POOLCTL_METADATA_ENDPOINT", "http://192.0.2.7")
        .args(["list", "--region", "cn-north-4", "--project-id", PROJECT]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("POOLCTL_METADATA_ENDPOINT http://192.0.2.7 is plain http"),
        "{}",
        r.stderr
    );
}

fn credential(expires_at: &str) -> serde_json::Value {
    json!({"credential": {"access": "TMPAK", "secret": "SK-CANARY-9", "securitytoken": "ST-CANARY-9",
           "expires_at": expires_at}})
}

/// poolctl against a scripted service that is also the metadata service.
fn against(server: &scripted::Server) -> assert_cmd::Command {
    let mut cmd = poolctl();
    cmd.env("POOLCTL_METADATA_ENDPOINT", &server.url)
        .env("POOLCTL_RETRY_MIN_DELAY", "10ms")
        .args(["--endpoint", &server.url, "--project-id", PROJECT]);
    cmd
}

#[test]
fn the_sdk_fallbacks_of_the_metadata_service() {
    // No session tokens (404): asked without one, as the SDK does. The
    // requests then carry the security token the answer gave.
    let server = scripted::Server::start();
    server.answer(Route::MetadataToken, &[text(404, "Not Found")]);
    server.answer(
        Route::SecurityKey,
        &[answer(200, credential("2099-01-01T00:00:00.000000Z"))],
    );
    server.answer(
        Route::List,
        &[answer(
            200,
            json!({"kind": "List", "apiVersion": "v2", "items": []}),
        )],
    );
    let r = run(against(&server).args(["-vv", "list"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let seen = server.seen();
    let key = seen
        .iter()
        .find(|s| s.path.ends_with("/securitykey"))
        .unwrap();
    assert_eq!(key.header("x-metadata-token"), None);
    let list = seen.iter().find(|s| s.path.ends_with("/pools")).unwrap();
    assert_eq!(list.header("x-security-token"), Some("ST-CANARY-9"));
    let auth = list.header("authorization").unwrap();
    assert!(auth.starts_with("SDK-HMAC-SHA256 Access=TMPAK, "), "{auth}");
    assert!(auth.contains("x-security-token"), "{auth}");
    assert!(!r.stderr.contains("CANARY"), "{}", r.stderr);

    // A stale session token (401 without the agency text): a new one, and
    // the question again, once.
    let server = scripted::Server::start();
    server.answer(
        Route::MetadataToken,
        &[text(200, "tok-1"), text(200, "tok-2")],
    );
    server.answer(
        Route::SecurityKey,
        &[
            text(401, "Unauthorized"),
            answer(200, credential("2099-01-01T00:00:00.000000Z")),
        ],
    );
    server.answer(
        Route::List,
        &[answer(
            200,
            json!({"kind": "List", "apiVersion": "v2", "items": []}),
        )],
    );
    let r = run(against(&server).args(["list"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let tokens: Vec<Option<String>> = server
        .seen()
        .iter()
        .filter(|s| s.path.ends_with("/securitykey"))
        .map(|s| s.header("x-metadata-token").map(str::to_string))
        .collect();
    assert_eq!(tokens, [Some("tok-1".into()), Some("tok-2".into())]);
    assert_eq!(server.count("PUT", "/api/token"), 2);
}

#[test]
fn answers_that_are_not_credentials_are_exit_4_and_show_no_secret() {
    let cases: Vec<(Vec<scripted::Answer>, &str)> = vec![
        (
            vec![answer(
                200,
                json!({"credential": {"access": "TMPAK", "secret": "SK-CANARY-9", "securitytoken": "ST-CANARY-9"}}),
            )],
            "it answered, but not with credentials: it has no `credential.expires_at`",
        ),
        (
            vec![text(200, "access=TMPAK secret=SK-CANARY-9")],
            "it answered, but not with credentials: the answer is not JSON",
        ),
        (
            vec![answer(200, credential("2001-01-01T00:00:00.000000Z"))],
            "it answered credentials that expire at 2001-01-01T00:00:00Z",
        ),
        (
            vec![text(401, "Please configure Cloud Service Agency first")],
            "this ECS has no agency",
        ),
        (
            vec![text(500, "oops")],
            "it answered HTTP 500 to GET /openstack/latest/securitykey",
        ),
    ];
    for (answers, expected) in cases {
        let server = scripted::Server::start();
        server.answer(Route::MetadataToken, &[text(200, "TOKEN-CANARY-7")]);
        server.answer(Route::SecurityKey, &answers);
        let r = run(against(&server).args(["-vv", "list"]));
        assert_eq!(r.code, 4, "{expected}: {}", r.stderr);
        assert!(r.stderr.contains("no credentials found"), "{}", r.stderr);
        assert!(r.stderr.contains(expected), "{expected}: {}", r.stderr);
        assert!(!r.stderr.contains("CANARY"), "{}", r.stderr);
        // Asked once each: the probe is not repeated.
        assert_eq!(server.count("PUT", "/api/token"), 1);
        assert_eq!(server.count("GET", "/securitykey"), 1);
        assert_eq!(server.count("GET", "/pools"), 0);
    }
}

/// `--show-settings` says the metadata service is the source, and sends nothing.
#[test]
fn show_settings_names_the_metadata_service() {
    let mut cmd = poolctl();
    cmd.env_remove("POOLCTL_METADATA_ENDPOINT");
    let r = run(cmd.args(["--show-settings", "list", "--region", "cn-north-4"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        "credentials: EcsMetadata {",
        "endpoint: \"http://169.254.169.254\",",
        "\"/nonexistent-home-for-tests/.huaweicloud/credentials (not found)\",",
        "credential_source: EcsMetadata(\n                        \"http://169.254.169.254\",",
    ] {
        assert!(r.stdout.contains(line), "no `{line}` in:\n{}", r.stdout);
    }
}

// ------------------------------------------------------------- regions

/// A home directory with `~/.huaweicloud/regions.yaml` of `text`.
fn home_with_regions(text: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".huaweicloud")).unwrap();
    std::fs::write(home.path().join(".huaweicloud/regions.yaml"), text).unwrap();
    home
}

/// poolctl with the emulator's keys and project, and no endpoint: the
/// region decides where it goes.
fn by_region(emu: &Emulator) -> assert_cmd::Command {
    let mut cmd = poolctl();
    cmd.env("HUAWEICLOUD_SDK_AK", emu.get("HUAWEICLOUD_SDK_AK"))
        .env("HUAWEICLOUD_SDK_SK", emu.get("HUAWEICLOUD_SDK_SK"))
        .args(["list", "--region", "ap-southeast-1"]);
    cmd
}

fn regions_yaml(endpoint: &str) -> String {
    format!("modelarts:\n  - id: ap-southeast-1\n    endpoint: {endpoint}\n")
}

#[test]
fn each_region_source_reaches_the_service() {
    let emu = Emulator::start(&[]);
    let endpoint = emu.get("POOLCTL_ENDPOINT");
    // The project is looked up through IAM at the endpoint's own host.
    let ok = |r: &common::Run| {
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("No pools found."), "{}", r.stderr);
    };
    ok(&run(by_region(&emu).env(
        "HUAWEICLOUD_SDK_REGION_MODELARTS_AP_SOUTHEAST_1",
        &endpoint,
    )));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("my-regions.yaml");
    std::fs::write(&file, regions_yaml(&endpoint)).unwrap();
    ok(&run(
        by_region(&emu).env("HUAWEICLOUD_SDK_REGIONS_FILE", &file)
    ));
    let home = home_with_regions(&regions_yaml(&endpoint));
    ok(&run(by_region(&emu).env("HOME", home.path())));
    // Several endpoints: one that cannot be reached gives way to the next.
    let r = run(by_region(&emu)
        .env(
            "HUAWEICLOUD_SDK_REGION_MODELARTS_AP_SOUTHEAST_1",
            format!("http://127.0.0.1:1,{endpoint}"),
        )
        .args(["--project-id", &emu.get("POOLCTL_PROJECT_ID"), "-v"]));
    ok(&r);
    assert!(
        r.stderr
            .contains("note: http://127.0.0.1:1 cannot be reached ("),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("trying {endpoint}")),
        "{}",
        r.stderr
    );
}

/// The endpoint line of `--show-settings`, and where it came from.
fn shown_endpoint(cmd: &mut assert_cmd::Command) -> (String, String) {
    let r = run(cmd.args(["--show-settings", "list", "--region", "cn-north-4"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = |key: &str| {
        r.stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix(key))
            .unwrap_or_else(|| panic!("no {key} in {}", r.stdout))
            .trim_end_matches(',')
            .to_string()
    };
    let source = r.stdout[r.stdout.find("endpoint_source: ").unwrap()..]
        .lines()
        .take_while(|l| !l.trim().starts_with("project:"))
        .collect::<Vec<_>>()
        .join(" ");
    (line("endpoint: "), source)
}

#[test]
fn region_sources_in_order_variable_file_home_table() {
    let home = home_with_regions(
        "ModelArts:\n  - id: cn-north-4\n    endpoint: modelarts.home.example.com\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("named.yaml");
    std::fs::write(
        &file,
        "modelarts:\n  - id: cn-north-4\n    endpoints: [https://named-1.example.com, https://named-2.example.com]\n",
    )
    .unwrap();
    let var = "HUAWEICLOUD_SDK_REGION_MODELARTS_CN_NORTH_4";
    let base = || {
        let mut cmd = poolctl();
        cmd.env("HUAWEICLOUD_SDK_AK", "AK")
            .env("HUAWEICLOUD_SDK_SK", "SK-CANARY")
            .env("HOME", home.path());
        cmd
    };

    // Everything set: the variable wins.
    let mut all = base();
    all.env("HUAWEICLOUD_SDK_REGIONS_FILE", &file)
        .env(var, "https://var.example.com, https://var-2.example.com");
    let r = run(all.args(["--show-settings", "list", "--region", "cn-north-4"]));
    assert!(!r.stdout.contains("CANARY"));
    assert_run_snapshot!("show_settings_region_variable", r);

    // Without it: the named file, then the home file.
    let (endpoint, source) = shown_endpoint(base().env("HUAWEICLOUD_SDK_REGIONS_FILE", &file));
    assert_eq!(endpoint, "\"https://named-1.example.com\"");
    assert!(
        source.contains("RegionsFile")
            && source.contains("named.yaml")
            && source.contains("line: 2"),
        "{source}"
    );
    let (endpoint, source) = shown_endpoint(&mut base());
    assert_eq!(endpoint, "\"https://modelarts.home.example.com\"");
    assert!(source.contains(".huaweicloud/regions.yaml"), "{source}");
    // None of them: the table.
    let (endpoint, source) = shown_endpoint(base().env("HOME", dir.path()));
    assert_eq!(
        endpoint,
        "\"https://modelarts.cn-north-4.myhuaweicloud.com\""
    );
    assert_eq!(source, "endpoint_source: Table,");
    // --endpoint and POOLCTL_ENDPOINT stay above them all.
    let (endpoint, source) = shown_endpoint(
        base()
            .env(var, "https://var.example.com")
            .env("POOLCTL_ENDPOINT", "https://env.example.com"),
    );
    assert_eq!(
        (endpoint.as_str(), source.as_str()),
        (
            "\"https://env.example.com\"",
            "endpoint_source: Environment,"
        )
    );
}

#[test]
fn region_errors_say_where_they_looked_and_where_the_file_is_wrong() {
    let home =
        home_with_regions("modelarts:\n  - id: my-region-1\n    endpoint: https://m.example.com\n");
    let r = run(poolctl()
        .env("HUAWEICLOUD_SDK_AK", "AK")
        .env("HUAWEICLOUD_SDK_SK", "SK")
        .env("HOME", home.path())
        .args(["list", "--region", "mars-north-1"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    for part in [
        "unknown region `mars-north-1`",
        "the regions file has: my-region-1",
        "looked at: HUAWEICLOUD_SDK_REGION_MODELARTS_MARS_NORTH_1 (not set), ",
        ".huaweicloud/regions.yaml (no region mars-north-1 under modelarts), the built-in table (not in it)",
    ] {
        assert!(r.stderr.contains(part), "{part}: {}", r.stderr);
    }

    let bad = home_with_regions("modelarts:\n  - id: cn-north-4\n    endpoint: [https://x]\n");
    let r = run(poolctl()
        .env("HUAWEICLOUD_SDK_AK", "AK")
        .env("HUAWEICLOUD_SDK_SK", "SK")
        .env("HOME", bad.path())
        .args(["list", "--region", "cn-north-4"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(".huaweicloud/regions.yaml:3:15: `endpoint` is text, found a list"),
        "{}",
        r.stderr
    );
    let bad = home_with_regions("modelarts:\n  - id: cn-north-4\n   endpoint: x\n");
    let r = run(poolctl()
        .env("HUAWEICLOUD_SDK_AK", "AK")
        .env("HUAWEICLOUD_SDK_SK", "SK")
        .env("HOME", bad.path())
        .args(["list", "--region", "cn-north-4"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(".huaweicloud/regions.yaml:3:"),
        "{}",
        r.stderr
    );
}
