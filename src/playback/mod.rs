//! Live playback of a scenario: the simulation driven by the animation clock, the dots
//! in flight, a bounded log of recent events and per-message traces. Pure Rust, so the
//! browser loop only asks it what to draw.

pub mod clock;
pub mod depths;
pub mod describe;
pub mod digest;
pub mod dots;
pub mod paths;
pub mod raster;
pub mod thin;
pub mod timeline;
pub mod trace;

use crate::core::model::events::Event;
use crate::core::scenario::{LoadError, Scenario};
use crate::core::Simulation;
use clock::FrameClock;
use dots::{DotStyle, DotTracker};
use paths::PathGeometry;
use std::collections::VecDeque;
use trace::Traces;

/// Real milliseconds per fixed simulation step (120 steps per real second).
pub const STEP_MS: f64 = 1000.0 / 120.0;
/// Events kept for the log panel.
pub const LOG_CAPACITY: usize = 1_000;

/// A scenario being played.
pub struct Playback {
    /// The simulation.
    pub sim: Simulation,
    /// Dots in flight.
    pub tracker: DotTracker,
    /// Frame clock.
    pub clock: FrameClock,
    /// Where to draw.
    pub geometry: PathGeometry,
    /// Most recent events, newest last.
    pub log: VecDeque<Event>,
    /// The message each event of `log` is about, when known (same order).
    pub log_messages: VecDeque<Option<crate::core::model::ids::MessageId>>,
    /// After a seek back: the rows logged after the time seeked to, oldest first, shown
    /// again by a seek forward (playing on logs them afresh, and drops them here).
    log_ahead: VecDeque<(Event, Option<crate::core::model::ids::MessageId>)>,
    /// Per-message histories.
    pub traces: Traces,
    /// Simulated µs shown by the last frame (between steps while playing).
    pub render_us: f64,
    /// The last frame ran out of its work budget before reaching the time it aimed
    /// for: the simulation is running slower than the chosen speed.
    pub behind: bool,
    /// Hand actions, marks and how far the run got (for the timeline).
    pub timeline: timeline::Timeline,
    scenario: Scenario,
    seed: u64,
}

/// A dot to draw: position and style.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawnDot {
    /// Canvas x (world).
    pub x: f64,
    /// Canvas y (world).
    pub y: f64,
    /// Style.
    pub style: DotStyle,
}

impl Playback {
    /// Starts `scenario` at time zero with `seed`.
    pub fn new(scenario: &Scenario, seed: u64) -> Result<Playback, LoadError> {
        let mut sim = Simulation::with_seed(scenario, seed)?;
        sim.set_recording(true);
        Ok(Playback {
            tracker: DotTracker::new(),
            clock: FrameClock::new(STEP_MS),
            geometry: PathGeometry::of(scenario),
            log: VecDeque::new(),
            log_messages: VecDeque::new(),
            log_ahead: VecDeque::new(),
            traces: Traces::default(),
            render_us: 0.0,
            behind: false,
            timeline: timeline::Timeline::default(),
            sim,
            scenario: scenario.clone(),
            seed,
        })
    }

    /// Back to time zero with the same seed: the run replays identically.
    pub fn reset(&mut self) {
        if let Ok(fresh) = Playback::new(&self.scenario, self.seed) {
            let geometry = std::mem::take(&mut self.geometry);
            *self = fresh;
            self.geometry = geometry;
        }
    }

