//! Settings: the one place that reads flags, the environment and files
//! (the credentials file), and resolves them, once, into plain structs that
//! every other module takes (DESIGN.md §1, as uv's `settings.rs`).
//!
//! Precedence, first wins: flag > `POOLCTL_*` > `HUAWEICLOUD_SDK_*` >
//! credentials file > (later, over the network) IAM project lookup. The
//! tables of [`target`] and [`credentials`] say it per setting;
//! `docs/settings.md` says it for users. `poolctl --show-settings COMMAND`
//! prints what was resolved, secrets redacted.
//!
//! Adding a global flag touches `cli` (its definition) and this module (its
//! resolution, and its environment variable in [`FLAG_ENV`]) only.

pub mod credentials;
pub mod regions;
pub mod target;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::{
    ApplyArgs, Cli, Command, CreateArgs, DeleteArgs, DescribeArgs, DiffArgs, FlavorType,
    FlavorsArgs, GetArgs, GlobalArgs, IfExists as CliIfExists, ListArgs, ListStatus, OutputFormat,
    PoolFlags, ServiceArgs, ValidateMode, WaitArgs, WaitFor,
};
use crate::client::RetryPolicy;
use crate::diagnostic::Severity;
use crate::duration::parse_duration;
use crate::emulator::Faults;
use crate::error::Error;
use crate::manifest::overrides::Overrides;
use crate::model::FlavorKind;
use crate::output::Format;
use crate::wait::Goal;

pub use target::{Project, Target, TargetFlags};

/// The environment as a lookup function, so tests can supply their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// How fast pools provision in the in-process emulator (`--emulator`): long
/// enough to watch progress, short enough for a first try.
pub const EMULATOR_PROVISION_TIME: Duration = Duration::from_secs(4);

const REGION: &[&str] = &["POOLCTL_REGION"];
const ENDPOINT: &[&str] = &["POOLCTL_ENDPOINT"];
const PROJECT_ID: &[&str] = &["POOLCTL_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"];
const IAM_ENDPOINT: &[&str] = &["POOLCTL_IAM_ENDPOINT", "HUAWEICLOUD_SDK_IAM_ENDPOINT"];
const CA_BUNDLE: &[&str] = &["POOLCTL_CA_BUNDLE"];
const WORKSPACE_ID: &[&str] = &["POOLCTL_WORKSPACE_ID"];
const ALLOW_PLAIN_HTTP: &[&str] = &["POOLCTL_ALLOW_PLAIN_HTTP"];
/// A knob for pipelines and tests that cannot afford second-long backoffs.
const RETRY_MIN_DELAY: &str = "POOLCTL_RETRY_MIN_DELAY";
/// How long a wait rides out a service that does not answer (default 5m).
const MAX_OUTAGE: &str = "POOLCTL_MAX_OUTAGE";
const PAGE_LIMIT: &str = "POOLCTL_PAGE_LIMIT";
const EMULATOR_STATE: &str = "POOLCTL_EMULATOR_STATE";
const EMULATOR_FAULTS: &str = "POOLCTL_EMULATOR_FAULTS";
const EMULATOR_PROVISION: &str = "POOLCTL_EMULATOR_PROVISION_TIME";

/// `--request-timeout` unless given.
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the temporary credentials of `poolctl emulator`'s metadata
/// service last (default 1h): short, to see a client renew them.
const EMULATOR_METADATA_EXPIRY: &str = "POOLCTL_EMULATOR_METADATA_EXPIRY";

/// Each global flag with the environment variables that stand in for it, in
/// order. The flags' help names them; a test keeps the two in step.
pub const FLAG_ENV: &[(&str, &[&str])] = &[
    ("--region", REGION),
    ("--endpoint", ENDPOINT),
    ("--project-id", PROJECT_ID),
    ("--iam-endpoint", IAM_ENDPOINT),
    ("--ca-bundle", CA_BUNDLE),
    ("--workspace-id", WORKSPACE_ID),
    ("--allow-plain-http", ALLOW_PLAIN_HTTP),
];

