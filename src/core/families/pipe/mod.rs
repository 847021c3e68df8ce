//! The `pipe` family: ZeroMQ (design §3 "ZeroMQ"). No broker: every `push` or `pub`
//! edge is a pipe between two peers with a high-water mark, holding what its sender
//! sent and its receiver has not yet taken (sender and receiver buffers together).
//! Devices forward from their input pipes to their output pipes. Its state is private;
//! the simulation reaches it through the seams:
//!
//! - `offer` → [`Pipes::send`]: a PUSH socket round-robins over its connected peers
//!   whose pipes have room and **blocks** when there is none (the sender holds the
//!   message and is woken when a pipe gains room); a PUB socket fans out to every
//!   connected subscriber whose prefix matches and **drops** for a full one;
//! - `credit` → [`Pipes::take`]: a worker with empty hands takes the next message
//!   from its input pipes, fair-queued (round-robin over the pipes that hold some);
//! - `settle` → [`Pipes::settle`]: there is no acknowledgement in ZeroMQ: a message a
//!   worker is done with is gone (a rejected one is dropped);
//! - `abandon` → [`Pipes::abandon`]: a peer that goes away takes its pipes' contents
//!   with it (`peer_lost`); while it is away, PUSH skips it and PUB sends it nothing
//!   (a peer that connects late misses what was sent before: the slow joiner).
//!
//! Sources: libzmq `zmq_socket` (ZMQ_PUSH: "messages are round-robined to all connected
//! downstream nodes", "block until the mute state ends"; ZMQ_PUB: "messages ... shall
//! instead be dropped"; ZMQ_PULL/ZMQ_SUB: fair-queued input), `zmq_setsockopt`
//! (ZMQ_SNDHWM/ZMQ_RCVHWM, default 1000; ZMQ_SUBSCRIBE prefix matching), the zguide
//! chapters 1–4 (pipeline, slow joiner, the load-balancing broker).

mod device;
mod flow;

use crate::core::kernel::census::Census;
use crate::core::kernel::time::SimTime;
use crate::core::model::events::DropReason;
use crate::core::model::message::CopyState;
use crate::core::topology::{PipeEnd, Topology};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

/// Who sends on a socket (and may be blocked).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sender {
    /// A producer.
    Producer(usize),
    /// A worker forwarding after processing.
    Worker(usize),
}

/// What became of a send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipeSent {
    /// Sent (PUSH: to one peer; PUB: to every matching subscriber with room).
    Sent(crate::core::model::ids::MessageId),
    /// PUSH with no connected peer with room: the sender must wait.
    Blocked,
}

/// One pipe's state.
#[derive(Clone, Debug, Default)]
pub struct PipeState {
    /// Messages arrived at the receiver and not taken, oldest first.
    queue: VecDeque<u32>,
    /// Messages on their way along the edge.
    transit: u32,
    /// Messages sent into it.
    pub sent: u64,
    /// Dropped, by reason (`hwm`, `peer_lost`).
    pub dropped: BTreeMap<DropReason, u64>,
    /// PUB messages its subscriber missed because it was not connected.
    pub missed: u64,
    /// Time its sender spent blocked, µs.
    pub blocked_us: u64,
}

impl PipeState {
    /// Messages in the pipe (travelling or waiting at the receiver).
    pub fn queued(&self) -> u64 {
        self.queue.len() as u64 + self.transit as u64
    }
}

/// A pipe's figures for the report (`"pipes"`, keyed by edge id).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PipeReport {
    /// Messages in the pipe now.
    pub queued: u64,
    /// Messages sent into it.
    pub sent: u64,
    /// Dropped, by reason.
    pub dropped: BTreeMap<String, u64>,
    /// Time its sender was blocked, ms.
    pub blocked_ms: f64,
    /// PUB: messages its subscriber missed while not connected.
    #[serde(skip_serializing_if = "is_zero")]
    pub missed: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A device's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DeviceStats {
    /// Messages forwarded.
    pub forwarded: u64,
}

/// ZeroMQ's state in one run.
pub struct Pipes {
    pipes: Vec<PipeState>,
    /// Round-robin cursor of each sending socket.
    cursor: BTreeMap<PipeEnd, usize>,
    /// Fair-queue cursor of each receiving end.
    fair: BTreeMap<PipeEnd, usize>,
    /// Per worker: connected (up).
    connected: Vec<bool>,
    /// Per worker: the message it took and has not finished.
    holding: Vec<Option<u32>>,
    /// Senders blocked, since when.
    blocked: BTreeMap<Sender, SimTime>,
    /// Per device: workers ready for work (least-recently-used), by output pipe.
    ready: Vec<VecDeque<usize>>,
    devices: Vec<DeviceStats>,
}

