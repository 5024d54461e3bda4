//! Preflight (DESIGN.md §3): what the service already knows that says a
//! create cannot succeed, asked before anything is created. A pool takes
//! half an hour to fail on a sold-out flavor; this takes one read.
//!
//! - Every flavor exists in `GET /v1/{project}/resourceflavors` (one read,
//!   all pages, shared by every pool of the run), with "did you mean" from
//!   that live list.
//! - A physical pool's flavor has nodes to give in the AZs it may use:
//!   every AZ its `azs` puts nodes in is not sold out (those nodes go
//!   nowhere else); without `azs`, at least one AZ is not.
//! - A named network exists (`GET /v1/{project}/networks/{name}`, once per
//!   name) and is `Active`.
//!
//! A check the service does not let us make (403, no answer, an answer that
//! cannot be read, a 404 of the gateway rather than of the network) is a
//! warning, and the create goes on: the service remains the judge.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::client::Client;
use crate::diagnostic::{Diagnostic, FieldPath, Severity};
use crate::error::Error;
use crate::manifest::Document;
use crate::model::{Flavor, NETWORK_ACTIVE, NETWORK_NOT_USABLE};

/// Network reads in flight at once.
const CONCURRENT_READS: usize = 16;

/// A flavor name this many edits from a listed one is "did you mean" it.
const FLAVOR_EDITS: usize = 3;

/// What the service said about a network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkCheck {
    /// It exists, in this phase (none: the answer gave none).
    Found(Option<String>),
    /// 404 from the networks API: there is no such network.
    Missing,
    /// Not checked, and why (a warning).
    Unknown(String),
}

/// The flavors, or why they could not be read (a warning).
pub type Catalogue = Result<Vec<Flavor>, String>;

/// What preflight found: per document (by its index in the run), the
/// problems; and the checks it could not make.
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Vec<Diagnostic>>,
    pub warnings: Vec<String>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .flatten()
            .filter(|d| d.is_error())
            .count()
    }
}

/// Reads what the checks of `docs` need (the flavors once, each network
/// once) and checks every document. Only an error that would stop any
/// request (authentication, a signal) is returned as an error.
pub async fn run(client: &Arc<Client>, docs: &[&Document]) -> Result<Report, Error> {
    let catalogue = match client.list_flavors().await {
        // No region sells nothing: an empty list says more about the answer
        // than about the flavors, and must not make every flavor unknown.
        Ok(flavors) if flavors.is_empty() => Err("the service listed no flavors".to_string()),
        Ok(flavors) => Ok(flavors.into_iter().map(|f| f.typed).collect()),
        Err(e) => Err(not_checked(e)?),
    };
    let mut names: Vec<String> = docs
        .iter()
        .filter_map(|d| network_name(d))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    // Concurrently, bounded: twenty pools on twenty networks cost about one
    // round trip, as their creates do (DESIGN.md §6).
    let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_READS));
    let mut set = tokio::task::JoinSet::new();
    for name in names {
        let (client, limit) = (client.clone(), limit.clone());
        set.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let check = match client.show_network(&name).await {
                Ok(n) => Ok(NetworkCheck::Found(n.typed.status.phase)),
                Err(e) if is_missing_network(&e) => Ok(NetworkCheck::Missing),
                // A name no URL path can carry cannot be looked up; the
                // service is the judge of it.
                Err(e @ Error::Usage { .. }) => Ok(NetworkCheck::Unknown(e.to_string())),
                Err(e) => not_checked(e).map(NetworkCheck::Unknown),
            };
            (name, check)
        });
    }
    let mut networks = HashMap::new();
    while let Some(joined) = set.join_next().await {
        let (name, check) =
            joined.map_err(|e| Error::Internal(anyhow::anyhow!("a preflight read failed: {e}")))?;
        networks.insert(name, check?);
    }
    let mut report = Report::default();
    if let Err(why) = &catalogue {
        report
            .warnings
            .push(format!("preflight: the flavors were not checked: {why}"));
    }
    let mut sorted: Vec<(&String, &NetworkCheck)> = networks.iter().collect();
    sorted.sort_by_key(|(name, _)| name.as_str());
    for (name, check) in sorted {
        if let NetworkCheck::Unknown(why) = check {
            report
                .warnings
                .push(format!("preflight: network {name} was not checked: {why}"));
        }
    }
    report.problems = docs
        .iter()
        .map(|doc| judge(doc, &catalogue, &networks))
        .collect();
    Ok(report)
}

