//! `PATCH /v2/{project_id}/pools/{pool_name}`: a JSON merge patch
//! (RFC 7396) on the pool's `metadata` and `spec`, as the service changes a
//! pool in place (issue 11; docs/emulator.md, "Changing a pool in place").
//!
//! The patch is applied to the stored pool (what show answers, less its
//! `status`), then checked, in this order, the first failure being the
//! answer and nothing changing:
//!
//! 1. what it changes: only `spec.resources`, `spec.scope`, `spec.driver`
//!    and `metadata.annotations` (but the billing ones) change in place;
//!    every other change is named in one 400. A value equal to the current
//!    one is no change;
//! 2. the patched pool passes the create rules (`pools::validate`), 400;
//! 3. a changed `spec.resources` names only flavors of the catalogue, 404;
//! 4. the pool is `Running`, `ScalingFailed` or `Abnormal`, else 409.
//!
//! A patch that changes `spec.resources` starts a scale
//! (`lifecycle::start_scale`); one that changes nothing changes nothing.

use serde_json::{json, Map, Value};

use super::flavors;
use super::lifecycle;
use super::pools;
use super::reply::{shorten, ApiError};
use super::state::StoredPool;
use crate::model::phase;

/// The media type of a JSON merge patch (RFC 7396).
pub const MERGE_PATCH: &str = "application/merge-patch+json";

/// At most this many refused fields are named in one answer.
const MAX_NAMED: usize = 20;