impl Pipes {
    /// Empty pipes for `topo`; every worker connected but those whose first outage
    /// window opens at time zero (they never connect before it ends).
    pub fn new(topo: &Topology) -> Pipes {
        let mut ready = vec![VecDeque::new(); topo.devices.len()];
        for (d, info) in topo.devices.iter().enumerate() {
            ready[d].extend(info.outputs.iter().copied());
        }
        Pipes {
            pipes: vec![PipeState::default(); topo.pipes.len()],
            cursor: BTreeMap::new(),
            fair: BTreeMap::new(),
            connected: topo
                .consumers
                .iter()
                .map(|c| !c.spec.outages.iter().any(|w| w.start_ms <= 0.0))
                .collect(),
            holding: vec![None; topo.consumers.len()],
            blocked: BTreeMap::new(),
            ready,
            devices: vec![DeviceStats::default(); topo.devices.len()],
        }
    }

    /// Pipe `i`'s state.
    pub fn pipe(&self, i: usize) -> &PipeState {
        &self.pipes[i]
    }

    /// Device `d`'s figures.
    pub fn device(&self, d: usize) -> &DeviceStats {
        &self.devices[d]
    }

    /// Messages waiting in device `d`'s input pipes.
    pub fn device_waiting(&self, topo: &Topology, d: usize) -> u64 {
        topo.devices[d]
            .inputs
            .iter()
            .map(|&i| self.pipes[i].queue.len() as u64)
            .sum()
    }

    /// Whether `sender` is blocked now.
    pub fn is_blocked(&self, sender: Sender) -> bool {
        self.blocked.contains_key(&sender)
    }

    /// Messages worker `c` holds (its current one).
    pub fn held_by(&self, c: usize) -> u64 {
        self.holding.get(c).map_or(0, |h| h.is_some() as u64)
    }

    /// The report's figures of pipe `i` at `now` (a sender blocked now counts up to
    /// now).
    pub fn report(&self, topo: &Topology, i: usize, now: SimTime) -> PipeReport {
        let p = &self.pipes[i];
        let mut blocked = p.blocked_us;
        if let Some(sender) = sender_of(topo.pipes[i].from) {
            if let Some(since) = self.blocked.get(&sender) {
                blocked += now.0.saturating_sub(since.0);
            }
        }
        PipeReport {
            queued: p.queued(),
            sent: p.sent,
            dropped: p
                .dropped
                .iter()
                .map(|(r, n)| (r.as_str().to_string(), *n))
                .collect(),
            blocked_ms: blocked as f64 / 1000.0,
            missed: p.missed,
        }
    }

    /// Messages waiting in pipes (ready, in the totals) and in workers' hands
    /// (unacked), as the census counts them.
    pub fn live_counts(&self) -> (u64, u64) {
        let waiting: u64 = self.pipes.iter().map(|p| p.queue.len() as u64).sum();
        let held = self.holding.iter().flatten().count() as u64;
        (waiting, held)
    }

    /// Claims the parcels waiting in pipes and held by workers; checks each pipe's
    /// contents against its high-water mark.
    pub fn census(&self, topo: &Topology, census: &mut Census) {
        for (i, p) in self.pipes.iter().enumerate() {
            for &slot in &p.queue {
                match census.claim(slot, "piped") {
                    Some(c) if c.state == (CopyState::Piped { pipe: i as u32 }) => {}
                    _ => census.problem(format!("piped slot {slot} is not marked in pipe {i}")),
                }
                census.ready += 1;
            }
            if p.queued() > topo.pipes[i].hwm as u64 {
                census.problem(format!(
                    "pipe {i} holds {} messages over its high-water mark {}",
                    p.queued(),
                    topo.pipes[i].hwm
                ));
            }
        }
        for (c, h) in self.holding.iter().enumerate() {
            if let Some(slot) = h {
                match census.claim(*slot, "taken from a pipe") {
                    Some(copy) if copy.state == (CopyState::Received { consumer: c as u32 }) => {}
                    _ => census.problem(format!("slot {slot} held by worker {c} is not marked so")),
                }
                census.unacked += 1;
            }
        }
    }
}

/// The sender blocked on a pipe that starts at `end` (devices wait on their own).
fn sender_of(end: PipeEnd) -> Option<Sender> {
    match end {
        PipeEnd::Producer(p) => Some(Sender::Producer(p)),
        PipeEnd::Worker(c) => Some(Sender::Worker(c)),
        PipeEnd::Device(_) => None,
    }
}
