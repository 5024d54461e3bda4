//! What the pool API means, apart from HTTP: the server-side validation of a
//! create body, the pool object create answers, and the views show, list and
//! delete answer.
//!
//! The validation is deliberately independent of the client's (`validate`):
//! the real service checks too, and a client bug must not pass unnoticed
//! because both sides share code. It stops at the first problem, as the
//! service does, and says which.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::lifecycle;
use super::reply::{shorten, ApiError};
use super::rng::SplitMix64;
use super::state::{FlavorCount, StoredPool};
use crate::time::rfc3339_from_unix;

use crate::model::NAME_LABEL;
pub const WORKSPACE_LABEL: &str = "os.modelarts/workspace.id";
const SCOPES: [&str; 3] = ["Train", "Infer", "Notebook"];

/// A create body that passed validation.
#[derive(Debug, Clone)]
pub struct NewPool {
    pub label: String,
    pub workspace: String,
    pub pool_type: String,
    pub resources: Vec<FlavorCount>,
    pub scope: Vec<String>,
    pub parent: Option<String>,
    pub network_name: Option<String>,
    /// `spec.network` has `vpcId` and `subnetId`: its network is not looked up.
    pub privileged: bool,
    labels: Map<String, Value>,
    annotations: Map<String, Value>,
    /// The spec as sent, with `maxCount` filled in.
    spec: Value,
}

/// What the emulator stamps on a new pool.
pub struct Stamp<'a> {
    pub project_id: &'a str,
    pub domain_id: &'a str,
    pub now_ms: u64,
    pub base_provision_ms: u64,
}

fn shown(v: &Value) -> String {
    shorten(&v.to_string())
}

/// `^[a-z][a-z0-9-]{2,62}[a-z0-9]$`
pub fn valid_pool_name(name: &str) -> bool {
    let b = name.as_bytes();
    (4..=64).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-'
}

/// Labels and annotations are strings; a number or boolean (the logical-pool
/// example of the reference sends one) is taken as its text.
fn string_map(v: Option<&Value>, path: &str) -> Result<Map<String, Value>, ApiError> {
    let Some(v) = v else {
        return Ok(Map::new());
    };
    let obj = v
        .as_object()
        .ok_or_else(|| ApiError::bad_request(format!("{path} must be an object")))?;
    obj.iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "{path}.{} must be a string",
                        shorten(k)
                    )))
                }
            };
            Ok((k.clone(), Value::String(text)))
        })
        .collect()
}

