//! Every clap definition of poolctl, and nothing else: no logic, no I/O.
//! `settings` turns what clap parsed into plain structs (it also reads the
//! environment variables the help names). Completions and the man pages
//! (`cli::man`) are generated from these types: a path takes a
//! `ValueHint::FilePath`, a free value `ValueHint::Other` (never file
//! names), a closed list a value parser; pool names and flavors are asked
//! of the service at completion time by the completers of
//! `commands::complete` (docs/completion.md).

pub mod man;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum, ValueHint};
use clap_complete::engine::ArgValueCompleter;

use crate::commands::complete;

use crate::duration::parse_duration;
use crate::manifest::overrides::{parse_key_value, parse_resource, KeyValue, ResourceSpec};
use crate::model::values;

#[derive(Debug, Parser)]
#[command(
    name = "poolctl",
    version,
    about = "Create ModelArts resource pools from a manifest or flags, and follow them until they run",
    long_about = "Create ModelArts resource pools (POST /v2/{project_id}/pools) on Huawei Cloud and \
                  Open Telekom Cloud from a YAML/JSON manifest or flags. Requests are checked locally \
                  before anything is sent, signed like the official SDKs, and followed until the pool \
                  is Running. Add --emulator to any command to try it with no cloud account.",
    after_help = crate::exit::help_text(),
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags of every command: the output, and (before the command) the service.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The service flags, given before the command (`poolctl --region X get ...`);
    /// the same flags after it win.
    #[command(flatten)]
    pub service: ServiceArgs,

    /// Output format of the result on stdout.
    #[arg(
        short,
        long,
        global = true,
        value_enum,
        default_value_t = OutputFormat::Text,
        value_name = "FORMAT",
        help_heading = "Output"
    )]
    pub output: OutputFormat,

    /// Print only the result: no progress, no warnings.
    #[arg(short, long, global = true, help_heading = "Output")]
    pub quiet: bool,

    /// More detail on stderr; -vv traces HTTP (secrets redacted).
    #[arg(short, long, global = true, action = ArgAction::Count, help_heading = "Output")]
    pub verbose: u8,

    /// A JMESPath query on the JSON result, e.g. 'items[].metadata.name' (as az --query).
    #[arg(
        long,
        global = true,
        value_name = "EXPR",
        help_heading = "Output",
        value_hint = clap::ValueHint::Other
    )]
    pub query: Option<String>,

    /// Print the settings resolved from flags, environment and files (secrets redacted), and exit.
    #[arg(long, global = true, hide = true)]
    pub show_settings: bool,
}

/// Where the service is and how to reach it: the flags of the commands
/// that talk to it, and only theirs (`validate` for `--preflight`).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Service")]
pub struct ServiceArgs {
    /// Region, e.g. ap-southeast-1, or eu-de on Open Telekom Cloud; picks the endpoint and the
    /// project [env: POOLCTL_REGION].
    #[arg(long, value_name = "REGION", value_hint = ValueHint::Other)]
    pub region: Option<String>,

    /// ModelArts endpoint URL; overrides the one derived from --region [env: POOLCTL_ENDPOINT].
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub endpoint: Option<String>,

    /// Project ID [env: POOLCTL_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID; else the credentials file,
    /// else looked up through IAM].
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub project_id: Option<String>,

    /// IAM endpoint URL for the project lookup [env: POOLCTL_IAM_ENDPOINT,
    /// HUAWEICLOUD_SDK_IAM_ENDPOINT; else the credentials file, else iam.X for --endpoint
    /// modelarts.X, else from --region].
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub iam_endpoint: Option<String>,

    /// Workspace of every lookup, and of created pools whose manifest names none
    /// (label os.modelarts/workspace.id) [env: POOLCTL_WORKSPACE_ID; default 0].
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub workspace_id: Option<String>,

    /// PEM file of CA certificates to trust, added to the system's [env: POOLCTL_CA_BUNDLE].
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub ca_bundle: Option<PathBuf>,

    /// Time limit of each HTTP request, e.g. 30s, 2m [default: 60s].
    #[arg(long, value_parser = parse_duration, value_name = "DUR", value_hint = ValueHint::Other)]
    pub request_timeout: Option<Duration>,

