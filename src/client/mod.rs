//! The only module that talks to the network (DESIGN.md §1): HTTP, signing,
//! retries, error mapping. It prints nothing: everything worth showing goes
//! to an [`Observer`] as a [`ClientEvent`], and the output module decides.
//!
//! # Retries (DESIGN.md §3)
//! - GET and DELETE: retried on connect errors, timeouts, resets, incomplete
//!   answers, 429 (honouring `Retry-After` in seconds, capped) and 5xx, with
//!   exponential backoff and jitter, bounded by [`RetryPolicy::max_attempts`]
//!   and [`RetryPolicy::max_elapsed`].
//! - POST (create) is resent only when the request provably did not reach the
//!   service: connect failure, 429, 503. After an ambiguous failure (timeout,
//!   reset, cut-off answer, 500/502/504 or another 5xx, or a 2xx whose body
//!   is not a pool) the pool is looked up by its name label first. One created
//!   no earlier than this create began (less [`RetryPolicy::clock_skew`]) is
//!   ours and is adopted ([`Created::Adopted`]); an older one means the name
//!   was already taken (exit 5); none means it is safe to resend. A 409 to a
//!   resent POST after an ambiguous failure leads to the same lookup.
//!
//! # Cancellation
//! Every future here can be dropped at any await point (e.g. from a
//! `tokio::select!` against Ctrl-C): no state outlives it, and no request is
//! sent after it is dropped.

mod metadata;
mod trace;
mod transport;

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use backon::{BackoffBuilder, ExponentialBuilder, Retryable};
use reqwest::Method;
use serde_json::Value;

use crate::auth::Credentials;
use crate::error::{ApiError, Error};
use crate::model::read::Read;
use crate::model::{CreatePoolRequest, Event, Flavor, NetworkResource, Pool, NAME_LABEL};
use crate::settings::regions::EndpointSource;
use crate::settings::{HttpSettings, Project, Target};

use transport::{failure_error, segment, BaseUrl, Call, Failure, Reply};

/// At most this many pages of one list are read (a bound on a service that
/// never stops giving a next page).
const MAX_PAGES: usize = 100;

/// Pages of events read at most.
const MAX_EVENT_PAGES: usize = 1000;

const JSON: &str = "application/json";
/// The content type of a pool PATCH (DESIGN.md §2).
pub const MERGE_PATCH: &str = "application/merge-patch+json";

/// `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("poolctl/", env!("CARGO_PKG_VERSION"));

// ---------------------------------------------------------------- events

/// What the client reports while it works. The client prints nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent {
    /// A request is about to be sent (`attempt` counts from 1).
    Request {
        method: String,
        url: String,
        attempt: u32,
    },
    /// A complete answer arrived.
    Response {
        status: u16,
        request_id: Option<String>,
        elapsed: Duration,
    },
    /// The client waits `after`, then makes attempt number `attempt`.
    Retry {
        reason: String,
        after: Duration,
        attempt: u32,
    },
    /// A create had an ambiguous failure and the pool `name` (its
    /// `metadata.name`), found by its label, is taken as ours.
    Adopting { name: String },
    /// Something the user should know about how requests are made (plain
    /// http to a remote host, allowed by the opt-in).
    Warning(String),
    /// `-v`: something worth knowing that is not a request (temporary
    /// credentials obtained, and until when).
    Note(String),
    /// `-vv`: a request or answer in full, secrets shown as `<redacted>`.
    /// Only sent when [`Observer::wants_trace`] is true.
    Trace(String),
}

/// Receives [`ClientEvent`]s; the output module implements it.
pub trait Observer: Send + Sync {
    fn event(&self, e: ClientEvent);

    /// Whether to build [`ClientEvent::Trace`] events at all (they cost).
    fn wants_trace(&self) -> bool {
        false
    }
}

// ---------------------------------------------------------------- results

/// A pool as the service returned it.
///
/// `raw` holds `spec.userLogin.password` if the service returned it: whoever
/// prints `raw` redacts it (DESIGN.md §2). `Debug` redacts it already.
#[derive(Clone, PartialEq)]
pub struct Fetched {
    /// Exactly as returned, key order kept, unknown fields included.
    pub raw: Value,
    /// The same, typed as far as it could be read, for decisions and text.
    pub pool: Pool,
    /// Fields of `raw` the typed view left out (`path: why`).
    pub unreadable: Vec<String>,
}

impl std::fmt::Debug for Fetched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut raw = self.raw.clone();
        crate::redact::secrets_by_name(&mut raw);
        f.debug_struct("Fetched")
            .field("raw", &raw)
            .field("name", &self.pool.name())
            .field("display_name", &self.pool.display_name())
            .field("phase", &self.pool.phase())
            .field("unreadable", &self.unreadable)
            .finish_non_exhaustive()
    }
}

impl Fetched {
    /// `metadata.name`, which every later call needs; a pool answered
    /// without it cannot be followed.
    pub fn metadata_name(&self) -> Result<&str, Error> {
        self.pool.name().ok_or_else(|| Error::Unreadable {
            what: "follow the pool".into(),
            status: 200,
            detail: "the pool in the answer has no metadata.name".into(),
        })
    }

    pub fn from_read(read: Read<Pool>) -> Fetched {
        Fetched {
            raw: read.raw,
            pool: read.typed,
            unreadable: read.unreadable,
        }
    }

    fn from_body(body: &[u8]) -> Result<Fetched, String> {
        crate::model::read::pool(body).map(Fetched::from_read)
    }
}