/// Every environment variable poolctl reads, and what it does: the
/// ENVIRONMENT section of poolctl(1) is made from it, and a test holds it to
/// every `POOLCTL_*` and `HUAWEICLOUD_*` name written in `src/`. A name
/// ending in `<...>` stands for a family (its literal in the code ends
/// before the `<`).
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("POOLCTL_REGION", "the region, as --region"),
    ("POOLCTL_ENDPOINT", "the ModelArts endpoint URL, as --endpoint"),
    ("POOLCTL_PROJECT_ID", "the project ID, as --project-id"),
    (
        "POOLCTL_IAM_ENDPOINT",
        "the IAM endpoint URL of the project lookup, as --iam-endpoint",
    ),
    (
        "POOLCTL_WORKSPACE_ID",
        "the workspace of lookups and of created pools, as --workspace-id (default 0)",
    ),
    (
        "POOLCTL_CA_BUNDLE",
        "a PEM file of CA certificates trusted beside the system's, as --ca-bundle",
    ),
    (
        "POOLCTL_ALLOW_PLAIN_HTTP",
        "1 allows plain http:// to another machine, as --allow-plain-http; 0 refuses it",
    ),
    (
        "POOLCTL_AUTH_TOKEN",
        "an IAM token, sent as X-Auth-Token instead of signing; the first credential source",
    ),
    (
        "HUAWEICLOUD_SDK_AK",
        "the access key ID, with HUAWEICLOUD_SDK_SK; the second credential source",
    ),
    ("HUAWEICLOUD_SDK_SK", "the secret access key of HUAWEICLOUD_SDK_AK"),
    (
        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        "the security token of temporary keys",
    ),
    (
        "HUAWEICLOUD_SDK_PROJECT_ID",
        "the project ID, after POOLCTL_PROJECT_ID; wins over the credentials file's",
    ),
    (
        "HUAWEICLOUD_SDK_IAM_ENDPOINT",
        "the IAM endpoint URL, after POOLCTL_IAM_ENDPOINT; wins over the credentials file's",
    ),
    (
        "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
        "the credentials file to read instead of ~/.huaweicloud/credentials",
    ),
    (
        "HUAWEICLOUD_SDK_REGIONS_FILE",
        "the regions file to read instead of ~/.huaweicloud/regions.yaml",
    ),
    (
        "POOLCTL_RETRY_MIN_DELAY",
        "the first delay before a retry, e.g. 50ms (default 1s)",
    ),
    (
        "POOLCTL_MAX_OUTAGE",
        "how long a wait rides out a service that does not answer (default 5m), then exit 8",
    ),
    (
        "POOLCTL_PAGE_LIMIT",
        "the page size of lists, 1 to 500 (default: the service's)",
    ),
    (
        "HUAWEICLOUD_SDK_REGION_MODELARTS_<ID>",
        "the endpoint URL(s), comma-separated, of region <ID> (upper case, - as _); before the regions file and the built-in table",
    ),
    (
        "POOLCTL_METADATA_ENDPOINT",
        "the ECS metadata service asked for temporary credentials last (default http://169.254.169.254; off: never)",
    ),
    (
        "POOLCTL_EMULATOR_STATE",
        "--emulator keeps its pools in this file, so one command's pools are there for the next",
    ),
    (
        "POOLCTL_EMULATOR_FAULTS",
        "--emulator injects these faults (the grammar of poolctl emulator --faults)",
    ),
    (
        "POOLCTL_EMULATOR_PROVISION_TIME",
        "--emulator's provision time, e.g. 20s (default 4s)",
    ),
    (
        "POOLCTL_EMULATOR_METADATA_EXPIRY",
        "how long the credentials of poolctl emulator's metadata service last (default 1h)",
    ),
    ("NO_COLOR", "set and not empty: no colour (no-color.org)"),
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
        "the proxy of hosts other than this machine (this machine is always reached directly)",
    ),
    ("HOME", "where ~/.huaweicloud is"),
    (
        "COMPLETE",
        "bash, zsh, fish, elvish or powershell: print that shell's completion script, or complete the words given, and run nothing else (the completion script sets it)",
    ),
];

/// Every file poolctl reads or writes, and what it is: the FILES section
/// of poolctl(1) is made from it.
pub const FILES: &[(&str, &str)] = &[
    (
        "~/.huaweicloud/credentials",
        "the official SDKs' credentials file, INI, section [basic]: ak, sk, security_token, \
         project_id, iam_endpoint; read when the environment holds no credentials. \
         $HUAWEICLOUD_SDK_CREDENTIALS_FILE names another",
    ),
    (
        "~/.huaweicloud/regions.yaml",
        "the official SDKs' regions file: the endpoints of regions. \
         $HUAWEICLOUD_SDK_REGIONS_FILE names another",
    ),
    (
        "$POOLCTL_EMULATOR_STATE (--emulator)",
        "the pools of --emulator across commands, in the format of poolctl emulator --state; \
         one command at a time",
    ),
    (
        "FILE (poolctl emulator --state FILE)",
        "the emulator's pools and credentials, JSON, kept across restarts and written atomically",
    ),
    (
        "FILE.lock",
        "locked by the emulator that uses FILE for as long as it runs: a second emulator on the same FILE is refused",
    ),
];

/// Everything a run needs to know before it starts.
#[derive(Debug)]
pub struct Settings {
    pub global: GlobalSettings,
    pub command: CommandSettings,
    /// `--show-settings`: print these and run nothing.
    pub show: bool,
}

#[derive(Debug)]
pub struct GlobalSettings {
    pub output: OutputSettings,
    pub service: Service,
}

/// How results, progress and errors are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSettings {
    pub format: Format,
    /// `-o wide`: the text of `list`, with more columns.
    pub wide: bool,
    /// `--query`: a JMESPath expression on the JSON result.
    pub query: Option<String>,
    pub quiet: bool,
    pub verbose: u8,
    /// Colour is allowed (`NO_COLOR` is not set); the printer still uses it
    /// only on a terminal.
    pub color: bool,
}

/// The service a command talks to, and how.
#[derive(Debug)]
// Made once per run; boxing the target would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Service {
    /// The command does not talk to the service (`validate`, `create
    /// --dry-run`, ...): nothing about HTTP or credentials is resolved.
    None,
    /// `--emulator`: an emulator in this process, with credentials of its own.
    Emulator {
        provision_time: Duration,
        /// `POOLCTL_EMULATOR_FAULTS`.
        faults: Faults,
        /// `POOLCTL_EMULATOR_STATE`: pools kept across commands.
        state: Option<PathBuf>,
        http: HttpSettings,
    },
    /// The service at the resolved target. A failure to resolve the target
    /// (no credentials, no region) is kept, and reported only when the
    /// command first needs the service: a manifest's problems come first.
    Remote {
        target: Result<Target, Error>,
        http: HttpSettings,
    },
}

