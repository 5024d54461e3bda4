//! What every end-to-end test needs: the real binary with a clean
//! environment, and its exit code and output.

#![allow(dead_code)] // Each test crate uses a different part.

pub mod scripted;

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;
use serde_json::Value;

/// Removes every setting a developer's shell could leak into a test.
fn clean_env(cmd: &mut StdCommand) {
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    for (k, _) in std::env::vars() {
        if k.starts_with("POOLCTL_") || k.starts_with("HUAWEICLOUD_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("NO_COLOR", "1")
        .env("HOME", "/nonexistent-home-for-tests")
        // Short client backoff, so retries do not slow the suite (docs/network.md).
        .env("POOLCTL_RETRY_MIN_DELAY", "50ms")
        // No test reaches whatever answers at 169.254.169.254 unless it
        // means to: the tests of the metadata service point it elsewhere.
        .env("POOLCTL_METADATA_ENDPOINT", "off");
}

/// The binary, for processes a test spawns and signals itself.
pub fn std_poolctl() -> StdCommand {
    let mut cmd = StdCommand::cargo_bin("poolctl").unwrap();
    clean_env(&mut cmd);
    cmd
}

/// The binary, for `run`.
pub fn poolctl() -> Command {
    Command::from_std(std_poolctl())
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr as one text: one snapshot holds all three.
    pub fn transcript(&self) -> String {
        let end = |s: &str| {
            if s.is_empty() || s.ends_with('\n') {
                ""
            } else {
                "\n"
            }
        };
        format!(
            "exit: {}\n--- stdout\n{}{}--- stderr\n{}{}",
            self.code,
            self.stdout,
            end(&self.stdout),
            self.stderr,
            end(&self.stderr)
        )
    }
}

/// What differs from run to run, made stable for snapshots: ports,
/// generated pool ids, the emulator's made-up credentials and project ids,
/// times, ages, request ids and temporary directories. Applied in this
/// order. (Elapsed times in progress lines are not filtered: snapshots of
/// waits run with `-q`.)
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"request id:? \S+", "request id: [request-id]"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        // The emulator's made-up resource ids.
        (r"\bmaos-([a-z0-9-]+)-[a-z0-9]{5}\b", "maos-$1-[rid]"),
        (r"\b(maos\.[a-z0-9.]+)\.\d+\b", "$1.[rid]"),
        (r"-[0-9a-f]{32}\b", "-[id]"),
        (r"\b[0-9a-f]{32}\b", "[project]"),
        (r"\bEMU[0-9A-F]{17}\b", "[ak]"),
        (r"\b[A-Za-z0-9]{40}\b", "[sk]"),
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})",
            "[time]",
        ),
        (r"\b\d+[smhd] ago\b", "[age] ago"),
        (r"(?m)(  )\d+[smhd]$", "$1[age]"),
        // The AGE column of describe's events.
        (
            r"(?m)^(  (?:Normal|Warning)\s+\S+\s+)\d+[smhd]( )",
            "$1[a]$2",
        ),
        (r"/tmp/[^/\s]+", "[tmp]"),
    ]
}

/// One snapshot of a run's exit code, stdout and stderr, with [`filters`].
#[macro_export]
macro_rules! assert_run_snapshot {
    ($name:expr, $run:expr) => {
        insta::with_settings!({ filters => $crate::common::filters() }, {
            insta::assert_snapshot!($name, $run.transcript());
        })
    };
}

/// [`run`] for a std command, whose stdout or stderr a test may point
/// somewhere of its own (a full disk, a closed pipe): those are not captured.
pub fn run_std(cmd: &mut StdCommand) -> Run {
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.timeout(Duration::from_secs(120)).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `poolctl emulator` as a child process on an ephemeral port.
pub struct Emulator {
    pub child: Child,
    _stdout: BufReader<ChildStdout>,
    pub exports: Vec<(String, String)>,
}

impl Emulator {
    pub fn start(extra: &[&str]) -> Emulator {
        Emulator::start_with_env(extra, &[])
    }

    /// [`Emulator::start`] with variables of its own
    /// (`POOLCTL_EMULATOR_METADATA_EXPIRY`).
    pub fn start_with_env(extra: &[&str], env: &[(&str, &str)]) -> Emulator {
        let mut cmd = std_poolctl();
        cmd.envs(env.iter().copied());
        cmd.arg("emulator");
        if !extra.contains(&"--listen") {
            cmd.args(["--listen", "127.0.0.1:0"]);
        }
        if !extra.contains(&"--provision-time") {
            cmd.args(["--provision-time", "1s"]);
        }
        cmd.args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut exports = Vec::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            let mut line = String::new();
            if stdout.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if let Some(kv) = line.trim().strip_prefix("export ") {
                let (k, v) = kv.split_once('=').unwrap();
                exports.push((
                    k.to_string(),
                    v.trim_matches(|c| c == '\'' || c == '"').to_string(),
                ));
            }
            if exports.iter().any(|(k, _)| k == "POOLCTL_ENDPOINT")
                && exports.iter().any(|(k, _)| k == "HUAWEICLOUD_SDK_SK")
                && exports.iter().any(|(k, _)| k == "POOLCTL_PROJECT_ID")
                && exports.iter().any(|(k, _)| k == "HUAWEICLOUD_SDK_AK")
            {
                break;
            }
        }
        assert!(!exports.is_empty(), "the emulator printed no export lines");
        Emulator {
            child,
            _stdout: stdout,
            exports,
        }
    }

    pub fn get(&self, key: &str) -> String {
        self.exports
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap()
    }

    /// poolctl with the emulator's exports and nothing else from the environment.
    pub fn poolctl(&self) -> Command {
        let mut cmd = poolctl();
        for (k, v) in &self.exports {
            cmd.env(k, v);
        }
        cmd
    }
}

/// The pools whose name label is `name`, as `list -o json` gives them.
pub fn pools_named(emu: &Emulator, name: &str) -> Vec<Value> {
    let r = run(emu.poolctl().args([
        "list",
        "-o",
        "json",
        "-l",
        &format!("os.modelarts/name={name}"),
    ]));
    assert_eq!(r.code, 0, "list: {}", r.stderr);
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    list["items"].as_array().unwrap().clone()
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The files of a folder of the repository (fuzz seeds, regressions), with
/// their names, in name order.
pub fn files_in(dir: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}
