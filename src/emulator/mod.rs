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

mod auth;
mod faults;
mod flavors;
mod lifecycle;
mod pools;
mod reply;
mod rng;
mod server;
mod state;

use std::fmt;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use faults::Faults;
pub use lifecycle::{ABNORMAL, SLOW_PREFIX, SOLDOUT};
pub use server::MAX_BODY;

use crate::error::Error;
use crate::redact::REDACTED;
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

/// `--listen`: `HOST:PORT`, `localhost:PORT`, or a bare `PORT` on loopback.
fn parse_listen(text: &str) -> Result<SocketAddr, Error> {
    let t = text.trim();
    if let Ok(addr) = t.parse::<SocketAddr>() {
        return Ok(addr);
    }
    if let Ok(port) = t.parse::<u16>() {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    if let Some(port) = t
        .strip_prefix("localhost:")
        .and_then(|p| p.parse::<u16>().ok())
    {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    Err(Error::usage_hint(
        format!("--listen `{text}` is not an address"),
        "write HOST:PORT, e.g. 127.0.0.1:8765, or 127.0.0.1:0 for a free port",
    ))
}

/// `poolctl emulator`: start, print the export lines on stdout (and where it
/// serves on stderr unless `quiet`), serve until Ctrl-C or SIGTERM.
///
/// With `--state FILE`, credentials saved in the file are reused, so a
/// restarted emulator accepts the exports it printed before.
pub async fn serve(args: &crate::cli::EmulatorArgs, quiet: bool) -> Result<(), Error> {
    let listen = parse_listen(&args.listen)?;
    let faults = Faults::parse(args.faults.as_deref().unwrap_or(""))
        .map_err(|e| Error::usage_hint(e, "see docs/emulator.md for the --faults grammar"))?;
    let state_hint = "remove the file, or choose another --state file";
    let saved = match &args.state {
        Some(path) => state::load_credentials(path)
            .map_err(|e| Error::usage_hint(e.to_string(), state_hint))?,
        None => None,
    };
    let mut config = Config::with_generated_credentials(listen, args.provision_time);
    if let Some(c) = saved {
        config.ak = c.ak;
        config.sk = c.sk;
        config.project_id = c.project_id;
    }
    config.faults = faults;
    config.seed = args.seed;
    config.state_file = args.state.clone();

    let stop = StopSignal::listen();
    let emulator = start(config).await.map_err(|e| {
        Error::usage_hint(
            format!("cannot start the emulator on {}: {e}", args.listen),
            "choose another --listen address (port 0 picks a free one)",
        )
    })?;
    {
        let mut out = std::io::stdout().lock();
        out.write_all(emulator.export_lines().as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| Error::Internal(anyhow::anyhow!("cannot write to stdout: {e}")))?;
    }
    if !quiet {
        eprintln!(
            "poolctl emulator: serving on {} (provision time {}{}); Ctrl-C to stop",
            emulator.endpoint(),
            crate::duration::format_duration(args.provision_time),
            if emulator.config().faults.is_empty() {
                String::new()
            } else {
                format!(", faults {}", args.faults.as_deref().unwrap_or_default())
            },
        );
    }
    stop.wait().await;
    emulator.shutdown().await;
    Ok(())
}

/// Ctrl-C and SIGTERM, listened for from the moment this is made: made
/// before the export lines are printed, so a script that signals as soon as
/// it has read them stops the emulator cleanly rather than killing it.
struct StopSignal {
    #[cfg(unix)]
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignal {
    fn listen() -> StopSignal {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            StopSignal {
                signals: signal(SignalKind::interrupt())
                    .and_then(|int| Ok((int, signal(SignalKind::terminate())?)))
                    .ok(),
            }
        }
        #[cfg(not(unix))]
        StopSignal {}
    }

    async fn wait(self) {
        #[cfg(unix)]
        if let Some((mut int, mut term)) = self.signals {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
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
    fn listen_addresses_and_quoting() {
        assert_eq!(parse_listen("127.0.0.1:0").unwrap().port(), 0);
        assert_eq!(parse_listen("8765").unwrap().to_string(), "127.0.0.1:8765");
        assert_eq!(
            parse_listen("localhost:9").unwrap().to_string(),
            "127.0.0.1:9"
        );
        assert!(parse_listen("nowhere").is_err());
        assert_eq!(shell_quote("http://127.0.0.1:80"), "http://127.0.0.1:80");
        assert_eq!(shell_quote("a b'c"), r"'a b'\''c'");
    }
}