    /// Allow plain http:// to a host that is not this machine; credentials then cross the
    /// network in cleartext, and every run warns [env: POOLCTL_ALLOW_PLAIN_HTTP=1].
    #[arg(long)]
    pub allow_plain_http: bool,

    /// Run a pool API emulator inside this process and point this command at it: no account needed.
    #[arg(long)]
    pub emulator: bool,
}

impl ServiceArgs {
    /// These flags (given after the command), else those given before it.
    pub fn or(self, before: ServiceArgs) -> ServiceArgs {
        ServiceArgs {
            region: self.region.or(before.region),
            endpoint: self.endpoint.or(before.endpoint),
            project_id: self.project_id.or(before.project_id),
            iam_endpoint: self.iam_endpoint.or(before.iam_endpoint),
            workspace_id: self.workspace_id.or(before.workspace_id),
            ca_bundle: self.ca_bundle.or(before.ca_bundle),
            request_timeout: self.request_timeout.or(before.request_timeout),
            allow_plain_http: self.allow_plain_http || before.allow_plain_http,
            emulator: self.emulator || before.emulator,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people: details, tables, lines.
    Text,
    /// The service's objects as JSON.
    Json,
    /// The same as YAML.
    Yaml,
    /// metadata.name of each pool (or flavor), one per line.
    Name,
    /// list: a table with more columns.
    Wide,
}

// Parsed once per run; boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create pools from manifests and/or flags.
    #[command(after_help = "Examples:\n  \
        poolctl create -f pool.yaml --wait\n  \
        poolctl create -f base.yaml --name pool-ci-42 --count 2 --if-exists reuse --wait\n  \
        poolctl create --name pool-ae01 --flavor modelarts.vm.cpu.8ud --count 1 --network network-21e1 --dry-run -o json")]
    Create(CreateArgs),

    /// Check manifests locally; with --preflight, also against the service (creates nothing).
    Validate(ValidateArgs),

    /// Show one pool (by metadata.name or by its os.modelarts/name label).
    Get(GetArgs),

    /// Show how the live pools differ from manifests: what apply would change.
    #[command(
        after_help = "Exit status: 0 when every pool matches, 9 when something differs.\n\nExamples:\n  \
        poolctl diff -f pool.yaml\n  \
        poolctl diff -f pool.yaml --count 3 -o json"
    )]
    Diff(DiffArgs),

    /// Make pools as manifests describe them: create the missing, change the rest in place.
    #[command(after_help = "Examples:\n  \
        poolctl apply -f pool.yaml --wait\n  \
        poolctl apply -f pool.yaml --count 3 --dry-run")]
    Apply(ApplyArgs),

    /// Show a pool in detail: phase, nodes per flavor and AZ, scope, driver, recent events.
    #[command(after_help = "Examples:\n  \
        poolctl describe pool-ae01\n  \
        poolctl describe pool-ae01 -o json | jq '.events[] | select(.type == \"Warning\")'")]
    Describe(DescribeArgs),

    /// List pools.
    List(ListArgs),

    /// Wait until a pool is Running (or deleted).
    Wait(WaitArgs),

    /// Delete pools: by name, by the manifests that describe them, or by label.
    #[command(after_help = "Examples:\n  \
        poolctl delete pool-ae01 pool-ae02 --wait\n  \
        poolctl delete -f pool.yaml --ignore-not-found\n  \
        poolctl delete -l ci.run=42")]
    Delete(DeleteArgs),

    /// List the resource flavors, and the AZs where each is available or sold out.
    #[command(after_help = "Examples:\n  \
        poolctl flavors --type gpu --available\n  \
        poolctl flavors --az ap-southeast-1a -o json")]
    Flavors(FlavorsArgs),

    /// Serve a local emulator of the pool API.
    Emulator(EmulatorArgs),

    /// Print the JSON Schema of the manifest (for editors and yaml-language-server).
    Schema,

    /// Print a shell completion script.
    Completions(CompletionsArgs),

    /// Print a man page (roff): poolctl(1), or poolctl-COMMAND(1).
    #[command(hide = true)]
    Man(ManArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IfExists {
    /// Exit 5 when a pool with the name exists.
    Fail,
    /// Adopt the existing pool (and wait for it with --wait).
    Reuse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateMode {
    /// Unknown fields are errors.
    Strict,
    /// Unknown fields are warnings and are sent as they are.
    Warn,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Manifest files (YAML or JSON), repeatable; - reads stdin.
    #[arg(short = 'f', long = "filename", value_name = "FILE", value_hint = ValueHint::FilePath, num_args = 1..)]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub pool: PoolFlags,

    /// Print the request body that would be sent, and send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Follow the pool until it is Running or has failed.
    #[arg(long)]
    pub wait: bool,

    /// How long --wait waits, e.g. 90m, 1h30m.
    #[arg(long, value_parser = parse_duration, default_value = "90m", value_name = "DUR", value_hint = ValueHint::Other)]
    pub wait_timeout: Duration,

    /// What to do when a pool with the same name exists.
    #[arg(long, value_enum, default_value_t = IfExists::Fail, value_name = "POLICY")]
    pub if_exists: IfExists,

    /// Unknown fields: strict (error) or warn (warn and send them).
    #[arg(long = "validate", value_enum, default_value_t = ValidateMode::Strict, value_name = "MODE")]
    pub validate: ValidateMode,

    /// Skip the checks against the service (flavors sold out or unknown, network missing).
    #[arg(long)]
    pub no_preflight: bool,

    /// Show secret values (userLogin.password) instead of <redacted>.
    #[arg(long)]
    pub show_secrets: bool,

    #[command(flatten)]
    pub service: ServiceArgs,
}

/// Flags that build a pool. With -f they override the manifest.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Pool")]
pub struct PoolFlags {
    /// Pool name (the os.modelarts/name label).
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub name: Option<String>,

    /// Pool type [default: Dedicate].
    #[arg(long = "type", value_name = "TYPE", value_parser = PossibleValuesParser::new(values::POOL_TYPES))]
    pub pool_type: Option<String>,

    /// Resource flavor, e.g. modelarts.vm.cpu.8ud.
    #[arg(long, value_name = "FLAVOR", value_hint = ValueHint::Other, add = ArgValueCompleter::new(complete::flavors))]
    pub flavor: Option<String>,

    /// Node count of the flavor.
    #[arg(long, value_name = "N", value_hint = ValueHint::Other)]
    pub count: Option<i64>,

    /// Elastic maximum of the flavor (logical pools).
    #[arg(long, value_name = "M", value_hint = ValueHint::Other)]
    pub max_count: Option<i64>,

    /// A flavor and its counts, repeatable: flavor=F,count=N[,maxCount=M][,az=AZ:N]...
    #[arg(long, value_name = "SPEC", value_parser = parse_resource, value_hint = ValueHint::Other, add = ArgValueCompleter::new(complete::resource))]
    pub resource: Vec<ResourceSpec>,

    /// Job types, comma-separated: Train, Infer, Notebook.
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = PossibleValuesParser::new(values::SCOPES))]
    pub scope: Option<Vec<String>>,

    /// Network name (spec.network.name).
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub network: Option<String>,

    /// VPC ID of a privileged pool (with --subnet-id).
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub vpc_id: Option<String>,

    /// Subnet ID of a privileged pool (with --vpc-id).
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub subnet_id: Option<String>,

    /// Description (annotation os.modelarts/description).
    #[arg(long, value_name = "TEXT", value_hint = ValueHint::Other)]
    pub description: Option<String>,

    /// Sharing (label os.modelarts/sharing).
    #[arg(long, value_name = "MODE", value_parser = PossibleValuesParser::new(values::SHARING))]
    pub sharing: Option<String>,

    /// Node name prefix (label os.modelarts/node.prefix).
    #[arg(long, value_name = "PREFIX", value_hint = ValueHint::Other)]
    pub node_prefix: Option<String>,

    /// Parent pool ID of a logical sub-pool.
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other)]
    pub parent: Option<String>,

    /// Container network CIDR (spec.containerNetwork.cidr).
    #[arg(long, value_name = "CIDR", value_hint = ValueHint::Other)]
    pub container_cidr: Option<String>,

    /// Kubernetes service CIDR (spec.kubernetesSvcIpRange).
    #[arg(long, value_name = "CIDR", value_hint = ValueHint::Other)]
    pub service_cidr: Option<String>,

    /// AZ of a master node, repeatable.
    #[arg(long, value_name = "AZ", value_hint = ValueHint::Other)]
    pub master_az: Vec<String>,

    /// GPU driver version.
    #[arg(long, value_name = "VERSION", value_hint = ValueHint::Other)]
    pub gpu_driver: Option<String>,

    /// NPU driver version.
    #[arg(long, value_name = "VERSION", value_hint = ValueHint::Other)]
    pub npu_driver: Option<String>,

    /// Driver upgrade policy.
    #[arg(long, value_name = "POLICY", value_parser = PossibleValuesParser::new(values::UPDATE_STRATEGIES))]
    pub driver_update_strategy: Option<String>,

    /// Enable IPv6 (spec.ipv6enable).
    #[arg(long)]
    pub ipv6: bool,

    /// Cluster flavor of a standard pool.
    #[arg(long, value_name = "FLAVOR", value_hint = ValueHint::Other)]
    pub cluster_flavor: Option<String>,

    /// Any other label, repeatable: K=V.
    #[arg(long, value_name = "K=V", value_parser = parse_key_value, value_hint = ValueHint::Other)]
    pub label: Vec<KeyValue>,

    /// Any other annotation, repeatable: K=V.
    #[arg(long, value_name = "K=V", value_parser = parse_key_value, value_hint = ValueHint::Other)]
    pub annotation: Vec<KeyValue>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Manifest files (YAML or JSON); - reads stdin.
    #[arg(short = 'f', long = "filename", value_name = "FILE", value_hint = ValueHint::FilePath, required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,

    /// Unknown fields: strict (error) or warn.
    #[arg(long = "validate", value_enum, default_value_t = ValidateMode::Strict, value_name = "MODE")]
    pub validate: ValidateMode,

    /// Also run create's checks against the service (flavors, networks); creates nothing.
    #[arg(long)]
    pub preflight: bool,

    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// metadata.name (the pool ID) or the os.modelarts/name label.
    #[arg(value_hint = ValueHint::Other, add = ArgValueCompleter::new(complete::pool_names))]
    pub name: String,

    /// Show secret values instead of <redacted>.
    #[arg(long)]
    pub show_secrets: bool,

    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Manifest files (YAML or JSON), repeatable; - reads stdin.
    #[arg(short = 'f', long = "filename", value_name = "FILE", value_hint = ValueHint::FilePath, required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub pool: PoolFlags,

    /// Unknown fields: strict (error) or warn.
    #[arg(long = "validate", value_enum, default_value_t = ValidateMode::Strict, value_name = "MODE")]
    pub validate: ValidateMode,

    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Manifest files (YAML or JSON), repeatable; - reads stdin.
    #[arg(short = 'f', long = "filename", value_name = "FILE", value_hint = ValueHint::FilePath, required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub pool: PoolFlags,

    /// Print what would be created and the patches; send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Wait until each pool is Running with the nodes it asks for.
    #[arg(long)]
    pub wait: bool,

    /// How long --wait waits, e.g. 90m.
    #[arg(long, value_parser = parse_duration, default_value = "90m", value_name = "DUR", value_hint = ValueHint::Other)]
    pub wait_timeout: Duration,

    /// Unknown fields: strict (error) or warn (warn and send them).
    #[arg(long = "validate", value_enum, default_value_t = ValidateMode::Strict, value_name = "MODE")]
    pub validate: ValidateMode,

    /// Skip the checks against the service (flavors sold out or unknown, network missing).
    #[arg(long)]
    pub no_preflight: bool,

    /// Show secret values (userLogin.password) instead of <redacted>.
    #[arg(long)]
    pub show_secrets: bool,

    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// metadata.name (the pool ID) or the os.modelarts/name label.
    #[arg(value_hint = ValueHint::Other, add = ArgValueCompleter::new(complete::pool_names))]
    pub name: String,

    /// Show secret values instead of <redacted>.
    #[arg(long)]
    pub show_secrets: bool,

    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FlavorType {
    Cpu,
    Gpu,
    Npu,
}

