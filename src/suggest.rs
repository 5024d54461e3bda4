//! "Did you mean": the known name nearest to a misspelt one, for unknown
//! fields, enum values and flags.

/// The known name nearest to a misspelt one, if any is near enough.
pub fn suggest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    suggest_within(name, candidates, (name.chars().count() / 3).max(2))
}

/// As [`suggest`], with at most `limit` edits: for long names that differ
/// in a short tail (`modelarts.vm.cpu.8ud`), a third of the name is too
/// far.
pub fn suggest_within<'a>(name: &str, candidates: &[&'a str], limit: usize) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let cl = c.to_ascii_lowercase();
        let d = if cl == lower {
            0
        } else if cl.len() >= 3
            && lower.len() >= 3
            && (lower.starts_with(&cl) || cl.starts_with(&lower))
        {
            // `Training` for `Train`, `max` for `maxCount`.
            1
        } else {
            edit_distance(&lower, &cl)
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

/// Damerau-Levenshtein (optimal string alignment) distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let known = ["flavor", "count", "maxCount", "azs"];
        assert_eq!(suggest("maxcount", &known), Some("maxCount"));
        assert_eq!(suggest("flavour", &known), Some("flavor"));
        assert_eq!(suggest("cuont", &known), Some("count"));
        assert_eq!(suggest("Training", &["Train", "Infer"]), Some("Train"));
        assert_eq!(suggest("zzzzzzzzz", &known), None);
    }
}
