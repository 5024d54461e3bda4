//! Writes the committed seed corpora of the fuzz targets:
//!
//! - `fuzz/seeds/manifest/`: `examples/*.yaml`, SEED_PHYSICAL and SEED_LOGICAL
//!   of `tests/cli_request_path.rs`, and the body of signing vector a;
//! - `fuzz/seeds/signer/`: the inputs of `tests/data/signing-vectors.json`,
//!   encoded in the byte layout `arbitrary` decodes `SignerInput` from, and
//!   checked by decoding them back.
//!
//! Run from anywhere: `cargo run --manifest-path fuzz/seedgen/Cargo.toml`.

use std::fs;
use std::path::{Path, PathBuf};

use arbitrary::{Arbitrary, Unstructured};
use serde_json::Value;

#[path = "../../common/signer_input.rs"]
mod signer_input;
use signer_input::SignerInput;

/// The name the derive in `signer_input` expects.
use ::arbitrary;

/// Bytes that `SignerInput::arbitrary_take_rest` decodes to `input`.
///
/// `arbitrary` 1.5 reads fields in order from the front, except string
/// lengths, which it takes from the back: 1 byte while at most 257 bytes
/// remain, else 2 (big-endian) up to 65538. A `Vec` is a flag byte (odd: one
/// more element) before each element and an even byte after the last. The
/// trailing `&[u8]` takes whatever is left. Since the width of a length
/// depends on how much is left, the total is found by iterating to a fixpoint.
fn encode(input: &SignerInput<'_>) -> Vec<u8> {
    enum Op<'s> {
        Str(&'s str),
        Byte(u8),
        U64(u64),
    }
    let mut ops: Vec<Op> = vec![Op::Str(&input.method), Op::Str(&input.path)];
    for list in [&input.query, &input.headers] {
        for (k, v) in list {
            ops.push(Op::Byte(1));
            ops.push(Op::Str(k));
            ops.push(Op::Str(v));
        }
        ops.push(Op::Byte(0));
    }
    ops.push(Op::Str(&input.ak));
    ops.push(Op::Str(&input.sk));
    ops.push(Op::U64(input.shuffle));

    let fixed: usize = ops
        .iter()
        .map(|op| match op {
            Op::Str(s) => s.len(),
            Op::Byte(_) => 1,
            Op::U64(_) => 8,
        })
        .sum::<usize>()
        + input.body.len();
    let strings = ops.iter().filter(|op| matches!(op, Op::Str(_))).count();
    let mut total = fixed + 2 * strings;
    for _ in 0..16 {
        let mut front = Vec::new();
        let mut back: Vec<Vec<u8>> = Vec::new();
        let mut back_len = 0;
        for op in &ops {
            match op {
                Op::Byte(b) => front.push(*b),
                Op::U64(n) => front.extend_from_slice(&n.to_le_bytes()),
                Op::Str(s) => {
                    let left = total - front.len() - back_len;
                    let width = match left {
                        0 | 1 => panic!("no room for a length"),
                        2..=256 => 1,
                        258..=65538 => 2,
                        _ => panic!("a seed of {left} bytes left is not supported"),
                    };
                    assert!(s.len() <= left - width, "{s:?} does not fit");
                    let len = s.len() as u64;
                    let bytes = len.to_be_bytes();
                    back.push(bytes[8 - width..].to_vec());
                    back_len += width;
                    front.extend_from_slice(s.as_bytes());
                }
            }
        }
        let needed = front.len() + back_len + input.body.len();
        if needed == total {
            let mut out = front;
            out.extend_from_slice(input.body);
            for chunk in back.iter().rev() {
                out.extend_from_slice(chunk);
            }
            return out;
        }
        total = needed;
    }
    panic!("no fixpoint for the seed layout");
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The text of `const NAME: &str = r#"..."#;` in a Rust source.
fn raw_const(source: &str, name: &str) -> String {
    let start_tag = format!("const {name}: &str = r#\"");
    let start = source.find(&start_tag).expect(name) + start_tag.len();
    let len = source[start..].find("\"#;").expect(name);
    source[start..start + len].to_string()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(name), bytes).unwrap();
    println!("{}/{name} ({} bytes)", dir.display(), bytes.len());
}

fn main() {
    let root = root();
    let seeds = root.join("fuzz/seeds");

    let manifest = seeds.join("manifest");
    let mut examples: Vec<PathBuf> = fs::read_dir(root.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    examples.sort();
    for path in examples {
        let name = path.file_name().unwrap().to_str().unwrap();
        write(&manifest, name, &fs::read(&path).unwrap());
    }
    let tests = fs::read_to_string(root.join("tests/cli_request_path.rs")).unwrap();
    for (name, file) in [
        ("SEED_PHYSICAL", "seed-physical.json"),
        ("SEED_LOGICAL", "seed-logical.json"),
    ] {
        write(&manifest, file, raw_const(&tests, name).as_bytes());
    }

    let vectors: Value = serde_json::from_str(
        &fs::read_to_string(root.join("tests/data/signing-vectors.json")).unwrap(),
    )
    .unwrap();
    let signer = seeds.join("signer");
    for (i, v) in vectors["vectors"].as_array().unwrap().iter().enumerate() {
        let name = v["name"].as_str().unwrap();
        let input = &v["input"];
        let s = |k: &str| input[k].as_str().unwrap().to_string();
        let body = input["body_utf8"].as_str().unwrap_or("").as_bytes();
        if !body.is_empty() {
            write(&manifest, &format!("vector-{name}.json"), body);
        }
        // The headers the SDK signs: those before signing, Host, X-Project-Id
        // and X-Security-Token (as tests/signing_vectors.rs builds them).
        let mut headers: Vec<(String, String)> = input["headers_before_signing"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        headers.push(("Host".into(), s("host")));
        headers.push(("X-Project-Id".into(), s("project_id")));
        if let Some(t) = input["security_token"].as_str() {
            headers.push(("X-Security-Token".into(), t.into()));
        }
        let query = input["query_params_in_sdk_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
            .collect();
        let seed = SignerInput {
            method: s("method"),
            path: s("path"),
            query,
            headers,
            ak: s("ak"),
            sk: s("sk"),
            shuffle: 0x5eed_0000 + i as u64,
            body,
        };
        let bytes = encode(&seed);
        let back = SignerInput::arbitrary_take_rest(Unstructured::new(&bytes)).unwrap();
        assert_eq!(back, seed, "{name}: the seed does not decode to the vector");
        write(&signer, &format!("{name}.bin"), &bytes);
    }
}
