//! The ECS metadata service, the last source of the official SDK's
//! credential chain: an ECS with an agency gets temporary credentials
//! (AK/SK and a security token) from it. Here: where it is, how it is
//! asked, and how its answer reads. The client asks (`client::metadata`);
//! nothing here touches the network.
//!
//! As the SDK's `MetadataAccessor` (huaweicloudsdkcore/auth/internal.py):
//! 1. `PUT {base}/meta-data/latest/api/token` with
//!    `X-Metadata-Token-Ttl-Seconds: 21600` gives a session token (the
//!    answer's text). A 404, 405 or 503 means the service has no tokens:
//!    go on without one. Any other failure ends the lookup.
//! 2. `GET {base}/openstack/latest/securitykey`, with `X-Metadata-Token`
//!    when there is one. A 401 that does not say "Please configure Cloud
//!    Service Agency first" means the session token is stale: get a new one
//!    and ask once more.
//! 3. The answer: `{"credential": {"access", "secret", "securitytoken",
//!    "expires_at"}}` (the SDK also reads `credentials`, `accessKeyId`,
//!    `secretAccessKey`, `securityToken` and `expiration`).
//!
//! The SDK gives each request 3 s to connect and 3 s to answer. poolctl
//! gives 1 s to connect, and 3 s to the whole request: off ECS nothing
//! answers at the link-local address, and the probe should cost one short
//! timeout, not six seconds. The SDK asks for new credentials when fewer
//! than 40 minutes are left; so does poolctl, or at half their lifetime
//! when they were given for less than 80 minutes (the emulator's can last
//! seconds, and should not be asked for again at every request).

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::credentials::{unsendable, Credentials, Secret};

/// Points the lookup elsewhere (tests, the emulator); `off` skips it.
pub const ENV_METADATA_ENDPOINT: &str = "POOLCTL_METADATA_ENDPOINT";
/// The value of [`ENV_METADATA_ENDPOINT`] that turns the lookup off.
pub const OFF: &str = "off";
/// Where the metadata service answers on every ECS (link-local, plain http).
pub const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";

pub const TOKEN_PATH: &str = "/meta-data/latest/api/token";
pub const SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";
pub const TOKEN_HEADER: &str = "X-Metadata-Token";
pub const TOKEN_TTL_HEADER: &str = "X-Metadata-Token-Ttl-Seconds";
/// The session token's lifetime the SDK asks for (6 h).
pub const TOKEN_TTL_SECS: u64 = 6 * 60 * 60;
/// What the service says on an ECS without an agency (the SDK tests for it).
pub const NO_AGENCY: &str = "Please configure Cloud Service Agency first";

/// Time to connect to the metadata service.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// Time for each request to the metadata service, connection included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(3);
/// New credentials are asked for when fewer than this are left (the SDK's).
pub const REFRESH_MARGIN_SECS: u64 = 40 * 60;
/// Credentials this close to their end are not used to sign: the request
/// may arrive after they expired.
pub const LAST_USE_SECS: u64 = 5;
/// Answers larger than this are not read (the real one is about 2 KiB).
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Credentials from the metadata service. `Debug` never shows the secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct Temporary {
    pub ak: String,
    pub sk: Secret,
    pub security_token: Secret,
    /// `expires_at`, in seconds since the epoch.
    pub expires_unix: u64,
}

impl fmt::Debug for Temporary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Temporary")
            .field("ak", &self.ak)
            .field("sk", &self.sk)
            .field("security_token", &self.security_token)
            .field("expires_unix", &self.expires_unix)
            .finish()
    }
}

impl Temporary {
    /// As signing credentials: AK/SK, the token sent as `X-Security-Token`.
    pub fn credentials(&self) -> Credentials {
        Credentials::AkSk {
            ak: self.ak.clone(),
            sk: self.sk.clone(),
            security_token: Some(self.security_token.clone()),
        }
    }

    /// When to ask for new ones, for credentials fetched at `fetched_unix`:
    /// [`REFRESH_MARGIN_SECS`] before they expire, or at half their
    /// lifetime if that comes later.
    pub fn refresh_at(&self, fetched_unix: u64) -> u64 {
        let lifetime = self.expires_unix.saturating_sub(fetched_unix);
        self.expires_unix - (lifetime / 2).min(REFRESH_MARGIN_SECS)
    }

    /// Whether they may still sign a request at `now_unix`.
    pub fn usable_at(&self, now_unix: u64) -> bool {
        now_unix + LAST_USE_SECS < self.expires_unix
    }
}

/// The first of `names` that `map` has as a string that is not empty.
fn field<'a>(map: &'a serde_json::Map<String, Value>, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| map.get(*n).and_then(Value::as_str))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Reads the answer of `GET /openstack/latest/securitykey`, as the SDK
/// does (`StsAccessor._process_credential`). The error says what is wrong
/// and never quotes the answer, which holds secrets.
pub fn parse_security_key(body: &[u8]) -> Result<Temporary, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| "the answer is not JSON".to_string())?;
    let Some(outer) = value.as_object() else {
        return Err("the answer is not a JSON object".into());
    };
    let (map, prefix) = match (outer.get("credential"), outer.get("credentials")) {
        (Some(inner), _) => (inner, "credential."),
        (None, Some(inner)) => (inner, "credentials."),
        (None, None) => (&value, ""),
    };
    let Some(map) = map.as_object() else {
        return Err(format!(
            "`{}` is not an object",
            prefix.trim_end_matches('.')
        ));
    };
    let get = |names: &[&str]| {
        field(map, names).ok_or_else(|| format!("it has no `{prefix}{}`", names[0]))
    };
    let ak = get(&["access", "accessKeyId"])?;
    let sk = get(&["secret", "secretAccessKey"])?;
    let token = get(&["securitytoken", "securityToken"])?;
    let expires = get(&["expires_at", "expiration"])?;
    let expires_unix = crate::time::parse_timestamp(expires).ok_or_else(|| {
        format!("`{prefix}expires_at` is not a time (2026-11-29T20:00:00.000000Z): `{expires}`")
    })?;
    for (name, v) in [("access", ak), ("secret", sk), ("securitytoken", token)] {
        if let Some(kind) = unsendable(v) {
            return Err(format!(
                "`{prefix}{name}` holds {kind}, so it cannot be sent"
            ));
        }
    }
    Ok(Temporary {
        ak: ak.to_string(),
        sk: Secret::new(sk),
        security_token: Secret::new(token),
        expires_unix,
    })
}

