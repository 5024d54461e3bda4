//! `poolctl create`: build every request and validate it; then print it
//! (`--dry-run`) or submit it, and follow it with `--wait`.

use std::sync::Arc;

use super::context::{Context, Pending, Waiting};
use super::follow::Follower;
use super::Command;
use crate::client::{Client, Fetched};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::manifest::{self, Document};
use crate::output::{plural, Printer};
use crate::settings::{CreateSettings, IfExists};
use crate::validate::validate;
use crate::wait::Goal;

/// At most this many creates are in flight at once: enough that 20 pools
/// cost about one round trip (DESIGN.md §6), few enough not to hammer the
/// gateway (its 429s are retried anyway).
const CONCURRENT_CREATES: usize = 32;

impl Command for CreateSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let Some(docs) = build(&self, &ctx.printer)? else {
            return Ok(ExitStatus::Usage);
        };
        if self.dry_run {
            ctx.printer.dry_run(&docs, self.show_secrets)?;
            return Ok(ExitStatus::Success);
        }
        ctx.block_on(submit_all(&self, docs, ctx))
    }
}

/// Manifests and flags to validated documents; `None` when they hold
/// errors, which have been printed: nothing may be sent.
fn build(s: &CreateSettings, printer: &Printer) -> Result<Option<Vec<Document>>, Error> {
    let mut docs = if s.files.is_empty() {
        vec![manifest::from_overrides(&s.overrides)?]
    } else {
        let loaded = manifest::load_files(&s.files, s.unknown_fields);
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
    let mut errors = 0;
    for doc in &mut docs {
        manifest::normalize(doc);
        let diags = validate(doc);
        errors += diags.iter().filter(|d| d.is_error()).count();
        printer.diagnostics(&diags, &doc.file);
    }
    if errors > 0 {
        nothing_sent(printer, errors);
        return Ok(None);
    }
    Ok(Some(docs))
}

fn nothing_sent(printer: &Printer, problems: usize) {
    printer.failure(&format!(
        "{problems} {} found; nothing was sent",
        plural(problems, "problem", "problems")
    ));
}

/// One pool to submit.
struct Job {
    display: String,
    body: Vec<u8>,
}

/// Creates every pool concurrently (bounded), follows each with `--wait`,
/// and reports each result.
async fn submit_all(
    s: &CreateSettings,
    docs: Vec<Document>,
    ctx: &Context,
) -> Result<ExitStatus, Error> {
    let jobs: Vec<Job> = docs
        .iter()
        .map(|d| Job {
            display: d.request.display_name().unwrap_or_default().to_string(),
            // The typed request serializes the same way for --dry-run and here.
            body: crate::model::to_json(&d.request, false).into_bytes(),
        })
        .collect();
    let session = ctx.session().await?;
    let several = jobs.len() > 1;
    let follower = Follower::new(ctx, &session.client);
    let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_CREATES));
    let mut set = tokio::task::JoinSet::new();
    for (i, job) in jobs.into_iter().enumerate() {
        let client = session.client.clone();
        let (limit, printer, follower) = (limit.clone(), ctx.printer.clone(), follower.clone());
        let waiting = ctx.waiting.clone();
        let (wait, timeout, reuse) = (s.wait, s.wait_timeout, s.if_exists == IfExists::Reuse);
        set.spawn(async move {
            // The bound is on creates in flight, never on waits: a long
            // wait must not hold back the creation of other pools.
            let permit = limit.acquire_owned().await;
            let submitted = submit(&client, &job, reuse, &printer, &waiting).await;
            drop(permit);
            let result = match submitted {
                Ok(f) if wait => follower
                    .follow(&job.display, &f, Goal::Running, timeout, several)
                    .await
                    .map(|done| done.unwrap_or(f)),
                other => other,
            };
            (i, job.display, result)
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = set.join_next().await {
        results.push(
            joined.map_err(|e| Error::Internal(anyhow::anyhow!("a create task failed: {e}")))?,
        );
    }
    results.sort_by_key(|(i, _, _)| *i);
    report(&ctx.printer, results, s.show_secrets)
}

/// Sends one create; with `reuse`, a 409 adopts the pool of that name.
async fn submit(
    client: &Client,
    job: &Job,
    reuse: bool,
    printer: &Printer,
    waiting: &Waiting,
) -> Result<Fetched, Error> {
    // Listed while the request is in flight: a signal then says the pool may exist.
    waiting.add(&job.display, Pending::Create);
    let created = client.create_pool(&job.body, &job.display).await;
    waiting.remove(&job.display, Pending::Create);
    Ok(match created {
        Ok(created) => {
            let adopted = created.is_adopted();
            let f = created.into_fetched();
            printer.info(&format!(
                "pool {} {}: {}",
                job.display,
                if adopted {
                    "created (answer recovered)"
                } else {
                    "created"
                },
                f.pool.name().unwrap_or("?")
            ));
            f
        }
        Err(err @ Error::AlreadyExists { .. }) if reuse => {
            let mut found = client.find_by_label(&job.display).await?;
            if found.len() != 1 {
                return Err(err);
            }
            let f = found.remove(0);
            printer.info(&format!(
                "pool {} exists: {} ({}); reusing it (--if-exists reuse)",
                job.display,
                f.pool.name().unwrap_or("?"),
                f.pool.phase().unwrap_or("no phase yet")
            ));
            f
        }
        Err(e) => return Err(e),
    })
}

/// Prints each pool's result. With one pool its error is the run's; with
/// several, each failure is printed here and the first decides the status.
fn report(
    printer: &Printer,
    results: Vec<(usize, String, Result<Fetched, Error>)>,
    show_secrets: bool,
) -> Result<ExitStatus, Error> {
    if results.len() == 1 {
        let (_, _, result) = results.into_iter().next().expect("one result");
        printer.pools(&[result?], show_secrets)?;
        return Ok(ExitStatus::Success);
    }
    let total = results.len();
    let mut ok = Vec::new();
    let mut first_failure = None;
    for (_, display, result) in results {
        match result {
            Ok(f) => ok.push(f),
            Err(e) => {
                first_failure.get_or_insert(e.exit_status());
                printer.failure(&format!("pool {display}: {e}"));
                if let Some(hint) = e.hint() {
                    printer.stderr_line(&format!("  hint: {hint}"));
                }
            }
        }
    }
    if !ok.is_empty() {
        printer.pools(&ok, show_secrets)?;
    }
    Ok(match first_failure {
        None => ExitStatus::Success,
        Some(status) => {
            let failed = total - ok.len();
            printer.failure(&format!("{failed} of {total} pools failed"));
            status
        }
    })
}
