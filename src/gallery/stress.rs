//! The `stress` pattern: a 50-node diagram that keeps about 10,000 messages in flight
//! (10 producers at 170 msg/s into fanout exchanges that feed 15 queues, 1.5 s per
//! hop), for measuring the animation.

use crate::core::scenario::NodeSpec;
use crate::core::scenario::{
    ConsumerSpec, Edge, EdgeKind, ExchangeSpec, ExchangeType, Node, NodeKind, Processing,
    ProducerSpec, Scenario, Template,
};

/// Builds the stress scenario.
pub fn scenario() -> Scenario {
    let mut s = Scenario::empty();
    s.name = "Stress: 10,000 messages in flight".into();
    s.description = "Ten producers at 170 messages per second each, fanned out to fifteen queues, with 1.5 s per hop: about 10,000 messages are on the wires at any moment.".into();
    s.seed = 1;
    s.latency_ms = 1500.0;
    let mut edge = 0;
    let mut link = |s: &mut Scenario, from: String, to: String, kind: EdgeKind| {
        edge += 1;
        s.edges.push(Edge::new(format!("e{edge}"), from, to, kind));
    };
    for i in 0..10 {
        let mut p = Node::new(format!("p{i}"), NodeKind::Producer, format!("producer-{i}"));
        (p.x, p.y) = (40.0, 40.0 + i as f64 * 100.0);
        p.spec = NodeSpec::Producer(ProducerSpec {
            rate_per_sec: 170.0,
            routing_key: Template::new("load"),
            message_id: Template::new("{producer}-{n}"),
            ..ProducerSpec::default()
        });
        s.nodes.push(p);
        let mut x = Node::new(format!("x{i}"), NodeKind::Exchange, format!("fanout-{i}"));
        (x.x, x.y) = (340.0, 40.0 + i as f64 * 100.0);
        x.spec = NodeSpec::Exchange(ExchangeSpec {
            kind: ExchangeType::Fanout,
        });
        s.nodes.push(x);
        link(&mut s, format!("p{i}"), format!("x{i}"), EdgeKind::Publish);
    }
    for q in 0..15 {
        let mut n = Node::new(format!("q{q}"), NodeKind::Queue, format!("queue-{q}"));
        (n.x, n.y) = (660.0, 20.0 + q as f64 * 66.0);
        s.nodes.push(n);
        let mut c = Node::new(format!("c{q}"), NodeKind::Consumer, format!("worker-{q}"));
        (c.x, c.y) = (960.0, 20.0 + q as f64 * 66.0);
        c.spec = NodeSpec::Consumer(ConsumerSpec {
            prefetch: 0,
            processing: Processing::Fixed { ms: 2.0 },
            ..ConsumerSpec::default()
        });
        s.nodes.push(c);
        link(
            &mut s,
            format!("q{q}"),
            format!("c{q}"),
            EdgeKind::Subscription,
        );
    }
    // Each exchange feeds one or two queues: 15 bindings in all.
    for q in 0..15 {
        link(
            &mut s,
            format!("x{}", q % 10),
            format!("q{q}"),
            EdgeKind::Binding,
        );
    }
    s
}
