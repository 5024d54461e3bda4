//! Properties over generated input, in the normal suite:
//! - a manifest that validates serializes to a body that validates again,
//!   and serializing is stable (the body is what was validated);
//! - a signature does not depend on header order or header-name case.

use poolctl::auth::signer::{self, SigningInput};
use poolctl::diagnostic::Severity;
use poolctl::manifest;
use poolctl::validate::validate;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// One of `good` nine times in ten, else one of `bad`: most generated
/// manifests are valid, and every rule still meets a failing value.
fn mostly<T: Clone + std::fmt::Debug + 'static>(
    good: &'static [T],
    bad: &'static [T],
) -> BoxedStrategy<T> {
    prop_oneof![9 => proptest::sample::select(good), 1 => proptest::sample::select(bad)].boxed()
}

fn resource(index: usize, logical: bool) -> impl Strategy<Value = Value> {
    (
        mostly(
            &[
                "modelarts.vm.cpu.8ud",
                "modelarts.vm.gpu.t4u8",
                "modelarts.vm.gpu.tnt004",
            ],
            &["", "modelarts.vm.cpu.8ud"],
        ),
        prop_oneof![9 => 1i64..6, 1 => -1i64..1],
        proptest::option::weighted(0.2, 0i64..8),
        proptest::option::weighted(
            0.5,
            (
                mostly(&["SSD", "GPSSD", "SAS"], &["HDD"]),
                mostly(&["100", "\"200\""], &["\"0\"", "\"x\""]),
            ),
        ),
        proptest::option::weighted(
            0.3,
            proptest::collection::vec((mostly(&["team", "env"], &["CCE-x"]), "[a-z]{1,4}"), 0..2),
        ),
        proptest::option::weighted(0.3, mostly(&["ZWNobyBoaQ==", "YWJj"], &["not base64"])),
    )
        .prop_map(move |(flavor, count, max, root, tags, post)| {
            let mut r = Map::new();
            // Distinct per index unless the bad draw repeats the first flavor.
            let flavor = if flavor.is_empty() || index == 0 || flavor == "modelarts.vm.cpu.8ud" {
                flavor.to_string()
            } else {
                format!("{flavor}.{index}")
            };
            r.insert("flavor".into(), json!(flavor));
            r.insert("count".into(), json!(count));
            if let Some(m) = max {
                // A logical pool may exceed count; a physical one must match it.
                r.insert(
                    "maxCount".into(),
                    json!(if logical { count + m } else { m }),
                );
            }
            if let Some((vt, size)) = root {
                // Sizes are written as JSON: a number, or a quoted string.
                let size: Value = serde_json::from_str(size).unwrap();
                r.insert("rootVolume".into(), json!({"volumeType": vt, "size": size}));
            }
            if let Some(tags) = tags {
                let mut seen = std::collections::HashSet::new();
                let tags: Vec<Value> = tags
                    .into_iter()
                    .filter(|(k, _)| seen.insert(*k))
                    .map(|(k, v)| json!({"key": k, "value": v}))
                    .collect();
                r.insert("tags".into(), Value::Array(tags));
            }
            if let Some(p) = post {
                r.insert(
                    "extendParams".into(),
                    json!({"postInstall": p, "dockerBaseSize": 50}),
                );
            }
            Value::Object(r)
        })
}

fn manifest_value() -> impl Strategy<Value = Value> {
    (mostly(&["Dedicate", "Logical"], &["Dedicated"]), 1usize..3)
        .prop_flat_map(|(ty, n)| {
            let logical = ty == "Logical";
            let resources: Vec<_> = (0..n).map(|i| resource(i, logical)).collect();
            (
                mostly(&["v2"], &["v1"]),
                prop_oneof![9 => "[a-z][a-z0-9-]{2,20}[a-z0-9]", 1 => "[A-Za-z0-9_-]{1,70}"],
                Just(ty),
                proptest::option::weighted(
                    if logical { 0.1 } else { 0.7 },
                    proptest::collection::hash_set(
                        mostly(&["Train", "Infer", "Notebook"], &["Nope"]),
                        0..3,
                    ),
                ),
                if logical {
                    proptest::option::weighted(0.05, Just("network-21e1")).boxed()
                } else {
                    proptest::option::weighted(0.95, mostly(&["network-21e1"], &["net"])).boxed()
                },
                resources,
                proptest::option::weighted(
                    0.4,
                    (
                        mostly(&["172.16.0.0/16", "10.0.0.0/12"], &["10.16.0.0/16", "bad"]),
                        mostly(&["10.247.0.0/16"], &["172.16.0.0/17"]),
                    ),
                ),
                proptest::option::weighted(0.3, mostly(&["0", "1"], &["2"])),
            )
        })
        .prop_map(|(api, name, ty, scope, net, resources, cidrs, billing)| {
            let mut spec = Map::new();
            spec.insert("type".into(), json!(ty));
            if let Some(s) = scope {
                spec.insert("scope".into(), json!(s.into_iter().collect::<Vec<_>>()));
            }
            if let Some(n) = net {
                spec.insert("network".into(), json!({"name": n}));
            }
            spec.insert("resources".into(), Value::Array(resources));
            if let Some((c, s)) = cidrs {
                spec.insert("containerNetwork".into(), json!({"cidr": c}));
                spec.insert("kubernetesSvcIpRange".into(), json!(s));
            }
            let mut ann = Map::new();
            if let Some(b) = billing {
                ann.insert("os.modelarts/billing.mode".into(), json!(b));
            }
            json!({
                "apiVersion": api,
                "kind": "Pool",
                "metadata": {"labels": {"os.modelarts/name": name}, "annotations": ann},
                "spec": spec,
            })
        })
}