    /// Seed in use.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    fn absorb_events(&mut self) {
        let recording = self.sim.drain_recording();
        self.timeline.note_events(&recording.events);
        self.timeline.reached(self.sim.now());
        let (traces, log, messages) = (&mut self.traces, &mut self.log, &mut self.log_messages);
        self.tracker.absorb(recording, |e| {
            let message = traces.message_of_event(&e);
            traces.apply(&e);
            if log.len() == LOG_CAPACITY {
                log.pop_front();
                messages.pop_front();
            }
            log.push_back(e);
            messages.push_back(message);
        });
        self.tracker.prune(self.sim.now());
        let now = self.sim.now();
        while self.log_ahead.front().is_some_and(|(e, _)| e.time <= now) {
            self.log_ahead.pop_front();
        }
    }

    /// One animation frame at real time `now_ms`: advances the simulation by whole
    /// fixed steps of real time × `speed` while `playing`, and sets the interpolated
    /// render time.
    pub fn frame(&mut self, now_ms: f64, speed: f64, playing: bool) {
        self.frame_within(now_ms, speed, playing, &mut || false);
    }

    /// [`Playback::frame`] within a work budget: the core is stepped until
    /// `over_budget` says the frame has spent its share (so a burst of millions never
    /// freezes the page). When it stops early the picture holds at the last event's
    /// time, [`Playback::behind`] is set, and the next frame goes on from there: the
    /// run is the same, only slower than the chosen speed.
    pub fn frame_within(
        &mut self,
        now_ms: f64,
        speed: f64,
        playing: bool,
        over_budget: &mut dyn FnMut() -> bool,
    ) {
        let tick = self.clock.tick(now_ms);
        if !playing {
            self.render_us = self.sim.now().0 as f64;
            self.behind = false;
            return;
        }
        let step_us = STEP_MS * 1000.0 * speed;
        if tick.steps > 0 {
            let target = self.sim.now().0 as f64 + tick.steps as f64 * step_us;
            let target = crate::core::kernel::time::SimTime(target as u64);
            // Hand actions a seek back left pending are applied again on the way.
            let reached = self.replay_pending(target, over_budget)
                && self.sim.run_until_within(target, over_budget);
            self.absorb_events();
            self.behind = !reached;
            if !reached {
                self.render_us = self.sim.now().0 as f64;
                return;
            }
        }
        self.render_us = self.sim.now().0 as f64 + tick.alpha * step_us;
    }

    /// Applies a user command at the current simulated time (running or paused); its
    /// events and motions join the log and the dots at once.
    pub fn apply_command(
        &mut self,
        command: crate::core::simulation::Command,
    ) -> Result<(), String> {
        self.remember(timeline::HandAction::Command(command.clone()));
        let result = self.sim.apply(command);
        self.absorb_events();
        result
    }

    /// basic.get by hand at the current time (see [`Simulation::get_by_hand`]); its
    /// events join the log at once.
    pub fn get_by_hand(
        &mut self,
        queue: crate::core::model::ids::NodeId,
        count: u32,
        how: crate::core::families::rabbit::Settlement,
    ) -> Result<Vec<String>, String> {
        self.remember(timeline::HandAction::Get { queue, count, how });
        let result = self.sim.get_by_hand(queue, count, how);
        self.absorb_events();
        result
    }

    /// An SQS call by hand (receive, delete, change visibility), remembered for the
    /// timeline like every hand action.
    pub fn sqs_by_hand(
        &mut self,
        queue: crate::core::model::ids::NodeId,
        call: crate::core::simulation::SqsCall,
    ) -> Result<Vec<String>, String> {
        self.remember(timeline::HandAction::Sqs {
            queue,
            call: call.clone(),
        });
        let result = self.sim.sqs_by_hand(queue, &call);
        self.absorb_events();
        result
    }

    /// Processes exactly one simulation event (Step).
    pub fn step_one(&mut self) -> bool {
        if let Some(t) = self.sim.next_event_time() {
            // A hand action due before the next event goes first.
            self.replay_pending(t, &mut || false);
        }
        let stepped = self.sim.step();
        self.absorb_events();
        self.render_us = self.sim.now().0 as f64;
        stepped
    }

    /// Updates where things are drawn after the layout changed (not the topology).
    pub fn relayout(&mut self, scenario: &Scenario) {
        self.geometry = PathGeometry::of(scenario);
    }

    /// Every dot's position at the render time.
    pub fn drawn_dots(&self) -> impl Iterator<Item = DrawnDot> + '_ {
        let t = self.render_us;
        self.tracker.dots.values().filter_map(move |d| {
            let p = self.geometry.point_on(d.path.legs(), d.progress(t))?;
            Some(DrawnDot {
                x: p.x,
                y: p.y,
                style: d.style,
            })
        })
    }
}

/// Why pressing Play would show nothing moving, if it would: the diagram has nodes but
/// no producer (an imported definitions file has none), or its producers are not
/// connected to an exchange. `None` for an empty canvas (it has its own message) and
/// for a diagram whose producers all publish somewhere.
pub fn idle_hint(s: &Scenario) -> Option<String> {
    use crate::core::scenario::{EdgeKind, NodeKind};
    if s.nodes.is_empty() {
        return None;
    }
    let producers: Vec<&crate::core::scenario::Node> = s
        .nodes
        .iter()
        .filter(|n| n.kind() == NodeKind::Producer)
        .collect();
    if producers.is_empty() {
        // A script publishes without a producer on the canvas.
        if !s.script.is_empty() {
            return None;
        }
        return Some(format!(
            "no producer: nothing will be published. Add a Producer from the palette and drag from its handle to {}.",
            producer_targets(s)
        ));
    }
    let loose: Vec<&str> = producers
        .iter()
        .filter(|p| {
            !s.edges.iter().any(|e| {
                matches!(
                    e.kind,
                    EdgeKind::Publish
                        | EdgeKind::Produce
                        | EdgeKind::Send
                        | EdgeKind::Push
                        | EdgeKind::Pub
                        | EdgeKind::Call
                ) && e.from == p.id
            })
        })
        .map(|p| p.name.as_str())
        .collect();
    match loose.as_slice() {
        [] => None,
        [one] => Some(format!(
            "{one} is not connected: drag from its right handle to an exchange (or a Kafka topic, an SQS queue or an SNS topic) so it can publish (or to a service, to call it)."
        )),
        many => Some(format!(
            "{} are not connected: drag from each one's right handle to an exchange (or a Kafka topic, an SQS queue or an SNS topic) so they can publish (or to a service, to call it).",
            many.join(", ")
        )),
    }
}

