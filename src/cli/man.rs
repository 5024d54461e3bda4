//! The man pages: poolctl(1), and poolctl-COMMAND(1) for every command
//! `--help` lists. clap_mangen makes each page from the clap definition
//! (`cli`); the sections it cannot know come from the one table of each:
//! EXIT STATUS from [`crate::exit::TABLE`], ENVIRONMENT and FILES from
//! [`crate::settings::ENVIRONMENT`] and [`crate::settings::FILES`], and a
//! command's EXAMPLES from its `--help` (`after_help`). `man/` holds them,
//! and a test keeps it in step (`POOLCTL_REGENERATE=1 cargo test --test
//! generated_files` rewrites it).

use clap::CommandFactory;
use roff::{bold, italic, roman, Roff};

use super::Cli;

/// One man page: its name (`poolctl`, `poolctl-create`) and its roff text.
pub struct Page {
    pub name: String,
    pub roff: Vec<u8>,
}

impl Page {
    /// The name of its file in `man/`, e.g. `poolctl-create.1`.
    pub fn file_name(&self) -> String {
        format!("{}.1", self.name)
    }
}

/// Examples of poolctl(1): what a new user types first.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "Try the whole path with no account, against an emulator inside the process:",
        "poolctl create -f examples/physical-pool.yaml --emulator --wait",
    ),
    (
        "Check a manifest, then create its pools and follow them until they run:",
        "poolctl validate -f pool.yaml\npoolctl --region ap-southeast-1 create -f pool.yaml --wait",
    ),
    (
        "One template, many runs: flags override the manifest:",
        "poolctl create -f pool.yaml --name pool-ci-42 --count 2 --if-exists reuse --wait",
    ),
    (
        "See the pools, one in detail, and delete it:",
        "poolctl list\npoolctl describe pool-ae01\npoolctl delete pool-ae01 --wait",
    ),
    (
        "Complete commands, flags, files, pool names and flavors in bash (see poolctl-completions(1)):",
        "source <(COMPLETE=bash poolctl)",
    ),
];

/// The command definition as the pages show it: built, so that each
/// command carries the global flags and its `poolctl COMMAND` name, and
/// without the `help` command, which has no page.
fn definition() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// Every page: poolctl(1) first, then one per command `--help` lists, in
/// its order.
pub fn pages() -> Vec<Page> {
    let root = definition();
    let mut pages = vec![root_page(&root)];
    pages.extend(
        root.get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| command_page(&root, c)),
    );
    pages
}

/// The page of `command` (`create` or `poolctl-create`), or poolctl(1).
pub fn page(command: Option<&str>) -> Option<Vec<u8>> {
    let name = match command {
        None => "poolctl".to_string(),
        Some(c) if c.starts_with("poolctl") => c.to_string(),
        Some(c) => format!("poolctl-{c}"),
    };
    pages().into_iter().find(|p| p.name == name).map(|p| p.roff)
}

/// The commands that have a page, as `poolctl man COMMAND` takes them.
pub fn commands() -> Vec<String> {
    definition()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect()
}

/// clap_mangen's page of `cmd` with `sections` (roff) put before its
/// VERSION section, which stays last.
fn render(cmd: clap::Command, sections: &str) -> Vec<u8> {
    // What the help ends with is in sections of its own, not in the generic
    // EXTRA that clap_mangen would make of it.
    let cmd = cmd.after_help(None::<&str>);
    // Every page's footer names poolctl, not the command.
    let source = format!("poolctl {}", env!("CARGO_PKG_VERSION"));
    let mut out = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(cmd).source(source).render(&mut out);
    let page = String::from_utf8_lossy(&out).into_owned();
    match page.find(".SH VERSION") {
        Some(at) => format!("{}{sections}{}", &page[..at], &page[at..]),
        None => page + sections,
    }
    .into_bytes()
}

fn root_page(root: &clap::Command) -> Page {
    let mut r = Roff::new();
    r.control("SH", ["ENVIRONMENT"]);
    for (name, what) in crate::settings::ENVIRONMENT {
        r.control("TP", []).text([bold(*name)]).text([roman(*what)]);
    }
    r.control("SH", ["FILES"]);
    for (name, what) in crate::settings::FILES {
        r.control("TP", [])
            .text([italic(*name)])
            .text([roman(*what)]);
    }
    let mut sections = r.to_roff();
    // The exit codes, which `--help` ends with.
    sections.push_str(&crate::exit::man_section());
    let mut r = Roff::new();
    r.control("SH", ["EXAMPLES"]);
    for (what, commands) in EXAMPLES {
        r.control("PP", []).text([roman(*what)]);
        example(&mut r, commands.lines());
    }
    see_also(
        &mut r,
        root.get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| format!("poolctl-{}", c.get_name())),
    );
    r.control("PP", [])
        .text([roman("The documentation: docs/ in the source of poolctl.")]);
    sections.push_str(&r.to_roff());
    Page {
        name: "poolctl".into(),
        roff: render(root.clone(), &sections),
    }
}

