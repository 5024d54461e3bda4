//! Arbitrary bytes down the path of `poolctl validate -f FILE`: the byte
//! checks, the parser, the walk against the shape, `normalize` and the rules.
//! Then the request body (serialized with serde_json by `model::to_json`, as
//! `create` sends it and `--dry-run -o json` prints it) goes round again: the
//! body of a document with no error must parse, have no error either, and
//! serialize to the same bytes.
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
        let valid = errors(&diags).is_empty();
        // The body as `create` sends it and `--dry-run -o json` prints it.
        let body = to_json(&doc.request, false);

        // The body read back as a manifest (`-o json` output fed to `-f`).
        // Only a valid document's body is ever sent or printed, so only that
        // one has to read back; the others are still parsed, for panics.
        let again = match manifest::parse_text("body.json", &body, 1, Severity::Error) {
            Ok(again) => again,
            Err(_) if !valid => continue,
            Err(d) => {
                panic!("a valid manifest gave a body that does not parse: {d:?}\nbody: {body}")
            }
        };
        assert_eq!(again.len(), 1, "the body is one document: {body}");
        let mut doc2 = again.into_iter().next().unwrap();
        let diags2 = check(&mut doc2);
        if !valid {
            continue;
        }
        // Property: no error in the manifest means no error in its body.
        assert!(
            errors(&diags2).is_empty(),
            "a valid manifest gave a body with errors: {:?}\nbody: {body}",
            errors(&diags2)
        );
        // Property: the body is a fixpoint; reading it back sends the same bytes.
        assert_eq!(
            to_json(&doc2.request, false),
            body,
            "the body changed on a round trip"
        );
    }
});
