//! How a live pool differs from a manifest, compared the way the service
//! stores a pool (DESIGN.md §2, "Lifecycle without a state file"):
//!
//! - only what the manifest says is compared: a field, label or annotation
//!   the service added (or fills with a default) is not a difference;
//! - `maxCount` absent on either side is its `count`;
//! - a number and its text are the same value (`1`, `"1"`), as the
//!   validator converts them;
//! - `spec.resources` are matched by flavor, `spec.scope` is a set, and an
//!   entry's `azs` are matched by AZ;
//! - a field of a new-pool kind that the answer lacks is unknown, not
//!   different (a show may leave out what it was sent); secrets are never
//!   compared, nor shown.
//!
//! Each difference says whether the service changes it in place (a merge
//! patch: `spec.resources`, `spec.scope`, `spec.driver`, annotations other
//! than billing) or only a new pool can have it.

use serde_json::{Map, Value};

use crate::model::{NAME_LABEL, WORKSPACE_LABEL};

/// Whether the service can make a difference go away in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// One `PATCH` (JSON merge patch) does it.
    InPlace,
    /// Only a new pool: delete this one and create it again.
    NewPool,
}

/// A field whose live value is not the manifest's.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    /// `spec.resources[modelarts.vm.cpu.8ud].count`, `spec.network.name`,
    /// `metadata.annotations."os.modelarts/description"`.
    pub path: String,
    /// The pool's value; none when it has none.
    pub live: Option<Value>,
    /// The manifest's value; none when the manifest has none (a flavor the
    /// pool has and the manifest does not).
    pub wanted: Option<Value>,
    pub change: Change,
}

impl Drift {
    pub fn in_place(&self) -> bool {
        self.change == Change::InPlace
    }
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

/// The object at `v`, else an empty one.
fn obj(v: Option<&Value>) -> &Map<String, Value> {
    v.and_then(Value::as_object).unwrap_or(&EMPTY)
}

/// What `apply` would do with one pool.
#[derive(Debug)]
pub enum Action {
    /// No pool of the name in its workspace.
    Create,
    /// The pool is as the manifest says.
    Unchanged { live: crate::client::Fetched },
    /// One merge patch makes it so.
    Patch {
        live: crate::client::Fetched,
        drifts: Vec<Drift>,
        patch: Value,
    },
    /// A difference only a new pool can remove; `drifts` holds them all.
    Replace {
        live: crate::client::Fetched,
        drifts: Vec<Drift>,
    },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Unchanged { .. } => "unchanged",
            Action::Patch { .. } => "patch",
            Action::Replace { .. } => "replace",
        }
    }

    pub fn live(&self) -> Option<&crate::client::Fetched> {
        match self {
            Action::Create => None,
            Action::Unchanged { live }
            | Action::Patch { live, .. }
            | Action::Replace { live, .. } => Some(live),
        }
    }

    pub fn drifts(&self) -> &[Drift] {
        match self {
            Action::Patch { drifts, .. } | Action::Replace { drifts, .. } => drifts,
            _ => &[],
        }
    }
}

/// One document and what to do with it.
#[derive(Debug)]
pub struct Plan {
    /// The name label, as the user knows the pool.
    pub display: String,
    pub workspace: String,
    /// The create request as JSON, as it would be sent.
    pub wanted: Value,
    pub action: Action,
}

/// Annotations that are billing: a new pool, not a patch.
fn is_billing_annotation(key: &str) -> bool {
    [
        "os.modelarts/billing.",
        "os.modelarts/period.",
        "os.modelarts/auto.renew",
        "os.modelarts/order.id",
    ]
    .iter()
    .any(|p| key.starts_with(p))
}

