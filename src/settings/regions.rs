//! Where a region's ModelArts endpoint is, as the official SDK looks for it
//! (huaweicloudsdkcore/region/provider.py and cache.py), first that has it:
//!
//! 1. `HUAWEICLOUD_SDK_REGION_MODELARTS_<ID>`, the region id upper-cased
//!    with `-` as `_` (`cn-north-4` → `..._CN_NORTH_4`): one endpoint, or
//!    several separated by commas.
//! 2. The regions file: `$HUAWEICLOUD_SDK_REGIONS_FILE` if set, else
//!    `~/.huaweicloud/regions.yaml`. YAML, a list of regions per service,
//!    the service's key in any case:
//!    ```yaml
//!    modelarts:
//!      - id: cn-north-4
//!        endpoint: https://modelarts.cn-north-4.example.com
//!      - id: my-region-1
//!        endpoints: [https://a.example.com, https://b.example.com]
//!    ```
//!    `endpoints` come first, then `endpoint`. A region without an `id` or
//!    without an endpoint is passed over; the last of one id wins.
//! 3. The built-in table ([`crate::auth::endpoints`]).
//!
//! As in the SDK, an endpoint without a scheme gets `https://`, and the
//! endpoints after the first are tried in turn when the one before cannot
//! be reached. The file is read only when the variable does not answer; it
//! is bounded ([`MAX_FILE_BYTES`]), and a malformed one is a usage error at
//! its line (exit 2), even when it is the SDK that would pass over it
//! silently: a file that says something poolctl cannot read should not
//! send requests elsewhere without a word.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{env_value, Env};
use crate::error::Error;
use crate::manifest::node::{Node, NodeValue};

/// Names the regions file instead of `~/.huaweicloud/regions.yaml`.
pub const ENV_REGIONS_FILE: &str = "HUAWEICLOUD_SDK_REGIONS_FILE";
/// The variables of a region's endpoints: this, then the region id.
pub const ENV_REGION_PREFIX: &str = "HUAWEICLOUD_SDK_REGION_MODELARTS_";
/// The service's key in the regions file, compared upper-cased as the SDK does.
const SERVICE: &str = "MODELARTS";
/// A regions file larger than this is refused rather than read.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Where the endpoint came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointSource {
    /// `--endpoint`.
    Flag,
    /// `POOLCTL_ENDPOINT`.
    Environment,
    /// `HUAWEICLOUD_SDK_REGION_MODELARTS_<ID>`, this one.
    RegionVariable(String),
    /// The regions file, at this line.
    RegionsFile { path: PathBuf, line: u64 },
    /// The built-in region table.
    Table,
    /// `--emulator`.
    Emulator,
}

impl fmt::Display for EndpointSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointSource::Flag => f.write_str("--endpoint"),
            EndpointSource::Environment => f.write_str("POOLCTL_ENDPOINT"),
            EndpointSource::RegionVariable(name) => f.write_str(name),
            EndpointSource::RegionsFile { path, line } => write!(f, "{}:{line}", path.display()),
            EndpointSource::Table => f.write_str("the region table"),
            EndpointSource::Emulator => f.write_str("--emulator"),
        }
    }
}

/// A region's endpoints, first to try first, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionEndpoints {
    pub endpoints: Vec<String>,
    pub source: EndpointSource,
}

/// `HUAWEICLOUD_SDK_REGION_MODELARTS_<ID>` of a region id.
pub fn variable_of(region: &str) -> String {
    format!(
        "{ENV_REGION_PREFIX}{}",
        region.replace('-', "_").to_ascii_uppercase()
    )
}

/// The path of the regions file: `$HUAWEICLOUD_SDK_REGIONS_FILE`, else
/// `~/.huaweicloud/regions.yaml` (None without a home directory).
pub fn regions_file_path(env: Env<'_>, home: Option<&Path>) -> Option<PathBuf> {
    match env_value(env, ENV_REGIONS_FILE) {
        Some(p) => Some(PathBuf::from(p)),
        None => home.map(|h| h.join(".huaweicloud").join("regions.yaml")),
    }
}

