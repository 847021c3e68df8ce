//! Events in words, for the event log and the message trace: RabbitMQ's and the shared
//! actors' events here, the other systems' in [`families`].

mod families;

use crate::core::model::events::{Event, EventKind};
use crate::core::model::ids::{CopyId, MessageId, NodeId};
use crate::core::scenario::Scenario;

/// One line of the log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    /// Simulated time, ms.
    pub time_ms: f64,
    /// Event kind (snake case, as in the event's JSON).
    pub kind: &'static str,
    /// Ids of the nodes involved.
    pub nodes: Vec<String>,
    /// What happened.
    pub text: String,
    /// Copy involved (to open its message's trace).
    pub copy: Option<crate::core::model::ids::CopyId>,
    /// The message it is about, when known.
    pub message: Option<MessageId>,
}

/// Every event kind, for the log's filter.
pub const EVENT_KINDS: [&str; 33] = [
    "published",
    "routed",
    "enqueued",
    "delivered",
    "processed",
    "acked",
    "nacked",
    "requeued",
    "expired",
    "dead_lettered",
    "dropped",
    "consumer_down",
    "consumer_up",
    "unroutable",
    "got",
    "client_acked",
    "produced",
    "appended",
    "fetched",
    "rebalanced",
    "sent",
    "stored",
    "received",
    "deleted",
    "visibility_expired",
    "moved_to_dead_letter",
    "deduplicated",
    "retention_expired",
    "redriven",
    "fanned_out",
    "pushed",
    "call_sent",
    "call_ended",
];

/// A node as the log names it: its kind and name ("queue orders", "exchange orders"), so
/// an exchange and a queue of the same name are told apart.
fn name(s: &Scenario, n: Option<NodeId>) -> String {
    match n.and_then(|n| s.nodes.get(n.index())) {
        Some(node) if node.name.is_empty() => "(default exchange)".into(),
        Some(node) => format!("{} {}", node.kind().as_str(), node.name),
        None => "(default exchange)".into(),
    }
}

