//! The emulator over real HTTP on 127.0.0.1, port 0: requests signed with the
//! crate's own signer and sent with reqwest, as the client will send them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use poolctl::auth::signer::{self, SigningInput};
use poolctl::emulator::{self, Config, Emulator, Faults};
use serde_json::{json, Value};

const LOOPBACK: &str = "127.0.0.1:0";

fn config(provision: Duration) -> Config {
    let listen: SocketAddr = LOOPBACK.parse().unwrap();
    Config::with_generated_credentials(listen, provision)
}

async fn start(config: Config) -> Emulator {
    emulator::start(config).await.expect("emulator starts")
}

#[derive(Debug)]
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["error_code"].as_str().unwrap_or("")
    }
    fn msg(&self) -> &str {
        self.body["error_msg"].as_str().unwrap_or("")
    }
}

/// How a test request authenticates.
#[derive(Clone, Copy)]
enum Auth<'a> {
    Signed,
    /// Signed with an `X-Sdk-Date` this far in the past.
    SignedAt(Duration),
    /// Signed, then the signature's last hex digit changed.
    Tampered,
    Token(&'a str),
    None,
}

struct Api {
    endpoint: String,
    host: String,
    ak: String,
    sk: String,
    project: String,
    http: reqwest::Client,
}

impl Api {
    fn new(emu: &Emulator) -> Api {
        Api::with_timeout(emu, Duration::from_secs(10))
    }

    fn with_timeout(emu: &Emulator, timeout: Duration) -> Api {
        // reqwest is built with `rustls-no-provider`; the crate uses ring.
        let _ = rustls::crypto::ring::default_provider().install_default();
        Api {
            endpoint: emu.endpoint(),
            host: emu.addr().to_string(),
            ak: emu.config().ak.clone(),
            sk: emu.config().sk.clone(),
            project: emu.config().project_id.clone(),
            http: reqwest::Client::builder().timeout(timeout).build().unwrap(),
        }
    }

    fn pools(&self) -> String {
        format!("/v2/{}/pools", self.project)
    }

    /// Sends `method path?query` with the body, authenticated as asked.
    async fn send(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: &[u8],
        auth: Auth<'_>,
    ) -> Result<Answer, reqwest::Error> {
        self.send_typed(method, path, query, body, Some("application/json"), auth)
            .await
    }

    /// [`Api::send`] with this `Content-Type` (signed), or none.
    async fn send_typed(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: &[u8],
        content_type: Option<&str>,
        auth: Auth<'_>,
    ) -> Result<Answer, reqwest::Error> {
        let pairs: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        // The query is sent exactly as it is signed.
        let q = signer::canonical_query(&pairs);
        let url = if q.is_empty() {
            format!("{}{path}", self.endpoint)
        } else {
            format!("{}{path}?{q}", self.endpoint)
        };
        let mut req = self
            .http
            .request(method.parse().unwrap(), url)
            .body(body.to_vec());
        match auth {
            Auth::Signed | Auth::SignedAt(_) | Auth::Tampered => {
                let age = match auth {
                    Auth::SignedAt(d) => d,
                    _ => Duration::ZERO,
                };
                let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap() - age;
                let mut headers = vec![
                    ("Host".to_string(), self.host.clone()),
                    (
                        "X-Sdk-Date".to_string(),
                        poolctl::time::sdk_date_from_unix(now.as_secs()),
                    ),
                ];
                if let Some(t) = content_type {
                    headers.push(("Content-Type".to_string(), t.to_string()));
                }
                let mut authorization = signer::authorization(
                    &SigningInput {
                        method,
                        path,
                        query: &pairs,
                        headers: &headers,
                        body,
                    },
                    &self.ak,
                    &self.sk,
                );
                if let Auth::Tampered = auth {
                    let last = authorization.pop().unwrap();
                    authorization.push(if last == '0' { '1' } else { '0' });
                }
                for (k, v) in headers.iter().filter(|(k, _)| k != "Host") {
                    req = req.header(k, v);
                }
                req = req.header("Authorization", authorization);
            }
            Auth::Token(t) => req = req.header("X-Auth-Token", t),
            Auth::None => {}
        }
        if let (Some(t), Auth::Token(_) | Auth::None) = (content_type, auth) {
            req = req.header("Content-Type", t);
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await?;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                panic!(
                    "answer {status} is not JSON: {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    async fn call(&self, method: &str, path: &str, query: &[(&str, &str)], body: &[u8]) -> Answer {
        self.send(method, path, query, body, Auth::Signed)
            .await
            .expect("the request gets an answer")
    }

    async fn create(&self, body: &Value) -> Answer {
        self.call("POST", &self.pools(), &[], body.to_string().as_bytes())
            .await
    }

    /// `PATCH .../pools/{name}` with a JSON merge patch.
    async fn patch(&self, name: &str, patch: &Value) -> Answer {
        self.patch_typed(name, patch, Some("application/merge-patch+json"))
            .await
    }

    async fn patch_typed(&self, name: &str, patch: &Value, content_type: Option<&str>) -> Answer {
        let path = format!("{}/{name}", self.pools());
        self.send_typed(
            "PATCH",
            &path,
            &[],
            patch.to_string().as_bytes(),
            content_type,
            Auth::Signed,
        )
        .await
        .expect("the request gets an answer")
    }

    async fn show(&self, name: &str) -> Answer {
        self.call("GET", &format!("{}/{name}", self.pools()), &[], b"")
            .await
    }

    async fn list(&self, query: &[(&str, &str)]) -> Vec<Value> {
        let a = self.call("GET", &self.pools(), query, b"").await;
        assert_eq!(a.status, 200, "{:?}", a.body);
        assert_eq!(a.body["kind"], "List");
        assert_eq!(a.body["apiVersion"], "v2");
        a.body["items"].as_array().unwrap().clone()
    }

    /// `/v1/{project}/{what}`.
    fn v1(&self, what: &str) -> String {
        format!("/v1/{}/{what}", self.project)
    }

    /// The items of a v1 list (one page), checking the envelope.
    async fn v1_list(&self, what: &str, query: &[(&str, &str)]) -> Vec<Value> {
        let a = self.call("GET", &self.v1(what), query, b"").await;
        assert_eq!(a.status, 200, "{what} {query:?}: {:?}", a.body);
        assert_eq!(a.body["kind"], "List");
        assert_eq!(a.body["apiVersion"], "v1");
        a.body["items"].as_array().unwrap().clone()
    }

    /// Every page of a v1 list, `limit` at a time, and the answers' metadata.
    async fn v1_pages(
        &self,
        what: &str,
        query: &[(&str, &str)],
        limit: &str,
    ) -> (Vec<Value>, Vec<Value>) {
        let (mut items, mut metas) = (Vec::new(), Vec::new());
        let mut token: Option<String> = None;
        loop {
            let mut q: Vec<(&str, &str)> = query.to_vec();
            q.push(("limit", limit));
            if let Some(t) = &token {
                q.push(("continue", t));
            }
            let a = self.call("GET", &self.v1(what), &q, b"").await;
            assert_eq!(a.status, 200, "{:?}", a.body);
            items.extend(a.body["items"].as_array().unwrap().iter().cloned());
            metas.push(a.body["metadata"].clone());
            match a.body["metadata"]["continue"].as_str() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return (items, metas),
            }
            assert!(metas.len() < 100, "paging never ends");
        }
    }

    /// The events of the pool `name`.
    async fn events(&self, name: &str, query: &[(&str, &str)]) -> Vec<Value> {
        let mut q = vec![("resource", "pools"), ("name", name)];
        q.extend_from_slice(query);
        self.v1_list("events", &q).await
    }

    /// `POST /emulator/v1/{project}/orders/{order}/pay`.
    async fn pay(&self, order: &str) -> Answer {
        let path = format!("/emulator/v1/{}/orders/{order}/pay", self.project);
        self.call("POST", &path, &[], b"").await
    }

    /// Polls show until the phase is `want`, failing after `limit`.
    async fn wait_phase(&self, name: &str, want: &str, limit: Duration) -> Answer {
        let start = Instant::now();
        loop {
            let a = self.show(name).await;
            assert_eq!(a.status, 200, "{:?}", a.body);
            if a.body["status"]["phase"] == want {
                return a;
            }
            assert!(
                start.elapsed() < limit,
                "still {} after {limit:?}, wanted {want}",
                a.body["status"]["phase"]
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// A flavor of the catalogue, normal in both zones.
const CPU: &str = "modelarts.vm.cpu.8ud";
/// Sold out in both zones.
const SOLD_OUT: &str = "modelarts.vm.gpu.v100";
/// A network that exists and is `Active`.
const NETWORK: &str = "network-21e1-6f5da086876d4cd084d36f8bd3346036";

fn dedicate(name: &str, flavor: &str, count: u64) -> Value {
    json!({
        "kind": "Pool",
        "apiVersion": "v2",
        "metadata": {
            "labels": {"os.modelarts/name": name, "os.modelarts/workspace.id": "0"},
            "annotations": {"os.modelarts/description": ""}
        },
        "spec": {
            "type": "Dedicate",
            "scope": ["Train"],
            "network": {"name": NETWORK},
            "resources": [{"count": count, "flavor": flavor}]
        }
    })
}

/// The `reason` of each event.
fn reasons(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["reason"].as_str().unwrap().to_string())
        .collect()
}

fn name_of(a: &Answer) -> String {
    a.body["metadata"]["name"].as_str().unwrap().to_string()
}

fn assert_request_id(a: &Answer) {
    let id = a.headers.get("x-request-id").expect("X-Request-Id header");
    assert_eq!(id.len(), 32, "{id:?}");
}

// ------------------------------------------------------------------ pools

#[tokio::test]
async fn create_then_show_goes_creating_to_running_node_by_node() {
    let emu = start(config(Duration::from_millis(600))).await;
    let api = Api::new(&emu);
    let created = api
        .create(&dedicate("pool-ae01", "modelarts.vm.cpu.8ud", 3))
        .await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    assert_request_id(&created);
    let t0 = Instant::now();
    let b = &created.body;
    // Like the reference: status has empty resources and no phase.
    assert_eq!(b["status"], json!({"resources": {}}));
    assert_eq!(b["kind"], "Pool");
    assert_eq!(b["apiVersion"], "v2");
    let name = name_of(&created);
    let suffix = name
        .strip_prefix("pool-ae01-")
        .expect("name is label-suffix");
    assert!(
        suffix.len() == 32
            && suffix
                .bytes()
                .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
    );
    let ts = b["metadata"]["creationTimestamp"].as_str().unwrap();
    assert!(
        poolctl::time::unix_from_rfc3339(ts).is_some() && ts.ends_with('Z'),
        "{ts}"
    );
    let labels = &b["metadata"]["labels"];
    assert_eq!(labels["os.modelarts/name"], "pool-ae01");
    assert_eq!(labels["os.modelarts/workspace.id"], "0");
    assert_eq!(labels["os.modelarts.pool/biz"], "private");
    assert_eq!(
        labels["os.modelarts/tenant.project.id"],
        api.project.as_str()
    );
    for k in [
        "os.modelarts/resource.id",
        "os.modelarts/tenant.domain.id",
        "os.modelarts/create-from",
    ] {
        assert!(labels[k].is_string(), "label {k} in {labels}");
    }
    assert_eq!(
        b["spec"]["resources"],
        json!([{"count": 3, "flavor": "modelarts.vm.cpu.8ud", "maxCount": 3}])
    );

    let first = api.show(&name).await;
    assert_eq!(first.status, 200);
    assert_request_id(&first);
    if t0.elapsed() < Duration::from_millis(150) {
        assert_eq!(first.body["status"]["phase"], "Creating");
        assert_eq!(
            first.body["status"]["resources"]["creating"],
            json!([{"flavor": "modelarts.vm.cpu.8ud", "count": 3}])
        );
        assert_eq!(first.body["status"]["scope"][0]["state"], "Enabling");
    }
    // Nodes come one by one: some show call sees a partial count.
    let mut saw_partial = false;
    let running = loop {
        let a = api.show(&name).await;
        let phase = a.body["status"]["phase"].as_str().unwrap().to_string();
        let up = a.body["status"]["resources"]["available"][0]["count"]
            .as_u64()
            .unwrap_or(0);
        if phase == "Creating" && (1..3).contains(&up) {
            saw_partial = true;
        }
        if phase == "Running" {
            break a;
        }
        assert_eq!(phase, "Creating");
        assert!(t0.elapsed() < Duration::from_secs(5), "never Running");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(saw_partial, "no show call saw 1 or 2 of 3 nodes");
    assert!(
        t0.elapsed() >= Duration::from_millis(550),
        "Running too early"
    );
    let st = &running.body["status"];
    assert_eq!(
        st["resources"],
        json!({"available": [{"flavor": "modelarts.vm.cpu.8ud", "count": 3}]})
    );
    assert_eq!(
        st["scope"],
        json!([{"scopeType": "Train", "state": "Enabled"}])
    );
    assert_eq!(st["root"], name.as_str());
    emu.shutdown().await;
}

#[tokio::test]
async fn duplicate_names_conflict_and_unknown_pools_are_404() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    let body = dedicate("pool-dup", "modelarts.vm.cpu.8ud", 1);
    assert_eq!(api.create(&body).await.status, 200);
    let again = api.create(&body).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.code(), "ModelArts.50015000");
    assert_eq!(again.msg(), "Pool already exists.");
    assert_request_id(&again);
    // Another workspace is another namespace.
    let mut other = body.clone();
    other["metadata"]["labels"]["os.modelarts/workspace.id"] = json!("ws-2");
    assert_eq!(api.create(&other).await.status, 200);

    let missing = api.show("pool-nope-0123").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.code(), "ModelArts.50015001");
    let del = api
        .call(
            "DELETE",
            &format!("{}/pool-nope-0123", api.pools()),
            &[],
            b"",
        )
        .await;
    assert_eq!(del.status, 404);
    assert_eq!(del.code(), "ModelArts.50015001");
    emu.shutdown().await;
}

#[tokio::test]
async fn bad_bodies_are_400_with_a_reason() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    let cases = [
        (dedicate("Bad_Name", CPU, 1), "invalid pool name Bad_Name"),
        (
            dedicate("pool-zero", CPU, 0),
            "count must be an integer of at least 1",
        ),
        (
            json!({"kind": "Pool", "apiVersion": "v1", "metadata": {"labels": {"os.modelarts/name": "pool-a"}}}),
            "apiVersion must be v2",
        ),
        (
            {
                let mut b = dedicate("pool-nonet", CPU, 1);
                b["spec"].as_object_mut().unwrap().remove("network");
                b
            },
            "spec.network is required",
        ),
    ];
    for (body, reason) in cases {
        let a = api.create(&body).await;
        assert_eq!(a.status, 400, "{body}");
        assert_eq!(a.code(), "ModelArts.50004000");
        assert!(a.msg().starts_with("Bad request: "), "{}", a.msg());
        assert!(a.msg().contains(reason), "{} lacks {reason}", a.msg());
    }
    // The reference example has a trailing comma: not JSON.
    let a = api
        .call(
            "POST",
            &api.pools(),
            &[],
            br#"{"kind":"Pool","spec":{"resources":[{"count":1,"flavor":"modelarts.vm.cpu.8ud",}]}}"#,
        )
        .await;
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("not valid JSON"), "{}", a.msg());
    // Binary junk is a 400 too, never a crash.
    let a = api
        .call("POST", &api.pools(), &[], &[0xff, 0x00, 0xfe, 0x80])
        .await;
    assert_eq!(a.status, 400);
    // A missing network is a 404 of its own.
    let mut body = dedicate("pool-net", CPU, 1);
    body["spec"]["network"]["name"] = json!("network-missing-01");
    let a = api.create(&body).await;
    assert_eq!(a.status, 404);
    assert_eq!(a.code(), "ModelArts.50025001");
    assert!(api.list(&[]).await.is_empty(), "no pool was created");
    emu.shutdown().await;
}

