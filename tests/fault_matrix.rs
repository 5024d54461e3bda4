//! `create --wait` against the emulator under each fault and combination
//! (DESIGN.md §3): the exit code, exactly one pool (none when the service
//! never answered), and no secret in the output. docs/reliability.md holds
//! this matrix and its last results.

mod common;

use std::time::{Duration, Instant};

use common::{run, Emulator};

struct Case {
    name: &'static str,
    faults: &'static str,
    /// Extra flags of `create`.
    flags: &'static [&'static str],
    exit: i32,
    pools: usize,
    /// Before the pool's name: the emulator's `abnormal-` trigger.
    prefix: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "no fault",
        faults: "",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "429 with Retry-After",
        faults: "429=1*3",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "429 without Retry-After",
        faults: "429*3",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "500 burst",
        faults: "500*3",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "502 burst",
        faults: "502*3",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "503 burst",
        faults: "503*3",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "429, 503 and 500 mixed",
        faults: "post:429=1*1,503*2,get:500*2",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "create slower than --request-timeout",
        faults: "post:latency=3s*1",
        flags: &["--request-timeout", "1s"],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "shows slower than --request-timeout",
        faults: "get:latency=3s*2",
        flags: &["--request-timeout", "1s"],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "reset before the create is processed",
        faults: "post:reset-before*1",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "reset after the create is processed",
        faults: "post:reset-after*1",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "reset after the create, lookup answered 503",
        faults: "post:reset-after*1,get:503*1",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "resets on shows while waiting",
        faults: "get:reset-before*3",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "5% resets, 10% 503, seeded",
        faults: "reset-after%5,503%10",
        flags: &[],
        exit: 0,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "pool turns Abnormal",
        faults: "",
        flags: &[],
        exit: 6,
        pools: 1,
        prefix: "abnormal-",
    },
    Case {
        name: "pool ends CreationFailed",
        faults: "",
        flags: &["--flavor", "modelarts.vm.gpu.v100", "--no-preflight"],
        exit: 6,
        pools: 1,
        prefix: "",
    },
    Case {
        name: "service always 503",
        faults: "503",
        flags: &[],
        exit: 8,
        pools: 0,
        prefix: "",
    },
];

fn pool_count(emu: &Emulator, name: &str) -> usize {
    common::pools_named(emu, name).len()
}

/// Pools named `name`, counted by a fault-free emulator on the same state file.
fn pools_in_state(state: &str, name: &str) -> usize {
    let emu = Emulator::start(&["--state", state]);
    pool_count(&emu, name)
}

fn leaked(r: &common::Run, sk: &str) -> bool {
    [sk, "c2FsdGVkLWFuZC1lbmNyeXB0ZWQ="]
        .iter()
        .any(|s| r.stdout.contains(s) || r.stderr.contains(s))
}

#[test]
fn create_wait_under_every_fault() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    println!(
        "{:<45} {:>4} {:>5} {:>7}",
        "fault", "exit", "pools", "seconds"
    );
    for (i, case) in CASES.iter().enumerate() {
        let state = dir.path().join(format!("state-{i}.json"));
        let state = state.to_str().unwrap();
        let mut args = vec!["--seed", "7", "--state", state];
        if !case.faults.is_empty() {
            args.extend(["--faults", case.faults]);
        }
        let emu = Emulator::start(&args);
        let sk = emu.get("HUAWEICLOUD_SDK_SK");
        let name = format!("{}pool-matrix-{i:02}", case.prefix);
        let started = Instant::now();
        let r = run(emu
            .poolctl()
            .args([
                "-vv",
                "create",
                "-f",
                "examples/privileged-pool.yaml",
                "--name",
                &name,
                "--wait",
            ])
            .args(case.flags));
        let took = started.elapsed();
        drop(emu);
        let pools = pools_in_state(state, &name);
        println!(
            "{:<45} {:>4} {:>5} {:>7.1}",
            case.name,
            r.code,
            pools,
            took.as_secs_f64()
        );
        if r.code != case.exit || pools != case.pools || leaked(&r, &sk) {
            failures.push(format!(
                "{}: exit {} (expected {}), {pools} pools (expected {}), secret leaked: {}\n{}",
                case.name,
                r.code,
                case.exit,
                case.pools,
                leaked(&r, &sk),
                r.stderr
                    .lines()
                    .filter(|l| !l.starts_with(['>', '<', ' ', '{', '}']))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The emulator is killed while poolctl waits, and comes back on the same
/// address and state file: the wait rides it out.
#[test]
fn emulator_restarted_mid_wait() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let state = state.to_str().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let first = Emulator::start(&[
        "--listen",
        &listen,
        "--state",
        state,
        "--provision-time",
        "4s",
    ]);
    let sk = first.get("HUAWEICLOUD_SDK_SK");
    let mut cmd = common::std_poolctl();
    for (k, v) in &first.exports {
        cmd.env(k, v);
    }
    let child = cmd
        .args([
            "-v",
            "create",
            "-f",
            "examples/privileged-pool.yaml",
            "--name",
            "pool-restart",
            "--wait",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    drop(first); // SIGKILL: no goodbye
    std::thread::sleep(Duration::from_millis(1500));
    let second = Emulator::start(&[
        "--listen",
        &listen,
        "--state",
        state,
        "--provision-time",
        "4s",
    ]);
    let out = child.wait_with_output().unwrap();
    let r = common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("phase:        Running"), "{}", r.stdout);
    assert!(!leaked(&r, &sk));
    assert_eq!(pool_count(&second, "pool-restart"), 1);
}