/// Why a preflight read failed, as a warning; errors that stop every
/// request (bad credentials, a signal, an internal error) stay errors.
fn not_checked(e: Error) -> Result<String, Error> {
    match e.inner() {
        Error::Auth { api, .. } if api.status == 403 => Ok(format!(
            "the service refused the read (HTTP 403{})",
            api.error_code
                .as_deref()
                .map(|c| format!(", {c}"))
                .unwrap_or_default()
        )),
        Error::Auth { .. }
        | Error::NoCredentials { .. }
        | Error::InvalidCredentials { .. }
        | Error::Interrupted { .. }
        | Error::Internal(_)
        | Error::Usage { .. } => Err(e),
        _ => Ok(e.to_string()),
    }
}

/// A 404 of the networks API itself. A gateway that does not know the
/// route (`APIG.*`) says nothing about the network.
fn is_missing_network(e: &Error) -> bool {
    match e.inner() {
        Error::Api { api, .. } => {
            api.status == 404
                && !api
                    .error_code
                    .as_deref()
                    .is_some_and(|c| c.starts_with("APIG."))
        }
        _ => false,
    }
}

/// The network a pool names, if preflight should look it up: a physical
/// pool's `spec.network.name` (a privileged pool names a VPC and subnet).
fn network_name(doc: &Document) -> Option<&str> {
    let network = doc.request.spec.as_ref()?.network.as_ref()?;
    if network.vpc_id.is_some() || network.subnet_id.is_some() {
        return None;
    }
    network.name.as_deref().filter(|n| !n.trim().is_empty())
}

/// The problems of one document, given what the service said.
pub fn judge(
    doc: &Document,
    catalogue: &Catalogue,
    networks: &HashMap<String, NetworkCheck>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let error = |path: &FieldPath, message: String| doc.diagnostic(Severity::Error, path, message);
    let Some(spec) = doc.request.spec.as_ref() else {
        return out;
    };
    let logical = spec.pool_type.as_deref() == Some("Logical");
    if let Ok(flavors) = catalogue {
        let names: Vec<&str> = flavors.iter().filter_map(Flavor::name).collect();
        let resources = spec.resources.as_deref().unwrap_or_default();
        for (i, r) in resources.iter().enumerate() {
            let Some(wanted) = r.flavor.as_deref() else {
                continue;
            };
            let path = FieldPath::root()
                .key("spec")
                .key("resources")
                .index(i)
                .key("flavor");
            let Some(flavor) = flavors.iter().find(|f| f.name() == Some(wanted)) else {
                let mut message = format!("flavor {wanted} does not exist in this region");
                match crate::suggest::suggest_within(wanted, &names, FLAVOR_EDITS) {
                    Some(near) => message.push_str(&format!("; did you mean {near}?")),
                    None => message.push_str("; see: poolctl flavors"),
                }
                out.push(error(&path, message));
                continue;
            };
            if logical || flavor.status.phase.is_empty() {
                // A logical pool takes its nodes from its parent; a flavor
                // with no AZ states says nothing about capacity.
                continue;
            }
            if let Some((severity, message)) = capacity_problem(flavor, wanted, r.azs.as_deref()) {
                out.push(doc.diagnostic(severity, &path, message));
            }
        }
    }
    if let Some(name) = network_name(doc) {
        let path = FieldPath::root().key("spec").key("network").key("name");
        match networks.get(name) {
            Some(NetworkCheck::Missing) => out.push(error(
                &path,
                format!("network {name} does not exist (the service answered 404)"),
            )),
            Some(NetworkCheck::Found(Some(phase)))
                if NETWORK_NOT_USABLE
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(phase.trim())) =>
            {
                out.push(error(
                    &path,
                    format!(
                        "network {name} is {phase}, not {NETWORK_ACTIVE}; a pool needs an active \
                         network"
                    ),
                ))
            }
            Some(NetworkCheck::Found(Some(phase)))
                if !phase.trim().eq_ignore_ascii_case(NETWORK_ACTIVE) =>
            {
                out.push(doc.diagnostic(
                    Severity::Warning,
                    &path,
                    format!(
                        "network {name} is in phase {phase:?}, which preflight does not know; \
                         not judged"
                    ),
                ))
            }
            _ => {}
        }
    }
    out
}

