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
use crate::settings::regions::EndpointSource;
use crate::settings::{GlobalSettings, Project, Service, Target};
use crate::wait::{self, Goal};

/// The global settings folded into what commands use.
pub struct Context {
    pub printer: Printer,
    pub waiting: Waiting,
    /// Taken when the session is made.
    service: Cell<Option<Service>>,
    /// The session's service is an emulator inside this process, which ends
    /// with it: there is nothing to resume after a signal.
    in_process: Cell<bool>,
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
            service: Cell::new(Some(global.service)),
            in_process: Cell::new(false),
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
                    resume: self.resume_hint(),
                }),
            }
        })
    }

    fn resume_hint(&self) -> Option<String> {
        if self.in_process.get() {
            return Some(
                "the in-process emulator (--emulator) ended with this run, and its pools \
                 with it: nothing is left to resume"
                    .into(),
            );
        }
        self.waiting.resume_hint()
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
        let (target, http, emulator) = match service {
            Service::Remote { target, http } => (target?, http, None),
            Service::Emulator {
                provision_time,
                faults,
                state,
                http,
            } => {
                let (target, emu) = start_emulator(provision_time, faults, state).await?;
                self.in_process.set(true);
                self.printer.info(&format!(
                    "note: --emulator: talking to a local emulator at {}; nothing reaches a cloud",
                    target.endpoint
                ));
                (target, http, Some(emu))
            }
            Service::None => {
                return Err(Error::Internal(anyhow::anyhow!(
                    "this command was not set up to talk to the service"
                )))
            }
        };
        if self.printer.verbose >= 1 {
            self.printer.info(&format!(
                "credentials from {}; endpoint {} (from {})",
                target.credential_source, target.endpoint, target.endpoint_source
            ));
        }
        let notes = Arc::new(ClientNotes::new(&self.printer));
        let mut client = Client::new(&target, &http, notes)?;
        client.ensure_credentials().await?;
        client.ensure_project().await?;
        Ok(Session {
            client: Arc::new(client),
            _emulator: emulator,
        })
    }
}

