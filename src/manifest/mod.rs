//! Reading manifests (YAML or JSON, one or many documents) into typed
//! requests that remember where each field came from, and applying flag
//! overrides on top.

pub mod node;
pub mod overrides;
pub mod shape;
pub mod walk;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::diagnostic::{Diagnostic, FieldPath, Origin, Severity};
use crate::model::{
    CreatePoolRequest, PoolAnnotationsCreation, PoolLabelsCreation, PoolMetadataCreation,
    PoolSpecCreation,
};
use node::{Node, NodeValue, Pos};
use overrides::Overrides;
use walk::Finding;

/// The API gateway refuses request bodies over 12 MB, so no manifest needs more.
pub const MAX_INPUT_BYTES: usize = 12 * 1024 * 1024;

/// Pools of one run; each is created concurrently, so keep it bounded.
pub const MAX_DOCUMENTS: usize = 256;

/// The name shown for stdin and for pools built from flags alone.
pub const STDIN_NAME: &str = "<stdin>";
pub const FLAGS_NAME: &str = "<flags>";

/// One pool to create: the request, and where each of its fields came from.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: String,
    /// 1-based over all inputs of the run.
    pub number: usize,
    pub request: CreatePoolRequest,
    positions: HashMap<FieldPath, Pos>,
    set_by_flag: HashMap<FieldPath, &'static str>,
    /// Problems found while reading: unknown fields, wrong types, conversions.
    pub findings: Vec<Finding>,
}

impl Document {
    fn new(file: &str, number: usize, request: CreatePoolRequest) -> Self {
        Document {
            file: file.to_string(),
            number,
            request,
            positions: HashMap::new(),
            set_by_flag: HashMap::new(),
            findings: Vec::new(),
        }
    }

    /// Where the value at `path` came from: the flag that set it, else its
    /// position in the file, else the position of its nearest ancestor.
    pub fn origin(&self, path: &FieldPath) -> Origin {
        let mut p = Some(path.clone());
        while let Some(cur) = p {
            if let Some(flag) = self.set_by_flag.get(&cur) {
                return Origin::Flag((*flag).to_string());
            }
            if let Some(pos) = self.positions.get(&cur).filter(|p| p.is_known()) {
                return Origin::File {
                    file: self.file.clone(),
                    line: pos.line,
                    column: pos.column,
                };
            }
            p = cur.parent();
        }
        Origin::Default
    }

    pub fn diagnostic(&self, severity: Severity, path: &FieldPath, message: String) -> Diagnostic {
        Diagnostic {
            severity,
            path: path.to_string(),
            message,
            origin: self.origin(path),
            document: self.number,
        }
    }

    /// The findings made while reading, as diagnostics.
    pub fn reading_diagnostics(&self) -> Vec<Diagnostic> {
        self.findings
            .iter()
            .map(|f| Diagnostic {
                severity: f.severity,
                path: f.path.to_string(),
                message: f.message.clone(),
                origin: if f.pos.is_known() {
                    Origin::File {
                        file: self.file.clone(),
                        line: f.pos.line,
                        column: f.pos.column,
                    }
                } else {
                    self.origin(&f.path)
                },
                document: self.number,
            })
            .collect()
    }

    fn mark_flag(&mut self, path: FieldPath, flag: &'static str) {
        self.set_by_flag.insert(path, flag);
    }
}

/// Everything read from the inputs of one command.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<Document>,
    /// Inputs that could not be read or parsed at all.
    pub failures: Vec<Diagnostic>,
    /// Per input file: its name and how many pools it held.
    pub files: Vec<(String, usize)>,
}

