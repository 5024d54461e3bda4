//! A pool's status as a pure function of its timestamps and the clock. No
//! task ticks anything, so the status is the same whether the emulator ran
//! all along or was restarted from its state file.
//!
//! With `P` the pool's provision time:
//! - **Dedicate**: `Creating` from creation; the nodes of each flavor become
//!   available one by one (node `i` of `n` at `P·i/n`); `Running` at `P`.
//! - **Logical**: `Waiting` for the first `P/4`, then `Creating`, `Running` at `P`.
//!   Its `status.resources` stays `{}`, as the reference says for logical pools.
//! - **Failure triggers** (documented in `docs/emulator.md`):
//!   - a flavor whose name contains `soldout`: its nodes never come; at `P/2`
//!     the pool turns `CreationFailed` with `status.message`
//!     "insufficient capacity: flavor … is sold out";
//!   - a flavor whose name contains `abnormal`: at `P` the pool turns
//!     `Abnormal` instead of `Running`, with that flavor's nodes under
//!     `status.resources.abnormal`;
//!   - an `os.modelarts/name` label starting with `slow-`: `P` is ten times
//!     `--provision-time` (fixed when the pool is created).
//! - **Delete**: `Deleting` for the pool's delete time, then gone (404).

use serde_json::{json, Map, Value};

use super::state::{FlavorCount, StoredPool};
use crate::model::phase;

pub const SOLDOUT: &str = "soldout";
pub const ABNORMAL: &str = "abnormal";
pub const SLOW_PREFIX: &str = "slow-";
pub const SLOW_FACTOR: u64 = 10;

/// What the pool's status reads at `now_ms`: its phase, an optional message,
/// and node counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub phase: &'static str,
    pub message: Option<String>,
    pub creating: Vec<FlavorCount>,
    pub available: Vec<FlavorCount>,
    pub abnormal: Vec<FlavorCount>,
    pub deleting: Vec<FlavorCount>,
}

impl Snapshot {
    fn new(phase: &'static str) -> Self {
        Snapshot {
            phase,
            message: None,
            creating: Vec::new(),
            available: Vec::new(),
            abnormal: Vec::new(),
            deleting: Vec::new(),
        }
    }
}

/// The provision time of a new pool: ten times longer for a `slow-` name.
pub fn provision_ms(label: &str, base_ms: u64) -> u64 {
    if label.starts_with(SLOW_PREFIX) {
        base_ms.saturating_mul(SLOW_FACTOR)
    } else {
        base_ms
    }
}

/// How long a deleted pool stays `Deleting`.
pub fn delete_ms(base_provision_ms: u64) -> u64 {
    (base_provision_ms / 4).max(200)
}

/// Nodes of `count` available `elapsed` into a provisioning of `total`.
fn nodes_up(count: u64, elapsed: u64, total: u64) -> u64 {
    if elapsed >= total {
        return count;
    }
    (u128::from(count) * u128::from(elapsed) / u128::from(total)) as u64
}

fn push(list: &mut Vec<FlavorCount>, flavor: &str, count: u64) {
    if count > 0 {
        list.push(FlavorCount {
            flavor: flavor.to_string(),
            count,
        });
    }
}

