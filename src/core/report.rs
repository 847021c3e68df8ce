//! Snapshots of a simulation: per-node figures and totals, as printed by
//! `qp simulate` and read by the UI's counters.

use crate::core::actors::worker::ConsumerStats;
use crate::core::families::rabbit::state::QueueStats;
use crate::core::kernel::census::ConservationReport;
use crate::core::kernel::metrics::{LatencySummary, Totals};
use crate::core::model::status::EdgeStatus;
use crate::core::simulation::Simulation;
use serde::Serialize;
use std::collections::BTreeMap;

mod families;
pub use families::*;

/// One queue's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueReport {
    /// Queue name.
    pub name: String,
    /// Ready messages now.
    pub ready: u64,
    /// Unacked messages now.
    pub unacked: u64,
    /// Payload bytes of ready messages now.
    pub ready_bytes: u64,
    /// Counters.
    #[serde(flatten)]
    pub stats: QueueStats,
}

/// One consumer's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsumerReport {
    /// Consumer name.
    pub name: String,
    /// Connected now.
    pub online: bool,
    /// Working on a message now.
    pub busy: bool,
    /// Messages held now (unacked, or auto-acked and not yet handled).
    pub held: u64,
    /// Prefetch limit (0 = unlimited).
    pub prefetch: u32,
    /// Counters.
    #[serde(flatten)]
    pub stats: ConsumerStats,
}

/// One producer's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProducerReport {
    /// Producer name.
    pub name: String,
    /// Messages published.
    pub published: u64,
}

/// Everything `qp simulate` prints.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Simulated clock in ms.
    pub time_ms: f64,
    /// Seed used.
    pub seed: u64,
    /// Internal actions processed.
    pub steps: u64,
    /// Counts by message state.
    pub totals: Totals,
    /// Per queue, by node id.
    pub queues: BTreeMap<String, QueueReport>,
    /// Per consumer, by node id.
    pub consumers: BTreeMap<String, ConsumerReport>,
    /// Per producer, by node id.
    pub producers: BTreeMap<String, ProducerReport>,
    /// End-to-end latency, publish to ack.
    pub latency: LatencySummary,
    /// The conservation check.
    pub conservation: ConservationReport,
    /// Per edge, by edge id: messages that set off along it.
    pub edges: BTreeMap<String, EdgeStatus>,
    /// Kafka consumer groups, by `group.id` (only when the diagram has some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, GroupReport>,
    /// Kafka topics, by name (only when the diagram has some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub topics: BTreeMap<String, TopicReport>,
    /// SQS queues, by name (only when the diagram has some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub sqs: BTreeMap<String, SqsReport>,
    /// ZeroMQ pipes, by edge id (only when the diagram has some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub pipes: BTreeMap<String, crate::core::families::pipe::PipeReport>,
    /// ZeroMQ devices, by node id (only when the diagram has some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub devices: BTreeMap<String, crate::core::families::pipe::DeviceStats>,
    /// Frames' scoreboards, by name (only when the diagram has some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub frames: BTreeMap<String, crate::core::simulation::frames::FrameReport>,
    /// Call edges, by edge id (only when the diagram has some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub calls: BTreeMap<String, crate::core::families::rpc::CallReport>,
    /// Services, by node id (only when the diagram has some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub services: BTreeMap<String, crate::core::families::rpc::ServiceReport>,
    /// SNS topics, by name (only when the diagram has some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub sns: BTreeMap<String, crate::core::families::sqs::SnsStats>,
    /// The script's results (only for a scenario with a script).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script_results: Option<Vec<crate::core::scenario::script::ScriptResult>>,
}

impl Simulation {
    /// Per-queue figures, in queue order.
    pub fn queue_reports(&self) -> Vec<QueueReport> {
        self.topo
            .queues
            .iter()
            .zip(self.rabbit.queues())
            .map(|(info, state)| QueueReport {
                name: info.name.to_string(),
                ready: state.ready.len() as u64,
                unacked: state.unacked,
                ready_bytes: state.ready_bytes,
                stats: state.stats.clone(),
            })
            .collect()
    }

