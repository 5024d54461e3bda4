//! What the service answers, typed only as far as poolctl decides or shows
//! something with it. `-o json|yaml` prints the service's own JSON, so these
//! types hold no "extra" fields and are read leniently ([`super::read`]):
//! every field is optional, `null` is absent, and a count may come as a
//! string.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{DEFAULT_WORKSPACE, NAME_LABEL, WORKSPACE_LABEL};

/// The order of a yearly/monthly pool, set by the service.
pub const ORDER_ANNOTATION: &str = "os.modelarts/order.id";

/// A text the service may send as a string or as a number (`"8"`, `8`).
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(serde::de::Error::custom(format!(
            "expected a text or a number, found {other}"
        ))),
    }
}

/// A whole number the service may send as a number or as a string (`"1"`).
fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("expected a whole number, found {n}"))),
        Value::String(s) => s.trim().parse::<i64>().map(Some).map_err(|_| {
            serde::de::Error::custom(format!("expected a whole number, found \"{s}\""))
        }),
        other => Err(serde::de::Error::custom(format!(
            "expected a whole number, found {other}"
        ))),
    }
}

/// A pool as the service returns it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Pool {
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub metadata: PoolMetadata,
    pub spec: PoolSpec,
    pub status: PoolStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PoolMetadata {
    /// Generated pool ID, e.g. `pool-ae01-6f5da086...`.
    pub name: Option<String>,
    pub creation_timestamp: Option<String>,
    /// `os.modelarts/name`, `os.modelarts/workspace.id`, ... (values as sent).
    pub labels: BTreeMap<String, Value>,
    /// Description, billing mode, order id, ...
    pub annotations: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PoolSpec {
    #[serde(rename = "type")]
    pub pool_type: Option<String>,
    pub scope: Vec<String>,
    pub resources: Vec<ResourceCount>,
    pub network: Option<Network>,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Network {
    pub name: Option<String>,
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
}

/// One flavor's node counts (`spec.resources[]`, `status.resources.*[]`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceCount {
    pub flavor: Option<String>,
    #[serde(deserialize_with = "int")]
    pub count: Option<i64>,
    #[serde(deserialize_with = "int")]
    pub max_count: Option<i64>,
    pub azs: Vec<AzCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct AzCount {
    pub az: Option<String>,
    #[serde(deserialize_with = "int")]
    pub count: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PoolStatus {
    /// Not present in the create response: never assume it.
    pub phase: Option<String>,
    pub message: Option<String>,
    pub resources: PoolResourceStatus,
    /// Per job type: `Enabling`, `Enabled`, `EnableFailed`, ...
    pub scope: Vec<ScopeStatus>,
    pub driver: DriverListStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScopeStatus {
    pub scope_type: Option<String>,
    pub state: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct DriverListStatus {
    pub gpu: Option<DriverStatus>,
    pub npu: Option<DriverStatus>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct DriverStatus {
    pub version: Option<String>,
    /// `Creating`, `Upgrading`, `Running`, `Abnormal`.
    pub state: Option<String>,
}

/// Node counts by state. The newer edition has arrays; the older one a single
/// object per state; both are read.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PoolResourceStatus {
    #[serde(deserialize_with = "one_or_many")]
    pub creating: Vec<ResourceCount>,
    #[serde(deserialize_with = "one_or_many")]
    pub available: Vec<ResourceCount>,
    #[serde(deserialize_with = "one_or_many")]
    pub abnormal: Vec<ResourceCount>,
    #[serde(deserialize_with = "one_or_many")]
    pub deleting: Vec<ResourceCount>,
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ResourceCount>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<ResourceCount>),
        One(ResourceCount),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::Many(v)) => v,
        Some(OneOrMany::One(r)) if r == ResourceCount::default() => Vec::new(),
        Some(OneOrMany::One(r)) => vec![r],
    })
}

/// What a pool can hold, as honestly as its answer tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    /// A physical pool: nodes available of nodes wanted.
    Nodes { available: i64, total: i64 },
    /// A logical pool has no nodes of its own: it may use `count` up to
    /// `max_count` nodes of its parent.
    Share { count: i64, max_count: i64 },
}

