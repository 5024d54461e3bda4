//! `poolctl apply -f FILE...`: make each pool as its manifest describes it,
//! with no state file. Plan first (look every pool up, compare), refuse
//! what only a new pool can have, preflight what will be created or grown,
//! then create the missing and patch the changed, concurrently.

use std::sync::Arc;

use super::context::Context;
use super::create::{self, Job, Outcome};
use super::follow::Follower;
use super::manifests::{build, Sources};
use super::plan::{plan, Action, Plan};
use super::Command;
use crate::client::Client;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::manifest::Document;
use crate::output::plural;
use crate::settings::ApplySettings;
use crate::wait::Goal;

/// Creates and patches in flight at once (waits are not bounded).
const CONCURRENT_WRITES: usize = 32;

impl Command for ApplySettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let sources = Sources {
            files: &self.files,
            overrides: &self.overrides,
            unknown_fields: self.unknown_fields,
        };
        let Some(docs) = build(&sources, &ctx.printer)? else {
            return Ok(ExitStatus::Usage);
        };
        ctx.block_on(self.apply(docs, ctx))
    }
}

impl ApplySettings {
    async fn apply(&self, docs: Vec<Document>, ctx: &Context) -> Result<ExitStatus, Error> {
        let printer = &ctx.printer;
        let session = ctx.session().await?;
        let client = &session.client;
        let plans = plan(client, &docs).await?;

        // What only a new pool can have is refused before anything is sent.
        let refused: Vec<&Plan> = plans
            .iter()
            .filter(|p| matches!(p.action, Action::Replace { .. }))
            .collect();
        if !refused.is_empty() {
            let mut fields = 0;
            for p in &refused {
                for d in p.action.drifts().iter().filter(|d| !d.in_place()) {
                    fields += 1;
                    printer.failure(&format!(
                        "pool {}: {} is {}, the manifest says {}: the service cannot change it in place",
                        p.display,
                        d.path,
                        crate::drift::shown(d.live.as_ref()),
                        crate::drift::shown(d.wanted.as_ref()),
                    ));
                }
            }
            printer.failure(&format!(
                "{fields} {} only a new pool can have; nothing was sent",
                plural(fields, "difference", "differences")
            ));
            printer.hint(
                "change the manifest back, or delete the pool (poolctl delete -f FILE --wait) and apply again",
            );
            return Ok(ExitStatus::Usage);
        }

        if self.preflight {
            // New pools, and pools whose nodes change: what the service
            // would refuse or fail on.
            let checked: Vec<Document> = docs
                .iter()
                .zip(&plans)
                .filter_map(|(d, p)| match &p.action {
                    Action::Create => Some(d.clone()),
                    Action::Patch { live, .. } => growing(d, live),
                    _ => None,
                })
                .collect();
            if !checked.is_empty() {
                if let Some(status) = create::preflight(client, &checked, false, printer).await? {
                    return Ok(status);
                }
            }
        }

        if self.dry_run {
            printer.plans(&plans, true, self.show_secrets)?;
            return Ok(ExitStatus::Success);
        }
        let several = plans.len() > 1;
        let outcomes = self.execute(ctx, client, docs, plans).await;
        create::report(printer, outcomes, several, self.show_secrets)
    }

