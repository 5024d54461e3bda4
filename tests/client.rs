//! The client against a small scripted axum server on 127.0.0.1:0 (not a mock
//! inside the client). The server authenticates every request with the
//! emulator's gateway check (`poolctl::emulator::auth`), plus what the client
//! promises beyond it, records what it saw, and follows a per-route script of
//! faults: a status, a reset of the connection after the request was
//! processed (the emulator's `ConnListener`/`ConnKill`), or a hang.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use poolctl::auth::signer;
use poolctl::auth::{Credentials, Secret};
use poolctl::client::{Client, ClientEvent, Created, Observer, RetryPolicy, USER_AGENT};
use poolctl::emulator::auth::{self as gateway, Accepted, Received};
use poolctl::emulator::{ConnKill, ConnListener};
use poolctl::error::Error;
use poolctl::settings::{HttpSettings, Project, Target};

const AK: &str = "TESTAK0123";
const SK: &str = "SK-CANARY-9f8e7d6c5b4a";
const SECURITY_TOKEN: &str = "ST-CANARY-112233";
const TOKEN: &str = "TOKEN-CANARY-445566";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";

// ------------------------------------------------------------ the server

#[derive(Debug, Clone)]
enum Step {
    /// Answer this status and body (with `Retry-After` if given), doing nothing.
    Status(u16, Option<u64>, Value),
    /// Do the work, then reset the connection instead of answering.
    ResetAfter,
    /// Never answer (longer than any client timeout), doing nothing.
    Hang,
    /// For list: answer an empty list (a list that lags behind a create).
    Empty,
}

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    route: &'static str,
    raw_query: String,
    headers: HashMap<String, String>,
}

struct Srv {
    host: String,
    token_auth: bool,
    pools: Mutex<Vec<Value>>,
    script: Mutex<HashMap<&'static str, VecDeque<Step>>>,
    seen: Mutex<Vec<Seen>>,
    problems: Mutex<Vec<String>>,
    created: AtomicUsize,
    projects: Mutex<Vec<Value>>,
}

struct TestServer {
    url: String,
    srv: Arc<Srv>,
}

impl TestServer {
    async fn start(token_auth: bool) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let srv = Arc::new(Srv {
            host: addr.to_string(),
            token_auth,
            pools: Mutex::new(Vec::new()),
            script: Mutex::new(HashMap::new()),
            seen: Mutex::new(Vec::new()),
            problems: Mutex::new(Vec::new()),
            created: AtomicUsize::new(0),
            projects: Mutex::new(vec![json!({"id": PROJECT, "name": "cn-north-4"})]),
        });
        let app = Router::new().fallback(handle).with_state(srv.clone());
        tokio::spawn(async move {
            let _ = axum::serve(
                ConnListener(listener),
                app.into_make_service_with_connect_info::<ConnKill>(),
            )
            .await;
        });
        TestServer {
            url: format!("http://{addr}"),
            srv,
        }
    }

    fn script(&self, route: &'static str, steps: &[Step]) {
        self.srv
            .script
            .lock()
            .unwrap()
            .entry(route)
            .or_default()
            .extend(steps.iter().cloned());
    }

    fn count(&self, method: &str, route: &str) -> usize {
        self.srv
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.method == method && s.route == route)
            .count()
    }

    fn seen(&self) -> Vec<Seen> {
        self.srv.seen.lock().unwrap().clone()
    }

    fn created(&self) -> usize {
        self.srv.created.load(Ordering::SeqCst)
    }

    /// A pool with the label `name`, created `age` ago.
    fn seed(&self, name: &str, age: Duration) {
        let ts = now() - age.as_secs();
        self.srv.pools.lock().unwrap().push(json!({
            "kind": "Pool", "apiVersion": "v2",
            "metadata": {"name": format!("{name}-old00000"),
                          "creationTimestamp": poolctl::time::rfc3339_from_unix(ts),
                          "labels": {"os.modelarts/name": name}},
            "spec": {"type": "Dedicate"}, "status": {"phase": "Running"}
        }));
    }

    /// Fails the test if the server saw a request it could not verify.
    fn assert_all_verified(&self) {
        let problems = self.srv.problems.lock().unwrap();
        assert!(problems.is_empty(), "server-side problems: {problems:#?}");
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// What the gateway checks (the emulator's own check, `emulator::auth`),
/// plus what the client promises beyond it.
fn verify(
    srv: &Srv,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), String> {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    if header("host") != Some(srv.host.as_str()) {
        return Err(format!(
            "Host {:?}, connected to {}",
            header("host"),
            srv.host
        ));
    }
    if header("user-agent") != Some(USER_AGENT) {
        return Err(format!("User-Agent {:?}", header("user-agent")));
    }
    if header("content-type") != Some("application/json") {
        return Err("no Content-Type: application/json".into());
    }
    let raw_query = uri.query().unwrap_or("");
    let pairs = gateway::query_pairs(raw_query).ok_or(format!(
        "query `{raw_query}` has a malformed percent-encoding"
    ))?;
    if srv.token_auth {
        if headers.contains_key("authorization") {
            return Err("token auth with an Authorization header".into());
        }
    } else {
        let auth = header("authorization").ok_or("no Authorization")?;
        let parsed = signer::parse_authorization(auth).ok_or("Authorization does not parse")?;
        for must in ["content-type", "host", "x-sdk-date", "x-security-token"] {
            if !parsed.signed_headers.iter().any(|h| h == must) {
                return Err(format!("{must} is not signed"));
            }
        }
        if headers.contains_key("x-project-id")
            && !parsed.signed_headers.iter().any(|h| h == "x-project-id")
        {
            return Err("x-project-id sent but not signed".into());
        }
        if header("x-security-token") != Some(SECURITY_TOKEN) {
            return Err("bad X-Security-Token".into());
        }
        if signer::canonical_query(&pairs) != raw_query {
            return Err(format!("query `{raw_query}` is not sent in canonical form"));
        }
    }
    // The AK, the signed headers being present, the 15-minute X-Sdk-Date
    // window and the signature (or, for token auth, the X-Auth-Token), as
    // the emulator checks them.
    let path = gateway::decode_path(uri.path()).ok_or(format!(
        "path `{}` has a malformed percent-encoding",
        uri.path()
    ))?;
    let received = Received {
        method: method.as_str(),
        path: &path,
        query: &pairs,
        headers,
        body,
    };
    let accepted = Accepted {
        ak: AK,
        sk: SK,
        token: srv.token_auth.then_some(TOKEN),
        temporary: &[],
    };
    gateway::authenticate(&received, &accepted, now()).map_err(|r| r.error_msg())
}

fn error(status: u16, code: &str, msg: &str) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        [
            ("x-request-id", "req-1234"),
            ("content-type", "application/json"),
        ],
        json!({"error_code": code, "error_msg": msg}).to_string(),
    )
        .into_response()
}

