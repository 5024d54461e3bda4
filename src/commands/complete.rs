//! Completion of values only the service knows: pool names (`get`,
//! `describe`, `wait`, `delete`) and flavors (`--flavor`, `--resource
//! flavor=`). The clap definition names these completers; clap_complete's
//! completion at run time (`COMPLETE=bash poolctl`, set up by the script of
//! `poolctl completions SHELL`) calls them as the user presses TAB.
//!
//! A completer runs inside a shell's key press, so it:
//! - takes the service flags of the line being completed (`--region`,
//!   `--endpoint`, `--workspace-id`, ...), and resolves them through
//!   `settings` with the environment and the credentials file like any
//!   run; only the client touches the network;
//! - gives up after [`TIME_LIMIT`], whatever is slow (a network that drops
//!   packets, a name lookup, an IAM project lookup): one attempt, no retry;
//! - prints nothing of its own and offers nothing on any failure (no
//!   credentials, no region, `--emulator`, an error of the service), never
//!   prompts, and offers only names.

use std::ffi::{OsStr, OsString};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use clap_complete::engine::CompletionCandidate;

use crate::client::{Client, ClientEvent, Observer};
use crate::settings::{self, CommandSettings, Service};

/// The longest a completion waits for the service, everything included.
pub const TIME_LIMIT: Duration = Duration::from_millis(1500);

/// Pool names: each pool's `os.modelarts/name` label, then its
/// `metadata.name`, as `get NAME` takes either.
pub fn pool_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(prefix) = current.to_str() else {
        return Vec::new();
    };
    candidates(ask(Ask::Pools), prefix, "")
}

/// Flavor names, e.g. `modelarts.vm.cpu.8ud`.
pub fn flavors(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(prefix) = current.to_str() else {
        return Vec::new();
    };
    candidates(ask(Ask::Flavors), prefix, "")
}

/// `--resource flavor=F,...`: the flavor, the first key of the spec.
pub fn resource(current: &OsStr) -> Vec<CompletionCandidate> {
    const KEY: &str = "flavor=";
    let Some(spec) = current.to_str() else {
        return Vec::new();
    };
    let prefix = match spec.strip_prefix(KEY) {
        Some(rest) if !rest.contains(',') => rest,
        Some(_) => return Vec::new(),
        None if KEY.starts_with(spec) => "",
        None => return Vec::new(),
    };
    candidates(ask(Ask::Flavors), prefix, KEY)
}

