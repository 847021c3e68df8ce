//! "Add a producer and a consumer": a diagram without producers (an imported
//! definitions.json has none) gets one publishing to the first exchange that has a
//! binding to a queue, with a routing key (or headers) that binding matches, and a
//! consumer subscribed to that queue — so Play shows messages at once. One undo step.

use super::geometry::{free_spot, node_size};
use super::{defaults, Editor};
use crate::core::scenario::{EdgeKind, ExchangeType, NodeKind, NodeSpec, ProducerSpec, Template};

/// A routing key a binding key matches: topic wildcards become plain words (`*` one
/// word, `#` none).
pub fn key_matching(binding_key: &str) -> String {
    binding_key
        .split('.')
        .filter(|w| *w != "#")
        .map(|w| if w == "*" { "any" } else { w })
        .collect::<Vec<_>>()
        .join(".")
}

impl Editor {
    /// Adds a producer and a consumer around the first exchange → queue binding.
    pub(super) fn add_clients(&mut self) {
        let s = &self.scenario;
        let binding = s.edges.iter().find(|e| {
            e.kind == EdgeKind::Binding
                && s.node(&e.to).is_some_and(|n| n.kind() == NodeKind::Queue)
                && s.node(&e.from).is_some_and(|n| !n.name.is_empty())
        });
        let Some(binding) = binding.cloned() else {
            return self.refuse(
                "No binding from an exchange to a queue to feed: connect an exchange to a queue first.",
            );
        };
        let (Some(x), Some(q)) = (s.node(&binding.from).cloned(), s.node(&binding.to).cloned())
        else {
            return;
        };
        let mut producer = defaults::new_node(s, NodeKind::Producer, 0.0, 0.0);
        let (pw, ph) = node_size(NodeKind::Producer);
        let (cx, cy) = free_spot(s, pw, ph, x.x - 120.0 - pw / 2.0, x.y + 28.0);
        producer.x = cx - pw / 2.0;
        producer.y = cy - ph / 2.0;
        let mut spec = ProducerSpec {
            rate_per_sec: 2.0,
            ..ProducerSpec::default()
        };
        match x.exchange_spec().kind {
            ExchangeType::Headers => {
                spec.headers = binding
                    .arguments
                    .iter()
                    .filter(|(k, _)| !k.starts_with("x-"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
            }
            _ => {
                spec.routing_key =
                    Template::new(key_matching(binding.routing_key.as_deref().unwrap_or("")))
            }
        }
        producer.spec = NodeSpec::Producer(spec);
        let mut next = (*self.scenario).clone();
        next.nodes.push(producer.clone());
        let publish = defaults::new_edge(&next, &producer.id, &x.id, EdgeKind::Publish);
        next.edges.push(publish);
        let mut consumer = defaults::new_node(&next, NodeKind::Consumer, 0.0, 0.0);
        let (cw, ch) = node_size(NodeKind::Consumer);
        let (qx, qy) = free_spot(&next, cw, ch, q.x + 280.0 + cw / 2.0, q.y + 28.0);
        consumer.x = qx - cw / 2.0;
        consumer.y = qy - ch / 2.0;
        next.nodes.push(consumer.clone());
        let subscription = defaults::new_edge(&next, &q.id, &consumer.id, EdgeKind::Subscription);
        next.edges.push(subscription);
        *self.edit() = next;
        self.notice = Some(format!(
            "Added producer {} publishing to exchange {} and consumer {} on queue {}. Press Play; Undo removes both.",
            producer.name, x.name, consumer.name, q.name
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::key_matching;

    #[test]
    fn wildcards_become_words() {
        assert_eq!(key_matching("order.*.created"), "order.any.created");
        assert_eq!(key_matching("order.#"), "order");
        assert_eq!(key_matching("#"), "");
        assert_eq!(key_matching("task"), "task");
    }
}
