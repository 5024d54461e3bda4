//! Reading manifests (YAML or JSON, one or many documents) into typed
//! requests with source locations, and applying flag overrides.

pub mod flags;
