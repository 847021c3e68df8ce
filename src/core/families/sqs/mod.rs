//! The `sqs` family: AWS SQS queues and SNS topics (design §3 "AWS SQS and SNS").
//! Each queue's messages live in its [`store`]; [`filter`] matches SNS filter
//! policies. Its state is private; the simulation reaches it through the seams:
//!
//! - `offer` → [`Sqs::send`] (SendMessage: FIFO group and deduplication checks, then
//!   the parcel travels the send edge and is stored on arrival, visible or delayed) and
//!   [`Sqs::publish`] (SNS Publish: the parcel travels to the topic, which fans out a
//!   copy to every subscription whose filter policy passes);
//! - `credit` → [`Sqs::credit`]: a worker with empty hands receives up to
//!   `max_messages` (ReceiveMessage); with nothing visible it long-polls for
//!   `wait_ms`, or polls again after a round trip;
//! - `settle` → [`Sqs::settle`]: processed (DeleteMessage with its receipt, when the
//!   receive edge deletes after processing), given back (ChangeMessageVisibility to
//!   0), or left (it comes back when its visibility timeout runs out);
//! - `abandon` → [`Sqs::abandon`]: a crashed or stopped worker's messages are **not**
//!   returned: they stay in flight until their visibility timeouts run out.
//!
//! A receive that would take a message past its queue's `maxReceiveCount` moves it to
//! the dead-letter queue instead (SQS developer guide, "Using dead-letter queues").
//! Choices where AWS leaves the order open are README's "SQS and SNS" section.

mod client;
pub mod filter;
mod receive;
mod send;
pub mod store;

pub use send::SendOutcome;

use crate::core::kernel::census::Census;
use crate::core::kernel::time::SimTime;
use crate::core::kernel::Kernel;
use crate::core::model::message::{Copy, CopyState, MessageBody};
use crate::core::topology::Topology;
use std::rc::Rc;
use store::{MsgRef, SqsStore};

/// A received message a worker holds (or that travels to it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    /// The worker's copy.
    pub slot: u32,
    /// The message in the queue.
    pub msg: MsgRef,
    /// Its receipt (the token of this receive).
    pub token: u32,
}

/// A worker's receiving state.
#[derive(Clone, Debug, Default)]
pub struct Reader {
    /// SQS queue index.
    pub queue: usize,
    /// Messages it received and has not finished with.
    pub held: Vec<Held>,
    /// Copies of its last receive still travelling to it.
    pub transit: Vec<u32>,
    /// Waiting in a long poll (or for its next short poll).
    pub waiting: bool,
    /// Bumped when it goes away; stale arrivals carry an older value.
    pub epoch: u32,
    /// Bumped on every wait and when it goes away; stale wait timers carry an older
    /// value.
    pub wait_seq: u32,
}

/// SNS topic figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SnsStats {
    /// Messages published to it.
    pub published: u64,
    /// Copies delivered to subscriptions.
    pub delivered: u64,
    /// Copies a subscription's filter policy kept out.
    pub filtered_out: u64,
    /// FIFO publishes dropped as duplicates within 5 minutes.
    pub deduplicated: u64,
}

/// A message the script received and holds in flight.
#[derive(Clone, Debug)]
pub struct ClientReceipt {
    /// Its message.
    pub message: crate::core::model::ids::MessageId,
    /// SQS queue index.
    pub queue: usize,
    /// Its body.
    pub body: Rc<str>,
    /// The message.
    pub msg: MsgRef,
    /// The receipt.
    pub token: u32,
}

/// SQS and SNS state in one run.
pub struct Sqs {
    queues: Vec<SqsStore>,
    topics: Vec<SnsStats>,
    topic_dedup: Vec<SqsStore>,
    readers: Vec<Option<Reader>>,
    /// Per worker: SNS pushes travelling to it or held by it.
    pushed: Vec<Vec<u32>>,
    /// Per queue: workers waiting in a long poll, in the order they started waiting.
    waiting: Vec<Vec<usize>>,
    /// What the script received, most recent last.
    client: Vec<ClientReceipt>,
    /// Reused buffers, so that a receive allocates nothing in steady state (design §2):
    /// the messages a receive picks, what it returns, and the waiters a wake goes over.
    picked: Vec<MsgRef>,
    received: Vec<(u32, MsgRef, u32)>,
    woken: Vec<usize>,
}

impl Sqs {
    /// Messages in every queue (visible, in flight and delayed).
    pub fn messages_held(&self) -> u64 {
        self.queues
            .iter()
            .map(|q| q.visible_len() + q.in_flight_len() + q.delayed_len())
            .sum()
    }