#[derive(Debug, Args)]
pub struct FlavorsArgs {
    /// Only flavors of this kind.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub flavor_type: Option<FlavorType>,

    /// Only flavors offered in this AZ, with their state there.
    #[arg(long, value_name = "AZ", value_hint = ValueHint::Other)]
    pub az: Option<String>,

    /// Only flavors not sold out (in --az, else in some AZ).
    #[arg(long)]
    pub available: bool,

    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListStatus {
    Created,
    Failed,
    Creating,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only pools with this label, e.g. os.modelarts/name=pool-ae01.
    #[arg(short = 'l', long, value_name = "K=V", value_hint = ValueHint::Other)]
    pub label_selector: Option<String>,

    /// Only pools in this state.
    #[arg(long, value_enum, value_name = "STATUS")]
    pub status: Option<ListStatus>,

    /// After the list, print each change as it comes (until Ctrl-C); -o json: one
    /// {"type","object"} per line.
    #[arg(short = 'w', long)]
    pub watch: bool,

    /// No header line in the table.
    #[arg(long)]
    pub no_headers: bool,

    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WaitFor {
    Running,
    Deleted,
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    /// metadata.name (the pool ID) or the os.modelarts/name label.
    #[arg(value_hint = ValueHint::Other, add = ArgValueCompleter::new(complete::pool_names))]
    pub name: String,

    /// The state to wait for.
    #[arg(long = "for", value_enum, default_value_t = WaitFor::Running, value_name = "STATE")]
    pub wait_for: WaitFor,

    /// How long to wait, e.g. 90m.
    #[arg(long, value_parser = parse_duration, default_value = "90m", value_name = "DUR", value_hint = ValueHint::Other)]
    pub wait_timeout: Duration,

    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["names", "files", "label_selector"]))]
