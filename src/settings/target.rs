//! Where requests go and who sends them: flags, environment and the
//! credentials file become one plain [`Target`] before any request.
//!
//! | setting | sources, first wins |
//! |---|---|
//! | endpoint | `--endpoint`; `POOLCTL_ENDPOINT`; from `--region`/`POOLCTL_REGION`: `HUAWEICLOUD_SDK_REGION_MODELARTS_<ID>`, the regions file, the built-in table ([`super::regions`]); else a usage error |
//! | project id | `--project-id`; `POOLCTL_PROJECT_ID`; `HUAWEICLOUD_SDK_PROJECT_ID`; the file's `project_id`; else looked up through IAM (needs a region) |
//! | region for the project lookup | `--region`; `POOLCTL_REGION`; the `{region}` of an endpoint `https://modelarts.{region}.{domain}` |
//! | IAM endpoint | `--iam-endpoint`; `POOLCTL_IAM_ENDPOINT`; `HUAWEICLOUD_SDK_IAM_ENDPOINT`; the file's `iam_endpoint`; with an endpoint given (or from the region variable or file), `modelarts.X` → `iam.X` on its own domain (another host: itself); else the region table's IAM host |
//! | credentials | see [`super::credentials`] |

use std::path::Path;

use super::credentials::{resolve_credentials, FoundCredentials};
use super::regions::{self, EndpointSource, RegionEndpoints};
use super::{env_value, first, Env, ENDPOINT, IAM_ENDPOINT, PROJECT_ID, REGION};
use crate::auth::{
    iam_endpoint, iam_endpoint_of, modelarts_endpoint, region_of, CredentialSource, Credentials,
};
use crate::error::Error;

/// Everything a client needs to reach the service, resolved before any request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// ModelArts endpoint, without a trailing `/`.
    pub endpoint: String,
    /// The region's further endpoints (the SDK's list of several), tried in
    /// turn when the one before cannot be reached.
    pub fallback_endpoints: Vec<String>,
    pub endpoint_source: EndpointSource,
    pub project: Project,
    pub credentials: Credentials,
    /// Where the credentials came from, for `-v`.
    pub credential_source: CredentialSource,
}

/// The project every pool path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Project {
    /// Given, by a flag, the environment or the credentials file.
    Id(String),
    /// To be looked up through IAM (`GET {iam_endpoint}/v3/projects?name={region}`)
    /// before the first request.
    LookUp {
        region: String,
        iam_endpoint: String,
    },
}

/// The flags that say where to go, as given (before any fallback).
#[derive(Debug, Clone, Default)]
pub struct TargetFlags {
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub project_id: Option<String>,
    pub iam_endpoint: Option<String>,
}

