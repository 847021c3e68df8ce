//! `KINDS`: one row per node kind — what the palette, the canvas, the editor's defaults
//! and the scenario reader need to know about it (label, icon, size, name base, the
//! messaging system it belongs to, the scenario version that introduced it). Adding a
//! kind adds a row here; nothing else lists the kinds.

use crate::core::scenario::{
    ConsumerSpec, ExchangeSpec, ExchangeType, KafkaTopicSpec, NodeKind, NodeSpec, Processing,
    ProducerSpec, QueueSpec, ServiceSpec, SnsTopicSpec, SqsQueueSpec, Template, ZmqDeviceSpec,
};

/// The messaging system a kind belongs to (the palette groups by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Producers and consumers: shared by every system.
    Actors,
    /// RabbitMQ: exchanges and queues.
    Rabbit,
    /// Kafka: topics of partitioned logs.
    Kafka,
    /// AWS: SQS queues and SNS topics.
    Aws,
    /// ZeroMQ: pipes between peers, and devices.
    Zmq,
    /// Services that call each other synchronously.
    Services,
}

impl Family {
    /// Heading of the family's palette group.
    pub fn label(self) -> &'static str {
        match self {
            Family::Actors => "Clients",
            Family::Rabbit => "RabbitMQ",
            Family::Kafka => "Kafka",
            Family::Aws => "AWS",
            Family::Zmq => "ZeroMQ",
            Family::Services => "Services",
        }
    }
}

/// How the names of a kind's nodes are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Names {
    /// Any label; several nodes may share it.
    Free,
    /// A broker name: no two nodes of the kind share it.
    Unique {
        /// What the kind is called in messages ("another queue is named …").
        noun: &'static str,
        /// Whether the empty name is refused ("a queue needs a name").
        required: bool,
    },
}

/// What is known about one node kind.
#[derive(Clone, Copy, Debug)]
pub struct KindInfo {
    /// The kind.
    pub kind: NodeKind,
    /// Label: the palette button's accessible name.
    pub label: &'static str,
    /// Icon shown on the palette button and the node.
    pub icon: &'static str,
    /// What it does, in a few words (palette tooltip).
    pub blurb: &'static str,
    /// Width and height on the canvas, in world units.
    pub size: (f64, f64),
    /// Base of new nodes' names (`queue` → `queue-3`).
    pub name_base: &'static str,
    /// The system it belongs to.
    pub family: Family,
    /// Scenario format version that introduced it.
    pub since_version: u32,
    /// How its names are checked.
    pub names: Names,
    /// Settings of a node added in the editor: chosen so a live demo works at once.
    pub new_spec: fn() -> NodeSpec,
}

fn new_producer() -> NodeSpec {
    NodeSpec::Producer(ProducerSpec {
        rate_per_sec: 2.0,
        routing_key: Template::new("task"),
        ..ProducerSpec::default()
    })
}

fn new_exchange() -> NodeSpec {
    NodeSpec::Exchange(ExchangeSpec {
        kind: ExchangeType::Direct,
        internal: false,
    })
}

fn new_queue() -> NodeSpec {
    NodeSpec::Queue(QueueSpec::default())
}

fn new_consumer() -> NodeSpec {
    NodeSpec::Consumer(ConsumerSpec {
        prefetch: 1,
        processing: Processing::Fixed { ms: 400.0 },
        ..ConsumerSpec::default()
    })
}

