//! RabbitMQ definitions files (rabbitmq.com/docs/definitions): importing the queues,
//! exchanges, bindings and policies of one virtual host as a [`Scenario`], and exporting
//! a scenario's topology as a file `rabbitmqctl import_definitions` accepts.
//!
//! Both directions are lossy in known ways, and say so: whatever the file holds that
//! changes how messages flow but the playground cannot model (stream queues, plugin
//! exchange types, shovels, `x-expires`, ...) is listed in `unsupported`, one sentence
//! per item; whatever a scenario holds that definitions cannot express (producers,
//! consumers and their behaviour) is summed up the same way on export.

mod export;
mod import;

pub use export::export_definitions;
pub use import::import_definitions;

use crate::core::scenario::{ExchangeType, Scenario};

/// Largest definitions file accepted by [`import_definitions`] (20 MiB).
pub const MAX_DEFINITIONS_BYTES: usize = 20 * 1024 * 1024;

/// RabbitMQ's built-in exchanges that exist in every virtual host without being
/// declared, with their types (rabbitmq.com/docs/exchanges). Definitions never declare
/// them, bindings may use them, and no other name may start with `amq.`.
pub const BUILTIN_EXCHANGES: [(&str, ExchangeType); 5] = [
    ("amq.direct", ExchangeType::Direct),
    ("amq.fanout", ExchangeType::Fanout),
    ("amq.topic", ExchangeType::Topic),
    ("amq.headers", ExchangeType::Headers),
    ("amq.match", ExchangeType::Headers),
];

/// The type of the built-in exchange called `name`, if it is one.
pub fn builtin_exchange_type(name: &str) -> Option<ExchangeType> {
    BUILTIN_EXCHANGES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, kind)| kind)
}

/// Whether RabbitMQ refuses to declare a queue or exchange called `name`: names starting
/// with `amq.` are reserved (for the built-in exchanges).
fn is_reserved(name: &str) -> bool {
    name.starts_with("amq.")
}

/// The result of [`import_definitions`].
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The virtual host's topology as a valid scenario, laid out left to right.
    pub scenario: Scenario,
    /// One sentence per thing in the file that affects messaging but was not imported
    /// (or was imported approximately).
    pub unsupported: Vec<String>,
}

/// The result of [`export_definitions`].
#[derive(Clone, Debug, PartialEq)]
pub struct Exported {
    /// A complete definitions document for one virtual host.
    pub definitions: serde_json::Value,
    /// One sentence per part of the scenario that definitions cannot express.
    pub unsupported: Vec<String>,
}
