//! `poolctl delete`: pools by name, by the manifests that describe them
//! (each in its workspace), or by label selector; concurrently (bounded),
//! with a result per pool.

use std::sync::Arc;

use super::context::Context;
use super::follow::Follower;
use super::Command;
use crate::client::{is_not_found, Client, Fetched};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::manifest;
use crate::settings::{DeleteSettings, DeleteTargets};
use crate::wait::Goal;

/// Deletes in flight at once.
const CONCURRENT_DELETES: usize = 8;

/// A pool to delete, as the user named it, and what the lookup found.
struct Target {
    display: String,
    workspace: String,
    found: Result<Fetched, Error>,
}

/// What became of one pool.
struct Outcome {
    display: String,
    line: Option<String>,
    last: Option<Fetched>,
    result: Result<(), Error>,
}

impl Command for DeleteSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        // Manifests are read before anything is asked: a bad file costs nothing.
        let described = match &self.targets {
            DeleteTargets::Files {
                files,
                overrides,
                unknown_fields,
            } => Some(described_pools(files, overrides, *unknown_fields, ctx)?),
            _ => None,
        };
        ctx.block_on(async {
            let session = ctx.session().await?;
            let client = &session.client;
            let (targets, several) = match (&self.targets, described) {
                (DeleteTargets::Names(names), _) => {
                    let wanted: Vec<(String, String)> = names
                        .iter()
                        .map(|n| (n.clone(), self.workspace.clone()))
                        .collect();
                    (by_name(client, wanted).await, names.len() > 1)
                }
                (DeleteTargets::Files { .. }, Some(pools)) => {
                    (by_label(client, pools).await?, true)
                }
                (DeleteTargets::Selector(selector), _) => {
                    let found = client
                        .list_pools(&self.workspace, Some(selector), None)
                        .await?;
                    if found.is_empty() {
                        ctx.printer.info(&format!(
                            "no pool in workspace {} has the labels {selector}; nothing to delete",
                            self.workspace
                        ));
                    } else {
                        let names: Vec<&str> = found
                            .iter()
                            .map(|f| f.pool.display_name().or(f.pool.name()).unwrap_or("?"))
                            .collect();
                        ctx.printer.info(&format!(
                            "deleting {} pools with the labels {selector}: {}",
                            found.len(),
                            names.join(", ")
                        ));
                    }
                    let targets = found
                        .into_iter()
                        .map(|f| Target {
                            display: f
                                .pool
                                .display_name()
                                .or(f.pool.name())
                                .unwrap_or("?")
                                .to_string(),
                            workspace: self.workspace.clone(),
                            found: Ok(f),
                        })
                        .collect();
                    (targets, true)
                }
                (DeleteTargets::Files { .. }, None) => {
                    return Err(Error::Internal(anyhow::anyhow!("no manifests were read")))
                }
            };
            let outcomes = self.delete_all(ctx, client, targets).await;
            report(ctx, outcomes, several)
        })
    }
}

impl DeleteSettings {
    async fn delete_all(
        &self,
        ctx: &Context,
        client: &Arc<Client>,
        targets: Vec<Target>,
    ) -> Vec<Outcome> {
        let follower = Follower::new(ctx, client);
        let several = targets.len() > 1;
        let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_DELETES));
        let mut set = tokio::task::JoinSet::new();
        for (i, t) in targets.into_iter().enumerate() {
            let (client, follower, limit) = (client.clone(), follower.clone(), limit.clone());
            let (ignore, wait, timeout) = (self.ignore_not_found, self.wait, self.wait_timeout);
            set.spawn(async move {
                let outcome = match t.found {
                    Err(e) if ignore && is_not_found(&e) => Outcome {
                        line: None,
                        last: None,
                        result: Ok(()),
                        display: t.display,
                    },
                    Err(e) => Outcome {
                        display: t.display,
                        line: None,
                        last: None,
                        result: Err(e),
                    },
                    Ok(found) => {
                        let permit = limit.acquire_owned().await;
                        let deleted = delete_one(&client, found).await;
                        drop(permit);
                        match deleted {
                            Err(e) if ignore && is_not_found(&e) => Outcome {
                                display: t.display,
                                line: None,
                                last: None,
                                result: Ok(()),
                            },
                            Err(e) => Outcome {
                                display: t.display,
                                line: None,
                                last: None,
                                result: Err(e),
                            },
                            Ok((id, deleting)) if wait => {
                                let waited = follower
                                    .follow(
                                        &t.display,
                                        &t.workspace,
                                        deleting,
                                        Goal::Deleted,
                                        timeout,
                                        several,
                                    )
                                    .await;
                                Outcome {
                                    line: Some(format!("pool {} ({id}) deleted", t.display)),
                                    display: t.display,
                                    last: waited.last,
                                    result: waited.result,
                                }
                            }
                            Ok((id, deleting)) => Outcome {
                                line: Some(format!("pool {} ({id}) is being deleted", t.display)),
                                display: t.display,
                                last: Some(deleting),
                                result: Ok(()),
                            },
                        }
                    }
                };
                (i, outcome)
            });
        }
        super::in_order(set, |e| Outcome {
            display: "?".into(),
            line: None,
            last: None,
            result: Err(Error::Internal(anyhow::anyhow!(
                "a delete task failed: {e}"
            ))),
        })
        .await
    }
}

