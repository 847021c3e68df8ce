//! Simulated time: integer microseconds, so runs are identical on every platform,
//! plus parsing of human durations such as `30s`, `500ms`, `2m`.

use serde::Serialize;

/// A point in simulated time, in microseconds since the start of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SimTime(pub u64);

impl SimTime {
    /// Time zero.
    pub const ZERO: SimTime = SimTime(0);

    /// From milliseconds (fractions are kept down to a microsecond; negatives clamp to 0).
    pub fn from_ms(ms: f64) -> SimTime {
        SimTime(ms_to_us(ms))
    }

    /// As milliseconds.
    pub fn as_ms(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// This time plus a duration in microseconds, saturating.
    pub fn plus(self, us: u64) -> SimTime {
        SimTime(self.0.saturating_add(us))
    }
}

/// Milliseconds (possibly fractional) to whole microseconds, rounding to nearest.
pub fn ms_to_us(ms: f64) -> u64 {
    if ms.is_finite() && ms > 0.0 {
        // `f64::round` without its call: WebAssembly has no round-half-away
        // instruction, so `round` is a library function there, and this conversion
        // runs on every timer. `x - trunc(x)` is exact, so the result is round's.
        let x = ms * 1000.0;
        let whole = x.trunc();
        let us = if x - whole >= 0.5 { whole + 1.0 } else { whole };
        if us >= u64::MAX as f64 {
            u64::MAX
        } else {
            us as u64
        }
    } else {
        0
    }
}

/// Parses a duration like `30s`, `500ms`, `2m`, `1.5s`, `1h` or a bare number of
/// milliseconds into milliseconds.
pub fn parse_duration_ms(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (try 30s, 500ms, 2m)"))?;
    let factor = match unit.trim() {
        "" | "ms" => 1.0,
        "us" | "µs" => 0.001,
        "s" => 1000.0,
        "m" | "min" => 60_000.0,
        "h" => 3_600_000.0,
        other => {
            return Err(format!(
                "`{text}` has an unknown unit `{other}` (use ms, s, m or h)"
            ))
        }
    };
    let ms = value * factor;
    if !ms.is_finite() || ms < 0.0 {
        return Err(format!("`{text}` is not a usable duration"));
    }
    if ms > MAX_DURATION_MS {
        return Err(format!(
            "`{text}` is longer than 1,000,000,000,000 ms (about 31 years of simulated time)"
        ));
    }
    Ok(ms)
}

/// The longest duration [`parse_duration_ms`] reads, ms (as far as a script step may be).
pub const MAX_DURATION_MS: f64 = 1e12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(parse_duration_ms("30s").unwrap(), 30_000.0);
        assert_eq!(parse_duration_ms("500ms").unwrap(), 500.0);
        assert_eq!(parse_duration_ms("2m").unwrap(), 120_000.0);
        assert_eq!(parse_duration_ms("1.5s").unwrap(), 1500.0);
        assert_eq!(parse_duration_ms("250").unwrap(), 250.0);
        assert!(parse_duration_ms("abc").is_err());
        assert!(parse_duration_ms("5 parsecs").is_err());
        assert!(parse_duration_ms("").is_err());
        // Past what a run may reach: refused, not clamped to another time.
        assert!(parse_duration_ms("99999999999999999999h").is_err());
        assert!(parse_duration_ms("18446744073709551615").is_err());
        assert!(parse_duration_ms("1000000000000").is_ok());
    }

    #[test]
    fn ms_round_trip() {
        assert_eq!(SimTime::from_ms(1.5).0, 1500);
        assert_eq!(SimTime::from_ms(-3.0).0, 0);
        assert_eq!(SimTime::from_ms(f64::NAN).0, 0);
        assert_eq!(SimTime(2500).as_ms(), 2.5);
    }

    /// The conversion rounds exactly as `f64::round` (half away from zero), at the
    /// halves, just below them, and where every double is a whole number.
    #[test]
    fn ms_to_us_rounds_as_round_does() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut cases = vec![
            0.0005,
            0.0004999999999999999,
            0.0025,
            1.0005,
            0.49999999999999994 / 1000.0,
            2.5e-3,
            4_503_599_627_370.496,
            1e15,
            1.7e300,
            f64::MIN_POSITIVE,
        ];
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push(f64::from_bits(x >> 2) % 1e7);
            cases.push((x % 10_000_000) as f64 / 2000.0);
        }
        for ms in cases {
            let expected = if ms.is_finite() && ms > 0.0 {
                let r = (ms * 1000.0).round();
                if r >= u64::MAX as f64 {
                    u64::MAX
                } else {
                    r as u64
                }
            } else {
                0
            };
            assert_eq!(ms_to_us(ms), expected, "{ms:e}");
        }
    }
}
