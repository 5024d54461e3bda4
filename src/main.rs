use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use poolctl::cli::Cli;
use poolctl::commands::{self, Context};
use poolctl::exit::ExitStatus;
use poolctl::output::Printer;
use poolctl::settings::{self, OutputSettings};

/// The one place a run's outcome becomes the process's exit code.
fn main() -> ExitCode {
    // `COMPLETE=SHELL poolctl ...`, from the completion script: print the
    // candidates (or the script itself) and exit, before anything else
    // writes to stdout. Unset, this reads one variable.
    clap_complete::CompleteEnv::with_factory(Cli::command).complete();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let printed = e.print();
            // --help and --version are results, and a result that cannot be
            // written is a failure; every parse error is usage.
            let status = match printed {
                _ if e.use_stderr() => ExitStatus::Usage,
                Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
                    let _ = writeln!(std::io::stderr(), "error: cannot write the help: {err}");
                    ExitStatus::Internal
                }
                _ => ExitStatus::Success,
            };
            return ExitCode::from(status.code());
        }
    };
    // A value that is not UTF-8 is read, not taken for unset: a credential
    // holding one is then refused as such (exit 4), naming the variable.
    let env = |k: &str| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned());
    let home = std::env::home_dir();
    let output = OutputSettings::resolve(&cli.global, &env);
    let printer = Printer::new(&output);
    let outcome = settings::resolve(cli, output, &env, home.as_deref()).and_then(|s| {
        if s.show {
            printer.result(&settings::show(&s))?;
            return Ok(ExitStatus::Success);
        }
        let ctx = Context::new(printer.clone(), s.global);
        commands::run(s.command, &ctx)
    });
    let status = match outcome {
        Ok(status) => status,
        Err(e) => {
            printer.error(&e);
            e.exit_status()
        }
    };
    ExitCode::from(status.code())
}