/// How HTTP requests are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSettings {
    /// Time limit of each request, connection and answer included.
    pub request_timeout: Duration,
    /// Extra PEM roots, trusted beside the system's.
    pub ca_bundle: Option<PathBuf>,
    /// `--allow-plain-http`: credentials may go over http to another machine.
    pub allow_plain_http: bool,
    pub retry: RetryPolicy,
    /// `limit` of each page of a list (`POOLCTL_PAGE_LIMIT`); none: the
    /// service's own page size.
    pub page_limit: Option<u32>,
}

#[derive(Debug)]
pub enum CommandSettings {
    Create(Box<CreateSettings>),
    Validate(ValidateSettings),
    Get(GetSettings),
    Describe(DescribeSettings),
    Flavors(FlavorsSettings),
    List(ListSettings),
    Wait(WaitSettings),
    Delete(DeleteSettings),
    Diff(DiffSettings),
    Apply(Box<ApplySettings>),
    Emulator(EmulatorSettings),
    Schema(SchemaSettings),
    Completions(CompletionsSettings),
    Man(ManSettings),
}

/// What `create` does when a pool of the same name exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    /// Exit 5.
    Fail,
    /// Adopt the existing pool.
    Reuse,
}

#[derive(Debug)]
pub struct CreateSettings {
    pub files: Vec<PathBuf>,
    pub overrides: Overrides,
    pub dry_run: bool,
    pub wait: bool,
    pub wait_timeout: Duration,
    pub if_exists: IfExists,
    /// How bad an unknown field is (`--validate strict|warn`).
    pub unknown_fields: Severity,
    /// Check flavors and networks with the service before creating.
    pub preflight: bool,
    pub show_secrets: bool,
}

#[derive(Debug)]
pub struct ValidateSettings {
    pub files: Vec<PathBuf>,
    /// Of pools whose manifest names none (the duplicate-name check).
    pub workspace: String,
    pub unknown_fields: Severity,
    /// `--preflight`: also check flavors and networks with the service.
    pub preflight: bool,
}

#[derive(Debug)]
pub struct DescribeSettings {
    pub name: String,
    pub workspace: String,
    pub show_secrets: bool,
}

#[derive(Debug)]
pub struct FlavorsSettings {
    pub kind: Option<FlavorKind>,
    pub az: Option<String>,
    pub available: bool,
}

#[derive(Debug)]
pub struct GetSettings {
    pub name: String,
    /// `workspaceId` of the lookup.
    pub workspace: String,
    pub show_secrets: bool,
}

#[derive(Debug)]
pub struct ListSettings {
    pub workspace: String,
    /// `--watch`: then print changes as they come.
    pub watch: bool,
    /// `--no-headers`.
    pub headers: bool,
    pub label_selector: Option<String>,
    /// `created`, `failed` or `creating`, as the API's `status` filter.
    pub status: Option<&'static str>,
}

#[derive(Debug)]
pub struct WaitSettings {
    pub name: String,
    pub workspace: String,
    pub goal: Goal,
    pub timeout: Duration,
}

/// Which pools `delete` deletes.
#[derive(Debug)]
// Made once per run; boxing the manifests' variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum DeleteTargets {
    /// By `metadata.name` or name label, in the run's workspace.
    Names(Vec<String>),
    /// The pools these manifests describe, each in its own workspace.
    Files {
        files: Vec<PathBuf>,
        overrides: Overrides,
        unknown_fields: Severity,
    },
    /// Every pool with these labels, in the run's workspace.
    Selector(String),
}

#[derive(Debug)]
pub struct DeleteSettings {
    pub targets: DeleteTargets,
    pub workspace: String,
    pub ignore_not_found: bool,
    pub wait: bool,
    pub wait_timeout: Duration,
}

#[derive(Debug)]
pub struct DiffSettings {
    pub files: Vec<PathBuf>,
    pub overrides: Overrides,
    pub unknown_fields: Severity,
}

#[derive(Debug)]
pub struct ApplySettings {
    pub files: Vec<PathBuf>,
    pub overrides: Overrides,
    pub dry_run: bool,
    pub wait: bool,
    pub wait_timeout: Duration,
    pub unknown_fields: Severity,
    pub preflight: bool,
    pub show_secrets: bool,
}

#[derive(Debug)]
pub struct EmulatorSettings {
    pub listen: SocketAddr,
    pub provision_time: Duration,
    pub faults: Faults,
    /// The `--faults` text as given, for the start-up line.
    pub faults_spec: Option<String>,
    pub seed: u64,
    pub state: Option<PathBuf>,
    /// How long its metadata service's temporary credentials last
    /// (`POOLCTL_EMULATOR_METADATA_EXPIRY`).
    pub metadata_expiry: Duration,
}

#[derive(Debug)]
pub struct SchemaSettings;

#[derive(Debug)]
pub struct CompletionsSettings {
    pub shell: clap_complete::Shell,
}

#[derive(Debug)]
pub struct ManSettings {
    /// The page of this command; none: poolctl(1).
    pub command: Option<String>,
}

