//! Manifests and pool flags to validated documents: the first step of
//! `create`, `diff` and `apply`.

use std::path::PathBuf;

use crate::diagnostic::Severity;
use crate::error::Error;
use crate::manifest::overrides::Overrides;
use crate::manifest::{self, Document};
use crate::output::{plural, Printer};
use crate::validate::validate;

/// Where the pools of a run come from.
pub struct Sources<'a> {
    pub files: &'a [PathBuf],
    pub overrides: &'a Overrides,
    pub unknown_fields: Severity,
}

/// Manifests and flags to validated documents; `None` when they hold
/// errors, which have been printed: nothing may be sent.
pub fn build(s: &Sources<'_>, printer: &Printer) -> Result<Option<Vec<Document>>, Error> {
    let mut docs = if s.files.is_empty() {
        vec![manifest::from_overrides(s.overrides)?]
    } else {
        let loaded = manifest::load_files(s.files, s.unknown_fields);
        if !loaded.failures.is_empty() {
            printer.diagnostics(&loaded.failures, "");
            nothing_sent(printer, loaded.failures.len());
            return Ok(None);
        }
        let several = loaded.documents.len() > 1;
        let mut docs = loaded.documents;
        for doc in &mut docs {
            s.overrides.apply(doc, several)?;
        }
        docs
    };
    // The flags have filled in the workspace; a pool with none goes to the API's default.
    let mut twice = crate::validate::same_name_twice(&docs, crate::model::DEFAULT_WORKSPACE);
    let mut errors = 0;
    for doc in &mut docs {
        manifest::normalize(doc);
        let mut diags = twice.remove(&doc.number).unwrap_or_default();
        diags.extend(validate(doc));
        errors += diags.iter().filter(|d| d.is_error()).count();
        printer.diagnostics(&diags, &doc.file);
    }
    if errors > 0 {
        nothing_sent(printer, errors);
        return Ok(None);
    }
    Ok(Some(docs))
}

pub fn nothing_sent(printer: &Printer, problems: usize) {
    printer.failure(&format!(
        "{problems} {} found; nothing was sent",
        plural(problems, "problem", "problems")
    ));
}
