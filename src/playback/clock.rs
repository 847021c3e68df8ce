//! The animation clock: turns real frame timestamps into fixed simulation steps plus an
//! interpolation fraction, so the picture moves smoothly at any speed and never jumps
//! after a pause in frames (a hidden tab): real time between frames is capped.

/// Longest real time one frame may account for, in ms.
pub const MAX_FRAME_MS: f64 = 100.0;

/// Fixed-step accumulator.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameClock {
    /// Real ms per fixed step.
    pub step_ms: f64,
    accumulator: f64,
    last: Option<f64>,
}

/// What one frame should do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tick {
    /// Whole fixed steps to advance.
    pub steps: u32,
    /// Fraction (0..1) of the next step already elapsed, for interpolation.
    pub alpha: f64,
    /// Real ms this frame accounted for (after the cap).
    pub dt: f64,
}

impl FrameClock {
    /// A clock with `step_ms` real milliseconds per step.
    pub fn new(step_ms: f64) -> FrameClock {
        FrameClock {
            step_ms: step_ms.max(0.1),
            accumulator: 0.0,
            last: None,
        }
    }

    /// Forgets the last timestamp (call when playback resumes), so the gap is not counted.
    pub fn resync(&mut self) {
        self.last = None;
        self.accumulator = 0.0;
    }

    /// Accounts for a frame at real time `now_ms`.
    pub fn tick(&mut self, now_ms: f64) -> Tick {
        let dt = match self.last {
            Some(prev) if now_ms.is_finite() && now_ms >= prev => (now_ms - prev).min(MAX_FRAME_MS),
            _ => 0.0,
        };
        if now_ms.is_finite() {
            self.last = Some(now_ms);
        }
        self.accumulator += dt;
        let steps = (self.accumulator / self.step_ms).floor();
        self.accumulator -= steps * self.step_ms;
        Tick {
            steps: steps as u32,
            alpha: self.accumulator / self.step_ms,
            dt,
        }
    }
}

/// Linear interpolation.
pub fn lerp(a: f64, b: f64, t: f64) -> f64 {
    a + (b - a) * t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accumulates_fixed_steps_and_caps_gaps() {
        let mut c = FrameClock::new(10.0);
        assert_eq!(c.tick(1000.0).steps, 0, "first frame only starts the clock");
        let t = c.tick(1025.0);
        assert_eq!((t.steps, t.alpha), (2, 0.5));
        let t = c.tick(1030.0);
        assert_eq!((t.steps, t.alpha), (1, 0.0));
        let t = c.tick(61_030.0);
        assert_eq!(
            t.dt, MAX_FRAME_MS,
            "a hidden tab does not make the simulation jump"
        );
        assert_eq!(t.steps, 10);
        c.resync();
        assert_eq!(c.tick(90_000.0).steps, 0);
        assert_eq!(lerp(2.0, 4.0, 0.25), 2.5);
    }
}