/// What a producer can be wired to in this diagram, in words ("an exchange", "an SQS
/// queue or an SNS topic"); an exchange when it has none of them.
fn producer_targets(s: &Scenario) -> String {
    use crate::core::scenario::NodeKind;
    let names: Vec<&str> = [
        (NodeKind::Exchange, "an exchange"),
        (NodeKind::KafkaTopic, "a Kafka topic"),
        (NodeKind::SqsQueue, "an SQS queue"),
        (NodeKind::SnsTopic, "an SNS topic"),
        (NodeKind::ZmqDevice, "a ZeroMQ device"),
        (NodeKind::Service, "a service"),
    ]
    .into_iter()
    .filter(|(kind, _)| s.nodes.iter().any(|n| n.kind() == *kind))
    .map(|(_, name)| name)
    .collect();
    match names.as_slice() {
        [] => "an exchange".into(),
        [one] => (*one).into(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Whether two scenarios differ only in layout (positions), so a running simulation
/// can keep going when nodes are moved.
pub fn same_topology(a: &Scenario, b: &Scenario) -> bool {
    a.nodes.len() == b.nodes.len()
        && a.edges == b.edges
        && a.frames == b.frames
        && a.seed == b.seed
        && a.latency_ms == b.latency_ms
        && a.nodes.iter().zip(&b.nodes).all(|(x, y)| {
            let mut y = y.clone();
            y.x = x.x;
            y.y = x.y;
            *x == y
        })
}

/// One point of the charts' time series.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sample {
    /// Simulated time, ms.
    pub time_ms: f64,
    /// Messages waiting per node where they wait, as `(node index, count)` in diagram
    /// order ([`depths::depths`]).
    pub ready: Vec<(u32, u64)>,
    /// Messages published so far.
    pub published: u64,
    /// Copies sent on to a consumer or service so far.
    pub delivered: u64,
    /// Copies acked so far.
    pub acked: u64,
    /// End-to-end latency median so far, ms.
    pub p50_ms: f64,
    /// End-to-end latency 99th percentile so far, ms.
    pub p99_ms: f64,
}

impl Playback {
    /// A chart sample of the current state.
    pub fn sample(&self) -> Sample {
        let latency = self.sim.latency();
        let totals = self.sim.totals();
        Sample {
            time_ms: self.sim.now().as_ms(),
            delivered: depths::delivered(&self.sim, &self.scenario),
            ready: depths::depths(&self.sim, &self.scenario),
            published: totals.published,
            acked: totals.acked,
            p50_ms: latency.p50_ms,
            p99_ms: latency.p99_ms,
        }
    }

    /// The copy whose dot is nearest to world point (x, y), within `radius`.
    pub fn dot_near(&self, x: f64, y: f64, radius: f64) -> Option<crate::core::model::ids::CopyId> {
        let t = self.render_us;
        let mut best: Option<(f64, crate::core::model::ids::CopyId)> = None;
        for (copy, d) in &self.tracker.dots {
            let Some(p) = self.geometry.point_on(d.path.legs(), d.progress(t)) else {
                continue;
            };
            let dist = ((p.x - x).powi(2) + (p.y - y).powi(2)).sqrt();
            if dist <= radius && best.is_none_or(|(b, _)| dist < b) {
                best = Some((dist, *copy));
            }
        }
        best.map(|(_, c)| c)
    }
}

/// Per-second rates between two samples: (publish, deliver, ack).
pub fn rates(a: &Sample, b: &Sample) -> (f64, f64, f64) {
    let dt = (b.time_ms - a.time_ms) / 1000.0;
    if dt <= 0.0 {
        return (0.0, 0.0, 0.0);
    }
    let r = |x: u64, y: u64| y.saturating_sub(x) as f64 / dt;
    (
        r(a.published, b.published),
        r(a.delivered, b.delivered),
        r(a.acked, b.acked),
    )
}
