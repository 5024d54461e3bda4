//! Arbitrary requests (method, target, headers, body) through the
//! emulator's router, signed with its key or not: the input format and the
//! properties are in `fuzz/common/emulator.rs`. In short: no panic; only
//! the statuses the notes allow, JSON error bodies; a request refused from
//! its headers is refused before its body is read; an unsigned or badly
//! signed request never changes the pools.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/emulator.rs"]
mod emulator;

fuzz_target!(|data: &[u8]| emulator::check("input", data));
