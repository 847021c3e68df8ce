//! `WIRING`: which edge may join which two node kinds, which one a drag creates by
//! default, how many of it a node may have, and — for pairs that may not be joined —
//! a hint that says why in plain words. Validation, the editor's connect rules, the
//! inspector's edge-kind choice and the palette all read these tables; nothing else
//! encodes the rules.
//!
//! Sources: rabbitmq.com/docs/exchanges (publish to an exchange, bindings, the default
//! exchange), e2e (exchange-to-exchange bindings), ae (alternate exchanges), dlx
//! (dead-letter exchanges), consumers (a consumer subscribes to a queue);
//! kafka.apache.org/documentation (producers write to topics, consumers read them in
//! groups).
//!
//! A service is the shared worker too: where no row names a service, it is wired as a
//! consumer is (it reads and writes every broker the way a consumer does); the rows that
//! name it are the synchronous calls.

use crate::core::scenario::{EdgeKind, NodeKind};

mod refusals;
pub use refusals::{refusal, Refusal, REFUSALS};

/// How many edges of a kind a node may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Any number.
    Any,
    /// One per source node; the text completes "`id` already has …".
    OnePerSource(&'static str),
    /// One per target node; the text completes "`id` already …".
    OnePerTarget(&'static str),
}

/// One allowed connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wire {
    /// Source kind.
    pub from: NodeKind,
    /// Target kind.
    pub to: NodeKind,
    /// The edge kind.
    pub edge: EdgeKind,
    /// Whether a drag from `from` to `to` creates this kind (one default per pair).
    pub default: bool,
    /// How many a node may have.
    pub limit: Limit,
    /// How the inspector names the choice when a pair allows several kinds.
    pub choice: &'static str,
}

