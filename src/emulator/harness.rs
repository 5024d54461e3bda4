//! The emulator without a socket: its router called directly, on a
//! current-thread runtime built once. For the `emulator` fuzz target and
//! the replay of its regressions (`fuzz/common/emulator.rs`), which cannot
//! name axum or tokio types themselves.
//!
//! Each [`Harness::emulator`] is a fresh emulator: fixed credentials, ids
//! drawn from a fixed seed, no faults, no state file, and two pools created
//! through the router, so an input can name them: a yearly/monthly one,
//! with an order an input can pay, and one created long enough ago to be
//! `Running`, which an input can PATCH.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderName, HeaderValue, Method, Request};
use axum::Router;
use http_body::Frame;
use http_body_util::BodyExt;

use super::{faults, rng, server, state, Config, Faults, Limits};
use crate::auth::signer::{self, SigningInput};

/// The access key every harness emulator accepts.
pub const AK: &str = "EMUFUZZ0000000000000";
/// Its secret key.
pub const SK: &str = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz";
/// The `X-Auth-Token` it accepts.
pub const TOKEN: &str = "fuzz-token";
/// Its project id.
pub const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
/// The `Host` its clients send.
pub const HOST: &str = "127.0.0.1:8765";
/// The network of the pool each emulator starts with.
pub const NETWORK: &str = "network-fuzz";
/// The name label of the pool each emulator starts with.
pub const POOL_LABEL: &str = "pool-fuzz";
/// The name label of its `Running` pool (`modelarts.vm.cpu.8ud`, 2 nodes).
pub const RUNNING_LABEL: &str = "pool-fuzz-running";
/// How long a body may stall: only a request whose body is read waits for
/// it, and none of the harness's stalled bodies should be read.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_millis(20);

/// A current-thread runtime for the emulators it makes.
pub struct Harness {
    rt: tokio::runtime::Runtime,
}

/// One request, as loose as an attacker sends it: any method, target,
/// header names and values. What is not valid HTTP is refused by
/// [`Emulator::call`] before the emulator sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    pub method: String,
    /// Path and query, as on the request line.
    pub target: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    /// The body never ends: after `body`, the client sends nothing more.
    pub stalled: bool,
}

/// What the emulator answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// Lowercase names, values as bytes.
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    /// Whether the emulator read from the request body at all.
    pub body_read: bool,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }
}

/// A fresh emulator on the harness's runtime.
pub struct Emulator<'a> {
    harness: &'a Harness,
    app: Arc<server::App>,
    router: Router,
    pool: String,
    order: String,
    running: String,
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

impl Harness {
    pub fn new() -> Harness {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a current-thread runtime");
        Harness { rt }
    }

    /// A fresh emulator with one pool, labelled [`POOL_LABEL`].
    pub fn emulator(&self) -> Emulator<'_> {
        let config = Config {
            listen: ([127, 0, 0, 1], 8765).into(),
            provision_time: Duration::from_secs(4),
            faults: Faults::default(),
            seed: 1,
            state_file: None,
            ak: AK.into(),
            sk: SK.into(),
            token: Some(TOKEN.into()),
            project_id: PROJECT_ID.into(),
            region: super::DEFAULT_REGION.into(),
            limits: Limits {
                body_read_timeout: BODY_READ_TIMEOUT,
                ..Limits::default()
            },
            metadata_expiry: super::DEFAULT_METADATA_EXPIRY,
        };
        let store = state::Store::open(None, config.credentials()).expect("no file to open");
        let app = Arc::new(server::App {
            injector: Mutex::new(faults::Injector::new(Faults::default(), 1)),
            ids: Mutex::new(rng::SplitMix64::new(1)),
            store,
            domain_id: "fuzzdomain".into(),
            pager: super::paging::Pager::new(SK),
            body_budget: Arc::new(tokio::sync::Semaphore::new(config.limits.body_budget)),
            issued: Mutex::default(),
            config,
        });
        let router = server::router(app.clone());
        let mut emu = Emulator {
            harness: self,
            app,
            router,
            pool: String::new(),
            order: String::new(),
            running: String::new(),
        };
        let created = emu.create(POOL_LABEL, "1");
        emu.pool = created["metadata"]["name"]
            .as_str()
            .unwrap_or_else(|| panic!("the first pool is created: {created}"))
            .to_string();
        emu.order = created["metadata"]["annotations"][super::ORDER_ID]
            .as_str()
            .unwrap_or_else(|| panic!("the first pool has an order: {created}"))
            .to_string();
        let created = emu.create(RUNNING_LABEL, "0");
        emu.running = created["metadata"]["name"]
            .as_str()
            .unwrap_or_else(|| panic!("the second pool is created: {created}"))
            .to_string();
        // Created ten provision times ago: Running now.
        let back = 10 * emu.app.config.provision_time.as_millis() as u64;
        let now = crate::time::now_unix() * 1000;
        let name = emu.running.clone();
        self.rt
            .block_on(emu.app.store.update(now, |list| {
                let found = list.iter_mut().find(|p| p.name == name);
                if let Some(p) = found {
                    let p = Arc::make_mut(p);
                    p.created_ms = p.created_ms.saturating_sub(back);
                }
                ((), true)
            }))
            .expect("no file to write");
        emu
    }
}

