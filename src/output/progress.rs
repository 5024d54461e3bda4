//! Progress of a wait on stderr: a spinner on a terminal, one plain line per
//! change otherwise (CI logs), nothing with `--quiet`.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::Printer;
use crate::client::{ClientEvent, Observer};
use crate::duration::format_duration;
use crate::model::Capacity;
use crate::wait::Event;

pub struct Progress {
    printer: Printer,
    name: String,
    bar: Option<ProgressBar>,
    last: Option<(Option<String>, Capacity)>,
}

impl Progress {
    /// `several`: other pools report at the same time, so lines are used even
    /// on a terminal, each starting with the pool's name.
    pub fn new(printer: &Printer, name: &str, several: bool) -> Progress {
        let bar = (printer.interactive && !printer.quiet && !several).then(|| {
            let bar = ProgressBar::new_spinner();
            // {elapsed} ticks between polls, so the line never looks frozen.
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}, {elapsed}") {
                bar.set_style(style);
            }
            bar.set_message(format!("{name}: created, waiting for its first status"));
            bar.enable_steady_tick(Duration::from_millis(120));
            printer.set_bar(Some(bar.clone()));
            bar
        });
        Progress {
            printer: printer.clone(),
            name: name.to_string(),
            bar,
            last: None,
        }
    }

    pub fn event(&mut self, event: Event) {
        if self.printer.quiet {
            return;
        }
        match event {
            Event::Polled {
                phase,
                capacity,
                order,
                elapsed,
            } => {
                let shown = match &order {
                    Some(o) => format!("Waiting (waiting for order {o} to be paid)"),
                    None => phase.as_deref().unwrap_or("(no phase yet)").to_string(),
                };
                // The phase comes from the service, the name from a manifest.
                let text =
                    self.printer
                        .safe(&format!("{}: {shown}, {}", self.name, nodes_text(capacity)));
                let state = (phase, capacity);
                match &self.bar {
                    Some(bar) => bar.set_message(text),
                    None if self.last.as_ref() != Some(&state) => self
                        .printer
                        .stderr_line(&format!("{text}, {}", format_duration(elapsed))),
                    None => {}
                }
                self.last = Some(state);
            }
            Event::Transient { error, elapsed } => {
                let text = self.printer.safe(&format!(
                    "{}: the service did not answer ({error}); still waiting",
                    self.name
                ));
                match &self.bar {
                    Some(bar) => bar.set_message(text),
                    None => self
                        .printer
                        .stderr_line(&format!("{text}, {}", format_duration(elapsed))),
                }
            }
        }
    }
}

/// `2/4 nodes available`, or what a logical pool may use of its parent's.
pub fn nodes_text(capacity: Capacity) -> String {
    match capacity {
        Capacity::Nodes { available, total } => format!("{available}/{total} nodes available"),
        Capacity::Share { count, max_count } if count == max_count => {
            format!("logical: {count} nodes of its parent")
        }
        Capacity::Share { count, max_count } => {
            format!("logical: {count} to {max_count} nodes of its parent")
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            self.printer.set_bar(None);
        }
    }
}

/// Renders the client's events: retries and adoption always (unless quiet),
/// requests with -v, full traces with -vv (secrets already redacted).
pub struct ClientNotes {
    printer: Printer,
}

impl ClientNotes {
    pub fn new(printer: &Printer) -> Self {
        ClientNotes {
            printer: printer.clone(),
        }
    }
}

impl Observer for ClientNotes {
    fn event(&self, e: ClientEvent) {
        let p = &self.printer;
        // Every run says it, --quiet or not: it is about the credentials.
        if let ClientEvent::Warning(text) = &e {
            p.warning_always(text);
            return;
        }
        if p.quiet {
            return;
        }
        match e {
            ClientEvent::Retry {
                reason,
                after,
                attempt,
            } => p.stderr_line(&p.safe(&format!(
                "note: {reason}; retrying in {} (attempt {attempt})",
                format_duration(after)
            ))),
            ClientEvent::Adopting { name } => p.stderr_line(&p.safe(&format!(
                "note: the create's answer was lost; pool {name}, found by its name, was created by this run and is used"
            ))),
            ClientEvent::Request {
                method,
                url,
                attempt,
            // At -vv the trace shows the request line itself.
            } if p.verbose == 1 => {
                let again = if attempt > 1 {
                    format!(" (attempt {attempt})")
                } else {
                    String::new()
                };
                p.stderr_line(&p.safe(&format!("> {method} {url}{again}")));
            }
            ClientEvent::Response {
                status,
                request_id,
                elapsed,
            } if p.verbose == 1 => p.stderr_line(&p.safe(&format!(
                "< {status} in {}{}",
                format_duration(elapsed),
                request_id
                    .map(|id| format!(", request id {id}"))
                    .unwrap_or_default()
            ))),
            // Full, as -vv asks, but with control characters escaped.
            ClientEvent::Trace(text) if p.verbose >= 2 => p.stderr_line(&p.safe(&text)),
            ClientEvent::Note(text) if p.verbose >= 1 => {
                p.stderr_line(&p.safe(&format!("note: {text}")))
            }
            _ => {}
        }
    }

    fn wants_trace(&self) -> bool {
        self.printer.verbose >= 2
    }
}
