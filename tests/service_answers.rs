//! The real binary against answers the service may give that our emulator
//! never does (DESIGN.md §3, issue 8): `null`s, odd types, `{}` for a pool
//! or a list, a skewed `Date`, a pool of the name that is not ours, a pool
//! deleted during a wait, a long outage, an IAM that does not know the
//! project. A small scripted HTTP server on 127.0.0.1:0 answers each route
//! from a queue (the last answer repeats) and records every request.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use common::scripted::{answer, Route, Seen, Server};
use common::{poolctl, run, Run};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn rfc3339(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant), for timestamps in the tests.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn http_date(secs: u64) -> String {
    // 1970-01-01 was a Thursday.
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let ts = rfc3339(secs);
    let (y, m, d) = (&ts[0..4], &ts[5..7], &ts[8..10]);
    let month = MONTHS[m.parse::<usize>().unwrap() - 1];
    format!(
        "{}, {d} {month} {y} {} GMT",
        DAYS[((secs / 86_400) % 7) as usize],
        &ts[11..19]
    )
}

/// A pool as the service answers it, created at `created`.
fn pool(name: &str, created: u64, phase: Option<&str>) -> Value {
    let mut p = json!({
        "kind": "Pool", "apiVersion": "v2",
        "metadata": {
            "name": format!("{name}-6f5da086"),
            "creationTimestamp": rfc3339(created),
            "labels": {"os.modelarts/name": name, "os.modelarts/workspace.id": "0"},
        },
        "spec": {"type": "Dedicate", "scope": ["Train"], "network": {"name": "network-21e1"},
                 "resources": [{"flavor": "modelarts.vm.cpu.8ud", "count": 1, "maxCount": 1}]},
        "status": {"resources": {}},
    });
    if let Some(phase) = phase {
        p["status"]["phase"] = json!(phase);
    }
    p
}

fn list(items: Vec<Value>) -> Value {
    json!({"kind": "List", "apiVersion": "v2", "metadata": {}, "items": items})
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
    "--scope",
    "Train",
];

fn no_secret(r: &Run) {
    assert!(!r.stdout.contains("CANARY") && !r.stderr.contains("CANARY"));
}

// ------------------------------------------------------------ tolerant reading