/// The endpoints of `region` from the variable or the regions file;
/// `Ok(None)` when neither has it, with what was looked at added to
/// `looked_at` (and the ids the file has, to suggest).
pub fn lookup(
    region: &str,
    env: Env<'_>,
    home: Option<&Path>,
    looked_at: &mut Vec<String>,
    file_ids: &mut Vec<String>,
) -> Result<Option<RegionEndpoints>, Error> {
    let var = variable_of(region);
    if let Some(value) = env_value(env, &var) {
        let endpoints = value
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|e| endpoint_url(&var, e))
            .collect::<Result<Vec<_>, _>>()?;
        if !endpoints.is_empty() {
            return Ok(Some(RegionEndpoints {
                endpoints,
                source: EndpointSource::RegionVariable(var),
            }));
        }
    }
    looked_at.push(format!("{var} (not set)"));

    let Some(path) = regions_file_path(env, home) else {
        looked_at.push(format!(
            "~/.huaweicloud/regions.yaml (no home directory; {ENV_REGIONS_FILE} not set)"
        ));
        return Ok(None);
    };
    let Some(text) = read_small_file(&path)? else {
        looked_at.push(format!("{} (not found)", path.display()));
        return Ok(None);
    };
    let regions = parse(&path, &text)?;
    file_ids.extend(regions.iter().map(|r| r.id.clone()));
    match regions.into_iter().rev().find(|r| r.id == region) {
        Some(r) => Ok(Some(RegionEndpoints {
            endpoints: r.endpoints,
            source: EndpointSource::RegionsFile { path, line: r.line },
        })),
        None => {
            looked_at.push(format!(
                "{} (no region {region} under modelarts)",
                path.display()
            ));
            Ok(None)
        }
    }
}

