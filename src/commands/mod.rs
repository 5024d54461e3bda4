//! One file per command, each behind [`Command`]: it takes the command's
//! settings and a [`Context`], and returns how the run ends. Commands never
//! print but through the context's printer, and never exit: a failure they
//! have reported themselves is an [`ExitStatus`], any other an [`Error`].
//!
//! [`run`] dispatches; it is the only file here that knows the clap layer,
//! for the completion scripts generated from it. [`complete`] holds the
//! completers the clap definition names for values asked of the service.

mod apply;
pub mod complete;
mod context;
mod create;
mod delete;
mod describe;
mod diff;
mod emulator;
mod flavors;
mod follow;
mod generated;
mod get;
mod list;
mod manifests;
mod plan;
mod validate;
mod wait;

pub use context::{Context, Pending, Session, Waiting};

use crate::cli;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::settings::CommandSettings;
use generated::Generated;

/// The results of tasks spawned as `(index, result)`, in index order; a
/// task that panicked is `failed(why)` in its place at the end.
pub(crate) async fn in_order<T: 'static>(
    mut set: tokio::task::JoinSet<(usize, T)>,
    failed: impl Fn(String) -> T,
) -> Vec<T> {
    let mut done = Vec::new();
    while let Some(joined) = set.join_next().await {
        done.push(joined.unwrap_or_else(|e| (usize::MAX, failed(e.to_string()))));
    }
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// A command: its settings, run in a context.
pub trait Command {
    fn run(self, ctx: &Context) -> Result<ExitStatus, Error>;
}

pub fn run(command: CommandSettings, ctx: &Context) -> Result<ExitStatus, Error> {
    match command {
        CommandSettings::Create(c) => (*c).run(ctx),
        CommandSettings::Validate(c) => c.run(ctx),
        CommandSettings::Get(c) => c.run(ctx),
        CommandSettings::Describe(c) => c.run(ctx),
        CommandSettings::Diff(c) => c.run(ctx),
        CommandSettings::Apply(c) => (*c).run(ctx),
        CommandSettings::Flavors(c) => c.run(ctx),
        CommandSettings::List(c) => c.run(ctx),
        CommandSettings::Wait(c) => c.run(ctx),
        CommandSettings::Delete(c) => c.run(ctx),
        CommandSettings::Emulator(c) => c.run(ctx),
        CommandSettings::Schema(c) => c.run(ctx),
        CommandSettings::Completions(c) => Generated(cli::completions(c.shell)).run(ctx),
        // poolctl(1), or the page of a command.
        CommandSettings::Man(c) => match cli::man::page(c.command.as_deref()) {
            Some(page) => Generated(page).run(ctx),
            None => Err(Error::usage_hint(
                format!(
                    "no man page for `{}`",
                    c.command.as_deref().unwrap_or_default()
                ),
                format!("the pages: {}", cli::man::commands().join(", ")),
            )),
        },
    }
}
