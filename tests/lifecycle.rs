//! Issue 11 through the real binary against the emulator: a pool's whole
//! life without a state file. apply creates, an unchanged apply sends no
//! write, a count change is one PATCH and `--wait` sees the nodes come,
//! diff exits 9 then 0, a network change is refused with nothing sent, a
//! scale can fail, and delete takes names, manifests and labels. What
//! requests went out is read from `-vv`'s trace.

mod common;

use serde_json::Value;

use common::{pools_named, run, Emulator, Run};

const MANIFEST: &str = "examples/physical-pool.yaml";

/// The requests of a `-vv` run: `METHOD path`.
fn requests(r: &Run) -> Vec<String> {
    r.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("> "))
        .filter(|l| {
            ["GET ", "POST ", "PATCH ", "DELETE ", "PUT "]
                .iter()
                .any(|m| l.starts_with(m))
        })
        .map(str::to_string)
        .collect()
}

fn writes(r: &Run) -> Vec<String> {
    requests(r)
        .into_iter()
        .filter(|l| !l.starts_with("GET "))
        .collect()
}

#[test]
fn apply_creates_then_sends_nothing_then_one_patch_and_diff_follows() {
    let emu = Emulator::start(&["--provision-time", "2s"]);

    let r = run(emu.poolctl().args(["diff", "-f", MANIFEST]));
    assert_eq!(r.code, 9, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("pool pool-ae01 (workspace 0): would be created"),
        "{}",
        r.stdout
    );

    let r = run(emu
        .poolctl()
        .args(["-vv", "apply", "-f", MANIFEST, "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(writes(&r).len(), 1, "{:?}", writes(&r));
    assert!(writes(&r)[0].starts_with("POST "), "{:?}", writes(&r));
    assert_eq!(pools_named(&emu, "pool-ae01").len(), 1);

    // Applied once, equal at once: one read, nothing else.
    let r = run(emu.poolctl().args(["-vv", "apply", "-f", MANIFEST]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(requests(&r).len(), 1, "{:?}", requests(&r));
    assert!(
        r.stderr.contains("pool pool-ae01 unchanged"),
        "{}",
        r.stderr
    );
    let r = run(emu.poolctl().args(["diff", "-f", MANIFEST]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.ends_with("workspace 0): unchanged\n"),
        "{}",
        r.stdout
    );

    let r = run(emu.poolctl().args(["diff", "-f", MANIFEST, "--count", "3"]));
    assert_eq!(r.code, 9, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("  ~ spec.resources[modelarts.vm.cpu.8ud].count: 2 → 3"),
        "{}",
        r.stdout
    );

    // One PATCH, merge-patch content type, the new count; --wait sees the nodes come.
    let r = run(emu
        .poolctl()
        .args(["-vv", "apply", "-f", MANIFEST, "--count", "3", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let w = writes(&r);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("PATCH ") && w[0].contains("/pools/pool-ae01-"),
        "{w:?}"
    );
    let after_patch = r.stderr.split("> PATCH ").nth(1).unwrap();
    assert!(
        after_patch.contains("> Content-Type: application/merge-patch+json"),
        "{after_patch}"
    );
    assert!(
        after_patch.contains(
            r#"> {"spec":{"resources":[{"count":3,"flavor":"modelarts.vm.cpu.8ud","maxCount":3}]}}"#
        ),
        "{after_patch}"
    );
    assert!(
        r.stderr.contains("pool-ae01: Running, 3/3 nodes available"),
        "{}",
        r.stderr
    );

    let r = run(emu.poolctl().args(["diff", "-f", MANIFEST, "--count", "3"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn a_change_only_a_new_pool_can_have_is_refused_with_nothing_sent() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--wait", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args([
        "-vv",
        "apply",
        "-f",
        MANIFEST,
        "--network",
        "network-other",
        "--count",
        "3",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(writes(&r).is_empty(), "{:?}", writes(&r));
    assert!(
        r.stderr.contains(
            "pool pool-ae01: spec.network.name is network-21e1, the manifest says network-other: \
             the service cannot change it in place"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was sent"), "{}", r.stderr);
    let r = run(emu.poolctl().args([
        "diff",
        "-f",
        MANIFEST,
        "--network",
        "network-other",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 9, "{}", r.stderr);
    let plan: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(plan["items"][0]["action"], "replace");
    assert_eq!(
        plan["items"][0]["differences"][0]["path"],
        "spec.network.name"
    );
    assert_eq!(plan["items"][0]["differences"][0]["inPlace"], false);
}

#[test]
fn dry_run_prints_the_patch_and_sends_no_write() {
    let emu = Emulator::start(&[]);
    let r = run(emu
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--wait", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args([
        "-vv",
        "apply",
        "-f",
        MANIFEST,
        "--count",
        "4",
        "--description",
        "bigger",
        "--dry-run",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(writes(&r).is_empty(), "{:?}", writes(&r));
    let plan: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(plan["items"][0]["action"], "patch");
    assert_eq!(
        plan["items"][0]["patch"]["metadata"]["annotations"]["os.modelarts/description"],
        "bigger"
    );
    assert_eq!(
        plan["items"][0]["patch"]["spec"]["resources"][0]["count"],
        4
    );
}

#[test]
fn a_scale_onto_a_sold_out_flavor_ends_scaling_failed_with_the_services_event() {
    let emu = Emulator::start(&["--provision-time", "2s"]);
    let r = run(emu
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--wait", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Preflight would stop it: this is about the service's own failure.
    let r = run(emu.poolctl().args([
        "apply",
        "-f",
        MANIFEST,
        "--resource",
        "flavor=modelarts.vm.cpu.8ud,count=2",
        "--resource",
        "flavor=modelarts.vm.gpu.v100,count=1",
        "--no-preflight",
        "--wait",
    ]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains("reached phase ScalingFailed"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("recent warning events:"), "{}", r.stderr);
    assert!(r.stderr.contains("ScalingFailed: "), "{}", r.stderr);
    // The failed count is now the pool's spec: the same apply finds no
    // difference, and must not call that a success.
    let r = run(emu.poolctl().args([
        "-vv",
        "apply",
        "-f",
        MANIFEST,
        "--resource",
        "flavor=modelarts.vm.cpu.8ud,count=2",
        "--resource",
        "flavor=modelarts.vm.gpu.v100,count=1",
        "--no-preflight",
    ]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("is as the manifest says, but ScalingFailed"),
        "{}",
        r.stderr
    );
    assert!(writes(&r).is_empty(), "{:?}", writes(&r));
    // With preflight, the same apply stops before the patch.
    let r = run(emu.poolctl().args([
        "apply",
        "-f",
        MANIFEST,
        "--resource",
        "flavor=modelarts.vm.cpu.8ud,count=2",
        "--resource",
        "flavor=modelarts.vm.gpu.v100,count=2",
    ]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("sold out in every AZ"), "{}", r.stderr);
}

#[test]
fn delete_by_names_by_manifest_and_by_label() {
    let emu = Emulator::start(&[]);
    for name in ["pool-del-a", "pool-del-b", "pool-del-c"] {
        let r = run(emu.poolctl().args([
            "create",
            "-f",
            MANIFEST,
            "--name",
            name,
            "--label",
            "ci.run=42",
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let r = run(emu.poolctl().args(["apply", "-f", MANIFEST]));
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Several names, one of them unknown: the others go, exit 3.
    let r = run(emu
        .poolctl()
        .args(["delete", "pool-del-a", "pool-nowhere", "-o", "json"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("error: pool pool-nowhere:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("1 of 2 pools were not deleted"),
        "{}",
        r.stderr
    );
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["status"]["phase"], "Deleting");
    // --ignore-not-found: exit 0.
    let r = run(emu
        .poolctl()
        .args(["delete", "pool-nowhere", "--ignore-not-found"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("pool pool-nowhere not found; nothing to delete"),
        "{}",
        r.stderr
    );

    // By label: it says what it deletes; pools already being deleted are not deleted twice.
    let r = run(emu
        .poolctl()
        .args(["-vv", "delete", "-l", "ci.run=42", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("deleting 3 pools with the labels ci.run=42: pool-del-"),
        "{}",
        r.stderr
    );
    assert_eq!(
        writes(&r)
            .iter()
            .filter(|w| w.starts_with("DELETE "))
            .count(),
        2,
        "{:?}",
        writes(&r)
    );
    for name in ["pool-del-a", "pool-del-b", "pool-del-c"] {
        assert!(pools_named(&emu, name).is_empty(), "{name}");
    }

    // By the manifest that made it, in its workspace.
    let r = run(emu.poolctl().args(["delete", "-f", MANIFEST, "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("pool pool-ae01 ("), "{}", r.stdout);
    assert!(pools_named(&emu, "pool-ae01").is_empty());
    let r = run(emu.poolctl().args(["delete", "-f", MANIFEST]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    // With the name a run gave it, as create and apply take it.
    let r = run(emu
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--name", "pool-run-7"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu
        .poolctl()
        .args(["delete", "-f", MANIFEST, "--name", "pool-run-7"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("pool pool-run-7 ("), "{}", r.stdout);
    let r = run(emu
        .poolctl()
        .args(["delete", "-f", MANIFEST, "--ignore-not-found"]));
    assert_eq!(r.code, 0, "{}", r.stderr);

    // An empty selector would match everything: refused.
    let r = run(emu.poolctl().args(["delete", "-l", " "]));
    assert_eq!(r.code, 2, "{}", r.stderr);
}

// ------------------------------------------------------------ from a user's review

#[test]
fn a_scale_that_keeps_the_total_is_waited_for_flavor_by_flavor() {
    let emu = Emulator::start(&["--provision-time", "2s"]);
    let two = |a: &str, b: &str| {
        vec![
            "--resource".to_string(),
            format!("flavor=modelarts.vm.cpu.8ud,count={a}"),
            "--resource".to_string(),
            format!("flavor=modelarts.vm.cpu.4u8,count={b}"),
        ]
    };
    let r = run(emu
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--wait", "-q"])
        .args(two("2", "3")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--wait", "-o", "json"])
        .args(two("3", "2")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pool: Value = serde_json::from_str(&r.stdout).unwrap();
    let status = &pool["status"]["resources"];
    for state in ["creating", "deleting"] {
        let moving = status[state].as_array().map_or(0, |a| a.len());
        assert_eq!(moving, 0, "{state}: {status}");
    }
}

#[test]
fn a_pool_being_deleted_is_created_anew_and_a_missing_label_is_a_difference() {
    let emu = Emulator::start(&["--provision-time", "2s"]);
    let r = run(emu
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--wait", "-q", "-o", "name"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = r.stdout.trim().to_string();
    let r = run(emu.poolctl().args(["delete", "pool-ae01"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu.poolctl().args(["diff", "-f", MANIFEST]));
    assert_eq!(r.code, 9, "{}", r.stderr);
    assert!(r.stdout.contains("would be created"), "{}", r.stdout);
    let r = run(emu.poolctl().args(["apply", "-f", MANIFEST, "-o", "name"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_ne!(r.stdout.trim(), first, "a new pool: {}", r.stderr);
    // A label the manifest adds and the pool lacks needs a new pool.
    let r = run(emu
        .poolctl()
        .args(["-vv", "apply", "-f", MANIFEST, "--label", "team=ml"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("metadata.labels.\"team\" is (none), the manifest says ml"),
        "{}",
        r.stderr
    );
    assert!(writes(&r).is_empty(), "{:?}", writes(&r));
    // So does an order id: billing.
    let r = run(emu.poolctl().args([
        "-vv",
        "apply",
        "-f",
        MANIFEST,
        "--annotation",
        "os.modelarts/order.id=abc",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(writes(&r).is_empty(), "{:?}", writes(&r));
}

#[test]
fn a_change_to_a_pool_still_being_created_waits_for_it_with_wait_only() {
    let emu = Emulator::start(&["--provision-time", "3s"]);
    let r = run(emu.poolctl().args(["apply", "-f", MANIFEST]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(emu
        .poolctl()
        .args(["-vv", "apply", "-f", MANIFEST, "--count", "3"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("it is Creating; the service changes a pool once it is Running"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("apply again with --wait"), "{}", r.stderr);
    assert!(writes(&r).is_empty(), "{:?}", writes(&r));
    let r = run(emu
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--count", "3", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("waiting until it runs, then changing it"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("pool-ae01: Running, 3/3 nodes available"),
        "{}",
        r.stderr
    );
}
