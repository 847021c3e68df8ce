//! Events in words, for the event log and the message trace.

use crate::core::model::events::{Event, EventKind};
use crate::core::model::ids::{MessageId, NodeId};
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
pub const EVENT_KINDS: [&str; 31] = [
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
    let (kind, nodes, text, copy): (&'static str, Vec<Option<String>>, String, _) = match &e.kind {
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
            format!(
                "dropped at {}: {}",
                name(s, *at),
                reason.as_str().replace('_', " ")
            ),
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
        EventKind::Produced {
            copy,
            from,
            topic,
            partition,
            ..
        } => (
            "produced",
            vec![from.and_then(|f| id(s, f)), id(s, *topic)],
            match from {
                Some(f) => format!(
                    "{} produced {it} to {}, partition {partition}",
                    nm(*f),
                    nm(*topic)
                ),
                None => format!(
                    "a client produced {it} to {}, partition {partition}",
                    nm(*topic)
                ),
            },
            Some(*copy),
        ),
        EventKind::Appended {
            copy,
            topic,
            partition,
            offset,
        } => (
            "appended",
            vec![id(s, *topic)],
            format!(
                "{it} was appended to {} partition {partition} at offset {offset}",
                nm(*topic)
            ),
            Some(*copy),
        ),
        EventKind::Fetched {
            consumer,
            topic,
            copies,
        } => (
            "fetched",
            vec![id(s, *consumer), id(s, *topic)],
            format!(
                "{} fetched {} record{} from {}",
                nm(*consumer),
                copies.len(),
                if copies.len() == 1 { "" } else { "s" },
                nm(*topic)
            ),
            copies.first().map(|(c, _)| *c),
        ),
        EventKind::Rebalanced {
            topic,
            group,
            generation,
            members,
        } => (
            "rebalanced",
            vec![id(s, *topic)],
            format!(
                "group {group} on {} rebalanced: generation {generation}, {members} member{}",
                nm(*topic),
                if *members == 1 { "" } else { "s" }
            ),
            None,
        ),
        EventKind::ConsumerUp { consumer } => (
            "consumer_up",
            vec![id(s, *consumer)],
            format!("{} is back", nm(*consumer)),
            None,
        ),
        EventKind::Got {
            copy,
            queue,
            redelivered,
        } => (
            "got",
            vec![id(s, *queue)],
            format!(
                "the script got {it} from {}{}",
                nm(*queue),
                if *redelivered { " (redelivered)" } else { "" }
            ),
            Some(*copy),
        ),
        EventKind::Sent {
            copy, from, to, ..
        } => (
            "sent",
            vec![from.and_then(|f| id(s, f)), id(s, *to)],
            format!(
                "{} sent {it} to {}",
                from.map_or_else(|| "a client".to_string(), nm),
                nm(*to)
            ),
            Some(*copy),
        ),
        EventKind::Stored {
            copy,
            queue,
            delayed,
        } => (
            "stored",
            vec![id(s, *queue)],
            format!(
                "{it} is in {}{}",
                nm(*queue),
                if *delayed { ", delayed" } else { ", visible" }
            ),
            Some(*copy),
        ),
        EventKind::Received {
            copy,
            queue,
            consumer,
            receive_count,
            ..
        } => (
            "received",
            vec![consumer.and_then(|c| id(s, c)), id(s, *queue)],
            format!(
                "{} received {it} from {} (receive #{receive_count}{}); it is in flight",
                consumer.map_or_else(|| "the script".to_string(), nm),
                nm(*queue),
                if *receive_count > 1 { ", a repeat delivery" } else { "" }
            ),
            Some(*copy),
        ),
        EventKind::Deleted {
            copy, queue, stale, ..
        } => (
            "deleted",
            vec![id(s, *queue)],
            if *stale {
                format!(
                    "a delete of {it} from {} used an old receipt: nothing was deleted",
                    nm(*queue)
                )
            } else {
                format!("{it} was deleted from {}", nm(*queue))
            },
            *copy,
        ),
        EventKind::VisibilityExpired {
            queue,
            receive_count,
            ..
        } => (
            "visibility_expired",
            vec![id(s, *queue)],
            format!(
                "{it}'s visibility timeout ran out in {} after {receive_count} receive{}: visible again",
                nm(*queue),
                if *receive_count == 1 { "" } else { "s" }
            ),
            None,
        ),
        EventKind::MovedToDeadLetter {
            copy,
            queue,
            dead_letter,
            receive_count,
            ..
        } => (
            "moved_to_dead_letter",
            vec![id(s, *queue), id(s, *dead_letter)],
            format!(
                "{it} moved from {} to {} (received {receive_count} times, the redrive policy's limit)",
                nm(*queue),
                nm(*dead_letter)
            ),
            Some(*copy),
        ),
        EventKind::Deduplicated { at, .. } => (
            "deduplicated",
            vec![id(s, *at)],
            format!(
                "{} took {it} as a duplicate (same deduplication id within 5 minutes): not stored",
                nm(*at)
            ),
            None,
        ),
        EventKind::RetentionExpired { queue, .. } => (
            "retention_expired",
            vec![id(s, *queue)],
            format!("{it} outlived {}'s retention period and was deleted", nm(*queue)),
            None,
        ),
        EventKind::Redriven { queue, count } => (
            "redriven",
            vec![id(s, *queue)],
            format!(
                "{count} message{} redriven from {} back to their source queues",
                if *count == 1 { "" } else { "s" },
                nm(*queue)
            ),
            None,
        ),
        EventKind::FannedOut {
            copy,
            topic,
            copies,
            filtered,
        } => (
            "fanned_out",
            std::iter::once(id(s, *topic))
                .chain(copies.iter().map(|(_, n)| id(s, *n)))
                .collect(),
            format!(
                "{} delivered {it} to {}{}",
                nm(*topic),
                if copies.is_empty() {
                    "no subscription".to_string()
                } else {
                    copies.iter().map(|(_, n)| nm(*n)).collect::<Vec<_>>().join(", ")
                },
                if *filtered > 0 {
                    format!(" ({filtered} filtered out)")
                } else {
                    String::new()
                }
            ),
            Some(*copy),
        ),
        EventKind::Pushed {
            copy, from, to, edge, ..
        } => (
            "pushed",
            vec![from.and_then(|f| id(s, f)), to.and_then(|t| id(s, t))],
            format!(
                "{} sent {it} down the pipe to {}{}",
                from.map_or_else(|| "a client".to_string(), nm),
                to.map_or_else(|| "?".to_string(), nm),
                s.edges
                    .get(edge.index())
                    .map(|e| format!(" ({})", e.kind.as_str()))
                    .unwrap_or_default()
            ),
            Some(*copy),
        ),
        EventKind::CallSent {
            copy,
            from,
            to,
            attempt,
            ..
        } => (
            "call_sent",
            vec![id(s, *from), id(s, *to)],
            if *attempt > 1 {
                format!("{} called {} again (attempt {attempt})", nm(*from), nm(*to))
            } else {
                format!("{} called {}", nm(*from), nm(*to))
            },
            Some(*copy),
        ),
        EventKind::CallEnded {
            from,
            to,
            attempt,
            result,
            ..
        } => (
            "call_ended",
            vec![id(s, *from), id(s, *to)],
            format!(
                "{}'s call to {} (attempt {attempt}): {}",
                nm(*from),
                nm(*to),
                match *result {
                    "ok" => "ok",
                    "error" => "error reply",
                    "timeout" => "timed out",
                    "rejected" => "refused, backlog full",
                    _ => "refused at once, circuit breaker open",
                }
            ),
            None,
        ),
        EventKind::ClientAcked { copy, queue } => (
            "client_acked",
            vec![id(s, *queue)],
            format!("the script acked {it} ({})", nm(*queue)),
            Some(*copy),
        ),
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
