//! `poolctl wait NAME [--for running|deleted]`: follow a pool that exists.

use super::context::{Context, Pending};
use super::follow::Follower;
use super::Command;
use crate::client::is_not_found;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::WaitSettings;
use crate::wait::Goal;

impl Command for WaitSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        // Listed from the start, so a signal while connecting says how to resume too.
        ctx.waiting.add(&self.name, Pending::Wait(self.goal));
        let result = ctx.block_on(async {
            let session = ctx.session().await?;
            let found = match session.client.resolve_pool(&self.name).await {
                Err(e) if is_not_found(&e) && self.goal == Goal::Deleted => {
                    ctx.printer.result(&format!("pool {} deleted", self.name))?;
                    return Ok(ExitStatus::Success);
                }
                found => found?,
            };
            let done = Follower::new(ctx, &session.client)
                .follow(&self.name, &found, self.goal, self.timeout, false)
                .await?;
            match done {
                Some(pool) => ctx.printer.pools(&[pool], false)?,
                None => ctx.printer.result(&format!("pool {} deleted", self.name))?,
            }
            Ok(ExitStatus::Success)
        });
        ctx.waiting.remove(&self.name, Pending::Wait(self.goal));
        result
    }
}
