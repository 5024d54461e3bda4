//! `poolctl validate`: local checks, never the network; with `--preflight`,
//! also create's checks against the service (nothing is created).

use super::context::Context;
use super::Command;
use crate::diagnostic::{Diagnostic, FieldPath, Origin, Severity};
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
        let errors = diags.iter().filter(|d| d.is_error()).count();
        // A request that fails validation is never sent: nothing to ask the service.
        let mut rejected = 0;
        if self.preflight && errors == 0 && !docs.is_empty() {
            let report = ctx.block_on(async {
                let session = ctx.session().await?;
                let refs: Vec<&manifest::Document> = docs.iter().collect();
                crate::preflight::run(&session.client, &refs).await
            })?;
            // What could not be checked counts in the report: a check
            // before merge that checked nothing must not read as a pass.
            let first = docs[0].number;
            diags.extend(report.warnings.iter().map(|w| Diagnostic {
                severity: Severity::Warning,
                path: FieldPath::root().to_string(),
                message: w.clone(),
                origin: Origin::Default,
                document: first,
            }));
            rejected = report.errors();
            diags.extend(report.problems.into_iter().flatten());
        } else if self.preflight && errors > 0 {
            ctx.printer.info(
                "preflight: not run, since the manifests have errors (a request that fails \
                 validation is never sent)",
            );
        }
        ctx.printer.validation_report(&loaded, &diags)?;
        // The report above is the message; only the status is left to say.
        Ok(if errors > 0 {
            ExitStatus::Usage
        } else if rejected > 0 {
            ExitStatus::ApiRejected
        } else {
            ExitStatus::Success
        })
    }
}
