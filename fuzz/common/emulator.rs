//! The `emulator` target's input and properties, shared with the replay of
//! `fuzz/regressions/emulator/` (`tests/emulator_fuzz_regressions.rs`), so
//! both decode the same bytes the same way and check the same things.
//!
//! An input is text, laid out like an HTTP request after a first line that
//! says how it authenticates:
//!
//! ```text
//! valid
//! POST /v2/{project}/pools?x=1
//! Content-Type: application/json
//!
//! {"kind": "Pool", ...}
//! ```
//!
//! - line 1, the mode: `valid` (signed over what is sent, with the
//!   emulator's key), `token` (its `X-Auth-Token`), `tampered` (signed, then
//!   the signature changed), and modes refused from the headers alone:
//!   `stale` (signed 16 minutes ago), `wrongkey` (another access key),
//!   `unsent` (a signed header that is not sent), `nosign` (no credentials),
//!   `badtoken` (another token). Anything else is `raw`: the headers as given.
//! - line 2, `METHOD TARGET`; then header lines `Name: value` up to an empty
//!   line; the rest is the body. `{project}`, `{pool}`, `{order}`,
//!   `{running}`, `{ak}` and `{token}` in the target and in header values
//!   are the emulator's project id, its first pool (`Waiting` for its
//!   order), that pool's unpaid order, its `Running` pool (which a PATCH
//!   can change), access key and token.
//!
//! Properties, for every input HTTP can carry:
//!
//! - nothing panics;
//! - the status is one `api/NOTES.md` allows for a request the emulator
//!   answers without injected faults (200, 400, 401, 403, 404, 409, 413),
//!   204 from the emulator's pay call, or 415 from a PATCH that is not a
//!   JSON merge patch; every answer has an
//!   `X-Request-Id` and is JSON (a 204 has no body), and every 4xx/5xx is
//!   `{"error_code": "...", "error_msg": "..."}`;
//! - a `valid` or `token` request is never refused as unauthenticated;
//! - a request refused from its headers is refused before its body is read:
//!   in those modes the body never ends, and is never read;
//! - the pools change only on a 200 to an authenticated `POST`, `PATCH` or
//!   `DELETE`, or a 204 to an authenticated `POST` (the pay call): an
//!   unsigned or badly signed request never changes anything.

use poolctl::emulator::harness::{self, Answer, Harness, Input};

/// How the input authenticates (its first line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Valid,
    Token,
    Tampered,
    Stale,
    WrongKey,
    Unsent,
    NoSign,
    BadToken,
    Raw,
}

impl Mode {
    fn parse(word: &str) -> Mode {
        match word.trim() {
            "valid" => Mode::Valid,
            "token" => Mode::Token,
            "tampered" => Mode::Tampered,
            "stale" => Mode::Stale,
            "wrongkey" => Mode::WrongKey,
            "unsent" => Mode::Unsent,
            "nosign" => Mode::NoSign,
            "badtoken" => Mode::BadToken,
            _ => Mode::Raw,
        }
    }

    /// Refused from the headers alone, whatever the body.
    fn refused_at_headers(self) -> bool {
        matches!(
            self,
            Mode::Stale | Mode::WrongKey | Mode::Unsent | Mode::NoSign | Mode::BadToken
        )
    }
}

/// The input's lines: mode, request line, headers; then the body.
pub struct Decoded {
    pub mode: Mode,
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

/// Splits off one line (without its `\n` or `\r\n`).
fn line<'a>(data: &mut &'a [u8]) -> &'a [u8] {
    let (line, rest) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (*data, &data[data.len()..]),
    };
    *data = rest;
    line.strip_suffix(b"\r").unwrap_or(line)
}

pub fn decode(mut data: &[u8]) -> Decoded {
    let mode = Mode::parse(&String::from_utf8_lossy(line(&mut data)));
    let request_line = String::from_utf8_lossy(line(&mut data)).into_owned();
    let (method, target) = request_line
        .split_once(' ')
        .map(|(m, t)| (m.to_string(), t.to_string()))
        .unwrap_or((request_line.clone(), String::new()));
    let mut headers = Vec::new();
    while !data.is_empty() {
        let l = line(&mut data);
        if l.is_empty() {
            break;
        }
        let (name, value) = match l.iter().position(|b| *b == b':') {
            Some(i) => (&l[..i], &l[i + 1..]),
            None => (l, &l[l.len()..]),
        };
        let value = value.strip_prefix(b" ").unwrap_or(value);
        headers.push((String::from_utf8_lossy(name).into_owned(), value.to_vec()));
    }
    Decoded {
        mode,
        method,
        target,
        headers,
        body: data.to_vec(),
    }
}

fn substitute(s: &str, emu: &harness::Emulator<'_>) -> String {
    s.replace("{project}", harness::PROJECT_ID)
        .replace("{pool}", emu.pool())
        .replace("{order}", emu.order())
        .replace("{running}", emu.running())
        .replace("{ak}", harness::AK)
        .replace("{token}", harness::TOKEN)
}

/// The header named `name` (any case) of `input`, if any.
fn header<'a>(input: &'a Input, name: &str) -> Option<&'a [u8]> {
    input
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_slice())
}

fn set_header(input: &mut Input, name: &str, value: &[u8]) {
    input.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    input.headers.push((name.to_string(), value.to_vec()));
}

fn remove_credentials(input: &mut Input) {
    input.headers.retain(|(n, _)| {
        !n.eq_ignore_ascii_case("authorization") && !n.eq_ignore_ascii_case("x-auth-token")
    });
}

