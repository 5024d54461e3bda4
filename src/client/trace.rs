//! Text of the `-vv` HTTP trace, with every secret redacted: the
//! `Authorization`, `X-Auth-Token`, `X-Security-Token` and
//! `X-Metadata-Token` headers, any JSON
//! `password` field (`spec.userLogin.password`), and, as a last line of
//! defence, any occurrence of a credential's secret value.

use std::time::Duration;

use serde_json::Value;

use crate::redact::{self, REDACTED};

/// Bodies longer than this are cut in the trace.
const MAX_TRACE_BODY: usize = 16 * 1024;

/// Header names whose values are never shown.
pub(crate) fn is_secret_header(name: &str) -> bool {
    [
        "authorization",
        "x-auth-token",
        "x-security-token",
        "x-metadata-token",
    ]
    .iter()
    .any(|h| name.eq_ignore_ascii_case(h))
}

fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

/// A body as the trace shows it: JSON with passwords redacted, other text
/// cut to a bounded length, binary data only counted.
pub(crate) fn body_text(body: &[u8], secrets: &[&str]) -> String {
    if body.is_empty() {
        return String::new();
    }
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => {
            redact::secrets_by_name(&mut v);
            serde_json::to_string(&v).unwrap_or_default()
        }
        Err(_) => match std::str::from_utf8(body) {
            Ok(t) => t.to_string(),
            Err(_) => return format!("<{} bytes of binary data>", body.len()),
        },
    };
    cut(&redact::secret_values(&text, secrets), MAX_TRACE_BODY)
}

/// One text line of an error message from a body that is not a JSON error:
/// control characters removed, bounded length, secrets scrubbed.
pub(crate) fn snippet(body: &[u8], secrets: &[&str]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if one_line.is_empty() {
        return None;
    }
    Some(cut(&redact::secret_values(&one_line, secrets), 300))
}

pub(crate) fn request(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    secrets: &[&str],
) -> String {
    let mut out = format!("> {method} {}", redact::secret_values(url, secrets));
    for (name, value) in headers {
        let shown = if is_secret_header(name) {
            REDACTED.to_string()
        } else {
            redact::secret_values(value, secrets)
        };
        out.push_str(&format!("\n> {name}: {shown}"));
    }
    let body = body_text(body, secrets);
    if !body.is_empty() {
        out.push_str("\n>\n> ");
        out.push_str(&body);
    }
    out
}

pub(crate) fn response(
    status: u16,
    elapsed: Duration,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
    secrets: &[&str],
) -> String {
    let mut out = format!("< HTTP {status} ({} ms)", elapsed.as_millis());
    for (name, value) in headers {
        let shown = if is_secret_header(name.as_str()) {
            REDACTED.to_string()
        } else {
            match value.to_str() {
                Ok(v) => redact::secret_values(v, secrets),
                Err(_) => "<not text>".to_string(),
            }
        };
        out.push_str(&format!("\n< {name}: {shown}"));
    }
    let body = body_text(body, secrets);
    if !body.is_empty() {
        out.push_str("\n<\n< ");
        out.push_str(&body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_at_any_depth() {
        let body = br#"{"spec":{"userLogin":{"keyPairName":"k","password":"cGFzcw=="}},"items":[{"password":"x"}]}"#;
        let text = body_text(body, &[]);
        assert!(
            !text.contains("cGFzcw==") && !text.contains("\"x\""),
            "{text}"
        );
        assert!(text.contains("\"keyPairName\":\"k\""));
        assert_eq!(text.matches(REDACTED).count(), 2);
    }

    #[test]
    fn secrets_are_scrubbed_from_any_text() {
        let t = request(
            "GET",
            "http://h/x",
            &[
                ("Authorization".into(), "SDK-HMAC-SHA256 Access=AK".into()),
                ("X-Auth-Token".into(), "TOK".into()),
                ("X-Other".into(), "has CANARY inside".into()),
            ],
            b"plain CANARY text",
            &["CANARY"],
        );
        assert!(!t.contains("CANARY") && !t.contains("TOK") && !t.contains("Access=AK"));
    }

    #[test]
    fn long_and_binary_bodies_are_bounded() {
        let long = "é".repeat(20_000);
        let t = body_text(long.as_bytes(), &[]);
        assert!(t.len() < MAX_TRACE_BODY + 64 && t.ends_with("bytes in all)"));
        assert_eq!(
            body_text(&[0xff, 0x00, 0xfe], &[]),
            "<3 bytes of binary data>"
        );
        assert_eq!(
            snippet(b"  <html>\n\tbad\x07 gateway </html>", &[]),
            Some("<html> bad gateway </html>".into())
        );
        assert_eq!(snippet(b" \n ", &[]), None);
    }
}
