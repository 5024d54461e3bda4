//! What a person sees. stdout holds only results; diagnostics, progress and
//! errors go to stderr. No other module prints, and no command looks at the
//! terminal itself.

mod describe;
mod plan;
pub mod pools;
pub mod progress;
pub mod query;
mod report;

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use indicatif::ProgressBar;

use serde_json::Value;

use crate::client::Fetched;
use crate::diagnostic::{Diagnostic, Origin, Severity};
use crate::error::Error;
use crate::settings::OutputSettings;

/// The form of the result on stdout (`-o`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Yaml,
    /// `-o name`: the names in the JSON result, one per line.
    Name,
}

/// Decides quiet/verbose/colour/progress once, from the flags and the terminal.
#[derive(Debug, Clone)]
pub struct Printer {
    pub format: Format,
    /// `-o wide`.
    pub wide: bool,
    /// `--query`, parsed.
    query: Option<Arc<query::Query>>,
    pub quiet: bool,
    pub verbose: u8,
    /// stderr is a terminal: progress may redraw a line.
    pub interactive: bool,
    pub color: bool,
    /// The spinner on screen, if any: other stderr lines suspend it.
    bar: Arc<Mutex<Option<ProgressBar>>>,
    /// The reader of stdout has gone away (`poolctl list | head -1`).
    stdout_closed: Arc<AtomicBool>,
}

impl Printer {
    pub fn new(settings: &OutputSettings) -> Self {
        let interactive = std::io::stderr().is_terminal();
        Printer {
            format: settings.format,
            wide: settings.wide,
            // A query that does not parse was refused with the settings.
            query: settings
                .query
                .as_deref()
                .and_then(|q| query::compile(q).ok())
                .map(Arc::new),
            quiet: settings.quiet,
            verbose: settings.verbose,
            interactive,
            color: interactive && settings.color,
            bar: Arc::default(),
            stdout_closed: Arc::default(),
        }
    }

