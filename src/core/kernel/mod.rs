//! The kernel: what every messaging system's simulation shares and nothing
//! system-specific — the clock, the (time, sequence) [`agenda`], the seeded [`rng`],
//! the [`arena`] of parcels (message copies that move), the [`recorder`] of events,
//! the ledger of totals and latency ([`metrics`]) and the [`census`] that checks
//! conservation. Families and actors receive `&mut Kernel`; none of them owns it.

pub mod action;
pub mod agenda;
pub mod arena;
pub mod census;
pub mod metrics;
pub mod recorder;
pub mod rng;
pub mod time;

use crate::core::model::events::{DropReason, EventKind};
use crate::core::model::ids::{CopyId, EdgeId, MessageId, NodeId};
use crate::core::model::message::{Copy, CopyState, MessageBody};
use crate::core::model::motion::{Leg, Motion, MotionKind};
use agenda::Agenda;
use arena::Arena;
use metrics::{LatencyHistogram, Totals};
use recorder::Recorder;
use rng::SimRng;
use std::collections::BTreeMap;
use std::rc::Rc;
use time::SimTime;

/// The shared machinery of one run.
pub struct Kernel {
    /// Simulated clock.
    pub now: SimTime,
    /// Pending actions.
    pub agenda: Agenda,
    /// The only source of randomness.
    pub rng: SimRng,
    /// Live parcels.
    pub parcels: Arena<Copy>,
    /// Events.
    pub recorder: Recorder,
    /// Running totals (live counts are filled in by the report).
    pub totals: Totals,
    /// Dropped parcels by reason.
    pub dropped: BTreeMap<DropReason, u64>,
    /// Dropped parcels by the node they died at and reason, kept only when
    /// `count_drops_by_node` (a diagram with frames).
    pub dropped_at: BTreeMap<(NodeId, DropReason), u64>,
    /// Whether to keep [`Kernel::dropped_at`].
    pub count_drops_by_node: bool,
    /// Publish-to-ack latency.
    pub latency: LatencyHistogram,
    /// Time one hop takes, µs.
    pub hop_us: u64,
    /// Actions processed.
    pub steps: u64,
    /// Work done since the clock last moved (see [`crate::core::Simulation::stalled`]).
    pub instant_steps: u64,
    /// Every action taken off the agenda (burst slices included), for an exact replay.
    pub actions: u64,
    /// Messages that set off along each edge (by edge index).
    pub travelled: Vec<u64>,
    /// Publisher confirms of the messages whose publisher waits for one (a script's
    /// publishes): true once a queue refused the message (`reject-publish`), as
    /// RabbitMQ's basic.nack would say (rabbitmq.com/docs/confirms).
    pub confirms: BTreeMap<MessageId, bool>,
    next_copy: u64,
    next_message: u64,
    replies_drawn: u64,
}

impl Kernel {
    /// A kernel at time zero for a diagram of `edges` edges.
    pub fn new(seed: u64, hop_us: u64, edges: usize) -> Kernel {
        Kernel {
            now: SimTime::ZERO,
            agenda: Agenda::default(),
            rng: SimRng::new(seed),
            parcels: Arena::default(),
            recorder: Recorder::default(),
            totals: Totals::default(),
            dropped: BTreeMap::new(),
            dropped_at: BTreeMap::new(),
            count_drops_by_node: false,
            latency: LatencyHistogram::default(),
            hop_us,
            steps: 0,
            instant_steps: 0,
            actions: 0,
            travelled: vec![0; edges],
            confirms: BTreeMap::new(),
            next_copy: 0,
            next_message: 0,
            replies_drawn: 0,
        }
    }

    /// When a hop that starts now ends.
    #[inline]
    pub fn hop_end(&self) -> SimTime {
        self.now.plus(self.hop_us)
    }

    /// Counts a message setting off along `edge`.
    #[inline]
    pub fn travel(&mut self, edge: crate::core::model::ids::EdgeId) {
        self.travelled[edge.index()] += 1;
    }

    /// A queue refused `message`: its publisher, if it waits for a confirm, gets a
    /// nack.
    pub fn refuse(&mut self, message: MessageId) {
        if let Some(refused) = self.confirms.get_mut(&message) {
            *refused = true;
        }
    }

    /// Stores a new parcel; returns its slot.
    pub fn alloc(&mut self, copy: Copy) -> u32 {
        self.totals.copies += 1;
        self.parcels.insert(copy)
    }

    /// A fresh parcel id.
    pub fn new_copy_id(&mut self) -> CopyId {
        self.next_copy += 1;
        CopyId(self.next_copy)
    }

    /// A new parcel of `body`, in `state`, last seen at `place` (an exchange, topic
    /// or queue name: `x-death` reads it), entering its place now. Families that
    /// create copies outside RabbitMQ's routing start from this.
    pub fn new_parcel(&mut self, body: Rc<MessageBody>, state: CopyState, place: Rc<str>) -> Copy {
        let id = self.new_copy_id();
        Copy {
            id,
            routing_key: body.routing_key.clone(),
            body,
            state,
            cc_active: false,
            bcc_active: false,
            exchange: place,
            redelivered: false,
            returns: 0,
            x_death: Vec::new(),
            expiration_cleared: true,
            expires_at: None,
            seq: 0,
            level: 0,
            held_at: 0,
            enqueued_at: self.now,
        }
    }

