//! `poolctl flavors`: the resource flavors, and where each is sold out.

use super::context::Context;
use super::Command;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::FlavorsSettings;

impl Command for FlavorsSettings {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error> {
        ctx.block_on(async {
            let session = ctx.session().await?;
            let all = session.client.list_flavors().await?;
            let az = self.az.as_deref();
            let shown: Vec<_> = all
                .iter()
                .filter(|f| self.kind.is_none_or(|k| f.typed.kind() == k))
                .filter(|f| az.is_none_or(|az| f.typed.status.phase.contains_key(az)))
                .filter(|f| {
                    !self.available
                        || match az {
                            Some(az) => f.typed.available_in(az),
                            None => f
                                .typed
                                .status
                                .phase
                                .keys()
                                .any(|az| f.typed.available_in(az)),
                        }
                })
                .collect();
            if shown.is_empty() && !all.is_empty() {
                if let Some(az) = az {
                    let mut known: Vec<&str> = all
                        .iter()
                        .flat_map(|f| f.typed.status.phase.keys().map(String::as_str))
                        .collect();
                    known.sort_unstable();
                    known.dedup();
                    if !known.contains(&az) {
                        return Err(Error::usage_hint(
                            format!("no flavor is offered in AZ {az}"),
                            format!("the AZs of this region: {}", known.join(", ")),
                        ));
                    }
                }
            }
            ctx.printer.flavors(&shown, az)?;
            Ok(ExitStatus::Success)
        })
    }
}
