//! Completion in a real bash, through the function that the shipped script
//! (completions/poolctl.bash, what `poolctl completions bash` and
//! `COMPLETE=bash poolctl` print) registers: the words are set as readline
//! sets them (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT), the function
//! is called, and COMPREPLY is what bash would offer. The binary under test
//! is the `poolctl` found in PATH.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{run, Emulator};

/// What bash would offer for a line.
#[derive(Debug)]
struct Offered {
    reply: Vec<String>,
    /// No space is added after the word (a folder, to tab into).
    nospace: bool,
    /// Whatever the completion wrote to the terminal: must be nothing.
    stderr: String,
    took: Duration,
}

/// Outside readline, `compopt` cannot change a completion's options; this
/// one keeps them as readline would, starting from those of the compspec,
/// so the test sees whether a space would follow.
const DRIVER: &str = r#"
source "$SCRIPT" || exit 90
func=$(complete -p poolctl | sed -E 's/.* -F ([^ ]+) .*/\1/')
[[ -n $func ]] || exit 91
case "$(complete -p poolctl)" in *"-o nospace"*) nospace=1 ;; *) nospace=0 ;; esac
compopt() {
    case "$1 $2" in
        "-o nospace") nospace=1 ;;
        "+o nospace") nospace=0 ;;
        *) return 1 ;;
    esac
}
COMP_LINE=$LINE
COMP_POINT=${#COMP_LINE}
read -r -a COMP_WORDS <<< "$COMP_LINE"
if [[ $COMP_LINE == *" " ]]; then COMP_WORDS+=(""); fi
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_TYPE=9
COMP_KEY=9
"$func" poolctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
for r in "${COMPREPLY[@]}"; do printf 'reply:%s\n' "$r"; done
printf 'nospace:%s\n' "$nospace"
"#;

fn bash(line: &str, env: &[(String, String)]) -> Offered {
    let root = env!("CARGO_MANIFEST_DIR");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_poolctl")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.args(["--norc", "--noprofile", "-c", DRIVER])
        .current_dir(root)
        .stdin(Stdio::null());
    for (k, _) in std::env::vars() {
        if k.starts_with("POOLCTL_") || k.starts_with("HUAWEICLOUD_") || k == "COMPLETE" {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", "/nonexistent-home-for-tests")
        .env("PATH", path)
        .env("SCRIPT", Path::new(root).join("completions/poolctl.bash"))
        .env("LINE", line);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let out = cmd.output().expect("bash runs");
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{line}: {out:?}");
    Offered {
        reply: stdout
            .lines()
            .filter_map(|l| l.strip_prefix("reply:"))
            .map(str::to_string)
            .collect(),
        nospace: stdout.contains("nospace:1"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took,
    }
}

fn offered(line: &str) -> Offered {
    let o = bash(line, &[]);
    assert_eq!(o.stderr, "", "{line}");
    o
}

#[test]
fn a_file_flag_completes_folders_to_tab_into_and_files() {
    let o = offered("poolctl create -f ex");
    assert_eq!(o.reply, ["examples/"]);
    assert!(o.nospace, "a space after examples/ would end the word");
    let o = offered("poolctl create -f examples/phys");
    assert_eq!(o.reply, ["examples/physical-pool.yaml"]);
    assert!(!o.nospace, "a file is a whole word");
    for line in [
        "poolctl validate -f ex",
        "poolctl delete -f ex",
        "poolctl apply --filename ex",
        "poolctl emulator --state ex",
        "poolctl list --ca-bundle ex",
    ] {
        assert_eq!(offered(line).reply, ["examples/"], "{line}");
    }
}

#[test]
fn closed_lists_complete_their_values() {
    let o = offered("poolctl create --scope Tr");
    assert_eq!(o.reply, ["Train"]);
    assert!(!o.nospace);
    // A comma-separated list: each element.
    assert_eq!(
        offered("poolctl create --scope Train,In").reply,
        ["Train,Infer"]
    );
    for (line, values) in [
        ("poolctl create --type ", &["Dedicate", "Logical"][..]),
        ("poolctl apply --sharing ", &["shared", "unshared"]),
        (
            "poolctl create --driver-update-strategy ",
            &["force", "idle"],
        ),
        ("poolctl create --if-exists ", &["fail", "reuse"]),
        ("poolctl diff --validate ", &["strict", "warn"]),
        (
            "poolctl get x -o ",
            &["text", "json", "yaml", "name", "wide"],
        ),
        ("poolctl wait x --for ", &["running", "deleted"]),
        ("poolctl list --status cr", &["created", "creating"]),
        ("poolctl flavors --type ", &["cpu", "gpu", "npu"]),
        (
            "poolctl completions ",
            &["bash", "elvish", "fish", "powershell", "zsh"],
        ),
    ] {
        // An empty word of a positional is offered the flags too.
        let mut got: Vec<String> = offered(line)
            .reply
            .into_iter()
            .filter(|r| !r.starts_with('-'))
            .collect();
        let mut want: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{line}");
    }
}

#[test]
fn free_values_complete_no_file_names() {
    for line in [
        "poolctl create --flavor ex",
        "poolctl create --name ex",
        "poolctl create --network ex",
        "poolctl create --description ex",
        "poolctl list --region ex",
        "poolctl get ex",
    ] {
        assert_eq!(offered(line).reply, Vec::<String>::new(), "{line}");
    }
}

/// `emu`'s variables, for bash.
fn exports(emu: &Emulator) -> Vec<(String, String)> {
    emu.exports.clone()
}

#[test]
fn pool_names_and_flavors_come_from_the_service() {
    let emu = Emulator::start(&[]);
    for name in ["pool-ae01", "pool-b1"] {
        let r = run(emu.poolctl().args([
            "create",
            "-f",
            "examples/physical-pool.yaml",
            "--name",
            name,
            "-q",
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let r = run(emu.poolctl().args(["list", "-o", "json"]));
    let list: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut ids: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    let env = exports(&emu);

    // The name labels first, then each pool's metadata.name.
    let mut want = vec!["pool-ae01".to_string(), "pool-b1".to_string()];
    want.extend(ids.iter().cloned());
    for line in [
        "poolctl get pool-",
        "poolctl describe pool-",
        "poolctl wait pool-",
        "poolctl delete pool-ae01 pool-",
    ] {
        let o = bash(line, &env);
        assert_eq!((o.reply, o.stderr.as_str()), (want.clone(), ""), "{line}");
    }
    let o = bash("poolctl get pool-b", &env);
    assert_eq!(o.reply[0], "pool-b1");
    assert!(o.reply.iter().all(|r| r.starts_with("pool-b1")), "{o:?}");

    // The service flags of the line are used: here the endpoint.
    let endpoint = emu.get("POOLCTL_ENDPOINT");
    let without: Vec<(String, String)> = env
        .iter()
        .filter(|(k, _)| k != "POOLCTL_ENDPOINT")
        .cloned()
        .collect();
    assert!(bash("poolctl get pool-", &without).reply.is_empty());
    let line = format!("poolctl get --endpoint {endpoint} pool-a");
    assert_eq!(bash(&line, &without).reply[0], "pool-ae01");

    let o = bash("poolctl create --flavor modelarts.vm.gpu", &env);
    assert!(!o.reply.is_empty(), "{o:?}");
    assert!(
        o.reply.iter().all(|f| f.starts_with("modelarts.vm.gpu")),
        "{o:?}"
    );
    let o = bash("poolctl apply -f x.yaml --flavor ", &env);
    assert!(
        o.reply.contains(&"modelarts.vm.cpu.8ud".to_string()),
        "{o:?}"
    );

    // --emulator is an emulator of this one command, with no pools.
    assert!(bash("poolctl get --emulator pool-", &env).reply.is_empty());
}

#[test]
fn without_credentials_nothing_is_offered_at_once() {
    let o = offered("poolctl get pool-");
    assert!(o.reply.is_empty(), "{o:?}");
    assert!(o.took < Duration::from_secs(1), "{o:?}");
    let o = offered("poolctl create --flavor mod");
    assert!(o.reply.is_empty(), "{o:?}");
}

#[test]
fn a_service_that_does_not_answer_costs_at_most_two_seconds() {
    // Accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            held.push(conn);
        }
    });
    let env: Vec<(String, String)> = [
        ("POOLCTL_ENDPOINT", format!("http://127.0.0.1:{port}")),
        ("HUAWEICLOUD_SDK_AK", "AK".to_string()),
        ("HUAWEICLOUD_SDK_SK", "SK-CANARY".to_string()),
        ("POOLCTL_PROJECT_ID", "p1".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let o = bash("poolctl get pool-", &env);
    assert!(o.reply.is_empty(), "{o:?}");
    assert_eq!(o.stderr, "");
    assert!(o.took < Duration::from_secs(2), "{o:?}");
}

/// The shipped script is what users get either way.
#[test]
fn the_script_is_what_complete_bash_and_completions_bash_print() {
    use std::os::unix::process::CommandExt;
    let shipped =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/poolctl.bash"))
            .unwrap();
    let mut cmd = common::std_poolctl();
    cmd.arg0("poolctl").env("COMPLETE", "bash");
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&shipped)
    );
    let out = common::std_poolctl()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, shipped);
}
