//! Frames' scoreboards: the figures of the part of a diagram a frame surrounds — what
//! its producers published, what its workers processed (and processed again: the same
//! message id more than once), what was lost at its nodes by reason, and the
//! publish-to-ack latency of what its workers acknowledged.

use super::Simulation;
use crate::core::kernel::metrics::LatencyHistogram;
use crate::core::topology::NodeRef;
use serde::Serialize;
use std::collections::BTreeMap;

/// One frame's figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FrameReport {
    /// Messages its producers published.
    pub published: u64,
    /// Messages its workers processed (duplicates included).
    pub processed: u64,
    /// Of those, processed again (a message id its worker had processed before).
    pub duplicates: u64,
    /// Processed after a message published later had been processed in the frame
    /// (out of publish order).
    pub out_of_order: u64,
    /// Messages lost at its nodes, by reason.
    pub lost: BTreeMap<String, u64>,
    /// Median publish-to-ack latency of what its workers acknowledged, ms.
    pub p50_ms: f64,
    /// 99th percentile of the same, ms.
    pub p99_ms: f64,
}

impl FrameReport {
    /// Everything lost, whatever the reason.
    pub fn lost_total(&self) -> u64 {
        self.lost.values().sum()
    }
}

impl Simulation {
    /// Frame `i`'s figures now (`None` past the last frame).
    pub fn frame_report(&self, i: usize) -> Option<FrameReport> {
        let (_, nodes) = self.topo.frames.get(i)?;
        let mut r = FrameReport {
            out_of_order: self.frame_order.get(i).map_or(0, |o| o.1),
            ..FrameReport::default()
        };
        let mut latency = LatencyHistogram::default();
        for &node in nodes {
            match self.topo.nodes.get(node.index()) {
                Some(NodeRef::Producer(p)) => r.published += self.producers[*p].sent,
                Some(NodeRef::Consumer(c)) => {
                    let s = &self.workers[*c].stats;
                    r.processed += s.processed;
                    r.duplicates += s.processed.saturating_sub(s.unique_processed);
                    if let Some(h) = &self.workers[*c].latency {
                        latency.merge(h);
                    }
                }
                _ => {}
            }
            for ((at, reason), n) in self
                .kernel
                .dropped_at
                .range((node, crate::core::model::events::DropReason::ALL[0])..)
            {
                if *at != node {
                    break;
                }
                *r.lost.entry(reason.as_str().to_string()).or_insert(0) += n;
            }
        }
        r.p50_ms = latency.quantile_us(0.5) as f64 / 1000.0;
        r.p99_ms = latency.quantile_us(0.99) as f64 / 1000.0;
        Some(r)
    }

    /// Worker `c` processed message number `message` (the numbers follow publish order):
    /// each frame around `c` counts it out of order when a later one was processed
    /// there before.
    pub(crate) fn note_frame_order(&mut self, c: usize, message: u64) {
        let node = self.topo.consumers[c].node;
        for (i, (_, nodes)) in self.topo.frames.iter().enumerate() {
            if nodes.contains(&node) {
                let (latest, late) = &mut self.frame_order[i];
                if message < *latest {
                    *late += 1;
                } else {
                    *latest = message;
                }
            }
        }
    }

    /// Every frame's figures, by name.
    pub fn frame_reports(&self) -> BTreeMap<String, FrameReport> {
        (0..self.topo.frames.len())
            .filter_map(|i| Some((self.topo.frames[i].0.clone(), self.frame_report(i)?)))
            .collect()
    }
}