/// A variable's value, with an empty or blank value treated as unset.
pub(crate) fn env_value(env: Env<'_>, name: &str) -> Option<String> {
    env(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The flag's value if given (and not blank), else the first variable set.
fn first(flag: Option<String>, env: Env<'_>, names: &[&str]) -> Option<String> {
    flag.map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .or_else(|| names.iter().find_map(|n| env_value(env, n)))
}

impl OutputSettings {
    /// Output settings never fail to resolve, so errors of the rest can be shown.
    pub fn resolve(args: &GlobalArgs, env: Env<'_>) -> OutputSettings {
        OutputSettings {
            format: match args.output {
                OutputFormat::Text | OutputFormat::Wide => Format::Text,
                OutputFormat::Json => Format::Json,
                OutputFormat::Yaml => Format::Yaml,
                OutputFormat::Name => Format::Name,
            },
            wide: args.output == OutputFormat::Wide,
            query: args.query.clone(),
            quiet: args.quiet,
            verbose: args.verbose,
            // https://no-color.org: set and not empty.
            color: env("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

/// Every command honours `-o` and `--query`, or refuses them here, before
/// anything runs: `-o name` where there are names, `-o wide` for `list`,
/// `--query` where there is a JSON result; a query must parse.
fn check_output(
    command: &Command,
    global: &GlobalArgs,
    output: &OutputSettings,
) -> Result<(), Error> {
    let name = command_name(command);
    let names = matches!(
        command,
        Command::Create(_)
            | Command::Get(_)
            | Command::Describe(_)
            | Command::List(_)
            | Command::Wait(_)
            | Command::Delete(_)
            | Command::Apply(_)
            | Command::Flavors(_)
    );
    let plain_only = matches!(
        command,
        Command::Emulator(_) | Command::Completions(_) | Command::Man(_)
    );
    let refuse = |what: &str, hint: &str| -> Result<(), Error> {
        Err(Error::usage_hint(
            format!("{name} does not take {what}"),
            hint.to_string(),
        ))
    };
    match global.output {
        OutputFormat::Name if !names => {
            return refuse("-o name: it prints no pools", "use -o json, or -o text")
        }
        OutputFormat::Wide if !matches!(command, Command::List(_)) => {
            return refuse("-o wide", "-o wide is for list")
        }
        OutputFormat::Json | OutputFormat::Yaml | OutputFormat::Name if plain_only => {
            return refuse(
                &format!("-o {}", format!("{:?}", global.output).to_lowercase()),
                "its output is text for a shell or a terminal",
            )
        }
        _ => {}
    }
    if let Some(q) = output.query.as_deref() {
        if plain_only {
            return refuse("--query", "its output is not JSON");
        }
        crate::output::query::compile(q).map_err(|e| {
            Error::usage_hint(
                format!("--query {q:?} is not a JMESPath expression: {e}"),
                "e.g. --query 'items[].metadata.name'; see https://jmespath.org",
            )
        })?;
    }
    Ok(())
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Create(_) => "create",
        Command::Validate(_) => "validate",
        Command::Get(_) => "get",
        Command::Describe(_) => "describe",
        Command::List(_) => "list",
        Command::Wait(_) => "wait",
        Command::Delete(_) => "delete",
        Command::Diff(_) => "diff",
        Command::Apply(_) => "apply",
        Command::Flavors(_) => "flavors",
        Command::Emulator(_) => "emulator",
        Command::Schema => "schema",
        Command::Completions(_) => "completions",
        Command::Man(_) => "man",
    }
}

/// The settings of `list` with the service flags of a command line being
/// completed (`words`): the service and workspace the completed command
/// would use. For completion at run time (`commands::complete`).
pub fn of_completion_line(
    words: &[std::ffi::OsString],
    env: Env<'_>,
    home: Option<&Path>,
) -> Option<Settings> {
    use clap::Parser;
    let argv = ["poolctl", "list"]
        .into_iter()
        .map(std::ffi::OsString::from)
        .chain(service_words(words));
    let cli = Cli::try_parse_from(argv).ok()?;
    let output = OutputSettings::resolve(&cli.global, env);
    resolve(cli, output, env, home).ok()
}

/// The service flags among `words` (with their values), as
/// [`ServiceArgs`] defines them; the rest of the line is left out, so an
/// unfinished line still gives its region and endpoint.
pub(crate) fn service_words(words: &[std::ffi::OsString]) -> Vec<std::ffi::OsString> {
    let service = <ServiceArgs as clap::Args>::augment_args(clap::Command::new("service"));
    let flags: Vec<(String, bool)> = service
        .get_arguments()
        .filter_map(|a| {
            Some((
                format!("--{}", a.get_long()?),
                a.get_action().takes_values(),
            ))
        })
        .collect();
    let mut out = Vec::new();
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let Some(text) = word.to_str() else { continue };
        if text == "--" {
            break;
        }
        let name = text.split_once('=').map_or(text, |(n, _)| n);
        let Some((_, takes_value)) = flags.iter().find(|(f, _)| f == name) else {
            continue;
        };
        if *takes_value && !text.contains('=') {
            let Some(value) = words.next() else { break };
            out.extend([word.clone(), value.clone()]);
        } else {
            out.push(word.clone());
        }
    }
    out
}

/// The service flags a command was given after its name (taken out of it).
fn taken_service(command: &mut Command) -> ServiceArgs {
    let service = match command {
        Command::Create(a) => &mut a.service,
        Command::Validate(a) => &mut a.service,
        Command::Get(a) => &mut a.service,
        Command::Describe(a) => &mut a.service,
        Command::List(a) => &mut a.service,
        Command::Wait(a) => &mut a.service,
        Command::Delete(a) => &mut a.service,
        Command::Diff(a) => &mut a.service,
        Command::Apply(a) => &mut a.service,
        Command::Flavors(a) => &mut a.service,
        Command::Emulator(_) | Command::Schema | Command::Completions(_) | Command::Man(_) => {
            return ServiceArgs::default()
        }
    };
    std::mem::take(service)
}

fn http(args: &ServiceArgs, env: Env<'_>) -> Result<HttpSettings, Error> {
    let request_timeout = args.request_timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT);
    if request_timeout.is_zero() {
        return Err(Error::usage_hint(
            "--request-timeout must be more than 0",
            "e.g. --request-timeout 30s",
        ));
    }
    let mut retry = RetryPolicy::default();
    if let Some(text) = env_value(env, RETRY_MIN_DELAY) {
        let d =
            parse_duration(&text).map_err(|e| Error::usage(format!("{RETRY_MIN_DELAY}: {e}")))?;
        retry.min_delay = d;
        retry.max_delay = retry.max_delay.max(d);
    }
    if let Some(text) = env_value(env, MAX_OUTAGE) {
        retry.max_outage =
            parse_duration(&text).map_err(|e| Error::usage(format!("{MAX_OUTAGE}: {e}")))?;
    }
    let allow_plain_http = match first(None, env, ALLOW_PLAIN_HTTP).as_deref() {
        _ if args.allow_plain_http => true,
        None => false,
        Some(v) if ["1", "true", "yes"].contains(&v.to_ascii_lowercase().as_str()) => true,
        Some(v) if ["0", "false", "no"].contains(&v.to_ascii_lowercase().as_str()) => false,
        Some(v) => {
            return Err(Error::usage(format!(
                "POOLCTL_ALLOW_PLAIN_HTTP={v}: write 1 (allow) or 0 (refuse)"
            )))
        }
    };
    let page_limit = match env_value(env, PAGE_LIMIT) {
        None => None,
        Some(text) => match text.parse::<u32>() {
            Ok(n @ 1..=500) => Some(n),
            _ => {
                return Err(Error::usage(format!(
                    "{PAGE_LIMIT}={text}: write a page size from 1 to 500"
                )))
            }
        },
    };
    Ok(HttpSettings {
        page_limit,
        allow_plain_http,
        request_timeout,
        ca_bundle: args.ca_bundle.clone().or_else(|| {
            CA_BUNDLE
                .iter()
                .find_map(|n| env_value(env, n))
                .map(PathBuf::from)
        }),
        retry,
    })
}

fn unknown_fields(mode: ValidateMode) -> Severity {
    match mode {
        ValidateMode::Strict => Severity::Error,
        ValidateMode::Warn => Severity::Warning,
    }
}

/// The pool flags as the manifest module takes them; `workspace_id` is the
/// global one, given (a manifest's own label wins over it).
fn overrides(f: PoolFlags, workspace_id: Option<String>) -> Overrides {
    Overrides {
        name: f.name,
        pool_type: f.pool_type,
        flavor: f.flavor,
        count: f.count,
        max_count: f.max_count,
        resources: f.resource,
        scope: f.scope,
        network: f.network,
        vpc_id: f.vpc_id,
        subnet_id: f.subnet_id,
        workspace_id,
        description: f.description,
        sharing: f.sharing,
        node_prefix: f.node_prefix,
        parent: f.parent,
        container_cidr: f.container_cidr,
        service_cidr: f.service_cidr,
        master_azs: f.master_az,
        gpu_driver: f.gpu_driver,
        npu_driver: f.npu_driver,
        driver_update_strategy: f.driver_update_strategy,
        ipv6: f.ipv6,
        cluster_flavor: f.cluster_flavor,
        labels: f.label,
        annotations: f.annotation,
    }
}

/// `POOLCTL_EMULATOR_METADATA_EXPIRY`: at least
/// [`crate::emulator::MIN_METADATA_EXPIRY`], at most a week.
fn metadata_expiry(env: Env<'_>) -> Result<Duration, Error> {
    let Some(text) = env_value(env, EMULATOR_METADATA_EXPIRY) else {
        return Ok(crate::emulator::DEFAULT_METADATA_EXPIRY);
    };
    let min = crate::emulator::MIN_METADATA_EXPIRY;
    match parse_duration(&text) {
        Ok(d) if d >= min && d <= Duration::from_secs(7 * 86_400) => Ok(d),
        Ok(_) => Err(Error::usage(format!(
            "{EMULATOR_METADATA_EXPIRY}={text}: write a duration from {} to 7d",
            crate::duration::format_duration(min)
        ))),
        Err(e) => Err(Error::usage(format!("{EMULATOR_METADATA_EXPIRY}: {e}"))),
    }
}

/// `--listen`: `HOST:PORT`, `localhost:PORT`, or a bare `PORT` on loopback.
fn parse_listen(text: &str) -> Result<SocketAddr, Error> {
    let t = text.trim();
    if let Ok(addr) = t.parse::<SocketAddr>() {
        return Ok(addr);
    }
    if let Ok(port) = t.parse::<u16>() {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    if let Some(port) = t
        .strip_prefix("localhost:")
        .and_then(|p| p.parse::<u16>().ok())
    {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    Err(Error::usage_hint(
        format!("--listen `{text}` is not an address"),
        "write HOST:PORT, e.g. 127.0.0.1:8765, or 127.0.0.1:0 for a free port",
    ))
}

/// Resolves everything clap parsed, with the environment `env` and the home
/// directory `home`. `output` is [`OutputSettings::resolve`] of the same
/// arguments, made first so that an error here can be printed.
pub fn resolve(
    cli: Cli,
    output: OutputSettings,
    env: Env<'_>,
    home: Option<&Path>,
) -> Result<Settings, Error> {
    let Cli {
        global,
        mut command,
    } = cli;
    check_output(&command, &global, &output)?;
    // The service flags after the command win over those before it.
    let service = taken_service(&mut command).or(global.service.clone());
    let workspace_given = first(service.workspace_id.clone(), env, WORKSPACE_ID);
    let workspace = workspace_given
        .clone()
        .unwrap_or_else(|| crate::model::DEFAULT_WORKSPACE.to_string());
    // Only commands that talk to the service resolve how: a knob for HTTP
    // that is wrong does not stop `validate`.
    let remote = |uses_service: bool| -> Result<Service, Error> {
        if !uses_service {
            return Ok(Service::None);
        }
        let http = http(&service, env)?;
        Ok(if service.emulator {
            let provision_time = match env_value(env, EMULATOR_PROVISION) {
                None => EMULATOR_PROVISION_TIME,
                Some(text) => parse_duration(&text)
                    .map_err(|e| Error::usage(format!("{EMULATOR_PROVISION}: {e}")))?,
            };
            let faults = Faults::parse(&env_value(env, EMULATOR_FAULTS).unwrap_or_default())
                .map_err(|e| {
                    Error::usage_hint(
                        format!("{EMULATOR_FAULTS}: {e}"),
                        "see docs/emulator.md for the faults grammar",
                    )
                })?;
            Service::Emulator {
                provision_time,
                faults,
                state: env_value(env, EMULATOR_STATE).map(PathBuf::from),
                http,
            }
        } else {
            let flags = TargetFlags {
                region: service.region.clone(),
                endpoint: service.endpoint.clone(),
                project_id: service.project_id.clone(),
                iam_endpoint: service.iam_endpoint.clone(),
            };
            Service::Remote {
                target: target::resolve_target(flags, env, home),
                http,
            }
        })
    };
    let (command, service) = match command {
        Command::Create(a) => {
            let CreateArgs {
                files,
                pool,
                dry_run,
                wait,
                wait_timeout,
                if_exists,
                validate,
                no_preflight,
                show_secrets,
                ..
            } = a;
            let create = CreateSettings {
                files,
                overrides: overrides(pool, workspace_given),
                dry_run,
                wait,
                wait_timeout,
                if_exists: match if_exists {
                    CliIfExists::Fail => IfExists::Fail,
                    CliIfExists::Reuse => IfExists::Reuse,
                },
                unknown_fields: unknown_fields(validate),
                preflight: !no_preflight,
                show_secrets,
            };
            (CommandSettings::Create(Box::new(create)), remote(!dry_run)?)
        }
        Command::Validate(a) => (
            CommandSettings::Validate(ValidateSettings {
                files: a.files,
                workspace,
                unknown_fields: unknown_fields(a.validate),
                preflight: a.preflight,
            }),
            remote(a.preflight)?,
        ),
        Command::Describe(DescribeArgs {
            name, show_secrets, ..
        }) => (
            CommandSettings::Describe(DescribeSettings {
                name,
                workspace,
                show_secrets,
            }),
            remote(true)?,
        ),
        Command::Flavors(FlavorsArgs {
            flavor_type,
            az,
            available,
            ..
        }) => (
            CommandSettings::Flavors(FlavorsSettings {
                kind: flavor_type.map(|t| match t {
                    FlavorType::Cpu => FlavorKind::Cpu,
                    FlavorType::Gpu => FlavorKind::Gpu,
                    FlavorType::Npu => FlavorKind::Npu,
                }),
                az: az.map(|a| a.trim().to_string()).filter(|a| !a.is_empty()),
                available,
            }),
            remote(true)?,
        ),
        Command::Get(GetArgs {
            name, show_secrets, ..
        }) => (
            CommandSettings::Get(GetSettings {
                name,
                workspace,
                show_secrets,
            }),
            remote(true)?,
        ),
        Command::List(ListArgs {
            label_selector,
            status,
            watch,
            no_headers,
            ..
        }) => (
            CommandSettings::List(ListSettings {
                workspace,
                watch,
                headers: !no_headers,
                label_selector,
                status: status.map(|s| match s {
                    ListStatus::Created => "created",
                    ListStatus::Failed => "failed",
                    ListStatus::Creating => "creating",
                }),
            }),
            remote(true)?,
        ),
        Command::Wait(WaitArgs {
            name,
            wait_for,
            wait_timeout,
            ..
        }) => (
            CommandSettings::Wait(WaitSettings {
                name,
                workspace,
                goal: match wait_for {
                    WaitFor::Running => Goal::Running,
                    WaitFor::Deleted => Goal::Deleted,
                },
                timeout: wait_timeout,
            }),
            remote(true)?,
        ),
        Command::Delete(DeleteArgs {
            names,
            files,
            label_selector,
            name_override,
            ignore_not_found,
            wait,
            wait_timeout,
            ..
        }) => {
            let targets = match (names.is_empty(), files.is_empty(), label_selector) {
                (false, _, _) => DeleteTargets::Names(names),
                (_, false, _) => DeleteTargets::Files {
                    files,
                    overrides: overrides(
                        PoolFlags {
                            name: name_override,
                            ..PoolFlags::default()
                        },
                        workspace_given.clone(),
                    ),
                    unknown_fields: Severity::Warning,
                },
                (_, _, Some(selector)) if !selector.trim().is_empty() => {
                    DeleteTargets::Selector(selector.trim().to_string())
                }
                _ => return Err(Error::usage_hint(
                    "delete -l needs a selector that is not empty",
                    "e.g. poolctl delete -l ci.run=42; an empty selector would match every pool",
                )),
            };
            (
                CommandSettings::Delete(DeleteSettings {
                    targets,
                    workspace,
                    ignore_not_found,
                    wait,
                    wait_timeout,
                }),
                remote(true)?,
            )
        }
        Command::Diff(DiffArgs {
            files,
            pool,
            validate,
            ..
        }) => (
            CommandSettings::Diff(DiffSettings {
                files,
                overrides: overrides(pool, workspace_given),
                unknown_fields: unknown_fields(validate),
            }),
            remote(true)?,
        ),
        Command::Apply(a) => {
            let ApplyArgs {
                files,
                pool,
                dry_run,
                wait,
                wait_timeout,
                validate,
                no_preflight,
                show_secrets,
                ..
            } = a;
            let apply = ApplySettings {
                files,
                overrides: overrides(pool, workspace_given),
                dry_run,
                wait,
                wait_timeout,
                unknown_fields: unknown_fields(validate),
                preflight: !no_preflight,
                show_secrets,
            };
            // A dry run reads the live pools: it talks to the service.
            (CommandSettings::Apply(Box::new(apply)), remote(true)?)
        }
        Command::Emulator(a) => {
            let faults = Faults::parse(a.faults.as_deref().unwrap_or("")).map_err(|e| {
                Error::usage_hint(e, "see docs/emulator.md for the --faults grammar")
            })?;
            let emulator = EmulatorSettings {
                listen: parse_listen(&a.listen)?,
                provision_time: a.provision_time,
                faults,
                faults_spec: a.faults,
                seed: a.seed,
                state: a.state,
                metadata_expiry: metadata_expiry(env)?,
            };
            (CommandSettings::Emulator(emulator), Service::None)
        }
        Command::Schema => (CommandSettings::Schema(SchemaSettings), Service::None),
        Command::Completions(a) => (
            CommandSettings::Completions(CompletionsSettings { shell: a.shell }),
            Service::None,
        ),
        Command::Man(a) => (
            CommandSettings::Man(ManSettings { command: a.command }),
            Service::None,
        ),
    };
    Ok(Settings {
        global: GlobalSettings { output, service },
        command,
        show: global.show_settings,
    })
}

/// What `--show-settings` prints: every resolved value, secrets as `<redacted>`.
pub fn show(settings: &Settings) -> String {
    format!("{settings:#?}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};
    use std::collections::HashMap;

    pub(crate) fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn settings(argv: &[&str], env: &[(&str, &str)]) -> Result<Settings, Error> {
        let mut full = vec!["poolctl"];
        full.extend_from_slice(argv);
        let cli = Cli::try_parse_from(full).unwrap();
        let env = env_of(env);
        let output = OutputSettings::resolve(&cli.global, &env);
        resolve(cli, output, &env, None)
    }

    #[test]
    fn the_help_names_every_variable_a_flag_falls_back_to() {
        let cmd = Cli::command();
        for (flag, vars) in FLAG_ENV {
            let arg = cmd
                .get_arguments()
                .find(|a| a.get_long() == flag.strip_prefix("--"))
                .unwrap_or_else(|| panic!("{flag} is not a flag"));
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default()
                + &arg
                    .get_long_help()
                    .map(ToString::to_string)
                    .unwrap_or_default();
            for var in *vars {
                assert!(help.contains(var), "the help of {flag} does not name {var}");
            }
        }
    }

    /// Every `"POOLCTL_..."` and `"HUAWEICLOUD_..."` string literal in
    /// src/ is a variable of [`ENVIRONMENT`] (a literal ending in `_` is
    /// the start of a family, `NAME_<...>`), and so is every variable a flag
    /// falls back to: a new variable cannot miss the man page.
    #[test]
    fn the_environment_table_holds_every_variable_in_the_code() {
        fn files(dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    files(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let names: Vec<&str> = ENVIRONMENT
            .iter()
            .flat_map(|(n, _)| n.split(", "))
            .collect();
        // `NAME_<ID>` in the table covers `NAME_` and every `NAME_X`.
        let known = |literal: &str| {
            names.contains(&literal)
                || names.iter().any(|n| {
                    n.split_once('<')
                        .is_some_and(|(prefix, _)| literal.starts_with(prefix))
                })
        };
        let mut sources = Vec::new();
        files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut sources,
        );
        assert!(sources.len() > 20, "{sources:?}");
        let mut missing = Vec::new();
        let mut seen = 0;
        for path in &sources {
            let text = std::fs::read_to_string(path).unwrap();
            for prefix in ["POOLCTL_", "HUAWEICLOUD_"] {
                let quoted = format!("\"{prefix}");
                for (at, _) in text.match_indices(&quoted) {
                    let literal: String = text[at + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    // This test's own prefixes.
                    if literal == prefix {
                        continue;
                    }
                    seen += 1;
                    if !known(&literal) {
                        missing.push(format!("{literal} ({})", path.display()));
                    }
                }
            }
        }
        assert!(seen > 20, "found only {seen} variables in src/");
        assert!(
            missing.is_empty(),
            "not in settings::ENVIRONMENT (the man page's ENVIRONMENT): {missing:?}"
        );
        for (_, vars) in FLAG_ENV {
            for var in *vars {
                assert!(names.contains(var), "{var}");
            }
        }
        for (name, what) in ENVIRONMENT.iter().chain(FILES) {
            assert!(!what.is_empty() && !what.contains('\n'), "{name}");
        }
    }

    fn http_of(s: &Settings) -> &HttpSettings {
        match &s.global.service {
            Service::Remote { http, .. } | Service::Emulator { http, .. } => http,
            Service::None => panic!("no service"),
        }
    }

    #[test]
    fn only_commands_that_talk_to_the_service_resolve_it() {
        let keys = [("HUAWEICLOUD_SDK_AK", "a"), ("HUAWEICLOUD_SDK_SK", "s")];
        let s = settings(&["validate", "-f", "x.yaml"], &[]).unwrap();
        assert!(matches!(s.global.service, Service::None));
        let s = settings(&["create", "--dry-run", "--name", "x"], &[]).unwrap();
        assert!(matches!(s.global.service, Service::None));
        // No credentials: kept as an error until the service is needed.
        let s = settings(
            &["create", "--region", "cn-north-4"],
            &[("POOLCTL_METADATA_ENDPOINT", "off")],
        )
        .unwrap();
        assert!(matches!(
            s.global.service,
            Service::Remote {
                target: Err(Error::NoCredentials { .. }),
                ..
            }
        ));
        let s = settings(&["list", "--region", "cn-north-4"], &keys).unwrap();
        assert!(matches!(
            s.global.service,
            Service::Remote { target: Ok(_), .. }
        ));
        let s = settings(&["get", "p", "--emulator"], &[]).unwrap();
        assert!(matches!(s.global.service, Service::Emulator { .. }));
    }

    #[test]
    fn environment_knobs() {
        let s = settings(
            &["list", "--emulator"],
            &[(RETRY_MIN_DELAY, "50ms"), ("NO_COLOR", "1")],
        )
        .unwrap();
        assert_eq!(http_of(&s).retry.min_delay, Duration::from_millis(50));
        assert!(!s.global.output.color);
        let s = settings(&["list", "--emulator"], &[("NO_COLOR", "")]).unwrap();
        assert!(s.global.output.color);
        let s = settings(&["list", "--emulator"], &[("POOLCTL_CA_BUNDLE", "/ca.pem")]).unwrap();
        assert_eq!(http_of(&s).ca_bundle, Some(PathBuf::from("/ca.pem")));
        let s = settings(
            &["list", "--emulator", "--ca-bundle", "/flag.pem"],
            &[("POOLCTL_CA_BUNDLE", "/ca.pem")],
        )
        .unwrap();
        assert_eq!(http_of(&s).ca_bundle, Some(PathBuf::from("/flag.pem")));
    }

    /// HTTP knobs that are wrong stop the commands that use HTTP, before
    /// anything runs, and no other command.
    #[test]
    fn wrong_http_knobs_stop_only_commands_that_use_the_service() {
        for (argv, env) in [
            (
                &["list", "--emulator"][..],
                &[(RETRY_MIN_DELAY, "soon")][..],
            ),
            (
                &["list", "--emulator", "--request-timeout", "0s"][..],
                &[][..],
            ),
        ] {
            let err = settings(argv, env).unwrap_err();
            assert_eq!(err.exit_status().code(), 2, "{argv:?}");
            let local = [&["validate", "-f", "x.yaml"][..], &argv[2..]].concat();
            assert!(settings(&local, env).is_ok(), "{local:?}");
        }
        let err = settings(&["list"], &[(RETRY_MIN_DELAY, "soon")]).unwrap_err();
        assert!(err.to_string().contains(RETRY_MIN_DELAY), "{err}");
        let err = settings(&["get", "p", "--request-timeout", "0s"], &[]).unwrap_err();
        assert!(err.to_string().contains("--request-timeout"), "{err}");
    }

    #[test]
    fn emulator_flags_are_checked_before_anything_runs() {
        let err = settings(&["emulator", "--listen", "nowhere"], &[]).unwrap_err();
        assert_eq!(err.exit_status().code(), 2);
        let err = settings(&["emulator", "--faults", "get:999x"], &[]).unwrap_err();
        assert!(err.hint().unwrap().contains("--faults"), "{err}");
        assert_eq!(parse_listen("8765").unwrap().to_string(), "127.0.0.1:8765");
        assert_eq!(
            parse_listen("localhost:9").unwrap().to_string(),
            "127.0.0.1:9"
        );
        assert_eq!(parse_listen("127.0.0.1:0").unwrap().port(), 0);
    }

    #[test]
    fn shown_settings_hold_no_secret() {
        let s = settings(
            &["list", "--region", "cn-north-4"],
            &[
                ("HUAWEICLOUD_SDK_AK", "AK-SHOWN"),
                ("HUAWEICLOUD_SDK_SK", "SK-CANARY-1"),
                ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "ST-CANARY-2"),
            ],
        )
        .unwrap();
        let text = show(&s);
        assert!(text.contains("AK-SHOWN"), "{text}");
        assert!(!text.contains("CANARY"), "{text}");
    }
}
