//! One HTTP exchange: URL built by hand, headers signed, the answer read in
//! full (bounded), and every failure sorted by what it proves about whether
//! the request reached the service.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;

use std::sync::atomic::Ordering;

use super::{trace, Client, ClientEvent};
use crate::auth::signer::{self, SigningInput};
use crate::auth::Credentials;
use crate::error::{ApiError, Error};
use crate::model::read::ErrorBody;
use crate::redact;
use crate::time::{now_unix, sdk_date_from_unix};

/// Answers larger than this are refused (a list of pools is far smaller).
const MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Of an error answer only this much is read: its status decides, and the
/// body only gives the message (a 401 with a 50 MB body is a 401).
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// An endpoint, parsed once: what to connect to, the `Host` header for it,
/// and a path prefix that every request path goes under.
#[derive(Debug, Clone)]
pub(crate) struct BaseUrl {
    /// The host is this machine (`localhost`, 127.0.0.0/8, `::1`).
    pub(crate) loopback: bool,
    /// The host is a link-local address (169.254.0.0/16, `fe80::/10`): on
    /// the host's own link, as the ECS metadata service is.
    pub(crate) link_local: bool,
    /// `scheme://host[:port]`
    origin: String,
    /// `host[:port]`, the port only when it is not the scheme's default.
    pub(crate) host: String,
    /// A path the endpoint URL carried, without a trailing `/` (usually empty).
    prefix: String,
}

impl BaseUrl {
    /// `scheme://host[:port]/prefix`, as a person would write it.
    pub(crate) fn shown(&self) -> String {
        format!("{}{}", self.origin, self.prefix)
    }

    pub(crate) fn is_https(&self) -> bool {
        self.origin.starts_with("https://")
    }

    pub(crate) fn parse(flag: &str, text: &str) -> Result<BaseUrl, Error> {
        let url = reqwest::Url::parse(text.trim())
            .map_err(|e| Error::usage(format!("{flag} is not a valid URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::usage(format!(
                "{flag} must be an http:// or https:// URL, not {}://",
                url.scheme()
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::usage(format!(
                "{flag} must not hold a user name or password"
            )));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::usage(format!(
                "{flag} must not have a query or a fragment"
            )));
        }
        let Some(host) = url.host_str() else {
            return Err(Error::usage(format!("{flag} has no host")));
        };
        let ip = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .ok();
        let loopback =
            host.eq_ignore_ascii_case("localhost") || ip.is_some_and(|ip| ip.is_loopback());
        let link_local = match ip {
            Some(std::net::IpAddr::V4(v4)) => v4.is_link_local(),
            Some(std::net::IpAddr::V6(v6)) => (v6.segments()[0] & 0xffc0) == 0xfe80,
            None => false,
        };
        // `Url::port` is None when the port is the scheme's default, which is
        // exactly when the Host header omits it.
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        Ok(BaseUrl {
            loopback,
            link_local,
            origin: format!("{}://{host}", url.scheme()),
            host,
            prefix: url.path().trim_end_matches('/').to_string(),
        })
    }
}

/// A request to make, possibly several times.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub base: &'a BaseUrl,
    /// To the ModelArts endpoint: when it cannot be reached, the region's
    /// further endpoints are tried in turn (`Target::fallback_endpoints`).
    pub failover: bool,
    /// Under the endpoint's prefix, starting with `/`; every segment is made
    /// of unreserved characters only, so it is sent exactly as signed.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: &'a [u8],
    /// `application/json`, or `application/merge-patch+json` for a PATCH.
    pub content_type: &'static str,
    pub project_id: Option<&'a str>,
    /// Secret values the body carries (`userLogin.password`), kept out of
    /// every message and trace of this call, as the credentials are.
    pub body_secrets: Vec<&'a str>,
}

/// A complete answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

