//! Messages through pipes: a socket's send (PUSH round-robin or block, PUB fan-out or
//! drop), arrival at the receiving end, a worker taking the next message fair-queued,
//! settling it, a worker going away (its pipes' contents lost) and coming back, and
//! waking the senders a pipe had blocked.

use super::*;
use crate::core::families::rabbit::Settlement;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::Kernel;
use crate::core::model::events::EventKind;
use crate::core::model::ids::{MessageId, NodeId};
use crate::core::model::message::{Copy, MessageBody, Outgoing};
use crate::core::model::motion::MotionKind;
use crate::core::scenario::DeviceMode;
use std::rc::Rc;

impl Pipes {
    /// Whether pipe `i` can take a message now: its receiver is connected and it is
    /// below its high-water mark.
    pub(super) fn has_room(&self, topo: &Topology, i: usize) -> bool {
        let connected = match topo.pipes[i].to {
            PipeEnd::Worker(c) => self.connected[c],
            _ => true,
        };
        connected && self.pipes[i].queued() < topo.pipes[i].hwm as u64
    }

    fn receiver_connected(&self, topo: &Topology, i: usize) -> bool {
        match topo.pipes[i].to {
            PipeEnd::Worker(c) => self.connected[c],
            _ => true,
        }
    }

    /// The pipes of `sender`'s socket.
    fn socket(topo: &Topology, sender: Sender) -> (&[usize], PipeEnd) {
        match sender {
            Sender::Producer(p) => (&topo.producers[p].pipes, PipeEnd::Producer(p)),
            Sender::Worker(c) => (&topo.consumers[c].pipes_out, PipeEnd::Worker(c)),
        }
    }

    /// Seam `offer`: `sender` sends `out` on its socket.
    pub fn send(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        from: Option<NodeId>,
        sender: Sender,
        out: Outgoing,
    ) -> PipeSent {
        let (pipes, end) = Self::socket(topo, sender);
        if pipes.is_empty() {
            return PipeSent::Blocked;
        }
        let publish = topo.pipes[pipes[0]].publish;
        if !publish {
            let n = pipes.len();
            let start = self.cursor.get(&end).copied().unwrap_or(0);
            let Some(step) = (0..n).find(|s| self.has_room(topo, pipes[(start + s) % n])) else {
                self.blocked.entry(sender).or_insert(k.now);
                return PipeSent::Blocked;
            };
            self.cursor.insert(end, (start + step + 1) % n);
            self.unblock(topo, sender, k.now);
            let message = k.new_message_id();
            k.totals.published += 1;
            let body = Rc::new(body_of(k, from, message, out));
            self.launch(k, topo, from, pipes[(start + step) % n], body, None);
            return PipeSent::Sent(message);
        }
        let message = k.new_message_id();
        k.totals.published += 1;
        let body = Rc::new(body_of(k, from, message, out));
        for &i in pipes {
            // A message the subscriber's prefix would not pass is never its own,
            // connected or not: it is not counted as missed.
            if !body.payload.starts_with(&*topo.pipes[i].prefix) {
                continue;
            }
            if !self.receiver_connected(topo, i) {
                self.pipes[i].missed += 1;
                continue;
            }
            if self.has_room(topo, i) {
                self.launch(k, topo, from, i, body.clone(), None);
            } else {
                // PUB never blocks: a full subscriber's copy is dropped.
                let copy = new_copy(k, body.clone());
                let slot = k.alloc(copy);
                *self.pipes[i].dropped.entry(DropReason::Hwm).or_insert(0) += 1;
                let at = receiver_node(topo, i);
                k.drop_copy(slot, at, DropReason::Hwm);
            }
        }
        PipeSent::Sent(message)
    }