/// Every difference between `wanted` (the create request as JSON, as it is
/// sent) and `live` (the pool as the service answered it), in a stable
/// order: metadata, then spec in the manifest's order.
pub fn drift(wanted: &Value, live: &Value) -> Vec<Drift> {
    let mut out = Vec::new();
    let wanted_meta = obj(wanted.get("metadata"));
    let live_meta = obj(live.get("metadata"));
    // Labels: the name and workspace are how the pool was found.
    let live_labels = obj(live_meta.get("labels"));
    for (k, w) in obj(wanted_meta.get("labels")) {
        if k == NAME_LABEL || k == WORKSPACE_LABEL || w.is_null() {
            continue;
        }
        let path = format!("metadata.labels.\"{k}\"");
        // A service shows the labels it was sent: one it lacks is a difference.
        compare(
            &path,
            w,
            live_labels.get(k),
            Change::NewPool,
            false,
            &mut out,
        );
    }
    let live_annotations = obj(live_meta.get("annotations"));
    for (k, w) in obj(wanted_meta.get("annotations")) {
        if w.is_null() {
            continue;
        }
        let change = if is_billing_annotation(k) {
            Change::NewPool
        } else {
            Change::InPlace
        };
        let path = format!("metadata.annotations.\"{k}\"");
        // An annotation the pool lacks is one to add (or, for billing, a
        // new pool); but a pay-per-use pool may not say it is one.
        let unknown_if_absent = k == "os.modelarts/billing.mode" && same(w, &Value::from(0));
        compare(
            &path,
            w,
            live_annotations.get(k),
            change,
            unknown_if_absent,
            &mut out,
        );
    }
    let live_spec = obj(live.get("spec"));
    for (k, w) in obj(wanted.get("spec")) {
        if w.is_null() {
            continue;
        }
        let path = format!("spec.{k}");
        match k.as_str() {
            "resources" => resources(w, live_spec.get(k), &mut out),
            "scope" => {
                if !same_set(w, live_spec.get(k)) {
                    out.push(Drift {
                        path,
                        live: live_spec.get(k).cloned(),
                        wanted: Some(w.clone()),
                        change: Change::InPlace,
                    });
                }
            }
            // A driver setting the service does not echo is unknown.
            "driver" => compare(&path, w, live_spec.get(k), Change::InPlace, true, &mut out),
            _ => compare(&path, w, live_spec.get(k), Change::NewPool, false, &mut out),
        }
    }
    out
}

/// Leaf by leaf, the manifest's fields only. `unknown_if_absent`: a live
/// field that is absent is unknown, not different.
fn compare(
    path: &str,
    wanted: &Value,
    live: Option<&Value>,
    change: Change,
    unknown_if_absent: bool,
    out: &mut Vec<Drift>,
) {
    let last = path.rsplit('.').next().unwrap_or(path).trim_matches('"');
    if crate::redact::is_secret_name(last) {
        return;
    }
    let live = live.filter(|v| !v.is_null());
    // A login a service may not show back; the rest of a pool it shows whole.
    let unknown_if_absent = unknown_if_absent || path.starts_with("spec.userLogin");
    match (wanted, live) {
        // "", [] and {} say nothing: a service may drop them.
        (w, None) if is_empty(w) => {}
        (_, None) if unknown_if_absent => {}
        (Value::Object(w), Some(Value::Object(l))) => {
            for (k, wv) in w {
                if wv.is_null() {
                    continue;
                }
                let sub = if k.contains('.') || k.contains('/') {
                    format!("{path}.\"{k}\"")
                } else {
                    format!("{path}.{k}")
                };
                compare(&sub, wv, l.get(k), change, unknown_if_absent, out);
            }
        }
        (Value::Array(w), Some(Value::Array(l))) if !contains(l, w) => out.push(Drift {
            path: path.to_string(),
            live: Some(Value::Array(l.clone())),
            wanted: Some(Value::Array(w.clone())),
            change,
        }),
        (Value::Array(_), Some(Value::Array(_))) => {}
        (w, Some(l)) if same(w, l) => {}
        (w, l) => out.push(Drift {
            path: path.to_string(),
            live: l.cloned(),
            wanted: Some(w.clone()),
            change,
        }),
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

/// Whether the live array holds what the manifest's does, in any order:
/// scalars as the same set; objects each matched by a live element of its
/// own that has every field it says (a service may add elements, such as
/// its own tags, and fields).
fn contains(live: &[Value], wanted: &[Value]) -> bool {
    if wanted
        .iter()
        .chain(live)
        .all(|v| !v.is_object() && !v.is_array())
    {
        let set = |a: &[Value]| {
            let mut s: Vec<String> = a.iter().filter_map(scalar).collect();
            s.sort();
            s.dedup();
            s
        };
        return set(wanted) == set(live);
    }
    let mut used = vec![false; live.len()];
    wanted.iter().all(|w| {
        let found = live.iter().enumerate().position(|(i, l)| {
            !used[i] && {
                let mut d = Vec::new();
                compare("", w, Some(l), Change::InPlace, true, &mut d);
                d.is_empty()
            }
        });
        found.map(|i| used[i] = true).is_some()
    })
}

/// Two values the same way the service would store them: a number and its
/// text are one value (`2`, `"2"`), and so are a boolean and its text; two
/// texts are equal only as written (`"7.10"` is not `"7.1"`). Objects and
/// arrays compare member by member.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(_), Value::String(t)) | (Value::String(t), Value::Number(_)) => {
            let n = if let Value::Number(n) = a {
                n
            } else if let Value::Number(n) = b {
                n
            } else {
                return false;
            };
            match (t.trim().parse::<f64>(), n.as_f64()) {
                (Ok(x), Some(y)) => x == y,
                _ => false,
            }
        }
        (Value::Bool(x), Value::String(t)) | (Value::String(t), Value::Bool(x)) => {
            t.trim().eq_ignore_ascii_case(&x.to_string())
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A scalar as text, for sets of scalars: a number as its value.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.as_f64().map_or(n.to_string(), |f| f.to_string())),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// Arrays of scalars as sets (`scope`).
fn same_set(wanted: &Value, live: Option<&Value>) -> bool {
    let set = |v: Option<&Value>| -> Vec<String> {
        let mut s: Vec<String> = v
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(scalar).collect())
            .unwrap_or_default();
        s.sort();
        s.dedup();
        s
    };
    set(Some(wanted)) == set(live)
}

