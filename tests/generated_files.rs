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

/// docs/exit-codes.md lists exactly the codes of the table that `--help`
/// and the man page are generated from, each with the same meaning.
#[test]
fn the_exit_code_page_matches_the_table() {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/exit-codes.md"),
    )
    .unwrap();
    let rows: Vec<(u8, String)> = page
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells.get(1)?.parse().ok()?;
            Some((code, cells.get(2)?.to_string()))
        })
        .collect();
    let table: Vec<(u8, String)> = poolctl::exit::TABLE
        .iter()
        .map(|c| (c.code, c.meaning.to_string()))
        .collect();
    assert_eq!(rows, table, "docs/exit-codes.md and src/exit.rs differ");
}
