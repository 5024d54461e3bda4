//! One function per command. Settings are resolved into plain values before
//! a command runs; commands never print directly, the `Printer` does.

mod create;
mod generate;
pub mod remote;
mod validate;

pub use generate::{completions, man_page};

use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::output::Printer;

pub fn run(cli: Cli, printer: &Printer) -> Result<(), Error> {
    match &cli.command {
        Command::Create(args) => create::run(&cli.global, args, printer),
        Command::Validate(args) => validate::run(args, printer),
        Command::Schema => {
            let schema = crate::manifest::shape::manifest_schema();
            printer.result(&serde_json::to_string_pretty(&schema).unwrap_or_default());
            Ok(())
        }
        Command::Completions(args) => {
            printer.result(&String::from_utf8_lossy(&completions(args.shell)));
            Ok(())
        }
        Command::Man => {
            printer.result(&String::from_utf8_lossy(&man_page()));
            Ok(())
        }
        Command::Get(args) => remote::get(&cli.global, args, printer),
        Command::List(args) => remote::list(&cli.global, args, printer),
        Command::Wait(args) => remote::wait_cmd(&cli.global, args, printer),
        Command::Delete(args) => remote::delete(&cli.global, args, printer),
        Command::Emulator(args) => remote::serve_emulator(args, printer),
    }
}
