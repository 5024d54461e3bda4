//! A problem found in a manifest: where (field path and source position),
//! how bad, and what to do about it.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// A manifest file (`-` is stdin) at a 1-based line and column.
    File {
        file: String,
        line: u64,
        column: u64,
    },
    /// A command-line flag such as `--count`.
    Flag(String),
    /// Built in: a default of this tool, or a field that is absent altogether.
    Default,
}

/// `file:line:col`, as a message names another place.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { file, line, column } if *line > 0 => {
                write!(f, "{file}:{line}:{column}")
            }
            Origin::File { file, .. } => f.write_str(file),
            Origin::Flag(flag) => write!(f, "the flag {flag}"),
            Origin::Default => f.write_str("a default"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// `spec.resources[0].maxCount`
    pub path: String,
    pub message: String,
    pub origin: Origin,
    /// Which pool of the input, counted from 1 over all files, when there are several.
    pub document: usize,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A field path, printed the way people write it:
/// `metadata.labels."os.modelarts/name"`, `spec.resources[0].count`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }

    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }

    pub fn parent(&self) -> Option<Self> {
        let mut p = self.clone();
        p.0.pop().map(|_| p)
    }

    /// Parses the printed form back; `a.b[0]."c.d"`.
    pub fn parse(text: &str) -> Self {
        let mut segs = Vec::new();
        let mut chars = text.chars().peekable();
        let mut cur = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    for c in chars.by_ref() {
                        if c == '"' {
                            break;
                        }
                        cur.push(c);
                    }
                }
                '.' => {
                    if !cur.is_empty() {
                        segs.push(Seg::Key(std::mem::take(&mut cur)));
                    }
                }
                '[' => {
                    if !cur.is_empty() {
                        segs.push(Seg::Key(std::mem::take(&mut cur)));
                    }
                    let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
                    if let Ok(i) = digits.parse() {
                        segs.push(Seg::Index(i));
                    }
                }
                c => cur.push(c),
            }
        }
        if !cur.is_empty() {
            segs.push(Seg::Key(cur));
        }
        FieldPath(segs)
    }
}

fn is_plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    if is_plain_key(k) {
                        f.write_str(k)?;
                    } else {
                        write!(f, "\"{k}\"")?;
                    }
                }
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_and_parse_back() {
        let p = FieldPath::root()
            .key("metadata")
            .key("labels")
            .key("os.modelarts/name");
        assert_eq!(p.to_string(), "metadata.labels.\"os.modelarts/name\"");
        assert_eq!(FieldPath::parse(&p.to_string()), p);
        let q = FieldPath::root()
            .key("spec")
            .key("resources")
            .index(0)
            .key("maxCount");
        assert_eq!(q.to_string(), "spec.resources[0].maxCount");
        assert_eq!(FieldPath::parse(&q.to_string()), q);
        assert_eq!(q.parent().unwrap().to_string(), "spec.resources[0]");
    }
}