/// Reads every `-f` input; `-` is stdin. Files that fail are reported in
/// `failures` and the others are still read, so one run shows every problem.
/// `unknown` is how bad an unknown field is (`--validate strict|warn`).
pub fn load_files(paths: &[impl AsRef<Path>], unknown: Severity) -> Loaded {
    let mut loaded = Loaded::default();
    for path in paths {
        let path = path.as_ref();
        let name = if path == Path::new("-") {
            STDIN_NAME.to_string()
        } else {
            path.display().to_string()
        };
        let text = match read_text(path, &name) {
            Ok(t) => t,
            Err(d) => {
                loaded.files.push((name, 0));
                loaded.failures.push(d);
                continue;
            }
        };
        let first = loaded.documents.len() + 1;
        match parse_text(&name, &text, first, unknown) {
            Ok(docs) if docs.is_empty() => {
                loaded.files.push((name.clone(), 0));
                loaded.failures.push(file_problem(
                    &name,
                    "holds no pool: expected a manifest with apiVersion, kind, metadata and spec"
                        .into(),
                ));
            }
            Ok(docs) => {
                loaded.files.push((name, docs.len()));
                loaded.documents.extend(docs);
            }
            Err(d) => {
                loaded.files.push((name, 0));
                loaded.failures.push(d);
            }
        }
        if loaded.documents.len() > MAX_DOCUMENTS {
            loaded.failures.push(file_problem(
                &loaded.files.last().map(|f| f.0.clone()).unwrap_or_default(),
                format!("more than {MAX_DOCUMENTS} pools in one run; split the input"),
            ));
            loaded.documents.truncate(MAX_DOCUMENTS);
            break;
        }
    }
    loaded
}

fn file_problem(file: &str, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        path: FieldPath::root().to_string(),
        message,
        origin: Origin::File {
            file: file.to_string(),
            line: 0,
            column: 0,
        },
        document: 0,
    }
}

