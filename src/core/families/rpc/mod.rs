//! The `rpc` family: services and synchronous calls (design §3 "Services and
//! synchronous calls"). A `call` edge carries requests from a caller (a client producer,
//! or a worker that has processed something) to a service, and their replies back. Its
//! state is private; the simulation reaches it through the seams:
//!
//! - `offer` → [`Rpc::begin`] and [`Rpc::attempt`]: a call's attempt is a request
//!   parcel sent along the edge, with a timeout; a circuit breaker that is open refuses
//!   it at once ([`breaker`]);
//! - `credit` → [`Rpc::next_waiting`]: a service worker with a free hand takes the
//!   oldest request of the service's backlog;
//! - `settle` → [`Rpc::settle`]: the service answers (ok, or an error when handling
//!   failed); the reply travels back along the call edge;
//! - `abandon` → [`Rpc::abandon`]: a service that goes down loses every request it
//!   holds; their callers hear nothing and time out.
//!
//! The caller's side ([`calls`]): every attempt resolves exactly once — ok, error (the
//! service was down or failed), timeout, or rejected (its backlog was full, or the
//! breaker was open) — and a failed one is retried after an exponential backoff with
//! jitter while retries remain (a refusal by the open breaker is not retried: failing
//! fast is its point). A reply that comes after its attempt timed out is a late reply:
//! work the service did for nobody. The service's side ([`serve`]): requests beyond
//! its free workers wait in its backlog; one more is refused.

pub mod breaker;
mod calls;
mod report;
mod serve;

pub use breaker::{Breaker, BreakerState};
pub use report::{CallReport, ServiceReport};
pub use serve::Admission;

use crate::core::kernel::arena::Arena;
use crate::core::kernel::census::Census;
use crate::core::kernel::metrics::LatencyHistogram;
use crate::core::kernel::time::SimTime;
use crate::core::model::message::{CopyState, MessageBody};
use crate::core::topology::Topology;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// Who makes a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// A client: a producer sending requests at its rate (each one on its own: the
    /// producer does not wait).
    Client(usize),
    /// A worker (consumer or service) blocked until the call is over, holding `slot`
    /// (what it is working on); `step` is which of its call edges, in order.
    Worker {
        /// Worker index.
        worker: usize,
        /// The parcel it holds meanwhile.
        slot: u32,
        /// Its epoch when it called (stale once it went away).
        epoch: u32,
        /// Which of its call edges (in the compensation plan when `failed_at` is set).
        step: u32,
        /// The call step that failed, while compensating ([`FORWARD`] before).
        failed_at: u32,
    },
}

/// `failed_at` of a worker making its calls in order, before any failed.
pub const FORWARD: u32 = u32::MAX;

pub use crate::core::model::message::Answer;

/// How one attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptEnd {
    /// A good reply.
    Ok,
    /// An error reply (the service was down, or failed).
    Error,
    /// No reply within the timeout.
    Timeout,
    /// Refused: the service's backlog was full (`by_breaker` false), or the edge's
    /// circuit breaker was open (true).
    Rejected {
        /// Refused by the caller's own breaker.
        by_breaker: bool,
    },
}

/// A call that is over, for its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finished {
    /// Who called.
    pub caller: Caller,
    /// It ended with a good reply.
    pub ok: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Counters of one call edge (`"calls"` in the report).
#[derive(Clone, Debug, Default, Serialize)]
pub struct CallStats {
    /// Attempts made (each resolves once: ok, error, timeout or rejected).
    pub attempts: u64,
    /// Attempts answered ok.
    pub ok: u64,
    /// Attempts answered with an error (the service was down or failed).
    pub error: u64,
    /// Attempts with no reply in time.
    pub timeout: u64,
    /// Attempts refused (the service's backlog was full, or the breaker open).
    pub rejected: u64,
    /// Of those, refused by the open breaker without being sent.
    #[serde(skip_serializing_if = "is_zero")]
    pub rejected_by_breaker: u64,
    /// Attempts that were retries.
    pub retries: u64,
    /// Replies that came after their attempt had timed out (wasted work).
    pub late_replies: u64,
    /// Calls made (a call is its first attempt and its retries).
    pub calls: u64,
    /// Calls that ended ok.
    pub calls_ok: u64,
    /// Calls that ended failed (retries used up, or refused by the breaker).
    pub calls_failed: u64,
    /// Caller-seen time of each call that ended (first attempt to final answer).
    #[serde(skip)]
    pub latency: LatencyHistogram,
}

/// Counters of one service (`"services"` in the report).
#[derive(Clone, Debug, Default, Serialize)]
pub struct ServiceStats {
    /// Requests answered ok.
    pub served: u64,
    /// Requests answered with an error (handling failed, or a call it made failed).
    pub failed: u64,
    /// Requests refused: it was down.
    pub refused_down: u64,
    /// Requests refused: its backlog was full.
    pub refused_full: u64,
    /// Requests lost when it went down holding them.
    pub lost: u64,
}