/// Why an attempt did not give a 2xx answer, sorted by what it proves.
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// No connection was made: the request provably did not reach the service.
    NotSent(String),
    /// Not sent, for want of credentials to sign it with (temporary ones
    /// that could not be renewed); they may come back, so it is retried.
    Unsigned(String),
    /// The request may have reached the service: timeout, reset, incomplete answer.
    Ambiguous(String),
    /// A complete non-2xx answer.
    Status(Reply),
    /// A 2xx answer larger than any answer poolctl reads: the service
    /// answered, and asking again would only bring the same.
    TooLarge(u16),
    /// Nothing was sent, and sending again will not help (a bug, or a value
    /// that cannot go in a header).
    Local(String),
}

impl Failure {
    /// For GET and DELETE: connect errors, timeouts, resets, 429 and 5xx.
    pub(crate) fn retryable_idempotent(&self) -> bool {
        match self {
            Failure::NotSent(_) | Failure::Unsigned(_) | Failure::Ambiguous(_) => true,
            Failure::Status(r) => r.status == 429 || r.status >= 500,
            Failure::Local(_) | Failure::TooLarge(_) => false,
        }
    }

    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Status(r) => r.retry_after,
            _ => None,
        }
    }

    /// One line for a `Retry` event.
    pub(crate) fn reason(&self) -> String {
        match self {
            Failure::NotSent(d) => format!("could not connect: {d}"),
            Failure::Unsigned(d) => format!("not sent: {d}"),
            Failure::Ambiguous(d) => d.clone(),
            Failure::Status(r) => {
                let body = ErrorBody::read(&r.body);
                match body.and_then(|b| b.error_code) {
                    Some(code) => format!("HTTP {} ({code})", r.status),
                    None => format!("HTTP {}", r.status),
                }
            }
            Failure::Local(d) => d.clone(),
            Failure::TooLarge(status) => format!(
                "HTTP {status}, but the answer is larger than {} MiB",
                MAX_RESPONSE_BYTES >> 20
            ),
        }
    }
}

/// The typed error for a failure after `attempts` attempts (DESIGN.md §2).
pub(crate) fn failure_error(
    what: &str,
    failure: Failure,
    attempts: u32,
    secrets: &[&str],
) -> Error {
    let tries = if attempts == 1 {
        "1 attempt".to_string()
    } else {
        format!("{attempts} attempts")
    };
    match failure {
        Failure::NotSent(d) => Error::Unavailable {
            what: what.to_string(),
            detail: format!("could not connect (gave up after {tries}): {d}"),
        },
        Failure::Unsigned(d) => Error::Unavailable {
            what: what.to_string(),
            detail: format!("not sent (gave up after {tries}): {d}"),
        },
        Failure::Ambiguous(d) => Error::Unavailable {
            what: what.to_string(),
            detail: format!("no complete answer (gave up after {tries}): {d}"),
        },
        Failure::Local(d) => Error::Internal(anyhow::anyhow!("{what}: {d}")),
        Failure::TooLarge(status) => Error::Unreadable {
            what: what.to_string(),
            status,
            detail: format!(
                "the answer is larger than {} MiB, which poolctl does not read",
                MAX_RESPONSE_BYTES >> 20
            ),
        },
        Failure::Status(reply) => {
            let api = api_error(&reply, secrets);
            let what = what.to_string();
            match reply.status {
                401 | 403 => Error::Auth { what, api },
                409 => Error::AlreadyExists { what, api },
                429 | 500.. => Error::Unavailable {
                    what,
                    detail: format!("gave up after {tries}: {api}"),
                },
                _ => Error::Api { what, api },
            }
        }
    }
}

/// The service's error body (`error_code`/`error_msg` or `code`/`message`)
/// and request id; a body that is not such JSON becomes a one-line message.
pub(crate) fn api_error(reply: &Reply, secrets: &[&str]) -> ApiError {
    let parsed = ErrorBody::read(&reply.body);
    let (error_code, error_msg) = match parsed {
        Some(b) => (
            b.error_code.map(|c| redact::secret_values(&c, secrets)),
            b.error_msg.map(|m| redact::secret_values(&m, secrets)),
        ),
        None => (None, trace::snippet(&reply.body, secrets)),
    };
    ApiError {
        status: reply.status,
        error_code,
        error_msg,
        request_id: reply.request_id.clone(),
    }
}

