//! The settings precedence, pinned through the binary: `--show-settings`
//! prints what flags, environment and the credentials file resolved to
//! (docs/settings.md), and each snapshot sets every layer below the one
//! that must win.

mod common;

use assert_cmd::Command;
use common::{poolctl, run};

/// A home directory with a credentials file of its own values.
fn home_with_credentials() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".huaweicloud")).unwrap();
    std::fs::write(
        home.path().join(".huaweicloud/credentials"),
        "[basic]\nak = FILE-AK\nsk = FILE-SK-CANARY\nproject_id = file-project\n\
         iam_endpoint = https://iam.file.example\n",
    )
    .unwrap();
    home
}

fn with_home(home: &tempfile::TempDir) -> Command {
    let mut cmd = poolctl();
    cmd.env("HOME", home.path());
    cmd
}

const SDK_ENV: &[(&str, &str)] = &[
    ("HUAWEICLOUD_SDK_AK", "SDK-AK"),
    ("HUAWEICLOUD_SDK_SK", "SDK-SK-CANARY"),
    ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "SDK-TOKEN-CANARY"),
    ("HUAWEICLOUD_SDK_PROJECT_ID", "sdk-project"),
    ("HUAWEICLOUD_SDK_IAM_ENDPOINT", "https://iam.sdk.example"),
];

const POOLCTL_ENV: &[(&str, &str)] = &[
    ("POOLCTL_REGION", "env-region-1"),
    ("POOLCTL_ENDPOINT", "https://modelarts.env.example"),
    ("POOLCTL_PROJECT_ID", "env-project"),
    ("POOLCTL_IAM_ENDPOINT", "https://iam.env.example"),
    ("POOLCTL_CA_BUNDLE", "/etc/env-ca.pem"),
    ("POOLCTL_WORKSPACE_ID", "env-workspace"),
];

fn no_secret(r: &common::Run) {
    assert!(!r.stdout.contains("CANARY"), "{}", r.stdout);
    assert!(!r.stderr.contains("CANARY"), "{}", r.stderr);
}

#[test]
fn flags_win_over_everything() {
    let home = home_with_credentials();
    let r = run(with_home(&home)
        .envs(SDK_ENV.iter().copied())
        .envs(POOLCTL_ENV.iter().copied())
        .args([
            "--show-settings",
            "list",
            "--region",
            "flag-region-1",
            "--endpoint",
            "https://modelarts.flag.example/",
            "--project-id",
            "flag-project",
            "--ca-bundle",
            "/etc/flag-ca.pem",
            "--workspace-id",
            "flag-workspace",
            "--request-timeout",
            "5s",
            "-o",
            "json",
            "-vv",
        ]));
    no_secret(&r);
    assert_run_snapshot!("show_settings_flags", r);
}

#[test]
fn poolctl_variables_win_over_the_sdks() {
    let home = home_with_credentials();
    let r = run(with_home(&home)
        .envs(SDK_ENV.iter().copied())
        .envs(POOLCTL_ENV.iter().copied())
        .args(["--show-settings", "get", "pool-ae01"]));
    no_secret(&r);
    assert_run_snapshot!("show_settings_poolctl_env", r);
}

#[test]
fn sdk_variables_win_over_the_file() {
    let home = home_with_credentials();
    let r = run(with_home(&home)
        .envs(SDK_ENV.iter().copied())
        .env("POOLCTL_REGION", "cn-north-4")
        .args(["--show-settings", "list"]));
    no_secret(&r);
    assert_run_snapshot!("show_settings_sdk_env", r);
}

#[test]
fn the_file_is_read_when_the_environment_has_no_keys() {
    let home = home_with_credentials();
    let r = run(with_home(&home).env("POOLCTL_REGION", "cn-north-4").args([
        "--show-settings",
        "wait",
        "pool-ae01",
        "--for",
        "deleted",
    ]));
    no_secret(&r);
    assert_run_snapshot!("show_settings_file", r);
}

#[test]
fn a_region_alone_means_an_iam_lookup() {
    let r = run(poolctl()
        .env("HUAWEICLOUD_SDK_AK", "SDK-AK")
        .env("HUAWEICLOUD_SDK_SK", "SDK-SK-CANARY")
        .env("POOLCTL_AUTH_TOKEN", "TOKEN-CANARY")
        .env("NO_COLOR", "")
        .args([
            "--show-settings",
            "delete",
            "pool-ae01",
            "--region",
            "ap-southeast-3",
        ]));
    no_secret(&r);
    assert_run_snapshot!("show_settings_lookup_token", r);
}

#[test]
fn missing_credentials_are_kept_until_the_service_is_needed() {
    let r = run(poolctl().args([
        "--show-settings",
        "create",
        "-f",
        "examples/physical-pool.yaml",
        "--region",
        "cn-north-4",
        "--count",
        "3",
        "--label",
        "team=ml",
        "--validate",
        "warn",
        "--if-exists",
        "reuse",
        "--wait",
    ]));
    assert_run_snapshot!("show_settings_create_no_credentials", r);
}

#[test]
fn local_commands_and_the_emulator_need_no_target() {
    let r = run(poolctl().args([
        "--show-settings",
        "create",
        "--name",
        "pool-x",
        "--dry-run",
        "--region",
        "cn-north-4",
    ]));
    assert_run_snapshot!("show_settings_dry_run", r);
    let r = run(poolctl().args(["--show-settings", "list", "--emulator", "-q"]));
    assert_run_snapshot!("show_settings_emulator", r);
    let r = run(poolctl().args([
        "--show-settings",
        "emulator",
        "--listen",
        "9000",
        "--faults",
        "get:503*2",
        "--provision-time",
        "2s",
    ]));
    assert_run_snapshot!("show_settings_emulator_command", r);
}

/// Settings that cannot be resolved are usage errors before anything runs.
#[test]
fn bad_settings_are_usage_errors() {
    let r = run(poolctl().env("POOLCTL_RETRY_MIN_DELAY", "soon").args([
        "--show-settings",
        "list",
        "--emulator",
    ]));
    assert_run_snapshot!("show_settings_bad_variable", r);
    // HTTP settings count only for commands that talk to the service (a
    // wrong retry knob used to stop `validate` too).
    let r = run(poolctl().env("POOLCTL_RETRY_MIN_DELAY", "soon").args([
        "validate",
        "-f",
        "examples/physical-pool.yaml",
        "--request-timeout",
        "0s",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(poolctl().args(["list", "--emulator", "--request-timeout", "0s"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--request-timeout must be more than 0"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("--emulator: talking"), "{}", r.stderr);
    let r = run(poolctl().args(["emulator", "--listen", "nowhere"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--listen `nowhere`"), "{}", r.stderr);
}
