//! The status API: what each node and edge shows now, asked of the family or actor
//! that owns it. The UI and the report read figures from here.

use super::Simulation;
use crate::core::model::ids::{EdgeId, NodeId};
use crate::core::model::status::{EdgeStatus, GroupStatus, NodeStatus, PartitionStatus};
use crate::core::topology::NodeRef;

impl Simulation {
    /// What node `node` shows now (`None` for an index outside the diagram).
    pub fn node_status(&self, node: NodeId) -> Option<NodeStatus> {
        Some(match *self.topo.nodes.get(node.index())? {
            NodeRef::Producer(p) => NodeStatus::Producer {
                published: self.producers[p].sent,
                blocked: self.producers[p].pending.is_some(),
            },
            NodeRef::Device(d) => NodeStatus::ZmqDevice {
                forwarded: self.pipes.device(d).forwarded,
                waiting: self.pipes.device_waiting(&self.topo, d),
                lru: self.topo.devices[d].mode
                    == crate::core::scenario::DeviceMode::LeastRecentlyUsed,
            },
            NodeRef::Exchange(_) => NodeStatus::Exchange,
            NodeRef::Queue(q) => {
                let state = self.rabbit.queue(q);
                NodeStatus::Queue {
                    ready: state.ready.len() as u64,
                    unacked: state.unacked,
                    ready_bytes: state.ready_bytes,
                    max_length: self.topo.queues[q].max_length,
                    levels: if self.topo.queues[q].max_priority.is_some() {
                        state.ready.level_counts()
                    } else {
                        Vec::new()
                    },
                }
            }
            NodeRef::Consumer(c) if self.topo.consumers[c].service.is_some() => {
                let state = &self.workers[c];
                let info = &self.topo.consumers[c];
                let limits = info.service.expect("a service");
                let report = self
                    .rpc
                    .service_report(
                        c,
                        state.busy.len() as u64,
                        info.concurrency as u64,
                        state.stats.processed,
                    )
                    .expect("a service");
                NodeStatus::Service {
                    busy: report.busy,
                    workers: report.workers,
                    backlog: report.backlog,
                    backlog_limit: limits.backlog as u64,
                    served: report.served,
                    failed: report.failed,
                    refused: report.refused_down + report.refused_full,
                    online: state.online,
                    processed: state.stats.processed,
                }
            }
            NodeRef::Consumer(c) => {
                let state = &self.workers[c];
                NodeStatus::Consumer {
                    processed: state.stats.processed,
                    busy: !state.busy.is_empty(),
                    online: state.online,
                    held: self.held_by(c),
                    // A Kafka member's window is its poll size.
                    prefetch: match (
                        &self.topo.consumers[c].membership,
                        &self.topo.consumers[c].receive,
                    ) {
                        (Some(m), _) => m.spec.max_poll_records,
                        (None, Some(r)) => r.spec.max_messages,
                        // A ZeroMQ worker takes one message at a time from its pipes.
                        (None, None) if !self.topo.consumers[c].pipes_in.is_empty() => 1,
                        (None, None) => self.topo.consumers[c].spec.prefetch,
                    },
                }
            }
            NodeRef::Topic(t) => self.topic_status(t),
            NodeRef::SqsQueue(q) => self.sqs_status(q),
            NodeRef::SnsTopic(t) => {
                let s = self.sqs.topic(t);
                NodeStatus::SnsTopic {
                    published: s.published,
                    delivered: s.delivered,
                    filtered_out: s.filtered_out,
                }
            }
        })
    }

    /// Deliveries consumer `c` holds now: RabbitMQ's unacked (or auto-acked and
    /// unhandled), or the Kafka records it fetched and has not finished.
    pub fn held_by(&self, c: usize) -> u64 {
        if self.topo.consumers[c].service.is_some() {
            let broker = match self.source_of(c) {
                Some(crate::core::simulation::seams::Source::Calls) | None => 0,
                Some(_) => self.broker_held_by(c),
            };
            return broker + self.rpc.held_by(c);
        }
        self.broker_held_by(c)
    }