fn non_empty_str(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

/// Checks a create body; the first problem found is the reason of the 400.
pub fn validate(body: &[u8]) -> Result<NewPool, ApiError> {
    let doc: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("request body is not valid JSON: {e}")))?;
    let obj = doc
        .as_object()
        .ok_or_else(|| ApiError::bad_request("request body must be a JSON object"))?;
    match obj.get("apiVersion") {
        Some(Value::String(v)) if v == "v2" => {}
        None => {
            return Err(ApiError::bad_request(
                "apiVersion is required and must be v2",
            ))
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "apiVersion must be v2, not {}",
                shown(other)
            )))
        }
    }
    match obj.get("kind") {
        Some(Value::String(v)) if v == "Pool" => {}
        None => return Err(ApiError::bad_request("kind is required and must be Pool")),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "kind must be Pool, not {}",
                shown(other)
            )))
        }
    }
    let metadata = obj
        .get("metadata")
        .and_then(Value::as_object)
        .ok_or_else(|| ApiError::bad_request("metadata is required"))?;
    let mut labels = match metadata.get("labels") {
        None => return Err(ApiError::bad_request("metadata.labels is required")),
        v => string_map(v, "metadata.labels")?,
    };
    let annotations = string_map(metadata.get("annotations"), "metadata.annotations")?;
    let label = match labels.get(NAME_LABEL).and_then(Value::as_str) {
        None => {
            return Err(ApiError::bad_request(format!(
                "metadata.labels.{NAME_LABEL} is required"
            )))
        }
        Some(n) if !valid_pool_name(n) => {
            return Err(ApiError::bad_request(format!(
                "invalid pool name {}: 4 to 64 characters, lowercase letters, digits and -, \
                 starting with a letter and not ending with -",
                shorten(n)
            )))
        }
        Some(n) => n.to_string(),
    };
    let workspace = labels
        .get(WORKSPACE_LABEL)
        .and_then(Value::as_str)
        .unwrap_or("0")
        .to_string();
    labels
        .entry(WORKSPACE_LABEL)
        .or_insert_with(|| json!(workspace));

    let mut spec = obj
        .get("spec")
        .filter(|s| s.is_object())
        .cloned()
        .ok_or_else(|| ApiError::bad_request("spec is required"))?;
    let pool_type = match spec.get("type").and_then(Value::as_str) {
        Some(t @ ("Dedicate" | "Logical")) => t.to_string(),
        Some(t) => {
            return Err(ApiError::bad_request(format!(
                "spec.type must be Dedicate or Logical, not {}",
                shorten(t)
            )))
        }
        None => {
            return Err(ApiError::bad_request(
                "spec.type is required (Dedicate or Logical)",
            ))
        }
    };
    let resources = validate_resources(&mut spec, &pool_type)?;
    let scope = match spec.get("scope") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            let mut scope: Vec<String> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(s) if SCOPES.contains(&s) && !scope.iter().any(|x| x == s) => {
                        scope.push(s.to_string())
                    }
                    _ => {
                        return Err(ApiError::bad_request(format!(
                        "spec.scope[{i}] must be one of Train, Infer, Notebook, once each, not {}",
                        shown(item)
                    )))
                    }
                }
            }
            scope
        }
        Some(_) => return Err(ApiError::bad_request("spec.scope must be a list")),
    };
    let network = spec.get("network").filter(|n| !n.is_null());
    let network_name = network
        .and_then(|n| non_empty_str(n.get("name")))
        .map(str::to_string);
    let privileged = network.is_some_and(|n| {
        non_empty_str(n.get("vpcId")).is_some() && non_empty_str(n.get("subnetId")).is_some()
    });
    match (pool_type.as_str(), network) {
        ("Dedicate", None) => {
            return Err(ApiError::bad_request(
                "spec.network is required for a Dedicate pool (name, or vpcId and subnetId)",
            ))
        }
        ("Dedicate", Some(_)) => {
            if network_name.is_none() && !privileged {
                return Err(ApiError::bad_request(
                    "spec.network needs a name, or vpcId and subnetId together",
                ));
            }
        }
        (_, Some(_)) => {
            return Err(ApiError::bad_request(
                "spec.network is not allowed for a Logical pool",
            ))
        }
        (_, None) => {}
    }
    let parent = match spec.get("parent") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) => Some(p.clone()),
        Some(_) => return Err(ApiError::bad_request("spec.parent must be a string")),
    };
    Ok(NewPool {
        label,
        workspace,
        pool_type,
        resources,
        scope,
        parent,
        network_name,
        privileged,
        labels,
        annotations,
        spec,
    })
}

/// Checks `spec.resources` and fills in `maxCount` where it is absent.
fn validate_resources(spec: &mut Value, pool_type: &str) -> Result<Vec<FlavorCount>, ApiError> {
    let items = match spec.get_mut("resources") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        _ => {
            return Err(ApiError::bad_request(
                "spec.resources must be a non-empty list",
            ))
        }
    };
    let mut out: Vec<FlavorCount> = Vec::with_capacity(items.len());
    for (i, item) in items.iter_mut().enumerate() {
        let Some(r) = item.as_object_mut() else {
            return Err(ApiError::bad_request(format!(
                "spec.resources[{i}] must be an object"
            )));
        };
        let flavor = non_empty_str(r.get("flavor"))
            .ok_or_else(|| {
                ApiError::bad_request(format!("spec.resources[{i}].flavor is required"))
            })?
            .to_string();
        if out.iter().any(|o| o.flavor == flavor) {
            return Err(ApiError::bad_request(format!(
                "spec.resources[{i}].flavor {} is repeated",
                shorten(&flavor)
            )));
        }
        let count = match r.get("count").and_then(Value::as_u64) {
            Some(c) if c >= 1 => c,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "spec.resources[{i}].count must be an integer of at least 1"
                )))
            }
        };
        match r.get("maxCount") {
            None | Some(Value::Null) => {
                r.insert("maxCount".into(), json!(count));
            }
            Some(m) => {
                let max = m.as_u64().ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "spec.resources[{i}].maxCount must be an integer"
                    ))
                })?;
                if pool_type == "Dedicate" && max != count {
                    return Err(ApiError::bad_request(format!(
                        "spec.resources[{i}].maxCount must equal count in a Dedicate pool"
                    )));
                }
                if max < count {
                    return Err(ApiError::bad_request(format!(
                        "spec.resources[{i}].maxCount must be at least count"
                    )));
                }
            }
        }
        out.push(FlavorCount { flavor, count });
    }
    Ok(out)
}

