//! `poolctl emulator`: serve the pool API on loopback until Ctrl-C or SIGTERM.

use super::context::Context;
use super::Command;
use crate::duration::format_duration;
use crate::emulator::{self, Config, StartError};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::EmulatorSettings;

impl Command for EmulatorSettings {
    /// Prints the export lines a client needs on stdout (they hold the SK:
    /// that is where the user asked for them), where it serves on stderr
    /// (the address actually bound, with a warning when other hosts can
    /// reach it), and stops cleanly, exit 0, on a signal: that is how it is
    /// stopped.
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let config = Config::from_settings(&self);
        ctx.serve(async {
            let emulator = emulator::launch(config).await.map_err(|e| match e {
                StartError::Listen(e) => Error::usage_hint(
                    format!("cannot start the emulator on {}: {e}", self.listen),
                    "choose another --listen address (port 0 picks a free one)",
                ),
                StartError::State(e) if e.kind() == std::io::ErrorKind::ResourceBusy => {
                    Error::usage_hint(
                        format!("cannot start the emulator: {e}"),
                        "stop that emulator first, or choose another --state file",
                    )
                }
                StartError::State(e) => Error::usage_hint(
                    format!("cannot start the emulator: {e}"),
                    "the file is left as it was: fix or remove it, or choose another --state file",
                ),
            })?;
            ctx.printer.result(&emulator.export_lines())?;
            ctx.printer.info(&format!(
                "poolctl emulator: serving on {} (provision time {}{}); Ctrl-C to stop",
                emulator.bound_url(),
                format_duration(self.provision_time),
                match &self.faults_spec {
                    Some(spec) if !emulator.config().faults.is_empty() => {
                        format!(", faults {spec}")
                    }
                    _ => String::new(),
                },
            ));
            if !emulator.endpoint_is_loopback() {
                ctx.printer.warning(&format!(
                    "{} is not a loopback address: any host that can reach this one \
                     can call the emulator, and requests to it, credentials included \
                     (signatures, tokens), cross the network in cleartext (plain http; \
                     the exports allow it with POOLCTL_ALLOW_PLAIN_HTTP=1)",
                    emulator.addr(),
                ));
            } else if !emulator.is_loopback() {
                ctx.printer.warning(&format!(
                    "{} is not a loopback address: any host that can reach this one \
                     can call the emulator; clients on this host use {}",
                    emulator.addr(),
                    emulator.endpoint(),
                ));
            }
            ctx.signalled().await?;
            emulator.shutdown().await;
            Ok(ExitStatus::Success)
        })
    }
}
