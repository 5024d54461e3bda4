//! The signer target's input, shared with `seedgen` (which writes the signing
//! vectors in this layout), so both decode the same bytes the same way.

use super::arbitrary::{self, Arbitrary};

/// One request to sign, as arbitrary as the `arbitrary` crate makes it.
/// `body` is last so it takes the rest of the bytes as they are.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub struct SignerInput<'a> {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub ak: String,
    pub sk: String,
    /// Drives the reorderings and case changes of the properties.
    pub shuffle: u64,
    pub body: &'a [u8],
}