fn ok_json(status: u16, v: &Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        [
            ("x-request-id", "req-ok"),
            ("content-type", "application/json"),
        ],
        v.to_string(),
    )
        .into_response()
}

async fn handle(
    State(srv): State<Arc<Srv>>,
    ConnectInfo(conn): ConnectInfo<ConnKill>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let segs: Vec<&str> = uri.path().trim_start_matches('/').split('/').collect();
    let route: &'static str = match (method.as_str(), segs.as_slice()) {
        ("POST", ["v2", _, "pools"]) => "create",
        ("GET", ["v2", _, "pools"]) => "list",
        ("GET", ["v2", _, "pools", _]) => "show",
        ("DELETE", ["v2", _, "pools", _]) => "delete",
        ("GET", ["v1", _, "resourceflavors"]) => "flavors",
        ("GET", ["v3", "projects"]) => "projects",
        _ => "unknown",
    };
    srv.seen.lock().unwrap().push(Seen {
        method: method.to_string(),
        route,
        raw_query: uri.query().unwrap_or("").to_string(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect(),
    });
    if let Err(problem) = verify(&srv, &method, &uri, &headers, &body) {
        srv.problems
            .lock()
            .unwrap()
            .push(format!("{method} {uri}: {problem}"));
        return error(401, "APIG.0301", "Incorrect IAM authentication information");
    }
    if route != "projects" && segs.get(1) != Some(&PROJECT) {
        srv.problems
            .lock()
            .unwrap()
            .push(format!("{uri}: wrong project"));
    }
    if route != "projects"
        && headers.get("x-project-id").and_then(|v| v.to_str().ok()) != Some(PROJECT)
    {
        srv.problems
            .lock()
            .unwrap()
            .push(format!("{uri}: no X-Project-Id"));
    }

    let step = srv
        .script
        .lock()
        .unwrap()
        .get_mut(route)
        .and_then(VecDeque::pop_front);
    let mut reset = false;
    match step {
        Some(Step::Status(status, retry_after, body)) => {
            let mut r = ok_json(status, &body);
            if let Some(s) = retry_after {
                r.headers_mut()
                    .insert("retry-after", s.to_string().parse().unwrap());
            }
            return r;
        }
        Some(Step::Hang) => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            return error(500, "x", "hung");
        }
        Some(Step::ResetAfter) => reset = true,
        Some(Step::Empty) | None => {}
    }
    let empty_list = matches!(step, Some(Step::Empty));

    let response = match route {
        "create" => {
            let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let label = req["metadata"]["labels"]["os.modelarts/name"]
                .as_str()
                .unwrap_or("")
                .to_string();
            let mut pools = srv.pools.lock().unwrap();
            if pools
                .iter()
                .any(|p| p["metadata"]["labels"]["os.modelarts/name"] == label.as_str())
            {
                error(409, "ModelArts.50015000", "pool already exists")
            } else {
                let n = srv.created.fetch_add(1, Ordering::SeqCst);
                let pool = json!({
                    "kind": "Pool", "apiVersion": "v2",
                    "metadata": {"name": format!("{label}-{n:08x}"),
                                  "creationTimestamp": poolctl::time::rfc3339_from_unix(now()),
                                  "labels": req["metadata"]["labels"].clone()},
                    "spec": req["spec"].clone(),
                    "status": {"resources": {}}
                });
                pools.push(pool.clone());
                ok_json(200, &pool)
            }
        }
        "list" => {
            let pairs = gateway::query_pairs(uri.query().unwrap_or("")).unwrap_or_default();
            let selector = pairs
                .iter()
                .find(|(k, _)| k == "labelSelector")
                .map(|(_, v)| v.clone());
            let items: Vec<Value> = if empty_list {
                vec![]
            } else {
                srv.pools
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|p| match &selector {
                        Some(sel) => {
                            let (k, v) = sel.split_once('=').unwrap_or((sel, ""));
                            p["metadata"]["labels"][k] == v
                        }
                        None => true,
                    })
                    .cloned()
                    .collect()
            };
            ok_json(
                200,
                &json!({"kind": "List", "apiVersion": "v2", "metadata": {}, "items": items}),
            )
        }
        "show" | "delete" => {
            let name = segs[3];
            let mut pools = srv.pools.lock().unwrap();
            match pools.iter_mut().find(|p| p["metadata"]["name"] == name) {
                Some(p) => {
                    if route == "delete" {
                        p["status"]["phase"] = json!("Deleting");
                    }
                    ok_json(200, p)
                }
                None => error(404, "ModelArts.50015001", "pool not found"),
            }
        }
        "flavors" => ok_json(
            200,
            &json!({"kind": "List", "items": [{"metadata": {"name": "modelarts.vm.cpu.8ud"}}]}),
        ),
        "projects" => {
            let pairs = gateway::query_pairs(uri.query().unwrap_or("")).unwrap_or_default();
            let name = pairs
                .iter()
                .find(|(k, _)| k == "name")
                .map(|(_, v)| v.clone());
            let projects: Vec<Value> = srv
                .projects
                .lock()
                .unwrap()
                .iter()
                .filter(|p| Some(p["name"].as_str().unwrap_or("")) == name.as_deref())
                .cloned()
                .collect();
            ok_json(200, &json!({"projects": projects}))
        }
        _ => error(404, "APIG.0101", "no such API"),
    };
    if reset {
        // The next write fails and the socket closes with RST: the client
        // sees a reset after the server has processed the request.
        conn.kill();
        return Response::new(Body::from("never sent"));
    }
    response
}

