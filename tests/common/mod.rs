//! What every end-to-end test needs: the real binary with a clean
//! environment, and its exit code and output.

#![allow(dead_code)] // Each test crate uses a different part.

use std::process::Command as StdCommand;
use std::time::Duration;

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
