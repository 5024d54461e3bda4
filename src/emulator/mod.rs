//! A local stand-in of the ModelArts pool API (DESIGN.md §5, docs/emulator.md).
//!
//! One implementation serves `poolctl emulator` ([`serve`]), `--emulator`
//! (in-process, [`start`]) and the tests. It authenticates like the API
//! gateway (SDK-HMAC-SHA256 recomputed with the same signer the client
//! uses, or a token), validates on its own, derives each pool's phase from
//! its timestamps, and can inject seeded faults.
//!
//! | module | job |
//! |---|---|
//! | `server` | routes, the gateway checks, handlers, connection resets |
//! | `serve` | the accept loop: connection cap, timeouts, graceful shutdown |
//! | `auth` | signature and token verification (temporary keys included) |
//! | `metadata` | the ECS metadata service: session tokens, temporary credentials |
//! | `pools` | server-side validation, the pool object, list filters |
//! | `patch` | PATCH: the JSON merge patch, what changes in place, when |
//! | `lifecycle` | phase, node counts and events as functions of time; failure triggers, orders |
//! | `flavors` | the flavor catalogue and where each flavor is sold out |
//! | `networks` | networks, derived from their names |
//! | `events` | the events list of a pool |
//! | `paging` | `limit`, `continue` and `labelSelector` of the v1 lists |
//! | `faults` | the `--faults` grammar and its seeded decisions |
//! | `state` | the pools in memory and in the `--state` file |
//! | `reply`, `rng` | error bodies, splitmix64 |
//! | `harness` | the router without a socket, for the fuzz target |

pub mod auth;
mod events;
mod faults;
mod flavors;
#[doc(hidden)]
pub mod harness;
mod lifecycle;
mod metadata;
mod networks;
mod paging;
mod patch;
mod pools;
mod reply;
mod rng;
mod serve;
mod server;
mod state;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use faults::Faults;
pub use lifecycle::{ABNORMAL_PREFIX, AUTO_PAY_DIVISOR, ORDER_ID, SLOW_PREFIX};
pub use paging::MAX_LIMIT;
pub use patch::MERGE_PATCH;
pub use reply::{ORDER_NOT_FOUND, POOL_BUSY};
pub use serve::{BODY_SHED_AFTER, SHUTDOWN_GRACE};
pub use server::{ConnIo, ConnKill, ConnListener, BODY_FREE, MAX_BODY};
pub use state::{MAX_STATE_BYTES, STATE_LOCK_SUFFIX};

use crate::redact::REDACTED;
use crate::settings::EmulatorSettings;
use state::Credentials;

/// The region the IAM project lookup answers by default.
pub const DEFAULT_REGION: &str = "ap-southeast-1";

/// How long the temporary credentials of the emulator's metadata service
/// last, unless `POOLCTL_EMULATOR_METADATA_EXPIRY` says otherwise.
pub const DEFAULT_METADATA_EXPIRY: Duration = Duration::from_secs(60 * 60);
/// The shortest `POOLCTL_EMULATOR_METADATA_EXPIRY`: a client stops using
/// credentials a few seconds before they expire.
pub const MIN_METADATA_EXPIRY: Duration = Duration::from_secs(10);

/// The most connections served at once (docs/emulator.md, "As a server").
pub const MAX_CONNECTIONS: usize = 256;
/// Connections the kernel keeps waiting for `accept` (capped by
/// `net.core.somaxconn`). The accept loop takes them as fast as they come,
/// closing idle ones to make room; but a flood of more connections than the
/// cap plus this queue has the kernel drop new SYNs (which a client resends
/// after a second). tokio's default is 128.
pub const LISTEN_BACKLOG: u32 = 1024;

/// The most a request's headers may take, counted from the connection's
/// start or the end of its previous answer: also the idle keep-alive timeout.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The most a request body may take to arrive once its headers are checked.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Memory for request bodies beyond [`BODY_FREE`] each, shared by all
/// connections: five bodies of the 12 MB maximum.
pub const BODY_BUDGET: usize = 5 * MAX_BODY;

/// What the emulator allows its clients, as a server. The defaults are the
/// constants above; tests shorten them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
    pub body_read_timeout: Duration,
    /// Must be at least `MAX_BODY - BODY_FREE`, or a body of the maximum
    /// size can never be read.
    pub body_budget: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: MAX_CONNECTIONS,
            header_read_timeout: HEADER_READ_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
            body_budget: BODY_BUDGET,
        }
    }
}

