//! Authentication as the API gateway does it: `SDK-HMAC-SHA256` signatures
//! recomputed from the request as received, with the shared signer
//! (`crate::auth::signer`), or an `X-Auth-Token`.
//!
//! When both headers are present, the signature decides (a signed request
//! proves more than a bearer token). Messages say what was wrong, never what
//! the secret is.

use std::fmt;

use axum::http::HeaderMap;

use crate::auth::signer::{self, SigningInput};
use crate::auth::Secret;
use crate::redact::REDACTED;

/// The most a signature's `X-Sdk-Date` may be off the emulator's clock.
pub const CLOCK_SKEW_SECS: u64 = 15 * 60;

/// The request as it arrived, decoded once for both the signature and the handlers.
pub struct Received<'a> {
    pub method: &'a str,
    /// The path with each segment percent-decoded (the signer encodes it again).
    pub path: &'a str,
    /// Query pairs, percent-decoded, in the order received.
    pub query: &'a [(String, String)],
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// What the emulator accepts.
pub struct Accepted<'a> {
    pub ak: &'a str,
    pub sk: &'a str,
    pub token: Option<&'a str>,
    /// Temporary keys its metadata service gave out: each signs only with
    /// its security token, signed as `X-Security-Token`, until it expires.
    pub temporary: &'a [TempKey],
}

/// A temporary key of the emulator's metadata service. `Debug` shows the AK only.
#[derive(Clone, PartialEq, Eq)]
pub struct TempKey {
    pub ak: String,
    pub sk: String,
    pub security_token: String,
    /// Refused from this second on (since the epoch).
    pub expires_secs: u64,
}

impl fmt::Debug for TempKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TempKey")
            .field("ak", &self.ak)
            .field("sk", &REDACTED)
            .field("security_token", &REDACTED)
            .field("expires_secs", &self.expires_secs)
            .finish()
    }
}

/// Why a request was refused; each maps to a 401 with its own error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 401 `APIG.0301`: the text after "Incorrect IAM authentication information: ".
    Iam(String),
    /// 401 `ModelArts.50001000`.
    Token,
}

impl Refusal {
    pub fn error_code(&self) -> &'static str {
        match self {
            Refusal::Iam(_) => "APIG.0301",
            Refusal::Token => "ModelArts.50001000",
        }
    }

    pub fn error_msg(&self) -> String {
        match self {
            Refusal::Iam(why) => format!("Incorrect IAM authentication information: {why}"),
            Refusal::Token => "The token is invalid.".into(),
        }
    }
}

fn iam(why: impl Into<String>) -> Refusal {
    Refusal::Iam(why.into())
}

/// Checks the request's credentials at `now_secs` (Unix seconds): the
/// headers ([`check_headers`]), then the signature over the whole request
/// ([`Pending::finish`]).
pub fn authenticate(
    req: &Received<'_>,
    accepted: &Accepted<'_>,
    now_secs: u64,
) -> Result<(), Refusal> {
    check_headers(req.headers, accepted, now_secs)?.finish(req, accepted)
}

/// What the headers left to check once the body is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// A token that matched: nothing.
    Nothing,
    /// A signature from the right key, dated within the window, whose
    /// signed headers were all sent: the signature itself, which covers the
    /// body's hash.
    Signature(SignedParts),
}

/// The parts of a signature the header check already read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedParts {
    /// `X-Sdk-Date` as sent (trimmed).
    date: String,
    /// The signed headers as received: lowercased names, sorted, values in order.
    signed: Vec<(String, String)>,
    signature: String,
    /// The SK of a temporary key; none: the emulator's own.
    temporary_sk: Option<Secret>,
}

/// Everything that can be checked from the headers alone, before a byte of
/// the body is read: the scheme, the access key, the signed headers, the
/// date window, or the token. A request that fails here never has its body
/// read (DESIGN.md §5).
pub fn check_headers(
    headers: &HeaderMap,
    accepted: &Accepted<'_>,
    now_secs: u64,
) -> Result<Pending, Refusal> {
    if let Some(value) = headers.get("authorization") {
        let value = value
            .to_str()
            .map_err(|_| iam("the Authorization header is not ASCII"))?;
        return check_signature_headers(headers, value, accepted, now_secs).map(Pending::Signature);
    }
    if let Some(token) = headers.get("x-auth-token") {
        let ok = accepted
            .token
            .is_some_and(|t| signer::constant_time_eq(t.as_bytes(), token.as_bytes()));
        return if ok {
            Ok(Pending::Nothing)
        } else {
            Err(Refusal::Token)
        };
    }
    Err(iam(
        "no Authorization header (SDK-HMAC-SHA256) and no X-Auth-Token",
    ))
}

