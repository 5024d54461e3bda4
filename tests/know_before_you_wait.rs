//! Issue 10 through the real binary against the emulator: preflight's
//! every outcome (nothing is created), the flavor catalogue read page by
//! page, `flavors`, `describe`, and a yearly/monthly pool waiting for its
//! order. Answers the emulator never gives are in `preflight_answers.rs`.

mod common;

use serde_json::Value;

use common::{pools_named, run, Emulator};

fn create(name: &str, flavor: &str, network: &str) -> Vec<String> {
    [
        "create",
        "--name",
        name,
        "--flavor",
        flavor,
        "--count",
        "1",
        "--network",
        network,
        "--scope",
        "Train",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn every_preflight_outcome_exits_3_and_creates_nothing() {
    // Provisioning of 20 minutes: only preflight can tell in time.
    let emu = Emulator::start(&["--provision-time", "20m"]);
    let cases: &[(&str, &str, &[&str], &str)] = &[
        (
            "modelarts.vm.gpu.v100",
            "network-ci",
            &[],
            "spec.resources[0].flavor: flavor modelarts.vm.gpu.v100 is sold out in every AZ \
             (ap-southeast-1a, ap-southeast-1b); choose another flavor (poolctl flavors --available)",
        ),
        (
            "modelarts.vm.cpu.8u",
            "network-ci",
            &[],
            "flavor modelarts.vm.cpu.8u does not exist in this region; did you mean modelarts.vm.cpu.8ud?",
        ),
        (
            "modelarts.vm.cpu.8ud",
            "network-missing-01",
            &[],
            "spec.network.name: network network-missing-01 does not exist (the service answered 404)",
        ),
        (
            "modelarts.vm.cpu.8ud",
            "network-ci-creating",
            &[],
            "network network-ci-creating is Creating, not Active",
        ),
        (
            "modelarts.vm.cpu.8ud",
            "network-ci-abnormal",
            &[],
            "network network-ci-abnormal is Abnormal, not Active",
        ),
        (
            "modelarts.vm.cpu.16u64",
            "network-ci",
            &["--resource", "flavor=modelarts.vm.cpu.16u64,count=1,az=ap-southeast-1a:1"],
            "flavor modelarts.vm.cpu.16u64 is sold out in ap-southeast-1a, where spec.resources \
             puts nodes; it is available in: ap-southeast-1b",
        ),
    ];
    for (i, (flavor, network, extra, says)) in cases.iter().enumerate() {
        let name = format!("pool-pre-{i}");
        let mut args = create(&name, flavor, network);
        if !extra.is_empty() {
            // --resource replaces --flavor/--count.
            args.drain(3..7);
            args.extend(extra.iter().map(|s| s.to_string()));
        }
        let r = run(emu.poolctl().args(&args));
        assert_eq!(r.code, 3, "{says}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{says}: {}", r.stderr);
        assert!(r.stderr.contains("nothing was created"), "{}", r.stderr);
        assert!(pools_named(&emu, &name).is_empty(), "{says}");
    }
    // The same flavor, sold out in one AZ, with no AZ named: the other serves.
    let r = run(emu.poolctl().args(create(
        "pool-pre-ok",
        "modelarts.vm.cpu.16u64",
        "network-ci",
    )));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(pools_named(&emu, "pool-pre-ok").len(), 1);
}

#[test]
fn validate_preflight_asks_the_service_and_creates_nothing() {
    let emu = Emulator::start(&[]);
    let r = run(emu.poolctl().args([
        "validate",
        "--preflight",
        "-f",
        "examples/physical-pool.yaml",
    ]));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sold.yaml");
    let text = std::fs::read_to_string("examples/physical-pool.yaml")
        .unwrap()
        .replace("modelarts.vm.cpu.8ud", "modelarts.vm.gpu.v100");
    std::fs::write(&file, text).unwrap();
    let r = run(emu
        .poolctl()
        .arg("validate")
        .arg("--preflight")
        .arg("-f")
        .arg(&file));
    assert_eq!(r.code, 3, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("sold.yaml:18:7: error: spec.resources[0].flavor: flavor modelarts.vm.gpu.v100 is sold out"), "{}", r.stdout);
    // Plain validate stays offline, whatever the flavor.
    let r = run(emu.poolctl().arg("validate").arg("-f").arg(&file));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(pools_named(&emu, "pool-ae01").is_empty());
}

#[test]
fn flavors_are_read_page_by_page_and_filtered() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .env("POOLCTL_PAGE_LIMIT", "2")
        .args(["-vv", "flavors", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"].as_array().unwrap().len(), 7);
    let pages: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("> GET") && l.contains("/resourceflavors"))
        .collect();
    assert_eq!(pages.len(), 4, "{}", r.stderr);
    assert!(
        pages[1..].iter().all(|p| p.contains("continue=")),
        "{pages:?}"
    );

    let r = run(emu.poolctl().args(["flavors"]));
    assert_run_snapshot!("flavors", r);
    let r = run(emu
        .poolctl()
        .args(["flavors", "--type", "gpu", "--available"]));
    assert_run_snapshot!("flavors_gpu_available", r);
    let r = run(emu
        .poolctl()
        .args(["flavors", "--az", "ap-southeast-1b", "--available"]));
    assert_run_snapshot!("flavors_az_available", r);
    let r = run(emu.poolctl().args(["flavors", "--az", "eu-de-01"]));
    assert_run_snapshot!("flavors_unknown_az", r);
}

#[test]
fn describe_shows_nodes_scope_and_events() {
    let emu = Emulator::start(&[]);
    let r = run(emu.poolctl().args([
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--wait",
        "-q",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args(["describe", "pool-ae01"]));
    assert_run_snapshot!("describe_running", r);
    let r = run(emu.poolctl().args(["describe", "pool-ae01", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["pool"]["status"]["phase"], "Running");
    let reasons: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["reason"].as_str())
        .collect();
    assert!(
        reasons.contains(&"PoolCreating") && reasons.contains(&"PoolRunning"),
        "{reasons:?}"
    );

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
    assert_eq!(r.code, 6, "{}", r.stderr);
    let r = run(emu.poolctl().args(["describe", "pool-sold"]));
    assert_run_snapshot!("describe_failed", r);
    let r = run(emu.poolctl().args(["describe", "pool-nowhere"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
}

#[test]
fn a_pool_waiting_for_its_order_says_so_then_runs_once_paid() {
    let order = [
        "--annotation",
        "os.modelarts/billing.mode=1",
        "--annotation",
        "os.modelarts/period.type=2",
    ];
    let emu = Emulator::start(&["--provision-time", "60s"]);
    let r = run(emu
        .poolctl()
        .args(create("pool-order", "modelarts.vm.cpu.8ud", "network-ci"))
        .args(order)
        .args(["--wait", "--wait-timeout", "1s"]));
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("it is still being created: waiting for order CS"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("to be paid"), "{}", r.stderr);
    assert!(r.stderr.contains("hint: pay order CS"), "{}", r.stderr);
    let r = run(emu.poolctl().args(["describe", "pool-order"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Order:        CS"), "{}", r.stdout);

    // The emulator pays an order after half the provision time.
    let emu = Emulator::start(&["--provision-time", "2s"]);
    let r = run(emu
        .poolctl()
        .args(create("pool-order", "modelarts.vm.cpu.8ud", "network-ci"))
        .args(order)
        .args(["--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("pool-order: Waiting (waiting for order CS"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("pool-order: Running"), "{}", r.stderr);
}

#[test]
fn reuse_of_a_pool_being_deleted_is_a_new_pool_to_preflight() {
    // Deleting lasts a quarter of the provision time: 5 s here.
    let emu = Emulator::start(&["--provision-time", "20s"]);
    let sold = create("pool-gone", "modelarts.vm.gpu.v100", "network-ci");
    let r = run(emu.poolctl().args(&sold).arg("--no-preflight"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args(["delete", "pool-gone"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args(&sold).args(["--if-exists", "reuse"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("sold out in every AZ"), "{}", r.stderr);
    assert!(!r.stderr.contains("it will be reused"), "{}", r.stderr);
}