pub fn snapshot(pool: &StoredPool, now_ms: u64) -> Snapshot {
    let logical = pool.pool_type == "Logical";
    if pool.deleted_ms.is_some() {
        let mut s = Snapshot::new(phase::DELETING);
        if !logical {
            for r in &pool.resources {
                push(&mut s.deleting, &r.flavor, r.count);
            }
        }
        return s;
    }
    let total = pool.provision_ms;
    let elapsed = now_ms.saturating_sub(pool.created_ms);
    let soldout = pool.resources.iter().find(|r| r.flavor.contains(SOLDOUT));
    let fail_at = total / 2;
    let failed = soldout.is_some() && elapsed >= fail_at;
    // Once failed, nothing moves any more.
    let t = if failed { fail_at } else { elapsed };

    let mut s = if let (true, Some(r)) = (failed, soldout) {
        let mut s = Snapshot::new(phase::CREATION_FAILED);
        s.message = Some(format!(
            "insufficient capacity: flavor {} is sold out",
            r.flavor
        ));
        s
    } else if t >= total {
        match pool.resources.iter().find(|r| r.flavor.contains(ABNORMAL)) {
            Some(r) => {
                let mut s = Snapshot::new(phase::ABNORMAL);
                s.message = Some(format!(
                    "{} node(s) of flavor {} are abnormal: node health check failed",
                    r.count, r.flavor
                ));
                s
            }
            None => Snapshot::new(phase::RUNNING),
        }
    } else if logical && t < total / 4 {
        let mut s = Snapshot::new(phase::WAITING);
        s.message = Some("the logical pool is waiting for approval".into());
        s
    } else {
        Snapshot::new(phase::CREATING)
    };

    if !logical {
        for r in &pool.resources {
            let up = if r.flavor.contains(SOLDOUT) {
                0
            } else {
                nodes_up(r.count, t, total)
            };
            if s.phase == phase::ABNORMAL && r.flavor.contains(ABNORMAL) {
                push(&mut s.abnormal, &r.flavor, up);
            } else {
                push(&mut s.available, &r.flavor, up);
            }
            if !failed {
                push(&mut s.creating, &r.flavor, r.count - up);
            }
        }
    }
    s
}

/// The `status` object of a pool as show, list and delete answer it.
pub fn status_json(pool: &StoredPool, now_ms: u64) -> Value {
    let s = snapshot(pool, now_ms);
    let mut status = Map::new();
    status.insert("phase".into(), json!(s.phase));
    if let Some(m) = &s.message {
        status.insert("message".into(), json!(m));
    }
    let mut resources = Map::new();
    for (key, list) in [
        ("creating", &s.creating),
        ("available", &s.available),
        ("abnormal", &s.abnormal),
        ("deleting", &s.deleting),
    ] {
        if !list.is_empty() {
            let items: Vec<Value> = list
                .iter()
                .map(|r| json!({"flavor": r.flavor, "count": r.count}))
                .collect();
            resources.insert(key.into(), Value::Array(items));
        }
    }
    status.insert("resources".into(), Value::Object(resources));
    let scope_state = match s.phase {
        phase::RUNNING | phase::ABNORMAL => "Enabled",
        phase::CREATION_FAILED => "EnableFailed",
        phase::DELETING => "Disabling",
        _ => "Enabling",
    };
    let scope: Vec<Value> = pool
        .scope
        .iter()
        .map(|t| json!({"scopeType": t, "state": scope_state}))
        .collect();
    status.insert("scope".into(), Value::Array(scope));
    if let Some(parent) = &pool.parent {
        status.insert("parent".into(), json!(parent));
    }
    status.insert(
        "root".into(),
        json!(pool.parent.as_deref().unwrap_or(&pool.name)),
    );
    Value::Object(status)
}

