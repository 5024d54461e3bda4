//! The credential chain (api/NOTES.md "Credential sources"), in this order:
//!
//! 1. `POOLCTL_AUTH_TOKEN`: token auth (`X-Auth-Token`), no signing.
//! 2. Environment: `HUAWEICLOUD_SDK_AK` / `HUAWEICLOUD_SDK_SK`
//!    (+ `HUAWEICLOUD_SDK_SECURITY_TOKEN`, `HUAWEICLOUD_SDK_PROJECT_ID`,
//!    `HUAWEICLOUD_SDK_IAM_ENDPOINT`).
//! 3. The SDK credentials file: `$HUAWEICLOUD_SDK_CREDENTIALS_FILE` if set,
//!    else `~/.huaweicloud/credentials`; INI, section `[basic]`, keys `ak`,
//!    `sk`, `project_id`, `security_token`, `iam_endpoint`.
//! 4. The ECS metadata service (`POOLCTL_METADATA_ENDPOINT`, else
//!    `http://169.254.169.254`; `off` skips it): temporary credentials of
//!    the ECS's agency. Settings only say where it is: asking it is a
//!    request, which the client makes when it first needs credentials
//!    ([`crate::auth::metadata`]).
//!
//! As in the official SDKs, the first source that holds credentials is the one
//! used; the others are not read. `HUAWEICLOUD_SDK_PROJECT_ID` and
//! `HUAWEICLOUD_SDK_IAM_ENDPOINT` also apply to credentials from the file
//! and from the metadata service, and win over the file's own `project_id`
//! / `iam_endpoint`. Unlike the SDKs, a source that holds half of a key
//! pair (an AK without an SK) is an error, not a reason to go on to the
//! next: the next would sign as someone else.
//!
//! The environment and the home directory are parameters, so every source and
//! every precedence rule is tested without touching the process.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{env_value, Env};
use crate::auth::credentials::{
    unsendable, CredentialSource, Credentials, Secret, ENV_AK, ENV_AUTH_TOKEN,
    ENV_CREDENTIALS_FILE, ENV_IAM_ENDPOINT, ENV_PROJECT_ID, ENV_SECURITY_TOKEN, ENV_SK,
};
use crate::auth::metadata::{self, ENV_METADATA_ENDPOINT};
use crate::error::Error;

/// The section of the credentials file that holds the keys.
pub const FILE_SECTION: &str = "basic";

/// A credentials file larger than this is refused rather than read.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The outcome of the credential chain: the credentials, and the project id
/// and IAM endpoint that came with them (environment first, then the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCredentials {
    pub credentials: Credentials,
    pub project_id: Option<String>,
    pub iam_endpoint: Option<String>,
    pub source: CredentialSource,
}

/// The path of the credentials file: `$HUAWEICLOUD_SDK_CREDENTIALS_FILE`,
/// else `~/.huaweicloud/credentials` (None when there is no home directory).
pub fn credentials_file_path(env: Env<'_>, home: Option<&Path>) -> Option<PathBuf> {
    match env_value(env, ENV_CREDENTIALS_FILE) {
        Some(p) => Some(PathBuf::from(p)),
        None => home.map(|h| h.join(".huaweicloud").join("credentials")),
    }
}

/// Runs the chain, and checks that what it found can go in an HTTP header.
/// `home` is the user's home directory, if known.
pub fn resolve_credentials(env: Env<'_>, home: Option<&Path>) -> Result<FoundCredentials, Error> {
    let found = find_credentials(env, home)?;
    // Where each value came from, as a person would look for it.
    let source = |field: &str, var: &str| match &found.source {
        CredentialSource::File(path) => format!("{} ([{FILE_SECTION}] {field})", path.display()),
        _ => var.to_string(),
    };
    let values: Vec<(String, &str)> = match &found.credentials {
        Credentials::Token(t) => vec![(source("token", ENV_AUTH_TOKEN), t.expose())],
        Credentials::AkSk {
            ak,
            sk,
            security_token,
        } => std::iter::once((source("ak", ENV_AK), ak.as_str()))
            .chain(std::iter::once((source("sk", ENV_SK), sk.expose())))
            .chain(
                security_token
                    .iter()
                    .map(|t| (source("security_token", ENV_SECURITY_TOKEN), t.expose())),
            )
            .collect(),
        // Checked by the client when it has them.
        Credentials::EcsMetadata { .. } => Vec::new(),
    };
    for (from, value) in values {
        if let Some(kind) = unsendable(value) {
            return Err(Error::InvalidCredentials {
                message: format!(
                    "the value of {from} holds {kind}, so it cannot be sent; set it again without it"
                ),
            });
        }
    }
    Ok(found)
}

