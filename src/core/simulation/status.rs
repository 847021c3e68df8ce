//! The status API: what each node and edge shows now, asked of the family or actor
//! that owns it. The UI and the report read figures from here.

use super::Simulation;
use crate::core::model::ids::{EdgeId, NodeId};
use crate::core::model::status::{EdgeStatus, NodeStatus};
use crate::core::topology::NodeRef;

impl Simulation {
    /// What node `node` shows now (`None` for an index outside the diagram).
    pub fn node_status(&self, node: NodeId) -> Option<NodeStatus> {
        Some(match *self.topo.nodes.get(node.index())? {
            NodeRef::Producer(p) => NodeStatus::Producer {
                published: self.producers[p].sent,
            },
            NodeRef::Exchange(_) => NodeStatus::Exchange,
            NodeRef::Queue(q) => {
                let state = self.rabbit.queue(q);
                NodeStatus::Queue {
                    ready: state.ready.len() as u64,
                    unacked: state.unacked,
                    ready_bytes: state.ready_bytes,
                    max_length: self.topo.queues[q].max_length,
                }
            }
            NodeRef::Consumer(c) => {
                let state = &self.workers[c];
                NodeStatus::Consumer {
                    processed: state.stats.processed,
                    busy: state.busy.is_some(),
                    online: state.online,
                    held: self.rabbit.held_by(c),
                    prefetch: self.topo.consumers[c].spec.prefetch,
                }
            }
        })
    }

    /// What edge `edge` shows now (`None` for an index outside the diagram).
    pub fn edge_status(&self, edge: EdgeId) -> Option<EdgeStatus> {
        Some(EdgeStatus {
            travelled: *self.kernel.travelled.get(edge.index())?,
        })
    }
}