fn flavor_of(entry: &Value) -> Option<&str> {
    entry.get("flavor").and_then(Value::as_str)
}

/// `spec.resources`, matched by flavor.
fn resources(wanted: &Value, live: Option<&Value>, out: &mut Vec<Drift>) {
    let none = Vec::new();
    let wanted = wanted.as_array().unwrap_or(&none);
    let live = live.and_then(Value::as_array).unwrap_or(&none);
    for w in wanted {
        let Some(flavor) = flavor_of(w) else {
            continue;
        };
        let path = format!("spec.resources[{flavor}]");
        let Some(l) = live.iter().find(|l| flavor_of(l) == Some(flavor)) else {
            out.push(Drift {
                path,
                live: None,
                wanted: Some(w.clone()),
                change: Change::InPlace,
            });
            continue;
        };
        let count = |v: &Value| v.get("count").filter(|c| !c.is_null()).cloned();
        let max = |v: &Value| {
            v.get("maxCount")
                .filter(|c| !c.is_null())
                .cloned()
                .or_else(|| count(v))
        };
        for (field, wv, lv) in [("count", count(w), count(l)), ("maxCount", max(w), max(l))] {
            if let Some(wv) = wv {
                if !lv.as_ref().is_some_and(|lv| same(&wv, lv)) {
                    out.push(Drift {
                        path: format!("{path}.{field}"),
                        live: lv,
                        wanted: Some(wv),
                        change: Change::InPlace,
                    });
                }
            }
        }
        if let Some(azs) = w.get("azs").filter(|a| !a.is_null()) {
            if !same_azs(azs, l.get("azs")) {
                out.push(Drift {
                    path: format!("{path}.azs"),
                    live: l.get("azs").filter(|a| !a.is_null()).cloned(),
                    wanted: Some(azs.clone()),
                    change: Change::InPlace,
                });
            }
        }
        // The rest of the entry: the manifest's fields only.
        if let Some(rest) = w.as_object() {
            for (k, wv) in rest {
                if matches!(k.as_str(), "flavor" | "count" | "maxCount" | "azs") || wv.is_null() {
                    continue;
                }
                // A field of the entry the service does not show back
                // (`postInstall`, say) is unknown.
                compare(
                    &format!("{path}.{k}"),
                    wv,
                    l.get(k),
                    Change::InPlace,
                    true,
                    out,
                );
            }
        }
    }
    for l in live {
        let Some(flavor) = flavor_of(l) else {
            continue;
        };
        if !wanted.iter().any(|w| flavor_of(w) == Some(flavor)) {
            out.push(Drift {
                path: format!("spec.resources[{flavor}]"),
                live: Some(l.clone()),
                wanted: None,
                change: Change::InPlace,
            });
        }
    }
}

/// `azs` as AZ → count, an AZ of count 0 the same as absent.
fn same_azs(wanted: &Value, live: Option<&Value>) -> bool {
    let map = |v: Option<&Value>| -> Vec<(String, String)> {
        let mut m: Vec<(String, String)> = v
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|e| {
                        let az = e.get("az")?.as_str()?.to_string();
                        let count = scalar(e.get("count")?)?;
                        (count != "0").then_some((az, count))
                    })
                    .collect()
            })
            .unwrap_or_default();
        m.sort();
        m
    };
    map(Some(wanted)) == map(live)
}