/// The secret values in an answer, as far as it can be read, to keep them
/// out of the trace even when the answer is not as expected.
pub fn secrets_in(body: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        Value::String(s) if crate::redact::is_secret_name(k) && !s.is_empty() => {
                            out.push(s.clone())
                        }
                        other => walk(other, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        walk(&v, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = r#"{"credential": {"access": "TMPAK", "secret": "SK-CANARY",
        "securitytoken": "ST-CANARY", "expires_at": "2026-11-29T20:00:00.000000Z"}}"#;

    #[test]
    fn reads_the_documented_answer() {
        let t = parse_security_key(ANSWER.as_bytes()).unwrap();
        assert_eq!(t.ak, "TMPAK");
        assert_eq!(t.sk.expose(), "SK-CANARY");
        assert_eq!(t.security_token.expose(), "ST-CANARY");
        assert_eq!(
            t.expires_unix,
            crate::time::parse_timestamp("2026-11-29T20:00:00Z").unwrap()
        );
        let shown = format!("{t:?}");
        assert!(!shown.contains("CANARY"), "{shown}");
        assert_eq!(
            t.credentials(),
            Credentials::AkSk {
                ak: "TMPAK".into(),
                sk: Secret::new("SK-CANARY"),
                security_token: Some(Secret::new("ST-CANARY")),
            }
        );
    }

    #[test]
    fn reads_the_sdk_alternatives() {
        let other = r#"{"credentials": {"accessKeyId": "A", "secretAccessKey": "S",
            "securityToken": "T", "expiration": "2026-11-29T20:00:00Z"}}"#;
        let t = parse_security_key(other.as_bytes()).unwrap();
        assert_eq!((t.ak.as_str(), t.sk.expose()), ("A", "S"));
        let flat = r#"{"access": "A", "secret": "S", "securitytoken": "T",
            "expires_at": "2026-11-29T21:00:00+01:00"}"#;
        let t = parse_security_key(flat.as_bytes()).unwrap();
        assert_eq!(
            t.expires_unix,
            crate::time::parse_timestamp("2026-11-29T20:00:00Z").unwrap()
        );
    }

    #[test]
    fn malformed_answers_say_what_is_missing_and_never_quote_a_secret() {
        for (body, expected) in [
            ("not json SK-CANARY", "not JSON"),
            ("[1]", "not a JSON object"),
            (
                r#"{"credential": "SK-CANARY"}"#,
                "`credential` is not an object",
            ),
            (
                r#"{"credential": {"access": "A", "securitytoken": "SK-CANARY", "expires_at": "2026-11-29T20:00:00Z"}}"#,
                "no `credential.secret`",
            ),
            (
                r#"{"credential": {"access": "A", "secret": "", "securitytoken": "T", "expires_at": "2026-11-29T20:00:00Z"}}"#,
                "no `credential.secret`",
            ),
            (
                r#"{"credential": {"access": "A", "secret": "SK-CANARY", "securitytoken": "T"}}"#,
                "no `credential.expires_at`",
            ),
            (
                r#"{"credential": {"access": "A", "secret": "SK-CANARY", "securitytoken": "T", "expires_at": "tomorrow"}}"#,
                "is not a time",
            ),
            (
                r#"{"credential": {"access": "A", "secret": "SK CANARY", "securitytoken": "T", "expires_at": "2026-11-29T20:00:00Z"}}"#,
                "`credential.secret` holds a space",
            ),
        ] {
            let err = parse_security_key(body.as_bytes()).unwrap_err();
            assert!(err.contains(expected), "{body}: {err}");
            assert!(!err.contains("CANARY"), "{err}");
        }
    }

    #[test]
    fn refresh_comes_forty_minutes_early_or_at_half_life() {
        let t = |expires_unix| Temporary {
            ak: "A".into(),
            sk: Secret::new("S"),
            security_token: Secret::new("T"),
            expires_unix,
        };
        // 24 h credentials: 40 minutes before they expire.
        assert_eq!(t(1000 + 86_400).refresh_at(1000), 1000 + 86_400 - 2400);
        // 20 s credentials: after 10 s.
        assert_eq!(t(1020).refresh_at(1000), 1010);
        // Already expired: at once.
        assert_eq!(t(900).refresh_at(1000), 900);
        assert!(t(1020).usable_at(1010));
        assert!(!t(1020).usable_at(1016));
    }

    #[test]
    fn secrets_are_found_for_the_trace() {
        let found = secrets_in(ANSWER.as_bytes());
        assert_eq!(found, vec!["SK-CANARY", "ST-CANARY"]);
        assert!(secrets_in(b"not json").is_empty());
    }
}
