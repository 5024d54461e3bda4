//! Commands that print text generated from poolctl's own definitions: the
//! manifest's JSON Schema, completion scripts and the man pages.

use super::context::Context;
use super::Command;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::{ManSettings, SchemaSettings};

impl Command for SchemaSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let schema = serde_json::to_value(crate::manifest::shape::manifest_schema())
            .map_err(|e| Error::Internal(anyhow::anyhow!("cannot render the schema: {e}")))?;
        // JSON for text and -o json; -o yaml and --query as for any result.
        ctx.printer.value(&schema)?;
        Ok(ExitStatus::Success)
    }
}

/// poolctl(1), or the page of a command.
impl Command for ManSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let Some(page) = crate::man::page(self.command.as_deref()) else {
            return Err(Error::usage_hint(
                format!(
                    "no man page for `{}`",
                    self.command.as_deref().unwrap_or_default()
                ),
                format!("the pages: {}", crate::man::commands().join(", ")),
            ));
        };
        Generated(page).run(ctx)
    }
}

/// Text made from the command-line definition (completions, man pages).
pub struct Generated(pub Vec<u8>);

impl Command for Generated {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        ctx.printer.result(&String::from_utf8_lossy(&self.0))?;
        Ok(ExitStatus::Success)
    }
}
