//! FIFO flags that must agree, switched together. An SNS topic and the SQS queues it
//! delivers to are all FIFO or all standard, and so are a queue and its dead-letter
//! queue (AWS: a FIFO topic delivers only to FIFO queues, a FIFO queue's dead-letter
//! queue must be FIFO; the checks are `core::scenario::family_checks`). Ticking one
//! box at a time could then never get there: each half is refused while the other is
//! as it was. So switching one switches every node linked to it by such edges, as
//! one change.

use crate::core::scenario::{EdgeKind, Node, NodeSpec, Scenario, FIFO_SUFFIX};

/// The nodes `id` and every topic or queue linked to it by subscriptions to a queue
/// or redrive edges, with the FIFO flag set to `fifo` (and content-based
/// deduplication off when it is off) and the name's `.fifo` suffix added or taken off
/// to match, in diagram order; only those that change.
pub fn with_fifo(s: &Scenario, id: &str, fifo: bool) -> Vec<Node> {
    let linked = linked_by_fifo(s, id);
    s.nodes
        .iter()
        .filter(|n| linked.contains(&n.id.as_str()))
        .filter_map(|n| {
            let mut n = n.clone();
            let changed = match &mut n.spec {
                NodeSpec::SqsQueue(q) if q.fifo != fifo => {
                    q.fifo = fifo;
                    q.content_based_dedup &= fifo;
                    true
                }
                NodeSpec::SnsTopic(t) if t.fifo != fifo => {
                    t.fifo = fifo;
                    t.content_based_dedup &= fifo;
                    true
                }
                _ => false,
            };
            // AWS ties the name to the type: a FIFO queue's or topic's ends with
            // `.fifo`, a standard one's cannot.
            if changed {
                match (fifo, n.name.strip_suffix(FIFO_SUFFIX)) {
                    (true, None) => n.name.push_str(FIFO_SUFFIX),
                    (false, Some(base)) => n.name = base.to_string(),
                    _ => {}
                }
            }
            changed.then_some(n)
        })
        .collect()
}

/// `id` and the nodes reachable from it over edges whose ends must agree on FIFO.
fn linked_by_fifo<'a>(s: &'a Scenario, id: &'a str) -> Vec<&'a str> {
    let is_queue = |node: &str| {
        s.nodes
            .iter()
            .any(|n| n.id == node && matches!(n.spec, NodeSpec::SqsQueue(_)))
    };
    let mut found = vec![id];
    let mut next = 0;
    while next < found.len() {
        let at = found[next];
        next += 1;
        for e in &s.edges {
            let must_agree = match e.kind {
                EdgeKind::Redrive => true,
                EdgeKind::Subscribe => is_queue(&e.to),
                _ => false,
            };
            if !must_agree {
                continue;
            }
            for (a, b) in [(&e.from, &e.to), (&e.to, &e.from)] {
                if a == at && !found.contains(&b.as_str()) {
                    found.push(b.as_str());
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scenario::validate;

    fn fifo(s: &Scenario, id: &str) -> bool {
        let n = s.nodes.iter().find(|n| n.id == id).unwrap();
        match &n.spec {
            NodeSpec::SqsQueue(q) => q.fifo,
            NodeSpec::SnsTopic(t) => t.fifo,
            _ => unreachable!(),
        }
    }

    fn apply(s: &mut Scenario, nodes: Vec<Node>) {
        for n in nodes {
            let i = s.nodes.iter().position(|m| m.id == n.id).unwrap();
            s.nodes[i] = n;
        }
    }

    /// The review's case: the topic of sns-fanout-filter and its three queues could
    /// not be made FIFO one box at a time. Switched together they can, and back.
    #[test]
    fn a_topic_and_its_queues_switch_together() {
        let mut s = crate::gallery::pattern("sns-fanout-filter").unwrap();
        let topic = s
            .nodes
            .iter()
            .find(|n| n.name == "order-events")
            .unwrap()
            .id
            .clone();
        let changed = with_fifo(&s, &topic, true);
        assert_eq!(changed.len(), 4, "{changed:?}");
        // Its producer needs a group id and a deduplication id for a FIFO topic.
        let problems_before = validate(&s).len();
        apply(&mut s, changed);
        for n in &s.nodes {
            if matches!(n.spec, NodeSpec::SqsQueue(_) | NodeSpec::SnsTopic(_)) {
                assert!(fifo(&s, &n.id), "{}", n.name);
            }
        }
        let problems = validate(&s);
        assert!(
            problems.iter().all(|p| !p.message.contains("SNS topic")),
            "{problems:?}"
        );
        assert!(problems.len() >= problems_before);
        // From a queue, back to standard: the topic and the other queues follow.
        let queue = s
            .nodes
            .iter()
            .find(|n| n.name == "audit.fifo")
            .unwrap()
            .id
            .clone();
        assert_eq!(
            s.nodes.iter().find(|n| n.id == queue).unwrap().name,
            "audit.fifo",
            "a FIFO queue's name ends with .fifo"
        );
        let back = with_fifo(&s, &queue, false);
        assert_eq!(back.len(), 4);
        apply(&mut s, back);
        assert!(!fifo(&s, &topic));
        assert_eq!(
            s.nodes.iter().find(|n| n.id == queue).unwrap().name,
            "audit"
        );
        assert!(with_fifo(&s, &queue, false).is_empty());
    }

    /// A queue and its dead-letter queue switch together; an unrelated queue does not.
    #[test]
    fn a_queue_and_its_dead_letter_queue_switch_together() {
        let s = crate::gallery::pattern("sqs-dead-letter-redrive").unwrap();
        let redrive = s
            .edges
            .iter()
            .find(|e| e.kind == EdgeKind::Redrive)
            .unwrap();
        let changed = with_fifo(&s, &redrive.to, true);
        let ids: Vec<&str> = changed.iter().map(|n| n.id.as_str()).collect();
        assert!(ids.contains(&redrive.from.as_str()) && ids.contains(&redrive.to.as_str()));
        assert_eq!(changed.len(), 2, "{ids:?}");
    }
}
