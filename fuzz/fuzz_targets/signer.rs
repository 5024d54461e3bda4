//! `SDK-HMAC-SHA256` over arbitrary requests: method, path, query pairs,
//! headers, body, AK/SK. Properties:
//!
//! - `canonical_request` and `authorization` never panic, and are deterministic;
//! - `SignedHeaders` is the sorted, lowercased, de-duplicated header names, and
//!   the canonical request ends with it and the body's SHA-256;
//! - `authorization` parses back with `parse_authorization` (to the same AK,
//!   signed headers and a 64-hex signature) when the AK and the header names
//!   are HTTP tokens, as everything the client sends is;
//! - the signature is unchanged when the headers are reordered and the case of
//!   their names changes (headers of the same name keep their relative order:
//!   HTTP folds them in order, so that order is meaning);
//! - `canonical_query` is unchanged when the query pairs are reordered.

#![no_main]

use libfuzzer_sys::{arbitrary, fuzz_target};
use poolctl::auth::signer::{
    authorization, canonical_query, canonical_request, hex_sha256, parse_authorization,
    SigningInput,
};

#[path = "../common/signer_input.rs"]
mod signer_input;
use signer_input::SignerInput;

/// A small deterministic generator, so a run is reproducible from its input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// RFC 9110 `tchar`: what a header name (and an AK) is made of.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn token(s: &str, fallback: &str) -> String {
    let t: String = s.chars().filter(|c| is_tchar(*c)).collect();
    if t.is_empty() {
        fallback.to_string()
    } else {
        t
    }
}

/// The headers in another order, where headers of one (case-insensitive)
/// name keep their relative order, with the ASCII case of names changed.
fn reordered(headers: &[(String, String)], rng: &mut Rng) -> Vec<(String, String)> {
    let mut names: Vec<String> = headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    let mut rank: Vec<u64> = (0..names.len() as u64).collect();
    rng.shuffle(&mut rank);
    let mut out: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| {
            let name: String = n
                .chars()
                .map(|c| {
                    if rng.next() & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
            (name, v.clone())
        })
        .collect();
    // A stable sort by the rank of the lowercased name.
    out.sort_by_key(|(n, _)| {
        let i = names.binary_search(&n.to_ascii_lowercase()).unwrap();
        rank[i]
    });
    out
}

fn sign(input: &SignerInput<'_>, headers: &[(String, String)], ak: &str) -> String {
    authorization(
        &SigningInput {
            method: &input.method,
            path: &input.path,
            query: &input.query,
            headers,
            body: input.body,
        },
        ak,
        &input.sk,
    )
}

fuzz_target!(|input: SignerInput<'_>| {
    let mut rng = Rng(input.shuffle);
    let signing = SigningInput {
        method: &input.method,
        path: &input.path,
        query: &input.query,
        headers: &input.headers,
        body: input.body,
    };

    // Never panics; deterministic.
    let (canonical, signed) = canonical_request(&signing);
    assert_eq!(
        (canonical.clone(), signed.clone()),
        canonical_request(&signing)
    );
    let auth = sign(&input, &input.headers, &input.ak);
    assert_eq!(auth, sign(&input, &input.headers, &input.ak));

    // SignedHeaders: sorted, lowercased, unique; the canonical request ends
    // with them and the body's hash.
    let mut expected: Vec<String> = input
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(signed, expected.join(";"));
    let tail = format!("\n{signed}\n{}", hex_sha256(input.body));
    assert!(canonical.ends_with(&tail), "{canonical:?}");

    // Reordered headers with names in another case sign the same.
    let moved = reordered(&input.headers, &mut rng);
    assert_eq!(
        sign(&input, &moved, &input.ak),
        auth,
        "reordered headers: {moved:?}"
    );

    // The query is canonical whatever the order of its pairs.
    let mut query = input.query.clone();
    rng.shuffle(&mut query);
    assert_eq!(canonical_query(&query), canonical_query(&input.query));

    // Parses back, for what a client sends: the AK and header names are
    // HTTP tokens, and X-Sdk-Date is among the headers.
    let ak = token(&input.ak, "AK");
    let mut headers: Vec<(String, String)> = input
        .headers
        .iter()
        .map(|(n, v)| (token(n, "x-empty"), v.clone()))
        .collect();
    headers.push(("X-Sdk-Date".into(), "20241024T124243Z".into()));
    let auth = sign(&input, &headers, &ak);
    let parsed =
        parse_authorization(&auth).unwrap_or_else(|| panic!("does not parse back: {auth:?}"));
    let mut names: Vec<String> = headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(parsed.access, ak);
    assert_eq!(parsed.signed_headers, names);
    assert!(
        parsed.signature.len() == 64
            && parsed
                .signature
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{auth:?}"
    );
});