/// Whether a `Content-Type` value is [`MERGE_PATCH`], with any parameters
/// (`; charset=utf-8`), in any case.
pub fn is_merge_patch(content_type: Option<&[u8]>) -> bool {
    let Some(value) = content_type.and_then(|v| std::str::from_utf8(v).ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case(MERGE_PATCH)
}

/// The 415 for any other `Content-Type` (or none).
pub fn unsupported(content_type: Option<&[u8]>) -> ApiError {
    let sent = match content_type {
        None => "no Content-Type was sent".to_string(),
        Some(v) => format!(
            "Content-Type {} is not accepted",
            shorten(&String::from_utf8_lossy(v)).escape_debug()
        ),
    };
    ApiError::unsupported_media_type(format!(
        "Unsupported Media Type: {sent}; a pool is changed with a JSON merge patch: \
         use Content-Type: {MERGE_PATCH}"
    ))
}

/// RFC 7396 `MergePatch(target, patch)`: objects merge key by key, `null`
/// removes a key, anything else (arrays included) replaces. Keys keep their
/// order; new ones come last. The depth is bounded by the JSON parser's.
pub fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(map) = target else {
        return;
    };
    for (key, value) in patch {
        if value.is_null() {
            map.shift_remove(key);
        } else {
            merge(map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// What the service normalises on create, so that a patch that says the
/// same thing another way changes nothing: label and annotation values
/// that are numbers or booleans are their text; `maxCount` absent from a
/// resource is its `count`; no annotations at all are none.
fn normalise(object: &mut Value) {
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        if metadata.get("annotations").is_none_or(Value::is_null) {
            metadata.insert("annotations".into(), json!({}));
        }
        for key in ["labels", "annotations"] {
            if let Some(map) = metadata.get_mut(key).and_then(Value::as_object_mut) {
                for v in map.values_mut() {
                    match v {
                        Value::Number(n) => *v = Value::String(n.to_string()),
                        Value::Bool(b) => *v = Value::String(b.to_string()),
                        _ => {}
                    }
                }
            }
        }
    }
    let resources = object
        .get_mut("spec")
        .and_then(|s| s.get_mut("resources"))
        .and_then(Value::as_array_mut);
    for r in resources.into_iter().flatten() {
        if let Some(r) = r.as_object_mut() {
            if let Some(count) = r.get("count").and_then(Value::as_u64) {
                if r.get("maxCount").is_none_or(Value::is_null) {
                    r.insert("maxCount".into(), json!(count));
                }
            }
        }
    }
}

/// The paths (as segments) at which `a` and `b` differ: objects on both
/// sides are compared key by key; anything else (arrays included) as a whole.
fn diff(a: Option<&Value>, b: Option<&Value>, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            for key in keys {
                path.push(key.clone());
                diff(x.get(key), y.get(key), path, out);
                path.pop();
            }
        }
        (x, y) if x == y => {}
        _ => out.push(path.clone()),
    }
}

/// Annotations about billing, which change only with a new pool.
fn billing_annotation(key: &str) -> bool {
    key.starts_with("os.modelarts/billing.")
        || key.starts_with("os.modelarts/period.")
        || key == "os.modelarts/auto.renew"
        || key == lifecycle::ORDER_ID
}

/// Whether a change at `path` is one the service makes in place.
fn in_place(path: &[String]) -> bool {
    let seg: Vec<&str> = path.iter().map(String::as_str).collect();
    match seg.as_slice() {
        ["spec", "resources" | "scope" | "driver", ..] => true,
        ["metadata", "annotations", key, ..] => !billing_annotation(key),
        _ => false,
    }
}

/// The 400 naming every field a patch would change that cannot change in place.
fn refused(paths: &[Vec<String>]) -> ApiError {
    let mut names: Vec<String> = paths.iter().map(|p| shorten(&p.join("."))).collect();
    names.sort();
    names.dedup();
    let more = names.len().saturating_sub(MAX_NAMED);
    names.truncate(MAX_NAMED);
    let mut list = names.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    ApiError::bad_request(format!(
        "{list} cannot be changed in place; create a new pool"
    ))
}

/// The pool `pool` becomes with the merge patch `patch` at `now_ms`, or
/// `None` when the patch changes nothing; or why it cannot.
pub fn apply(
    pool: &StoredPool,
    patch: &Value,
    region: &str,
    now_ms: u64,
) -> Result<Option<StoredPool>, ApiError> {
    let Value::Object(fields) = patch else {
        return Err(ApiError::bad_request(
            "a merge patch must be a JSON object (the fields of the pool to change)",
        ));
    };
    // `status` is the service's to say: a patch of it is ignored.
    let mut fields = fields.clone();
    fields.shift_remove("status");
    let mut before = pool.object.clone();
    if let Some(o) = before.as_object_mut() {
        o.shift_remove("status");
    }
    normalise(&mut before);
    let mut after = before.clone();
    merge(&mut after, &Value::Object(fields));
    normalise(&mut after);

    let mut changed = Vec::new();
    diff(Some(&before), Some(&after), &mut Vec::new(), &mut changed);
    let fixed: Vec<Vec<String>> = changed.iter().filter(|p| !in_place(p)).cloned().collect();
    if !fixed.is_empty() {
        return Err(refused(&fixed));
    }
    // The create rules, on the whole patched pool.
    let body = serde_json::to_vec(&after).unwrap_or_default();
    let valid = pools::validate(&body)?;
    let resources_changed = before["spec"]["resources"] != after["spec"]["resources"];
    if resources_changed {
        if let Some(r) = valid
            .resources
            .iter()
            .find(|r| flavors::find(&r.flavor).is_none())
        {
            return Err(ApiError::flavor_not_found(&r.flavor));
        }
    }
    let now = lifecycle::snapshot(pool, region, now_ms).phase;
    if !matches!(
        now,
        phase::RUNNING | phase::SCALING_FAILED | phase::ABNORMAL
    ) {
        return Err(ApiError::pool_busy(&pool.label, now));
    }
    if changed.is_empty() {
        return Ok(None);
    }
    let mut patched = pool.clone();
    if resources_changed {
        let scale = lifecycle::start_scale(
            pool,
            valid.resources.clone(),
            &after["spec"],
            region,
            now_ms,
        );
        patched.scales.push(scale);
    }
    patched.resources = valid.resources;
    patched.scope = valid.scope;
    patched.object = after;
    Ok(Some(patched))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::state::FlavorCount;

    #[test]
    fn content_types() {
        for ok in [
            "application/merge-patch+json",
            "application/merge-patch+json; charset=utf-8",
            "Application/Merge-Patch+JSON ;charset=UTF-8",
        ] {
            assert!(is_merge_patch(Some(ok.as_bytes())), "{ok}");
        }
        for bad in [
            "application/json",
            "application/json-patch+json",
            "application/merge-patch+jsonx",
            "",
        ] {
            assert!(!is_merge_patch(Some(bad.as_bytes())), "{bad}");
        }
        assert!(!is_merge_patch(None));
        assert!(!is_merge_patch(Some(b"application/merge-patch+json\xff")));
        let e = unsupported(Some(b"application/json"));
        assert_eq!((e.status.as_u16(), e.code), (415, "ModelArts.50004000"));
        assert!(
            e.msg
                .ends_with("use Content-Type: application/merge-patch+json"),
            "{}",
            e.msg
        );
        assert!(unsupported(None).msg.contains("no Content-Type was sent"));
    }

    /// The examples of RFC 7396, appendix A.
    #[test]
    fn rfc_7396_examples() {
        let cases = [
            (r#"{"a":"b"}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
            (r#"{"a":"b"}"#, r#"{"b":"c"}"#, r#"{"a":"b","b":"c"}"#),
            (r#"{"a":"b"}"#, r#"{"a":null}"#, r#"{}"#),
            (r#"{"a":"b","b":"c"}"#, r#"{"a":null}"#, r#"{"b":"c"}"#),
            (r#"{"a":["b"]}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
            (r#"{"a":"c"}"#, r#"{"a":["b"]}"#, r#"{"a":["b"]}"#),
            (
                r#"{"a":{"b":"c"}}"#,
                r#"{"a":{"b":"d","c":null}}"#,
                r#"{"a":{"b":"d"}}"#,
            ),
            (r#"{"a":[{"b":"c"}]}"#, r#"{"a":[1]}"#, r#"{"a":[1]}"#),
            (r#"["a","b"]"#, r#"["c","d"]"#, r#"["c","d"]"#),
            (r#"{"a":"b"}"#, r#"["c"]"#, r#"["c"]"#),
            (r#"{"a":"foo"}"#, "null", "null"),
            (r#"{"a":"foo"}"#, r#""bar""#, r#""bar""#),
            (r#"{"e":null}"#, r#"{"a":1}"#, r#"{"e":null,"a":1}"#),
            (r#"[1,2]"#, r#"{"a":"b","c":null}"#, r#"{"a":"b"}"#),
            (
                r#"{}"#,
                r#"{"a":{"bb":{"ccc":null}}}"#,
                r#"{"a":{"bb":{}}}"#,
            ),
        ];
        for (target, patch, result) in cases {
            let mut t: Value = serde_json::from_str(target).unwrap();
            merge(&mut t, &serde_json::from_str(patch).unwrap());
            assert_eq!(
                t,
                serde_json::from_str::<Value>(result).unwrap(),
                "{target} + {patch}"
            );
        }
        // Order is kept: a changed key stays where it was.
        let mut t = json!({"a": 1, "b": 2, "c": 3});
        merge(&mut t, &json!({"b": null, "a": 5, "d": 4}));
        assert_eq!(t.to_string(), r#"{"a":5,"c":3,"d":4}"#);
    }

    const CPU: &str = "modelarts.vm.cpu.8ud";
    const REGION: &str = "r-1";

    fn running() -> StoredPool {
        StoredPool {
            name: "pool-a-0123".into(),
            label: "pool-a".into(),
            workspace: "0".into(),
            pool_type: "Dedicate".into(),
            resources: vec![FlavorCount {
                flavor: CPU.into(),
                count: 2,
            }],
            scope: vec!["Train".into()],
            parent: None,
            created_ms: 10_000,
            provision_ms: 1_000,
            deleted_ms: None,
            delete_ms: 250,
            paid_ms: None,
            scales: Vec::new(),
            object: json!({
                "kind": "Pool", "apiVersion": "v2",
                "metadata": {"name": "pool-a-0123", "creationTimestamp": "2024-10-24T12:42:43Z",
                    "labels": {"os.modelarts/name": "pool-a", "os.modelarts/workspace.id": "0",
                               "os.modelarts/node.prefix": ""},
                    "annotations": {"os.modelarts/description": "x",
                                    "os.modelarts/billing.mode": "0"}},
                "spec": {"type": "Dedicate", "scope": ["Train"], "network": {"name": "network-1"},
                         "resources": [{"flavor": CPU, "count": 2, "maxCount": 2}]}
            }),
        }
    }

    fn patched(p: &StoredPool, patch: Value, now: u64) -> Result<Option<StoredPool>, ApiError> {
        apply(p, &patch, REGION, now)
    }

    #[test]
    fn in_place_fields_change_and_equal_values_are_no_change() {
        let p = running();
        let after = patched(
            &p,
            json!({"metadata": {"annotations": {"os.modelarts/description": null, "team": 7}},
                   "spec": {"scope": ["Train", "Infer"], "driver": {"gpu": {"version": "535"}}}}),
            20_000,
        )
        .unwrap()
        .unwrap();
        let md = &after.object["metadata"];
        assert!(md["annotations"].get("os.modelarts/description").is_none());
        assert_eq!(md["annotations"]["team"], "7", "a number is its text");
        assert_eq!(after.scope, ["Train", "Infer"]);
        assert!(
            after.scales.is_empty(),
            "no scale without a resource change"
        );
        // The same values another way: no change at all.
        for same in [
            json!({}),
            json!({"status": {"phase": "Error"}}),
            json!({"kind": "Pool", "metadata": {"labels": {"os.modelarts/workspace.id": 0}}}),
            json!({"metadata": {"annotations": {"os.modelarts/billing.mode": 0}}}),
            json!({"spec": {"resources": [{"flavor": CPU, "count": 2}]}}),
            json!({"spec": {"network": {"name": "network-1"}}}),
        ] {
            assert_eq!(patched(&p, same.clone(), 20_000), Ok(None), "{same}");
        }
    }

    #[test]
    fn every_fixed_field_is_named() {
        let p = running();
        let e = patched(
            &p,
            json!({"metadata": {"labels": {"os.modelarts/name": "pool-b", "extra": "1"},
                                "annotations": {"os.modelarts/billing.mode": "1",
                                                "os.modelarts/period.num": "1"}},
                   "spec": {"type": "Logical", "network": {"name": "network-2"},
                            "masters": [{"az": "a"}], "scope": ["Infer"]},
                   "apiVersion": "v3", "other": 1}),
            20_000,
        )
        .unwrap_err();
        assert_eq!((e.status.as_u16(), e.code), (400, "ModelArts.50004000"));
        assert_eq!(
            e.msg,
            "Bad request: apiVersion, metadata.annotations.os.modelarts/billing.mode, \
             metadata.annotations.os.modelarts/period.num, metadata.labels.extra, \
             metadata.labels.os.modelarts/name, other, spec.masters, spec.network.name, \
             spec.type cannot be changed in place; create a new pool"
        );
        let e = patched(&p, json!({"metadata": {"annotations": null}}), 20_000).unwrap_err();
        assert_eq!(
            e.msg,
            "Bad request: metadata.annotations.os.modelarts/billing.mode cannot be changed in place; create a new pool"
        );
        let e = patched(&p, json!({"spec": {"network": null}}), 20_000).unwrap_err();
        assert!(
            e.msg.starts_with("Bad request: spec.network cannot"),
            "{}",
            e.msg
        );
        let many: Map<String, Value> = (0..30).map(|i| (format!("l{i:02}"), json!("x"))).collect();
        let e = patched(&p, json!({"metadata": {"labels": many}}), 20_000).unwrap_err();
        assert!(e.msg.contains("l19 and 10 more cannot"), "{}", e.msg);
        assert_eq!(
            patched(&p, json!([1]), 20_000).unwrap_err().msg,
            "Bad request: a merge patch must be a JSON object (the fields of the pool to change)"
        );
    }

    #[test]
    fn the_patched_pool_follows_the_create_rules() {
        let p = running();
        for (patch, status, needle) in [
            (
                json!({"spec": {"resources": []}}),
                400,
                "spec.resources must be a non-empty list",
            ),
            (
                json!({"spec": {"resources": [{"flavor": CPU, "count": 3, "maxCount": 2}]}}),
                400,
                "maxCount must equal count",
            ),
            (
                json!({"spec": {"scope": ["Everything"]}}),
                400,
                "spec.scope[0] must be one of",
            ),
            (
                json!({"metadata": {"annotations": {"x": {"y": 1}}}}),
                400,
                "metadata.annotations.x must be a string",
            ),
            (
                json!({"spec": {"resources": [{"flavor": "modelarts.vm.cpu.nope", "count": 1}]}}),
                404,
                "resource flavor modelarts.vm.cpu.nope not found",
            ),
        ] {
            let e = patched(&p, patch.clone(), 20_000).unwrap_err();
            assert_eq!(e.status.as_u16(), status, "{patch}: {}", e.msg);
            assert!(e.msg.contains(needle), "{patch}: {}", e.msg);
        }
    }

    #[test]
    fn only_running_scaling_failed_or_abnormal_pools_change() {
        let p = running();
        let more = json!({"spec": {"resources": [{"flavor": CPU, "count": 3}]}});
        let e = patched(&p, more.clone(), 10_500).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code), (409, "ModelArts.50015003"));
        assert_eq!(
            e.msg,
            "pool pool-a is Creating; it can be changed once it is Running"
        );
        let mut deleted = p.clone();
        deleted.deleted_ms = Some(15_000);
        let e = patched(&deleted, more.clone(), 20_000).unwrap_err();
        assert_eq!(
            e.msg,
            "pool pool-a is Deleting; it cannot be changed any more"
        );
        let mut sold = p.clone();
        sold.resources[0].flavor = "modelarts.vm.gpu.v100".into();
        sold.object["spec"]["resources"][0]["flavor"] = json!("modelarts.vm.gpu.v100");
        let e = patched(&sold, json!({"spec": {"scope": []}}), 20_000).unwrap_err();
        assert_eq!(
            e.msg,
            "pool pool-a is CreationFailed; it cannot be changed: delete it and create a new pool"
        );
        // Even a patch that would change nothing.
        assert_eq!(patched(&p, json!({}), 10_500).unwrap_err().status, 409);
        let mut odd = p.clone();
        odd.label = "abnormal-a".into();
        let scaled = patched(&odd, more, 20_000).unwrap().unwrap();
        assert_eq!(scaled.resources[0].count, 3);
    }

    #[test]
    fn a_count_change_starts_a_scale_from_what_is_there() {
        let p = running();
        let up = patched(
            &p,
            json!({"spec": {"resources": [{"flavor": CPU, "count": 4},
                                          {"flavor": "modelarts.vm.gpu.v100", "count": 1}]}}),
            20_000,
        )
        .unwrap()
        .unwrap();
        assert_eq!(up.object["spec"]["resources"][0]["maxCount"], 4);
        assert_eq!(up.object["spec"]["resources"][1]["maxCount"], 1);
        let s = &up.scales[0];
        assert_eq!(s.at_ms, 20_000);
        assert_eq!(
            s.from,
            [FlavorCount {
                flavor: CPU.into(),
                count: 2
            }]
        );
        assert_eq!(s.to, up.resources);
        assert_eq!(s.sold_out.len(), 1);
        assert_eq!(s.sold_out[0].flavor, "modelarts.vm.gpu.v100");
        assert_eq!(s.sold_out[0].azs, ["r-1a", "r-1b"]);
    }
}