#[tokio::test]
async fn huge_bodies_unknown_apis_and_foreign_projects() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    let huge = vec![b' '; emulator::MAX_BODY + 1];
    let a = api.call("POST", &api.pools(), &[], &huge).await;
    assert_eq!(a.status, 413);
    assert_eq!(a.code(), "APIG.0201");
    assert_request_id(&a);

    let a = api.call("GET", "/v2/nothing/here/at/all", &[], b"").await;
    assert_eq!(a.status, 404);
    assert_eq!(a.code(), "APIG.0101");
    assert_request_id(&a);
    let a = api.call("PUT", &api.pools(), &[], b"").await;
    assert_eq!(a.status, 404);
    assert_eq!(a.code(), "APIG.0101");

    let a = api
        .call("GET", "/v2/0123456789abcdef/pools", &[], b"")
        .await;
    assert_eq!(a.status, 403);
    assert_eq!(a.code(), "APIG.0302");
    assert!(a.msg().contains("project"), "{}", a.msg());
    emu.shutdown().await;
}

#[tokio::test]
async fn list_filters_by_label_and_status() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    let fast = name_of(&api.create(&dedicate("pool-list-a", CPU, 1)).await);
    let slow = name_of(&api.create(&dedicate("slow-list-b", CPU, 1)).await);
    let failed = name_of(&api.create(&dedicate("pool-list-c", SOLD_OUT, 1)).await);
    api.wait_phase(&fast, "Running", Duration::from_secs(5))
        .await;
    api.wait_phase(&failed, "CreationFailed", Duration::from_secs(5))
        .await;

    let names = |items: Vec<Value>| -> Vec<String> {
        let mut n: Vec<String> = items
            .iter()
            .map(|i| i["metadata"]["name"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        names(api.list(&[]).await),
        sorted(vec![fast.clone(), slow.clone(), failed.clone()])
    );
    assert_eq!(
        names(
            api.list(&[("labelSelector", "os.modelarts/name=pool-list-a")])
                .await
        ),
        vec![fast.clone()]
    );
    assert_eq!(names(api.list(&[("status", "created")]).await), vec![fast]);
    assert_eq!(names(api.list(&[("status", "creating")]).await), vec![slow]);
    assert_eq!(names(api.list(&[("status", "failed")]).await), vec![failed]);
    assert!(api.list(&[("workspaceId", "ws-9")]).await.is_empty());
    let bad = api
        .call("GET", &api.pools(), &[("status", "done")], b"")
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.msg().contains("status must be"), "{}", bad.msg());
    emu.shutdown().await;
}

#[tokio::test]
async fn delete_goes_through_deleting_to_404() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    let name = name_of(&api.create(&dedicate("pool-del", CPU, 2)).await);
    let path = format!("{}/{name}", api.pools());
    let t0 = Instant::now();
    let del = api.call("DELETE", &path, &[], b"").await;
    assert_eq!(del.status, 200, "{:?}", del.body);
    assert_eq!(del.body["status"]["phase"], "Deleting");
    assert_eq!(del.body["metadata"]["name"], name.as_str());
    let shown = api.show(&name).await;
    if t0.elapsed() < Duration::from_millis(150) {
        assert_eq!(shown.body["status"]["phase"], "Deleting");
        // The name stays taken while the pool is being deleted.
        assert_eq!(api.create(&dedicate("pool-del", CPU, 2)).await.status, 409);
    }
    loop {
        let a = api.show(&name).await;
        if a.status == 404 {
            assert_eq!(a.code(), "ModelArts.50015001");
            break;
        }
        assert_eq!(a.body["status"]["phase"], "Deleting");
        assert!(t0.elapsed() < Duration::from_secs(5), "never gone");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(t0.elapsed() >= Duration::from_millis(190), "gone too early");
    assert!(api.list(&[]).await.is_empty());
    // Gone for good: the name is free again.
    assert_eq!(api.create(&dedicate("pool-del", CPU, 2)).await.status, 200);
    emu.shutdown().await;
}

#[tokio::test]
async fn triggers_soldout_abnormal_and_logical_waiting() {
    let emu = start(config(Duration::from_millis(400))).await;
    let api = Api::new(&emu);
    let sold = name_of(&api.create(&dedicate("pool-sold", SOLD_OUT, 1)).await);
    let odd = name_of(&api.create(&dedicate("abnormal-odd", CPU, 1)).await);
    let logical = json!({
        "kind": "Pool", "apiVersion": "v2",
        "metadata": {"labels": {"os.modelarts/name": "pool-logic-01"},
                     "annotations": {"os.modelarts/billing.mode": 0}},
        "spec": {"type": "Logical", "resources": [{"flavor": "modelarts.vm.gpu.tnt004", "count": 2}]}
    });
    let created = api.create(&logical).await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    // A number in an annotation is taken as its text.
    assert_eq!(
        created.body["metadata"]["annotations"]["os.modelarts/billing.mode"],
        "0"
    );
    let logical = name_of(&created);
    let first = api.show(&logical).await;
    assert!(["Waiting", "Creating", "Running"]
        .contains(&first.body["status"]["phase"].as_str().unwrap()));
    let failed = api
        .wait_phase(&sold, "CreationFailed", Duration::from_secs(5))
        .await;
    assert_eq!(
        failed.body["status"]["message"],
        "insufficient capacity: flavor modelarts.vm.gpu.v100 is sold out in ap-southeast-1a, ap-southeast-1b"
    );
    let abnormal = api
        .wait_phase(&odd, "Abnormal", Duration::from_secs(5))
        .await;
    assert_eq!(
        abnormal.body["status"]["resources"]["abnormal"],
        json!([{"flavor": CPU, "count": 1}])
    );
    assert_eq!(
        abnormal.body["status"]["message"],
        "1 node(s) of flavor modelarts.vm.cpu.8ud failed the health check"
    );
    let warnings = api.events(&odd, &[("type", "Warning")]).await;
    assert_eq!(reasons(&warnings), ["NodeAbnormal"]);
    assert_eq!(
        warnings[0]["message"],
        "1 node(s) of flavor modelarts.vm.cpu.8ud failed the health check"
    );
    // The flavor has nothing to do with it any more: only the name does.
    let plain = name_of(&api.create(&dedicate("pool-plain", CPU, 1)).await);
    api.wait_phase(&plain, "Running", Duration::from_secs(5))
        .await;
    let running = api
        .wait_phase(&logical, "Running", Duration::from_secs(5))
        .await;
    assert_eq!(running.body["status"]["resources"], json!({}));
    // Failed pools stay failed.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        api.show(&sold).await.body["status"]["phase"],
        "CreationFailed"
    );
    emu.shutdown().await;
}