/// The outcome of [`Client::create_pool`].
#[derive(Debug, Clone, PartialEq)]
pub enum Created {
    /// The service answered the create.
    New(Fetched),
    /// The create's answer was lost; this pool, found by its name label and
    /// created after the create began, is ours.
    Adopted(Fetched),
}

impl Created {
    pub fn into_fetched(self) -> Fetched {
        match self {
            Created::New(f) | Created::Adopted(f) => f,
        }
    }

    pub fn is_adopted(&self) -> bool {
        matches!(self, Created::Adopted(_))
    }
}

// ---------------------------------------------------------------- config

/// How hard the client tries (DESIGN.md §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (POST sends included).
    pub max_attempts: u32,
    /// No wait is started that would end later than this after the first
    /// attempt began.
    pub max_elapsed: Duration,
    /// First backoff delay; it doubles, with jitter of up to +100%.
    pub min_delay: Duration,
    /// Largest backoff delay before jitter.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is cut to it.
    pub retry_after_cap: Duration,
    /// Clock skew allowed when deciding that a pool found after an ambiguous
    /// create is ours.
    pub clock_skew: Duration,
    /// How long a wait goes on while the service does not answer (each poll
    /// having had its own retries) before it gives up (exit 8).
    pub max_outage: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            // Above the default --request-timeout, so a timed-out GET is retried.
            max_elapsed: Duration::from_secs(120),
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(15),
            retry_after_cap: Duration::from_secs(30),
            clock_skew: Duration::from_secs(2),
            max_outage: Duration::from_secs(300),
        }
    }
}

static SEED_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A seed that differs between processes and calls, so that many clients
/// that failed together do not retry together (backon's own seed is fixed
/// without its `std` feature).
fn jitter_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos
        ^ (u64::from(std::process::id()) << 32)
        ^ SEED_COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl RetryPolicy {
    fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(self.max_attempts.saturating_sub(1) as usize)
            .with_jitter()
            .with_jitter_seed(jitter_seed())
    }

    /// The wait before the next attempt: `Retry-After` (capped) when the
    /// service gave one, else the backoff's; `None` when out of attempts or
    /// when the wait would end past `max_elapsed`.
    fn next_wait(
        &self,
        failure: &Failure,
        backoff: Option<Duration>,
        started: Instant,
    ) -> Option<Duration> {
        let backoff = backoff?;
        let wait = match failure.retry_after() {
            Some(ra) => ra.min(self.retry_after_cap),
            None => backoff,
        };
        (started.elapsed() + wait <= self.max_elapsed).then_some(wait)
    }
}

// ---------------------------------------------------------------- client

/// Where the credentials of each request come from.
enum Auth {
    /// Given once, by settings.
    Fixed(Arc<Credentials>),
    /// Temporary, from the ECS metadata service, renewed before they expire.
    Metadata(Box<metadata::Metadata>),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Fixed(c) => c.fmt(f),
            Auth::Metadata(m) => f.write_str(&m.name()),
        }
    }
}

/// The HTTP client of the pool API and of the IAM project lookup.
pub struct Client {
    /// For hosts on this machine: never through a proxy.
    direct: Option<reqwest::Client>,
    /// For other hosts: through the proxy the environment names, if any.
    proxied: Option<reqwest::Client>,
    endpoint: BaseUrl,
    /// The region's further endpoints, tried in turn when the one before
    /// cannot be reached.
    fallbacks: Vec<BaseUrl>,
    /// Of `endpoint` (0) and `fallbacks` (1...), the one that answered last.
    active_endpoint: AtomicUsize,
    /// The IAM endpoint and region of a project still to be looked up.
    iam: Option<(BaseUrl, String)>,
    /// Known from the start, or once [`Client::ensure_project`] has looked it up.
    project_id: Option<String>,
    auth: Auth,
    request_timeout: Duration,
    policy: RetryPolicy,
    page_limit: Option<u32>,
    observer: Arc<dyn Observer>,
    /// The service's clock less ours, in seconds, from the latest `Date`
    /// header (valid once `clock_known`).
    clock_offset: AtomicI64,
    clock_known: AtomicBool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint.host)
            .field("project_id", &self.project_id)
            .field("auth", &self.auth)
            .field("request_timeout", &self.request_timeout)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// A CA bundle larger than this is refused: the system's own bundle of
/// every public root is about 200 KiB.
const MAX_CA_BUNDLE_BYTES: u64 = 4 * 1024 * 1024;