pub struct DeleteArgs {
    /// Pools by metadata.name (the pool ID) or os.modelarts/name label.
    #[arg(value_name = "NAME", conflicts_with_all = ["files", "label_selector"], value_hint = ValueHint::Other, add = ArgValueCompleter::new(complete::pool_names))]
    pub names: Vec<String>,

    /// The pools these manifests describe, each in its workspace; - reads stdin.
    #[arg(short = 'f', long = "filename", value_name = "FILE", value_hint = ValueHint::FilePath, num_args = 1.., conflicts_with = "label_selector")]
    pub files: Vec<PathBuf>,

    /// Every pool with these labels (in --workspace-id), e.g. team=ml,env=ci.
    #[arg(short = 'l', long, value_name = "K=V", value_hint = ValueHint::Other)]
    pub label_selector: Option<String>,

    /// With -f: the pool name that overrides the manifest's, as for create and apply.
    #[arg(long = "name", value_name = "NAME", requires = "files", value_hint = ValueHint::Other)]
    pub name_override: Option<String>,

    /// A pool that does not exist is not an error (exit 0).
    #[arg(long)]
    pub ignore_not_found: bool,

    /// Wait until the pools are gone.
    #[arg(long)]
    pub wait: bool,

    /// How long --wait waits.
    #[arg(long, value_parser = parse_duration, default_value = "90m", value_name = "DUR", value_hint = ValueHint::Other)]
    pub wait_timeout: Duration,

