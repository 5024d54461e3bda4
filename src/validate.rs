//! The rule catalogue of DESIGN.md §4, over both editions of the reference.
//! Every problem is reported at once, each at its field path; errors stop the
//! request, warnings do not. `docs/manifest.md` lists the same rules.

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

/// Every diagnostic of one document: what reading it found, then the rules,
/// errors first, each group in source order.
pub fn validate(doc: &Document) -> Vec<Diagnostic> {
    let mut v = Checker {
        doc,
        out: doc.reading_diagnostics(),
    };
    v.request(&doc.request);
    let mut out = v.out;
    out.sort_by_key(|d| (d.severity, position_key(d)));
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
        }
        if let Some(ann) = req.metadata.as_ref().and_then(|m| m.annotations.as_ref()) {
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

    fn pool_name(&mut self, path: &FieldPath, name: &str) {
        let len = name.chars().count();
        if !(4..=64).contains(&len) {
            self.error(
                path,
                format!("`{name}` has {len} characters; a pool name has 4 to 64"),
            );
        }
        if let Some(bad) = name
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            self.error(
                path,
                format!("`{name}` holds `{bad}`; a pool name has only lowercase letters, digits and `-`"),
            );
        }
        if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
            self.error(path, format!("`{name}` must start with a lowercase letter"));
        }
        if name.ends_with('-') {
            self.error(path, format!("`{name}` must not end with `-`"));
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
            if check_base64(password).is_err() {
                // A secret: say nothing of what it holds, not even one character.
                self.error(
                    &p("spec.userLogin.password"),
                    "is not valid Base64 (the value is secret and not shown); encode the salted, encrypted password with Base64",
                );
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
                self.error(&path, format!("`{s}` is listed twice"));
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
                    if let Some(first) = flavors.insert(f, i) {
                        self.error(
                            &base.key("flavor"),
                            format!("`{f}` is already used by spec.resources[{first}]; a flavor appears once per pool"),
                        );
                    }
                }
            }
            match r.count {
                None => self.error(
                    &base.key("count"),
                    "required: the number of nodes (at least 1)",
                ),
                Some(c) if c < 1 => self.error(
                    &base.key("count"),
                    format!("{c} is below 1; a resource has at least one node"),
                ),
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
                    if let Some(first) = seen.insert(k, j) {
                        self.error(
                            &path.key("key"),
                            format!("`{k}` repeats tags[{first}]; tag keys are unique"),
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
            if let Err(why) = check_base64(script) {
                self.error(&path.key("postInstall"), format!("is not valid Base64: {why}; encode the script, e.g. `base64 -w0 script.sh`"));
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
            if let Some(c) = dv.count.filter(|c| *c < 1) {
                self.error(&path.key("count"), format!("{c} is below 1"));
            }
            let group_path = path.key("extendParams").key("volumeGroup");
            match dv.extend_params.as_ref().and_then(|e| e.volume_group.as_deref()) {
                None => self.error(&group_path, "required: the volume group, e.g. vgpaas or vguser1"),
                Some(g) if !is_volume_group(g) => self.error(
                    &group_path,
                    format!("`{g}` is not a volume group: vgpaas, default, vguser<N>, vg-everest-localvolume-persistent or vg-everest-localvolume-ephemeral"),
                ),
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

    fn cidrs(&mut self, spec: &PoolSpecCreation) {
        let container_path = p("spec.containerNetwork.cidr");
        let service_path = p("spec.kubernetesSvcIpRange");
        let container = spec
            .container_network
            .as_ref()
            .and_then(|c| c.cidr.as_deref());
        let container = container.and_then(|c| match parse_cidr(c) {
            Ok(net) => Some(net),
            Err(why) => {
                self.error(&container_path, why);
                None
            }
        });
        let service = spec
            .kubernetes_svc_ip_range
            .as_deref()
            .and_then(|c| match parse_cidr(c) {
                Ok(net) => Some(net),
                Err(why) => {
                    self.error(&service_path, why);
                    None
                }
            });
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

fn positive_int(s: &str) -> Option<u64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse::<u64>().ok())
        .flatten()
        .filter(|n| *n > 0)
}

fn is_volume_group(g: &str) -> bool {
    FIXED_VOLUME_GROUPS.contains(&g)
        || g.strip_prefix("vguser").is_some_and(|n| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0')
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

pub fn parse_cidr(text: &str) -> Result<Cidr, String> {
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
    if network != addr {
        return Err(format!("`{text}` has host bits set; did you mean {cidr}?"));
    }
    Ok(cidr)
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
        for bad in ["vguser", "vguser0", "vguserx", "VGPAAS", "vg"] {
            assert!(!is_volume_group(bad), "{bad}");
        }
    }
}