fn errors_of(text: &str) -> Option<(usize, Value)> {
    let mut docs = manifest::parse_text("p.json", text, 1, Severity::Error).ok()?;
    let doc = &mut docs[0];
    manifest::normalize(doc);
    let errors = validate(doc).iter().filter(|d| d.is_error()).count();
    Some((errors, serde_json::to_value(&doc.request).unwrap()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_valid_manifest_gives_a_body_that_validates_again(v in manifest_value(), yaml in any::<bool>()) {
        let text = if yaml {
            serde_saphyr::to_string(&v).unwrap()
        } else {
            serde_json::to_string_pretty(&v).unwrap()
        };
        let (errors, body) = errors_of(&text).expect("a generated manifest parses");
        if errors == 0 {
            let sent = serde_json::to_string(&body).unwrap();
            let (again, body_again) = errors_of(&sent).expect("a body parses");
            prop_assert_eq!(again, 0, "the body failed validation: {}", sent);
            prop_assert_eq!(body_again, body, "the body changed on a second pass");
        }
    }

    #[test]
    fn signing_ignores_header_order_and_name_case(
        extra in proptest::collection::vec(("x-[a-z]{1,8}", "[ -~]{0,12}"), 0..4),
        order in any::<proptest::sample::Index>(),
        upper in proptest::collection::vec(any::<bool>(), 8),
        query in proptest::collection::vec(("[a-zA-Z]{1,6}", "[ -~]{0,8}"), 0..4),
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut headers: Vec<(String, String)> = vec![
            ("Content-Type".into(), "application/json".into()),
            ("Host".into(), "modelarts.ap-southeast-1.myhuaweicloud.com".into()),
            ("X-Sdk-Date".into(), "20241024T124243Z".into()),
            ("X-Project-Id".into(), "0123456789abcdef0123456789abcdef".into()),
        ];
        for (k, v) in extra {
            if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(&k)) {
                headers.push((k, v));
            }
        }
        let sign = |h: &[(String, String)], q: &[(String, String)]| {
            signer::authorization(
                &SigningInput { method: "POST", path: "/v2/p/pools", query: q, headers: h, body: &body },
                "AK",
                "SK",
            )
        };
        let reference = sign(&headers, &query);
        let mut shuffled = headers.clone();
        let n = shuffled.len();
        shuffled.rotate_left(order.index(n));
        for (i, (name, _)) in shuffled.iter_mut().enumerate() {
            if upper[i % upper.len()] {
                *name = name.to_ascii_uppercase();
            } else {
                *name = name.to_ascii_lowercase();
            }
        }
        let mut q2 = query.clone();
        q2.reverse();
        prop_assert_eq!(&sign(&shuffled, &q2), &reference);
        let parsed = signer::parse_authorization(&reference).unwrap();
        prop_assert_eq!(parsed.access, "AK");
        prop_assert!(parsed.signed_headers.windows(2).all(|w| w[0] < w[1]));
    }
}

/// The round-trip property means something only if valid manifests are
/// generated often; this counts them.
#[test]
fn the_generator_makes_valid_and_invalid_manifests() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = manifest_value();
    let (mut valid, total) = (0, 400);
    for _ in 0..total {
        let v = strategy.new_tree(&mut runner).unwrap().current();
        let (errors, _) = errors_of(&serde_json::to_string(&v).unwrap()).unwrap();
        if errors == 0 {
            valid += 1;
        }
    }
    println!("{valid} of {total} generated manifests are valid");
    assert!(
        valid * 10 >= total,
        "only {valid} of {total} valid: the property is nearly vacuous"
    );
    assert!(
        valid < total,
        "no invalid ones: the validator is not exercised"
    );
}

/// Any JSON, nested a few levels, with the keys the readers look for.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z0-9\\-\\x1b]{0,8}".prop_map(Value::from),
    ];
    let keys = prop_oneof![
        Just("metadata".to_string()),
        Just("name".to_string()),
        Just("labels".to_string()),
        Just("spec".to_string()),
        Just("resources".to_string()),
        Just("count".to_string()),
        Just("status".to_string()),
        Just("phase".to_string()),
        Just("available".to_string()),
        Just("items".to_string()),
        "[a-z]{1,6}",
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The readers of the service's answers never fail on an object, keep it
    /// as it came, and their text views never panic.
    #[test]
    fn any_json_object_reads_as_a_pool(v in any_json()) {
        let body = serde_json::to_vec(&v).unwrap();
        match poolctl::model::read::pool(&body) {
            Ok(r) => {
                prop_assert!(v.is_object());
                prop_assert_eq!(&r.raw, &v);
                let f = poolctl::client::Fetched::from_read(r);
                let _ = poolctl::output::pools::detail(&f);
            }
            Err(_) => prop_assert!(!v.is_object()),
        }
        let list = serde_json::json!({"items": [v.clone()]});
        let read = poolctl::model::read::pool_list(&serde_json::to_vec(&list).unwrap());
        prop_assert_eq!(read.is_ok(), v.is_object() || v.is_null());
        let _ = poolctl::model::read::flavors(&body);
        let _ = poolctl::model::read::events(&body);
    }
}
