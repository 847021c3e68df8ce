//! ZeroMQ's settings: a device (`zmq_device` section: how it distributes) and the
//! sections of its edges, `push` and `pub` (each edge is one pipe with its high-water
//! mark; a `pub` edge also has its subscription prefix); and their checks.
//!
//! Names and defaults are libzmq's (`zmq_setsockopt`: `ZMQ_SNDHWM`/`ZMQ_RCVHWM` default
//! 1000, `ZMQ_SUBSCRIBE`), the distributor's modes the zguide's (chapter 3, "The
//! load balancing pattern").

use super::{is_default, Problems};
use serde::{Deserialize, Serialize};

/// How a device hands out work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceMode {
    /// Blind PUSH: every connected instance in turn, busy or not.
    #[default]
    RoundRobin,
    /// The zguide's load-balancing broker: an instance gets work only when it says it
    /// is ready (it holds nothing).
    LeastRecentlyUsed,
}

impl DeviceMode {
    /// The name in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceMode::RoundRobin => "round-robin",
            DeviceMode::LeastRecentlyUsed => "least-recently-used",
        }
    }
}

/// A ZeroMQ device (the distributor in front of several instances).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZmqDeviceSpec {
    /// How it distributes.
    #[serde(default, skip_serializing_if = "is_default")]
    pub mode: DeviceMode,
}

impl ZmqDeviceSpec {
    /// Nothing can be out of range.
    pub fn check(&self, _out: &mut Problems) {}
}

fn thousand() -> u32 {
    1000
}
fn is_thousand(v: &u32) -> bool {
    *v == 1000
}

/// Most messages one pipe may hold here.
pub const MAX_HWM: u32 = 1_000_000;

/// A `push` edge: one PUSH→PULL pipe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushSpec {
    /// High-water mark: most messages queued in the pipe (sender and receiver side
    /// together).
    #[serde(default = "thousand", skip_serializing_if = "is_thousand")]
    pub hwm: u32,
}

impl Default for PushSpec {
    fn default() -> Self {
        PushSpec { hwm: thousand() }
    }
}

/// A `pub` edge: one PUB→SUB pipe with the subscriber's subscription.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PubSpec {
    /// High-water mark: most messages queued in the pipe.
    #[serde(default = "thousand", skip_serializing_if = "is_thousand")]
    pub hwm: u32,
    /// `ZMQ_SUBSCRIBE`: messages whose payload starts with it pass (empty: all).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
}

impl Default for PubSpec {
    fn default() -> Self {
        PubSpec {
            hwm: thousand(),
            prefix: String::new(),
        }
    }
}

fn check_hwm(hwm: u32, field: &str, out: &mut Problems) {
    if hwm == 0 || hwm > MAX_HWM {
        out.push(field, "must be between 1 and 1,000,000");
    }
}

impl PushSpec {
    /// Reports an out-of-range high-water mark.
    pub fn check(&self, out: &mut Problems) {
        check_hwm(self.hwm, "push.hwm", out);
    }
}

impl PubSpec {
    /// Reports an out-of-range high-water mark.
    pub fn check(&self, out: &mut Problems) {
        check_hwm(self.hwm, "pub.hwm", out);
    }
}