/// A path segment we put in a URL: unreserved characters only, so the
/// signed canonical URI and the sent path agree with no encoding at all.
pub(crate) fn segment<'a>(what: &str, value: &'a str) -> Result<&'a str, Error> {
    let ok = !value.is_empty()
        && value.len() <= 256
        && value != "."
        && value != ".."
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    if ok {
        Ok(value)
    } else {
        Err(Error::usage(format!(
            "`{}` is not a valid {what}: use letters, digits, `-`, `_`, `.` and `~` only",
            value.chars().take(80).collect::<String>()
        )))
    }
}

pub(crate) fn describe_error(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn classify(err: &reqwest::Error, timeout: Duration, secrets: &[&str]) -> Failure {
    let detail = redact::secret_values(&describe_error(err), secrets);
    if err.is_connect() {
        Failure::NotSent(detail)
    } else if err.is_builder() {
        Failure::Local(detail)
    } else if err.is_timeout() {
        Failure::Ambiguous(format!(
            "timed out after {} (--request-timeout)",
            crate::duration::format_duration(timeout)
        ))
    } else {
        Failure::Ambiguous(detail)
    }
}

impl Client {
    /// The headers of one attempt, `Authorization` last. Signed with a fresh
    /// `X-Sdk-Date` each time, so a retry is never stale.
    fn headers(
        call: &Call<'_>,
        base: &BaseUrl,
        full_path: &str,
        credentials: &Credentials,
    ) -> Result<Vec<(String, String)>, Failure> {
        let mut headers: Vec<(String, String)> = vec![
            ("Content-Type".into(), call.content_type.into()),
            ("Host".into(), base.host.clone()),
        ];
        if let Some(p) = call.project_id {
            headers.push(("X-Project-Id".into(), p.to_string()));
        }
        match credentials {
            Credentials::AkSk {
                ak,
                sk,
                security_token,
            } => {
                headers.push(("X-Sdk-Date".into(), sdk_date_from_unix(now_unix())));
                if let Some(t) = security_token {
                    headers.push(("X-Security-Token".into(), t.expose().to_string()));
                }
                let auth = signer::authorization(
                    &SigningInput {
                        method: call.method.as_str(),
                        path: full_path,
                        query: &call.query,
                        headers: &headers,
                        body: call.body,
                    },
                    ak,
                    sk.expose(),
                );
                headers.push(("Authorization".into(), auth));
            }
            Credentials::Token(token) => {
                headers.push(("X-Auth-Token".into(), token.expose().to_string()));
            }
            Credentials::EcsMetadata { .. } => {
                return Err(Failure::Local(
                    "the temporary credentials were not fetched before the request".into(),
                ))
            }
        }
        Ok(headers)
    }

    /// One attempt. `Ok` only for a complete 2xx answer. With further
    /// endpoints, one that cannot be reached (no connection: the request
    /// provably did not leave) gives way to the next, as in the SDK; the
    /// one that answers is kept for the next requests.
    pub(crate) async fn attempt(&self, call: &Call<'_>, attempt: u32) -> Result<Reply, Failure> {
        if !call.failover || self.fallbacks.is_empty() {
            return self.attempt_at(call, call.base, attempt).await;
        }
        let count = 1 + self.fallbacks.len();
        let base = |i: usize| {
            if i == 0 {
                &self.endpoint
            } else {
                &self.fallbacks[i - 1]
            }
        };
        let first = self.active_endpoint.load(Ordering::Relaxed) % count;
        let mut unreachable = Vec::new();
        for step in 0..count {
            let index = (first + step) % count;
            match self.attempt_at(call, base(index), attempt).await {
                Err(Failure::NotSent(detail)) => {
                    let next = (index + 1) % count;
                    if step + 1 < count {
                        self.observer.event(ClientEvent::Note(format!(
                            "{} cannot be reached ({detail}); trying {}",
                            base(index).shown(),
                            base(next).shown()
                        )));
                    }
                    unreachable.push(format!("{}: {detail}", base(index).shown()));
                    self.active_endpoint.store(next, Ordering::Relaxed);
                }
                other => return other,
            }
        }
        Err(Failure::NotSent(unreachable.join("; ")))
    }

    /// One attempt at `base`.
    async fn attempt_at(
        &self,
        call: &Call<'_>,
        base: &BaseUrl,
        attempt: u32,
    ) -> Result<Reply, Failure> {
        // Temporary credentials due for renewal are renewed first; none
        // that can be used means the request is not sent (and is retried).
        let credentials = self
            .signing_credentials()
            .await
            .map_err(Failure::Unsigned)?;
        let mut secrets = credentials.secrets();
        secrets.extend(call.body_secrets.iter().copied());
        let full_path = format!("{}{}", base.prefix, call.path);
        let query = signer::canonical_query(&call.query);
        let url = if query.is_empty() {
            format!("{}{full_path}", base.origin)
        } else {
            format!("{}{full_path}?{query}", base.origin)
        };
        let headers = Self::headers(call, base, &full_path, &credentials)?;

        let mut map = HeaderMap::with_capacity(headers.len());
        for (name, value) in &headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Failure::Local(format!("`{name}` is not a header name")))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                // Never echo the value: it may be a secret.
                Failure::Local(format!(
                    "the value of {name} has characters that cannot go in an HTTP header"
                ))
            })?;
            value.set_sensitive(trace::is_secret_header(name.as_str()));
            map.insert(name, value);
        }

        self.observer.event(ClientEvent::Request {
            method: call.method.to_string(),
            url: url.clone(),
            attempt,
        });
        if self.observer.wants_trace() {
            let mut shown = headers.clone();
            shown.push(("User-Agent".into(), super::USER_AGENT.into()));
            self.observer.event(ClientEvent::Trace(trace::request(
                call.method.as_str(),
                &url,
                &shown,
                call.body,
                &secrets,
            )));
        }

        let started = Instant::now();
        let http = if base.loopback {
            &self.direct
        } else {
            &self.proxied
        };
        let Some(http) = http else {
            return Err(Failure::Local("no HTTP client for this host".into()));
        };
        let mut request = http.request(call.method.clone(), &url).headers(map);
        if !call.body.is_empty() {
            request = request.body(call.body.to_vec());
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| classify(&e, self.request_timeout, &secrets))?;

        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
        };
        let request_id = header("x-request-id");
        if let Some(date) = header("date").and_then(|d| crate::time::parse_http_date(&d)) {
            self.note_service_clock(date);
        }
        let retry_after = header("retry-after")
            .and_then(|v| v.parse::<u64>().ok())
            .map(Duration::from_secs);

        let mut body = Vec::new();
        loop {
            let failed = !(200..300).contains(&status);
            match response.chunk().await {
                Ok(Some(chunk)) if failed && body.len() + chunk.len() > MAX_ERROR_BODY_BYTES => {
                    let room = MAX_ERROR_BODY_BYTES - body.len();
                    body.extend_from_slice(&chunk[..room.min(chunk.len())]);
                    break;
                }
                // The status is known: what was read of the message will do.
                Err(_) if failed => break,
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                        return Err(Failure::TooLarge(status));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    let failure = classify(&e, self.request_timeout, &secrets);
                    return Err(match failure {
                        Failure::Ambiguous(d) | Failure::NotSent(d) => Failure::Ambiguous(format!(
                            "HTTP {status}, but the answer was cut off: {d}"
                        )),
                        other => other,
                    });
                }
            }
        }
        let elapsed = started.elapsed();

        self.observer.event(ClientEvent::Response {
            status,
            request_id: request_id.clone(),
            elapsed,
        });
        if self.observer.wants_trace() {
            self.observer.event(ClientEvent::Trace(trace::response(
                status,
                elapsed,
                response.headers(),
                &body,
                &secrets,
            )));
        }

        let reply = Reply {
            status,
            request_id,
            retry_after,
            body,
        };
        if (200..300).contains(&status) {
            Ok(reply)
        } else {
            Err(Failure::Status(reply))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let b = BaseUrl::parse("--endpoint", "https://modelarts.x.com").unwrap();
        assert_eq!(
            (b.origin.as_str(), b.host.as_str(), b.prefix.as_str()),
            ("https://modelarts.x.com", "modelarts.x.com", "")
        );
        let b = BaseUrl::parse("--endpoint", "https://h.com:443/").unwrap();
        assert_eq!(b.host, "h.com");
        let b = BaseUrl::parse("--endpoint", "http://127.0.0.1:8765/api/").unwrap();
        assert_eq!(
            (b.host.as_str(), b.prefix.as_str()),
            ("127.0.0.1:8765", "/api")
        );
        let b = BaseUrl::parse("--endpoint", "http://[::1]:80").unwrap();
        assert_eq!(b.host, "[::1]");
        for bad in [
            "ftp://h",
            "https://u:p@h",
            "https://h/?q=1",
            "not a url",
            "http://",
        ] {
            let err = BaseUrl::parse("--endpoint", bad).unwrap_err();
            assert_eq!(err.exit_status().code(), 2, "{bad}");
            assert!(!err.to_string().contains("u:p"));
        }
    }

    #[test]
    fn segments() {
        assert!(segment("pool name", "pool-ae01-6f5d").is_ok());
        for bad in ["", ".", "..", "a/b", "a b", "a?b", "é"] {
            assert_eq!(
                segment("pool name", bad).unwrap_err().exit_status().code(),
                2
            );
        }
    }

    #[test]
    fn error_mapping() {
        let reply = |status: u16, body: &str| Reply {
            status,
            request_id: Some("rid".into()),
            retry_after: None,
            body: body.as_bytes().to_vec(),
        };
        let code = |status, body| {
            failure_error("x", Failure::Status(reply(status, body)), 1, &[])
                .exit_status()
                .code()
        };
        assert_eq!(code(400, ""), 3);
        assert_eq!(code(404, ""), 3);
        assert_eq!(code(422, ""), 3);
        assert_eq!(code(401, ""), 4);
        assert_eq!(code(403, ""), 4);
        assert_eq!(code(409, ""), 5);
        assert_eq!(code(429, ""), 8);
        assert_eq!(code(500, ""), 8);
        assert_eq!(code(503, ""), 8);
        let e = failure_error("x", Failure::NotSent("refused".into()), 5, &[]);
        assert_eq!(e.exit_status().code(), 8);
        assert!(e.to_string().contains("5 attempts"));

        let api = api_error(
            &reply(
                404,
                r#"{"error_code":"ModelArts.50015001","error_msg":"not found"}"#,
            ),
            &[],
        );
        assert_eq!(api.error_code.as_deref(), Some("ModelArts.50015001"));
        assert_eq!(api.error_msg.as_deref(), Some("not found"));
        assert_eq!(api.request_id.as_deref(), Some("rid"));
        let api = api_error(
            &reply(401, r#"{"code":"APIG.0301","message":"bad sig"}"#),
            &[],
        );
        assert_eq!(api.error_code.as_deref(), Some("APIG.0301"));
        assert_eq!(api.error_msg.as_deref(), Some("bad sig"));
        let api = api_error(&reply(502, "<html>Bad Gateway SECRET</html>"), &["SECRET"]);
        assert_eq!(api.error_code, None);
        assert_eq!(
            api.error_msg.as_deref(),
            Some("<html>Bad Gateway <redacted></html>")
        );
    }
}
