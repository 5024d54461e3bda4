//! What every command is given: the printer, a runtime with its signal
//! handling (made when first needed, so local commands never pay for it),
//! and, made on first use, a session with the service.

use std::cell::{Cell, OnceCell};
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::runtime::Runtime;
use tokio::sync::watch;

use crate::auth::{CredentialSource, Credentials, Secret};
use crate::client::Client;
use crate::emulator;
use crate::error::Error;
use crate::exit::Signal;
use crate::output::progress::ClientNotes;
use crate::output::Printer;
use crate::settings::{GlobalSettings, HttpSettings, Project, Service, Target};
use crate::wait::{self, Goal};

/// The global settings folded into what commands use.
pub struct Context {
    pub printer: Printer,
    pub waiting: Waiting,
    http: HttpSettings,
    /// Taken when the session is made.
    service: Cell<Option<Service>>,
    // Fields drop in this order: the session (client, emulator) before the
    // runtime it was made on.
    session: tokio::sync::OnceCell<Session>,
    runtime: OnceCell<(Runtime, watch::Receiver<Option<Signal>>)>,
}

/// A client ready to use, and the emulator it talks to with `--emulator`.
pub struct Session {
    pub client: Arc<Client>,
    _emulator: Option<emulator::Emulator>,
}

impl Context {
    pub fn new(printer: Printer, global: GlobalSettings) -> Context {
        Context {
            printer,
            waiting: Waiting::default(),
            http: global.http,
            service: Cell::new(Some(global.service)),
            session: tokio::sync::OnceCell::new(),
            runtime: OnceCell::new(),
        }
    }

    fn runtime(&self) -> Result<&(Runtime, watch::Receiver<Option<Signal>>), Error> {
        if let Some(r) = self.runtime.get() {
            return Ok(r);
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Internal(anyhow::anyhow!("cannot start the runtime: {e}")))?;
        let signals = listen_for_signals(&rt);
        Ok(self.runtime.get_or_init(|| (rt, signals)))
    }

    /// Runs `work` to its end, or until a signal: then it is dropped (a
    /// request in flight is cancelled, nothing is deleted) and the run ends
    /// with [`Error::Interrupted`], which says how to resume the waits that
    /// were going on.
    pub fn block_on<T>(&self, work: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        let (rt, signals) = self.runtime()?;
        let mut signals = signals.clone();
        rt.block_on(async {
            tokio::select! {
                biased;
                result = work => result,
                signal = next_signal(&mut signals) => Err(Error::Interrupted {
                    signal,
                    resume: self.waiting.resume_hint(),
                }),
            }
        })
    }

    /// Runs `work`, which handles signals itself through [`Context::signalled`]
    /// (a server that stops cleanly on Ctrl-C or SIGTERM).
    pub fn serve<T>(&self, work: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        self.runtime()?.0.block_on(work)
    }

    /// The first signal received since the runtime started.
    pub async fn signalled(&self) -> Result<Signal, Error> {
        let mut signals = self.runtime()?.1.clone();
        Ok(next_signal(&mut signals).await)
    }

    /// The session, made on first use: the in-process emulator with
    /// `--emulator`, the client, and the project id (looked up through IAM
    /// when not given).
    pub async fn session(&self) -> Result<&Session, Error> {
        self.session.get_or_try_init(|| self.connect()).await
    }

    async fn connect(&self) -> Result<Session, Error> {
        let service = self.service.take().unwrap_or(Service::None);
        let (target, emulator) = match service {
            Service::Remote(target) => (target?, None),
            Service::Emulator { provision_time } => {
                let (target, emu) = start_emulator(provision_time).await?;
                self.printer.info(&format!(
                    "note: --emulator: talking to a local emulator at {}; nothing reaches a cloud",
                    target.endpoint
                ));
                (target, Some(emu))
            }
            Service::None => {
                return Err(Error::Internal(anyhow::anyhow!(
                    "this command was not set up to talk to the service"
                )))
            }
        };
        if self.printer.verbose >= 1 {
            self.printer.info(&format!(
                "credentials from {}; endpoint {}",
                target.credential_source, target.endpoint
            ));
        }
        let notes = Arc::new(ClientNotes::new(&self.printer));
        let mut client = Client::new(&target, &self.http, notes)?;
        client.ensure_project().await?;
        Ok(Session {
            client: Arc::new(client),
            _emulator: emulator,
        })
    }
}

