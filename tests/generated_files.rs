//! completions/ and the man pages in man/ are generated from the clap
//! definition and committed; this fails when they drift from the CLI.
//! Regenerate with: POOLCTL_REGENERATE=1 cargo test --test generated_files

use std::path::Path;
use std::process::Command;

use clap_complete::Shell;
use poolctl::cli::completions;

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
    let pages = poolctl::cli::man::pages();
    for page in &pages {
        check(
            &format!("man/{}", page.file_name()),
            page.roff.clone(),
            &mut stale,
        );
    }
    // A page of a command that is gone (renamed, hidden) is stale too.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !pages.iter().any(|p| p.file_name() == file) {
            if std::env::var_os("POOLCTL_REGENERATE").is_some() {
                std::fs::remove_file(dir.join(&file)).unwrap();
            } else {
                stale.push(format!("man/{file} (no such page)"));
            }
        }
    }
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

/// Every page renders as man(1) would show it, with no warning from groff
/// (a bad escape, an unknown macro). Skipped, saying so, where groff is
/// not installed.
#[test]
fn every_man_page_renders() {
    let groff = Command::new("groff").arg("--version").output();
    if !groff.is_ok_and(|o| o.status.success()) {
        eprintln!("groff is not installed: the man pages were not rendered");
        return;
    }
    for page in poolctl::cli::man::pages() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("man")
            .join(page.file_name());
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.is_empty(),
            "{}: {stderr}",
            path.display()
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("SEE ALSO"), "{}", path.display());
    }
}
