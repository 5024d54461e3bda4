//! Every rule of DESIGN.md §4 with a case that fails it and one that passes.
//! Each case edits a valid base manifest at a JSON pointer. The last tests
//! run the real binary on files, for what a user sees.

mod common;

use common::{poolctl, run};
use poolctl::diagnostic::{Diagnostic, Severity};
use poolctl::manifest;
use poolctl::validate::validate;
use serde_json::{json, Value};

fn physical() -> Value {
    json!({
        "apiVersion": "v2",
        "kind": "Pool",
        "metadata": {"labels": {"os.modelarts/name": "pool-ae01"}},
        "spec": {
            "type": "Dedicate",
            "scope": ["Train"],
            "network": {"name": "network-21e1"},
            "resources": [{"flavor": "modelarts.vm.cpu.8ud", "count": 2}]
        }
    })
}

fn logical() -> Value {
    json!({
        "apiVersion": "v2",
        "kind": "Pool",
        "metadata": {"labels": {"os.modelarts/name": "pool-logic-01"}},
        "spec": {"type": "Logical", "resources": [{"flavor": "modelarts.vm.gpu.tnt004", "count": 2}]}
    })
}

fn check_with(v: &Value, severity_of_unknown: Severity) -> Vec<Diagnostic> {
    let text = serde_json::to_string_pretty(v).unwrap();
    let mut docs = manifest::parse_text("case.json", &text, 1, severity_of_unknown).unwrap();
    assert_eq!(docs.len(), 1);
    manifest::normalize(&mut docs[0]);
    validate(&docs[0])
}

fn check(v: &Value) -> Vec<Diagnostic> {
    check_with(v, Severity::Error)
}

/// Sets (or with `None`, removes) the value at a JSON pointer, creating objects on the way.
fn edit(mut v: Value, pointer: &str, new: Option<Value>) -> Value {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let mut cur = &mut v;
    for seg in parent.split('/').skip(1) {
        let seg = seg.replace("~1", "/");
        cur = match cur {
            Value::Array(a) => &mut a[seg.parse::<usize>().unwrap()],
            Value::Object(o) => o.entry(seg).or_insert_with(|| json!({})),
            _ => panic!("bad pointer {pointer}"),
        };
    }
    let last = last.replace("~1", "/");
    match (cur, new) {
        (Value::Object(o), Some(n)) => {
            o.insert(last, n);
        }
        (Value::Object(o), None) => {
            o.remove(&last);
        }
        (Value::Array(a), Some(n)) => a[last.parse::<usize>().unwrap()] = n,
        _ => panic!("bad pointer {pointer}"),
    }
    v
}

fn expect_one(diags: &[Diagnostic], severity: Severity, path: &str, needle: &str) {
    let found = diags
        .iter()
        .any(|d| d.severity == severity && d.path == path && d.message.contains(needle));
    assert!(
        found,
        "expected {severity:?} at {path} containing {needle:?}; got:\n{}",
        render(diags)
    );
}

fn expect_clean(diags: &[Diagnostic]) {
    assert!(
        diags.is_empty(),
        "expected no diagnostics, got:\n{}",
        render(diags)
    );
}

