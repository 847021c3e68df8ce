//! The simulation: the [`Kernel`] (clock, agenda, RNG, parcels, recorder, ledger), the
//! families ([`Rabbit`], [`Log`]), the shared actors (producers and workers) and the
//! compiled [`Topology`] they read. It dispatches each agenda action to its owner and
//! connects actors to systems through the four [`seams`].
//!
//! Commands go in ([`Command`]), timestamped events come out. Same scenario + seed +
//! commands ⇒ the same events.

pub mod census;
pub mod contents;
pub mod seams;
pub mod status;

use crate::core::actors::client::ClientState;
use crate::core::actors::producer::{ProducerState, BURST_SLICE};
use crate::core::actors::worker::ConsumerState;
use crate::core::families::log::Log;
use crate::core::families::pipe::Pipes;
use crate::core::families::rabbit::Rabbit;
use crate::core::families::sqs::Sqs;
use crate::core::kernel::agenda::Action;
use crate::core::kernel::recorder::Recording;
use crate::core::kernel::time::{ms_to_us, SimTime};
use crate::core::kernel::Kernel;
use crate::core::model::events::Event;
use crate::core::model::ids::NodeId;
use crate::core::scenario::{LoadError, Scenario};
use crate::core::topology::{NodeRef, Topology};

/// How much work (in ordinary actions) [`Simulation::run_until_within`] does between
/// two looks at its budget.
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
    /// Publish one message to an exchange now, as a client would (basic.publish).
    PublishTo {
        /// Exchange node.
        exchange: NodeId,
        /// Routing key.
        routing_key: String,
        /// Payload.
        payload: String,
        /// Properties and headers (`message_id` absent: "by hand").
        properties: crate::core::scenario::script::PublishProperties,
    },
    /// Produce one record to a Kafka topic now, as a client would.
    Produce {
        /// Topic node.
        topic: NodeId,
        /// Key (none: a null key).
        key: Option<String>,
        /// Value (none: a tombstone).
        value: Option<String>,
    },
    /// SendMessage to an SQS queue now, as a client would.
    SendTo {
        /// SQS queue node.
        queue: NodeId,
        /// Body.
        body: String,
        /// `MessageGroupId` (FIFO).
        group_id: Option<String>,
        /// `MessageDeduplicationId` (FIFO).
        dedup_id: Option<String>,
    },
    /// Publish to an SNS topic now, as a client would.
    SnsPublish {
        /// SNS topic node.
        topic: NodeId,
        /// Message.
        message: String,
        /// Message attributes.
        attributes: serde_json::Map<String, serde_json::Value>,
        /// `MessageGroupId` (FIFO topics).
        group_id: Option<String>,
    },
    /// queue.purge: remove every ready message of a RabbitMQ queue.
    Purge {
        /// Queue node.
        queue: NodeId,
    },
    /// Move a RabbitMQ queue's dead-lettered messages back to the exchange of their
    /// first death (a shovel).
    MoveBack {
        /// Queue node.
        queue: NodeId,
    },
    /// Move a dead-letter queue's messages back to their source queues.
    Redrive {
        /// The dead-letter SQS queue node.
        queue: NodeId,
    },
    /// Reset a consumer group's committed offsets on a topic (replay or skip).
    ResetOffsets {
        /// Topic node.
        topic: NodeId,
        /// `group.id`.
        group: String,
        /// Where to.
        to: crate::core::scenario::OffsetTarget,
    },
}