impl std::fmt::Display for Capacity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Capacity::Nodes { available, total } => write!(f, "{available}/{total}"),
            Capacity::Share { count, max_count } if count == max_count => {
                write!(f, "share {count}")
            }
            Capacity::Share { count, max_count } => write!(f, "share {count}-{max_count}"),
        }
    }
}

impl Pool {
    pub fn name(&self) -> Option<&str> {
        self.metadata.name.as_deref()
    }

    pub fn display_name(&self) -> Option<&str> {
        self.metadata.labels.get(NAME_LABEL).and_then(Value::as_str)
    }

    /// The workspace label, `0` when the answer names none (the API's default).
    pub fn workspace(&self) -> &str {
        self.workspace_label().unwrap_or(DEFAULT_WORKSPACE)
    }

    /// The workspace label, if the answer has one.
    pub fn workspace_label(&self) -> Option<&str> {
        self.metadata
            .labels
            .get(WORKSPACE_LABEL)
            .and_then(Value::as_str)
    }

    /// Whether the pool may be of `workspace`: its label says so, or it has
    /// none (the service filtered by `workspaceId` already; a missing label
    /// is unknown, not another workspace).
    pub fn in_workspace(&self, workspace: &str) -> bool {
        self.workspace_label().is_none_or(|w| w == workspace)
    }

    pub fn phase(&self) -> Option<&str> {
        self.status.phase.as_deref()
    }

    pub fn is_logical(&self) -> bool {
        self.spec.pool_type.as_deref() == Some("Logical")
    }

    /// An annotation's text (a number is shown as written).
    pub fn annotation(&self, key: &str) -> Option<String> {
        match self.metadata.annotations.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// The order a yearly/monthly pool waits for (`os.modelarts/order.id`),
    /// while it is `Waiting`.
    pub fn waiting_order(&self) -> Option<String> {
        if self.phase() != Some(super::phase::WAITING) {
            return None;
        }
        self.annotation(ORDER_ANNOTATION)
            .filter(|o| !o.trim().is_empty())
    }

    /// Whether its nodes are as its spec says: no flavor has nodes still
    /// coming or going, and each has its count available. A logical pool
    /// (a share of its parent) always is.
    pub fn settled(&self) -> bool {
        if self.is_logical() {
            return true;
        }
        let r = &self.status.resources;
        let moving = r
            .creating
            .iter()
            .chain(&r.deleting)
            .any(|c| c.count.unwrap_or(0) > 0);
        let available = |flavor: &Option<String>| -> i64 {
            r.available
                .iter()
                .filter(|a| &a.flavor == flavor)
                .filter_map(|a| a.count)
                .sum()
        };
        !moving
            && self
                .spec
                .resources
                .iter()
                .all(|s| s.count.is_none_or(|c| available(&s.flavor) == c))
    }

    /// Nodes available and nodes wanted, summed over flavors.
    pub fn nodes(&self) -> (i64, i64) {
        let available = self
            .status
            .resources
            .available
            .iter()
            .filter_map(|r| r.count)
            .sum();
        let total = self.spec.resources.iter().filter_map(|r| r.count).sum();
        (available, total)
    }

    pub fn capacity(&self) -> Capacity {
        if self.is_logical() {
            let count: i64 = self.spec.resources.iter().filter_map(|r| r.count).sum();
            let max_count = self
                .spec
                .resources
                .iter()
                .map(|r| r.max_count.or(r.count).unwrap_or(0))
                .sum();
            return Capacity::Share { count, max_count };
        }
        let (available, total) = self.nodes();
        Capacity::Nodes { available, total }
    }
}

/// A field in which a pool differs from a create request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The field path, e.g. `spec.resources`.
    pub field: &'static str,
    pub sent: String,
    pub found: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} here, {} in the pool",
            self.field, self.sent, self.found
        )
    }
}