impl Emulator<'_> {
    /// Creates a pool labelled `label` through the router (billing mode
    /// `billing`, 2 nodes of `modelarts.vm.cpu.8ud`): the create answer.
    fn create(&self, label: &str, billing: &str) -> serde_json::Value {
        let body = serde_json::json!({
            "kind": "Pool", "apiVersion": "v2",
            "metadata": {"labels": {"os.modelarts/name": label},
                         "annotations": {"os.modelarts/billing.mode": billing}},
            "spec": {"type": "Dedicate", "scope": ["Train"], "network": {"name": NETWORK},
                     "resources": [{"flavor": "modelarts.vm.cpu.8ud", "count": 2}]}
        })
        .to_string();
        let mut input = Input {
            method: "POST".into(),
            target: format!("/v2/{PROJECT_ID}/pools"),
            headers: vec![("Content-Type".into(), b"application/json".to_vec())],
            body: body.into_bytes(),
            stalled: false,
        };
        self.sign(&mut input, crate::time::now_unix());
        let answer = self.call(&input).expect("a valid request");
        serde_json::from_slice(&answer.body).expect("a JSON answer")
    }

    /// `metadata.name` of the pool it started with.
    pub fn pool(&self) -> &str {
        &self.pool
    }

    /// `metadata.name` of its `Running` pool.
    pub fn running(&self) -> &str {
        &self.running
    }

    /// The order id of that pool (not paid yet).
    pub fn order(&self) -> &str {
        &self.order
    }

    /// Changes to the pools so far: a request that changed nothing leaves it.
    pub fn version(&self) -> u64 {
        self.app.store.version()
    }

    /// Signs `input` as a client would, dated `now_secs`: `Host` and
    /// `X-Sdk-Date` set (replacing any), `Authorization` computed over the
    /// method, the path and query as the emulator decodes them, the body,
    /// and every header whose values are all visible ASCII.
    pub fn sign(&self, input: &mut Input, now_secs: u64) {
        let drop_names = ["host", "x-sdk-date", "authorization"];
        input
            .headers
            .retain(|(n, _)| !drop_names.contains(&n.to_ascii_lowercase().as_str()));
        input
            .headers
            .push(("Host".into(), HOST.as_bytes().to_vec()));
        input.headers.push((
            "X-Sdk-Date".into(),
            crate::time::sdk_date_from_unix(now_secs).into_bytes(),
        ));
        // What is sent: the target as HTTP reads it (a fragment is not sent).
        let uri: Option<axum::http::Uri> = input.target.parse().ok();
        let (raw_path, raw_query) = match &uri {
            Some(uri) => (uri.path(), uri.query().unwrap_or("")),
            None => (input.target.as_str(), ""),
        };
        let path = super::auth::decode_path(raw_path).unwrap_or_else(|| raw_path.to_string());
        let query = super::auth::query_pairs(raw_query).unwrap_or_default();
        let ascii = |v: &[u8]| v.iter().all(|b| *b == b'\t' || (0x20..0x7f).contains(b));
        let signed: Vec<(String, String)> = input
            .headers
            .iter()
            .filter(|(name, _)| {
                input
                    .headers
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .all(|(_, v)| ascii(v))
            })
            .map(|(n, v)| {
                (
                    n.to_ascii_lowercase(),
                    String::from_utf8_lossy(v).into_owned(),
                )
            })
            .collect();
        let authorization = signer::authorization(
            &SigningInput {
                method: &input.method,
                path: &path,
                query: &query,
                headers: &signed,
                body: &input.body,
            },
            AK,
            SK,
        );
        input
            .headers
            .push(("Authorization".into(), authorization.into_bytes()));
    }

    /// Sends `input` through the router. `Err` when it is not a request
    /// HTTP can carry (a method, target or header that does not parse).
    pub fn call(&self, input: &Input) -> Result<Answer, String> {
        let method = Method::from_bytes(input.method.as_bytes()).map_err(|e| e.to_string())?;
        let mut builder = Request::builder().method(method).uri(input.target.as_str());
        for (name, value) in &input.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?;
            let value = HeaderValue::from_bytes(value).map_err(|e| e.to_string())?;
            builder = builder.header(name, value);
        }
        let read = Arc::new(AtomicBool::new(false));
        let body = Watched {
            data: Some(Bytes::from(input.body.clone())).filter(|b| !b.is_empty()),
            stalled: input.stalled,
            read: read.clone(),
        };
        let request = builder.body(Body::new(body)).map_err(|e| e.to_string())?;
        let service = hyper_util::service::TowerToHyperService::new(self.router.clone());
        let answer = self.harness.rt.block_on(async {
            let response = hyper::service::Service::call(&service, request)
                .await
                .unwrap_or_else(|e: Infallible| match e {});
            let (parts, body) = response.into_parts();
            let bytes = body
                .collect()
                .await
                .map(|c| c.to_bytes())
                .unwrap_or_default();
            Answer {
                status: parts.status.as_u16(),
                headers: parts
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_str().to_string(), v.as_bytes().to_vec()))
                    .collect(),
                body: bytes.to_vec(),
                body_read: false,
            }
        });
        Ok(Answer {
            body_read: read.load(Ordering::SeqCst),
            ..answer
        })
    }
}

