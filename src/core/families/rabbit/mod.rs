//! The RabbitMQ family: exchanges and routing ([`routing`], [`exchange`]), queues with
//! their limits, TTL, priorities and subscribers ([`queue`], [`ready`], [`state`]), and
//! dead-lettering ([`dead_letter`]). Everything RabbitMQ-specific lives here and only
//! here; its state is private to this module.
//!
//! Actors reach it through the seams of [`crate::core::simulation`]: a publish is
//! offered to an exchange; a consumer's prefetch room comes back as credit; an ack,
//! nack or reject settles a delivery; a crash or disconnection abandons the
//! subscription (RabbitMQ requeues the unacked deliveries at once).

pub mod dead_letter;
pub mod exchange;
pub mod queue;
pub mod ready;
mod restart;
pub mod routing;
pub mod shovel;
pub mod state;

use crate::core::kernel::census::Census;
use crate::core::model::message::CopyState;
use crate::core::topology::Topology;
use routing::Router;
use state::{QueueState, Subscriber};

/// How a consumer settles one delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// basic.ack (or an auto-acked delivery whose handling finished).
    Ack,
    /// basic.nack with requeue.
    Requeue,
    /// basic.reject without requeue: dead-lettered or dropped.
    Reject,
}

/// The state of every RabbitMQ queue and the router's scratch space.
pub struct Rabbit {
    queues: Vec<QueueState>,
    router: Router,
    /// For each worker, its subscription: (queue, index among the queue's subscribers).
    subscription_of: Vec<Option<(usize, usize)>>,
}

impl Rabbit {
    /// Queues empty, every subscriber connected with its full prefetch credit.
    pub fn new(topo: &Topology) -> Rabbit {
        let mut queues: Vec<QueueState> = topo
            .queues
            .iter()
            .map(|q| QueueState::new(q.max_priority.map_or(1, |p| p as usize + 1)))
            .collect();
        let mut subscription_of = vec![None; topo.consumers.len()];
        for (q, info) in topo.queues.iter().enumerate() {
            for (i, &c) in info.consumers.iter().enumerate() {
                let spec = &topo.consumers[c].spec;
                let auto_ack = spec.ack == crate::core::scenario::AckMode::Auto;
                // Prefetch limits unacked deliveries; 0 = unlimited; auto-ack consumers
                // ignore it (rabbitmq.com/docs/consumer-prefetch).
                let window = (!auto_ack && spec.prefetch > 0).then_some(spec.prefetch);
                queues[q].subscribers.push(Subscriber {
                    worker: c,
                    online: true,
                    // Registered in the order the consumers were declared.
                    registered: c as u64,
                    window,
                    auto_ack,
                    tag: 0,
                    held: Vec::new(),
                });
                subscription_of[c] = Some((q, i));
            }
            queues[q].registrations = topo.consumers.len() as u64;
        }
        Rabbit {
            queues,
            router: Router::new(topo),
            subscription_of,
        }
    }

    fn subscriber(&self, worker: usize) -> Option<&Subscriber> {
        let (q, i) = self.subscription_of.get(worker).copied().flatten()?;
        Some(&self.queues[q].subscribers[i])
    }

    /// Whether a delivery with subscription `tag` still belongs to `worker`'s current
    /// subscription (an older one was requeued when the subscription ended).
    pub fn is_current(&self, worker: usize, tag: u32) -> bool {
        self.subscriber(worker).is_some_and(|s| s.tag == tag)
    }

    /// Deliveries `worker` holds and has not settled.
    pub fn held_by(&self, worker: usize) -> u64 {
        self.subscriber(worker).map_or(0, |s| s.held.len() as u64)
    }

    /// Auto-acked deliveries still being handled, over all queues.
    pub fn processing(&self) -> u64 {
        self.queues
            .iter()
            .flat_map(|q| &q.subscribers)
            .filter(|s| s.auto_ack)
            .map(|s| s.held.len() as u64)
            .sum()
    }

    /// Queue `q`'s state (read-only, for reports).
    pub fn queue(&self, q: usize) -> &QueueState {
        &self.queues[q]
    }

    /// Every queue's state (read-only, for reports).
    pub fn queues(&self) -> &[QueueState] {
        &self.queues
    }

    /// Claims every parcel the family holds (ready and delivered-unsettled) and checks
    /// each queue's ledger: ready bytes, and unacked = deliveries held unacked.
    pub fn census(&self, census: &mut Census<'_>) {
        for (q, state) in self.queues.iter().enumerate() {
            let mut bytes = 0;
            for slot in state.ready.iter() {
                census.ready += 1;
                match census.claim(slot, "ready") {
                    Some(c) if c.state == CopyState::Ready(q as u32) => bytes += c.size(),
                    _ => census.problem(format!(
                        "ready slot {slot} of queue {q} is not marked ready there"
                    )),
                }
            }
            if bytes != state.ready_bytes {
                census.problem(format!(
                    "queue {q}: ready bytes {} but counted {bytes}",
                    state.ready_bytes
                ));
            }
            if state.ready.len() as u64 != state.ready.iter().count() as u64 {
                census.problem(format!("queue {q}: ready length is off"));
            }
            let mut unacked = 0u64;
            for sub in &state.subscribers {
                let c = sub.worker;
                for (i, &slot) in sub.held.iter().enumerate() {
                    match census.claim(slot, "held by a consumer") {
                        Some(copy) => {
                            if copy.held_at as usize != i {
                                census.problem(format!("slot {slot}: held index is stale"));
                            }
                            match copy.state {
                                CopyState::Unacked { queue, consumer }
                                    if !sub.auto_ack
                                        && consumer as usize == c
                                        && queue as usize == q =>
                                {
                                    census.unacked += 1;
                                    unacked += 1;
                                }
                                CopyState::Processing { consumer }
                                    if sub.auto_ack && consumer as usize == c =>
                                {
                                    census.processing += 1
                                }
                                other => census.problem(format!(
                                    "slot {slot} held by consumer {c} is {other:?}"
                                )),
                            }
                        }
                        None => census.problem(format!("consumer {c} holds a freed slot {slot}")),
                    }
                }
            }
            if state.unacked != unacked {
                census.problem(format!(
                    "queue {q}: unacked counter {} but {unacked} held",
                    state.unacked
                ));
            }
        }
    }

    /// Test hook for the census's negative test: corrupts the ledger of queue `q`.
    #[doc(hidden)]
    pub fn corrupt_unacked_for_test(&mut self, q: usize) {
        self.queues[q].unacked += 1;
    }
}
