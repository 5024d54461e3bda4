//! Pool fields set on the command line (`--name`, `--count`, `--label K=V`,
//! ...): their value syntax, and how they override a manifest.
//!
//! [`OVERRIDES`] is the one list of them: which flag sets which field path,
//! and how. Applying overrides, marking where a field came from, and refusing
//! per-pool flags for several documents are all read off it.

use crate::diagnostic::FieldPath;
use crate::error::Error;
use crate::model::{
    CreatePoolRequest, PoolAnnotationsCreation, PoolClusterMaster, PoolLabelsCreation, PoolNodeAz,
    PoolResource, PoolSpecCreation,
};

use super::{set_annotation, set_label, Document};

/// What the command line says about a pool, as plain values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub name: Option<String>,
    pub pool_type: Option<String>,
    pub flavor: Option<String>,
    pub count: Option<i64>,
    pub max_count: Option<i64>,
    pub resources: Vec<ResourceSpec>,
    pub scope: Option<Vec<String>>,
    pub network: Option<String>,
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub workspace_id: Option<String>,
    pub description: Option<String>,
    pub sharing: Option<String>,
    pub node_prefix: Option<String>,
    pub parent: Option<String>,
    pub container_cidr: Option<String>,
    pub service_cidr: Option<String>,
    pub master_azs: Vec<String>,
    pub gpu_driver: Option<String>,
    pub npu_driver: Option<String>,
    pub driver_update_strategy: Option<String>,
    pub ipv6: bool,
    pub cluster_flavor: Option<String>,
    pub labels: Vec<KeyValue>,
    pub annotations: Vec<KeyValue>,
}

/// `K=V` from `--label` or `--annotation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

pub fn parse_key_value(text: &str) -> Result<KeyValue, String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok(KeyValue {
            key: k.trim().to_string(),
            value: v.to_string(),
        }),
        _ => Err(format!("`{text}` is not KEY=VALUE")),
    }
}

/// One `--resource flavor=F,count=N[,maxCount=M][,az=AZ:N]...`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceSpec {
    pub flavor: String,
    pub count: i64,
    pub max_count: Option<i64>,
    pub azs: Vec<(String, i64)>,
}

pub fn parse_resource(text: &str) -> Result<ResourceSpec, String> {
    const SYNTAX: &str = "write flavor=F,count=N[,maxCount=M][,az=AZ:N]...";
    let int = |key: &str, v: &str| -> Result<i64, String> {
        v.trim()
            .parse::<i64>()
            .map_err(|_| format!("{key}=`{v}` is not a whole number; {SYNTAX}"))
    };
    let (mut flavor, mut count, mut max_count, mut azs) = (None, None, None, Vec::new());
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            return Err(format!("`{part}` is not key=value; {SYNTAX}"));
        };
        match key.trim() {
            "flavor" => flavor = Some(value.trim().to_string()),
            "count" => count = Some(int("count", value)?),
            "maxCount" | "max-count" | "maxcount" => max_count = Some(int("maxCount", value)?),
            "az" => {
                let Some((az, n)) = value.rsplit_once(':') else {
                    return Err(format!("az=`{value}` needs a node count: az=AZ:N"));
                };
                azs.push((az.trim().to_string(), int("az count", n)?));
            }
            other => return Err(format!("unknown key `{other}`; {SYNTAX}")),
        }
    }
    Ok(ResourceSpec {
        flavor: flavor.ok_or_else(|| format!("missing flavor=; {SYNTAX}"))?,
        count: count.ok_or_else(|| format!("missing count=; {SYNTAX}"))?,
        max_count,
        azs,
    })
}

/// How one flag sets its part of the request.
enum Setter {
    /// A text field: the flag's value, and the field it replaces.
    Text(
        fn(&Overrides) -> &Option<String>,
        fn(&mut CreatePoolRequest) -> &mut Option<String>,
    ),
    /// `K=V` pairs, each set (and marked) at its own key below the path.
    Pairs(
        fn(&Overrides) -> &[KeyValue],
        fn(&mut CreatePoolRequest, &str, &str),
    ),
    /// A text field the flag fills in only where the manifest has none.
    Fallback(
        fn(&Overrides) -> &Option<String>,
        fn(&mut CreatePoolRequest) -> &mut Option<String>,
    ),
    /// Anything else: whether the flag was given, and what it does.
    Other(
        fn(&Overrides) -> bool,
        fn(&Overrides, &mut CreatePoolRequest),
    ),
}

/// One flag that overrides a manifest field.
struct Override {
    flag: &'static str,
    /// The field it sets, as diagnostics name it.
    path: &'static str,
    /// It names a single pool, so it is refused when the input holds several.
    per_pool: bool,
    setter: Setter,
}