fn too_big(name: &str) -> Diagnostic {
    file_problem(
        name,
        format!(
            "larger than {} MB, the API gateway's limit for a request body",
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
    )
}

/// Reads a file or stdin as UTF-8 text, refusing what cannot be a manifest
/// before any parser sees it.
fn read_text(path: &Path, name: &str) -> Result<String, Diagnostic> {
    let mut bytes = Vec::new();
    let limit = MAX_INPUT_BYTES as u64 + 1;
    let read = if path == Path::new("-") {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        match std::fs::File::open(path) {
            Ok(f) => {
                if f.metadata().is_ok_and(|m| m.is_dir()) {
                    return Err(file_problem(
                        name,
                        "is a directory, not a manifest file".into(),
                    ));
                }
                if f.metadata().is_ok_and(|m| m.len() > MAX_INPUT_BYTES as u64) {
                    return Err(too_big(name));
                }
                f.take(limit).read_to_end(&mut bytes)
            }
            Err(e) => Err(e),
        }
    };
    if let Err(e) = read {
        let what = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        return Err(file_problem(name, format!("cannot read: {what}")));
    }
    text_from_bytes(name, bytes)
}

/// The checks on the raw bytes of an input, with no I/O: at most
/// [`MAX_INPUT_BYTES`], no NUL byte, UTF-8; a leading byte-order mark is
/// dropped. `name` is the input's name in the diagnostic.
pub fn text_from_bytes(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(too_big(name));
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(file_problem(
            name,
            format!("looks binary (a NUL byte at offset {at}); a manifest is YAML or JSON text"),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => Err(file_problem(
            name,
            format!(
                "is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )),
    }
}

/// Budgets well above any real manifest and far below what would hurt: an
/// alias bomb or a deep nest ends in an error, not in memory exhaustion.
fn parse_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 200_000;
    budget.max_nodes = 100_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_recorded_anchor_events = 50_000;
    budget.max_recorded_anchor_bytes = 4 * 1024 * 1024;
    budget.max_depth = 48;
    budget.max_documents = MAX_DOCUMENTS + 1;
    budget.max_total_scalar_bytes = MAX_INPUT_BYTES;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// Parses one input text into documents; `first` numbers the first of them.
pub fn parse_text(
    name: &str,
    text: &str,
    first: usize,
    unknown: Severity,
) -> Result<Vec<Document>, Diagnostic> {
    let mut nodes: Vec<Node> = serde_saphyr::from_str_multiple_with_options(text, parse_options())
        .map_err(|e| {
            let pos = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            let message = plain_parse_message(&first_line(&e.without_snippet().to_string()));
            Diagnostic {
                severity: Severity::Error,
                path: path_near(text, pos.0 as usize).to_string(),
                message,
                origin: Origin::File {
                    file: name.to_string(),
                    line: pos.0,
                    column: pos.1,
                },
                document: 0,
            }
        })?;
    for node in &mut nodes {
        node::keys_as_written(node, text);
    }
    let shape = shape::request_shape();
    let mut docs = Vec::new();
    for node in nodes.iter().filter(|n| n.value != NodeValue::Null) {
        let number = first + docs.len();
        if !matches!(node.value, NodeValue::Map(_)) {
            return Err(Diagnostic {
                severity: Severity::Error,
                path: FieldPath::root().to_string(),
                message: format!(
                    "a pool manifest is a mapping (apiVersion, kind, metadata, spec), found {}",
                    node.value.kind()
                ),
                origin: Origin::File {
                    file: name.to_string(),
                    line: node.pos.line,
                    column: node.pos.column,
                },
                document: number,
            });
        }
        let walked = walk::walk(node, shape, unknown);
        let request = serde_json::from_value::<CreatePoolRequest>(walked.value).map_err(|e| {
            // The walk already checked every type, so this means a gap in it.
            Diagnostic {
                severity: Severity::Error,
                path: FieldPath::root().to_string(),
                message: format!("cannot read the manifest: {e}"),
                origin: Origin::File {
                    file: name.to_string(),
                    line: node.pos.line,
                    column: node.pos.column,
                },
                document: number,
            }
        })?;
        let mut doc = Document::new(name, number, request);
        doc.positions = walked.positions;
        doc.findings = walked.findings;
        docs.push(doc);
    }
    Ok(docs)
}

/// serde-saphyr's words for budget breaches and duplicates, said the way a
/// person who wrote the file can act on.
fn plain_parse_message(raw: &str) -> String {
    // Positions are printed in front already.
    let text = match raw.find(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    if text.contains("budget breached: Depth") || text.contains("recursion limit") {
        return format!(
            "nested too deeply (a pool manifest needs fewer than 10 levels; the limit is {})",
            48
        );
    }
    if text.contains("budget breached")
        && ["Alias", "Anchor", "RecordedAnchor"]
            .iter()
            .any(|k| text.contains(k))
    {
        return "aliases expand to too many values (an alias bomb?); write the values out".into();
    }
    if text.contains("budget breached") {
        return "too many values for a pool manifest; is this the right file?".into();
    }
    if let Some(rest) = text.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return format!(
            "duplicate key `{key}`: a key appears once in a mapping; remove one of them"
        );
    }
    text.to_string()
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().trim().to_string()
}

/// The block-style key path enclosing `line`, for parse errors that come
/// before any tree exists. Best effort: flow-style (JSON) input gives the root.
fn path_near(text: &str, line: usize) -> FieldPath {
    let mut stack: Vec<(usize, String)> = Vec::new();
    for l in text.lines().take(line.max(1)) {
        let trimmed = l.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("---") {
            continue;
        }
        let indent = l.len() - trimmed.len();
        let body = trimmed.trim_start_matches("- ");
        let Some((key, _)) = body.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches('"').trim_matches('\'');
        if key.is_empty() || key.contains(['{', '[', ' ']) {
            continue;
        }
        let key_indent = indent + (trimmed.len() - body.len());
        while stack.last().is_some_and(|(i, _)| *i >= key_indent) {
            stack.pop();
        }
        stack.push((key_indent, key.to_string()));
    }
    let mut path = FieldPath::root();
    for (_, k) in stack {
        path = path.key(&k);
    }
    path
}

/// The request a pool built from flags alone starts from: the shape of the
/// reference's physical-pool example.
fn flag_template() -> CreatePoolRequest {
    CreatePoolRequest {
        kind: Some("Pool".into()),
        api_version: Some("v2".into()),
        metadata: Some(PoolMetadataCreation {
            annotations: Some(PoolAnnotationsCreation {
                description: Some(String::new()),
                ..Default::default()
            }),
            labels: Some(PoolLabelsCreation::default()),
            extra: Default::default(),
        }),
        spec: Some(PoolSpecCreation {
            pool_type: Some("Dedicate".into()),
            ..Default::default()
        }),
        extra: Default::default(),
    }
}

/// A pool from flags alone (no `-f`).
pub fn from_overrides(overrides: &Overrides) -> Result<Document, crate::error::Error> {
    let mut doc = Document::new(FLAGS_NAME, 1, flag_template());
    overrides.apply(&mut doc, false)?;
    // The example's workspace, unless --workspace-id gave one.
    let meta = doc.request.metadata.get_or_insert_with(Default::default);
    let labels = meta.labels.get_or_insert_with(Default::default);
    labels
        .workspace_id
        .get_or_insert_with(|| crate::model::DEFAULT_WORKSPACE.to_string());
    Ok(doc)
}

/// Sets a label by its API key, into its named field when it has one, so the
/// body never holds the same key twice.
pub fn set_label(labels: &mut PoolLabelsCreation, key: &str, value: &str) {
    let v = Some(value.to_string());
    match key {
        crate::model::NAME_LABEL => labels.name = v,
        "os.modelarts/workspace.id" => labels.workspace_id = v,
        "os.modelarts/sharing" => labels.sharing = v,
        "os.modelarts/node.prefix" => labels.node_prefix = v,
        _ => {
            labels.other.insert(key.to_string(), value.to_string());
        }
    }
}

pub fn set_annotation(ann: &mut PoolAnnotationsCreation, key: &str, value: &str) {
    let v = Some(value.to_string());
    match key {
        "os.modelarts/description" => ann.description = v,
        "os.modelarts/billing.mode" => ann.billing_mode = v,
        "os.modelarts/auto.renew" => ann.auto_renew = v,
        "os.modelarts/promotion.info" => ann.promotion_info = v,
        "os.modelarts/service.console.url" => ann.service_console_url = v,
        "os.modelarts/order.id" => ann.order_id = v,
        "os.modelarts/scheduler.extension" => ann.scheduler_extension = v,
        _ => {
            ann.other.insert(key.to_string(), value.to_string());
        }
    }
}

/// Fills what the API requires and the user may leave out: `maxCount` from
/// `count` (mandatory in the older edition; equal to `count` in a physical pool).
pub fn normalize(doc: &mut Document) {
    if let Some(resources) = doc.request.spec.as_mut().and_then(|s| s.resources.as_mut()) {
        for r in resources.iter_mut() {
            if r.max_count.is_none() {
                r.max_count = r.count;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_near_follows_indentation() {
        let text = "spec:\n  resources:\n  - flavor: x\n    count: [\n";
        assert_eq!(path_near(text, 4).to_string(), "spec.resources.count");
        assert_eq!(path_near("a: 1\nb:\n  c: 2\n", 3).to_string(), "b.c");
        assert_eq!(path_near("{\"a\": 1,,}", 1).to_string(), "(document)");
    }

    #[test]
    fn bytes_are_checked_before_any_parser() {
        let text = |b: &[u8]| text_from_bytes("m.yaml", b.to_vec());
        assert_eq!(text(b"\xef\xbb\xbfkind: Pool\n").unwrap(), "kind: Pool\n");
        assert!(text(b"kind: \0")
            .unwrap_err()
            .message
            .contains("NUL byte at offset 6"));
        assert!(text(b"kind: \xff")
            .unwrap_err()
            .message
            .contains("not UTF-8 text (invalid byte at offset 6)"));
        let big = vec![b' '; MAX_INPUT_BYTES + 1];
        assert!(text(&big)
            .unwrap_err()
            .message
            .contains("larger than 12 MB"));
        assert!(text(&big[1..]).is_ok());
    }
}
