//! Credentials, the AK/SK signer and token auth (DESIGN.md §2, api/NOTES.md).

pub mod signer;