    /// Sends a new copy of `body` (or the parcel `slot`, forwarded by a device) along
    /// pipe `i`.
    pub(super) fn launch(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        from: Option<NodeId>,
        i: usize,
        body: Rc<MessageBody>,
        slot: Option<u32>,
    ) {
        let slot = match slot {
            Some(s) => {
                k.copy_mut(s).state = CopyState::InFlight;
                s
            }
            None => {
                let copy = new_copy(k, body.clone());
                k.alloc(copy)
            }
        };
        let info = &topo.pipes[i];
        let p = &mut self.pipes[i];
        p.transit += 1;
        p.sent += 1;
        k.totals.hops += 1;
        k.travel(info.edge);
        k.record_hop(slot, info.edge, MotionKind::Pipe);
        let (id, message, to, edge) = (k.copy(slot).id, body.id, receiver_node(topo, i), info.edge);
        k.emit(|| EventKind::Pushed {
            copy: id,
            message,
            from,
            to,
            edge,
        });
        let at = k.hop_end();
        k.agenda.push(
            at,
            Action::ArrivePipe {
                slot,
                pipe: i as u32,
            },
        );
    }

    /// `sender` sent after being blocked: the time it waited is added to its pipes.
    fn unblock(&mut self, topo: &Topology, sender: Sender, now: SimTime) {
        if let Some(since) = self.blocked.remove(&sender) {
            let (pipes, _) = Self::socket(topo, sender);
            for &i in pipes {
                self.pipes[i].blocked_us += now.0.saturating_sub(since.0);
            }
        }
    }

    /// A sender went away while blocked: it sends nothing more (its time counts).
    pub fn forget_sender(&mut self, topo: &Topology, sender: Sender, now: SimTime) {
        self.unblock(topo, sender, now);
    }

    /// Pipe `i` has room again: its blocked sender tries again now, or its device
    /// forwards.
    pub(super) fn room_freed(&mut self, k: &mut Kernel, topo: &Topology, i: usize) {
        match topo.pipes[i].from {
            PipeEnd::Producer(p) => {
                if self.blocked.contains_key(&Sender::Producer(p)) {
                    let node = topo.producers[p].node.0;
                    k.agenda.push(k.now, Action::PipeRetry { node });
                }
            }
            PipeEnd::Worker(c) => {
                if self.blocked.contains_key(&Sender::Worker(c)) {
                    let node = topo.consumers[c].node.0;
                    k.agenda.push(k.now, Action::PipeRetry { node });
                }
            }
            PipeEnd::Device(d) => self.pump(k, topo, d),
        }
    }

    /// A parcel reaches the receiving end of pipe `i`. Returns the worker and parcel
    /// when a worker with empty hands takes it at once.
    pub fn arrive(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        slot: u32,
        i: usize,
    ) -> Option<(usize, u32)> {
        self.pipes[i].transit -= 1;
        match topo.pipes[i].to {
            PipeEnd::Worker(c) if !self.connected[c] => {
                *self.pipes[i]
                    .dropped
                    .entry(DropReason::PeerLost)
                    .or_insert(0) += 1;
                let at = receiver_node(topo, i);
                k.drop_copy(slot, at, DropReason::PeerLost);
                self.room_freed(k, topo, i);
                None
            }
            PipeEnd::Worker(c) => {
                k.copy_mut(slot).state = CopyState::Piped { pipe: i as u32 };
                self.pipes[i].queue.push_back(slot);
                self.take(k, topo, c).map(|s| (c, s))
            }
            PipeEnd::Device(d) => {
                k.copy_mut(slot).state = CopyState::Piped { pipe: i as u32 };
                self.pipes[i].queue.push_back(slot);
                self.pump(k, topo, d);
                None
            }
            PipeEnd::Producer(_) => {
                // Validation allows no pipe into a producer.
                k.drop_copy(slot, None, DropReason::PeerLost);
                None
            }
        }
    }

    /// The next message from `inputs`, fair-queued from `end`'s cursor: its pipe and
    /// parcel.
    pub(super) fn next_input(&mut self, inputs: &[usize], end: PipeEnd) -> Option<(usize, u32)> {
        let n = inputs.len();
        let start = self.fair.get(&end).copied().unwrap_or(0);
        let step = (0..n).find(|s| !self.pipes[inputs[(start + s) % n]].queue.is_empty())?;
        let i = inputs[(start + step) % n];
        self.fair.insert(end, (start + step + 1) % n);
        let slot = self.pipes[i].queue.pop_front()?;
        Some((i, slot))
    }

