//! The four seams between actors and systems (design §1). An actor never reads or
//! writes a system's state; it calls these, and each dispatches with a static `match`
//! to the family that owns the other end of the edge:
//!
//! - [`Simulation::offer`]: a producer or worker hands over a message (publish).
//! - [`Simulation::credit`]: a worker has room for more (push systems: prefetch room;
//!   a worker whose subscription was abandoned subscribes again by giving credit).
//! - [`Simulation::settle`]: a worker settles one delivery (ack, requeue, reject).
//! - [`Simulation::abandon`]: a worker went away (crash, outage); what that means is
//!   the system's rule (RabbitMQ returns unacked deliveries at once; Kafka keeps a
//!   crashed member's partitions until its session times out; a service loses the
//!   requests it held, and their callers time out).

use super::Simulation;
use crate::core::families::log::{Produced, RecordSettlement};
use crate::core::families::pipe::{PipeSent, Sender};
use crate::core::families::rabbit::Settlement;
use crate::core::families::rpc::Caller;
use crate::core::families::sqs::SendOutcome;
use crate::core::model::ids::{EdgeId, MessageId, NodeId};
use crate::core::model::message::Outgoing;

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
    /// A Kafka topic (by topic index), along a produce edge (none for a script).
    Topic {
        /// Topic index.
        topic: usize,
        /// The edge travelled, if any.
        edge: Option<EdgeId>,
    },
    /// An SQS queue (by SQS index), along a send edge (none for a script).
    Sqs {
        /// SQS queue index.
        queue: usize,
        /// The edge travelled, if any.
        edge: Option<EdgeId>,
    },
    /// An SNS topic (by SNS index), along a send edge (none for a script).
    Sns {
        /// SNS topic index.
        topic: usize,
        /// The edge travelled, if any.
        edge: Option<EdgeId>,
    },
    /// The sender's own ZeroMQ socket (its push or pub edges).
    Pipes {
        /// Who sends.
        sender: Sender,
    },
    /// A call edge (by call index): a synchronous request to a service.
    Call {
        /// Call index.
        call: usize,
        /// Who calls (and waits, if it is a worker).
        caller: Caller,
    },
}

/// What became of an offered message. RabbitMQ always takes it (a queue with
/// `reject-publish` refuses it later, on arrival); systems that push back at the door
/// (a full ZeroMQ pipe blocks, a breaker refuses a call) add their variants here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offered {
    /// Taken: it travels on as message `.0`.
    Accepted(MessageId),
    /// Refused at the door (a compacted Kafka topic and a record without a key; an
    /// SQS FIFO send without a group id).
    Refused(MessageId),
    /// Accepted and not kept: a FIFO deduplication id seen within 5 minutes.
    Deduplicated(MessageId),
    /// Not taken: a ZeroMQ PUSH socket with no connected peer with room. The sender
    /// keeps the message and is told when to try again.
    Blocked,
}

/// Where a worker's deliveries come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A RabbitMQ queue (by queue index), through a subscription.
    Queue(usize),
    /// A Kafka topic read in a consumer group (by group index).
    Group(usize),
    /// An SQS queue (by SQS index), received from.
    Sqs(usize),
    /// An SNS topic (by SNS index) pushing to the worker.
    Sns(usize),
    /// The worker's ZeroMQ input pipes, fair-queued.
    Pipes,
    /// The requests made to a service (its backlog).
    Calls,
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
            Ingress::Topic { topic, edge } => {
                match self
                    .log
                    .produce(&mut self.kernel, &self.topo, from, topic, edge, out)
                {
                    Produced::Sent(m, _) => Offered::Accepted(m),
                    Produced::Refused(m) => Offered::Refused(m),
                }
            }
            Ingress::Sqs { queue, edge } => {
                let r = self
                    .sqs
                    .send(&mut self.kernel, &self.topo, from, queue, edge, out);
                offered(r)
            }
            Ingress::Sns { topic, edge } => {
                let r = self
                    .sqs
                    .publish(&mut self.kernel, &self.topo, from, topic, edge, out);
                offered(r)
            }
            Ingress::Pipes { sender } => {
                match self
                    .pipes
                    .send(&mut self.kernel, &self.topo, from, sender, out)
                {
                    PipeSent::Sent(m) => Offered::Accepted(m),
                    PipeSent::Blocked => Offered::Blocked,
                }
            }
            Ingress::Call { call, caller } => {
                let message = self.kernel.new_message_id();
                self.kernel.totals.published += 1;
                let now = self.kernel.now;
                let body = std::rc::Rc::new(out.into_body(message, from, now));
                self.start_call(caller, call, body);
                Offered::Accepted(message)
            }
        }
    }

    /// Seam `credit`: `worker` has room for `n` more deliveries from `source`.
    pub(crate) fn credit(&mut self, source: Source, worker: usize, n: u32) {
        match source {
            Source::Queue(_) => self.rabbit.credit(&mut self.kernel, &self.topo, worker, n),
            Source::Group(_) => self.log.credit(&mut self.kernel, &self.topo, worker),
            Source::Sqs(_) => self.sqs.credit(&mut self.kernel, &self.topo, worker),
            Source::Sns(_) => {}
            Source::Pipes => {
                if let Some(slot) = self.pipes.credit(&mut self.kernel, &self.topo, worker) {
                    self.arrive_consumer(slot, worker);
                }
            }
            Source::Calls => self.feed_requests(worker),
        }
    }

    /// Seam `settle`: `worker` settles its delivery `slot` from `source`.
    pub(crate) fn settle(&mut self, source: Source, worker: usize, slot: u32, how: Settlement) {
        match source {
            Source::Queue(_) => self
                .rabbit
                .settle(&mut self.kernel, &self.topo, worker, slot, how),
            Source::Group(_) => {
                // Kafka has no nack: a rejected record is skipped (its offset still
                // moves on), a requeued one is read again (the consumer seeks back).
                let how = match how {
                    Settlement::Ack => RecordSettlement::Done,
                    Settlement::Reject => RecordSettlement::Skip,
                    Settlement::Requeue => RecordSettlement::SeekBack,
                };
                self.log
                    .settle(&mut self.kernel, &self.topo, worker, slot, how)
            }
            Source::Sqs(_) | Source::Sns(_) => {
                self.sqs
                    .settle(&mut self.kernel, &self.topo, worker, slot, how)
            }
            Source::Pipes => self
                .pipes
                .settle(&mut self.kernel, &self.topo, worker, slot, how),
            Source::Calls => self
                .rpc
                .settle(&mut self.kernel, &self.topo, worker, slot, how),
        }
    }

    /// Seam `abandon`: `worker` is gone from `source`, by a crash or cleanly (an
    /// outage or switched off).
    pub(crate) fn abandon(&mut self, source: Source, worker: usize, crash: bool) {
        match source {
            Source::Queue(_) => self.rabbit.abandon(&mut self.kernel, &self.topo, worker),
            Source::Group(_) => self
                .log
                .abandon(&mut self.kernel, &self.topo, worker, crash),
            Source::Sqs(_) | Source::Sns(_) => {
                self.sqs.abandon(&mut self.kernel, &self.topo, worker)
            }
            Source::Pipes => self.pipes.abandon(&mut self.kernel, &self.topo, worker),
            Source::Calls => self.rpc.abandon(&mut self.kernel, &self.topo, worker),
        }
    }
}

fn offered(r: SendOutcome) -> Offered {
    match r {
        SendOutcome::Accepted(m) => Offered::Accepted(m),
        SendOutcome::Deduplicated(m) => Offered::Deduplicated(m),
        SendOutcome::Refused(m) => Offered::Refused(m),
    }
}
