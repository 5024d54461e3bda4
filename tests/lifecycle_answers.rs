//! diff and apply against pools as a real service may store them, which
//! our emulator never does: numbers as text, arrays in another order,
//! labels, annotations and fields of its own, no `maxCount`, secrets
//! left out, a list cut into pages; and the PATCH answers it may give.

mod common;

use serde_json::{json, Value};

use common::run;
use common::scripted::{answer, Route, Server};

const MANIFEST: &str = "examples/physical-pool.yaml";

/// `examples/physical-pool.yaml` as a service may store it.
fn stored() -> Value {
    json!({
        "kind": "Pool", "apiVersion": "v2",
        "metadata": {
            "name": "pool-ae01-6f5da086",
            "creationTimestamp": "2026-11-29T10:00:00Z",
            "labels": {"os.modelarts/name": "pool-ae01", "os.modelarts/workspace.id": "0",
                       "os.modelarts/tenant.domain.id": "abc", "os.modelarts/resource.id": "x"},
            "annotations": {"os.modelarts/description": "CPU pool for training smoke tests",
                            "os.modelarts/billing.mode": 0,
                            "os.modelarts/flavor.resource.ids": "{}"}
        },
        "spec": {
            "type": "Dedicate",
            "scope": ["Infer", "Train"],
            "network": {"name": "network-21e1", "vpcId": "vpc-1", "subnetId": "sub-1"},
            "resources": [{"flavor": "modelarts.vm.cpu.8ud", "count": "2", "azs": null,
                           "extendParams": {"dockerBaseSize": "50"}}],
            "controlMode": 0
        },
        "status": {"phase": "Running", "resources": {"available": [{"flavor": "modelarts.vm.cpu.8ud", "count": 2}]}}
    })
}

fn list(items: Vec<Value>, next: Option<&str>) -> Value {
    json!({"kind": "List", "apiVersion": "v2", "metadata": {"continue": next}, "items": items})
}