    async fn execute(
        &self,
        ctx: &Context,
        client: &Arc<Client>,
        docs: Vec<Document>,
        plans: Vec<Plan>,
    ) -> Vec<Outcome> {
        let follower = Follower::new(ctx, client);
        let several = plans.len() > 1;
        let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_WRITES));
        let mut set = tokio::task::JoinSet::new();
        for (i, (doc, plan)) in docs.into_iter().zip(plans).enumerate() {
            let (client, follower, limit) = (client.clone(), follower.clone(), limit.clone());
            let (printer, waiting) = (ctx.printer.clone(), ctx.waiting.clone());
            let (wait, timeout) = (self.wait, self.wait_timeout);
            set.spawn(async move {
                let nodes = wanted_nodes(&doc);
                let permit = limit.acquire_owned().await;
                let written = match plan.action {
                    Action::Create => {
                        let job = Job {
                            display: plan.display.clone(),
                            body: crate::model::to_json(&doc.request, false).into_bytes(),
                            request: doc.request,
                        };
                        // Another run may have created it since the lookup: adopt it.
                        create::submit(&client, &job, true, timeout, &printer, &waiting, &follower)
                            .await
                            .map(|f| (f, Goal::Running))
                    }
                    Action::Patch {
                        live,
                        drifts,
                        patch,
                    } => {
                        let changed = drifts
                            .iter()
                            .map(|d| {
                                format!(
                                    "{} {} → {}",
                                    d.path,
                                    crate::drift::shown(d.live.as_ref()),
                                    crate::drift::shown(d.wanted.as_ref())
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; ");
                        let body = crate::model::to_json(&patch, false).into_bytes();
                        // A pool still being created cannot change yet: with
                        // --wait, wait until it runs, then change it.
                        let live = match live.pool.phase() {
                            Some(p @ (crate::model::phase::CREATING | crate::model::phase::WAITING)) => {
                                if !wait {
                                    let err = Error::CannotSucceed {
                                        what: format!("change pool {}", plan.display),
                                        detail: format!("it is {p}; the service changes a pool once it is Running"),
                                    }
                                    .with_hint(format!(
                                        "apply again with --wait (it waits, then changes it), or once \
                                         `poolctl wait {}` has ended",
                                        plan.display
                                    ));
                                    drop(permit);
                                    return (i, Outcome { display: plan.display, last: Some(live), result: Err(err) });
                                }
                                printer.info(&format!(
                                    "pool {} is {p}; waiting until it runs, then changing it",
                                    plan.display
                                ));
                                let waited = follower
                                    .follow(&plan.display, &plan.workspace, live, Goal::Running, timeout, several)
                                    .await;
                                match (waited.result, waited.last) {
                                    (Ok(()), Some(f)) => f,
                                    (result, last) => {
                                        drop(permit);
                                        let result = result.and(Err(Error::Internal(anyhow::anyhow!("no state after a wait"))));
                                        return (i, Outcome { display: plan.display, last, result });
                                    }
                                }
                            }
                            _ => live,
                        };
                        match live.metadata_name() {
                            Err(e) => Err(e),
                            Ok(id) => client.patch_pool(id, &body).await.map(|answer| {
                                printer.info(&format!(
                                    "pool {} changed in place: {changed}",
                                    plan.display
                                ));
                                // Some gateways answer a patch with no pool.
                                let f = if answer.pool.name().is_some() {
                                    answer
                                } else {
                                    live
                                };
                                (
                                    f,
                                    settle(&nodes),
                                )
                            }),
                        }
                    }
                    Action::Unchanged { live } => match live.pool.phase() {
                        // Its spec is the manifest's, and yet it failed (a
                        // scale onto a sold-out flavor leaves the count it
                        // failed to reach): not a success to report.
                        Some(p) if crate::model::phase::is_failed(p) => {
                            printer.info(&format!(
                                "pool {} is as the manifest says, but {p}; nothing was sent",
                                plan.display
                            ));
                            Err(Error::PoolFailed {
                                name: plan.display.clone(),
                                target: format!(
                                    "{}{}",
                                    plan.display,
                                    crate::client::workspace_flag(&plan.workspace)
                                ),
                                phase: p.to_string(),
                                message: live.pool.status.message.clone(),
                                events: Vec::new(),
                            })
                        }
                        _ => {
                            printer.info(&format!("pool {} unchanged", plan.display));
                            Ok((
                                live,
                                settle(&nodes),
                            ))
                        }
                    },
                    Action::Replace { live, .. } => Ok((live, Goal::Running)),
                };
                drop(permit);
                let pool = create::Pool {
                    display: plan.display,
                    workspace: plan.workspace,
                };
                let outcome = pool
                    .outcome(written, wait.then_some((&follower, timeout, several)))
                    .await;
                (i, outcome)
            });
        }
        super::in_order(set, |e| {
            Outcome::failed(format!("an apply task failed: {e}"))
        })
        .await
    }
}

/// The part of a patched pool's manifest that preflight judges: only the
/// flavors whose nodes grow (a scale-down needs no capacity, and a flavor
/// sold out since must not stop it), and no network (it cannot change).
/// None when nothing grows.
fn growing(doc: &Document, live: &crate::client::Fetched) -> Option<Document> {
    let mut doc = doc.clone();
    let spec = doc.request.spec.as_mut()?;
    let live_count = |flavor: &str| -> i64 {
        live.pool
            .spec
            .resources
            .iter()
            .filter(|r| r.flavor.as_deref() == Some(flavor))
            .filter_map(|r| r.count)
            .sum()
    };
    let resources: Vec<_> = spec
        .resources
        .take()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| {
            r.flavor
                .as_deref()
                .is_some_and(|f| r.count.unwrap_or(0) > live_count(f))
        })
        .collect();
    if resources.is_empty() {
        return None;
    }
    spec.resources = Some(resources);
    spec.network = None;
    Some(doc)
}

/// What a wait after a patch waits for: a physical pool's nodes settled.
fn settle(nodes: &Option<i64>) -> Goal {
    match nodes {
        Some(_) => Goal::Scaled,
        None => Goal::Running,
    }
}

/// The nodes a physical pool asks for, summed over flavors; none for a
/// logical pool (its nodes are a share of its parent).
fn wanted_nodes(doc: &Document) -> Option<i64> {
    let spec = doc.request.spec.as_ref()?;
    if spec.pool_type.as_deref() == Some("Logical") {
        return None;
    }
    Some(
        spec.resources
            .iter()
            .flatten()
            .filter_map(|r| r.count)
            .sum(),
    )
}
