//! `poolctl create`: build every request and validate it; then print it
//! (`--dry-run`) or submit it, and follow it with `--wait`.

use std::sync::Arc;

use super::context::{Context, Pending, Waiting};
use super::follow::Follower;
use super::manifests::{build, Sources};
use super::Command;
use crate::client::{workspace_flag, Client, Fetched};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::manifest::Document;
use crate::model::CreatePoolRequest;
use crate::output::{plural, Printer};
use crate::settings::{CreateSettings, IfExists};
use crate::wait::Goal;

/// At most this many creates are in flight at once: enough that 20 pools
/// cost about one round trip (DESIGN.md §6), few enough not to hammer the
/// gateway (its 429s are retried anyway).
const CONCURRENT_CREATES: usize = 32;

impl Command for CreateSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let sources = Sources {
            files: &self.files,
            overrides: &self.overrides,
            unknown_fields: self.unknown_fields,
        };
        let Some(docs) = build(&sources, &ctx.printer)? else {
            return Ok(ExitStatus::Usage);
        };
        if self.dry_run {
            ctx.printer.dry_run(&docs, self.show_secrets)?;
            return Ok(ExitStatus::Success);
        }
        ctx.block_on(submit_all(&self, docs, ctx))
    }
}

/// One pool to submit.
pub(super) struct Job {
    pub display: String,
    pub request: CreatePoolRequest,
    pub body: Vec<u8>,
}

/// What became of one pool: its last state seen (none if it was never
/// created), and how its create and wait went.
pub(super) struct Outcome {
    pub display: String,
    pub last: Option<Fetched>,
    pub result: Result<(), Error>,
}

/// A pool as the user names it, and its workspace.
pub(super) struct Pool {
    pub display: String,
    pub workspace: String,
}

impl Pool {
    /// What became of the pool once written (created, patched, or found
    /// as it should be): with `wait` (the follower, a timeout, and whether
    /// other pools report too), its state once it reached the goal or
    /// failed to; else its state as written.
    pub(super) async fn outcome(
        self,
        written: Result<(Fetched, Goal), Error>,
        wait: Option<(&Follower, std::time::Duration, bool)>,
    ) -> Outcome {
        match (written, wait) {
            (Ok((f, goal)), Some((follower, timeout, several))) => {
                let waited = follower
                    .follow(&self.display, &self.workspace, f, goal, timeout, several)
                    .await;
                Outcome {
                    display: self.display,
                    last: waited.last,
                    result: waited.result,
                }
            }
            (Ok((f, _)), None) => Outcome {
                display: self.display,
                last: Some(f),
                result: Ok(()),
            },
            (Err(e), _) => Outcome {
                display: self.display,
                last: None,
                result: Err(e),
            },
        }
    }
}

impl Outcome {
    /// A task that did not end (it panicked): a failure in its place.
    pub(super) fn failed(why: String) -> Outcome {
        Outcome {
            display: "?".into(),
            last: None,
            result: Err(Error::Internal(anyhow::anyhow!(why))),
        }
    }
}

