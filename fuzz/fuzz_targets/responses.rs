//! Arbitrary bytes into the readers of the service's answers: a pool, a list
//! of pools, resource flavors, events, an error body; then the text views of
//! what was read. Properties:
//!
//! - nothing panics, whatever the bytes (the readers are lenient by design:
//!   `null`s, odd types, missing fields);
//! - any JSON object reads as a pool, and the pool keeps the JSON as it came;
//! - a list reads only when `items` is a list of objects (or `null`), so a
//!   malformed list is never taken for "no pools".

#![no_main]

use libfuzzer_sys::fuzz_target;
use poolctl::client::Fetched;
use poolctl::model::read;
use poolctl::output::pools;

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    match which % 5 {
        0 => {
            let got = read::pool(body);
            if let Some(v) = json.as_ref().filter(|v| v.is_object()) {
                let r = got.expect("a JSON object always reads as a pool");
                assert_eq!(&r.raw, v);
                let f = Fetched::from_read(r);
                let _ = pools::detail(&f);
                let _ = pools::table(&[f], 0);
            }
        }
        1 => {
            if let Ok(items) = read::pool_list(body) {
                let v = json.expect("a list that reads is JSON");
                assert!(v["items"].is_array() || v["items"].is_null());
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
});
