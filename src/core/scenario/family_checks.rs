//! The validation rules of the systems that connect in more than pairs: AWS's edges
//! (section ranges, FIFO on both ends of a redrive or a subscription, a producer's
//! group id for a FIFO target) and ZeroMQ's sockets (one per node, a piped worker's
//! only source, least-recently-used outputs). `validate` calls them.

use super::{EdgeKind, NodeKind, NodeSpec, Problems, Scenario, SqsQueueSpec};

/// ZeroMQ's rules (libzmq `zmq_socket`): a node sends through one socket, so a
/// producer's PUSH or PUB pipes are its only target and are not mixed; a worker fed by
/// pipes reads nothing else; a least-recently-used device hands work only to workers
/// (they say when they are ready); and each pipe's settings are in range.
pub(super) fn zmq_checks(s: &Scenario, err: &mut dyn FnMut(String, String)) {
    for (i, e) in s.edges.iter().enumerate() {
        let mut problems = Problems::default();
        match e.kind {
            EdgeKind::Push => e.push.clone().unwrap_or_default().check(&mut problems),
            EdgeKind::Pub => e.pub_pipe.clone().unwrap_or_default().check(&mut problems),
            _ => {}
        }
        for (field, message) in problems.0 {
            err(format!("edges[{i}].{field}"), message);
        }
    }
    for (n, node) in s.nodes.iter().enumerate() {
        let out: Vec<(usize, EdgeKind)> = s
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.from == node.id)
            .map(|(i, e)| (i, e.kind))
            .collect();
        let pipes_out = out
            .iter()
            .filter(|(_, k)| matches!(k, EdgeKind::Push | EdgeKind::Pub))
            .count();
        match node.kind() {
            NodeKind::Producer if pipes_out > 0 => {
                if let Some((i, _)) = out.iter().find(|(_, k)| {
                    matches!(k, EdgeKind::Publish | EdgeKind::Produce | EdgeKind::Send)
                }) {
                    err(
                        format!("edges[{i}].kind"),
                        format!("`{}` sends through ZeroMQ pipes: a producer has one target (remove its pipes or this edge)", shown(node)),
                    );
                }
            }
            NodeKind::ZmqDevice
                if node.zmq_device_spec().mode == super::DeviceMode::LeastRecentlyUsed =>
            {
                for (i, e) in s.edges.iter().enumerate() {
                    if e.from == node.id
                        && s.node(&e.to).is_some_and(|t| {
                            !matches!(t.kind(), NodeKind::Consumer | NodeKind::Service)
                        })
                    {
                        err(
                            format!("edges[{i}].to"),
                            "a least-recently-used device hands work to workers (consumers), which say when they are ready".into(),
                        );
                    }
                }
            }
            _ => {}
        }
        let push_out = out.iter().any(|(_, k)| *k == EdgeKind::Push);
        let pub_out = out.iter().any(|(_, k)| *k == EdgeKind::Pub);
        if push_out && pub_out {
            let (i, _) = out
                .iter()
                .find(|(_, k)| *k == EdgeKind::Pub)
                .expect("a pub edge");
            err(
                format!("edges[{i}].kind"),
                format!(
                    "`{}` already pushes: one node sends through one socket, PUSH or PUB, not both",
                    shown(node)
                ),
            );
        }
        if matches!(node.kind(), NodeKind::Consumer | NodeKind::Service) {
            let piped = s
                .edges
                .iter()
                .any(|e| e.to == node.id && matches!(e.kind, EdgeKind::Push | EdgeKind::Pub));
            let other = s.edges.iter().position(|e| {
                e.to == node.id
                    && matches!(
                        e.kind,
                        EdgeKind::Subscription
                            | EdgeKind::Consume
                            | EdgeKind::Receive
                            | EdgeKind::Subscribe
                    )
            });
            if let (true, Some(i)) = (piped, other) {
                err(
                    format!("edges[{i}].to"),
                    format!(
                        "consumer `{}` reads ZeroMQ pipes: a worker reads one kind of source",
                        node.id
                    ),
                );
            }
        }
        let _ = n;
    }
}