fn render(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| format!("  {:?} {}: {}", d.severity, d.path, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

use Severity::{Error as E, Warning as W};

/// (base, pointer, value or None to remove, expected severity, expected path, message part)
type Case = (
    fn() -> Value,
    &'static str,
    Option<Value>,
    Severity,
    &'static str,
    &'static str,
);

#[test]
fn the_bases_are_valid() {
    expect_clean(&check(&physical()));
    expect_clean(&check(&logical()));
}

#[test]
fn every_rule_fails_where_it_should() {
    let name = "metadata.labels.\"os.modelarts/name\"";
    let cases: Vec<Case> = vec![
        // apiVersion, kind, name label
        (
            physical,
            "/apiVersion",
            Some(json!("v1")),
            E,
            "apiVersion",
            "expected `v2`",
        ),
        (physical, "/apiVersion", None, E, "apiVersion", "required"),
        (
            physical,
            "/kind",
            Some(json!("Pools")),
            E,
            "kind",
            "expected `Pool`",
        ),
        (physical, "/kind", None, E, "kind", "required"),
        (
            physical,
            "/metadata/labels/os.modelarts~1name",
            None,
            E,
            name,
            "required",
        ),
        (physical, "/metadata", None, E, name, "required"),
        // pool name
        (
            physical,
            "/metadata/labels/os.modelarts~1name",
            Some(json!("abc")),
            E,
            name,
            "4 to 64",
        ),
        (
            physical,
            "/metadata/labels/os.modelarts~1name",
            Some(json!("a".repeat(65))),
            E,
            name,
            "4 to 64",
        ),
        (
            physical,
            "/metadata/labels/os.modelarts~1name",
            Some(json!("Pool-ae01")),
            E,
            name,
            "holds `P`",
        ),
        (
            physical,
            "/metadata/labels/os.modelarts~1name",
            Some(json!("pool_ae01")),
            E,
            name,
            "holds `_`",
        ),
        (
            physical,
            "/metadata/labels/os.modelarts~1name",
            Some(json!("1pool")),
            W,
            name,
            "starts with `1`",
        ),
        (
            physical,
            "/metadata/labels/os.modelarts~1name",
            Some(json!("-pool")),
            W,
            name,
            "starts with `-`",
        ),
        (
            physical,
            "/metadata/labels/os.modelarts~1name",
            Some(json!("pool-")),
            W,
            name,
            "ends with `-`",
        ),
        (
            physical,
            "/metadata/labels/os.modelarts~1name",
            Some(json!("pool-with-a-rather-long-name")),
            W,
            name,
            "at most 25",
        ),
        // spec
        (physical, "/spec", None, E, "spec", "required"),
        (
            physical,
            "/spec/type",
            Some(json!("Dedicated")),
            E,
            "spec.type",
            "did you mean `Dedicate`?",
        ),
        (physical, "/spec/type", None, E, "spec.type", "required"),
        (
            physical,
            "/spec/resources",
            Some(json!([])),
            E,
            "spec.resources",
            "at least one resource",
        ),
        (
            physical,
            "/spec/resources",
            None,
            E,
            "spec.resources",
            "at least one resource",
        ),
        // resources
        (
            physical,
            "/spec/resources/0/flavor",
            Some(json!("")),
            E,
            "spec.resources[0].flavor",
            "required",
        ),
        (
            physical,
            "/spec/resources/0/flavor",
            None,
            E,
            "spec.resources[0].flavor",
            "required",
        ),
        (
            physical,
            "/spec/resources",
            Some(json!([{"flavor": "f.a", "count": 1}, {"flavor": "f.a", "count": 1}])),
            E,
            "spec.resources[1].flavor",
            "already used by spec.resources[0]",
        ),
        (
            physical,
            "/spec/resources/0/count",
            Some(json!(0)),
            E,
            "spec.resources[0].count",
            "0 is below 1",
        ),
        (
            physical,
            "/spec/resources/0/count",
            Some(json!(-1)),
            E,
            "spec.resources[0].count",
            "-1 is below 1",
        ),
        (
            physical,
            "/spec/resources/0/count",
            None,
            E,
            "spec.resources[0].count",
            "required",
        ),
        (
            physical,
            "/spec/resources/0/maxCount",
            Some(json!(3)),
            E,
            "spec.resources[0].maxCount",
            "equals count",
        ),
        (
            logical,
            "/spec/resources/0/maxCount",
            Some(json!(1)),
            E,
            "spec.resources[0].maxCount",
            "below count (2)",
        ),
        // azs
        (
            physical,
            "/spec/resources/0/azs",
            Some(json!([{"az": "az1", "count": 0}])),
            E,
            "spec.resources[0].azs[0].count",
            "1 to 2000",
        ),
        (
            physical,
            "/spec/resources/0/azs",
            Some(json!([{"az": "az1", "count": 2001}])),
            E,
            "spec.resources[0].azs[0].count",
            "1 to 2000",
        ),
        (
            physical,
            "/spec/resources/0/azs",
            Some(json!([{"az": "az1", "count": 2}, {"az": "az2", "count": 1}])),
            E,
            "spec.resources[0].azs",
            "add up to 3",
        ),
        (
            physical,
            "/spec/resources/0/azs",
            Some(json!([{"count": 1}])),
            E,
            "spec.resources[0].azs[0].az",
            "required",
        ),
        // scope
        (
            physical,
            "/spec/scope",
            Some(json!(["Training"])),
            E,
            "spec.scope[0]",
            "did you mean `Train`?",
        ),
        (
            physical,
            "/spec/scope",
            Some(json!(["Train", "Train"])),
            E,
            "spec.scope[1]",
            "listed twice",
        ),
        (
            logical,
            "/spec/scope",
            Some(json!(["Train"])),
            W,
            "spec.scope",
            "cannot be specified for logical pools",
        ),
        // network
        (
            physical,
            "/spec/network",
            None,
            E,
            "spec.network",
            "needs a network",
        ),
        (
            physical,
            "/spec/network/name",
            Some(json!("net")),
            E,
            "spec.network.name",
            "4 to 128",
        ),
        (
            physical,
            "/spec/network/name",
            Some(json!("n".repeat(129))),
            E,
            "spec.network.name",
            "4 to 128",
        ),
        (
            physical,
            "/spec/network",
            Some(json!({"vpcId": "vpc-1"})),
            E,
            "spec.network.vpcId",
            "needs subnetId",
        ),
        (
            physical,
            "/spec/network",
            Some(json!({"subnetId": "subnet-1"})),
            E,
            "spec.network.subnetId",
            "needs vpcId",
        ),
        (
            physical,
            "/spec/network",
            Some(json!({})),
            E,
            "spec.network",
            "needs name",
        ),
        (
            logical,
            "/spec/network",
            Some(json!({"name": "network-21e1"})),
            E,
            "spec.network",
            "must not set a network",
        ),
        (
            logical,
            "/spec/masters",
            Some(json!([{"az": "az1"}])),
            E,
            "spec.masters",
            "must not set masters",
        ),
        // tags
        (
            physical,
            "/spec/resources/0/tags",
            Some(json!([{"key": "CCE-x", "value": "v"}])),
            E,
            "spec.resources[0].tags[0].key",
            "reserved",
        ),
        (
            physical,
            "/spec/resources/0/tags",
            Some(json!([{"key": "__type_baremetal_x", "value": "v"}])),
            E,
            "spec.resources[0].tags[0].key",
            "reserved",
        ),
        (
            physical,
            "/spec/resources/0/tags",
            Some(json!([{"key": "team", "value": "a"}, {"key": "team", "value": "b"}])),
            E,
            "spec.resources[0].tags[1].key",
            "repeats tags[0]",
        ),
        (
            physical,
            "/spec/resources/0/tags",
            Some(json!([{"key": "team"}])),
            E,
            "spec.resources[0].tags[0].value",
            "required",
        ),
        // extendParams
        (
            physical,
            "/spec/resources/0/extendParams",
            Some(json!({"postInstall": "echo hi"})),
            E,
            "spec.resources[0].extendParams.postInstall",
            "not valid Base64",
        ),
        (
            physical,
            "/spec/resources/0/extendParams",
            Some(json!({"postInstall": "ZWNo\nbyBoaQ==\n"})),
            W,
            "spec.resources[0].extendParams.postInstall",
            "line breaks",
        ),
        (
            physical,
            "/spec/resources/0/extendParams",
            Some(json!({"postInstall": ""})),
            W,
            "spec.resources[0].extendParams.postInstall",
            "is empty",
        ),
        (
            physical,
            "/spec/resources/0/extendParams",
            Some(json!({"dockerBaseSize": "0"})),
            E,
            "spec.resources[0].extendParams.dockerBaseSize",
            "positive whole number",
        ),
        (
            physical,
            "/spec/resources/0/extendParams",
            Some(json!({"dockerBaseSize": "big"})),
            E,
            "spec.resources[0].extendParams.dockerBaseSize",
            "positive whole number",
        ),
        // creatingStep
        (
            physical,
            "/spec/resources/0/creatingStep",
            Some(json!({"type": "row", "step": 1})),
            E,
            "spec.resources[0].creatingStep.type",
            "`rack`",
        ),
        (
            physical,
            "/spec/resources/0/creatingStep",
            Some(json!({"type": "rack", "step": 0})),
            E,
            "spec.resources[0].creatingStep.step",
            "below 1",
        ),
        (
            physical,
            "/spec/resources/0/creatingStep",
            Some(json!({"type": "rack", "step": 4})),
            E,
            "spec.resources[0].count",
            "multiple of creatingStep.step (4)",
        ),
        (
            logical,
            "/spec/resources/0",
            Some(
                json!({"flavor": "f.a", "count": 2, "maxCount": 3, "creatingStep": {"type": "rack", "step": 2}}),
            ),
            E,
            "spec.resources[0].maxCount",
            "multiple of creatingStep.step (2)",
        ),
        // volumes
        (
            physical,
            "/spec/resources/0/rootVolume",
            Some(json!({"volumeType": "HDD", "size": 100})),
            E,
            "spec.resources[0].rootVolume.volumeType",
            "`SSD`",
        ),
        (
            physical,
            "/spec/resources/0/rootVolume",
            Some(json!({"size": 100})),
            E,
            "spec.resources[0].rootVolume.volumeType",
            "required",
        ),
        (
            physical,
            "/spec/resources/0/rootVolume",
            Some(json!({"volumeType": "SSD", "size": "0"})),
            E,
            "spec.resources[0].rootVolume.size",
            "positive whole number",
        ),
        (
            physical,
            "/spec/resources/0/rootVolume",
            Some(json!({"volumeType": "SSD", "size": -5})),
            E,
            "spec.resources[0].rootVolume.size",
            "positive whole number",
        ),
        (
            physical,
            "/spec/resources/0/rootVolume",
            Some(json!({"volumeType": "SSD"})),
            E,
            "spec.resources[0].rootVolume.size",
            "required",
        ),
        (
            physical,
            "/spec/resources/0/dataVolumes",
            Some(
                json!([{"volumeType": "SSD", "size": 100, "extendParams": {"volumeGroup": "vgfoo"}}]),
            ),
            E,
            "spec.resources[0].dataVolumes[0].extendParams.volumeGroup",
            "not a volume group",
        ),
        (
            physical,
            "/spec/resources/0/dataVolumes",
            Some(json!([{"volumeType": "SSD", "size": 100}])),
            E,
            "spec.resources[0].dataVolumes[0].extendParams.volumeGroup",
            "required",
        ),
        (
            physical,
            "/spec/resources/0/dataVolumes",
            Some(
                json!([{"volumeType": "SSD", "size": 100, "extendParams": {"volumeGroup": "vgpaas"}}]),
            ),
            E,
            "spec.resources[0].volumeGroupConfigs",
            "required when dataVolumes exist",
        ),
        (
            physical,
            "/spec/resources/0/volumeGroupConfigs",
            Some(json!([{"volumeGroup": "vguser1"}])),
            E,
            "spec.resources[0].volumeGroupConfigs[0].volumeGroup",
            "not used by any dataVolumes",
        ),
        (
            physical,
            "/spec/resources/0/volumeGroupConfigs",
            Some(json!([{"volumeGroup": "vg-nvme", "types": ["local"]}])),
            E,
            "spec.resources[0].volumeGroupConfigs[0].volumeGroup",
            "not a volume group",
        ),
        (
            physical,
            "/spec/resources/0/dataVolumes",
            Some(
                json!([{"volumeType": "SSD", "size": 100, "count": 0, "extendParams": {"volumeGroup": "vgpaas"}}]),
            ),
            W,
            "spec.resources[0].dataVolumes[0].count",
            "0 disks",
        ),
        (
            physical,
            "/spec/resources/0/dataVolumes",
            Some(
                json!([{"volumeType": "SSD", "size": 100, "count": -2, "extendParams": {"volumeGroup": "vgpaas"}}]),
            ),
            E,
            "spec.resources[0].dataVolumes[0].count",
            "negative",
        ),
    ];
    let mut failures = Vec::new();
    for (base, pointer, value, severity, path, needle) in &cases {
        let diags = check(&edit(base(), pointer, value.clone()));
        let hit = diags
            .iter()
            .any(|d| d.severity == *severity && d.path == *path && d.message.contains(needle));
        if !hit {
            failures.push(format!(
                "{pointer} = {value:?}: expected {severity:?} at {path} ~ {needle:?}; got:\n{}",
                render(&diags)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A pool with disks and volume groups that uses every volume rule correctly.
fn with_disks() -> Value {
    edit(
        physical(),
        "/spec/resources/0",
        Some(json!({
            "flavor": "modelarts.vm.cpu.8ud",
            "count": 2,
            "rootVolume": {"volumeType": "GPSSD", "size": 200},
            "dataVolumes": [
                {"volumeType": "SSD", "size": "500", "count": 1, "extendParams": {"volumeGroup": "vgpaas"}},
                {"volumeType": "SAS", "size": 1000, "extendParams": {"volumeGroup": "vguser1"}}
            ],
            "volumeGroupConfigs": [
                {"volumeGroup": "vgpaas", "dockerThinPool": 60, "lvmConfig": {"lvType": "linear"}, "types": ["volume"]},
                {"volumeGroup": "vguser1", "lvmConfig": {"lvType": "striped", "path": "/mnt/data-1_a.b"}, "types": ["volume", "local"]}
            ]
        })),
    )
}

#[test]
fn volume_rules() {
    expect_clean(&check(&with_disks()));
    let cfg = "/spec/resources/0/volumeGroupConfigs";
    let p = "spec.resources[0].volumeGroupConfigs";
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "/0/dockerThinPool",
            json!(-1),
            "[0].dockerThinPool",
            "1 to 100",
        ),
        (
            "/0/dockerThinPool",
            json!(101),
            "[0].dockerThinPool",
            "1 to 100",
        ),
        (
            "/1/dockerThinPool",
            json!(50),
            "[1].dockerThinPool",
            "only the vgpaas",
        ),
        (
            "/0/lvmConfig",
            json!({"lvType": "mirror"}),
            "[0].lvmConfig.lvType",
            "`linear`",
        ),
        (
            "/0/lvmConfig",
            json!({}),
            "[0].lvmConfig.lvType",
            "required",
        ),
        (
            "/1/lvmConfig",
            json!({"lvType": "linear", "path": "mnt/data"}),
            "[1].lvmConfig.path",
            "absolute",
        ),
        (
            "/1/lvmConfig",
            json!({"lvType": "linear", "path": "/mnt/my data"}),
            "[1].lvmConfig.path",
            "holds ` `",
        ),
        (
            "/0/types",
            json!(["volume", "nvme"]),
            "[0].types[1]",
            "`volume`",
        ),
    ];
    for (ptr, value, sub, needle) in cases {
        let diags = check(&edit(with_disks(), &format!("{cfg}{ptr}"), Some(value)));
        expect_one(&diags, E, &format!("{p}{sub}"), needle);
    }
    // DESIGN.md §4: 1 to 100, so 0 is an error too.
    let diags = check(&edit(
        with_disks(),
        &format!("{cfg}/0/dockerThinPool"),
        Some(json!(0)),
    ));
    expect_one(&diags, E, &format!("{p}[0].dockerThinPool"), "1 to 100");
    // vguser0 is a group like any vguser<N>.
    let zero = serde_json::to_string(&with_disks())
        .unwrap()
        .replace("vguser1", "vguser0");
    expect_clean(&check(&serde_json::from_str(&zero).unwrap()));
    // A local-disk group needs no dataVolumes entry.
    let local = edit(
        physical(),
        "/spec/resources/0/volumeGroupConfigs",
        Some(json!([{"volumeGroup": "vg-everest-localvolume-ephemeral", "types": ["local"]}])),
    );
    expect_clean(&check(&local));
}

#[test]
fn network_ranges() {
    let with = |cidr: &str, svc: &str| {
        let v = edit(
            physical(),
            "/spec/containerNetwork",
            Some(json!({"cidr": cidr})),
        );
        edit(v, "/spec/kubernetesSvcIpRange", Some(json!(svc)))
    };
    expect_clean(&check(&with("172.16.0.0/16", "10.247.0.0/16")));
    expect_clean(&check(&with("10.0.0.0/12", "192.168.0.0/16")));
    expect_one(
        &check(&with("10.0.0.0/33", "10.247.0.0/16")),
        E,
        "spec.containerNetwork.cidr",
        "prefix length",
    );
    expect_one(
        &check(&with("172.16.0.0/16", "10.247.0.0")),
        E,
        "spec.kubernetesSvcIpRange",
        "not a CIDR",
    );
    expect_one(
        &check(&with("172.16.0.0/16", "172.16.128.0/17")),
        E,
        "spec.kubernetesSvcIpRange",
        "overlaps",
    );
    expect_one(
        &check(&with("10.16.0.0/16", "10.247.0.0/16")),
        W,
        "spec.containerNetwork.cidr",
        "outside the recommended",
    );
    expect_one(
        &check(&with("172.16.0.1/16", "10.247.0.0/16")),
        W,
        "spec.containerNetwork.cidr",
        "host bits",
    );
    // The block, host bits dropped, is what overlaps.
    expect_one(
        &check(&with("172.16.0.1/16", "172.16.5.0/24")),
        E,
        "spec.kubernetesSvcIpRange",
        "overlaps the container network 172.16.0.0/16",
    );
}

#[test]
fn enumerations_and_base64() {
    let v = edit(
        physical(),
        "/spec/driver",
        Some(json!({"updateStrategy": "now"})),
    );
    expect_one(&check(&v), E, "spec.driver.updateStrategy", "`force`");
    expect_clean(&check(&edit(
        physical(),
        "/spec/driver",
        Some(json!({"updateStrategy": "idle", "gpuVersion": "440.33"})),
    )));

    let secret = "hunter2!secret";
    let v = edit(
        physical(),
        "/spec/userLogin",
        Some(json!({"password": secret})),
    );
    let diags = check(&v);
    expect_one(&diags, E, "spec.userLogin.password", "not valid Base64");
    // Not the value, and not a single character of it.
    assert!(
        diags.iter().all(|d| !d.message.contains(secret)),
        "the password leaked into a message"
    );
    assert!(
        diags.iter().all(|d| !d.message.contains('!')),
        "a character of the password leaked"
    );
    expect_clean(&check(&edit(
        physical(),
        "/spec/userLogin",
        Some(json!({"password": "aHVudGVyMg=="})),
    )));

    let v = edit(
        physical(),
        "/metadata/labels/os.modelarts~1sharing",
        Some(json!("public")),
    );
    expect_one(
        &check(&v),
        E,
        "metadata.labels.\"os.modelarts/sharing\"",
        "`shared`",
    );
    expect_clean(&check(&edit(
        physical(),
        "/metadata/labels/os.modelarts~1sharing",
        Some(json!("shared")),
    )));

    for key in ["billing.mode", "auto.renew"] {
        let ptr = format!("/metadata/annotations/os.modelarts~1{key}");
        let path = format!("metadata.annotations.\"os.modelarts/{key}\"");
        expect_one(
            &check(&edit(physical(), &ptr, Some(json!("2")))),
            E,
            &path,
            "not one of",
        );
        expect_clean(&check(&edit(physical(), &ptr, Some(json!("1")))));
    }
    let v = edit(
        physical(),
        "/spec/resources/0/extendParams",
        Some(json!({"postInstall": "ZWNobyBoaQ==", "dockerBaseSize": 50})),
    );
    expect_clean(&check(&v));
    let v = edit(
        physical(),
        "/spec/resources/0/creatingStep",
        Some(json!({"type": "hyperinstance", "step": 2})),
    );
    expect_clean(&check(&v));
    let v = edit(
        physical(),
        "/spec/resources/0/tags",
        Some(json!([{"key": "team", "value": "ml"}, {"key": "env", "value": "ci"}])),
    );
    expect_clean(&check(&v));
    let v = edit(
        physical(),
        "/spec/resources/0/azs",
        Some(json!([{"az": "az1", "count": 1}, {"az": "az2", "count": 1}])),
    );
    expect_clean(&check(&v));
    let v = edit(
        physical(),
        "/spec/network",
        Some(json!({"vpcId": "vpc-1", "subnetId": "subnet-1"})),
    );
    expect_clean(&check(&v));
    let v = edit(logical(), "/spec/resources/0/maxCount", Some(json!(4)));
    expect_clean(&check(&v));
    let v = edit(
        physical(),
        "/metadata/labels/os.modelarts~1name",
        Some(json!("a".repeat(25))),
    );
    expect_clean(&check(&v));
}

#[test]
fn scalars_become_strings_in_labels_and_annotations_with_a_warning() {
    let v = edit(
        physical(),
        "/metadata/annotations/os.modelarts~1billing.mode",
        Some(json!(0)),
    );
    let v = edit(v, "/metadata/labels/team-enabled", Some(json!(true)));
    let diags = check(&v);
    expect_one(
        &diags,
        W,
        "metadata.annotations.\"os.modelarts/billing.mode\"",
        "converted to the string \"0\"",
    );
    expect_one(
        &diags,
        W,
        "metadata.labels.team-enabled",
        "converted to the string \"true\"",
    );
    assert!(diags.iter().all(|d| d.severity == W));
}

#[test]
fn unknown_fields_are_errors_or_warnings_by_mode() {
    let v = edit(physical(), "/spec/resources/0/maxcount", Some(json!(2)));
    expect_one(
        &check(&v),
        E,
        "spec.resources[0].maxcount",
        "did you mean `maxCount`?",
    );
    let warned = check_with(&v, W);
    expect_one(
        &warned,
        W,
        "spec.resources[0].maxcount",
        "did you mean `maxCount`?",
    );
    assert!(warned.iter().all(|d| d.severity == W));

    let v = edit(physical(), "/spec/netwrok", Some(json!({"name": "x"})));
    expect_one(&check(&v), E, "spec.netwrok", "did you mean `network`?");
}

#[test]
fn a_misspelt_extend_param_is_named() {
    let v = edit(
        physical(),
        "/spec/resources/0/extendParams",
        Some(json!({"dockerBaseSzie": "100", "custom": "x"})),
    );
    let diags = check(&v);
    expect_one(
        &diags,
        W,
        "spec.resources[0].extendParams.dockerBaseSzie",
        "did you mean `dockerBaseSize`?",
    );
    assert_eq!(diags.len(), 1, "{}", render(&diags));
}

#[test]
fn max_count_is_filled_from_count() {
    let text = serde_json::to_string(&physical()).unwrap();
    let mut docs = manifest::parse_text("p.json", &text, 1, E).unwrap();
    manifest::normalize(&mut docs[0]);
    let body = serde_json::to_value(&docs[0].request).unwrap();
    assert_eq!(body["spec"]["resources"][0]["maxCount"], 2);
}

#[test]
fn diagnostics_point_at_line_and_column() {
    let text = "apiVersion: v2\nkind: Pool\nmetadata:\n  labels:\n    os.modelarts/name: pool-ae01\nspec:\n  type: Dedicate\n  network: {name: network-21e1}\n  resources:\n  - flavor: modelarts.vm.cpu.8ud\n    count: 0\n";
    let mut docs = manifest::parse_text("pool.yaml", text, 1, E).unwrap();
    manifest::normalize(&mut docs[0]);
    let diags = validate(&docs[0]);
    let d = diags
        .iter()
        .find(|d| d.path == "spec.resources[0].count")
        .unwrap();
    assert_eq!(
        d.origin,
        poolctl::diagnostic::Origin::File {
            file: "pool.yaml".into(),
            line: 11,
            column: 5
        }
    );
}

// ---- Through the binary -------------------------------------------------

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// One YAML document of a valid physical pool named `name` (written as
/// given, quotes and all), with `labels` added to its labels and `resource`
/// to its one resource, each as lines already indented.
fn pool_yaml(name: &str, labels: &str, resource: &str) -> String {
    format!(
        "apiVersion: v2\nkind: Pool\nmetadata:\n  labels:\n    os.modelarts/name: {name}\n{labels}\
         spec:\n  type: Dedicate\n  network:\n    name: network-21e1\n  resources:\n\
         \x20   - flavor: modelarts.vm.cpu.8ud\n      count: 2\n{resource}"
    )
}

fn validate_files(files: &[&str]) -> common::Run {
    let mut cmd = poolctl();
    cmd.arg("validate");
    for f in files {
        cmd.args(["-f", f]);
    }
    run(&mut cmd)
}

/// Both editions give 4 as the least length, the older 64 as the most and the
/// newer the characters; how a name starts or ends neither says, so that only warns.
#[test]
fn pool_names_are_errors_only_where_an_edition_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let warned: Vec<String> = [
        "\"1st-pool\"",
        "\"-pool-b\"",
        "pool-c-",
        "pool-name-longer-than-the-newer-cap",
    ]
    .iter()
    .map(|n| pool_yaml(n, "", ""))
    .collect();
    let f = write(&dir, "warned.yaml", &warned.join("---\n"));
    let r = validate_files(&[&f]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_run_snapshot!("pool_name_warnings", r);

    let refused: Vec<String> = ["abc", "Pool_ae01", &"a".repeat(65)]
        .iter()
        .map(|n| pool_yaml(n, "", ""))
        .collect();
    let f = write(&dir, "refused.yaml", &refused.join("---\n"));
    let r = validate_files(&[&f]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_run_snapshot!("pool_name_errors", r);
}

const DISKS_OK: &str = "      dataVolumes:
        - volumeType: SSD
          size: 500
          extendParams: {volumeGroup: vgpaas}
        - volumeType: SAS
          size: 1000
          extendParams: {volumeGroup: vguser0}
      volumeGroupConfigs:
        - volumeGroup: vgpaas
          types: [volume]
        - volumeGroup: vguser0
          lvmConfig: {lvType: linear, path: /mnt/data0}
        - volumeGroup: vg-everest-localvolume-ephemeral
          types: [local]
";

const DISKS_BAD: &str = "      dataVolumes:
        - volumeType: SSD
          size: 500
          extendParams: {volumeGroup: vgpas}
        - volumeType: SAS
          size: 1000
          extendParams: {volumeGroup: vguser1}
      volumeGroupConfigs:
        - volumeGroup: vguser1
        - volumeGroup: vg-local-nvme
          types: [local]
        - volumeGroup: vguser-data
          types: [volume]
        - volumeGroup: vguser2
";

/// The newer edition lists the volume groups (`vguser{num}`, any number),
/// for data volumes and for every volumeGroupConfigs entry, local or not.
#[test]
fn volume_groups_are_the_closed_list_of_the_newer_edition() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "disks.yaml", &pool_yaml("pool-disks", "", DISKS_OK));
    let r = validate_files(&[&f]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("ok (1 pool)\n"), "{}", r.stdout);

    let f = write(
        &dir,
        "bad-disks.yaml",
        &pool_yaml("pool-disks", "", DISKS_BAD),
    );
    let r = validate_files(&[&f]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_run_snapshot!("volume_groups", r);
}

/// `base64` wraps its output at 76 characters; the reference asks for
/// Base64 and does not say whether line breaks are allowed, so they warn.
#[test]
fn base64_with_line_breaks_warns() {
    let dir = tempfile::tempdir().unwrap();
    let resource = "      extendParams:
        postInstall: |
          IyEvYmluL3NoCiMgcHJlcGFyZSB0aGUgbm9kZSBmb3IgdHJhaW5pbmcgam9icwplY2hvICJub2Rl
          IHJlYWR5IiA+IC90bXAvcG9vbGN0bC1wb3N0LWluc3RhbGwKc3lzdGVtY3RsIHJlc3RhcnQgZG9j
          a2VyCg==
";
    let text = pool_yaml("pool-wrapped", "", resource).replace(
        "  type: Dedicate\n",
        "  type: Dedicate\n  userLogin:\n    password: \"c2FsdGVkLWFuZC1lbmNyeXB0ZWQtcGFzc3dvcmQtd2l0aC1hLWxvbmctZW5vdWdoLXNhbHQtdG8t\\nd3JhcC10aGUtbGluZQ==\"\n",
    );
    let f = write(&dir, "wrapped.yaml", &text);
    let r = validate_files(&[&f]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(!r.stdout.contains("c2FsdGVk"), "the password leaked");
    assert_run_snapshot!("base64_line_breaks", r);

    // Sent as written.
    let r = run(poolctl().args(["create", "-f", &f, "--dry-run", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let body: Value = serde_json::from_str(&r.stdout).unwrap();
    let script = body["spec"]["resources"][0]["extendParams"]["postInstall"]
        .as_str()
        .unwrap();
    assert_eq!(script.lines().count(), 3);
    assert!(
        r.stderr.contains("warning: spec.userLogin.password"),
        "{}",
        r.stderr
    );

    // White space that is not a line break is still no Base64.
    let text = pool_yaml(
        "pool-spaced",
        "",
        "      extendParams:\n        postInstall: ZWNobyBo aQ==\n",
    );
    let f = write(&dir, "spaced.yaml", &text);
    let r = validate_files(&[&f]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stdout.contains("white space is not a Base64 character"),
        "{}",
        r.stdout
    );
}

/// Two pools of one name in one workspace: the second cannot be created.
#[test]
fn the_same_pool_name_twice_in_one_run_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let two = format!(
        "{}---\n{}",
        pool_yaml("pool-ae01", "", ""),
        pool_yaml("pool-ae02", "", "")
    );
    let a = write(&dir, "a.yaml", &two);
    let b = write(&dir, "b.yaml", &pool_yaml("pool-ae01", "", ""));
    let c = write(
        &dir,
        "c.yaml",
        &format!(
            "{}---\n{}",
            pool_yaml("pool-ae02", "", ""),
            pool_yaml("pool-ae02", "", "")
        ),
    );
    let r = validate_files(&[&a, &b, &c]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_run_snapshot!("duplicate_names_validate", r);

    let r = run(poolctl().args(["create", "-f", &a, "-f", &b, "--dry-run", "-o", "json"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_run_snapshot!("duplicate_names_create", r);

    // The same name in another workspace is another pool.
    let other = pool_yaml("pool-ae01", "    os.modelarts/workspace.id: ws-7\n", "");
    let d = write(&dir, "d.yaml", &other);
    let r = run(poolctl().args(["create", "-f", &a, "-f", &d, "--dry-run", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    let r = validate_files(&[&a, &d]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

/// A key of the os.modelarts/ namespace that narrowly misses a documented
/// one is most likely a typo that the service would ignore.
#[test]
fn a_near_miss_of_a_documented_key_warns() {
    let dir = tempfile::tempdir().unwrap();
    let labels = "    os.modelarts/workspace_id: \"0\"
    os.modelarts/nmae: pool-typo
    os.modelart/sharing: shared
    os.modelarts/tenant.domain.id: 75fef1f8
    team: vision
  annotations:
    os.modelarts/billing_mode: \"0\"
    os.modelarts/Description: a pool
    os.modelarts/product.id: xxx
";
    let f = write(&dir, "keys.yaml", &pool_yaml("pool-keys", labels, ""));
    let r = validate_files(&[&f]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_run_snapshot!("near_miss_keys", r);
}

/// YAML reads `on:`, `yes:`, `0123:` and `~:` as a boolean, a number and
/// null, so the key sent would not be the key written.
#[test]
fn a_key_yaml_reads_as_no_string_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let labels = "    on: x
    \"off\": quoted
    yes: \"y\"
    0123: z
    ~: q
  annotations:
    true: t
";
    let text = pool_yaml("pool-keys", labels, "");
    let f = write(&dir, "keys.yaml", &text);
    let r = validate_files(&[&f]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_run_snapshot!("keys_read_as_no_string", r);

    let r = run(poolctl().args(["create", "-f", &f, "--dry-run", "-o", "json"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.contains(
            "keys.yaml:6:5: error: metadata.labels.on: label key `on` is read by YAML as a boolean"
        ),
        "{}",
        r.stderr
    );
    // Quoted, they pass.
    let quoted = text
        .replace("    on:", "    \"on\":")
        .replace("    yes:", "    \"yes\":")
        .replace("    0123:", "    \"0123\":")
        .replace("    ~:", "    \"~\":")
        .replace("    true:", "    'true':");
    let f = write(&dir, "quoted.yaml", &quoted);
    let r = run(poolctl().args(["create", "-f", &f, "--dry-run", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let body: Value = serde_json::from_str(&r.stdout).unwrap();
    let labels = &body["metadata"]["labels"];
    for key in ["on", "off", "yes", "0123", "~"] {
        assert!(labels.get(key).is_some(), "{key}: {labels}");
    }
    assert_eq!(body["metadata"]["annotations"]["true"], "t");
}

/// Rules that neither edition states and that a request may well pass
/// warn: the service has the last word.
#[test]
fn inferred_rules_warn() {
    // Only our inferences: a disk entry of 0, a CIDR with host bits, an
    // empty post-install script (the Base64 of nothing).
    let dir = tempfile::tempdir().unwrap();
    let resource = "      extendParams:
        postInstall: \"\"
      dataVolumes:
        - volumeType: SSD
          size: 500
          count: 0
          extendParams: {volumeGroup: vgpaas}
      volumeGroupConfigs:
        - volumeGroup: vgpaas
";
    let text = pool_yaml("pool-inferred", "", resource).replace(
        "  type: Dedicate\n",
        "  type: Dedicate\n  containerNetwork: {cidr: 172.16.0.1/16}\n",
    );
    let f = write(&dir, "inferred.yaml", &text);
    let r = validate_files(&[&f]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_run_snapshot!("inferred_rules_warn", r);
}

#[test]
fn the_catalogues_rules_are_errors() {
    // DESIGN.md §4 lists these: a request that breaks one cannot succeed.
    let dir = tempfile::tempdir().unwrap();
    let resource = "      azs:
        - {az: az1, count: 2}
        - {az: az2, count: 1}
      tags:
        - {key: team, value: a}
        - {key: team, value: b}
      extendParams:
        dockerBaseSize: 1.5
      creatingStep: {type: rack, step: 4}
      dataVolumes:
        - volumeType: SSD
          size: 500
          extendParams: {volumeGroup: vgpaas}
      volumeGroupConfigs:
        - volumeGroup: vgpaas
          dockerThinPool: 0
    - flavor: modelarts.vm.cpu.8ud
      count: 0
";
    let text = pool_yaml("pool-catalogue", "", resource).replace(
        "  type: Dedicate\n",
        "  type: Dedicate\n  scope: [Train, Train]\n",
    );
    let f = write(&dir, "catalogue.yaml", &text);
    let r = validate_files(&[&f]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_run_snapshot!("catalogue_rules_are_errors", r);
}
