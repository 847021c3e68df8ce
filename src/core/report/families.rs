//! The report's Kafka and SQS parts: each consumer group (assignment, committed offsets
//! and lag per partition), each topic's partitions, each SQS queue's counts and ledger.

use crate::core::simulation::Simulation;
use serde::Serialize;
use std::collections::BTreeMap;

/// One partition of a group's topic (design §5).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartitionReport {
    /// First offset held.
    pub log_start: u64,
    /// Next offset to be written.
    pub log_end: u64,
    /// The group's committed offset (null: none yet).
    pub committed: Option<u64>,
    /// `log_end − committed` (from the log start without a commit).
    pub lag: u64,
}

/// A Kafka consumer group (design §5 `"groups"`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupReport {
    /// The topic it reads.
    pub topic: String,
    /// Generation of the current assignment.
    pub generation: u32,
    /// Member (consumer name) → its partitions, `"<topic>-<partition>"`.
    pub assignment: BTreeMap<String, Vec<String>>,
    /// `"<topic>-<partition>"` → offsets and lag.
    pub partitions: BTreeMap<String, PartitionReport>,
    /// Rebalances completed.
    pub rebalances: u64,
    /// Records skipped because retention deleted them before the group read them.
    pub skipped: u64,
    /// Commits refused (the member no longer owned the partition).
    pub commits_failed: u64,
}

/// A Kafka topic's ledger.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TopicReport {
    /// Partitions.
    pub partitions: u32,
    /// Records ever appended.
    pub appended: u64,
    /// Records held now.
    pub records: u64,
    /// Bytes held now (keys + values).
    pub bytes: u64,
    /// Records deleted with their segments by retention.
    pub deleted: u64,
    /// Records removed by compaction.
    pub compacted: u64,
}

/// An SQS queue now and its ledger
/// (`sent = visible + in_flight + delayed + deleted + moved_out + expired +
/// deduplicated`, with messages moved in counted in `moved_in`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SqsReport {
    /// Visible messages.
    pub visible: u64,
    /// In-flight messages.
    pub in_flight: u64,
    /// Delayed messages.
    pub delayed: u64,
    /// The ledger and counters.
    #[serde(flatten)]
    pub ledger: crate::core::families::sqs::store::SqsLedger,
}

impl Simulation {
    /// Each Kafka group (design §5 `"groups"`): generation, who owns which
    /// `"<topic>-<partition>"`, and per partition the log bounds, committed offset
    /// and lag.
    pub fn group_reports(&self) -> BTreeMap<String, GroupReport> {
        let mut out = BTreeMap::new();
        for (g, info) in self.topo.groups.iter().enumerate() {
            let state = self.log.group(g);
            let topic = &self.topo.topics[info.topic];
            let parts = self.log.partitions(info.topic);
            let mut assignment: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for &c in &state.members {
                assignment.insert(
                    self.topo.consumers[c].name.to_string(),
                    state
                        .owned_by(c)
                        .iter()
                        .map(|p| format!("{}-{p}", topic.name))
                        .collect(),
                );
            }
            let partitions = parts
                .iter()
                .enumerate()
                .map(|(p, part)| {
                    let committed = state.committed[p];
                    let from = committed.unwrap_or(part.log_start).min(part.log_end);
                    (
                        format!("{}-{p}", topic.name),
                        PartitionReport {
                            log_start: part.log_start,
                            log_end: part.log_end,
                            committed,
                            lag: part.log_end - from,
                        },
                    )
                })
                .collect();
            out.insert(
                info.name.to_string(),
                GroupReport {
                    topic: topic.name.to_string(),
                    generation: state.generation,
                    assignment,
                    partitions,
                    rebalances: state.rebalances,
                    skipped: state.skipped,
                    commits_failed: state.commits_failed,
                },
            );
        }
        out
    }

    /// Each SQS queue's counts and ledger, by name.
    pub fn sqs_reports(&self) -> BTreeMap<String, SqsReport> {
        self.topo
            .sqs
            .iter()
            .enumerate()
            .map(|(q, info)| {
                let s = self.sqs.queue(q);
                (
                    info.name.to_string(),
                    SqsReport {
                        visible: s.visible_len(),
                        in_flight: s.in_flight_len(),
                        delayed: s.delayed_len(),
                        ledger: s.ledger.clone(),
                    },
                )
            })
            .collect()
    }

    /// Each Kafka topic's ledger: records appended, held, deleted by retention and
    /// removed by compaction, summed over its partitions.
    pub fn topic_reports(&self) -> BTreeMap<String, TopicReport> {
        let mut out = BTreeMap::new();
        for (t, info) in self.topo.topics.iter().enumerate() {
            let mut r = TopicReport::default();
            for p in self.log.partitions(t) {
                r.appended += p.appended;
                r.records += p.len() as u64;
                r.deleted += p.deleted;
                r.compacted += p.compacted;
                r.bytes += p.bytes;
            }
            r.partitions = self.log.partitions(t).len() as u32;
            out.insert(info.name.to_string(), r);
        }
        out
    }
}