/// The in-process emulator of `--emulator`. With a state file, pools live
/// on from one command to the next (the file's credentials are used); a
/// file another emulator holds is exit 2, as for `poolctl emulator --state`.
async fn start_emulator(
    provision_time: std::time::Duration,
    faults: emulator::Faults,
    state: Option<std::path::PathBuf>,
) -> Result<(Target, emulator::Emulator), Error> {
    let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let mut config = emulator::Config::with_generated_credentials(listen, provision_time);
    config.faults = faults;
    let state_given = state.is_some();
    config.state_file = state;
    let emu = emulator::start(config).await.map_err(|e| {
        if state_given {
            Error::usage_hint(
                format!("--emulator: {e}"),
                "POOLCTL_EMULATOR_STATE names the file the emulated pools are kept in; \
                 one command at a time may use it",
            )
        } else {
            Error::Internal(anyhow::anyhow!("cannot start the in-process emulator: {e}"))
        }
    })?;
    let c = emu.config();
    let target = Target {
        endpoint: emu.endpoint(),
        fallback_endpoints: Vec::new(),
        endpoint_source: EndpointSource::Emulator,
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
        // Under `nohup` SIGHUP is ignored, and must stay so: a handler would
        // undo what the user asked for.
        let hangup = (!ignored(libc::SIGHUP)).then_some((SignalKind::hangup(), Signal::Hangup));
        for (kind, which) in [
            (SignalKind::interrupt(), Signal::Interrupt),
            (SignalKind::terminate(), Signal::Terminate),
        ]
        .into_iter()
        .chain(hangup)
        {
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

/// Whether the process started with `signal` ignored (`nohup`, a shell's
/// `trap '' HUP`).
#[cfg(unix)]
fn ignored(signal: libc::c_int) -> bool {
    // SAFETY: a query (a null new action) of a valid signal number, into a
    // zeroed struct of the right type; nothing is changed.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0
            && old.sa_sigaction == libc::SIG_IGN
    }
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

/// Something a signal may cut short, and that the user may want to pick up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// A create request was sent and its answer not yet seen.
    Create,
    /// A wait for the pool to reach the goal.
    Wait(Goal),
}

/// What is pending, by the name the user knows each pool by, for the
/// resume hint of a signal. What a signal cut short stays listed.
#[derive(Debug, Clone, Default)]
pub struct Waiting(Arc<Mutex<Vec<(String, Pending)>>>);

impl Waiting {
    pub fn add(&self, name: &str, pending: Pending) {
        if let Ok(mut w) = self.0.lock() {
            w.push((name.to_string(), pending));
        }
    }

    /// Unlists one [`Waiting::add`] of `name`, once it has ended.
    pub fn remove(&self, name: &str, pending: Pending) {
        if let Ok(mut w) = self.0.lock() {
            if let Some(at) = w.iter().position(|(n, p)| n == name && *p == pending) {
                w.remove(at);
            }
        }
    }

    /// What to do about each thing still listed, each pool once.
    pub fn resume_hint(&self) -> Option<String> {
        let listed = self.0.lock().ok()?.clone();
        let mut creates: Vec<&str> = Vec::new();
        let mut waits: Vec<(String, Goal)> = Vec::new();
        for (name, pending) in &listed {
            match pending {
                Pending::Create if !creates.contains(&name.as_str()) => creates.push(name),
                Pending::Wait(goal) if !waits.contains(&(name.clone(), *goal)) => {
                    waits.push((name.clone(), *goal))
                }
                _ => {}
            }
        }
        // Each entry is the pool as commands name it (with --workspace-id
        // outside the default workspace), so it goes after a command.
        let in_flight = match creates.as_slice() {
            [] => None,
            [one] => Some(format!(
                "the create was sent and its answer not seen, so the pool may exist; \
                 check with: poolctl get {one}"
            )),
            several => Some(format!(
                "the creates were sent and their answers not seen, so the pools may exist; \
                 check with: {}",
                several
                    .iter()
                    .map(|p| format!("poolctl get {p}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        };
        let parts: Vec<String> = in_flight
            .into_iter()
            .chain(wait::resume_hint(&waits))
            .collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_lists_each_pool_once_until_its_last_wait_ends() {
        let running = Pending::Wait(Goal::Running);
        let w = Waiting::default();
        w.add("a", running);
        w.add("a", running);
        w.add("b", Pending::Wait(Goal::Deleted));
        let hint = w.resume_hint().unwrap();
        assert_eq!(hint.matches("poolctl wait a").count(), 1, "{hint}");
        w.remove("a", running);
        assert!(w.resume_hint().unwrap().contains("poolctl wait a"));
        w.remove("a", running);
        w.remove("b", Pending::Wait(Goal::Deleted));
        assert_eq!(w.resume_hint(), None);
    }

    #[test]
    fn a_create_in_flight_may_have_made_its_pool() {
        let w = Waiting::default();
        w.add("a", Pending::Create);
        assert_eq!(
            w.resume_hint().unwrap(),
            "the create was sent and its answer not seen, so the pool may exist; \
             check with: poolctl get a"
        );
        w.add("b --workspace-id ws1", Pending::Create);
        w.add("c", Pending::Wait(Goal::Running));
        let hint = w.resume_hint().unwrap();
        assert!(
            hint.contains("check with: poolctl get a; poolctl get b --workspace-id ws1;"),
            "{hint}"
        );
        assert!(hint.ends_with("resume with: poolctl wait c"), "{hint}");
        w.remove("a", Pending::Create);
        w.remove("b --workspace-id ws1", Pending::Create);
        assert!(w
            .resume_hint()
            .unwrap()
            .starts_with("the pool is still being created"));
    }
}
