//! The simulation: the [`Kernel`] (clock, agenda, RNG, parcels, recorder, ledger), the
//! families ([`Rabbit`], [`Log`]), the shared actors (producers and workers) and the
//! compiled [`Topology`] they read. It dispatches each agenda action to its owner and
//! connects actors to systems through the four [`seams`].
//!
//! Commands go in ([`Command`]), timestamped events come out. Same scenario + seed +
//! commands ⇒ the same events.

pub mod census;
pub mod commands;
pub mod contents;
pub mod frames;
pub mod seams;
pub mod status;

use crate::core::actors::client::ClientState;
use crate::core::actors::producer::{ProducerState, BURST_SLICE};
use crate::core::actors::worker::ConsumerState;
use crate::core::families::log::Log;
use crate::core::families::pipe::Pipes;
use crate::core::families::rabbit::Rabbit;
use crate::core::families::rpc::Rpc;
use crate::core::families::sqs::Sqs;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::recorder::Recording;
use crate::core::kernel::time::{ms_to_us, SimTime};
use crate::core::kernel::Kernel;
use crate::core::model::events::Event;
use crate::core::scenario::{LoadError, Scenario};
use crate::core::topology::{NodeRef, Topology};
pub(crate) use commands::aws_outgoing;
pub use commands::{Command, SqsCall};

/// How much work (in ordinary actions) [`Simulation::run_until_within`] does between
/// two looks at its budget.
pub const BUDGET_CHECK_STEPS: u32 = 256;

/// Most work done at one instant when hops take no time (`latency_ms` 0) before the run
/// is stopped as stalled: then a loop (a message requeued to a consumer that takes no
/// time, a consumer producing back into the topic it reads, an SQS visibility timeout
/// of 0 with no deletes) runs for ever without the clock moving. With hops that take
/// time no loop is instantaneous, so there is no limit.
pub const MAX_STEPS_AT_ONE_INSTANT: u64 = 5_000_000;

/// Most messages the run holds at once (travelling, in queues, topics' logs and SQS
/// queues) before it is stopped: each takes a few hundred bytes, so a loop that
/// multiplies messages (a consumer forwarding each one twice back to its own exchange)
/// or bursts far beyond what is consumed would otherwise run out of memory.
pub const MAX_MESSAGES_HELD: u64 = 5_000_000;

/// Why a run stopped short ([`Simulation::stalled`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// Too much work at one instant with hops that take no time.
    Instant,
    /// Too many messages held at once.
    Crowded(u64),
}

/// A running simulation.
pub struct Simulation {
    pub(crate) topo: Topology,
    pub(crate) kernel: Kernel,
    pub(crate) rabbit: Rabbit,
    pub(crate) log: Log,
    pub(crate) sqs: Sqs,
    pub(crate) pipes: Pipes,
    pub(crate) rpc: Rpc,
    /// Per frame: the latest message number processed in it, and how many came out of
    /// order (see [`frames`]).
    pub(crate) frame_order: Vec<(u64, u64)>,
    pub(crate) workers: Vec<ConsumerState>,
    pub(crate) producers: Vec<ProducerState>,
    pub(crate) client: ClientState,
    /// A reused buffer for the copies of a fetch or receive that arrive together, so
    /// that their arrival allocates nothing (design §2).
    batch: Vec<u32>,
    seed: u64,
    /// Why the run stopped short, if it did ([`Simulation::stalled`]).
    stalled: Option<Stop>,
    /// The step count at which to count the messages held next.
    next_crowd_check: u64,
    /// Most messages held before the run stops ([`MAX_MESSAGES_HELD`] unless a test
    /// lowers it with [`Simulation::limit_messages_held`]).
    max_held: u64,
}

impl Simulation {
    /// Builds a simulation from a scenario, using the scenario's seed.
    pub fn new(scenario: &Scenario) -> Result<Simulation, LoadError> {
        Simulation::with_seed(scenario, scenario.seed)
    }

