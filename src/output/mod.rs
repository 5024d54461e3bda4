//! What a person sees. stdout holds only results; diagnostics, progress and
//! errors go to stderr. No other module prints, and no command looks at the
//! terminal itself.

pub mod pools;
pub mod progress;

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

use indicatif::ProgressBar;

use serde_json::Value;

use crate::cli::{GlobalArgs, OutputFormat};
use crate::diagnostic::{Diagnostic, Origin, Severity};
use crate::error::Error;

/// Decides quiet/verbose/colour/progress once, from the flags and the terminal.
#[derive(Debug, Clone)]
pub struct Printer {
    pub format: OutputFormat,
    pub quiet: bool,
    pub verbose: u8,
    /// stderr is a terminal: progress may redraw a line.
    pub interactive: bool,
    pub color: bool,
    /// The spinner on screen, if any: other stderr lines suspend it.
    bar: Arc<Mutex<Option<ProgressBar>>>,
}

impl Printer {
    pub fn new(global: &GlobalArgs) -> Self {
        let interactive = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer {
            format: global.output,
            quiet: global.quiet,
            verbose: global.verbose,
            interactive,
            color: interactive && !no_color,
            bar: Arc::default(),
        }
    }

    fn paint(&self, text: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Writes a result to stdout. A closed pipe (`poolctl list | head`) ends
    /// the program quietly, as `cat` would.
    pub fn result(&self, text: &str) {
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
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }

    /// A line on stderr that `--quiet` silences.
    pub fn info(&self, text: &str) {
        if !self.quiet {
            self.stderr_line(text);
        }
    }

    /// A line on stderr, drawn above the spinner when one is running.
    pub fn stderr_line(&self, text: &str) {
        let bar = self.bar.lock().ok().and_then(|b| b.clone());
        match bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    fn set_bar(&self, bar: Option<ProgressBar>) {
        if let Ok(mut slot) = self.bar.lock() {
            *slot = bar;
        }
    }

    pub fn warning(&self, text: &str) {
        if !self.quiet {
            self.stderr_line(&format!("{}: {text}", self.paint("warning", "1;33")));
        }
    }

    /// The final error: what failed, the API's words, then a hint.
    pub fn error(&self, err: &Error) {
        match err {
            // Already printed, one diagnostic at a time.
            Error::Invalid { .. } | Error::Reported { .. } => {}
            _ => eprintln!("{}: {err}", self.paint("error", "1;31")),
        }
        if let Some(hint) = err.hint() {
            eprintln!("  {}: {hint}", self.paint("hint", "1;36"));
        }
        if let Error::Invalid { errors } = err {
            eprintln!(
                "{}: {errors} {} found; nothing was sent",
                self.paint("error", "1;31"),
                plural(*errors, "problem", "problems")
            );
        }
    }

    /// `file:line:col: error: path: message`, one line each, as compilers do,
    /// so editors and CI logs can jump to it.
    pub fn diagnostic_line(&self, d: &Diagnostic, fallback_file: &str) -> String {
        let label = match d.severity {
            Severity::Error => self.paint("error", "1;31"),
            Severity::Warning => self.paint("warning", "1;33"),
        };
        let location = location(&d.origin, fallback_file);
        if d.path == crate::diagnostic::FieldPath::root().to_string() {
            format!("{location}: {label}: {}", d.message)
        } else {
            format!("{location}: {label}: {}: {}", d.path, d.message)
        }
    }

    /// Diagnostics of `create`: errors always, warnings unless quiet.
    pub fn diagnostics(&self, diags: &[Diagnostic], fallback_file: &str) {
        for d in diags {
            if d.severity == Severity::Warning && self.quiet {
                continue;
            }
            eprintln!("{}", self.diagnostic_line(d, fallback_file));
        }
    }
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

/// JSON or YAML text of one value, or of several (a JSON array, a YAML stream).
pub fn render_values(values: &[Value], format: OutputFormat) -> String {
    match format {
        OutputFormat::Yaml => values
            .iter()
            .map(|v| serde_saphyr::to_string(v).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("---\n"),
        _ => {
            let one;
            let v = if values.len() == 1 {
                &values[0]
            } else {
                one = Value::Array(values.to_vec());
                &one
            };
            crate::model::to_json(v, true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_keeps_numeric_strings_strings() {
        let text = render_values(&[json!({"a": "0", "b": 1})], OutputFormat::Yaml);
        let back: Value = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(back, json!({"a": "0", "b": 1}));
    }
}