/// Creates every pool concurrently (bounded), follows each with `--wait`,
/// and reports each result.
async fn submit_all(
    s: &CreateSettings,
    docs: Vec<Document>,
    ctx: &Context,
) -> Result<ExitStatus, Error> {
    let several = docs.len() > 1;
    let session = ctx.session().await?;
    if s.preflight {
        let reuse = s.if_exists == IfExists::Reuse;
        if let Some(status) = preflight(&session.client, &docs, reuse, &ctx.printer).await? {
            return Ok(status);
        }
    }
    let jobs: Vec<Job> = docs
        .into_iter()
        .map(|d| Job {
            display: d.request.display_name().unwrap_or_default().to_string(),
            // The typed request serializes the same way for --dry-run and here.
            body: crate::model::to_json(&d.request, false).into_bytes(),
            request: d.request,
        })
        .collect();
    let follower = Follower::new(ctx, &session.client);
    let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_CREATES));
    let mut set = tokio::task::JoinSet::new();
    for (i, job) in jobs.into_iter().enumerate() {
        let client = session.client.clone();
        let (limit, printer, follower) = (limit.clone(), ctx.printer.clone(), follower.clone());
        let waiting = ctx.waiting.clone();
        let (wait, timeout, reuse) = (s.wait, s.wait_timeout, s.if_exists == IfExists::Reuse);
        set.spawn(async move {
            let workspace = job.request.workspace().to_string();
            // The bound is on creates in flight, never on waits: a long
            // wait must not hold back the creation of other pools.
            let permit = limit.acquire_owned().await;
            let submitted =
                submit(&client, &job, reuse, timeout, &printer, &waiting, &follower).await;
            drop(permit);
            let written = submitted.map(|f| (f, Goal::Running));
            let waiting_for = Pool {
                display: job.display,
                workspace,
            };
            let outcome = waiting_for
                .outcome(written, wait.then_some((&follower, timeout, several)))
                .await;
            (i, outcome)
        });
    }
    let outcomes = super::in_order(set, |e| {
        Outcome::failed(format!("a create task failed: {e}"))
    })
    .await;
    report(&ctx.printer, outcomes, several, s.show_secrets)
}

/// Runs preflight on every document before any is created; a status when
/// one cannot succeed (exit 3: nothing is created). With `reuse`, a pool
/// that exists already is not created, so its problems are set aside.
pub(super) async fn preflight(
    client: &Arc<Client>,
    docs: &[Document],
    reuse: bool,
    printer: &Printer,
) -> Result<Option<ExitStatus>, Error> {
    let refs: Vec<&Document> = docs.iter().collect();
    let mut report = crate::preflight::run(client, &refs).await?;
    for w in &report.warnings {
        printer.warning(w);
    }
    if reuse {
        for (doc, problems) in docs.iter().zip(report.problems.iter_mut()) {
            if problems.iter().any(|d| d.is_error()) {
                let name = doc.request.display_name().unwrap_or_default();
                let workspace = doc.request.workspace();
                let found = client.find_by_label(workspace, name).await?;
                // A pool being deleted is not reused: reuse waits it out and
                // creates a new one, which preflight is about.
                let reused = found
                    .iter()
                    .any(|f| f.pool.phase() != Some(crate::model::phase::DELETING));
                if reused {
                    printer.info(&format!(
                        "pool {name} exists; preflight's problems concern a new pool, and it will be reused"
                    ));
                    problems.clear();
                }
            }
        }
    }
    let errors = report.errors();
    for (doc, problems) in docs.iter().zip(&report.problems) {
        printer.diagnostics(problems, &doc.file);
    }
    if errors == 0 {
        return Ok(None);
    }
    printer.failure(&format!(
        "preflight found {errors} {} that the service would refuse or fail on; nothing was created",
        plural(errors, "problem", "problems")
    ));
    printer.hint("--no-preflight sends the request anyway");
    Ok(Some(ExitStatus::ApiRejected))
}

