//! Helpers shared by the native tests: a terse scenario builder and run helpers that
//! always check conservation.

#![allow(dead_code)]

use queue_playground::core::kernel::time::SimTime;
use queue_playground::core::model::events::{Event, EventKind};
use queue_playground::core::model::ids::NodeId;
use queue_playground::core::scenario::NodeSpec;
use queue_playground::core::scenario::{
    ConsumerSpec, Edge, EdgeKind, ExchangeSpec, ExchangeType, Node, NodeKind, ProducerSpec,
    QueueSpec, Scenario,
};
use queue_playground::core::Simulation;

/// Builds scenarios in a few lines.
pub struct Build {
    pub s: Scenario,
    edges: usize,
}

impl Build {
    pub fn new() -> Build {
        let mut s = Scenario::empty();
        s.latency_ms = 10.0;
        Build { s, edges: 0 }
    }

    pub fn latency(mut self, ms: f64) -> Build {
        self.s.latency_ms = ms;
        self
    }

    pub fn seed(mut self, seed: u64) -> Build {
        self.s.seed = seed;
        self
    }

    pub fn producer(mut self, id: &str, f: impl FnOnce(&mut ProducerSpec)) -> Build {
        let mut spec = ProducerSpec::default();
        f(&mut spec);
        let mut n = Node::new(id, NodeKind::Producer, id);
        n.spec = NodeSpec::Producer(spec);
        self.s.nodes.push(n);
        self
    }

    pub fn exchange(mut self, id: &str, name: &str, kind: ExchangeType) -> Build {
        let mut n = Node::new(id, NodeKind::Exchange, name);
        n.spec = NodeSpec::Exchange(ExchangeSpec {
            kind,
            ..Default::default()
        });
        self.s.nodes.push(n);
        self
    }

    pub fn queue(mut self, id: &str, f: impl FnOnce(&mut QueueSpec)) -> Build {
        let mut spec = QueueSpec::default();
        f(&mut spec);
        let mut n = Node::new(id, NodeKind::Queue, id);
        n.spec = NodeSpec::Queue(spec);
        self.s.nodes.push(n);
        self
    }

    pub fn consumer(mut self, id: &str, f: impl FnOnce(&mut ConsumerSpec)) -> Build {
        let mut spec = ConsumerSpec::default();
        f(&mut spec);
        let mut n = Node::new(id, NodeKind::Consumer, id);
        n.spec = NodeSpec::Consumer(spec);
        self.s.nodes.push(n);
        self
    }

    pub fn edge(mut self, from: &str, to: &str, kind: EdgeKind, key: Option<&str>) -> Build {
        self.edges += 1;
        let mut e = Edge::new(format!("e{}", self.edges), from, to, kind);
        e.routing_key = key.map(str::to_string);
        self.s.edges.push(e);
        self
    }

    pub fn publish(self, from: &str, to: &str) -> Build {
        self.edge(from, to, EdgeKind::Publish, None)
    }
    pub fn bind(self, from: &str, to: &str, key: &str) -> Build {
        self.edge(from, to, EdgeKind::Binding, Some(key))
    }
    pub fn subscribe(self, queue: &str, consumer: &str) -> Build {
        self.edge(queue, consumer, EdgeKind::Subscription, None)
    }
    pub fn dlx(self, queue: &str, exchange: &str, key: Option<&str>) -> Build {
        self.edge(queue, exchange, EdgeKind::DeadLetter, key)
    }

    pub fn done(self) -> Scenario {
        self.s
    }

    pub fn sim(self) -> Simulation {
        let mut sim = Simulation::new(&self.s).expect("valid scenario");
        sim.set_recording(true);
        sim
    }
}

/// Runs until `ms`, checking conservation every 100 steps and at the end; returns
/// every event.
pub fn run(sim: &mut Simulation, ms: f64) -> Vec<Event> {
    let until = SimTime::from_ms(ms);
    let mut events = Vec::new();
    let mut n = 0u64;
    while sim.next_event_time().is_some_and(|t| t <= until) {
        sim.step();
        n += 1;
        if n.is_multiple_of(100) {
            let c = sim.check_conservation();
            assert!(c.held, "conservation broken at step {n}: {:?}", c.problems);
        }
        events.extend(sim.drain_events());
    }
    sim.run_until(until);
    let c = sim.check_conservation();
    assert!(c.held, "conservation broken at the end: {:?}", c.problems);
    events
}

pub fn node(sim: &Simulation, id: &str) -> NodeId {
    sim.node_index(id).unwrap_or_else(|| panic!("no node {id}"))
}

/// Message ids of the ready messages of a queue, in delivery order.
pub fn ready_ids(sim: &Simulation, queue: &str) -> Vec<String> {
    sim.peek_queue(node(sim, queue))
        .into_iter()
        .map(|c| c.message_id)
        .collect()
}

pub fn queue_report(sim: &Simulation, id: &str) -> queue_playground::core::report::QueueReport {
    sim.report()
        .queues
        .get(id)
        .cloned()
        .unwrap_or_else(|| panic!("no queue {id}"))
}

pub fn consumer_report(
    sim: &Simulation,
    id: &str,
) -> queue_playground::core::report::ConsumerReport {
    sim.report()
        .consumers
        .get(id)
        .cloned()
        .unwrap_or_else(|| panic!("no consumer {id}"))
}

/// Count of events matching a predicate.
pub fn count(events: &[Event], f: impl Fn(&EventKind) -> bool) -> usize {
    events.iter().filter(|e| f(&e.kind)).count()
}