    /// Worker `c` takes its next message, if its hands are empty and one waits.
    pub fn take(&mut self, k: &mut Kernel, topo: &Topology, c: usize) -> Option<u32> {
        if !self.connected[c] || self.holding[c].is_some() {
            return None;
        }
        let (i, slot) = self.next_input(&topo.consumers[c].pipes_in, PipeEnd::Worker(c))?;
        self.holding[c] = Some(slot);
        k.copy_mut(slot).state = CopyState::Received { consumer: c as u32 };
        self.room_freed(k, topo, i);
        Some(slot)
    }

    /// Seam `credit`: worker `c` has room (it finished, or came back and connects
    /// again). Returns the message it takes, if any; with nothing to take it tells
    /// least-recently-used devices it is ready.
    pub fn credit(&mut self, k: &mut Kernel, topo: &Topology, c: usize) -> Option<u32> {
        if !self.connected[c] {
            self.connected[c] = true;
            // Reconnected: senders that waited for a peer may send again.
            for &i in &topo.consumers[c].pipes_in {
                self.room_freed(k, topo, i);
            }
        }
        if let Some(slot) = self.take(k, topo, c) {
            return Some(slot);
        }
        if self.holding[c].is_none() {
            for &i in &topo.consumers[c].pipes_in {
                if let PipeEnd::Device(d) = topo.pipes[i].from {
                    if topo.devices[d].mode == DeviceMode::LeastRecentlyUsed
                        && !self.ready[d].contains(&i)
                    {
                        self.ready[d].push_back(i);
                        self.pump(k, topo, d);
                    }
                }
            }
        }
        None
    }

    /// Seam `settle`: worker `c` is done with its message. ZeroMQ has no
    /// acknowledgement: an ack is the kernel's to settle; a rejected message is gone.
    pub fn settle(
        &mut self,
        k: &mut Kernel,
        topo: &Topology,
        c: usize,
        slot: u32,
        how: Settlement,
    ) {
        if self.holding[c] != Some(slot) {
            return;
        }
        self.holding[c] = None;
        if how != Settlement::Ack {
            k.drop_copy(slot, Some(topo.consumers[c].node), DropReason::Rejected);
        }
    }

    /// Seam `abandon`: worker `c` went away. Its message and everything in its input
    /// pipes are lost (`peer_lost`); until it is back, PUSH skips it and PUB sends it
    /// nothing.
    pub fn abandon(&mut self, k: &mut Kernel, topo: &Topology, c: usize) {
        self.connected[c] = false;
        let node = Some(topo.consumers[c].node);
        if let Some(slot) = self.holding[c].take() {
            k.drop_copy(slot, node, DropReason::PeerLost);
        }
        for &i in &topo.consumers[c].pipes_in {
            let lost: Vec<u32> = self.pipes[i].queue.drain(..).collect();
            if !lost.is_empty() {
                *self.pipes[i]
                    .dropped
                    .entry(DropReason::PeerLost)
                    .or_insert(0) += lost.len() as u64;
            }
            for slot in lost {
                k.drop_copy(slot, node, DropReason::PeerLost);
            }
            if let PipeEnd::Device(d) = topo.pipes[i].from {
                self.ready[d].retain(|&j| j != i);
            }
            self.room_freed(k, topo, i);
        }
        self.forget_sender(topo, Sender::Worker(c), k.now);
    }
}

/// The node at the receiving end of pipe `i`.
pub(super) fn receiver_node(topo: &Topology, i: usize) -> Option<NodeId> {
    match topo.pipes[i].to {
        PipeEnd::Worker(c) => Some(topo.consumers[c].node),
        PipeEnd::Device(d) => Some(topo.devices[d].node),
        PipeEnd::Producer(p) => Some(topo.producers[p].node),
    }
}

/// The body of a ZeroMQ message: a frame carries no priority or expiration.
fn body_of(k: &Kernel, from: Option<NodeId>, message: MessageId, out: Outgoing) -> MessageBody {
    MessageBody {
        priority: None,
        expiration_us: None,
        tombstone: false,
        ..out.into_body(message, from, k.now)
    }
}

/// A parcel for a ZeroMQ message.
fn new_copy(k: &mut Kernel, body: Rc<MessageBody>) -> Copy {
    k.new_parcel(
        body,
        CopyState::InFlight,
        crate::core::model::message::empty_text(),
    )
}
