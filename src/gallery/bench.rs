//! Benchmark topologies, shared by the native benchmark (`benches/core_throughput.rs`)
//! and the in-browser one (`qpBenchCore`): a 4-node chain and a 50-node topic/e2e/fanout
//! mesh, both pushing their messages through in a 10 s burst; a Kafka topic of 12
//! partitions read by a group of 4; and an SQS queue read by 4 workers (receives of up
//! to 10, long polling, delete after processing); and ZeroMQ pipes through a
//! round-robin device to 4 workers.

use crate::core::scenario::NodeSpec;
use crate::core::scenario::{
    Burst, CommitMode, ConsumeSpec, ConsumerSpec, Edge, EdgeKind, ExchangeSpec, ExchangeType,
    KafkaTopicSpec, Node, NodeKind, OffsetReset, Processing, ProducerSpec, PushSpec, ReceiveSpec,
    Scenario, SqsQueueSpec, Template,
};

fn producer(id: &str, count: u64, key: &str) -> Node {
    let mut n = Node::new(id, NodeKind::Producer, id);
    n.spec = NodeSpec::Producer(ProducerSpec {
        rate_per_sec: 0.0,
        bursts: vec![Burst {
            at_ms: 0.0,
            count,
            spread_ms: 10_000.0,
        }],
        routing_key: Template::new(key),
        message_id: Template::new("m"),
        payload: Template::new("payload"),
        ..ProducerSpec::default()
    });
    n
}

fn consumer(id: &str) -> Node {
    let mut n = Node::new(id, NodeKind::Consumer, id);
    n.spec = NodeSpec::Consumer(ConsumerSpec {
        prefetch: 0,
        processing: Processing::Fixed { ms: 0.001 },
        ..ConsumerSpec::default()
    });
    n
}

fn exchange(id: &str, kind: ExchangeType) -> Node {
    let mut n = Node::new(id, NodeKind::Exchange, id);
    n.spec = NodeSpec::Exchange(ExchangeSpec {
        kind,
        internal: false,
    });
    n
}

fn edge(i: &mut usize, from: &str, to: &str, kind: EdgeKind, key: Option<&str>) -> Edge {
    *i += 1;
    let mut e = Edge::new(format!("e{i}"), from, to, kind);
    e.routing_key = key.map(str::to_string);
    e
}

/// producer → direct exchange → queue → consumer, `messages` in a 10 s burst.
pub fn four_nodes(messages: u64) -> Scenario {
    let mut s = Scenario::empty();
    s.latency_ms = 0.01;
    s.nodes = vec![
        producer("p", messages, "work"),
        exchange("x", ExchangeType::Direct),
        Node::new("q", NodeKind::Queue, "q"),
        consumer("c"),
    ];
    let mut i = 0;
    s.edges = vec![
        edge(&mut i, "p", "x", EdgeKind::Publish, None),
        edge(&mut i, "x", "q", EdgeKind::Binding, Some("work")),
        edge(&mut i, "q", "c", EdgeKind::Subscription, None),
    ];
    s
}

/// 5 producers → 5 topic exchanges → (exchange-to-exchange) 1 fanout hub + 19 queues →
/// 20 consumers: 50 nodes.
pub fn fifty_nodes(messages_per_producer: u64) -> Scenario {
    let mut s = Scenario::empty();
    s.latency_ms = 0.01;
    let mut i = 0;
    for p in 0..5 {
        s.nodes.push(producer(
            &format!("p{p}"),
            messages_per_producer,
            &format!("region{p}.{{cycle:order|invoice|refund}}.created"),
        ));
        s.nodes
            .push(exchange(&format!("x{p}"), ExchangeType::Topic));
        s.edges.push(edge(
            &mut i,
            &format!("p{p}"),
            &format!("x{p}"),
            EdgeKind::Publish,
            None,
        ));
    }
    s.nodes.push(exchange("hub", ExchangeType::Fanout));
    for q in 0..19 {
        let qid = format!("q{q}");
        s.nodes
            .push(Node::new(qid.clone(), NodeKind::Queue, qid.clone()));
        s.nodes.push(consumer(&format!("c{q}")));
        s.edges.push(edge(
            &mut i,
            &qid,
            &format!("c{q}"),
            EdgeKind::Subscription,
            None,
        ));
        let x = format!("x{}", q % 5);
        let key = match q % 3 {
            0 => "*.order.*".to_string(),
            1 => "#.invoice.#".to_string(),
            _ => format!("region{}.#", q % 5),
        };
        s.edges
            .push(edge(&mut i, &x, &qid, EdgeKind::Binding, Some(&key)));
    }
    for p in 0..5 {
        s.edges.push(edge(
            &mut i,
            &format!("x{p}"),
            "hub",
            EdgeKind::Binding,
            Some("#.refund.#"),
        ));
    }
    s.nodes.push(consumer("c19"));
    s.edges
        .push(edge(&mut i, "hub", "q0", EdgeKind::Binding, None));
    s.edges
        .push(edge(&mut i, "q0", "c19", EdgeKind::Subscription, None));
    assert_eq!(s.nodes.len(), 50);
    s
}

