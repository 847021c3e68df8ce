//! Routing: which queues one publish reaches (rabbitmq.com/docs/exchanges, /docs/e2e,
//! /docs/ae; source: `rabbit_exchange:route/3`).
//!
//! Routing is atomic and happens where the message enters: starting from one exchange,
//! each visited exchange applies its own algorithm to its bindings; exchange
//! destinations are visited in turn, each at most once (so cycles end); an exchange
//! whose own bindings matched nothing hands the message to its alternate exchange if it
//! has one. The result is a set: a queue reached by several paths gets one copy.
//!
//! Sender-selected distribution (rabbitmq.com/docs/sender-selected): string arrays in
//! the `CC` and `BCC` headers add routing keys; direct, topic and default exchanges
//! route on every key.

pub mod headers;
pub mod topic;

use crate::core::model::ids::EdgeId;
use crate::core::scenario::ExchangeType;
use crate::core::topology::{Destination, Topology};
use headers::{headers_match, Headers};
use std::rc::Rc;
use topic::{matches_by, pattern_matches, split_words};

/// The extra routing keys of sender-selected distribution: the strings of the `CC`
/// header, then those of `BCC`.
pub fn sender_selected_keys(headers: &Headers) -> (Vec<Rc<str>>, Vec<Rc<str>>) {
    let read = |name: &str| -> Vec<Rc<str>> {
        match headers.get(name) {
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str())
                .map(Rc::from)
                .collect(),
            _ => Vec::new(),
        }
    };
    (read("CC"), read("BCC"))
}

/// Why a publish with these headers is refused, if it is: `CC` and `BCC` must be arrays
/// (of routing keys); RabbitMQ throws `unacceptable_type_in_header` for any other
/// type and the publish fails (`rabbit_basic:header_routes`). An array's items that
/// are not strings are passed over, as RabbitMQ passes over all but `longstr`.
pub fn routing_header_problem<'a>(
    header: impl Fn(&str) -> Option<&'a serde_json::Value>,
) -> Option<(&'static str, String)> {
    ["CC", "BCC"].into_iter().find_map(|name| match header(name) {
        None | Some(serde_json::Value::Array(_)) => None,
        Some(_) => Some((
            name,
            format!("the {name} header must be a list of routing keys, such as [\"audit.x\"]: RabbitMQ refuses a publish whose {name} is anything else (unacceptable_type_in_header)"),
        )),
    })
}

/// How a destination was reached: the edge that led there (none for the default
/// exchange's implicit bindings) and the exchange it left from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// Exchange the hop leaves.
    pub from_exchange: usize,
    /// Where it arrives.
    pub to: Destination,
    /// The binding or alternate-exchange edge.
    pub edge: Option<EdgeId>,
}

/// Reusable buffers for routing, so the hot path does not allocate.
#[derive(Clone, Debug, Default)]
pub struct Router {
    exchange_mark: Vec<u32>,
    exchange_depth: Vec<u32>,
    queue_mark: Vec<u32>,
    epoch: u32,
    work: Vec<usize>,
    words: Vec<(usize, usize)>,
    /// Queues reached by the last call, in the order first reached.
    pub queues: Vec<usize>,
    /// Every hop taken by the last call, in order (first hop to each destination).
    pub hops: Vec<Hop>,
    /// Edges travelled to reach each queue of `queues` (1 for a direct binding, more
    /// through exchange-to-exchange bindings and alternate exchanges).
    pub depths: Vec<u32>,
}

impl Router {
    /// A router sized for `topology`.
    pub fn new(topology: &Topology) -> Router {
        Router {
            exchange_mark: vec![0; topology.exchanges.len()],
            exchange_depth: vec![0; topology.exchanges.len()],
            queue_mark: vec![0; topology.queues.len()],
            ..Router::default()
        }
    }

