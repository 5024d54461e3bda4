//! Commands that talk to the service: create (submit), get, list, wait,
//! delete. Each runs on one current-thread runtime, raced against Ctrl-C.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::auth::{self, CredentialSource, Credentials, Secret, Target};
use crate::cli::{
    CreateArgs, DeleteArgs, GetArgs, GlobalArgs, IfExists, ListArgs, OutputFormat, WaitArgs,
    WaitFor,
};
use crate::client::{Client, ClientConfig, Fetched};
use crate::emulator;
use crate::error::{Error, ExitCode};
use crate::manifest::Document;
use crate::output::progress::{ClientNotes, Progress};
use crate::output::{pools, render_values, Printer};
use crate::wait::{self, Goal, Schedule};

/// How fast pools provision in the in-process emulator (`--emulator`): long
/// enough to watch progress, short enough for a first try.
pub const EMULATOR_PROVISION_TIME: Duration = Duration::from_secs(4);

/// At most this many creates are in flight at once: enough that 20 pools
/// cost about one round trip (DESIGN.md §6), few enough not to hammer the
/// gateway (its 429s are retried anyway).
const CONCURRENT_CREATES: usize = 32;

/// A client ready to use, and the emulator it talks to with `--emulator`.
pub struct Session {
    pub client: Arc<Client>,
    _emulator: Option<emulator::Emulator>,
}

