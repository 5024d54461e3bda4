//! The properties of the `responses` fuzz target, for one input; shared with
//! `tests/fuzz_regressions.rs`, which replays the regressions through it.
//!
//! The first byte picks the reader; the rest is the answer's body.

use poolctl::client::Fetched;
use poolctl::model::read;
use poolctl::output::pools;

pub fn check(name: &str, data: &[u8]) {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    match which % 5 {
        0 => {
            let got = read::pool(body);
            if let Some(v) = json.as_ref().filter(|v| v.is_object()) {
                let r = got.unwrap_or_else(|e| panic!("{name}: an object did not read: {e}"));
                assert_eq!(&r.raw, v, "{name}: the answer is kept as it came");
                let f = Fetched::from_read(r);
                let _ = pools::detail(&f);
                let _ = pools::table(&[f], 0, true, true);
            }
        }
        1 => {
            if let Ok(items) = read::pool_list(body) {
                let v = json.unwrap_or_else(|| panic!("{name}: a list that reads is JSON"));
                assert!(
                    v["items"].is_array() || v["items"].is_null(),
                    "{name}: a list without items read"
                );
                let fetched: Vec<Fetched> = items.into_iter().map(Fetched::from_read).collect();
                let _ = pools::table(&fetched, u64::MAX, true, true);
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
