//! A small scripted HTTP server on 127.0.0.1:0 for answers the service may
//! give that our emulator never does: each route answers from a queue (the
//! last answer repeats), and every request is recorded.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use super::poolctl;

pub const PROJECT: &str = "0123456789abcdef0123456789abcdef";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    Create,
    List,
    Show,
    Delete,
    /// `PATCH /v2/{project}/pools/{name}`.
    Patch,
    Iam,
    /// `GET /v1/{project}/resourceflavors`; unscripted: [`FLAVORS`].
    Flavors,
    /// `GET /v1/{project}/networks/{name}`; unscripted: that network, Active.
    Network,
    /// `GET /v1/{project}/events`; unscripted: no events.
    Events,
    /// The ECS metadata service's `PUT /meta-data/latest/api/token`;
    /// unscripted: 404.
    MetadataToken,
    /// The ECS metadata service's `GET /openstack/latest/securitykey`;
    /// unscripted: 404.
    SecurityKey,
}

/// The flavors an unscripted flavors call lists, each normal in two AZs:
/// the ones the tests' pools use.
pub const FLAVORS: &[&str] = &[
    "modelarts.vm.cpu.4u8",
    "modelarts.vm.cpu.8ud",
    "modelarts.vm.gpu.tnt004",
    "modelarts.vm.gpu.t4u8",
];

/// A flavors list of `(name, [(az, state)])`, as the service answers it.
pub fn flavors(items: &[(&str, &[(&str, &str)])]) -> Value {
    let items: Vec<Value> = items
        .iter()
        .map(|(name, azs)| {
            let phase: serde_json::Map<String, Value> = azs
                .iter()
                .map(|(az, state)| (az.to_string(), json!(state)))
                .collect();
            json!({"apiVersion": "v1", "kind": "ResourceFlavor",
                   "metadata": {"name": name}, "spec": {"type": "Dedicate", "cpu": "8", "memory": "32Gi"},
                   "status": {"phase": phase}})
        })
        .collect();
    json!({"apiVersion": "v1", "kind": "List", "items": items})
}

/// What an unscripted call of `route` answers.
fn unscripted(route: Option<Route>, path: &str) -> Answer {
    match route {
        Some(Route::Flavors) => {
            let normal: &[(&str, &str)] =
                &[("ap-southeast-1a", "normal"), ("ap-southeast-1b", "normal")];
            let items: Vec<(&str, &[(&str, &str)])> =
                FLAVORS.iter().map(|f| (*f, normal)).collect();
            answer(200, flavors(&items))
        }
        Some(Route::Network) => {
            let name = path.rsplit('/').next().unwrap_or_default();
            answer(
                200,
                json!({"apiVersion": "v1", "kind": "Network", "metadata": {"name": name},
                       "status": {"phase": "Active"}}),
            )
        }
        Some(Route::Events) => answer(
            200,
            json!({"apiVersion": "v1", "kind": "List", "items": []}),
        ),
        _ => answer(
            404,
            json!({"error_code": "ModelArts.50015001", "error_msg": "not scripted"}),
        ),
    }
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// A `Date` header of the server's own (else hyper writes the real time).
    pub date: Option<String>,
}

pub fn answer(status: u16, body: Value) -> Answer {
    Answer {
        status,
        body: body.to_string(),
        date: None,
    }
}

/// An answer whose body is `body` as it is (not JSON).
pub fn text(status: u16, body: &str) -> Answer {
    Answer {
        status,
        body: body.to_string(),
        date: None,
    }
}

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub content_type: String,
    pub body: String,
    /// Every header, lower-case names, in the order received.
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Script {
    answers: Mutex<HashMap<Route, VecDeque<Answer>>>,
    seen: Mutex<Vec<Seen>>,
}

pub struct Server {
    pub url: String,
    script: Arc<Script>,
}

impl Server {
    /// Serves on a thread of its own, for as long as the test process lives.
    pub fn start() -> Server {
        let script = Arc::new(Script::default());
        let state = script.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(format!("http://{}", listener.local_addr().unwrap()))
                    .unwrap();
                let app = Router::new().fallback(handle).with_state(state);
                let _ = axum::serve(listener, app).await;
            });
        });
        Server {
            url: rx.recv().unwrap(),
            script,
        }
    }

    pub fn answer(&self, route: Route, answers: &[Answer]) -> &Server {
        self.script
            .answers
            .lock()
            .unwrap()
            .entry(route)
            .or_default()
            .extend(answers.iter().cloned());
        self
    }

    pub fn count(&self, method: &str, path_end: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.method == method && s.path.ends_with(path_end))
            .count()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.script.seen.lock().unwrap().clone()
    }

    /// poolctl pointed at this server, with a token and a project id.
    pub fn poolctl(&self) -> assert_cmd::Command {
        let mut cmd = poolctl();
        cmd.env("POOLCTL_AUTH_TOKEN", "TOKEN-CANARY-1")
            .env("POOLCTL_RETRY_MIN_DELAY", "10ms")
            .args(["--endpoint", &self.url, "--project-id", PROJECT]);
        cmd
    }
}

async fn handle(
    axum::extract::State(script): axum::extract::State<Arc<Script>>,
    req: Request<Body>,
) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let query = req.uri().query().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = axum::body::to_bytes(req.into_body(), 64 << 20)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    script.seen.lock().unwrap().push(Seen {
        method: method.to_string(),
        path: path.clone(),
        query,
        content_type,
        body,
        headers,
    });
    let pools = format!("/v2/{PROJECT}/pools");
    let route = match (&method, path.as_str()) {
        (&Method::POST, p) if p == pools => Some(Route::Create),
        (&Method::GET, p) if p == pools => Some(Route::List),
        (&Method::GET, p) if p.starts_with(&pools) => Some(Route::Show),
        (&Method::DELETE, p) if p.starts_with(&pools) => Some(Route::Delete),
        (&Method::PATCH, p) if p.starts_with(&pools) => Some(Route::Patch),
        (&Method::GET, "/v3/projects") => Some(Route::Iam),
        (&Method::GET, p) if p == format!("/v1/{PROJECT}/resourceflavors") => Some(Route::Flavors),
        (&Method::GET, p) if p.starts_with(&format!("/v1/{PROJECT}/networks/")) => {
            Some(Route::Network)
        }
        (&Method::GET, p) if p == format!("/v1/{PROJECT}/events") => Some(Route::Events),
        (&Method::PUT, "/meta-data/latest/api/token") => Some(Route::MetadataToken),
        (&Method::GET, "/openstack/latest/securitykey") => Some(Route::SecurityKey),
        _ => None,
    };
    let next = route.and_then(|r| {
        let mut answers = script.answers.lock().unwrap();
        let queue = answers.get_mut(&r)?;
        // The last answer repeats.
        if queue.len() > 1 {
            queue.pop_front()
        } else {
            queue.front().cloned()
        }
    });
    let a = next.unwrap_or_else(|| unscripted(route, &path));
    let mut response = Response::builder()
        .status(StatusCode::from_u16(a.status).unwrap())
        .header("content-type", "application/json")
        .header("x-request-id", "req-scripted");
    if let Some(date) = a.date {
        response = response.header("date", date);
    }
    response.body(Body::from(a.body)).unwrap()
}
