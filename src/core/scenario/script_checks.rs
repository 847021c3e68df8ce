//! The checks of a scenario's script: each step's time in range, and the names, fields
//! and numbers of what it acts on (an exchange, queue, topic and group, SQS queue or SNS
//! topic that exists; FIFO fields where FIFO needs them). `validate` calls them.

use super::family_checks::sqs_named;
use super::script::{ScriptStep, MAX_STEP_MS};
use super::specs::{
    attribute_problem, internal_refusal, non_negative, too_many_attributes, MAX_ATTRIBUTES,
};
use super::{EdgeKind, NodeKind, NodeSpec, Scenario, MAX_DELAY_MS, MAX_VISIBILITY_MS, MAX_WAIT_MS};
use std::collections::HashSet;

/// Most messages one script `get` may take.
pub const MAX_GET: u32 = 10_000;

/// Checks every script step; `names` holds the (kind's noun, name) pairs the diagram's
/// nodes take. Problems go to `err` with their paths (`script[i].field`), in order.
pub(super) fn script_checks(
    s: &Scenario,
    names: &HashSet<(&str, &str)>,
    err: &mut dyn FnMut(String, String),
) {
    for (i, step) in s.script.iter().enumerate() {
        let at = |field: &str| format!("script[{i}].{field}");
        if !non_negative(step.at_ms()) {
            err(at("at_ms"), "must be a number ≥ 0".into());
        } else if step.at_ms() > MAX_STEP_MS {
            err(
                at("at_ms"),
                "must be at most 1,000,000,000,000 ms (about 31 years of simulated time)".into(),
            );
        }
        match step {
            ScriptStep::Publish {
                exchange,
                properties,
                ..
            } => {
                if let Some((name, problem)) =
                    crate::core::families::rabbit::routing::routing_header_problem(|k| {
                        properties.headers.get(k)
                    })
                {
                    err(at(&format!("properties.headers.{name}")), problem);
                }
                // The default exchange ("") always exists.
                if !exchange.is_empty() && !names.contains(&("exchange", exchange.as_str())) {
                    err(at("exchange"), format!("no exchange named `{exchange}`"));
                } else if s.nodes.iter().any(|n| {
                    n.name == *exchange && matches!(&n.spec, NodeSpec::Exchange(x) if x.internal)
                }) {
                    err(at("exchange"), internal_refusal(exchange));
                }
                if properties.delivery_mode.is_some_and(|m| m != 1 && m != 2) {
                    err(
                        at("properties.delivery_mode"),
                        "must be 1 (transient) or 2 (persistent)".into(),
                    );
                }
                if properties.expiration.is_some_and(|e| !non_negative(e)) {
                    err(at("properties.expiration"), "must be a number ≥ 0".into());
                } else if properties
                    .expiration
                    .is_some_and(|e| e > super::MAX_TTL_MS as f64)
                {
                    err(at("properties.expiration"), super::TTL_LIMIT.into());
                }
            }
            ScriptStep::Get { queue, count, .. } => {
                if !names.contains(&("queue", queue.as_str())) {
                    err(at("queue"), format!("no queue named `{queue}`"));
                }
                if !(1..=MAX_GET).contains(count) {
                    err(at("count"), format!("must be from 1 to {MAX_GET}"));
                }
            }
            ScriptStep::ResetOffsets {
                topic, group, to, ..
            } => {
                if let crate::core::scenario::OffsetTarget::TimeMs(t) = to {
                    if !non_negative(*t) {
                        err(at("to.time_ms"), "must be a number ≥ 0".into());
                    }
                }
                let topic_node = s
                    .nodes
                    .iter()
                    .find(|n| n.kind() == NodeKind::KafkaTopic && n.name == *topic);
                match topic_node {
                    None => err(at("topic"), format!("no topic named `{topic}`")),
                    Some(t) => {
                        let reads = s.edges.iter().any(|e| {
                            e.kind == EdgeKind::Consume
                                && e.from == t.id
                                && e.consume.as_ref().map_or("group", |c| c.group.as_str()) == group
                        });
                        if !reads {
                            err(
                                at("group"),
                                format!("no group `{group}` reads topic `{topic}`"),
                            );
                        }
                    }
                }
            }
            ScriptStep::Send {
                queue,
                body,
                group_id,
                dedup_id,
                delay_ms,
                attributes,
                ..
            } => {
                aws_message_checks(
                    (
                        "body",
                        body,
                        "SendMessage: a message has at least one character",
                    ),
                    attributes,
                    &mut |field: &str, m: String| err(at(field), m),
                );
                match sqs_named(s, queue) {
                    None => err(at("queue"), format!("no SQS queue named `{queue}`")),
                    Some(q) => {
                        if q.fifo && group_id.is_none() {
                            err(
                                at("group_id"),
                                format!("SQS queue `{queue}` is FIFO: a send needs a group_id"),
                            );
                        }
                        if q.fifo && dedup_id.is_none() && !q.content_based_dedup {
                            err(at("dedup_id"), format!("SQS queue `{queue}` is FIFO without content-based deduplication: a send needs a dedup_id"));
                        }
                        if q.fifo && delay_ms.is_some() {
                            err(
                                at("delay_ms"),
                                "a FIFO queue has no per-message delay (set the queue's delay_ms)"
                                    .into(),
                            );
                        }
                        if delay_ms.is_some_and(|d| !(0.0..=MAX_DELAY_MS).contains(&d)) {
                            err(
                                at("delay_ms"),
                                "must be between 0 and 900,000 (15 minutes)".into(),
                            );
                        }
                    }
                }
            }
            ScriptStep::Receive {
                queue,
                max,
                visibility_timeout_ms,
                wait_ms,
                ..
            } => {
                if sqs_named(s, queue).is_none() {
                    err(at("queue"), format!("no SQS queue named `{queue}`"));
                }
                if !(1..=10).contains(max) {
                    err(at("max"), "must be between 1 and 10".into());
                }
                if visibility_timeout_ms.is_some_and(|v| !(0.0..=MAX_VISIBILITY_MS).contains(&v)) {
                    err(
                        at("visibility_timeout_ms"),
                        "must be between 0 and 43,200,000 (12 hours)".into(),
                    );
                }
                if wait_ms.is_some_and(|v| !(0.0..=MAX_WAIT_MS).contains(&v)) {
                    err(
                        at("wait_ms"),
                        "must be between 0 and 20,000 (20 seconds)".into(),
                    );
                }
            }
            ScriptStep::RestartBroker { .. } => {}
            ScriptStep::Delete { queue, .. } => {
                if sqs_named(s, queue).is_none() {
                    err(at("queue"), format!("no SQS queue named `{queue}`"));
                }
            }
            ScriptStep::Redrive { queue, .. } => {
                let node = s
                    .nodes
                    .iter()
                    .find(|n| n.kind() == NodeKind::SqsQueue && n.name == *queue);
                match node {
                    None => err(at("queue"), format!("no SQS queue named `{queue}`")),
                    // StartMessageMoveTask takes only a dead-letter queue as its source
                    // (docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html).
                    Some(n)
                        if !s
                            .edges
                            .iter()
                            .any(|e| e.kind == EdgeKind::Redrive && e.to == n.id) =>
                    {
                        err(
                            at("queue"),
                            format!("`{queue}` is no queue's dead-letter queue: a redrive moves messages back from a dead-letter queue"),
                        )
                    }
                    Some(_) => {}
                }
            }
            ScriptStep::ChangeVisibility {
                queue, timeout_ms, ..
            } => {
                if sqs_named(s, queue).is_none() {
                    err(at("queue"), format!("no SQS queue named `{queue}`"));
                }
                if !(0.0..=MAX_VISIBILITY_MS).contains(timeout_ms) {
                    err(
                        at("timeout_ms"),
                        "must be between 0 and 43,200,000 (12 hours)".into(),
                    );
                }
            }
            ScriptStep::SnsPublish {
                topic,
                message,
                group_id,
                dedup_id,
                attributes,
                ..
            } => {
                aws_message_checks(
                    ("message", message, "SNS Publish refuses an empty message"),
                    attributes,
                    &mut |field: &str, m: String| err(at(field), m),
                );
                let found = s.nodes.iter().find_map(|n| match &n.spec {
                    NodeSpec::SnsTopic(t) if n.name == *topic => Some(t),
                    _ => None,
                });
                match found {
                    None => err(at("topic"), format!("no SNS topic named `{topic}`")),
                    Some(t) if t.fifo && group_id.is_none() => err(
                        at("group_id"),
                        format!("SNS topic `{topic}` is FIFO: a publish needs a group_id"),
                    ),
                    Some(t) if t.fifo && !t.content_based_dedup && dedup_id.is_none() => err(
                        at("dedup_id"),
                        format!("SNS topic `{topic}` is FIFO without content-based deduplication: a publish needs a dedup_id"),
                    ),
                    _ => {}
                }
            }
            ScriptStep::Produce {
                topic, partition, ..
            } => {
                let found = s.nodes.iter().find_map(|n| match &n.spec {
                    NodeSpec::KafkaTopic(t) if n.name == *topic => Some(t.partitions),
                    _ => None,
                });
                match (found, partition) {
                    (None, _) => err(at("topic"), format!("no topic named `{topic}`")),
                    (Some(n), Some(p)) if *p >= n => err(
                        at("partition"),
                        format!(
                            "is {p} but topic `{topic}` has partitions 0 to {}",
                            n.saturating_sub(1)
                        ),
                    ),
                    _ => {}
                }
            }
        }
    }
}

/// An SQS or SNS message as AWS takes it: its text (`field`, refused empty, with `why`)
/// and at most [`MAX_ATTRIBUTES`] attributes, each of a type AWS has. Problems go to
/// `err` by field (`body`, `attributes`, `attributes.x`).
fn aws_message_checks(
    (field, text, why): (&str, &str, &str),
    attributes: &serde_json::Map<String, serde_json::Value>,
    err: &mut dyn FnMut(&str, String),
) {
    for (name, value) in attributes {
        if let Some(problem) = attribute_problem(value) {
            err(&format!("attributes.{name}"), problem.into());
        }
    }
    if attributes.len() > MAX_ATTRIBUTES {
        err("attributes", too_many_attributes(attributes.len()));
    }
    if text.is_empty() {
        err(field, format!("must not be empty ({why})"));
    }
}
