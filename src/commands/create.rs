//! `poolctl create`: build every request and validate it; then print it
//! (`--dry-run`) or submit it.

use serde_json::Value;

use crate::cli::{CreateArgs, GlobalArgs, OutputFormat};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::manifest::{self, Document};
use crate::output::{render_values, Printer};
use crate::validate::validate;

/// Manifests and flags to validated documents, or exit 2 with every problem printed.
pub fn build(args: &CreateArgs, printer: &Printer) -> Result<Vec<Document>, Error> {
    let mut docs = if args.files.is_empty() {
        vec![manifest::from_flags(&args.pool)?]
    } else {
        let loaded = manifest::load_files(&args.files, args.validate);
        if !loaded.failures.is_empty() {
            printer.diagnostics(&loaded.failures, "");
            return Err(Error::Invalid {
                errors: loaded.failures.len(),
            });
        }
        let several = loaded.documents.len() > 1;
        let mut docs = loaded.documents;
        for doc in &mut docs {
            manifest::apply_flags(doc, &args.pool, several)?;
        }
        docs
    };
    let mut errors = 0;
    let mut all: Vec<Diagnostic> = Vec::new();
    for doc in &mut docs {
        manifest::normalize(doc);
        let diags = validate(doc);
        errors += diags.iter().filter(|d| d.is_error()).count();
        printer.diagnostics(&diags, &doc.file);
        all.extend(diags);
    }
    if errors > 0 {
        return Err(Error::Invalid { errors });
    }
    Ok(docs)
}

/// The body exactly as it would be sent.
pub fn body(doc: &Document) -> Value {
    serde_json::to_value(&doc.request).unwrap_or(Value::Null)
}

pub fn run(global: &GlobalArgs, args: &CreateArgs, printer: &Printer) -> Result<(), Error> {
    let docs = build(args, printer)?;
    if !args.dry_run {
        return super::remote::create(global, args, docs, printer);
    }
    let bodies: Vec<Value> = docs
        .iter()
        .map(|d| {
            let mut v = body(d);
            if !args.show_secrets {
                crate::redact::passwords(&mut v);
            }
            v
        })
        .collect();
    match printer.format {
        OutputFormat::Json | OutputFormat::Yaml => {
            printer.result(&render_values(&bodies, printer.format))
        }
        OutputFormat::Text => printer.result(&dry_run_text(&docs)),
    }
    Ok(())
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
        crate::output::plural(n, "pool", "pools")
    );
    out
}
