//! Reading the service's answers leniently (DESIGN.md §1: "every optional
//! field tolerates `null`").
//!
//! An answer is kept exactly as it came (`raw`, for `-o json|yaml`), and a
//! typed view is built for decisions and text. `null` anywhere means absent.
//! A field of an unexpected type is dropped from the typed view and named in
//! `unreadable`, so that one odd field never hides a pool. Only an answer
//! that is not JSON, or not the object asked for, is an error.

use serde::de::DeserializeOwned;
use serde_json::Value;

pub use super::response::ErrorBody;
use super::{Event, Flavor, NetworkResource, Pool};

/// At most this many fields are dropped before the typed view gives up and
/// stays empty: a bound on the work a hostile answer can cause.
const MAX_REPAIRS: usize = 64;

/// One answer, as it came and as far as it could be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Read<T> {
    pub raw: Value,
    pub typed: T,
    /// Fields left out of `typed`: `path: why`.
    pub unreadable: Vec<String>,
}

/// `value` with every `null` member and element removed, at any depth.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|v| !v.is_null())
                .map(without_nulls)
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Removes the value at `path` (serde_path_to_error's segments); false when
/// nothing there could be removed.
fn remove_at(value: &mut Value, path: &[serde_path_to_error::Segment]) -> bool {
    use serde_path_to_error::Segment;
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut here = value;
    for seg in parents {
        let next = match (seg, here) {
            (Segment::Map { key }, Value::Object(m)) => m.get_mut(key),
            (Segment::Seq { index }, Value::Array(a)) => a.get_mut(*index),
            _ => None,
        };
        match next {
            Some(v) => here = v,
            None => return false,
        }
    }
    match (last, here) {
        (Segment::Map { key }, Value::Object(m)) => m.remove(key).is_some(),
        (Segment::Seq { index }, Value::Array(a)) if *index < a.len() => {
            a.remove(*index);
            true
        }
        _ => false,
    }
}

/// The typed view of `raw`, leaving out what cannot be read.
pub fn lenient<T: DeserializeOwned + Default>(raw: &Value) -> (T, Vec<String>) {
    let mut value = without_nulls(raw);
    let mut unreadable = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let error = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(typed) => return (typed, unreadable),
            Err(e) => e,
        };
        let segments: Vec<_> = error.path().iter().cloned().collect();
        unreadable.push(format!("{}: {}", error.path(), error.inner()));
        // The field, or else the nearest of its parents that can go.
        if !(0..segments.len())
            .rev()
            .any(|n| remove_at(&mut value, &segments[..=n]))
        {
            break;
        }
    }
    (T::default(), unreadable)
}

fn json(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON: {e}"))
}

/// A pool: a JSON object, read leniently.
pub fn pool_value(raw: Value) -> Result<Read<Pool>, String> {
    if !raw.is_object() {
        return Err("the answer is not a JSON object".into());
    }
    let (typed, unreadable) = lenient(&raw);
    Ok(Read {
        raw,
        typed,
        unreadable,
    })
}

pub fn pool(body: &[u8]) -> Result<Read<Pool>, String> {
    pool_value(json(body)?)
}

/// The `items` of a list answer, which must be an array (`null` is an
/// empty list); a list without it gives no answer at all.
fn items(body: &[u8], of: &str) -> Result<Vec<Value>, String> {
    let value = json(body)?;
    match value.get("items") {
        Some(Value::Array(items)) => Ok(items.iter().filter(|v| !v.is_null()).cloned().collect()),
        Some(Value::Null) => Ok(Vec::new()),
        Some(_) => Err(format!("the answer's items is not a list of {of}")),
        None if value.is_object() => Err(format!("the answer is not a list of {of}: no items")),
        None => Err(format!("the answer is not a list of {of}")),
    }
}

/// The pools of a list answer (`{"kind":"List","items":[...]}`). An item
/// that is not an object is an error: a list that cannot be read in full
/// gives no clear answer.
pub fn pool_list(body: &[u8]) -> Result<Vec<Read<Pool>>, String> {
    items(body, "pools")?
        .into_iter()
        .enumerate()
        .map(|(i, v)| pool_value(v).map_err(|e| format!("items[{i}]: {e}")))
        .collect()
}

/// The token of the next page of a list answer (`metadata.continue`, as
/// Kubernetes-style lists give it when they are cut into pages), if any.
pub fn next_page(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let token = value.get("metadata")?.get("continue")?.as_str()?.trim();
    (!token.is_empty()).then(|| token.to_string())
}

fn list_of<T: DeserializeOwned + Default>(body: &[u8], of: &str) -> Result<Vec<Read<T>>, String> {
    Ok(items(body, of)?
        .into_iter()
        .map(|raw| {
            let (typed, unreadable) = lenient(&raw);
            Read {
                raw,
                typed,
                unreadable,
            }
        })
        .collect())
}

