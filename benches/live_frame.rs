//! Live-frame benchmark, native: plays the stress diagram scaled to about N messages in
//! flight (`?pattern=stress&n=N`) as the browser loop does (60 frames per second of real
//! time at speed 1) and times each part of a frame: stepping the core and absorbing what
//! it recorded, placing the dots (thinned: see `playback::thin`), stamping them into the
//! pixel buffer, and the panels' refresh. Prints figures; asserts nothing about time. Run:
//! `cargo bench --bench live_frame [-- N ...]`.

use queue_playground::core::model::ids::{EdgeId, NodeId};
use queue_playground::gallery::stress;
use queue_playground::playback::raster::{DotRaster, Stamp};
use queue_playground::playback::thin::Thinning;
use queue_playground::playback::Playback;
use std::time::Instant;

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((p / 100.0) * sorted.len() as f64).min(sorted.len() as f64 - 1.0) as usize]
}

fn main() {
    let sizes: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 50_000, 100_000]
    } else {
        sizes
    };
    for n in sizes {
        let scenario = stress::scaled(n);
        let mut pb = Playback::new(&scenario, scenario.seed).expect("the stress diagram runs");
        let mut raster = DotRaster::new();
        let mut thinning = Thinning::default();
        let frame_ms = 1000.0 / 60.0;
        // Fill the pipeline (7 s of real time), then measure 10 s.
        let mut now = 0.0;
        for _ in 0..(7 * 60) {
            now += frame_ms;
            pb.frame(now, 1.0, true);
        }
        let (mut step, mut place, mut stamp, mut counters) = (vec![], vec![], vec![], vec![]);
        let (mut dots, mut placed, mut unique) = (0usize, 0usize, 0usize);
        for _ in 0..(10 * 60) {
            now += frame_ms;
            let t = Instant::now();
            pb.frame(now, 1.0, true);
            step.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let mut points: Vec<Stamp> = Vec::new();
            let in_flight = pb.thinned_dots(1.0, &mut thinning, |d| {
                points.push(Stamp {
                    x: d.x as f32,
                    y: d.y as f32,
                    colour: 0,
                    layer: 0,
                })
            });
            place.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            raster.begin(1600, 1000, 3.5);
            raster.paint(&points, &[[52, 211, 153]]);
            stamp.push(t.elapsed().as_secs_f64() * 1e3);
            dots = in_flight;
            placed = points.len();
            // The panels' refresh (every 200 ms in the browser): every node's and edge's
            // status, the totals and a chart sample.
            let t = Instant::now();
            for i in 0..scenario.nodes.len() {
                std::hint::black_box(pb.sim.node_status(NodeId(i as u32)));
            }
            for i in 0..scenario.edges.len() {
                std::hint::black_box(pb.sim.edge_status(EdgeId(i as u32)));
            }
            std::hint::black_box((pb.sim.totals(), pb.sample()));
            counters.push(t.elapsed().as_secs_f64() * 1e3);
            unique = raster.stamped();
        }
        println!("\n== about {n} in flight: {dots} dots at the end, {placed} placed after thinning, {unique} stamped");
        for (name, v) in [
            ("core step + absorb", &mut step),
            ("dot positions", &mut place),
            ("stamping 1600×1000", &mut stamp),
            ("counters", &mut counters),
        ] {
            v.sort_by(f64::total_cmp);
            println!(
                "{name:>20}: p50 {:.2} ms  p95 {:.2} ms  max {:.2} ms",
                pct(v, 50.0),
                pct(v, 95.0),
                v[v.len() - 1]
            );
        }
    }
}