#[test]
fn nulls_and_odd_types_are_read_and_json_is_printed_as_it_came() {
    let s = Server::start();
    let answered = json!({
        "kind": "Pool", "apiVersion": "v2",
        "metadata": {"name": "pool-ae01-6f5da086", "creationTimestamp": null,
                     "labels": {"os.modelarts/name": "pool-ae01", "os.modelarts/workspace.id": null},
                     "annotations": null},
        "spec": {"type": "Dedicate", "scope": null, "network": null,
                 "resources": [{"flavor": "modelarts.vm.cpu.8ud", "count": "1", "maxCount": null,
                                "extendParams": {"dockerBaseSize": 50, "postInstall": null}}]},
        "status": {"phase": "Running", "scope": null, "message": null,
                   "resources": {"available": [{"flavor": "modelarts.vm.cpu.8ud", "count": 1}]}}
    });
    s.answer(Route::Show, &[answer(200, answered.clone())]);

    let r = run(s
        .poolctl()
        .args(["get", "pool-ae01-6f5da086", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(printed, answered, "the service's JSON, as it came");

    let r = run(s.poolctl().args(["get", "pool-ae01-6f5da086"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1/1 nodes available"), "{}", r.stdout);
    assert!(r.stdout.contains("phase:        Running"), "{}", r.stdout);

    // A null status and a whole section of the wrong type.
    let s = Server::start();
    s.answer(
        Route::Show,
        &[answer(
            200,
            json!({"metadata": {"name": "pool-ae01-6f5da086", "labels": {"os.modelarts/name": "pool-ae01"}},
                   "spec": {"type": 7, "resources": "many"}, "status": null}),
        )],
    );
    let r = run(s.poolctl().args(["get", "pool-ae01-6f5da086"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("unreadable:"), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("could not read these fields of the service's answer"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("spec.type (invalid type"), "{}", r.stderr);
    assert!(r.stderr.contains("spec.resources"), "{}", r.stderr);
    let r = run(s
        .poolctl()
        .args(["get", "pool-ae01-6f5da086", "-o", "yaml"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("resources: many"), "{}", r.stdout);
}

#[test]
fn an_unreadable_answer_is_not_called_silence() {
    let s = Server::start();
    s.answer(Route::Show, &[answer(200, json!(["not", "a", "pool"]))]);
    let r = run(s.poolctl().args(["get", "pool-ae01-6f5da086"]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert!(r.stderr.contains("answered HTTP 200"), "{}", r.stderr);
    assert!(!r.stderr.contains("did not answer"), "{}", r.stderr);
    assert_eq!(
        s.count("GET", "/pools/pool-ae01-6f5da086"),
        1,
        "a 200 is not retried"
    );
    no_secret(&r);
}

// ------------------------------------------------------------ ambiguity

#[test]
fn a_create_answered_with_an_empty_object_is_looked_up_and_adopted() {
    let s = Server::start();
    s.answer(Route::Create, &[answer(200, json!({}))]);
    s.answer(
        Route::List,
        &[answer(200, list(vec![pool("pool-ae01", now() + 1, None)]))],
    );
    let r = run(s.poolctl().args(CREATE).args(["-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(printed["metadata"]["name"], "pool-ae01-6f5da086");
    assert!(
        r.stderr.contains("created (answer recovered)"),
        "{}",
        r.stderr
    );
    assert_eq!(s.count("POST", "/pools"), 1);
    let lookup = s
        .seen()
        .into_iter()
        .find(|x| x.method == "GET" && x.path.ends_with("/pools"))
        .unwrap();
    assert!(lookup.query.contains("workspaceId=0"), "{}", lookup.query);
}

#[test]
fn a_malformed_list_after_a_500_stops_with_exit_8_and_one_post() {
    let s = Server::start();
    s.answer(
        Route::Create,
        &[answer(
            500,
            json!({"error_code": "ModelArts.50005000", "error_msg": "internal"}),
        )],
    );
    s.answer(Route::List, &[answer(200, json!({}))]);
    let r = run(s.poolctl().args(CREATE));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert_eq!(s.count("POST", "/pools"), 1, "never a second POST");
    assert!(r.stderr.contains("may exist"), "{}", r.stderr);
    assert!(r.stderr.contains("poolctl get pool-ae01"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn a_service_clock_behind_ours_still_recovers_our_create() {
    let s = Server::start();
    let service_now = now() - 5;
    let mut lost = answer(500, json!({"error_code": "ModelArts.50005000"}));
    lost.date = Some(http_date(service_now));
    let mut found = answer(200, list(vec![pool("pool-ae01", service_now, None)]));
    found.date = Some(http_date(service_now + 1));
    s.answer(Route::Create, &[lost])
        .answer(Route::List, &[found]);
    let r = run(s.poolctl().args(CREATE).args(["-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("answer recovered"), "{}", r.stderr);
    assert_eq!(s.count("POST", "/pools"), 1);
}

#[test]
fn a_pool_of_the_name_made_by_another_request_is_not_adopted() {
    // Two creators race for one name; the pool found is the other's: its
    // flavor count differs from what this run sent.
    let s = Server::start();
    let mut theirs = pool("pool-ae01", now() + 1, Some("Creating"));
    theirs["spec"]["resources"][0]["count"] = json!(3);
    theirs["spec"]["resources"][0]["maxCount"] = json!(3);
    s.answer(Route::Create, &[answer(500, json!({}))])
        .answer(Route::List, &[answer(200, list(vec![theirs]))]);
    let r = run(s.poolctl().args(CREATE));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("not from this request"), "{}", r.stderr);
    assert!(r.stderr.contains("spec.resources"), "{}", r.stderr);
    assert_eq!(s.count("POST", "/pools"), 1);
}

// ------------------------------------------------------------ waits

#[test]
fn deleting_while_waiting_for_running_is_exit_6_with_its_own_message() {
    let s = Server::start();
    s.answer(
        Route::Show,
        &[answer(200, pool("pool-ae01", now(), Some("Deleting")))],
    );
    let r = run(s
        .poolctl()
        .args(["wait", "pool-ae01-6f5da086", "-o", "json"]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("is being deleted"), "{}", r.stderr);
    // The last state seen is still the result.
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(printed["status"]["phase"], "Deleting");
}

#[test]
fn an_outage_during_a_wait_says_how_to_resume() {
    let s = Server::start();
    s.answer(
        Route::Show,
        &[
            answer(200, pool("pool-ae01", now(), Some("Creating"))),
            answer(503, json!({"error_code": "APIG.0503"})),
        ],
    );
    let r = run(s.poolctl().env("POOLCTL_MAX_OUTAGE", "1s").args([
        "wait",
        "pool-ae01-6f5da086",
        "-o",
        "json",
    ]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("resume with: poolctl wait pool-ae01-6f5da086"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("run again"), "{}", r.stderr);
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(printed["status"]["phase"], "Creating");
}

// ------------------------------------------------------------ IAM

#[test]
fn a_failed_project_lookup_names_both_ways_out() {
    let s = Server::start();
    s.answer(Route::Iam, &[answer(200, json!({"projects": []}))]);
    let r = run(poolctl().env("POOLCTL_AUTH_TOKEN", "TOKEN-CANARY-1").args([
        "--endpoint",
        &s.url,
        "--region",
        "eu-de",
        "list",
    ]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("--project-id"), "{}", r.stderr);
    assert!(r.stderr.contains("--iam-endpoint"), "{}", r.stderr);
    assert!(
        r.stderr.contains("IAM has no project named eu-de"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("HTTP 200"),
        "not a rejection: {}",
        r.stderr
    );
    // IAM was asked on the endpoint's own host, not another cloud's.
    let asked = s.seen();
    assert_eq!(asked[0].path, "/v3/projects");
    assert_eq!(asked[0].query, "name=eu-de");
    no_secret(&r);
}

// ------------------------------------------------------------ from a user's review

#[test]
fn a_create_taken_with_an_empty_answer_is_never_sent_twice() {
    // The service took the create (200) but lists nothing yet.
    let s = Server::start();
    s.answer(Route::Create, &[answer(200, json!({}))])
        .answer(Route::List, &[answer(200, list(vec![]))]);
    let r = run(s.poolctl().args(CREATE).args(["--workspace-id", "ws2"]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert_eq!(s.count("POST", "/pools"), 1, "never a second POST");
    assert!(r.stderr.contains("may exist"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("poolctl get pool-ae01 --workspace-id ws2"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("did not answer"), "{}", r.stderr);
}

#[test]
fn a_409_after_a_lost_answer_with_nothing_listed_is_not_already_exists() {
    // 500, nothing listed, the resend meets 409, still nothing listed: the
    // pool is most likely this run's, and the list lags.
    let s = Server::start();
    s.answer(
        Route::Create,
        &[
            answer(500, json!({"error_code": "ModelArts.50005000"})),
            answer(409, json!({"error_code": "ModelArts.50015000"})),
        ],
    )
    .answer(Route::List, &[answer(200, list(vec![]))]);
    let r = run(s.poolctl().args(CREATE));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert_eq!(s.count("POST", "/pools"), 2);
    assert!(!r.stderr.contains("add --if-exists reuse"), "{}", r.stderr);
}

#[test]
fn reuse_with_nothing_listed_after_a_409_is_not_exit_5() {
    let s = Server::start();
    s.answer(
        Route::Create,
        &[answer(409, json!({"error_code": "ModelArts.50015000"}))],
    )
    .answer(Route::List, &[answer(200, list(vec![]))]);
    let r = run(s
        .poolctl()
        .args(CREATE)
        .args(["--if-exists", "reuse", "--workspace-id", "ws2"]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert!(!r.stderr.contains("add --if-exists reuse"), "{}", r.stderr);
    assert!(r.stderr.contains("--workspace-id ws2"), "{}", r.stderr);
}

#[test]
fn nulls_in_the_found_pool_are_unknown_not_different() {
    // After a lost answer, the pool found has no network and no workspace
    // label (null): it is still ours.
    let s = Server::start();
    let mut ours = pool("pool-ae01", now() + 1, None);
    ours["spec"]["network"] = Value::Null;
    ours["metadata"]["labels"]["os.modelarts/workspace.id"] = Value::Null;
    s.answer(Route::Create, &[answer(500, json!({}))])
        .answer(Route::List, &[answer(200, list(vec![ours]))]);
    let r = run(s.poolctl().args(CREATE).args(["--workspace-id", "ws1"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("answer recovered"), "{}", r.stderr);
    let lookup = s
        .seen()
        .into_iter()
        .find(|x| x.method == "GET" && x.path.ends_with("/pools"))
        .unwrap();
    assert!(lookup.query.contains("workspaceId=ws1"), "{}", lookup.query);
}

#[test]
fn an_empty_object_is_not_the_pool_asked_for() {
    let s = Server::start();
    s.answer(Route::Show, &[answer(200, json!({}))]);
    let r = run(s.poolctl().args(["get", "pool-ae01-6f5da086"]));
    assert_eq!(r.code, 8, "{}", r.stderr);
    assert!(r.stderr.contains("no metadata.name"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn a_password_the_service_echoes_is_never_printed() {
    let s = Server::start();
    let manifest = std::fs::read_to_string("examples/privileged-pool.yaml").unwrap();
    let password = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("password:"))
        .unwrap()
        .trim()
        .trim_matches('"')
        .to_string();
    s.answer(
        Route::Create,
        &[answer(
            400,
            json!({"error_code": "ModelArts.50004000",
                   "error_msg": format!("bad userLogin.password {password}")}),
        )],
    );
    let r = run(s
        .poolctl()
        .args(["create", "-f", "examples/privileged-pool.yaml", "-vv"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("bad userLogin.password <redacted>"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(&password), "{}", r.stderr);
    assert!(!r.stdout.contains(&password));
    no_secret(&r);
}

#[test]
fn a_list_in_pages_is_read_to_its_end() {
    let s = Server::start();
    let mut first = list(vec![pool("pool-other", now(), Some("Running"))]);
    first["metadata"]["continue"] = json!("page-2");
    let mut second = pool("pool-ae01", now(), Some("Running"));
    second["metadata"]["name"] = json!("pool-ae01-second");
    s.answer(
        Route::List,
        &[answer(200, first), answer(200, list(vec![second]))],
    );
    // The label lookup of get finds the pool on the second page.
    let r = run(s.poolctl().args(["get", "pool-ae01", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(printed["metadata"]["name"], "pool-ae01-second");
    let lists: Vec<Seen> = s
        .seen()
        .into_iter()
        .filter(|x| x.method == "GET" && x.path.ends_with("/pools"))
        .collect();
    assert_eq!(lists.len(), 2);
    assert!(
        lists[1].query.contains("continue=page-2"),
        "{}",
        lists[1].query
    );
}