/// The values that start with `prefix`, each written after `before`.
fn candidates(
    found: Option<Vec<(String, String)>>,
    prefix: &str,
    before: &str,
) -> Vec<CompletionCandidate> {
    found
        .unwrap_or_default()
        .into_iter()
        .filter(|(value, _)| value.starts_with(prefix))
        .map(|(value, help)| {
            CompletionCandidate::new(format!("{before}{value}")).help(Some(help.into()))
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum Ask {
    Pools,
    Flavors,
}

/// The values of `what` with a line of help each, or None on any failure
/// or after [`TIME_LIMIT`]. The lookup runs on a thread of its own: when it
/// is late it is left behind, and the process exits without it.
fn ask(what: Ask) -> Option<Vec<(String, String)>> {
    let words: Vec<OsString> = std::env::args_os()
        .skip_while(|a| a != "--")
        .skip(2)
        .collect();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("complete".into())
        .spawn(move || {
            let _ = tx.send(look_up(what, &words));
        })
        .ok()?;
    rx.recv_timeout(TIME_LIMIT).ok().flatten()
}

fn look_up(what: Ask, words: &[OsString]) -> Option<Vec<(String, String)>> {
    // A TAB must not wait a second on an ECS metadata service that is not
    // there: completion asks it only when the user named one.
    let env = |k: &str| {
        std::env::var_os(k)
            .map(|v| v.to_string_lossy().into_owned())
            .or_else(|| {
                (k == crate::auth::metadata::ENV_METADATA_ENDPOINT).then(|| "off".to_string())
            })
    };
    let home = std::env::home_dir();
    let resolved = settings::of_completion_line(words, &env, home.as_deref())?;
    let CommandSettings::List(list) = resolved.command else {
        return None;
    };
    // The in-process emulator of --emulator starts empty: nothing to offer.
    let Service::Remote {
        target: Ok(target),
        mut http,
    } = resolved.global.service
    else {
        return None;
    };
    http.request_timeout = http.request_timeout.min(TIME_LIMIT);
    http.retry.max_attempts = 1;
    let mut client = Client::new(&target, &http, Arc::new(Silent)).ok()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    runtime.block_on(async {
        tokio::time::timeout(TIME_LIMIT, async {
            client.ensure_project().await.ok()?;
            Some(match what {
                Ask::Pools => pools(client.list_pools(&list.workspace, None, None).await.ok()?),
                Ask::Flavors => flavor_names(client.list_flavors().await.ok()?),
            })
        })
        .await
        .ok()
        .flatten()
    })
}

fn pools(found: Vec<crate::client::Fetched>) -> Vec<(String, String)> {
    let phase = |f: &crate::client::Fetched| f.pool.phase().unwrap_or("no phase").to_string();
    let mut names: Vec<(String, String)> = Vec::new();
    let mut ids: Vec<(String, String)> = Vec::new();
    for f in &found {
        let id = f.pool.name().unwrap_or_default();
        if let Some(name) = f.pool.display_name() {
            if !names.iter().any(|(n, _)| n == name) {
                names.push((name.to_string(), format!("{id}, {}", phase(f))));
            }
        }
        if !id.is_empty() {
            let help = match f.pool.display_name() {
                Some(name) => format!("{name}, {}", phase(f)),
                None => phase(f),
            };
            ids.push((id.to_string(), help));
        }
    }
    names.sort();
    ids.sort();
    names.extend(ids);
    names
}

fn flavor_names(
    found: Vec<crate::model::read::Read<crate::model::Flavor>>,
) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = found
        .iter()
        .filter_map(|f| {
            let flavor = &f.typed;
            let name = flavor.name()?;
            let available = flavor.status.phase.keys().any(|az| flavor.available_in(az));
            let help = if available {
                flavor.kind().as_str().to_string()
            } else {
                format!("{}, sold out", flavor.kind().as_str())
            };
            Some((name.to_string(), help))
        })
        .collect();
    names.sort();
    names.dedup_by(|a, b| a.0 == b.0);
    names
}

/// The client's events are for a person running a command; a completion
/// shows none of them.
struct Silent;

impl Observer for Silent {
    fn event(&self, _: ClientEvent) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    fn strings(words: Vec<OsString>) -> Vec<String> {
        words
            .into_iter()
            .map(|w| w.into_string().unwrap())
            .collect()
    }

    #[test]
    fn the_service_flags_of_the_line_are_kept_and_nothing_else() {
        let line = words(
            "--region eu-de get --workspace-id=ws1 -o json --emulator --allow-plain-http pool-",
        );
        assert_eq!(
            strings(crate::settings::service_words(&line)),
            [
                "--region",
                "eu-de",
                "--workspace-id=ws1",
                "--emulator",
                "--allow-plain-http"
            ]
        );
        // A flag whose value is still being typed is left out.
        assert!(crate::settings::service_words(&words("create --flavor x --endpoint")).is_empty());
        assert!(crate::settings::service_words(&words("create --regi")).is_empty());
    }

    #[test]
    fn candidates_start_with_what_is_typed() {
        let found = Some(vec![
            ("pool-a".to_string(), "id-a, Running".to_string()),
            ("other".to_string(), "x".to_string()),
        ]);
        let got: Vec<String> = candidates(found.clone(), "pool", "")
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(got, ["pool-a"]);
        let got: Vec<String> = candidates(found, "", "flavor=")
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(got, ["flavor=pool-a", "flavor=other"]);
        assert!(candidates(None, "", "").is_empty());
    }

    #[test]
    fn a_resource_spec_past_its_flavor_asks_nothing() {
        // Returns at once: no lookup for these.
        assert!(resource(OsStr::new("count=2")).is_empty());
        assert!(resource(OsStr::new("flavor=x,count=")).is_empty());
    }
}
