//! The live loop's pure parts in wasm: the fixed-step clock and interpolation, counters
//! after N steps, determinism of Reset, and the same run digest as native.

use queue_playground::playback::clock::{lerp, FrameClock, MAX_FRAME_MS};
use queue_playground::playback::digest::{reference_scenario, run_digest};
use queue_playground::playback::Playback;
use wasm_bindgen_test::wasm_bindgen_test;

/// Must equal `REFERENCE_DIGEST` in tests/native/playback.rs.
const REFERENCE_DIGEST: u64 = 3_402_021_629_464_211_006;

#[wasm_bindgen_test]
fn fixed_step_accumulator_and_interpolation() {
    let mut c = FrameClock::new(10.0);
    c.tick(0.0);
    let t = c.tick(35.0);
    assert_eq!((t.steps, t.alpha), (3, 0.5));
    assert_eq!(c.tick(10_035.0).dt, MAX_FRAME_MS);
    assert_eq!(lerp(0.0, 10.0, 0.3), 3.0);
}

#[wasm_bindgen_test]
fn counters_follow_the_core_after_n_steps() {
    let mut pb = Playback::new(&reference_scenario(), 99).unwrap();
    for _ in 0..500 {
        pb.step_one();
    }
    let report = pb.sim.report();
    let ready: u64 = pb.sim.queue_reports().iter().map(|q| q.ready).sum();
    assert_eq!(report.totals.ready, ready);
    assert!(report.conservation.held);
    assert!(report.totals.published > 0);
}

#[wasm_bindgen_test]
fn reset_replays_identically() {
    let mut pb = Playback::new(&reference_scenario(), 99).unwrap();
    for _ in 0..400 {
        pb.step_one();
    }
    let first: Vec<_> = pb.log.iter().cloned().collect();
    pb.reset();
    for _ in 0..400 {
        pb.step_one();
    }
    let second: Vec<_> = pb.log.iter().cloned().collect();
    assert_eq!(first, second);
}

#[wasm_bindgen_test]
fn wasm_runs_match_native_bit_for_bit() {
    assert_eq!(
        run_digest(&reference_scenario(), 10_000.0),
        REFERENCE_DIGEST
    );
}

/// The exponential draws use `libm`'s logarithm, so wasm gives the bits native does.
#[wasm_bindgen_test]
fn exponential_bits_match_native() {
    use queue_playground::core::kernel::rng::{SimRng, EXPONENTIAL_BITS};
    let mut r = SimRng::new(42);
    let got: Vec<u64> = (0..4).map(|_| r.exponential(100.0).to_bits()).collect();
    assert_eq!(got, EXPONENTIAL_BITS);
}