/// Sends one create. With `reuse`, a 409 adopts the pool of that name in
/// its workspace, or, when that pool is being deleted, waits until it is
/// gone (within `timeout`) and creates it anew.
pub(super) async fn submit(
    client: &Client,
    job: &Job,
    reuse: bool,
    timeout: std::time::Duration,
    printer: &Printer,
    waiting: &Waiting,
    follower: &Follower,
) -> Result<Fetched, Error> {
    let workspace = job.request.workspace();
    // What the hint of a signal names: the pool, and its workspace.
    let pending = format!("{}{}", job.display, workspace_flag(workspace));
    let mut waited_out = false;
    loop {
        // Listed while the request is in flight: a signal then says the pool may exist.
        waiting.add(&pending, Pending::Create);
        let created = client.create_pool(&job.request, &job.body).await;
        waiting.remove(&pending, Pending::Create);
        let err = match created {
            Ok(created) => {
                let adopted = created.is_adopted();
                let f = created.into_fetched();
                printer.info(&format!(
                    "pool {} {}: {}",
                    job.display,
                    if adopted {
                        "created (answer recovered)"
                    } else {
                        "created"
                    },
                    f.pool.name().unwrap_or("?")
                ));
                return Ok(f);
            }
            Err(err @ Error::AlreadyExists { .. }) if reuse => err,
            Err(e) => return Err(e),
        };
        let mut found = client.find_by_label(workspace, &job.display).await?;
        if found.is_empty() {
            // The service says the name is taken, and does not list it (yet).
            return Err(Error::Unavailable {
                what: format!("reuse pool {}", job.display),
                detail: format!(
                    "the service answered 409 (the name is taken), but lists no pool {} in \
                     workspace {workspace}",
                    job.display
                ),
            }
            .with_hint(format!(
                "its list may lag behind; run again in a moment, or check with: poolctl get {}",
                pending
            )));
        }
        if found.len() > 1 {
            return Err(err);
        }
        let f = found.remove(0);
        if f.pool.phase() == Some(crate::model::phase::DELETING) && !waited_out {
            printer.info(&format!(
                "pool {} exists but is being deleted; waiting until it is gone, then creating it anew",
                job.display
            ));
            let waited = follower
                .follow(&job.display, workspace, f, Goal::Deleted, timeout, false)
                .await;
            waited.result?;
            waited_out = true;
            continue;
        }
        printer.info(&format!(
            "pool {} exists: {} ({}); reusing it (--if-exists reuse)",
            job.display,
            f.pool.name().unwrap_or("?"),
            f.pool.phase().unwrap_or("no phase yet")
        ));
        // Reused as it is: never changed here, but the difference is said,
        // as `diff` computes it.
        let wanted = serde_json::to_value(&job.request).unwrap_or_default();
        let drifts = crate::drift::drift(&wanted, &f.raw);
        if !drifts.is_empty() {
            printer.warning(&format!(
                "pool {} differs from the request, and is reused as it is: {}; \
                 `poolctl diff` shows it, `poolctl apply` changes what can change in place",
                job.display,
                drifts
                    .iter()
                    .map(|d| format!(
                        "{} is {}, the request says {}{}",
                        d.path,
                        crate::drift::shown(d.live.as_ref()),
                        crate::drift::shown(d.wanted.as_ref()),
                        if d.in_place() {
                            ""
                        } else {
                            " (needs a new pool)"
                        }
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        return Ok(f);
    }
}

/// Prints what became of each pool: the last state of every pool that
/// exists is the result (one pool: the object; several: one List), also
/// when its create or wait failed. With one pool its error is the run's;
/// with several, each failure is printed here and the first decides the
/// status.
pub(super) fn report(
    printer: &Printer,
    outcomes: Vec<Outcome>,
    several: bool,
    show_secrets: bool,
) -> Result<ExitStatus, Error> {
    let states: Vec<Fetched> = outcomes.iter().filter_map(|o| o.last.clone()).collect();
    if several || !states.is_empty() {
        printer.pools(&states, several, show_secrets)?;
    }
    if !several {
        let outcome = outcomes.into_iter().next().expect("one outcome");
        return outcome.result.map(|()| ExitStatus::Success);
    }
    let total = outcomes.len();
    let mut failed = 0;
    let mut first_failure = None;
    for o in outcomes {
        if let Err(e) = o.result {
            failed += 1;
            first_failure.get_or_insert(e.exit_status());
            printer.failure(&format!("pool {}: {e}", o.display));
            if let Some(hint) = e.hint() {
                printer.hint(&hint);
            }
        }
    }
    Ok(match first_failure {
        None => ExitStatus::Success,
        Some(status) => {
            printer.failure(&format!("{failed} of {total} pools failed"));
            status
        }
    })
}
