//! Networks, derived from their names (docs/emulator.md, "Networks"):
//!
//! - a name starting with `network-missing` does not exist;
//! - any other name starting with `network-` exists: phase `Creating` if it
//!   contains `-creating`, else `Abnormal` if it contains `-abnormal`, else
//!   `Active`;
//! - any other name does not exist.
//!
//! A network that does not exist is 404 `ModelArts.50025001`, on show and
//! on the create of a Dedicate pool that names it. The list holds
//! `network-default` and every network a stored pool names.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{json, Value};

use super::paging::{Page, Pager, Selector};
use super::reply::ApiError;
use super::state::StoredPool;
use crate::model::NAME_LABEL;

/// Always in the list.
pub const DEFAULT: &str = "network-default";
/// What an existing network's name starts with.
pub const PREFIX: &str = "network-";
/// A name starting with this does not exist.
pub const MISSING_PREFIX: &str = "network-missing";
pub const CREATING: &str = "-creating";
pub const ABNORMAL: &str = "-abnormal";

/// Every network was made at this time (they are not made by anyone).
const CREATED: &str = "2024-01-01T00:00:00Z";

/// The phase of the network `name`, or `None` when it does not exist.
pub fn phase(name: &str) -> Option<&'static str> {
    if !name.starts_with(PREFIX) || name.starts_with(MISSING_PREFIX) {
        None
    } else if name.contains(CREATING) {
        Some("Creating")
    } else if name.contains(ABNORMAL) {
        Some("Abnormal")
    } else {
        Some("Active")
    }
}

/// The network object of `name`, or 404 `ModelArts.50025001`.
pub fn show(name: &str) -> Result<Value, ApiError> {
    let phase = phase(name).ok_or_else(|| ApiError::network_not_found(name))?;
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Network",
        "metadata": {
            "name": name,
            "creationTimestamp": CREATED,
            "labels": {NAME_LABEL: name},
        },
        "spec": {"cidr": "192.168.128.0/17", "connection": {}},
        "status": {"phase": phase},
    }))
}

/// The network `spec.network.name` of a stored pool, if any.
fn named_by(pool: &StoredPool) -> Option<&str> {
    pool.object["spec"]["network"]["name"].as_str()
}

/// The answer of `GET .../networks`: `network-default` and every existing
/// network a stored pool names, by name; `labelSelector`, `limit`, `continue`.
pub fn list(
    pools: &[Arc<StoredPool>],
    query: &[(String, String)],
    pager: &Pager,
) -> Result<Value, ApiError> {
    let selector = Selector::from_query(query)?;
    let page = Page::from_query(query, pager, "networks", &selector.text())?;
    let names: BTreeSet<&str> = pools
        .iter()
        .filter_map(|p| named_by(p))
        .chain([DEFAULT])
        .filter(|n| phase(n).is_some())
        .collect();
    let items: Vec<(String, Value)> = names
        .into_iter()
        .filter_map(|n| Some((n.to_string(), show(n).ok()?)))
        .filter(|(_, o)| selector.matches(&o["metadata"]["labels"]))
        .collect();
    Ok(page.answer(items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decide() {
        for (name, want) in [
            ("network-default", Some("Active")),
            ("network-21e1-6f5da086", Some("Active")),
            ("network-a-creating", Some("Creating")),
            ("network-x-abnormal-2", Some("Abnormal")),
            ("network-missing", None),
            ("network-missing-creating", None),
            ("net-01", None),
            ("a-network-01", None),
            ("", None),
        ] {
            assert_eq!(phase(name), want, "{name}");
        }
        let shown = show("network-a").unwrap();
        assert_eq!(shown["metadata"]["labels"][NAME_LABEL], "network-a");
        assert_eq!(shown["status"]["phase"], "Active");
        let err = show("net-01").unwrap_err();
        assert_eq!((err.status.as_u16(), err.code), (404, "ModelArts.50025001"));
        assert_eq!(err.msg, "network net-01 does not exist");
    }
}
