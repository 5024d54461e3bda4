//! Every input the fuzzer found a problem with (`fuzz/regressions/`), replayed
//! through the checks of its fuzz target, so `cargo test` keeps them fixed
//! without cargo-fuzz or a nightly flag (docs/fuzzing.md).

use poolctl::diagnostic::Severity;
use poolctl::manifest;
use poolctl::model::to_json;
use poolctl::validate::validate;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
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
fn response_properties(name: &str, data: &[u8]) {
    use poolctl::client::Fetched;
    use poolctl::model::read;
    use poolctl::output::pools;
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    match which % 5 {
        0 => {
            let got = read::pool(body);
            if let Some(v) = json.as_ref().filter(|v| v.is_object()) {
                let r = got.unwrap_or_else(|e| panic!("{name}: an object did not read: {e}"));
                assert_eq!(&r.raw, v, "{name}");
                let f = Fetched::from_read(r);
                let _ = pools::detail(&f);
                let _ = pools::table(&[f], 0);
            }
        }
        1 => {
            if let Ok(items) = read::pool_list(body) {
                let v = json.unwrap_or_else(|| panic!("{name}: a list that reads is JSON"));
                assert!(v["items"].is_array() || v["items"].is_null(), "{name}");
                let fetched: Vec<Fetched> = items.into_iter().map(Fetched::from_read).collect();
                let _ = pools::table(&fetched, u64::MAX);
            }
        }
        2 => {
            let _ = read::flavors(body);
        }
        3 => {
            let _ = read::events(body);
        }
        _ => {
            let _ = read::ErrorBody::read(body);
        }
    }
}

#[test]
fn response_regressions_hold_the_reader_properties() {
    let inputs = inputs("responses");
    assert!(!inputs.is_empty());
    for (name, bytes) in inputs {
        response_properties(&name, &bytes);
    }
    // The properties bite: a malformed list does not read.
    assert!(poolctl::model::read::pool_list(b"{}").is_err());
}