impl Pending {
    /// The rest of the check, on the whole request: the signature, recomputed
    /// over the method, path, query, the signed headers and the body.
    pub fn finish(&self, req: &Received<'_>, accepted: &Accepted<'_>) -> Result<(), Refusal> {
        let Pending::Signature(parts) = self else {
            return Ok(());
        };
        let input = SigningInput {
            method: req.method,
            path: req.path,
            query: req.query,
            headers: &parts.signed,
            body: req.body,
        };
        let (canonical, _) = signer::canonical_request(&input);
        let sk = parts
            .temporary_sk
            .as_ref()
            .map_or(accepted.sk, |sk| sk.expose());
        let expected = signer::hmac_hex(
            sk.as_bytes(),
            signer::string_to_sign(&parts.date, &canonical).as_bytes(),
        );
        if signer::constant_time_eq(expected.as_bytes(), parts.signature.as_bytes()) {
            Ok(())
        } else {
            Err(iam("signature mismatch"))
        }
    }
}

fn check_signature_headers(
    headers: &HeaderMap,
    authorization: &str,
    accepted: &Accepted<'_>,
    now_secs: u64,
) -> Result<SignedParts, Refusal> {
    if !authorization.starts_with(signer::ALGORITHM) {
        return Err(iam(format!(
            "unsupported Authorization scheme; expected {}",
            signer::ALGORITHM
        )));
    }
    let parsed = signer::parse_authorization(authorization).ok_or_else(|| {
        iam("malformed Authorization header; expected Access=..., SignedHeaders=..., Signature=...")
    })?;
    let temporary = if signer::constant_time_eq(parsed.access.as_bytes(), accepted.ak.as_bytes()) {
        None
    } else {
        let key = accepted
            .temporary
            .iter()
            .find(|k| signer::constant_time_eq(k.ak.as_bytes(), parsed.access.as_bytes()));
        Some(key.ok_or_else(|| iam("unknown access key"))?)
    };
    let mut names = parsed.signed_headers.clone();
    names.sort();
    names.dedup();
    for required in ["host", "x-sdk-date"] {
        if !names.iter().any(|n| n == required) {
            return Err(iam(format!("{required} must be among the SignedHeaders")));
        }
    }
    let mut signed: Vec<(String, String)> = Vec::with_capacity(names.len());
    for name in &names {
        let mut values = headers.get_all(name.as_str()).iter().peekable();
        if values.peek().is_none() {
            return Err(iam(format!(
                "signed header {name} is missing from the request"
            )));
        }
        for v in values {
            let v = v
                .to_str()
                .map_err(|_| iam(format!("signed header {name} is not ASCII")))?;
            signed.push((name.clone(), v.to_string()));
        }
    }
    let date = signed
        .iter()
        .find(|(n, _)| n == "x-sdk-date")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let date_secs = crate::time::unix_from_sdk_date(&date)
        .ok_or_else(|| iam("malformed x-sdk-date; expected YYYYMMDDTHHMMSSZ (UTC)"))?;
    if date_secs.abs_diff(now_secs) > CLOCK_SKEW_SECS {
        return Err(iam(
            "x-sdk-date out of the 15-minute window; check the client's clock",
        ));
    }
    if let Some(key) = temporary {
        check_security_token(headers, &signed, key, now_secs)?;
    }
    Ok(SignedParts {
        date,
        signed,
        signature: parsed.signature,
        temporary_sk: temporary.map(|k| Secret::new(k.sk.clone())),
    })
}

/// A temporary key signs with its own security token, signed, until it expires.
fn check_security_token(
    headers: &HeaderMap,
    signed: &[(String, String)],
    key: &TempKey,
    now_secs: u64,
) -> Result<(), Refusal> {
    if now_secs >= key.expires_secs {
        return Err(iam("the security token has expired"));
    }
    let Some((_, token)) = signed.iter().find(|(n, _)| n == "x-security-token") else {
        return Err(iam(if headers.contains_key("x-security-token") {
            "x-security-token must be among the SignedHeaders"
        } else {
            "a temporary access key needs its X-Security-Token"
        }));
    };
    if signer::constant_time_eq(token.trim().as_bytes(), key.security_token.as_bytes()) {
        Ok(())
    } else {
        Err(iam("the security token does not belong to the access key"))
    }
}

/// Percent-decodes `s`; `None` when an escape is malformed or the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The pairs of a raw query string, percent-decoded. A pair without `=` has
/// an empty value, as the signer's canonical form has it.
pub fn query_pairs(raw: &str) -> Option<Vec<(String, String)>> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