    /// Empty queues and topics for `topo`.
    pub fn new(topo: &Topology) -> Sqs {
        Sqs {
            queues: vec![SqsStore::default(); topo.sqs.len()],
            topics: vec![SnsStats::default(); topo.sns.len()],
            topic_dedup: vec![SqsStore::default(); topo.sns.len()],
            readers: topo
                .consumers
                .iter()
                .map(|c| {
                    c.receive.as_ref().map(|r| Reader {
                        queue: r.queue,
                        ..Reader::default()
                    })
                })
                .collect(),
            pushed: vec![Vec::new(); topo.consumers.len()],
            waiting: vec![Vec::new(); topo.sqs.len()],
            client: Vec::new(),
            picked: Vec::new(),
            received: Vec::new(),
            woken: Vec::new(),
        }
    }

    /// At time zero every reader makes its first receive.
    pub fn start(&mut self, k: &mut Kernel, topo: &Topology) {
        for c in 0..self.readers.len() {
            if self.readers[c].is_some() {
                self.poll(k, topo, c);
            }
        }
    }

    /// Queue `q`'s store.
    pub fn queue(&self, q: usize) -> &SqsStore {
        &self.queues[q]
    }

    /// Topic `t`'s figures.
    pub fn topic(&self, t: usize) -> &SnsStats {
        &self.topics[t]
    }

    /// Messages worker `c` holds from SQS or SNS.
    pub fn held_by(&self, c: usize) -> Option<u64> {
        match &self.readers[c] {
            Some(r) => Some(r.held.len() as u64),
            None if !self.pushed[c].is_empty() => Some(self.pushed[c].len() as u64),
            None => None,
        }
    }

    /// Remaining visibility of each message worker `c` holds, in ms, at `now`.
    pub fn held_visibility(&self, c: usize, now: SimTime) -> Vec<f64> {
        let Some(r) = &self.readers[c] else {
            return Vec::new();
        };
        r.held
            .iter()
            .filter_map(|h| {
                let m = self.queues[r.queue].get(h.msg)?;
                match m.state {
                    store::Visibility::InFlight { until, .. } if m.token == h.token => {
                        Some(until.0.saturating_sub(now.0) as f64 / 1000.0)
                    }
                    _ => Some(0.0),
                }
            })
            .collect()
    }

    /// Messages in workers' hands (received and arrived, or pushed by SNS): what the
    /// totals count as unacked, as the census does.
    pub fn at_workers(&self) -> u64 {
        let received: usize = self
            .readers
            .iter()
            .flatten()
            .map(|r| r.held.len().saturating_sub(r.transit.len()))
            .sum();
        (received + self.pushed.iter().map(Vec::len).sum::<usize>()) as u64
    }

    /// Claims every parcel the family holds (received copies travelling or at
    /// workers, SNS pushes) and checks each queue's ledger.
    pub fn census(&self, census: &mut Census) {
        for (c, r) in self.readers.iter().enumerate() {
            let Some(r) = r else { continue };
            for h in &r.held {
                match census.claim(h.slot, "received") {
                    Some(copy) if copy.state == (CopyState::Received { consumer: c as u32 }) => {}
                    _ => census.problem(format!(
                        "received slot {} is not marked received by consumer {c}",
                        h.slot
                    )),
                }
                if r.transit.contains(&h.slot) {
                    census.in_flight += 1;
                } else {
                    census.unacked += 1;
                }
            }
        }
        for (c, slots) in self.pushed.iter().enumerate() {
            for &slot in slots {
                match census.claim(slot, "pushed") {
                    Some(copy) if copy.state == (CopyState::Received { consumer: c as u32 }) => {}
                    _ => census.problem(format!(
                        "pushed slot {slot} is not marked received by consumer {c}"
                    )),
                }
                census.unacked += 1;
            }
        }
        for (q, store) in self.queues.iter().enumerate() {
            if let Some(p) = store.ledger_problem() {
                census.problem(format!("SQS queue {q}: {p}"));
            }
        }
    }
}

/// A parcel for an SQS or SNS message; one received before is marked redelivered and
/// carries its receive count.
fn new_copy(
    k: &mut Kernel,
    body: Rc<MessageBody>,
    state: CopyState,
    place: Rc<str>,
    receive_count: u32,
) -> Copy {
    let mut copy = k.new_parcel(body, state, place);
    copy.redelivered = receive_count > 1;
    copy.returns = receive_count;
    copy
}