fn labels(r: &mut CreatePoolRequest) -> &mut PoolLabelsCreation {
    let meta = r.metadata.get_or_insert_with(Default::default);
    meta.labels.get_or_insert_with(Default::default)
}

fn annotations(r: &mut CreatePoolRequest) -> &mut PoolAnnotationsCreation {
    let meta = r.metadata.get_or_insert_with(Default::default);
    meta.annotations.get_or_insert_with(Default::default)
}

fn spec(r: &mut CreatePoolRequest) -> &mut PoolSpecCreation {
    r.spec.get_or_insert_with(Default::default)
}

/// The one resource that `--flavor`, `--count` and `--max-count` set (a
/// manifest with several is refused before this is reached).
fn first_resource(r: &mut CreatePoolRequest) -> &mut PoolResource {
    let resources = spec(r).resources.get_or_insert_with(Vec::new);
    if resources.is_empty() {
        resources.push(PoolResource::default());
    }
    &mut resources[0]
}

fn is_dedicate(r: &mut CreatePoolRequest) -> bool {
    spec(r).pool_type.as_deref() != Some("Logical")
}

/// In the order they are applied: `--type` before `--count` (a count resets
/// the maxCount of a Dedicate pool), `--name` before `--label` (a label
/// `os.modelarts/name=...` wins, as the later flag), and the per-pool flags
/// in the order the refusal names them.
const OVERRIDES: &[Override] = &[
    Override {
        flag: "--name",
        path: "metadata.labels.\"os.modelarts/name\"",
        per_pool: true,
        setter: Setter::Text(|o| &o.name, |r| &mut labels(r).name),
    },
    Override {
        flag: "--workspace-id",
        path: "metadata.labels.\"os.modelarts/workspace.id\"",
        per_pool: false,
        // A manifest's workspace wins for its own pool (DESIGN.md §2).
        setter: Setter::Fallback(|o| &o.workspace_id, |r| &mut labels(r).workspace_id),
    },
    Override {
        flag: "--sharing",
        path: "metadata.labels.\"os.modelarts/sharing\"",
        per_pool: false,
        setter: Setter::Text(|o| &o.sharing, |r| &mut labels(r).sharing),
    },
    Override {
        flag: "--node-prefix",
        path: "metadata.labels.\"os.modelarts/node.prefix\"",
        per_pool: false,
        setter: Setter::Text(|o| &o.node_prefix, |r| &mut labels(r).node_prefix),
    },
    Override {
        flag: "--label",
        path: "metadata.labels",
        per_pool: false,
        setter: Setter::Pairs(|o| &o.labels, |r, k, v| set_label(labels(r), k, v)),
    },
    Override {
        flag: "--description",
        path: "metadata.annotations.\"os.modelarts/description\"",
        per_pool: false,
        setter: Setter::Text(|o| &o.description, |r| &mut annotations(r).description),
    },
    Override {
        flag: "--annotation",
        path: "metadata.annotations",
        per_pool: false,
        setter: Setter::Pairs(
            |o| &o.annotations,
            |r, k, v| set_annotation(annotations(r), k, v),
        ),
    },
    Override {
        flag: "--type",
        path: "spec.type",
        per_pool: false,
        setter: Setter::Text(|o| &o.pool_type, |r| &mut spec(r).pool_type),
    },
    Override {
        flag: "--parent",
        path: "spec.parent",
        per_pool: false,
        setter: Setter::Text(|o| &o.parent, |r| &mut spec(r).parent),
    },
    Override {
        flag: "--cluster-flavor",
        path: "spec.clusterFlavor",
        per_pool: false,
        setter: Setter::Text(|o| &o.cluster_flavor, |r| &mut spec(r).cluster_flavor),
    },
    Override {
        flag: "--service-cidr",
        path: "spec.kubernetesSvcIpRange",
        per_pool: false,
        setter: Setter::Text(
            |o| &o.service_cidr,
            |r| &mut spec(r).kubernetes_svc_ip_range,
        ),
    },
    Override {
        flag: "--network",
        path: "spec.network.name",
        per_pool: false,
        setter: Setter::Text(
            |o| &o.network,
            |r| &mut spec(r).network.get_or_insert_with(Default::default).name,
        ),
    },
    Override {
        flag: "--vpc-id",
        path: "spec.network.vpcId",
        per_pool: false,
        setter: Setter::Text(
            |o| &o.vpc_id,
            |r| &mut spec(r).network.get_or_insert_with(Default::default).vpc_id,
        ),
    },
    Override {
        flag: "--subnet-id",
        path: "spec.network.subnetId",
        per_pool: false,
        setter: Setter::Text(
            |o| &o.subnet_id,
            |r| {
                &mut spec(r)
                    .network
                    .get_or_insert_with(Default::default)
                    .subnet_id
            },
        ),
    },
    Override {
        flag: "--container-cidr",
        path: "spec.containerNetwork.cidr",
        per_pool: false,
        setter: Setter::Text(
            |o| &o.container_cidr,
            |r| {
                &mut spec(r)
                    .container_network
                    .get_or_insert_with(Default::default)
                    .cidr
            },
        ),
    },
    Override {
        flag: "--gpu-driver",
        path: "spec.driver.gpuVersion",
        per_pool: false,
        setter: Setter::Text(
            |o| &o.gpu_driver,
            |r| {
                &mut spec(r)
                    .driver
                    .get_or_insert_with(Default::default)
                    .gpu_version
            },
        ),
    },
    Override {
        flag: "--npu-driver",
        path: "spec.driver.npuVersion",
        per_pool: false,
        setter: Setter::Text(
            |o| &o.npu_driver,
            |r| {
                &mut spec(r)
                    .driver
                    .get_or_insert_with(Default::default)
                    .npu_version
            },
        ),
    },
    Override {
        flag: "--driver-update-strategy",
        path: "spec.driver.updateStrategy",
        per_pool: false,
        setter: Setter::Text(
            |o| &o.driver_update_strategy,
            |r| {
                &mut spec(r)
                    .driver
                    .get_or_insert_with(Default::default)
                    .update_strategy
            },
        ),
    },
    Override {
        flag: "--scope",
        path: "spec.scope",
        per_pool: false,
        setter: Setter::Other(
            |o| o.scope.is_some(),
            |o, r| {
                let scope = o.scope.iter().flatten().map(|s| s.trim().to_string());
                spec(r).scope = Some(scope.collect());
            },
        ),
    },
    Override {
        flag: "--master-az",
        path: "spec.masters",
        per_pool: false,
        setter: Setter::Other(
            |o| !o.master_azs.is_empty(),
            |o, r| {
                let masters = o.master_azs.iter().map(|az| PoolClusterMaster {
                    az: Some(az.clone()),
                    ..Default::default()
                });
                spec(r).masters = Some(masters.collect());
            },
        ),
    },
    Override {
        flag: "--ipv6",
        path: "spec.ipv6enable",
        per_pool: false,
        setter: Setter::Other(|o| o.ipv6, |_, r| spec(r).ipv6enable = Some(true)),
    },
    Override {
        flag: "--flavor",
        path: "spec.resources[0].flavor",
        per_pool: true,
        setter: Setter::Text(|o| &o.flavor, |r| &mut first_resource(r).flavor),
    },
    Override {
        flag: "--count",
        path: "spec.resources[0].count",
        per_pool: true,
        setter: Setter::Other(
            |o| o.count.is_some(),
            |o, r| {
                // A new count makes a maxCount filled from the old one stale.
                let stale_max = o.max_count.is_none() && is_dedicate(r);
                let resource = first_resource(r);
                resource.count = o.count;
                if stale_max {
                    resource.max_count = None;
                }
            },
        ),
    },
    Override {
        flag: "--max-count",
        path: "spec.resources[0].maxCount",
        per_pool: true,
        setter: Setter::Other(
            |o| o.max_count.is_some(),
            |o, r| first_resource(r).max_count = o.max_count,
        ),
    },
    Override {
        flag: "--resource",
        path: "spec.resources",
        per_pool: true,
        setter: Setter::Other(
            |o| !o.resources.is_empty(),
            |o, r| spec(r).resources = Some(o.resources.iter().map(resource).collect()),
        ),
    },
];