/// producer → Kafka topic of 12 partitions → a group of 4 consumers, `records` keyed
/// records (murmur2 on every key) in a 10 s burst; commits after each record.
pub fn kafka_topic(records: u64) -> Scenario {
    let mut s = Scenario::empty();
    s.latency_ms = 0.01;
    let mut p = producer("p", records, "");
    if let NodeSpec::Producer(spec) = &mut p.spec {
        spec.key = Some(Template::new("key-{n}"));
    }
    let mut topic = Node::new("t", NodeKind::KafkaTopic, "t");
    topic.spec = NodeSpec::KafkaTopic(KafkaTopicSpec {
        partitions: 12,
        ..KafkaTopicSpec::default()
    });
    s.nodes = vec![p, topic];
    let mut i = 0;
    s.edges
        .push(edge(&mut i, "p", "t", EdgeKind::Produce, None));
    for c in 0..4 {
        let id = format!("c{c}");
        s.nodes.push(consumer(&id));
        let mut e = edge(&mut i, "t", &id, EdgeKind::Consume, None);
        e.consume = Some(ConsumeSpec {
            group: "bench".into(),
            commit: CommitMode::After,
            auto_offset_reset: OffsetReset::Earliest,
            ..ConsumeSpec::default()
        });
        s.edges.push(e);
    }
    s.version = s.lowest_version();
    s
}

/// producer → SQS queue → 4 workers receiving up to 10 with long polling and deleting
/// after processing, `messages` in a 10 s burst.
pub fn sqs_queue(messages: u64) -> Scenario {
    let mut s = Scenario::empty();
    s.latency_ms = 0.01;
    let mut q = Node::new("q", NodeKind::SqsQueue, "q");
    q.spec = NodeSpec::SqsQueue(SqsQueueSpec {
        receive_wait_ms: 20_000.0,
        ..SqsQueueSpec::default()
    });
    s.nodes = vec![producer("p", messages, ""), q];
    let mut i = 0;
    s.edges.push(edge(&mut i, "p", "q", EdgeKind::Send, None));
    for c in 0..4 {
        let id = format!("c{c}");
        s.nodes.push(consumer(&id));
        let mut e = edge(&mut i, "q", &id, EdgeKind::Receive, None);
        e.receive = Some(ReceiveSpec::default());
        s.edges.push(e);
    }
    s.version = s.lowest_version();
    s
}

/// producer → ZeroMQ device (round-robin) → 4 workers, every pipe with a high-water
/// mark of 1000 (the producer blocks when all are full), `messages` in a 10 s burst.
pub fn zmq_pipes(messages: u64) -> Scenario {
    let mut s = Scenario::empty();
    s.latency_ms = 0.01;
    s.nodes = vec![
        producer("p", messages, ""),
        Node::new("d", NodeKind::ZmqDevice, "d"),
    ];
    let mut i = 0;
    let push = |i: &mut usize, from: &str, to: &str| {
        let mut e = edge(i, from, to, EdgeKind::Push, None);
        e.push = Some(PushSpec::default());
        e
    };
    s.edges.push(push(&mut i, "p", "d"));
    for c in 0..4 {
        let id = format!("c{c}");
        s.nodes.push(consumer(&id));
        s.edges.push(push(&mut i, "d", &id));
    }
    s.version = s.lowest_version();
    s
}

/// client → front service → back service: `calls` requests in a 10 s burst, each
/// answered by the front service after its own call to the back one (64 workers each,
/// a large backlog, 1 s timeouts).
pub fn call_chain(calls: u64) -> Scenario {
    use crate::core::scenario::{CallSpec, ServiceSpec};
    let mut s = Scenario::empty();
    s.latency_ms = 0.01;
    let service = |id: &str| {
        let mut n = Node::new(id, NodeKind::Service, id);
        n.spec = NodeSpec::Service(ServiceSpec {
            workers: 64,
            backlog: 10_000,
            processing: Processing::Fixed { ms: 0.001 },
            ..ServiceSpec::default()
        });
        n
    };
    s.nodes = vec![
        producer("client", calls, ""),
        service("front"),
        service("back"),
    ];
    let mut i = 0;
    for (from, to) in [("client", "front"), ("front", "back")] {
        let mut e = edge(&mut i, from, to, EdgeKind::Call, None);
        e.call = Some(CallSpec::default());
        s.edges.push(e);
    }
    s.version = s.lowest_version();
    s
}