    /// Builds a simulation from a scenario with an explicit seed.
    pub fn with_seed(scenario: &Scenario, seed: u64) -> Result<Simulation, LoadError> {
        let topo = Topology::build(scenario)?;
        let mut sim = Simulation {
            stalled: None,
            next_crowd_check: 0,
            max_held: MAX_MESSAGES_HELD,
            kernel: Kernel::new(seed, ms_to_us(scenario.latency_ms), scenario.edges.len()),
            rabbit: Rabbit::new(&topo),
            log: Log::new(&topo),
            sqs: Sqs::new(&topo),
            pipes: Pipes::new(&topo),
            rpc: Rpc::new(&topo),
            frame_order: vec![(0, 0); topo.frames.len()],
            workers: topo
                .consumers
                .iter()
                .map(|_| ConsumerState::new())
                .collect(),
            producers: topo.producers.iter().map(ProducerState::new).collect(),
            client: ClientState::default(),
            batch: Vec::new(),
            topo,
            seed,
        };
        if !sim.topo.frames.is_empty() {
            // Frames keep per-node figures the engine otherwise spares itself.
            sim.kernel.count_drops_by_node = true;
            for w in &mut sim.workers {
                w.latency = Some(Default::default());
            }
        }
        sim.schedule_producers();
        sim.schedule_workers();
        sim.schedule_script();
        sim.log.start(&mut sim.kernel, &sim.topo);
        sim.sqs.start(&mut sim.kernel, &sim.topo);
        Ok(sim)
    }

