//! How secrets look in every output: `<redacted>`. One place decides what a
//! secret is, so the result on stdout, the `-vv` trace, errors and `Debug`
//! all hide the same things (DESIGN.md §3).

use serde_json::Value;

/// What a secret value is shown as.
pub const REDACTED: &str = "<redacted>";

/// Replaces the value of every `password` field (any case), at any depth:
/// `spec.userLogin.password` of a request or a pool, and the same field
/// wherever else a service or a manifest may put it.
pub fn passwords(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k.eq_ignore_ascii_case("password") && !v.is_null() {
                    *v = Value::String(REDACTED.into());
                } else {
                    passwords(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(passwords),
        _ => {}
    }
}

/// Replaces every occurrence of a secret value (an SK, a token) in `text`:
/// the last line of defence for text that came from elsewhere.
/// Text from the service or a manifest, safe to print on a terminal: every
/// control character (escape sequences included) written as an escape.
pub fn terminal(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

pub fn secret_values(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if !s.is_empty() && out.contains(s) {
            out = out.replace(s, REDACTED);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn passwords_are_redacted_at_any_depth() {
        let mut v = json!({
            "spec": {"userLogin": {"keyPairName": "k", "password": "c2VjcmV0"}},
            "items": [{"Password": "x", "other": {"password": "y"}}],
            "unset": {"password": null}
        });
        passwords(&mut v);
        assert_eq!(
            v,
            json!({
                "spec": {"userLogin": {"keyPairName": "k", "password": REDACTED}},
                "items": [{"Password": REDACTED, "other": {"password": REDACTED}}],
                "unset": {"password": null}
            })
        );
        let mut none = json!({"spec": {}});
        passwords(&mut none);
        assert_eq!(none, json!({"spec": {}}));
    }

    #[test]
    fn secret_values_are_replaced_anywhere() {
        assert_eq!(
            secret_values("a CANARY b CANARY", &["CANARY", ""]),
            "a <redacted> b <redacted>"
        );
    }
}
