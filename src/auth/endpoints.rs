//! Settings resolution: flags, environment and the credentials file become
//! one plain [`Target`] before any request is made (DESIGN.md §2, uv style).
//!
//! | setting | sources, first wins |
//! |---|---|
//! | endpoint | `--endpoint`/`POOLCTL_ENDPOINT`; the SDK table from `--region`/`POOLCTL_REGION`; else a usage error |
//! | project id | `--project-id`/`POOLCTL_PROJECT_ID`; `HUAWEICLOUD_SDK_PROJECT_ID`; the file's `project_id`; else looked up through IAM (needs a region) |
//! | IAM endpoint | `--iam-endpoint`/`POOLCTL_IAM_ENDPOINT`; `HUAWEICLOUD_SDK_IAM_ENDPOINT`; the file's `iam_endpoint`; `https://iam.{region}.myhuaweicloud.com` |
//! | credentials | see [`super::credentials`] |
//!
//! clap reads the `POOLCTL_*` variables into [`GlobalArgs`]; this module reads
//! the SDK's own variables and the file.

use std::path::Path;

use super::credentials::{resolve_credentials, CredentialSource, Credentials, Env};
use crate::cli::GlobalArgs;
use crate::error::Error;

/// The regions of the SDK's ModelArts region table (api/NOTES.md).
pub const REGIONS: &[&str] = &[
    "cn-north-1",
    "cn-north-2",
    "cn-north-4",
    "cn-north-9",
    "cn-north-11",
    "cn-north-12",
    "cn-south-1",
    "cn-east-3",
    "cn-east-4",
    "cn-southwest-2",
    "cn-southwest-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "la-south-2",
    "la-north-2",
    "af-south-1",
    "af-north-1",
    "tr-west-1",
    "me-east-1",
    "sa-brazil-1",
];

/// The ModelArts endpoint of a region in the SDK table; an unknown region is
/// a usage error that lists the known ones.
pub fn modelarts_endpoint(region: &str) -> Result<String, Error> {
    if !REGIONS.contains(&region) {
        return Err(Error::usage_hint(
            format!("unknown region `{region}`"),
            format!(
                "known regions: {}; or give the endpoint with --endpoint URL",
                REGIONS.join(", ")
            ),
        ));
    }
    Ok(if region == "ap-southeast-1" {
        // The one exception in the SDK table.
        "https://modelarts.ap-southeast-1.myhuaweicloud.cn".to_string()
    } else {
        format!("https://modelarts.{region}.myhuaweicloud.com")
    })
}

/// The IAM endpoint derived from a region.
pub fn iam_endpoint(region: &str) -> String {
    format!("https://iam.{region}.myhuaweicloud.com")
}