fn read_ca_bundle(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, Error> {
    use std::io::Read;
    let shown = path.display();
    let cannot =
        |e: std::io::Error| Error::usage(format!("--ca-bundle {shown}: cannot read it: {e}"));
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CA_BUNDLE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_CA_BUNDLE_BYTES {
        return Err(Error::usage_hint(
            format!(
                "--ca-bundle {shown}: larger than {} MiB; this is not a bundle of CA certificates",
                MAX_CA_BUNDLE_BYTES >> 20
            ),
            "give the PEM file of the CA (or CAs) that signed the endpoint's certificate",
        ));
    }
    let certs = reqwest::Certificate::from_pem_bundle(&bytes).map_err(|e| {
        Error::usage(format!(
            "--ca-bundle {shown}: not a PEM file of certificates: {e}"
        ))
    })?;
    if certs.is_empty() {
        return Err(Error::usage_hint(
            format!("--ca-bundle {shown}: no certificate in it"),
            "give a PEM file with -----BEGIN CERTIFICATE----- blocks",
        ));
    }
    Ok(certs)
}

impl Client {
    pub fn new(
        target: &Target,
        http: &HttpSettings,
        observer: Arc<dyn Observer>,
    ) -> Result<Client, Error> {
        // reqwest is built without a default provider; ours is ring. A second
        // install (another client, a test) is refused, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();

        // An endpoint the user set for the region is named by where it was set.
        let label = match &target.endpoint_source {
            source @ (EndpointSource::RegionVariable(_) | EndpointSource::RegionsFile { .. }) => {
                source.to_string()
            }
            _ => "--endpoint".to_string(),
        };
        let endpoint = BaseUrl::parse(&label, &target.endpoint)?;
        let fallbacks = target
            .fallback_endpoints
            .iter()
            .map(|e| BaseUrl::parse(&label, e))
            .collect::<Result<Vec<_>, _>>()?;
        let (project_id, iam) = match &target.project {
            Project::Id(id) => (Some(segment("project id", id)?.to_string()), None),
            Project::LookUp {
                region,
                iam_endpoint,
            } => (
                None,
                Some((
                    BaseUrl::parse("--iam-endpoint", iam_endpoint)?,
                    region.clone(),
                )),
            ),
        };
        // Give up connecting a little before the whole request times out, so
        // a connection that never came up is known not to have carried the
        // request (which matters for POST).
        let connect_timeout = (http.request_timeout / 2).min(Duration::from_secs(30));

        // Credentials never go in cleartext to another machine, unless the
        // user says so, and then every run says it again (DESIGN.md §3).
        for (flag, base) in std::iter::once((label.as_str(), &endpoint))
            .chain(fallbacks.iter().map(|b| (label.as_str(), b)))
            .chain(iam.as_ref().map(|(b, _)| ("--iam-endpoint", b)))
        {
            if base.is_https() || base.loopback {
                continue;
            }
            let shown = base.shown();
            if !http.allow_plain_http {
                return Err(Error::usage_hint(
                    format!(
                        "{flag} {shown} is plain http to another machine: the credentials \
                         (signature or token) would cross the network in cleartext; nothing was sent"
                    ),
                    "use https://, or, on a network you trust, add --allow-plain-http",
                ));
            }
            observer.event(ClientEvent::Warning(format!(
                "{flag} {shown}: credentials go in cleartext over plain http (--allow-plain-http)"
            )));
        }

        let auth = match &target.credentials {
            Credentials::EcsMetadata {
                endpoint,
                looked_at_first,
            } => Auth::Metadata(Box::new(metadata::Metadata::new(
                endpoint,
                looked_at_first.clone(),
                http.allow_plain_http,
                &*observer,
            )?)),
            fixed => Auth::Fixed(Arc::new(fixed.clone())),
        };

        let certs = match &http.ca_bundle {
            Some(path) => Some(read_ca_bundle(path)?),
            None => None,
        };
        let build = |direct: bool| {
            let mut builder = reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .timeout(http.request_timeout)
                .connect_timeout(connect_timeout)
                // Never reuse a connection the server may have closed as
                // idle (the emulator after 10 s, gateways after a minute or
                // so): a create sent on one would fail as ambiguous.
                .pool_idle_timeout(Duration::from_secs(4))
                // A signed request must not be replayed to another host.
                .redirect(reqwest::redirect::Policy::none());
            if direct {
                builder = builder.no_proxy();
            }
            if let Some(certs) = &certs {
                builder = builder.tls_certs_merge(certs.clone());
            } else if !endpoint.is_https()
                && !fallbacks.iter().any(BaseUrl::is_https)
                && !iam.as_ref().is_some_and(|(b, _)| b.is_https())
            {
                // Plain http (the emulator): skip loading the system's CA
                // store, which costs milliseconds and fails where there is none.
                builder = builder.tls_certs_only(Vec::new());
            }
            builder.build().map_err(|e| match &http.ca_bundle {
                Some(path) => Error::usage(format!(
                    "--ca-bundle {}: cannot use it: {e}",
                    path.display()
                )),
                None => Error::usage_hint(
                    format!("cannot set up HTTPS: no usable CA certificates on this machine ({e})"),
                    "install the ca-certificates package, or pass --ca-bundle with the CA of the endpoint",
                ),
            })
        };
        // This machine is never reached through a proxy (the emulator, a
        // tunnel): a proxy would see the request, the password included,
        // and could answer for the service. Other hosts honour
        // HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY. Each client is
        // made only when a host needs it.
        let bases = || {
            std::iter::once(&endpoint)
                .chain(&fallbacks)
                .chain(iam.as_ref().map(|(b, _)| b))
        };
        let direct = bases()
            .any(|b| b.loopback)
            .then(|| build(true))
            .transpose()?;
        let proxied = bases()
            .any(|b| !b.loopback)
            .then(|| build(false))
            .transpose()?;

        Ok(Client {
            direct,
            proxied,
            endpoint,
            fallbacks,
            active_endpoint: AtomicUsize::new(0),
            iam,
            project_id,
            auth,
            request_timeout: http.request_timeout,
            policy: http.retry.clone(),
            page_limit: http.page_limit,
            observer,
            clock_offset: AtomicI64::new(0),
            clock_known: AtomicBool::new(false),
        })
    }

    /// Notes the service's time, from an answer's `Date` header.
    pub(crate) fn note_service_clock(&self, service_unix: u64) {
        let offset = service_unix as i64 - crate::time::now_unix() as i64;
        self.clock_offset.store(offset, Ordering::Relaxed);
        self.clock_known.store(true, Ordering::Relaxed);
    }

    /// Our time `local_unix` on the service's clock, as far as known.
    fn on_service_clock(&self, local_unix: u64) -> u64 {
        if !self.clock_known.load(Ordering::Relaxed) {
            return local_unix;
        }
        local_unix.saturating_add_signed(self.clock_offset.load(Ordering::Relaxed))
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// The project id: the one configured, else looked up through IAM from
    /// the region (once; it is kept).
    pub async fn ensure_project(&mut self) -> Result<String, Error> {
        if let Some(p) = &self.project_id {
            return Ok(p.clone());
        }
        let id = self.lookup_project().await?;
        self.project_id = Some(id.clone());
        Ok(id)
    }

    fn project(&self) -> Result<&str, Error> {
        // Settings guarantee a project id or a region to look it up from,
        // and the session looks it up before any other request.
        self.project_id.as_deref().ok_or_else(|| {
            Error::Internal(anyhow::anyhow!(
                "the project id was not looked up before a request needed it"
            ))
        })
    }

    /// Every secret value of the credentials of this run (SK, tokens), to
    /// keep out of messages.
    fn secret_list(&self) -> Vec<String> {
        match &self.auth {
            Auth::Fixed(c) => c.secrets().into_iter().map(str::to_string).collect(),
            Auth::Metadata(m) => m.secrets(),
        }
    }

    /// Credentials to sign a request with now; temporary ones are renewed
    /// first when due. `Err`: none that can be used, and why.
    async fn signing_credentials(&self) -> Result<Arc<Credentials>, String> {
        match &self.auth {
            Auth::Fixed(c) => Ok(c.clone()),
            Auth::Metadata(m) => m.current(&*self.observer).await,
        }
    }

    /// Makes sure there are credentials before the first request: with
    /// the ECS metadata service, asks it. None there means no credentials
    /// anywhere (exit 4), with every place that was looked at.
    pub async fn ensure_credentials(&self) -> Result<(), Error> {
        match &self.auth {
            Auth::Fixed(_) => Ok(()),
            Auth::Metadata(m) => m.first(&*self.observer).await,
        }
    }

    /// GET or DELETE with retries (connect errors, timeouts, resets, 429, 5xx).
    async fn send_idempotent(&self, call: &Call<'_>, what: &str) -> Result<Reply, Error> {
        let attempts = AtomicU32::new(0);
        let started = Instant::now();
        let (attempts_ref, policy) = (&attempts, &self.policy);
        let result = (|| async move {
            let n = attempts_ref.fetch_add(1, Ordering::Relaxed) + 1;
            self.attempt(call, n).await
        })
        .retry(policy.backoff())
        .sleep(tokio::time::sleep)
        .when(Failure::retryable_idempotent)
        .adjust(|failure, backoff| policy.next_wait(failure, backoff, started))
        .notify(|failure, after| {
            self.observer.event(ClientEvent::Retry {
                reason: failure.reason(),
                after,
                attempt: attempts_ref.load(Ordering::Relaxed) + 1,
            })
        })
        .await;
        result.map_err(|failure| {
            failure_error(
                what,
                failure,
                attempts.load(Ordering::Relaxed),
                &self
                    .secret_list()
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            )
        })
    }

    async fn get_value(&self, call: &Call<'_>, what: &str) -> Result<Value, Error> {
        let reply = self.send_idempotent(call, what).await?;
        serde_json::from_slice(&reply.body).map_err(|e| Error::Unreadable {
            what: what.to_string(),
            status: reply.status,
            detail: format!("the answer is not JSON: {e}"),
        })
    }

    fn pool_path(&self, name: Option<&str>) -> Result<String, Error> {
        let project = segment("project id", self.project()?)?;
        Ok(match name {
            Some(n) => format!("/v2/{project}/pools/{}", segment("pool name", n)?),
            None => format!("/v2/{project}/pools"),
        })
    }

    fn call<'a>(&'a self, method: Method, path: String, body: &'a [u8]) -> Call<'a> {
        Call {
            method,
            base: &self.endpoint,
            failover: true,
            path,
            query: Vec::new(),
            body,
            content_type: JSON,
            project_id: self.project_id.as_deref(),
            body_secrets: Vec::new(),
        }
    }

    /// The id of the IAM project named after the region
    /// (`GET {iam}/v3/projects?name={region}`). None or several: exit 3.
    /// Every failure says how to do without the lookup.
    async fn lookup_project(&self) -> Result<String, Error> {
        let Some((iam, region)) = &self.iam else {
            return Err(Error::Internal(anyhow::anyhow!(
                "no IAM endpoint to look the project id up"
            )));
        };
        self.lookup_project_at(iam, region).await.map_err(|e| {
            let hint = format!(
                "the project id of region {region} was asked of IAM at {}; give it with \
                 --project-id ID (POOLCTL_PROJECT_ID), or name the IAM endpoint with \
                 --iam-endpoint URL (POOLCTL_IAM_ENDPOINT)",
                iam.shown()
            );
            match e.hint() {
                Some(own) if matches!(e.inner(), Error::Auth { .. }) => {
                    e.with_hint(format!("{own}\n  {hint}"))
                }
                _ => e.with_hint(hint),
            }
        })
    }

    async fn lookup_project_at(&self, iam: &BaseUrl, region: &str) -> Result<String, Error> {
        let what = format!("look up the project of region {region} through IAM");
        let call = Call {
            method: Method::GET,
            base: iam,
            failover: false,
            path: "/v3/projects".into(),
            query: vec![("name".into(), region.to_string())],
            body: b"",
            content_type: JSON,
            project_id: None,
            body_secrets: Vec::new(),
        };
        let value = self.get_value(&call, &what).await?;
        let Some(projects) = value.get("projects").and_then(Value::as_array) else {
            return Err(Error::Unreadable {
                what,
                status: 200,
                detail: "the answer has no list of projects".into(),
            });
        };
        let projects: Vec<&Value> = projects.iter().filter(|p| !p.is_null()).collect();
        // An id IAM gives as a number is read as its text.
        let ids: Vec<String> = projects
            .iter()
            .filter_map(|p| match p.get("id")? {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect();
        let detail = match ids.as_slice() {
            [id] => {
                segment("project id", id)?;
                return Ok(id.clone());
            }
            [] if !projects.is_empty() => {
                return Err(Error::Unreadable {
                    what,
                    status: 200,
                    detail: format!(
                        "IAM lists {} project(s) named {region}, none with an id",
                        projects.len()
                    ),
                })
            }
            [] => format!("IAM has no project named {region}"),
            several => format!(
                "IAM has {} projects named {region}: {}",
                several.len(),
                several.join(", ")
            ),
        };
        Err(Error::CannotSucceed { what, detail })
    }

    /// `GET /v2/{project}/pools/{name}`; 404 is [`Error::Api`] with the API's body.
    pub async fn show_pool(&self, name: &str) -> Result<Fetched, Error> {
        let what = format!("get pool {name}");
        let call = self.call(Method::GET, self.pool_path(Some(name))?, b"");
        let reply = self.send_idempotent(&call, &what).await?;
        let unreadable = |detail: String| Error::Unreadable {
            what: what.clone(),
            status: reply.status,
            detail,
        };
        let f = Fetched::from_body(&reply.body).map_err(unreadable)?;
        // `{}` is not the pool asked for.
        if f.pool.name().is_none() {
            return Err(unreadable(
                "the answer is not a pool: it has no metadata.name".into(),
            ));
        }
        Ok(f)
    }

    /// `GET /v2/{project}/pools?workspaceId=...` with optional `labelSelector`
    /// and `status`. An answer that is not a list of pools (no `items`
    /// array) is [`Error::Unreadable`]: never taken for "no pools".
    pub async fn list_pools(
        &self,
        workspace: &str,
        label_selector: Option<&str>,
        status: Option<&str>,
    ) -> Result<Vec<Fetched>, Error> {
        let what = "list pools".to_string();
        let mut call = self.call(Method::GET, self.pool_path(None)?, b"");
        call.query
            .push(("workspaceId".into(), workspace.to_string()));
        if let Some(s) = label_selector {
            call.query.push(("labelSelector".into(), s.to_string()));
        }
        if let Some(s) = status {
            call.query.push(("status".into(), s.to_string()));
        }
        let pages = self
            .read_pages(call, &what, crate::model::read::pool_list)
            .await?;
        Ok(pages.into_iter().map(Fetched::from_read).collect())
    }

    /// Every item of a list, page after page (`metadata.continue`), each
    /// page read by `read`. A list cut into pages is read to its end: a
    /// lookup that saw one page would take an item on the next for absent.
    async fn read_pages<T>(
        &self,
        call: Call<'_>,
        what: &str,
        read: fn(&[u8]) -> Result<Vec<T>, String>,
    ) -> Result<Vec<T>, Error> {
        self.read_pages_upto(call, what, read, MAX_PAGES).await
    }

    /// [`Client::read_pages`], with at most `max_pages` pages.
    async fn read_pages_upto<T>(
        &self,
        mut call: Call<'_>,
        what: &str,
        read: fn(&[u8]) -> Result<Vec<T>, String>,
        max_pages: usize,
    ) -> Result<Vec<T>, Error> {
        if let Some(limit) = self.page_limit {
            call.query.push(("limit".into(), limit.to_string()));
        }
        let mut items = Vec::new();
        for _ in 0..max_pages {
            let reply = self.send_idempotent(&call, what).await?;
            let page = read(&reply.body).map_err(|detail| Error::Unreadable {
                what: what.to_string(),
                status: reply.status,
                detail,
            })?;
            items.extend(page);
            let Some(token) = crate::model::read::next_page(&reply.body) else {
                return Ok(items);
            };
            call.query.retain(|(k, _)| k != "continue");
            call.query.push(("continue".into(), token));
        }
        Err(Error::Unreadable {
            what: what.to_string(),
            status: 200,
            detail: format!("the list did not end after {max_pages} pages"),
        })
    }

    /// A pool of workspace `workspace`, by `metadata.name`, or else by its
    /// `os.modelarts/name` label. Not found either way: the show's 404
    /// ([`Error::Api`], exit 3), with a hint when the name is a pool of
    /// another workspace.
    pub async fn resolve_pool(&self, workspace: &str, name: &str) -> Result<Fetched, Error> {
        let (not_found, elsewhere) = match self.show_pool(name).await {
            Ok(f) if f.pool.in_workspace(workspace) => return Ok(f),
            Ok(f) => (None, Some(f)),
            Err(e) if is_not_found(&e) => (Some(e), None),
            Err(e) => return Err(e),
        };
        let mut found = self.find_by_label(workspace, name).await?;
        match found.len() {
            0 => {
                let err = not_found.unwrap_or_else(|| Error::Api {
                    what: format!("get pool {name}"),
                    api: ApiError {
                        status: 404,
                        error_msg: Some(format!("no pool named {name} in workspace {workspace}")),
                        ..ApiError::default()
                    },
                });
                let hint = match elsewhere {
                    Some(f) => format!(
                        "pool {name} is in workspace {0}; add --workspace-id {0}",
                        f.pool.workspace()
                    ),
                    None => format!(
                        "no pool has the name or metadata.name {name} in workspace {workspace}; \
                         see them with: poolctl list{}",
                        workspace_flag(workspace)
                    ),
                };
                Err(err.with_hint(hint))
            }
            1 => Ok(found.remove(0)),
            n => Err(Error::usage_hint(
                format!("{n} pools are named {name} in workspace {workspace}"),
                format!(
                    "name one by its metadata.name: {}",
                    found
                        .iter()
                        .filter_map(|f| f.pool.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    /// The pools of `workspace` whose `os.modelarts/name` label is
    /// `display_name` (asked of the service with `labelSelector`, and
    /// checked again here: label and workspace).
    pub async fn find_by_label(
        &self,
        workspace: &str,
        display_name: &str,
    ) -> Result<Vec<Fetched>, Error> {
        let selector = format!("{NAME_LABEL}={display_name}");
        let pools = self.list_pools(workspace, Some(&selector), None).await?;
        Ok(pools
            .into_iter()
            .filter(|f| {
                f.pool.display_name() == Some(display_name) && f.pool.in_workspace(workspace)
            })
            .collect())
    }

    /// `DELETE /v2/{project}/pools/{name}`: the pool, now `Deleting`.
    pub async fn delete_pool(&self, name: &str) -> Result<Fetched, Error> {
        let what = format!("delete pool {name}");
        let call = self.call(Method::DELETE, self.pool_path(Some(name))?, b"");
        let reply = self.send_idempotent(&call, &what).await?;
        if reply.body.iter().all(u8::is_ascii_whitespace) {
            // Some gateways answer a delete with no body.
            return Ok(Fetched {
                raw: Value::Object(Default::default()),
                pool: Pool::default(),
                unreadable: Vec::new(),
            });
        }
        Fetched::from_body(&reply.body).map_err(|detail| Error::Unreadable {
            what,
            status: reply.status,
            detail,
        })
    }

    /// Every resource flavor (`GET /v1/{project}/resourceflavors`), all pages.
    pub async fn list_flavors(&self) -> Result<Vec<Read<Flavor>>, Error> {
        let project = segment("project id", self.project()?)?;
        let call = self.call(Method::GET, format!("/v1/{project}/resourceflavors"), b"");
        self.read_pages(call, "list resource flavors", crate::model::read::flavors)
            .await
    }

    /// `GET /v1/{project}/networks/{name}`; 404 is [`Error::Api`] with the
    /// API's body.
    pub async fn show_network(&self, name: &str) -> Result<Read<NetworkResource>, Error> {
        let project = segment("project id", self.project()?)?;
        let what = format!("get network {name}");
        let path = format!("/v1/{project}/networks/{}", segment("network name", name)?);
        let call = self.call(Method::GET, path, b"");
        let reply = self.send_idempotent(&call, &what).await?;
        crate::model::read::network(&reply.body).map_err(|detail| Error::Unreadable {
            what,
            status: reply.status,
            detail,
        })
    }

    /// The events of pool `name` (its `metadata.name`) in `workspace`, all
    /// pages, of `event_type` (`Warning`) if given, oldest first.
    pub async fn list_events(
        &self,
        workspace: &str,
        name: &str,
        event_type: Option<&str>,
    ) -> Result<Vec<Read<Event>>, Error> {
        let project = segment("project id", self.project()?)?;
        let mut call = self.call(Method::GET, format!("/v1/{project}/events"), b"");
        call.query.push(("resource".into(), "pools".into()));
        call.query.push(("name".into(), name.to_string()));
        call.query
            .push(("workspaceId".into(), workspace.to_string()));
        if let Some(t) = event_type {
            call.query.push(("type".into(), t.to_string()));
        }
        let what = format!("list the events of pool {name}");
        // A long-lived pool gathers many events, in small pages.
        let mut events = self
            .read_pages_upto(call, &what, crate::model::read::events, MAX_EVENT_PAGES)
            .await?;
        // By instant (times may carry offsets); a missing time first.
        events.sort_by_key(|e| e.typed.unix_time());
        Ok(events)
    }

    /// `PATCH /v2/{project}/pools/{name}` with a JSON merge patch; the pool
    /// as the service answers it. A merge patch of values is idempotent, so
    /// it is retried as a read is.
    pub async fn patch_pool(&self, name: &str, patch: &[u8]) -> Result<Fetched, Error> {
        let what = format!("change pool {name}");
        let mut call = self.call(Method::PATCH, self.pool_path(Some(name))?, patch);
        call.content_type = MERGE_PATCH;
        let reply = self
            .send_idempotent(&call, &what)
            .await
            .map_err(|e| match e {
                // A conflict here is the pool's state (being created, scaled),
                // not a name taken: a rejection, exit 3.
                Error::AlreadyExists { what, api } => Error::Api { what, api },
                other => other,
            })?;
        let f = Fetched::from_body(&reply.body).map_err(|detail| Error::Unreadable {
            what: what.clone(),
            status: reply.status,
            detail,
        })?;
        Ok(f)
    }

    /// `POST /v2/{project}/pools` with `body`, the JSON of `request`. See the
    /// module documentation for when it is resent and when a pool is adopted.
    pub async fn create_pool(
        &self,
        request: &CreatePoolRequest,
        body: &[u8],
    ) -> Result<Created, Error> {
        let display_name = request.display_name().unwrap_or_default();
        let workspace = request.workspace();
        let what = format!("create pool {display_name}");
        let mut call = self.call(Method::POST, self.pool_path(None)?, body);
        let password = request
            .spec
            .as_ref()
            .and_then(|s| s.user_login.as_ref())
            .and_then(|u| u.password.as_deref())
            .filter(|p| !p.is_empty());
        call.body_secrets.extend(password);
        let owned_secrets = self.secret_list();
        let mut secrets: Vec<&str> = owned_secrets.iter().map(String::as_str).collect();
        secrets.extend(password);
        let began_unix = crate::time::now_unix();
        let started = Instant::now();
        let mut backoff = self.policy.backoff().build();
        let mut ambiguous_seen = false;
        // The service answered 2xx: it took the create, whatever it said.
        let mut accepted = false;
        let mut attempt: u32 = 0;
        let check = |lookup: Result<Lookup, Error>, failure: &Failure| match lookup {
            Ok(Lookup::Ours(f)) => Ok(Some(self.adopt(f))),
            Ok(Lookup::Other(f, why)) => Err(taken(&what, &f, &why, failure, &secrets)),
            Ok(Lookup::None) => Ok(None),
            Err(e) => Err(lookup_failed(&what, display_name, workspace, failure, e)),
        };
        // The pool is not listed, though the service took the create or
        // says the name is taken: the list may lag behind. Nothing more is
        // sent; the user checks (exit 8).
        let unlisted = |failure: &Failure, why: &str| {
            Error::Unavailable {
                what: what.clone(),
                detail: format!(
                    "{}, {why}, and no pool {display_name} is listed in workspace {workspace}",
                    failure.reason()
                ),
            }
            .with_hint(format!(
                "the pool may exist, and be this run's; nothing more was sent. Check in a moment \
                 with: poolctl get {display_name}{}",
                workspace_flag(workspace)
            ))
        };

        loop {
            attempt += 1;
            let failure = match self.attempt(&call, attempt).await {
                Ok(reply) => match Fetched::from_body(&reply.body) {
                    Ok(f) if f.pool.name().is_some() => return Ok(Created::New(f)),
                    // Created, most likely, but not a pool we can follow: find it.
                    Ok(_) => {
                        accepted = true;
                        Failure::Ambiguous(format!(
                            "HTTP {}, but the answer is not a pool (no metadata.name)",
                            reply.status
                        ))
                    }
                    Err(d) => {
                        accepted = true;
                        Failure::Ambiguous(format!("HTTP {}, but {d}", reply.status))
                    }
                },
                Err(f) => f,
            };

            let ambiguous = match &failure {
                Failure::NotSent(_) | Failure::Unsigned(_) => false,
                Failure::Status(r) if r.status == 429 || r.status == 503 => false,
                Failure::Status(r) if r.status == 409 && ambiguous_seen => {
                    // Our earlier, unanswered create may be what conflicts.
                    let lookup = self.find_ours(request, began_unix).await;
                    return match check(lookup, &failure)? {
                        Some(created) => Ok(created),
                        None => Err(unlisted(&failure, "after an earlier create of this run")),
                    };
                }
                Failure::Status(r) if r.status >= 500 => true,
                Failure::Ambiguous(_) => true,
                // A 2xx too large to read: the service took the create.
                Failure::TooLarge(_) => {
                    accepted = true;
                    true
                }
                Failure::Status(_) | Failure::Local(_) => {
                    return Err(failure_error(&what, failure, attempt, &secrets))
                }
            };

            let wait = self.policy.next_wait(&failure, backoff.next(), started);
            if ambiguous {
                ambiguous_seen = true;
                // Let the service settle before asking whether the pool is
                // there; without a wait left, still ask, but do not resend.
                if let Some(after) = wait {
                    self.observer.event(ClientEvent::Retry {
                        reason: format!(
                            "{}; checking whether pool {display_name} was created",
                            failure.reason()
                        ),
                        after,
                        attempt: attempt + 1,
                    });
                    tokio::time::sleep(after).await;
                }
                let lookup = self.find_ours(request, began_unix).await;
                match check(lookup, &failure)? {
                    Some(created) => return Ok(created),
                    // The service took it, but it is not listed (yet): a
                    // resend could only conflict with it.
                    None if accepted => {
                        return Err(unlisted(&failure, "so the service took the create"))
                    }
                    // Clearly absent after a failure: the create did not
                    // take. A resend is safe, as the service refuses a
                    // second pool of the name (409), which leads back here.
                    None if wait.is_some() => continue,
                    None => return Err(failure_error(&what, failure, attempt, &secrets)),
                }
            }

            let Some(after) = wait else {
                return Err(failure_error(&what, failure, attempt, &secrets));
            };
            self.observer.event(ClientEvent::Retry {
                reason: failure.reason(),
                after,
                attempt: attempt + 1,
            });
            tokio::time::sleep(after).await;
        }
    }

    fn adopt(&self, f: Fetched) -> Created {
        self.observer.event(ClientEvent::Adopting {
            name: f.pool.name().unwrap_or_default().to_string(),
        });
        Created::Adopted(f)
    }

    /// After an ambiguous create: is there a pool with the label in the
    /// request's workspace, and is it ours? Ours: it matches what was sent
    /// (flavors, counts, network) and was created after this create began,
    /// on the service's clock (its `Date` header), less
    /// [`RetryPolicy::clock_skew`] for the header's one-second steps and
    /// the way there.
    async fn find_ours(
        &self,
        request: &CreatePoolRequest,
        began_unix: u64,
    ) -> Result<Lookup, Error> {
        let display_name = request.display_name().unwrap_or_default();
        let found = self
            .find_by_label(request.workspace(), display_name)
            .await?;
        let threshold = self
            .on_service_clock(began_unix)
            .saturating_sub(self.policy.clock_skew.as_secs());
        let created = |f: &Fetched| {
            f.pool
                .metadata
                .creation_timestamp
                .as_deref()
                .and_then(crate::time::parse_timestamp)
        };
        let mut other = None;
        for f in found {
            let why = match created(&f) {
                None => "it has no creation time to tell".to_string(),
                Some(t) if t < threshold => format!(
                    "it was created at {}, before this command started",
                    crate::time::rfc3339_from_unix(t)
                ),
                Some(_) => {
                    let differs: Vec<String> = f
                        .pool
                        .differences(request)
                        .into_iter()
                        .filter(|d| {
                            d.field.starts_with("spec.resources")
                                || d.field.starts_with("spec.network")
                        })
                        .map(|d| d.to_string())
                        .collect();
                    if differs.is_empty() {
                        return Ok(Lookup::Ours(f));
                    }
                    format!(
                        "it was created meanwhile, but not from this request ({})",
                        differs.join("; ")
                    )
                }
            };
            other.get_or_insert((f, why));
        }
        Ok(match other {
            Some((f, why)) => Lookup::Other(f, why),
            None => Lookup::None,
        })
    }
}

/// The service's 404: the pool (or whatever was asked for) does not exist.
pub fn is_not_found(e: &Error) -> bool {
    matches!(e.inner(), Error::Api { api, .. } if api.status == 404)
}

/// ` --workspace-id W` for a command to suggest, when W is not the default
/// (quoted for a POSIX shell when it needs to be).
pub fn workspace_flag(workspace: &str) -> String {
    if workspace == crate::model::DEFAULT_WORKSPACE {
        return String::new();
    }
    let plain = !workspace.is_empty()
        && workspace
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/@%+=,".contains(c));
    if plain {
        format!(" --workspace-id {workspace}")
    } else {
        format!(" --workspace-id '{}'", workspace.replace('\'', "'\\''"))
    }
}

enum Lookup {
    Ours(Fetched),
    /// A pool of the name that is not ours, and why.
    Other(Fetched, String),
    None,
}

/// The lookup after an ambiguous create gave no clear answer: the pool may
/// exist, and nothing more is sent (DESIGN.md §3).
fn lookup_failed(
    what: &str,
    display_name: &str,
    workspace: &str,
    failure: &Failure,
    e: Error,
) -> Error {
    Error::Unavailable {
        what: what.to_string(),
        detail: format!(
            "the create may have reached the service ({}), and looking for the pool gave no \
             clear answer: {e}",
            failure.reason()
        ),
    }
    .with_hint(format!(
        "the pool may exist; nothing more was sent. Check with: poolctl get {display_name}{}, \
         before creating it again",
        workspace_flag(workspace)
    ))
}

/// A pool of the name exists and is not ours: the name is taken (exit 5).
fn taken(what: &str, f: &Fetched, why: &str, failure: &Failure, secrets: &[&str]) -> Error {
    // The answer that led to the lookup, as it was: a 409, a 500, or none.
    let api = match failure {
        Failure::Status(r) => transport::api_error(r, secrets),
        other => ApiError {
            error_msg: Some(other.reason()),
            ..ApiError::default()
        },
    };
    Error::AlreadyExists {
        what: format!(
            "{what}: pool {} has this name, and {why}",
            f.pool.name().unwrap_or("?"),
        ),
        api,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_honour_retry_after_and_the_budget() {
        let policy = RetryPolicy {
            max_elapsed: Duration::from_secs(10),
            retry_after_cap: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        let started = Instant::now();
        let with_ra = |secs| {
            Failure::Status(Reply {
                status: 429,
                request_id: None,
                retry_after: Some(Duration::from_secs(secs)),
                body: Vec::new(),
            })
        };
        let one = Some(Duration::from_secs(1));
        assert_eq!(
            policy.next_wait(&with_ra(3), one, started),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            policy.next_wait(&with_ra(300), one, started),
            Some(Duration::from_secs(5))
        );
        // Out of attempts: no wait, whatever Retry-After says.
        assert_eq!(policy.next_wait(&with_ra(1), None, started), None);
        // Past the time budget.
        let f = Failure::NotSent("x".into());
        assert_eq!(
            policy.next_wait(&f, Some(Duration::from_secs(11)), started),
            None
        );
    }

    #[test]
    fn backoff_is_bounded_and_jittered() {
        let policy = RetryPolicy::default();
        let delays: Vec<Duration> = policy.backoff().build().collect();
        assert_eq!(delays.len(), 4);
        for (i, d) in delays.iter().enumerate() {
            let base = Duration::from_secs(1 << i).min(policy.max_delay);
            assert!(*d >= base && *d <= base * 2, "{i}: {d:?}");
        }
        assert_ne!(jitter_seed(), jitter_seed());
    }
}
