//! completions/ and the man page are generated from the clap definition and
//! committed; this fails when they drift from the CLI.
//! Regenerate with: POOLCTL_REGENERATE=1 cargo test --test generated_files

use clap_complete::Shell;
use poolctl::cli::{completions, man_page};

fn check(path: &str, fresh: Vec<u8>, stale: &mut Vec<String>) {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("POOLCTL_REGENERATE").is_some() {
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, &fresh).unwrap();
        return;
    }
    if std::fs::read(&full).ok().as_deref() != Some(fresh.as_slice()) {
        stale.push(path.to_string());
    }
}

#[test]
fn completions_and_man_page_match_the_cli() {
    let mut stale = Vec::new();
    for (shell, path) in [
        (Shell::Bash, "completions/poolctl.bash"),
        (Shell::Zsh, "completions/_poolctl"),
        (Shell::Fish, "completions/poolctl.fish"),
        (Shell::PowerShell, "completions/_poolctl.ps1"),
        (Shell::Elvish, "completions/poolctl.elv"),
    ] {
        check(path, completions(shell), &mut stale);
    }
    check("man/poolctl.1", man_page(), &mut stale);
    assert!(
        stale.is_empty(),
        "generated files differ from the CLI: {}\nregenerate with: POOLCTL_REGENERATE=1 cargo test --test generated_files",
        stale.join(", ")
    );
}
