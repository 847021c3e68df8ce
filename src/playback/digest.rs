//! A fingerprint of a run (FNV-1a over the JSON of every event and the final report),
//! used to check that native and wasm builds produce bit-identical simulations.

use crate::core::kernel::time::SimTime;
use crate::core::{Scenario, Simulation};

fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Runs `scenario` for `ms` and fingerprints its events and report.
pub fn run_digest(scenario: &Scenario, ms: f64) -> u64 {
    let Ok(mut sim) = Simulation::new(scenario) else {
        return 0;
    };
    sim.set_recording(true);
    sim.run_until(SimTime::from_ms(ms));
    let mut h = 0xcbf2_9ce4_8422_2325;
    for e in sim.drain_events() {
        h = fnv1a(serde_json::to_string(&e).unwrap_or_default().as_bytes(), h);
    }
    fnv1a(
        serde_json::to_string(&sim.report())
            .unwrap_or_default()
            .as_bytes(),
        h,
    )
}

/// The reference scenario of the cross-platform check: random routing keys, random
/// processing times and outcomes, TTL, dead-lettering and a crash.
pub fn reference_scenario() -> Scenario {
    let text = r##"{"version":1,"seed":99,"latency_ms":20,"nodes":[
      {"id":"p","kind":"producer","name":"p","producer":{"rate_per_sec":40,"count":300,"routing_key":"{random:a|b|c}.x","expiration_ms":800}},
      {"id":"x","kind":"exchange","name":"x","exchange":{"type":"topic"}},
      {"id":"d","kind":"exchange","name":"dlx","exchange":{"type":"fanout"}},
      {"id":"q1","kind":"queue","name":"q1","queue":{"max_length":20}},
      {"id":"q2","kind":"queue","name":"q2","queue":{"message_ttl_ms":300}},
      {"id":"dlq","kind":"queue","name":"dlq"},
      {"id":"c1","kind":"consumer","name":"c1","consumer":{"prefetch":3,"processing":{"dist":"exponential","mean_ms":60},"outcomes":{"requeue":0.1,"reject":0.1,"crash":0.02}}},
      {"id":"c2","kind":"consumer","name":"c2","consumer":{"prefetch":1,"processing":{"dist":"uniform","min_ms":10,"max_ms":90}}}],
     "edges":[{"id":"e1","from":"p","to":"x","kind":"publish"},
      {"id":"e2","from":"x","to":"q1","kind":"binding","routing_key":"a.*"},
      {"id":"e3","from":"x","to":"q2","kind":"binding","routing_key":"#.x"},
      {"id":"e4","from":"q1","to":"c1","kind":"subscription"},
      {"id":"e5","from":"q2","to":"c2","kind":"subscription"},
      {"id":"e6","from":"q1","to":"d","kind":"dead-letter"},
      {"id":"e7","from":"q2","to":"d","kind":"dead-letter"},
      {"id":"e8","from":"d","to":"dlq","kind":"binding"}]}"##;
    crate::core::scenario::load_scenario(text).expect("the reference scenario is valid")
}
