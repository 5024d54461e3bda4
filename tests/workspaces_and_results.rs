//! Issue 8 against the emulator, through the binary: workspaces in every
//! lookup, the last state as the result of a failed wait, and the smaller
//! rules of waiting and reuse.

mod common;

use serde_json::Value;

use common::{run, Emulator, Run};

fn create(name: &str, count: &str) -> Vec<String> {
    [
        "create",
        "--name",
        name,
        "--flavor",
        "modelarts.vm.cpu.8ud",
        "--count",
        count,
        "--network",
        "network-21e1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn pools_in(emu: &Emulator, workspace: &str) -> Vec<Value> {
    let r = run(emu
        .poolctl()
        .args(["list", "-o", "json", "--workspace-id", workspace]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(&r)["items"].as_array().unwrap().clone()
}

#[test]
fn the_same_name_in_two_workspaces_is_two_pools() {
    let emu = Emulator::start(&[]);
    // pool-ae01 in workspace 0 with one node, in ws1 with two.
    let r = run(emu
        .poolctl()
        .args(create("pool-ae01", "1"))
        .args(["-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let in_0 = json(&r)["metadata"]["name"].as_str().unwrap().to_string();
    let r = run(emu.poolctl().args(create("pool-ae01", "2")).args([
        "--workspace-id",
        "ws1",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let in_ws1 = json(&r)["metadata"]["name"].as_str().unwrap().to_string();
    assert_ne!(in_0, in_ws1);
    assert_eq!(
        json(&r)["metadata"]["labels"]["os.modelarts/workspace.id"],
        "ws1"
    );

    // Reuse in ws1 adopts the ws1 pool, without a warning of differences.
    let r = run(emu.poolctl().args(create("pool-ae01", "2")).args([
        "--workspace-id",
        "ws1",
        "--if-exists",
        "reuse",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r)["metadata"]["name"], in_ws1.as_str());
    assert!(!r.stderr.contains("differs"), "{}", r.stderr);
    // The environment variable does the same as the flag.
    let r = run(emu.poolctl().env("POOLCTL_WORKSPACE_ID", "ws1").args([
        "get",
        "pool-ae01",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r)["metadata"]["name"], in_ws1.as_str());
    // Without it, workspace 0's.
    let r = run(emu.poolctl().args(["get", "pool-ae01", "-o", "json"]));
    assert_eq!(json(&r)["metadata"]["name"], in_0.as_str());

    // Reusing with a different count warns with the difference.
    let r = run(emu
        .poolctl()
        .args(create("pool-ae01", "3"))
        .args(["--if-exists", "reuse"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("differs from the request, and is reused as it is: spec.resources[modelarts.vm.cpu.8ud].count is 1, the request says 3"),
        "{}",
        r.stderr
    );

    assert_eq!(pools_in(&emu, "0").len(), 1);
    assert_eq!(pools_in(&emu, "ws1").len(), 1);
    // A metadata.name of another workspace is not taken, and the hint says where it is.
    let r = run(emu.poolctl().args(["get", &in_ws1]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("is in workspace ws1; add --workspace-id ws1"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_pool_only_in_another_workspace_is_reused_on_rerun() {
    let emu = Emulator::start(&[]);
    let args = || {
        let mut a = create("pool-ci-7", "1");
        a.extend(["--workspace-id", "ws1", "--if-exists", "reuse"].map(String::from));
        a
    };
    let r = run(emu.poolctl().args(args()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args(args()));
    assert_eq!(r.code, 0, "re-run of a pipeline: {}", r.stderr);
    assert!(r.stderr.contains("reusing it"), "{}", r.stderr);
    assert_eq!(pools_in(&emu, "ws1").len(), 1);
    assert_eq!(pools_in(&emu, "0").len(), 0);
    let r = run(emu
        .poolctl()
        .args(["wait", "pool-ci-7", "--workspace-id", "ws1", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args([
        "delete",
        "pool-ci-7",
        "--workspace-id",
        "ws1",
        "--wait",
        "-q",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(pools_in(&emu, "ws1").len(), 0);
}

#[test]
fn a_lost_create_answer_in_another_workspace_is_recovered() {
    let emu = Emulator::start(&["--faults", "post:reset-after*1"]);
    let r = run(emu.poolctl().args(create("pool-lost", "1")).args([
        "--workspace-id",
        "ws1",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("answer recovered"), "{}", r.stderr);
    assert_eq!(pools_in(&emu, "ws1").len(), 1);
}

#[test]
fn a_manifests_workspace_wins_for_its_own_pool() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string("examples/physical-pool.yaml").unwrap();
    let with_label = manifest.replace(
        "os.modelarts/workspace.id: \"0\"",
        "os.modelarts/workspace.id: ws-manifest",
    );
    let without = manifest.replace("    os.modelarts/workspace.id: \"0\"\n", "");
    assert!(with_label.contains("ws-manifest") && !without.contains("workspace.id"));
    let dry = |text: &str| {
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, text).unwrap();
        let r = run(common::poolctl().args([
            "create",
            "-f",
            path.to_str().unwrap(),
            "--workspace-id",
            "ws-flag",
            "--dry-run",
            "-o",
            "json",
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        json(&r)["metadata"]["labels"]["os.modelarts/workspace.id"].clone()
    };
    assert_eq!(dry(&with_label), "ws-manifest");
    // A manifest that names none takes the flag's.
    assert_eq!(dry(&without), "ws-flag");
}

#[test]
fn a_failed_or_timed_out_wait_still_prints_the_pool() {
    let emu = Emulator::start(&["--provision-time", "20m"]);
    // Timed out: exit 7, and the pool to inspect or clean up on stdout.
    let r = run(emu.poolctl().args(create("pool-slow", "1")).args([
        "--wait",
        "--wait-timeout",
        "1s",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 7, "{}", r.stderr);
    let pool = json(&r);
    assert_eq!(pool["metadata"]["labels"]["os.modelarts/name"], "pool-slow");
    assert!(pool["metadata"]["name"].is_string());
    // In another workspace, the resume command names it.
    let r = run(emu.poolctl().args(create("pool-slow", "1")).args([
        "--workspace-id",
        "ws1",
        "--wait",
        "--wait-timeout",
        "1s",
    ]));
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("follow it with: poolctl wait pool-slow --workspace-id ws1"),
        "{}",
        r.stderr
    );

    // Failed (a sold-out flavor): exit 6, and its last state.
    let mut args = create("pool-soldout", "1");
    args[4] = "modelarts.vm.gpu.v100".into();
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .args(args)
        .args(["--wait", "-o", "json", "--no-preflight"]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert_eq!(json(&r)["status"]["phase"], "CreationFailed");
}

#[test]
fn waits_check_once_with_a_zero_timeout_and_never_take_absence_for_deletion() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .args(create("pool-zero", "1"))
        .args(["--wait", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu
        .poolctl()
        .args(["wait", "pool-zero", "--wait-timeout", "0s", "-o", "json"]));
    assert_eq!(r.code, 0, "a Running pool is Running at once: {}", r.stderr);
    assert_eq!(json(&r)["status"]["phase"], "Running");

    let r = run(emu
        .poolctl()
        .args(["wait", "pool-never-was", "--for", "deleted"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
}

#[test]
fn reuse_waits_out_a_pool_being_deleted_then_creates_it() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .args(create("pool-again", "1"))
        .args(["-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = json(&r)["metadata"]["name"].as_str().unwrap().to_string();
    let r = run(emu.poolctl().args(["delete", "pool-again"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args(create("pool-again", "1")).args([
        "--if-exists",
        "reuse",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("is being deleted; waiting"),
        "{}",
        r.stderr
    );
    let second = json(&r)["metadata"]["name"].as_str().unwrap().to_string();
    assert_ne!(first, second, "a new pool, not the one being deleted");
    assert!(!r.stderr.contains("poolctl delete"), "{}", r.stderr);
}

#[test]
fn a_logical_pool_shows_its_share_not_zero_nodes() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .args(["create", "-f", "examples/logical-pool.yaml", "--wait", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args(["list"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("share"), "{}", r.stdout);
    assert!(!r.stdout.contains(" 0/"), "{}", r.stdout);
}

#[test]
fn open_telekom_cloud_regions_resolve_to_their_own_hosts() {
    let r = run(common::poolctl()
        .env("HUAWEICLOUD_SDK_AK", "AK")
        .env("HUAWEICLOUD_SDK_SK", "SK-CANARY")
        .args(["--show-settings", "list", "--region", "eu-de"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("\"https://modelarts.eu-de.otc.t-systems.com\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("\"https://iam.eu-de.otc.t-systems.com\""),
        "{}",
        r.stdout
    );
    let r = run(common::poolctl()
        .env("HUAWEICLOUD_SDK_AK", "AK")
        .env("HUAWEICLOUD_SDK_SK", "SK-CANARY")
        .args([
            "--show-settings",
            "list",
            "--endpoint",
            "https://modelarts.eu-nl.otc.t-systems.com",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("\"https://iam.eu-nl.otc.t-systems.com\""),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("myhuaweicloud"), "{}", r.stdout);
    assert!(!r.stdout.contains("SK-CANARY"));
}

#[test]
fn delete_prints_the_pool_as_json_and_its_last_state_on_a_timeout() {
    let emu = Emulator::start(&["--provision-time", "1s"]);
    let r = run(emu.poolctl().args(create("pool-del", "1")).args(["-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args(["delete", "pool-del", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r)["status"]["phase"], "Deleting");

    let emu = Emulator::start(&["--provision-time", "20m"]);
    let r = run(emu.poolctl().args(create("pool-del", "1")).args(["-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args([
        "delete",
        "pool-del",
        "--wait",
        "--wait-timeout",
        "1s",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert_eq!(json(&r)["status"]["phase"], "Deleting");
    assert!(
        r.stderr
            .contains("poolctl delete pool-del --wait --ignore-not-found"),
        "{}",
        r.stderr
    );
}

#[test]
fn validate_and_create_agree_on_the_same_name_twice() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string("examples/physical-pool.yaml").unwrap();
    let labelled = dir.path().join("labelled.yaml");
    std::fs::write(&labelled, &manifest).unwrap();
    let unlabelled = dir.path().join("unlabelled.yaml");
    std::fs::write(
        &unlabelled,
        manifest.replace("    os.modelarts/workspace.id: \"0\"\n", ""),
    )
    .unwrap();
    let files = [
        "-f",
        labelled.to_str().unwrap(),
        "-f",
        unlabelled.to_str().unwrap(),
    ];
    // No label is workspace 0, the API's default: the same workspace.
    let r = run(common::poolctl().arg("validate").args(files));
    assert_eq!(r.code, 2, "{}", r.stdout);
    let r = run(common::poolctl().args(["create", "--dry-run"]).args(files));
    assert_eq!(r.code, 2, "{}", r.stderr);
    // With --workspace-id the unlabelled pool goes elsewhere, for both.
    let r = run(common::poolctl()
        .args(["validate", "--workspace-id", "ws1"])
        .args(files));
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = run(common::poolctl()
        .args(["create", "--dry-run", "--workspace-id", "ws1"])
        .args(files));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // And the labelled one says its own workspace won over the flag.
    assert!(
        r.stderr
            .contains("the manifest's `0` wins over --workspace-id ws1 for this pool"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_tables_own_endpoint_gets_the_tables_iam_host() {
    let r = run(common::poolctl()
        .env("HUAWEICLOUD_SDK_AK", "AK")
        .env("HUAWEICLOUD_SDK_SK", "SK")
        .args([
            "--show-settings",
            "list",
            "--endpoint",
            "https://MODELARTS.ap-southeast-1.myhuaweicloud.cn",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("\"https://iam.ap-southeast-1.myhuaweicloud.com\""),
        "{}",
        r.stdout
    );
}