/// The flavors of the catalogue, by name, and their state in zones a and b.
const CATALOGUE: [(&str, &str, &str); 7] = [
    ("modelarts.vm.cpu.16u64", "soldout", "normal"),
    ("modelarts.vm.cpu.4u8", "normal", "normal"),
    ("modelarts.vm.cpu.8ud", "normal", "normal"),
    ("modelarts.vm.gpu.t4u8", "normal", "normal"),
    ("modelarts.vm.gpu.tnt004", "normal", "normal"),
    ("modelarts.vm.gpu.v100", "soldout", "soldout"),
    ("modelarts.vm.npu.snt9b", "normal", "soldout"),
];

fn item_names(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn flavors_and_the_iam_project_lookup() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    let a = api.call("GET", &api.v1("resourceflavors"), &[], b"").await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(a.body["kind"], "List");
    assert_eq!(a.body["apiVersion"], "v1");
    // One page without `limit`: no continue token.
    assert!(a.body["metadata"].get("continue").is_none(), "{}", a.body);
    let items = a.body["items"].as_array().unwrap();
    assert_eq!(
        item_names(items),
        CATALOGUE.iter().map(|c| c.0).collect::<Vec<_>>()
    );
    for (item, (name, za, zb)) in items.iter().zip(CATALOGUE) {
        assert_eq!(
            item["status"]["phase"],
            json!({"ap-southeast-1a": za, "ap-southeast-1b": zb}),
            "{name}"
        );
        assert_eq!(item["kind"], "ResourceFlavor");
        assert_eq!(item["spec"]["type"], "Dedicate");
        assert!(item["spec"]["cpu"].is_string(), "{item}");
        assert!(item["spec"].get("resType").is_none(), "{item}");
    }
    // The SDK's ResourceFlavor, whole.
    assert_eq!(
        items[3],
        json!({
            "apiVersion": "v1", "kind": "ResourceFlavor",
            "metadata": {"name": "modelarts.vm.gpu.t4u8",
                         "labels": {"os.modelarts/scope": "Train,Infer,Notebook"},
                         "annotations": {}},
            "spec": {"type": "Dedicate", "cpuArch": "x86", "cpu": "8", "memory": "32Gi",
                     "gpu": {"type": "nvidia-t4", "size": "1", "memory": "16Gi"},
                     "dataVolume": [], "billingModes": [0, 1], "jobFlavors": []},
            "status": {"phase": {"ap-southeast-1a": "normal", "ap-southeast-1b": "normal"}}
        })
    );
    let npu = &items[6]["spec"];
    assert_eq!(npu["cpuArch"], "arm");
    assert_eq!(
        npu["npu"],
        json!({"type": "ascend-snt9b", "size": "8", "memory": "64Gi"})
    );
    assert!(npu.get("gpu").is_none() && items[0]["spec"].get("gpu").is_none());
    // labelSelector on metadata.labels (a value may hold commas).
    let all = api
        .v1_list(
            "resourceflavors",
            &[("labelSelector", "os.modelarts/scope=Train,Infer,Notebook")],
        )
        .await;
    assert_eq!(all.len(), 7);
    let none = api
        .v1_list(
            "resourceflavors",
            &[("labelSelector", "os.modelarts/scope=Train")],
        )
        .await;
    assert!(none.is_empty());

    let p = api
        .call("GET", "/v3/projects", &[("name", "ap-southeast-1")], b"")
        .await;
    assert_eq!(p.status, 200);
    let projects = p.body["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0]["id"], api.project.as_str());
    assert_eq!(projects[0]["name"], "ap-southeast-1");
    let none = api
        .call("GET", "/v3/projects", &[("name", "eu-west-101")], b"")
        .await;
    assert_eq!(none.status, 200);
    assert_eq!(none.body["projects"], json!([]));
    // Same auth as the pool API.
    let anon = api
        .send(
            "GET",
            "/v3/projects",
            &[("name", "ap-southeast-1")],
            b"",
            Auth::None,
        )
        .await
        .unwrap();
    assert_eq!(anon.status, 401);
    emu.shutdown().await;
}

#[test]
fn export_lines_point_at_the_emulator() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let emu = start(config(Duration::from_millis(300))).await;
        let lines = emu.export_lines();
        let endpoint = format!("http://127.0.0.1:{}", emu.addr().port());
        assert_eq!(emu.endpoint(), endpoint);
        let c = emu.config();
        let expected = format!(
            "export POOLCTL_ENDPOINT={endpoint}\nexport HUAWEICLOUD_SDK_AK={}\nexport HUAWEICLOUD_SDK_SK={}\n\
             export POOLCTL_PROJECT_ID={}\nexport POOLCTL_IAM_ENDPOINT={endpoint}\nexport POOLCTL_REGION=ap-southeast-1\n",
            c.ak, c.sk, c.project_id
        );
        assert_eq!(lines, expected);
        assert!(c.ak.starts_with("EMU"));
        // The SK shows in the exports, which the user asked for, never in Debug.
        assert!(!format!("{c:?}").contains(&c.sk));
        emu.shutdown().await;
    });
}

// ------------------------------------------------------------ PATCH (issue 11)

const MERGE_PATCH: &str = "application/merge-patch+json";

/// The pool as show gives it, without its status: what a refused PATCH
/// must leave as it was.
async fn stored(api: &Api, name: &str) -> Value {
    let mut a = api.show(name).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    a.body.as_object_mut().unwrap().remove("status");
    a.body
}

/// A pool created and `Running`, with `P` the emulator's provision time.
async fn running(api: &Api, name: &str, flavor: &str, count: u64) -> String {
    let created = api.create(&dedicate(name, flavor, count)).await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    let name = name_of(&created);
    api.wait_phase(&name, "Running", Duration::from_secs(10))
        .await;
    name
}

fn resources(flavor: &str, count: u64) -> Value {
    json!({"spec": {"resources": [{"flavor": flavor, "count": count}]}})
}

#[tokio::test]
async fn patch_takes_only_a_merge_patch_and_authenticates_first() {
    let emu = start(config(Duration::from_millis(200))).await;
    let api = Api::new(&emu);
    let name = running(&api, "pool-types", CPU, 1).await;
    let before = stored(&api, &name).await;
    let change = json!({"metadata": {"annotations": {"os.modelarts/description": "new"}}});
    for sent in [
        Some("application/json"),
        Some("application/json-patch+json"),
        Some("text/plain"),
        None,
    ] {
        let a = api.patch_typed(&name, &change, sent).await;
        assert_eq!(a.status, 415, "{sent:?}: {:?}", a.body);
        assert_eq!(a.code(), "ModelArts.50004000");
        assert!(
            a.msg()
                .ends_with("use Content-Type: application/merge-patch+json"),
            "{}",
            a.msg()
        );
        assert_request_id(&a);
    }
    assert_eq!(stored(&api, &name).await, before, "nothing changed");
    // Unsigned or badly signed: 401 whatever the content type.
    let path = format!("{}/{name}", api.pools());
    let body = change.to_string();
    for auth in [Auth::None, Auth::Tampered] {
        for t in [Some(MERGE_PATCH), Some("text/plain")] {
            let a = api
                .send_typed("PATCH", &path, &[], body.as_bytes(), t, auth)
                .await
                .unwrap();
            assert_eq!((a.status, a.code()), (401, "APIG.0301"), "{:?}", a.body);
        }
    }
    assert_eq!(stored(&api, &name).await, before);
    // Parameters and case do not matter.
    let a = api
        .patch_typed(
            &name,
            &change,
            Some("Application/Merge-Patch+JSON; charset=utf-8"),
        )
        .await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(
        a.body["metadata"]["annotations"]["os.modelarts/description"],
        "new"
    );
    // Not JSON, or not an object: 400.
    let a = api
        .send_typed("PATCH", &path, &[], b"{", Some(MERGE_PATCH), Auth::Signed)
        .await
        .unwrap();
    assert_eq!((a.status, a.code()), (400, "ModelArts.50004000"));
    assert!(a.msg().contains("not valid JSON"), "{}", a.msg());
    let a = api.patch(&name, &json!(["a"])).await;
    assert_eq!(a.status, 400);
    assert!(a.msg().contains("must be a JSON object"), "{}", a.msg());
    emu.shutdown().await;
}

