//! The four seams between actors and systems (design §1). An actor never reads or
//! writes a system's state; it calls these, and each dispatches with a static `match`
//! to the family that owns the other end of the edge:
//!
//! - [`Simulation::offer`]: a producer or worker hands over a message (publish).
//! - [`Simulation::credit`]: a worker has room for more (push systems: prefetch room;
//!   a worker whose subscription was abandoned subscribes again by giving credit).
//! - [`Simulation::settle`]: a worker settles one delivery (ack, requeue, reject).
//! - [`Simulation::abandon`]: a worker went away (crash, outage); what that means is
//!   the system's rule (RabbitMQ returns unacked deliveries at once).

use super::Simulation;
use crate::core::families::rabbit::exchange::Outgoing;
use crate::core::families::rabbit::Settlement;
use crate::core::model::ids::{EdgeId, MessageId, NodeId};

/// Where an offered message enters a system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ingress {
    /// A RabbitMQ exchange (by exchange index), along a publish or forward edge (none
    /// for a reply through the default exchange).
    Exchange {
        /// Exchange index.
        exchange: usize,
        /// The edge travelled, if any.
        edge: Option<EdgeId>,
    },
}

/// What became of an offered message. RabbitMQ always takes it (a queue with
/// `reject-publish` refuses it later, on arrival); systems that push back at the door
/// (a full ZeroMQ pipe blocks, a breaker refuses a call) add their variants here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offered {
    /// Taken: it travels on as message `.0`.
    Accepted(MessageId),
}

/// Where a worker's deliveries come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A RabbitMQ queue (by queue index), through a subscription.
    Queue(usize),
}

impl Simulation {
    /// Seam `offer`: `from` hands `out` to the system at `ingress`.
    pub(crate) fn offer(
        &mut self,
        from: Option<NodeId>,
        ingress: Ingress,
        out: Outgoing,
    ) -> Offered {
        match ingress {
            Ingress::Exchange { exchange, edge } => Offered::Accepted(self.rabbit.publish(
                &mut self.kernel,
                &self.topo,
                from,
                exchange,
                edge,
                out,
            )),
        }
    }

    /// Seam `credit`: `worker` has room for `n` more deliveries from `source`.
    pub(crate) fn credit(&mut self, source: Source, worker: usize, n: u32) {
        match source {
            Source::Queue(_) => self.rabbit.credit(&mut self.kernel, &self.topo, worker, n),
        }
    }

    /// Seam `settle`: `worker` settles its delivery `slot` from `source`.
    pub(crate) fn settle(&mut self, source: Source, worker: usize, slot: u32, how: Settlement) {
        match source {
            Source::Queue(_) => self
                .rabbit
                .settle(&mut self.kernel, &self.topo, worker, slot, how),
        }
    }

    /// Seam `abandon`: `worker` is gone from `source` (crash, outage).
    pub(crate) fn abandon(&mut self, source: Source, worker: usize) {
        match source {
            Source::Queue(_) => self.rabbit.abandon(&mut self.kernel, &self.topo, worker),
        }
    }
}
