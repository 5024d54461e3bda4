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

#[path = "../common/responses.rs"]
mod responses;

fuzz_target!(|data: &[u8]| responses::check("input", data));