/// Every allowed connection. Pairs with several rows offer a choice in the inspector.
pub const WIRING: [Wire; 31] = [
    Wire {
        from: NodeKind::Producer,
        to: NodeKind::Exchange,
        edge: EdgeKind::Publish,
        default: true,
        limit: Limit::OnePerSource("an exchange it publishes to"),
        choice: "publish",
    },
    Wire {
        from: NodeKind::Exchange,
        to: NodeKind::Queue,
        edge: EdgeKind::Binding,
        default: true,
        limit: Limit::Any,
        choice: "binding",
    },
    Wire {
        from: NodeKind::Exchange,
        to: NodeKind::Exchange,
        edge: EdgeKind::Binding,
        default: true,
        limit: Limit::Any,
        choice: "binding (exchange-to-exchange)",
    },
    Wire {
        from: NodeKind::Exchange,
        to: NodeKind::Exchange,
        edge: EdgeKind::AlternateExchange,
        default: false,
        limit: Limit::OnePerSource("an alternate exchange"),
        choice: "alternate exchange",
    },
    Wire {
        from: NodeKind::Queue,
        to: NodeKind::Consumer,
        edge: EdgeKind::Subscription,
        default: true,
        limit: Limit::OnePerTarget("subscribes to a queue"),
        choice: "subscription",
    },
    Wire {
        from: NodeKind::Queue,
        to: NodeKind::Exchange,
        edge: EdgeKind::DeadLetter,
        default: true,
        limit: Limit::OnePerSource("a dead-letter exchange"),
        choice: "dead-letter",
    },
    Wire {
        from: NodeKind::Consumer,
        to: NodeKind::Exchange,
        edge: EdgeKind::Forward,
        default: true,
        limit: Limit::Any,
        choice: "forward",
    },
    Wire {
        from: NodeKind::Producer,
        to: NodeKind::KafkaTopic,
        edge: EdgeKind::Produce,
        default: true,
        limit: Limit::OnePerSource("a place it sends to"),
        choice: "produce",
    },
    Wire {
        from: NodeKind::Consumer,
        to: NodeKind::KafkaTopic,
        edge: EdgeKind::Produce,
        default: true,
        limit: Limit::Any,
        choice: "produce (after processing)",
    },
    Wire {
        from: NodeKind::KafkaTopic,
        to: NodeKind::Consumer,
        edge: EdgeKind::Consume,
        default: true,
        limit: Limit::OnePerTarget("reads from a queue or a topic"),
        choice: "consume",
    },
    Wire {
        from: NodeKind::Producer,
        to: NodeKind::SqsQueue,
        edge: EdgeKind::Send,
        default: true,
        limit: Limit::OnePerSource("a place it sends to"),
        choice: "send",
    },
    Wire {
        from: NodeKind::Producer,
        to: NodeKind::SnsTopic,
        edge: EdgeKind::Send,
        default: true,
        limit: Limit::OnePerSource("a place it sends to"),
        choice: "publish (SNS)",
    },
    Wire {
        from: NodeKind::Consumer,
        to: NodeKind::SqsQueue,
        edge: EdgeKind::Send,
        default: true,
        limit: Limit::Any,
        choice: "send (after processing)",
    },
    Wire {
        from: NodeKind::Consumer,
        to: NodeKind::SnsTopic,
        edge: EdgeKind::Send,
        default: true,
        limit: Limit::Any,
        choice: "publish (after processing)",
    },
    Wire {
        from: NodeKind::SqsQueue,
        to: NodeKind::Consumer,
        edge: EdgeKind::Receive,
        default: true,
        limit: Limit::OnePerTarget("reads from a queue or a topic"),
        choice: "receive",
    },
    Wire {
        from: NodeKind::SqsQueue,
        to: NodeKind::SqsQueue,
        edge: EdgeKind::Redrive,
        default: true,
        limit: Limit::OnePerSource("a dead-letter queue"),
        choice: "redrive (dead-letter queue)",
    },
    Wire {
        from: NodeKind::SnsTopic,
        to: NodeKind::SqsQueue,
        edge: EdgeKind::Subscribe,
        default: true,
        limit: Limit::Any,
        choice: "subscribe",
    },
    Wire {
        from: NodeKind::SnsTopic,
        to: NodeKind::Consumer,
        edge: EdgeKind::Subscribe,
        default: true,
        limit: Limit::OnePerTarget("reads from a queue or a topic"),
        choice: "subscribe (push to the worker)",
    },
    Wire {
        from: NodeKind::Producer,
        to: NodeKind::Consumer,
        edge: EdgeKind::Push,
        default: true,
        limit: Limit::Any,
        choice: "ZeroMQ push (round-robin, blocks when full)",
    },
    Wire {
        from: NodeKind::Producer,
        to: NodeKind::Consumer,
        edge: EdgeKind::Pub,
        default: false,
        limit: Limit::Any,
        choice: "ZeroMQ pub (fan-out, drops when full)",
    },
    Wire {
        from: NodeKind::Producer,
        to: NodeKind::ZmqDevice,
        edge: EdgeKind::Push,
        default: true,
        limit: Limit::Any,
        choice: "ZeroMQ push",
    },
    Wire {
        from: NodeKind::Producer,
        to: NodeKind::ZmqDevice,
        edge: EdgeKind::Pub,
        default: false,
        limit: Limit::Any,
        choice: "ZeroMQ pub",
    },
    Wire {
        from: NodeKind::Consumer,
        to: NodeKind::Consumer,
        edge: EdgeKind::Push,
        default: true,
        limit: Limit::Any,
        choice: "ZeroMQ push (after processing)",
    },
    Wire {
        from: NodeKind::Consumer,
        to: NodeKind::Consumer,
        edge: EdgeKind::Pub,
        default: false,
        limit: Limit::Any,
        choice: "ZeroMQ pub (after processing)",
    },
    Wire {
        from: NodeKind::Consumer,
        to: NodeKind::ZmqDevice,
        edge: EdgeKind::Push,
        default: true,
        limit: Limit::Any,
        choice: "ZeroMQ push (after processing)",
    },
    Wire {
        from: NodeKind::Consumer,
        to: NodeKind::ZmqDevice,
        edge: EdgeKind::Pub,
        default: false,
        limit: Limit::Any,
        choice: "ZeroMQ pub (after processing)",
    },
    Wire {
        from: NodeKind::ZmqDevice,
        to: NodeKind::Consumer,
        edge: EdgeKind::Push,
        default: true,
        limit: Limit::Any,
        choice: "ZeroMQ push",
    },
    Wire {
        from: NodeKind::ZmqDevice,
        to: NodeKind::ZmqDevice,
        edge: EdgeKind::Push,
        default: true,
        limit: Limit::Any,
        choice: "ZeroMQ push",
    },
    Wire {
        from: NodeKind::Producer,
        to: NodeKind::Service,
        edge: EdgeKind::Call,
        default: true,
        limit: Limit::OnePerSource("a place it sends to"),
        choice: "call (request, wait for the reply)",
    },
    Wire {
        from: NodeKind::Consumer,
        to: NodeKind::Service,
        edge: EdgeKind::Call,
        default: true,
        limit: Limit::Any,
        choice: "call (after processing, waits for the reply)",
    },
    Wire {
        from: NodeKind::Service,
        to: NodeKind::Service,
        edge: EdgeKind::Call,
        default: true,
        limit: Limit::Any,
        choice: "call (waits for the reply)",
    },
];