/// A running simulation.
pub struct Simulation {
    pub(crate) topo: Topology,
    pub(crate) kernel: Kernel,
    pub(crate) rabbit: Rabbit,
    pub(crate) log: Log,
    pub(crate) sqs: Sqs,
    pub(crate) pipes: Pipes,
    pub(crate) workers: Vec<ConsumerState>,
    pub(crate) producers: Vec<ProducerState>,
    pub(crate) client: ClientState,
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
        let mut sim = Simulation {
            kernel: Kernel::new(seed, ms_to_us(scenario.latency_ms), scenario.edges.len()),
            rabbit: Rabbit::new(&topo),
            log: Log::new(&topo),
            sqs: Sqs::new(&topo),
            pipes: Pipes::new(&topo),
            workers: topo
                .consumers
                .iter()
                .map(|_| ConsumerState::new())
                .collect(),
            producers: topo.producers.iter().map(ProducerState::new).collect(),
            client: ClientState::default(),
            topo,
            seed,
        };
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
        self.kernel.now = time;
        let weight = if let Action::BurstRest { .. } = action {
            BURST_SLICE as u32
        } else {
            self.kernel.steps += 1;
            1
        };
        self.dispatch(action);
        weight
    }

    /// Processes every action up to and including `until`, then sets the clock there.
    pub fn run_until(&mut self, until: SimTime) {
        while let Some(t) = self.kernel.agenda.peek_time() {
            if t > until {
                break;
            }
            self.step();
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
        let mut work = 0u32;
        while let Some(t) = self.kernel.agenda.peek_time() {
            if t > until {
                break;
            }
            work += self.step_weighed();
            if work >= BUDGET_CHECK_STEPS {
                work = 0;
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

    /// Applies a user command at the current time.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        let node = match &command {
            Command::Publish { producer } => *producer,
            Command::CrashConsumer { consumer } | Command::SetConsumerOnline { consumer, .. } => {
                *consumer
            }
            Command::Produce { topic, .. } | Command::ResetOffsets { topic, .. } => *topic,
            Command::PublishTo { exchange, .. } => *exchange,
            Command::SendTo { queue, .. }
            | Command::Redrive { queue }
            | Command::Purge { queue }
            | Command::MoveBack { queue } => *queue,
            Command::SnsPublish { topic, .. } => *topic,
        };
        let r = self
            .topo
            .nodes
            .get(node.index())
            .copied()
            .ok_or_else(|| format!("no node #{}", node.0))?;
        match (command, r) {
            (Command::Publish { .. }, NodeRef::Producer(p)) => {
                if !self.topo.producers[p].has_target() {
                    return Err("this producer is not connected to an exchange or a topic".into());
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
            (
                Command::PublishTo {
                    routing_key,
                    payload,
                    properties,
                    ..
                },
                NodeRef::Exchange(x),
            ) => {
                let out = crate::core::model::message::Outgoing {
                    routing_key: std::rc::Rc::from(routing_key),
                    headers: std::rc::Rc::new(properties.headers.into_iter().collect()),
                    payload: std::rc::Rc::from(payload),
                    message_id: std::rc::Rc::from(
                        properties.message_id.as_deref().unwrap_or("by hand"),
                    ),
                    correlation_id: properties.correlation_id.map(std::rc::Rc::from),
                    reply_to: properties.reply_to.map(std::rc::Rc::from),
                    priority: properties.priority,
                    expiration_us: properties.expiration.map(ms_to_us),
                    key: None,
                    partition: None,
                    tombstone: false,
                    aws: crate::core::model::message::AwsSend::NONE,
                };
                self.offer(
                    None,
                    seams::Ingress::Exchange {
                        exchange: x,
                        edge: None,
                    },
                    out,
                );
                Ok(())
            }
            (Command::Produce { key, value, .. }, NodeRef::Topic(t)) => {
                let out = crate::core::model::message::Outgoing {
                    routing_key: std::rc::Rc::from(key.as_deref().unwrap_or("")),
                    payload: std::rc::Rc::from(value.as_deref().unwrap_or("")),
                    message_id: std::rc::Rc::from("by hand"),
                    tombstone: value.is_none(),
                    aws: crate::core::model::message::AwsSend::NONE,
                    key: key.map(std::rc::Rc::from),
                    headers: std::rc::Rc::default(),
                    correlation_id: None,
                    reply_to: None,
                    priority: None,
                    expiration_us: None,
                    partition: None,
                };
                match self.offer(
                    None,
                    seams::Ingress::Topic {
                        topic: t,
                        edge: None,
                    },
                    out,
                ) {
                    seams::Offered::Accepted(_)
                    | seams::Offered::Deduplicated(_)
                    | seams::Offered::Blocked => Ok(()),
                    seams::Offered::Refused(_) => {
                        Err("a compacted topic refuses a record without a key".into())
                    }
                }
            }
            (
                Command::SendTo {
                    body,
                    group_id,
                    dedup_id,
                    ..
                },
                NodeRef::SqsQueue(q),
            ) => {
                let out = aws_outgoing(body, Default::default(), group_id, dedup_id, None);
                match self.offer(None, seams::Ingress::Sqs { queue: q, edge: None }, out) {
                    seams::Offered::Refused(_) => Err(
                        "a FIFO queue needs a message group id (and a deduplication id unless content-based deduplication is on)".into(),
                    ),
                    _ => Ok(()),
                }
            }
            (
                Command::SnsPublish {
                    message,
                    attributes,
                    group_id,
                    ..
                },
                NodeRef::SnsTopic(t),
            ) => {
                let out = aws_outgoing(message, attributes, group_id, None, None);
                match self.offer(
                    None,
                    seams::Ingress::Sns {
                        topic: t,
                        edge: None,
                    },
                    out,
                ) {
                    seams::Offered::Refused(_) => {
                        Err("a FIFO topic needs a message group id".into())
                    }
                    _ => Ok(()),
                }
            }
            (Command::Purge { .. }, NodeRef::Queue(q)) => {
                self.rabbit.purge(&mut self.kernel, &self.topo, q);
                Ok(())
            }
            (Command::MoveBack { .. }, NodeRef::Queue(q)) => {
                let (moved, _) = self.rabbit.move_back(&mut self.kernel, &self.topo, q);
                if moved == 0 {
                    return Err(
                        "no ready message here was dead-lettered: nothing to move back".into(),
                    );
                }
                Ok(())
            }
            (Command::Redrive { .. }, NodeRef::SqsQueue(q)) => {
                self.sqs.redrive(&mut self.kernel, &self.topo, q);
                Ok(())
            }
            (Command::ResetOffsets { group, to, .. }, NodeRef::Topic(t)) => {
                let g = self.topo.topics[t]
                    .groups
                    .iter()
                    .copied()
                    .find(|&g| *self.topo.groups[g].name == *group)
                    .ok_or_else(|| format!("no group `{group}` reads this topic"))?;
                self.log.reset_offsets(&mut self.kernel, &self.topo, g, to);
                Ok(())
            }
            _ => Err("that command does not apply to this kind of node".into()),
        }
    }

    /// basic.get by hand: up to `count` ready messages from queue node `queue`, each
    /// then acked, requeued or rejected (`how`); returns their payloads.
    pub fn get_by_hand(
        &mut self,
        queue: NodeId,
        count: u32,
        how: crate::core::families::rabbit::Settlement,
    ) -> Result<Vec<String>, String> {
        match self.topo.nodes.get(queue.index()) {
            Some(NodeRef::Queue(q)) => {
                let q = *q;
                Ok(self
                    .rabbit
                    .get(&mut self.kernel, &self.topo, q, count.max(1), how))
            }
            _ => Err("only a queue can be read with basic.get".into()),
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
            Action::ProcessingDone { consumer, epoch } => {
                self.processing_done(consumer as usize, epoch)
            }
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
                for slot in self.log.take_batch(consumer as usize, epoch) {
                    self.arrive_consumer(slot, consumer as usize);
                }
            }
            Action::LogMaintenance { topic } => self.log.maintain(k, topo, topic as usize),
            Action::SessionExpired { consumer, session } => {
                self.log
                    .session_expired(k, topo, consumer as usize, session)
            }
            Action::PollDeadline { consumer, polls } => {
                self.log.poll_deadline(k, topo, consumer as usize, polls)
            }
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
                for slot in self.sqs.take_receipts(k, topo, consumer as usize, epoch) {
                    self.arrive_consumer(slot, consumer as usize);
                }
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

/// A message for SQS or SNS from a client (by hand or a script).
pub(crate) fn aws_outgoing(
    body: String,
    attributes: serde_json::Map<String, serde_json::Value>,
    group_id: Option<String>,
    dedup_id: Option<String>,
    delay_us: Option<u64>,
) -> crate::core::model::message::Outgoing {
    use std::rc::Rc;
    crate::core::model::message::Outgoing {
        routing_key: Rc::from(""),
        headers: Rc::new(attributes.into_iter().collect()),
        payload: Rc::from(body),
        message_id: Rc::from("by hand"),
        correlation_id: None,
        reply_to: None,
        priority: None,
        expiration_us: None,
        key: None,
        partition: None,
        tombstone: false,
        aws: crate::core::model::message::AwsSend {
            group_id: group_id.map(Rc::from),
            dedup_id: dedup_id.map(Rc::from),
            delay_us,
        },
    }
}