/// A request body that says whether it was read, and that may never end.
struct Watched {
    data: Option<Bytes>,
    stalled: bool,
    read: Arc<AtomicBool>,
}

impl HttpBody for Watched {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.read.store(true, Ordering::SeqCst);
        match self.data.take() {
            Some(data) => Poll::Ready(Some(Ok(Frame::data(data)))),
            // Never woken: the body-read timeout ends the wait.
            None if self.stalled => Poll::Pending,
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        !self.stalled && self.data.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_requests_pass_and_the_rest_change_nothing() {
        let harness = Harness::new();
        let emu = harness.emulator();
        assert!(emu.pool().starts_with("pool-fuzz-"), "{}", emu.pool());
        let v0 = emu.version();
        let mut list = Input {
            method: "GET".into(),
            target: format!("/v2/{PROJECT_ID}/pools?labelSelector=os.modelarts%2Fname%3Dpool-fuzz"),
            ..Input::default()
        };
        let mut signed = list.clone();
        emu.sign(&mut signed, crate::time::now_unix());
        let a = emu.call(&signed).unwrap();
        assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
        // The same, unsigned, with a body that never ends: refused unread.
        list.method = "DELETE".into();
        list.target = format!("/v2/{PROJECT_ID}/pools/{}", emu.pool());
        list.stalled = true;
        list.body = b"{".to_vec();
        let a = emu.call(&list).unwrap();
        assert_eq!((a.status, a.body_read), (401, false));
        assert_eq!(emu.version(), v0);
        // Invalid HTTP is refused before the emulator.
        list.headers.push(("bad name".into(), b"x".to_vec()));
        assert!(emu.call(&list).is_err());
        // The pool's order can be paid, once.
        let mut pay = Input {
            method: "POST".into(),
            target: format!("/emulator/v1/{PROJECT_ID}/orders/{}/pay", emu.order()),
            ..Input::default()
        };
        emu.sign(&mut pay, crate::time::now_unix());
        let a = emu.call(&pay).unwrap();
        assert_eq!((a.status, a.body.is_empty()), (204, true));
        assert_eq!(emu.version(), v0 + 1);
        assert_eq!(emu.call(&pay).unwrap().status, 204);
        assert_eq!(emu.version(), v0 + 1, "paying twice changes nothing");
        // The running pool can be patched.
        let mut patch = Input {
            method: "PATCH".into(),
            target: format!("/v2/{PROJECT_ID}/pools/{}", emu.running()),
            headers: vec![(
                "Content-Type".into(),
                super::super::MERGE_PATCH.as_bytes().to_vec(),
            )],
            body: br#"{"spec":{"resources":[{"flavor":"modelarts.vm.cpu.8ud","count":3}]}}"#
                .to_vec(),
            stalled: false,
        };
        emu.sign(&mut patch, crate::time::now_unix());
        let a = emu.call(&patch).unwrap();
        assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
        assert_eq!(emu.version(), v0 + 2);
        // Fresh emulators are alike.
        let fresh = harness.emulator();
        assert_eq!(fresh.pool(), emu.pool());
        assert_eq!(fresh.order(), emu.order());
        assert_eq!(fresh.running(), emu.running());
        assert_eq!(fresh.version(), v0);
    }
}
