//! Commands that print text generated from poolctl's own definitions: the
//! manifest's JSON Schema, completion scripts and the man pages.

use super::context::Context;
use super::Command;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::SchemaSettings;

impl Command for SchemaSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let schema = serde_json::to_value(crate::manifest::shape::manifest_schema())
            .map_err(|e| Error::Internal(anyhow::anyhow!("cannot render the schema: {e}")))?;
        // JSON for text and -o json; -o yaml and --query as for any result.
        ctx.printer.value(&schema)?;
        Ok(ExitStatus::Success)
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