    /// Routes a message entering at `entry` with `routing_key`, sender-selected
    /// `extra_keys` (CC/BCC) and `headers`. Results are left in `self.queues` and
    /// `self.hops`.
    pub fn route(
        &mut self,
        topology: &Topology,
        entry: usize,
        routing_key: &str,
        extra_keys: &[Rc<str>],
        headers: &Headers,
    ) {
        self.queues.clear();
        self.depths.clear();
        self.hops.clear();
        self.work.clear();
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.exchange_mark.iter_mut().for_each(|m| *m = 0);
            self.queue_mark.iter_mut().for_each(|m| *m = 0);
            self.epoch = 1;
        }
        let epoch = self.epoch;
        // Word boundaries of the key, computed once per publish for topic exchanges.
        let mut words = std::mem::take(&mut self.words);
        words.clear();
        let mut start = 0;
        for w in split_words(routing_key) {
            words.push((start, start + w.len()));
            start += w.len() + 1;
        }
        let word = |j: usize| &routing_key[words[j].0..words[j].1];

        self.exchange_mark[entry] = epoch;
        self.exchange_depth[entry] = 0;
        self.work.push(entry);
        let mut next = 0;
        while next < self.work.len() {
            let x = self.work[next];
            next += 1;
            let exchange = &topology.exchanges[x];
            let mut matched_any = false;
            if exchange.is_default() {
                for key in std::iter::once(routing_key).chain(extra_keys.iter().map(|k| &**k)) {
                    if let Some(&q) = topology.queue_by_name.get(key) {
                        matched_any = true;
                        self.reach(x, Destination::Queue(q), None, epoch);
                    }
                }
            } else {
                for binding in &exchange.bindings {
                    let hit = match exchange.kind {
                        ExchangeType::Direct => {
                            binding.key == routing_key
                                || extra_keys.iter().any(|k| binding.key == **k)
                        }
                        ExchangeType::Fanout => true,
                        ExchangeType::Topic => {
                            matches_by(&binding.pattern, words.len(), word)
                                || extra_keys.iter().any(|k| {
                                    let w: Vec<&str> = split_words(k).collect();
                                    pattern_matches(&binding.pattern, &w)
                                })
                        }
                        ExchangeType::Headers => headers_match(&binding.arguments, headers),
                    };
                    if hit {
                        matched_any = true;
                        self.reach(x, binding.destination, Some(binding.edge), epoch);
                    }
                }
            }
            if !matched_any {
                if let Some((ae, edge)) = exchange.alternate {
                    self.reach(x, Destination::Exchange(ae), Some(edge), epoch);
                }
            }
        }
        self.words = words;
    }

    fn reach(&mut self, from: usize, to: Destination, edge: Option<EdgeId>, epoch: u32) {
        match to {
            Destination::Queue(q) => {
                if self.queue_mark[q] != epoch {
                    self.queue_mark[q] = epoch;
                    self.queues.push(q);
                    self.depths.push(self.exchange_depth[from] + 1);
                    self.hops.push(Hop {
                        from_exchange: from,
                        to,
                        edge,
                    });
                }
            }
            Destination::Exchange(y) => {
                if self.exchange_mark[y] != epoch {
                    self.exchange_mark[y] = epoch;
                    self.exchange_depth[y] = self.exchange_depth[from] + 1;
                    self.work.push(y);
                    self.hops.push(Hop {
                        from_exchange: from,
                        to,
                        edge,
                    });
                }
            }
        }
    }

    /// The chain of edges from the entry exchange to queue `q` for the last call.
    pub fn path_to(&self, q: usize) -> Vec<EdgeId> {
        let mut path = Vec::new();
        let mut target = Destination::Queue(q);
        // Walk hops backwards: each destination was reached once.
        for hop in self.hops.iter().rev() {
            if hop.to == target {
                if let Some(e) = hop.edge {
                    path.push(e);
                }
                target = Destination::Exchange(hop.from_exchange);
            }
        }
        path.reverse();
        path
    }
}

/// Names of the queues a message reaches, sorted: the answer of `qp route`.
pub fn route_names(
    topology: &Topology,
    exchange: &str,
    routing_key: &str,
    headers: &Headers,
) -> Option<Vec<String>> {
    let entry = topology.exchange_named(exchange)?;
    let mut router = Router::new(topology);
    let (cc, bcc) = sender_selected_keys(headers);
    let extra: Vec<Rc<str>> = cc.into_iter().chain(bcc).collect();
    router.route(topology, entry, routing_key, &extra, headers);
    let mut names: Vec<String> = router
        .queues
        .iter()
        .map(|&q| topology.queues[q].name.to_string())
        .collect();
    crate::core::sort::sort(&mut names);
    Some(names)
}