fn find_credentials(env: Env<'_>, home: Option<&Path>) -> Result<FoundCredentials, Error> {
    let mut looked_at = Vec::new();

    // 1. Token auth.
    looked_at.push(format!("{ENV_AUTH_TOKEN} (not set)"));
    if let Some(token) = env_value(env, ENV_AUTH_TOKEN) {
        return Ok(FoundCredentials {
            credentials: Credentials::Token(Secret::new(token)),
            project_id: env_value(env, ENV_PROJECT_ID),
            iam_endpoint: env_value(env, ENV_IAM_ENDPOINT),
            source: CredentialSource::AuthTokenEnv,
        });
    }

    // 2. Environment.
    let ak = env_value(env, ENV_AK);
    let sk = env_value(env, ENV_SK);
    match (ak, sk) {
        (Some(ak), Some(sk)) => {
            return Ok(FoundCredentials {
                credentials: Credentials::AkSk {
                    ak,
                    sk: Secret::new(sk),
                    security_token: env_value(env, ENV_SECURITY_TOKEN).map(Secret::new),
                },
                project_id: env_value(env, ENV_PROJECT_ID),
                iam_endpoint: env_value(env, ENV_IAM_ENDPOINT),
                source: CredentialSource::Environment,
            });
        }
        (Some(_), None) => {
            return Err(incomplete(format!(
            "{ENV_AK} is set but {ENV_SK} is not: set both, or neither to use the credentials file"
        )))
        }
        (None, Some(_)) => {
            return Err(incomplete(format!(
            "{ENV_SK} is set but {ENV_AK} is not: set both, or neither to use the credentials file"
        )))
        }
        (None, None) => looked_at.push(format!("{ENV_AK}/{ENV_SK} (not set)")),
    }

    // 3. The credentials file.
    let Some(path) = credentials_file_path(env, home) else {
        looked_at.push(format!(
            "~/.huaweicloud/credentials (no home directory; {ENV_CREDENTIALS_FILE} not set)"
        ));
        return ecs_metadata(env, looked_at);
    };
    let Some(text) = read_small_file(&path)? else {
        looked_at.push(format!("{} (not found)", path.display()));
        return ecs_metadata(env, looked_at);
    };
    let ini = Ini::parse(&text);
    let get = |key: &str| {
        ini.get(FILE_SECTION, key)
            .map(str::to_string)
            .filter(|v| !v.is_empty())
    };
    match (get("ak"), get("sk")) {
        (Some(ak), Some(sk)) => Ok(FoundCredentials {
            credentials: Credentials::AkSk {
                ak,
                sk: Secret::new(sk),
                security_token: get("security_token").map(Secret::new),
            },
            project_id: env_value(env, ENV_PROJECT_ID).or_else(|| get("project_id")),
            iam_endpoint: env_value(env, ENV_IAM_ENDPOINT).or_else(|| get("iam_endpoint")),
            source: CredentialSource::File(path),
        }),
        (Some(_), None) => Err(incomplete(format!(
            "{}: [{FILE_SECTION}] has `ak` but no `sk`",
            path.display()
        ))),
        (None, Some(_)) => Err(incomplete(format!(
            "{}: [{FILE_SECTION}] has `sk` but no `ak`",
            path.display()
        ))),
        (None, None) => {
            looked_at.push(format!(
                "{} (no `ak`/`sk` in [{FILE_SECTION}])",
                path.display()
            ));
            ecs_metadata(env, looked_at)
        }
    }
}

/// The last source, the ECS metadata service, when nothing before had
/// credentials: where it is (`POOLCTL_METADATA_ENDPOINT`, else the
/// link-local address). The client asks it; `looked_at` goes with it, for
/// the error when it has none.
fn ecs_metadata(env: Env<'_>, mut looked_at: Vec<String>) -> Result<FoundCredentials, Error> {
    let endpoint = match env_value(env, ENV_METADATA_ENDPOINT) {
        Some(v) if v.eq_ignore_ascii_case(metadata::OFF) => {
            looked_at.push(format!(
                "the ECS metadata service (not asked: {ENV_METADATA_ENDPOINT}={})",
                metadata::OFF
            ));
            return Err(Error::NoCredentials { looked_at });
        }
        Some(url) => super::target::check_url(ENV_METADATA_ENDPOINT, &url)?,
        None => metadata::DEFAULT_ENDPOINT.to_string(),
    };
    Ok(FoundCredentials {
        credentials: Credentials::EcsMetadata {
            endpoint: endpoint.clone(),
            looked_at_first: looked_at,
        },
        project_id: env_value(env, ENV_PROJECT_ID),
        iam_endpoint: env_value(env, ENV_IAM_ENDPOINT),
        source: CredentialSource::EcsMetadata(endpoint),
    })
}

