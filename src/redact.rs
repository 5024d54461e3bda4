//! How secrets look in every output: `<redacted>`. One place decides what a
//! secret is, so the result on stdout, the `-vv` trace, errors and `Debug`
//! all hide the same things (DESIGN.md §3).

use serde_json::Value;

/// What a secret value is shown as.
pub const REDACTED: &str = "<redacted>";

/// Whether a field of this name holds a secret: a password, a secret, a
/// token (`securityToken`, `auth_token`), or an SK; in any case; and a
/// misspelt `password` (`pasword`, `passwrod`), which `--validate warn`
/// passes on as an unknown field with the password in it.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "sk"
        || lower.ends_with("_sk")
        || ["password", "passwd", "secret", "token"]
            .iter()
            .any(|word| lower.contains(word))
        || crate::suggest::suggest(&lower, &["password"]).is_some()
}

/// Replaces the value of every field named like a secret ([`is_secret_name`]),
/// at any depth: `spec.userLogin.password` of a request or a pool, and any
/// such field a service or a manifest (a mistyped `Password:`) puts
/// anywhere. A `null` stays `null`.
pub fn secrets_by_name(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_secret_name(k) && !v.is_null() {
                    *v = Value::String(REDACTED.into());
                } else {
                    secrets_by_name(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(secrets_by_name),
        _ => {}
    }
}

/// Whether a character may change what a terminal shows beyond itself:
/// the controls (C0, DEL, C1: escape sequences, bells, carriage returns),
/// the bidirectional overrides and isolates that reorder what follows
/// ("Trojan Source"), and the line and paragraph separators.
pub fn is_unsafe_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Text from the service or a manifest, safe to print on a terminal: every
/// character of [`is_unsafe_on_terminal`] written as an escape (`\u{1b}`),
/// so it shows and does nothing.
pub fn terminal(text: &str) -> String {
    if !text.chars().any(is_unsafe_on_terminal) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if is_unsafe_on_terminal(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// [`terminal`], keeping line breaks: for multi-line messages of our own
/// that carry text from elsewhere.
pub fn terminal_lines(text: &str) -> String {
    text.split('\n')
        .map(terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Replaces every occurrence of a secret value (an SK, a token, a password)
/// in `text`, as a whole value only: not inside a longer word, so a short
/// token never turns "The token is invalid" into "The <redacted>en ...".
/// The last line of defence for text that came from elsewhere.
pub fn secret_values(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        if !out.contains(s) {
            continue;
        }
        let mut replaced = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(s) {
            let before = rest[..at].chars().next_back();
            let after = rest[at + s.len()..].chars().next();
            let whole = before.is_none_or(|c| !is_word_char(c) || !s.starts_with(is_word_char))
                && after.is_none_or(|c| !is_word_char(c) || !s.ends_with(is_word_char));
            replaced.push_str(&rest[..at]);
            replaced.push_str(if whole { REDACTED } else { s });
            rest = &rest[at + s.len()..];
        }
        replaced.push_str(rest);
        out = replaced;
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
        secrets_by_name(&mut v);
        assert_eq!(
            v,
            json!({
                "spec": {"userLogin": {"keyPairName": "k", "password": REDACTED}},
                "items": [{"Password": REDACTED, "other": {"password": REDACTED}}],
                "unset": {"password": null}
            })
        );
        let mut none = json!({"spec": {}});
        secrets_by_name(&mut none);
        assert_eq!(none, json!({"spec": {}}));
    }

    #[test]
    fn fields_named_like_secrets_are_redacted_in_any_case() {
        let mut v = json!({"a": {"SecurityToken": "t", "sk": "s", "SK": "s", "clientSecret": "c",
                                 "auth_token": "a", "keyPairName": "k", "skip": "no", "desk": "no",
                                 "pasword": "p", "Passwrod": "p", "pass": "p",
                                 "passage": "no", "type": "no"}});
        secrets_by_name(&mut v);
        assert_eq!(
            v,
            json!({"a": {"SecurityToken": REDACTED, "sk": REDACTED, "SK": REDACTED,
                         "clientSecret": REDACTED, "auth_token": REDACTED, "keyPairName": "k",
                         "skip": "no", "desk": "no", "pasword": REDACTED, "Passwrod": REDACTED,
                         "pass": REDACTED, "passage": "no", "type": "no"}})
        );
    }

    #[test]
    fn secret_values_are_replaced_as_whole_values_only() {
        assert_eq!(
            secret_values("a CANARY b CANARY", &["CANARY", ""]),
            "a <redacted> b <redacted>"
        );
        // A short token inside an ordinary word stays.
        assert_eq!(
            secret_values("The token is invalid: tok", &["tok"]),
            "The token is invalid: <redacted>"
        );
        assert_eq!(
            secret_values("X-Auth-Token: tok,tok;\"tok\"", &["tok"]),
            "X-Auth-Token: <redacted>,<redacted>;\"<redacted>\""
        );
        // A value that starts or ends with punctuation is matched as it is.
        assert_eq!(secret_values("k=+ab/", &["+ab/"]), "k=<redacted>");
    }

    #[test]
    fn control_characters_show_and_do_nothing() {
        assert_eq!(
            terminal("a\x1b]0;PWNED\x07b\r"),
            "a\\u{1b}]0;PWNED\\u{7}b\\u{d}"
        );
        assert_eq!(terminal_lines("a\x1bb\nc"), "a\\u{1b}b\nc");
        assert_eq!(
            terminal("abc\u{202e}def\u{2028}\u{85}\u{9b}"),
            "abc\\u{202e}def\\u{2028}\\u{85}\\u{9b}"
        );
        assert_eq!(terminal("plain é ü 名"), "plain é ü 名");
    }
}