pub(super) fn check_url(flag: &str, url: &str) -> Result<String, Error> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || url.len() <= 8 {
        return Err(Error::usage_hint(
            format!("{flag} `{url}` is not an http(s) URL"),
            "write it like https://modelarts.ap-southeast-3.myhuaweicloud.com",
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Resolves the target of `flags` with the environment `env` and the home
/// directory `home` (where the credentials file is).
pub fn resolve_target(
    flags: TargetFlags,
    env: Env<'_>,
    home: Option<&Path>,
) -> Result<Target, Error> {
    let region = first(flags.region, env, REGION);

    // An endpoint that was given names its own cloud: IAM is looked for on
    // its domain, never in another cloud's table. So does one the user set
    // for the region (its variable, the regions file).
    let flag = flags
        .endpoint
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty());
    let given = match flag {
        Some(e) => Some((e, EndpointSource::Flag)),
        None => ENDPOINT
            .iter()
            .find_map(|n| env_value(env, n))
            .map(|e| (e, EndpointSource::Environment)),
    };
    let (endpoints, endpoint_source) = match (given, &region) {
        (Some((e, source)), _) => (vec![check_url("--endpoint", &e)?], source),
        (None, Some(r)) => {
            let RegionEndpoints { endpoints, source } = region_endpoints(r, env, home)?;
            (endpoints, source)
        }
        (None, None) => {
            return Err(Error::usage_hint(
                "no endpoint: set --region (POOLCTL_REGION) or --endpoint (POOLCTL_ENDPOINT)",
                "e.g. --region ap-southeast-3 (Open Telekom Cloud: --region eu-de), \
                 or try it with no account: add --emulator",
            ))
        }
    };
    let given = endpoint_source != EndpointSource::Table;
    let mut endpoints = endpoints.into_iter();
    let endpoint = endpoints.next().unwrap_or_default();
    let fallback_endpoints: Vec<String> = endpoints.collect();

    let FoundCredentials {
        credentials,
        project_id: found_project,
        iam_endpoint: found_iam,
        source,
    } = resolve_credentials(env, home)?;

    let region = region.or_else(|| given.then(|| region_of(&endpoint)).flatten());
    let project = match (
        first(flags.project_id, env, PROJECT_ID).or(found_project),
        region,
    ) {
        (Some(id), _) => Project::Id(id),
        (None, Some(region)) => {
            let iam = match first(flags.iam_endpoint, env, IAM_ENDPOINT).or(found_iam) {
                Some(url) => check_url("--iam-endpoint", &url)?,
                None if given => iam_endpoint_of(&endpoint).unwrap_or_else(|| endpoint.clone()),
                None => iam_endpoint(&region),
            };
            Project::LookUp {
                region,
                iam_endpoint: iam,
            }
        }
        (None, None) => {
            return Err(Error::usage_hint(
                "no project id, and no region to look it up from",
                "set --project-id ID (POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID), \
                 or --region (POOLCTL_REGION) so it is looked up through IAM \
                 (at --iam-endpoint URL, POOLCTL_IAM_ENDPOINT, when the endpoint's domain has no iam host)",
            ))
        }
    };

    Ok(Target {
        endpoint,
        fallback_endpoints,
        endpoint_source,
        project,
        credentials,
        credential_source: source,
    })
}

/// The endpoints of `region`: its variable, the regions file, the built-in
/// table. In none of them: a usage error that says where it looked.
fn region_endpoints(
    region: &str,
    env: Env<'_>,
    home: Option<&Path>,
) -> Result<RegionEndpoints, Error> {
    let mut looked_at = Vec::new();
    let mut file_ids = Vec::new();
    if let Some(found) = regions::lookup(region, env, home, &mut looked_at, &mut file_ids)? {
        return Ok(found);
    }
    match modelarts_endpoint(region) {
        Ok(e) => Ok(RegionEndpoints {
            endpoints: vec![e],
            source: EndpointSource::Table,
        }),
        Err(e) => {
            looked_at.push("the built-in table (not in it)".into());
            let mut hint = e.hint().unwrap_or_default();
            if !file_ids.is_empty() {
                file_ids.dedup();
                hint.push_str(&format!(
                    "\n  the regions file has: {}",
                    file_ids.join(", ")
                ));
            }
            hint.push_str(&format!("\n  looked at: {}", looked_at.join(", ")));
            hint.push_str(&format!(
                "\n  a region of your own: name its endpoint with {}=URL, or in the \
                 regions file (modelarts: [{{id: {region}, endpoint: URL}}])",
                regions::variable_of(region)
            ));
            Err(Error::usage_hint(e.to_string(), hint))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::{
        Secret, ENV_AK, ENV_AUTH_TOKEN, ENV_IAM_ENDPOINT, ENV_PROJECT_ID, ENV_SK,
    };
    use crate::settings::tests::env_of;

    fn flags(region: Option<&str>, endpoint: Option<&str>) -> TargetFlags {
        TargetFlags {
            region: region.map(str::to_string),
            endpoint: endpoint.map(str::to_string),
            ..TargetFlags::default()
        }
    }

    const KEYS: &[(&str, &str)] = &[(ENV_AK, "ak"), (ENV_SK, "sk")];

    fn home_with_file(content: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".huaweicloud")).unwrap();
        std::fs::write(dir.path().join(".huaweicloud/credentials"), content).unwrap();
        dir
    }

    fn lookup(region: &str, iam: &str) -> Project {
        Project::LookUp {
            region: region.into(),
            iam_endpoint: iam.into(),
        }
    }

    #[test]
    fn endpoint_from_region() {
        let t = resolve_target(flags(Some("cn-north-4"), None), &env_of(KEYS), None).unwrap();
        assert_eq!(t.endpoint, "https://modelarts.cn-north-4.myhuaweicloud.com");
        assert_eq!(
            t.project,
            lookup("cn-north-4", "https://iam.cn-north-4.myhuaweicloud.com")
        );
        assert_eq!(t.credential_source, CredentialSource::Environment);
    }

    #[test]
    fn endpoint_flag_beats_region_and_the_environment() {
        let env = env_of(&[
            (ENV_AK, "ak"),
            (ENV_SK, "sk"),
            ("POOLCTL_ENDPOINT", "http://env.example:1"),
        ]);
        let t = resolve_target(
            flags(Some("mars-north-1"), Some("http://127.0.0.1:8765/")),
            &env,
            None,
        )
        .unwrap();
        // An explicit endpoint needs no table entry.
        assert_eq!(t.endpoint, "http://127.0.0.1:8765");
        // IAM is the given endpoint's host, never another cloud's.
        assert_eq!(t.project, lookup("mars-north-1", "http://127.0.0.1:8765"));
        // Without the flag, the variable beats the region.
        let t = resolve_target(flags(Some("cn-north-4"), None), &env, None).unwrap();
        assert_eq!(t.endpoint, "http://env.example:1");
    }

    #[test]
    fn open_telekom_cloud_by_region_or_by_endpoint() {
        let t = resolve_target(flags(Some("eu-de"), None), &env_of(KEYS), None).unwrap();
        assert_eq!(t.endpoint, "https://modelarts.eu-de.otc.t-systems.com");
        assert_eq!(
            t.project,
            lookup("eu-de", "https://iam.eu-de.otc.t-systems.com")
        );
        // The endpoint alone names the region and the IAM host.
        let t = resolve_target(
            flags(None, Some("https://modelarts.eu-nl.otc.t-systems.com")),
            &env_of(KEYS),
            None,
        )
        .unwrap();
        assert_eq!(
            t.project,
            lookup("eu-nl", "https://iam.eu-nl.otc.t-systems.com")
        );
        // A region and an endpoint on OTC: IAM from the endpoint's domain.
        let t = resolve_target(
            flags(
                Some("eu-de"),
                Some("https://modelarts.eu-de.otc.t-systems.com"),
            ),
            &env_of(KEYS),
            None,
        )
        .unwrap();
        assert_eq!(
            t.project,
            lookup("eu-de", "https://iam.eu-de.otc.t-systems.com")
        );
    }

    #[test]
    fn unknown_region_without_endpoint_is_usage() {
        let err =
            resolve_target(flags(Some("mars-north-1"), None), &env_of(KEYS), None).unwrap_err();
        assert_eq!(err.exit_status().code(), 2);
        assert!(err.hint().unwrap().contains("ap-southeast-1"));
    }

    #[test]
    fn no_region_and_no_endpoint_is_usage() {
        let err = resolve_target(flags(None, None), &env_of(KEYS), None).unwrap_err();
        assert_eq!(err.exit_status().code(), 2);
        let text = err.to_string();
        assert!(
            text.contains("--region") && text.contains("--endpoint"),
            "{text}"
        );
    }

    #[test]
    fn the_sdk_region_sources_come_before_the_table() {
        let var = "HUAWEICLOUD_SDK_REGION_MODELARTS_CN_NORTH_4";
        let env = env_of(&[
            (ENV_AK, "ak"),
            (ENV_SK, "sk"),
            (
                var,
                "https://modelarts.cn-north-4.example.com,https://b.example.com",
            ),
        ]);
        let t = resolve_target(flags(Some("cn-north-4"), None), &env, None).unwrap();
        assert_eq!(t.endpoint, "https://modelarts.cn-north-4.example.com");
        assert_eq!(t.fallback_endpoints, ["https://b.example.com"]);
        assert_eq!(
            t.endpoint_source,
            EndpointSource::RegionVariable(var.into())
        );
        // IAM from the endpoint's own domain, as for a given endpoint.
        assert_eq!(
            t.project,
            lookup("cn-north-4", "https://iam.cn-north-4.example.com")
        );
        // --endpoint and POOLCTL_ENDPOINT stay above them.
        let t = resolve_target(
            flags(Some("cn-north-4"), Some("https://flag.example.com")),
            &env,
            None,
        )
        .unwrap();
        assert_eq!(
            (t.endpoint.as_str(), t.endpoint_source),
            ("https://flag.example.com", EndpointSource::Flag)
        );
        assert!(t.fallback_endpoints.is_empty());
        // A region only the regions file knows.
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join(".huaweicloud")).unwrap();
        std::fs::write(
            home.path().join(".huaweicloud/regions.yaml"),
            "modelarts:\n  - id: my-region-1\n    endpoint: modelarts.my-region-1.example.org\n",
        )
        .unwrap();
        let t = resolve_target(flags(Some("my-region-1"), None), &env, Some(home.path())).unwrap();
        assert_eq!(t.endpoint, "https://modelarts.my-region-1.example.org");
        assert_eq!(
            t.project,
            lookup("my-region-1", "https://iam.my-region-1.example.org")
        );
        // In none of them: where it looked, and what the file has.
        let err =
            resolve_target(flags(Some("mars-north-1"), None), &env, Some(home.path())).unwrap_err();
        assert_eq!(err.exit_status().code(), 2);
        let hint = err.hint().unwrap();
        for part in [
            "HUAWEICLOUD_SDK_REGION_MODELARTS_MARS_NORTH_1 (not set)",
            "regions.yaml (no region mars-north-1 under modelarts)",
            "the built-in table (not in it)",
            "the regions file has: my-region-1",
            "ap-southeast-1",
        ] {
            assert!(hint.contains(part), "{hint} should say {part}");
        }
    }

    #[test]
    fn bad_endpoint_url_is_usage() {
        let err = resolve_target(
            flags(None, Some("modelarts.example.com")),
            &env_of(KEYS),
            None,
        )
        .unwrap_err();
        assert_eq!(err.exit_status().code(), 2);
    }

    #[test]
    fn project_id_precedence() {
        let home = home_with_file("[basic]\nak=a\nsk=s\nproject_id=file\n");
        let base = || flags(Some("cn-north-4"), None);
        let id = |t: Target| match t.project {
            Project::Id(id) => id,
            other => panic!("{other:?}"),
        };
        // The file alone.
        let t = resolve_target(base(), &env_of(&[]), Some(home.path())).unwrap();
        assert_eq!(id(t), "file");
        // HUAWEICLOUD_SDK_PROJECT_ID beats the file.
        let env = env_of(&[(ENV_PROJECT_ID, "sdkenv")]);
        let t = resolve_target(base(), &env, Some(home.path())).unwrap();
        assert_eq!(id(t), "sdkenv");
        // POOLCTL_PROJECT_ID beats both.
        let env = env_of(&[(ENV_PROJECT_ID, "sdkenv"), ("POOLCTL_PROJECT_ID", "ours")]);
        let t = resolve_target(base(), &env, Some(home.path())).unwrap();
        assert_eq!(id(t), "ours");
        // --project-id beats everything.
        let t = resolve_target(
            TargetFlags {
                project_id: Some("flag".into()),
                ..base()
            },
            &env,
            Some(home.path()),
        )
        .unwrap();
        assert_eq!(id(t), "flag");
    }

    #[test]
    fn iam_endpoint_precedence() {
        let home = home_with_file("[basic]\nak=a\nsk=s\niam_endpoint=https://iam.file/\n");
        let base = || flags(Some("cn-north-4"), None);
        let t = resolve_target(base(), &env_of(&[]), Some(home.path())).unwrap();
        assert_eq!(t.project, lookup("cn-north-4", "https://iam.file"));
        let env = env_of(&[(ENV_IAM_ENDPOINT, "https://iam.sdkenv")]);
        let t = resolve_target(base(), &env, Some(home.path())).unwrap();
        assert_eq!(t.project, lookup("cn-north-4", "https://iam.sdkenv"));
        let env = env_of(&[
            (ENV_IAM_ENDPOINT, "https://iam.sdkenv"),
            ("POOLCTL_IAM_ENDPOINT", "https://iam.ours"),
        ]);
        let t = resolve_target(base(), &env, Some(home.path())).unwrap();
        assert_eq!(t.project, lookup("cn-north-4", "https://iam.ours"));
        let t = resolve_target(
            TargetFlags {
                iam_endpoint: Some("https://iam.flag".into()),
                ..base()
            },
            &env,
            Some(home.path()),
        )
        .unwrap();
        assert_eq!(t.project, lookup("cn-north-4", "https://iam.flag"));
        // Nothing given: derived from the region.
        let t = resolve_target(base(), &env_of(KEYS), None).unwrap();
        assert_eq!(
            t.project,
            lookup("cn-north-4", "https://iam.cn-north-4.myhuaweicloud.com")
        );
    }

    #[test]
    fn no_project_and_no_region_is_usage() {
        let err = resolve_target(flags(None, Some("http://127.0.0.1:1")), &env_of(KEYS), None)
            .unwrap_err();
        assert_eq!(err.exit_status().code(), 2);
        let hint = err.hint().unwrap();
        assert!(
            hint.contains("--project-id") && hint.contains("--iam-endpoint"),
            "{hint}"
        );
        // With a project id, no region is needed.
        let t = resolve_target(
            TargetFlags {
                project_id: Some("p".into()),
                ..flags(None, Some("http://127.0.0.1:1"))
            },
            &env_of(KEYS),
            None,
        )
        .unwrap();
        assert_eq!(t.project, Project::Id("p".into()));
    }

    #[test]
    fn token_auth_target() {
        let t = resolve_target(
            flags(Some("cn-north-4"), None),
            &env_of(&[(ENV_AUTH_TOKEN, "tok"), (ENV_AK, "a"), (ENV_SK, "s")]),
            None,
        )
        .unwrap();
        assert_eq!(t.credentials, Credentials::Token(Secret::new("tok")));
    }

    #[test]
    fn missing_credentials_come_after_usage_checks() {
        let home = tempfile::tempdir().unwrap();
        let err = resolve_target(flags(None, None), &env_of(&[]), Some(home.path())).unwrap_err();
        assert_eq!(err.exit_status().code(), 2);
        // Nothing in the environment or the file: the metadata service is
        // next, asked when the service is first needed.
        let t = resolve_target(
            flags(Some("cn-north-4"), None),
            &env_of(&[]),
            Some(home.path()),
        )
        .unwrap();
        assert!(matches!(t.credentials, Credentials::EcsMetadata { .. }));
        // With it turned off, there are none.
        let err = resolve_target(
            flags(Some("cn-north-4"), None),
            &env_of(&[("POOLCTL_METADATA_ENDPOINT", "off")]),
            Some(home.path()),
        )
        .unwrap_err();
        assert_eq!(err.exit_status().code(), 4);
        assert!(matches!(err, Error::NoCredentials { .. }));
    }

    #[test]
    fn target_debug_has_no_secret() {
        let t = resolve_target(
            flags(Some("cn-north-4"), None),
            &env_of(&[(ENV_AK, "a"), (ENV_SK, "SK-CANARY-42")]),
            None,
        )
        .unwrap();
        assert!(!format!("{t:?}").contains("SK-CANARY-42"));
    }
}