// ------------------------------------------------------------ the client side

#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<ClientEvent>>,
    trace: bool,
}

impl Observer for Recorder {
    fn event(&self, e: ClientEvent) {
        self.events.lock().unwrap().push(e);
    }
    fn wants_trace(&self) -> bool {
        self.trace
    }
}

impl Recorder {
    fn events(&self) -> Vec<ClientEvent> {
        self.events.lock().unwrap().clone()
    }
    fn retries(&self) -> Vec<(String, Duration)> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                ClientEvent::Retry { reason, after, .. } => Some((reason, after)),
                _ => None,
            })
            .collect()
    }
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        max_elapsed: Duration::from_secs(10),
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
        retry_after_cap: Duration::from_secs(2),
        clock_skew: Duration::from_secs(2),
        max_outage: Duration::from_secs(300),
    }
}

fn aksk() -> Credentials {
    Credentials::AkSk {
        ak: AK.into(),
        sk: Secret::new(SK),
        security_token: Some(Secret::new(SECURITY_TOKEN)),
    }
}

/// What settings would resolve, flattened for tests to tweak one field at a time.
struct ClientConfig {
    endpoint: String,
    iam_endpoint: String,
    /// `None`: looked up through IAM for `region`.
    project_id: Option<String>,
    region: String,
    credentials: Credentials,
    request_timeout: Duration,
    ca_bundle: Option<std::path::PathBuf>,
    retry: RetryPolicy,
}

