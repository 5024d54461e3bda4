//! `SDK-HMAC-SHA256`, byte for byte as the official SDK signer computes it
//! (`api/NOTES.md`, checked against `tests/data/signing-vectors.json`).
//!
//! The same functions verify signatures in the emulator, so the client and the
//! gateway stand-in can never drift apart.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// Everything that goes into a signature. Header names may be in any case
/// and any order; the canonical form sorts and lowercases them.
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    pub method: &'a str,
    /// The path as sent, without the query (`/v2/{project}/pools`).
    pub path: &'a str,
    /// Query pairs as the caller holds them; the canonical form sorts them.
    pub query: &'a [(String, String)],
    /// Headers to sign, `host` and `x-sdk-date` among them.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// Percent-encodes everything but the unreserved `A-Za-z0-9-_.~`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[(b >> 4) as usize]));
            out.push(char::from(b"0123456789ABCDEF"[(b & 15) as usize]));
        }
    }
    out
}

/// Each segment percent-encoded, and a trailing `/` always appended: the SDK
/// does so in the canonical form only, never in the URL it sends.
pub fn canonical_uri(path: &str) -> String {
    let mut out: String = path
        .split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/");
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// Pairs sorted by key, then value, each side percent-encoded. The client
/// sends exactly this string as the URL's query, so what is signed is what
/// is sent.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn hex_sha256(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(b"0123456789abcdef"[(b >> 4) as usize]));
        s.push(char::from(b"0123456789abcdef"[(b & 15) as usize]));
    }
    s
}

/// Lowercased, sorted names and their trimmed values. Repeated names (which
/// the client never sends) would be joined with `,` as HTTP folds them.
fn canonical_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let value = value.trim().to_string();
        match list.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => {
                v.push(',');
                v.push_str(&value);
            }
            None => list.push((name, value)),
        }
    }
    list.sort();
    list
}

/// Returns the canonical request and the `SignedHeaders` list.
pub fn canonical_request(input: &SigningInput<'_>) -> (String, String) {
    let headers = canonical_headers(input.headers);
    let mut canonical = String::with_capacity(512);
    canonical.push_str(&input.method.to_ascii_uppercase());
    canonical.push('\n');
    canonical.push_str(&canonical_uri(input.path));
    canonical.push('\n');
    canonical.push_str(&canonical_query(input.query));
    canonical.push('\n');
    for (name, value) in &headers {
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(value);
        canonical.push('\n');
    }
    canonical.push('\n');
    let signed = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    canonical.push_str(&signed);
    canonical.push('\n');
    canonical.push_str(&hex_sha256(input.body));
    (canonical, signed)
}

pub fn string_to_sign(sdk_date: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        hex_sha256(canonical_request.as_bytes())
    )
}

pub fn hmac_hex(key: &[u8], data: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    hex(&mac.finalize().into_bytes())
}

/// The value of the `x-sdk-date` header among the headers to sign.
fn sdk_date(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-sdk-date"))
        .map(|(_, v)| v.as_str())
}

/// The `Authorization` header value for `input`, signed with `sk`.
/// `input.headers` must hold `X-Sdk-Date`.
pub fn authorization(input: &SigningInput<'_>, ak: &str, sk: &str) -> String {
    let (canonical, signed) = canonical_request(input);
    let date = sdk_date(input.headers).unwrap_or_default();
    let signature = hmac_hex(sk.as_bytes(), string_to_sign(date, &canonical).as_bytes());
    format!("{ALGORITHM} Access={ak}, SignedHeaders={signed}, Signature={signature}")
}

/// The parts of an `Authorization: SDK-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAuthorization {
    pub access: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

pub fn parse_authorization(value: &str) -> Option<ParsedAuthorization> {
    let rest = value.strip_prefix(ALGORITHM)?.trim_start();
    let (mut access, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Access" => access = Some(v.to_string()),
            "SignedHeaders" => {
                signed = Some(v.split(';').map(|s| s.to_ascii_lowercase()).collect())
            }
            "Signature" => signature = Some(v.to_string()),
            _ => {}
        }
    }
    Some(ParsedAuthorization {
        access: access?,
        signed_headers: signed?,
        signature: signature?,
    })
}

/// Compares in time independent of where the first difference is.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_only_unreserved() {
        assert_eq!(
            percent_encode("os.modelarts/name=a b~_-"),
            "os.modelarts%2Fname%3Da%20b~_-"
        );
        assert_eq!(canonical_uri("/v2/p/pools"), "/v2/p/pools/");
        assert_eq!(canonical_uri("/v2/p/pools/"), "/v2/p/pools/");
    }

    #[test]
    fn authorization_parses_back() {
        let p = parse_authorization(
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc",
        )
        .unwrap();
        assert_eq!(p.access, "AK");
        assert_eq!(p.signed_headers, vec!["host", "x-sdk-date"]);
        assert_eq!(p.signature, "abc");
        assert!(parse_authorization("Bearer x").is_none());
        assert!(parse_authorization("SDK-HMAC-SHA256 Access=AK").is_none());
    }
}