/// The page of one command: its flags, then what its `--help` ends with
/// (an "Exit status:" paragraph, "Examples:"), and SEE ALSO poolctl(1).
fn command_page(root: &clap::Command, cmd: &clap::Command) -> Page {
    let name = format!("{}-{}", root.get_name(), cmd.get_name());
    let after = cmd
        .get_after_help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    let mut exit_status = Vec::new();
    let mut examples = Vec::new();
    let mut notes = Vec::new();
    for paragraph in after.split("\n\n").filter(|p| !p.trim().is_empty()) {
        if let Some(rest) = paragraph.strip_prefix("Examples:") {
            examples.extend(rest.lines().map(str::trim).filter(|l| !l.is_empty()));
        } else if let Some(rest) = paragraph.strip_prefix("Exit status:") {
            exit_status.push(rest.trim().to_string());
        } else {
            notes.push(paragraph.trim().to_string());
        }
    }
    let mut r = Roff::new();
    for note in &notes {
        r.control("PP", []).text([roman(note.as_str())]);
    }
    r.control("SH", ["EXIT STATUS"]);
    for text in &exit_status {
        r.control("PP", []).text([roman(text.as_str())]);
    }
    r.control("PP", []).text([
        roman("The exit codes of every command are listed under EXIT STATUS in "),
        bold("poolctl"),
        roman("(1)."),
    ]);
    if !examples.is_empty() {
        r.control("SH", ["EXAMPLES"]);
        example(&mut r, examples.into_iter());
    }
    see_also(&mut r, std::iter::once("poolctl".to_string()));
    Page {
        roff: render(cmd.clone(), &r.to_roff()),
        name,
    }
}

/// Commands, one per line, as typed.
fn example<'a>(r: &mut Roff, commands: impl Iterator<Item = &'a str>) {
    r.control("PP", []).control("RS", ["4"]).control("nf", []);
    for line in commands {
        r.text([roman(line)]);
    }
    r.control("fi", []).control("RE", []);
}

fn see_also(r: &mut Roff, pages: impl Iterator<Item = String>) {
    let mut line = Vec::new();
    for (i, page) in pages.enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        line.push(bold(page));
        line.push(roman("(1)"));
    }
    // No hyphen breaks a page's name across lines.
    r.control("SH", ["SEE ALSO"]).control("nh", []).text(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(page: &[u8]) -> String {
        String::from_utf8(page.to_vec()).unwrap()
    }

    #[test]
    fn every_page_poolctl_1_refers_to_exists_and_refers_back() {
        let pages = pages();
        let root = text(&pages[0].roff);
        assert_eq!(pages[0].name, "poolctl");
        let see_also = &root[root.find(".SH \"SEE ALSO\"").unwrap()..];
        for page in &pages[1..] {
            let name = page.name.replace('-', "\\-");
            assert!(
                see_also.contains(&format!("\\fB{name}\\fR(1)")),
                "{}",
                page.name
            );
            assert!(root.contains(&format!("{name}(1)")), "{}", page.name);
            let own = text(&page.roff);
            assert!(own.starts_with(".ie"), "{}", page.name);
            assert!(
                own.contains(&format!(".TH {} 1 ", page.name)),
                "{}",
                page.name
            );
            assert!(
                own.contains(".SH \"SEE ALSO\"\n.nh\n\\fBpoolctl\\fR(1)"),
                "{}",
                page.name
            );
        }
        let names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
        for must in [
            "poolctl-create",
            "poolctl-get",
            "poolctl-delete",
            "poolctl-completions",
        ] {
            assert!(names.contains(&must), "{names:?}");
        }
        // Hidden commands and `help` have no page.
        assert!(!names.contains(&"poolctl-man") && !names.contains(&"poolctl-help"));
        assert!(!root.contains("poolctl\\-help"), "{root}");
    }

    #[test]
    fn poolctl_1_has_every_section_from_its_table() {
        let root = text(&page(None).unwrap());
        let at = |s: &str| {
            root.find(s)
                .unwrap_or_else(|| panic!("no {s} in poolctl(1)"))
        };
        assert!(
            at(".SH ENVIRONMENT") < at(".SH FILES")
                && at(".SH FILES") < at(".SH \"EXIT STATUS\"")
                && at(".SH \"EXIT STATUS\"") < at(".SH EXAMPLES")
                && at(".SH EXAMPLES") < at(".SH \"SEE ALSO\"")
                && at(".SH \"SEE ALSO\"") < at(".SH VERSION")
        );
        for (name, _) in crate::settings::ENVIRONMENT {
            assert!(
                root.contains(&format!("\\fB{}\\fR", name.replace('-', "\\-"))),
                "{name}"
            );
        }
        for (name, _) in crate::settings::FILES {
            assert!(
                root.contains(&format!("\\fI{}\\fR", name.replace('-', "\\-"))),
                "{name}"
            );
        }
        for c in crate::exit::TABLE {
            assert!(root.contains(&format!("\\fB{}\\fR\n", c.code)));
        }
        // The exit codes are their own section, not a paragraph of EXTRA.
        assert!(!root.contains(".SH EXTRA"));
    }

    #[test]
    fn a_command_page_takes_its_examples_and_exit_status_from_its_help() {
        let diff = text(&page(Some("diff")).unwrap());
        assert!(diff.contains(".SH \"EXIT STATUS\"\n.PP\n0 when every pool matches, 9 when"));
        assert!(diff.contains(".SH EXAMPLES\n.PP\n.RS 4\n.nf\npoolctl diff \\-f pool.yaml\n"));
        assert!(!diff.contains(".SH EXTRA"), "{diff}");
        let create = text(&page(Some("poolctl-create")).unwrap());
        assert!(create.contains("\\fBpoolctl create\\fR"), "{create}");
        // The global flags are on each command's page.
        assert!(create.contains("\\-\\-output"), "{create}");
        assert!(create.contains(".SH POOL"), "{create}");
        assert!(page(Some("nothing")).is_none());
        assert!(commands().contains(&"create".to_string()));
    }
}