    /// Per-consumer figures, in consumer order.
    pub fn consumer_reports(&self) -> Vec<ConsumerReport> {
        self.topo
            .consumers
            .iter()
            .zip(&self.workers)
            .enumerate()
            .map(|(c, (info, state))| ConsumerReport {
                name: info.name.to_string(),
                online: state.online,
                busy: !state.busy.is_empty(),
                held: self.held_by(c),
                prefetch: info.spec.prefetch,
                stats: state.stats.clone(),
            })
            .collect()
    }

    /// Per-producer figures, in producer order.
    pub fn producer_reports(&self) -> Vec<ProducerReport> {
        self.topo
            .producers
            .iter()
            .zip(&self.producers)
            .map(|(i, s)| ProducerReport {
                name: i.name.to_string(),
                published: s.sent,
            })
            .collect()
    }

    /// Totals with the live counts filled in.
    pub fn totals(&self) -> Totals {
        let mut t = self.kernel.totals.clone();
        let queues = self.rabbit.queues();
        // Each family's holdings, as the census classes them: waiting is ready, in a
        // worker's hands unacked; the rest of the live copies travel an edge.
        let (piped, pipe_held) = self.pipes.live_counts();
        let (backlog, requests_held) = self.rpc.live_counts();
        t.ready = queues.iter().map(|q| q.ready.len() as u64).sum::<u64>() + piped + backlog;
        t.unacked = queues.iter().map(|q| q.unacked).sum::<u64>()
            + self.log.at_workers()
            + self.sqs.at_workers()
            + pipe_held
            + requests_held;
        let live = self.kernel.parcels.live();
        t.processing = self.rabbit.processing();
        t.in_flight = live.saturating_sub(t.ready + t.unacked + t.processing);
        t.dropped_by_reason = self
            .kernel
            .dropped
            .iter()
            .map(|(r, n)| (r.as_str().to_string(), *n))
            .collect();
        t
    }

    /// End-to-end latency percentiles (publish to ack).
    pub fn latency(&self) -> LatencySummary {
        self.kernel.latency.summary()
    }

    /// A full report.
    pub fn report(&self) -> Report {
        let ids = &self.topo.node_ids;
        Report {
            time_ms: self.kernel.now.as_ms(),
            seed: self.seed(),
            steps: self.kernel.steps,
            totals: self.totals(),
            queues: self
                .topo
                .queues
                .iter()
                .zip(self.queue_reports())
                .map(|(i, r)| (ids[i.node.index()].clone(), r))
                .collect(),
            consumers: self
                .topo
                .consumers
                .iter()
                .zip(self.consumer_reports())
                .map(|(i, r)| (ids[i.node.index()].clone(), r))
                .collect(),
            producers: self
                .topo
                .producers
                .iter()
                .zip(self.producer_reports())
                .map(|(i, r)| (ids[i.node.index()].clone(), r))
                .collect(),
            latency: self.latency(),
            conservation: self.check_conservation(),
            edges: self
                .topo
                .edge_ids
                .iter()
                .enumerate()
                .filter_map(|(i, id)| {
                    Some((
                        id.clone(),
                        self.edge_status(crate::core::model::ids::EdgeId(i as u32))?,
                    ))
                })
                .collect(),
            script_results: (!self.topo.script.is_empty()).then(|| self.script_results()),
            groups: self.group_reports(),
            topics: self.topic_reports(),
            sqs: self.sqs_reports(),
            pipes: self
                .topo
                .pipes
                .iter()
                .enumerate()
                .map(|(i, info)| {
                    (
                        self.topo.edge_ids[info.edge.index()].clone(),
                        self.pipes.report(&self.topo, i, self.kernel.now),
                    )
                })
                .collect(),
            devices: self
                .topo
                .devices
                .iter()
                .enumerate()
                .map(|(d, info)| {
                    (
                        self.topo.node_ids[info.node.index()].clone(),
                        self.pipes.device(d).clone(),
                    )
                })
                .collect(),
            sns: self
                .topo
                .sns
                .iter()
                .enumerate()
                .map(|(t, info)| (info.name.to_string(), self.sqs.topic(t).clone()))
                .collect(),
            frames: self.frame_reports(),
            calls: self
                .topo
                .calls
                .iter()
                .enumerate()
                .map(|(i, info)| {
                    (
                        self.topo.edge_ids[info.edge.index()].clone(),
                        self.rpc.call_report(i, self.kernel.now),
                    )
                })
                .collect(),
            services: (0..self.topo.consumers.len())
                .filter_map(|c| {
                    let info = &self.topo.consumers[c];
                    let report = self.rpc.service_report(
                        c,
                        self.workers[c].busy.len() as u64,
                        info.concurrency as u64,
                        self.workers[c].stats.processed,
                    )?;
                    Some((self.topo.node_ids[info.node.index()].clone(), report))
                })
                .collect(),
        }
    }
}

