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
            session.client.delete_pool(&id).await?;
            if !self.wait {
                ctx.printer
                    .result(&format!("pool {} ({id}) is being deleted", self.name))?;
                return Ok(ExitStatus::Success);
            }
            let waited = Follower::new(ctx, &session.client)
                .follow(
                    &self.name,
                    &self.workspace,
                    found,
                    Goal::Deleted,
                    self.wait_timeout,
                    false,
                )
                .await;
            waited.result?;
            ctx.printer
                .result(&format!("pool {} ({id}) deleted", self.name))?;
            Ok(ExitStatus::Success)
        })
    }
}
