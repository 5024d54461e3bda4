//! Every input the fuzzer found a problem with (`fuzz/regressions/`), replayed
//! through the checks of its fuzz target, so `cargo test` keeps them fixed
//! without cargo-fuzz or a nightly flag (docs/fuzzing.md).

mod common;

use poolctl::diagnostic::Severity;
use poolctl::manifest;
use poolctl::model::to_json;
use poolctl::validate::validate;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    common::files_in(&format!("fuzz/regressions/{target}"))
}

/// What `fuzz/fuzz_targets/manifest.rs` checks.
#[test]
fn manifest_regressions_hold_the_manifest_properties() {
    let inputs = inputs("manifest");
    assert!(!inputs.is_empty());
    for (name, bytes) in inputs {
        let Ok(text) = manifest::text_from_bytes(&name, bytes) else {
            continue;
        };
        let Ok(docs) = manifest::parse_text(&name, &text, 1, Severity::Error) else {
            continue;
        };
        for mut doc in docs {
            manifest::normalize(&mut doc);
            let valid = !validate(&doc).iter().any(|d| d.is_error());
            let body = to_json(&doc.request, false);
            let again = manifest::parse_text("body.json", &body, 1, Severity::Error);
            if !valid {
                continue;
            }
            let again =
                again.unwrap_or_else(|d| panic!("{name}: the body does not parse again: {d:?}"));
            assert_eq!(again.len(), 1, "{name}");
            let mut doc2 = again.into_iter().next().unwrap();
            manifest::normalize(&mut doc2);
            let diags2 = validate(&doc2);
            assert!(
                !diags2.iter().any(|d| d.is_error()),
                "{name}: a valid manifest gave a body with errors: {diags2:?}"
            );
            assert_eq!(
                to_json(&doc2.request, false),
                body,
                "{name}: not a fixpoint"
            );
        }
    }
}

/// What `fuzz/fuzz_targets/responses.rs` checks, for one input.
#[path = "../fuzz/common/responses.rs"]
mod responses;

#[test]
fn response_regressions_hold_the_reader_properties() {
    let inputs = inputs("responses");
    assert!(!inputs.is_empty());
    for (name, bytes) in inputs {
        responses::check(&name, &bytes);
    }
    // The properties bite: a malformed list does not read.
    assert!(poolctl::model::read::pool_list(b"{}").is_err());
}
