//! `describe` and `flavors` as text, the way `kubectl describe` reads: a
//! block of fields, then tables. Every value from the service is escaped
//! for the terminal and table cells are cut (see [`super::pools::grid`]).

use std::collections::BTreeMap;

use super::pools::{age, age_of, dash, grid};
use crate::client::Fetched;
use crate::model::{Event, Flavor, Pool, ResourceCount};

/// How many of the latest events `describe` shows.
pub const SHOWN_EVENTS: usize = 20;

/// One pool in detail, with its events (oldest first); `events` is `Err`
/// with the reason when they could not be read.
pub fn pool(fetched: &Fetched, events: &Result<Vec<Event>, String>, now: u64) -> String {
    let pool = &fetched.pool;
    let mut rows: Vec<(&str, String)> = vec![
        ("Name", dash(pool.name())),
        ("Display name", dash(pool.display_name())),
        ("Workspace", pool.workspace().to_string()),
        ("Type", dash(pool.spec.pool_type.as_deref())),
        (
            "Phase",
            pool.phase().unwrap_or("(not reported yet)").to_string(),
        ),
    ];
    if let Some(m) = pool.status.message.as_deref().filter(|m| !m.is_empty()) {
        rows.push(("Message", m.to_string()));
    }
    if let Some(order) = pool.waiting_order() {
        rows.push(("Order", format!("{order} (waiting to be paid)")));
    }
    if let Some(created) = pool.metadata.creation_timestamp.as_deref() {
        rows.push((
            "Created",
            format!("{created} ({} ago)", age(Some(created), now)),
        ));
    }
    if let Some(parent) = pool.spec.parent.as_deref() {
        rows.push(("Parent", parent.to_string()));
    }
    if let Some(net) = pool.spec.network.as_ref().and_then(|n| n.name.as_deref()) {
        rows.push(("Network", net.to_string()));
    }
    rows.push(("Scope", scope(pool)));
    if let Some(driver) = driver(pool) {
        rows.push(("Driver", driver));
    }
    if !fetched.unreadable.is_empty() {
        rows.push((
            "Unreadable",
            super::pools::unreadable_text(&fetched.unreadable),
        ));
    }
    let mut out: Vec<String> = rows
        .iter()
        .map(|(k, v)| format!("{:<14}{}", format!("{k}:"), crate::redact::terminal(v)))
        .collect();
    if pool.is_logical() {
        out.push(format!(
            "{:<14}{}",
            "Nodes:",
            super::progress::nodes_text(pool.capacity())
        ));
    } else {
        out.push("Nodes:".into());
        out.push(indent(&grid(nodes(pool))));
    }
    out.push("Events:".into());
    match events {
        Ok(events) if events.is_empty() => out.push("  <none>".into()),
        Ok(events) => out.push(indent(&grid(event_rows(events, now)))),
        Err(why) => out.push(format!(
            "  <could not be read: {}>",
            crate::redact::terminal(why)
        )),
    }
    out.join("\n")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `Train Enabled, Infer Enabling`: the scope asked for, with each state
/// the service reports (a scope it reports nothing of is `-`).
fn scope(pool: &Pool) -> String {
    let mut shown: Vec<String> = pool
        .spec
        .scope
        .iter()
        .map(|s| {
            let state = pool
                .status
                .scope
                .iter()
                .find(|st| st.scope_type.as_deref() == Some(s.as_str()))
                .and_then(|st| st.state.as_deref());
            format!("{s} {}", state.unwrap_or("-"))
        })
        .collect();
    for st in &pool.status.scope {
        let Some(t) = st.scope_type.as_deref() else {
            continue;
        };
        if !pool.spec.scope.iter().any(|s| s == t) {
            shown.push(format!("{t} {}", st.state.as_deref().unwrap_or("-")));
        }
    }
    for st in &pool.status.scope {
        if let (Some(t), Some(m)) = (st.scope_type.as_deref(), st.message.as_deref()) {
            if !m.is_empty() {
                shown.push(format!("({t}: {m})"));
            }
        }
    }
    if shown.is_empty() {
        "-".into()
    } else {
        shown.join(", ")
    }
}

/// `gpu 440.33 Running`, for each driver the service reports.
fn driver(pool: &Pool) -> Option<String> {
    let d = &pool.status.driver;
    let parts: Vec<String> = [("gpu", &d.gpu), ("npu", &d.npu)]
        .into_iter()
        .filter_map(|(kind, s)| {
            let s = s.as_ref()?;
            Some(format!(
                "{kind} {} {}",
                s.version.as_deref().unwrap_or("-"),
                s.state.as_deref().unwrap_or("-")
            ))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Node counts per flavor and AZ: wanted (spec), then creating, available,
/// abnormal, deleting (status). A flavor is split by AZ only when every
/// count of it says its AZs; else it is one row, AZ `-`.
fn nodes(pool: &Pool) -> Vec<Vec<String>> {
    let status = &pool.status.resources;
    // Columns: 0 wanted, 1 creating, 2 available, 3 abnormal, 4 deleting.
    let columns: [(usize, &Vec<ResourceCount>); 5] = [
        (0, &pool.spec.resources),
        (1, &status.creating),
        (2, &status.available),
        (3, &status.abnormal),
        (4, &status.deleting),
    ];
    let flavor = |r: &ResourceCount| r.flavor.clone().unwrap_or_else(|| "?".into());
    let mut by_az: BTreeMap<String, bool> = BTreeMap::new();
    for (_, list) in &columns {
        for r in list.iter() {
            let split = !r.azs.is_empty();
            by_az
                .entry(flavor(r))
                .and_modify(|s| *s &= split)
                .or_insert(split);
        }
    }
    let mut counts: BTreeMap<(String, String), [i64; 5]> = BTreeMap::new();
    for (column, list) in &columns {
        for r in list.iter() {
            let f = flavor(r);
            if by_az.get(&f).copied().unwrap_or(false) {
                for a in &r.azs {
                    let key = (f.clone(), a.az.clone().unwrap_or_else(|| "?".into()));
                    counts.entry(key).or_default()[*column] += a.count.unwrap_or(0);
                }
            } else {
                counts.entry((f, "-".into())).or_default()[*column] += r.count.unwrap_or(0);
            }
        }
    }
    let mut rows = vec![[
        "FLAVOR",
        "AZ",
        "WANTED",
        "CREATING",
        "AVAILABLE",
        "ABNORMAL",
        "DELETING",
    ]
    .map(String::from)
    .to_vec()];
    for ((f, az), c) in counts {
        let mut row = vec![f, az];
        row.extend(c.iter().map(i64::to_string));
        rows.push(row);
    }
    rows
}

fn event_rows(events: &[Event], now: u64) -> Vec<Vec<String>> {
    let skip = events.len().saturating_sub(SHOWN_EVENTS);
    let mut rows = vec![["TYPE", "REASON", "AGE", "COUNT", "MESSAGE"]
        .map(String::from)
        .to_vec()];
    for e in &events[skip..] {
        rows.push(vec![
            dash(e.event_type.as_deref()),
            dash(e.reason.as_deref()),
            age_of(e.unix_time(), now),
            e.count.unwrap_or(1).to_string(),
            dash(e.message.as_deref()),
        ]);
    }
    rows
}

/// The `flavors` table: name, kind, CPU, memory, accelerator, and where it
/// is available or sold out (with `az`, that AZ's state only).
pub fn flavors(flavors: &[&Flavor], az: Option<&str>) -> String {
    let mut rows = vec![match az {
        Some(_) => ["NAME", "TYPE", "CPU", "MEMORY", "ACCELERATOR", "STATE"]
            .map(String::from)
            .to_vec(),
        None => [
            "NAME",
            "TYPE",
            "CPU",
            "MEMORY",
            "ACCELERATOR",
            "AVAILABLE IN",
            "SOLD OUT IN",
        ]
        .map(String::from)
        .to_vec(),
    }];
    for f in flavors {
        let mut row = vec![
            dash(f.name()),
            f.kind().as_str().to_string(),
            dash(f.spec.cpu.as_deref()),
            dash(f.spec.memory.as_deref()),
            f.accelerator().unwrap_or_else(|| "-".into()),
        ];
        match az {
            Some(az) => row.push(dash(f.status.phase.get(az).map(String::as_str))),
            None => {
                // A state the reference does not list is shown as it is,
                // beside the sold-out AZs: no node is promised there.
                let (available, sold_out, other) = f.azs();
                let list = |azs: Vec<String>| {
                    if azs.is_empty() {
                        "-".to_string()
                    } else {
                        azs.join(",")
                    }
                };
                row.push(list(available.iter().map(|a| a.to_string()).collect()));
                let mut not = sold_out.iter().map(|a| a.to_string()).collect::<Vec<_>>();
                not.extend(other.iter().map(|(az, st)| format!("{az}({st})")));
                row.push(list(not));
            }
        }
        rows.push(row);
    }
    grid(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetched(raw: serde_json::Value) -> Fetched {
        Fetched::from_read(crate::model::read::pool_value(raw).unwrap())
    }

    #[test]
    fn nodes_are_split_by_az_only_when_every_count_says_its_az() {
        let f = fetched(serde_json::json!({
            "metadata": {"name": "p"},
            "spec": {"type": "Dedicate", "resources": [
                {"flavor": "a", "count": 3, "azs": [{"az": "z1", "count": 2}, {"az": "z2", "count": 1}]},
                {"flavor": "b", "count": 2, "azs": [{"az": "z1", "count": 2}]}
            ]},
            "status": {"resources": {
                "available": [{"flavor": "a", "count": 2, "azs": [{"az": "z1", "count": 2}]},
                              {"flavor": "b", "count": 1}],
                "creating": [{"flavor": "a", "count": 1, "azs": [{"az": "z2", "count": 1}]}]
            }}
        }));
        let rows = nodes(&f.pool);
        assert_eq!(rows[1], ["a", "z1", "2", "0", "2", "0", "0"]);
        assert_eq!(rows[2], ["a", "z2", "1", "1", "0", "0", "0"]);
        assert_eq!(rows[3], ["b", "-", "2", "0", "1", "0", "0"]);
    }

    #[test]
    fn service_text_cannot_draw_on_the_terminal() {
        let f = fetched(serde_json::json!({
            "metadata": {"name": "p\u{1b}[2J"},
            "spec": {"type": "Dedicate", "scope": ["Train"]},
            "status": {"phase": "Running", "scope": [{"scopeType": "Train", "state": "Enabled\u{202e}"}]}
        }));
        let events = Ok(vec![Event {
            message: Some("line\nfake: line\u{7}".into()),
            ..Event::default()
        }]);
        let text = pool(&f, &events, 0);
        assert!(
            !text
                .chars()
                .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'),
            "{text}"
        );
        assert!(!text.contains("\nfake"), "{text}");
    }
}