fn incomplete(message: String) -> Error {
    Error::InvalidCredentials { message }
}

/// `Ok(None)` when the file does not exist. A file over its bound is a
/// usage error (exit 2), as every input over its bound is (DESIGN.md §3);
/// one that cannot be read means no usable credentials (exit 4).
fn read_small_file(path: &Path) -> Result<Option<String>, Error> {
    let cannot = |e: std::io::Error| {
        incomplete(format!(
            "cannot read the credentials file {}: {e}",
            path.display()
        ))
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot(e)),
    };
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::usage_hint(
            format!(
                "the credentials file {} is larger than 1 MiB; this is not a credentials file",
                path.display()
            ),
            "point HUAWEICLOUD_SDK_CREDENTIALS_FILE at the SDK's INI file ([basic] ak = ..., sk = ...)",
        ));
    }
    String::from_utf8(bytes).map(Some).map_err(|_| {
        incomplete(format!(
            "cannot read the credentials file {}: not UTF-8 text",
            path.display()
        ))
    })
}

/// The INI dialect of the SDK credentials file, as Python's `configparser`
/// reads it for these keys: `[section]` headers, `key = value` or
/// `key: value`, full-line comments starting with `#` or `;`, surrounding
/// whitespace ignored, keys case-insensitive, the last of repeated keys wins.
/// Lines that are none of these are ignored.
#[derive(Debug, Default)]
pub struct Ini {
    /// (section, lowercase key, value), in file order.
    entries: Vec<(String, String, String)>,
}