impl ClientConfig {
    fn local(endpoint: &str) -> ClientConfig {
        ClientConfig {
            endpoint: endpoint.into(),
            iam_endpoint: endpoint.into(),
            project_id: Some(PROJECT.into()),
            region: "cn-north-4".into(),
            credentials: aksk(),
            request_timeout: Duration::from_secs(1),
            ca_bundle: None,
            retry: RetryPolicy::default(),
        }
    }

    fn client(self, observer: Arc<dyn Observer>) -> Result<Client, Error> {
        let target = Target {
            endpoint: self.endpoint,
            fallback_endpoints: Vec::new(),
            endpoint_source: poolctl::settings::regions::EndpointSource::Flag,
            project: match self.project_id {
                Some(id) => Project::Id(id),
                None => Project::LookUp {
                    region: self.region,
                    iam_endpoint: self.iam_endpoint,
                },
            },
            credentials: self.credentials,
            credential_source: poolctl::auth::CredentialSource::Environment,
        };
        let http = HttpSettings {
            request_timeout: self.request_timeout,
            ca_bundle: self.ca_bundle,
            allow_plain_http: false,
            page_limit: None,
            retry: self.retry,
        };
        Client::new(&target, &http, observer)
    }
}

fn config(server: &TestServer, credentials: Credentials) -> ClientConfig {
    ClientConfig {
        credentials,
        request_timeout: Duration::from_millis(400),
        retry: fast_policy(),
        ..ClientConfig::local(&server.url)
    }
}

async fn setup() -> (TestServer, Client, Arc<Recorder>) {
    let server = TestServer::start(false).await;
    let rec = Arc::new(Recorder {
        trace: true,
        ..Recorder::default()
    });
    let client = config(&server, aksk()).client(rec.clone()).unwrap();
    (server, client, rec)
}

fn pool_body(name: &str) -> Vec<u8> {
    json!({
        "kind": "Pool", "apiVersion": "v2",
        "metadata": {"labels": {"os.modelarts/name": name}},
        "spec": {"type": "Dedicate", "scope": ["Train"], "network": {"name": "net-1"},
                 "resources": [{"flavor": "modelarts.vm.cpu.8ud", "count": 1, "maxCount": 1}],
                 "userLogin": {"password": "UEFTU1dPUkQtQ0FOQVJZ"}}
    })
    .to_string()
    .into_bytes()
}

fn req(name: &str) -> poolctl::model::CreatePoolRequest {
    serde_json::from_slice(&pool_body(name)).unwrap()
}

// ------------------------------------------------------------ tests

#[tokio::test]
async fn signed_requests_verify_on_the_server_and_host_has_the_port() {
    let (server, client, _) = setup().await;
    let created = client
        .create_pool(&req("pool-sig"), &pool_body("pool-sig"))
        .await
        .unwrap();
    let Created::New(f) = created else {
        panic!("expected New")
    };
    let name = f.pool.name().unwrap().to_string();
    assert_eq!(f.raw["metadata"]["labels"]["os.modelarts/name"], "pool-sig");
    client.show_pool(&name).await.unwrap();
    client.list_flavors().await.unwrap();
    let deleted = client.delete_pool(&name).await.unwrap();
    assert_eq!(deleted.pool.phase(), Some("Deleting"));
    server.assert_all_verified();
    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    for s in &seen {
        let port = server.url.rsplit(':').next().unwrap();
        assert!(
            s.headers["host"].ends_with(&format!(":{port}")),
            "{:?}",
            s.headers
        );
        let auth = &s.headers["authorization"];
        assert!(
            auth.contains(
                "SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token"
            ),
            "{auth}"
        );
    }
}

#[tokio::test]
async fn the_query_is_sent_exactly_as_signed() {
    let (server, client, _) = setup().await;
    server.seed("pool a/b", Duration::from_secs(60));
    let pools = client
        .list_pools("0", Some("os.modelarts/name=pool a/b"), Some("created"))
        .await
        .unwrap();
    assert_eq!(pools.len(), 1);
    server.assert_all_verified();
    let seen = server.seen();
    assert_eq!(
        seen[0].raw_query,
        "labelSelector=os.modelarts%2Fname%3Dpool%20a%2Fb&status=created&workspaceId=0"
    );
}