/// The request an input stands for, on `emu`.
pub fn request(decoded: &Decoded, emu: &harness::Emulator<'_>) -> Input {
    let mut input = Input {
        method: decoded.method.clone(),
        target: substitute(&decoded.target, emu),
        headers: decoded
            .headers
            .iter()
            .map(|(n, v)| {
                let v = String::from_utf8(v.clone())
                    .map(|s| substitute(&s, emu).into_bytes())
                    .unwrap_or_else(|e| e.into_bytes());
                (n.clone(), v)
            })
            .collect(),
        body: decoded.body.clone(),
        stalled: decoded.mode.refused_at_headers(),
    };
    let now = poolctl::time::now_unix();
    match decoded.mode {
        Mode::Valid => emu.sign(&mut input, now),
        Mode::Token => {
            remove_credentials(&mut input);
            set_header(&mut input, "X-Auth-Token", harness::TOKEN.as_bytes());
        }
        Mode::Tampered => {
            emu.sign(&mut input, now);
            let mut auth = header(&input, "authorization").unwrap_or_default().to_vec();
            if let Some(last) = auth.last_mut() {
                *last = if *last == b'0' { b'1' } else { b'0' };
            }
            set_header(&mut input, "Authorization", &auth);
        }
        Mode::Stale => emu.sign(&mut input, now - 16 * 60),
        Mode::WrongKey => {
            emu.sign(&mut input, now);
            let auth = String::from_utf8_lossy(header(&input, "authorization").unwrap_or_default())
                .replace(harness::AK, "EMUNOTTHEKEY00000000");
            set_header(&mut input, "Authorization", auth.as_bytes());
        }
        Mode::Unsent => {
            emu.sign(&mut input, now);
            let auth = String::from_utf8_lossy(header(&input, "authorization").unwrap_or_default())
                .replace("SignedHeaders=", "SignedHeaders=x-never-sent;");
            input
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("x-never-sent"));
            set_header(&mut input, "Authorization", auth.as_bytes());
        }
        Mode::NoSign => remove_credentials(&mut input),
        Mode::BadToken => {
            remove_credentials(&mut input);
            set_header(&mut input, "X-Auth-Token", b"not-the-fuzz-token");
        }
        Mode::Raw => {}
    }
    input
}

/// Statuses the emulator answers without injected faults (api/NOTES.md,
/// docs/emulator.md): 200, 204 (the pay call), the 4xx of its error table
/// (415: a PATCH that is not a merge patch).
const ALLOWED: [u16; 9] = [200, 204, 400, 401, 403, 404, 409, 413, 415];

/// Checks the properties for one input; `name` says which in a failure.
pub fn check(name: &str, data: &[u8]) {
    static HARNESS: std::sync::OnceLock<Harness> = std::sync::OnceLock::new();
    let harness = HARNESS.get_or_init(Harness::new);
    let decoded = decode(data);
    let emu = harness.emulator();
    let input = request(&decoded, &emu);
    let before = emu.version();
    let Ok(answer) = emu.call(&input) else {
        // Not a request HTTP can carry: hyper would have refused it.
        return;
    };
    let after = emu.version();
    let show = |a: &Answer| {
        format!(
            "{name}: {:?} {} {} => {} {}",
            decoded.mode,
            input.method,
            input.target,
            a.status,
            String::from_utf8_lossy(&a.body)
        )
    };

    assert!(
        ALLOWED.contains(&answer.status),
        "status: {}",
        show(&answer)
    );
    let id = answer.header("x-request-id").unwrap_or_default();
    assert!(
        id.len() == 32 && id.iter().all(|b| b.is_ascii_hexdigit()),
        "X-Request-Id: {}",
        show(&answer)
    );
    let body: serde_json::Value = if answer.status == 204 {
        assert!(
            answer.body.is_empty(),
            "a 204 with a body: {}",
            show(&answer)
        );
        serde_json::Value::Null
    } else {
        let json = answer
            .header("content-type")
            .is_some_and(|t| t.starts_with(b"application/json"));
        assert!(json, "content type: {}", show(&answer));
        serde_json::from_slice(&answer.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", show(&answer)))
    };
    let code = body["error_code"].as_str();
    if answer.status >= 400 {
        assert!(
            code.is_some_and(|c| !c.is_empty())
                && body["error_msg"].as_str().is_some_and(|m| !m.is_empty()),
            "error body: {}",
            show(&answer)
        );
    }

    // What the gateway answers before it looks at credentials: no such API,
    // a declared body over the limit, a path or query it cannot decode.
    let msg = body["error_msg"].as_str().unwrap_or_default();
    let before_auth = (answer.status == 404 && code == Some("APIG.0101"))
        || (answer.status == 413 && code == Some("APIG.0201"))
        || (answer.status == 400 && msg.contains("malformed percent-encoding"));
    let refused = answer.status == 401 || before_auth;
    match decoded.mode {
        Mode::Valid | Mode::Token => {
            assert!(answer.status != 401, "refused: {}", show(&answer))
        }
        Mode::Tampered => assert!(refused, "accepted: {}", show(&answer)),
        mode if mode.refused_at_headers() => {
            assert!(refused, "accepted: {}", show(&answer));
            assert!(
                !answer.body_read,
                "the body was read before refusing: {}",
                show(&answer)
            );
        }
        _ => {}
    }

    if after != before {
        let token = header(&input, "x-auth-token") == Some(harness::TOKEN.as_bytes())
            && header(&input, "authorization").is_none();
        let authenticated = match decoded.mode {
            Mode::Valid | Mode::Token => true,
            Mode::Raw => token,
            _ => false,
        };
        let changing = match answer.status {
            200 => matches!(input.method.as_str(), "POST" | "PATCH" | "DELETE"),
            204 => input.method == "POST",
            _ => false,
        };
        assert!(
            authenticated && changing,
            "the pools changed: {}",
            show(&answer)
        );
    }
}
