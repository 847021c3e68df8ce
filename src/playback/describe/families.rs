//! Kafka's, SQS and SNS's, ZeroMQ's and synchronous calls' events in words.

use super::{id, name, Words};
use crate::core::model::events::EventKind;
use crate::core::model::ids::NodeId;
use crate::core::scenario::Scenario;

/// The words for an event of one of these systems (`it` names the message); an event of
/// another system gets none.
pub(super) fn words(kind: &EventKind, s: &Scenario, it: &str) -> Words {
    let nm = |n: NodeId| name(s, Some(n));
    match kind {
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
            redrive,
            ..
        } => (
            "moved_to_dead_letter",
            vec![id(s, *queue), id(s, *dead_letter)],
            if *redrive {
                format!(
                    "{it} redriven from {} back to {}",
                    nm(*queue),
                    nm(*dead_letter)
                )
            } else {
                format!(
                    "{it} moved from {} to {} (received {receive_count} times, the redrive policy's limit)",
                    nm(*queue),
                    nm(*dead_letter)
                )
            },
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
        _ => ("", vec![], String::new(), None),
    }
}
