//! Issue 12, output for scripts, through the real binary against the
//! emulator: `-o name` and `--query` on create, get and list; `list -o
//! wide`, `--no-headers` and `--watch` seeing a phase change; every command
//! honours `-o` or refuses it; `--emulator` keeping its pools across
//! commands in `POOLCTL_EMULATOR_STATE`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{poolctl, run, std_poolctl, Emulator};

const MANIFEST: &str = "examples/physical-pool.yaml";

#[test]
fn name_and_query_on_create_get_and_list() {
    let emu = Emulator::start(&[]);
    let r = run(emu.poolctl().args(["create", "-f", MANIFEST, "-o", "name"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let id = r.stdout.trim().to_string();
    assert!(
        id.starts_with("pool-ae01-") && !id.contains('\n'),
        "{}",
        r.stdout
    );

    let r = run(emu.poolctl().args(["get", "pool-ae01", "-o", "name"]));
    assert_eq!((r.code, r.stdout.trim()), (0, id.as_str()), "{}", r.stderr);
    let r = run(emu
        .poolctl()
        .args(["create", "-f", MANIFEST, "--name", "pool-ae02", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args(["list", "-o", "name"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);

    // A query prints plainly with -o text, as JSON with -o json.
    let r = run(emu.poolctl().args([
        "get",
        "pool-ae01",
        "--query",
        "metadata.labels.\"os.modelarts/name\"",
    ]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "pool-ae01\n"),
        "{}",
        r.stderr
    );
    let r = run(emu.poolctl().args([
        "list",
        "--query",
        "items[].metadata.labels.\"os.modelarts/name\"",
    ]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "pool-ae01\npool-ae02\n"),
        "{}",
        r.stderr
    );
    let r = run(emu.poolctl().args([
        "list",
        "-o",
        "json",
        "--query",
        "length(items[?spec.type=='Dedicate'])",
    ]));
    assert_eq!((r.code, r.stdout.trim()), (0, "2"), "{}", r.stderr);
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        MANIFEST,
        "--name",
        "pool-ae03",
        "--query",
        "spec.resources[0].count",
    ]));
    assert_eq!((r.code, r.stdout.trim()), (0, "2"), "{}", r.stderr);
}

#[test]
fn list_wide_and_without_headers() {
    let emu = Emulator::start(&[]);
    let r = run(emu.poolctl().args(["create", "-f", MANIFEST, "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args(["list", "-o", "wide"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let head = r.stdout.lines().next().unwrap();
    assert!(
        head.contains("WORKSPACE") && head.contains("FLAVORS") && head.contains("NETWORK"),
        "{head}"
    );
    assert!(
        r.stdout.contains("2xmodelarts.vm.cpu.8ud") && r.stdout.contains("network-21e1"),
        "{}",
        r.stdout
    );
    let r = run(emu.poolctl().args(["list", "--no-headers"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.starts_with("pool-ae01-"), "{}", r.stdout);
}

#[test]
fn every_command_honours_output_or_refuses_it() {
    for (args, says) in [
        (
            &["validate", "-f", MANIFEST, "-o", "name"][..],
            "validate does not take -o name",
        ),
        (
            &["get", "x", "-o", "wide", "--endpoint", "http://127.0.0.1:9"][..],
            "-o wide is for list",
        ),
        (
            &["completions", "bash", "-o", "json"][..],
            "completions does not take -o json",
        ),
        (
            &["emulator", "--query", "a"][..],
            "emulator does not take --query",
        ),
        (
            &["schema", "--query", "items["][..],
            "is not a JMESPath expression",
        ),
        (
            &["diff", "-f", MANIFEST, "-o", "name"][..],
            "diff does not take -o name",
        ),
    ] {
        let r = run(poolctl().args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    }
    let r = run(poolctl().args(["schema", "-o", "yaml"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("$schema: "), "{}", &r.stdout[..80]);
    let r = run(poolctl().args(["schema", "--query", "title"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "poolctl manifest (ModelArts CreatePool request)\n"
    );
    // Network flags belong to the commands that talk to the service.
    let r = run(poolctl().args(["schema", "--region", "eu-de"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(poolctl().args(["validate", "--help"]));
    assert!(
        r.stdout.contains("--region"),
        "validate --preflight talks to the service"
    );
    let r = run(poolctl().args(["schema", "--help"]));
    assert!(
        !r.stdout.contains("--region") && !r.stdout.contains("--endpoint"),
        "{}",
        r.stdout
    );
}

#[test]
fn list_watch_prints_each_change_as_it_comes() {
    let emu = Emulator::start(&["--provision-time", "2s"]);
    let r = run(emu.poolctl().args(["create", "-f", MANIFEST, "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut cmd = std_poolctl();
    for (k, v) in &emu.exports {
        cmd.env(k, v);
    }
    let mut child = cmd
        .args(["list", "--watch", "-o", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = Instant::now();
    // The list first (one JSON document over several lines), then one
    // event per line; the pool turns Running within its 2 s.
    let mut running = None;
    while started.elapsed() < Duration::from_secs(30) {
        let Some(Ok(line)) = lines.next() else { break };
        if line.starts_with("{\"type\":") {
            let event: serde_json::Value = serde_json::from_str(&line).unwrap();
            if event["object"]["status"]["phase"] == "Running" {
                running = Some(event);
                break;
            }
        }
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    let event = running.expect("a Running event within 30 s");
    assert_eq!(event["type"], "MODIFIED");
    assert_eq!(status.code(), Some(130), "Ctrl-C ends a watch");
}

#[test]
fn the_emulator_keeps_its_pools_across_commands_in_a_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emulator.json");
    let emu = || {
        let mut cmd = poolctl();
        cmd.env("POOLCTL_EMULATOR_STATE", &state)
            .env("POOLCTL_EMULATOR_PROVISION_TIME", "1s")
            .arg("--emulator");
        cmd
    };
    let r = run(emu().args(["create", "-f", MANIFEST, "--wait", "-o", "name"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let id = r.stdout.trim().to_string();
    let r = run(emu().args(["get", "pool-ae01", "-o", "name"]));
    assert_eq!((r.code, r.stdout.trim()), (0, id.as_str()), "{}", r.stderr);
    let r = run(emu().args(["list", "--no-headers"]));
    assert!(r.stdout.contains("Running"), "{}", r.stdout);
    let r = run(emu().args(["delete", "pool-ae01", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu().args(["list", "-o", "name"]));
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    // Faults come from the environment too.
    let r = run(emu()
        .env("POOLCTL_EMULATOR_FAULTS", "get:503*1")
        .args(["list", "-v"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("HTTP 503"), "{}", r.stderr);
    let r = run(emu()
        .env("POOLCTL_EMULATOR_FAULTS", "nonsense")
        .args(["list"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("POOLCTL_EMULATOR_FAULTS"), "{}", r.stderr);
}