/// An endpoint as the SDK takes it: `https://` unless it names a scheme.
fn endpoint_url(from: &str, text: &str) -> Result<String, Error> {
    let lower = text.to_ascii_lowercase();
    let url = if lower.starts_with("http://") || lower.starts_with("https://") {
        text.to_string()
    } else {
        format!("https://{text}")
    };
    let parsed = reqwest::Url::parse(&url).ok();
    let fine = parsed.as_ref().is_some_and(|u| {
        u.host_str().is_some_and(|h| !h.is_empty())
            && u.username().is_empty()
            && u.password().is_none()
            && u.query().is_none()
            && u.fragment().is_none()
    });
    if !fine {
        return Err(Error::usage_hint(
            format!(
                "{from}: `{}` is not an endpoint URL",
                crate::redact::terminal(text)
            ),
            "write it like https://modelarts.cn-north-4.myhuaweicloud.com \
             (several: separated by commas)",
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// One region of the file's `modelarts` list.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileRegion {
    id: String,
    endpoints: Vec<String>,
    line: u64,
}

/// Bounds well above any regions file, far below what would hurt.
fn parse_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 100_000;
    budget.max_nodes = 50_000;
    budget.max_aliases = 100;
    budget.max_anchors = 100;
    budget.max_recorded_anchor_events = 10_000;
    budget.max_recorded_anchor_bytes = 1024 * 1024;
    budget.max_depth = 32;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES as usize;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// `path:line:column: message`, with the fix in the hint.
fn at(path: &Path, line: u64, column: u64, message: impl fmt::Display) -> Error {
    let place = match (line, column) {
        (0, _) => path.display().to_string(),
        (l, 0) => format!("{}:{l}", path.display()),
        (l, c) => format!("{}:{l}:{c}", path.display()),
    };
    Error::usage_hint(
        format!("{place}: {message}"),
        format!(
            "a regions file lists each service's regions, e.g.\n    modelarts:\n      \
             - id: cn-north-4\n        endpoint: https://modelarts.cn-north-4.myhuaweicloud.com\n  \
             fix it, or name another with {ENV_REGIONS_FILE}"
        ),
    )
}

/// The `modelarts` regions of a regions file; the other services' are not
/// looked at.
fn parse(path: &Path, text: &str) -> Result<Vec<FileRegion>, Error> {
    let root: Node = serde_saphyr::from_str_with_options(text, parse_options()).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = e.without_snippet().to_string();
        let first = message.lines().next().unwrap_or("not YAML").to_string();
        at(path, line, column, format!("not a regions file: {first}"))
    })?;
    let entries = match &root.value {
        NodeValue::Null => return Ok(Vec::new()),
        NodeValue::Map(entries) => entries,
        other => {
            return Err(at(
                path,
                root.pos.line,
                root.pos.column,
                format!(
                    "a regions file is a mapping of services, found {}",
                    other.kind()
                ),
            ))
        }
    };
    let mut regions = Vec::new();
    for (key, value) in entries {
        if key.name.to_ascii_uppercase() != SERVICE {
            continue;
        }
        let items = match &value.value {
            NodeValue::Null => continue,
            NodeValue::Seq(items) => items,
            other => {
                return Err(at(
                    path,
                    value.pos.line,
                    value.pos.column,
                    format!(
                        "`{}` is a list of regions (- id: ..., endpoint: ...), found {}",
                        key.name,
                        other.kind()
                    ),
                ))
            }
        };
        for item in items {
            if let Some(r) = region(path, &key.name, item)? {
                regions.push(r);
            }
        }
    }
    Ok(regions)
}

/// One entry of the list; None when the SDK would pass it over (no id, no
/// endpoint).
fn region(path: &Path, service: &str, item: &Node) -> Result<Option<FileRegion>, Error> {
    let NodeValue::Map(fields) = &item.value else {
        return Err(at(
            path,
            item.pos.line,
            item.pos.column,
            format!(
                "each region of `{service}` is a mapping (id, endpoint), found {}",
                item.value.kind()
            ),
        ));
    };
    let get = |name: &str| fields.iter().find(|(k, _)| k.name == name).map(|(_, v)| v);
    let string = |name: &str, node: &Node| match &node.value {
        NodeValue::Str(s) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        NodeValue::Null => Ok(None),
        other => Err(at(
            path,
            node.pos.line,
            node.pos.column,
            format!("`{name}` is text, found {}", other.kind()),
        )),
    };
    let Some(id) = get("id").map(|n| string("id", n)).transpose()?.flatten() else {
        return Ok(None);
    };
    let from = |node: &Node| format!("{}:{}", path.display(), node.pos.line);
    let mut endpoints = Vec::new();
    if let Some(list) = get("endpoints") {
        match &list.value {
            NodeValue::Null => {}
            NodeValue::Seq(items) => {
                for e in items {
                    if let Some(text) = string("endpoints", e)? {
                        endpoints.push(endpoint_url(&from(e), &text)?);
                    }
                }
            }
            other => {
                return Err(at(
                    path,
                    list.pos.line,
                    list.pos.column,
                    format!("`endpoints` is a list of URLs, found {}", other.kind()),
                ))
            }
        }
    }
    if let Some(node) = get("endpoint") {
        if let Some(text) = string("endpoint", node)? {
            endpoints.push(endpoint_url(&from(node), &text)?);
        }
    }
    Ok((!endpoints.is_empty()).then_some(FileRegion {
        id,
        endpoints,
        line: item.pos.line,
    }))
}

/// `Ok(None)` when the file does not exist. Over its bound, unreadable or
/// not UTF-8: a usage error (exit 2).
fn read_small_file(path: &Path) -> Result<Option<String>, Error> {
    let shown = path.display();
    let cannot = |e: std::io::Error| {
        Error::usage_hint(
            format!("cannot read the regions file {shown}: {e}"),
            format!("fix it, or name another with {ENV_REGIONS_FILE}"),
        )
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot(e)),
    };
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::usage_hint(
            format!("the regions file {shown} is larger than 1 MiB; this is not a regions file"),
            format!("point {ENV_REGIONS_FILE} at the SDK's regions.yaml"),
        ));
    }
    String::from_utf8(bytes).map(Some).map_err(|e| {
        Error::usage(format!(
            "the regions file {shown} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::tests::env_of;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn find(
        region: &str,
        env: Env<'_>,
        home: Option<&Path>,
    ) -> Result<Option<RegionEndpoints>, Error> {
        lookup(region, env, home, &mut Vec::new(), &mut Vec::new())
    }

    #[test]
    fn variable_names_are_the_sdks() {
        assert_eq!(
            variable_of("cn-north-4"),
            "HUAWEICLOUD_SDK_REGION_MODELARTS_CN_NORTH_4"
        );
        assert_eq!(
            variable_of("ap-southeast-1"),
            "HUAWEICLOUD_SDK_REGION_MODELARTS_AP_SOUTHEAST_1"
        );
    }

    #[test]
    fn the_variable_gives_one_or_several_endpoints() {
        let env = env_of(&[(
            "HUAWEICLOUD_SDK_REGION_MODELARTS_CN_NORTH_4",
            " modelarts.a.example.com , https://b.example.com/ ,, http://127.0.0.1:1",
        )]);
        let found = find("cn-north-4", &env, None).unwrap().unwrap();
        assert_eq!(
            found.endpoints,
            [
                "https://modelarts.a.example.com",
                "https://b.example.com",
                "http://127.0.0.1:1"
            ]
        );
        assert_eq!(
            found.source,
            EndpointSource::RegionVariable("HUAWEICLOUD_SDK_REGION_MODELARTS_CN_NORTH_4".into())
        );
        let env = env_of(&[(
            "HUAWEICLOUD_SDK_REGION_MODELARTS_CN_NORTH_4",
            "https://u:p@h/",
        )]);
        let err = find("cn-north-4", &env, None).unwrap_err();
        assert_eq!(err.exit_status().code(), 2);
        assert!(err.to_string().contains("CN_NORTH_4"), "{err}");
    }

    #[test]
    fn the_file_as_the_sdk_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "regions.yaml",
            "# comment\nECS:\n  - id: cn-north-4\n    endpoint: https://ecs.example.com\n\
             ModelArts:\n  - id: cn-north-4\n    endpoint: https://old.example.com\n  \
             - endpoint: https://no-id.example.com\n  - id: no-endpoint\n  \
             - id: cn-north-4\n    endpoints: [https://a.example.com, b.example.com]\n    \
             endpoint: https://c.example.com\n",
        );
        let env = env_of(&[(ENV_REGIONS_FILE, path.to_str().unwrap())]);
        let mut ids = Vec::new();
        let found = lookup("cn-north-4", &env, None, &mut Vec::new(), &mut ids)
            .unwrap()
            .unwrap();
        // The last of the id; `endpoints`, then `endpoint`.
        assert_eq!(
            found.endpoints,
            [
                "https://a.example.com",
                "https://b.example.com",
                "https://c.example.com"
            ]
        );
        assert_eq!(found.source, EndpointSource::RegionsFile { path, line: 10 });
        assert_eq!(ids, ["cn-north-4", "cn-north-4"]);
        let mut looked_at = Vec::new();
        assert_eq!(
            lookup("no-endpoint", &env, None, &mut looked_at, &mut Vec::new()).unwrap(),
            None
        );
        assert!(
            looked_at[1].contains("no region no-endpoint under modelarts"),
            "{looked_at:?}"
        );
    }

    #[test]
    fn the_variable_comes_before_the_file_and_the_file_before_home() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join(".huaweicloud")).unwrap();
        write(
            &home.path().join(".huaweicloud"),
            "regions.yaml",
            "modelarts:\n  - id: cn-north-4\n    endpoint: https://home.example.com\n",
        );
        let other = write(
            home.path(),
            "other.yaml",
            "modelarts:\n  - id: cn-north-4\n    endpoint: https://named.example.com\n",
        );
        let endpoint = |env: &[(&str, &str)]| {
            find("cn-north-4", &env_of(env), Some(home.path()))
                .unwrap()
                .unwrap()
                .endpoints[0]
                .clone()
        };
        assert_eq!(endpoint(&[]), "https://home.example.com");
        let named = [(ENV_REGIONS_FILE, other.to_str().unwrap())];
        assert_eq!(endpoint(&named), "https://named.example.com");
        let var = [
            (ENV_REGIONS_FILE, other.to_str().unwrap()),
            (
                "HUAWEICLOUD_SDK_REGION_MODELARTS_CN_NORTH_4",
                "https://var.example.com",
            ),
        ];
        assert_eq!(endpoint(&var), "https://var.example.com");
        // A file named but missing: not found, and home is not read either.
        let missing = [(ENV_REGIONS_FILE, "/nonexistent/regions.yaml")];
        let mut looked_at = Vec::new();
        let found = lookup(
            "cn-north-4",
            &env_of(&missing),
            Some(home.path()),
            &mut looked_at,
            &mut Vec::new(),
        )
        .unwrap();
        assert_eq!(found, None);
        assert_eq!(
            looked_at,
            [
                "HUAWEICLOUD_SDK_REGION_MODELARTS_CN_NORTH_4 (not set)",
                "/nonexistent/regions.yaml (not found)"
            ]
        );
    }

    #[test]
    fn malformed_files_are_named_at_their_line() {
        let dir = tempfile::tempdir().unwrap();
        for (text, expected) in [
            ("modelarts:\n  - id: [cn-north-4\n", "regions.yaml:"),
            (
                "- a\n- b\n",
                "regions.yaml:1:1: a regions file is a mapping of services, found a list",
            ),
            (
                "modelarts:\n  id: cn-north-4\n",
                "regions.yaml:2:3: `modelarts` is a list of regions",
            ),
            (
                "modelarts:\n  - cn-north-4\n",
                "regions.yaml:2:5: each region of `modelarts` is a mapping",
            ),
            (
                "modelarts:\n  - id: 4\n    endpoint: https://x\n",
                "regions.yaml:2:9: `id` is text, found an integer",
            ),
            (
                "modelarts:\n  - id: a\n    endpoints: https://x\n",
                "regions.yaml:3:16: `endpoints` is a list of URLs",
            ),
            (
                "modelarts:\n  - id: a\n    endpoint: https://x?y\n",
                "regions.yaml:3: `https://x?y` is not an endpoint URL",
            ),
            ("modelarts: []\nmodelarts: []\n", "regions.yaml:2"),
        ] {
            let path = write(dir.path(), "regions.yaml", text);
            let env = env_of(&[(ENV_REGIONS_FILE, path.to_str().unwrap())]);
            let err = find("a", &env, None).unwrap_err();
            assert_eq!(err.exit_status().code(), 2, "{text}");
            assert!(err.to_string().contains(expected), "{text}: {err}");
        }
        // Empty, or without modelarts: no regions, no error.
        for text in [
            "",
            "# nothing\n",
            "ecs: [{id: a, endpoint: https://x}]\n",
            "modelarts:\n",
        ] {
            let path = write(dir.path(), "regions.yaml", text);
            let env = env_of(&[(ENV_REGIONS_FILE, path.to_str().unwrap())]);
            assert_eq!(find("a", &env, None).unwrap(), None, "{text}");
        }
    }

    #[test]
    fn hostile_files_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let big = write(
            dir.path(),
            "big.yaml",
            &"#".repeat(MAX_FILE_BYTES as usize + 1),
        );
        let env = env_of(&[(ENV_REGIONS_FILE, big.to_str().unwrap())]);
        let err = find("a", &env, None).unwrap_err();
        assert!(err.to_string().contains("larger than 1 MiB"), "{err}");
        let bomb = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n\
                    c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n\
                    e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n";
        let path = write(dir.path(), "bomb.yaml", bomb);
        let env = env_of(&[(ENV_REGIONS_FILE, path.to_str().unwrap())]);
        assert_eq!(find("a", &env, None).unwrap_err().exit_status().code(), 2);
        let path = write(dir.path(), "binary.yaml", "");
        std::fs::write(&path, [0xff, 0xfe, 0]).unwrap();
        let env = env_of(&[(ENV_REGIONS_FILE, path.to_str().unwrap())]);
        let err = find("a", &env, None).unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }
}
