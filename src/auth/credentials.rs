//! How requests authenticate: the credentials, wherever `settings` found
//! them, and the names of the places the official SDKs look for them
//! (api/NOTES.md "Credential sources"). Secret values print as `<redacted>`.

use std::fmt;
use std::path::PathBuf;

use crate::redact::REDACTED;

pub const ENV_AUTH_TOKEN: &str = "POOLCTL_AUTH_TOKEN";
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
pub const ENV_IAM_ENDPOINT: &str = "HUAWEICLOUD_SDK_IAM_ENDPOINT";
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";

/// A secret value (SK, security token, auth token). `Debug` and `Display`
/// print `<redacted>`; [`Secret::expose`] is the only way to the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// How requests authenticate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `SDK-HMAC-SHA256` signing; `security_token` for temporary credentials.
    AkSk {
        ak: String,
        sk: Secret,
        security_token: Option<Secret>,
    },
    /// An IAM token sent as `X-Auth-Token`.
    Token(Secret),
    /// Temporary AK/SK and security token of the ECS this runs on, from its
    /// metadata service at `endpoint` (see [`super::metadata`]). The client
    /// asks for them before its first request, and again before they
    /// expire; they are then signed as [`Credentials::AkSk`] with a
    /// `security_token`. `looked_at_first` names the sources that had none,
    /// for the error when the metadata service has none either.
    EcsMetadata {
        endpoint: String,
        looked_at_first: Vec<String>,
    },
}

impl Credentials {
    /// Every secret value these credentials hold, so callers can make sure
    /// none of them leaks into output.
    pub fn secrets(&self) -> Vec<&str> {
        match self {
            Credentials::AkSk {
                sk, security_token, ..
            } => {
                let mut v = vec![sk.expose()];
                if let Some(t) = security_token {
                    v.push(t.expose());
                }
                v
            }
            Credentials::Token(t) => vec![t.expose()],
            // Not known until fetched; the client keeps those it fetched.
            Credentials::EcsMetadata { .. } => Vec::new(),
        }
    }
}

/// Why `value` cannot go in an HTTP header, if it cannot. Signatures,
/// tokens and keys are visible ASCII; anything else (a control character,
/// a stray newline, a space, a non-ASCII letter, bytes that are not UTF-8)
/// is a mistake where the value was set. Never says what the value is.
pub fn unsendable(value: &str) -> Option<&'static str> {
    let c = value.chars().find(|c| !matches!(c, '\x21'..='\x7e'))?;
    Some(if c.is_control() {
        "a control character"
    } else if c == ' ' {
        "a space"
    } else if c == char::REPLACEMENT_CHARACTER {
        "bytes that are not UTF-8"
    } else {
        "a character that is not visible ASCII"
    })
}

/// Where the credentials were found (for `-v` and error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    AuthTokenEnv,
    Environment,
    File(PathBuf),
    /// `--emulator`: credentials made up by the in-process emulator.
    Emulator,
    /// The ECS metadata service at this URL (temporary credentials).
    EcsMetadata(String),
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::AuthTokenEnv => write!(f, "{ENV_AUTH_TOKEN}"),
            CredentialSource::Environment => write!(f, "{ENV_AK}/{ENV_SK}"),
            CredentialSource::File(p) => write!(f, "{}", p.display()),
            CredentialSource::Emulator => write!(f, "the in-process emulator (--emulator)"),
            CredentialSource::EcsMetadata(url) => write!(f, "the ECS metadata service at {url}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "SK-CANARY-0123456789";

    #[test]
    fn secret_never_prints() {
        let s = Secret::new(CANARY);
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(s.expose(), CANARY);
        let c = Credentials::AkSk {
            ak: "AK1".into(),
            sk: Secret::new(CANARY),
            security_token: Some(Secret::new("TOKEN-CANARY")),
        };
        let dbg = format!("{c:?} {c:#?}");
        assert!(
            !dbg.contains(CANARY) && !dbg.contains("TOKEN-CANARY"),
            "{dbg}"
        );
        assert!(dbg.contains("AK1"));
        let t = format!("{:?}", Credentials::Token(Secret::new("TOKEN-CANARY")));
        assert!(!t.contains("TOKEN-CANARY"));
    }
}
