//! Per-kind node settings of a scenario, one file per kind's family (the producer and
//! the consumer are shared by every system; RabbitMQ's exchanges and queues), each
//! type with the checks of its own fields. [`super::NodeSpec`] holds one of them.

mod consumer;
mod kafka;
mod producer;
mod rabbit;
mod rpc;
mod sqs;
mod zmq;

pub use consumer::*;
pub use kafka::*;
pub use producer::*;
pub use rabbit::*;
pub use rpc::*;
pub use sqs::*;
pub use zmq::*;

/// Problems found while checking one node's settings: `(field path relative to the
/// node, message)`, in the order found.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<(String, String)>);

impl Problems {
    /// Records a problem at `field` (relative to the node, e.g. `queue.max_priority`).
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }
}

/// A finite number ≥ 0.
pub(crate) fn non_negative(value: f64) -> bool {
    value.is_finite() && value >= 0.0
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}
