//! The live view's state: the playback of the diagram being shown, what the panels
//! last showed (the snapshot) and how the view follows edits (restart or keep).

use super::draw::Painter;
use super::recorded;
use super::{LOG_ROWS, MAX_SAMPLES};

/// Chart samples kept for seeking back and forth (ten times what the charts show).
const MAX_HISTORY: usize = 10 * MAX_SAMPLES;
use crate::core::kernel::metrics::Totals;
use crate::core::scenario::{validate, Scenario};
use crate::editor::geometry::Viewport;
use crate::playback::describe::{describe_message, LogRow};
use crate::playback::{same_topology, Playback, Sample};
use crate::ui::canvas::NodeCounters;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// What the panels show, refreshed a few times a second.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveSnapshot {
    /// Simulated clock in ms.
    pub time_ms: f64,
    /// Totals by state.
    pub totals: Totals,
    /// Per-node counters by node id.
    pub counters: Rc<HashMap<String, NodeCounters>>,
    /// ZeroMQ pipes by edge id: (messages in the pipe, high-water mark).
    pub pipes: Rc<HashMap<String, (u64, u64)>>,
    /// Call edges by id: their breaker and load now.
    pub calls: Rc<HashMap<String, crate::ui::canvas::edge::CallLive>>,
    /// Each frame's scoreboard now, in the diagram's frame order.
    pub frames: Rc<Vec<crate::core::simulation::frames::FrameReport>>,
    /// Playing.
    pub playing: bool,
    /// Dots drawn in the last frame.
    pub dots: usize,
    /// Why nothing can run (invalid diagram).
    pub problem: Option<String>,
    /// The last frames ran out of their work budget: the run is slower than its speed.
    pub behind: bool,
    /// Why playing would show nothing moving (no producer, unconnected producers).
    pub hint: Option<String>,
    /// An edit restarted a run that had got going: it is back at t = 0.
    pub restarted: bool,
    /// Seed in use.
    pub seed: u64,
    /// Speed factor.
    pub speed: f64,
    /// Counts what was done to the run outside its clock (hand actions, seeks, rebuilds):
    /// views of what stores hold redraw when it changes even while paused.
    pub touches: u64,
    /// Chart samples, oldest first.
    pub samples: Rc<Vec<Sample>>,
    /// Latest events in words, newest last.
    pub log: Rc<Vec<LogRow>>,
    /// Events of the traced message.
    pub trace: Rc<Vec<LogRow>>,
    /// The furthest simulated time the run reached, ms (the timeline's end).
    pub reached_ms: f64,
    /// Where drops, dead-letterings and crashes happened.
    pub marks: Rc<Vec<crate::playback::timeline::Mark>>,
    /// The traced message, if any.
    pub traced: Option<u64>,
}

/// Mutable state shared by the loop and the controls.
pub struct LiveState {
    /// The run, when the diagram is valid.
    pub playback: Option<Playback>,
    /// Why there is no run.
    pub problem: Option<String>,
    /// Playing (or paused).
    pub playing: bool,
    /// Simulated time per real time.
    pub speed: f64,
    /// Seed for the next reset.
    pub seed: u64,
    /// The scenario the run was built from.
    pub scenario: Option<Scenario>,
    /// Current viewport (for drawing).
    pub viewport: Viewport,
    /// The overlay canvas.
    pub canvas: Option<HtmlCanvasElement>,
    /// Copy whose message is traced.
    pub trace_copy: Option<crate::core::model::ids::CopyId>,
    /// The traced message, once known (set from `trace_copy`).
    pub trace_message: Option<crate::core::model::ids::MessageId>,
    /// Why playing would show nothing moving.
    pub hint: Option<String>,
    /// An edit restarted a run that had got going (cleared by Play, Step and Reset).
    pub restarted: bool,
    pub(super) samples: Vec<Sample>,
    /// Every sample taken in this run, in time order, also those after a seek back's
    /// moment (shown again by a seek forward; replaced as playing on retakes them).
    history: Vec<Sample>,
    pub(super) painter: Painter,
    pub(super) last_publish_ms: f64,
    pub(super) dots: usize,
    pub(super) force_publish: bool,
    pub(super) touches: u64,
}

/// Handle to the shared live state.
pub type Live = Rc<RefCell<LiveState>>;

/// The animation-frame closure, shared so it can re-arm itself.
pub(super) type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

