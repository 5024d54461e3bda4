//! Reports on requests before anything is sent: `poolctl validate` (every
//! diagnostic, a line per file and a summary, or the same as one object) and
//! `create --dry-run` (the bodies, or a summary of them).

use serde_json::{json, Value};

use super::{counts, plural, Format, Printer};
use crate::diagnostic::{Diagnostic, Origin, Severity};
use crate::error::Error;
use crate::manifest::{Document, Loaded};

impl Printer {
    /// Prints the report of `diags` over what `loaded` read.
    pub fn validation_report(&self, loaded: &Loaded, diags: &[Diagnostic]) -> Result<(), Error> {
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

        match self.shape() {
            Format::Json | Format::Yaml | Format::Name => {
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
                self.value(&report)?;
            }
            Format::Text => {
                let mut text = String::new();
                for d in diags.iter().filter(|d| d.severity == Severity::Error) {
                    text += &self.diagnostic_line(d, &file_of(d));
                    text.push('\n');
                }
                for d in diags.iter().filter(|d| d.severity == Severity::Warning) {
                    text += &self.diagnostic_line(d, &file_of(d));
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
                    let pools_text = format!("{pools} {}", plural(*pools, "pool", "pools"));
                    // A file name is the user's, but may come from anywhere.
                    let file = crate::redact::terminal(file);
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
                    plural(n, "file", "files"),
                    n - failed,
                    counts(errors, warnings)
                );
                self.result(&text)?;
            }
        }
        Ok(())
    }
}

/// The body exactly as it would be sent: `--dry-run` prints what is signed.
fn body(doc: &Document) -> Value {
    serde_json::to_value(&doc.request).unwrap_or(Value::Null)
}

impl Printer {
    /// `create --dry-run`: the bodies that would be sent (`-o json|yaml`),
    /// secrets redacted unless `show_secrets`, or a summary of them as text.
    pub fn dry_run(&self, docs: &[Document], show_secrets: bool) -> Result<(), Error> {
        match self.shape() {
            Format::Json | Format::Yaml | Format::Name => {
                let bodies: Vec<Value> = docs
                    .iter()
                    .map(|d| {
                        let mut v = body(d);
                        if !show_secrets {
                            crate::redact::secrets_by_name(&mut v);
                        }
                        v
                    })
                    .collect();
                self.values(bodies, docs.len() > 1)
            }
            // Names and values come from the manifest.
            Format::Text => self.result(&self.safe(&dry_run_text(docs))),
        }
    }
}

/// A short human summary of what would be created.
fn dry_run_text(docs: &[Document]) -> String {
    let mut out = String::new();
    for doc in docs {
        let req = &doc.request;
        let spec = req.spec.clone().unwrap_or_default();
        let name = req.display_name().unwrap_or("?");
        let kind = spec.pool_type.as_deref().unwrap_or("?");
        out += &format!("pool {name} ({kind})\n");
        for r in spec.resources.iter().flatten() {
            let max = match (r.count, r.max_count) {
                (Some(c), Some(m)) if c != m => format!(" (up to {m})"),
                _ => String::new(),
            };
            out += &format!(
                "  {} x {}{max}\n",
                r.count.unwrap_or_default(),
                r.flavor.as_deref().unwrap_or("?")
            );
        }
        if let Some(net) = &spec.network {
            if let Some(n) = &net.name {
                out += &format!("  network: {n}\n");
            }
            if let (Some(v), Some(s)) = (&net.vpc_id, &net.subnet_id) {
                out += &format!("  vpc: {v}, subnet: {s} (privileged)\n");
            }
        }
        if let Some(scope) = spec.scope.as_ref().filter(|s| !s.is_empty()) {
            out += &format!("  scope: {}\n", scope.join(", "));
        }
    }
    let n = docs.len();
    out += &format!(
        "dry run: {n} {} validated; nothing was sent (-o json or -o yaml prints the request body)",
        plural(n, "pool", "pools")
    );
    out
}
