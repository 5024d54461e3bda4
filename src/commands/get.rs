//! `poolctl get NAME`: one pool, by `metadata.name` or by its name label.

use super::context::Context;
use super::Command;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::GetSettings;

impl Command for GetSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        ctx.block_on(async {
            let session = ctx.session().await?;
            let pool = session
                .client
                .resolve_pool(&self.workspace, &self.name)
                .await?;
            ctx.printer.pools(&[pool], false, self.show_secrets)?;
            Ok(ExitStatus::Success)
        })
    }
}
