//! A pool's status and events as pure functions of its timestamps and the
//! clock. No task ticks anything, so the status is the same whether the
//! emulator ran all along or was restarted from its state file.
//!
//! With `P` the pool's provision time and `S` the start of its lifecycle
//! (its creation, or for an ordered pool the payment of its order):
//! - **Orders**: a pool with the annotation `os.modelarts/billing.mode: "1"`
//!   has an order (`os.modelarts/order.id`, given at creation). It is
//!   `Waiting` until the order is paid: by the pay call
//!   (`POST /emulator/v1/{project_id}/orders/{order_id}/pay`) or, at the
//!   latest, automatically `P/2` after creation ([`AUTO_PAY_DIVISOR`]).
//!   `S` is the payment.
//! - **Dedicate**: `Creating` from `S`; the nodes of each flavor become
//!   available one by one (node `i` of `n` at `S + P·i/n`); `Running` at `S + P`.
//! - **Logical**: `Waiting` for the first `P/4`, then `Creating`, `Running` at
//!   `S + P`. Its `status.resources` stays `{}`, as the reference says for
//!   logical pools, and it takes no capacity (sold-out flavors do not stop it).
//! - **Failures** (documented in `docs/emulator.md`):
//!   - a flavor sold out (in the catalogue, `flavors`) in every zone the pool
//!     may use (its `azs` entries with a count above 0, else all the
//!     region's): its nodes never come; at `S + P/2` the pool turns
//!     `CreationFailed` with `status.message` "insufficient capacity: flavor F
//!     is sold out in Z1, Z2";
//!   - an `os.modelarts/name` label starting with `abnormal-`: at `S + P` the
//!     pool turns `Abnormal` instead of `Running`, with the nodes of its first
//!     flavor under `status.resources.abnormal`;
//!   - an `os.modelarts/name` label starting with `slow-`: `P` is ten times
//!     `--provision-time` (fixed when the pool is created).
//! - **Scales** (a PATCH that changes `spec.resources`, `patch`): from the
//!   nodes there at the PATCH (`Scale::from`) to its counts (`Scale::to`),
//!   over `P` from the PATCH. The `n` nodes a flavor gains come one by one
//!   (node `i` at `P·i/n`, under `status.resources.creating` until then),
//!   the `n` it loses leave the same way (under `deleting` until they
//!   leave, and still `available`); the phase stays `Running`. A scale
//!   that adds nodes of a flavor sold out in every zone its entry may use
//!   never gets them: at `P/2` the pool turns `ScalingFailed`, and nothing
//!   moves after. A later PATCH starts from the nodes there at that moment;
//!   the scale it overtakes never ends. The creation's part of the story is
//!   read from the first scale's `from` (the pool was whole then), never
//!   from a spec that a PATCH has changed since.
//! - **Delete**: `Deleting` for the pool's delete time, then gone (404).
//!   Nothing else happens to a pool once it is deleted.

use serde_json::{json, Map, Value};

use super::flavors;
use super::state::{FlavorCount, Scale, SoldOut, StoredPool};
use crate::model::phase;
use crate::time::rfc3339_from_unix;

pub const ABNORMAL_PREFIX: &str = "abnormal-";
pub const SLOW_PREFIX: &str = "slow-";
pub const SLOW_FACTOR: u64 = 10;
pub const BILLING_MODE: &str = "os.modelarts/billing.mode";
pub const ORDER_ID: &str = "os.modelarts/order.id";
/// An unpaid order is paid automatically `P / AUTO_PAY_DIVISOR` after creation.
pub const AUTO_PAY_DIVISOR: u64 = 2;

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

/// Whether a create's annotations ask for a yearly/monthly pool, paid by order.
pub fn wants_order(annotations: &Map<String, Value>) -> bool {
    annotations.get(BILLING_MODE).and_then(Value::as_str) == Some("1")
}

/// The order of a pool: billed by order and given an order id at creation.
/// (A pool from an older state file has none, and is not waiting for one.)
pub fn order_id(pool: &StoredPool) -> Option<&str> {
    let annotations = &pool.object["metadata"]["annotations"];
    if annotations[BILLING_MODE].as_str() != Some("1") {
        return None;
    }
    annotations[ORDER_ID].as_str()
}

/// When the pool's order is paid automatically.
pub fn auto_pay_ms(pool: &StoredPool) -> u64 {
    pool.created_ms
        .saturating_add(pool.provision_ms / AUTO_PAY_DIVISOR)
}

/// When the pool's order is (or will be) paid: at the pay call, or at the
/// automatic payment if that comes first. `None` without an order.
pub fn paid_at(pool: &StoredPool) -> Option<u64> {
    order_id(pool)?;
    let auto = auto_pay_ms(pool);
    Some(pool.paid_ms.map_or(auto, |p| p.min(auto)))
}

/// A flavor the pool can get no node of: sold out in every zone it may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub flavor: String,
    pub azs: Vec<String>,
}