/// Why `flavor` cannot give the nodes of a resource with these `azs`, if
/// it cannot (an error), or why that cannot be judged (a warning): a state
/// other than `normal` and `soldout` is not taken for either.
fn capacity_problem(
    flavor: &Flavor,
    wanted: &str,
    azs: Option<&[crate::model::PoolNodeAz]>,
) -> Option<(Severity, String)> {
    let (available, sold_out, other) = flavor.azs();
    let pinned: BTreeSet<&str> = azs
        .unwrap_or_default()
        .iter()
        .filter(|a| a.count.is_none_or(|c| c > 0))
        .filter_map(|a| a.az.as_deref())
        .collect();
    let other_of = |az: &str| other.iter().find(|(a, _)| *a == az).map(|(_, s)| *s);
    let offered =
        |az: &str| available.contains(&az) || sold_out.contains(&az) || other_of(az).is_some();
    let unknown: Vec<&str> = pinned.iter().copied().filter(|az| !offered(az)).collect();
    if !unknown.is_empty() {
        let all: Vec<&str> = flavor.status.phase.keys().map(String::as_str).collect();
        return Some((
            Severity::Error,
            format!(
                "flavor {wanted} is not offered in {} (it is offered in: {})",
                unknown.join(", "),
                if all.is_empty() {
                    "no AZ".to_string()
                } else {
                    all.join(", ")
                }
            ),
        ));
    }
    let pinned_sold_out: Vec<&str> = pinned
        .iter()
        .copied()
        .filter(|az| sold_out.contains(az))
        .collect();
    if !pinned_sold_out.is_empty() {
        let elsewhere = if available.is_empty() {
            "; choose another flavor (poolctl flavors --available)".to_string()
        } else {
            format!("; it is available in: {}", available.join(", "))
        };
        return Some((
            Severity::Error,
            format!(
                "flavor {wanted} is sold out in {}, where spec.resources puts nodes{elsewhere}",
                pinned_sold_out.join(", ")
            ),
        ));
    }
    let unjudged: Vec<String> = if pinned.is_empty() {
        if !available.is_empty() {
            return None;
        }
        other.iter().map(|(az, st)| format!("{az}: {st}")).collect()
    } else {
        pinned
            .iter()
            .filter_map(|az| other_of(az).map(|st| format!("{az}: {st}")))
            .collect()
    };
    if !unjudged.is_empty() {
        return Some((
            Severity::Warning,
            format!(
                "flavor {wanted} is in a state preflight does not know ({}); not judged",
                unjudged.join(", ")
            ),
        ));
    }
    if pinned.is_empty() {
        return Some((
            Severity::Error,
            format!(
                "flavor {wanted} is sold out in every AZ ({}); choose another flavor (poolctl \
                 flavors --available)",
                sold_out.join(", ")
            ),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::read::flavors;

    fn catalogue() -> Catalogue {
        let body = br#"{"items":[
          {"metadata":{"name":"modelarts.vm.cpu.8ud"},"status":{"phase":{"az-a":"normal","az-b":"normal"}}},
          {"metadata":{"name":"modelarts.vm.cpu.16u64"},"status":{"phase":{"az-a":"soldout","az-b":"normal"}}},
          {"metadata":{"name":"modelarts.vm.gpu.v100"},"spec":{"gpu":{"type":"v100","size":"1"}},"status":{"phase":{"az-a":"soldout","az-b":"soldout"}}},
          {"metadata":{"name":"modelarts.vm.gpu.nostate"},"status":{}}
        ]}"#;
        Ok(flavors(body)
            .unwrap()
            .into_iter()
            .map(|f| f.typed)
            .collect())
    }

    fn doc(yaml: &str) -> Document {
        crate::manifest::parse_text("pool.yaml", yaml, 1, Severity::Error)
            .unwrap()
            .remove(0)
    }

    fn messages(yaml: &str, networks: &[(&str, NetworkCheck)]) -> Vec<String> {
        let networks = networks
            .iter()
            .map(|(n, c)| (n.to_string(), c.clone()))
            .collect();
        judge(&doc(yaml), &catalogue(), &networks)
            .into_iter()
            .map(|d| format!("{}: {}", d.path, d.message))
            .collect()
    }

    const POOL: &str = "apiVersion: v2\nkind: Pool\nmetadata:\n  labels:\n    os.modelarts/name: pool-ae01\nspec:\n  type: Dedicate\n  scope: [Train]\n  network:\n    name: network-ci\n  resources:\n";

    #[test]
    fn flavors_are_judged_by_the_azs_they_may_use() {
        let active = [("network-ci", NetworkCheck::Found(Some("Active".into())))];
        let r = |res: &str| messages(&format!("{POOL}{res}"), &active);
        assert!(r("    - flavor: modelarts.vm.cpu.8ud\n      count: 1\n").is_empty());
        // Sold out in one AZ of two, no AZ named: the other one serves.
        assert!(r("    - flavor: modelarts.vm.cpu.16u64\n      count: 1\n").is_empty());
        let pinned = r("    - flavor: modelarts.vm.cpu.16u64\n      count: 1\n      azs:\n        - az: az-a\n          count: 1\n");
        assert_eq!(pinned.len(), 1, "{pinned:?}");
        assert!(
            pinned[0].contains("sold out in az-a") && pinned[0].contains("available in: az-b"),
            "{pinned:?}"
        );
        // A zero count in a sold-out AZ puts no node there.
        assert!(r("    - flavor: modelarts.vm.cpu.16u64\n      count: 1\n      azs:\n        - az: az-a\n          count: 0\n        - az: az-b\n          count: 1\n").is_empty());
        let everywhere = r("    - flavor: modelarts.vm.gpu.v100\n      count: 1\n");
        assert_eq!(everywhere, ["spec.resources[0].flavor: flavor modelarts.vm.gpu.v100 is sold out in every AZ (az-a, az-b); choose another flavor (poolctl flavors --available)"]);
        let typo = r("    - flavor: modelarts.vm.cpu.8u\n      count: 1\n");
        assert!(
            typo[0].ends_with("did you mean modelarts.vm.cpu.8ud?"),
            "{typo:?}"
        );
        let far = r("    - flavor: something-else-entirely\n      count: 1\n");
        assert!(far[0].ends_with("see: poolctl flavors"), "{far:?}");
        let unknown_az = r("    - flavor: modelarts.vm.cpu.8ud\n      count: 1\n      azs:\n        - az: az-z\n          count: 1\n");
        assert!(
            unknown_az[0].contains("not offered in az-z (it is offered in: az-a, az-b)"),
            "{unknown_az:?}"
        );
        // No AZ states: nothing to judge by.
        assert!(r("    - flavor: modelarts.vm.gpu.nostate\n      count: 1\n").is_empty());
    }

    #[test]
    fn networks_must_exist_and_be_active() {
        let res = "    - flavor: modelarts.vm.cpu.8ud\n      count: 1\n";
        let yaml = format!("{POOL}{res}");
        let missing = messages(&yaml, &[("network-ci", NetworkCheck::Missing)]);
        assert_eq!(
            missing,
            ["spec.network.name: network network-ci does not exist (the service answered 404)"]
        );
        let creating = messages(
            &yaml,
            &[("network-ci", NetworkCheck::Found(Some("Creating".into())))],
        );
        assert!(
            creating[0].contains("is Creating, not Active"),
            "{creating:?}"
        );
        // Unknown (a warning elsewhere) and no phase at all: no error.
        assert!(messages(
            &yaml,
            &[("network-ci", NetworkCheck::Unknown("403".into()))]
        )
        .is_empty());
        assert!(messages(&yaml, &[("network-ci", NetworkCheck::Found(None))]).is_empty());
    }

    #[test]
    fn unread_flavors_judge_nothing() {
        let d = doc(&format!("{POOL}    - flavor: nope\n      count: 1\n"));
        assert!(judge(&d, &Err("403".into()), &HashMap::new()).is_empty());
    }
}
