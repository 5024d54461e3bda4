//! The rule catalogue of DESIGN.md §4, over both editions of the reference.
//! Every problem is reported at once, each at its field path; errors stop the
//! request, warnings do not. `docs/manifest.md` lists the same rules, each
//! with its source.
//!
//! An error needs a reason a user can check: an edition of the reference
//! states the rule, or the request cannot succeed. A rule that is only our
//! inference warns: a false reject leaves the user no way out, while a false
//! accept costs one quick 400 from the service.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use crate::diagnostic::{Diagnostic, FieldPath, Severity};
use crate::manifest::Document;
use crate::model::values::{
    FIXED_VOLUME_GROUPS, LV_TYPES, POOL_TYPES, SCOPES, SHARING, STEP_TYPES, STORAGE_TYPES,
    UPDATE_STRATEGIES, VOLUME_TYPES,
};
use crate::model::{CreatePoolRequest, PoolResource, PoolSpecCreation};
use crate::suggest::suggest;

/// The newer edition caps pool names at 25 characters; the older allows 64.
pub const NAME_NEWER_MAX: usize = 25;

/// The `os.modelarts/` label keys the two editions document: those of a
/// create request, then those only their answers show.
const LABEL_KEYS: [&str; 8] = [
    "os.modelarts/name",
    "os.modelarts/workspace.id",
    "os.modelarts/sharing",
    "os.modelarts/node.prefix",
    "os.modelarts/resource.id",
    "os.modelarts/tenant.domain.id",
    "os.modelarts/tenant.project.id",
    "os.modelarts/create-from",
];

/// The `os.modelarts/` annotation keys the two editions document, as
/// [`LABEL_KEYS`]; `product.id` is in the older edition's logical-pool example.
const ANNOTATION_KEYS: [&str; 12] = [
    "os.modelarts/description",
    "os.modelarts/billing.mode",
    "os.modelarts/auto.renew",
    "os.modelarts/promotion.info",
    "os.modelarts/service.console.url",
    "os.modelarts/order.id",
    "os.modelarts/scheduler.extension",
    "os.modelarts/product.id",
    "os.modelarts/flavor.resource.ids",
    "os.modelarts/tms.tags",
    "os.modelarts/tenant.domain.name",
    "os.modelarts/volcano.scheduler.cabinet-exclusive.enabled",
];

const NAMESPACE: &str = "os.modelarts";

/// Every diagnostic of one document: what reading it found, then the rules,
/// errors first, each group in source order.
pub fn validate(doc: &Document) -> Vec<Diagnostic> {
    let mut v = Checker {
        doc,
        out: doc.reading_diagnostics(),
    };
    v.request(&doc.request);
    sorted(v.out)
}

/// Every diagnostic of every document of one run, one list per document in
/// the order given: what only the whole run shows ([`same_name_twice`]),
/// then its own ([`validate`]). `default_workspace` is the workspace of a
/// pool whose manifest names none (`--workspace-id`, else `0`).
pub fn validate_run(docs: &[Document], default_workspace: &str) -> Vec<Vec<Diagnostic>> {
    let mut twice = same_name_twice(docs, default_workspace);
    docs.iter()
        .map(|doc| {
            let mut out = twice.remove(&doc.number).unwrap_or_default();
            out.extend(validate(doc));
            out
        })
        .collect()
}

fn sorted(mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    out.sort_by_key(|d| (d.severity, position_key(d)));
    out
}

/// A workspace holds one pool of a name, so the second pool of a name in one
/// run cannot be created (the service answers 409). Each later one is an
/// error that names where the first stands; keyed by document number.
/// `default_workspace` as for [`validate_run`].
pub fn same_name_twice(
    docs: &[Document],
    default_workspace: &str,
) -> HashMap<usize, Vec<Diagnostic>> {
    let path = p("metadata.labels.\"os.modelarts/name\"");
    let mut first: HashMap<(&str, &str), &Document> = HashMap::new();
    let mut out: HashMap<usize, Vec<Diagnostic>> = HashMap::new();
    for doc in docs {
        let labels = doc
            .request
            .metadata
            .as_ref()
            .and_then(|m| m.labels.as_ref());
        let Some(name) = labels.and_then(|l| l.name.as_deref()) else {
            continue;
        };
        let workspace = labels
            .and_then(|l| l.workspace_id.as_deref())
            .unwrap_or(default_workspace);
        match first.get(&(name, workspace)) {
            None => {
                first.insert((name, workspace), doc);
            }
            Some(earlier) => {
                let there = earlier.origin(&path);
                let message = format!(
                    "`{name}` is also the name of the pool at {there} (workspace `{workspace}`); \
                     a workspace holds one pool of a name, so this one could not be created: \
                     rename one of them"
                );
                out.entry(doc.number).or_default().push(doc.diagnostic(
                    Severity::Error,
                    &path,
                    message,
                ));
            }
        }
    }
    out
}