impl LiveState {
    pub(super) fn new() -> LiveState {
        LiveState {
            playback: None,
            problem: None,
            playing: false,
            speed: 1.0,
            seed: 0,
            scenario: None,
            viewport: Viewport::default(),
            canvas: None,
            trace_copy: None,
            trace_message: None,
            hint: None,
            restarted: false,
            samples: Vec::new(),
            history: Vec::new(),
            painter: Painter::default(),
            last_publish_ms: f64::NEG_INFINITY,
            dots: 0,
            force_publish: true,
            touches: 0,
        }
    }

    /// Takes a new version of the diagram; `recorded_by_hand`: its only change is a step
    /// done by hand in the Now section (already applied to the run).
    pub fn load(&mut self, scenario: &Scenario, recorded_by_hand: bool) {
        self.hint = crate::playback::idle_hint(scenario);
        self.touch();
        if let (Some(old), Some(pb)) = (&self.scenario, &mut self.playback) {
            let now_ms = pb.sim.now().as_ms();
            if same_topology(old, scenario)
                && (old.script == scenario.script
                    || (recorded_by_hand
                        && recorded::recorded_only(&old.script, &scenario.script, now_ms)))
            {
                pb.relayout(scenario);
                self.scenario = Some(scenario.clone());
                return;
            }
        }
        if self
            .scenario
            .as_ref()
            .is_none_or(|old| old.seed != scenario.seed)
        {
            self.seed = scenario.seed;
        }
        // A run that had got going starts again after an edit: say so rather than jump
        // back silently. Another diagram opened (a pattern, a file: another name) is a
        // new run, not a restart.
        let progressed = self.playback.as_ref().is_some_and(|pb| pb.sim.now().0 > 0);
        let edited = self
            .scenario
            .as_ref()
            .is_some_and(|old| old.name == scenario.name);
        self.scenario = Some(scenario.clone());
        self.rebuild();
        self.restarted = progressed && edited;
    }

    /// Play when paused, pause when playing (the `p` key).
    pub fn toggle_play(&mut self) {
        if self.playing {
            self.playing = false;
        } else if let Some(pb) = self.playback.as_mut() {
            pb.clock.resync();
            self.playing = true;
            self.restarted = false;
        }
        self.touch();
    }

    /// Goes back (or forth) to simulated time `ms` within what the run reached: pauses,
    /// replays the run to then, and trims the charts to that moment.
    pub fn seek(&mut self, ms: f64) {
        let Some(pb) = self.playback.as_mut() else {
            return;
        };
        self.playing = false;
        pb.seek(crate::core::kernel::time::SimTime::from_ms(ms.max(0.0)));
        // Back before the instant where the run stalled: it can play again up to there.
        if pb.sim.stalled().is_none()
            && self
                .problem
                .as_deref()
                .is_some_and(|p| p.starts_with(super::STALLED))
        {
            self.problem = None;
        }
        let now = pb.sim.now().as_ms();
        let shown: Vec<Sample> = self
            .history
            .iter()
            .filter(|s| s.time_ms <= now)
            .cloned()
            .collect();
        self.samples = shown[shown.len().saturating_sub(MAX_SAMPLES)..].to_vec();
        self.trace_copy = None;
        self.trace_message = None;
        self.restarted = false;
        self.touch();
    }

    /// Rebuilds the run from the current scenario and seed (time zero, paused state kept).
    pub fn rebuild(&mut self) {
        let Some(s) = &self.scenario else { return };
        let problems = validate(s);
        if let Some(p) = problems.first() {
            self.playback = None;
            self.problem = Some(format!("The diagram cannot run yet: {p}"));
        } else {
            match Playback::new(s, self.seed) {
                Ok(pb) => {
                    self.playback = Some(pb);
                    self.problem = None;
                }
                Err(e) => {
                    self.playback = None;
                    self.problem = Some(format!("The diagram cannot run yet: {e}"));
                }
            }
        }
        self.samples.clear();
        self.history.clear();
        self.trace_copy = None;
        self.trace_message = None;
        self.force_publish = true;
    }

    /// Traces the message of `copy` (a dot, or a log row, which knows its message; a
    /// row about a call's end has a message and no copy).
    pub fn pick_trace(
        &mut self,
        copy: Option<crate::core::model::ids::CopyId>,
        message: Option<crate::core::model::ids::MessageId>,
    ) {
        self.trace_copy = copy;
        self.trace_message = message.or_else(|| {
            let (pb, copy) = (self.playback.as_ref()?, copy?);
            pb.traces.message_of(copy)
        });
        self.touch();
    }

    /// Requests a counter refresh on the next frame.
    pub fn touch(&mut self) {
        self.force_publish = true;
        self.touches += 1;
    }