    /// Text for stderr that may carry words of the service or a manifest:
    /// control characters escaped (line breaks kept), and each line cut to
    /// [`READABLE_LINE`] characters unless `-v` asks for all of it.
    pub fn safe(&self, text: &str) -> String {
        let text = crate::redact::terminal_lines(text);
        if self.verbose > 0 {
            return text;
        }
        text.split('\n')
            .map(|line| cut_line(line, READABLE_LINE))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn paint(&self, text: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Writes a result to stdout, ending it with a newline. A reader that
    /// has gone away (`poolctl validate -f x.yaml | head -1`) is no failure:
    /// the rest of the result is dropped, and the run ends with the status
    /// it would have had. Any other failure is [`Error::Output`] (exit 1).
    pub fn result(&self, text: &str) -> Result<(), Error> {
        if self.stdout_closed.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut out = std::io::stdout().lock();
        let written = out
            .write_all(text.as_bytes())
            .and_then(|()| {
                if text.ends_with('\n') {
                    Ok(())
                } else {
                    out.write_all(b"\n")
                }
            })
            .and_then(|()| out.flush());
        match written {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.stdout_closed.store(true, Ordering::Relaxed);
                Ok(())
            }
            other => other.map_err(Error::Output),
        }
    }

    /// JSON or YAML text of one value as the result.
    pub fn value(&self, value: &Value) -> Result<(), Error> {
        let queried;
        let value = match &self.query {
            Some(q) => {
                queried = query::apply(q, value).map_err(|e| {
                    Error::usage_hint(
                        format!("--query cannot be applied to the result: {e}"),
                        "-o json shows the result the query is applied to",
                    )
                })?;
                &queried
            }
            None => value,
        };
        match self.format {
            Format::Name if self.query.is_none() => {
                let names = names(value);
                if names.is_empty() {
                    return Ok(());
                }
                self.result(&self.safe(&names.join("\n")))
            }
            // What a query picked, plainly, for a shell.
            Format::Text | Format::Name => {
                let text = query::plain(value);
                if text.is_empty() {
                    return Ok(());
                }
                self.result(&self.safe(&text))
            }
            _ => self.result(&render_value(value, self.format)),
        }
    }

    /// How a result is made: as text for a person, or as its JSON value,
    /// which [`Printer::value`] then queries, names or renders.
    fn shape(&self) -> Format {
        match self.format {
            Format::Text if self.query.is_none() => Format::Text,
            Format::Yaml => Format::Yaml,
            _ => Format::Json,
        }
    }

    /// One value, or several as one List object (DESIGN.md §2).
    pub fn values(&self, values: Vec<Value>, several: bool) -> Result<(), Error> {
        match values.len() {
            1 if !several => self.value(&values[0]),
            _ => self.value(&list_object(values)),
        }
    }

    /// Pools as the service returned them: in detail as text, or the API
    /// objects as JSON or YAML (one, or a List when `several`), secrets
    /// redacted unless `show_secrets`. Text names the fields it could not read.
    pub fn pools(&self, found: &[Fetched], several: bool, show_secrets: bool) -> Result<(), Error> {
        match self.shape() {
            Format::Text => {
                self.unreadable(found);
                let text = found
                    .iter()
                    .map(pools::detail)
                    .collect::<Vec<_>>()
                    .join("\n\n");
                self.result(&self.safe(&text))
            }
            _ => self.values(shown(found, show_secrets), several),
        }
    }

    /// The end of a delete: a line per pool for a person, or, as JSON or
    /// YAML, each pool as last seen before it went (one, or a List when
    /// `several`).
    pub fn deleted_all(
        &self,
        lines: &[String],
        last: &[Fetched],
        several: bool,
    ) -> Result<(), Error> {
        match self.shape() {
            Format::Json | Format::Yaml if several || !last.is_empty() => {
                self.pools(last, several, false)
            }
            Format::Text if !lines.is_empty() => self.result(&self.safe(&lines.join("\n"))),
            _ => Ok(()),
        }
    }

    /// `list`: a table (`headers`: with its header line), or one List object.
    pub fn pool_list(&self, found: &[Fetched], headers: bool) -> Result<(), Error> {
        match self.shape() {
            Format::Text if found.is_empty() => {
                self.info("No pools found.");
                Ok(())
            }
            Format::Text => {
                self.unreadable(found);
                let now = crate::time::now_unix();
                self.result(&self.safe(&pools::table(found, now, self.wide, headers)))
            }
            _ => self.values(shown(found, false), true),
        }
    }

    /// `describe`: the pool and its events (oldest first), in detail as
    /// text, or as JSON or YAML `{"pool": ..., "events": [...]}` with the
    /// service's objects.
    pub fn description(
        &self,
        fetched: &Fetched,
        events: &Result<Vec<crate::model::read::Read<crate::model::Event>>, String>,
        show_secrets: bool,
    ) -> Result<(), Error> {
        match self.shape() {
            Format::Text => {
                self.unreadable(std::slice::from_ref(fetched));
                let typed = events
                    .as_ref()
                    .map(|e| e.iter().map(|e| e.typed.clone()).collect())
                    .map_err(Clone::clone);
                let text = describe::pool(fetched, &typed, crate::time::now_unix());
                self.result(&self.safe(&text))
            }
            _ => {
                let pool = shown(std::slice::from_ref(fetched), show_secrets).remove(0);
                let events: Value = match events {
                    Ok(e) => Value::Array(
                        e.iter()
                            .map(|e| {
                                let mut raw = e.raw.clone();
                                if !show_secrets {
                                    crate::redact::secrets_by_name(&mut raw);
                                }
                                raw
                            })
                            .collect(),
                    ),
                    Err(_) => Value::Null,
                };
                self.value(&serde_json::json!({"pool": pool, "events": events}))
            }
        }
    }

    /// `diff` and `apply --dry-run`: what apply does to each pool.
    pub fn plans(
        &self,
        plans: &[crate::drift::Plan],
        dry_run: bool,
        show_secrets: bool,
    ) -> Result<(), Error> {
        match self.shape() {
            Format::Text => {
                let paint = |text: &str, code: &str| self.paint(text, code);
                let safe = |text: &str| self.safe(text);
                self.result(&plan::text(plans, dry_run, &safe, &paint))
            }
            _ => self.value(&plan::value(plans, dry_run, show_secrets)),
        }
    }

    /// `flavors`: a table, or one List object of the service's flavors.
    pub fn flavors(
        &self,
        flavors: &[&crate::model::read::Read<crate::model::Flavor>],
        az: Option<&str>,
    ) -> Result<(), Error> {
        match self.shape() {
            Format::Text if flavors.is_empty() => {
                self.info("No flavors found.");
                Ok(())
            }
            Format::Text => {
                let typed: Vec<&crate::model::Flavor> = flavors.iter().map(|f| &f.typed).collect();
                self.result(&self.safe(&describe::flavors(&typed, az)))
            }
            // The flavors API is v1: its list is too.
            _ => self.value(&serde_json::json!({
                "apiVersion": "v1",
                "kind": "List",
                "items": flavors.iter().map(|f| f.raw.clone()).collect::<Vec<_>>(),
            })),
        }
    }

    /// One change seen by `list --watch`: a table row as text (`kind` is
    /// `ADDED`, `MODIFIED` or `DELETED`; a deleted pool's row says so), or
    /// one `{"type": ..., "object": ...}` per line as JSON (as kubectl's
    /// watch events), a name, or what a query picks from the object.
    pub fn watch_event(&self, kind: &str, f: &Fetched) -> Result<(), Error> {
        match self.shape() {
            Format::Text => {
                let mut row = pools::row(f, crate::time::now_unix(), self.wide);
                if kind == "DELETED" {
                    row[3] = "(deleted)".into();
                }
                self.result(&self.safe(&pools::grid(vec![row])))
            }
            _ if self.format == Format::Json && self.query.is_none() => {
                let object = shown(std::slice::from_ref(f), false).remove(0);
                let line = crate::model::to_json(
                    &serde_json::json!({"type": kind, "object": object}),
                    false,
                );
                self.result(&line)
            }
            _ => self.value(&shown(std::slice::from_ref(f), false).remove(0)),
        }
    }

    /// A warning per pool whose answer had fields the text cannot show.
    fn unreadable(&self, found: &[Fetched]) {
        for f in found.iter().filter(|f| !f.unreadable.is_empty()) {
            self.warning(&format!(
                "pool {}: poolctl could not read these fields of the service's answer, \
                 and shows them as unknown (-o json shows the answer as it came): {}",
                crate::redact::terminal(f.pool.name().unwrap_or("?")),
                crate::redact::terminal(&pools::unreadable_text(&f.unreadable))
            ));
        }
    }

    /// A line on stderr that `--quiet` silences.
    pub fn info(&self, text: &str) {
        if !self.quiet {
            self.stderr_line(&self.safe(text));
        }
    }

    /// A line on stderr, drawn above the spinner when one is running. A
    /// stderr that cannot be written to (closed, full) is ignored: the
    /// result and the exit code still count.
    pub fn stderr_line(&self, text: &str) {
        let write = || {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{text}");
        };
        let bar = self.bar.lock().ok().and_then(|b| b.clone());
        match bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    fn set_bar(&self, bar: Option<ProgressBar>) {
        if let Ok(mut slot) = self.bar.lock() {
            *slot = bar;
        }
    }

    pub fn warning(&self, text: &str) {
        if !self.quiet {
            self.warning_always(text);
        }
    }

    /// A warning that `--quiet` does not silence (credentials in cleartext).
    pub fn warning_always(&self, text: &str) {
        let text = self.safe(text);
        self.stderr_line(&format!("{}: {text}", self.paint("warning", "1;33")));
    }

    /// An error: what failed, the API's words, then a hint.
    pub fn error(&self, err: &Error) {
        self.failure(&err.to_string());
        if let Some(hint) = err.hint() {
            self.hint(&hint);
        }
    }

    /// `  hint: TEXT`, under an error.
    pub fn hint(&self, text: &str) {
        let text = self.safe(text);
        self.stderr_line(&format!("  {}: {text}", self.paint("hint", "1;36")));
    }

    /// `error: TEXT`, for a failure a command reports itself.
    pub fn failure(&self, text: &str) {
        let text = self.safe(text);
        self.stderr_line(&format!("{}: {text}", self.paint("error", "1;31")));
    }

    /// `file:line:col: error: path: message`, one line each, as compilers do,
    /// so editors and CI logs can jump to it.
    pub fn diagnostic_line(&self, d: &Diagnostic, fallback_file: &str) -> String {
        let label = match d.severity {
            Severity::Error => self.paint("error", "1;31"),
            Severity::Warning => self.paint("warning", "1;33"),
        };
        // Paths, keys and values come from the manifest.
        let location = self.safe(&location(&d.origin, fallback_file));
        let message = self.safe(&d.message);
        if d.path == crate::diagnostic::FieldPath::root().to_string() {
            format!("{location}: {label}: {message}")
        } else {
            format!("{location}: {label}: {}: {message}", self.safe(&d.path))
        }
    }

    /// Diagnostics of `create`: errors always, warnings unless quiet.
    pub fn diagnostics(&self, diags: &[Diagnostic], fallback_file: &str) {
        for d in diags {
            if d.severity == Severity::Warning && self.quiet {
                continue;
            }
            self.stderr_line(&self.diagnostic_line(d, fallback_file));
        }
    }
}

/// A line of text from elsewhere is cut here in stderr (`-v`: never).
pub const READABLE_LINE: usize = 400;

/// `line`, cut to `max` characters, saying how much was left out.
pub fn cut_line(line: &str, max: usize) -> String {
    let count = line.chars().count();
    if count <= max {
        return line.to_string();
    }
    let kept: String = line.chars().take(max).collect();
    format!("{kept}… ({} more characters; -v shows all)", count - max)
}

pub fn location(origin: &Origin, fallback_file: &str) -> String {
    match origin {
        Origin::File { file, line, column } if *line > 0 => format!("{file}:{line}:{column}"),
        Origin::File { file, .. } => file.clone(),
        Origin::Flag(flag) => format!("{fallback_file} ({flag})"),
        Origin::Default => fallback_file.to_string(),
    }
}

pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Counts as `2 errors, 1 warning`.
pub fn counts(errors: usize, warnings: usize) -> String {
    format!(
        "{errors} {}, {warnings} {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    )
}

/// The API objects of `found`, secrets redacted unless `show_secrets`.
fn shown(found: &[Fetched], show_secrets: bool) -> Vec<Value> {
    found
        .iter()
        .map(|f| {
            let mut v = f.raw.clone();
            if !show_secrets {
                crate::redact::secrets_by_name(&mut v);
            }
            v
        })
        .collect()
}

/// `{"apiVersion":"v2","kind":"List","items":[...]}`, the shape of the
/// API's own list answer.
pub fn list_object(items: Vec<Value>) -> Value {
    serde_json::json!({"apiVersion": "v2", "kind": "List", "items": items})
}

/// The names in a JSON result (`-o name`): each item's `metadata.name`
/// (else its name label, else `name`), of a List, a `describe`, or one object.
pub fn names(value: &Value) -> Vec<String> {
    fn name_of(v: &Value) -> Option<String> {
        let m = v.get("metadata");
        m.and_then(|m| m.get("name"))
            .or_else(|| m.and_then(|m| m.get("labels")?.get(crate::model::NAME_LABEL)))
            .or_else(|| v.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string)
    }
    match value {
        Value::Object(o) if o.get("items").is_some_and(Value::is_array) => o["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(name_of)
            .collect(),
        Value::Object(o) if o.contains_key("pool") => name_of(&o["pool"]).into_iter().collect(),
        Value::Array(items) => items.iter().filter_map(name_of).collect(),
        other => name_of(other).into_iter().collect(),
    }
}

/// JSON or YAML text of one value.
pub fn render_value(value: &Value, format: Format) -> String {
    match format {
        Format::Yaml => serde_saphyr::to_string(value).unwrap_or_default(),
        _ => crate::model::to_json(value, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_keeps_numeric_strings_strings() {
        let text = render_value(&json!({"a": "0", "b": 1}), Format::Yaml);
        let back: Value = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(back, json!({"a": "0", "b": 1}));
    }
}