/// The JSON merge patch (RFC 7396) that makes the in-place differences go
/// away: the manifest's whole `resources` and `scope` (a merge patch
/// replaces arrays), its `driver`, and each differing annotation.
/// `None` when nothing is to change in place.
pub fn merge_patch(wanted: &Value, drifts: &[Drift]) -> Option<Value> {
    let mut patch = Map::new();
    let mut spec = Map::new();
    let mut annotations = Map::new();
    for d in drifts.iter().filter(|d| d.in_place()) {
        if d.path.starts_with("spec.resources") {
            spec.insert("resources".into(), wanted["spec"]["resources"].clone());
        } else if d.path == "spec.scope" {
            spec.insert("scope".into(), wanted["spec"]["scope"].clone());
        } else if d.path.starts_with("spec.driver") {
            spec.insert("driver".into(), wanted["spec"]["driver"].clone());
        } else if let Some(key) = d.path.strip_prefix("metadata.annotations.") {
            let key = key.trim_matches('"');
            annotations.insert(key.into(), wanted["metadata"]["annotations"][key].clone());
        }
    }
    if !annotations.is_empty() {
        patch.insert(
            "metadata".into(),
            Value::Object(Map::from_iter([(
                "annotations".into(),
                Value::Object(annotations),
            )])),
        );
    }
    if !spec.is_empty() {
        patch.insert("spec".into(), Value::Object(spec));
    }
    (!patch.is_empty()).then_some(Value::Object(patch))
}