async fn start_emulator(
    provision_time: std::time::Duration,
) -> Result<(Target, emulator::Emulator), Error> {
    let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let config = emulator::Config::with_generated_credentials(listen, provision_time);
    let emu = emulator::start(config).await.map_err(|e| {
        Error::Internal(anyhow::anyhow!("cannot start the in-process emulator: {e}"))
    })?;
    let c = emu.config();
    let target = Target {
        endpoint: emu.endpoint(),
        project: Project::Id(c.project_id.clone()),
        credentials: Credentials::AkSk {
            ak: c.ak.clone(),
            sk: Secret::new(c.sk.clone()),
            security_token: None,
        },
        credential_source: CredentialSource::Emulator,
    };
    Ok((target, emu))
}

/// Listens for SIGINT and SIGTERM from now on: registered before any work
/// runs, so a signal that comes at once (a script that stops the emulator
/// as soon as it has read its exports) is seen, not fatal.
fn listen_for_signals(rt: &Runtime) -> watch::Receiver<Option<Signal>> {
    let _entered = rt.enter();
    let (tx, rx) = watch::channel(None);
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        for (kind, which) in [
            (SignalKind::interrupt(), Signal::Interrupt),
            (SignalKind::terminate(), Signal::Terminate),
        ] {
            if let Ok(mut stream) = signal(kind) {
                let tx = tx.clone();
                tokio::spawn(async move {
                    if stream.recv().await.is_some() {
                        let _ = tx.send(Some(which));
                    }
                });
            }
        }
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = tx.send(Some(Signal::Interrupt));
        }
    });
    rx
}

async fn next_signal(signals: &mut watch::Receiver<Option<Signal>>) -> Signal {
    loop {
        if let Some(s) = *signals.borrow_and_update() {
            return s;
        }
        if signals.changed().await.is_err() {
            // No listener left: no signal will ever come.
            std::future::pending::<()>().await;
        }
    }
}

/// The pools being waited on, by the name the user knows them by, for the
/// resume hint of a signal. A wait that a signal cut short stays listed.
#[derive(Debug, Clone, Default)]
pub struct Waiting(Arc<Mutex<Vec<(String, Goal)>>>);

impl Waiting {
    pub fn add(&self, name: &str, goal: Goal) {
        if let Ok(mut w) = self.0.lock() {
            w.push((name.to_string(), goal));
        }
    }

    /// Unlists one [`Waiting::add`] of `name`, once that wait has ended.
    pub fn remove(&self, name: &str, goal: Goal) {
        if let Ok(mut w) = self.0.lock() {
            if let Some(at) = w.iter().position(|(n, g)| n == name && *g == goal) {
                w.remove(at);
            }
        }
    }

    /// How to resume each wait still listed, each pool and goal once.
    pub fn resume_hint(&self) -> Option<String> {
        let mut listed: Vec<(String, Goal)> = Vec::new();
        for entry in self.0.lock().ok()?.iter() {
            if !listed.contains(entry) {
                listed.push(entry.clone());
            }
        }
        wait::resume_hint(&listed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_lists_each_pool_once_until_its_last_wait_ends() {
        let w = Waiting::default();
        w.add("a", Goal::Running);
        w.add("a", Goal::Running);
        w.add("b", Goal::Deleted);
        let hint = w.resume_hint().unwrap();
        assert_eq!(hint.matches("poolctl wait a").count(), 1, "{hint}");
        w.remove("a", Goal::Running);
        assert!(w.resume_hint().unwrap().contains("poolctl wait a"));
        w.remove("a", Goal::Running);
        w.remove("b", Goal::Deleted);
        assert_eq!(w.resume_hint(), None);
    }
}
