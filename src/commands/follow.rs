//! Following a pool with progress: the one wait of `create --wait`, `wait`
//! and `delete --wait`.

use std::sync::Arc;
use std::time::Duration;

use super::context::{Context, Pending, Waiting};
use crate::client::{workspace_flag, Client, Fetched};
use crate::error::Error;
use crate::model::{Event, WARNING};
use crate::output::progress::Progress;
use crate::output::Printer;
use crate::wait::{self, Goal, Schedule, Waited};

/// What following a pool needs; cheap to clone into a task per pool.
#[derive(Clone)]
pub struct Follower {
    client: Arc<Client>,
    printer: Printer,
    waiting: Waiting,
}

impl Follower {
    pub fn new(ctx: &Context, client: &Arc<Client>) -> Follower {
        Follower {
            client: client.clone(),
            printer: ctx.printer.clone(),
            waiting: ctx.waiting.clone(),
        }
    }

    /// Follows `pool` until `goal`, showing progress under `display` (the
    /// name the user knows it by), which also names it in errors and in the
    /// resume hint, with `workspace`. `several`: other pools report at the
    /// same time.
    pub async fn follow(
        &self,
        display: &str,
        workspace: &str,
        pool: Fetched,
        goal: Goal,
        timeout: Duration,
        several: bool,
    ) -> Waited {
        if let Err(e) = pool.metadata_name() {
            return Waited {
                last: Some(pool),
                result: Err(e),
            };
        }
        // What a resume command names: the pool, and its workspace.
        let resume = format!("{display}{}", workspace_flag(workspace));
        self.waiting.add(&resume, Pending::Wait(goal));
        let mut progress = Progress::new(&self.printer, display, several);
        let mut waited = wait::until(
            self.client.as_ref(),
            pool,
            goal,
            timeout,
            self.client.policy().max_outage,
            Schedule::default(),
            &mut |e| progress.event(e),
        )
        .await;
        drop(progress);
        self.waiting.remove(&resume, Pending::Wait(goal));
        if let Err(Error::PoolFailed { phase, events, .. }) = &mut waited.result {
            if crate::model::phase::is_failed(phase) {
                if let Some(name) = waited.last.as_ref().and_then(|f| f.pool.name()) {
                    *events = self.warnings(workspace, name).await;
                }
            }
        }
        waited.result = waited.result.map_err(|e| named(e, display, &resume, goal));
        waited
    }
}

impl Follower {
    /// The last Warning events of pool `name` (its `metadata.name`), one
    /// safe line each: why it failed, in the service's words. Events that
    /// cannot be read are one line that says so; the failure stands anyway.
    async fn warnings(&self, workspace: &str, name: &str) -> Vec<String> {
        match self
            .client
            .list_events(workspace, name, Some(WARNING))
            .await
        {
            Ok(events) => {
                let warnings: Vec<&Event> = events
                    .iter()
                    .map(|e| &e.typed)
                    .filter(|e| e.is_warning())
                    .collect();
                let skip = warnings.len().saturating_sub(RECENT_WARNINGS);
                warnings[skip..]
                    .iter()
                    .map(|e| crate::redact::terminal(&e.line()))
                    .collect()
            }
            Err(e) => vec![format!(
                "(its events could not be read: {})",
                crate::redact::terminal(&e.to_string())
            )],
        }
    }
}

/// How many Warning events a failed pool's error shows, the latest.
const RECENT_WARNINGS: usize = 5;

/// The error of a wait, naming the pool as the user knows it; an outage
/// says the pool is there and how to pick the wait up again.
fn named(e: Error, display: &str, resume: &str, goal: Goal) -> Error {
    match e {
        Error::WaitTimeout {
            waited,
            goal,
            order,
            ..
        } => Error::WaitTimeout {
            name: display.to_string(),
            target: resume.to_string(),
            waited,
            goal,
            order,
        },
        Error::PoolFailed {
            phase,
            message,
            events,
            ..
        } => Error::PoolFailed {
            name: display.to_string(),
            target: resume.to_string(),
            phase,
            message,
            events,
        },
        e @ (Error::Unavailable { .. } | Error::Unreadable { .. }) => {
            let hint = format!(
                "the pool exists and poolctl lost sight of it; once the service answers, \
                 resume with: {}",
                goal.resume_command(resume)
            );
            e.with_hint(hint)
        }
        other => other,
    }
}
