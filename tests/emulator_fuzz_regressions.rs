//! The inputs of the `emulator` fuzz target kept in `fuzz/regressions/emulator/`
//! (and its seeds), replayed through the target's own checks
//! (`fuzz/common/emulator.rs`), so `cargo test` keeps them holding without
//! cargo-fuzz or a nightly flag.

mod common;

#[path = "../fuzz/common/emulator.rs"]
mod emulator;

use common::files_in as inputs;

#[test]
fn emulator_regressions_hold_the_properties() {
    let inputs = inputs("fuzz/regressions/emulator");
    assert!(!inputs.is_empty());
    for (name, bytes) in inputs {
        emulator::check(&name, &bytes);
    }
}

#[test]
fn emulator_seeds_hold_the_properties() {
    let inputs = inputs("fuzz/seeds/emulator");
    assert!(!inputs.is_empty());
    for (name, bytes) in inputs {
        emulator::check(&name, &bytes);
    }
}

/// The properties bite: a request whose headers cannot authenticate, with
/// a body that never ends, is refused without being read, and a signed one
/// is served.
#[test]
fn the_modes_do_what_they_say() {
    use poolctl::emulator::harness::Harness;
    let harness = Harness::new();
    let emu = harness.emulator();
    let create = b"POST /v2/{project}/pools\nContent-Type: application/json\n\n{\"kind\":\"Pool\",\"apiVersion\":\"v2\",\"metadata\":{\"labels\":{\"os.modelarts/name\":\"pool-new\"}},\"spec\":{\"type\":\"Logical\",\"resources\":[{\"flavor\":\"modelarts.vm.cpu.4u8\",\"count\":1}]}}";
    for (mode, status, read, changed) in [
        ("valid", 200, true, true),
        ("token", 200, true, true),
        ("tampered", 401, true, false),
        ("stale", 401, false, false),
        ("wrongkey", 401, false, false),
        ("unsent", 401, false, false),
        ("nosign", 401, false, false),
        ("badtoken", 401, false, false),
    ] {
        let mut data = format!("{mode}\n").into_bytes();
        data.extend_from_slice(create);
        let decoded = emulator::decode(&data);
        let emu = harness.emulator();
        let input = emulator::request(&decoded, &emu);
        let before = emu.version();
        let answer = emu.call(&input).unwrap();
        assert_eq!(
            (answer.status, answer.body_read, emu.version() != before),
            (status, read, changed),
            "{mode}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        emulator::check(mode, &data);
    }
    drop(emu);
}

/// The seeds of the routes of issue 10 reach what they are meant to: the
/// pay call (204 once signed, refused otherwise), networks, the flavor
/// pages, events, and the create checks of flavors and networks.
#[test]
fn the_seeds_of_flavors_networks_orders_and_events_reach_their_routes() {
    use poolctl::emulator::harness::Harness;
    let harness = Harness::new();
    for (seed, status, changed) in [
        ("valid-pay", 204, true),
        ("token-pay", 204, true),
        ("nosign-pay", 401, false),
        ("tampered-pay", 401, false),
        ("valid-pay-unknown-order", 404, false),
        ("valid-networks", 200, false),
        ("valid-network-show", 200, false),
        ("valid-network-missing", 404, false),
        ("valid-flavors-limit", 200, false),
        ("valid-flavors-forged-continue", 400, false),
        ("valid-events", 200, false),
        ("valid-events-bad-query", 400, false),
        ("valid-create-ordered-soldout", 200, true),
        ("valid-create-unknown-flavor", 404, false),
        ("valid-create-missing-network", 404, false),
        ("valid-create-privileged", 200, true),
    ] {
        let data = std::fs::read(format!("fuzz/seeds/emulator/{seed}")).unwrap();
        let emu = harness.emulator();
        let input = emulator::request(&emulator::decode(&data), &emu);
        let before = emu.version();
        let answer = emu.call(&input).unwrap();
        assert_eq!(
            (answer.status, emu.version() != before),
            (status, changed),
            "{seed}: {}",
            String::from_utf8_lossy(&answer.body)
        );
    }
}