fn position_key(d: &Diagnostic) -> (u8, u64, u64) {
    match &d.origin {
        crate::diagnostic::Origin::File { line, column, .. } => (0, *line, *column),
        crate::diagnostic::Origin::Flag(_) => (1, 0, 0),
        crate::diagnostic::Origin::Default => (2, 0, 0),
    }
}

struct Checker<'a> {
    doc: &'a Document,
    out: Vec<Diagnostic>,
}

fn p(text: &str) -> FieldPath {
    FieldPath::parse(text)
}

fn one_of(value: &str, allowed: &[&str]) -> String {
    let list = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match suggest(value, allowed) {
        Some(near) => format!("`{value}` is not one of {list}; did you mean `{near}`?"),
        None => format!("`{value}` is not one of {list}"),
    }
}

impl Checker<'_> {
    fn error(&mut self, path: &FieldPath, message: impl Into<String>) {
        let d = self.doc.diagnostic(Severity::Error, path, message.into());
        self.out.push(d);
    }

    fn warn(&mut self, path: &FieldPath, message: impl Into<String>) {
        let d = self.doc.diagnostic(Severity::Warning, path, message.into());
        self.out.push(d);
    }

    fn enum_value(&mut self, path: &FieldPath, value: &Option<String>, allowed: &[&str]) {
        if let Some(v) = value {
            if !allowed.contains(&v.as_str()) {
                self.error(path, one_of(v, allowed));
            }
        }
    }

    fn request(&mut self, req: &CreatePoolRequest) {
        match req.api_version.as_deref() {
            Some("v2") => {}
            Some(other) => self.error(
                &p("apiVersion"),
                format!("`{other}` is not supported: expected `v2` (CreatePool is a v2 API)"),
            ),
            None => self.error(&p("apiVersion"), "required: set `apiVersion: v2`"),
        }
        match req.kind.as_deref() {
            Some("Pool") => {}
            Some(other) => self.error(
                &p("kind"),
                format!("`{other}` is not supported: expected `Pool`"),
            ),
            None => self.error(&p("kind"), "required: set `kind: Pool`"),
        }
        self.metadata(req);
        match &req.spec {
            Some(spec) => self.spec(spec),
            None => self.error(
                &p("spec"),
                "required: a pool needs spec.type, spec.resources and (for a physical pool) spec.network",
            ),
        }
    }

    fn metadata(&mut self, req: &CreatePoolRequest) {
        let labels = req.metadata.as_ref().and_then(|m| m.labels.as_ref());
        let name_path = p("metadata.labels.\"os.modelarts/name\"");
        match labels.and_then(|l| l.name.as_deref()) {
            None => self.error(
                &name_path,
                "required: the pool needs a name (or pass --name)",
            ),
            Some(name) => self.pool_name(&name_path, name),
        }
        if let Some(labels) = labels {
            self.enum_value(
                &p("metadata.labels.\"os.modelarts/sharing\""),
                &labels.sharing,
                &SHARING,
            );
            self.near_keys("labels", "label", labels.other.keys(), &LABEL_KEYS);
        }
        if let Some(ann) = req.metadata.as_ref().and_then(|m| m.annotations.as_ref()) {
            self.near_keys(
                "annotations",
                "annotation",
                ann.other.keys(),
                &ANNOTATION_KEYS,
            );
            for (key, value) in [
                ("os.modelarts/billing.mode", &ann.billing_mode),
                ("os.modelarts/auto.renew", &ann.auto_renew),
            ] {
                if let Some(v) = value {
                    if v != "0" && v != "1" {
                        self.error(
                            &FieldPath::root()
                                .key("metadata")
                                .key("annotations")
                                .key(key),
                            format!("`{v}` is not one of \"0\", \"1\""),
                        );
                    }
                }
            }
        }
    }

    /// Label or annotation keys of the `os.modelarts/` namespace that
    /// narrowly miss a documented one: the service would take them as some
    /// other key and ignore them.
    fn near_keys<'k>(
        &mut self,
        map: &str,
        what: &str,
        keys: impl Iterator<Item = &'k String>,
        known: &[&str],
    ) {
        for key in keys {
            if let Some(near) = near_miss(key, known) {
                self.warn(
                    &FieldPath::root().key("metadata").key(map).key(key),
                    format!("not a documented {what} key; did you mean `{near}`? (sent as it is)"),
                );
            }
        }
    }

    fn pool_name(&mut self, path: &FieldPath, name: &str) {
        let len = name.chars().count();
        // Both editions: at least 4; the older allows up to 64.
        if !(4..=64).contains(&len) {
            self.error(
                path,
                format!("`{name}` has {len} characters; a pool name has 4 to 64"),
            );
        }
        // The newer edition: lowercase letters, hyphens and digits.
        if let Some(bad) = name
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            self.error(
                path,
                format!("`{name}` holds `{bad}`; a pool name has only lowercase letters, digits and `-`"),
            );
        }
        // Neither edition says how a name starts or ends; names elsewhere in
        // the cloud must often start with a letter and not end with `-`.
        if let Some(first) = name
            .chars()
            .next()
            .filter(|c| c.is_ascii_digit() || *c == '-')
        {
            self.warn(
                path,
                format!(
                    "`{name}` starts with `{first}`; the service may want a lowercase letter first"
                ),
            );
        }
        if len > 1 && name.ends_with('-') {
            self.warn(
                path,
                format!("`{name}` ends with `-`; the service may refuse that"),
            );
        }
        if len > NAME_NEWER_MAX && len <= 64 {
            self.warn(
                path,
                format!(
                    "`{name}` has {len} characters; the newer API edition allows at most {NAME_NEWER_MAX}, \
                     so some regions may refuse it"
                ),
            );
        }
    }

    fn spec(&mut self, spec: &PoolSpecCreation) {
        let logical = spec.pool_type.as_deref() == Some("Logical");
        match spec.pool_type.as_deref() {
            None => self.error(
                &p("spec.type"),
                "required: `Dedicate` (physical) or `Logical` (or pass --type)",
            ),
            Some(t) if !POOL_TYPES.contains(&t) => {
                self.error(&p("spec.type"), one_of(t, &POOL_TYPES))
            }
            _ => {}
        }
        self.scope(spec, logical);
        self.network(spec, logical);
        match spec.resources.as_deref() {
            None | Some([]) => self.error(
                &p("spec.resources"),
                "at least one resource is needed (a flavor and a count; or pass --flavor and --count)",
            ),
            Some(resources) => self.resources(resources, logical),
        }
        self.cidrs(spec);
        if let Some(d) = &spec.driver {
            self.enum_value(
                &p("spec.driver.updateStrategy"),
                &d.update_strategy,
                &UPDATE_STRATEGIES,
            );
        }
        if let Some(password) = spec.user_login.as_ref().and_then(|u| u.password.as_deref()) {
            // A secret: say nothing of what it holds, not even one character.
            let path = p("spec.userLogin.password");
            match base64_doubt(password) {
                Ok(None) => {}
                Ok(Some(doubt)) => self.warn(
                    &path,
                    format!("the value (secret, not shown) {doubt}; the service may refuse it (sent as written)"),
                ),
                Err(_) => self.error(
                    &path,
                    "is not valid Base64 (the value is secret and not shown); encode the salted, encrypted password with Base64",
                ),
            }
        }
    }

    fn scope(&mut self, spec: &PoolSpecCreation, logical: bool) {
        let Some(scope) = &spec.scope else { return };
        let mut seen = HashSet::new();
        for (i, s) in scope.iter().enumerate() {
            let path = p("spec.scope").index(i);
            if !SCOPES.contains(&s.as_str()) {
                self.error(&path, one_of(s, &SCOPES));
            } else if !seen.insert(s.as_str()) {
                // DESIGN.md §4's catalogue: a job type is enabled once.
                self.error(
                    &path,
                    format!("`{s}` is listed twice; list each job type once"),
                );
            }
        }
        if logical && !scope.is_empty() {
            self.warn(
                &p("spec.scope"),
                "scope cannot be specified for logical pools (API reference); the service may refuse or ignore it",
            );
        }
    }

    fn network(&mut self, spec: &PoolSpecCreation, logical: bool) {
        if logical {
            if spec.network.is_some() {
                self.error(
                    &p("spec.network"),
                    "a logical pool must not set a network; remove it",
                );
            }
            if spec.masters.is_some() {
                self.error(
                    &p("spec.masters"),
                    "a logical pool must not set masters; remove them",
                );
            }
            return;
        }
        let Some(net) = &spec.network else {
            if spec.pool_type.as_deref() == Some("Dedicate") {
                self.error(
                    &p("spec.network"),
                    "a physical (Dedicate) pool needs a network: set spec.network.name (or pass --network), \
                     or vpcId and subnetId for a privileged pool",
                );
            }
            return;
        };
        if let Some(name) = &net.name {
            let len = name.chars().count();
            if !(4..=128).contains(&len) {
                self.error(
                    &p("spec.network.name"),
                    format!("`{name}` has {len} characters; a network name has 4 to 128"),
                );
            }
        }
        match (&net.vpc_id, &net.subnet_id) {
            (Some(_), None) => self.error(
                &p("spec.network.vpcId"),
                "vpcId needs subnetId: a privileged pool sets both",
            ),
            (None, Some(_)) => self.error(
                &p("spec.network.subnetId"),
                "subnetId needs vpcId: a privileged pool sets both",
            ),
            (None, None) if net.name.is_none() => self.error(
                &p("spec.network"),
                "needs name (or pass --network), or vpcId and subnetId for a privileged pool",
            ),
            _ => {}
        }
    }

    fn resources(&mut self, resources: &[PoolResource], logical: bool) {
        let mut flavors: HashMap<&str, usize> = HashMap::new();
        for (i, r) in resources.iter().enumerate() {
            let base = p("spec.resources").index(i);
            match r.flavor.as_deref().map(str::trim) {
                None | Some("") => self.error(
                    &base.key("flavor"),
                    "required: a resource flavor, e.g. modelarts.vm.cpu.8ud",
                ),
                Some(f) => {
                    // DESIGN.md §4's catalogue: two entries of one flavor
                    // give it two counts, which cannot both hold.
                    if let Some(first) = flavors.insert(f, i) {
                        self.error(
                            &base.key("flavor"),
                            format!("`{f}` is already used by spec.resources[{first}]; give each flavor once, with its whole count"),
                        );
                    }
                }
            }
            match r.count {
                None => self.error(
                    &base.key("count"),
                    "required: the number of nodes (at least 1)",
                ),
                // DESIGN.md §4's catalogue: a resource without nodes
                // creates nothing.
                Some(c) if c < 1 => self.error(&base.key("count"), format!("{c} is below 1")),
                _ => {}
            }
            if let (Some(count), Some(max)) = (r.count, r.max_count) {
                if !logical && max != count {
                    self.error(
                        &base.key("maxCount"),
                        format!("{max} differs from count ({count}); in a physical pool maxCount equals count"),
                    );
                } else if logical && max < count {
                    self.error(
                        &base.key("maxCount"),
                        format!("{max} is below count ({count})"),
                    );
                }
            }
            self.azs(&base, r);
            self.tags(&base, r);
            self.extend_params(&base, r);
            self.creating_step(&base, r);
            self.volumes(&base, r);
        }
    }

    fn azs(&mut self, base: &FieldPath, r: &PoolResource) {
        let Some(azs) = &r.azs else { return };
        let mut sum: i64 = 0;
        for (j, az) in azs.iter().enumerate() {
            let path = base.key("azs").index(j);
            if az.az.as_deref().is_none_or(|a| a.trim().is_empty()) {
                self.error(&path.key("az"), "required: the AZ name");
            }
            match az.count {
                None => self.error(&path.key("count"), "required: nodes in this AZ (1 to 2000)"),
                Some(c) if !(1..=2000).contains(&c) => {
                    self.error(&path.key("count"), format!("{c} is outside 1 to 2000"))
                }
                Some(c) => sum = sum.saturating_add(c),
            }
        }
        // DESIGN.md §4's catalogue: more nodes placed in AZs than the
        // resource has cannot be.
        if let Some(count) = r.count {
            if sum > count {
                self.error(
                    &base.key("azs"),
                    format!("the AZ counts add up to {sum}, more than count ({count})"),
                );
            }
        }
    }

    fn tags(&mut self, base: &FieldPath, r: &PoolResource) {
        let Some(tags) = &r.tags else { return };
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (j, tag) in tags.iter().enumerate() {
            let path = base.key("tags").index(j);
            match tag.key.as_deref() {
                None | Some("") => self.error(&path.key("key"), "required: the tag key"),
                Some(k) => {
                    if let Some(prefix) = ["CCE-", "__type_baremetal"]
                        .into_iter()
                        .find(|pre| k.starts_with(pre))
                    {
                        self.error(
                            &path.key("key"),
                            format!("`{k}` starts with `{prefix}`, which is reserved"),
                        );
                    }
                    // DESIGN.md §4's catalogue: a key holds one value.
                    if let Some(first) = seen.insert(k, j) {
                        self.error(
                            &path.key("key"),
                            format!("`{k}` repeats tags[{first}]; a tag key takes one value"),
                        );
                    }
                }
            }
            if tag.value.is_none() {
                self.error(&path.key("value"), "required: the tag value");
            }
        }
    }

    fn extend_params(&mut self, base: &FieldPath, r: &PoolResource) {
        let Some(ep) = &r.extend_params else { return };
        let path = base.key("extendParams");
        if let Some(script) = &ep.post_install {
            match base64_doubt(script) {
                Ok(None) => {}
                Ok(Some(doubt)) => self.warn(
                    &path.key("postInstall"),
                    format!("{doubt}; the service may refuse it (sent as written)"),
                ),
                Err(why) => self.error(
                    &path.key("postInstall"),
                    format!("is not valid Base64: {why}; encode the script, e.g. `base64 -w0 script.sh`"),
                ),
            }
        }
        // The older edition's free map takes any key, so a misspelt known
        // one would pass silently.
        for key in ep.other.keys() {
            if let Some(near) = suggest(key, &["dockerBaseSize", "postInstall"]) {
                self.warn(
                    &path.key(key),
                    format!("not a known setting, did you mean `{near}`? (sent as it is)"),
                );
            }
        }
        // DESIGN.md §4's catalogue: a size of whole units.
        if let Some(size) = &ep.docker_base_size {
            if positive_int(size.as_str()).is_none() {
                self.error(
                    &path.key("dockerBaseSize"),
                    format!("`{}` is not a positive whole number", size.as_str()),
                );
            }
        }
    }

    fn creating_step(&mut self, base: &FieldPath, r: &PoolResource) {
        let Some(cs) = &r.creating_step else { return };
        let path = base.key("creatingStep");
        self.enum_value(&path.key("type"), &cs.step_type, &STEP_TYPES);
        // DESIGN.md §4's catalogue: nodes come in batches of `step`, so a
        // count that is not a whole number of batches cannot be made.
        match cs.step {
            Some(step) if step < 1 => self.error(&path.key("step"), format!("{step} is below 1")),
            Some(step) => {
                for (name, value) in [("count", r.count), ("maxCount", r.max_count)] {
                    if let Some(v) = value.filter(|v| v % step != 0) {
                        self.error(
                            &base.key(name),
                            format!("{v} is not a multiple of creatingStep.step ({step})"),
                        );
                    }
                }
            }
            None => {}
        }
    }

    fn volumes(&mut self, base: &FieldPath, r: &PoolResource) {
        if let Some(root) = &r.root_volume {
            let path = base.key("rootVolume");
            self.volume_type(&path, &root.volume_type);
            self.volume_size(&path, root.size.as_ref().map(|s| s.as_str()));
        }
        let mut groups: Vec<&str> = Vec::new();
        let data = r.data_volumes.as_deref().unwrap_or_default();
        for (j, dv) in data.iter().enumerate() {
            let path = base.key("dataVolumes").index(j);
            self.volume_type(&path, &dv.volume_type);
            self.volume_size(&path, dv.size.as_ref().map(|s| s.as_str()));
            match dv.count {
                // Fewer than no disks cannot be.
                Some(c) if c < 0 => self.error(
                    &path.key("count"),
                    format!("{c} is negative; a number of disks is 0 or more"),
                ),
                Some(0) => self.warn(
                    &path.key("count"),
                    "0 disks; the service may refuse it (remove the entry for no disk)",
                ),
                _ => {}
            }
            let group_path = path.key("extendParams").key("volumeGroup");
            match dv
                .extend_params
                .as_ref()
                .and_then(|e| e.volume_group.as_deref())
            {
                None => self.error(
                    &group_path,
                    "required: the volume group, e.g. vgpaas or vguser1",
                ),
                Some(g) if !is_volume_group(g) => self.error(&group_path, not_a_volume_group(g)),
                Some(g) => groups.push(g),
            }
        }
        let configs = r.volume_group_configs.as_deref().unwrap_or_default();
        if !data.is_empty() && configs.is_empty() {
            self.error(
                &base.key("volumeGroupConfigs"),
                format!(
                    "required when dataVolumes exist; they use {}",
                    groups.join(", ")
                ),
            );
        }
        for (j, cfg) in configs.iter().enumerate() {
            let path = base.key("volumeGroupConfigs").index(j);
            let local = cfg
                .types
                .as_ref()
                .is_some_and(|t| t.iter().any(|t| t == "local"));
            match cfg.volume_group.as_deref() {
                None => self.error(
                    &path.key("volumeGroup"),
                    "required: a volume group used in dataVolumes",
                ),
                // The newer edition's list of groups holds whatever the types.
                Some(g) if !is_volume_group(g) => {
                    self.error(&path.key("volumeGroup"), not_a_volume_group(g))
                }
                // Local disks are not listed in dataVolumes, so their groups can't be either.
                Some(g) if !groups.contains(&g) && !local => self.error(
                    &path.key("volumeGroup"),
                    if groups.is_empty() {
                        format!("`{g}` is not used by any dataVolumes entry (there are none)")
                    } else {
                        format!(
                            "`{g}` is not used by any dataVolumes entry; they use {}",
                            groups.join(", ")
                        )
                    },
                ),
                _ => {}
            }
            if let Some(t) = cfg.docker_thin_pool {
                // The newer edition: a percentage; DESIGN.md §4's
                // catalogue: of 1 to 100, as 0 leaves containers no disk.
                if !(1..=100).contains(&t) {
                    self.error(
                        &path.key("dockerThinPool"),
                        format!("{t} is outside 1 to 100 (a percentage)"),
                    );
                }
                if cfg.volume_group.as_deref() != Some("vgpaas") {
                    self.error(
                        &path.key("dockerThinPool"),
                        "only the vgpaas volume group takes dockerThinPool",
                    );
                }
            }
            if let Some(lvm) = &cfg.lvm_config {
                let lp = path.key("lvmConfig");
                match &lvm.lv_type {
                    None => self.error(&lp.key("lvType"), "required: `linear` or `striped`"),
                    v => self.enum_value(&lp.key("lvType"), v, &LV_TYPES),
                }
                if let Some(dir) = &lvm.path {
                    if !dir.starts_with('/') {
                        self.error(&lp.key("path"), format!("`{dir}` is not an absolute path"));
                    } else if let Some(bad) = dir
                        .chars()
                        .find(|c| !(c.is_ascii_alphanumeric() || "._/-".contains(*c)))
                    {
                        self.error(&lp.key("path"), format!("`{dir}` holds `{bad}`; a path has only letters, digits, `.`, `_`, `-` and `/`"));
                    }
                }
            }
            for (k, t) in cfg.types.iter().flatten().enumerate() {
                if !STORAGE_TYPES.contains(&t.as_str()) {
                    self.error(&path.key("types").index(k), one_of(t, &STORAGE_TYPES));
                }
            }
        }
    }

    fn volume_type(&mut self, path: &FieldPath, v: &Option<String>) {
        match v {
            None => self.error(&path.key("volumeType"), "required: SSD, GPSSD or SAS"),
            v => self.enum_value(&path.key("volumeType"), v, &VOLUME_TYPES),
        }
    }

    fn volume_size(&mut self, path: &FieldPath, size: Option<&str>) {
        match size {
            None => self.error(&path.key("size"), "required: the size in GiB"),
            Some(s) if positive_int(s).is_none() => self.error(
                &path.key("size"),
                format!("`{s}` is not a positive whole number of GiB"),
            ),
            _ => {}
        }
    }

    /// A CIDR block, as both editions ask. Host bits set are a warning: the
    /// block is plain, and only our reading says the service refuses them.
    fn cidr(&mut self, path: &FieldPath, text: &str) -> Option<Cidr> {
        match parse_cidr_loose(text) {
            Ok((net, host_bits)) => {
                if host_bits {
                    self.warn(
                        path,
                        format!(
                            "`{text}` has host bits set; did you mean {net}? (sent as written)"
                        ),
                    );
                }
                Some(net)
            }
            Err(why) => {
                self.error(path, why);
                None
            }
        }
    }

    fn cidrs(&mut self, spec: &PoolSpecCreation) {
        let container_path = p("spec.containerNetwork.cidr");
        let service_path = p("spec.kubernetesSvcIpRange");
        let container = spec
            .container_network
            .as_ref()
            .and_then(|c| c.cidr.as_deref());
        let container = container.and_then(|c| self.cidr(&container_path, c));
        let service = spec
            .kubernetes_svc_ip_range
            .as_deref()
            .and_then(|c| self.cidr(&service_path, c));
        if let (Some(c), Some(s)) = (&container, &service) {
            if c.overlaps(s) {
                self.error(
                    &service_path,
                    format!(
                        "{s} overlaps the container network {c}; pick ranges that do not overlap"
                    ),
                );
            }
        }
        if let Some(c) = &container {
            if !c.is_recommended_container_range() {
                self.warn(
                    &container_path,
                    format!("{c} is outside the recommended container ranges 10.0.0.0/12-19, 172.16.0.0/16-19, 192.168.0.0/16-19"),
                );
            }
        }
    }
}

