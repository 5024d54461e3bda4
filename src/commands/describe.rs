//! `poolctl describe NAME`: one pool in detail, with its recent events.

use super::context::Context;
use super::Command;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::DescribeSettings;

impl Command for DescribeSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        ctx.block_on(async {
            let session = ctx.session().await?;
            let pool = session
                .client
                .resolve_pool(&self.workspace, &self.name)
                .await?;
            let name = pool.metadata_name()?.to_string();
            // The pool is the result; events that cannot be read are said
            // in its place, and do not fail the command.
            let events = match session
                .client
                .list_events(&self.workspace, &name, None)
                .await
            {
                Ok(events) => Ok(events),
                Err(e @ (Error::Interrupted { .. } | Error::Internal(_))) => return Err(e),
                Err(e) => Err(e.to_string()),
            };
            if let Err(why) = &events {
                ctx.printer.warning(&format!(
                    "the events of pool {name} could not be read: {why}"
                ));
            }
            ctx.printer.description(&pool, &events, self.show_secrets)?;
            Ok(ExitStatus::Success)
        })
    }
}