    fn broker_held_by(&self, c: usize) -> u64 {
        if let Some(n) = self.sqs.held_by(c) {
            return n;
        }
        if !self.topo.consumers[c].pipes_in.is_empty() {
            return self.pipes.held_by(c);
        }
        match self.log.member_state(c) {
            Some(m) => m.held.len() as u64,
            None => self.rabbit.held_by(c),
        }
    }

    fn sqs_status(&self, q: usize) -> NodeStatus {
        use crate::core::families::sqs::store::Visibility;
        use crate::core::model::status::{MessageGlance, GLANCE};
        let store = self.sqs.queue(q);
        let now = self.kernel.now;
        let left = |until: crate::core::kernel::time::SimTime| {
            Some(until.0.saturating_sub(now.0) as f64 / 1000.0)
        };
        let glance = store
            .glance(GLANCE)
            .map(|m| {
                let (state, remaining_ms) = match m.state {
                    Visibility::Visible => ("visible", None),
                    Visibility::InFlight { until, .. } => ("in_flight", left(until)),
                    Visibility::Delayed { until } => ("delayed", left(until)),
                };
                MessageGlance {
                    state,
                    remaining_ms,
                    receive_count: m.receive_count,
                }
            })
            .collect();
        NodeStatus::SqsQueue {
            visible: store.visible_len(),
            in_flight: store.in_flight_len(),
            delayed: store.delayed_len(),
            deleted: store.ledger.deleted,
            fifo: self.topo.sqs[q].spec.fifo,
            visibility_timeout_ms: self.topo.sqs[q].spec.visibility_timeout_ms,
            glance,
        }
    }

    fn topic_status(&self, t: usize) -> NodeStatus {
        let parts = self.log.partitions(t);
        let partitions = parts
            .iter()
            .map(|p| PartitionStatus {
                log_start: p.log_start,
                log_end: p.log_end,
                records: p.len() as u64,
            })
            .collect();
        let groups = self.topo.topics[t]
            .groups
            .iter()
            .map(|&g| {
                let state = self.log.group(g);
                let lag = parts
                    .iter()
                    .zip(&state.committed)
                    .map(|(p, c)| p.log_end - c.unwrap_or(p.log_start).min(p.log_end))
                    .sum();
                GroupStatus {
                    name: self.topo.groups[g].name.to_string(),
                    generation: state.generation,
                    rebalancing: state.rebalance.is_some(),
                    committed: state.committed.clone(),
                    owner: state
                        .owner
                        .iter()
                        .map(|o| o.map(|c| self.topo.consumers[c].node))
                        .collect(),
                    lag,
                    skipped: state.skipped,
                }
            })
            .collect();
        NodeStatus::KafkaTopic { partitions, groups }
    }

    /// What edge `edge` shows now (`None` for an index outside the diagram).
    pub fn edge_status(&self, edge: EdgeId) -> Option<EdgeStatus> {
        let travelled = *self.kernel.travelled.get(edge.index())?;
        Some(
            match self.topo.edge_pipe.get(edge.index()).copied().flatten() {
                Some(i) => EdgeStatus {
                    travelled,
                    queued: self.pipes.pipe(i).queued(),
                    hwm: self.topo.pipes[i].hwm as u64,
                    breaker: None,
                    calls: 0,
                    attempts: 0,
                },
                None => {
                    let call = self.topo.edge_call.get(edge.index()).copied().flatten();
                    let stats = call.map(|i| self.rpc.call_stats(i));
                    EdgeStatus {
                        travelled,
                        queued: 0,
                        hwm: 0,
                        breaker: call.and_then(|i| self.rpc.breaker(i, self.kernel.now)),
                        calls: stats.map_or(0, |s| s.calls),
                        attempts: stats.map_or(0, |s| s.attempts),
                    }
                }
            },
        )
    }
}