    /// The seed in use.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.kernel.now
    }

    /// The compiled topology.
    pub fn topology(&self) -> &Topology {
        &self.topo
    }

    /// Turns event recording on or off (off by default: headless runs skip the cost).
    pub fn set_recording(&mut self, on: bool) {
        self.kernel.recorder.set(on);
    }

    /// Takes the events recorded since the last call (and discards the motions).
    pub fn drain_events(&mut self) -> Vec<Event> {
        self.kernel.recorder.drain()
    }

    /// Takes the events and the motions recorded since the last call.
    pub fn drain_recording(&mut self) -> Recording {
        self.kernel.recorder.drain_all()
    }

    /// Actions processed so far.
    pub fn steps(&self) -> u64 {
        self.kernel.steps
    }

    /// Every action taken off the agenda so far (burst slices included): with the
    /// clock, where a run stands exactly, even between two actions of one instant.
    pub fn actions_done(&self) -> u64 {
        self.kernel.actions
    }

    /// Goes back to where another run of the same scenario stood (`actions` taken, the
    /// clock at `at`): takes actions until that many are done, then sets the clock.
    /// The timeline's replay uses it to re-apply a hand action exactly where it was
    /// applied.
    pub fn replay_to(&mut self, at: SimTime, actions: u64) {
        while self.kernel.actions < actions && self.step_weighed() > 0 {}
        if at > self.kernel.now {
            self.kernel.now = at;
        }
    }

    /// Time of the next pending action, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.kernel.agenda.peek_time()
    }

    /// Processes the single next action. Returns false when nothing is pending.
    pub fn step(&mut self) -> bool {
        self.step_weighed() > 0
    }

    /// Processes the next action; returns how much work it was, in ordinary actions
    /// (a slice of a burst counts as the messages it publishes), 0 when nothing is
    /// pending.
    fn step_weighed(&mut self) -> u32 {
        let Some((time, action)) = self.kernel.agenda.pop() else {
            return 0;
        };
        if time > self.kernel.now {
            self.kernel.instant_steps = 0;
        }
        self.kernel.now = time;
        self.kernel.actions += 1;
        let weight = if let Action::BurstRest { .. } = action {
            BURST_SLICE as u32
        } else {
            self.kernel.steps += 1;
            1
        };
        self.kernel.instant_steps += weight as u64;
        self.dispatch(action);
        weight
    }

    /// Processes every action up to and including `until`, then sets the clock there.
    pub fn run_until(&mut self, until: SimTime) {
        if self.stalled.is_some() {
            return;
        }
        while let Some(t) = self.kernel.agenda.peek_time() {
            if t > until {
                break;
            }
            self.step();
            if self.check_stall() {
                return;
            }
        }
        if until > self.kernel.now {
            self.kernel.now = until;
        }
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
        if self.stalled.is_some() {
            return true;
        }
        let mut work = 0u32;
        while let Some(t) = self.kernel.agenda.peek_time() {
            if t > until {
                break;
            }
            work += self.step_weighed();
            if work >= BUDGET_CHECK_STEPS {
                work = 0;
                if self.check_stall() {
                    return true;
                }
                if over_budget() {
                    return false;
                }
            }
        }
        if until > self.kernel.now {
            self.kernel.now = until;
        }
        true
    }

    /// Stops the run when it has done [`MAX_STEPS_AT_ONE_INSTANT`] work at one instant
    /// with hops that take no time, or (looked at every 4,096 actions) holds more than
    /// [`MAX_MESSAGES_HELD`] messages; true when it is stopped.
    #[inline]
    fn check_stall(&mut self) -> bool {
        if self.kernel.hop_us == 0 && self.kernel.instant_steps > MAX_STEPS_AT_ONE_INSTANT {
            self.stalled = Some(Stop::Instant);
        } else if self.kernel.steps >= self.next_crowd_check {
            self.next_crowd_check = self.kernel.steps + 4096;
            let held = self.messages_held();
            if held > self.max_held {
                self.stalled = Some(Stop::Crowded(held));
            }
        }
        self.stalled.is_some()
    }

    /// Lowers the most messages the run may hold at once (tests reach the limit without
    /// millions of messages).
    pub fn limit_messages_held(&mut self, max: u64) {
        self.max_held = max.min(MAX_MESSAGES_HELD);
    }

    /// Messages the run holds: live parcels (travelling, in RabbitMQ queues, with
    /// workers), records in topics' logs and messages in SQS queues.
    fn messages_held(&self) -> u64 {
        self.kernel.parcels.live() + self.log.records_held() + self.sqs.messages_held()
    }

    /// Why the run stopped short, when it did: it went round a loop at one instant
    /// (hops take no time), and would for ever; or it came to hold more messages than
    /// it has room for. The clock stays where it stopped; the run goes no further.
    pub fn stalled(&self) -> Option<String> {
        match self.stalled? {
            Stop::Instant => Some(format!(
                "the run stopped at t = {:.3} s: over {} million actions happened there without the clock moving. With latency_ms 0 a hop takes no time, so a loop (a message requeued to a consumer that takes no time, a consumer producing back into the topic it reads, an SQS visibility timeout of 0 with nothing deleted) never lets time pass; give latency_ms a value above 0",
                self.kernel.now.as_ms() / 1000.0,
                MAX_STEPS_AT_ONE_INSTANT / 1_000_000
            )),
            Stop::Crowded(held) => Some(format!(
                "the run stopped at t = {:.3} s: it held {held} messages at once, over the {} it has room for. Something makes messages faster than anything takes them away (a consumer forwarding each message more than once back to where it reads, or bursts far larger than the consumers can keep up with); give it fewer messages or a way out",
                self.kernel.now.as_ms() / 1000.0,
                crate::core::report::thousands(self.max_held)
            )),
        }
    }

    /// Sends one agenda action to the family or actor that owns it.
    fn dispatch(&mut self, action: Action) {
        let (k, topo) = (&mut self.kernel, &self.topo);
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
            } => self
                .rabbit
                .arrive_exchange(k, topo, slot, exchange as usize, dead_letter),
            Action::ArriveQueue { slot, queue } => {
                self.rabbit.arrive_queue(k, topo, slot, queue as usize)
            }
            Action::ExpiryCheck { queue } => self.rabbit.expiry_check(k, topo, queue as usize),
            Action::ArriveConsumer {
                slot,
                consumer,
                tag,
            } => {
                // A delivery to a subscription that ended meanwhile was already
                // returned (or lost) by the system.
                if self.rabbit.is_current(consumer as usize, tag) {
                    self.arrive_consumer(slot, consumer as usize);
                }
            }
            Action::ProcessingDone {
                consumer,
                epoch,
                slot,
            } => self.processing_done(consumer as usize, epoch, slot),
            Action::ArriveService { slot, call } => self.request_arrives(slot, call as usize),
            Action::ReplyArrive {
                call,
                token,
                index,
                answer,
            } => {
                if let Some(done) =
                    self.rpc
                        .reply_arrives(k, topo, call, token, index as usize, answer)
                {
                    self.call_finished(done);
                }
            }
            Action::CallTimeout { call, token } => {
                if let Some(done) = self.rpc.timeout(k, topo, call, token) {
                    self.call_finished(done);
                }
            }
            Action::CallRetry { call, token } => self.call_retry(call, token),
            Action::OutageStart { consumer, .. } => self.outage_start(consumer as usize),
            Action::OutageEnd { consumer, .. } => self.outage_end(consumer as usize),
            Action::Restart { consumer, epoch } => self.restart(consumer as usize, epoch),
            Action::ScriptStep { step } => self.script_step(step as usize),
            Action::ArriveTopic {
                slot,
                topic,
                partition,
            } => self.log.arrive(k, topo, slot, topic as usize, partition),
            Action::FetchArrive { consumer, epoch } => {
                let mut batch = std::mem::take(&mut self.batch);
                self.log.take_batch(consumer as usize, epoch, &mut batch);
                for &slot in &batch {
                    self.arrive_consumer(slot, consumer as usize);
                }
                batch.clear();
                self.batch = batch;
            }
            Action::LogMaintenance { topic } => self.log.maintain(k, topo, topic as usize),
            Action::SessionExpired { consumer, session } => {
                self.log
                    .session_expired(k, topo, consumer as usize, session)
            }
            Action::PollDeadline { consumer, polls } => {
                self.log.poll_deadline(k, topo, consumer as usize, polls)
            }
            Action::AutoCommit { consumer } => self.log.auto_commit(k, consumer as usize),
            Action::GroupSync { group } => self.log.sync(k, topo, group as usize),
            Action::ArriveSqs {
                slot,
                queue,
                delay_us,
            } => self
                .sqs
                .arrive_queue(k, topo, slot, queue as usize, delay_us),
            Action::ArriveMoved { slot, queue, from } => {
                self.sqs
                    .arrive_moved(k, topo, slot, queue as usize, from as usize)
            }
            Action::ArriveSns { slot, topic } => {
                self.sqs.arrive_topic(k, topo, slot, topic as usize)
            }
            Action::SnsPush { slot, consumer } => {
                let c = consumer as usize;
                let up = self.workers[c].online;
                if self.sqs.push_arrives(k, topo, slot, c, up) {
                    self.arrive_consumer(slot, c);
                }
            }
            Action::SqsTimer {
                queue,
                idx,
                token,
                seq,
            } => self.sqs.timer(k, topo, queue as usize, idx, token, seq),
            Action::SqsRetention { queue } => self.sqs.retention(k, topo, queue as usize),
            Action::ReceiveArrive { consumer, epoch } => {
                let mut batch = std::mem::take(&mut self.batch);
                self.sqs
                    .take_receipts(k, topo, consumer as usize, epoch, &mut batch);
                for &slot in &batch {
                    self.arrive_consumer(slot, consumer as usize);
                }
                batch.clear();
                self.batch = batch;
            }
            Action::ReceiveWait { consumer, epoch } => {
                self.sqs.wait_over(k, topo, consumer as usize, epoch)
            }
            Action::ArrivePipe { slot, pipe } => {
                if let Some((c, slot)) = self.pipes.arrive(k, topo, slot, pipe as usize) {
                    self.arrive_consumer(slot, c);
                }
            }
            Action::PipeRetry { node } => match self.topo.nodes.get(node as usize).copied() {
                Some(NodeRef::Producer(p)) => self.producer_unblocked(p),
                Some(NodeRef::Consumer(c)) => self.worker_unblocked(c),
                _ => {}
            },
        }
    }
}
