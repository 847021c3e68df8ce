//! The `stress` pattern: a 50-node diagram that keeps about 10,000 messages in flight
//! (10 producers at 170 msg/s into fanout exchanges that feed 15 queues, 1.5 s per
//! hop), for measuring the animation; `?pattern=stress&n=N` scales it to about N, and
//! its name and description say so.

use crate::core::scenario::NodeSpec;
use crate::core::scenario::{
    ConsumerSpec, Edge, EdgeKind, ExchangeSpec, ExchangeType, Node, NodeKind, Processing,
    ProducerSpec, Scenario, Template,
};

/// Messages in flight of the standard stress diagram.
pub const STANDARD_IN_FLIGHT: u64 = 10_000;

pub use crate::core::report::thousands;

/// The diagram's name at a size: `Stress: 50,000 messages in flight` (at the standard
/// size, the gallery's title).
pub fn name(in_flight: u64) -> String {
    format!("Stress: {} messages in flight", thousands(in_flight))
}

/// Whether `name` is the stress diagram's name at some size it can be scaled to.
pub fn is_name(name: &str) -> bool {
    name.strip_prefix("Stress: ")
        .and_then(|rest| rest.strip_suffix(" messages in flight"))
        .and_then(|n| n.replace(',', "").parse::<u64>().ok())
        .is_some_and(|n| (100..=200_000).contains(&n) && name == self::name(n))
}

/// Builds the stress scenario.
pub fn scenario() -> Scenario {
    scaled(STANDARD_IN_FLIGHT)
}

/// The stress diagram scaled to about `in_flight` messages on the wires (100 to
/// 200,000): the producers' rates scale, everything else stays (`?pattern=stress&n=N`).
pub fn scaled(in_flight: u64) -> Scenario {
    let in_flight = in_flight.clamp(100, 200_000);
    let rate = 170.0 * in_flight as f64 / STANDARD_IN_FLIGHT as f64;
    let mut s = Scenario::empty();
    let about = thousands(in_flight);
    // The name and the description give the size (the app finds the pattern's About
    // text by the name: `Pattern::describes`).
    s.name = name(in_flight);
    s.description = format!("Ten producers at {} messages per second each, fanned out to fifteen queues, with 1.5 s per hop: about {about} messages are on the wires at any moment.", thousands(rate.round() as u64));
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
            rate_per_sec: rate,
            routing_key: Template::new("load"),
            message_id: Template::new("{producer}-{n}"),
            ..ProducerSpec::default()
        });
        s.nodes.push(p);
        let mut x = Node::new(format!("x{i}"), NodeKind::Exchange, format!("fanout-{i}"));
        (x.x, x.y) = (340.0, 40.0 + i as f64 * 100.0);
        x.spec = NodeSpec::Exchange(ExchangeSpec {
            kind: ExchangeType::Fanout,
            internal: false,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::kernel::time::SimTime;
    use crate::core::Simulation;

    fn in_flight(s: &Scenario) -> u64 {
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(SimTime::from_ms(10_000.0));
        sim.totals().in_flight
    }

    #[test]
    fn scaling_keeps_the_diagram_and_scales_what_is_in_flight() {
        let standard = scenario();
        let double = scaled(20_000);
        assert_eq!(standard.nodes.len(), double.nodes.len());
        assert_eq!(standard.edges, double.edges);
        let (a, b) = (in_flight(&standard), in_flight(&double));
        assert!((6_000..=14_000).contains(&a), "standard: {a} in flight");
        let ratio = b as f64 / a as f64;
        assert!((1.9..=2.1).contains(&ratio), "{b} vs {a}");
        assert_eq!(
            scaled(1).nodes.len(),
            standard.nodes.len(),
            "clamped, still the diagram"
        );
    }

    #[test]
    fn its_name_and_text_say_how_many() {
        let standard = scenario();
        assert!(standard.description.contains("170 messages per second"));
        assert!(standard.description.contains("about 10,000 messages"));
        let big = scaled(50_000);
        assert_eq!(standard.name, "Stress: 10,000 messages in flight");
        assert_eq!(big.name, "Stress: 50,000 messages in flight");
        assert!(is_name(&big.name) && is_name(&standard.name));
        assert!(!is_name("Stress: 50 messages in flight"), "below the range");
        assert!(
            !is_name("Stress: 5000 messages in flight"),
            "not as the app writes it"
        );
        assert!(!is_name("Work queue"));
        assert!(big.description.contains("850 messages per second"));
        assert!(big.description.contains("about 50,000 messages"));
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