fn resource(r: &ResourceSpec) -> PoolResource {
    PoolResource {
        flavor: Some(r.flavor.clone()),
        count: Some(r.count),
        max_count: r.max_count,
        azs: (!r.azs.is_empty()).then(|| {
            r.azs
                .iter()
                .map(|(az, n)| PoolNodeAz {
                    az: Some(az.clone()),
                    count: Some(*n),
                    ..Default::default()
                })
                .collect()
        }),
        ..Default::default()
    }
}

impl Override {
    fn is_set(&self, o: &Overrides) -> bool {
        match self.setter {
            Setter::Text(value, _) | Setter::Fallback(value, _) => value(o).is_some(),
            Setter::Pairs(pairs, _) => !pairs(o).is_empty(),
            Setter::Other(is_set, _) => is_set(o),
        }
    }
}

impl Overrides {
    fn given(&self) -> impl Iterator<Item = &'static Override> + '_ {
        OVERRIDES.iter().filter(|f| f.is_set(self))
    }

    /// The flags given that name a single pool.
    fn per_pool_flags(&self) -> Vec<&'static str> {
        self.given()
            .filter(|f| f.per_pool)
            .map(|f| f.flag)
            .collect()
    }

    /// Sets every given field in `doc`, and marks it as set by its flag.
    /// `several`: the run holds several pools, so per-pool flags are refused.
    pub fn apply(&self, doc: &mut Document, several: bool) -> Result<(), Error> {
        let per_pool = self.per_pool_flags();
        if several && !per_pool.is_empty() {
            return Err(Error::usage_hint(
                format!(
                    "{} names a single pool, but the input holds several pools",
                    per_pool.join(", ")
                ),
                "set it in each document, or run one create per manifest",
            ));
        }
        let one_resource =
            self.flavor.is_some() || self.count.is_some() || self.max_count.is_some();
        if one_resource && !self.resources.is_empty() {
            return Err(Error::usage(
                "--resource cannot be combined with --flavor, --count or --max-count",
            ));
        }
        let in_file = doc
            .request
            .spec
            .as_ref()
            .and_then(|s| s.resources.as_ref())
            .map_or(0, Vec::len);
        if one_resource && in_file > 1 {
            return Err(Error::usage_hint(
                format!(
                    "--flavor/--count/--max-count set one flavor, but {} has {in_file} resources",
                    doc.file
                ),
                "use --resource flavor=F,count=N (repeatable) to replace them all",
            ));
        }
        for o in self.given() {
            let path = FieldPath::parse(o.path);
            match o.setter {
                Setter::Text(value, slot) => {
                    *slot(&mut doc.request) = value(self).clone();
                    doc.mark_flag(path, o.flag);
                }
                Setter::Fallback(value, slot) => {
                    let given = value(self).clone();
                    let field = slot(&mut doc.request);
                    match field {
                        None => {
                            *field = given;
                            doc.mark_flag(path, o.flag);
                        }
                        // The manifest wins; say so, so the flag is not
                        // thought to have counted.
                        Some(own) if Some(&*own) != given.as_ref() => {
                            let message = format!(
                                "the manifest's `{own}` wins over {} {} for this pool",
                                o.flag,
                                given.unwrap_or_default()
                            );
                            let pos = doc.positions.get(&path).copied().unwrap_or_default();
                            doc.findings.push(super::walk::Finding {
                                severity: crate::diagnostic::Severity::Warning,
                                path,
                                message,
                                pos,
                            });
                        }
                        Some(_) => {}
                    }
                }
                Setter::Pairs(pairs, set) => {
                    for kv in pairs(self) {
                        set(&mut doc.request, &kv.key, &kv.value);
                        doc.mark_flag(path.key(&kv.key), o.flag);
                    }
                }
                Setter::Other(_, apply) => {
                    apply(self, &mut doc.request);
                    doc.mark_flag(path, o.flag);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_syntax() {
        let r = parse_resource("flavor=modelarts.vm.cpu.8ud,count=2,maxCount=4,az=az1:1,az=az2:1")
            .unwrap();
        assert_eq!(r.flavor, "modelarts.vm.cpu.8ud");
        assert_eq!((r.count, r.max_count), (2, Some(4)));
        assert_eq!(r.azs, vec![("az1".into(), 1), ("az2".into(), 1)]);
        assert!(parse_resource("count=2")
            .unwrap_err()
            .contains("missing flavor"));
        assert!(parse_resource("flavor=f")
            .unwrap_err()
            .contains("missing count"));
        assert!(parse_resource("flavor=f,count=x")
            .unwrap_err()
            .contains("whole number"));
        assert!(parse_resource("flavor=f,count=1,az=a")
            .unwrap_err()
            .contains("AZ:N"));
        assert!(parse_resource("flavor=f,count=1,size=3")
            .unwrap_err()
            .contains("unknown key"));
    }

    #[test]
    fn key_value_syntax() {
        assert_eq!(
            parse_key_value("a=b=c").unwrap(),
            KeyValue {
                key: "a".into(),
                value: "b=c".into()
            }
        );
        assert!(parse_key_value("novalue").is_err());
        assert!(parse_key_value("=v").is_err());
    }

    #[test]
    fn every_path_parses_and_every_flag_is_listed_once() {
        for (i, o) in OVERRIDES.iter().enumerate() {
            assert_eq!(FieldPath::parse(o.path).to_string(), o.path, "{}", o.flag);
            assert!(
                OVERRIDES[i + 1..].iter().all(|p| p.flag != o.flag),
                "{} twice",
                o.flag
            );
        }
        let all = Overrides {
            name: Some("n".into()),
            flavor: Some("f".into()),
            count: Some(1),
            max_count: Some(1),
            resources: vec![ResourceSpec::default()],
            network: Some("net".into()),
            ..Default::default()
        };
        assert_eq!(
            all.per_pool_flags(),
            ["--name", "--flavor", "--count", "--max-count", "--resource"]
        );
    }
}