/// Synchronous calls' rules: each call edge's settings are in range, and a producer
/// that calls has no other target (it sends requests, one place).
pub(super) fn rpc_checks(s: &Scenario, err: &mut dyn FnMut(String, String)) {
    for (i, e) in s.edges.iter().enumerate() {
        if e.kind != EdgeKind::Call {
            continue;
        }
        let mut problems = Problems::default();
        let spec = e.call.clone().unwrap_or_default();
        spec.check(&mut problems);
        for (field, message) in problems.0 {
            err(format!("edges[{i}].{field}"), message);
        }
        if let Some(undoes) = &spec.compensates {
            let forward = s.edges.iter().any(|f| {
                f.id == *undoes
                    && f.kind == EdgeKind::Call
                    && f.from == e.from
                    && f.call.as_ref().is_none_or(|c| c.compensates.is_none())
            });
            if !forward {
                err(
                    format!("edges[{i}].call.compensates"),
                    format!("`{undoes}` is not a call edge of `{}` to compensate (name one of its own calls that is not itself a compensation)", s.node(&e.from).map_or(e.from.as_str(), shown)),
                );
            } else if s
                .nodes
                .iter()
                .any(|n| n.id == e.from && n.kind() == NodeKind::Producer)
            {
                err(
                    format!("edges[{i}].call.compensates"),
                    "a producer makes one call; compensating calls belong to a service or consumer that makes several".into(),
                );
            }
        }
    }
    for node in s.nodes.iter().filter(|n| n.kind() == NodeKind::Producer) {
        let calls = s
            .edges
            .iter()
            .any(|e| e.from == node.id && e.kind == EdgeKind::Call);
        if !calls {
            continue;
        }
        if let Some(i) = s
            .edges
            .iter()
            .position(|e| e.from == node.id && matches!(e.kind, EdgeKind::Push | EdgeKind::Pub))
        {
            err(
                format!("edges[{i}].kind"),
                format!("`{}` calls a service: a producer has one target (remove its call or this edge)", shown(node)),
            );
        }
    }
}

/// The settings of the SQS queue named `name`.
pub(super) fn sqs_named<'a>(s: &'a Scenario, name: &str) -> Option<&'a SqsQueueSpec> {
    s.nodes.iter().find_map(|n| match &n.spec {
        NodeSpec::SqsQueue(q) if n.name == name => Some(q),
        _ => None,
    })
}

/// The checks of AWS's edges: their sections' ranges, a redrive policy's queues both
/// FIFO or both standard (SQS developer guide, "Using dead-letter queues": the
/// dead-letter queue of a FIFO queue must also be a FIFO queue), an SNS subscription
/// joining topics and queues of the same type (SNS developer guide, "Message
/// ordering": a FIFO topic delivers to FIFO queues; a standard topic cannot deliver
/// to a FIFO queue), and a producer sending to a FIFO queue or topic with a group id.
pub(super) fn aws_edge_checks(
    edge: &super::Edge,
    from: &super::Node,
    to: &super::Node,
    err: &mut dyn FnMut(&str, String),
) {
    let mut problems = Problems::default();
    match edge.kind {
        EdgeKind::Receive => edge
            .receive
            .clone()
            .unwrap_or_default()
            .check(&mut problems),
        EdgeKind::Redrive => {
            edge.redrive
                .clone()
                .unwrap_or_default()
                .check(&mut problems);
            if from.id == to.id {
                err("to", "a queue cannot be its own dead-letter queue".into());
            }
            if from.sqs_queue_spec().fifo != to.sqs_queue_spec().fifo {
                err("to", "a FIFO queue's dead-letter queue must be FIFO, and a standard queue's standard".into());
            }
        }
        EdgeKind::Subscribe => {
            edge.subscribe
                .clone()
                .unwrap_or_default()
                .check(&mut problems);
            if let NodeSpec::SqsQueue(q) = &to.spec {
                let topic_fifo = from.sns_topic_spec().fifo;
                if topic_fifo != q.fifo {
                    err(
                        "to",
                        if topic_fifo {
                            "a FIFO SNS topic delivers only to FIFO SQS queues".into()
                        } else {
                            "a standard SNS topic cannot deliver to a FIFO SQS queue".into()
                        },
                    );
                }
            }
        }
        EdgeKind::Send => {
            // SendMessage: "The minimum size is one character"; SNS Publish refuses an
            // empty message too.
            if let NodeSpec::Producer(p) = &from.spec {
                if p.payload.as_str().is_empty() {
                    err(
                        "to",
                        format!(
                            "producer `{}` sends an empty payload, which AWS refuses (a message has at least one character)",
                            from.name
                        ),
                    );
                }
            }
            let fifo = match &to.spec {
                NodeSpec::SqsQueue(q) => q.fifo,
                NodeSpec::SnsTopic(t) => t.fifo,
                _ => false,
            };
            if let (true, NodeSpec::Producer(p)) = (fifo, &from.spec) {
                if p.group_id.is_none() {
                    err(
                        "to",
                        format!(
                            "`{}` is FIFO: producer `{}` needs a group_id template",
                            to.name, from.name
                        ),
                    );
                }
                let content = match &to.spec {
                    NodeSpec::SqsQueue(q) => q.content_based_dedup,
                    NodeSpec::SnsTopic(t) => t.content_based_dedup,
                    _ => true,
                };
                if p.dedup_id.is_none() && !content {
                    err("to", format!("`{}` is FIFO without content-based deduplication: producer `{}` needs a dedup_id template", to.name, from.name));
                }
            }
        }
        _ => {}
    }
    for (field, message) in problems.0 {
        err(&field, message);
    }
}

/// A node as messages name it: by the name the user sees, else (none given) its id.
fn shown(node: &super::Node) -> &str {
    if node.name.is_empty() {
        &node.id
    } else {
        &node.name
    }
}