fn shown_resources<'a>(items: impl Iterator<Item = (&'a str, Option<i64>, Option<i64>)>) -> String {
    let mut items: Vec<String> = items
        .map(|(flavor, count, max)| {
            let count = count.map_or("?".into(), |c| c.to_string());
            match max {
                Some(m) => format!("{flavor} x {count} (max {m})"),
                None => format!("{flavor} x {count}"),
            }
        })
        .collect();
    items.sort();
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

fn or_none(s: Option<&str>) -> String {
    s.map_or_else(|| "none".to_string(), str::to_string)
}

impl Pool {
    /// The fields of a create request that this pool does not have as asked:
    /// type, resources (flavors, counts, max counts), network and scope. A
    /// field the answer lacks (or gives as `null`) is unknown, not different.
    pub fn differences(&self, request: &super::CreatePoolRequest) -> Vec<Difference> {
        let mut out = Vec::new();
        let Some(spec) = request.spec.as_ref() else {
            return out;
        };
        if let (Some(sent), Some(found)) =
            (spec.pool_type.as_deref(), self.spec.pool_type.as_deref())
        {
            if sent != found {
                out.push(Difference {
                    field: "spec.type",
                    sent: sent.into(),
                    found: found.into(),
                });
            }
        }
        let sent_resources = spec.resources.as_deref().unwrap_or_default();
        let same_resources = self.spec.resources.is_empty()
            || sent_resources.len() == self.spec.resources.len()
                && sent_resources.iter().all(|s| {
                    self.spec.resources.iter().any(|f| {
                        f.flavor == s.flavor
                            && f.count == s.count
                            && (s.max_count.is_none()
                                || f.max_count.is_none()
                                || f.max_count == s.max_count)
                    })
                });
        if !same_resources {
            out.push(Difference {
                field: "spec.resources",
                sent: shown_resources(
                    sent_resources
                        .iter()
                        .map(|r| (r.flavor.as_deref().unwrap_or("?"), r.count, r.max_count)),
                ),
                found: shown_resources(
                    self.spec
                        .resources
                        .iter()
                        .map(|r| (r.flavor.as_deref().unwrap_or("?"), r.count, r.max_count)),
                ),
            });
        }
        let net = spec.network.as_ref();
        let found_net = self.spec.network.as_ref();
        for (field, sent, found) in [
            (
                "spec.network.name",
                net.and_then(|n| n.name.as_deref()),
                found_net.and_then(|n| n.name.as_deref()),
            ),
            (
                "spec.network.vpcId",
                net.and_then(|n| n.vpc_id.as_deref()),
                found_net.and_then(|n| n.vpc_id.as_deref()),
            ),
            (
                "spec.network.subnetId",
                net.and_then(|n| n.subnet_id.as_deref()),
                found_net.and_then(|n| n.subnet_id.as_deref()),
            ),
        ] {
            if sent.is_some() && found.is_some() && sent != found {
                out.push(Difference {
                    field,
                    sent: or_none(sent),
                    found: or_none(found),
                });
            }
        }
        if let Some(scope) = spec.scope.as_ref().filter(|_| !self.spec.scope.is_empty()) {
            let mut sent: Vec<&str> = scope.iter().map(String::as_str).collect();
            let mut found: Vec<&str> = self.spec.scope.iter().map(String::as_str).collect();
            sent.sort_unstable();
            found.sort_unstable();
            if sent != found {
                out.push(Difference {
                    field: "spec.scope",
                    sent: format!("[{}]", sent.join(", ")),
                    found: format!("[{}]", found.join(", ")),
                });
            }
        }
        out
    }
}

/// A resource flavor of `GET /v1/{project}/resourceflavors`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Flavor {
    pub metadata: FlavorMetadata,
    pub spec: FlavorSpec,
    pub status: FlavorStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct FlavorMetadata {
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FlavorSpec {
    #[serde(rename = "type")]
    pub pool_type: Option<String>,
    pub cpu_arch: Option<String>,
    #[serde(deserialize_with = "text")]
    pub cpu: Option<String>,
    #[serde(deserialize_with = "text")]
    pub memory: Option<String>,
    pub gpu: Option<Accelerator>,
    pub npu: Option<Accelerator>,
}

/// A flavor's GPU or NPU: its kind and how many a node has.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Accelerator {
    #[serde(rename = "type", deserialize_with = "text")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "text")]
    pub size: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct FlavorStatus {
    /// AZ → `normal` or `soldout`.
    pub phase: BTreeMap<String, String>,
}

/// What a flavor is for: `cpu`, `gpu` or `npu`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlavorKind {
    Cpu,
    Gpu,
    Npu,
}

impl FlavorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FlavorKind::Cpu => "cpu",
            FlavorKind::Gpu => "gpu",
            FlavorKind::Npu => "npu",
        }
    }
}

/// The state of a flavor in an AZ that means no node can be had there.
pub const SOLD_OUT: &str = "soldout";

