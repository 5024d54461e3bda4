//! `poolctl validate`: local checks only, never the network.

use super::context::Context;
use super::Command;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::manifest;
use crate::settings::ValidateSettings;
use crate::validate::validate_run;

impl Command for ValidateSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let loaded = manifest::load_files(&self.files, self.unknown_fields);
        let mut diags: Vec<Diagnostic> = loaded.failures.clone();
        let mut docs = loaded.documents.clone();
        docs.iter_mut().for_each(manifest::normalize);
        // A pool whose manifest names no workspace goes to --workspace-id's
        // (else 0), as create would send it.
        diags.extend(validate_run(&docs, &self.workspace).into_iter().flatten());
        ctx.printer.validation_report(&loaded, &diags)?;
        let errors = diags.iter().filter(|d| d.is_error()).count();
        // The report above is the message; only the status is left to say.
        Ok(if errors > 0 {
            ExitStatus::Usage
        } else {
            ExitStatus::Success
        })
    }
}
