//! Routing conformance tables, written from RabbitMQ's documentation and sources, not
//! from our implementation.
//!
//! Sources (quoted in the row labels by short name):
//! - [exchanges]: rabbitmq.com/docs/exchanges and tutorial five ("`*` (star) can
//!   substitute for exactly one word. `#` (hash) can substitute for zero or more words.";
//!   "lazy.pink.rabbit will be delivered to the second queue only once, even though it
//!   matches two bindings").
//! - [e2e]: rabbitmq.com/docs/e2e ("We detect and eliminate cycles during message
//!   delivery, and ensure that transitively, over any routing topology, for every queue
//!   to which a given message is routed, each queue will receive exactly one copy").
//! - [ae]: rabbitmq.com/docs/ae ("messages that an exchange was unable to route (i.e.
//!   either because there were no bound queues or no matching bindings)"; "For any given
//!   exchange except for the default one, an AE can be defined").
//! - [trie]: `deps/rabbit/src/rabbit_db_topic_exchange.erl`: `split_topic_key(<<>>) -> []`
//!   (the empty key has zero words; `"a..b"` has an empty middle word); `trie_match/5`
//!   follows, at each node, the literal word, `"*"` (one word) and `"#"`
//!   (`trie_match_skip_any`: zero or more words). A `*` or `#` inside a longer word is
//!   just a literal word.
//! - [hdr]: `deps/rabbit/src/rabbit_exchange_type_headers.erl` (RabbitMQ 3.13 and later,
//!   message containers): `match/2` skips every `x-` argument, `match_x/2` skips only
//!   `x-match`; a `void` argument checks `maps:is_key`; any other argument checks
//!   `maps:get(K, M, undefined) =:= V` (exact term equality: the integer 1 is not the
//!   float 1.0, the string "1" is not the integer 1). `match_all([]) -> true`,
//!   `match_any([]) -> false`; an absent or unknown `x-match` means all.
//!   (RabbitMQ ≤ 3.12 compared with `==`, under which 1 == 1.0; we follow current RabbitMQ.)
//! - [route]: `deps/rabbit/src/rabbit_exchange.erl` `route/3`, `route1/4`,
//!   `process_alternate/2`, `process_route/2`: the default exchange routes to the queue
//!   named by the key; other exchanges are visited from a work list, each exchange at
//!   most once (the entry exchange included); an exchange's alternate exchange is used
//!   only when that exchange's *own* route result is empty (`process_alternate(X, [])`);
//!   queues are collected in a map, so each appears once.
//! - [cc]: `mc_amqpl:message/4` sets the routing keys to `[RoutingKey | header_routes]`,
//!   where `rabbit_basic:header_routes/1` reads the `CC` and `BCC` array headers
//!   (rabbitmq.com/docs/sender-selected).

use proptest::prelude::*;
use queue_playground::core::families::rabbit::routing::headers::headers_match;
use queue_playground::core::families::rabbit::routing::route_names;
use queue_playground::core::families::rabbit::routing::topic::topic_matches;
use queue_playground::core::scenario::NodeSpec;
use queue_playground::core::scenario::{
    load_scenario, Edge, EdgeKind, ExchangeSpec, ExchangeType, Node, NodeKind, Scenario,
};
use queue_playground::core::topology::Topology;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A topology described tersely, turned into scenario JSON text and loaded.
///
/// Exchanges are `(name, type)`; queues are names; bindings are
/// `(source exchange, destination, binding key, arguments)` where the destination is
/// `"q:NAME"` for a queue or `"x:NAME"` for an exchange; alternates are
/// `(exchange, alternate exchange)`.
struct Topo<'a> {
    exchanges: &'a [(&'a str, &'a str)],
    queues: &'a [&'a str],
    bindings: &'a [(&'a str, &'a str, &'a str, Value)],
    alternates: &'a [(&'a str, &'a str)],
}

impl Topo<'_> {
    fn json_text(&self) -> String {
        let mut nodes = Vec::new();
        for (name, kind) in self.exchanges {
            nodes.push(json!({
                "id": format!("x:{name}"),
                "kind": "exchange",
                "name": name,
                "exchange": {"type": kind},
            }));
        }
        for name in self.queues {
            nodes.push(json!({"id": format!("q:{name}"), "kind": "queue", "name": name}));
        }
        let mut edges = Vec::new();
        for (i, (from, to, key, args)) in self.bindings.iter().enumerate() {
            let mut edge = json!({
                "id": format!("b{i}"),
                "from": format!("x:{from}"),
                "to": to,
                "kind": "binding",
                "routing_key": key,
            });
            if args.as_object().is_some_and(|m| !m.is_empty()) {
                edge["arguments"] = args.clone();
            }
            edges.push(edge);
        }
        for (i, (from, to)) in self.alternates.iter().enumerate() {
            edges.push(json!({
                "id": format!("ae{i}"),
                "from": format!("x:{from}"),
                "to": format!("x:{to}"),
                "kind": "alternate-exchange",
            }));
        }
        json!({"version": 1, "nodes": nodes, "edges": edges}).to_string()
    }

    fn build(&self) -> Topology {
        let text = self.json_text();
        let scenario =
            load_scenario(&text).unwrap_or_else(|e| panic!("scenario must load: {e}\n{text}"));
        Topology::build(&scenario).unwrap_or_else(|e| panic!("topology must build: {e}"))
    }
}

fn headers(value: Value) -> BTreeMap<String, Value> {
    value
        .as_object()
        .expect("headers must be a JSON object")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn args(value: Value) -> Map<String, Value> {
    value
        .as_object()
        .expect("arguments must be a JSON object")
        .clone()
}

/// One whole-topology routing row.
struct Row {
    exchange: &'static str,
    key: &'static str,
    headers: Value,
    expected: &'static [&'static str],
    rule: &'static str,
}

fn row(
    exchange: &'static str,
    key: &'static str,
    expected: &'static [&'static str],
    rule: &'static str,
) -> Row {
    Row {
        exchange,
        key,
        headers: json!({}),
        expected,
        rule,
    }
}

fn hrow(
    exchange: &'static str,
    key: &'static str,
    headers: Value,
    expected: &'static [&'static str],
    rule: &'static str,
) -> Row {
    Row {
        exchange,
        key,
        headers,
        expected,
        rule,
    }
}

