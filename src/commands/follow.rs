//! Following a pool with progress: the one wait of `create --wait`, `wait`
//! and `delete --wait`.

use std::sync::Arc;
use std::time::Duration;

use super::context::{Context, Pending, Waiting};
use crate::client::{Client, Fetched};
use crate::error::Error;
use crate::output::progress::Progress;
use crate::output::Printer;
use crate::wait::{self, Goal, Schedule};

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
    /// resume hint. `several`: other pools report at the same time.
    /// Returns the last pool seen for `Running`, `None` for `Deleted`.
    pub async fn follow(
        &self,
        display: &str,
        pool: &Fetched,
        goal: Goal,
        timeout: Duration,
        several: bool,
    ) -> Result<Option<Fetched>, Error> {
        let name = pool.metadata_name()?;
        self.waiting.add(display, Pending::Wait(goal));
        let mut progress = Progress::new(&self.printer, display, several);
        let done = wait::until(
            self.client.as_ref(),
            name,
            goal,
            timeout,
            Schedule::default(),
            &mut |e| progress.event(e),
        )
        .await
        .map_err(|e| match e {
            Error::WaitTimeout { waited, goal, .. } => Error::WaitTimeout {
                name: display.to_string(),
                waited,
                goal,
            },
            Error::PoolFailed { phase, message, .. } => Error::PoolFailed {
                name: display.to_string(),
                phase,
                message,
            },
            other => other,
        });
        drop(progress);
        self.waiting.remove(display, Pending::Wait(goal));
        done
    }
}