/// The pool a valid create body makes, stamped with its name and ids.
pub fn build(new: NewPool, ids: &mut SplitMix64, stamp: &Stamp<'_>) -> StoredPool {
    let name = format!("{}-{}", new.label, ids.hex(32));
    let mut labels = new.labels;
    labels
        .entry("os.modelarts/node.prefix")
        .or_insert_with(|| json!(""));
    let resource_id = format!(
        "maos-{}-{}",
        new.label,
        ids.string(b"abcdefghijklmnopqrstuvwxyz0123456789", 5)
    );
    for (k, v) in [
        ("os.modelarts/resource.id", resource_id.as_str()),
        ("os.modelarts/tenant.domain.id", stamp.domain_id),
        ("os.modelarts/tenant.project.id", stamp.project_id),
        ("os.modelarts.pool/biz", "private"),
        ("os.modelarts/create-from", "console"),
    ] {
        labels.insert(k.into(), json!(v));
    }
    let mut annotations = new.annotations;
    annotations
        .entry(lifecycle::BILLING_MODE)
        .or_insert_with(|| json!("0"));
    if lifecycle::wants_order(&annotations) {
        // A yearly/monthly pool waits for its order to be paid.
        let digits = ids.string(b"0123456789", 14);
        annotations.insert(lifecycle::ORDER_ID.into(), json!(format!("CS{digits}")));
    }
    let flavor_ids: Map<String, Value> = new
        .resources
        .iter()
        .map(|r| {
            let short = r.flavor.strip_prefix("modelarts.").unwrap_or(&r.flavor);
            (
                r.flavor.clone(),
                json!(format!(
                    "maos.{short}.{}",
                    1_000_000_000 + ids.below(9_000_000_000)
                )),
            )
        })
        .collect();
    for (k, v) in [
        ("os.modelarts.pool/subpools.count", json!("0")),
        (
            "os.modelarts/flavor.resource.ids",
            json!(Value::Object(flavor_ids).to_string()),
        ),
        ("os.modelarts/tenant.domain.name", json!("poolctl-emulator")),
    ] {
        annotations.insert(k.into(), v);
    }
    let object = json!({
        "kind": "Pool",
        "apiVersion": "v2",
        "metadata": {
            "name": name,
            "creationTimestamp": rfc3339_from_unix(stamp.now_ms / 1000),
            "labels": labels,
            "annotations": annotations,
        },
        "spec": new.spec,
    });
    StoredPool {
        provision_ms: lifecycle::provision_ms(&new.label, stamp.base_provision_ms),
        delete_ms: lifecycle::delete_ms(stamp.base_provision_ms),
        name,
        label: new.label,
        workspace: new.workspace,
        pool_type: new.pool_type,
        resources: new.resources,
        scope: new.scope,
        parent: new.parent,
        created_ms: stamp.now_ms,
        deleted_ms: None,
        paid_ms: None,
        scales: Vec::new(),
        object,
    }
}

fn with_status(pool: &StoredPool, status: Value) -> Value {
    let mut object = pool.object.clone();
    if let Some(o) = object.as_object_mut() {
        o.insert("status".into(), status);
    }
    object
}

/// What create answers: like the reference, `status` has empty resources and no phase.
pub fn created_view(pool: &StoredPool) -> Value {
    with_status(pool, json!({"resources": {}}))
}

/// What show, list and delete answer: the pool with its status at `now_ms`
/// (the catalogue's zones are those of `region`).
pub fn view(pool: &StoredPool, region: &str, now_ms: u64) -> Value {
    with_status(pool, lifecycle::status_json(pool, region, now_ms))
}