#[tokio::test]
async fn raw_keeps_the_service_json_and_its_key_order() {
    let (server, client, _) = setup().await;
    server.script("show", &[Step::Status(200, None, serde_json::from_str(
        r#"{"zeta":1,"kind":"Pool","metadata":{"name":"p-1","labels":{"os.modelarts/name":"p"}},"alpha":{"unknown":true}}"#).unwrap())]);
    let f = client.show_pool("p-1").await.unwrap();
    let keys: Vec<&String> = f.raw.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["zeta", "kind", "metadata", "alpha"]);
    assert_eq!(f.pool.display_name(), Some("p"));
}

#[tokio::test]
async fn errors_map_to_exit_codes_with_the_api_body() {
    let (server, client, _) = setup().await;
    let body = |code: &str| json!({"error_code": code, "error_msg": "m"});
    for (status, code, exit) in [
        (400, "ModelArts.50004000", 3),
        (401, "ModelArts.50001000", 4),
        (403, "ModelArts.0203", 4),
        (409, "ModelArts.50015000", 5),
    ] {
        server.script("show", &[Step::Status(status, None, body(code))]);
        let err = client.show_pool("p-1").await.unwrap_err();
        assert_eq!(err.exit_status().code(), exit, "{status}: {err}");
        assert!(err.to_string().contains(code), "{err}");
    }
    // 404 from the service itself, with the request id.
    let err = client.show_pool("pool-missing").await.unwrap_err();
    assert_eq!(err.exit_status().code(), 3);
    let Error::Api { api, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.error_code.as_deref(), Some("ModelArts.50015001"));
    assert_eq!(api.error_msg.as_deref(), Some("pool not found"));
    assert_eq!(api.request_id.as_deref(), Some("req-1234"));
    // The gateway's code/message form.
    server.script(
        "show",
        &[Step::Status(
            401,
            None,
            json!({"code": "APIG.0301", "message": "bad"}),
        )],
    );
    let Error::Auth { api, .. } = client.show_pool("p-1").await.unwrap_err() else {
        panic!()
    };
    assert_eq!(api.error_code.as_deref(), Some("APIG.0301"));
    // No retry for any of these: one request each.
    assert_eq!(server.count("GET", "show"), 6);
    // 500 every time: retried, then unavailable (exit 8).
    server.script(
        "show",
        &vec![Step::Status(500, None, body("ModelArts.50005000")); 5],
    );
    let err = client.show_pool("p-1").await.unwrap_err();
    assert_eq!(err.exit_status().code(), 8);
    assert!(err.to_string().contains("5 attempts"), "{err}");
    assert_eq!(server.count("GET", "show"), 11);
}

#[tokio::test]
async fn retry_after_is_honoured_then_success() {
    let (server, client, rec) = setup().await;
    server.script(
        "list",
        &[Step::Status(
            429,
            Some(1),
            json!({"error_code": "APIG.0308", "error_msg": "throttled"}),
        )],
    );
    let started = Instant::now();
    client.list_pools("0", None, None).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.count("GET", "list"), 2);
    let retries = rec.retries();
    assert_eq!(retries.len(), 1);
    assert_eq!(retries[0].1, Duration::from_secs(1));
    assert!(
        retries[0].0.contains("429") && retries[0].0.contains("APIG.0308"),
        "{retries:?}"
    );
}

#[tokio::test]
async fn retry_after_is_capped() {
    let server = TestServer::start(false).await;
    let rec = Arc::new(Recorder::default());
    let mut cfg = config(&server, aksk());
    cfg.retry.retry_after_cap = Duration::from_millis(50);
    let client = cfg.client(rec.clone()).unwrap();
    server.script("list", &[Step::Status(429, Some(3600), json!({}))]);
    client.list_pools("0", None, None).await.unwrap();
    assert_eq!(rec.retries()[0].1, Duration::from_millis(50));
}

#[tokio::test]
async fn a_503_burst_on_get_is_survived() {
    let (server, client, rec) = setup().await;
    server.seed("pool-b", Duration::from_secs(60));
    server.script("show", &vec![Step::Status(503, None, json!({})); 3]);
    client.show_pool("pool-b-old00000").await.unwrap();
    assert_eq!(server.count("GET", "show"), 4);
    assert_eq!(rec.retries().len(), 3);
    // The attempt numbers count up.
    let attempts: Vec<u32> = rec
        .events()
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Request { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .collect();
    assert_eq!(attempts, [1, 2, 3, 4]);
}

#[tokio::test]
async fn a_get_timeout_is_retried() {
    let (server, client, _) = setup().await;
    server.script("list", &[Step::Hang]);
    client.list_pools("0", None, None).await.unwrap();
    assert_eq!(server.count("GET", "list"), 2);
}

#[tokio::test]
async fn post_reset_after_processing_is_adopted_with_one_pool() {
    let (server, client, rec) = setup().await;
    server.script("create", &[Step::ResetAfter]);
    let created = client
        .create_pool(&req("pool-reset"), &pool_body("pool-reset"))
        .await
        .unwrap();
    // A real reset (RST) after the server processed the create.
    let retries = rec.retries();
    assert!(retries[0].0.contains("reset"), "{retries:?}");
    let Created::Adopted(f) = &created else {
        panic!("expected Adopted, got {created:?}")
    };
    assert_eq!(f.pool.display_name(), Some("pool-reset"));
    assert_eq!(server.created(), 1);
    assert_eq!(server.count("POST", "create"), 1, "never resent");
    assert_eq!(server.count("GET", "list"), 1);
    assert!(rec.events().contains(&ClientEvent::Adopting {
        name: f.pool.name().unwrap().to_string()
    }));
    server.assert_all_verified();
}

#[tokio::test]
async fn post_429_is_resent() {
    let (server, client, _) = setup().await;
    server.script(
        "create",
        &[Step::Status(
            429,
            Some(0),
            json!({"error_code": "APIG.0308"}),
        )],
    );
    let created = client
        .create_pool(&req("pool-429"), &pool_body("pool-429"))
        .await
        .unwrap();
    assert!(matches!(created, Created::New(_)));
    assert_eq!(server.count("POST", "create"), 2);
    assert_eq!(server.count("GET", "list"), 0, "a 429 needs no lookup");
    assert_eq!(server.created(), 1);
}

#[tokio::test]
async fn post_503_is_resent_without_lookup() {
    let (server, client, _) = setup().await;
    server.script("create", &[Step::Status(503, None, json!({}))]);
    assert!(matches!(
        client
            .create_pool(&req("pool-503"), &pool_body("pool-503"))
            .await
            .unwrap(),
        Created::New(_)
    ));
    assert_eq!(server.count("POST", "create"), 2);
    assert_eq!(server.count("GET", "list"), 0);
}

#[tokio::test]
async fn post_timeout_then_nothing_found_is_resent_once() {
    let (server, client, rec) = setup().await;
    server.script("create", &[Step::Hang]);
    let created = client
        .create_pool(&req("pool-to"), &pool_body("pool-to"))
        .await
        .unwrap();
    assert!(matches!(created, Created::New(_)), "{created:?}");
    assert_eq!(server.count("POST", "create"), 2);
    assert_eq!(server.count("GET", "list"), 1);
    assert_eq!(server.created(), 1);
    let retries = rec.retries();
    assert!(retries[0].0.contains("timed out"), "{retries:?}");
}

#[tokio::test]
async fn post_500_then_409_on_the_resend_is_adopted_not_already_exists() {
    let (server, client, _) = setup().await;
    // The first create is processed but its answer is lost, and the list lags
    // behind: the lookup finds nothing, the resend gets 409, the second
    // lookup finds the pool, which is ours.
    server.script("create", &[Step::ResetAfter]);
    server.script("list", &[Step::Empty]);
    let created = client
        .create_pool(&req("pool-409"), &pool_body("pool-409"))
        .await
        .unwrap();
    assert!(created.is_adopted(), "{created:?}");
    assert_eq!(server.created(), 1);
    assert_eq!(server.count("POST", "create"), 2);
    assert_eq!(server.count("GET", "list"), 2);
}

#[tokio::test]
async fn post_500_with_an_older_pool_is_already_exists() {
    let (server, client, _) = setup().await;
    server.seed("pool-old", Duration::from_secs(3600));
    server.script(
        "create",
        &[Step::Status(
            500,
            None,
            json!({"error_code": "ModelArts.50005000"}),
        )],
    );
    let err = client
        .create_pool(&req("pool-old"), &pool_body("pool-old"))
        .await
        .unwrap_err();
    assert_eq!(err.exit_status().code(), 5, "{err}");
    assert!(err.to_string().contains("pool-old-old00000"), "{err}");
    assert_eq!(server.count("POST", "create"), 1);
}

#[tokio::test]
async fn a_first_409_is_already_exists_without_lookup() {
    let (server, client, _) = setup().await;
    server.seed("pool-dup", Duration::from_secs(1));
    let err = client
        .create_pool(&req("pool-dup"), &pool_body("pool-dup"))
        .await
        .unwrap_err();
    assert_eq!(err.exit_status().code(), 5);
    let Error::AlreadyExists { api, .. } = &err else {
        panic!()
    };
    assert_eq!(api.error_code.as_deref(), Some("ModelArts.50015000"));
    assert_eq!(server.count("GET", "list"), 0);
}

#[tokio::test]
async fn post_400_is_not_resent() {
    let (server, client, _) = setup().await;
    server.script(
        "create",
        &[Step::Status(
            400,
            None,
            json!({"error_code": "ModelArts.50004000", "error_msg": "invalid nodepool name"}),
        )],
    );
    let err = client
        .create_pool(&req("pool-bad"), &pool_body("pool-bad"))
        .await
        .unwrap_err();
    assert_eq!(err.exit_status().code(), 3);
    assert!(err.to_string().contains("invalid nodepool name"));
    assert_eq!(server.count("POST", "create"), 1);
}

#[tokio::test]
async fn token_auth_sends_x_auth_token_and_no_signature() {
    let server = TestServer::start(true).await;
    let client = config(&server, Credentials::Token(Secret::new(TOKEN)))
        .client(Arc::new(Recorder::default()))
        .unwrap();
    client.list_pools("0", None, None).await.unwrap();
    server.assert_all_verified();
    let seen = server.seen();
    assert_eq!(seen[0].headers["x-auth-token"], TOKEN);
    assert!(!seen[0].headers.contains_key("authorization"));
    assert!(!seen[0].headers.contains_key("x-sdk-date"));
}

#[tokio::test]
async fn project_lookup_through_iam() {
    let server = TestServer::start(false).await;
    let lookup = |region: &str| {
        let mut cfg = config(&server, aksk());
        cfg.project_id = None;
        cfg.region = region.into();
        cfg.client(Arc::new(Recorder::default())).unwrap()
    };
    let mut client = lookup("cn-north-4");
    assert_eq!(client.project_id(), None);
    assert_eq!(client.ensure_project().await.unwrap(), PROJECT);
    assert_eq!(client.project_id(), Some(PROJECT));
    // Once: the id is kept.
    assert_eq!(client.ensure_project().await.unwrap(), PROJECT);
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].raw_query, "name=cn-north-4");
    assert!(!seen[0].headers.contains_key("x-project-id"));
    server.assert_all_verified();

    let err = lookup("ap-southeast-3").ensure_project().await.unwrap_err();
    assert_eq!(err.exit_status().code(), 3);
    assert!(err.to_string().contains("ap-southeast-3"), "{err}");
    server
        .srv
        .projects
        .lock()
        .unwrap()
        .push(json!({"id": "other", "name": "cn-north-4"}));
    let err = lookup("cn-north-4").ensure_project().await.unwrap_err();
    assert_eq!(err.exit_status().code(), 3);
    assert!(
        err.to_string().contains("2 projects named cn-north-4"),
        "{err}"
    );
}

#[tokio::test]
async fn an_unreachable_endpoint_is_unavailable_after_retries() {
    // Bind, then close: nothing listens on this port any more.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let rec = Arc::new(Recorder::default());
    let cfg = ClientConfig {
        request_timeout: Duration::from_millis(400),
        retry: fast_policy(),
        ..ClientConfig::local(&format!("http://127.0.0.1:{port}"))
    };
    let client = cfg.client(rec.clone()).unwrap();
    let err = client.list_pools("0", None, None).await.unwrap_err();
    assert_eq!(err.exit_status().code(), 8);
    assert!(err.to_string().contains("could not connect"), "{err}");
    assert_eq!(rec.retries().len(), 4);
    // A POST that cannot connect is resent too (it provably never arrived).
    let err = client
        .create_pool(&req("pool-x"), &pool_body("pool-x"))
        .await
        .unwrap_err();
    assert_eq!(err.exit_status().code(), 8);
    assert_eq!(rec.retries().len(), 8);
}

#[tokio::test]
async fn no_secret_in_any_debug_display_error_or_trace() {
    let (server, client, rec) = setup().await;
    // A hostile gateway that echoes secrets back in its error message.
    server.script(
        "show",
        &[Step::Status(
            400,
            None,
            json!({"error_code": "X", "error_msg": format!("you sent {SK} and {SECURITY_TOKEN}")}),
        )],
    );
    server.script(
        "create",
        &[Step::Status(
            401,
            None,
            json!({"error_msg": SECURITY_TOKEN}),
        )],
    );
    let mut texts = vec![format!("{client:?}")];
    for err in [
        client.show_pool("p-1").await.unwrap_err(),
        client
            .create_pool(&req("pool-s"), &pool_body("pool-s"))
            .await
            .unwrap_err(),
    ] {
        texts.push(format!("{err} {err:?} {:?}", err.hint()));
    }
    let created = client
        .create_pool(&req("pool-s"), &pool_body("pool-s"))
        .await
        .unwrap();
    texts.push(format!("{created:?}"));
    let events = rec.events();
    assert!(events.iter().any(|e| matches!(e, ClientEvent::Trace(_))));
    texts.extend(events.iter().map(|e| format!("{e:?}")));

    let token_server = TestServer::start(true).await;
    let rec2 = Arc::new(Recorder {
        trace: true,
        ..Recorder::default()
    });
    let token_client = config(&token_server, Credentials::Token(Secret::new(TOKEN)))
        .client(rec2.clone())
        .unwrap();
    token_client.list_pools("0", None, None).await.unwrap();
    texts.push(format!("{token_client:?}"));
    texts.extend(rec2.events().iter().map(|e| format!("{e:?}")));

    for t in &texts {
        for secret in [SK, SECURITY_TOKEN, TOKEN, "UEFTU1dPUkQtQ0FOQVJZ"] {
            assert!(!t.contains(secret), "{secret} leaked in: {t}");
        }
    }
    // The trace does show the request, with redactions.
    let trace: String = events
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Trace(t) => Some(t.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(trace.contains("> POST http://127.0.0.1:"), "{trace}");
    assert!(trace.contains("> Authorization: <redacted>"));
    assert!(trace.contains("> X-Security-Token: <redacted>"));
    assert!(trace.contains(r#""password":"<redacted>""#));
    assert!(trace.contains("< HTTP 200"));
}

#[tokio::test]
async fn futures_can_be_dropped_midway() {
    let (server, client, _) = setup().await;
    server.script("create", &[Step::Hang]);
    let body = pool_body("pool-c");
    let request = req("pool-c");
    let raced = tokio::select! {
        r = client.create_pool(&request, &body) => Some(r),
        _ = tokio::time::sleep(Duration::from_millis(50)) => None,
    };
    assert!(raced.is_none());
    // Dropped: nothing else is sent, and the client is still fine.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(server.count("POST", "create"), 1);
    assert_eq!(server.count("GET", "list"), 0);
    client.list_pools("0", None, None).await.unwrap();
}

#[test]
fn client_futures_are_send() {
    fn send<T: Send>(_: T) {}
    let mut client = ClientConfig::local("http://127.0.0.1:1")
        .client(Arc::new(Recorder::default()))
        .unwrap();
    let request = req("x");
    send(client.create_pool(&request, b"{}"));
    send(client.show_pool("x"));
    send(client.list_pools("0", None, None));
    send(client.resolve_pool("0", "x"));
    send(client.ensure_project());
}

#[test]
fn bad_settings_are_usage_errors() {
    let base = || ClientConfig::local("http://127.0.0.1:1");
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "this is not a certificate\n").unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    for (cfg, needle) in [
        (
            ClientConfig {
                ca_bundle: Some(dir.path().join("missing.pem")),
                ..base()
            },
            "cannot read",
        ),
        (
            ClientConfig {
                ca_bundle: Some(junk),
                ..base()
            },
            "no certificate",
        ),
        (
            ClientConfig {
                ca_bundle: Some(empty),
                ..base()
            },
            "no certificate",
        ),
        (
            ClientConfig {
                endpoint: "ftp://x".into(),
                ..base()
            },
            "http",
        ),
        (
            ClientConfig {
                project_id: Some("../x".into()),
                ..base()
            },
            "project id",
        ),
    ] {
        let err = cfg.client(Arc::new(Recorder::default())).unwrap_err();
        assert_eq!(err.exit_status().code(), 2, "{err}");
        assert!(
            err.to_string().contains(needle),
            "{err} should say {needle}"
        );
    }
}

#[test]
fn a_pem_ca_bundle_is_accepted() {
    // A throwaway self-signed certificate (no key is kept anywhere).
    let cfg = ClientConfig {
        ca_bundle: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/test-ca.pem").into()),
        ..ClientConfig::local("https://127.0.0.1:1")
    };
    cfg.client(Arc::new(Recorder::default())).unwrap();
}