#[test]
fn a_pool_stored_the_services_way_diffs_equal_and_apply_sends_no_write() {
    let manifest = std::fs::read_to_string(MANIFEST).unwrap();
    assert!(
        manifest.contains("Train") && manifest.contains("count: 2"),
        "{manifest}"
    );
    let s = Server::start();
    // The pool is on the second page of the lookup.
    s.answer(
        Route::List,
        &[
            answer(200, list(vec![], Some("p2"))),
            answer(200, list(vec![stored()], None)),
        ],
    );
    let r = run(s.poolctl().args(["diff", "-f", MANIFEST]));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let r = run(s.poolctl().args(["apply", "-f", MANIFEST]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("pool pool-ae01 unchanged"),
        "{}",
        r.stderr
    );
    assert!(s.seen().iter().all(|x| x.method == "GET"), "{:?}", s.seen());
}

#[test]
fn apply_sends_one_merge_patch_of_what_differs_only() {
    let s = Server::start();
    let mut patched = stored();
    patched["spec"]["resources"][0]["count"] = json!(3);
    s.answer(Route::List, &[answer(200, list(vec![stored()], None))])
        .answer(Route::Patch, &[answer(200, patched)]);
    let r = run(s
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--count", "3", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let patches: Vec<_> = s
        .seen()
        .into_iter()
        .filter(|x| x.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 1);
    assert!(
        patches[0].path.ends_with("/pools/pool-ae01-6f5da086"),
        "{}",
        patches[0].path
    );
    assert_eq!(patches[0].content_type, "application/merge-patch+json");
    let body: Value = serde_json::from_str(&patches[0].body).unwrap();
    assert_eq!(
        body,
        json!({"spec": {"resources": [{"flavor": "modelarts.vm.cpu.8ud", "count": 3, "maxCount": 3}]}})
    );
    assert_eq!(s.count("POST", "/pools"), 0);
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(printed["spec"]["resources"][0]["count"], 3);
}

#[test]
fn patch_answers_the_service_may_give() {
    // An empty 200: the pool as found stands for the answer.
    let s = Server::start();
    s.answer(Route::List, &[answer(200, list(vec![stored()], None))])
        .answer(Route::Patch, &[answer(200, json!({}))]);
    let r = run(s
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--count", "3", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(printed["metadata"]["name"], "pool-ae01-6f5da086");

    // A refusal is exit 3 with the service's words.
    let s = Server::start();
    s.answer(Route::List, &[answer(200, list(vec![stored()], None))])
        .answer(
            Route::Patch,
            &[answer(
                409,
                json!({"error_code": "ModelArts.50015003", "error_msg": "pool is Creating"}),
            )],
        );
    let r = run(s.poolctl().args(["apply", "-f", MANIFEST, "--count", "3"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("pool is Creating"), "{}", r.stderr);
    assert!(!r.stderr.contains("already exists"), "{}", r.stderr);
    let s = Server::start();
    s.answer(Route::List, &[answer(200, list(vec![stored()], None))])
        .answer(
            Route::Patch,
            &[answer(400, json!({"error_code": "ModelArts.50004000", "error_msg": "spec.scope cannot change"}))],
        );
    let r = run(s
        .poolctl()
        .args(["apply", "-f", MANIFEST, "--scope", "Train"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("spec.scope cannot change"),
        "{}",
        r.stderr
    );
}

#[test]
fn two_pools_of_one_name_in_a_workspace_are_not_guessed_between() {
    let s = Server::start();
    let mut other = stored();
    other["metadata"]["name"] = json!("pool-ae01-ffff0000");
    s.answer(
        Route::List,
        &[answer(200, list(vec![stored(), other], None))],
    );
    for cmd in ["diff", "apply"] {
        let r = run(s.poolctl().args([cmd, "-f", MANIFEST]));
        assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("2 pools are named pool-ae01 in workspace 0"),
            "{}",
            r.stderr
        );
    }
    assert!(s.seen().iter().all(|x| x.method == "GET"));
}

#[test]
fn a_lookup_that_fails_is_not_taken_for_a_missing_pool() {
    let s = Server::start();
    s.answer(Route::List, &[answer(200, json!({"kind": "List"}))]);
    let r = run(s.poolctl().args(["apply", "-f", MANIFEST]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert_eq!(s.count("POST", "/pools"), 0);
    let r = run(s.poolctl().args(["diff", "-f", MANIFEST]));
    assert_eq!(r.code, 8, "{}", r.stderr);
}

// ------------------------------------------------------------ from a user's review

#[test]
fn reordered_arrays_and_the_services_own_tags_are_not_differences() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tagged.yaml");
    let text = std::fs::read_to_string(MANIFEST).unwrap().replace(
        "    - flavor: modelarts.vm.cpu.8ud\n",
        "    - flavor: modelarts.vm.cpu.8ud\n      tags:\n        - key: a\n          value: \"1\"\n        - key: b\n          value: \"2\"\n",
    );
    assert!(text.contains("key: a"), "{text}");
    std::fs::write(&file, text).unwrap();
    let mut live = stored();
    live["spec"]["resources"][0]["tags"] = json!([
        {"key": "CCE-Dynamic-Provisioning-Node", "value": "x"},
        {"key": "b", "value": "2"},
        {"key": "a", "value": 1}
    ]);
    let s = Server::start();
    s.answer(Route::List, &[answer(200, list(vec![live], None))]);
    let r = run(s.poolctl().arg("diff").arg("-f").arg(&file));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
}

#[test]
fn a_scale_down_is_not_stopped_by_a_flavor_sold_out_since() {
    let s = Server::start();
    let sold: &[(&str, &str)] = &[
        ("ap-southeast-1a", "soldout"),
        ("ap-southeast-1b", "soldout"),
    ];
    let mut smaller = stored();
    smaller["spec"]["resources"][0]["count"] = json!(1);
    s.answer(Route::List, &[answer(200, list(vec![stored()], None))])
        .answer(
            Route::Flavors,
            &[answer(
                200,
                common::scripted::flavors(&[("modelarts.vm.cpu.8ud", sold)]),
            )],
        )
        .answer(Route::Patch, &[answer(200, smaller)]);
    let r = run(s.poolctl().args(["apply", "-f", MANIFEST, "--count", "1"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(s.count("PATCH", "pool-ae01-6f5da086"), 1);
    // Growing it is stopped.
    let r = run(s.poolctl().args(["apply", "-f", MANIFEST, "--count", "3"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(s.count("PATCH", "pool-ae01-6f5da086"), 1);
}

#[test]
fn a_newline_in_a_value_cannot_fake_a_line_of_the_diff() {
    let mut live = stored();
    live["metadata"]["annotations"]["os.modelarts/description"] =
        json!("old\n  ~ spec.fake: a → b\u{1b}[2J");
    let s = Server::start();
    s.answer(Route::List, &[answer(200, list(vec![live], None))]);
    let r = run(s.poolctl().args(["diff", "-f", MANIFEST]));
    assert_eq!(r.code, 9, "{}", r.stderr);
    assert!(!r.stdout.contains("\n  ~ spec.fake"), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}'), "{}", r.stdout);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
}