/// One call in progress.
#[derive(Clone, Debug)]
struct Call {
    /// Call edge index.
    index: usize,
    caller: Caller,
    body: Rc<MessageBody>,
    /// Attempts made so far.
    attempts: u32,
    started: SimTime,
    /// The current attempt's (or the awaited retry's) token.
    token: u32,
    /// An attempt is out, waiting for its reply or timeout.
    pending: bool,
}

/// A request parcel on its way to a service, waiting or being handled.
#[derive(Clone, Copy, Debug)]
struct Request {
    call: u32,
    token: u32,
    index: u32,
}

/// One service's side.
#[derive(Clone, Debug, Default)]
struct ServiceSide {
    /// Requests waiting for a free worker, oldest first.
    waiting: VecDeque<u32>,
    /// Requests handed to its workers.
    held: Vec<u32>,
    stats: ServiceStats,
}

/// The family's state.
pub struct Rpc {
    calls: Arena<Call>,
    next_token: u32,
    stats: Vec<CallStats>,
    breakers: Vec<Option<Breaker>>,
    requests: BTreeMap<u32, Request>,
    /// By worker index: the service side of the workers that are services.
    services: Vec<Option<ServiceSide>>,
}

impl Rpc {
    /// The family for `topo`'s call edges and services.
    pub fn new(topo: &Topology) -> Rpc {
        Rpc {
            calls: Arena::default(),
            next_token: 0,
            stats: vec![CallStats::default(); topo.calls.len()],
            breakers: topo
                .calls
                .iter()
                .map(|c| c.spec.circuit_breaker.clone().map(Breaker::new))
                .collect(),
            requests: BTreeMap::new(),
            services: topo
                .consumers
                .iter()
                .map(|c| c.service.map(|_| ServiceSide::default()))
                .collect(),
        }
    }

    /// Counters of call edge `i`.
    pub fn call_stats(&self, i: usize) -> &CallStats {
        &self.stats[i]
    }

    /// Attempts of call edge `i` waiting for their reply or timeout now.
    pub fn in_flight(&self, i: usize) -> u64 {
        self.calls
            .live_slots()
            .filter(|&s| {
                let c = self.calls.get(s);
                c.index == i && c.pending
            })
            .count() as u64
    }

    /// The state of call edge `i`'s breaker at `now`, if it has one.
    pub fn breaker(&self, i: usize, now: SimTime) -> Option<BreakerState> {
        self.breakers[i].as_ref().map(|b| b.state(now))
    }

    /// How many times call edge `i`'s breaker opened.
    pub fn breaker_opened(&self, i: usize) -> u64 {
        self.breakers[i].as_ref().map_or(0, |b| b.opened)
    }

    /// Counters of service worker `c`.
    pub fn service_stats(&self, c: usize) -> Option<&ServiceStats> {
        self.services[c].as_ref().map(|s| &s.stats)
    }

    /// Requests waiting in service worker `c`'s backlog.
    pub fn backlog(&self, c: usize) -> usize {
        self.services[c].as_ref().map_or(0, |s| s.waiting.len())
    }

    /// Whether `slot` is a request (handed to a service's worker).
    pub fn is_request(&self, slot: u32) -> bool {
        self.requests.contains_key(&slot)
    }

    /// Requests waiting in services' backlogs (ready, in the totals) and in hand
    /// (unacked), as the census counts them.
    pub fn live_counts(&self) -> (u64, u64) {
        self.services.iter().flatten().fold((0, 0), |(w, h), side| {
            (w + side.waiting.len() as u64, h + side.held.len() as u64)
        })
    }

    /// Claims the requests services hold and checks each call edge's ledger: every
    /// attempt resolves once, `attempts = ok + error + timeout + rejected + in flight`.
    pub fn census(&self, topo: &Topology, census: &mut Census) {
        for (c, side) in self.services.iter().enumerate() {
            let Some(side) = side else { continue };
            let want = CopyState::Request { worker: c as u32 };
            for &slot in &side.waiting {
                match census.claim(slot, "in a backlog") {
                    Some(copy) if copy.state == want => {}
                    _ => census.problem(format!(
                        "backlog slot {slot} of worker {c} is not marked so"
                    )),
                }
                census.ready += 1;
            }
            for &slot in &side.held {
                match census.claim(slot, "a request in hand") {
                    Some(copy) if copy.state == want => {}
                    _ => census.problem(format!(
                        "request slot {slot} of worker {c} is not marked so"
                    )),
                }
                census.unacked += 1;
            }
            if side.waiting.len() as u32 > topo.consumers[c].service.map_or(0, |s| s.backlog) {
                census.problem(format!("service worker {c}'s backlog is over its limit"));
            }
        }
        for (i, s) in self.stats.iter().enumerate() {
            let pending = self.in_flight(i);
            if s.attempts != s.ok + s.error + s.timeout + s.rejected + pending {
                census.problem(format!(
                    "call edge {i}: {} attempts but {} ok + {} error + {} timeout + {} rejected + {pending} in flight",
                    s.attempts, s.ok, s.error, s.timeout, s.rejected
                ));
            }
        }
    }
}
