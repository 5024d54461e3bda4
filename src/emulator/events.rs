//! `GET /v1/{project_id}/events?resource=pools&name=<metadata.name>`: the
//! events of one pool, derived from its timestamps (`lifecycle::events`),
//! filtered by `type`, `since` and `until`, and paged like the other v1
//! lists (`paging`).

use std::sync::Arc;

use serde_json::Value;

use super::lifecycle;
use super::paging::{param, Page, Pager};
use super::reply::{shorten, ApiError};
use super::state::StoredPool;
use crate::time::parse_timestamp;

/// An RFC 3339 filter, as seconds since the epoch.
fn time_filter(query: &[(String, String)], name: &str) -> Result<Option<u64>, ApiError> {
    param(query, name)
        .map(|v| {
            parse_timestamp(v).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "{name} must be an RFC 3339 time such as 2024-10-24T12:42:43Z, not {}",
                    shorten(v)
                ))
            })
        })
        .transpose()
}

/// The answer for this query. `resource` must be `pools` and `name` given;
/// a pool that does not exist (or not in `workspaceId`, when given) has no
/// events. `since` and `until` hold on `lastTimestamp`, both inclusive, to
/// the second it shows.
pub fn list(
    pools: &[Arc<StoredPool>],
    query: &[(String, String)],
    region: &str,
    now_ms: u64,
    pager: &Pager,
) -> Result<Value, ApiError> {
    match param(query, "resource") {
        Some("pools") => {}
        None => return Err(ApiError::bad_request("resource is required (pools)")),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "resource must be pools, not {}",
                shorten(other)
            )))
        }
    }
    let name = param(query, "name")
        .ok_or_else(|| ApiError::bad_request("name is required (the pool's metadata.name)"))?;
    let kind = param(query, "type");
    if let Some(k) = kind {
        if !["Normal", "Warning"].contains(&k) {
            return Err(ApiError::bad_request(format!(
                "type must be Normal or Warning, not {}",
                shorten(k)
            )));
        }
    }
    let since = time_filter(query, "since")?;
    let until = time_filter(query, "until")?;
    let workspace = param(query, "workspaceId");
    let filters = format!(
        "{name}\n{}\n{since:?}\n{until:?}\n{}",
        kind.unwrap_or(""),
        workspace.unwrap_or("")
    );
    let page = Page::from_query(query, pager, "events", &filters)?;
    let Some(pool) = pools
        .iter()
        .find(|p| p.name == name && workspace.is_none_or(|w| p.workspace == w))
    else {
        return Ok(page.answer(Vec::new()));
    };
    let items: Vec<(String, Value)> = lifecycle::events(pool, region, now_ms)
        .iter()
        .filter(|e| kind.is_none_or(|k| (k == "Warning") == e.warning))
        .filter(|e| since.is_none_or(|s| e.last_ms / 1000 >= s))
        .filter(|e| until.is_none_or(|u| e.last_ms / 1000 <= u))
        .map(|e| {
            (
                format!("{:020}.{:010}", e.last_ms, e.n),
                lifecycle::event_json(&pool.name, e),
            )
        })
        .collect();
    Ok(page.answer(items))
}
