//! What every end-to-end test needs: the real binary with a clean
//! environment, and its exit code and output.

#![allow(dead_code)] // Each test crate uses a different part.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;

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
        .env("POOLCTL_RETRY_MIN_DELAY", "50ms");
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
        let mut cmd = std_poolctl();
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

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