/// Runs the rows against `topology`; collects every failure and panics once with all.
fn check_rows(table: &str, topology: &Topology, rows: &[Row]) -> usize {
    let mut failures = Vec::new();
    for r in rows {
        let h = headers(r.headers.clone());
        let got = route_names(topology, r.exchange, r.key, &h);
        let want: Vec<String> = {
            let mut v: Vec<String> = r.expected.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        };
        if got.as_ref() != Some(&want) {
            failures.push(format!(
                "  [{table}] exchange {:?} key {:?} headers {}: expected {:?}, got {:?}  -- {}",
                r.exchange, r.key, r.headers, want, got, r.rule
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} routing row(s) differ from RabbitMQ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    rows.len()
}

// ---------------------------------------------------------------------------------------
// Topic: topic_matches(binding_key, routing_key)
// ---------------------------------------------------------------------------------------

/// (binding key, routing key, expected, rule)
#[rustfmt::skip]
const TOPIC_ROWS: &[(&str, &str, bool, &str)] = &[
    // Tutorial five, the example the exchanges guide points to.
    ("*.orange.*", "quick.orange.rabbit", true, "[exchanges] tutorial: Q1 gets quick.orange.rabbit"),
    ("*.*.rabbit", "quick.orange.rabbit", true, "[exchanges] tutorial: Q2 gets quick.orange.rabbit"),
    ("lazy.#", "quick.orange.rabbit", false, "[exchanges] tutorial: lazy.# needs first word lazy"),
    ("*.orange.*", "lazy.orange.elephant", true, "[exchanges] tutorial: lazy.orange.elephant to Q1"),
    ("lazy.#", "lazy.orange.elephant", true, "[exchanges] tutorial: lazy.orange.elephant to Q2"),
    ("*.orange.*", "quick.orange.fox", true, "[exchanges] tutorial: quick.orange.fox to Q1"),
    ("*.*.rabbit", "quick.orange.fox", false, "[exchanges] tutorial: quick.orange.fox not to Q2"),
    ("lazy.#", "quick.orange.fox", false, "[exchanges] tutorial: quick.orange.fox not to Q2"),
    ("lazy.#", "lazy.brown.fox", true, "[exchanges] tutorial: lazy.brown.fox to Q2"),
    ("*.orange.*", "lazy.brown.fox", false, "[exchanges] tutorial: lazy.brown.fox not to Q1"),
    ("*.*.rabbit", "lazy.pink.rabbit", true, "[exchanges] tutorial: lazy.pink.rabbit matches both Q2 bindings"),
    ("lazy.#", "lazy.pink.rabbit", true, "[exchanges] tutorial: lazy.pink.rabbit matches both Q2 bindings"),
    ("*.orange.*", "quick.brown.fox", false, "[exchanges] tutorial: quick.brown.fox matches nothing"),
    ("*.*.rabbit", "quick.brown.fox", false, "[exchanges] tutorial: quick.brown.fox matches nothing"),
    ("lazy.#", "quick.brown.fox", false, "[exchanges] tutorial: quick.brown.fox matches nothing"),
    ("*.orange.*", "orange", false, "[exchanges] tutorial: one word matches no three-word pattern"),
    ("*.orange.*", "quick.orange.new.rabbit", false, "[exchanges] tutorial: four words vs *.orange.*"),
    ("*.*.rabbit", "quick.orange.new.rabbit", false, "[exchanges] tutorial: four words vs *.*.rabbit"),
    ("lazy.#", "lazy.orange.new.rabbit", true, "[exchanges] tutorial: lazy.orange.new.rabbit to Q2"),
    ("*.*.rabbit", "lazy.orange.new.rabbit", false, "[exchanges] tutorial: four words vs *.*.rabbit"),
    // Literal words.
    ("a", "a", true, "[trie] literal word equals"),
    ("a", "b", false, "[trie] literal word differs"),
    ("a.b", "a.b", true, "[trie] literal words equal"),
    ("a.b", "a.b.c", false, "[trie] literal pattern shorter than key"),
    ("a.b.c", "a.b", false, "[trie] literal pattern longer than key"),
    ("a.b", "b.a", false, "[trie] word order matters"),
    ("ab", "a.b", false, "[trie] dot separates words"),
    ("a.b", "ab", false, "[trie] dot separates words"),
    ("stock.usd.nyse", "stock.usd.nyse", true, "[exchanges] topic without wildcards acts like direct"),
    // Case sensitivity.
    ("A", "a", false, "[trie] words compare byte for byte (case-sensitive)"),
    ("a.B", "a.b", false, "[trie] case-sensitive"),
    ("*.B", "a.b", false, "[trie] case-sensitive after a star"),
    ("Lazy.#", "lazy.x", false, "[trie] case-sensitive before a hash"),
    ("É", "é", false, "[trie] case-sensitive, non-ASCII"),
    // `*`: exactly one word.
    ("*", "a", true, "[exchanges] * is exactly one word"),
    ("*", "", false, "[trie] empty key has zero words; * needs one"),
    ("*", "a.b", false, "[exchanges] * is not two words"),
    ("*.*", "a", false, "[exchanges] *.* needs two words"),
    ("*.*", "a.b", true, "[exchanges] *.* is two words"),
    ("*.*", "a.b.c", false, "[exchanges] *.* is not three words"),
    ("*.*.*", "a.b.c", true, "[exchanges] three stars, three words"),
    ("a.*", "a.b", true, "[exchanges] trailing star"),
    ("a.*", "a", false, "[exchanges] trailing star needs a word"),
    ("a.*", "a.b.c", false, "[exchanges] trailing star is one word only"),
    ("*.b", "a.b", true, "[exchanges] leading star"),
    ("*.b", "b", false, "[exchanges] leading star needs a word"),
    ("a.*.c", "a.b.c", true, "[exchanges] middle star"),
    ("a.*.c", "a.c", false, "[exchanges] middle star is not zero words"),
    ("a.*.c", "a.b.b.c", false, "[exchanges] middle star is not two words"),
    // `#`: zero or more words, at start, middle, end.
    ("#", "", true, "[trie] # matches the zero words of the empty key"),
    ("#", "a", true, "[exchanges] # matches one word"),
    ("#", "a.b.c", true, "[exchanges] # matches many words"),
    ("#", ".", true, "[trie] # matches the two empty words of \".\""),
    ("#", "..", true, "[trie] # matches three empty words"),
    ("a.#", "a", true, "[exchanges] trailing # matches zero words"),
    ("a.#", "a.b", true, "[exchanges] trailing # matches one word"),
    ("a.#", "a.b.c.d", true, "[exchanges] trailing # matches many words"),
    ("a.#", "b.a", false, "[exchanges] first word must be a"),
    ("a.#", "", false, "[trie] zero words cannot supply the literal a"),
    ("a.#", "ab", false, "[trie] # does not match inside a word"),
    ("a.#", "a.", true, "[trie] \"a.\" is [a, \"\"]; # takes the empty word"),
    ("#.a", "a", true, "[exchanges] leading # matches zero words"),
    ("#.a", "b.a", true, "[exchanges] leading # matches one word"),
    ("#.a", "c.b.a", true, "[exchanges] leading # matches many words"),
    ("#.a", "a.b", false, "[exchanges] last word must be a"),
    ("#.a", "", false, "[trie] zero words cannot supply the literal a"),
    ("#.a", "ba", false, "[trie] # does not match inside a word"),
    ("a.#.b", "a.b", true, "[exchanges] middle # matches zero words"),
    ("a.#.b", "a.x.b", true, "[exchanges] middle # matches one word"),
    ("a.#.b", "a.x.y.b", true, "[exchanges] middle # matches many words"),
    ("a.#.b", "a.b.b", true, "[trie] middle # backtracks: takes the first b"),
    ("a.#.b", "a.b.c", false, "[exchanges] key must end with b"),
    ("a.#.b", "a", false, "[exchanges] b missing"),
    ("a.#.b", "b", false, "[exchanges] a missing"),
    ("a.#.b", "ab", false, "[trie] one word ab"),
    ("#.a.#", "a", true, "[exchanges] a alone"),
    ("#.a.#", "x.a.y", true, "[exchanges] a in the middle"),
    ("#.a.#", "x.y.a", true, "[exchanges] a at the end"),
    ("#.a.#", "x.y", false, "[exchanges] no a"),
    ("#.a.#", "", false, "[trie] zero words, no a"),
    ("#.b.#.d", "a.b.c.d", true, "[exchanges] two anchors with # around"),
    ("#.b.#.d", "b.d", true, "[exchanges] both # empty"),
    ("#.b.#.d", "a.b.c.d.e", false, "[exchanges] must end with d"),
    ("#.b.#.d", "d.b", false, "[exchanges] b must come before d"),
    // Repeated `#`.
    ("#.#", "", true, "[trie] #.# both take zero words"),
    ("#.#", "a", true, "[trie] #.# one word"),
    ("#.#", "a.b.c", true, "[trie] #.# many words"),
    ("#.#.#", "", true, "[trie] #.#.# zero words"),
    ("a.#.#.b", "a.b", true, "[trie] a.#.#.b both # empty"),
    ("a.#.#.b", "a.x.b", true, "[trie] a.#.#.b one word between"),
    ("a.#.#.b", "a.x.y.z.b", true, "[trie] a.#.#.b many words between"),
    ("a.#.#.b", "a", false, "[trie] a.#.#.b needs b"),
    ("a.#.#.b", "a.x", false, "[trie] a.#.#.b needs final b"),
    ("#.#.a", "a", true, "[trie] #.#.a with a alone"),
    ("a.#.#", "a", true, "[trie] a.#.# with a alone"),
    // `*` and `#` together.
    ("*.#", "", false, "[trie] *.# needs at least one word"),
    ("*.#", "a", true, "[trie] *.# one word"),
    ("*.#", "a.b.c", true, "[trie] *.# many words"),
    ("#.*", "", false, "[trie] #.* needs at least one word"),
    ("#.*", "a", true, "[trie] #.* one word"),
    ("#.*", "a.b", true, "[trie] #.* two words"),
    ("#.*.#", "", false, "[trie] #.*.# needs one word"),
    ("#.*.#", "a", true, "[trie] #.*.# one word"),
    ("*.*.#", "a", false, "[trie] *.*.# needs two words"),
    ("*.*.#", "a.b", true, "[trie] *.*.# two words"),
    ("#.*.*", "a", false, "[trie] #.*.* needs two words"),
    ("#.*.*", "a.b", true, "[trie] #.*.* two words"),
    ("*.#.*", "a", false, "[trie] *.#.* needs two words"),
    ("*.#.*", "a.b", true, "[trie] *.#.* two words"),
    ("*.#.*", "a.b.c", true, "[trie] *.#.* three words"),
    ("a.*.#", "a", false, "[trie] a.*.# needs a second word"),
    ("a.*.#", "a.b", true, "[trie] a.*.# two words"),
    ("a.#.*", "a", false, "[trie] a.#.* needs a second word"),
    ("a.#.*", "a.b", true, "[trie] a.#.* two words"),
    // Empty binding key and empty routing key.
    ("", "", true, "[trie] empty binding key (zero words) matches the empty key"),
    ("", "a", false, "[trie] empty binding key does not match a word"),
    ("", ".", false, "[trie] empty binding key vs two empty words"),
    ("a", "", false, "[trie] literal word vs zero words"),
    // Empty words.
    ("a..b", "a..b", true, "[trie] empty middle word matches empty word"),
    ("a.*.b", "a..b", true, "[trie] * matches one empty word"),
    ("a.#.b", "a..b", true, "[trie] # matches one empty word"),
    ("a.b", "a..b", false, "[trie] a..b has three words"),
    ("a..b", "a.b", false, "[trie] empty word is not absent"),
    (".a", ".a", true, "[trie] leading empty word"),
    ("*.a", ".a", true, "[trie] * matches the leading empty word"),
    ("a", ".a", false, "[trie] \".a\" is two words"),
    ("a.", "a.", true, "[trie] trailing empty word"),
    ("a.*", "a.", true, "[trie] * matches the trailing empty word"),
    ("a", "a.", false, "[trie] \"a.\" is two words"),
    (".", ".", true, "[trie] two empty words match two empty words"),
    ("*.*", ".", true, "[trie] two stars match two empty words"),
    ("*", ".", false, "[trie] \".\" is two words"),
    (".", "", false, "[trie] two empty words vs zero words"),
    ("#.", ".", true, "[trie] #. : # takes one empty word, then the final empty word"),
    ("#.", "a", false, "[trie] #. needs a final empty word"),
    ("#.", "a.", true, "[trie] #. : # takes a, then the empty word"),
    (".#", ".", true, "[trie] .# : empty word then # takes the rest"),
    (".#", "", false, "[trie] .# needs a leading empty word"),
    (".#", "a", false, "[trie] .# needs a leading empty word"),
    // `*` and `#` inside a word are literal.
    ("a*b", "a*b", true, "[trie] a*b is a literal word"),
    ("a*b", "axb", false, "[trie] a*b is not a wildcard"),
    ("a*", "a", false, "[trie] a* is literal"),
    ("a*", "ab", false, "[trie] a* is not a prefix wildcard"),
    ("*a", "ba", false, "[trie] *a is not a suffix wildcard"),
    ("a#", "a", false, "[trie] a# is literal, not a followed by #"),
    ("a#", "a.b", false, "[trie] a# is literal"),
    ("a#", "a#", true, "[trie] a# literal equals"),
    ("#a", "a", false, "[trie] #a is literal"),
    ("#a", "#a", true, "[trie] #a literal equals"),
    ("a.#b", "a.b", false, "[trie] #b is literal"),
    ("a.#b", "a.#b", true, "[trie] #b literal equals"),
    ("**", "a", false, "[trie] ** is a literal word"),
    ("**", "**", true, "[trie] ** literal equals"),
    ("##", "", false, "[trie] ## is a literal word, not #"),
    ("##", "##", true, "[trie] ## literal equals"),
    ("*#", "*#", true, "[trie] *# literal equals"),
    // Routing-key words that are literally * or #.
    ("a.*", "a.*", true, "[trie] * matches the word \"*\""),
    ("a.b", "a.*", false, "[trie] a routing key * is not a wildcard"),
    ("a.*", "a.#", true, "[trie] * matches the word \"#\""),
    ("a.b.c", "a.#", false, "[trie] a routing key # is not a wildcard"),
    ("#", "*", true, "[trie] # matches the word \"*\""),
    ("a", "*", false, "[trie] routing key * is literal"),
    ("a", "#", false, "[trie] routing key # is literal"),
    // Other bytes.
    ("*.ü", "é.ü", true, "[trie] words are byte strings; UTF-8 is fine"),
    ("é.#", "é", true, "[trie] UTF-8 word then # of zero words"),
    ("a b", "a b", true, "[trie] spaces are part of a word"),
    ("a", "a ", false, "[trie] trailing space is part of the word"),
    ("*", "a b", true, "[trie] a word with a space is one word"),
    ("a-b_c", "a-b_c", true, "[trie] punctuation other than . is literal"),
    ("*", "a/b", true, "[trie] / does not split words"),
];

fn long_topic_rows() -> Vec<(String, String, bool, &'static str)> {
    let hundred_w = vec!["w"; 100].join(".");
    let ninety_nine_w_then_z = format!("{}.z", vec!["w"; 99].join("."));
    let hundred_stars = vec!["*"; 100].join(".");
    let ninety_nine_stars = vec!["*"; 99].join(".");
    let long_word = "a".repeat(255);
    vec![
        (
            "#.z".into(),
            ninety_nine_w_then_z.clone(),
            true,
            "[exchanges] long key: # takes 99 words",
        ),
        (
            "w.#".into(),
            hundred_w.clone(),
            true,
            "[exchanges] long key: trailing #",
        ),
        (
            "#.w.#".into(),
            hundred_w.clone(),
            true,
            "[exchanges] long key: # around one literal",
        ),
        (
            "#.x".into(),
            hundred_w.clone(),
            false,
            "[exchanges] long key: missing last word",
        ),
        (
            hundred_stars.clone(),
            hundred_w.clone(),
            true,
            "[exchanges] 100 stars, 100 words",
        ),
        (
            ninety_nine_stars,
            hundred_w.clone(),
            false,
            "[exchanges] 99 stars, 100 words",
        ),
        (
            hundred_stars,
            ninety_nine_w_then_z.clone(),
            true,
            "[exchanges] 100 stars, 100 words",
        ),
        (
            hundred_w.clone(),
            hundred_w.clone(),
            true,
            "[exchanges] 100 literal words",
        ),
        (
            "*".into(),
            long_word.clone(),
            true,
            "[exchanges] one 255-byte word is one word",
        ),
        (
            long_word.clone(),
            long_word,
            true,
            "[exchanges] 255-byte literal",
        ),
        (
            "#.#.#.#.#.#.#.#.#.#.z".into(),
            ninety_nine_w_then_z,
            true,
            "[trie] many # over a long key",
        ),
        (
            "#.#.#.#.#.#.#.#.#.#.z".into(),
            hundred_w,
            false,
            "[trie] many # over a long key, no z",
        ),
    ]
}

#[test]
fn topic_binding_patterns() {
    let mut failures = Vec::new();
    let mut rows: Vec<(String, String, bool, &str)> = TOPIC_ROWS
        .iter()
        .map(|&(b, k, e, r)| (b.to_string(), k.to_string(), e, r))
        .collect();
    rows.extend(long_topic_rows());
    for (binding, key, expected, rule) in &rows {
        let got = topic_matches(binding, key);
        if got != *expected {
            failures.push(format!(
                "  binding {binding:?} key {key:?}: expected {expected}, got {got}  -- {rule}"
            ));
        }
        // The reference matcher must agree with the table too (guards the oracle used by
        // the property test below).
        assert_eq!(
            reference_topic(binding, key),
            *expected,
            "reference matcher vs table: {binding:?} {key:?}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} topic row(s) differ from RabbitMQ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(rows.len() >= 150, "topic table has {} rows", rows.len());
}

/// The topic rows again, through a whole topic exchange (one queue per binding), so the
/// exchange path (which may pre-split the key) is held to the same table.
#[test]
fn topic_exchange_routes_like_the_pattern_table() {
    let mut failures = Vec::new();
    for (i, &(binding, key, expected, rule)) in TOPIC_ROWS.iter().enumerate() {
        let text = json!({
            "version": 1,
            "nodes": [
                {"id": "t", "kind": "exchange", "name": "t", "exchange": {"type": "topic"}},
                {"id": "q", "kind": "queue", "name": "q"},
            ],
            "edges": [{"id": "b", "from": "t", "to": "q", "kind": "binding", "routing_key": binding}],
        })
        .to_string();
        let t = Topology::build(&load_scenario(&text).unwrap()).unwrap();
        let got = route_names(&t, "t", key, &BTreeMap::new()).unwrap();
        let want: Vec<String> = if expected { vec!["q".into()] } else { vec![] };
        if got != want {
            failures.push(format!("  row {i}: binding {binding:?} key {key:?}: expected {want:?}, got {got:?}  -- {rule}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} topic-exchange row(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn topic_exchange_tutorial_topology() {
    // [exchanges] tutorial five: Q1 bound "*.orange.*"; Q2 bound "*.*.rabbit" and "lazy.#".
    let topo = Topo {
        exchanges: &[("topic_logs", "topic")],
        queues: &["Q1", "Q2"],
        bindings: &[
            ("topic_logs", "q:Q1", "*.orange.*", json!({})),
            ("topic_logs", "q:Q2", "*.*.rabbit", json!({})),
            ("topic_logs", "q:Q2", "lazy.#", json!({})),
        ],
        alternates: &[],
    };
    let t = topo.build();
    let rows = [
        row(
            "topic_logs",
            "quick.orange.rabbit",
            &["Q1", "Q2"],
            "[exchanges] delivered to both queues",
        ),
        row(
            "topic_logs",
            "lazy.orange.elephant",
            &["Q1", "Q2"],
            "[exchanges] both",
        ),
        row(
            "topic_logs",
            "quick.orange.fox",
            &["Q1"],
            "[exchanges] first only",
        ),
        row(
            "topic_logs",
            "lazy.brown.fox",
            &["Q2"],
            "[exchanges] second only",
        ),
        row(
            "topic_logs",
            "lazy.pink.rabbit",
            &["Q2"],
            "[exchanges] once although two bindings match",
        ),
        row(
            "topic_logs",
            "quick.brown.fox",
            &[],
            "[exchanges] discarded",
        ),
        row("topic_logs", "orange", &[], "[exchanges] one word: lost"),
        row(
            "topic_logs",
            "quick.orange.new.rabbit",
            &[],
            "[exchanges] four words: lost",
        ),
        row(
            "topic_logs",
            "lazy.orange.new.rabbit",
            &["Q2"],
            "[exchanges] lazy.# takes four words",
        ),
        row(
            "topic_logs",
            "",
            &[],
            "[trie] empty key matches none of these",
        ),
    ];
    check_rows("topic tutorial", &t, &rows);
}

#[test]
fn topic_exchange_ignores_binding_arguments_and_headers() {
    let topo = Topo {
        exchanges: &[("t", "topic")],
        queues: &["all", "ab"],
        bindings: &[
            ("t", "q:all", "#", json!({"x-match": "all", "h": "v"})),
            ("t", "q:ab", "a.b", json!({})),
        ],
        alternates: &[],
    };
    let t = topo.build();
    let rows = [
        row(
            "t",
            "",
            &["all"],
            "[trie] # matches the empty key; binding arguments are not used by topic",
        ),
        hrow(
            "t",
            "a.b",
            json!({"h": "other"}),
            &["ab", "all"],
            "[exchanges] topic routes on the key only",
        ),
        row("t", "x", &["all"], "[exchanges] # catches everything"),
    ];
    check_rows("topic args", &t, &rows);
}

// ---------------------------------------------------------------------------------------
// Direct
// ---------------------------------------------------------------------------------------

#[test]
fn direct_exchange_exact_match() {
    let topo = Topo {
        exchanges: &[("d", "direct")],
        queues: &[
            "q_a", "q_ab", "q_empty", "q_star", "q_hash", "q_upper", "q_m1", "q_m2", "q_twice",
            "q_args",
        ],
        bindings: &[
            ("d", "q:q_a", "a", json!({})),
            ("d", "q:q_a", "alias", json!({})),
            ("d", "q:q_ab", "a.b", json!({})),
            ("d", "q:q_empty", "", json!({})),
            ("d", "q:q_star", "*", json!({})),
            ("d", "q:q_hash", "#", json!({})),
            ("d", "q:q_upper", "A", json!({})),
            ("d", "q:q_m1", "shared", json!({})),
            ("d", "q:q_m2", "shared", json!({})),
            ("d", "q:q_twice", "k", json!({})),
            (
                "d",
                "q:q_twice",
                "k",
                json!({"x-match": "any", "tag": "second"}),
            ),
            (
                "d",
                "q:q_args",
                "with-args",
                json!({"x-match": "all", "h": "v"}),
            ),
        ],
        alternates: &[],
    };
    let t = topo.build();
    let rows = [
        row(
            "d",
            "a",
            &["q_a"],
            "[exchanges] direct: binding key equals routing key",
        ),
        row(
            "d",
            "alias",
            &["q_a"],
            "[exchanges] a queue may be bound with several keys",
        ),
        row("d", "A", &["q_upper"], "[exchanges] direct: case-sensitive"),
        row(
            "d",
            "a.b",
            &["q_ab"],
            "[exchanges] direct: dots have no meaning",
        ),
        row(
            "d",
            "",
            &["q_empty"],
            "[exchanges] direct: empty key matches empty binding key",
        ),
        row("d", "*", &["q_star"], "[exchanges] direct: * is literal"),
        row("d", "#", &["q_hash"], "[exchanges] direct: # is literal"),
        row(
            "d",
            "b",
            &[],
            "[exchanges] direct: * and # do not act as wildcards",
        ),
        row("d", "a.b.c", &[], "[exchanges] direct: no prefix matching"),
        row("d", "a ", &[], "[exchanges] direct: trailing space differs"),
        row("d", " a", &[], "[exchanges] direct: leading space differs"),
        row(
            "d",
            "shared",
            &["q_m1", "q_m2"],
            "[exchanges] several queues with the same key all get it",
        ),
        row(
            "d",
            "k",
            &["q_twice"],
            "[route] two bindings to one queue: one copy",
        ),
        hrow(
            "d",
            "with-args",
            json!({"h": "nope"}),
            &["q_args"],
            "[exchanges] direct ignores binding arguments",
        ),
        hrow(
            "d",
            "nothing",
            json!({"h": "v"}),
            &[],
            "[exchanges] direct ignores headers",
        ),
    ];
    check_rows("direct", &t, &rows);
}

// ---------------------------------------------------------------------------------------
// Fanout
// ---------------------------------------------------------------------------------------

#[test]
fn fanout_exchange_ignores_key() {
    let topo = Topo {
        exchanges: &[("f", "fanout"), ("empty_f", "fanout")],
        queues: &["q1", "q2", "q3", "q4"],
        bindings: &[
            ("f", "q:q1", "", json!({})),
            ("f", "q:q2", "ignored.key", json!({})),
            ("f", "q:q3", "a", json!({})),
            ("f", "q:q3", "b", json!({})),
            ("f", "q:q4", "", json!({"x-match": "all", "h": "v"})),
        ],
        alternates: &[],
    };
    let t = topo.build();
    let all: &[&str] = &["q1", "q2", "q3", "q4"];
    let rows = [
        row(
            "f",
            "",
            all,
            "[exchanges] fanout: every bound queue, empty key",
        ),
        row("f", "a", all, "[exchanges] fanout: routing key ignored"),
        row(
            "f",
            "anything.at.all",
            all,
            "[exchanges] fanout: routing key ignored",
        ),
        row("f", "#", all, "[exchanges] fanout: routing key ignored"),
        hrow(
            "f",
            "x",
            json!({"h": "no"}),
            all,
            "[exchanges] fanout: binding arguments ignored",
        ),
        row("f", "b", all, "[route] q3 bound twice still gets one copy"),
        row(
            "empty_f",
            "a",
            &[],
            "[exchanges] fanout without bindings routes nowhere",
        ),
    ];
    check_rows("fanout", &t, &rows);
}

// ---------------------------------------------------------------------------------------
// Headers: headers_match(arguments, headers)
// ---------------------------------------------------------------------------------------

#[rustfmt::skip]
fn header_rows() -> Vec<(Value, Value, bool, &'static str)> {
    vec![
        // Empty and x-match-only bindings.
        (json!({}), json!({}), true, "[hdr] no arguments: match_all([]) is true"),
        (json!({}), json!({"a": "1"}), true, "[hdr] no arguments: every message matches"),
        (json!({"x-match": "all"}), json!({}), true, "[hdr] all over nothing is true"),
        (json!({"x-match": "any"}), json!({}), false, "[hdr] match_any([]) is false"),
        (json!({"x-match": "any"}), json!({"a": "1"}), false, "[hdr] any with nothing to compare never matches"),
        (json!({"x-match": "all-with-x"}), json!({}), true, "[hdr] all-with-x over nothing is true"),
        (json!({"x-match": "any-with-x"}), json!({"a": "1"}), false, "[hdr] any-with-x over nothing is false"),
        // Default is all.
        (json!({"a": "1"}), json!({"a": "1"}), true, "[exchanges] x-match defaults to all: equal"),
        (json!({"a": "1"}), json!({}), false, "[exchanges] default all: header missing"),
        (json!({"a": "1", "b": "2"}), json!({"a": "1"}), false, "[exchanges] default all: one missing"),
        (json!({"a": "1", "b": "2"}), json!({"a": "1", "b": "2"}), true, "[exchanges] default all: both equal"),
        (json!({"a": "1", "b": "2"}), json!({"a": "1", "b": "2", "c": "3"}), true, "[hdr] extra message headers are irrelevant"),
        // all.
        (json!({"x-match": "all", "a": "1", "b": "2"}), json!({"a": "1", "b": "2"}), true, "[exchanges] all: every pair equal"),
        (json!({"x-match": "all", "a": "1", "b": "2"}), json!({"a": "1", "b": "3"}), false, "[exchanges] all: one value differs"),
        (json!({"x-match": "all", "a": "1", "b": "2"}), json!({"b": "2"}), false, "[exchanges] all: one header missing"),
        (json!({"x-match": "all", "a": "1", "b": "2"}), json!({"a": "1", "b": "2", "z": "9"}), true, "[hdr] all: extra headers irrelevant"),
        (json!({"x-match": "all", "a": "1"}), json!({"x-match": "any", "a": "1"}), true, "[hdr] a header named x-match in the message is just data"),
        // any.
        (json!({"x-match": "any", "a": "1", "b": "2"}), json!({"a": "1"}), true, "[exchanges] any: first pair equal"),
        (json!({"x-match": "any", "a": "1", "b": "2"}), json!({"b": "2"}), true, "[exchanges] any: second pair equal"),
        (json!({"x-match": "any", "a": "1", "b": "2"}), json!({"a": "0", "b": "0"}), false, "[exchanges] any: no pair equal"),
        (json!({"x-match": "any", "a": "1", "b": "2"}), json!({}), false, "[exchanges] any: no headers"),
        (json!({"x-match": "any", "a": "1", "b": "2"}), json!({"c": "1"}), false, "[exchanges] any: other headers only"),
        (json!({"x-match": "any", "a": "1", "b": "2"}), json!({"a": "1", "b": "9"}), true, "[exchanges] any: one equal is enough"),
        // Plain all/any ignore x- arguments.
        (json!({"x-match": "all", "x-foo": "bar"}), json!({}), true, "[exchanges] all ignores x- arguments"),
        (json!({"x-match": "all", "x-foo": "bar", "a": "1"}), json!({"a": "1"}), true, "[exchanges] all ignores x- arguments"),
        (json!({"x-match": "all", "x-foo": "bar", "a": "1"}), json!({"a": "1", "x-foo": "other"}), true, "[exchanges] all does not compare x- headers"),
        (json!({"x-match": "any", "x-foo": "bar"}), json!({"x-foo": "bar"}), false, "[exchanges] any ignores x- arguments, nothing left"),
        (json!({"x-match": "any", "x-foo": "bar", "a": "1"}), json!({"x-foo": "bar"}), false, "[exchanges] any: equal x- header does not count"),
        (json!({"x-foo": "bar"}), json!({}), true, "[hdr] default all also ignores x- arguments"),
        (json!({"x-": "v"}), json!({}), true, "[hdr] the prefix is the two bytes \"x-\": key \"x-\" is skipped"),
        (json!({"X-Foo": "bar"}), json!({}), false, "[hdr] prefix test is case-sensitive: X-Foo is compared"),
        (json!({"X-Foo": "bar"}), json!({"X-Foo": "bar"}), true, "[hdr] X-Foo compared like any argument"),
        (json!({"xfoo": "bar"}), json!({}), false, "[hdr] xfoo has no dash: compared"),
        // -with-x.
        (json!({"x-match": "all-with-x", "x-foo": "bar"}), json!({"x-foo": "bar"}), true, "[exchanges] all-with-x compares x- arguments"),
        (json!({"x-match": "all-with-x", "x-foo": "bar"}), json!({}), false, "[exchanges] all-with-x: x- header missing"),
        (json!({"x-match": "all-with-x", "x-foo": "bar", "a": "1"}), json!({"x-foo": "bar"}), false, "[exchanges] all-with-x: plain one missing"),
        (json!({"x-match": "all-with-x", "x-foo": "bar", "a": "1"}), json!({"x-foo": "bar", "a": "1"}), true, "[exchanges] all-with-x: all equal"),
        (json!({"x-match": "all-with-x", "x-foo": "bar"}), json!({"x-foo": "baz"}), false, "[exchanges] all-with-x: x- value differs"),
        (json!({"x-match": "any-with-x", "x-foo": "bar"}), json!({"x-foo": "bar"}), true, "[exchanges] any-with-x: x- pair counts"),
        (json!({"x-match": "any-with-x", "x-foo": "bar", "a": "1"}), json!({"a": "1"}), true, "[exchanges] any-with-x: plain pair counts"),
        (json!({"x-match": "any-with-x", "x-foo": "bar", "a": "1"}), json!({"x-foo": "no", "a": "no"}), false, "[exchanges] any-with-x: none equal"),
        (json!({"x-match": "all-with-x"}), json!({"x-match": "any"}), true, "[hdr] match_x skips x-match itself"),
        (json!({"x-match": "any-with-x"}), json!({"x-match": "any-with-x"}), false, "[hdr] x-match never compared, even when equal"),
        // void (JSON null): presence.
        (json!({"a": null}), json!({"a": "anything"}), true, "[hdr] void argument: header present"),
        (json!({"a": null}), json!({"a": null}), true, "[hdr] void argument: void header is present"),
        (json!({"a": null}), json!({"a": 42}), true, "[hdr] void argument: any type"),
        (json!({"a": null}), json!({}), false, "[hdr] void argument: header absent"),
        (json!({"a": null}), json!({"b": "1"}), false, "[hdr] void argument: other header only"),
        (json!({"x-match": "any", "a": null, "b": "2"}), json!({"a": "zzz"}), true, "[hdr] any: presence counts as a match"),
        (json!({"x-match": "any", "a": null}), json!({}), false, "[hdr] any: absent void argument"),
        (json!({"a": "1"}), json!({"a": null}), false, "[hdr] value argument vs void header: undefined =/= value"),
        (json!({"x-match": "all-with-x", "x-a": null}), json!({"x-a": 1}), true, "[hdr] all-with-x: presence of an x- header"),
        (json!({"x-match": "all", "x-a": null}), json!({}), true, "[hdr] all: void x- argument still skipped"),
        // Types: exact term equality (=:=).
        (json!({"a": "1"}), json!({"a": 1}), false, "[hdr] string \"1\" is not integer 1"),
        (json!({"a": 1}), json!({"a": "1"}), false, "[hdr] integer 1 is not string \"1\""),
        (json!({"a": 1}), json!({"a": 1}), true, "[hdr] equal integers"),
        (json!({"a": 1}), json!({"a": 2}), false, "[hdr] different integers"),
        (json!({"a": 1}), json!({"a": 1.0}), false, "[hdr] 3.13+: 1 =:= 1.0 is false (integer vs double)"),
        (json!({"a": 1.0}), json!({"a": 1}), false, "[hdr] 3.13+: 1.0 =:= 1 is false"),
        (json!({"a": 1.5}), json!({"a": 1.5}), true, "[hdr] equal doubles"),
        (json!({"a": -3}), json!({"a": -3}), true, "[hdr] equal negative integers"),
        (json!({"a": true}), json!({"a": true}), true, "[hdr] equal booleans"),
        (json!({"a": true}), json!({"a": "true"}), false, "[hdr] bool true is not string \"true\""),
        (json!({"a": true}), json!({"a": 1}), false, "[hdr] bool true is not integer 1"),
        (json!({"a": false}), json!({"a": false}), true, "[hdr] false equals false"),
        (json!({"a": false}), json!({}), false, "[hdr] false is a value, not absence"),
        (json!({"a": ""}), json!({"a": ""}), true, "[hdr] empty strings equal"),
        (json!({"a": ""}), json!({}), false, "[hdr] empty string is a value, not absence"),
        (json!({"a": "v"}), json!({"a": "V"}), false, "[hdr] string values are case-sensitive"),
        (json!({"A": "v"}), json!({"a": "v"}), false, "[hdr] header names are case-sensitive"),
        (json!({"a": [1, "x"]}), json!({"a": [1, "x"]}), true, "[hdr] equal arrays"),
        (json!({"a": [1, "x"]}), json!({"a": ["x", 1]}), false, "[hdr] arrays are ordered"),
        (json!({"a": {"k": "v"}}), json!({"a": {"k": "v"}}), true, "[hdr] equal tables"),
    ]
}

#[test]
fn headers_binding_arguments() {
    let rows = header_rows();
    let mut failures = Vec::new();
    for (arguments, hdrs, expected, rule) in &rows {
        let got = headers_match(&args(arguments.clone()), &headers(hdrs.clone()));
        if got != *expected {
            failures.push(format!(
                "  arguments {arguments} headers {hdrs}: expected {expected}, got {got}  -- {rule}"
            ));
        }
        assert_eq!(
            reference_headers(&args(arguments.clone()), &headers(hdrs.clone())),
            *expected,
            "reference matcher vs table: {arguments} {hdrs}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} headers row(s) differ from RabbitMQ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn headers_exchange_topology() {
    let topo = Topo {
        exchanges: &[("h", "headers")],
        queues: &[
            "pdf_report",
            "pdf_or_log",
            "zip_report",
            "everything",
            "has_id",
        ],
        bindings: &[
            (
                "h",
                "q:pdf_report",
                "ignored",
                json!({"x-match": "all", "format": "pdf", "type": "report"}),
            ),
            (
                "h",
                "q:pdf_or_log",
                "",
                json!({"x-match": "any", "format": "pdf", "type": "log"}),
            ),
            (
                "h",
                "q:zip_report",
                "",
                json!({"format": "zip", "type": "report"}),
            ),
            ("h", "q:everything", "", json!({})),
            ("h", "q:has_id", "", json!({"id": null})),
        ],
        alternates: &[],
    };
    let t = topo.build();
    let rows = [
        hrow(
            "h",
            "",
            json!({"format": "pdf", "type": "report"}),
            &["everything", "pdf_or_log", "pdf_report"],
            "[exchanges] all + any",
        ),
        hrow(
            "h",
            "any.key",
            json!({"format": "pdf"}),
            &["everything", "pdf_or_log"],
            "[exchanges] key ignored; any",
        ),
        hrow(
            "h",
            "",
            json!({"type": "log"}),
            &["everything", "pdf_or_log"],
            "[exchanges] any on second pair",
        ),
        hrow(
            "h",
            "",
            json!({"format": "zip", "type": "report"}),
            &["everything", "zip_report"],
            "[exchanges] default all",
        ),
        hrow(
            "h",
            "",
            json!({"format": "zip"}),
            &["everything"],
            "[exchanges] default all needs both",
        ),
        hrow(
            "h",
            "",
            json!({"id": 7}),
            &["everything", "has_id"],
            "[hdr] void argument: presence",
        ),
        row(
            "h",
            "format",
            &["everything"],
            "[exchanges] routing key is never a header",
        ),
        row(
            "h",
            "",
            &["everything"],
            "[hdr] empty arguments match a message without headers",
        ),
    ];
    check_rows("headers exchange", &t, &rows);
}

// ---------------------------------------------------------------------------------------
// Default exchange
// ---------------------------------------------------------------------------------------

#[test]
fn default_exchange_routes_by_queue_name() {
    let implicit = Topo {
        exchanges: &[("other", "direct")],
        queues: &["orders", "Orders", "a.b", "#"],
        bindings: &[],
        alternates: &[],
    };
    let explicit = Topo {
        exchanges: &[("", "direct")],
        queues: &["orders", "Orders", "a.b", "#"],
        bindings: &[],
        alternates: &[],
    };
    let rows = [
        row(
            "",
            "orders",
            &["orders"],
            "[exchanges] default exchange: key = queue name",
        ),
        row(
            "",
            "Orders",
            &["Orders"],
            "[exchanges] queue names are case-sensitive",
        ),
        row("", "a.b", &["a.b"], "[exchanges] dots are part of the name"),
        row(
            "",
            "#",
            &["#"],
            "[route] default exchange: no wildcards, # is a queue name",
        ),
        row(
            "",
            "*",
            &[],
            "[route] default exchange: * is just a name that no queue has",
        ),
        row("", "", &[], "[route] empty key names no queue"),
        row("", "missing", &[], "[route] unknown queue name: unroutable"),
        row("", "orders ", &[], "[route] exact name only"),
        hrow(
            "",
            "orders",
            json!({"orders": "x"}),
            &["orders"],
            "[exchanges] default exchange ignores headers",
        ),
    ];
    let mut n = check_rows("default (implicit)", &implicit.build(), &rows);
    n += check_rows("default (explicit node)", &explicit.build(), &rows);
    assert!(n >= 18);
    // Unknown exchange: no answer at all.
    let t = implicit.build();
    assert_eq!(
        route_names(&t, "nope", "orders", &BTreeMap::new()),
        None,
        "unknown exchange gives None"
    );
    assert_eq!(
        route_names(&t, "Other", "x", &BTreeMap::new()),
        None,
        "exchange names are case-sensitive"
    );
    assert_eq!(
        route_names(&t, "other", "orders", &BTreeMap::new()),
        Some(vec![]),
        "a declared exchange without bindings"
    );
}

#[test]
fn default_exchange_cannot_be_bound_or_given_an_ae() {
    // rabbitmq: queue.bind / exchange.bind with the default exchange is refused
    // ("operation not permitted on the default exchange"); [ae] "For any given exchange
    // except for the default one, an AE can be defined".
    let base = |edges: Value| {
        json!({
            "version": 1,
            "nodes": [
                {"id": "dx", "kind": "exchange", "name": ""},
                {"id": "x", "kind": "exchange", "name": "x", "exchange": {"type": "fanout"}},
                {"id": "q", "kind": "queue", "name": "q"},
            ],
            "edges": edges,
        })
        .to_string()
    };
    let cases = [
        (
            json!([{"id": "e", "from": "dx", "to": "q", "kind": "binding", "routing_key": "q"}]),
            "queue bound to default",
        ),
        (
            json!([{"id": "e", "from": "dx", "to": "x", "kind": "binding"}]),
            "default as e2e source",
        ),
        (
            json!([{"id": "e", "from": "x", "to": "dx", "kind": "binding"}]),
            "default as e2e destination",
        ),
        (
            json!([{"id": "e", "from": "dx", "to": "x", "kind": "alternate-exchange"}]),
            "AE on the default exchange",
        ),
    ];
    for (edges, what) in cases {
        assert!(
            load_scenario(&base(edges)).is_err(),
            "{what} must be refused"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Exchange-to-exchange bindings and alternate exchanges
// ---------------------------------------------------------------------------------------

#[test]
fn e2e_chains_diamonds_and_cycles() {
    let topo = Topo {
        exchanges: &[
            ("src", "direct"),
            ("mid", "topic"),
            ("left", "fanout"),
            ("right", "fanout"),
            ("c1", "fanout"),
            ("c2", "fanout"),
            ("t", "topic"),
            ("td", "direct"),
        ],
        queues: &[
            "direct_a",
            "mid_a",
            "mid_star_b",
            "diamond",
            "cyc1",
            "cyc2",
            "td_q",
        ],
        bindings: &[
            ("src", "x:mid", "a", json!({})),
            ("src", "q:direct_a", "a", json!({})),
            ("mid", "q:mid_a", "a", json!({})),
            ("mid", "q:mid_star_b", "*.b", json!({})),
            ("src", "x:left", "d", json!({})),
            ("src", "x:right", "d", json!({})),
            ("src", "q:diamond", "d", json!({})),
            ("left", "q:diamond", "", json!({})),
            ("right", "q:diamond", "", json!({})),
            ("src", "x:c1", "c", json!({})),
            ("c1", "x:c2", "", json!({})),
            ("c2", "x:c1", "", json!({})),
            ("c1", "q:cyc1", "", json!({})),
            ("c2", "q:cyc2", "", json!({})),
            ("c2", "x:src", "", json!({})),
            ("t", "x:td", "#", json!({})),
            ("t", "x:td", "b.*", json!({})),
            ("td", "q:td_q", "b.c", json!({})),
        ],
        alternates: &[],
    };
    let t = topo.build();
    let rows = [
        row(
            "src",
            "a",
            &["direct_a", "mid_a"],
            "[e2e] binding keys operate as normal at each hop; key unchanged",
        ),
        row(
            "src",
            "x.b",
            &[],
            "[e2e] src (direct) does not forward x.b, so mid's *.b never sees it",
        ),
        row(
            "mid",
            "x.b",
            &["mid_star_b"],
            "[e2e] publishing straight to the destination exchange",
        ),
        row(
            "src",
            "d",
            &["diamond"],
            "[e2e] diamond: three paths, exactly one copy",
        ),
        row("left", "anything", &["diamond"], "[exchanges] fanout"),
        row(
            "src",
            "c",
            &["cyc1", "cyc2"],
            "[e2e] cycle c1<->c2 (and back to src) terminates",
        ),
        row(
            "c2",
            "anything",
            &["cyc1", "cyc2"],
            "[route] c2 -> c1 -> c2 seen; src gets key anything, matches nothing",
        ),
        row(
            "c2",
            "a",
            &["cyc1", "cyc2", "direct_a", "mid_a"],
            "[route] cycle plus onward route through src",
        ),
        row(
            "c2",
            "d",
            &["cyc1", "cyc2", "diamond"],
            "[route] cycle plus diamond",
        ),
        row(
            "c1",
            "c",
            &["cyc1", "cyc2"],
            "[route] src forwards c to c1 again: already seen",
        ),
        row("src", "zzz", &[], "[exchanges] nothing matches: unroutable"),
        row(
            "t",
            "b.c",
            &["td_q"],
            "[e2e] two bindings t->td match: td visited once",
        ),
        row(
            "t",
            "b.d",
            &[],
            "[e2e] td (direct) still applies its own key rule",
        ),
    ];
    check_rows("e2e", &t, &rows);
}

#[test]
fn e2e_self_binding_and_alternate() {
    // route1: ExchangeDests = [selfx] is not empty, so process_alternate gives [] and
    // process_route skips selfx (already the seen exchange): the message goes nowhere.
    let topo = Topo {
        exchanges: &[("selfx", "direct"), ("ae_all", "fanout")],
        queues: &["self_q", "unrouted"],
        bindings: &[
            ("selfx", "x:selfx", "loop", json!({})),
            ("selfx", "q:self_q", "q", json!({})),
            ("ae_all", "q:unrouted", "", json!({})),
        ],
        alternates: &[("selfx", "ae_all")],
    };
    let t = topo.build();
    let rows = [
        row(
            "selfx",
            "loop",
            &[],
            "[route] own binding matched (to itself): AE not used, self not revisited",
        ),
        row("selfx", "q", &["self_q"], "[exchanges] ordinary match"),
        row(
            "selfx",
            "other",
            &["unrouted"],
            "[ae] no matching binding: AE",
        ),
    ];
    check_rows("self binding", &t, &rows);
}

#[test]
fn alternate_exchange_rules() {
    let topo = Topo {
        exchanges: &[
            ("main", "direct"),
            ("ae1", "direct"),
            ("ae2", "fanout"),
            ("hop", "direct"),
            ("hopae", "direct"),
            ("hop_ae_x", "fanout"),
        ],
        queues: &["main_q", "ae1_q", "ae2_q", "hop_q", "hop_ae_q"],
        bindings: &[
            ("main", "q:main_q", "direct", json!({})),
            ("main", "x:hop", "to-hop", json!({})),
            ("main", "x:hopae", "to-hopae", json!({})),
            ("ae1", "q:ae1_q", "known-to-ae1", json!({})),
            ("ae2", "q:ae2_q", "", json!({})),
            ("hop", "q:hop_q", "hop-match", json!({})),
            ("hop_ae_x", "q:hop_ae_q", "", json!({})),
        ],
        alternates: &[("main", "ae1"), ("ae1", "ae2"), ("hopae", "hop_ae_x")],
    };
    let t = topo.build();
    let rows = [
        row(
            "main",
            "direct",
            &["main_q"],
            "[ae] routed normally: AE not used",
        ),
        row(
            "main",
            "unknown",
            &["ae2_q"],
            "[ae] AE chain: main -> ae1 (no match) -> ae2",
        ),
        row(
            "main",
            "known-to-ae1",
            &["ae1_q"],
            "[ae] AE routes with the original key; ae1 matched so ae2 unused",
        ),
        row(
            "main",
            "hop-match",
            &["ae2_q"],
            "[ae] key only bound on hop, which main does not reach with it",
        ),
        row(
            "main",
            "to-hop",
            &[],
            "[route] main's own bindings matched (exchange hop): main's AE not used; hop has none",
        ),
        row(
            "main",
            "to-hopae",
            &["hop_ae_q"],
            "[route] AE applies per exchange: hopae matched nothing, its AE used; main's not",
        ),
        row(
            "ae1",
            "unknown",
            &["ae2_q"],
            "[ae] AE of an exchange published to directly",
        ),
        row("ae2", "whatever", &["ae2_q"], "[exchanges] fanout"),
        row("hop", "to-hop", &[], "[ae] no AE: unroutable"),
        row("hopae", "x", &["hop_ae_q"], "[ae] AE of the entry exchange"),
    ];
    check_rows("ae", &t, &rows);
}

#[test]
fn alternate_exchange_cycles_and_revisits() {
    let topo = Topo {
        exchanges: &[
            ("a", "direct"),
            ("b", "direct"),
            ("s", "direct"),
            ("p", "direct"),
            ("r", "direct"),
            ("pae", "fanout"),
        ],
        queues: &["qa", "qb", "qs", "pq", "rq", "pae_q"],
        bindings: &[
            ("a", "q:qa", "ka", json!({})),
            ("b", "q:qb", "kb", json!({})),
            ("s", "q:qs", "ks", json!({})),
            ("p", "x:r", "k", json!({})),
            ("p", "q:pq", "pk", json!({})),
            ("r", "q:rq", "rk", json!({})),
            ("pae", "q:pae_q", "", json!({})),
        ],
        alternates: &[("a", "b"), ("b", "a"), ("s", "s"), ("r", "p"), ("p", "pae")],
    };
    let t = topo.build();
    let rows = [
        row("a", "ka", &["qa"], "[ae] matched: AE unused"),
        row("a", "kb", &["qb"], "[ae] a -> AE b"),
        row(
            "a",
            "none",
            &[],
            "[route] AE cycle a -> b -> a (seen): terminates, unroutable",
        ),
        row("b", "ka", &["qa"], "[ae] b -> AE a"),
        row("b", "none", &[], "[route] AE cycle from b"),
        row(
            "s",
            "none",
            &[],
            "[route] an exchange that is its own AE: seen, stop",
        ),
        row("s", "ks", &["qs"], "[exchanges] ordinary match"),
        row(
            "p",
            "k",
            &[],
            "[route] p -> r; r unmatched -> AE p already seen; p matched so pae unused",
        ),
        row(
            "r",
            "k",
            &[],
            "[route] r -> AE p; p forwards to r (seen); p matched so pae unused",
        ),
        row("r", "pk", &["pq"], "[ae] r -> AE p -> pq"),
        row("r", "rk", &["rq"], "[exchanges] ordinary match"),
        row(
            "r",
            "zz",
            &["pae_q"],
            "[ae] r -> AE p (no match) -> AE pae: AE chain across a visited-check",
        ),
        row("p", "zz", &["pae_q"], "[ae] p unmatched -> pae"),
    ];
    check_rows("ae cycles", &t, &rows);
}

#[test]
fn alternate_exchange_with_e2e_and_headers() {
    let topo = Topo {
        exchanges: &[
            ("entry", "topic"),
            ("orders", "headers"),
            ("orders_ae", "fanout"),
            ("catch", "fanout"),
            ("hx", "direct"),
            ("hae", "headers"),
            ("m", "direct"),
            ("z", "fanout"),
            ("he", "headers"),
            ("fe", "fanout"),
            ("fe_to_dead_end", "fanout"),
            ("dead_end", "direct"),
        ],
        queues: &[
            "eu",
            "orders_unmatched",
            "audit",
            "catch_all",
            "hq",
            "zq",
            "mb",
            "heq",
        ],
        bindings: &[
            ("entry", "x:orders", "orders.#", json!({})),
            ("entry", "q:audit", "*.audit", json!({})),
            (
                "orders",
                "q:eu",
                "",
                json!({"x-match": "all", "region": "eu"}),
            ),
            ("orders_ae", "q:orders_unmatched", "", json!({})),
            ("catch", "q:catch_all", "", json!({})),
            ("hae", "q:hq", "", json!({"x-match": "any", "k": "v"})),
            ("m", "x:z", "b", json!({})),
            ("m", "q:mb", "b", json!({})),
            ("z", "q:zq", "", json!({})),
            ("he", "q:heq", "", json!({})),
            ("fe_to_dead_end", "x:dead_end", "", json!({})),
        ],
        alternates: &[
            ("entry", "catch"),
            ("orders", "orders_ae"),
            ("hx", "hae"),
            ("m", "z"),
            ("he", "z"),
            ("fe", "z"),
            ("fe_to_dead_end", "z"),
        ],
    };
    let t = topo.build();
    let rows = [
        hrow(
            "entry",
            "orders.new",
            json!({"region": "eu"}),
            &["eu"],
            "[e2e] topic -> headers exchange",
        ),
        hrow(
            "entry",
            "orders.new",
            json!({"region": "us"}),
            &["orders_unmatched"],
            "[route] orders matched nothing: its AE; entry's AE not used",
        ),
        hrow(
            "entry",
            "orders.audit",
            json!({"region": "eu"}),
            &["audit", "eu"],
            "[e2e] queue and exchange bindings both match",
        ),
        row("entry", "x.audit", &["audit"], "[exchanges] topic"),
        row(
            "entry",
            "x.y",
            &["catch_all"],
            "[ae] nothing matched at entry",
        ),
        row(
            "entry",
            "orders",
            &["orders_unmatched"],
            "[trie] orders.# matches orders; headers {} fails region",
        ),
        row(
            "entry",
            "",
            &["catch_all"],
            "[trie] empty key matches neither orders.# nor *.audit",
        ),
        hrow(
            "hx",
            "nomatch",
            json!({"k": "v"}),
            &["hq"],
            "[ae] the AE sees the message's headers",
        ),
        row(
            "hx",
            "nomatch",
            &[],
            "[ae] AE (headers) matches nothing; it has no AE",
        ),
        row(
            "m",
            "b",
            &["mb", "zq"],
            "[route] z reached by a binding (AE unused); each queue once",
        ),
        row("m", "c", &["zq"], "[ae] unmatched: AE z"),
        row(
            "he",
            "k",
            &["heq"],
            "[hdr] empty-arguments headers binding matches everything: AE never used",
        ),
        row(
            "fe",
            "k",
            &["zq"],
            "[ae] fanout with no bindings: \"no bound queues\" -> AE",
        ),
        row(
            "fe_to_dead_end",
            "k",
            &[],
            "[route] fanout matched its exchange binding; dead_end has nothing, no AE",
        ),
    ];
    check_rows("ae + e2e", &t, &rows);
}

/// Sender-selected distribution: the `CC` and `BCC` headers (arrays of strings) add
/// routing keys ([cc]). Direct, topic and the default exchange route on every key; the
/// queues reached are still a set.
#[test]
fn sender_selected_cc_and_bcc_add_routing_keys() {
    let topo = Topo {
        exchanges: &[("d", "direct"), ("t", "topic"), ("f", "fanout")],
        queues: &["q1", "q2", "q3"],
        bindings: &[
            ("d", "q:q1", "k1", json!({})),
            ("d", "q:q2", "k2", json!({})),
            ("t", "q:q3", "x.*", json!({})),
            ("f", "q:q1", "", json!({})),
        ],
        alternates: &[],
    };
    let t = topo.build();
    let rows = [
        hrow(
            "d",
            "k1",
            json!({"CC": ["k2"]}),
            &["q1", "q2"],
            "[cc] CC adds a routing key",
        ),
        hrow(
            "d",
            "k1",
            json!({"BCC": ["k2"]}),
            &["q1", "q2"],
            "[cc] BCC adds a routing key",
        ),
        hrow(
            "d",
            "none",
            json!({"CC": ["k1", "k2"]}),
            &["q1", "q2"],
            "[cc] CC keys alone suffice",
        ),
        hrow(
            "d",
            "k1",
            json!({"CC": ["k1"]}),
            &["q1"],
            "[cc] same key twice: one copy",
        ),
        hrow(
            "t",
            "a",
            json!({"CC": ["x.y"]}),
            &["q3"],
            "[cc] topic matches CC keys",
        ),
        hrow(
            "",
            "q1",
            json!({"CC": ["q2"], "BCC": ["q3"]}),
            &["q1", "q2", "q3"],
            "[cc] default exchange: each key names a queue",
        ),
        hrow(
            "f",
            "",
            json!({"CC": ["k2"]}),
            &["q1"],
            "[cc] fanout ignores keys",
        ),
    ];
    check_rows("cc/bcc", &t, &rows);
}

// ---------------------------------------------------------------------------------------
// Reference matchers (oracles for the property tests), written from [trie], [hdr], [route]
// ---------------------------------------------------------------------------------------

fn split_words(key: &str) -> Vec<&str> {
    if key.is_empty() {
        Vec::new()
    } else {
        key.split('.').collect()
    }
}

fn match_words(pattern: &[&str], key: &[&str]) -> bool {
    // Recursive backtracking, memoised on (pattern position, key position) so that
    // patterns with many `#` stay polynomial.
    fn go(p: &[&str], k: &[&str], i: usize, j: usize, memo: &mut Vec<Option<bool>>) -> bool {
        let slot = i * (k.len() + 1) + j;
        if let Some(done) = memo[slot] {
            return done;
        }
        let result = match p.get(i) {
            None => j == k.len(),
            Some(&"#") => (j..=k.len()).any(|skip| go(p, k, i + 1, skip, memo)),
            Some(&"*") => j < k.len() && go(p, k, i + 1, j + 1, memo),
            Some(word) => j < k.len() && k[j] == *word && go(p, k, i + 1, j + 1, memo),
        };
        memo[slot] = Some(result);
        result
    }
    let mut memo = vec![None; (pattern.len() + 1) * (key.len() + 1)];
    go(pattern, key, 0, 0, &mut memo)
}

/// Recursive backtracking over words; the empty key has zero words.
fn reference_topic(binding: &str, key: &str) -> bool {
    match_words(&split_words(binding), &split_words(key))
}

/// `rabbit_exchange_type_headers` (3.13+): match/match_x, match_all/match_any, `=:=`.
fn reference_headers(arguments: &Map<String, Value>, hdrs: &BTreeMap<String, Value>) -> bool {
    let mode = arguments
        .get("x-match")
        .and_then(Value::as_str)
        .unwrap_or("all");
    let (any, with_x) = match mode {
        "any" => (true, false),
        "any-with-x" => (true, true),
        "all-with-x" => (false, true),
        _ => (false, false),
    };
    let results = arguments.iter().filter_map(|(k, v)| {
        let skip = if with_x {
            k == "x-match"
        } else {
            k.starts_with("x-")
        };
        if skip {
            None
        } else if v.is_null() {
            Some(hdrs.contains_key(k))
        } else {
            Some(hdrs.get(k) == Some(v))
        }
    });
    let mut results = results;
    if any {
        results.any(|r| r)
    } else {
        results.all(|r| r)
    }
}

/// (source exchange, destination: Ok(queue) / Err(exchange), key, arguments)
type SpecBinding = (usize, Result<usize, usize>, String, Map<String, Value>);

/// A random small topology for the property tests.
#[derive(Clone, Debug)]
struct Spec {
    exchange_types: Vec<ExchangeType>,
    queues: usize,
    bindings: Vec<SpecBinding>,
    alternates: Vec<Option<usize>>,
}

impl Spec {
    fn scenario(&self) -> Scenario {
        let mut s = Scenario::empty();
        for (i, kind) in self.exchange_types.iter().enumerate() {
            let mut n = Node::new(format!("x{i}"), NodeKind::Exchange, format!("e{i}"));
            n.spec = NodeSpec::Exchange(ExchangeSpec {
                kind: *kind,
                ..Default::default()
            });
            s.nodes.push(n);
        }
        for q in 0..self.queues {
            s.nodes
                .push(Node::new(format!("q{q}"), NodeKind::Queue, format!("q{q}")));
        }
        for (i, (from, to, key, arguments)) in self.bindings.iter().enumerate() {
            let to = match to {
                Ok(q) => format!("q{q}"),
                Err(x) => format!("x{x}"),
            };
            let mut e = Edge::new(format!("b{i}"), format!("x{from}"), to, EdgeKind::Binding);
            e.routing_key = Some(key.clone());
            e.arguments = arguments.clone();
            s.edges.push(e);
        }
        for (i, ae) in self.alternates.iter().enumerate() {
            if let Some(a) = ae {
                s.edges.push(Edge::new(
                    format!("ae{i}"),
                    format!("x{i}"),
                    format!("x{a}"),
                    EdgeKind::AlternateExchange,
                ));
            }
        }
        s
    }

    /// `rabbit_exchange:route/3` over this spec.
    fn reference_route(
        &self,
        exchange: &str,
        key: &str,
        hdrs: &BTreeMap<String, Value>,
    ) -> Option<Vec<String>> {
        let mut queues = BTreeSet::new();
        if exchange.is_empty() {
            if (0..self.queues).any(|q| format!("q{q}") == key) {
                queues.insert(key.to_string());
            }
            return Some(queues.into_iter().collect());
        }
        let entry = (0..self.exchange_types.len()).find(|i| format!("e{i}") == exchange)?;
        let mut seen = BTreeSet::from([entry]);
        let mut work = vec![entry];
        while let Some(x) = work.pop() {
            let mut dests: Vec<Result<usize, usize>> = self
                .bindings
                .iter()
                .filter(|(from, _, _, _)| *from == x)
                .filter(|(_, _, bkey, bargs)| match self.exchange_types[x] {
                    ExchangeType::Direct => bkey == key,
                    ExchangeType::Fanout => true,
                    ExchangeType::Topic => reference_topic(bkey, key),
                    ExchangeType::Headers => reference_headers(bargs, hdrs),
                })
                .map(|(_, to, _, _)| *to)
                .collect();
            if dests.is_empty() {
                if let Some(a) = self.alternates[x] {
                    dests.push(Err(a));
                }
            }
            for d in dests {
                match d {
                    Ok(q) => {
                        queues.insert(format!("q{q}"));
                    }
                    Err(y) => {
                        if seen.insert(y) {
                            work.push(y);
                        }
                    }
                }
            }
        }
        Some(queues.into_iter().collect())
    }
}

fn word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["a", "b", "", "*", "#", "a*", "#b"])
}

fn key_word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["a", "b", "", "*", "#"])
}

fn binding_key() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..5).prop_map(|w| w.join("."))
}

fn routing_key() -> impl Strategy<Value = String> {
    prop::collection::vec(key_word(), 0..6).prop_map(|w| w.join("."))
}

fn header_value() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![json!("1"), json!("2"), json!(1), Value::Null])
}

fn header_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["h1", "h2", "x-h"])
}

fn binding_arguments() -> impl Strategy<Value = Map<String, Value>> {
    (
        prop::option::of(prop::sample::select(vec![
            "all",
            "any",
            "all-with-x",
            "any-with-x",
        ])),
        prop::collection::btree_map(header_name(), header_value(), 0..3),
    )
        .prop_map(|(mode, pairs)| {
            let mut m = Map::new();
            if let Some(mode) = mode {
                m.insert("x-match".into(), json!(mode));
            }
            for (k, v) in pairs {
                m.insert(k.to_string(), v);
            }
            m
        })
}

fn message_headers() -> impl Strategy<Value = BTreeMap<String, Value>> {
    prop::collection::btree_map(header_name(), header_value(), 0..3)
        .prop_map(|m| m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..=4, 1usize..=4).prop_flat_map(|(nx, nq)| {
        let types = prop::collection::vec(
            prop::sample::select(vec![
                ExchangeType::Direct,
                ExchangeType::Fanout,
                ExchangeType::Topic,
                ExchangeType::Headers,
            ]),
            nx,
        );
        let dest = prop_oneof![(0..nq).prop_map(Ok), (0..nx).prop_map(Err)];
        let binding = (0..nx, dest, binding_key(), binding_arguments());
        let bindings = prop::collection::vec(binding, 0..9);
        let alternates = prop::collection::vec(prop::option::weighted(0.4, 0..nx), nx);
        (types, bindings, alternates).prop_map(move |(exchange_types, bindings, alternates)| Spec {
            exchange_types,
            queues: nq,
            bindings,
            alternates,
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// `topic_matches` agrees with recursive backtracking over words.
    #[test]
    fn topic_matches_agrees_with_reference(binding in binding_key(), key in routing_key()) {
        prop_assert_eq!(topic_matches(&binding, &key), reference_topic(&binding, &key),
            "binding {:?} key {:?}", binding, key);
    }

    /// Same, over arbitrary short strings of the interesting characters.
    #[test]
    fn topic_matches_agrees_with_reference_on_raw_strings(
        binding in "[ab.*#]{0,8}",
        key in "[ab.*#]{0,8}",
    ) {
        prop_assert_eq!(topic_matches(&binding, &key), reference_topic(&binding, &key),
            "binding {:?} key {:?}", binding, key);
    }

    /// `headers_match` agrees with the 3.13+ algorithm on strings, integers and void.
    #[test]
    fn headers_match_agrees_with_reference(arguments in binding_arguments(), hdrs in message_headers()) {
        prop_assert_eq!(headers_match(&arguments, &hdrs), reference_headers(&arguments, &hdrs),
            "arguments {:?} headers {:?}", arguments, hdrs);
    }

    /// For random small topologies: sorted, no duplicates, deterministic, and equal to
    /// `rabbit_exchange:route/3` (reference).
    #[test]
    fn route_names_is_a_sorted_deterministic_set(
        spec in spec(),
        entry in 0usize..5,
        key in routing_key(),
        hdrs in message_headers(),
    ) {
        let scenario = spec.scenario();
        let t = Topology::build(&scenario).expect("generated scenario must build");
        let exchange = if entry == 4 { String::new() } else { format!("e{}", entry % spec.exchange_types.len()) };
        // The default exchange gets queue names as keys too.
        let keys = [key.clone(), format!("q{}", entry % spec.queues)];
        for key in &keys {
            let first = route_names(&t, &exchange, key, &hdrs);
            let second = route_names(&t, &exchange, key, &hdrs);
            prop_assert_eq!(&first, &second, "not deterministic");
            let names = first.expect("known exchange");
            let mut sorted = names.clone();
            sorted.sort();
            sorted.dedup();
            prop_assert_eq!(&names, &sorted, "must be sorted without duplicates");
            let rebuilt = Topology::build(&scenario).unwrap();
            prop_assert_eq!(route_names(&rebuilt, &exchange, key, &hdrs), Some(names.clone()),
                "same topology built twice must route the same");
            prop_assert_eq!(Some(names), spec.reference_route(&exchange, key, &hdrs),
                "differs from rabbit_exchange:route/3 reference; exchange {:?} key {:?} headers {:?} spec {:?}",
                exchange, key, hdrs, spec);
        }
    }
}

/// A CC or BCC header that is not an array: `rabbit_basic:header_routes/1` throws
/// `unacceptable_type_in_header` and the broker refuses the publish (PRECONDITION_FAILED,
/// checked against RabbitMQ 3.10 by tests/rabbit/rabbit_check.py). Refused in a file's
/// producer and script step, and by hand.
#[test]
fn a_cc_or_bcc_that_is_not_an_array_is_refused() {
    use queue_playground::core::scenario::load_scenario;
    let e = load_scenario(
        &serde_json::json!({"version": 2,
            "nodes": [{"id": "p", "kind": "producer", "name": "p", "producer": {"headers": {"CC": "audit"}}},
                      {"id": "x", "kind": "exchange", "name": "x"}, {"id": "q", "kind": "queue", "name": "q"}],
            "edges": [{"id": "e1", "from": "p", "to": "x", "kind": "publish"},
                      {"id": "e2", "from": "x", "to": "q", "kind": "binding", "routing_key": "k"}],
            "script": [{"op": "publish", "at_ms": 0, "exchange": "x", "routing_key": "k", "properties": {"headers": {"BCC": 5, "CC": ["ok"]}}}]})
        .to_string(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("nodes[0].producer.headers.CC: the CC header must be a list of routing keys"),
        "{e}"
    );
    assert!(
        e.contains("script[0].properties.headers.BCC: the BCC header must be a list"),
        "{e}"
    );
}