    #[command(flatten)]
    pub service: ServiceArgs,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Address to listen on (loopback by default; port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8765", value_name = "ADDR", value_hint = ValueHint::Other)]
    pub listen: String,

    /// Time for a pool to go from Creating to Running.
    #[arg(long, value_parser = parse_duration, default_value = "20s", value_name = "DUR", value_hint = ValueHint::Other)]
    pub provision_time: Duration,

    /// Injected faults, e.g. "get:503*3,post:reset-after*1,429=2%20,latency=300ms" (docs/emulator.md).
    #[arg(long, value_name = "SPEC", value_hint = ValueHint::Other)]
    pub faults: Option<String>,

    /// Seed of the fault injection, for reproducible runs.
    #[arg(long, default_value_t = 1, value_name = "N", value_hint = ValueHint::Other)]
    pub seed: u64,

    /// Keep pools in this file across restarts (written atomically).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub state: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The script asks poolctl for the candidates as you type (pool names and flavors \
    from the service), so it stays right across upgrades. Set-up, once:\n  \
    bash:       echo 'source <(COMPLETE=bash poolctl)' >> ~/.bashrc\n  \
    zsh:        echo 'source <(COMPLETE=zsh poolctl)' >> ~/.zshrc\n  \
    fish:       echo 'COMPLETE=fish poolctl | source' > ~/.config/fish/completions/poolctl.fish\n  \
    elvish:     echo 'eval (E:COMPLETE=elvish poolctl | slurp)' >> ~/.config/elvish/rc.elv\n  \
    powershell: Add-Content $PROFILE 'poolctl completions powershell | Out-String | Invoke-Expression'"
)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print, e.g. create; none: poolctl(1).
    #[arg(value_name = "COMMAND", value_hint = ValueHint::Other)]
    pub command: Option<String>,
}