/// The zones the resource of `flavor` in `spec` may use: its `azs`
/// entries with a count above 0, else every zone of the region.
fn usable_azs(spec: &Value, flavor: &str, region: &str) -> Vec<String> {
    let spec_resource = spec["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["flavor"].as_str() == Some(flavor)));
    let named: Vec<String> = spec_resource
        .and_then(|r| r["azs"].as_array())
        .map(|azs| {
            azs.iter()
                .filter(|a| a["count"].as_u64().is_some_and(|c| c > 0))
                .filter_map(|a| a["az"].as_str())
                .filter(|az| !az.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if named.is_empty() {
        flavors::azs(region).to_vec()
    } else {
        named
    }
}

/// The zones `flavor` is sold out in, when it is sold out in every zone
/// its entry of `spec` may use. A flavor not in the catalogue (a pool from
/// an older state file) is never sold out.
fn sold_out_everywhere(spec: &Value, flavor: &str, region: &str) -> Option<Vec<String>> {
    let known = flavors::find(flavor)?;
    let azs = usable_azs(spec, flavor, region);
    azs.iter()
        .all(|az| known.sold_out_in(region, az))
        .then_some(azs)
}

/// The node counts the pool was created with. Before any scale, its
/// resources; after one, what its first scale started from: a pool is
/// scaled only once its creation has ended with every node there.
pub fn created_resources(pool: &StoredPool) -> &[FlavorCount] {
    pool.scales.first().map_or(&pool.resources, |s| &s.from)
}

/// The flavors of the pool's creation that are sold out everywhere it may
/// take them from. A Logical pool takes no capacity; a pool that has been
/// scaled was created whole.
pub fn blocked(pool: &StoredPool, region: &str) -> Vec<Blocked> {
    if pool.pool_type == "Logical" || !pool.scales.is_empty() {
        return Vec::new();
    }
    pool.resources
        .iter()
        .filter_map(|r| {
            let azs = sold_out_everywhere(&pool.object["spec"], &r.flavor, region)?;
            Some(Blocked {
                flavor: r.flavor.clone(),
                azs,
            })
        })
        .collect()
}

/// Whether the pool's name makes it turn `Abnormal`.
pub fn turns_abnormal(pool: &StoredPool) -> bool {
    pool.label.starts_with(ABNORMAL_PREFIX)
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

fn waiting_for_payment(order: &str) -> String {
    format!("the order {order} is waiting for payment")
}

fn sold_out_message(flavor: &str, azs: &[String]) -> String {
    format!(
        "insufficient capacity: flavor {flavor} is sold out in {}",
        azs.join(", ")
    )
}

fn abnormal_message(count: u64, flavor: &str) -> String {
    format!("{count} node(s) of flavor {flavor} failed the health check")
}

pub fn snapshot(pool: &StoredPool, region: &str, now_ms: u64) -> Snapshot {
    if let Some(scale) = pool.scales.last() {
        return scaled_snapshot(pool, scale, now_ms);
    }
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
    let start = match (order_id(pool), paid_at(pool)) {
        (Some(order), Some(paid)) if now_ms < paid => {
            let mut s = Snapshot::new(phase::WAITING);
            s.message = Some(waiting_for_payment(order));
            return s;
        }
        (_, Some(paid)) => paid,
        _ => pool.created_ms,
    };
    let total = pool.provision_ms;
    let elapsed = now_ms.saturating_sub(start);
    let blocked = blocked(pool, region);
    let fail_at = total / 2;
    let failed = !blocked.is_empty() && elapsed >= fail_at;
    // Once failed, nothing moves any more.
    let t = if failed { fail_at } else { elapsed };
    let abnormal = turns_abnormal(pool)
        .then(|| pool.resources.first())
        .flatten();

    let mut s = if let (true, Some(b)) = (failed, blocked.first()) {
        let mut s = Snapshot::new(phase::CREATION_FAILED);
        s.message = Some(sold_out_message(&b.flavor, &b.azs));
        s
    } else if t >= total {
        match abnormal {
            Some(r) => {
                let mut s = Snapshot::new(phase::ABNORMAL);
                s.message = Some(abnormal_message(r.count, &r.flavor));
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
        for (i, r) in pool.resources.iter().enumerate() {
            let up = if blocked.iter().any(|b| b.flavor == r.flavor) {
                0
            } else {
                nodes_up(r.count, t, total)
            };
            if s.phase == phase::ABNORMAL && i == 0 {
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

// ------------------------------------------------------------------ scales

/// One flavor of a scale at some moment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FlavorAt<'a> {
    flavor: &'a str,
    /// Nodes there: available (or abnormal), nodes still leaving included.
    present: u64,
    /// Added nodes still to come.
    creating: u64,
    /// Removed nodes still to leave (counted in `present` too).
    deleting: u64,
}

fn count_of(list: &[FlavorCount], flavor: &str) -> u64 {
    list.iter()
        .find(|r| r.flavor == flavor)
        .map_or(0, |r| r.count)
}

/// The flavors of a scale: those it asks for, in their order, then those it
/// removes altogether.
fn scale_flavors(scale: &Scale) -> impl Iterator<Item = &str> {
    let asked = scale.to.iter().map(|r| r.flavor.as_str());
    let dropped = scale
        .from
        .iter()
        .map(|r| r.flavor.as_str())
        .filter(|f| scale.to.iter().all(|r| r.flavor != *f));
    asked.chain(dropped)
}

/// Whether the scale fails (it adds nodes of a sold-out flavor), and when:
/// `P/2` after it started.
fn scale_fail_after(pool: &StoredPool, scale: &Scale) -> Option<u64> {
    (!scale.sold_out.is_empty()).then_some(pool.provision_ms / 2)
}

/// Each flavor of `scale`, `elapsed` after it started, and whether it has
/// failed by then. Over the provision time `P`, the `n` nodes a flavor
/// gains come one by one (node `i` at `P·i/n`), and the `n` it loses leave
/// the same way. A failed scale stops at `P/2`: the added nodes of a
/// sold-out flavor never come, and nothing else moves after that.
fn scale_at<'a>(pool: &StoredPool, scale: &'a Scale, elapsed: u64) -> (bool, Vec<FlavorAt<'a>>) {
    let total = pool.provision_ms;
    let fail_after = scale_fail_after(pool, scale);
    let failed = fail_after.is_some_and(|f| elapsed >= f);
    let t = match fail_after {
        Some(f) if failed => f,
        _ => elapsed,
    };
    let at = scale_flavors(scale)
        .map(|flavor| {
            let (from, to) = (count_of(&scale.from, flavor), count_of(&scale.to, flavor));
            let sold_out = scale.sold_out.iter().any(|b| b.flavor == flavor);
            let mut f = FlavorAt {
                flavor,
                present: from,
                creating: 0,
                deleting: 0,
            };
            if to >= from {
                let up = if sold_out {
                    0
                } else {
                    nodes_up(to - from, t, total)
                };
                f.present = from + up;
                f.creating = if failed { 0 } else { to - from - up };
            } else {
                let gone = nodes_up(from - to, t, total);
                f.present = from - gone;
                f.deleting = if failed { 0 } else { from - to - gone };
            }
            f
        })
        .collect();
    (failed, at)
}

fn scaling_failed_message(b: &SoldOut) -> String {
    format!(
        "scaling failed: flavor {} is sold out in {}",
        b.flavor,
        b.azs.join(", ")
    )
}

/// The flavor whose nodes an `abnormal-` pool shows as abnormal: the first
/// it was created with.
fn abnormal_flavor(pool: &StoredPool) -> Option<&str> {
    turns_abnormal(pool)
        .then(|| created_resources(pool).first())
        .flatten()
        .map(|r| r.flavor.as_str())
}

/// The status of a pool that has been scaled, from its last scale: `Running`
/// while nodes come and go, `ScalingFailed` once a scale that cannot get its
/// nodes gives up, `Abnormal` for an `abnormal-` pool while nodes of its
/// first flavor are there.
fn scaled_snapshot(pool: &StoredPool, scale: &Scale, now_ms: u64) -> Snapshot {
    let logical = pool.pool_type == "Logical";
    if let Some(deleted) = pool.deleted_ms {
        let mut s = Snapshot::new(phase::DELETING);
        if !logical {
            let (_, at) = scale_at(pool, scale, deleted.saturating_sub(scale.at_ms));
            for f in at {
                push(&mut s.deleting, f.flavor, f.present);
            }
        }
        return s;
    }
    let (failed, at) = scale_at(pool, scale, now_ms.saturating_sub(scale.at_ms));
    let abnormal = abnormal_flavor(pool);
    let abnormal_nodes = at
        .iter()
        .find(|f| Some(f.flavor) == abnormal)
        .map_or(0, |f| f.present);
    let mut s = match (failed, scale.sold_out.first(), abnormal) {
        (true, Some(b), _) => {
            let mut s = Snapshot::new(phase::SCALING_FAILED);
            s.message = Some(scaling_failed_message(b));
            s
        }
        (_, _, Some(flavor)) if abnormal_nodes > 0 => {
            let mut s = Snapshot::new(phase::ABNORMAL);
            s.message = Some(abnormal_message(abnormal_nodes, flavor));
            s
        }
        _ => Snapshot::new(phase::RUNNING),
    };
    if !logical {
        for f in at {
            if Some(f.flavor) == abnormal {
                push(&mut s.abnormal, f.flavor, f.present);
            } else {
                push(&mut s.available, f.flavor, f.present);
            }
            push(&mut s.creating, f.flavor, f.creating);
            push(&mut s.deleting, f.flavor, f.deleting);
        }
    }
    s
}

/// The nodes of each flavor the pool has at `now_ms` (available or
/// abnormal; nodes still leaving included, nodes still coming not): where
/// a scale that starts then starts from.
pub fn present(pool: &StoredPool, region: &str, now_ms: u64) -> Vec<FlavorCount> {
    let s = snapshot(pool, region, now_ms);
    let mut out: Vec<FlavorCount> = Vec::new();
    for r in s.available.iter().chain(&s.abnormal) {
        match out.iter_mut().find(|o| o.flavor == r.flavor) {
            Some(o) => o.count += r.count,
            None => out.push(r.clone()),
        }
    }
    // In the order of the pool's resources, then the others.
    let order = |f: &str| {
        pool.resources
            .iter()
            .position(|r| r.flavor == f)
            .unwrap_or(usize::MAX)
    };
    out.sort_by_key(|r| order(&r.flavor));
    out
}

/// The scale a PATCH at `now_ms` starts, from the nodes the pool has then
/// to the counts `to` of the patched `spec`. A flavor it adds nodes of that
/// is sold out in every zone its entry of `spec` may use (the rule of
/// creation) never gets them. A Logical pool takes no capacity.
pub fn start_scale(
    pool: &StoredPool,
    to: Vec<FlavorCount>,
    spec: &Value,
    region: &str,
    now_ms: u64,
) -> Scale {
    let from = present(pool, region, now_ms);
    let sold_out = if pool.pool_type == "Logical" {
        Vec::new()
    } else {
        to.iter()
            .filter(|r| r.count > count_of(&from, &r.flavor))
            .filter_map(|r| {
                let azs = sold_out_everywhere(spec, &r.flavor, region)?;
                Some(SoldOut {
                    flavor: r.flavor.clone(),
                    azs,
                })
            })
            .collect()
    };
    Scale {
        at_ms: now_ms,
        from,
        to,
        sold_out,
    }
}

/// `F 2 → 3, G 1 → 0`: the flavors whose count the scale changes.
fn scale_changes(scale: &Scale) -> String {
    scale_flavors(scale)
        .filter_map(|f| {
            let (from, to) = (count_of(&scale.from, f), count_of(&scale.to, f));
            (from != to).then(|| format!("{f} {from} \u{2192} {to}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One event of a pool, as `GET .../events` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its number among the pool's events, in the order they first happened
    /// (`metadata.name` is `<pool>.<n>`): it never changes once given.
    pub n: usize,
    pub warning: bool,
    pub reason: &'static str,
    pub message: String,
    pub first_ms: u64,
    pub last_ms: u64,
    pub count: u64,
}

/// A sold-out flavor is retried this many times, from `S + P/4` to `S + P/2`.
const SOLDOUT_TRIES: u64 = 3;

/// The events of the pool whose time has come at `now_ms`, ordered by their
/// last time (then their number). A pure function of the pool's timestamps,
/// as its status is: events are never stored.
pub fn events(pool: &StoredPool, region: &str, now_ms: u64) -> Vec<Event> {
    // (first_ms, last_ms, count, warning, reason, message); their order
    // here breaks ties between events of the same millisecond.
    type Raw = (u64, u64, u64, bool, &'static str, String);
    fn once(all: &mut Vec<Raw>, at: u64, warning: bool, reason: &'static str, message: String) {
        all.push((at, at, 1, warning, reason, message));
    }
    let mut all: Vec<Raw> = Vec::new();
    let label = &pool.label;
    let logical = pool.pool_type == "Logical";
    // Nothing happens after the delete call but the delete.
    let horizon = pool.deleted_ms.map_or(now_ms, |d| d.min(now_ms));
    once(
        &mut all,
        pool.created_ms,
        false,
        "PoolCreating",
        format!("creating pool {label}"),
    );
    let start = match (order_id(pool), paid_at(pool)) {
        (Some(order), Some(paid)) => {
            once(
                &mut all,
                pool.created_ms,
                false,
                "OrderWaiting",
                waiting_for_payment(order),
            );
            let paid_message = format!("the order {order} is paid");
            once(&mut all, paid, false, "OrderPaid", paid_message);
            paid
        }
        _ => pool.created_ms,
    };
    let total = pool.provision_ms;
    let blocked = blocked(pool, region);
    if let Some(first) = blocked.first() {
        // Retried at S + P/4, S + 3P/8, S + P/2: the count and the last
        // time grow with each try that has come.
        let tries: Vec<u64> = (0..SOLDOUT_TRIES)
            .map(|k| start.saturating_add(total / 4 + total * k / (4 * (SOLDOUT_TRIES - 1))))
            .filter(|t| *t <= horizon)
            .collect();
        if let (Some(first_ms), Some(last_ms)) = (tries.first(), tries.last()) {
            for b in &blocked {
                all.push((
                    *first_ms,
                    *last_ms,
                    tries.len() as u64,
                    true,
                    "FlavorSoldOut",
                    format!(
                        "flavor {} is sold out in {}; no node could be created",
                        b.flavor,
                        b.azs.join(", ")
                    ),
                ));
            }
        }
        once(
            &mut all,
            start.saturating_add(total / 2),
            true,
            "PoolCreationFailed",
            sold_out_message(&first.flavor, &first.azs),
        );
    } else {
        let done = start.saturating_add(total);
        let abnormal = turns_abnormal(pool);
        if !logical {
            for (i, r) in created_resources(pool).iter().enumerate() {
                if !(abnormal && i == 0) {
                    let message =
                        format!("{} node(s) of flavor {} are available", r.count, r.flavor);
                    once(&mut all, done, false, "NodesAvailable", message);
                }
            }
        }
        match (abnormal, created_resources(pool).first()) {
            (true, Some(r)) => {
                let message = abnormal_message(r.count, &r.flavor);
                once(&mut all, done, true, "NodeAbnormal", message);
            }
            _ => {
                let message = format!("pool {label} is running");
                once(&mut all, done, false, "PoolRunning", message);
            }
        }
    }
    // Each scale's events, up to the next scale: a scale that a later PATCH
    // overtook never ends.
    for (k, scale) in pool.scales.iter().enumerate() {
        let changes = scale_changes(scale);
        if changes.is_empty() {
            continue;
        }
        let end = pool
            .scales
            .get(k + 1)
            .map_or(horizon, |n| n.at_ms.min(horizon));
        let mut scale_events: Vec<Raw> = Vec::new();
        let message = format!("scaling pool {label}: {changes}");
        once(
            &mut scale_events,
            scale.at_ms,
            false,
            "PoolScaling",
            message,
        );
        match (scale_fail_after(pool, scale), scale.sold_out.first()) {
            (Some(after), Some(b)) => once(
                &mut scale_events,
                scale.at_ms.saturating_add(after),
                true,
                "ScalingFailed",
                scaling_failed_message(b),
            ),
            _ => once(
                &mut scale_events,
                scale.at_ms.saturating_add(total),
                false,
                "PoolScaled",
                format!("pool {label} is scaled: {changes}"),
            ),
        }
        all.extend(scale_events.into_iter().filter(|e| e.0 <= end));
    }
    // The lifecycle's events up to the delete; then the delete.
    all.retain(|e| e.0 <= horizon);
    if let Some(d) = pool.deleted_ms.filter(|d| *d <= now_ms) {
        once(
            &mut all,
            d,
            false,
            "PoolDeleting",
            format!("deleting pool {label}"),
        );
    }
    // Numbered by first occurrence (a stable sort: ties keep the order
    // above). An event that comes later has a later first time than every
    // event already there, so no number ever changes.
    all.sort_by_key(|e| e.0);
    let mut events: Vec<Event> = all
        .into_iter()
        .enumerate()
        .map(
            |(i, (first_ms, last_ms, count, warning, reason, message))| Event {
                n: i + 1,
                warning,
                reason,
                message,
                first_ms,
                last_ms,
                count,
            },
        )
        .collect();
    events.sort_by_key(|e| (e.last_ms, e.n));
    events
}

/// An event as `GET .../events` answers it, for the pool `pool_name`.
pub fn event_json(pool_name: &str, e: &Event) -> Value {
    let first = rfc3339_from_unix(e.first_ms / 1000);
    json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": format!("{pool_name}.{}", e.n), "creationTimestamp": first},
        "involvedObject": {"kind": "Pool", "name": pool_name},
        "type": if e.warning { "Warning" } else { "Normal" },
        "reason": e.reason,
        "message": e.message,
        "firstTimestamp": first,
        "lastTimestamp": rfc3339_from_unix(e.last_ms / 1000),
        "count": e.count,
    })
}

/// The `status` object of a pool as show, list and delete answer it.
pub fn status_json(pool: &StoredPool, region: &str, now_ms: u64) -> Value {
    let s = snapshot(pool, region, now_ms);
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
        phase::RUNNING | phase::ABNORMAL | phase::SCALING_FAILED => "Enabled",
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

    const REGION: &str = "r-1";

    fn pool(pool_type: &str, flavors: &[(&str, u64)]) -> StoredPool {
        let resources: Vec<Value> = flavors
            .iter()
            .map(|(f, c)| json!({"flavor": f, "count": c}))
            .collect();
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
            paid_ms: None,
            scales: Vec::new(),
            object: json!({"metadata": {"name": "pool-a-0123", "labels": {}, "annotations": {}},
                           "spec": {"resources": resources}}),
        }
    }

    fn ordered(mut p: StoredPool) -> StoredPool {
        p.object["metadata"]["annotations"] =
            json!({BILLING_MODE: "1", ORDER_ID: "CS24102412424300001"});
        p
    }

    const CPU: &str = "modelarts.vm.cpu.8ud";
    const GPU: &str = "modelarts.vm.gpu.t4u8";
    const V100: &str = "modelarts.vm.gpu.v100";
    const CPU16: &str = "modelarts.vm.cpu.16u64";

    fn counts(list: &[FlavorCount]) -> Vec<(String, u64)> {
        list.iter().map(|r| (r.flavor.clone(), r.count)).collect()
    }

    fn reasons(p: &StoredPool, now: u64) -> Vec<(&'static str, u64)> {
        events(p, REGION, now)
            .iter()
            .map(|e| (e.reason, e.count))
            .collect()
    }

    #[test]
    fn dedicate_nodes_come_up_one_by_one_then_running() {
        let p = pool("Dedicate", &[(CPU, 4), (GPU, 1)]);
        let at = |ms: u64| snapshot(&p, REGION, 10_000 + ms);
        assert_eq!(at(0).phase, "Creating");
        assert_eq!(
            counts(&at(0).creating),
            vec![(CPU.into(), 4), (GPU.into(), 1)]
        );
        assert!(at(0).available.is_empty());
        let half = at(500);
        assert_eq!(counts(&half.available), vec![(CPU.into(), 2)]);
        assert_eq!(
            counts(&half.creating),
            vec![(CPU.into(), 2), (GPU.into(), 1)]
        );
        let done = at(1_000);
        assert_eq!(done.phase, "Running");
        assert_eq!(
            counts(&done.available),
            vec![(CPU.into(), 4), (GPU.into(), 1)]
        );
        assert!(done.creating.is_empty());
        // A clock that went backwards reads as "just created".
        assert_eq!(snapshot(&p, REGION, 0).phase, "Creating");
        assert_eq!(reasons(&p, 10_999), vec![("PoolCreating", 1)]);
        assert_eq!(
            reasons(&p, 11_000),
            vec![
                ("PoolCreating", 1),
                ("NodesAvailable", 1),
                ("NodesAvailable", 1),
                ("PoolRunning", 1)
            ]
        );
        assert!(events(&p, REGION, 0).is_empty());
    }

    #[test]
    fn logical_waits_first_and_has_no_node_counts() {
        // A logical pool takes no capacity: a sold-out flavor does not stop it.
        let p = pool("Logical", &[(V100, 2)]);
        assert_eq!(snapshot(&p, REGION, 10_100).phase, "Waiting");
        assert_eq!(snapshot(&p, REGION, 10_300).phase, "Creating");
        let running = snapshot(&p, REGION, 11_000);
        assert_eq!(running.phase, "Running");
        assert!(running.available.is_empty());
        assert_eq!(status_json(&p, REGION, 11_000)["resources"], json!({}));
        assert_eq!(
            reasons(&p, 11_000),
            vec![("PoolCreating", 1), ("PoolRunning", 1)]
        );
    }

    #[test]
    fn soldout_fails_at_half_time_with_a_message_and_warnings() {
        let p = pool("Dedicate", &[(CPU, 2), (V100, 1)]);
        assert_eq!(snapshot(&p, REGION, 10_499).phase, "Creating");
        let failed = snapshot(&p, REGION, 10_500);
        assert_eq!(failed.phase, "CreationFailed");
        assert_eq!(
            failed.message.as_deref(),
            Some("insufficient capacity: flavor modelarts.vm.gpu.v100 is sold out in r-1a, r-1b")
        );
        // Frozen at the failure: still failed much later, same counts.
        assert_eq!(snapshot(&p, REGION, 99_000), failed);
        assert_eq!(counts(&failed.available), vec![(CPU.into(), 1)]);
        assert!(failed.creating.is_empty());
        assert_eq!(
            status_json(&p, REGION, 99_000)["scope"][0]["state"],
            "EnableFailed"
        );
        // Retried at P/4, 3P/8 and P/2: the count grows, the first time stays.
        assert_eq!(reasons(&p, 10_249), vec![("PoolCreating", 1)]);
        assert_eq!(
            reasons(&p, 10_250),
            vec![("PoolCreating", 1), ("FlavorSoldOut", 1)]
        );
        assert_eq!(
            reasons(&p, 10_400),
            vec![("PoolCreating", 1), ("FlavorSoldOut", 2)]
        );
        let end = events(&p, REGION, 99_000);
        let sold = &end[1];
        assert_eq!(
            (
                sold.reason,
                sold.warning,
                sold.count,
                sold.first_ms,
                sold.last_ms
            ),
            ("FlavorSoldOut", true, 3, 10_250, 10_500)
        );
        assert_eq!(
            sold.message,
            "flavor modelarts.vm.gpu.v100 is sold out in r-1a, r-1b; no node could be created"
        );
        assert_eq!(end[2].reason, "PoolCreationFailed");
        assert_eq!(end[2].message, failed.message.unwrap());
        assert_eq!(end.len(), 3, "nothing after the failure");
        // Numbered by first occurrence: the sold-out event is number 2.
        assert_eq!(end.iter().map(|e| e.n).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn sold_out_counts_only_the_zones_the_pool_may_use() {
        let mut p = pool("Dedicate", &[(CPU16, 2)]);
        // Sold out in r-1a only: fine without azs, or with r-1b in them.
        assert!(blocked(&p, REGION).is_empty());
        p.object["spec"]["resources"][0]["azs"] =
            json!([{"az": "r-1a", "count": 2}, {"az": "r-1b", "count": 0}]);
        assert_eq!(
            blocked(&p, REGION),
            vec![Blocked {
                flavor: CPU16.into(),
                azs: vec!["r-1a".into()]
            }]
        );
        p.object["spec"]["resources"][0]["azs"] =
            json!([{"az": "r-1a", "count": 1}, {"az": "r-1b", "count": 1}]);
        assert!(blocked(&p, REGION).is_empty());
        // A flavor outside the catalogue (an older state file) is never sold out.
        assert!(blocked(&pool("Dedicate", &[("x.soldout", 1)]), REGION).is_empty());
    }

    #[test]
    fn abnormal_names_turn_the_pool_abnormal() {
        let mut p = pool("Dedicate", &[(GPU, 2), (CPU, 1)]);
        p.label = "abnormal-pool".into();
        assert_eq!(snapshot(&p, REGION, 10_999).phase, "Creating");
        let s = snapshot(&p, REGION, 11_000);
        assert_eq!(s.phase, "Abnormal");
        assert_eq!(counts(&s.abnormal), vec![(GPU.into(), 2)]);
        assert_eq!(counts(&s.available), vec![(CPU.into(), 1)]);
        assert_eq!(
            s.message.as_deref(),
            Some("2 node(s) of flavor modelarts.vm.gpu.t4u8 failed the health check")
        );
        let e = events(&p, REGION, 11_000);
        let last = e.last().unwrap();
        assert_eq!((last.reason, last.warning), ("NodeAbnormal", true));
        assert_eq!(last.message, s.message.unwrap());
        assert!(!e.iter().any(|e| e.reason == "PoolRunning"));
    }

    #[test]
    fn orders_wait_for_payment_then_run_from_it() {
        let p = ordered(pool("Dedicate", &[(CPU, 2)]));
        assert_eq!(paid_at(&p), Some(10_500), "paid automatically at P/2");
        let w = snapshot(&p, REGION, 10_499);
        assert_eq!(w.phase, "Waiting");
        assert_eq!(
            w.message.as_deref(),
            Some("the order CS24102412424300001 is waiting for payment")
        );
        assert!(w.creating.is_empty() && w.available.is_empty());
        assert_eq!(snapshot(&p, REGION, 10_500).phase, "Creating");
        assert_eq!(snapshot(&p, REGION, 11_499).phase, "Creating");
        assert_eq!(snapshot(&p, REGION, 11_500).phase, "Running");
        // Paid by the call: the lifecycle starts there.
        let mut paid = p.clone();
        paid.paid_ms = Some(10_100);
        assert_eq!(snapshot(&paid, REGION, 10_100).phase, "Creating");
        assert_eq!(snapshot(&paid, REGION, 11_100).phase, "Running");
        assert_eq!(
            reasons(&paid, 11_100),
            vec![
                ("PoolCreating", 1),
                ("OrderWaiting", 1),
                ("OrderPaid", 1),
                ("NodesAvailable", 1),
                ("PoolRunning", 1)
            ]
        );
        // A pay call after the automatic payment changes nothing.
        paid.paid_ms = Some(20_000);
        assert_eq!(paid_at(&paid), Some(10_500));
        // Without an order id (an older state file), billing mode 1 waits for nothing.
        let mut old = p.clone();
        old.object["metadata"]["annotations"] = json!({BILLING_MODE: "1"});
        assert_eq!(snapshot(&old, REGION, 10_000).phase, "Creating");
    }

    /// A pool running since 11_000, patched at 20_000 to `to` (counts of
    /// `spec` as given).
    fn scaled(p: &StoredPool, spec: Value, to: &[(&str, u64)], at: u64) -> StoredPool {
        let to: Vec<FlavorCount> = to
            .iter()
            .map(|(f, c)| FlavorCount {
                flavor: f.to_string(),
                count: *c,
            })
            .collect();
        let mut q = p.clone();
        let scale = start_scale(p, to.clone(), &spec, REGION, at);
        q.scales.push(scale);
        q.resources = to;
        q.object["spec"] = spec;
        q
    }

    #[test]
    fn a_scale_up_walks_nodes_in_one_by_one_and_stays_running() {
        let p = pool("Dedicate", &[(CPU, 2)]);
        let spec = json!({"resources": [{"flavor": CPU, "count": 4}, {"flavor": GPU, "count": 1}]});
        let q = scaled(&p, spec, &[(CPU, 4), (GPU, 1)], 20_000);
        assert_eq!(q.scales[0].from, p.resources);
        assert!(q.scales[0].sold_out.is_empty());
        let at = |ms: u64| snapshot(&q, REGION, 20_000 + ms);
        let start = at(0);
        assert_eq!(start.phase, "Running");
        assert_eq!(counts(&start.available), vec![(CPU.into(), 2)]);
        assert_eq!(
            counts(&start.creating),
            vec![(CPU.into(), 2), (GPU.into(), 1)]
        );
        // Node i of the 2 added at P·i/2.
        let half = at(500);
        assert_eq!(half.phase, "Running");
        assert_eq!(counts(&half.available), vec![(CPU.into(), 3)]);
        assert_eq!(
            counts(&half.creating),
            vec![(CPU.into(), 1), (GPU.into(), 1)]
        );
        let done = at(1_000);
        assert_eq!(
            counts(&done.available),
            vec![(CPU.into(), 4), (GPU.into(), 1)]
        );
        assert!(done.creating.is_empty() && done.deleting.is_empty());
        // The creation's events keep the counts it had.
        assert_eq!(
            events(&q, REGION, 20_999)
                .iter()
                .map(|e| (e.reason, e.message.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("PoolCreating", "creating pool pool-a"),
                (
                    "NodesAvailable",
                    "2 node(s) of flavor modelarts.vm.cpu.8ud are available"
                ),
                ("PoolRunning", "pool pool-a is running"),
                (
                    "PoolScaling",
                    "scaling pool pool-a: modelarts.vm.cpu.8ud 2 \u{2192} 4, modelarts.vm.gpu.t4u8 0 \u{2192} 1"
                ),
            ]
        );
        let end = events(&q, REGION, 21_000);
        let last = end.last().unwrap();
        assert_eq!(
            (last.reason, last.warning, last.n),
            ("PoolScaled", false, 5)
        );
        assert_eq!(
            last.message,
            "pool pool-a is scaled: modelarts.vm.cpu.8ud 2 \u{2192} 4, modelarts.vm.gpu.t4u8 0 \u{2192} 1"
        );
    }

    #[test]
    fn a_scale_down_shows_the_nodes_leaving() {
        let p = pool("Dedicate", &[(CPU, 4), (GPU, 1)]);
        let spec = json!({"resources": [{"flavor": CPU, "count": 2}]});
        let q = scaled(&p, spec, &[(CPU, 2)], 20_000);
        let at = |ms: u64| snapshot(&q, REGION, 20_000 + ms);
        let start = at(0);
        assert_eq!(start.phase, "Running");
        assert_eq!(
            counts(&start.available),
            vec![(CPU.into(), 4), (GPU.into(), 1)]
        );
        assert_eq!(
            counts(&start.deleting),
            vec![(CPU.into(), 2), (GPU.into(), 1)]
        );
        // Node i of the n removed leaves at P·i/n: the one GPU node at P.
        let half = at(500);
        assert_eq!(
            counts(&half.available),
            vec![(CPU.into(), 3), (GPU.into(), 1)]
        );
        assert_eq!(
            counts(&half.deleting),
            vec![(CPU.into(), 1), (GPU.into(), 1)]
        );
        let done = at(1_000);
        assert_eq!(counts(&done.available), vec![(CPU.into(), 2)]);
        assert!(done.deleting.is_empty());
        // Deleted mid-scale: the nodes there then are deleted.
        let mut gone = q.clone();
        gone.deleted_ms = Some(20_500);
        let d = snapshot(&gone, REGION, 20_600);
        assert_eq!(d.phase, "Deleting");
        assert_eq!(counts(&d.deleting), vec![(CPU.into(), 3), (GPU.into(), 1)]);
        assert_eq!(
            reasons(&gone, 99_000).last(),
            Some(&("PoolDeleting", 1)),
            "no PoolScaled after the delete"
        );
        assert!(!reasons(&gone, 99_000).contains(&("PoolScaled", 1)));
    }

    #[test]
    fn a_second_scale_starts_from_the_nodes_there() {
        let p = pool("Dedicate", &[(CPU, 2)]);
        let spec = |n: u64| json!({"resources": [{"flavor": CPU, "count": n}]});
        let q = scaled(&p, spec(6), &[(CPU, 6)], 20_000);
        // Half-way, 4 of 6 are there: the next scale goes from 4 to 3.
        let r = scaled(&q, spec(3), &[(CPU, 3)], 20_500);
        assert_eq!(r.scales[1].from[0].count, 4);
        let s = snapshot(&r, REGION, 20_500);
        assert_eq!(counts(&s.available), vec![(CPU.into(), 4)]);
        assert_eq!(counts(&s.deleting), vec![(CPU.into(), 1)]);
        assert!(s.creating.is_empty());
        assert_eq!(
            counts(&snapshot(&r, REGION, 21_500).available),
            vec![(CPU.into(), 3)]
        );
        let scales: Vec<String> = events(&r, REGION, 99_000)
            .iter()
            .filter(|e| e.reason.starts_with("PoolScal"))
            .map(|e| format!("{} {}", e.reason, e.message))
            .collect();
        assert_eq!(
            scales,
            [
                "PoolScaling scaling pool pool-a: modelarts.vm.cpu.8ud 2 \u{2192} 6",
                "PoolScaling scaling pool pool-a: modelarts.vm.cpu.8ud 4 \u{2192} 3",
                "PoolScaled pool pool-a is scaled: modelarts.vm.cpu.8ud 4 \u{2192} 3",
            ],
            "the overtaken scale never ends"
        );
    }

    #[test]
    fn a_scale_onto_a_sold_out_flavor_fails_at_half_time() {
        let p = pool("Dedicate", &[(CPU, 2)]);
        let spec =
            json!({"resources": [{"flavor": CPU, "count": 4}, {"flavor": V100, "count": 1}]});
        let q = scaled(&p, spec, &[(CPU, 4), (V100, 1)], 20_000);
        assert_eq!(
            q.scales[0].sold_out,
            [SoldOut {
                flavor: V100.into(),
                azs: vec!["r-1a".into(), "r-1b".into()]
            }]
        );
        let before = snapshot(&q, REGION, 20_499);
        assert_eq!(before.phase, "Running");
        assert_eq!(
            counts(&before.creating),
            vec![(CPU.into(), 2), (V100.into(), 1)]
        );
        let failed = snapshot(&q, REGION, 20_500);
        assert_eq!(failed.phase, "ScalingFailed");
        assert_eq!(
            failed.message.as_deref(),
            Some("scaling failed: flavor modelarts.vm.gpu.v100 is sold out in r-1a, r-1b")
        );
        // The nodes that came by then stay; nothing moves after.
        assert_eq!(counts(&failed.available), vec![(CPU.into(), 3)]);
        assert!(failed.creating.is_empty());
        assert_eq!(snapshot(&q, REGION, 99_000), failed);
        assert_eq!(
            status_json(&q, REGION, 99_000)["scope"][0]["state"],
            "Enabled"
        );
        let e = events(&q, REGION, 99_000);
        let last = e.last().unwrap();
        assert_eq!((last.reason, last.warning), ("ScalingFailed", true));
        assert_eq!(last.message, failed.message.unwrap());
        assert_eq!(last.first_ms, 20_500);
        assert!(!e.iter().any(|e| e.reason == "PoolScaled"));
        // Patched again, down to what is there: running at once.
        let r = scaled(
            &q,
            json!({"resources": [{"flavor": CPU, "count": 3}]}),
            &[(CPU, 3)],
            30_000,
        );
        assert_eq!(
            r.scales[1].from,
            vec![FlavorCount {
                flavor: CPU.into(),
                count: 3
            }]
        );
        assert!(r.scales[1].sold_out.is_empty());
        let s = snapshot(&r, REGION, 30_000);
        assert_eq!(s.phase, "Running");
        assert_eq!(counts(&s.available), vec![(CPU.into(), 3)]);
        assert!(s.creating.is_empty() && s.deleting.is_empty());
        // No change in counts: no scale events.
        assert_eq!(
            events(&r, REGION, 99_000).last().map(|e| e.reason),
            Some("ScalingFailed")
        );
        // Only the zones the entry may use count: zone b has the 16u64.
        let zoned = json!({"resources": [{"flavor": CPU16, "count": 1,
            "azs": [{"az": "r-1a", "count": 1}]}]});
        let z = scaled(&p, zoned, &[(CPU16, 1)], 20_000);
        assert_eq!(z.scales[0].sold_out[0].azs, ["r-1a"]);
        let anywhere = scaled(
            &p,
            json!({"resources": [{"flavor": CPU16, "count": 1}]}),
            &[(CPU16, 1)],
            20_000,
        );
        assert!(anywhere.scales[0].sold_out.is_empty());
        // Removing nodes of a sold-out flavor is fine.
        let mut old = pool("Dedicate", &[(V100, 2)]);
        old.scales = vec![Scale {
            at_ms: 11_000,
            from: old.resources.clone(),
            to: old.resources.clone(),
            sold_out: vec![],
        }];
        let down = scaled(
            &old,
            json!({"resources": [{"flavor": V100, "count": 1}]}),
            &[(V100, 1)],
            20_000,
        );
        assert!(down.scales[1].sold_out.is_empty());
    }

    #[test]
    fn an_abnormal_pool_stays_abnormal_while_its_first_flavor_is_there() {
        let mut p = pool("Dedicate", &[(GPU, 2), (CPU, 1)]);
        p.label = "abnormal-pool".into();
        let spec = json!({"resources": [{"flavor": GPU, "count": 3}, {"flavor": CPU, "count": 1}]});
        let q = scaled(&p, spec, &[(GPU, 3), (CPU, 1)], 20_000);
        assert_eq!(q.scales[0].from, p.resources, "abnormal nodes are there");
        let s = snapshot(&q, REGION, 21_000);
        assert_eq!(s.phase, "Abnormal");
        assert_eq!(counts(&s.abnormal), vec![(GPU.into(), 3)]);
        assert_eq!(counts(&s.available), vec![(CPU.into(), 1)]);
        assert_eq!(
            s.message.as_deref(),
            Some("3 node(s) of flavor modelarts.vm.gpu.t4u8 failed the health check")
        );
        let r = scaled(
            &q,
            json!({"resources": [{"flavor": CPU, "count": 1}]}),
            &[(CPU, 1)],
            30_000,
        );
        assert_eq!(snapshot(&r, REGION, 30_999).phase, "Abnormal");
        assert_eq!(snapshot(&r, REGION, 31_000).phase, "Running");
    }

    #[test]
    fn logical_pools_scale_without_node_counts() {
        let p = pool("Logical", &[(V100, 1)]);
        let q = scaled(
            &p,
            json!({"resources": [{"flavor": V100, "count": 2}]}),
            &[(V100, 2)],
            20_000,
        );
        assert!(q.scales[0].sold_out.is_empty(), "no capacity taken");
        assert_eq!(status_json(&q, REGION, 20_100)["resources"], json!({}));
        assert_eq!(snapshot(&q, REGION, 20_100).phase, "Running");
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
        let mut p = pool("Dedicate", &[(CPU, 3)]);
        p.deleted_ms = Some(10_400);
        let s = snapshot(&p, REGION, 10_500);
        assert_eq!(s.phase, "Deleting");
        assert_eq!(counts(&s.deleting), vec![(CPU.into(), 3)]);
        // Deleted before it ran: no PoolRunning, ever.
        assert_eq!(
            reasons(&p, 99_000),
            vec![("PoolCreating", 1), ("PoolDeleting", 1)]
        );
        assert!(matches_status_filter("Running", "created"));
        assert!(matches_status_filter("Abnormal", "failed"));
        assert!(matches_status_filter("Waiting", "creating"));
        assert!(!matches_status_filter("Deleting", "creating"));
        assert!(!matches_status_filter("Deleting", "failed"));
    }

    #[test]
    fn zero_provision_time_is_running_at_once() {
        let mut p = pool("Dedicate", &[(CPU, 3)]);
        p.provision_ms = 0;
        assert_eq!(snapshot(&p, REGION, 10_000).phase, "Running");
    }

    #[test]
    fn event_objects_have_the_contract_shape() {
        let p = pool("Dedicate", &[(CPU, 1)]);
        let e = &events(&p, REGION, 1_729_773_763_000)[0];
        let mut p2 = p.clone();
        p2.created_ms = 1_729_773_763_000;
        let e2 = &events(&p2, REGION, 1_729_773_763_000)[0];
        assert_eq!(e.n, 1);
        let v = event_json("pool-a-0123", e2);
        assert_eq!(
            v,
            json!({
                "apiVersion": "v1", "kind": "Event",
                "metadata": {"name": "pool-a-0123.1", "creationTimestamp": "2024-10-24T12:42:43Z"},
                "involvedObject": {"kind": "Pool", "name": "pool-a-0123"},
                "type": "Normal", "reason": "PoolCreating", "message": "creating pool pool-a",
                "firstTimestamp": "2024-10-24T12:42:43Z", "lastTimestamp": "2024-10-24T12:42:43Z",
                "count": 1
            })
        );
    }
}
