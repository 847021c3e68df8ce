//! Why a pair of kinds may not be joined, in plain words, for the pairs people try
//! (read with the [`super::WIRING`] table by validation and the editor).

use crate::core::scenario::{EdgeKind, NodeKind};

/// Why a pair of kinds cannot be joined, for the pairs people try.
pub struct Refusal {
    /// Source kind (`None`: any).
    pub from: Option<NodeKind>,
    /// Target kind.
    pub to: NodeKind,
    /// The reason, in plain words.
    pub hint: &'static str,
}

/// Hints for refused pairs, most specific first.
pub const REFUSALS: [Refusal; 14] = [
    Refusal {
        from: Some(NodeKind::Producer),
        to: NodeKind::Queue,
        hint: "a producer publishes to an exchange, not straight to a queue (use an exchange named \"\" for the default exchange)",
    },
    Refusal {
        from: Some(NodeKind::Queue),
        to: NodeKind::Queue,
        hint: "queues do not feed queues: route through an exchange",
    },
    Refusal {
        from: Some(NodeKind::Consumer),
        to: NodeKind::Queue,
        hint: "a consumer publishes to an exchange, not to a queue",
    },
    Refusal {
        from: Some(NodeKind::Exchange),
        to: NodeKind::Consumer,
        hint: "an exchange delivers to queues; consumers subscribe to a queue",
    },
    Refusal {
        from: Some(NodeKind::Exchange),
        to: NodeKind::KafkaTopic,
        hint: "a RabbitMQ exchange cannot route into a Kafka topic: let a consumer read the queue and produce to the topic",
    },
    Refusal {
        from: Some(NodeKind::Queue),
        to: NodeKind::KafkaTopic,
        hint: "a queue cannot feed a Kafka topic: let a consumer read the queue and produce to the topic",
    },
    Refusal {
        from: Some(NodeKind::KafkaTopic),
        to: NodeKind::KafkaTopic,
        hint: "topics do not feed topics: a consumer reads one and produces to the other",
    },
    Refusal {
        from: Some(NodeKind::KafkaTopic),
        to: NodeKind::Queue,
        hint: "a Kafka topic is read by consumers: connect it to a consumer (which may publish on to an exchange)",
    },
    Refusal {
        from: Some(NodeKind::KafkaTopic),
        to: NodeKind::Exchange,
        hint: "a Kafka topic is read by consumers: connect it to a consumer (which may publish on to an exchange)",
    },
    Refusal {
        from: Some(NodeKind::SqsQueue),
        to: NodeKind::Exchange,
        hint: "an SQS queue is read by workers: connect it to a consumer (which may publish on)",
    },
    Refusal {
        from: Some(NodeKind::SnsTopic),
        to: NodeKind::SnsTopic,
        hint: "an SNS topic delivers to SQS queues and workers, not to another topic",
    },
    Refusal {
        from: Some(NodeKind::Exchange),
        to: NodeKind::SqsQueue,
        hint: "a RabbitMQ exchange cannot route into SQS: let a consumer read the queue and send on",
    },
    Refusal {
        from: Some(NodeKind::SqsQueue),
        to: NodeKind::SnsTopic,
        hint: "an SQS queue does not publish: let a consumer receive from it and publish to the topic",
    },
    Refusal {
        from: None,
        to: NodeKind::Producer,
        hint: "nothing can send to a producer",
    },
];

/// Why `edge` may not go from `from` to `to`, in plain words.
pub fn refusal(from: NodeKind, to: NodeKind, edge: EdgeKind) -> String {
    REFUSALS
        .iter()
        .find(|r| r.to == to && r.from.is_none_or(|f| f == from))
        .map(|r| r.hint.to_string())
        .unwrap_or_else(|| {
            format!(
                "a {} edge cannot go from a {} to a {}",
                edge.as_str(),
                from.as_str(),
                to.as_str()
            )
        })
}