/// The kind a node is wired as when no row names its own kind: a service as a
/// consumer.
fn as_worker(kind: NodeKind) -> NodeKind {
    match kind {
        NodeKind::Service => NodeKind::Consumer,
        other => other,
    }
}

/// The rows a service borrows from the consumer's for the pair `from` → `to` (none
/// when neither end is a service).
fn borrowed(from: NodeKind, to: NodeKind) -> impl Iterator<Item = &'static Wire> {
    let (f, t) = (as_worker(from), as_worker(to));
    let differs = (f, t) != (from, to);
    WIRING
        .iter()
        .filter(move |w| differs && w.from == f && w.to == t && w.edge != EdgeKind::Call)
}

/// The one-per-node allowance an edge kind counts against: a producer sends to one
/// place (publish or produce), a consumer reads from one (subscription or consume).
pub fn allowance(edge: EdgeKind) -> EdgeKind {
    match edge {
        EdgeKind::Produce | EdgeKind::Send => EdgeKind::Publish,
        EdgeKind::Consume | EdgeKind::Receive => EdgeKind::Subscription,
        EdgeKind::Subscribe => EdgeKind::Subscription,
        EdgeKind::Call => EdgeKind::Publish,
        other => other,
    }
}

/// The row allowing `edge` from `from` to `to`, if any.
pub fn wire(from: NodeKind, to: NodeKind, edge: EdgeKind) -> Option<&'static Wire> {
    WIRING
        .iter()
        .find(|w| w.from == from && w.to == to && w.edge == edge)
        .or_else(|| borrowed(from, to).find(|w| w.edge == edge))
}

/// The edge kinds allowed from `from` to `to`, default first (a pair's own rows
/// before those a service borrows from the consumer's).
pub fn choices(from: NodeKind, to: NodeKind) -> impl Iterator<Item = &'static Wire> {
    let pair = move |w: &&Wire| w.from == from && w.to == to;
    let defaults = WIRING.iter().filter(pair).filter(|w| w.default);
    let own = defaults.chain(WIRING.iter().filter(pair).filter(|w| !w.default));
    let mut rows: Vec<&'static Wire> = own.collect();
    for w in borrowed(from, to).filter(|w| w.default) {
        rows.push(w);
    }
    for w in borrowed(from, to).filter(|w| !w.default) {
        rows.push(w);
    }
    let mut seen: Vec<EdgeKind> = Vec::new();
    rows.retain(|w| {
        let new = !seen.contains(&w.edge);
        seen.push(w.edge);
        new
    });
    rows.into_iter()
}

/// The kind of node a connection dragged from a `from` node onto empty canvas creates:
/// the target of the first default row leaving that kind (producer → exchange, exchange
/// → queue, queue → consumer, consumer → exchange).
pub fn natural_next(from: NodeKind) -> Option<NodeKind> {
    WIRING
        .iter()
        .find(|w| w.from == from && w.default)
        .or_else(|| {
            WIRING
                .iter()
                .find(|w| w.from == as_worker(from) && w.default)
        })
        .map(|w| w.to)
}

/// The edge kind a drag from `from` to `to` creates, if any.
pub fn default_edge(from: NodeKind, to: NodeKind) -> Option<EdgeKind> {
    choices(from, to).next().map(|w| w.edge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_default_per_pair() {
        for w in &WIRING {
            let defaults = WIRING
                .iter()
                .filter(|v| v.from == w.from && v.to == w.to && v.default)
                .count();
            assert_eq!(defaults, 1, "{:?} → {:?}", w.from, w.to);
        }
    }

    #[test]
    fn refused_pairs_are_not_wired() {
        for r in &REFUSALS {
            if let Some(from) = r.from {
                assert!(choices(from, r.to).next().is_none());
            }
        }
        assert_eq!(
            default_edge(NodeKind::Exchange, NodeKind::Exchange),
            Some(EdgeKind::Binding)
        );
        assert_eq!(
            choices(NodeKind::Exchange, NodeKind::Exchange)
                .map(|w| w.edge)
                .collect::<Vec<_>>(),
            vec![EdgeKind::Binding, EdgeKind::AlternateExchange]
        );
    }
}