/// How an emulator is set up. `Debug` never shows the SK or the token.
#[derive(Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Time for a pool to go from creation to `Running`.
    pub provision_time: Duration,
    pub faults: Faults,
    /// Seed of the fault draws.
    pub seed: u64,
    /// Keep pools and credentials in this file across restarts. When it
    /// holds credentials already, they replace `ak`, `sk` and `project_id`
    /// (see [`Emulator::config`]).
    pub state_file: Option<PathBuf>,
    /// The accepted access key.
    pub ak: String,
    /// The accepted secret key.
    pub sk: String,
    /// An accepted `X-Auth-Token`, if any.
    pub token: Option<String>,
    pub project_id: String,
    /// Answered by the IAM project lookup.
    pub region: String,
    pub limits: Limits,
    /// How long the temporary credentials of its ECS metadata service last.
    pub metadata_expiry: Duration,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("provision_time", &self.provision_time)
            .field("faults", &self.faults)
            .field("seed", &self.seed)
            .field("state_file", &self.state_file)
            .field("ak", &self.ak)
            .field("sk", &REDACTED)
            .field("token", &self.token.as_ref().map(|_| REDACTED))
            .field("project_id", &self.project_id)
            .field("region", &self.region)
            .field("limits", &self.limits)
            .field("metadata_expiry", &self.metadata_expiry)
            .finish()
    }
}

impl Config {
    /// A config with fresh credentials: an AK of `EMU` and 17 hex digits, a
    /// 40-character SK and a 32-hex project id, drawn from the clock. No
    /// faults, seed 1, no state file, no token, region `ap-southeast-1`.
    pub fn with_generated_credentials(listen: SocketAddr, provision_time: Duration) -> Config {
        let creds = generate_credentials();
        Config {
            listen,
            provision_time,
            faults: Faults::default(),
            seed: 1,
            state_file: None,
            ak: creds.ak,
            sk: creds.sk,
            token: None,
            project_id: creds.project_id,
            region: DEFAULT_REGION.to_string(),
            limits: Limits::default(),
            metadata_expiry: DEFAULT_METADATA_EXPIRY,
        }
    }

    fn credentials(&self) -> Credentials {
        Credentials {
            ak: self.ak.clone(),
            sk: self.sk.clone(),
            project_id: self.project_id.clone(),
        }
    }
}

fn generate_credentials() -> Credentials {
    let mut rng = rng::SplitMix64::from_entropy();
    Credentials {
        ak: format!("EMU{}", rng.string(b"0123456789ABCDEF", 17)),
        sk: rng.string(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            40,
        ),
        project_id: rng.hex(32),
    }
}

