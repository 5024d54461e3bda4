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
        }
    }
}

/// Where the credentials were found (for `-v` and error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    AuthTokenEnv,
    Environment,
    File(PathBuf),
    /// `--emulator`: credentials made up by the in-process emulator.
    Emulator,
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::AuthTokenEnv => write!(f, "{ENV_AUTH_TOKEN}"),
            CredentialSource::Environment => write!(f, "{ENV_AK}/{ENV_SK}"),
            CredentialSource::File(p) => write!(f, "{}", p.display()),
            CredentialSource::Emulator => write!(f, "the in-process emulator (--emulator)"),
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
