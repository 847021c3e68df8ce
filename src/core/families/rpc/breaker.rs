//! A call edge's circuit breaker (Nygard, *Release It!*; the states and counts as
//! Resilience4j documents them, with a time-based sliding window): **closed** lets
//! every call through and counts failures (errors, timeouts, refusals) in the last
//! `window_ms`; `failure_threshold` of them open it. **Open** refuses every call at
//! once for `open_ms`; then it is **half-open**: `half_open_probes` calls go through,
//! and if all succeed it closes, while one failure opens it again.

use crate::core::kernel::time::{ms_to_us, SimTime};
pub use crate::core::model::status::BreakerState;
use crate::core::scenario::BreakerSpec;
use std::collections::VecDeque;

/// One edge's breaker.
#[derive(Clone, Debug)]
pub struct Breaker {
    spec: BreakerSpec,
    state: BreakerState,
    /// When an open breaker turns half-open.
    open_until: SimTime,
    /// Failure times in the window (closed).
    failures: VecDeque<SimTime>,
    /// Probes let through (half-open).
    probes_sent: u32,
    /// Probes that succeeded (half-open).
    probes_ok: u32,
    /// Times it opened.
    pub opened: u64,
}

impl Breaker {
    /// A closed breaker.
    pub fn new(spec: BreakerSpec) -> Breaker {
        Breaker {
            spec,
            state: BreakerState::Closed,
            open_until: SimTime::ZERO,
            failures: VecDeque::new(),
            probes_sent: 0,
            probes_ok: 0,
            opened: 0,
        }
    }

    /// Its state at `now` (an open breaker whose time is up is half-open).
    pub fn state(&self, now: SimTime) -> BreakerState {
        match self.state {
            BreakerState::Open if now >= self.open_until => BreakerState::HalfOpen,
            s => s,
        }
    }

    fn open(&mut self, now: SimTime) {
        self.state = BreakerState::Open;
        self.open_until = now.plus(ms_to_us(self.spec.open_ms));
        self.failures.clear();
        self.opened += 1;
    }

    /// Whether a call may go through now (a half-open breaker counts it as a probe).
    pub fn allow(&mut self, now: SimTime) -> bool {
        if self.state == BreakerState::Open && now >= self.open_until {
            self.state = BreakerState::HalfOpen;
            self.probes_sent = 0;
            self.probes_ok = 0;
        }
        match self.state {
            BreakerState::Closed => true,
            BreakerState::Open => false,
            BreakerState::HalfOpen => {
                if self.probes_sent < self.spec.half_open_probes {
                    self.probes_sent += 1;
                    true
                } else {
                    false
                }
            }
        }
    }

    /// The result of a call it let through.
    pub fn record(&mut self, now: SimTime, ok: bool) {
        match self.state {
            BreakerState::Closed => {
                if ok {
                    return;
                }
                let window = ms_to_us(self.spec.window_ms);
                while self
                    .failures
                    .front()
                    .is_some_and(|t| now.0.saturating_sub(t.0) >= window)
                {
                    self.failures.pop_front();
                }
                self.failures.push_back(now);
                if self.failures.len() as u32 >= self.spec.failure_threshold {
                    self.open(now);
                }
            }
            // A late result of a call let through before it opened changes nothing.
            BreakerState::Open => {}
            BreakerState::HalfOpen => {
                if !ok {
                    self.open(now);
                    return;
                }
                self.probes_ok += 1;
                if self.probes_ok >= self.spec.half_open_probes {
                    self.state = BreakerState::Closed;
                    self.failures.clear();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(t: f64) -> SimTime {
        SimTime::from_ms(t)
    }

    #[test]
    fn opens_after_the_threshold_within_the_window_then_probes() {
        let mut b = Breaker::new(BreakerSpec {
            failure_threshold: 3,
            window_ms: 1000.0,
            open_ms: 500.0,
            half_open_probes: 2,
        });
        // Two failures, then one outside the window: still closed.
        b.record(ms(0.0), false);
        b.record(ms(100.0), false);
        b.record(ms(1200.0), false);
        assert_eq!(b.state(ms(1200.0)), BreakerState::Closed);
        b.record(ms(1300.0), false);
        b.record(ms(1400.0), false);
        assert_eq!(b.state(ms(1400.0)), BreakerState::Open);
        assert!(!b.allow(ms(1899.0)));
        assert_eq!(b.state(ms(1900.0)), BreakerState::HalfOpen);
        assert!(b.allow(ms(1900.0)));
        assert!(b.allow(ms(1901.0)));
        assert!(!b.allow(ms(1902.0)), "only two probes");
        b.record(ms(1950.0), true);
        assert_eq!(b.state(ms(1950.0)), BreakerState::HalfOpen);
        b.record(ms(1960.0), true);
        assert_eq!(b.state(ms(1960.0)), BreakerState::Closed);
    }

    #[test]
    fn a_failed_probe_opens_it_again() {
        let mut b = Breaker::new(BreakerSpec {
            failure_threshold: 1,
            window_ms: 1000.0,
            open_ms: 100.0,
            half_open_probes: 1,
        });
        b.record(ms(0.0), false);
        assert!(!b.allow(ms(50.0)));
        assert!(b.allow(ms(100.0)));
        b.record(ms(120.0), false);
        assert_eq!(b.state(ms(150.0)), BreakerState::Open);
        assert_eq!(b.state(ms(220.0)), BreakerState::HalfOpen);
        assert_eq!(b.opened, 2);
    }
}