/// The `status` query of list: `created`, `failed`, `creating`.
pub fn matches_status_filter(phase: &str, filter: &str) -> bool {
    match filter {
        "created" => phase == phase::RUNNING,
        "failed" => phase::is_failed(phase),
        "creating" => matches!(phase, phase::CREATING | phase::WAITING),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(pool_type: &str, flavors: &[(&str, u64)]) -> StoredPool {
        StoredPool {
            name: "pool-a-0123".into(),
            label: "pool-a".into(),
            workspace: "0".into(),
            pool_type: pool_type.into(),
            resources: flavors
                .iter()
                .map(|(f, c)| FlavorCount {
                    flavor: f.to_string(),
                    count: *c,
                })
                .collect(),
            scope: vec!["Train".into()],
            parent: None,
            created_ms: 10_000,
            provision_ms: 1_000,
            deleted_ms: None,
            delete_ms: 250,
            object: Value::Null,
        }
    }

    fn counts(list: &[FlavorCount]) -> Vec<(String, u64)> {
        list.iter().map(|r| (r.flavor.clone(), r.count)).collect()
    }

    #[test]
    fn dedicate_nodes_come_up_one_by_one_then_running() {
        let p = pool("Dedicate", &[("a", 4), ("b", 1)]);
        let at = |ms: u64| snapshot(&p, 10_000 + ms);
        assert_eq!(at(0).phase, "Creating");
        assert_eq!(
            counts(&at(0).creating),
            vec![("a".into(), 4), ("b".into(), 1)]
        );
        assert!(at(0).available.is_empty());
        let half = at(500);
        assert_eq!(counts(&half.available), vec![("a".into(), 2)]);
        assert_eq!(
            counts(&half.creating),
            vec![("a".into(), 2), ("b".into(), 1)]
        );
        let done = at(1_000);
        assert_eq!(done.phase, "Running");
        assert_eq!(
            counts(&done.available),
            vec![("a".into(), 4), ("b".into(), 1)]
        );
        assert!(done.creating.is_empty());
        // A clock that went backwards reads as "just created".
        assert_eq!(snapshot(&p, 0).phase, "Creating");
    }

    #[test]
    fn logical_waits_first_and_has_no_node_counts() {
        let p = pool("Logical", &[("a", 2)]);
        assert_eq!(snapshot(&p, 10_100).phase, "Waiting");
        assert_eq!(snapshot(&p, 10_300).phase, "Creating");
        let running = snapshot(&p, 11_000);
        assert_eq!(running.phase, "Running");
        assert!(running.available.is_empty());
        assert_eq!(status_json(&p, 11_000)["resources"], json!({}));
    }

    #[test]
    fn soldout_fails_at_half_time_with_a_message() {
        let p = pool("Dedicate", &[("ok", 2), ("x.soldout", 1)]);
        assert_eq!(snapshot(&p, 10_499).phase, "Creating");
        let failed = snapshot(&p, 10_500);
        assert_eq!(failed.phase, "CreationFailed");
        assert_eq!(
            failed.message.as_deref(),
            Some("insufficient capacity: flavor x.soldout is sold out")
        );
        // Frozen at the failure: still failed much later, same counts.
        assert_eq!(snapshot(&p, 99_000), failed);
        assert_eq!(counts(&failed.available), vec![("ok".into(), 1)]);
        assert!(failed.creating.is_empty());
        assert_eq!(status_json(&p, 99_000)["scope"][0]["state"], "EnableFailed");
    }

    #[test]
    fn abnormal_flavor_turns_the_pool_abnormal() {
        let p = pool("Dedicate", &[("ok", 1), ("y.abnormal", 2)]);
        assert_eq!(snapshot(&p, 10_999).phase, "Creating");
        let s = snapshot(&p, 11_000);
        assert_eq!(s.phase, "Abnormal");
        assert_eq!(counts(&s.abnormal), vec![("y.abnormal".into(), 2)]);
        assert_eq!(counts(&s.available), vec![("ok".into(), 1)]);
        assert!(s.message.unwrap().contains("y.abnormal"));
    }

    #[test]
    fn slow_names_take_ten_times_longer() {
        assert_eq!(provision_ms("slow-pool", 300), 3_000);
        assert_eq!(provision_ms("pool-slow", 300), 300);
        assert_eq!(delete_ms(300), 200);
        assert_eq!(delete_ms(20_000), 5_000);
    }

    #[test]
    fn deleting_lists_nodes_and_status_filters_map_phases() {
        let mut p = pool("Dedicate", &[("a", 3)]);
        p.deleted_ms = Some(20_000);
        let s = snapshot(&p, 20_100);
        assert_eq!(s.phase, "Deleting");
        assert_eq!(counts(&s.deleting), vec![("a".into(), 3)]);
        assert!(matches_status_filter("Running", "created"));
        assert!(matches_status_filter("Abnormal", "failed"));
        assert!(matches_status_filter("Waiting", "creating"));
        assert!(!matches_status_filter("Deleting", "creating"));
        assert!(!matches_status_filter("Deleting", "failed"));
    }

    #[test]
    fn zero_provision_time_is_running_at_once() {
        let mut p = pool("Dedicate", &[("a", 3)]);
        p.provision_ms = 0;
        assert_eq!(snapshot(&p, 10_000).phase, "Running");
    }
}
