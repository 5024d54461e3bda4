//! Credentials, the AK/SK signer and token auth (DESIGN.md §2, api/NOTES.md),
//! and the resolution of settings into a [`Target`] before any request.

pub mod credentials;
pub mod endpoints;
pub mod signer;

pub use credentials::{
    resolve_credentials, CredentialSource, Credentials, FoundCredentials, Secret,
};
pub use endpoints::{
    iam_endpoint, modelarts_endpoint, resolve_target, resolve_target_from_process, Target, REGIONS,
};
