//! Temporary credentials from the ECS metadata service, asked for before
//! the first request and again before they expire, so that a `--wait` of
//! hours keeps signing with valid ones. What is asked and how the answer
//! reads is in [`crate::auth::metadata`]; this is the asking.
//!
//! - One request at a time: concurrent requests that find the credentials
//!   due wait for the one lookup, and then use its result.
//! - The service is link-local plain http, never reached through a proxy,
//!   with short timeouts ([`metadata::CONNECT_TIMEOUT`],
//!   [`metadata::REQUEST_TIMEOUT`]). A connection that fails ends the
//!   lookup: off ECS it costs one connect timeout, once per run.
//! - A refresh that fails while the credentials in hand are still good
//!   keeps them (a warning says so), and is tried again later; once they
//!   are used up, a request fails as not sent (retried, then exit 8).
//! - The session token (`X-Metadata-Token`), the SK and the security token
//!   never show: the trace redacts the header, the token answer, and the
//!   secret fields of the credentials answer; an answer that is not JSON is
//!   not shown at all.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::Method;

use super::transport::{describe_error, BaseUrl};
use super::{trace, ClientEvent, Observer};
use crate::auth::metadata::{self, Temporary};
use crate::auth::Credentials;
use crate::error::Error;
use crate::redact::REDACTED;
use crate::time::{now_unix, rfc3339_from_unix};

/// How many sets of credentials are remembered for redaction.
const REMEMBERED: usize = 8;

/// Credentials from the metadata service, and when to ask again.
#[derive(Debug)]
pub(crate) struct Held {
    pub credentials: Arc<Credentials>,
    temporary: Temporary,
    /// Ask for new ones from then on (seconds since the epoch).
    refresh_unix: u64,
}

/// The metadata service of one run.
pub(crate) struct Metadata {
    base: BaseUrl,
    http: reqwest::Client,
    /// The sources before it, for the error when it has nothing either.
    looked_at_first: Vec<String>,
    held: Mutex<Option<Arc<Held>>>,
    /// Held while asking: the session token, and one lookup at a time.
    session: tokio::sync::Mutex<Session>,
    /// The SK and security token of every set held in this run.
    seen: Mutex<Vec<String>>,
}

#[derive(Default)]
struct Session {
    /// The `X-Metadata-Token` and when it was given.
    token: Option<(String, Instant)>,
}

/// Why the lookup gave no credentials, as one clause for a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Why {
    /// No connection, or no answer in time.
    NoAnswer(String),
    /// It answered, but not with credentials.
    Answered(String),
    /// The ECS has no agency.
    NoAgency,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::NoAnswer(d) | Why::Answered(d) => f.write_str(d),
            Why::NoAgency => write!(
                f,
                "it answered \"{}\": this ECS has no agency",
                metadata::NO_AGENCY
            ),
        }
    }
}

