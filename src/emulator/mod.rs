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
//! | `auth` | signature and token verification |
//! | `pools` | server-side validation, the pool object, list filters |
//! | `lifecycle` | phase and node counts as a function of time; failure triggers |
//! | `faults` | the `--faults` grammar and its seeded decisions |
//! | `state` | the pools in memory and in the `--state` file |
//! | `flavors`, `reply`, `rng` | the flavor list, error bodies, splitmix64 |

pub mod auth;
mod faults;
mod flavors;
mod lifecycle;
mod pools;
mod reply;
mod rng;
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
pub use lifecycle::{ABNORMAL, SLOW_PREFIX, SOLDOUT};
pub use server::{ConnIo, ConnKill, ConnListener, MAX_BODY};

use crate::error::Error;
use crate::redact::REDACTED;
use crate::settings::EmulatorSettings;
use state::Credentials;

/// The region the IAM project lookup answers by default.
pub const DEFAULT_REGION: &str = "ap-southeast-1";

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
    /// Keep pools (and these credentials) in this file across restarts.
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

/// Binds, loads the state file if any, and spawns the server on the current
/// tokio runtime. Returns as soon as the socket listens.
pub async fn start(config: Config) -> Result<Emulator, std::io::Error> {
    let store = state::Store::open(config.state_file.clone(), config.credentials())?;
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let domain_id = crate::auth::signer::hex_sha256(format!("domain:{}", config.ak).as_bytes())
        [..32]
        .to_string();
    let app = Arc::new(server::App {
        injector: Mutex::new(faults::Injector::new(config.faults.clone(), config.seed)),
        ids: Mutex::new(rng::SplitMix64::from_entropy()),
        store,
        domain_id,
        config: config.clone(),
    });
    let service = server::router(app).into_make_service_with_connect_info::<server::ConnKill>();
    let (stop, stopped) = oneshot::channel::<()>();
    let serving =
        axum::serve(server::ConnListener(listener), service).with_graceful_shutdown(async move {
            // A dropped sender stops the server as well.
            let _ = stopped.await;
        });
    let task = tokio::spawn(async move {
        // Accept errors are retried inside axum; nothing else can fail here.
        let _ = serving.await;
    });
    Ok(Emulator {
        addr,
        config,
        stop: Some(stop),
        task: Some(task),
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

    /// The shell lines that point poolctl (and the SDKs) at this emulator.
    /// They hold the SK: print them where the user asked for them, nowhere else.
    pub fn export_lines(&self) -> String {
        let endpoint = self.endpoint();
        let c = &self.config;
        [
            ("POOLCTL_ENDPOINT", endpoint.as_str()),
            ("HUAWEICLOUD_SDK_AK", c.ak.as_str()),
            ("HUAWEICLOUD_SDK_SK", c.sk.as_str()),
            ("POOLCTL_PROJECT_ID", c.project_id.as_str()),
            ("POOLCTL_IAM_ENDPOINT", endpoint.as_str()),
            ("POOLCTL_REGION", c.region.as_str()),
        ]
        .iter()
        .map(|(k, v)| format!("export {k}={}\n", shell_quote(v)))
        .collect()
    }

    /// Stops accepting, lets requests in flight finish (at most 5 s), and
    /// returns when the server is down.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
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
    /// The config of `poolctl emulator`: fresh credentials, or those saved
    /// in the `--state` file, so a restarted emulator accepts the exports it
    /// printed before.
    pub fn from_settings(s: &EmulatorSettings) -> Result<Config, Error> {
        let saved = match &s.state {
            Some(path) => state::load_credentials(path).map_err(|e| {
                Error::usage_hint(
                    e.to_string(),
                    "remove the file, or choose another --state file",
                )
            })?,
            None => None,
        };
        let mut config = Config::with_generated_credentials(s.listen, s.provision_time);
        if let Some(c) = saved {
            config.ak = c.ak;
            config.sk = c.sk;
            config.project_id = c.project_id;
        }
        config.faults = s.faults.clone();
        config.seed = s.seed;
        config.state_file = s.state.clone();
        Ok(config)
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
