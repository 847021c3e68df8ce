//! Headers-exchange matching, as RabbitMQ 3.13 and later does it (docs:
//! rabbitmq.com/docs/exchanges, "Headers Exchange"; source:
//! `rabbit_exchange_type_headers`, `match/2` and `match_x/2`).
//!
//! - `x-match` is `all` (the default, also for a missing or unknown value), `any`,
//!   `all-with-x` or `any-with-x`. The `x-match` argument itself never takes part.
//! - With plain `all`/`any`, binding arguments whose name starts with `x-` are ignored;
//!   the `-with-x` variants compare them too.
//! - A binding argument whose value is `null` (AMQP `void`) matches when the header is
//!   present, whatever its value.
//! - Values compare with exact term equality (`=:=`): the integer 1 does not equal the
//!   float 1.0, and the string "1" does not equal the number 1.
//! - `all` with nothing left to compare matches every message; `any` matches none.

use serde_json::{Map, Value};

pub use crate::core::model::message::Headers;

/// The `x-match` mode of a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchMode {
    /// Every considered argument must match.
    All,
    /// At least one considered argument must match.
    Any,
    /// `all`, also comparing `x-` arguments.
    AllWithX,
    /// `any`, also comparing `x-` arguments.
    AnyWithX,
}

impl MatchMode {
    /// Reads `x-match` from binding arguments (unknown or missing: `all`).
    pub fn of(arguments: &Map<String, Value>) -> MatchMode {
        match arguments.get("x-match").and_then(Value::as_str) {
            Some("any") => MatchMode::Any,
            Some("all-with-x") => MatchMode::AllWithX,
            Some("any-with-x") => MatchMode::AnyWithX,
            _ => MatchMode::All,
        }
    }
}

/// Compares two header values with Erlang's exact `=:=`: same type and same value
/// (JSON integers and floats are different types, as AMQP's are).
pub fn values_equal(binding: &Value, header: &Value) -> bool {
    binding == header
}

/// Whether a message with `headers` matches a binding with `arguments`.
pub fn headers_match(arguments: &Map<String, Value>, headers: &Headers) -> bool {
    let mode = MatchMode::of(arguments);
    let (any, with_x) = match mode {
        MatchMode::All => (false, false),
        MatchMode::Any => (true, false),
        MatchMode::AllWithX => (false, true),
        MatchMode::AnyWithX => (true, true),
    };
    for (name, expected) in arguments {
        if name == "x-match" || (!with_x && name.starts_with("x-")) {
            continue;
        }
        let hit = match headers.get(name) {
            Some(actual) => expected.is_null() || values_equal(expected, actual),
            None => false,
        };
        if any && hit {
            return true;
        }
        if !any && !hit {
            return false;
        }
    }
    !any
}
