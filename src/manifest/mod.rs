//! Reading manifests (YAML or JSON, one or many documents) into typed
//! requests that remember where each field came from, and applying flag
//! overrides on top.

pub mod flags;
pub mod node;
pub mod shape;
pub mod walk;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::cli::{PoolFlags, ValidateMode};
use crate::diagnostic::{Diagnostic, FieldPath, Origin, Severity};
use crate::model::{
    CreatePoolRequest, PoolAnnotationsCreation, PoolClusterMaster, PoolContainerNetwork,
    PoolDriver, PoolLabelsCreation, PoolMetadataCreation, PoolNodeAz, PoolResource,
    PoolSpecCreation,
};
use node::{Node, NodeValue, Pos};
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
pub fn load_files(paths: &[impl AsRef<Path>], mode: ValidateMode) -> Loaded {
    let unknown = match mode {
        ValidateMode::Strict => Severity::Error,
        ValidateMode::Warn => Severity::Warning,
    };
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
    let nodes: Vec<Node> = serde_saphyr::from_str_multiple_with_options(text, parse_options())
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
            labels: Some(PoolLabelsCreation {
                workspace_id: Some("0".into()),
                ..Default::default()
            }),
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
pub fn from_flags(flags: &PoolFlags) -> Result<Document, crate::error::Error> {
    let mut doc = Document::new(FLAGS_NAME, 1, flag_template());
    apply_flags(&mut doc, flags, false)?;
    Ok(doc)
}

fn path(text: &str) -> FieldPath {
    FieldPath::parse(text)
}

/// Flags override the manifest. With several documents, flags that name one
/// pool (`--name`, `--flavor`, `--count`, `--max-count`, `--resource`) are
/// refused; the others apply to all.
pub fn apply_flags(
    doc: &mut Document,
    f: &PoolFlags,
    several: bool,
) -> Result<(), crate::error::Error> {
    use crate::error::Error;
    if several {
        let per_pool: Vec<&str> = [
            (f.name.is_some(), "--name"),
            (f.flavor.is_some(), "--flavor"),
            (f.count.is_some(), "--count"),
            (f.max_count.is_some(), "--max-count"),
            (!f.resource.is_empty(), "--resource"),
        ]
        .into_iter()
        .filter_map(|(set, n)| set.then_some(n))
        .collect();
        if !per_pool.is_empty() {
            return Err(Error::usage_hint(
                format!(
                    "{} names a single pool, but the input holds several pools",
                    per_pool.join(", ")
                ),
                "set it in each document, or run one create per manifest",
            ));
        }
    }
    if !f.resource.is_empty() && (f.flavor.is_some() || f.count.is_some() || f.max_count.is_some())
    {
        return Err(Error::usage(
            "--resource cannot be combined with --flavor, --count or --max-count",
        ));
    }

    let req = &mut doc.request;
    let meta = req.metadata.get_or_insert_with(Default::default);
    let mut marks: Vec<(&str, &'static str)> = Vec::new();
    {
        let labels = meta.labels.get_or_insert_with(Default::default);
        let mut set = |slot: &mut Option<String>, v: &Option<String>, p: &'static str, flag| {
            if let Some(v) = v {
                *slot = Some(v.clone());
                marks.push((p, flag));
            }
        };
        set(
            &mut labels.name,
            &f.name,
            "metadata.labels.\"os.modelarts/name\"",
            "--name",
        );
        set(
            &mut labels.workspace_id,
            &f.workspace_id,
            "metadata.labels.\"os.modelarts/workspace.id\"",
            "--workspace-id",
        );
        set(
            &mut labels.sharing,
            &f.sharing,
            "metadata.labels.\"os.modelarts/sharing\"",
            "--sharing",
        );
        set(
            &mut labels.node_prefix,
            &f.node_prefix,
            "metadata.labels.\"os.modelarts/node.prefix\"",
            "--node-prefix",
        );
        for kv in &f.label {
            set_label(labels, &kv.key, &kv.value);
        }
    }
    if f.description.is_some() || !f.annotation.is_empty() {
        let ann = meta.annotations.get_or_insert_with(Default::default);
        if let Some(d) = &f.description {
            ann.description = Some(d.clone());
            marks.push((
                "metadata.annotations.\"os.modelarts/description\"",
                "--description",
            ));
        }
        for kv in &f.annotation {
            set_annotation(ann, &kv.key, &kv.value);
        }
    }

    let spec = req.spec.get_or_insert_with(Default::default);
    let mut set = |slot: &mut Option<String>, v: &Option<String>, p: &'static str, flag| {
        if let Some(v) = v {
            *slot = Some(v.clone());
            marks.push((p, flag));
        }
    };
    set(&mut spec.pool_type, &f.pool_type, "spec.type", "--type");
    set(&mut spec.parent, &f.parent, "spec.parent", "--parent");
    set(
        &mut spec.cluster_flavor,
        &f.cluster_flavor,
        "spec.clusterFlavor",
        "--cluster-flavor",
    );
    set(
        &mut spec.kubernetes_svc_ip_range,
        &f.service_cidr,
        "spec.kubernetesSvcIpRange",
        "--service-cidr",
    );
    if f.network.is_some() || f.vpc_id.is_some() || f.subnet_id.is_some() {
        let net = spec.network.get_or_insert_with(Default::default);
        set(&mut net.name, &f.network, "spec.network.name", "--network");
        set(&mut net.vpc_id, &f.vpc_id, "spec.network.vpcId", "--vpc-id");
        set(
            &mut net.subnet_id,
            &f.subnet_id,
            "spec.network.subnetId",
            "--subnet-id",
        );
    }
    if f.container_cidr.is_some() {
        let cn = spec
            .container_network
            .get_or_insert_with(PoolContainerNetwork::default);
        set(
            &mut cn.cidr,
            &f.container_cidr,
            "spec.containerNetwork.cidr",
            "--container-cidr",
        );
    }
    if f.gpu_driver.is_some() || f.npu_driver.is_some() || f.driver_update_strategy.is_some() {
        let d = spec.driver.get_or_insert_with(PoolDriver::default);
        set(
            &mut d.gpu_version,
            &f.gpu_driver,
            "spec.driver.gpuVersion",
            "--gpu-driver",
        );
        set(
            &mut d.npu_version,
            &f.npu_driver,
            "spec.driver.npuVersion",
            "--npu-driver",
        );
        set(
            &mut d.update_strategy,
            &f.driver_update_strategy,
            "spec.driver.updateStrategy",
            "--driver-update-strategy",
        );
    }
    if let Some(scope) = &f.scope {
        spec.scope = Some(scope.iter().map(|s| s.trim().to_string()).collect());
        marks.push(("spec.scope", "--scope"));
    }
    if !f.master_az.is_empty() {
        spec.masters = Some(
            f.master_az
                .iter()
                .map(|az| PoolClusterMaster {
                    az: Some(az.clone()),
                    ..Default::default()
                })
                .collect(),
        );
        marks.push(("spec.masters", "--master-az"));
    }
    if f.ipv6 {
        spec.ipv6enable = Some(true);
        marks.push(("spec.ipv6enable", "--ipv6"));
    }

    if !f.resource.is_empty() {
        spec.resources = Some(
            f.resource
                .iter()
                .map(|r| PoolResource {
                    flavor: Some(r.flavor.clone()),
                    count: Some(r.count),
                    max_count: r.max_count,
                    azs: (!r.azs.is_empty()).then(|| {
                        r.azs
                            .iter()
                            .map(|(az, n)| PoolNodeAz {
                                az: Some(az.clone()),
                                count: Some(*n),
                                ..Default::default()
                            })
                            .collect()
                    }),
                    ..Default::default()
                })
                .collect(),
        );
        marks.push(("spec.resources", "--resource"));
    } else if f.flavor.is_some() || f.count.is_some() || f.max_count.is_some() {
        let resources = spec.resources.get_or_insert_with(Vec::new);
        match resources.len() {
            0 => resources.push(PoolResource::default()),
            1 => {}
            n => {
                return Err(Error::usage_hint(
                    format!(
                        "--flavor/--count/--max-count set one flavor, but {} has {n} resources",
                        doc.file
                    ),
                    "use --resource flavor=F,count=N (repeatable) to replace them all",
                ))
            }
        }
        let r = &mut resources[0];
        if let Some(fl) = &f.flavor {
            r.flavor = Some(fl.clone());
            marks.push(("spec.resources[0].flavor", "--flavor"));
        }
        if let Some(c) = f.count {
            r.count = Some(c);
            marks.push(("spec.resources[0].count", "--count"));
            // A new count makes a maxCount filled from the old one stale.
            if f.max_count.is_none() && spec_is_dedicate(&spec.pool_type) {
                r.max_count = None;
            }
        }
        if let Some(m) = f.max_count {
            r.max_count = Some(m);
            marks.push(("spec.resources[0].maxCount", "--max-count"));
        }
    }
    for (p, flag) in marks {
        doc.mark_flag(path(p), flag);
    }
    // Labels and annotations given as K=V are marked by their own key.
    for kv in &f.label {
        doc.mark_flag(
            FieldPath::root().key("metadata").key("labels").key(&kv.key),
            "--label",
        );
    }
    for kv in &f.annotation {
        doc.mark_flag(
            FieldPath::root()
                .key("metadata")
                .key("annotations")
                .key(&kv.key),
            "--annotation",
        );
    }
    Ok(())
}

fn spec_is_dedicate(t: &Option<String>) -> bool {
    t.as_deref() != Some("Logical")
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