    /// A fresh message number.
    pub fn new_message_id(&mut self) -> MessageId {
        self.next_message += 1;
        MessageId(self.next_message)
    }

    /// The parcel in `slot`.
    #[inline]
    pub fn copy(&self, slot: u32) -> &Copy {
        self.parcels.get(slot)
    }

    /// The parcel in `slot`, mutably.
    #[inline]
    pub fn copy_mut(&mut self, slot: u32) -> &mut Copy {
        self.parcels.get_mut(slot)
    }

    /// Settles an acknowledged parcel: it leaves the system, its latency is recorded.
    /// Returns its body and routing key when `want_body` (for publishing after
    /// processing).
    pub fn settle_acked(
        &mut self,
        slot: u32,
        want_body: bool,
    ) -> Option<(Rc<MessageBody>, Rc<str>)> {
        self.totals.acked += 1;
        let copy = self.parcels.get(slot);
        let published = copy.body.published_at.0;
        let kept = want_body.then(|| (copy.body.clone(), copy.routing_key.clone()));
        self.parcels.remove(slot);
        self.latency.record(self.now.0.saturating_sub(published));
        kept
    }

    /// A parcel became a record of a store that keeps it (a Kafka partition): it
    /// leaves the parcel count.
    pub fn settle_stored(&mut self, slot: u32) {
        self.totals.stored += 1;
        self.parcels.remove(slot);
    }

    /// Drops a parcel that leaves the system unacknowledged, with a reason.
    pub fn drop_copy(&mut self, slot: u32, at: Option<NodeId>, reason: DropReason) {
        let id = self.parcels.get(slot).id;
        self.parcels.remove(slot);
        self.totals.dropped += 1;
        *self.dropped.entry(reason).or_insert(0) += 1;
        if self.count_drops_by_node {
            if let Some(node) = at {
                *self.dropped_at.entry((node, reason)).or_insert(0) += 1;
            }
        }
        self.emit(|| EventKind::Dropped {
            copy: id,
            at,
            reason,
        });
    }

    /// Records the motion of parcel `slot` setting off along `edge` now, for one hop.
    #[inline]
    pub fn record_hop(&mut self, slot: u32, edge: EdgeId, kind: MotionKind) {
        if self.recorder.is_on() {
            self.record_hop_now(slot, edge, kind);
        }
    }

    /// Records the motion of a batch of `count` messages setting off along `edge` now,
    /// drawn as the parcel in `slot` (a Kafka fetch).
    #[inline]
    pub fn record_batch(&mut self, slot: u32, edge: EdgeId, count: u32, kind: MotionKind) {
        if self.recorder.is_on() {
            self.record_motion_now(slot, edge, count, kind);
        }
    }

    /// Records the motion of parcel `slot` travelling `edge` backwards now, for one
    /// hop (a redrive back to the source queue, against the redrive edge).
    #[inline]
    pub fn record_hop_back(&mut self, slot: u32, edge: EdgeId, kind: MotionKind) {
        if self.recorder.is_on() {
            let copy = self.parcels.get(slot);
            let (id, origin) = (copy.id, copy.body.origin);
            let (depart, arrive) = (self.now, self.hop_end());
            self.recorder.motion(|| {
                Some(Motion {
                    copy: id,
                    origin,
                    legs: vec![Leg::Edge { edge }],
                    reverse: true,
                    depart,
                    arrive,
                    count: 1,
                    kind,
                })
            });
        }
    }

    /// Records a reply travelling `edge` backwards now, for one hop: not a parcel, so
    /// its dot has an id of its own (counted down from the top, so recording on or off
    /// never changes the parcels' ids).
    #[inline]
    pub fn record_reply(&mut self, edge: EdgeId, origin: Option<NodeId>, kind: MotionKind) {
        if self.recorder.is_on() {
            self.replies_drawn += 1;
            let copy = CopyId(u64::MAX - self.replies_drawn);
            let (depart, arrive) = (self.now, self.hop_end());
            self.recorder.motion(|| {
                Some(Motion {
                    copy,
                    origin,
                    legs: vec![Leg::Edge { edge }],
                    reverse: true,
                    depart,
                    arrive,
                    count: 1,
                    kind,
                })
            });
        }
    }

    fn record_hop_now(&mut self, slot: u32, edge: EdgeId, kind: MotionKind) {
        self.record_motion_now(slot, edge, 1, kind);
    }

    fn record_motion_now(&mut self, slot: u32, edge: EdgeId, count: u32, kind: MotionKind) {
        let copy = self.parcels.get(slot);
        let (id, origin) = (copy.id, copy.body.origin);
        let (depart, arrive) = (self.now, self.hop_end());
        self.recorder.motion(|| {
            Some(Motion {
                copy: id,
                origin,
                legs: vec![Leg::Edge { edge }],
                reverse: false,
                depart,
                arrive,
                count,
                kind,
            })
        });
    }

    /// Records an event now (built only when recording is on).
    #[inline]
    pub fn emit(&mut self, kind: impl FnOnce() -> EventKind) {
        self.recorder.emit(self.now, kind);
    }
}