/// The completion script of `shell`: the registration of clap_complete's
/// completion at run time, the same that `COMPLETE=SHELL poolctl` prints
/// when `poolctl` is found in PATH. It calls `poolctl` for every
/// completion (docs/completion.md).
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let name = shell.to_string();
    let mut out = Vec::new();
    if let Some(shell) = clap_complete::env::Shells::builtins().completer(&name) {
        // Writing into memory cannot fail.
        let _ = shell.write_registration("COMPLETE", "poolctl", "poolctl", "poolctl", &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every argument that takes a value says how its value completes: a
    /// list, a completer that asks the service, or a hint (`FilePath`,
    /// `Other` for a free value, which never completes file names).
    #[test]
    fn every_value_says_how_it_completes() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut unsaid = Vec::new();
        for sub in std::iter::once(&cmd).chain(cmd.get_subcommands()) {
            for arg in sub.get_arguments() {
                if !arg.get_action().takes_values() {
                    continue;
                }
                let said = arg.get_value_hint() != ValueHint::Unknown
                    || !arg.get_possible_values().is_empty()
                    || arg.get::<ArgValueCompleter>().is_some();
                if !said {
                    unsaid.push(format!("{} {}", sub.get_name(), arg.get_id()));
                }
            }
        }
        assert!(unsaid.is_empty(), "no value hint: {unsaid:?}");

        let arg = |sub: &str, id: &str| {
            cmd.find_subcommand(sub)
                .and_then(|s| s.get_arguments().find(|a| a.get_id() == id))
                .unwrap_or_else(|| panic!("{sub} {id}"))
                .clone()
        };
        for sub in ["create", "validate", "diff", "apply", "delete"] {
            assert_eq!(arg(sub, "files").get_value_hint(), ValueHint::FilePath);
        }
        assert_eq!(
            arg("emulator", "state").get_value_hint(),
            ValueHint::FilePath
        );
        assert_eq!(
            arg("list", "ca_bundle").get_value_hint(),
            ValueHint::FilePath
        );
        for id in ["name", "network", "flavor"] {
            assert_eq!(arg("create", id).get_value_hint(), ValueHint::Other, "{id}");
        }
        for (sub, id) in [("get", "name"), ("wait", "name"), ("delete", "names")] {
            assert!(arg(sub, id).get::<ArgValueCompleter>().is_some(), "{sub}");
        }
        assert!(arg("create", "flavor").get::<ArgValueCompleter>().is_some());
        let scope: Vec<String> = arg("create", "scope")
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(scope, values::SCOPES);
    }

    #[test]
    fn each_shell_has_a_script_that_calls_poolctl() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::Elvish,
            clap_complete::Shell::PowerShell,
        ] {
            let script = String::from_utf8(completions(shell)).unwrap();
            assert!(
                script.contains("poolctl") && script.contains("COMPLETE"),
                "{shell}"
            );
        }
    }
}