#[tokio::test]
async fn patch_merges_objects_removes_nulls_and_replaces_arrays() {
    let emu = start(config(Duration::from_millis(200))).await;
    let api = Api::new(&emu);
    let name = running(&api, "pool-merge", CPU, 1).await;
    let a = api
        .patch(
            &name,
            &json!({
                "metadata": {"annotations": {"os.modelarts/description": null, "team": "ml"}},
                "spec": {"scope": ["Infer", "Notebook"], "driver": {"gpu": {"version": "535.54"}}},
                "status": {"phase": "Error"}
            }),
        )
        .await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_request_id(&a);
    let annotations = &a.body["metadata"]["annotations"];
    assert!(annotations.get("os.modelarts/description").is_none());
    assert_eq!(annotations["team"], "ml");
    assert_eq!(annotations["os.modelarts/billing.mode"], "0", "kept");
    assert_eq!(a.body["spec"]["scope"], json!(["Infer", "Notebook"]));
    assert_eq!(
        a.body["spec"]["driver"],
        json!({"gpu": {"version": "535.54"}})
    );
    assert_eq!(a.body["spec"]["network"], json!({"name": NETWORK}));
    // The answer is the pool as show gives it then: `status` is the
    // service's, whatever the patch said.
    let st = &a.body["status"];
    assert_eq!(st["phase"], "Running");
    assert_eq!(
        st["scope"],
        json!([{"scopeType": "Infer", "state": "Enabled"},
               {"scopeType": "Notebook", "state": "Enabled"}])
    );
    let mut shown = api.show(&name).await.body;
    let mut answered = a.body.clone();
    shown.as_object_mut().unwrap().remove("status");
    answered.as_object_mut().unwrap().remove("status");
    assert_eq!(shown, answered);

    // A list replaces the list: the resource entry is the one sent, with
    // maxCount filled in from count.
    let entry = json!({"flavor": CPU, "count": 1,
                       "azs": [{"az": "ap-southeast-1b", "count": 1}]});
    let a = api
        .patch(&name, &json!({"spec": {"resources": [entry]}}))
        .await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(
        a.body["spec"]["resources"],
        json!([{"flavor": CPU, "count": 1,
                "azs": [{"az": "ap-southeast-1b", "count": 1}], "maxCount": 1}])
    );
    assert_eq!(a.body["status"]["phase"], "Running");
    // Saying the same again, or nothing, changes nothing.
    let before = stored(&api, &name).await;
    for same in [
        json!({}),
        json!({"spec": {"scope": ["Infer", "Notebook"]}}),
        json!({"metadata": {"labels": {"os.modelarts/name": "pool-merge"}}, "kind": "Pool"}),
    ] {
        let a = api.patch(&name, &same).await;
        assert_eq!(a.status, 200, "{same}: {:?}", a.body);
    }
    assert_eq!(stored(&api, &name).await, before);
    // No node count changed: no scale event.
    let events = reasons(&api.events(&name, &[]).await);
    assert!(
        !events.iter().any(|r| r.starts_with("PoolScal")),
        "{events:?}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn patch_refuses_fields_that_need_a_new_pool_naming_each() {
    // A pool still Creating: what cannot change is a 400 before the 409.
    let emu = start(config(Duration::from_secs(20))).await;
    let api = Api::new(&emu);
    let name = name_of(&api.create(&dedicate("pool-fixed", CPU, 1)).await);
    let before = stored(&api, &name).await;
    let cases = [
        (
            json!({"metadata": {"labels": {"os.modelarts/name": "pool-other"}}}),
            "metadata.labels.os.modelarts/name",
        ),
        (
            json!({"metadata": {"labels": {"os.modelarts/workspace.id": "ws-2"}}}),
            "metadata.labels.os.modelarts/workspace.id",
        ),
        (
            json!({"metadata": {"labels": {"os.modelarts/node.prefix": "np"}}}),
            "metadata.labels.os.modelarts/node.prefix",
        ),
        (
            json!({"metadata": {"labels": {"team": "ml"}}}),
            "metadata.labels.team",
        ),
        (json!({"metadata": {"name": "x"}}), "metadata.name"),
        (json!({"spec": {"type": "Logical"}}), "spec.type"),
        (
            json!({"spec": {"network": {"name": "network-other"}}}),
            "spec.network.name",
        ),
        (json!({"spec": {"network": null}}), "spec.network"),
        (
            json!({"spec": {"network": {"vpcId": "vpc-1", "subnetId": "subnet-1"}}}),
            "spec.network.subnetId, spec.network.vpcId",
        ),
        (
            json!({"spec": {"userLogin": {"keyPairName": "kp"}}}),
            "spec.userLogin",
        ),
        (
            json!({"spec": {"clusters": [{"providerId": "c"}]}}),
            "spec.clusters",
        ),
        (
            json!({"spec": {"masters": [{"az": "ap-southeast-1a"}]}}),
            "spec.masters",
        ),
        (
            json!({"spec": {"containerNetwork": {"mode": "overlay_l2"}}}),
            "spec.containerNetwork",
        ),
        (
            json!({"metadata": {"annotations": {"os.modelarts/billing.mode": "1"}}}),
            "metadata.annotations.os.modelarts/billing.mode",
        ),
        (
            json!({"metadata": {"annotations": {"os.modelarts/period.type": "2"}}}),
            "metadata.annotations.os.modelarts/period.type",
        ),
        (
            json!({"metadata": {"annotations": {"os.modelarts/auto.renew": "1"}}}),
            "metadata.annotations.os.modelarts/auto.renew",
        ),
        (json!({"kind": "Other"}), "kind"),
        (json!({"apiVersion": "v1"}), "apiVersion"),
        // With changes that are allowed: still refused whole.
        (
            json!({"spec": {"type": "Logical", "network": {"name": "network-x"},
                            "scope": ["Infer"], "resources": [{"flavor": CPU, "count": 2}]},
                   "metadata": {"annotations": {"team": "ml"}}}),
            "spec.network.name, spec.type",
        ),
    ];
    for (patch, fields) in cases {
        let a = api.patch(&name, &patch).await;
        assert_eq!((a.status, a.code()), (400, "ModelArts.50004000"), "{patch}");
        assert_eq!(
            a.msg(),
            format!("Bad request: {fields} cannot be changed in place; create a new pool"),
            "{patch}"
        );
        assert_eq!(
            stored(&api, &name).await,
            before,
            "{patch}: nothing changed"
        );
    }
    // The create rules hold for the patched pool; a flavor must exist.
    for (patch, status, code, needle) in [
        (
            resources(CPU, 0),
            400,
            "ModelArts.50004000",
            "spec.resources[0].count must be an integer of at least 1",
        ),
        (
            json!({"spec": {"resources": [{"flavor": CPU, "count": 2, "maxCount": 3}]}}),
            400,
            "ModelArts.50004000",
            "maxCount must equal count in a Dedicate pool",
        ),
        (
            json!({"spec": {"scope": ["Train", "Train"]}}),
            400,
            "ModelArts.50004000",
            "spec.scope[1]",
        ),
        (
            resources("modelarts.vm.cpu.8uf", 1),
            404,
            "ModelArts.50005101",
            "resource flavor modelarts.vm.cpu.8uf not found",
        ),
    ] {
        let a = api.patch(&name, &patch).await;
        assert_eq!(
            (a.status, a.code()),
            (status, code),
            "{patch}: {:?}",
            a.body
        );
        assert!(a.msg().contains(needle), "{patch}: {}", a.msg());
    }
    assert_eq!(stored(&api, &name).await, before);
    emu.shutdown().await;
}

#[tokio::test]
async fn patch_waits_for_running_and_unknown_pools_are_404() {
    let emu = start(config(Duration::from_secs(20))).await;
    let api = Api::new(&emu);
    let name = name_of(&api.create(&dedicate("pool-busy", CPU, 1)).await);
    let before = stored(&api, &name).await;
    let a = api.patch(&name, &resources(CPU, 2)).await;
    assert_eq!(
        (a.status, a.code()),
        (409, "ModelArts.50015003"),
        "{:?}",
        a.body
    );
    assert_eq!(
        a.msg(),
        "pool pool-busy is Creating; it can be changed once it is Running"
    );
    assert_request_id(&a);
    // Waiting for its order.
    let mut ordered = dedicate("pool-unpaid", CPU, 1);
    ordered["metadata"]["annotations"]["os.modelarts/billing.mode"] = json!("1");
    let unpaid = name_of(&api.create(&ordered).await);
    let a = api
        .patch(
            &unpaid,
            &json!({"metadata": {"annotations": {"team": "ml"}}}),
        )
        .await;
    assert_eq!((a.status, a.code()), (409, "ModelArts.50015003"));
    assert_eq!(
        a.msg(),
        "pool pool-unpaid is Waiting; it can be changed once it is Running"
    );
    // Being deleted.
    let del = api
        .call("DELETE", &format!("{}/{name}", api.pools()), &[], b"")
        .await;
    assert_eq!(del.status, 200);
    let a = api.patch(&name, &resources(CPU, 2)).await;
    assert_eq!((a.status, a.code()), (409, "ModelArts.50015003"));
    assert_eq!(
        a.msg(),
        "pool pool-busy is Deleting; it cannot be changed any more"
    );
    let mut deleting = stored(&api, &name).await;
    deleting.as_object_mut().unwrap().remove("status");
    assert_eq!(deleting, before);
    // Unknown: 404 as for show.
    let a = api.patch("pool-nope-0123", &resources(CPU, 2)).await;
    assert_eq!((a.status, a.code()), (404, "ModelArts.50015001"));
    assert_eq!(a.msg(), api.show("pool-nope-0123").await.msg());
    emu.shutdown().await;
}

#[tokio::test]
async fn scale_up_walks_nodes_from_creating_to_available_while_running() {
    let emu = start(config(Duration::from_millis(1500))).await;
    let api = Api::new(&emu);
    let name = running(&api, "pool-up", CPU, 2).await;
    let t0 = Instant::now();
    let a = api.patch(&name, &resources(CPU, 5)).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    // At once: the spec has the new count, the status the nodes to come.
    assert_eq!(
        a.body["spec"]["resources"],
        json!([{"flavor": CPU, "count": 5, "maxCount": 5}])
    );
    let st = &a.body["status"];
    assert_eq!(st["phase"], "Running");
    assert_eq!(
        st["resources"],
        json!({"creating": [{"flavor": CPU, "count": 3}],
               "available": [{"flavor": CPU, "count": 2}]})
    );
    // Node by node, Running all along.
    let mut seen = std::collections::BTreeSet::new();
    loop {
        let a = api.show(&name).await;
        let st = &a.body["status"];
        assert_eq!(st["phase"], "Running", "{st}");
        let up = st["resources"]["available"][0]["count"].as_u64().unwrap();
        let coming = st["resources"]["creating"][0]["count"]
            .as_u64()
            .unwrap_or(0);
        assert_eq!(up + coming, 5, "{st}");
        seen.insert(up);
        if up == 5 {
            assert!(st["resources"].get("creating").is_none(), "{st}");
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "never scaled");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(
        t0.elapsed() >= Duration::from_millis(1400),
        "scaled too early"
    );
    assert!(
        seen.contains(&3) || seen.contains(&4),
        "no show saw a node in between: {seen:?}"
    );
    let events = api.events(&name, &[]).await;
    assert_eq!(
        reasons(&events),
        [
            "PoolCreating",
            "NodesAvailable",
            "PoolRunning",
            "PoolScaling",
            "PoolScaled"
        ]
    );
    assert_eq!(
        events[1]["message"], "2 node(s) of flavor modelarts.vm.cpu.8ud are available",
        "the creation's events keep their counts"
    );
    assert_eq!(events[3]["type"], "Normal");
    assert_eq!(
        events[3]["message"],
        "scaling pool pool-up: modelarts.vm.cpu.8ud 2 \u{2192} 5"
    );
    assert_eq!(events[4]["type"], "Normal");
    assert_eq!(
        events[4]["message"],
        "pool pool-up is scaled: modelarts.vm.cpu.8ud 2 \u{2192} 5"
    );
    // `list --status created` still finds it.
    let items = api
        .list(&[
            ("labelSelector", "os.modelarts/name=pool-up"),
            ("status", "created"),
        ])
        .await;
    assert_eq!(items.len(), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn scale_down_shows_the_nodes_deleting_and_a_second_patch_starts_from_there() {
    // Nodes leave at P/3, 2P/3 and P: the second patch comes between.
    let emu = start(config(Duration::from_millis(2000))).await;
    let api = Api::new(&emu);
    let name = running(&api, "pool-down", CPU, 4).await;
    let a = api.patch(&name, &resources(CPU, 1)).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    let st = &a.body["status"];
    assert_eq!(st["phase"], "Running");
    // Leaving nodes are there until they leave: available and deleting.
    assert_eq!(
        st["resources"],
        json!({"available": [{"flavor": CPU, "count": 4}],
               "deleting": [{"flavor": CPU, "count": 3}]})
    );
    let t0 = Instant::now();
    let partial = loop {
        let a = api.show(&name).await;
        let st = a.body["status"].clone();
        assert_eq!(st["phase"], "Running", "{st}");
        let up = st["resources"]["available"][0]["count"].as_u64().unwrap();
        if up < 4 {
            break st;
        }
        assert!(t0.elapsed() < Duration::from_secs(5), "no node left");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let up = partial["resources"]["available"][0]["count"]
        .as_u64()
        .unwrap();
    let leaving = partial["resources"]["deleting"][0]["count"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(up - leaving, 1, "{partial}");
    // A second patch during the scale starts from the nodes there then.
    let a = api.patch(&name, &resources(CPU, 4)).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    let now_up = a.body["status"]["resources"]["available"][0]["count"]
        .as_u64()
        .unwrap();
    assert!(now_up < 4, "{}", a.body["status"]);
    assert_eq!(
        a.body["status"]["resources"]["creating"][0]["count"],
        4 - now_up
    );
    assert!(a.body["status"]["resources"].get("deleting").is_none());
    let done = loop {
        let a = api.show(&name).await;
        if a.body["status"]["resources"]["available"][0]["count"] == 4
            && a.body["status"]["resources"].get("creating").is_none()
        {
            break a;
        }
        assert_eq!(a.body["status"]["phase"], "Running");
        assert!(t0.elapsed() < Duration::from_secs(10), "never back to 4");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!(done.body["status"]["phase"], "Running");
    let events = api.events(&name, &[]).await;
    let scaling: Vec<String> = events
        .iter()
        .filter(|e| e["reason"].as_str().unwrap().starts_with("PoolScal"))
        .map(|e| {
            format!(
                "{} {}",
                e["reason"].as_str().unwrap(),
                e["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        scaling,
        [
            "PoolScaling scaling pool pool-down: modelarts.vm.cpu.8ud 4 \u{2192} 1".to_string(),
            format!("PoolScaling scaling pool pool-down: modelarts.vm.cpu.8ud {now_up} \u{2192} 4"),
            format!(
                "PoolScaled pool pool-down is scaled: modelarts.vm.cpu.8ud {now_up} \u{2192} 4"
            ),
        ],
        "the first scale, overtaken, never ends"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn scaling_onto_a_sold_out_flavor_fails_with_a_warning_event() {
    let emu = start(config(Duration::from_millis(600))).await;
    let api = Api::new(&emu);
    let name = running(&api, "pool-scale-sold", CPU, 2).await;
    let more = json!({"spec": {"resources": [{"flavor": CPU, "count": 2},
                                             {"flavor": SOLD_OUT, "count": 1}]}});
    let t0 = Instant::now();
    let a = api.patch(&name, &more).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(a.body["status"]["phase"], "Running");
    assert_eq!(
        a.body["status"]["resources"]["creating"],
        json!([{"flavor": SOLD_OUT, "count": 1}])
    );
    let failed = api
        .wait_phase(&name, "ScalingFailed", Duration::from_secs(5))
        .await;
    assert!(
        t0.elapsed() >= Duration::from_millis(250),
        "failed too early"
    );
    let message =
        "scaling failed: flavor modelarts.vm.gpu.v100 is sold out in ap-southeast-1a, ap-southeast-1b";
    let st = &failed.body["status"];
    assert_eq!(st["message"], message);
    // The nodes that were there stay.
    assert_eq!(
        st["resources"],
        json!({"available": [{"flavor": CPU, "count": 2}]})
    );
    assert_eq!(st["scope"][0]["state"], "Enabled");
    let warnings = api.events(&name, &[("type", "Warning")]).await;
    assert_eq!(reasons(&warnings), ["ScalingFailed"]);
    assert_eq!(warnings[0]["message"], message);
    let failed_list = api
        .list(&[
            ("labelSelector", "os.modelarts/name=pool-scale-sold"),
            ("status", "failed"),
        ])
        .await;
    assert_eq!(failed_list.len(), 1);
    // Still failed later; then a patch starts a new scale from what is
    // there: back to the flavor that has nodes, it is Running at once.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        api.show(&name).await.body["status"]["phase"],
        "ScalingFailed"
    );
    let a = api.patch(&name, &resources(CPU, 2)).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    assert_eq!(a.body["status"]["phase"], "Running");
    assert!(a.body["status"].get("message").is_none());
    assert_eq!(
        a.body["status"]["resources"],
        json!({"available": [{"flavor": CPU, "count": 2}]})
    );
    emu.shutdown().await;
}

// ---------------------------------- flavors, networks, orders, events (issue 10)

#[tokio::test]
async fn flavors_page_two_at_a_time_to_the_end() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    let whole = api.v1_list("resourceflavors", &[]).await;
    let (items, metas) = api.v1_pages("resourceflavors", &[], "2").await;
    assert_eq!(items, whole, "the pages make the whole list, in order");
    assert_eq!(metas.len(), 4);
    let remaining: Vec<Value> = metas
        .iter()
        .map(|m| m["remainingItemCount"].clone())
        .collect();
    assert_eq!(remaining, [json!(5), json!(3), json!(1), Value::Null]);
    assert_eq!(metas[3], json!({}), "the last page has no continue");
    // The same token twice gives the same page: tokens are not consumed.
    let first = api
        .call("GET", &api.v1("resourceflavors"), &[("limit", "2")], b"")
        .await;
    let token = first.body["metadata"]["continue"]
        .as_str()
        .unwrap()
        .to_string();
    let q = [("limit", "2"), ("continue", token.as_str())];
    let again = api.call("GET", &api.v1("resourceflavors"), &q, b"").await;
    assert_eq!(
        item_names(again.body["items"].as_array().unwrap()),
        item_names(&whole[2..4])
    );
    let second = api.call("GET", &api.v1("resourceflavors"), &q, b"").await;
    assert_eq!(second.body, again.body);
    // Tokens the emulator did not issue for this list, and bad limits: 400.
    let mut forged = token.clone();
    forged.pop();
    forged.push(if token.ends_with('0') { '1' } else { '0' });
    for (k, v) in [
        ("continue", "not-a-token"),
        ("continue", forged.as_str()),
        ("limit", "0"),
        ("limit", "501"),
        ("limit", "two"),
    ] {
        let a = api
            .call("GET", &api.v1("resourceflavors"), &[(k, v)], b"")
            .await;
        assert_eq!((a.status, a.code()), (400, "ModelArts.50004000"), "{k}={v}");
        assert!(a.msg().contains(k), "{}", a.msg());
    }
    // A flavors token is not a networks token.
    let a = api
        .call(
            "GET",
            &api.v1("networks"),
            &[("continue", token.as_str())],
            b"",
        )
        .await;
    assert_eq!(a.status, 400);
    let all = api.v1_list("resourceflavors", &[("limit", "500")]).await;
    assert_eq!(all.len(), 7);
    emu.shutdown().await;
}

#[tokio::test]
async fn networks_follow_their_names() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    for (name, phase) in [
        ("network-default", "Active"),
        (NETWORK, "Active"),
        ("network-b-creating", "Creating"),
        ("network-c-abnormal", "Abnormal"),
    ] {
        let a = api
            .call("GET", &api.v1(&format!("networks/{name}")), &[], b"")
            .await;
        assert_eq!(a.status, 200, "{name}: {:?}", a.body);
        assert_eq!(a.body["kind"], "Network");
        assert_eq!(a.body["apiVersion"], "v1");
        assert_eq!(a.body["metadata"]["name"], name);
        assert_eq!(
            a.body["metadata"]["labels"],
            json!({"os.modelarts/name": name})
        );
        assert!(a.body["metadata"]["creationTimestamp"].is_string());
        assert_eq!(
            a.body["spec"],
            json!({"cidr": "192.168.128.0/17", "connection": {}})
        );
        assert_eq!(a.body["status"], json!({"phase": phase}), "{name}");
    }
    for name in [
        "network-missing",
        "network-missing-creating",
        "net-01",
        "default",
    ] {
        let a = api
            .call("GET", &api.v1(&format!("networks/{name}")), &[], b"")
            .await;
        assert_eq!((a.status, a.code()), (404, "ModelArts.50025001"), "{name}");
        assert_eq!(a.msg(), format!("network {name} does not exist"));
    }
    // The list: network-default, and the networks pools name, once each.
    assert_eq!(
        item_names(&api.v1_list("networks", &[]).await),
        ["network-default"]
    );
    let mut other = dedicate("pool-net-b", CPU, 1);
    other["spec"]["network"]["name"] = json!("network-b-creating");
    for body in [
        dedicate("pool-net-a", CPU, 1),
        other,
        dedicate("pool-net-c", CPU, 1),
    ] {
        assert_eq!(api.create(&body).await.status, 200);
    }
    let listed = api.v1_list("networks", &[]).await;
    assert_eq!(
        item_names(&listed),
        [NETWORK, "network-b-creating", "network-default"]
    );
    assert_eq!(listed[1]["status"]["phase"], "Creating");
    let (paged, metas) = api.v1_pages("networks", &[], "1").await;
    assert_eq!(paged, listed);
    assert_eq!(metas[0]["remainingItemCount"], 2);
    let selected = api
        .v1_list(
            "networks",
            &[("labelSelector", "os.modelarts/name=network-default")],
        )
        .await;
    assert_eq!(item_names(&selected), ["network-default"]);
    emu.shutdown().await;
}

#[tokio::test]
async fn unknown_flavors_and_networks_are_404_and_create_nothing() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    let logical = json!({
        "kind": "Pool", "apiVersion": "v2",
        "metadata": {"labels": {"os.modelarts/name": "pool-logic-x"}},
        "spec": {"type": "Logical", "resources": [{"flavor": "modelarts.vm.cpu.2u", "count": 1}]}
    });
    let mut second = dedicate("pool-second", CPU, 1);
    second["spec"]["resources"] = json!([{"flavor": CPU, "count": 1}, {"flavor": "f", "count": 1}]);
    for (body, flavor) in [
        (
            dedicate("pool-old", "modelarts.vm.gpu.v100.soldout", 1),
            "modelarts.vm.gpu.v100.soldout",
        ),
        (logical, "modelarts.vm.cpu.2u"),
        (second, "f"),
    ] {
        let a = api.create(&body).await;
        assert_eq!((a.status, a.code()), (404, "ModelArts.50005101"), "{body}");
        assert_eq!(a.msg(), format!("resource flavor {flavor} not found"));
    }
    for network in ["network-missing-01", "net-01", "networks-a"] {
        let mut body = dedicate("pool-nonet", CPU, 1);
        body["spec"]["network"]["name"] = json!(network);
        let a = api.create(&body).await;
        assert_eq!(
            (a.status, a.code()),
            (404, "ModelArts.50025001"),
            "{network}"
        );
        assert_eq!(a.msg(), format!("network {network} does not exist"));
    }
    assert!(api.list(&[]).await.is_empty(), "nothing was created");
    // A privileged pool names its VPC and subnet: no network is looked up.
    let mut privileged = dedicate("pool-vpc", CPU, 1);
    privileged["spec"]["network"] = json!({"vpcId": "vpc-1", "subnetId": "subnet-1"});
    assert_eq!(api.create(&privileged).await.status, 200);
    // A sold-out flavor is accepted: the pool fails later.
    assert_eq!(
        api.create(&dedicate("pool-sold", SOLD_OUT, 1)).await.status,
        200
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn sold_out_pools_fail_with_warning_events() {
    let emu = start(config(Duration::from_millis(400))).await;
    let api = Api::new(&emu);
    let sold = name_of(&api.create(&dedicate("pool-sold", SOLD_OUT, 1)).await);
    // Sold out in zone a only: fails if the pool may only use zone a.
    let mut zone_a = dedicate("pool-zone-a", "modelarts.vm.cpu.16u64", 2);
    zone_a["spec"]["resources"][0]["azs"] =
        json!([{"az": "ap-southeast-1a", "count": 2}, {"az": "ap-southeast-1b", "count": 0}]);
    let zone_a = name_of(&api.create(&zone_a).await);
    let anywhere = name_of(
        &api.create(&dedicate("pool-anywhere", "modelarts.vm.cpu.16u64", 2))
            .await,
    );

    let failed = api
        .wait_phase(&sold, "CreationFailed", Duration::from_secs(5))
        .await;
    let message = "insufficient capacity: flavor modelarts.vm.gpu.v100 is sold out in ap-southeast-1a, ap-southeast-1b";
    assert_eq!(failed.body["status"]["message"], message);
    assert!(failed.body["status"]["resources"]
        .get("available")
        .is_none());
    let events = api.events(&sold, &[]).await;
    assert_eq!(
        reasons(&events),
        ["PoolCreating", "FlavorSoldOut", "PoolCreationFailed"]
    );
    let soldout = &events[1];
    assert_eq!(soldout["type"], "Warning");
    assert_eq!(soldout["count"], 3);
    assert_eq!(
        soldout["message"],
        "flavor modelarts.vm.gpu.v100 is sold out in ap-southeast-1a, ap-southeast-1b; no node could be created"
    );
    assert_eq!(events[2]["type"], "Warning");
    assert_eq!(events[2]["message"], message);
    let warnings = api.events(&sold, &[("type", "Warning")]).await;
    assert_eq!(reasons(&warnings), ["FlavorSoldOut", "PoolCreationFailed"]);
    let normal = api.events(&sold, &[("type", "Normal")]).await;
    assert_eq!(reasons(&normal), ["PoolCreating"]);

    let in_a = api
        .wait_phase(&zone_a, "CreationFailed", Duration::from_secs(5))
        .await;
    assert_eq!(
        in_a.body["status"]["message"],
        "insufficient capacity: flavor modelarts.vm.cpu.16u64 is sold out in ap-southeast-1a"
    );
    api.wait_phase(&anywhere, "Running", Duration::from_secs(5))
        .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn orders_wait_until_paid_automatically_or_by_the_call() {
    let emu = start(config(Duration::from_millis(600))).await;
    let api = Api::new(&emu);
    let ordered = |name: &str| {
        let mut b = dedicate(name, CPU, 1);
        b["metadata"]["annotations"]["os.modelarts/billing.mode"] = json!("1");
        b
    };
    let t0 = Instant::now();
    let created = api.create(&ordered("pool-order")).await;
    assert_eq!(created.status, 200);
    let order = created.body["metadata"]["annotations"]["os.modelarts/order.id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        order.len() == 16
            && order.starts_with("CS")
            && order[2..].bytes().all(|b| b.is_ascii_digit()),
        "{order}"
    );
    let name = name_of(&created);
    let shown = api.show(&name).await;
    if t0.elapsed() < Duration::from_millis(250) {
        assert_eq!(shown.body["status"]["phase"], "Waiting");
        assert_eq!(
            shown.body["status"]["message"],
            format!("the order {order} is waiting for payment")
        );
        assert!(api.list(&[("status", "creating")]).await.len() == 1);
    }
    // Paid automatically after P/2, then the whole creation from there.
    api.wait_phase(&name, "Creating", Duration::from_secs(5))
        .await;
    assert!(t0.elapsed() >= Duration::from_millis(290), "paid too early");
    api.wait_phase(&name, "Running", Duration::from_secs(5))
        .await;
    assert!(t0.elapsed() >= Duration::from_millis(890), "ran too early");
    assert_eq!(
        reasons(&api.events(&name, &[]).await),
        [
            "PoolCreating",
            "OrderWaiting",
            "OrderPaid",
            "NodesAvailable",
            "PoolRunning"
        ]
    );
    // Paying it now changes nothing.
    assert_eq!(api.pay(&order).await.status, 204);

    // A slow- pool waits 3 s for its automatic payment: the call pays at once.
    let slow = api.create(&ordered("slow-order")).await;
    let slow_order = slow.body["metadata"]["annotations"]["os.modelarts/order.id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(slow_order, order);
    let slow = name_of(&slow);
    assert_eq!(api.show(&slow).await.body["status"]["phase"], "Waiting");
    let paid = api.pay(&slow_order).await;
    assert_eq!(paid.status, 204);
    assert_eq!(paid.body, Value::Null, "no body");
    assert_eq!(api.show(&slow).await.body["status"]["phase"], "Creating");
    assert_eq!(api.pay(&slow_order).await.status, 204, "idempotent");
    let events = api.events(&slow, &[]).await;
    assert_eq!(
        reasons(&events),
        ["PoolCreating", "OrderWaiting", "OrderPaid"]
    );
    assert_eq!(
        events[2]["message"],
        format!("the order {slow_order} is paid")
    );

    let unknown = api.pay("CS00000000000000").await;
    assert_eq!((unknown.status, unknown.code()), (404, "EMU.0404"));
    let anon = api
        .send(
            "POST",
            &format!("/emulator/v1/{}/orders/{order}/pay", api.project),
            &[],
            b"",
            Auth::None,
        )
        .await
        .unwrap();
    assert_eq!(anon.status, 401);
    let foreign = api
        .call(
            "POST",
            &format!("/emulator/v1/0000/orders/{order}/pay"),
            &[],
            b"",
        )
        .await;
    assert_eq!(foreign.status, 403);
    emu.shutdown().await;
}

#[tokio::test]
async fn events_filter_by_type_and_time_and_page() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    let mut body = dedicate("pool-events", CPU, 2);
    body["spec"]["resources"] =
        json!([{"flavor": CPU, "count": 2}, {"flavor": "modelarts.vm.gpu.t4u8", "count": 1}]);
    let created = api.create(&body).await;
    let name = name_of(&created);
    let created_at = created.body["metadata"]["creationTimestamp"]
        .as_str()
        .unwrap()
        .to_string();
    api.wait_phase(&name, "Running", Duration::from_secs(5))
        .await;
    let events = api.events(&name, &[]).await;
    assert_eq!(
        reasons(&events),
        [
            "PoolCreating",
            "NodesAvailable",
            "NodesAvailable",
            "PoolRunning"
        ]
    );
    let first = &events[0];
    assert_eq!(first["apiVersion"], "v1");
    assert_eq!(first["kind"], "Event");
    assert_eq!(first["metadata"]["name"], format!("{name}.1"));
    assert_eq!(first["metadata"]["creationTimestamp"], created_at.as_str());
    assert_eq!(
        first["involvedObject"],
        json!({"kind": "Pool", "name": name})
    );
    assert_eq!(first["type"], "Normal");
    assert_eq!(first["message"], "creating pool pool-events");
    assert_eq!(first["firstTimestamp"], created_at.as_str());
    assert_eq!(first["lastTimestamp"], created_at.as_str());
    assert_eq!(first["count"], 1);
    assert_eq!(
        events[1]["message"],
        "2 node(s) of flavor modelarts.vm.cpu.8ud are available"
    );
    let stamp =
        |e: &Value| poolctl::time::unix_from_rfc3339(e["lastTimestamp"].as_str().unwrap()).unwrap();
    assert!(
        events.windows(2).all(|w| stamp(&w[0]) <= stamp(&w[1])),
        "by lastTimestamp"
    );

    assert!(api.events(&name, &[("type", "Warning")]).await.is_empty());
    assert_eq!(api.events(&name, &[("type", "Normal")]).await.len(), 4);
    assert_eq!(
        api.events(&name, &[("since", &created_at)]).await.len(),
        4,
        "since is inclusive"
    );
    assert!(api
        .events(&name, &[("since", "2999-01-01T00:00:00Z")])
        .await
        .is_empty());
    assert!(api
        .events(&name, &[("until", "2000-01-01T00:00:00Z")])
        .await
        .is_empty());
    let running_at = events[3]["lastTimestamp"].as_str().unwrap();
    let until = api.events(&name, &[("until", running_at)]).await;
    assert_eq!(until.len(), 4, "until is inclusive");

    // One at a time, to the end, in the same order.
    let (paged, metas) = api
        .v1_pages(
            "events",
            &[("resource", "pools"), ("name", name.as_str())],
            "1",
        )
        .await;
    assert_eq!(paged, events);
    assert_eq!(metas[0]["remainingItemCount"], 3);
    // A token is bound to its filters.
    let t = metas[0]["continue"].as_str().unwrap();
    let a = api
        .call(
            "GET",
            &api.v1("events"),
            &[
                ("resource", "pools"),
                ("name", &name),
                ("type", "Normal"),
                ("continue", t),
            ],
            b"",
        )
        .await;
    assert_eq!(a.status, 400);

    // Unknown pool: an empty list. Another workspace: the same.
    assert!(api.events(&format!("{name}x"), &[]).await.is_empty());
    assert!(api
        .events(&name, &[("workspaceId", "ws-1")])
        .await
        .is_empty());
    assert_eq!(api.events(&name, &[("workspaceId", "0")]).await.len(), 4);
    for (query, needle) in [
        (
            vec![("resource", "jobs"), ("name", name.as_str())],
            "resource",
        ),
        (vec![("name", name.as_str())], "resource"),
        (
            vec![("resource", "pools"), ("name", &name), ("type", "Error")],
            "type",
        ),
        (
            vec![
                ("resource", "pools"),
                ("name", &name),
                ("since", "yesterday"),
            ],
            "since",
        ),
        (
            vec![("resource", "pools"), ("name", &name), ("limit", "0")],
            "limit",
        ),
    ] {
        let a = api.call("GET", &api.v1("events"), &query, b"").await;
        assert_eq!(
            (a.status, a.code()),
            (400, "ModelArts.50004000"),
            "{query:?}"
        );
        assert!(a.msg().contains(needle), "{}", a.msg());
    }

    // Deleting adds its event, last.
    let del = api
        .call("DELETE", &format!("{}/{name}", api.pools()), &[], b"")
        .await;
    assert_eq!(del.status, 200);
    let after = api.events(&name, &[]).await;
    assert_eq!(after.len(), 5);
    assert_eq!(after[4]["reason"], "PoolDeleting");
    assert_eq!(after[4]["metadata"]["name"], format!("{name}.5"));
    emu.shutdown().await;
}

// ------------------------------------------------------------------- auth

#[tokio::test]
async fn signatures_are_verified_like_the_gateway() {
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    let pools = api.pools();
    let body = dedicate("pool-auth", CPU, 1).to_string();

    let bad = api
        .send("POST", &pools, &[], body.as_bytes(), Auth::Tampered)
        .await
        .unwrap();
    assert_eq!(bad.status, 401);
    assert_eq!(bad.code(), "APIG.0301");
    assert_eq!(
        bad.msg(),
        "Incorrect IAM authentication information: signature mismatch"
    );
    assert_request_id(&bad);

    let stale = api
        .send(
            "GET",
            &pools,
            &[],
            b"",
            Auth::SignedAt(Duration::from_secs(16 * 60)),
        )
        .await
        .unwrap();
    assert_eq!(stale.status, 401);
    assert_eq!(stale.code(), "APIG.0301");
    assert!(stale.msg().contains("15-minute window"), "{}", stale.msg());
    let recent = api
        .send(
            "GET",
            &pools,
            &[],
            b"",
            Auth::SignedAt(Duration::from_secs(14 * 60)),
        )
        .await
        .unwrap();
    assert_eq!(recent.status, 200);

    let other_key = Api {
        ak: "EMUNOTTHEKEY00000000".into(),
        ..Api::new(&emu)
    };
    let a = other_key.call_raw_status("GET", &pools).await;
    assert_eq!(a.status, 401);
    assert!(a.msg().contains("unknown access key"), "{}", a.msg());

    let other_secret = Api {
        sk: "not-the-secret".into(),
        ..Api::new(&emu)
    };
    let a = other_secret.call_raw_status("GET", &pools).await;
    assert_eq!(a.status, 401);
    assert!(a.msg().contains("signature mismatch"));

    // Signed query pairs count: a query changed after signing is refused.
    let a = api
        .http
        .get(format!("{}{pools}?status=created", api.endpoint))
        .header("X-Sdk-Date", poolctl::time::sdk_date_from_unix(now_secs()))
        .header(
            "Authorization",
            signer::authorization(
                &SigningInput {
                    method: "GET",
                    path: &pools,
                    query: &[],
                    headers: &[
                        ("host".into(), api.host.clone()),
                        (
                            "x-sdk-date".into(),
                            poolctl::time::sdk_date_from_unix(now_secs()),
                        ),
                    ],
                    body: b"",
                },
                &api.ak,
                &api.sk,
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(a.status().as_u16(), 401);

    let none = api.send("GET", &pools, &[], b"", Auth::None).await.unwrap();
    assert_eq!(none.status, 401);
    assert_eq!(none.code(), "APIG.0301");
    // Nothing was created by the refused POST; the secret never shows.
    assert!(api.list(&[]).await.is_empty());
    for a in [&bad, &stale, &none] {
        assert!(!a.body.to_string().contains(&api.sk));
    }
    emu.shutdown().await;
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

impl Api {
    async fn call_raw_status(&self, method: &str, path: &str) -> Answer {
        self.send(method, path, &[], b"", Auth::Signed)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn tokens_are_accepted_when_configured() {
    let mut cfg = config(Duration::from_millis(300));
    cfg.token = Some("emulator-token-123".into());
    let emu = start(cfg).await;
    let api = Api::new(&emu);
    let pools = api.pools();
    let ok = api
        .send("GET", &pools, &[], b"", Auth::Token("emulator-token-123"))
        .await
        .unwrap();
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    let created = api
        .send(
            "POST",
            &pools,
            &[],
            dedicate("pool-token", CPU, 1).to_string().as_bytes(),
            Auth::Token("emulator-token-123"),
        )
        .await
        .unwrap();
    assert_eq!(created.status, 200);
    let bad = api
        .send("GET", &pools, &[], b"", Auth::Token("some-other-token"))
        .await
        .unwrap();
    assert_eq!(bad.status, 401);
    assert_eq!(bad.code(), "ModelArts.50001000");
    emu.shutdown().await;
}

// ----------------------------------------------------------------- faults

fn with_faults(spec: &str) -> Config {
    let mut c = config(Duration::from_millis(300));
    c.faults = Faults::parse(spec).unwrap();
    c.seed = 7;
    c
}

#[tokio::test]
async fn throttling_with_and_without_retry_after() {
    let emu = start(with_faults("get:429=2*1,get:429*1")).await;
    let api = Api::new(&emu);
    let first = api.call("GET", &api.pools(), &[], b"").await;
    assert_eq!(first.status, 429);
    assert_eq!(first.code(), "APIG.0308");
    assert!(
        first.msg().contains("throttling threshold"),
        "{}",
        first.msg()
    );
    assert_eq!(first.headers["retry-after"], "2");
    assert_request_id(&first);
    let second = api.call("GET", &api.pools(), &[], b"").await;
    assert_eq!(second.status, 429);
    assert_eq!(second.code(), "APIG.0308");
    assert!(second.headers.get("retry-after").is_none());
    let third = api.call("GET", &api.pools(), &[], b"").await;
    assert_eq!(third.status, 200);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_count_of_503s_then_service() {
    let emu = start(with_faults("get:503*3,500*1")).await;
    let api = Api::new(&emu);
    // Faults never touch unauthenticated requests, nor count them.
    let anon = api
        .send("GET", &api.pools(), &[], b"", Auth::None)
        .await
        .unwrap();
    assert_eq!(anon.status, 401);
    for _ in 0..3 {
        let a = api.call("GET", &api.pools(), &[], b"").await;
        assert_eq!(a.status, 503);
        assert_eq!(a.code(), "APIG.0202");
    }
    // The 500 rule had not examined the GETs the 503 rule answered.
    let a = api.call("GET", &api.pools(), &[], b"").await;
    assert_eq!(a.status, 500);
    assert_eq!(a.code(), "ModelArts.50005000");
    assert_eq!(api.call("GET", &api.pools(), &[], b"").await.status, 200);
    emu.shutdown().await;
}

#[tokio::test]
async fn probabilities_follow_the_seed() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let mut c = with_faults("get:503%50");
        c.seed = seed;
        let emu = start(c).await;
        let api = Api::new(&emu);
        let mut out = Vec::new();
        for _ in 0..40 {
            out.push(api.call("GET", &api.pools(), &[], b"").await.status);
        }
        emu.shutdown().await;
        out
    }
    let a = statuses(11).await;
    assert_eq!(a, statuses(11).await, "same seed, same faults");
    let hits = a.iter().filter(|s| **s == 503).count();
    assert!((8..=32).contains(&hits), "{hits} of 40 at 50%");
    assert!(a.iter().all(|s| *s == 200 || *s == 503));
}

/// A TCP reset somewhere in the error's chain (not a timeout, not a status).
fn is_reset(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionReset {
                return true;
            }
        }
        source = e.source();
    }
    false
}

#[tokio::test]
async fn reset_before_changes_nothing() {
    let emu = start(with_faults("post:reset-before*1")).await;
    let api = Api::new(&emu);
    // Over a kept-alive connection, as a real client's second call goes.
    assert!(api.list(&[]).await.is_empty());
    let err = api
        .send(
            "POST",
            &api.pools(),
            &[],
            dedicate("pool-rb", CPU, 1).to_string().as_bytes(),
            Auth::Signed,
        )
        .await
        .expect_err("the client sees a broken connection, not an answer");
    assert!(is_reset(&err), "{err:?}");
    assert!(
        api.list(&[]).await.is_empty(),
        "reset-before created a pool"
    );
    // The next POST goes through.
    assert_eq!(api.create(&dedicate("pool-rb", CPU, 1)).await.status, 200);
    assert_eq!(api.list(&[]).await.len(), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn reset_after_leaves_exactly_one_pool() {
    let emu = start(with_faults("post:reset-after*1")).await;
    let api = Api::new(&emu);
    assert!(api.list(&[]).await.is_empty());
    let body = dedicate("pool-ra", CPU, 1);
    let err = api
        .send(
            "POST",
            &api.pools(),
            &[],
            body.to_string().as_bytes(),
            Auth::Signed,
        )
        .await
        .expect_err("the answer is lost");
    assert!(is_reset(&err), "{err:?}");
    let items = api
        .list(&[("labelSelector", "os.modelarts/name=pool-ra")])
        .await;
    assert_eq!(items.len(), 1, "{items:?}");
    // A blind resend would now conflict: the client must look the pool up.
    assert_eq!(api.create(&body).await.status, 409);
    assert_eq!(api.list(&[]).await.len(), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn latency_comes_after_processing() {
    let emu = start(with_faults("post:latency=700ms")).await;
    let slow_client = Api::with_timeout(&emu, Duration::from_millis(200));
    let body = dedicate("pool-late", CPU, 1);
    let t0 = Instant::now();
    let err = slow_client
        .send(
            "POST",
            &slow_client.pools(),
            &[],
            body.to_string().as_bytes(),
            Auth::Signed,
        )
        .await
        .expect_err("the client gives up first");
    assert!(err.is_timeout(), "{err:?}");
    assert!(t0.elapsed() < Duration::from_millis(650));
    // The ambiguous case: the client timed out, yet the pool exists.
    let api = Api::new(&emu);
    assert_eq!(
        api.list(&[("labelSelector", "os.modelarts/name=pool-late")])
            .await
            .len(),
        1
    );
    // A patient client gets the answer, late.
    let t0 = Instant::now();
    let a = api.create(&dedicate("pool-late-2", CPU, 1)).await;
    assert_eq!(a.status, 200);
    assert!(
        t0.elapsed() >= Duration::from_millis(700),
        "{:?}",
        t0.elapsed()
    );
    // GETs are not delayed by a post: rule.
    let t0 = Instant::now();
    api.list(&[]).await;
    assert!(t0.elapsed() < Duration::from_millis(500));
    emu.shutdown().await;
}

// ------------------------------------------------------------------ state

fn state_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("emulator-state.json")
}

#[tokio::test]
async fn the_state_file_survives_a_restart_and_is_always_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = state_path(&dir);
    let mut cfg = config(Duration::from_millis(500));
    cfg.state_file = Some(path.clone());
    let emu = start(cfg.clone()).await;
    let api = Api::new(&emu);

    // A reader that parses the file as fast as it can while pools change.
    let reader_path = path.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop_reader = stop.clone();
    let reader = std::thread::spawn(move || {
        let mut reads = 0u32;
        while !stop_reader.load(std::sync::atomic::Ordering::Relaxed) {
            let bytes = std::fs::read(&reader_path).expect("the file is always there");
            let v: Value = serde_json::from_slice(&bytes).expect("the file is always whole JSON");
            assert_eq!(v["format"], "poolctl-emulator-state/1");
            reads += 1;
        }
        reads
    });
    let mut names = Vec::new();
    for i in 0..8 {
        let a = api
            .create(&dedicate(&format!("pool-state-{i}"), CPU, 1))
            .await;
        assert_eq!(a.status, 200);
        names.push(name_of(&a));
        // After every answered change, the file already holds it.
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(v["pools"].as_array().unwrap().len(), i + 1);
    }
    let deleted = names.pop().unwrap();
    let del = api
        .call("DELETE", &format!("{}/{deleted}", api.pools()), &[], b"")
        .await;
    assert_eq!(del.status, 200);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(reader.join().expect("reader never saw a broken file") > 0);
    let created_at = api.show(&names[0]).await.body["metadata"]["creationTimestamp"].clone();
    emu.shutdown().await;

    // The file holds the credentials (read back by `poolctl emulator`).
    let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(v["credentials"]["ak"], cfg.ak.as_str());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the state file holds the SK: owner only");
    }

    // A restart (another port) carries on: same pools, lifecycle from the timestamps.
    let emu = start(cfg).await;
    let api = Api::new(&emu);
    let shown = api.show(&names[0]).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.body["metadata"]["creationTimestamp"], created_at);
    api.wait_phase(&names[0], "Running", Duration::from_secs(5))
        .await;
    assert_eq!(
        api.list(&[]).await.len(),
        7 + usize::from(api.show(&deleted).await.status == 200)
    );
    let gone = loop {
        let a = api.show(&deleted).await;
        if a.status == 404 {
            break a;
        }
        assert_eq!(a.body["status"]["phase"], "Deleting");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(gone.code(), "ModelArts.50015001");
    assert_eq!(
        api.create(&dedicate("pool-state-0", CPU, 1)).await.status,
        409,
        "the restarted emulator knows the old names"
    );
    emu.shutdown().await;
}

/// A payment is kept in the state file: a restarted emulator does not send
/// a paid pool back to `Waiting`.
#[tokio::test]
async fn a_paid_order_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(Duration::from_secs(20));
    cfg.state_file = Some(state_path(&dir));
    let emu = start(cfg.clone()).await;
    let api = Api::new(&emu);
    let mut body = dedicate("pool-paid", CPU, 1);
    body["metadata"]["annotations"]["os.modelarts/billing.mode"] = json!("1");
    let created = api.create(&body).await;
    let name = name_of(&created);
    let order = created.body["metadata"]["annotations"]["os.modelarts/order.id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut other = body.clone();
    other["metadata"]["labels"]["os.modelarts/name"] = json!("pool-unpaid");
    let unpaid = name_of(&api.create(&other).await);
    assert_eq!(api.pay(&order).await.status, 204);
    emu.shutdown().await;
    let saved: Value = serde_json::from_slice(&std::fs::read(state_path(&dir)).unwrap()).unwrap();
    let paid: Vec<bool> = saved["pools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["paid_ms"].is_u64())
        .collect();
    assert_eq!(paid, [true, false]);

    let emu = start(cfg).await;
    let api = Api::new(&emu);
    assert_eq!(api.show(&name).await.body["status"]["phase"], "Creating");
    assert_eq!(api.show(&unpaid).await.body["status"]["phase"], "Waiting");
    assert_eq!(
        reasons(&api.events(&name, &[]).await),
        ["PoolCreating", "OrderWaiting", "OrderPaid"]
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn a_corrupt_state_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = state_path(&dir);
    std::fs::write(
        &path,
        b"{\"format\": \"poolctl-emulator-state/1\", \"pools\": [{",
    )
    .unwrap();
    let mut cfg = config(Duration::from_millis(300));
    cfg.state_file = Some(path.clone());
    let err = emulator::start(cfg).await.err().expect("refused");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    let text = err.to_string();
    assert!(
        text.contains("emulator-state.json") && text.contains("not a poolctl emulator state file"),
        "{text}"
    );
    // Left as it was, for the user to look at.
    assert!(std::fs::read(&path).unwrap().starts_with(b"{\"format\""));
}

#[tokio::test]
async fn hostile_bytes_and_headers_never_take_the_server_down() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let emu = start(config(Duration::from_millis(300))).await;
    let api = Api::new(&emu);
    for (junk, expected) in [
        (&b"\x00\xff\xfe garbage\r\n\r\n"[..], "HTTP/1.1 400"),
        (
            b"GET /v2/x/pools HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "HTTP/1.1 400",
        ),
        (
            b"POST /v2/x/pools HTTP/1.1\r\nHost: a\r\nAuthorization: SDK-HMAC-SHA256 \xff\xfe\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 401",
        ),
        (
            b"GET /v2/%ff%fe/pools?a=%zz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 400",
        ),
    ] {
        let mut sock = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
        sock.write_all(junk).await.unwrap();
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(2), sock.read_to_end(&mut answer)).await;
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with(expected), "{junk:?} => {text}");
    }
    // Odd SignedHeaders: a name that is not a header, one that was not sent.
    for signed in ["host;x-sdk-date;bad header", "host;x-sdk-date;x-not-sent"] {
        let a = api
            .http
            .get(format!("{}{}", api.endpoint, api.pools()))
            .header("X-Sdk-Date", poolctl::time::sdk_date_from_unix(now_secs()))
            .header(
                "Authorization",
                format!(
                    "SDK-HMAC-SHA256 Access={}, SignedHeaders={signed}, Signature=00",
                    api.ak
                ),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(a.status().as_u16(), 401);
        let body: Value = serde_json::from_slice(&a.bytes().await.unwrap()).unwrap();
        assert!(
            body["error_msg"].as_str().unwrap().contains("is missing"),
            "{body}"
        );
    }
    // Still serving.
    assert!(api.list(&[]).await.is_empty());
    emu.shutdown().await;
}

// ------------------------------------------------------------ as a server

/// The head of a request signed over `body` (which the caller may then send
/// slowly, or not at all).
fn signed_head(api: &Api, method: &str, path: &str, body: &[u8]) -> String {
    let date = poolctl::time::sdk_date_from_unix(now_secs());
    let headers = vec![
        ("Host".to_string(), api.host.clone()),
        ("X-Sdk-Date".to_string(), date.clone()),
    ];
    let auth = signer::authorization(
        &SigningInput {
            method,
            path,
            query: &[],
            headers: &headers,
            body,
        },
        &api.ak,
        &api.sk,
    );
    format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nX-Sdk-Date: {date}\r\nAuthorization: {auth}\r\n\
         Content-Length: {}\r\n\r\n",
        api.host,
        body.len()
    )
}

/// A body that stops coming is answered 408 after the body-read timeout,
/// and its memory is given back; the server goes on serving.
#[tokio::test]
async fn a_stalled_body_is_answered_408_after_the_body_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut cfg = config(Duration::from_millis(300));
    cfg.limits.body_read_timeout = Duration::from_millis(400);
    let emu = start(cfg).await;
    let api = Api::new(&emu);
    let body = dedicate("pool-slow-body", CPU, 1).to_string();
    let mut sock = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    sock.write_all(signed_head(&api, "POST", &api.pools(), body.as_bytes()).as_bytes())
        .await
        .unwrap();
    sock.write_all(&body.as_bytes()[..10]).await.unwrap();
    let t0 = Instant::now();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(3), sock.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        text.contains("\"error_code\":\"ModelArts.50004000\"")
            && text.contains("did not arrive within 400ms"),
        "{text}"
    );
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    // Nothing was created, and the next request is served.
    assert!(api.list(&[]).await.is_empty());
    emu.shutdown().await;
}

/// Shutdown closes idle and half-sent connections at once instead of
/// waiting for them, and lets a request in flight finish.
#[tokio::test]
async fn shutdown_does_not_wait_for_idle_connections() {
    use tokio::io::AsyncWriteExt;
    let emu = start(with_faults("get:latency=600ms")).await;
    let api = Api::new(&emu);
    let _silent = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    let mut half = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    half.write_all(b"GET /v2/x/pools HTTP/1.1\r\nHost: a\r\n")
        .await
        .unwrap();
    let slow = tokio::spawn(async move { api.list(&[]).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let t0 = Instant::now();
    emu.shutdown().await;
    let took = t0.elapsed();
    assert!(slow.await.is_ok(), "the request in flight got its answer");
    assert!(took < Duration::from_secs(2), "shutdown took {took:?}");
}

/// With a cap of 4 connections, idle ones make room for new ones, and
/// connections busy with a request are never the ones closed.
#[tokio::test]
async fn the_connection_cap_closes_idle_connections_only() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut cfg = with_faults("get:latency=800ms");
    cfg.limits.max_connections = 4;
    let emu = start(cfg).await;
    let api = Api::new(&emu);
    // Two slow requests in flight, on connections of their own.
    let busy: Vec<_> = (0..2)
        .map(|_| {
            let api = Api::new(&emu);
            tokio::spawn(async move { api.list(&[]).await.len() })
        })
        .collect();
    // Their heads are in (so they are busy) well before the idle ones come.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(tokio::net::TcpStream::connect(emu.addr()).await.unwrap());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Only two slots were left for four idle connections: the first two
    // were closed to make room.
    let mut closed = Vec::new();
    for sock in &mut idle {
        let mut buf = [0u8; 16];
        let r = tokio::time::timeout(Duration::from_millis(20), sock.read(&mut buf)).await;
        closed.push(matches!(r, Ok(Ok(0)) | Ok(Err(_))));
    }
    assert_eq!(closed, [true, true, false, false]);
    for b in busy {
        assert_eq!(b.await.unwrap(), 0, "busy connections were served");
    }
    // A new request still gets through, taking an idle one's place.
    let mut late = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    late.write_all(b"GET /nothing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(3), late.read_to_end(&mut answer)).await;
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 404"));
    drop(api);
    emu.shutdown().await;
}

/// Whether the server closed `sock` (EOF or reset) within `limit`.
async fn closed_within(sock: &mut tokio::net::TcpStream, limit: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(limit, sock.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

/// With every slot taken, a new connection first takes the slot of a
/// connection with nothing in progress, which is dropped at once (before,
/// 250 ms later, one at a time); only when there is none does it take the
/// slot of the body read that began the longest ago, once that is
/// BODY_SHED_AFTER old, which is answered 408. A younger body read is left
/// alone.
#[tokio::test]
async fn a_full_server_drops_idle_connections_at_once_then_cuts_the_oldest_body() {
    use poolctl::emulator::BODY_SHED_AFTER;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut cfg = config(Duration::from_millis(300));
    cfg.limits.max_connections = 4;
    let emu = start(cfg).await;
    let api = Api::new(&emu);
    let addr = emu.addr();
    let body = dedicate("pool-stalled", CPU, 1).to_string();
    let stalled = || async {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let head = signed_head(&api, "POST", &api.pools(), body.as_bytes())
            .replace("Signature=", "Signature=0");
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(&body.as_bytes()[..1]).await.unwrap();
        s
    };
    let asked = |close: bool| async move {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let connection = if close { "close" } else { "keep-alive" };
        s.write_all(
            format!("GET /nothing HTTP/1.1\r\nHost: a\r\nConnection: {connection}\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
        let mut head = [0u8; 12];
        s.read_exact(&mut head).await.unwrap();
        assert_eq!(&head, b"HTTP/1.1 404");
        s
    };
    let mut old_body = stalled().await;
    let mut young_body = stalled().await;
    let mut half = Vec::new();
    for _ in 0..2 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /v2/x/pools HTTP/1.1\r\nHo")
            .await
            .unwrap();
        half.push(s);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;

    // Two new connections take the half-sent ones' slots, at once.
    let mut kept = Vec::new();
    for i in 0..2 {
        let t0 = Instant::now();
        kept.push(asked(false).await);
        assert!(
            t0.elapsed() < Duration::from_millis(200),
            "new connection {i} waited {:?}",
            t0.elapsed()
        );
    }
    for s in &mut half {
        assert!(closed_within(s, Duration::from_millis(50)).await);
    }
    drop(kept);
    tokio::time::sleep(Duration::from_millis(50)).await;

    // Now every slot is a body read: the oldest is cut once it is old enough.
    let started = Instant::now();
    let _third = stalled().await;
    let _fourth = stalled().await;
    let _answered = asked(true).await;
    let waited = started.elapsed();
    assert!(
        waited < BODY_SHED_AFTER + Duration::from_millis(500),
        "{waited:?}"
    );
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), old_body.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        text.contains("ModelArts.50004000") && text.contains("cut to make room"),
        "{text}"
    );
    assert!(!closed_within(&mut young_body, Duration::from_millis(50)).await);
    // Body reads in progress would hold the shutdown for its grace.
    drop((young_body, _third, _fourth));
    emu.shutdown().await;
}

// -------------------------------------------------- fuzz seeds (issue 11)

/// The `emulator` fuzz target's input format, for its PATCH seeds.
#[allow(dead_code)]
#[path = "../fuzz/common/emulator.rs"]
mod fuzz_input;

/// The PATCH seeds of the `emulator` fuzz target reach what they are meant
/// to (tests/emulator_fuzz_regressions.rs replays every seed through the
/// target's properties): a scale, changes in place, every refusal.
#[test]
fn the_patch_seeds_reach_their_answers() {
    use poolctl::emulator::harness::Harness;
    let harness = Harness::new();
    for (seed, status, changed) in [
        ("valid-patch-scale-up", 200, true),
        ("valid-patch-scale-down", 200, true),
        ("valid-patch-scale-soldout", 200, true),
        ("valid-patch-annotations-scope-driver", 200, true),
        ("token-patch", 200, true),
        ("valid-patch-no-change", 200, false),
        ("valid-patch-billing-null", 400, false),
        ("valid-patch-fixed-fields", 400, false),
        ("valid-patch-invalid", 400, false),
        ("valid-patch-bad-json", 400, false),
        ("valid-patch-unknown-flavor", 404, false),
        ("valid-patch-unknown-pool", 404, false),
        ("valid-patch-waiting", 409, false),
        ("valid-patch-json-content-type", 415, false),
        ("valid-patch-no-content-type", 415, false),
        ("nosign-patch", 401, false),
        ("tampered-patch", 401, false),
        ("stale-patch", 401, false),
    ] {
        let path = format!("{}/fuzz/seeds/emulator/{seed}", env!("CARGO_MANIFEST_DIR"));
        let data = std::fs::read(path).unwrap();
        let emu = harness.emulator();
        let input = fuzz_input::request(&fuzz_input::decode(&data), &emu);
        let before = emu.version();
        let answer = emu.call(&input).unwrap();
        assert_eq!(
            (answer.status, emu.version() != before),
            (status, changed),
            "{seed}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        fuzz_input::check(seed, &data);
    }
}
