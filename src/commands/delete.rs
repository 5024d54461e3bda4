//! `poolctl delete NAME [--wait]`.

use super::context::Context;
use super::follow::Follower;
use super::Command;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::DeleteSettings;
use crate::wait::Goal;

impl Command for DeleteSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        ctx.block_on(async {
            let session = ctx.session().await?;
            let found = session
                .client
                .resolve_pool(&self.workspace, &self.name)
                .await?;
            let id = found.metadata_name()?.to_string();
            let answer = session.client.delete_pool(&id).await?;
            // The delete's answer is the pool, now Deleting; some gateways
            // answer nothing, and then the pool as found stands for it.
            let deleting = if answer.pool.name().is_some() {
                answer
            } else {
                found
            };
            if !self.wait {
                ctx.printer.deleted(
                    &format!("pool {} ({id}) is being deleted", self.name),
                    Some(&deleting),
                )?;
                return Ok(ExitStatus::Success);
            }
            let waited = Follower::new(ctx, &session.client)
                .follow(
                    &self.name,
                    &self.workspace,
                    deleting,
                    Goal::Deleted,
                    self.wait_timeout,
                    false,
                )
                .await;
            if let Err(e) = waited.result {
                // The last state seen is the result of a failed wait too.
                if let Some(last) = &waited.last {
                    ctx.printer
                        .pools(std::slice::from_ref(last), false, false)?;
                }
                return Err(e);
            }
            ctx.printer.deleted(
                &format!("pool {} ({id}) deleted", self.name),
                waited.last.as_ref(),
            )?;
            Ok(ExitStatus::Success)
        })
    }
}
