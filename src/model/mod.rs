//! serde types of the pool API, named as the API names them, covering the
//! union of both editions of the CreatePool reference.
//!
//! Every field is optional here, so a manifest with a missing field still
//! loads and the validator can report every problem at once. Fields this tool
//! does not know land in `extra` and are sent as they are (`--validate warn`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The label that holds the name a person gave a pool; it is how a pool is
/// found by name (`labelSelector=os.modelarts/name=NAME`).
pub const NAME_LABEL: &str = "os.modelarts/name";

/// The label that holds a pool's workspace.
pub const WORKSPACE_LABEL: &str = "os.modelarts/workspace.id";

/// The workspace of a pool or a lookup that names none (the API's default).
pub const DEFAULT_WORKSPACE: &str = "0";

/// The closed lists of values of the two references, shared by the flags
/// that take them (`cli`) and the rules that check them (`validate`).
pub mod values {
    pub const POOL_TYPES: [&str; 2] = ["Dedicate", "Logical"];
    pub const SCOPES: [&str; 3] = ["Train", "Infer", "Notebook"];
    pub const VOLUME_TYPES: [&str; 3] = ["SSD", "GPSSD", "SAS"];
    pub const STEP_TYPES: [&str; 2] = ["rack", "hyperinstance"];
    pub const LV_TYPES: [&str; 2] = ["linear", "striped"];
    pub const STORAGE_TYPES: [&str; 2] = ["volume", "local"];
    pub const UPDATE_STRATEGIES: [&str; 2] = ["force", "idle"];
    pub const SHARING: [&str; 2] = ["shared", "unshared"];
    pub const FIXED_VOLUME_GROUPS: [&str; 4] = [
        "vgpaas",
        "default",
        "vg-everest-localvolume-persistent",
        "vg-everest-localvolume-ephemeral",
    ];
}

/// Fields of an object that this tool does not know, kept in their order.
pub type Extra = Map<String, Value>;

/// A string the API wants that people naturally write as a number (`size: 100`).
/// It accepts a YAML/JSON integer or string and is always sent as a string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumStr(pub String);

impl NumStr {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for NumStr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for NumStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(NumStr(s)),
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(NumStr(n.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected an integer or a string, found {other}"
            ))),
        }
    }
}

impl JsonSchema for NumStr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "NumericString".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A whole number, as a string or a YAML number; sent as a string.",
            "type": ["string", "integer"]
        })
    }
}

