//! What `diff` shows and `apply` does: each document's live pool, looked
//! up by its name label in its workspace, compared with the manifest
//! ([`crate::drift`]).

use std::sync::Arc;

use serde_json::Value;

use crate::client::{workspace_flag, Client, Fetched};
use crate::drift::{self, Drift};
pub use crate::drift::{Action, Plan};
use crate::error::Error;
use crate::manifest::Document;

/// Lookups in flight at once.
const CONCURRENT_LOOKUPS: usize = 16;

/// The plan of each document, in their order: looked up concurrently.
pub async fn plan(client: &Arc<Client>, docs: &[Document]) -> Result<Vec<Plan>, Error> {
    let limit = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_LOOKUPS));
    let mut set = tokio::task::JoinSet::new();
    for (i, doc) in docs.iter().enumerate() {
        let display = doc.request.display_name().unwrap_or_default().to_string();
        let workspace = doc.request.workspace().to_string();
        let wanted = serde_json::to_value(&doc.request)
            .map_err(|e| Error::Internal(anyhow::anyhow!("the request is not JSON: {e}")))?;
        let (client, limit) = (client.clone(), limit.clone());
        set.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let found = client.find_by_label(&workspace, &display).await;
            (i, judge(display, workspace, wanted, found))
        });
    }
    let mut plans = Vec::new();
    while let Some(joined) = set.join_next().await {
        let (i, plan) =
            joined.map_err(|e| Error::Internal(anyhow::anyhow!("a lookup failed: {e}")))?;
        plans.push((i, plan?));
    }
    plans.sort_by_key(|(i, _)| *i);
    Ok(plans.into_iter().map(|(_, p)| p).collect())
}

fn judge(
    display: String,
    workspace: String,
    wanted: Value,
    found: Result<Vec<Fetched>, Error>,
) -> Result<Plan, Error> {
    let mut found = found?;
    let action = match found.len() {
        0 => Action::Create,
        // A pool being deleted is no pool to change: apply waits it out
        // and creates the manifest's anew (as reuse does).
        1 if found[0].pool.phase() == Some(crate::model::phase::DELETING) => Action::Create,
        1 => {
            let live = found.remove(0);
            let drifts = drift::drift(&wanted, &live.raw);
            if drifts.is_empty() {
                Action::Unchanged { live }
            } else if drifts.iter().all(Drift::in_place) {
                let patch = drift::merge_patch(&wanted, &drifts).unwrap_or(Value::Null);
                Action::Patch {
                    live,
                    drifts,
                    patch,
                }
            } else {
                Action::Replace { live, drifts }
            }
        }
        _ => {
            let ids: Vec<&str> = found.iter().map(|f| f.pool.name().unwrap_or("?")).collect();
            return Err(Error::usage_hint(
                format!(
                    "{} pools are named {display} in workspace {workspace} ({}); a manifest describes one",
                    found.len(),
                    ids.join(", ")
                ),
                format!(
                    "look at them with: poolctl list -l os.modelarts/name={display}{}",
                    workspace_flag(&workspace)
                ),
            ));
        }
    };
    Ok(Plan {
        display,
        workspace,
        wanted,
        action,
    })
}
