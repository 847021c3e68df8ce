//! The simulation engine: a discrete-event broker with RabbitMQ's semantics.
//!
//! Commands go in ([`Command`]), timestamped [`Event`]s come out. Internally an
//! [`agenda::Agenda`] orders pending actions by (time, sequence); all randomness comes
//! from one seeded [`SimRng`]. Same scenario + seed + commands ⇒ the same events.
//!
//! The engine's behaviour is split by job: `publish` (producers, replies, exchange
//! arrival and routing), `queue_ops` (enqueue, overflow, expiry, delivery, requeue),
//! `consumer_ops` (processing, outcomes, crashes, outages), `dead_letter`.

pub(crate) mod agenda;
mod consumer_ops;
mod dead_letter;
pub mod events;
mod publish;
mod queue_ops;
pub mod ready;
pub mod state;

use crate::core::ids::{CopyId, NodeId};
use crate::core::message::Copy;
use crate::core::metrics::{LatencyHistogram, Totals};
use crate::core::rng::SimRng;
use crate::core::routing::Router;
use crate::core::scenario::{LoadError, Scenario};
use crate::core::time::{ms_to_us, SimTime};
use crate::core::topology::{NodeRef, Topology};
use agenda::{Action, Agenda};
use events::{DropReason, Event, EventKind};
use state::{ConsumerState, ProducerState, QueueState};
use std::collections::BTreeMap;

/// How many steps [`Simulation::run_until_within`] takes between two looks at its
/// budget.
pub const BUDGET_CHECK_STEPS: u32 = 256;

/// Something the user (or the UI) asks the simulation to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Publish one message from a producer now (outside its schedule).
    Publish {
        /// Producer node.
        producer: NodeId,
    },
    /// Crash a consumer now; it restarts after its `restart_ms`.
    CrashConsumer {
        /// Consumer node.
        consumer: NodeId,
    },
    /// Disconnect (false) or reconnect (true) a consumer.
    SetConsumerOnline {
        /// Consumer node.
        consumer: NodeId,
        /// Desired state.
        online: bool,
    },
}

/// A running simulation.
pub struct Simulation {
    pub(crate) topo: Topology,
    pub(crate) now: SimTime,
    pub(crate) agenda: Agenda,
    pub(crate) rng: SimRng,
    pub(crate) router: Router,
    pub(crate) latency_us: u64,
    pub(crate) slots: Vec<Option<Copy>>,
    pub(crate) free: Vec<u32>,
    pub(crate) next_copy: u64,
    pub(crate) next_message: u64,
    pub(crate) queues: Vec<QueueState>,
    pub(crate) consumers: Vec<ConsumerState>,
    pub(crate) producers: Vec<ProducerState>,
    pub(crate) totals: Totals,
    pub(crate) dropped: BTreeMap<DropReason, u64>,
    pub(crate) latency: LatencyHistogram,
    pub(crate) events: Vec<Event>,
    pub(crate) recording: bool,
    pub(crate) steps: u64,
    pub(crate) registrations: u64,
    seed: u64,
}

impl Simulation {
    /// Builds a simulation from a scenario, using the scenario's seed.
    pub fn new(scenario: &Scenario) -> Result<Simulation, LoadError> {
        Simulation::with_seed(scenario, scenario.seed)
    }

    /// Builds a simulation from a scenario with an explicit seed.
    pub fn with_seed(scenario: &Scenario, seed: u64) -> Result<Simulation, LoadError> {
        let topo = Topology::build(scenario)?;
        let queues = topo
            .queues
            .iter()
            .map(|q| QueueState::new(q.max_priority.map_or(1, |p| p as usize + 1)))
            .collect();
        let consumers = topo
            .consumers
            .iter()
            .enumerate()
            .map(|(i, _)| ConsumerState {
                online: true,
                registered: i as u64,
                ..ConsumerState::default()
            })
            .collect();
        let producers = topo
            .producers
            .iter()
            .map(|p| ProducerState {
                fixed_headers: publish::fixed_headers(p),
                ..ProducerState::default()
            })
            .collect();
        let mut sim = Simulation {
            router: Router::new(&topo),
            latency_us: ms_to_us(scenario.latency_ms),
            topo,
            now: SimTime::ZERO,
            agenda: Agenda::default(),
            rng: SimRng::new(seed),
            slots: Vec::new(),
            free: Vec::new(),
            next_copy: 0,
            next_message: 0,
            queues,
            consumers,
            producers,
            totals: Totals::default(),
            dropped: BTreeMap::new(),
            latency: LatencyHistogram::default(),
            events: Vec::new(),
            recording: false,
            steps: 0,
            registrations: 0,
            seed,
        };
        sim.registrations = sim.consumers.len() as u64;
        sim.schedule_initial();
        Ok(sim)
    }