impl Flavor {
    pub fn name(&self) -> Option<&str> {
        self.metadata.name.as_deref()
    }

    /// GPU or NPU by the accelerator it has, else CPU.
    pub fn kind(&self) -> FlavorKind {
        if self.spec.npu.is_some() {
            FlavorKind::Npu
        } else if self.spec.gpu.is_some() {
            FlavorKind::Gpu
        } else {
            FlavorKind::Cpu
        }
    }

    /// `nvidia-t4 x 1`, or none for a CPU flavor.
    pub fn accelerator(&self) -> Option<String> {
        let a = self.spec.npu.as_ref().or(self.spec.gpu.as_ref())?;
        Some(match (&a.kind, &a.size) {
            (Some(k), Some(n)) => format!("{k} x {n}"),
            (Some(k), None) => k.clone(),
            (None, Some(n)) => format!("? x {n}"),
            (None, None) => "?".into(),
        })
    }

    /// Whether nodes can be had in `az`: its state there is `normal`.
    pub fn available_in(&self, az: &str) -> bool {
        self.state_in(az) == Some(AzState::Normal)
    }

    /// The state of the flavor in `az`, if the service gives one.
    pub fn state_in(&self, az: &str) -> Option<AzState> {
        self.status.phase.get(az).map(|s| AzState::of(s))
    }

    /// The AZs where it is available, sold out, and in a state this tool
    /// does not know (with that state), each sorted.
    pub fn azs(&self) -> (Vec<&str>, Vec<&str>, Vec<(&str, &str)>) {
        let (mut available, mut sold_out, mut other) = (Vec::new(), Vec::new(), Vec::new());
        for (az, state) in &self.status.phase {
            match AzState::of(state) {
                AzState::Normal => available.push(az.as_str()),
                AzState::SoldOut => sold_out.push(az.as_str()),
                AzState::Other => other.push((az.as_str(), state.as_str())),
            }
        }
        (available, sold_out, other)
    }
}

/// A flavor's state in one AZ (`status.phase`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AzState {
    /// `normal`: nodes can be had.
    Normal,
    /// `soldout`: none can.
    SoldOut,
    /// A state the API reference does not list: neither judged available
    /// nor sold out.
    Other,
}

impl AzState {
    pub fn of(state: &str) -> AzState {
        let s = state.trim();
        if s.eq_ignore_ascii_case("normal") {
            AzState::Normal
        } else if s.eq_ignore_ascii_case(SOLD_OUT) {
            AzState::SoldOut
        } else {
            AzState::Other
        }
    }
}

/// A network of `GET /v1/{project}/networks/{name}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct NetworkResource {
    pub metadata: FlavorMetadata,
    pub status: NetworkStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct NetworkStatus {
    /// `Creating`, `Active` or `Abnormal`.
    pub phase: Option<String>,
}

/// The phase of a network that pools can use.
pub const NETWORK_ACTIVE: &str = "Active";

/// Network phases that say a pool cannot use it (yet).
pub const NETWORK_NOT_USABLE: [&str; 2] = ["Creating", "Abnormal"];

/// An event of `GET /v1/{project}/events?resource=pools&name=...`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Event {
    /// `Normal` or `Warning`.
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    pub reason: Option<String>,
    pub message: Option<String>,
    #[serde(deserialize_with = "text")]
    pub first_timestamp: Option<String>,
    #[serde(alias = "eventTime", deserialize_with = "text")]
    pub last_timestamp: Option<String>,
    #[serde(deserialize_with = "int")]
    pub count: Option<i64>,
}

/// The type of the events that tell why a pool failed.
pub const WARNING: &str = "Warning";

