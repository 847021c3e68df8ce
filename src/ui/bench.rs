//! In-browser core benchmark: `window.wasmBindings.qpBenchCore(messages)` runs the same
//! 4-node, 50-node and Kafka topologies as the native benchmark inside wasm and returns the
//! figures (median of three runs) as JSON text. Used by `scripts/bench-live.sh`.

use crate::core::kernel::time::SimTime;
use crate::core::Simulation;
use crate::gallery::bench::{fifty_nodes, four_nodes, kafka_topic, sqs_queue, zmq_pipes};
use wasm_bindgen::prelude::*;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Runs `scenario` three times; reports the median time (the host varies run to run).
fn measure(name: &str, scenario: &crate::core::Scenario) -> serde_json::Value {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let Ok(mut sim) = Simulation::new(scenario) else {
            return serde_json::json!({ "name": name, "error": "invalid benchmark scenario" });
        };
        let start = now_ms();
        sim.run_until(SimTime::from_ms(20_000.0));
        times.push((now_ms() - start).max(0.001));
        last = Some(sim);
    }
    crate::core::sort::sort_by(&mut times, f64::total_cmp);
    let ms = times[1];
    let Some(sim) = last else {
        return serde_json::json!({ "name": name, "error": "no run" });
    };
    let t = sim.totals();
    serde_json::json!({
        "name": name,
        "messages": t.published,
        "hops": t.hops,
        "ms": ms,
        "hops_per_s": t.hops as f64 / ms * 1000.0,
        "conservation": sim.check_conservation().held,
    })
}

/// Runs the core benchmark with `messages` messages per topology.
#[wasm_bindgen(js_name = qpBenchCore)]
pub fn bench_core(messages: u32) -> String {
    let n = messages.max(1) as u64;
    serde_json::json!([
        measure("4-node", &four_nodes(n)),
        measure("50-node", &fifty_nodes((n / 5).max(1))),
        measure("kafka", &kafka_topic(n)),
        measure("sqs", &sqs_queue(n)),
        measure("zeromq", &zmq_pipes(n))
    ])
    .to_string()
}
