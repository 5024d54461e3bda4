//! `poolctl diff -f FILE...`: what `apply` would do, field by field. Exit 0
//! when every pool matches, 9 when something differs.

use super::context::Context;
use super::manifests::{build, Sources};
use super::plan::{plan, Action};
use super::Command;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::DiffSettings;

impl Command for DiffSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let sources = Sources {
            files: &self.files,
            overrides: &self.overrides,
            unknown_fields: self.unknown_fields,
        };
        let Some(docs) = build(&sources, &ctx.printer)? else {
            return Ok(ExitStatus::Usage);
        };
        ctx.block_on(async {
            let session = ctx.session().await?;
            let plans = plan(&session.client, &docs).await?;
            ctx.printer.plans(&plans, false, false)?;
            let differs = plans
                .iter()
                .any(|p| !matches!(p.action, Action::Unchanged { .. }));
            Ok(if differs {
                ExitStatus::Differs
            } else {
                ExitStatus::Success
            })
        })
    }
}
