//! Pools as text: one pool in detail, many as a table.

use crate::client::Fetched;
use crate::time::{now_unix, parse_timestamp};

/// `45s`, `3m`, `5h`, `2d` since an RFC 3339 timestamp.
pub fn age(created: Option<&str>, now_unix: u64) -> String {
    age_of(created.and_then(parse_timestamp), now_unix)
}

/// `45s`, `3m`, `5h`, `2d` since Unix time `then`.
pub fn age_of(then: Option<u64>, now_unix: u64) -> String {
    let Some(then) = then else {
        return "-".into();
    };
    let secs = now_unix.saturating_sub(then);
    match secs {
        0..=119 => format!("{secs}s"),
        120..=7199 => format!("{}m", secs / 60),
        7200..=172_799 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86_400),
    }
}

fn or_dash(s: Option<&str>) -> &str {
    s.filter(|s| !s.is_empty()).unwrap_or("-")
}

/// One pool in detail, for `get`, `create` and `wait`. Text from the
/// service is escaped for the terminal.
pub fn detail(fetched: &Fetched) -> String {
    let pool = &fetched.pool;
    let mut rows: Vec<(&str, String)> = vec![
        ("name", or_dash(pool.name()).to_string()),
        ("display name", or_dash(pool.display_name()).to_string()),
        ("workspace", pool.workspace().to_string()),
        ("type", or_dash(pool.spec.pool_type.as_deref()).to_string()),
        (
            "phase",
            pool.phase().unwrap_or("(not reported yet)").to_string(),
        ),
        ("nodes", super::progress::nodes_text(pool.capacity())),
    ];
    for r in &pool.spec.resources {
        rows.push((
            "flavor",
            format!(
                "{} x {}",
                r.count.unwrap_or_default(),
                or_dash(r.flavor.as_deref())
            ),
        ));
    }
    if let Some(net) = pool.spec.network.as_ref().and_then(|n| n.name.as_deref()) {
        rows.push(("network", net.to_string()));
    }
    if !pool.spec.scope.is_empty() {
        rows.push(("scope", pool.spec.scope.join(", ")));
    }
    if let Some(created) = pool.metadata.creation_timestamp.as_deref() {
        rows.push((
            "created",
            format!("{created} ({} ago)", age(Some(created), now_unix())),
        ));
    }
    if let Some(msg) = pool.status.message.as_deref().filter(|m| !m.is_empty()) {
        rows.push(("message", msg.to_string()));
    }
    if !fetched.unreadable.is_empty() {
        rows.push(("unreadable", unreadable_text(&fetched.unreadable)));
    }
    rows.iter()
        .map(|(k, v)| format!("{:<13} {}", format!("{k}:"), crate::redact::terminal(v)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `path (why); path (why)` of the fields the typed view left out.
pub fn unreadable_text(unreadable: &[String]) -> String {
    unreadable
        .iter()
        .map(|u| match u.split_once(": ") {
            Some((path, why)) => format!("{path} ({why})"),
            None => u.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A table cell longer than this is cut (`-o json` has it whole).
const MAX_CELL: usize = 100;

/// The `list` table: name, display name, type, phase, nodes, age; `wide`
/// adds workspace, flavors, network and the creation time.
pub fn table(pools: &[Fetched], now: u64, wide: bool, headers: bool) -> String {
    let mut rows = Vec::new();
    if headers {
        let mut head = vec!["NAME", "DISPLAY NAME", "TYPE", "PHASE", "NODES", "AGE"];
        if wide {
            head.extend(["WORKSPACE", "FLAVORS", "NETWORK", "CREATED"]);
        }
        rows.push(head.into_iter().map(String::from).collect());
    }
    rows.extend(pools.iter().map(|f| row(f, now, wide)));
    grid(rows)
}

/// One pool's row of [`table`].
pub fn row(f: &Fetched, now: u64, wide: bool) -> Vec<String> {
    let p = &f.pool;
    let mut row = vec![
        or_dash(p.name()).to_string(),
        or_dash(p.display_name()).to_string(),
        or_dash(p.spec.pool_type.as_deref()).to_string(),
        or_dash(p.phase()).to_string(),
        p.capacity().to_string(),
        age(p.metadata.creation_timestamp.as_deref(), now),
    ];
    if wide {
        let flavors: Vec<String> = p
            .spec
            .resources
            .iter()
            .map(|r| {
                format!(
                    "{}x{}",
                    r.count.unwrap_or_default(),
                    r.flavor.as_deref().unwrap_or("?")
                )
            })
            .collect();
        row.extend([
            p.workspace().to_string(),
            if flavors.is_empty() {
                "-".into()
            } else {
                flavors.join(",")
            },
            or_dash(p.spec.network.as_ref().and_then(|n| n.name.as_deref())).to_string(),
            or_dash(p.metadata.creation_timestamp.as_deref()).to_string(),
        ]);
    }
    row
}

/// Rows as aligned columns, two spaces apart. Every cell is text from the
/// service or a manifest: escaped, and cut so that one long value cannot
/// stretch every row (`-o json` has it whole).
pub fn grid(rows: Vec<Vec<String>>) -> String {
    // The last column stretches nothing: the line's own bound applies.
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            let last = r.len().saturating_sub(1);
            r.into_iter()
                .enumerate()
                .map(|(i, cell)| {
                    let cell = crate::redact::terminal(&cell);
                    if i == last {
                        cell
                    } else {
                        super::cut_line(&cell, MAX_CELL)
                    }
                })
                .collect()
        })
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, cell)| {
                    // Padded by hand: a `{:<w$}` width above 65535 panics.
                    let pad = if i + 1 == r.len() {
                        0
                    } else {
                        widths[i].saturating_sub(cell.chars().count())
                    };
                    format!("{cell}{}", " ".repeat(pad))
                })
                .collect::<Vec<_>>()
                .join("  ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn dash(s: Option<&str>) -> String {
    or_dash(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_cell_neither_panics_nor_stretches_the_table() {
        let raw = serde_json::json!({"metadata": {"name": "\u{1b}".repeat(70_000)}});
        let f = Fetched::from_read(crate::model::read::pool_value(raw).unwrap());
        let table = table(&[f], 0, false, true);
        assert!(
            table.lines().all(|l| l.chars().count() < 400),
            "{}",
            table.len()
        );
    }

    #[test]
    fn ages() {
        let t = parse_timestamp("2024-10-24T12:42:43Z").unwrap();
        assert_eq!(age(Some("2024-10-24T12:42:43Z"), t + 45), "45s");
        assert_eq!(age(Some("2024-10-24T12:42:43Z"), t + 600), "10m");
        assert_eq!(age(Some("2024-10-24T12:42:43Z"), t + 3 * 86_400), "3d");
        assert_eq!(age(None, t), "-");
    }
}