/// What an event says: its kind, the ids of the nodes it involves, its text and the
/// copy it is about.
type Words = (&'static str, Vec<Option<String>>, String, Option<CopyId>);

/// A node's id, for the row's node list.
fn id(s: &Scenario, n: NodeId) -> Option<String> {
    s.nodes.get(n.index()).map(|x| x.id.clone())
}

/// Describes one event of a run of `s`.
pub fn describe(e: &Event, s: &Scenario) -> LogRow {
    describe_message(e, s, None)
}

/// Describes one event of a run of `s`, naming the message (`message #n`) instead of
/// "it" when its number is known.
pub fn describe_message(e: &Event, s: &Scenario, message: Option<MessageId>) -> LogRow {
    let nm = |n: NodeId| name(s, Some(n));
    let it = message.map_or_else(|| "it".to_string(), |m| format!("message #{}", m.0));
    let (kind, nodes, text, copy): Words = match &e.kind {
        EventKind::Published {
            copy,
            message,
            from,
            exchange,
            routing_key,
            message_id,
            correlation_id,
            reply_to,
            ..
        } => {
            let mut props = format!("message_id {message_id}");
            if let Some(c) = correlation_id {
                props.push_str(&format!(", correlation_id {c}"));
            }
            if let Some(r) = reply_to {
                props.push_str(&format!(", reply_to {r}"));
            }
            (
                "published",
                vec![from.and_then(|f| id(s, f)), exchange.and_then(|x| id(s, x))],
                format!(
                    "{} published message #{} with key \"{routing_key}\" to {} ({props})",
                    from.map_or_else(|| "the script".to_string(), nm),
                    message.0,
                    name(s, *exchange)
                ),
                Some(*copy),
            )
        }
        EventKind::Routed {
            copy,
            exchange,
            queues,
            ..
        } => (
            "routed",
            std::iter::once(exchange.and_then(|x| id(s, x)))
                .chain(queues.iter().map(|q| id(s, *q)))
                .collect(),
            format!(
                "{} routed {it} to {}",
                name(s, *exchange),
                queues.iter().map(|q| nm(*q)).collect::<Vec<_>>().join(", ")
            ),
            Some(*copy),
        ),
        EventKind::Enqueued { copy, queue } => (
            "enqueued",
            vec![id(s, *queue)],
            format!("entered {}", nm(*queue)),
            Some(*copy),
        ),
        EventKind::Delivered {
            copy,
            queue,
            consumer,
            redelivered,
            ..
        } => (
            "delivered",
            vec![id(s, *queue), id(s, *consumer)],
            format!(
                "{} delivered {it} to {}{}",
                nm(*queue),
                nm(*consumer),
                if *redelivered { " (redelivered)" } else { "" }
            ),
            Some(*copy),
        ),
        EventKind::Processed {
            copy,
            consumer,
            duplicate,
        } => (
            "processed",
            vec![id(s, *consumer)],
            if *duplicate {
                format!(
                    "{} skipped {it}: already processed (idempotent)",
                    nm(*consumer)
                )
            } else {
                format!("{} processed {it}", nm(*consumer))
            },
            Some(*copy),
        ),
        EventKind::Acked { copy, consumer } => (
            "acked",
            vec![id(s, *consumer)],
            format!("{} acked {it}", nm(*consumer)),
            Some(*copy),
        ),
        EventKind::Nacked {
            copy,
            consumer,
            requeue,
        } => (
            "nacked",
            vec![id(s, *consumer)],
            format!(
                "{} nacked {it} ({})",
                nm(*consumer),
                if *requeue {
                    "requeue"
                } else {
                    "reject, no requeue"
                }
            ),
            Some(*copy),
        ),
        EventKind::Requeued { copy, queue } => (
            "requeued",
            vec![id(s, *queue)],
            format!("back in {} (redelivered = true)", nm(*queue)),
            Some(*copy),
        ),
        EventKind::Expired { copy, queue } => (
            "expired",
            vec![id(s, *queue)],
            format!("expired in {}", nm(*queue)),
            Some(*copy),
        ),
        EventKind::DeadLettered {
            copy,
            queue,
            reason,
            exchange,
            x_death,
            ..
        } => {
            let history: Vec<String> = x_death
                .iter()
                .map(|d| format!("{}/{} ×{}", d.queue, d.reason.as_str(), d.count))
                .collect();
            (
                "dead_lettered",
                vec![id(s, *queue), exchange.and_then(|x| id(s, x))],
                format!(
                    "dead-lettered from {} to {} (reason {}; x-death: {})",
                    nm(*queue),
                    name(s, *exchange),
                    reason.as_str(),
                    history.join(", ")
                ),
                Some(*copy),
            )
        }
        EventKind::Dropped { copy, at, reason } => (
            if reason.as_str() == "unroutable" {
                "unroutable"
            } else {
                "dropped"
            },
            vec![at.and_then(|n| id(s, n))],
            if *reason == crate::core::model::events::DropReason::Discarded {
                format!(
                    "dropped at {}: discarded, not lost (the record stays in the log and is read again from the committed offset)",
                    name(s, *at)
                )
            } else {
                format!(
                    "dropped at {}: {}",
                    name(s, *at),
                    reason.as_str().replace('_', " ")
                )
            },
            Some(*copy),
        ),
        EventKind::ConsumerDown { consumer, reason } => {
            let reads_topic = s.nodes.get(consumer.index()).is_some_and(|n| {
                s.edges
                    .iter()
                    .any(|e| e.to == n.id && e.kind == crate::core::scenario::EdgeKind::Consume)
            });
            let what = if !reads_topic {
                "its unacked messages return to the queue"
            } else if *reason == crate::core::model::events::DownReason::Crash {
                "what it fetched is discarded; its partitions wait for its session to time out"
            } else {
                "what it fetched is discarded; it leaves its group, which rebalances"
            };
            (
                "consumer_down",
                vec![id(s, *consumer)],
                format!("{} went down ({reason:?}); {what}", nm(*consumer)).to_lowercase(),
                None,
            )
        }
        EventKind::ConsumerUp { consumer } => (
            "consumer_up",
            vec![id(s, *consumer)],
            format!("{} is back", nm(*consumer)),
            None,
        ),
        EventKind::ClientAcked { copy, queue } => (
            "client_acked",
            vec![id(s, *queue)],
            format!("the script acked {it} ({})", nm(*queue)),
            Some(*copy),
        ),
        other => families::words(other, s, &it),
    };
    LogRow {
        time_ms: e.time.as_ms(),
        kind,
        nodes: nodes.into_iter().flatten().collect(),
        text,
        copy,
        message,
    }
}