/// The documented key that `key` narrowly misses: a near spelling in the
/// `os.modelarts/` namespace (`workspace_id`, `nmae`, `Name`), or a
/// documented key in a misspelt namespace (`os.modelart/name`). Keys are
/// case-sensitive, so a difference of case is a miss too.
fn near_miss<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    if known.contains(&key) {
        return None;
    }
    let (namespace, rest) = key.split_once('/')?;
    let rests: Vec<&str> = known
        .iter()
        .filter_map(|k| k.strip_prefix(NAMESPACE)?.strip_prefix('/'))
        .collect();
    let near = if namespace == NAMESPACE {
        suggest(rest, &rests)?
    } else if suggest(namespace, &[NAMESPACE]).is_some() {
        // Another namespace may well be meant; only a documented key in it says not.
        rests.iter().copied().find(|r| *r == rest)?
    } else {
        return None;
    };
    known
        .iter()
        .copied()
        .find(|k| k.strip_prefix(NAMESPACE).and_then(|r| r.strip_prefix('/')) == Some(near))
}

fn positive_int(s: &str) -> Option<u64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse::<u64>().ok())
        .flatten()
        .filter(|n| *n > 0)
}

/// The newer edition's volume groups: four fixed names and `vguser{num}`,
/// any number (`vguser0` too).
fn is_volume_group(g: &str) -> bool {
    FIXED_VOLUME_GROUPS.contains(&g)
        || g.strip_prefix("vguser")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn not_a_volume_group(g: &str) -> String {
    let list = "vgpaas, default, vguser<N>, vg-everest-localvolume-persistent or vg-everest-localvolume-ephemeral";
    match suggest(g, &FIXED_VOLUME_GROUPS) {
        Some(near) => format!("`{g}` is not a volume group: {list}; did you mean `{near}`?"),
        None => format!("`{g}` is not a volume group: {list}"),
    }
}

/// What a value that is Base64 may still hold that the service may refuse:
/// `Ok(None)` for none, `Ok(Some(doubt))`, or `Err(why)` when it is no
/// Base64 at all. Line breaks are what `base64` writes by default (every 76
/// characters) and MIME allows, so only a warning; an empty value encodes
/// nothing, which is Base64 too.
pub fn base64_doubt(s: &str) -> Result<Option<&'static str>, String> {
    if s.is_empty() {
        return Ok(Some("is empty"));
    }
    if !s.contains(['\n', '\r']) {
        return check_base64(s).map(|()| None);
    }
    let joined: String = s.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
    check_base64(&joined).map(|()| {
        Some("holds line breaks, as `base64` writes by default (`base64 -w0` writes none)")
    })
}