/// `DELETE` of a found pool: its id, and its state now (the answer, or the
/// pool as found when a gateway answers nothing).
async fn delete_one(client: &Client, found: Fetched) -> Result<(String, Fetched), Error> {
    let id = found.metadata_name()?.to_string();
    // Being deleted already: a second DELETE adds nothing.
    if found.pool.phase() == Some(crate::model::phase::DELETING) {
        return Ok((id, found));
    }
    let answer = client.delete_pool(&id).await?;
    let deleting = if answer.pool.name().is_some() {
        answer
    } else {
        found
    };
    Ok((id, deleting))
}

/// Each name resolved in its workspace, concurrently.
async fn by_name(client: &Arc<Client>, wanted: Vec<(String, String)>) -> Vec<Target> {
    let mut set = tokio::task::JoinSet::new();
    for (i, (name, workspace)) in wanted.into_iter().enumerate() {
        let client = client.clone();
        set.spawn(async move {
            let found = client.resolve_pool(&workspace, &name).await;
            (
                i,
                Target {
                    display: name,
                    workspace,
                    found,
                },
            )
        });
    }
    // A lookup that panicked is a failure of its own, not a pool dropped.
    super::in_order(set, |e| Target {
        display: "?".into(),
        workspace: String::new(),
        found: Err(Error::Internal(anyhow::anyhow!("a lookup failed: {e}"))),
    })
    .await
}

/// The pools that manifests describe: by name label, each in its
/// workspace. None found is a 404 of its own, as for a name.
async fn by_label(
    client: &Arc<Client>,
    pools: Vec<(String, String)>,
) -> Result<Vec<Target>, Error> {
    let mut out = Vec::new();
    for (name, workspace) in pools {
        let found = client.find_by_label(&workspace, &name).await?;
        if found.is_empty() {
            out.push(Target {
                display: name.clone(),
                workspace: workspace.clone(),
                found: Err(Error::Api {
                    what: format!("delete pool {name}"),
                    api: crate::error::ApiError {
                        status: 404,
                        error_msg: Some(format!("no pool named {name} in workspace {workspace}")),
                        ..Default::default()
                    },
                }),
            });
        }
        for f in found {
            out.push(Target {
                display: name.clone(),
                workspace: workspace.clone(),
                found: Ok(f),
            });
        }
    }
    Ok(out)
}

/// `(name label, workspace)` of every pool the manifests describe. Only the
/// name matters here: the rest of a manifest is not validated, so a
/// template that no longer validates can still be cleaned up.
fn described_pools(
    files: &[std::path::PathBuf],
    overrides: &crate::manifest::overrides::Overrides,
    unknown: crate::diagnostic::Severity,
    ctx: &Context,
) -> Result<Vec<(String, String)>, Error> {
    let loaded = manifest::load_files(files, unknown);
    if !loaded.failures.is_empty() {
        ctx.printer.diagnostics(&loaded.failures, "");
        return Err(Error::usage(
            "the manifests cannot be read; nothing was deleted",
        ));
    }
    let several = loaded.documents.len() > 1;
    let mut out = Vec::new();
    for mut doc in loaded.documents {
        overrides.apply(&mut doc, several)?;
        let Some(name) = doc.request.display_name().filter(|n| !n.is_empty()) else {
            return Err(Error::usage(format!(
                "{}: a pool without metadata.labels.\"os.modelarts/name\" cannot be found to delete",
                doc.file
            )));
        };
        out.push((name.to_string(), doc.request.workspace().to_string()));
    }
    Ok(out)
}

/// A line per pool; the last states as the result (one pool, or a List);
/// each failure; the first failure decides the status.
fn report(ctx: &Context, outcomes: Vec<Outcome>, several: bool) -> Result<ExitStatus, Error> {
    let printer = &ctx.printer;
    let lines: Vec<String> = outcomes.iter().filter_map(|o| o.line.clone()).collect();
    let states: Vec<Fetched> = outcomes.iter().filter_map(|o| o.last.clone()).collect();
    for o in outcomes
        .iter()
        .filter(|o| o.result.is_ok() && o.line.is_none())
    {
        printer.info(&format!(
            "pool {} not found; nothing to delete (--ignore-not-found)",
            o.display
        ));
    }
    printer.deleted_all(&lines, &states, several)?;
    if !several {
        if let Some(o) = outcomes.into_iter().next() {
            return o.result.map(|()| ExitStatus::Success);
        }
        return Ok(ExitStatus::Success);
    }
    let total = outcomes.len();
    let mut failed = 0;
    let mut first = None;
    for o in outcomes {
        if let Err(e) = o.result {
            failed += 1;
            first.get_or_insert(e.exit_status());
            printer.failure(&format!("pool {}: {e}", o.display));
            if let Some(hint) = e.hint() {
                printer.hint(&hint);
            }
        }
    }
    Ok(match first {
        None => ExitStatus::Success,
        Some(status) => {
            printer.failure(&format!("{failed} of {total} pools were not deleted"));
            status
        }
    })
}