    pub(super) fn take_sample(&mut self) {
        let Some(pb) = &self.playback else { return };
        let sample = pb.sample();
        if self
            .samples
            .last()
            .is_some_and(|s| s.time_ms == sample.time_ms)
        {
            return;
        }
        // The history's samples from the last one shown to this one are superseded
        // (playing on after a seek back retakes them).
        let shown = self.samples.last().map_or(f64::NEG_INFINITY, |s| s.time_ms);
        self.history
            .retain(|s| s.time_ms <= shown || s.time_ms > sample.time_ms);
        let at = self.history.partition_point(|s| s.time_ms < sample.time_ms);
        self.history.insert(at, sample.clone());
        if self.history.len() > MAX_HISTORY {
            self.history.remove(0);
        }
        if self.samples.len() >= MAX_SAMPLES {
            self.samples.remove(0);
        }
        self.samples.push(sample);
    }

    pub(super) fn snapshot(&self) -> LiveSnapshot {
        let mut counters = HashMap::new();
        let mut pipes = HashMap::new();
        let mut calls = HashMap::new();
        let (time_ms, totals) = match &self.playback {
            Some(pb) => {
                let sim = &pb.sim;
                // Figures come from the core's status API, node by node (node index i
                // is the scenario's i-th node).
                let nodes = self
                    .scenario
                    .as_ref()
                    .map(|s| s.nodes.as_slice())
                    .unwrap_or(&[]);
                for (i, node) in nodes.iter().enumerate() {
                    let Some(status) = sim.node_status(crate::core::model::ids::NodeId(i as u32))
                    else {
                        continue;
                    };
                    counters.insert(node.id.clone(), NodeCounters::from_status(&status));
                }
                let edges = self
                    .scenario
                    .as_ref()
                    .map(|s| s.edges.as_slice())
                    .unwrap_or(&[]);
                for (i, edge) in edges.iter().enumerate() {
                    if let Some(st) = sim.edge_status(crate::core::model::ids::EdgeId(i as u32)) {
                        if st.hwm > 0 {
                            pipes.insert(edge.id.clone(), (st.queued, st.hwm));
                        }
                        if st.calls > 0 || st.breaker.is_some() {
                            calls.insert(
                                edge.id.clone(),
                                crate::ui::canvas::edge::CallLive {
                                    breaker: st.breaker,
                                    calls: st.calls,
                                    attempts: st.attempts,
                                },
                            );
                        }
                    }
                }
                (sim.now().as_ms(), sim.totals())
            }
            None => (0.0, Totals::default()),
        };
        let scenario = self.scenario.clone().unwrap_or_else(Scenario::empty);
        let (log, trace, traced) = match &self.playback {
            Some(pb) => {
                let log: Vec<LogRow> = pb
                    .log
                    .iter()
                    .zip(pb.log_messages.iter())
                    .rev()
                    .take(LOG_ROWS)
                    .rev()
                    .map(|(e, m)| describe_message(e, &scenario, *m))
                    .collect();
                // The message is looked up when it is picked (`pick_trace`): its copy's
                // mapping ends when the copy is acked or dropped, its trace does not.
                let message = self
                    .trace_message
                    .or_else(|| self.trace_copy.and_then(|c| pb.traces.message_of(c)));
                let trace = message
                    .map(|m| {
                        pb.traces
                            .of(m)
                            .iter()
                            .map(|e| describe_message(e, &scenario, Some(m)))
                            .collect()
                    })
                    .unwrap_or_default();
                (log, trace, message.map(|m| m.0))
            }
            None => (Vec::new(), Vec::new(), None),
        };
        let (reached_ms, marks) = match &self.playback {
            Some(pb) => (
                pb.timeline.reached_ms(),
                Rc::new(pb.timeline.marks().to_vec()),
            ),
            None => (0.0, Rc::new(Vec::new())),
        };
        LiveSnapshot {
            reached_ms,
            marks,
            samples: Rc::new(self.samples.clone()),
            log: Rc::new(log),
            trace: Rc::new(trace),
            traced,
            time_ms,
            totals,
            counters: Rc::new(counters),
            pipes: Rc::new(pipes),
            calls: Rc::new(calls),
            frames: Rc::new(match &self.playback {
                Some(pb) => (0..self.scenario.as_ref().map_or(0, |s| s.frames.len()))
                    .filter_map(|i| pb.sim.frame_report(i))
                    .collect(),
                None => Vec::new(),
            }),
            playing: self.playing,
            dots: self.dots,
            problem: self.problem.clone(),
            behind: self.playback.as_ref().is_some_and(|pb| pb.behind),
            hint: self.hint.clone(),
            restarted: self.restarted,
            seed: self.seed,
            speed: self.speed,
            touches: self.touches,
        }
    }
}