/// Standard Base64 with `=` padding, as the API decodes it.
pub fn check_base64(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("it is empty".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+/=".contains(*c)))
    {
        let shown = if c.is_whitespace() {
            "white space".to_string()
        } else {
            format!("`{c}`")
        };
        return Err(format!("{shown} is not a Base64 character"));
    }
    if !s.len().is_multiple_of(4) {
        return Err(format!("its length ({}) is not a multiple of 4", s.len()));
    }
    let body = s.trim_end_matches('=');
    if s.len() - body.len() > 2 || body.contains('=') {
        return Err("`=` may only pad the end, at most twice".into());
    }
    Ok(())
}

/// An IPv4 or IPv6 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: u128,
    prefix: u8,
    v6: bool,
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.v6 {
            write!(f, "{}/{}", std::net::Ipv6Addr::from(self.addr), self.prefix)
        } else {
            write!(
                f,
                "{}/{}",
                std::net::Ipv4Addr::from(self.addr as u32),
                self.prefix
            )
        }
    }
}

impl Cidr {
    fn bits(&self) -> u8 {
        if self.v6 {
            128
        } else {
            32
        }
    }

    fn mask(prefix: u8, bits: u8) -> u128 {
        if prefix == 0 {
            0
        } else {
            (u128::MAX << (128 - u32::from(prefix))) >> (128 - u32::from(bits))
        }
    }