/// The pools list answers, filtered by the query of `GET .../pools`.
pub fn list(
    pools: &[Arc<StoredPool>],
    query: &[(String, String)],
    region: &str,
    now_ms: u64,
) -> Result<Value, ApiError> {
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let workspace = param("workspaceId").unwrap_or("0");
    let selector = match param("labelSelector") {
        Some(s) if !s.is_empty() => parse_selector(s)?,
        _ => Vec::new(),
    };
    let status = param("status").filter(|s| !s.is_empty());
    if let Some(s) = status {
        if !["created", "failed", "creating"].contains(&s) {
            return Err(ApiError::bad_request(format!(
                "status must be created, failed or creating, not {}",
                shorten(s)
            )));
        }
    }
    let parent = param("parent").filter(|s| !s.is_empty());
    let items: Vec<Value> = pools
        .iter()
        .filter(|p| p.workspace == workspace)
        .filter(|p| parent.is_none_or(|want| p.parent.as_deref() == Some(want)))
        .filter(|p| {
            let labels = &p.object["metadata"]["labels"];
            selector.iter().all(|(k, v)| match v {
                Some(v) => labels.get(k).and_then(Value::as_str) == Some(v.as_str()),
                None => labels.get(k).is_some(),
            })
        })
        .filter(|p| {
            status.is_none_or(|s| {
                lifecycle::matches_status_filter(lifecycle::snapshot(p, region, now_ms).phase, s)
            })
        })
        .map(|p| view(p, region, now_ms))
        .collect();
    Ok(json!({"kind": "List", "apiVersion": "v2", "metadata": {}, "items": items}))
}