/// What a message copy looks like from outside (for peeking into a queue).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CopyView {
    /// Copy id.
    pub copy: crate::core::model::ids::CopyId,
    /// Message number.
    pub message: crate::core::model::ids::MessageId,
    /// `message_id` property.
    pub message_id: String,
    /// Current routing key.
    pub routing_key: String,
    /// Payload.
    pub payload: String,
    /// Redelivered flag.
    pub redelivered: bool,
    /// Times returned to a queue.
    pub returns: u32,
    /// Priority property.
    pub priority: Option<u8>,
    /// `correlation_id` property.
    pub correlation_id: Option<String>,
    /// `reply_to` property.
    pub reply_to: Option<String>,
    /// Dead-letter history, newest first.
    pub x_death: Vec<crate::core::model::message::XDeath>,
}

impl Simulation {
    /// The ready messages of the queue node `queue`, in delivery order (empty for
    /// other nodes).
    pub fn peek_queue(&self, queue: crate::core::model::ids::NodeId) -> Vec<CopyView> {
        let Some(crate::core::topology::NodeRef::Queue(q)) =
            self.topo.nodes.get(queue.index()).copied()
        else {
            return Vec::new();
        };
        self.rabbit
            .queue(q)
            .ready
            .iter()
            .filter_map(|slot| self.kernel.parcels.try_get(slot))
            .map(|c| CopyView {
                copy: c.id,
                message: c.body.id,
                message_id: c.body.message_id.to_string(),
                routing_key: c.routing_key.to_string(),
                payload: c.body.payload.to_string(),
                redelivered: c.redelivered,
                returns: c.returns,
                priority: c.body.priority,
                correlation_id: c.body.correlation_id.as_deref().map(str::to_string),
                reply_to: c.body.reply_to.as_deref().map(str::to_string),
                x_death: c.x_death.clone(),
            })
            .collect()
    }

    /// The node index of the node with scenario id `id`.
    pub fn node_index(&self, id: &str) -> Option<crate::core::model::ids::NodeId> {
        self.topo
            .node_ids
            .iter()
            .position(|n| n == id)
            .map(|i| crate::core::model::ids::NodeId(i as u32))
    }

    /// How many message ids the consumer node `consumer` remembers now (its
    /// idempotency window); `None` for other nodes.
    pub fn remembered_ids(&self, consumer: crate::core::model::ids::NodeId) -> Option<usize> {
        match self.topo.nodes.get(consumer.index())? {
            crate::core::topology::NodeRef::Consumer(c) => Some(self.workers[*c].seen.len()),
            _ => None,
        }
    }
}

/// `n` with its thousands grouped by commas (`10000` → `10,000`), as figures are
/// written in the app's and `qp`'s sentences.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
