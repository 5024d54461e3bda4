//! `poolctl list`: the pools of the project, filtered by the service; with
//! `--watch`, then each change as it comes.

use std::collections::BTreeMap;
use std::time::Duration;

use super::context::Context;
use super::Command;
use crate::client::Fetched;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::ListSettings;
use crate::wait::Schedule;

impl Command for ListSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        ctx.block_on(async {
            let session = ctx.session().await?;
            let list = || {
                session.client.list_pools(
                    &self.workspace,
                    self.label_selector.as_deref(),
                    self.status,
                )
            };
            let pools = list().await?;
            ctx.printer.pool_list(&pools, self.headers)?;
            if !self.watch {
                return Ok(ExitStatus::Success);
            }
            // Polls as a wait does (quick at first, then sparing); a poll
            // that fails is retried at the next one. Ends with a signal.
            let schedule = Schedule::default();
            let started = tokio::time::Instant::now();
            let mut seen: BTreeMap<String, Fetched> = by_name(pools);
            loop {
                tokio::time::sleep(schedule.delay_after(started.elapsed()).max(MIN_POLL)).await;
                let now = match list().await {
                    Ok(pools) => by_name(pools),
                    Err(e @ (Error::Unavailable { .. } | Error::Unreadable { .. })) => {
                        ctx.printer.warning(&format!("{e}; still watching"));
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                for (name, f) in &now {
                    match seen.get(name) {
                        None => ctx.printer.watch_event("ADDED", f)?,
                        Some(before) if changed(before, f) => {
                            ctx.printer.watch_event("MODIFIED", f)?
                        }
                        Some(_) => {}
                    }
                }
                for (name, f) in &seen {
                    if !now.contains_key(name) {
                        ctx.printer.watch_event("DELETED", f)?;
                    }
                }
                seen = now;
            }
        })
    }
}

/// A watch never polls faster than this, whatever the schedule.
const MIN_POLL: Duration = Duration::from_millis(500);

fn by_name(pools: Vec<Fetched>) -> BTreeMap<String, Fetched> {
    pools
        .into_iter()
        .filter_map(|f| Some((f.pool.name()?.to_string(), f)))
        .collect()
}

/// What a watch reports: the pool's phase, message, nodes or spec moved.
fn changed(before: &Fetched, after: &Fetched) -> bool {
    let key = |f: &Fetched| {
        (
            f.raw.get("status").cloned(),
            f.raw.get("spec").cloned(),
            f.raw
                .get("metadata")
                .and_then(|m| m.get("annotations"))
                .cloned(),
        )
    };
    key(before) != key(after)
}