/// Every node kind, in palette order.
pub const KINDS: [KindInfo; 9] = [
    KindInfo {
        kind: NodeKind::Producer,
        label: "Producer",
        icon: "\u{25B6}",
        blurb: "publishes messages",
        size: (150.0, 56.0),
        name_base: "producer",
        family: Family::Actors,
        since_version: 1,
        names: Names::Free,
        new_spec: new_producer,
    },
    KindInfo {
        kind: NodeKind::Exchange,
        label: "Exchange",
        icon: "\u{21C4}",
        blurb: "routes to queues",
        size: (150.0, 64.0),
        name_base: "exchange",
        family: Family::Rabbit,
        since_version: 1,
        names: Names::Unique {
            noun: "exchange",
            required: false,
        },
        new_spec: new_exchange,
    },
    KindInfo {
        kind: NodeKind::Queue,
        label: "Queue",
        icon: "\u{2630}",
        blurb: "stores messages",
        size: (190.0, 64.0),
        name_base: "queue",
        family: Family::Rabbit,
        since_version: 1,
        names: Names::Unique {
            noun: "queue",
            required: true,
        },
        new_spec: new_queue,
    },
    KindInfo {
        kind: NodeKind::Consumer,
        label: "Consumer",
        icon: "\u{2699}",
        blurb: "processes and acks",
        size: (180.0, 56.0),
        name_base: "consumer",
        family: Family::Actors,
        since_version: 1,
        names: Names::Free,
        new_spec: new_consumer,
    },
    KindInfo {
        kind: NodeKind::KafkaTopic,
        label: "Kafka topic",
        icon: "\u{2261}",
        blurb: "partitioned log, read by groups",
        size: (200.0, 84.0),
        name_base: "topic",
        family: Family::Kafka,
        since_version: 2,
        names: Names::Unique {
            noun: "topic",
            required: true,
        },
        new_spec: new_topic,
    },
    KindInfo {
        kind: NodeKind::SqsQueue,
        label: "SQS queue",
        icon: "\u{2709}",
        blurb: "visible, in flight, delayed; receive and delete",
        size: (190.0, 76.0),
        name_base: "sqs-queue",
        family: Family::Aws,
        since_version: 2,
        names: Names::Unique {
            noun: "SQS queue",
            required: true,
        },
        new_spec: new_sqs_queue,
    },
    KindInfo {
        kind: NodeKind::SnsTopic,
        label: "SNS topic",
        icon: "\u{2732}",
        blurb: "fans out to subscriptions, with filter policies",
        size: (160.0, 60.0),
        name_base: "sns-topic",
        family: Family::Aws,
        since_version: 2,
        names: Names::Unique {
            noun: "SNS topic",
            required: true,
        },
        new_spec: new_sns_topic,
    },
    KindInfo {
        kind: NodeKind::ZmqDevice,
        label: "ZeroMQ device",
        icon: "\u{21C9}",
        blurb: "distributor: round-robin or least-recently-used",
        size: (180.0, 60.0),
        name_base: "zmq-device",
        family: Family::Zmq,
        since_version: 2,
        names: Names::Free,
        new_spec: new_zmq_device,
    },
    KindInfo {
        kind: NodeKind::Service,
        label: "Service",
        icon: "\u{25C8}",
        blurb: "answers calls with several workers and a backlog",
        size: (190.0, 74.0),
        name_base: "service",
        family: Family::Services,
        since_version: 2,
        names: Names::Free,
        new_spec: new_service,
    },
];

fn new_service() -> NodeSpec {
    NodeSpec::Service(ServiceSpec::default())
}

fn new_zmq_device() -> NodeSpec {
    NodeSpec::ZmqDevice(ZmqDeviceSpec::default())
}

/// A new SQS queue: a visibility timeout short enough to watch expire.
fn new_sqs_queue() -> NodeSpec {
    NodeSpec::SqsQueue(SqsQueueSpec {
        visibility_timeout_ms: 5_000.0,
        ..SqsQueueSpec::default()
    })
}

fn new_sns_topic() -> NodeSpec {
    NodeSpec::SnsTopic(SnsTopicSpec::default())
}

fn new_topic() -> NodeSpec {
    NodeSpec::KafkaTopic(KafkaTopicSpec {
        partitions: 3,
        ..KafkaTopicSpec::default()
    })
}

/// The row of `kind` (rows are in the order of [`NodeKind`]'s variants; a test checks).
pub fn kind_info(kind: NodeKind) -> &'static KindInfo {
    &KINDS[kind as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_row() {
        for kind in NodeKind::ALL {
            assert_eq!(KINDS.iter().filter(|k| k.kind == kind).count(), 1);
            assert_eq!(kind_info(kind).kind, kind);
            assert!(kind.as_str().contains(kind_info(kind).name_base));
            assert_eq!((kind_info(kind).new_spec)().kind(), kind);
        }
    }
}
