//! `poolctl emulator`: serve the pool API on loopback until Ctrl-C or SIGTERM.

use super::context::Context;
use super::Command;
use crate::duration::format_duration;
use crate::emulator::{self, Config};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::EmulatorSettings;

impl Command for EmulatorSettings {
    /// Prints the export lines a client needs on stdout (they hold the SK:
    /// that is where the user asked for them), where it serves on stderr,
    /// and stops cleanly, exit 0, on a signal: that is how it is stopped.
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        let config = Config::from_settings(&self)?;
        ctx.serve(async {
            let emulator = emulator::start(config).await.map_err(|e| {
                Error::usage_hint(
                    format!("cannot start the emulator on {}: {e}", self.listen),
                    "choose another --listen address (port 0 picks a free one)",
                )
            })?;
            ctx.printer.result(&emulator.export_lines())?;
            ctx.printer.info(&format!(
                "poolctl emulator: serving on {} (provision time {}{}); Ctrl-C to stop",
                emulator.endpoint(),
                format_duration(self.provision_time),
                match &self.faults_spec {
                    Some(spec) if !emulator.config().faults.is_empty() => {
                        format!(", faults {spec}")
                    }
                    _ => String::new(),
                },
            ));
            ctx.signalled().await?;
            emulator.shutdown().await;
            Ok(ExitStatus::Success)
        })
    }
}