    fn schedule_initial(&mut self) {
        for (p, info) in self.topo.producers.iter().enumerate() {
            if info.target.is_none() {
                continue;
            }
            let spec = &info.spec;
            if spec.rate_per_sec > 0.0 {
                self.agenda.push(
                    SimTime::from_ms(spec.start_ms),
                    Action::ProducerTick { producer: p as u32 },
                );
            }
            for (b, burst) in spec.bursts.iter().enumerate() {
                if burst.count > 0 {
                    self.agenda.push(
                        SimTime::from_ms(burst.at_ms),
                        Action::BurstTick {
                            producer: p as u32,
                            burst: b as u32,
                            i: 0,
                        },
                    );
                }
            }
        }
        for (c, info) in self.topo.consumers.iter().enumerate() {
            for (k, w) in info.spec.outages.iter().enumerate() {
                let (c, index) = (c as u32, k as u32);
                self.agenda.push(
                    SimTime::from_ms(w.start_ms),
                    Action::OutageStart { consumer: c, index },
                );
                self.agenda.push(
                    SimTime::from_ms(w.end_ms),
                    Action::OutageEnd { consumer: c, index },
                );
            }
        }
    }

    /// The seed in use.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The compiled topology.
    pub fn topology(&self) -> &Topology {
        &self.topo
    }

    /// Turns event recording on or off (off by default: headless runs skip the cost).
    pub fn set_recording(&mut self, on: bool) {
        self.recording = on;
    }