/// The path with each segment percent-decoded.
pub fn decode_path(raw: &str) -> Option<String> {
    Some(
        raw.split('/')
            .map(percent_decode)
            .collect::<Option<Vec<_>>>()?
            .join("/"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const NOW: u64 = 1_729_773_763; // 2024-10-24T12:42:43Z
    const AK: &str = "EMUTESTAK";
    const SK: &str = "emu-test-sk";

    fn signed_headers(date: &str, body: &[u8], query: &[(String, String)]) -> HeaderMap {
        let pairs = vec![
            ("Host".to_string(), "127.0.0.1:9".to_string()),
            ("X-Sdk-Date".to_string(), date.to_string()),
            ("Content-Type".to_string(), "application/json".to_string()),
        ];
        let auth = signer::authorization(
            &SigningInput {
                method: "POST",
                path: "/v2/p/pools",
                query,
                headers: &pairs,
                body,
            },
            AK,
            SK,
        );
        let mut map = HeaderMap::new();
        for (k, v) in &pairs {
            map.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        map
    }

    fn check(
        headers: &HeaderMap,
        body: &[u8],
        query: &[(String, String)],
        now: u64,
    ) -> Result<(), Refusal> {
        let req = Received {
            method: "POST",
            path: "/v2/p/pools",
            query,
            headers,
            body,
        };
        let accepted = Accepted {
            ak: AK,
            sk: SK,
            token: Some("tok"),
            temporary: &[],
        };
        authenticate(&req, &accepted, now)
    }

    #[test]
    fn a_good_signature_passes_and_any_change_fails() {
        let q = vec![("status".to_string(), "created".to_string())];
        let h = signed_headers("20241024T124243Z", b"{}", &q);
        assert_eq!(check(&h, b"{}", &q, NOW), Ok(()));
        assert_eq!(
            check(&h, b"{ }", &q, NOW),
            Err(Refusal::Iam("signature mismatch".into()))
        );
        assert_eq!(
            check(&h, b"{}", &[], NOW),
            Err(Refusal::Iam("signature mismatch".into()))
        );
        let mut other_host = h.clone();
        other_host.insert("host", HeaderValue::from_static("localhost:9"));
        assert!(check(&other_host, b"{}", &q, NOW).is_err());
    }

    #[test]
    fn the_clock_window_is_fifteen_minutes_both_ways() {
        let h = signed_headers("20241024T124243Z", b"", &[]);
        assert!(check(&h, b"", &[], NOW + 900).is_ok());
        assert!(check(&h, b"", &[], NOW - 900).is_ok());
        let late = check(&h, b"", &[], NOW + 901).unwrap_err();
        assert!(late.error_msg().contains("15-minute window"), "{late:?}");
        assert!(check(&h, b"", &[], NOW - 901).is_err());
        let bad = signed_headers("2024-10-24", b"", &[]);
        assert!(check(&bad, b"", &[], NOW)
            .unwrap_err()
            .error_msg()
            .contains("malformed x-sdk-date"));
    }

    #[test]
    fn unknown_keys_tokens_and_missing_credentials() {
        let mut h = signed_headers("20241024T124243Z", b"", &[]);
        let auth = h["authorization"].to_str().unwrap().replace(AK, "OTHERAK");
        h.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        assert_eq!(
            check(&h, b"", &[], NOW),
            Err(Refusal::Iam("unknown access key".into()))
        );
        let mut t = HeaderMap::new();
        t.insert("x-auth-token", HeaderValue::from_static("tok"));
        assert_eq!(check(&t, b"", &[], NOW), Ok(()));
        t.insert("x-auth-token", HeaderValue::from_static("nope"));
        assert_eq!(check(&t, b"", &[], NOW), Err(Refusal::Token));
        let none = check(&HeaderMap::new(), b"", &[], NOW).unwrap_err();
        assert_eq!(none.error_code(), "APIG.0301");
        // The SK never shows in a refusal.
        for r in [
            none,
            Refusal::Token,
            Refusal::Iam("signature mismatch".into()),
        ] {
            assert!(!r.error_msg().contains(SK));
        }
    }

    /// The header check needs no body: it refuses what the headers alone
    /// condemn, and leaves the signature, which covers the body, for later.
    #[test]
    fn the_headers_are_checked_without_the_body() {
        let accepted = Accepted {
            ak: AK,
            sk: SK,
            token: Some("tok"),
            temporary: &[],
        };
        let h = signed_headers("20241024T124243Z", b"{}", &[]);
        let pending = check_headers(&h, &accepted, NOW).unwrap();
        assert!(matches!(pending, Pending::Signature(_)));
        let req = |body: &'static [u8]| Received {
            method: "POST",
            path: "/v2/p/pools",
            query: &[],
            headers: &h,
            body,
        };
        assert_eq!(pending.finish(&req(b"{}"), &accepted), Ok(()));
        assert_eq!(
            pending.finish(&req(b"{ }"), &accepted),
            Err(Refusal::Iam("signature mismatch".into()))
        );
        // Refused from the headers: a stale date, another key, no credentials.
        assert!(check_headers(&h, &accepted, NOW + 901).is_err());
        let mut other = h.clone();
        let auth = h["authorization"].to_str().unwrap().replace(AK, "OTHER");
        other.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        assert!(check_headers(&other, &accepted, NOW).is_err());
        assert!(check_headers(&HeaderMap::new(), &accepted, NOW).is_err());
        let mut t = HeaderMap::new();
        t.insert("x-auth-token", HeaderValue::from_static("tok"));
        assert_eq!(check_headers(&t, &accepted, NOW), Ok(Pending::Nothing));
    }

    /// Headers signed by `ak`/`sk`, with `token` as X-Security-Token,
    /// signed when `sign_token`.
    fn temporary_headers(ak: &str, sk: &str, token: Option<&str>, sign_token: bool) -> HeaderMap {
        let mut pairs = vec![
            ("Host".to_string(), "127.0.0.1:9".to_string()),
            ("X-Sdk-Date".to_string(), "20241024T124243Z".to_string()),
        ];
        if let Some(t) = token.filter(|_| sign_token) {
            pairs.push(("X-Security-Token".to_string(), t.to_string()));
        }
        let auth = signer::authorization(
            &SigningInput {
                method: "POST",
                path: "/v2/p/pools",
                query: &[],
                headers: &pairs,
                body: b"",
            },
            ak,
            sk,
        );
        let mut map = HeaderMap::new();
        for (k, v) in &pairs {
            map.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        if let Some(t) = token.filter(|_| !sign_token) {
            map.insert("x-security-token", HeaderValue::from_str(t).unwrap());
        }
        map.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        map
    }

    #[test]
    fn temporary_keys_sign_with_their_own_security_token_until_they_expire() {
        let keys = [TempKey {
            ak: "EMUTMP1".into(),
            sk: "temp-sk".into(),
            security_token: "st-1".into(),
            expires_secs: NOW + 10,
        }];
        let accepted = Accepted {
            ak: AK,
            sk: SK,
            token: None,
            temporary: &keys,
        };
        let check = |h: &HeaderMap, now| {
            let req = Received {
                method: "POST",
                path: "/v2/p/pools",
                query: &[],
                headers: h,
                body: b"",
            };
            authenticate(&req, &accepted, now)
        };
        let good = temporary_headers("EMUTMP1", "temp-sk", Some("st-1"), true);
        assert_eq!(check(&good, NOW), Ok(()));
        let msg = |r: Result<(), Refusal>| r.unwrap_err().error_msg();
        assert!(msg(check(&good, NOW + 10)).contains("security token has expired"));
        let h = temporary_headers("EMUTMP1", "temp-sk", None, true);
        assert!(msg(check(&h, NOW)).contains("needs its X-Security-Token"));
        let h = temporary_headers("EMUTMP1", "temp-sk", Some("st-1"), false);
        assert!(msg(check(&h, NOW)).contains("x-security-token must be among"));
        let h = temporary_headers("EMUTMP1", "temp-sk", Some("st-2"), true);
        assert!(msg(check(&h, NOW)).contains("does not belong"));
        // Its SK, not the emulator's, makes the signature.
        let h = temporary_headers("EMUTMP1", SK, Some("st-1"), true);
        assert!(msg(check(&h, NOW)).contains("signature mismatch"));
        let h = temporary_headers("EMUTMP2", "temp-sk", Some("st-1"), true);
        assert!(msg(check(&h, NOW)).contains("unknown access key"));
        // The pending check holds no secret in its Debug.
        let pending = check_headers(&good, &accepted, NOW).unwrap();
        assert!(!format!("{pending:?}").contains("temp-sk"));
    }

    #[test]
    fn host_must_be_signed() {
        let mut h = signed_headers("20241024T124243Z", b"", &[]);
        let auth = h["authorization"].to_str().unwrap().replace(
            "SignedHeaders=content-type;host;x-sdk-date",
            "SignedHeaders=content-type;x-sdk-date",
        );
        h.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        let err = check(&h, b"", &[], NOW).unwrap_err();
        assert!(err.error_msg().contains("host must be among"), "{err:?}");
    }

    #[test]
    fn decoding() {
        assert_eq!(
            query_pairs("labelSelector=os.modelarts%2Fname%3Dpool-a&x&&y=1").unwrap(),
            vec![
                ("labelSelector".into(), "os.modelarts/name=pool-a".into()),
                ("x".into(), "".into()),
                ("y".into(), "1".into())
            ]
        );
        assert_eq!(query_pairs("a=%zz"), None);
        assert_eq!(query_pairs("a=%ff"), None);
        assert_eq!(query_pairs("a=%4"), None);
        assert_eq!(decode_path("/v2/a%20b/pools").unwrap(), "/v2/a b/pools");
    }
}
