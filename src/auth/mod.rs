//! Authentication (DESIGN.md §1): the credential types, the `SDK-HMAC-SHA256`
//! signer that the client and the emulator share, the ECS metadata
//! service's answer, and the region table.
//! Where credentials come from is decided by `settings`.

pub mod credentials;
pub mod endpoints;
pub mod metadata;
pub mod signer;

pub use credentials::{CredentialSource, Credentials, Secret};
pub use endpoints::{iam_endpoint, iam_endpoint_of, modelarts_endpoint, region_of, REGIONS};