/// JSON text of `value`, as poolctl writes JSON everywhere: the request body
/// it signs and sends, and `-o json`.
///
/// serde_json writes every character but `"`, `\` and the C0 controls as it
/// is. The ones YAML does not allow raw (DEL, the C1 controls but NEL, U+FFFE
/// and U+FFFF) are written as `\uXXXX` here, which means the same to any JSON
/// reader, so that what poolctl writes as JSON it can read back: it reads
/// JSON as YAML. Found by fuzzing (docs/fuzzing.md).
pub fn to_json<T: Serialize + ?Sized>(value: &T, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    .unwrap_or_default();
    // Outside strings JSON text is ASCII, so these occur only inside strings,
    // where an escape stands for the character.
    if !text.chars().any(yaml_refuses_raw) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if yaml_refuses_raw(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Not `c-printable` in YAML 1.2 and not escaped by serde_json; and what
/// could drive a terminal that shows the JSON (NEL, the bidirectional
/// overrides, the line separators: `redact::is_unsafe_on_terminal`).
fn yaml_refuses_raw(c: char) -> bool {
    // Not ASCII: serde_json escapes the C0 controls in strings itself, and
    // the only ones left raw are the layout of pretty output.
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
        || (!c.is_ascii() && crate::redact::is_unsafe_on_terminal(c))
}

fn is_empty_extra(m: &Extra) -> bool {
    m.is_empty()
}

// ---------------------------------------------------------------- request

/// The CreatePool request body, which is also the manifest a user writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "poolctl manifest (ModelArts CreatePool request)")]
pub struct CreatePoolRequest {
    /// Resource type: `Pool`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// API version: `v2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Metadata of a resource pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<PoolMetadataCreation>,
    /// Description of a resource pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<PoolSpecCreation>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PoolMetadataCreation {
    /// Resource pool annotations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotations: Option<PoolAnnotationsCreation>,
    /// Resource pool labels; `os.modelarts/name` is required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<PoolLabelsCreation>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PoolLabelsCreation {
    /// Resource pool name: 4 to 64 characters (25 in the newer edition),
    /// lowercase letters, digits and `-`, starting with a letter.
    #[serde(rename = "os.modelarts/name", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Workspace ID. Default: `0`.
    #[serde(
        rename = "os.modelarts/workspace.id",
        skip_serializing_if = "Option::is_none"
    )]
    pub workspace_id: Option<String>,
    /// Whether the pool can be shared: `shared` or `unshared`.
    #[serde(
        rename = "os.modelarts/sharing",
        skip_serializing_if = "Option::is_none"
    )]
    pub sharing: Option<String>,
    /// Customized node prefix.
    #[serde(
        rename = "os.modelarts/node.prefix",
        skip_serializing_if = "Option::is_none"
    )]
    pub node_prefix: Option<String>,
    /// Any other label.
    #[serde(flatten)]
    pub other: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PoolAnnotationsCreation {
    /// Description of a resource pool.
    #[serde(
        rename = "os.modelarts/description",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Billing mode: `0` pay-per-use, `1` yearly/monthly.
    #[serde(
        rename = "os.modelarts/billing.mode",
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_mode: Option<String>,
    /// Auto-renewal: `0` disabled (default), `1` enabled.
    #[serde(
        rename = "os.modelarts/auto.renew",
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_renew: Option<String>,
    /// Discount selected on the operations platform.
    #[serde(
        rename = "os.modelarts/promotion.info",
        skip_serializing_if = "Option::is_none"
    )]
    pub promotion_info: Option<String>,
    /// URL of the page displayed after the order is paid.
    #[serde(
        rename = "os.modelarts/service.console.url",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_console_url: Option<String>,
    /// Order ID.
    #[serde(
        rename = "os.modelarts/order.id",
        skip_serializing_if = "Option::is_none"
    )]
    pub order_id: Option<String>,
    /// Priority of jobs delivered by other users to a shared pool.
    #[serde(
        rename = "os.modelarts/scheduler.extension",
        skip_serializing_if = "Option::is_none"
    )]
    pub scheduler_extension: Option<String>,
    /// Any other annotation.
    #[serde(flatten)]
    pub other: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PoolSpecCreation {
    /// Pool type: `Dedicate` (physical) or `Logical`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub pool_type: Option<String>,
    /// Job types enabled: `Train`, `Infer`, `Notebook`. Not for logical pools.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Vec<String>>,
    /// Network settings; required for physical pools, unavailable for logical ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<PoolNetwork>,
    /// Resource flavors and node counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<PoolResource>>,
    /// Parent pool ID, for a logical sub-pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Kubernetes container network segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_network: Option<PoolContainerNetwork>,
    /// CIDR of the Kubernetes service network segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubernetes_svc_ip_range: Option<String>,
    /// Master nodes; physical pools only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub masters: Option<Vec<PoolClusterMaster>>,
    /// Cluster flavor of a standard pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_flavor: Option<String>,
    /// Resource pool driver.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<PoolDriver>,
    /// Node login of a privileged pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_login: Option<PoolUserLogin>,
    /// Cluster information of a privileged pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<PoolClusterInfo>>,
    /// Whether to enable IPv6.
    #[serde(rename = "ipv6enable", skip_serializing_if = "Option::is_none")]
    pub ipv6enable: Option<bool>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

/// One flavor of nodes in a pool (`PoolResource`, older edition `PoolResourceFlavorCount`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PoolResource {
    /// Minimum count of nodes of this flavor (at least 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Resource flavor name, e.g. `modelarts.vm.cpu.8ud`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flavor: Option<String>,
    /// Elastic maximum: equal to `count` in a physical pool (filled in when
    /// absent), at least `count` in a logical pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_count: Option<i64>,
    /// AZs where nodes are deployed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azs: Option<Vec<PoolNodeAz>>,
    /// Resource tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<UserTag>>,
    /// Custom configuration (`dockerBaseSize`, `postInstall`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extend_params: Option<PoolResourceExtendParams>,
    /// Batch creation information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creating_step: Option<CreatingStep>,
    /// Custom system disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_volume: Option<RootVolume>,
    /// Custom data disks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_volumes: Option<Vec<DataVolumeItem>>,
    /// Advanced disk configuration; required when `dataVolumes` exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_group_configs: Option<Vec<VolumeGroupConfig>>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PoolNodeAz {
    /// AZ name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub az: Option<String>,
    /// Nodes in this AZ: 1 to 2000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UserTag {
    /// Key; must not start with `CCE-` or `__type_baremetal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

/// Newer edition: `{dockerBaseSize, postInstall}`; older: `Map<String,String>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PoolResourceExtendParams {
    /// Size of the container image space on a node (a positive integer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_base_size: Option<NumStr>,
    /// Post-installation script, Base64-encoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_install: Option<String>,
    /// Other custom settings (the older edition's free map).
    #[serde(flatten)]
    pub other: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreatingStep {
    /// Creation step (at least 1); `count` and `maxCount` are multiples of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<i64>,
    /// Batch creation type: `rack` or `hyperinstance`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub step_type: Option<String>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RootVolume {
    /// Disk type: `SSD`, `GPSSD` or `SAS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_type: Option<String>,
    /// Disk size in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<NumStr>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DataVolumeItem {
    /// Disk type: `SSD`, `GPSSD` or `SAS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_type: Option<String>,
    /// Disk size in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<NumStr>,
    /// Number of disks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Custom disk configuration (`volumeGroup`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extend_params: Option<VolumeExtendParams>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VolumeExtendParams {
    /// `vgpaas`, `default`, `vguser<N>`, `vg-everest-localvolume-persistent`
    /// or `vg-everest-localvolume-ephemeral`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_group: Option<String>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VolumeGroupConfig {
    /// A volume group used in `dataVolumes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_group: Option<String>,
    /// Percentage of container disks to data disks (1 to 100); `vgpaas` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_thin_pool: Option<i64>,
    /// LVM configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lvm_config: Option<LvmConfig>,
    /// Storage types: `volume`, `local`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub types: Option<Vec<String>>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LvmConfig {
    /// LVM write mode: `linear` or `striped`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lv_type: Option<String>,
    /// Absolute mount path of `[A-Za-z0-9._/-]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PoolNetwork {
    /// Network name (4 to 128 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// VPC ID; privileged pools only, with `subnetId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Subnet ID; privileged pools only, with `vpcId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PoolContainerNetwork {
    /// Container CIDR. Recommended: 10.0.0.0/12-19, 172.16.0.0/16-19, 192.168.0.0/16-19.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PoolClusterMaster {
    /// AZ of the master node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub az: Option<String>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PoolDriver {
    /// GPU driver version, e.g. `440.33`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_version: Option<String>,
    /// NPU driver version, e.g. `C78`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npu_version: Option<String>,
    /// Driver upgrade policy: `force` or `idle`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_strategy: Option<String>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

#[derive(Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PoolUserLogin {
    /// Key pair name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_pair_name: Option<String>,
    /// Password: salted, encrypted and Base64-encoded. Never printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

/// Debug output (`{:?}`, traces, panics) must never carry the password.
impl std::fmt::Debug for PoolUserLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoolUserLogin")
            .field("key_pair_name", &self.key_pair_name)
            .field(
                "password",
                &self.password.as_ref().map(|_| crate::redact::REDACTED),
            )
            .field("extra", &self.extra)
            .finish()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PoolClusterInfo {
    /// Cluster name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Cluster ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    #[serde(flatten, skip_serializing_if = "is_empty_extra")]
    #[schemars(skip)]
    pub extra: Extra,
}

impl CreatePoolRequest {
    /// The `os.modelarts/name` label: the name a person gave the pool.
    pub fn display_name(&self) -> Option<&str> {
        self.metadata.as_ref()?.labels.as_ref()?.name.as_deref()
    }

    /// The workspace the pool goes to: its label, else the API's default.
    pub fn workspace(&self) -> &str {
        self.metadata
            .as_ref()
            .and_then(|m| m.labels.as_ref())
            .and_then(|l| l.workspace_id.as_deref())
            .unwrap_or(DEFAULT_WORKSPACE)
    }
}

// ---------------------------------------------------------------- response

pub mod read;
mod response;

pub use response::{
    AzState, Capacity, Difference, Event, Flavor, FlavorKind, NetworkResource, Pool, PoolMetadata,
    PoolResourceStatus, PoolSpec, PoolStatus, ResourceCount, ScopeStatus, NETWORK_ACTIVE,
    NETWORK_NOT_USABLE, ORDER_ANNOTATION, SOLD_OUT, WARNING,
};

/// Phases of `status.phase` (api/NOTES.md).
pub mod phase {
    pub const CREATING: &str = "Creating";
    pub const RUNNING: &str = "Running";
    pub const ABNORMAL: &str = "Abnormal";
    pub const DELETING: &str = "Deleting";
    pub const ERROR: &str = "Error";
    pub const CREATION_FAILED: &str = "CreationFailed";
    pub const SCALING_FAILED: &str = "ScalingFailed";
    pub const WAITING: &str = "Waiting";

    /// Phases that end a wait for `Running` with failure (exit 6).
    pub fn is_failed(phase: &str) -> bool {
        matches!(phase, ERROR | CREATION_FAILED | SCALING_FAILED | ABNORMAL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_what_yaml_refuses_raw() {
        let s =
            "a\u{7f}\u{80}\u{84}\u{85}\u{86}\u{9f}\u{a0}\u{fffd}\u{fffe}\u{ffff}\u{1f600}\\\"\n";
        let text = to_json(&serde_json::json!({ "k": s }), false);
        assert_eq!(
            text,
            "{\"k\":\"a\\u007f\\u0080\\u0084\\u0085\\u0086\\u009f\u{a0}\u{fffd}\\ufffe\\uffff\u{1f600}\\\\\\\"\\n\"}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["k"], s);
        assert_eq!(
            to_json(&serde_json::json!({"k": "plain"}), true),
            "{\n  \"k\": \"plain\"\n}"
        );
    }

    #[test]
    fn numeric_strings_accept_numbers_and_send_strings() {
        let v: RootVolume = serde_json::from_str(r#"{"volumeType":"SSD","size":100}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"volumeType":"SSD","size":"100"}"#
        );
        assert!(serde_json::from_str::<RootVolume>(r#"{"size":1.5}"#).is_err());
    }
}
