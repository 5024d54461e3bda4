//! poolctl: create ModelArts resource pools from a manifest or flags.
//!
//! The request travels one way through these modules (DESIGN.md §1,
//! docs/architecture.md): `cli` → `settings` → `manifest` → `validate` →
//! `model` body → `auth` → `client` → `wait` → `output`, with `commands`
//! composing them and `main` turning the outcome into the exit code.

pub mod auth;
pub mod cli;
pub mod client;
pub mod commands;
pub mod diagnostic;
pub mod drift;
pub mod duration;
pub mod emulator;
pub mod error;
pub mod exit;
pub mod manifest;
pub mod model;
pub mod output;
pub mod preflight;
pub mod redact;
pub mod settings;
pub mod suggest;
pub mod time;
pub mod validate;
pub mod wait;
