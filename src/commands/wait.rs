//! `poolctl wait NAME [--for running|deleted]`: follow a pool that exists.

use super::context::{Context, Pending};
use super::follow::Follower;
use super::Command;
use crate::client::workspace_flag;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::WaitSettings;
use crate::wait::Goal;

impl Command for WaitSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        // Listed from the start, so a signal while connecting says how to resume too.
        let resume = format!("{}{}", self.name, workspace_flag(&self.workspace));
        ctx.waiting.add(&resume, Pending::Wait(self.goal));
        let result = ctx.block_on(async {
            let session = ctx.session().await?;
            // A name that never resolved is not "deleted": it may be mistyped
            // or in another workspace (exit 3).
            let found = session
                .client
                .resolve_pool(&self.workspace, &self.name)
                .await?;
            let waited = Follower::new(ctx, &session.client)
                .follow(
                    &self.name,
                    &self.workspace,
                    found,
                    self.goal,
                    self.timeout,
                    false,
                )
                .await;
            // The last state seen is the result, also when the wait failed.
            match (&waited.last, self.goal, &waited.result) {
                (last, Goal::Deleted, Ok(())) => ctx.printer.deleted_all(
                    &[format!("pool {} deleted", self.name)],
                    last.as_slice(),
                    false,
                )?,
                (Some(pool), _, _) => {
                    ctx.printer
                        .pools(std::slice::from_ref(pool), false, false)?
                }
                (None, _, _) => {}
            }
            waited.result.map(|()| ExitStatus::Success)
        });
        ctx.waiting.remove(&resume, Pending::Wait(self.goal));
        result
    }
}