impl Ini {
    pub fn parse(text: &str) -> Ini {
        let mut entries = Vec::new();
        let mut section: Option<String> = None;
        for line in text.lines() {
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                section = rest.strip_suffix(']').map(|s| s.trim().to_string());
                continue;
            }
            let Some(section) = &section else { continue };
            let Some(at) = line.find(['=', ':']) else {
                continue;
            };
            let key = line[..at].trim().to_ascii_lowercase();
            let value = line[at + 1..].trim().to_string();
            if !key.is_empty() {
                entries.push((section.clone(), key, value));
            }
        }
        Ini { entries }
    }

    pub fn get(&self, section: &str, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|(s, k, _)| s == section && k.eq_ignore_ascii_case(key))
            .map(|(_, _, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::settings::tests::env_of;

    fn home_with_file(content: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".huaweicloud")).unwrap();
        std::fs::write(dir.path().join(".huaweicloud/credentials"), content).unwrap();
        dir
    }

    #[test]
    fn token_comes_first() {
        let env = env_of(&[
            (ENV_AUTH_TOKEN, "tok"),
            (ENV_AK, "ak"),
            (ENV_SK, "sk"),
            (ENV_PROJECT_ID, "p1"),
        ]);
        let home = home_with_file("[basic]\nak=fak\nsk=fsk\n");
        let found = resolve_credentials(&env, Some(home.path())).unwrap();
        assert_eq!(found.credentials, Credentials::Token(Secret::new("tok")));
        assert_eq!(found.source, CredentialSource::AuthTokenEnv);
        assert_eq!(found.project_id.as_deref(), Some("p1"));
    }

    #[test]
    fn environment_before_file() {
        let env = env_of(&[
            (ENV_AK, "envak"),
            (ENV_SK, "envsk"),
            (ENV_SECURITY_TOKEN, "st"),
            (ENV_PROJECT_ID, "envproj"),
            (ENV_IAM_ENDPOINT, "https://iam.example"),
        ]);
        let home = home_with_file("[basic]\nak=fak\nsk=fsk\nproject_id=fileproj\n");
        let found = resolve_credentials(&env, Some(home.path())).unwrap();
        assert_eq!(
            found.credentials,
            Credentials::AkSk {
                ak: "envak".into(),
                sk: Secret::new("envsk"),
                security_token: Some(Secret::new("st")),
            }
        );
        assert_eq!(found.source, CredentialSource::Environment);
        assert_eq!(found.project_id.as_deref(), Some("envproj"));
        assert_eq!(found.iam_endpoint.as_deref(), Some("https://iam.example"));
    }

    #[test]
    fn environment_credentials_do_not_read_the_file_project() {
        let env = env_of(&[(ENV_AK, "envak"), (ENV_SK, "envsk")]);
        let home = home_with_file("[basic]\nak=fak\nsk=fsk\nproject_id=fileproj\n");
        let found = resolve_credentials(&env, Some(home.path())).unwrap();
        assert_eq!(found.project_id, None);
        assert_eq!(found.iam_endpoint, None);
    }

    #[test]
    fn only_one_of_ak_sk_names_the_missing_one() {
        for (set, missing) in [(ENV_AK, ENV_SK), (ENV_SK, ENV_AK)] {
            let env = env_of(&[(set, "x")]);
            let err = resolve_credentials(&env, None).unwrap_err();
            assert_eq!(err.exit_status().code(), 4);
            let text = err.to_string();
            assert!(
                text.contains(&format!("{missing} is not")),
                "{text} should name {missing}"
            );
        }
    }

    #[test]
    fn blank_values_count_as_unset() {
        let env = env_of(&[(ENV_AUTH_TOKEN, "  "), (ENV_AK, ""), (ENV_SK, "")]);
        let home = home_with_file("[basic]\nak = fak\nsk = fsk\n");
        let found = resolve_credentials(&env, Some(home.path())).unwrap();
        assert!(matches!(found.source, CredentialSource::File(_)));
    }

    #[test]
    fn file_in_home() {
        let home = home_with_file(
            "# SDK credentials\n; another comment\n\n[other]\nak = wrong\nsk = wrong\n\n\
             [basic]\n  AK = fak  \nsk=fsk\nsecurity_token = fst\nproject_id = fproj\n\
             iam_endpoint = https://iam.file\n",
        );
        let found = resolve_credentials(&env_of(&[]), Some(home.path())).unwrap();
        assert_eq!(
            found.credentials,
            Credentials::AkSk {
                ak: "fak".into(),
                sk: Secret::new("fsk"),
                security_token: Some(Secret::new("fst")),
            }
        );
        assert_eq!(found.project_id.as_deref(), Some("fproj"));
        assert_eq!(found.iam_endpoint.as_deref(), Some("https://iam.file"));
        assert_eq!(
            found.source,
            CredentialSource::File(home.path().join(".huaweicloud/credentials"))
        );
    }

    #[test]
    fn sdk_environment_beats_the_file_for_project_and_iam() {
        let home = home_with_file(
            "[basic]\nak=fak\nsk=fsk\nproject_id=fproj\niam_endpoint=https://iam.file\n",
        );
        let env = env_of(&[
            (ENV_PROJECT_ID, "envproj"),
            (ENV_IAM_ENDPOINT, "https://iam.env"),
        ]);
        let found = resolve_credentials(&env, Some(home.path())).unwrap();
        assert!(matches!(found.source, CredentialSource::File(_)));
        assert_eq!(found.project_id.as_deref(), Some("envproj"));
        assert_eq!(found.iam_endpoint.as_deref(), Some("https://iam.env"));
    }

    #[test]
    fn credentials_file_variable_replaces_the_home_file() {
        let home = home_with_file("[basic]\nak=homeak\nsk=homesk\n");
        let other = tempfile::tempdir().unwrap();
        let path = other.path().join("creds.ini");
        std::fs::write(&path, "[basic]\nak: envfileak\nsk: envfilesk\n").unwrap();
        let env = env_of(&[(ENV_CREDENTIALS_FILE, path.to_str().unwrap())]);
        let found = resolve_credentials(&env, Some(home.path())).unwrap();
        assert_eq!(found.source, CredentialSource::File(path.clone()));
        assert!(matches!(found.credentials, Credentials::AkSk { ref ak, .. } if ak == "envfileak"));

        // When that file is missing, the home file is not used either: the
        // variable names *the* file, as in the SDK.
        let missing = other.path().join("missing.ini");
        let env = env_of(&[(ENV_CREDENTIALS_FILE, missing.to_str().unwrap())]);
        let looked_at = before_metadata(resolve_credentials(&env, Some(home.path())));
        assert!(looked_at.iter().any(|l| l.contains("missing.ini")));
        assert!(!looked_at.iter().any(|l| l.contains(".huaweicloud")));
    }

    /// What the chain looked at before it settled on the metadata service.
    fn before_metadata(found: Result<FoundCredentials, Error>) -> Vec<String> {
        match found.unwrap().credentials {
            Credentials::EcsMetadata {
                looked_at_first, ..
            } => looked_at_first,
            other => panic!("expected the metadata service, got {other:?}"),
        }
    }

    /// Nothing in the environment or the file: the metadata service is
    /// next, to be asked by the client; every place before it is named.
    #[test]
    fn nothing_found_leaves_the_metadata_service_naming_every_place() {
        let home = tempfile::tempdir().unwrap();
        let env = env_of(&[(ENV_PROJECT_ID, "p"), (ENV_IAM_ENDPOINT, "https://iam.x")]);
        let found = resolve_credentials(&env, Some(home.path())).unwrap();
        assert_eq!(
            found.source,
            CredentialSource::EcsMetadata("http://169.254.169.254".into())
        );
        assert_eq!(found.project_id.as_deref(), Some("p"));
        assert_eq!(found.iam_endpoint.as_deref(), Some("https://iam.x"));
        let all = before_metadata(Ok(found)).join("\n");
        for place in [ENV_AUTH_TOKEN, ENV_AK, ENV_SK] {
            assert!(all.contains(place), "{all} should name {place}");
        }
        let file = home.path().join(".huaweicloud/credentials");
        assert!(all.contains(&file.display().to_string()), "{all}");

        // No home directory at all.
        let looked_at = before_metadata(resolve_credentials(&env_of(&[]), None));
        assert!(looked_at.join("\n").contains("no home directory"));
    }

    #[test]
    fn the_metadata_endpoint_can_be_moved_or_turned_off() {
        let home = tempfile::tempdir().unwrap();
        let env = env_of(&[(ENV_METADATA_ENDPOINT, "http://127.0.0.1:9/")]);
        let found = resolve_credentials(&env, Some(home.path())).unwrap();
        assert_eq!(
            found.source,
            CredentialSource::EcsMetadata("http://127.0.0.1:9".into())
        );
        let env = env_of(&[(ENV_METADATA_ENDPOINT, "OFF")]);
        let err = resolve_credentials(&env, Some(home.path())).unwrap_err();
        assert_eq!(err.exit_status().code(), 4);
        let Error::NoCredentials { looked_at } = &err else {
            panic!("expected NoCredentials, got {err:?}")
        };
        let all = looked_at.join("\n");
        assert!(
            all.contains(ENV_AK) && all.contains(".huaweicloud/credentials"),
            "{all}"
        );
        assert!(all.contains("POOLCTL_METADATA_ENDPOINT=off"), "{all}");
        let env = env_of(&[(ENV_METADATA_ENDPOINT, "169.254.169.254")]);
        let err = resolve_credentials(&env, Some(home.path())).unwrap_err();
        assert_eq!(err.exit_status().code(), 2, "{err}");
    }

    #[test]
    fn a_file_without_keys_is_named() {
        let home = home_with_file("[default]\nak=x\nsk=y\n");
        let looked_at = before_metadata(resolve_credentials(&env_of(&[]), Some(home.path())));
        assert!(looked_at.join("\n").contains("no `ak`/`sk` in [basic]"));
    }

    #[test]
    fn a_file_with_only_one_key_names_the_missing_one() {
        let home = home_with_file("[basic]\nak=x\n");
        let err = resolve_credentials(&env_of(&[]), Some(home.path())).unwrap_err();
        assert_eq!(err.exit_status().code(), 4);
        assert!(err.to_string().contains("no `sk`"), "{err}");
        let home = home_with_file("[basic]\nsk=y\n");
        let err = resolve_credentials(&env_of(&[]), Some(home.path())).unwrap_err();
        assert!(err.to_string().contains("no `ak`"), "{err}");
    }

    #[test]
    fn an_unreadable_file_is_a_clear_error() {
        let home = tempfile::tempdir().unwrap();
        // A directory where the file should be: exists, but cannot be read.
        std::fs::create_dir_all(home.path().join(".huaweicloud/credentials")).unwrap();
        let err = resolve_credentials(&env_of(&[]), Some(home.path())).unwrap_err();
        assert!(err.to_string().contains("cannot read the credentials file"));
        // Binary junk is refused, and its bytes are not echoed.
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join(".huaweicloud")).unwrap();
        std::fs::write(
            home.path().join(".huaweicloud/credentials"),
            [0xff, 0xfe, 0x00],
        )
        .unwrap();
        let err = resolve_credentials(&env_of(&[]), Some(home.path())).unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    #[test]
    fn ini_reader() {
        let ini = Ini::parse(
            "\u{feff}[basic]\nak=1\n# ak=2\n; ak=3\nnot a pair\nak = 4\nempty =\n[ spaced ]\nk=v=w\n",
        );
        assert_eq!(ini.get("basic", "ak"), Some("4"));
        assert_eq!(ini.get("basic", "AK"), Some("4"));
        assert_eq!(ini.get("basic", "empty"), Some(""));
        assert_eq!(ini.get("spaced", "k"), Some("v=w"));
        assert_eq!(ini.get("basic", "k"), None);
        // Keys before any section belong to none.
        assert_eq!(Ini::parse("ak=1\n").get("basic", "ak"), None);
    }
}