    /// Takes the events recorded since the last call.
    pub fn drain_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// Actions processed so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Every pending internal action (for the conservation check).
    pub(crate) fn agenda_actions(&self) -> impl Iterator<Item = Action> + '_ {
        self.agenda.actions()
    }

    /// Time of the next pending action, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.agenda.peek_time()
    }

    /// Processes the single next action. Returns false when nothing is pending.
    pub fn step(&mut self) -> bool {
        let Some((time, action)) = self.agenda.pop() else {
            return false;
        };
        self.now = time;
        if !matches!(action, Action::BurstRest { .. }) {
            self.steps += 1;
        }
        self.dispatch(action);
        true
    }

    /// Like [`Simulation::run_until`], but stops early when `over_budget` says so
    /// (asked every [`BUDGET_CHECK_STEPS`] steps): the browser's per-frame work budget.
    /// Returns true when it reached `until` (the clock is then there); false when it
    /// stopped early (the clock stays at the last action, and a later call goes on
    /// exactly where this one stopped, so the run is the same either way).
    pub fn run_until_within(
        &mut self,
        until: SimTime,
        over_budget: &mut dyn FnMut() -> bool,
    ) -> bool {
        let mut n = 0u32;
        while let Some(t) = self.agenda.peek_time() {
            if t > until {
                break;
            }
            self.step();
            n += 1;
            if n.is_multiple_of(BUDGET_CHECK_STEPS) && over_budget() {
                return false;
            }
        }
        if until > self.now {
            self.now = until;
        }
        true
    }

    /// Processes every action up to and including `until`, then sets the clock there.
    pub fn run_until(&mut self, until: SimTime) {
        while let Some(t) = self.agenda.peek_time() {
            if t > until {
                break;
            }
            self.step();
        }
        if until > self.now {
            self.now = until;
        }
    }

    /// Applies a user command at the current time.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        let node = match &command {
            Command::Publish { producer } => *producer,
            Command::CrashConsumer { consumer } | Command::SetConsumerOnline { consumer, .. } => {
                *consumer
            }
        };
        let r = self
            .topo
            .nodes
            .get(node.index())
            .copied()
            .ok_or_else(|| format!("no node #{}", node.0))?;
        match (command, r) {
            (Command::Publish { .. }, NodeRef::Producer(p)) => {
                if self.topo.producers[p].target.is_none() {
                    return Err("this producer is not connected to an exchange".into());
                }
                self.publish_from_producer(p);
                Ok(())
            }
            (Command::CrashConsumer { .. }, NodeRef::Consumer(c)) => {
                self.crash_consumer(c);
                Ok(())
            }
            (Command::SetConsumerOnline { online, .. }, NodeRef::Consumer(c)) => {
                self.set_manual_outage(c, !online);
                Ok(())
            }
            _ => Err("that command does not apply to this kind of node".into()),
        }
    }

    fn dispatch(&mut self, action: Action) {
        match action {
            Action::ProducerTick { producer } => self.producer_tick(producer as usize),
            Action::BurstTick { producer, burst, i } => {
                self.burst_tick(producer as usize, burst as usize, i)
            }
            Action::BurstRest { producer, burst, i } => {
                self.burst_rest(producer as usize, burst as usize, i)
            }
            Action::ArriveExchange {
                slot,
                exchange,
                dead_letter,
            } => self.arrive_exchange(slot, exchange as usize, dead_letter),
            Action::ArriveQueue { slot, queue } => self.arrive_queue(slot, queue as usize),
            Action::ArriveConsumer {
                slot,
                consumer,
                epoch,
            } => self.arrive_consumer(slot, consumer as usize, epoch),
            Action::ProcessingDone { consumer, epoch } => {
                self.processing_done(consumer as usize, epoch)
            }
            Action::ExpiryCheck { queue } => self.expiry_check(queue as usize),
            Action::OutageStart { consumer, .. } => self.outage_start(consumer as usize),
            Action::OutageEnd { consumer, .. } => self.outage_end(consumer as usize),
            Action::Restart { consumer, epoch } => self.restart(consumer as usize, epoch),
        }
    }

    // ---- copies -------------------------------------------------------------------

    pub(crate) fn alloc(&mut self, copy: Copy) -> u32 {
        self.totals.copies += 1;
        match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(copy);
                slot
            }
            None => {
                self.slots.push(Some(copy));
                (self.slots.len() - 1) as u32
            }
        }
    }

    pub(crate) fn new_copy_id(&mut self) -> CopyId {
        self.next_copy += 1;
        CopyId(self.next_copy)
    }

    pub(crate) fn copy(&self, slot: u32) -> &Copy {
        self.slots[slot as usize].as_ref().expect("live copy slot")
    }

    pub(crate) fn copy_mut(&mut self, slot: u32) -> &mut Copy {
        self.slots[slot as usize].as_mut().expect("live copy slot")
    }

    /// Frees a slot in place (no move of the copy out of the table).
    fn release(&mut self, slot: u32) {
        self.slots[slot as usize] = None;
        self.free.push(slot);
    }

    /// Frees an acknowledged copy; returns its message and routing key (for publishing
    /// after processing) only when the consumer publishes anything.
    pub(crate) fn settle_acked(
        &mut self,
        slot: u32,
        want_body: bool,
    ) -> Option<(
        std::rc::Rc<crate::core::message::MessageBody>,
        std::rc::Rc<str>,
    )> {
        self.totals.acked += 1;
        let copy = self.copy(slot);
        let published = copy.body.published_at.0;
        let kept = want_body.then(|| (copy.body.clone(), copy.routing_key.clone()));
        self.release(slot);
        self.latency.record(self.now.0.saturating_sub(published));
        kept
    }

    /// Frees a copy that leaves the system unacknowledged.
    pub(crate) fn drop_copy(&mut self, slot: u32, at: Option<NodeId>, reason: DropReason) {
        let id = self.copy(slot).id;
        self.release(slot);
        self.totals.dropped += 1;
        *self.dropped.entry(reason).or_insert(0) += 1;
        self.emit(|| EventKind::Dropped {
            copy: id,
            at,
            reason,
        });
    }

    /// Records an event when recording is on; the event is only built then.
    #[inline]
    pub(crate) fn emit(&mut self, kind: impl FnOnce() -> EventKind) {
        if self.recording {
            self.events.push(Event {
                time: self.now,
                kind: kind(),
            });
        }
    }
}