/// `k=v,k2=v2` (all must hold) or `k` (the label exists).
fn parse_selector(s: &str) -> Result<Vec<(String, Option<String>)>, ApiError> {
    s.split(',')
        .map(|term| {
            let term = term.trim();
            let (k, v) = match term.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim().to_string())),
                None => (term, None),
            };
            if k.is_empty() {
                return Err(ApiError::bad_request(format!(
                    "labelSelector {} is not key=value",
                    shorten(s)
                )));
            }
            Ok((k.to_string(), v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(body: &str) -> String {
        validate(body.as_bytes()).unwrap_err().msg
    }

    const GOOD: &str = r#"{"apiVersion":"v2","kind":"Pool",
        "metadata":{"labels":{"os.modelarts/name":"pool-ae01"},"annotations":{"os.modelarts/billing.mode":0}},
        "spec":{"type":"Dedicate","scope":["Train"],"network":{"name":"net-1"},
                "resources":[{"flavor":"modelarts.vm.cpu.8ud","count":2,"extra":true}]}}"#;

    #[test]
    fn names_follow_the_pattern() {
        for ok in ["pool", "pool-ae01", "a123", &"a".repeat(64)] {
            assert!(valid_pool_name(ok), "{ok}");
        }
        for bad in [
            "poo",
            "Pool-a",
            "1pool",
            "pool-",
            "pool_a",
            "pööl",
            &"a".repeat(65),
        ] {
            assert!(!valid_pool_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_good_body_passes_and_keeps_unknown_fields() {
        let p = validate(GOOD.as_bytes()).unwrap();
        assert_eq!(p.label, "pool-ae01");
        assert_eq!(p.workspace, "0");
        assert_eq!(p.spec["resources"][0]["maxCount"], 2);
        assert_eq!(p.spec["resources"][0]["extra"], true);
        assert_eq!(p.annotations["os.modelarts/billing.mode"], "0");
        assert_eq!(p.network_name.as_deref(), Some("net-1"));
    }

    #[test]
    fn each_rule_has_its_reason() {
        let cases = [
            ("not json", "not valid JSON"),
            ("[1]", "JSON object"),
            (
                r#"{"apiVersion":"v1","kind":"Pool"}"#,
                "apiVersion must be v2",
            ),
            (r#"{"apiVersion":"v2","kind":"Pod"}"#, "kind must be Pool"),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{}}"#,
                "metadata.labels is required",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"Bad_Name"}}}"#,
                "invalid pool name Bad_Name",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a"}}}"#,
                "spec is required",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a"}},"spec":{"type":"Big"}}"#,
                "spec.type must be Dedicate or Logical",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a"}},"spec":{"type":"Logical","resources":[]}}"#,
                "non-empty list",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a"}},"spec":{"type":"Logical","resources":[{"flavor":"f","count":0}]}}"#,
                "resources[0].count must be an integer of at least 1",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a"}},"spec":{"type":"Logical","resources":[{"flavor":"f","count":1.5}]}}"#,
                "count must be an integer",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a"}},"spec":{"type":"Logical","resources":[{"count":1}]}}"#,
                "resources[0].flavor is required",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a"}},"spec":{"type":"Dedicate","resources":[{"flavor":"f","count":1}]}}"#,
                "spec.network is required",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a"}},"spec":{"type":"Dedicate","network":{"vpcId":"v"},"resources":[{"flavor":"f","count":1}]}}"#,
                "vpcId and subnetId together",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a"}},"spec":{"type":"Dedicate","network":{"name":"n"},"resources":[{"flavor":"f","count":1,"maxCount":2}]}}"#,
                "maxCount must equal count",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a"}},"spec":{"type":"Logical","resources":[{"flavor":"f","count":1},{"flavor":"f","count":1}]}}"#,
                "resources[1].flavor f is repeated",
            ),
            (
                r#"{"apiVersion":"v2","kind":"Pool","metadata":{"labels":{"os.modelarts/name":"pool-a","x":{}}}}"#,
                "metadata.labels.x must be a string",
            ),
        ];
        for (body, needle) in cases {
            let r = reason(body);
            assert!(r.starts_with("Bad request: "), "{r}");
            assert!(r.contains(needle), "{body}\n=> {r}");
        }
    }

    #[test]
    fn hostile_bodies_are_plain_400s() {
        let deep = "[".repeat(100_000);
        assert!(reason(&deep).contains("not valid JSON"));
        assert!(validate(&[0xff, 0xfe, 0x00]).is_err());
        let long_name = format!(
            r#"{{"apiVersion":"v2","kind":"Pool","metadata":{{"labels":{{"os.modelarts/name":"{}"}}}}}}"#,
            "x".repeat(10_000)
        );
        assert!(reason(&long_name).len() < 300);
    }

    #[test]
    fn build_stamps_the_reference_labels() {
        let stamp = Stamp {
            project_id: "proj",
            domain_id: "dom",
            now_ms: 1_729_773_763_000,
            base_provision_ms: 300,
        };
        let p = build(
            validate(GOOD.as_bytes()).unwrap(),
            &mut SplitMix64::new(1),
            &stamp,
        );
        let md = &p.object["metadata"];
        let name = md["name"].as_str().unwrap();
        let suffix = name.strip_prefix("pool-ae01-").unwrap();
        assert_eq!(suffix.len(), 32);
        assert!(suffix
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(md["creationTimestamp"], "2024-10-24T12:42:43Z");
        for k in [
            "os.modelarts/resource.id",
            "os.modelarts/tenant.domain.id",
            "os.modelarts/create-from",
        ] {
            assert!(md["labels"][k].is_string(), "{k}");
        }
        assert_eq!(md["labels"]["os.modelarts.pool/biz"], "private");
        assert_eq!(md["labels"]["os.modelarts/workspace.id"], "0");
        let created = created_view(&p);
        assert_eq!(created["status"], json!({"resources": {}}));
        assert_eq!(view(&p, "r-1", stamp.now_ms)["status"]["phase"], "Creating");
        assert!(md["annotations"].get("os.modelarts/order.id").is_none());
        assert_eq!(p.paid_ms, None);
    }

    /// Billing mode 1 (a number is taken as its text) gets an order id:
    /// `CS` and 14 digits, from the seeded generator.
    #[test]
    fn yearly_monthly_pools_get_an_order() {
        let body = GOOD.replace(
            r#""os.modelarts/billing.mode":0"#,
            r#""os.modelarts/billing.mode":1"#,
        );
        let stamp = Stamp {
            project_id: "proj",
            domain_id: "dom",
            now_ms: 1_729_773_763_000,
            base_provision_ms: 300,
        };
        let build_one = || {
            build(
                validate(body.as_bytes()).unwrap(),
                &mut SplitMix64::new(7),
                &stamp,
            )
        };
        let p = build_one();
        let order = lifecycle::order_id(&p).unwrap();
        assert!(
            order.len() == 16
                && order.starts_with("CS")
                && order[2..].bytes().all(|b| b.is_ascii_digit()),
            "{order}"
        );
        assert_eq!(lifecycle::order_id(&build_one()), Some(order), "seeded");
        assert_eq!(view(&p, "r-1", stamp.now_ms)["status"]["phase"], "Waiting");
    }
}