/// A running emulator. Dropping it stops the server too (gracefully, in the
/// background); [`Emulator::shutdown`] waits for that.
pub struct Emulator {
    addr: SocketAddr,
    config: Config,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Why an emulator did not start.
#[derive(Debug)]
pub enum StartError {
    /// The listen address could not be bound.
    Listen(std::io::Error),
    /// The state file cannot be used: another emulator holds it, it is
    /// malformed or too big, or it cannot be written. It is left as it was.
    State(std::io::Error),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Listen(e) | StartError::State(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for StartError {}

impl From<StartError> for std::io::Error {
    fn from(e: StartError) -> std::io::Error {
        match e {
            StartError::Listen(e) | StartError::State(e) => e,
        }
    }
}

/// Binds, loads the state file if any, and spawns the server on the current
/// tokio runtime. Returns as soon as the socket listens.
pub async fn start(config: Config) -> Result<Emulator, std::io::Error> {
    Ok(launch(config).await?)
}

/// [`start`], saying whether the address or the state file was the problem.
/// The state file is locked, then read and checked, before anything is
/// written; the credentials it holds, if any, replace the config's.
pub async fn launch(config: Config) -> Result<Emulator, StartError> {
    let listener = listen(config.listen).map_err(StartError::Listen)?;
    let addr = listener.local_addr().map_err(StartError::Listen)?;
    let store = state::Store::open(config.state_file.clone(), config.credentials())
        .map_err(StartError::State)?;
    // A state file's credentials win, so a restarted emulator accepts the
    // exports it printed before.
    let mut config = config;
    let saved = store.credentials();
    config.ak = saved.ak.clone();
    config.sk = saved.sk.clone();
    config.project_id = saved.project_id.clone();
    let app = app(config.clone(), store);
    let router = server::router(app.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let limits = config.limits;
    let task = tokio::spawn(async move {
        serve::run(listener, router, limits, stopped).await;
        // Every connection has ended: let go of the state file's lock, once
        // a write under way is on disk.
        app.store.close().await;
    });
    Ok(Emulator {
        addr,
        config,
        stop: Some(stop),
        task: Some(task),
    })
}

/// A listening socket on `addr`, with [`LISTEN_BACKLOG`].
fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    // As std's and tokio's own `bind` do on Unix: a restart may reuse a
    // port whose old connections are in TIME_WAIT.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

fn app(config: Config, store: state::Store) -> Arc<server::App> {
    let domain_id = crate::auth::signer::hex_sha256(format!("domain:{}", config.ak).as_bytes())
        [..32]
        .to_string();
    Arc::new(server::App {
        injector: Mutex::new(faults::Injector::new(config.faults.clone(), config.seed)),
        ids: Mutex::new(rng::SplitMix64::from_entropy()),
        store,
        domain_id,
        pager: paging::Pager::new(&config.sk),
        body_budget: Arc::new(tokio::sync::Semaphore::new(config.limits.body_budget)),
        issued: Mutex::default(),
        config,
    })
}

impl Emulator {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`; an unspecified listen address (`0.0.0.0`,
    /// `[::]`) is given as the loopback address a client can connect to.
    pub fn endpoint(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `http://ADDR`, the address actually bound (`0.0.0.0:PORT` included),
    /// unlike [`Emulator::endpoint`], which is where a client on this host
    /// connects.
    pub fn bound_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Whether only this host can reach the emulator.
    pub fn is_loopback(&self) -> bool {
        self.addr.ip().is_loopback()
    }

    /// Whether [`Emulator::endpoint`], where clients are sent, is a
    /// loopback address: false only when bound to a specific address that
    /// is not (a LAN address), so requests cross the network.
    pub fn endpoint_is_loopback(&self) -> bool {
        self.addr.ip().is_loopback() || self.addr.ip().is_unspecified()
    }

    /// The shell lines that point poolctl (and the SDKs) at this emulator.
    /// They hold the SK: print them where the user asked for them, nowhere else.
    /// When the endpoint is not loopback, a last line opts the client in to
    /// plain http to another host (`POOLCTL_ALLOW_PLAIN_HTTP=1`), which it
    /// otherwise refuses: the emulator speaks nothing else.
    pub fn export_lines(&self) -> String {
        let endpoint = self.endpoint();
        let c = &self.config;
        let mut lines = vec![
            ("POOLCTL_ENDPOINT", endpoint.as_str()),
            ("HUAWEICLOUD_SDK_AK", c.ak.as_str()),
            ("HUAWEICLOUD_SDK_SK", c.sk.as_str()),
            ("POOLCTL_PROJECT_ID", c.project_id.as_str()),
            ("POOLCTL_IAM_ENDPOINT", endpoint.as_str()),
            ("POOLCTL_REGION", c.region.as_str()),
        ];
        if !self.endpoint_is_loopback() {
            lines.push(("POOLCTL_ALLOW_PLAIN_HTTP", "1"));
        }
        lines
            .iter()
            .map(|(k, v)| format!("export {k}={}\n", shell_quote(v)))
            .collect()
    }

    /// Stops accepting, lets requests in flight finish (at most
    /// [`SHUTDOWN_GRACE`]), and returns when the server is down and the
    /// state file, if any, is unlocked.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            // The server drops its stragglers after the grace; a second
            // more is for a state write under way.
            let limit = SHUTDOWN_GRACE + Duration::from_secs(1);
            if tokio::time::timeout(limit, &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

/// Plain when safe, single-quoted otherwise.
fn shell_quote(v: &str) -> String {
    let safe = !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&b));
    if safe {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\'', r"'\''"))
    }
}

impl Config {
    /// The config of `poolctl emulator`: fresh credentials, which the
    /// `--state` file's replace if it holds some (see [`launch`]: the file is
    /// read only once its lock is taken).
    pub fn from_settings(s: &EmulatorSettings) -> Config {
        let mut config = Config::with_generated_credentials(s.listen, s.provision_time);
        config.faults = s.faults.clone();
        config.seed = s.seed;
        config.state_file = s.state.clone();
        config.metadata_expiry = s.metadata_expiry;
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_credentials_look_right_and_differ() {
        let a = generate_credentials();
        let b = generate_credentials();
        assert!(a.ak.starts_with("EMU") && a.ak.len() == 20, "{}", a.ak);
        assert_eq!(a.sk.len(), 40);
        assert!(a.project_id.len() == 32 && a.project_id.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn debug_redacts_secrets() {
        let mut c =
            Config::with_generated_credentials("127.0.0.1:0".parse().unwrap(), Duration::ZERO);
        c.token = Some("the-token".into());
        let text = format!("{c:?}");
        assert!(
            !text.contains(&c.sk) && !text.contains("the-token"),
            "{text}"
        );
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("http://127.0.0.1:80"), "http://127.0.0.1:80");
        assert_eq!(shell_quote("a b'c"), r"'a b'\''c'");
    }
}