/// The flavors of `GET /v1/{project}/resourceflavors`.
pub fn flavors(body: &[u8]) -> Result<Vec<Read<Flavor>>, String> {
    list_of(body, "resource flavors")
}

/// A network of `GET /v1/{project}/networks/{name}`: an object with a
/// `metadata.name`.
pub fn network(body: &[u8]) -> Result<Read<NetworkResource>, String> {
    let raw: Value =
        serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON: {e}"))?;
    if !raw
        .get("metadata")
        .and_then(|m| m.get("name"))
        .is_some_and(Value::is_string)
    {
        return Err("the answer is not a network: it has no metadata.name".into());
    }
    let (typed, unreadable) = lenient(&raw);
    Ok(Read {
        raw,
        typed,
        unreadable,
    })
}

/// The events of `GET /v1/{project}/events`.
pub fn events(body: &[u8]) -> Result<Vec<Read<Event>>, String> {
    list_of(body, "events")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_are_absent_anywhere() {
        let raw = json!({
            "metadata": {"name": "p", "labels": null, "annotations": null, "creationTimestamp": null},
            "spec": {"scope": null, "resources": [null, {"flavor": "f", "count": 1, "azs": null}], "network": null},
            "status": null
        });
        let r = pool_value(raw.clone()).unwrap();
        assert_eq!(r.unreadable, Vec::<String>::new());
        assert_eq!(r.typed.name(), Some("p"));
        assert_eq!(r.typed.nodes(), (0, 1));
        assert_eq!(r.raw, raw, "the answer is kept as it came");
    }

    #[test]
    fn an_odd_field_is_named_and_the_rest_is_read() {
        let raw = json!({
            "metadata": {"name": "p", "labels": {"os.modelarts/name": "pool-a"}},
            "spec": {"type": 7, "scope": "Train", "resources": [{"flavor": "f", "count": "2"}]},
            "status": {"phase": "Running", "resources": {"available": [{"count": true}]}}
        });
        let r = pool_value(raw).unwrap();
        assert_eq!(r.typed.display_name(), Some("pool-a"));
        assert_eq!(r.typed.phase(), Some("Running"));
        assert_eq!(r.typed.spec.resources[0].count, Some(2));
        let paths: Vec<&str> = r
            .unreadable
            .iter()
            .map(|u| u.split(':').next().unwrap())
            .collect();
        assert!(paths.contains(&"spec.type"), "{paths:?}");
        assert!(paths.contains(&"spec.scope"), "{paths:?}");
        assert!(
            paths
                .iter()
                .any(|p| p.starts_with("status.resources.available")),
            "{paths:?}"
        );
    }

    #[test]
    fn only_non_objects_are_errors() {
        assert!(pool(b"[]").is_err());
        assert!(pool(b"not json").is_err());
        assert!(pool(b"{}").is_ok());
    }

    #[test]
    fn a_list_without_items_is_no_answer() {
        assert!(pool_list(b"{}").is_err());
        assert!(pool_list(br#"{"items":{}}"#).is_err());
        assert!(pool_list(br#"{"items":[1]}"#).is_err());
        assert_eq!(pool_list(br#"{"items":null}"#).unwrap().len(), 0);
        assert_eq!(pool_list(br#"{"items":[{}, null]}"#).unwrap().len(), 1);
    }

    #[test]
    fn a_list_may_say_where_its_next_page_is() {
        assert_eq!(
            next_page(br#"{"metadata":{"continue":"t1"},"items":[]}"#).as_deref(),
            Some("t1")
        );
        assert_eq!(
            next_page(br#"{"metadata":{"continue":""},"items":[]}"#),
            None
        );
        assert_eq!(next_page(br#"{"metadata":{},"items":[]}"#), None);
        assert_eq!(next_page(b"[]"), None);
    }

    #[test]
    fn flavors_and_events_read_leniently() {
        let f = flavors(br#"{"items":[{"metadata":{"name":"f"},"spec":{"cpu":"8"},"status":{"phase":{"az1":"soldout"}}}]}"#).unwrap();
        assert_eq!(f[0].typed.spec.cpu.as_deref(), Some("8"));
        assert_eq!(f[0].typed.status.phase["az1"], "soldout");
        assert!(!f[0].typed.available_in("az1") && !f[0].typed.available_in("az2"));
        let f = flavors(br#"{"items":[{"spec":{"cpu":8,"gpu":{"type":"t4","size":1}}}]}"#).unwrap();
        assert_eq!(f[0].typed.spec.cpu.as_deref(), Some("8"));
        assert_eq!(f[0].typed.accelerator().as_deref(), Some("t4 x 1"));
        let e = events(br#"{"items":[{"type":"Warning","message":null,"count":"2"}]}"#).unwrap();
        assert_eq!(e[0].typed.count, Some(2));
    }
}
