//! `poolctl validate`: local checks only, never the network.

use serde_json::json;

use super::context::Context;
use super::Command;
use crate::diagnostic::{Diagnostic, Origin, Severity};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::manifest;
use crate::output::{counts, Format};
use crate::settings::ValidateSettings;
use crate::validate::validate;

impl Command for ValidateSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let printer = &ctx.printer;
        let loaded = manifest::load_files(&self.files, self.unknown_fields);
        let mut diags: Vec<Diagnostic> = loaded.failures.clone();
        for doc in &loaded.documents {
            let mut doc = doc.clone();
            manifest::normalize(&mut doc);
            diags.extend(validate(&doc));
        }
        let file_of = |d: &Diagnostic| -> String {
            match &d.origin {
                Origin::File { file, .. } => file.clone(),
                _ => loaded
                    .documents
                    .iter()
                    .find(|doc| doc.number == d.document)
                    .map(|doc| doc.file.clone())
                    .unwrap_or_default(),
            }
        };
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let warnings = diags.len() - errors;

        match printer.format {
            Format::Json | Format::Yaml => {
                let files: Vec<_> =
                    loaded
                        .files
                        .iter()
                        .map(|(file, pools)| {
                            let mine = diags.iter().filter(|d| file_of(d) == *file);
                            let (e, w) = mine.fold((0, 0), |(e, w), d| {
                                if d.is_error() {
                                    (e + 1, w)
                                } else {
                                    (e, w + 1)
                                }
                            });
                            json!({"file": file, "pools": pools, "errors": e, "warnings": w})
                        })
                        .collect();
                let list: Vec<_> = diags
                    .iter()
                    .map(|d| {
                        let (line, column) = match d.origin {
                            Origin::File { line, column, .. } if line > 0 => {
                                (json!(line), json!(column))
                            }
                            _ => (json!(null), json!(null)),
                        };
                        json!({
                            "file": file_of(d),
                            "document": d.document,
                            "path": d.path,
                            "severity": d.severity,
                            "message": d.message,
                            "line": line,
                            "column": column,
                        })
                    })
                    .collect();
                let report = json!({
                    "valid": errors == 0,
                    "errors": errors,
                    "warnings": warnings,
                    "files": files,
                    "diagnostics": list,
                });
                printer.values(&[report])?;
            }
            Format::Text => {
                let mut text = String::new();
                for d in diags.iter().filter(|d| d.severity == Severity::Error) {
                    text += &printer.diagnostic_line(d, &file_of(d));
                    text.push('\n');
                }
                for d in diags.iter().filter(|d| d.severity == Severity::Warning) {
                    text += &printer.diagnostic_line(d, &file_of(d));
                    text.push('\n');
                }
                let mut failed = 0;
                for (file, pools) in &loaded.files {
                    let e = diags
                        .iter()
                        .filter(|d| d.is_error() && file_of(d) == *file)
                        .count();
                    let w = diags
                        .iter()
                        .filter(|d| !d.is_error() && file_of(d) == *file)
                        .count();
                    let pools_text =
                        format!("{pools} {}", crate::output::plural(*pools, "pool", "pools"));
                    if e > 0 {
                        failed += 1;
                        text += &format!("{file}: invalid ({pools_text}; {})\n", counts(e, w));
                    } else if w > 0 {
                        text += &format!("{file}: ok ({pools_text}; {})\n", counts(0, w));
                    } else {
                        text += &format!("{file}: ok ({pools_text})\n");
                    }
                }
                let n = loaded.files.len();
                text += &format!(
                    "{n} {} checked: {} ok, {failed} invalid; {}",
                    crate::output::plural(n, "file", "files"),
                    n - failed,
                    counts(errors, warnings)
                );
                printer.result(&text)?;
            }
        }
        // The report above is the message; only the status is left to say.
        Ok(if errors > 0 {
            ExitStatus::Usage
        } else {
            ExitStatus::Success
        })
    }
}