/// Everything a client needs, resolved before any request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// ModelArts endpoint, without a trailing `/`.
    pub endpoint: String,
    /// IAM endpoint for the project lookup; `None` only when no lookup can
    /// happen (a project id is known and there is no region).
    pub iam_endpoint: Option<String>,
    pub region: Option<String>,
    /// `None`: look it up through IAM from `region` (which is then set).
    pub project_id: Option<String>,
    pub credentials: Credentials,
    /// Where the credentials came from, for `-v`.
    pub credential_source: CredentialSource,
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn check_url(flag: &str, url: &str) -> Result<String, Error> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || url.len() <= 8 {
        return Err(Error::usage_hint(
            format!("{flag} `{url}` is not an http(s) URL"),
            "write it like https://modelarts.ap-southeast-3.myhuaweicloud.com",
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Resolves the settings of `args` with the environment `env` and the home
/// directory `home`.
pub fn resolve_target(
    args: &GlobalArgs,
    env: Env<'_>,
    home: Option<&Path>,
) -> Result<Target, Error> {
    let region = non_empty(&args.region);

    let endpoint = match (non_empty(&args.endpoint), &region) {
        (Some(e), _) => check_url("--endpoint", &e)?,
        (None, Some(r)) => modelarts_endpoint(r)?,
        (None, None) => {
            return Err(Error::usage_hint(
                "no endpoint: set --region (POOLCTL_REGION) or --endpoint (POOLCTL_ENDPOINT)",
                "e.g. --region ap-southeast-3, or try it with no account: add --emulator",
            ))
        }
    };

    let found = resolve_credentials(env, home)?;

    let project_id = non_empty(&args.project_id).or(found.project_id);
    if project_id.is_none() && region.is_none() {
        return Err(Error::usage_hint(
            "no project id, and no region to look it up from",
            "set --project-id (POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID), \
             or --region (POOLCTL_REGION) so it is looked up through IAM",
        ));
    }

    let iam = match non_empty(&args.iam_endpoint).or(found.iam_endpoint) {
        Some(url) => Some(check_url("--iam-endpoint", &url)?),
        None => region.as_deref().map(iam_endpoint),
    };

    Ok(Target {
        endpoint,
        iam_endpoint: iam,
        region,
        project_id,
        credentials: found.credentials,
        credential_source: found.source,
    })
}

/// [`resolve_target`] with the process environment and home directory.
pub fn resolve_target_from_process(args: &GlobalArgs) -> Result<Target, Error> {
    let env = |k: &str| std::env::var(k).ok();
    let home = std::env::home_dir();
    resolve_target(args, &env, home.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::{
        Secret, ENV_AK, ENV_AUTH_TOKEN, ENV_IAM_ENDPOINT, ENV_PROJECT_ID, ENV_SK,
    };
    use crate::cli::Cli;
    use clap::Parser;
    use std::collections::HashMap;

    /// GlobalArgs as clap builds them from a command line (POOLCTL_* variables
    /// of the test process are not set in CI; the fields are what matter).
    fn args(extra: &[&str]) -> GlobalArgs {
        let mut argv = vec!["poolctl"];
        argv.extend_from_slice(extra);
        argv.push("schema");
        let mut global = Cli::parse_from(argv).global;
        // Ignore whatever POOLCTL_* the developer's shell may hold.
        for (flag, field) in [
            ("--region", &mut global.region),
            ("--endpoint", &mut global.endpoint),
            ("--project-id", &mut global.project_id),
            ("--iam-endpoint", &mut global.iam_endpoint),
        ] {
            if !extra.contains(&flag) {
                *field = None;
            }
        }
        global
    }

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    const KEYS: &[(&str, &str)] = &[(ENV_AK, "ak"), (ENV_SK, "sk")];

    fn home_with_file(content: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".huaweicloud")).unwrap();
        std::fs::write(dir.path().join(".huaweicloud/credentials"), content).unwrap();
        dir
    }

    #[test]
    fn region_table() {
        assert_eq!(
            modelarts_endpoint("ap-southeast-3").unwrap(),
            "https://modelarts.ap-southeast-3.myhuaweicloud.com"
        );
        assert_eq!(
            modelarts_endpoint("ap-southeast-1").unwrap(),
            "https://modelarts.ap-southeast-1.myhuaweicloud.cn"
        );
        assert_eq!(
            iam_endpoint("ap-southeast-1"),
            "https://iam.ap-southeast-1.myhuaweicloud.com"
        );
        let err = modelarts_endpoint("mars-north-1").unwrap_err();
        assert_eq!(err.exit_code().code(), 2);
        assert!(err.to_string().contains("mars-north-1"));
        let hint = err.hint().unwrap();
        for r in REGIONS {
            assert!(hint.contains(r), "{hint} should list {r}");
        }
    }

    #[test]
    fn endpoint_from_region() {
        let t = resolve_target(&args(&["--region", "cn-north-4"]), &env_of(KEYS), None).unwrap();
        assert_eq!(t.endpoint, "https://modelarts.cn-north-4.myhuaweicloud.com");
        assert_eq!(
            t.iam_endpoint.as_deref(),
            Some("https://iam.cn-north-4.myhuaweicloud.com")
        );
        assert_eq!(t.region.as_deref(), Some("cn-north-4"));
        assert_eq!(t.project_id, None);
        assert_eq!(t.credential_source, CredentialSource::Environment);
    }

    #[test]
    fn endpoint_flag_beats_region() {
        let t = resolve_target(
            &args(&[
                "--region",
                "mars-north-1",
                "--endpoint",
                "http://127.0.0.1:8765/",
            ]),
            &env_of(KEYS),
            None,
        )
        .unwrap();
        // An explicit endpoint needs no table entry (e.g. Open Telekom Cloud).
        assert_eq!(t.endpoint, "http://127.0.0.1:8765");
        assert_eq!(
            t.iam_endpoint.as_deref(),
            Some("https://iam.mars-north-1.myhuaweicloud.com")
        );
    }

    #[test]
    fn unknown_region_without_endpoint_is_usage() {
        let err =
            resolve_target(&args(&["--region", "mars-north-1"]), &env_of(KEYS), None).unwrap_err();
        assert_eq!(err.exit_code().code(), 2);
        assert!(err.hint().unwrap().contains("ap-southeast-1"));
    }

    #[test]
    fn no_region_and_no_endpoint_is_usage() {
        let err = resolve_target(&args(&[]), &env_of(KEYS), None).unwrap_err();
        assert_eq!(err.exit_code().code(), 2);
        let text = err.to_string();
        assert!(
            text.contains("--region") && text.contains("--endpoint"),
            "{text}"
        );
    }

    #[test]
    fn bad_endpoint_url_is_usage() {
        let err = resolve_target(
            &args(&["--endpoint", "modelarts.example.com"]),
            &env_of(KEYS),
            None,
        )
        .unwrap_err();
        assert_eq!(err.exit_code().code(), 2);
    }

    #[test]
    fn project_id_precedence() {
        let home = home_with_file("[basic]\nak=a\nsk=s\nproject_id=file\n");
        let base = ["--region", "cn-north-4"];
        // The file alone.
        let t = resolve_target(&args(&base), &env_of(&[]), Some(home.path())).unwrap();
        assert_eq!(t.project_id.as_deref(), Some("file"));
        // HUAWEICLOUD_SDK_PROJECT_ID beats the file.
        let env = env_of(&[(ENV_PROJECT_ID, "sdkenv")]);
        let t = resolve_target(&args(&base), &env, Some(home.path())).unwrap();
        assert_eq!(t.project_id.as_deref(), Some("sdkenv"));
        // --project-id (or POOLCTL_PROJECT_ID, read by clap) beats both.
        let t = resolve_target(
            &args(&["--region", "cn-north-4", "--project-id", "flag"]),
            &env,
            Some(home.path()),
        )
        .unwrap();
        assert_eq!(t.project_id.as_deref(), Some("flag"));
    }

    #[test]
    fn iam_endpoint_precedence() {
        let home = home_with_file("[basic]\nak=a\nsk=s\niam_endpoint=https://iam.file/\n");
        let base = ["--region", "cn-north-4"];
        let t = resolve_target(&args(&base), &env_of(&[]), Some(home.path())).unwrap();
        assert_eq!(t.iam_endpoint.as_deref(), Some("https://iam.file"));
        let env = env_of(&[(ENV_IAM_ENDPOINT, "https://iam.sdkenv")]);
        let t = resolve_target(&args(&base), &env, Some(home.path())).unwrap();
        assert_eq!(t.iam_endpoint.as_deref(), Some("https://iam.sdkenv"));
        let t = resolve_target(
            &args(&[
                "--region",
                "cn-north-4",
                "--iam-endpoint",
                "https://iam.flag",
            ]),
            &env,
            Some(home.path()),
        )
        .unwrap();
        assert_eq!(t.iam_endpoint.as_deref(), Some("https://iam.flag"));
        // Nothing given: derived from the region.
        let t = resolve_target(&args(&base), &env_of(KEYS), None).unwrap();
        assert_eq!(
            t.iam_endpoint.as_deref(),
            Some("https://iam.cn-north-4.myhuaweicloud.com")
        );
    }

    #[test]
    fn no_project_and_no_region_is_usage() {
        let err = resolve_target(
            &args(&["--endpoint", "http://127.0.0.1:1"]),
            &env_of(KEYS),
            None,
        )
        .unwrap_err();
        assert_eq!(err.exit_code().code(), 2);
        assert!(err.hint().unwrap().contains("--project-id"));
        // With a project id, no region is needed and there is no IAM endpoint.
        let t = resolve_target(
            &args(&["--endpoint", "http://127.0.0.1:1", "--project-id", "p"]),
            &env_of(KEYS),
            None,
        )
        .unwrap();
        assert_eq!(t.iam_endpoint, None);
    }

    #[test]
    fn token_auth_target() {
        let t = resolve_target(
            &args(&["--region", "cn-north-4"]),
            &env_of(&[(ENV_AUTH_TOKEN, "tok"), (ENV_AK, "a"), (ENV_SK, "s")]),
            None,
        )
        .unwrap();
        assert_eq!(t.credentials, Credentials::Token(Secret::new("tok")));
    }

    #[test]
    fn missing_credentials_come_after_usage_checks() {
        let home = tempfile::tempdir().unwrap();
        let err = resolve_target(&args(&[]), &env_of(&[]), Some(home.path())).unwrap_err();
        assert_eq!(err.exit_code().code(), 2);
        let err = resolve_target(
            &args(&["--region", "cn-north-4"]),
            &env_of(&[]),
            Some(home.path()),
        )
        .unwrap_err();
        assert_eq!(err.exit_code().code(), 4);
        assert!(matches!(err, Error::NoCredentials { .. }));
    }

    #[test]
    fn target_debug_has_no_secret() {
        let t = resolve_target(
            &args(&["--region", "cn-north-4"]),
            &env_of(&[(ENV_AK, "a"), (ENV_SK, "SK-CANARY-42")]),
            None,
        )
        .unwrap();
        assert!(!format!("{t:?}").contains("SK-CANARY-42"));
    }
}
