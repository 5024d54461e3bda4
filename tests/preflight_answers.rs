//! Preflight, events and orders against answers the service may give that
//! our emulator never does (issue 10): flavors cut into pages, a 403 or a
//! gateway 404 on a preflight read, flavors without AZ states, a network
//! that is not Active, events in pages or refused, hostile event text, an
//! order id on a `Waiting` pool. The scripted server of `common::scripted`
//! answers each route from a queue and records every request.

mod common;

use serde_json::{json, Value};

use common::run;
use common::scripted::{answer, flavors, Route, Server};

const CREATE: &[&str] = &[
    "create",
    "--name",
    "pool-ae01",
    "--flavor",
    "modelarts.vm.gpu.v100",
    "--count",
    "1",
    "--network",
    "network-21e1",
    "--scope",
    "Train",
];

const AZS_SOLD_OUT: &[(&str, &str)] = &[("az-a", "soldout"), ("az-b", "soldout")];
const AZS_NORMAL: &[(&str, &str)] = &[("az-a", "normal"), ("az-b", "normal")];

fn pool(phase: &str, extra: Value) -> Value {
    let mut p = json!({
        "kind": "Pool", "apiVersion": "v2",
        "metadata": {"name": "pool-ae01-6f5da086",
                     "labels": {"os.modelarts/name": "pool-ae01", "os.modelarts/workspace.id": "0"},
                     "annotations": {}},
        "spec": {"type": "Dedicate", "scope": ["Train"], "network": {"name": "network-21e1"},
                 "resources": [{"flavor": "modelarts.vm.gpu.v100", "count": 1}]},
        "status": {"phase": phase, "resources": {}},
    });
    if let (Some(p), Some(extra)) = (p.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            if let (Some(Value::Object(into)), Value::Object(v)) = (p.get_mut(k), v) {
                for (k2, v2) in v {
                    into.insert(k2.clone(), v2.clone());
                }
            }
        }
    }
    p
}

fn posts(s: &Server) -> usize {
    s.count("POST", "/pools")
}

#[test]
fn a_flavor_sold_out_on_the_second_page_stops_the_create_with_exit_3() {
    let s = Server::start();
    let mut first = flavors(&[("modelarts.vm.cpu.8ud", AZS_NORMAL)]);
    first["metadata"] = json!({"continue": "page-2", "remainingItemCount": 1});
    s.answer(
        Route::Flavors,
        &[
            answer(200, first),
            answer(200, flavors(&[("modelarts.vm.gpu.v100", AZS_SOLD_OUT)])),
        ],
    );
    let r = run(s.poolctl().args(CREATE));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "<flags> (--flavor): error: spec.resources[0].flavor: flavor modelarts.vm.gpu.v100 \
             is sold out in every AZ (az-a, az-b)"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was created"), "{}", r.stderr);
    assert!(r.stderr.contains("--no-preflight"), "{}", r.stderr);
    assert_eq!(posts(&s), 0);
    let pages: Vec<String> = s
        .seen()
        .into_iter()
        .filter(|x| x.path.ends_with("/resourceflavors"))
        .map(|x| x.query)
        .collect();
    assert_eq!(pages, ["", "continue=page-2"]);
}