/// A value as a diff line shows it: text as it is, anything else as JSON.
pub fn shown(v: Option<&Value>) -> String {
    match v {
        None => "(none)".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wanted() -> Value {
        json!({
            "apiVersion": "v2", "kind": "Pool",
            "metadata": {"labels": {"os.modelarts/name": "pool-ae01", "os.modelarts/workspace.id": "0"},
                         "annotations": {"os.modelarts/description": "ci", "os.modelarts/billing.mode": "0"}},
            "spec": {"type": "Dedicate", "scope": ["Train", "Infer"],
                     "network": {"name": "network-a"},
                     "userLogin": {"password": "c2VjcmV0"},
                     "resources": [{"flavor": "f1", "count": 2, "maxCount": 2,
                                    "azs": [{"az": "z1", "count": 2}], "tags": [{"key": "k", "value": "v"}]}]}
        })
    }

    /// The pool as a service stores it: what was sent, numbers as text,
    /// arrays in another order, fields and annotations of its own.
    fn live() -> Value {
        json!({
            "kind": "Pool",
            "metadata": {"name": "pool-ae01-6f5d", "creationTimestamp": "2026-11-29T10:00:00Z",
                         "labels": {"os.modelarts/name": "pool-ae01", "os.modelarts/workspace.id": "0",
                                    "os.modelarts/tenant.domain.id": "d"},
                         "annotations": {"os.modelarts/description": "ci", "os.modelarts/billing.mode": 0,
                                         "os.modelarts/flavor.resource.ids": "{}"}},
            "spec": {"type": "Dedicate", "scope": ["Infer", "Train"], "network": {"name": "network-a"},
                     "resources": [{"flavor": "f1", "count": "2", "azs": [{"az": "z1", "count": "2"}, {"az": "z2", "count": 0}],
                                    "tags": [{"key": "k", "value": "v"}], "extendParams": {"x": "y"}}]},
            "status": {"phase": "Running"}
        })
    }

    #[test]
    fn a_pool_stored_as_it_was_asked_has_no_drift() {
        assert_eq!(drift(&wanted(), &live()), vec![]);
        assert_eq!(merge_patch(&wanted(), &[]), None);
    }

    #[test]
    fn in_place_and_new_pool_differences_are_told_apart() {
        let mut w = wanted();
        w["spec"]["resources"][0]["count"] = json!(3);
        w["spec"]["resources"][0]["maxCount"] = json!(3);
        w["spec"]["scope"] = json!(["Train"]);
        w["spec"]["network"]["name"] = json!("network-b");
        w["metadata"]["annotations"]["os.modelarts/description"] = json!("new");
        w["metadata"]["annotations"]["os.modelarts/billing.mode"] = json!("1");
        let d = drift(&w, &live());
        let paths: Vec<(&str, Change)> = d.iter().map(|d| (d.path.as_str(), d.change)).collect();
        assert_eq!(
            paths,
            [
                (
                    "metadata.annotations.\"os.modelarts/description\"",
                    Change::InPlace
                ),
                (
                    "metadata.annotations.\"os.modelarts/billing.mode\"",
                    Change::NewPool
                ),
                ("spec.scope", Change::InPlace),
                ("spec.network.name", Change::NewPool),
                ("spec.resources[f1].count", Change::InPlace),
                ("spec.resources[f1].maxCount", Change::InPlace),
            ]
        );
        let patch = merge_patch(&w, &d).unwrap();
        assert_eq!(
            patch,
            json!({"metadata": {"annotations": {"os.modelarts/description": "new"}},
                   "spec": {"resources": w["spec"]["resources"], "scope": ["Train"]}})
        );
    }

    #[test]
    fn flavors_added_and_removed_and_azs_moved_are_in_place() {
        let mut w = wanted();
        w["spec"]["resources"][0]["azs"] = json!([{"az": "z2", "count": 2}]);
        w["spec"]["resources"]
            .as_array_mut()
            .unwrap()
            .push(json!({"flavor": "f2", "count": 1}));
        let mut l = live();
        l["spec"]["resources"]
            .as_array_mut()
            .unwrap()
            .push(json!({"flavor": "f3", "count": 1}));
        let d = drift(&w, &l);
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "spec.resources[f1].azs",
                "spec.resources[f2]",
                "spec.resources[f3]"
            ]
        );
        assert!(d.iter().all(Drift::in_place));
        assert_eq!(d[2].wanted, None);
    }

    #[test]
    fn what_a_show_leaves_out_is_unknown_and_secrets_are_never_compared() {
        let mut l = live();
        l["spec"]["userLogin"] = json!({"password": "<redacted>"});
        assert_eq!(drift(&wanted(), &l), vec![]);
        // A service shows a pool whole: a network it lacks is a difference.
        l["spec"]["network"] = Value::Null;
        let d = drift(&wanted(), &l);
        assert_eq!(
            (d[0].path.as_str(), d[0].change),
            ("spec.network", Change::NewPool)
        );
        // An annotation the pool lacks is to be added.
        let mut l = live();
        l["metadata"]["annotations"] = json!({});
        let d = drift(&wanted(), &l);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].path,
            "metadata.annotations.\"os.modelarts/description\""
        );
    }

    #[test]
    fn arrays_match_in_any_order_and_the_services_extras_are_not_differences() {
        let mut w = wanted();
        w["spec"]["resources"][0]["tags"] =
            json!([{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]);
        w["spec"]["masters"] = json!([{"az": "z1"}, {"az": "z2"}]);
        let mut l = live();
        l["spec"]["resources"][0]["tags"] = json!([{"key": "CCE-Dynamic", "value": "x"}, {"key": "b", "value": "2"}, {"key": "a", "value": 1}]);
        l["spec"]["masters"] = json!([{"az": "z2"}, {"az": "z1"}]);
        assert_eq!(drift(&w, &l), vec![]);
        l["spec"]["resources"][0]["tags"] = json!([{"key": "a", "value": "1"}]);
        let d = drift(&w, &l);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].path, "spec.resources[f1].tags");
        // Empty values say nothing; texts compare as written.
        w["metadata"]["annotations"]["team"] = json!("");
        w["spec"]["driver"] = json!({"gpuVersion": "7.10"});
        l["spec"]["resources"][0]["tags"] = w["spec"]["resources"][0]["tags"].clone();
        l["spec"]["driver"] = json!({"gpuVersion": "7.1"});
        let d = drift(&w, &l);
        assert_eq!(
            d.iter().map(|d| d.path.as_str()).collect::<Vec<_>>(),
            ["spec.driver.gpuVersion"]
        );
        // An order belongs to billing: a new pool.
        w["metadata"]["annotations"]["os.modelarts/order.id"] = json!("CS1");
        let d = drift(&w, &l);
        assert!(
            d.iter()
                .any(|d| d.path.contains("order.id") && !d.in_place()),
            "{d:?}"
        );
    }

    #[test]
    fn numbers_and_their_text_are_one_value() {
        assert!(same(&json!(1), &json!("1")));
        assert!(same(&json!("100"), &json!(100)));
        assert!(same(&json!(true), &json!("true")));
        assert!(same(&json!(1.0), &json!("1")));
        assert!(!same(&json!("7.10"), &json!("7.1")));
        assert!(!same(&json!("1"), &json!("01x")));
        assert!(!same(&json!(1), &json!(2)));
        assert!(same(&json!({"a": "1"}), &json!({"a": 1})));
    }
}