    pub fn contains(&self, other: &Cidr) -> bool {
        self.v6 == other.v6
            && other.prefix >= self.prefix
            && (other.addr & Self::mask(self.prefix, self.bits())) == self.addr
    }

    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }

    fn is_recommended_container_range(&self) -> bool {
        [("10.0.0.0", 12u8), ("172.16.0.0", 16), ("192.168.0.0", 16)]
            .iter()
            .any(|(base, min)| {
                parse_cidr(&format!("{base}/{min}"))
                    .is_ok_and(|b| b.contains(self) && self.prefix <= 19)
            })
    }
}

/// A CIDR block with no host bits set.
pub fn parse_cidr(text: &str) -> Result<Cidr, String> {
    match parse_cidr_loose(text)? {
        (cidr, false) => Ok(cidr),
        (cidr, true) => Err(format!("`{text}` has host bits set; did you mean {cidr}?")),
    }
}

/// A CIDR block, and whether its address had host bits set (they are
/// dropped from the block returned).
pub fn parse_cidr_loose(text: &str) -> Result<(Cidr, bool), String> {
    let bad = || format!("`{text}` is not a CIDR block like 172.16.0.0/16");
    let (ip, prefix) = text.trim().split_once('/').ok_or_else(bad)?;
    let ip: IpAddr = ip.parse().map_err(|_| bad())?;
    let prefix: u8 = prefix.parse().map_err(|_| bad())?;
    let (addr, v6) = match ip {
        IpAddr::V4(a) => (u128::from(u32::from(a)), false),
        IpAddr::V6(a) => (u128::from(a), true),
    };
    let bits = if v6 { 128 } else { 32 };
    if prefix > bits {
        return Err(format!("`{text}`: the prefix length is above {bits}"));
    }
    let network = addr & Cidr::mask(prefix, bits);
    let cidr = Cidr {
        addr: network,
        prefix,
        v6,
    };
    Ok((cidr, network != addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert!(check_base64("ZWNobyBoaQ==").is_ok());
        assert!(check_base64("YWJj").is_ok());
        assert!(check_base64("").is_err());
        assert!(check_base64("abc").unwrap_err().contains("multiple of 4"));
        assert!(check_base64("ab c").unwrap_err().contains("white space"));
        assert!(check_base64("a=bc").is_err());
        assert!(check_base64("a===").is_err());
        assert!(check_base64("echo hi!").is_err());
        assert_eq!(base64_doubt("ZWNobyBoaQ=="), Ok(None));
        assert_eq!(base64_doubt(""), Ok(Some("is empty")));
        assert!(base64_doubt("ZWNo\nbyBoaQ==\n")
            .unwrap()
            .unwrap()
            .contains("line breaks"));
        assert!(base64_doubt("ZWNo\r\nbyBoaQ==").unwrap().is_some());
        assert!(base64_doubt("ZWNo byBoaQ==")
            .unwrap_err()
            .contains("white space"));
        assert!(base64_doubt("ZWN\nbyBoaQ==")
            .unwrap_err()
            .contains("multiple of 4"));
    }

    #[test]
    fn near_misses_of_documented_keys() {
        let near = |k| near_miss(k, &LABEL_KEYS);
        assert_eq!(
            near("os.modelarts/workspace_id"),
            Some("os.modelarts/workspace.id")
        );
        assert_eq!(near("os.modelarts/nmae"), Some("os.modelarts/name"));
        assert_eq!(near("os.modelarts/Name"), Some("os.modelarts/name"));
        assert_eq!(near("os.modelart/sharing"), Some("os.modelarts/sharing"));
        assert_eq!(near("os.modelarts/name"), None);
        assert_eq!(near("os.modelarts/tenant.project.id"), None);
        assert_eq!(near("os.modelarts/gpu.topology"), None);
        assert_eq!(near("app.kubernetes.io/name"), None);
        assert_eq!(near("os.modelart/team"), None);
        assert_eq!(near("team"), None);
    }

    #[test]
    fn cidrs() {
        let a = parse_cidr("172.16.0.0/16").unwrap();
        let b = parse_cidr("172.16.128.0/17").unwrap();
        let c = parse_cidr("10.247.0.0/16").unwrap();
        assert!(a.overlaps(&b) && b.overlaps(&a));
        assert!(!a.overlaps(&c));
        assert!(parse_cidr("172.16.0.1/16")
            .unwrap_err()
            .contains("did you mean 172.16.0.0/16"));
        assert!(parse_cidr("300.1.1.1/8").is_err());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("10.0.0.0").is_err());
        assert!(a.is_recommended_container_range());
        assert!(parse_cidr("10.0.0.0/12")
            .unwrap()
            .is_recommended_container_range());
        assert!(!parse_cidr("10.0.0.0/20")
            .unwrap()
            .is_recommended_container_range());
        assert!(!parse_cidr("10.16.0.0/16")
            .unwrap()
            .is_recommended_container_range());
        assert!(!c.is_recommended_container_range());
        assert!(parse_cidr("fd00::/64").is_ok());
        assert_eq!(parse_cidr_loose("172.16.0.1/16").unwrap(), (a, true));
        assert_eq!(parse_cidr_loose("172.16.0.0/16").unwrap(), (a, false));
        assert_eq!(parse_cidr("0.0.0.0/0").unwrap().to_string(), "0.0.0.0/0");
    }

    #[test]
    fn volume_groups() {
        for ok in [
            "vgpaas",
            "default",
            "vguser1",
            "vguser12",
            "vg-everest-localvolume-ephemeral",
        ] {
            assert!(is_volume_group(ok), "{ok}");
        }
        assert!(is_volume_group("vguser0"));
        for bad in ["vguser", "vguser-1", "vguserx", "VGPAAS", "vg"] {
            assert!(!is_volume_group(bad), "{bad}");
        }
    }
}
