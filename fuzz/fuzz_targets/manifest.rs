//! Arbitrary bytes down the path of `poolctl validate -f FILE`: the byte
//! checks, the parser, the walk against the shape, `normalize` and the rules.
//! Then the request body (serialized with serde_json by `model::to_json`, as
//! `create` sends it and `--dry-run -o json` prints it) goes round again: it
//! must parse, be no less valid, and serialize to the same bytes.
//!
//! Panics, hangs (`-timeout`) and huge allocations (`-rss_limit_mb`,
//! `-malloc_limit_mb`) are findings; so is a broken property below.

#![no_main]

use libfuzzer_sys::fuzz_target;
use poolctl::diagnostic::{Diagnostic, Severity};
use poolctl::manifest::{self, Document};
use poolctl::model::to_json;
use poolctl::validate::validate;

fn errors(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.is_error()).collect()
}

/// `normalize` then the rules, as `poolctl validate` does.
fn check(doc: &mut Document) -> Vec<Diagnostic> {
    manifest::normalize(doc);
    validate(doc)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = manifest::text_from_bytes("fuzz.yaml", data.to_vec()) else {
        return;
    };
    let Ok(docs) = manifest::parse_text("fuzz.yaml", &text, 1, Severity::Error) else {
        return;
    };
    for mut doc in docs {
        let diags = check(&mut doc);
        // The body as `create` sends it and `--dry-run -o json` prints it.
        let body = to_json(&doc.request, false);

        // The body read back as a manifest (`-o json` output fed to `-f`).
        let again = match manifest::parse_text("body.json", &body, 1, Severity::Error) {
            Ok(again) => again,
            Err(d) => panic!("the body does not parse again: {d:?}\nbody: {body}"),
        };
        assert_eq!(again.len(), 1, "the body is one document: {body}");
        let mut doc2 = again.into_iter().next().unwrap();
        let diags2 = check(&mut doc2);

        // Property: no error in the manifest means no error in its body.
        if errors(&diags).is_empty() {
            assert!(
                errors(&diags2).is_empty(),
                "a valid manifest gave a body with errors: {:?}\nbody: {body}",
                errors(&diags2)
            );
        }
        // Property: the body is a fixpoint; reading it back sends the same bytes.
        let body2 = to_json(&doc2.request, false);
        assert_eq!(body, body2, "the body changed on a round trip");
    }
});