/// Runs `work` on a current-thread runtime. The first Ctrl-C drops it (so a
/// request in flight is cancelled) and exits 130 with the line in `resume`.
pub fn block_on<F>(work: F, resume: Arc<Mutex<Option<String>>>) -> Result<(), Error>
where
    F: Future<Output = Result<(), Error>>,
{
    runtime()?.block_on(async {
        tokio::select! {
            result = work => result,
            _ = tokio::signal::ctrl_c() => Err(Error::Interrupted {
                resume: resume.lock().ok().and_then(|r| r.clone()),
            }),
        }
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(anyhow::anyhow!("cannot start the runtime: {e}")))
}

/// `poolctl emulator`: Ctrl-C is how it is stopped, and it handles that itself.
pub fn serve_emulator(args: &crate::cli::EmulatorArgs, printer: &Printer) -> Result<(), Error> {
    runtime()?.block_on(emulator::serve(args, printer.quiet))
}

pub async fn connect(global: &GlobalArgs, printer: &Printer) -> Result<Session, Error> {
    let notes = Arc::new(ClientNotes::new(printer));
    let (target, emu) = if global.emulator {
        let listen = "127.0.0.1:0"
            .parse()
            .map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
        let config = emulator::Config::with_generated_credentials(listen, EMULATOR_PROVISION_TIME);
        let emu = emulator::start(config).await.map_err(|e| {
            Error::Internal(anyhow::anyhow!("cannot start the in-process emulator: {e}"))
        })?;
        printer.info(&format!(
            "note: --emulator: talking to a local emulator at {}; nothing reaches a cloud",
            emu.endpoint()
        ));
        let c = emu.config();
        let target = Target {
            endpoint: emu.endpoint(),
            iam_endpoint: Some(emu.endpoint()),
            region: Some(c.region.clone()),
            project_id: Some(c.project_id.clone()),
            credentials: Credentials::AkSk {
                ak: c.ak.clone(),
                sk: Secret::new(c.sk.clone()),
                security_token: None,
            },
            credential_source: CredentialSource::Emulator,
        };
        (target, Some(emu))
    } else {
        (auth::resolve_target_from_process(global)?, None)
    };
    if global.verbose >= 1 {
        printer.info(&format!(
            "credentials from {}; endpoint {}",
            target.credential_source, target.endpoint
        ));
    }
    let mut config = ClientConfig::from_target(&target, global);
    // A knob for pipelines and tests that cannot afford second-long backoffs.
    if let Ok(text) = std::env::var("POOLCTL_RETRY_MIN_DELAY") {
        let d = crate::duration::parse_duration(&text)
            .map_err(|e| Error::usage(format!("POOLCTL_RETRY_MIN_DELAY: {e}")))?;
        config.retry.min_delay = d;
        config.retry.max_delay = config.retry.max_delay.max(d);
    }
    let mut client = Client::new(config, notes)?;
    client.ensure_project(target.region.as_deref()).await?;
    Ok(Session {
        client: Arc::new(client),
        _emulator: emu,
    })
}

fn is_not_found(e: &Error) -> bool {
    matches!(e, Error::Api { api, .. } if api.status == 404)
}

/// A pool by `metadata.name`, or else by its `os.modelarts/name` label.
pub async fn resolve(client: &Client, name: &str) -> Result<Fetched, Error> {
    match client.show_pool(name).await {
        Ok(found) => Ok(found),
        Err(e) if is_not_found(&e) => {
            let mut found = client.find_by_label(name).await?;
            match found.len() {
                0 => Err(e),
                1 => Ok(found.remove(0)),
                n => Err(Error::usage_hint(
                    format!("{n} pools are named {name}"),
                    format!(
                        "name one by its metadata.name: {}",
                        found
                            .iter()
                            .filter_map(|f| f.pool.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
        }
        Err(e) => Err(e),
    }
}

fn shown(f: &Fetched, show_secrets: bool) -> Value {
    let mut v = f.raw.clone();
    if !show_secrets {
        crate::redact::passwords(&mut v);
    }
    v
}

fn print_pools(printer: &Printer, pools: &[Fetched], show_secrets: bool) {
    match printer.format {
        OutputFormat::Text => printer.result(
            &pools
                .iter()
                .map(|f| pools::detail(&f.pool))
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
        format => {
            let values: Vec<Value> = pools.iter().map(|f| shown(f, show_secrets)).collect();
            printer.result(&render_values(&values, format));
        }
    }
}

fn metadata_name(f: &Fetched) -> Result<String, Error> {
    f.pool.name().map(str::to_string).ok_or_else(|| {
        Error::Internal(anyhow::anyhow!(
            "the service answered a pool without metadata.name"
        ))
    })
}

// ---------------------------------------------------------------- create

struct CreateJob {
    display: String,
    body: Vec<u8>,
}

pub fn create(
    global: &GlobalArgs,
    args: &CreateArgs,
    docs: Vec<Document>,
    printer: &Printer,
) -> Result<(), Error> {
    let waiting: Arc<Mutex<Vec<String>>> = Arc::default();
    let jobs: Vec<CreateJob> = docs
        .iter()
        .map(|d| CreateJob {
            display: d.request.display_name().unwrap_or_default().to_string(),
            // The typed request serializes the same way for --dry-run and here.
            body: crate::model::to_json(&d.request, false).into_bytes(),
        })
        .collect();
    let several = jobs.len() > 1;
    let waiting_in = waiting.clone();
    let work = async move {
        let session = connect(global, printer).await?;
        let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_CREATES));
        let mut set = tokio::task::JoinSet::new();
        for (i, job) in jobs.into_iter().enumerate() {
            let client = session.client.clone();
            let limit = limit.clone();
            let printer = printer.clone();
            let waiting = waiting_in.clone();
            let (wait, timeout, reuse) = (
                args.wait,
                args.wait_timeout,
                args.if_exists == IfExists::Reuse,
            );
            set.spawn(async move {
                // The bound is on creates in flight, never on waits: a long
                // wait must not hold back the creation of other pools.
                let permit = limit.acquire_owned().await;
                let submitted = submit(&client, &job, reuse, &printer).await;
                drop(permit);
                let r = match submitted {
                    Ok(f) if wait => {
                        follow(
                            &client,
                            &job.display,
                            f,
                            timeout,
                            several,
                            &printer,
                            &waiting,
                        )
                        .await
                    }
                    other => other,
                };
                (i, job.display, r)
            });
        }
        let mut results: Vec<(usize, String, Result<Fetched, Error>)> = Vec::new();
        while let Some(joined) = set.join_next().await {
            results.push(
                joined
                    .map_err(|e| Error::Internal(anyhow::anyhow!("a create task failed: {e}")))?,
            );
        }
        results.sort_by_key(|(i, _, _)| *i);
        report(printer, results, args.show_secrets)
    };
    match block_on(work, Arc::default()) {
        Err(Error::Interrupted { .. }) => Err(Error::Interrupted {
            resume: waiting.lock().ok().and_then(|w| resume_line(&w)),
        }),
        other => other,
    }
}

/// Sends one create; with `reuse`, a 409 adopts the pool of that name.
async fn submit(
    client: &Client,
    job: &CreateJob,
    reuse: bool,
    printer: &Printer,
) -> Result<Fetched, Error> {
    Ok(match client.create_pool(&job.body, &job.display).await {
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

/// Follows a created pool until it runs, naming it by its display name.
async fn follow(
    client: &Client,
    display: &str,
    fetched: Fetched,
    timeout: Duration,
    several: bool,
    printer: &Printer,
    waiting: &Mutex<Vec<String>>,
) -> Result<Fetched, Error> {
    if let Ok(mut w) = waiting.lock() {
        w.push(display.to_string());
    }
    let name = metadata_name(&fetched)?;
    let mut progress = Progress::new(printer, display, several);
    let done = wait::until(
        client,
        &name,
        Goal::Running,
        timeout,
        Schedule::default(),
        &mut |e| progress.event(e),
    )
    .await
    .map_err(|e| match e {
        Error::WaitTimeout { waited, .. } => Error::WaitTimeout {
            name: display.to_string(),
            waited,
        },
        Error::PoolFailed { phase, message, .. } => Error::PoolFailed {
            name: display.to_string(),
            phase,
            message,
        },
        other => other,
    });
    if let Ok(mut w) = waiting.lock() {
        w.retain(|n| n != display);
    }
    Ok(done?.unwrap_or(fetched))
}

/// The Ctrl-C line for the pools still being waited on.
fn resume_line(waiting: &[String]) -> Option<String> {
    let commands: Vec<String> = waiting
        .iter()
        .map(|n| format!("poolctl wait {n}"))
        .collect();
    match commands.len() {
        0 => None,
        1 => Some(format!(
            "the pool is still being created and was left as it is; resume with: {}",
            commands[0]
        )),
        _ => Some(format!(
            "the pools are still being created and were left as they are; resume with: {}",
            commands.join("; ")
        )),
    }
}

/// Prints each pool's result; with several pools, the exit code is the first failure's.
fn report(
    printer: &Printer,
    results: Vec<(usize, String, Result<Fetched, Error>)>,
    show_secrets: bool,
) -> Result<(), Error> {
    if results.len() == 1 {
        let (_, _, r) = results.into_iter().next().expect("one result");
        let f = r?;
        print_pools(printer, std::slice::from_ref(&f), show_secrets);
        return Ok(());
    }
    let total = results.len();
    let mut ok = Vec::new();
    let mut first_failure: Option<ExitCode> = None;
    let mut failed = 0;
    for (_, display, r) in results {
        match r {
            Ok(f) => ok.push(f),
            Err(e) => {
                failed += 1;
                first_failure.get_or_insert(e.exit_code());
                printer.stderr_line(&format!("error: pool {display}: {e}"));
                if let Some(hint) = e.hint() {
                    printer.stderr_line(&format!("  hint: {hint}"));
                }
            }
        }
    }
    if !ok.is_empty() {
        print_pools(printer, &ok, show_secrets);
    }
    match first_failure {
        None => Ok(()),
        Some(code) => Err(Error::Several {
            failed,
            total,
            code,
        }),
    }
}

// ---------------------------------------------------------------- get, list, wait, delete

pub fn get(global: &GlobalArgs, args: &GetArgs, printer: &Printer) -> Result<(), Error> {
    block_on(
        async {
            let session = connect(global, printer).await?;
            let f = resolve(&session.client, &args.name).await?;
            print_pools(printer, std::slice::from_ref(&f), args.show_secrets);
            Ok(())
        },
        Arc::default(),
    )
}

pub fn list(global: &GlobalArgs, args: &ListArgs, printer: &Printer) -> Result<(), Error> {
    block_on(
        async {
            let session = connect(global, printer).await?;
            let pools = session
                .client
                .list_pools(
                    args.label_selector.as_deref(),
                    args.status.map(|s| s.as_str()),
                )
                .await?;
            match printer.format {
                OutputFormat::Text if pools.is_empty() => printer.info("No pools found."),
                OutputFormat::Text => {
                    printer.result(&pools::table(&pools, crate::time::now_unix()))
                }
                format => {
                    let items: Vec<Value> = pools.iter().map(|f| shown(f, false)).collect();
                    let list =
                        json!({"kind": "List", "apiVersion": "v2", "metadata": {}, "items": items});
                    printer.result(&render_values(&[list], format));
                }
            }
            Ok(())
        },
        Arc::default(),
    )
}

pub fn wait_cmd(global: &GlobalArgs, args: &WaitArgs, printer: &Printer) -> Result<(), Error> {
    let resume = Arc::new(Mutex::new(Some(match args.wait_for {
        WaitFor::Running => format!(
            "the pool is still being created and was left as it is; resume with: poolctl wait {}",
            args.name
        ),
        WaitFor::Deleted => format!(
            "the pool is still being deleted; resume with: poolctl wait {} --for deleted",
            args.name
        ),
    })));
    block_on(
        async {
            let session = connect(global, printer).await?;
            let found = match resolve(&session.client, &args.name).await {
                Err(e) if is_not_found(&e) && args.wait_for == WaitFor::Deleted => {
                    printer.result(&format!("pool {} deleted", args.name));
                    return Ok(());
                }
                r => r?,
            };
            let name = metadata_name(&found)?;
            let goal = match args.wait_for {
                WaitFor::Running => Goal::Running,
                WaitFor::Deleted => Goal::Deleted,
            };
            let mut progress = Progress::new(printer, &args.name, false);
            let done = wait::until(
                session.client.as_ref(),
                &name,
                goal,
                args.wait_timeout,
                Schedule::default(),
                &mut |e| progress.event(e),
            )
            .await?;
            drop(progress);
            match done {
                Some(f) => print_pools(printer, std::slice::from_ref(&f), false),
                None => printer.result(&format!("pool {} deleted", args.name)),
            }
            Ok(())
        },
        resume,
    )
}

pub fn delete(global: &GlobalArgs, args: &DeleteArgs, printer: &Printer) -> Result<(), Error> {
    let resume = Arc::new(Mutex::new(None));
    let resume_in = resume.clone();
    block_on(
        async move {
            let session = connect(global, printer).await?;
            let found = resolve(&session.client, &args.name).await?;
            let name = metadata_name(&found)?;
            session.client.delete_pool(&name).await?;
            if !args.wait {
                printer.result(&format!("pool {} ({name}) is being deleted", args.name));
                return Ok(());
            }
            if let Ok(mut r) = resume_in.lock() {
                *r = Some(format!(
                    "the pool is still being deleted; resume with: poolctl wait {name} --for deleted"
                ));
            }
            let mut progress = Progress::new(printer, &args.name, false);
            wait::until(
                session.client.as_ref(),
                &name,
                Goal::Deleted,
                args.wait_timeout,
                Schedule::default(),
                &mut |e| progress.event(e),
            )
            .await?;
            drop(progress);
            printer.result(&format!("pool {} ({name}) deleted", args.name));
            Ok(())
        },
        resume,
    )
}
