//! `diff` and `apply --dry-run`: per pool, what apply would do, field by
//! field, the way `kubectl diff` and `terraform plan` read.

use serde_json::{json, Value};

use crate::drift::{shown, Action, Change, Drift, Plan};

/// A line per difference: `~` changed in place, `+` added, `-` removed,
/// `!` only a new pool can have it. `safe` makes text from the service or a
/// manifest safe for the terminal; `paint` then colours a marker.
pub fn text(
    plans: &[Plan],
    dry_run: bool,
    safe: &dyn Fn(&str) -> String,
    paint: &dyn Fn(&str, &str) -> String,
) -> String {
    let mut out = Vec::new();
    for p in plans {
        let id = p
            .action
            .live()
            .and_then(|f| f.pool.name())
            .map(|id| format!("{id}, "))
            .unwrap_or_default();
        let head = safe(&format!(
            "pool {} ({id}workspace {})",
            p.display, p.workspace
        ));
        match &p.action {
            Action::Create => out.push(format!("{head}: {}", paint("would be created", "32"))),
            Action::Unchanged { live } => match live.pool.phase() {
                // As the manifest says, and yet failed: apply says so too.
                Some(p) if crate::model::phase::is_failed(p) => {
                    out.push(format!("{head}: unchanged, but {}", safe(p)))
                }
                _ => out.push(format!("{head}: unchanged")),
            },
            Action::Patch { drifts, patch, .. } => {
                out.push(format!(
                    "{head}: {} in place",
                    count(drifts.len(), "change", "changes")
                ));
                out.extend(drifts.iter().map(|d| line(d, safe, paint)));
                if dry_run {
                    out.push(safe(&format!(
                        "  PATCH body (application/merge-patch+json): {}",
                        crate::model::to_json(patch, false)
                    )));
                }
            }
            Action::Replace { drifts, .. } => {
                let new = drifts.iter().filter(|d| !d.in_place()).count();
                out.push(format!(
                    "{head}: {} only a new pool can have",
                    count(new, "difference", "differences")
                ));
                out.extend(drifts.iter().map(|d| line(d, safe, paint)));
            }
        }
    }
    out.join("\n")
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn line(d: &Drift, safe: &dyn Fn(&str) -> String, paint: &dyn Fn(&str, &str) -> String) -> String {
    let (marker, colour) = match (d.change, &d.live, &d.wanted) {
        (Change::NewPool, _, _) => ("!", "1;31"),
        (_, None, _) => ("+", "32"),
        (_, _, None) => ("-", "31"),
        _ => ("~", "33"),
    };
    let tail = if d.change == Change::NewPool {
        " (needs a new pool)"
    } else {
        ""
    };
    // Each value on one line: a newline in it cannot fake a line.
    let one_line = |v: Option<&serde_json::Value>| crate::redact::terminal(&shown(v));
    let text = safe(&format!(
        "{}: {} → {}{tail}",
        crate::redact::terminal(&d.path),
        one_line(d.live.as_ref()),
        one_line(d.wanted.as_ref())
    ));
    format!("  {} {text}", paint(marker, colour))
}

/// `{"kind": "Plan", "items": [...]}`: per pool its name, workspace, id,
/// action, differences, and the patch (or, for `--dry-run`, the create
/// request) that apply sends.
pub fn value(plans: &[Plan], dry_run: bool, show_secrets: bool) -> Value {
    let items: Vec<Value> = plans
        .iter()
        .map(|p| {
            let differences: Vec<Value> = p
                .action
                .drifts()
                .iter()
                .map(|d| {
                    json!({"path": d.path, "live": d.live, "wanted": d.wanted, "inPlace": d.in_place()})
                })
                .collect();
            let mut item = json!({
                "name": p.display,
                "workspace": p.workspace,
                "pool": p.action.live().and_then(|f| f.pool.name()),
                "action": p.action.name(),
                "differences": differences,
            });
            match &p.action {
                Action::Patch { patch, .. } => item["patch"] = patch.clone(),
                Action::Create if dry_run => item["request"] = p.wanted.clone(),
                _ => {}
            }
            if !show_secrets {
                crate::redact::secrets_by_name(&mut item);
            }
            item
        })
        .collect();
    json!({"apiVersion": "poolctl/v1", "kind": "Plan", "items": items})
}