impl Event {
    pub fn is_warning(&self) -> bool {
        self.event_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(WARNING))
    }

    /// When it last happened (else first), as given.
    pub fn when(&self) -> Option<&str> {
        self.last_timestamp
            .as_deref()
            .or(self.first_timestamp.as_deref())
    }

    /// [`Event::when`] as Unix seconds: RFC 3339 with any offset, or a
    /// number of seconds (or milliseconds) since 1970. What events are
    /// ordered by; none sorts first.
    pub fn unix_time(&self) -> Option<u64> {
        let t = self.when()?.trim();
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            let n: u64 = t.parse().ok()?;
            // Milliseconds from 2001 on are over 10^12; seconds will not be for 30,000 years.
            return Some(if n >= 1_000_000_000_000 { n / 1000 } else { n });
        }
        crate::time::parse_timestamp(t)
    }

    /// `REASON: MESSAGE (3 times, last 2026-11-29T18:40:00Z)`, as an
    /// error lists why a pool failed.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{}: {}",
            self.reason.as_deref().unwrap_or("(no reason)"),
            self.message.as_deref().unwrap_or("(no message)")
        );
        let times = match self.count {
            Some(n) if n > 1 => Some(format!("{n} times")),
            _ => None,
        };
        let last = self.when().map(|t| match self.unix_time() {
            // Seconds since 1970 read better as a date.
            Some(secs) if t.trim().bytes().all(|b| b.is_ascii_digit()) => {
                format!("last {}", crate::time::rfc3339_from_unix(secs))
            }
            _ => format!("last {t}"),
        });
        let extra: Vec<String> = times.into_iter().chain(last).collect();
        if !extra.is_empty() {
            line.push_str(&format!(" ({})", extra.join(", ")));
        }
        line
    }
}

/// The error body of the service (`error_code`/`error_msg`, or `code`/`message`
/// from some gateways); a code given as a number is read as its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorBody {
    pub error_code: Option<String>,
    pub error_msg: Option<String>,
}

impl ErrorBody {
    pub fn read(body: &[u8]) -> Option<ErrorBody> {
        let v: Value = serde_json::from_slice(body).ok()?;
        let text = |keys: &[&str]| {
            keys.iter().find_map(|k| match v.get(*k)? {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        let body = ErrorBody {
            error_code: text(&["error_code", "code"]),
            error_msg: text(&["error_msg", "message"]),
        };
        (body != ErrorBody::default()).then_some(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_response_reads_without_a_phase() {
        let text = r#"{"kind":"Pool","apiVersion":"v2","metadata":{"name":"pool-ae01-6f5d",
            "labels":{"os.modelarts/name":"pool-ae01"}},"spec":{"type":"Dedicate","scope":["Train"],
            "resources":[{"flavor":"modelarts.vm.cpu.8ud","count":1,"maxCount":1}]},
            "status":{"resources":{}}}"#;
        let pool: Pool = serde_json::from_str(text).unwrap();
        assert_eq!(pool.phase(), None);
        assert_eq!(pool.display_name(), Some("pool-ae01"));
        assert_eq!(pool.workspace(), "0");
        assert_eq!(pool.nodes(), (0, 1));
        assert_eq!(pool.capacity().to_string(), "0/1");
    }

    #[test]
    fn resource_status_reads_both_editions() {
        let new: PoolResourceStatus =
            serde_json::from_str(r#"{"available":[{"flavor":"f","count":2}]}"#).unwrap();
        let old: PoolResourceStatus =
            serde_json::from_str(r#"{"available":{"flavor":"f","count":2}}"#).unwrap();
        assert_eq!(new, old);
    }

    #[test]
    fn counts_may_be_strings() {
        let r: ResourceCount = serde_json::from_str(r#"{"count":"3","maxCount":4}"#).unwrap();
        assert_eq!((r.count, r.max_count), (Some(3), Some(4)));
        assert!(serde_json::from_str::<ResourceCount>(r#"{"count":"three"}"#).is_err());
    }

    #[test]
    fn a_logical_pool_shows_its_share() {
        let pool: Pool = serde_json::from_str(
            r#"{"spec":{"type":"Logical","resources":[{"flavor":"f","count":2,"maxCount":5}]},
                "status":{"resources":{}}}"#,
        )
        .unwrap();
        assert_eq!(
            pool.capacity(),
            Capacity::Share {
                count: 2,
                max_count: 5
            }
        );
        assert_eq!(pool.capacity().to_string(), "share 2-5");
    }

    #[test]
    fn error_bodies_of_any_gateway() {
        let b = ErrorBody::read(br#"{"code":401,"message":"no"}"#).unwrap();
        assert_eq!(b.error_code.as_deref(), Some("401"));
        assert_eq!(b.error_msg.as_deref(), Some("no"));
        assert_eq!(ErrorBody::read(b"[]"), None);
        assert_eq!(ErrorBody::read(b"{}"), None);
    }
}