#[test]
fn no_preflight_sends_the_create_without_asking() {
    let s = Server::start();
    s.answer(
        Route::Flavors,
        &[answer(
            200,
            flavors(&[("modelarts.vm.gpu.v100", AZS_SOLD_OUT)]),
        )],
    )
    .answer(Route::Create, &[answer(200, pool("Creating", json!({})))]);
    let r = run(s.poolctl().args(CREATE).arg("--no-preflight"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(posts(&s), 1);
    assert_eq!(s.count("GET", "/resourceflavors"), 0);
    assert_eq!(s.count("GET", "/networks/network-21e1"), 0);
}

#[test]
fn a_refused_or_unreachable_preflight_read_is_a_warning_and_the_create_goes_on() {
    for (route, failure, says) in [
        (
            Route::Flavors,
            answer(403, json!({"error_code": "ModelArts.0203", "error_msg": "no permission"})),
            "preflight: the flavors were not checked: the service refused the read (HTTP 403, ModelArts.0203)",
        ),
        (
            Route::Flavors,
            answer(503, json!({"error_code": "APIG.0201", "error_msg": "busy"})),
            "preflight: the flavors were not checked: list resource flavors",
        ),
        (
            Route::Flavors,
            answer(200, json!({"kind": "List", "items": null})),
            "preflight: the flavors were not checked: the service listed no flavors",
        ),
        (
            Route::Network,
            answer(404, json!({"error_code": "APIG.0101", "error_msg": "The API does not exist"})),
            "preflight: network network-21e1 was not checked",
        ),
        (
            Route::Network,
            answer(403, json!({"error_code": "ModelArts.0203", "error_msg": "no permission"})),
            "preflight: network network-21e1 was not checked: the service refused the read (HTTP 403",
        ),
    ] {
        let s = Server::start();
        if route != Route::Flavors {
            s.answer(Route::Flavors, &[answer(200, flavors(&[("modelarts.vm.gpu.v100", AZS_NORMAL)]))]);
        }
        s.answer(route, &[failure])
            .answer(Route::Create, &[answer(200, pool("Creating", json!({})))]);
        let r = run(s.poolctl().args(CREATE));
        assert_eq!(r.code, 0, "{says}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{says}: {}", r.stderr);
        assert_eq!(posts(&s), 1, "{says}");
    }
}

#[test]
fn a_missing_or_inactive_network_stops_the_create_with_exit_3() {
    for (network, says) in [
        (
            answer(
                404,
                json!({"error_code": "ModelArts.50025001", "error_msg": "network not found"}),
            ),
            "spec.network.name: network network-21e1 does not exist",
        ),
        (
            answer(
                200,
                json!({"metadata": {"name": "network-21e1"}, "status": {"phase": "Abnormal"}}),
            ),
            "spec.network.name: network network-21e1 is Abnormal, not Active",
        ),
    ] {
        let s = Server::start();
        s.answer(
            Route::Flavors,
            &[answer(
                200,
                flavors(&[("modelarts.vm.gpu.v100", AZS_NORMAL)]),
            )],
        )
        .answer(Route::Network, &[network]);
        let r = run(s.poolctl().args(CREATE));
        assert_eq!(r.code, 3, "{says}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{says}: {}", r.stderr);
        assert_eq!(posts(&s), 0);
    }
}

#[test]
fn flavors_without_az_states_or_with_nulls_are_not_judged_sold_out() {
    let s = Server::start();
    s.answer(
        Route::Flavors,
        &[answer(
            200,
            json!({"items": [null, {"metadata": {"name": "modelarts.vm.gpu.v100"}, "spec": null, "status": {"phase": null}}]}),
        )],
    )
    .answer(Route::Create, &[answer(200, pool("Creating", json!({})))]);
    let r = run(s.poolctl().args(CREATE));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(posts(&s), 1);
}

#[test]
fn several_pools_share_one_flavors_read_and_one_read_per_network() {
    let dir = tempfile::tempdir().unwrap();
    let mut docs = String::new();
    for i in 0..3 {
        docs.push_str(&format!(
            "---\napiVersion: v2\nkind: Pool\nmetadata:\n  labels:\n    os.modelarts/name: pool-p{i}x\nspec:\n  type: Dedicate\n  scope: [Train]\n  network:\n    name: network-21e1\n  resources:\n    - flavor: modelarts.vm.cpu.8u\n      count: 1\n"
        ));
    }
    let file = dir.path().join("pools.yaml");
    std::fs::write(&file, docs).unwrap();
    let s = Server::start();
    let r = run(s.poolctl().arg("create").arg("-f").arg(&file));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(
        r.stderr
            .matches("did you mean modelarts.vm.cpu.8ud?")
            .count(),
        3,
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("pools.yaml:13:7: error"), "{}", r.stderr);
    assert_eq!(s.count("GET", "/resourceflavors"), 1);
    assert_eq!(s.count("GET", "/networks/network-21e1"), 1);
    assert_eq!(posts(&s), 0);
}

#[test]
fn reuse_of_an_existing_pool_is_not_stopped_by_preflight() {
    let s = Server::start();
    s.answer(
        Route::Flavors,
        &[answer(
            200,
            flavors(&[("modelarts.vm.gpu.v100", AZS_SOLD_OUT)]),
        )],
    )
    .answer(
        Route::List,
        &[answer(200, json!({"items": [pool("Running", json!({}))]}))],
    )
    .answer(
        Route::Create,
        &[answer(
            409,
            json!({"error_code": "ModelArts.50015000", "error_msg": "exists"}),
        )],
    );
    let r = run(s.poolctl().args(CREATE).args(["--if-exists", "reuse"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("it will be reused"), "{}", r.stderr);
}

#[test]
fn validate_preflight_asks_the_service_and_plain_validate_never_does() {
    let s = Server::start();
    s.answer(
        Route::Flavors,
        &[answer(
            200,
            flavors(&[("modelarts.vm.cpu.8ud", AZS_SOLD_OUT)]),
        )],
    );
    let r = run(s
        .poolctl()
        .args(["validate", "-f", "examples/physical-pool.yaml"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(s.seen().is_empty(), "{:?}", s.seen());
    let r = run(s.poolctl().args([
        "validate",
        "--preflight",
        "-f",
        "examples/physical-pool.yaml",
    ]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stdout.contains("examples/physical-pool.yaml:18:7: error")
            && r.stdout
                .contains("flavor modelarts.vm.cpu.8ud is sold out in every AZ (az-a, az-b)"),
        "{}",
        r.stdout
    );
    assert_eq!(s.count("GET", "/resourceflavors"), 1);
    assert_eq!(posts(&s), 0);
}

#[test]
fn a_failed_pool_shows_its_warning_events_safely_and_in_order() {
    let s = Server::start();
    let events = |items: Value, next: Option<&str>| json!({"kind": "List", "metadata": {"continue": next}, "items": items});
    s.answer(Route::Create, &[answer(200, pool("Creating", json!({})))])
        .answer(
            Route::Show,
            &[answer(200, pool("CreationFailed", json!({"status": {"message": "insufficient capacity"}})))],
        )
        .answer(
            Route::Events,
            &[
                answer(
                    200,
                    events(
                        json!([
                            {"type": "Warning", "reason": "FlavorSoldOut", "message": "no v100 left\u{1b}[2J\nerror: fake line",
                             "count": "3", "firstTimestamp": "2026-11-29T10:00:00Z", "lastTimestamp": "2026-11-29T10:05:00Z"},
                            {"type": "Normal", "reason": "PoolCreating", "message": "creating", "lastTimestamp": "2026-11-29T09:59:00Z"}
                        ]),
                        Some("e2"),
                    ),
                ),
                answer(
                    200,
                    events(
                        json!([{"type": "Warning", "reason": "PoolCreationFailed", "message": null,
                                "lastTimestamp": "2026-11-29T10:06:00Z"}]),
                        None,
                    ),
                ),
            ],
        );
    let r = run(s.poolctl().args(CREATE).args(["--no-preflight", "--wait"]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    let sold_out = r
        .stderr
        .find("FlavorSoldOut: no v100 left")
        .expect(&r.stderr);
    let failed = r
        .stderr
        .find("PoolCreationFailed: (no message)")
        .expect(&r.stderr);
    assert!(sold_out < failed, "oldest first: {}", r.stderr);
    assert!(
        r.stderr.contains("(3 times, last 2026-11-29T10:05:00Z)"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("PoolCreating"),
        "only warnings: {}",
        r.stderr
    );
    assert!(!r.stderr.contains('\u{1b}'), "{}", r.stderr);
    assert!(!r.stderr.contains("\nerror: fake line"), "{}", r.stderr);
    let asked: Vec<String> = s
        .seen()
        .into_iter()
        .filter(|x| x.path.ends_with("/events"))
        .map(|x| x.query)
        .collect();
    assert_eq!(asked.len(), 2);
    assert!(asked[0].contains("resource=pools") && asked[0].contains("name=pool-ae01-6f5da086"));
    assert!(asked[0].contains("type=Warning"), "{}", asked[0]);
}

#[test]
fn events_that_cannot_be_read_do_not_hide_the_failure() {
    let s = Server::start();
    s.answer(Route::Create, &[answer(200, pool("Creating", json!({})))])
        .answer(Route::Show, &[answer(200, pool("Abnormal", json!({})))])
        .answer(
            Route::Events,
            &[answer(
                403,
                json!({"error_code": "ModelArts.0203", "error_msg": "no permission"}),
            )],
        );
    let r = run(s.poolctl().args(CREATE).args(["--no-preflight", "--wait"]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("reached phase Abnormal"), "{}", r.stderr);
    assert!(
        r.stderr.contains("(its events could not be read:"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_pool_waiting_for_its_order_says_so_in_progress_and_on_timeout() {
    let s = Server::start();
    let waiting = pool(
        "Waiting",
        json!({"metadata": {"annotations": {"os.modelarts/order.id": "CS2611291200ABCD", "os.modelarts/billing.mode": "1"}}}),
    );
    s.answer(Route::Create, &[answer(200, waiting.clone())])
        .answer(Route::Show, &[answer(200, waiting)]);
    let r = run(s.poolctl().args(CREATE).args([
        "--no-preflight",
        "--wait",
        "--wait-timeout",
        "2s",
        "--annotation",
        "os.modelarts/billing.mode=1",
    ]));
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("pool-ae01: Waiting (waiting for order CS2611291200ABCD to be paid)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("it is still being created: waiting for order CS2611291200ABCD to be paid"),
        "{}",
        r.stderr
    );
}

#[test]
fn describe_reads_what_it_can_and_says_what_it_cannot() {
    let s = Server::start();
    let p = pool(
        "Running",
        json!({"status": {"scope": [{"scopeType": "Train", "state": "Enabled"}, null],
                          "driver": {"gpu": {"version": "440.33", "state": "Running"}, "npu": null},
                          "resources": {"available": [{"flavor": "modelarts.vm.gpu.v100", "count": "1", "azs": null}]}}}),
    );
    s.answer(Route::Show, &[answer(200, p)]).answer(
        Route::Events,
        &[answer(
            500,
            json!({"error_code": "ModelArts.0001", "error_msg": "oops"}),
        )],
    );
    let r = run(s.poolctl().args(["describe", "pool-ae01-6f5da086"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        "Phase:        Running",
        "Scope:        Train Enabled",
        "Driver:       gpu 440.33 Running",
        "modelarts.vm.gpu.v100  -   1       0         1          0         0",
        "Events:\n  <could not be read:",
    ] {
        assert!(r.stdout.contains(line), "{line}\n{}", r.stdout);
    }
    assert!(r.stderr.contains("could not be read"), "{}", r.stderr);
    let r = run(s
        .poolctl()
        .args(["describe", "pool-ae01-6f5da086", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["pool"]["metadata"]["name"], "pool-ae01-6f5da086");
    assert_eq!(v["events"], Value::Null);
}

#[test]
fn flavors_lists_every_page_and_filters() {
    let s = Server::start();
    let mut first = flavors(&[("modelarts.vm.cpu.8ud", AZS_NORMAL)]);
    first["metadata"] = json!({"continue": "2"});
    let mut second = flavors(&[("modelarts.vm.gpu.v100", AZS_SOLD_OUT)]);
    second["items"][0]["spec"]["gpu"] = json!({"type": "nvidia-v100", "size": 1});
    s.answer(Route::Flavors, &[answer(200, first), answer(200, second)]);
    let r = run(s.poolctl().args(["flavors"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    assert!(lines[0].starts_with("NAME"), "{}", r.stdout);
    assert!(
        lines[2].contains("gpu")
            && lines[2].contains("nvidia-v100 x 1")
            && lines[2].ends_with("az-a,az-b"),
        "{}",
        r.stdout
    );
}

// ------------------------------------------------------------ from a user's review

#[test]
fn network_and_flavor_states_preflight_does_not_know_are_warnings_not_refusals() {
    for (phase, warns) in [
        ("active", false),
        ("ACTIVE", false),
        ("Available", true),
        ("", true),
    ] {
        let s = Server::start();
        s.answer(
            Route::Flavors,
            &[answer(
                200,
                flavors(&[("modelarts.vm.gpu.v100", AZS_NORMAL)]),
            )],
        )
        .answer(
            Route::Network,
            &[answer(
                200,
                json!({"metadata": {"name": "network-21e1"}, "status": {"phase": phase}}),
            )],
        )
        .answer(Route::Create, &[answer(200, pool("Creating", json!({})))]);
        let r = run(s.poolctl().args(CREATE));
        assert_eq!(r.code, 0, "{phase:?}: {}", r.stderr);
        assert_eq!(
            r.stderr.contains("which preflight does not know"),
            warns,
            "{phase:?}: {}",
            r.stderr
        );
        assert_eq!(posts(&s), 1);
    }
    let s = Server::start();
    let odd: &[(&str, &str)] = &[("az-a", "abandon"), ("az-b", "soldout")];
    s.answer(
        Route::Flavors,
        &[answer(200, flavors(&[("modelarts.vm.gpu.v100", odd)]))],
    )
    .answer(Route::Create, &[answer(200, pool("Creating", json!({})))]);
    let r = run(s.poolctl().args(CREATE));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("flavor modelarts.vm.gpu.v100 is in a state preflight does not know (az-a: abandon); not judged"),
        "{}",
        r.stderr
    );
    // Not listed as available either.
    let r = run(s.poolctl().args(["flavors"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("-             az-b,az-a(abandon)"),
        "{}",
        r.stdout
    );
    let r = run(s.poolctl().args(["flavors", "--available"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("v100"), "{}", r.stdout);
    let r = run(s.poolctl().args(["flavors", "-o", "json"]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["apiVersion"], "v1");
}

#[test]
fn a_network_name_no_path_can_carry_is_left_to_the_service() {
    let s = Server::start();
    s.answer(
        Route::Flavors,
        &[answer(
            200,
            flavors(&[("modelarts.vm.gpu.v100", AZS_NORMAL)]),
        )],
    )
    .answer(Route::Create, &[answer(200, pool("Creating", json!({})))]);
    let mut args: Vec<&str> = CREATE.to_vec();
    args[8] = "network one/two";
    let r = run(s.poolctl().args(&args));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("preflight: network network one/two was not checked"),
        "{}",
        r.stderr
    );
    assert_eq!(posts(&s), 1);
}

#[test]
fn validate_preflight_counts_what_it_could_not_check_and_says_when_it_did_not_run() {
    let s = Server::start();
    let refused = answer(
        403,
        json!({"error_code": "ModelArts.0203", "error_msg": "no permission"}),
    );
    s.answer(Route::Flavors, std::slice::from_ref(&refused))
        .answer(Route::Network, &[refused]);
    let r = run(s.poolctl().args([
        "validate",
        "--preflight",
        "-f",
        "examples/physical-pool.yaml",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 errors, 2 warnings"), "{}", r.stdout);
    assert!(
        r.stdout.contains("the flavors were not checked"),
        "{}",
        r.stdout
    );
    // With a local error, nothing is asked, and it says so.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yaml");
    std::fs::write(
        &file,
        std::fs::read_to_string("examples/physical-pool.yaml")
            .unwrap()
            .replace("count: 2", "count: 0"),
    )
    .unwrap();
    let before = s.seen().len();
    let r = run(s
        .poolctl()
        .arg("validate")
        .arg("--preflight")
        .arg("-f")
        .arg(&file));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("preflight: not run"), "{}", r.stderr);
    assert_eq!(s.seen().len(), before);
}

#[test]
fn events_are_ordered_by_instant_over_many_pages_in_the_pools_workspace() {
    let s = Server::start();
    let mut pages = Vec::new();
    for i in 0..150 {
        pages.push(answer(
            200,
            json!({"metadata": {"continue": format!("p{}", i + 1)},
                   "items": [{"type": "Normal", "reason": format!("Filler{i}"), "lastTimestamp": "2026-11-29T01:00:00Z"}]}),
        ));
    }
    pages.push(answer(
        200,
        json!({"metadata": {}, "items": [
            // 02:30Z is before 11:00+08:00 (03:00Z); an epoch time of 04:00Z is last.
            {"type": "Warning", "reason": "Third", "message": "c", "lastTimestamp": 1_795_924_800u64},
            {"type": "Warning", "reason": "Second", "message": "b", "lastTimestamp": "2026-11-29T11:00:00+08:00"},
            {"type": "Warning", "reason": "First", "message": "a", "lastTimestamp": "2026-11-29T02:30:00.5Z"}
        ]}),
    ));
    let failed = pool(
        "CreationFailed",
        json!({"metadata": {"labels": {"os.modelarts/workspace.id": "ws1"}}}),
    );
    s.answer(Route::Create, &[answer(200, pool("Creating", json!({})))])
        .answer(Route::Show, &[answer(200, failed)])
        .answer(Route::Events, &pages);
    let r =
        run(s
            .poolctl()
            .args(CREATE)
            .args(["--no-preflight", "--wait", "--workspace-id", "ws1"]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    let (a, b, c) = (
        r.stderr.find("First: a").expect(&r.stderr),
        r.stderr.find("Second: b").expect(&r.stderr),
        r.stderr
            .find("Third: c (last 2026-11-29T04:00:00Z)")
            .expect(&r.stderr),
    );
    assert!(a < b && b < c, "{}", r.stderr);
    let asked: Vec<String> = s
        .seen()
        .into_iter()
        .filter(|x| x.path.ends_with("/events"))
        .map(|x| x.query)
        .collect();
    assert_eq!(asked.len(), 151);
    assert!(
        asked.iter().all(|q| q.contains("workspaceId=ws1")),
        "{}",
        asked[0]
    );
}
