//! Core throughput benchmark: message hops per second through a 4-node and a 50-node
//! topology, records through a Kafka topic (12 partitions, a group of 4), messages
//! through an SQS queue (4 workers receiving up to 10), ZeroMQ pipes through a device
//! to 4 workers, calls through client → service → service, and the
//! headless run of tests/scenarios/throughput-1m.json; and the timeline's seek (replay
//! from the seed) at the end and the middle of 10-minute runs of gallery patterns.
//! Prints figures; asserts nothing about time. Run: `bash scripts/bench-core.sh`.

use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::scenario::{load_scenario, Scenario};
use queue_playground::core::Simulation;
use queue_playground::gallery::bench::{
    call_chain, fifty_nodes, four_nodes, kafka_topic, sqs_queue, zmq_pipes,
};
use std::time::Instant;

/// Runs `scenario` to `until_ms` five times; returns the median and best seconds and
/// the last run (the machine is a shared VM: single runs vary by ±10%).
fn time_runs(scenario: &Scenario, until_ms: f64) -> (f64, f64, Simulation) {
    const RUNS: usize = 5;
    let mut secs = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let mut sim = Simulation::new(scenario).expect("valid benchmark scenario");
        let start = Instant::now();
        sim.run_until(SimTime::from_ms(until_ms));
        secs.push(start.elapsed().as_secs_f64());
        last = Some(sim);
    }
    secs.sort_by(f64::total_cmp);
    (secs[RUNS / 2], secs[0], last.expect("at least one run"))
}

/// Runs `scenario` `RUNS` times and prints the median and best hop rates (the machine is a
/// shared VM: single runs vary by ±10%).
fn measure(name: &str, scenario: &Scenario, until_ms: f64) {
    let (median, best, sim) = time_runs(scenario, until_ms);
    let t = sim.totals();
    let held = sim.check_conservation().held;
    println!(
        "{name:<34} {:>8} msgs {:>9} hops  median {:>6.3} s = {:>6.2} M hops/s ({:>6.2} M events/s)  best {:>6.2} M hops/s  acked {}  conservation {}",
        t.published,
        t.hops,
        median,
        t.hops as f64 / median / 1e6,
        sim.steps() as f64 / median / 1e6,
        t.hops as f64 / best / 1e6,
        t.acked,
        if held { "held" } else { "BROKEN" }
    );
}

/// Like [`measure`], for a call chain: calls answered per second (each call is two
/// requests and two replies, four hops).
fn measure_calls(name: &str, scenario: &Scenario, until_ms: f64) {
    let (median, best, sim) = time_runs(scenario, until_ms);
    let report = sim.report();
    let ok: u64 = report.calls.values().map(|c| c.calls_ok).sum();
    let client = report.calls.values().map(|c| c.calls).max().unwrap_or(0);
    println!(
        "{name:<34} {client:>8} calls {ok:>9} answered ok (both edges)  median {median:>6.3} s = {:>6.2} M calls/s  best {:>6.2} M calls/s  conservation {}",
        ok as f64 / median / 1e6,
        ok as f64 / best / 1e6,
        if sim.check_conservation().held { "held" } else { "BROKEN" }
    );
}

/// Plays gallery pattern `id` for 10 simulated minutes as the browser does (frames at
/// 100×), then times seeking to its end and to its middle (median of 5 each).
fn measure_seek(id: &str) {
    use queue_playground::playback::Playback;
    let s = queue_playground::gallery::pattern(id).expect("a gallery pattern");
    let mut pb = Playback::new(&s, s.seed).expect("valid pattern");
    let mut f = 0u32;
    while pb.timeline.reached_ms() < 600_000.0 {
        pb.frame(f as f64 * 1000.0 / 60.0, 100.0, true);
        f += 1;
    }
    let end = pb.sim.now();
    let time = |pb: &mut Playback, to: SimTime| {
        let mut ms: Vec<f64> = (0..5)
            .map(|_| {
                let start = Instant::now();
                pb.seek(to);
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        ms[2]
    };
    let to_end = time(&mut pb, end);
    let to_middle = time(&mut pb, SimTime(end.0 / 2));
    println!(
        "seek {id:<27} 10-minute run, {:>8} hops: to the end {to_end:>7.2} ms, to the middle {to_middle:>7.2} ms",
        pb.sim.totals().hops
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n = if quick { 100_000 } else { 1_000_000 };
    println!(
        "core throughput (native, {} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "optimised"
        }
    );
    measure("4-node p→x→q→c", &four_nodes(n), 20_000.0);
    measure(
        "50-node topic + e2e + fanout",
        &fifty_nodes(n / 5),
        20_000.0,
    );
    measure(
        "kafka 12 partitions → group of 4",
        &kafka_topic(n),
        20_000.0,
    );
    measure(
        "sqs queue → 4 workers (receive 10)",
        &sqs_queue(n),
        20_000.0,
    );
    measure("zeromq device (rr) → 4 workers", &zmq_pipes(n), 20_000.0);
    measure_calls("calls client → service → service", &call_chain(n), 20_000.0);
    for id in [
        "work-queue",
        "load-levelling",
        "kafka-partitions",
        "sync-vs-async",
    ] {
        measure_seek(id);
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/throughput-1m.json"
    );
    let text = std::fs::read_to_string(path).expect("throughput-1m.json");
    let s = load_scenario(&text).expect("valid throughput-1m.json");
    measure(
        "tests/scenarios/throughput-1m.json",
        &s,
        s.duration_ms.unwrap_or(60_000.0),
    );
}