/// One exchange's outcome.
struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl Metadata {
    pub(crate) fn new(
        endpoint: &str,
        looked_at_first: Vec<String>,
        allow_plain_http: bool,
        observer: &dyn Observer,
    ) -> Result<Metadata, Error> {
        let base = BaseUrl::parse(metadata::ENV_METADATA_ENDPOINT, endpoint)?;
        // Plain http is what the metadata service speaks, at an address
        // that never leaves the host (link-local 169.254.0.0/16, fe80::/10)
        // or this machine. Nothing of ours is sent to it; it sends the
        // credentials. Anywhere else they would cross a network in
        // cleartext: that needs the same opt-in as an endpoint.
        if !base.is_https() && !base.loopback && !base.link_local {
            let shown = base.shown();
            if !allow_plain_http {
                return Err(Error::usage_hint(
                    format!(
                        "{} {shown} is plain http to another machine: the temporary \
                         credentials would cross the network in cleartext; nothing was sent",
                        metadata::ENV_METADATA_ENDPOINT
                    ),
                    "use https://, a link-local or loopback address, or, on a network you \
                     trust, add --allow-plain-http",
                ));
            }
            observer.event(ClientEvent::Warning(format!(
                "{} {shown}: temporary credentials come in cleartext over plain http \
                 (--allow-plain-http)",
                metadata::ENV_METADATA_ENDPOINT
            )));
        }
        let mut builder = reqwest::Client::builder()
            .user_agent(super::USER_AGENT)
            .connect_timeout(metadata::CONNECT_TIMEOUT)
            .timeout(metadata::REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            // The metadata service is on the host's own link: a proxy could
            // not reach it, and would see the credentials if it did.
            .no_proxy();
        if !base.is_https() {
            builder = builder.tls_certs_only(Vec::new());
        }
        let http = builder.build().map_err(|e| {
            Error::Internal(anyhow::anyhow!(
                "cannot set up HTTP for the metadata service: {e}"
            ))
        })?;
        Ok(Metadata {
            base,
            http,
            looked_at_first,
            held: Mutex::new(None),
            session: tokio::sync::Mutex::new(Session::default()),
            seen: Mutex::new(Vec::new()),
        })
    }

    /// `the ECS metadata service at http://169.254.169.254`
    pub(crate) fn name(&self) -> String {
        format!("the ECS metadata service at {}", self.base.shown())
    }

    /// The SK and security token of every set held in this run.
    pub(crate) fn secrets(&self) -> Vec<String> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn held(&self) -> Option<Arc<Held>> {
        self.held.lock().ok()?.clone()
    }

    fn hold(&self, held: Arc<Held>) {
        if let Ok(mut seen) = self.seen.lock() {
            for secret in [
                held.temporary.sk.expose(),
                held.temporary.security_token.expose(),
            ] {
                if !seen.iter().any(|s| s == secret) {
                    seen.push(secret.to_string());
                }
            }
            let len = seen.len();
            if len > 2 * REMEMBERED {
                seen.drain(..len - 2 * REMEMBERED);
            }
        }
        if let Ok(mut h) = self.held.lock() {
            *h = Some(held);
        }
    }

    /// The first lookup, before any request: no credentials here means no
    /// credentials at all (exit 4), naming every place looked at.
    pub(crate) async fn first(&self, observer: &dyn Observer) -> Result<(), Error> {
        if self.held().is_some() {
            return Ok(());
        }
        let mut session = self.session.lock().await;
        match self.fetch(&mut session, observer).await {
            Ok(held) => {
                self.hold(held);
                Ok(())
            }
            Err(why) => {
                let mut looked_at = self.looked_at_first.clone();
                looked_at.push(format!("{} ({why})", self.name()));
                Err(Error::NoCredentials { looked_at })
            }
        }
    }

    /// Credentials to sign with now: those in hand, or new ones when they
    /// are due. `Err` says why there are none that can be used, as one
    /// clause.
    pub(crate) async fn current(
        &self,
        observer: &dyn Observer,
    ) -> Result<Arc<Credentials>, String> {
        let now = now_unix();
        if let Some(h) = self.held().filter(|h| now < h.refresh_unix) {
            return Ok(h.credentials.clone());
        }
        let mut session = self.session.lock().await;
        // Another request may have refreshed them meanwhile.
        let now = now_unix();
        let before = self.held();
        if let Some(h) = before.as_ref().filter(|h| now < h.refresh_unix) {
            return Ok(h.credentials.clone());
        }
        match self.fetch(&mut session, observer).await {
            Ok(held) => {
                let credentials = held.credentials.clone();
                self.hold(held);
                Ok(credentials)
            }
            Err(why) => match before {
                Some(h) if h.temporary.usable_at(now) => {
                    // Keep them; try again in a while, before they end.
                    let left = h.temporary.expires_unix.saturating_sub(now);
                    let again = now + (left / 4).clamp(1, 60);
                    observer.event(ClientEvent::Warning(format!(
                        "could not renew the temporary credentials from {} ({why}); \
                         using those in hand until {}",
                        self.name(),
                        rfc3339_from_unix(h.temporary.expires_unix)
                    )));
                    let credentials = h.credentials.clone();
                    self.hold(Arc::new(Held {
                        credentials: h.credentials.clone(),
                        temporary: h.temporary.clone(),
                        refresh_unix: again.min(h.temporary.expires_unix),
                    }));
                    Ok(credentials)
                }
                _ => Err(format!(
                    "no usable temporary credentials: {} gave none ({why})",
                    self.name()
                )),
            },
        }
    }

    /// Asks the service, as the SDK does (see [`crate::auth::metadata`]).
    async fn fetch(
        &self,
        session: &mut Session,
        observer: &dyn Observer,
    ) -> Result<Arc<Held>, Why> {
        // A session token lives 6 h; a new one is asked for a little before.
        let ttl = Duration::from_secs(metadata::TOKEN_TTL_SECS - 60);
        if session
            .token
            .as_ref()
            .is_none_or(|(_, at)| at.elapsed() > ttl)
        {
            session.token = self.session_token(observer, false).await?;
        }
        let mut answer = self.security_key(session, observer).await?;
        let stale = answer.status == 401 && !mentions_no_agency(&answer.body);
        if stale {
            session.token = self.session_token(observer, true).await?;
            answer = self.security_key(session, observer).await?;
        }
        if answer.status >= 400 {
            if mentions_no_agency(&answer.body) {
                return Err(Why::NoAgency);
            }
            return Err(Why::Answered(format!(
                "it answered HTTP {} to GET {}",
                answer.status,
                metadata::SECURITY_KEY_PATH
            )));
        }
        if !(200..300).contains(&answer.status) {
            return Err(Why::Answered(format!(
                "it answered HTTP {} to GET {}",
                answer.status,
                metadata::SECURITY_KEY_PATH
            )));
        }
        let temporary = metadata::parse_security_key(&answer.body)
            .map_err(|e| Why::Answered(format!("it answered, but not with credentials: {e}")))?;
        let now = now_unix();
        if !temporary.usable_at(now) {
            return Err(Why::Answered(format!(
                "it answered credentials that expire at {}, which is not in the future \
                 on this machine's clock ({}); check the clock",
                rfc3339_from_unix(temporary.expires_unix),
                rfc3339_from_unix(now)
            )));
        }
        observer.event(ClientEvent::Note(format!(
            "temporary credentials (access key {}) from {}, valid until {}",
            temporary.ak,
            self.name(),
            rfc3339_from_unix(temporary.expires_unix)
        )));
        Ok(Arc::new(Held {
            credentials: Arc::new(temporary.credentials()),
            refresh_unix: temporary.refresh_at(now),
            temporary,
        }))
    }

    /// `PUT /meta-data/latest/api/token`: a session token; `None` when the
    /// service has none to give (404, 405, 503) and `required` is false.
    async fn session_token(
        &self,
        observer: &dyn Observer,
        required: bool,
    ) -> Result<Option<(String, Instant)>, Why> {
        let ttl = metadata::TOKEN_TTL_SECS.to_string();
        let answer = self
            .exchange(
                Method::PUT,
                metadata::TOKEN_PATH,
                &[(metadata::TOKEN_TTL_HEADER, ttl.as_str())],
                observer,
            )
            .await?;
        match answer.status {
            200..=299 => {
                let token = String::from_utf8(answer.body)
                    .ok()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty() && metadata_token_fits(t));
                match token {
                    Some(t) => Ok(Some((t, Instant::now()))),
                    None => Err(Why::Answered(format!(
                        "it answered PUT {} with no session token that can be sent",
                        metadata::TOKEN_PATH
                    ))),
                }
            }
            404 | 405 | 503 if !required => Ok(None),
            status => Err(Why::Answered(format!(
                "it answered HTTP {status} to PUT {}",
                metadata::TOKEN_PATH
            ))),
        }
    }

    async fn security_key(
        &self,
        session: &Session,
        observer: &dyn Observer,
    ) -> Result<Answer, Why> {
        let headers: Vec<(&'static str, &str)> = session
            .token
            .as_ref()
            .map(|(t, _)| (metadata::TOKEN_HEADER, t.as_str()))
            .into_iter()
            .collect();
        self.exchange(Method::GET, metadata::SECURITY_KEY_PATH, &headers, observer)
            .await
    }

    /// One request, its answer read in full up to
    /// [`metadata::MAX_ANSWER_BYTES`], traced with every secret redacted.
    async fn exchange(
        &self,
        method: Method,
        path: &str,
        headers: &[(&'static str, &str)],
        observer: &dyn Observer,
    ) -> Result<Answer, Why> {
        let url = format!("{}{path}", self.base.shown());
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            let mut v = HeaderValue::from_str(value).map_err(|_| {
                Why::Answered("its session token cannot go in a header".to_string())
            })?;
            v.set_sensitive(true);
            map.insert(*name, v);
        }
        observer.event(ClientEvent::Request {
            method: method.to_string(),
            url: url.clone(),
            attempt: 1,
        });
        if observer.wants_trace() {
            let mut shown: Vec<(String, String)> = vec![("Host".into(), self.base.host.clone())];
            shown.extend(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            shown.push(("User-Agent".into(), super::USER_AGENT.into()));
            observer.event(ClientEvent::Trace(trace::request(
                method.as_str(),
                &url,
                &shown,
                b"",
                &[],
            )));
        }
        let started = Instant::now();
        let host = &self.base.host;
        let no_answer = |e: &reqwest::Error| {
            if e.is_timeout() && e.is_connect() {
                Why::NoAnswer(format!(
                    "no answer from {host} within {} s",
                    metadata::CONNECT_TIMEOUT.as_secs()
                ))
            } else if e.is_timeout() {
                Why::NoAnswer(format!(
                    "no complete answer from {host} within {} s",
                    metadata::REQUEST_TIMEOUT.as_secs()
                ))
            } else if e.is_connect() {
                Why::NoAnswer(format!(
                    "could not connect to {host}: {}",
                    innermost(&describe_error(e))
                ))
            } else {
                Why::NoAnswer(format!(
                    "no complete answer from {host}: {}",
                    innermost(&describe_error(e))
                ))
            }
        };
        let mut response = self
            .http
            .request(method.clone(), &url)
            .headers(map)
            .send()
            .await
            .map_err(|e| no_answer(&e))?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| no_answer(&e))? {
            if body.len() + chunk.len() > metadata::MAX_ANSWER_BYTES {
                return Err(Why::Answered(format!(
                    "its answer to {method} {path} is larger than {} KiB",
                    metadata::MAX_ANSWER_BYTES >> 10
                )));
            }
            body.extend_from_slice(&chunk);
        }
        let elapsed = started.elapsed();
        observer.event(ClientEvent::Response {
            status,
            request_id: None,
            elapsed,
        });
        if observer.wants_trace() {
            let shown = traced_body(path, status, &body);
            observer.event(ClientEvent::Trace(trace::response(
                status,
                elapsed,
                response.headers(),
                shown.as_bytes(),
                &[],
            )));
        }
        Ok(Answer { status, body })
    }
}

/// An answer's body as the trace may show it: the session token never; the
/// credentials with their secret fields and values redacted; anything else
/// that is not JSON, not at all (it may be credentials in some other form).
fn traced_body(path: &str, status: u16, body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    if path == metadata::TOKEN_PATH && (200..300).contains(&status) {
        return REDACTED.to_string();
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(_) => {
            let secrets = metadata::secrets_in(body);
            let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
            trace::body_text(body, &refs)
        }
        Err(_) if mentions_no_agency(body) => metadata::NO_AGENCY.to_string(),
        Err(_) => format!(
            "<{} bytes, not shown: not JSON, and it may hold credentials>",
            body.len()
        ),
    }
}

fn mentions_no_agency(body: &[u8]) -> bool {
    String::from_utf8_lossy(body).contains(metadata::NO_AGENCY)
}

/// A session token is sent back as a header: visible ASCII only.
fn metadata_token_fits(token: &str) -> bool {
    token.len() <= 4096 && crate::auth::credentials::unsendable(token).is_none()
}

/// The last part of an error chain (`... : Connection refused (os error 111)`).
fn innermost(text: &str) -> &str {
    text.rsplit(": ").next().unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_never_shows_a_secret_answer() {
        let answer = br#"{"credential":{"access":"AK1","secret":"SK-CANARY","securitytoken":"ST-CANARY","expires_at":"2026-11-29T20:00:00.000000Z"}}"#;
        let shown = traced_body(metadata::SECURITY_KEY_PATH, 200, answer);
        assert!(!shown.contains("CANARY"), "{shown}");
        assert!(
            shown.contains("AK1") && shown.contains("<redacted>"),
            "{shown}"
        );
        let shown = traced_body(metadata::TOKEN_PATH, 200, b"TOKEN-CANARY");
        assert_eq!(shown, "<redacted>");
        let shown = traced_body(metadata::SECURITY_KEY_PATH, 200, b"ak=A sk=SK-CANARY");
        assert!(!shown.contains("CANARY"), "{shown}");
        let shown = traced_body(
            metadata::SECURITY_KEY_PATH,
            401,
            b"Please configure Cloud Service Agency first",
        );
        assert_eq!(shown, metadata::NO_AGENCY);
        assert_eq!(
            innermost("error sending request: client error (Connect): Connection refused"),
            "Connection refused"
        );
    }
}
