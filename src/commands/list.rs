//! `poolctl list`: the pools of the project, filtered by the service.

use super::context::Context;
use super::Command;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::ListSettings;

impl Command for ListSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        ctx.block_on(async {
            let session = ctx.session().await?;
            let pools = session
                .client
                .list_pools(&self.workspace, self.label_selector.as_deref(), self.status)
                .await?;
            ctx.printer.pool_list(&pools)?;
            Ok(ExitStatus::Success)
        })
    }
}
