//! RabbitMQ definitions.json import and export (rabbitmq.com/docs/definitions): realistic
//! files in `tests/fixtures/definitions/`, policies against arguments
//! (rabbitmq.com/docs/policies), routing through the imported topology, round trips,
//! the exported document's shape, and errors for every kind of bad input.

use proptest::prelude::*;
use queue_playground::core::definitions::{
    export_definitions, import_definitions, Imported, MAX_DEFINITIONS_BYTES,
};
use queue_playground::core::families::rabbit::routing::headers::Headers;
use queue_playground::core::families::rabbit::routing::route_names;
use queue_playground::core::scenario::NodeSpec;
use queue_playground::core::scenario::{
    validate, ExchangeSpec, ExchangeType, Node, NodeKind, Overflow, QueueSpec, QueueType, Scenario,
};
use queue_playground::core::topology::Topology;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

const FULL: &str = include_str!("../fixtures/definitions/full-export.json");
const DLX: &str = include_str!("../fixtures/definitions/dlx-ttl-maxlength.json");
const E2E: &str = include_str!("../fixtures/definitions/e2e-alternate.json");
const AMQ: &str = include_str!("../fixtures/definitions/amq-topic.json");

fn import(text: &str) -> Imported {
    match import_definitions(text, None) {
        Ok(i) => i,
        Err(e) => panic!("import failed: {e}"),
    }
}

fn import_value(v: Value) -> Result<Imported, String> {
    import_definitions(&v.to_string(), None)
}

fn err_of(v: Value) -> String {
    match import_value(v) {
        Ok(i) => panic!(
            "expected an error, got a scenario with {} nodes",
            i.scenario.nodes.len()
        ),
        Err(e) => e,
    }
}

fn node<'a>(s: &'a Scenario, kind: NodeKind, name: &str) -> &'a Node {
    s.nodes
        .iter()
        .find(|n| n.kind() == kind && n.name == name)
        .unwrap_or_else(|| panic!("no {} named {name:?}", kind.as_str()))
}

fn queue(s: &Scenario, name: &str) -> QueueSpec {
    node(s, NodeKind::Queue, name).queue_spec()
}

fn exchange_kind(s: &Scenario, name: &str) -> ExchangeType {
    node(s, NodeKind::Exchange, name).exchange_spec().kind
}

/// The dead-letter exchange name and routing key of queue `name`.
fn dead_letter(s: &Scenario, name: &str) -> Option<(String, Option<String>)> {
    let q = node(s, NodeKind::Queue, name);
    s.edges
        .iter()
        .find(|e| {
            e.kind == queue_playground::core::scenario::EdgeKind::DeadLetter && e.from == q.id
        })
        .map(|e| {
            (
                s.node(&e.to).map(|n| n.name.clone()).unwrap_or_default(),
                e.routing_key.clone(),
            )
        })
}

fn alternate(s: &Scenario, name: &str) -> Option<String> {
    let x = node(s, NodeKind::Exchange, name);
    s.edges
        .iter()
        .find(|e| {
            e.kind == queue_playground::core::scenario::EdgeKind::AlternateExchange
                && e.from == x.id
        })
        .and_then(|e| s.node(&e.to))
        .map(|n| n.name.clone())
}

fn route(s: &Scenario, exchange: &str, key: &str, headers: &[(&str, Value)]) -> Vec<String> {
    let topology = Topology::build(s).unwrap_or_else(|e| panic!("topology: {e}"));
    let table: Headers = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    route_names(&topology, exchange, key, &table)
        .unwrap_or_else(|| panic!("no exchange {exchange:?}"))
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn has_note(i: &Imported, words: &[&str]) -> bool {
    i.unsupported
        .iter()
        .any(|n| words.iter().all(|w| n.contains(w)))
}

/// The topology as a set of lines, independent of ids, order and layout.
fn summary(s: &Scenario) -> BTreeSet<String> {
    let by_id: HashMap<&str, &Node> = s.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut out = BTreeSet::new();
    for n in &s.nodes {
        match n.kind() {
            NodeKind::Exchange => {
                out.insert(format!(
                    "exchange {:?} {:?}",
                    n.name,
                    n.exchange_spec().kind
                ));
            }
            NodeKind::Queue => {
                out.insert(format!("queue {:?} {:?}", n.name, n.queue_spec()));
            }
            _ => {}
        }
    }
    for e in &s.edges {
        out.insert(format!(
            "{:?} {:?} -> {:?} key={:?} args={}",
            e.kind,
            by_id[e.from.as_str()].name,
            by_id[e.to.as_str()].name,
            e.routing_key,
            Value::Object(e.arguments.clone())
        ));
    }
    out
}

fn round_trip(text: &str) {
    let first = import(text);
    let vhost = first
        .scenario
        .description
        .split('"')
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let exported = export_definitions(&first.scenario, &vhost);
    let again = import_definitions(&exported.definitions.to_string(), None)
        .unwrap_or_else(|e| panic!("re-import failed: {e}\n{}", exported.definitions));
    assert_eq!(summary(&first.scenario), summary(&again.scenario));
}

// ---------------------------------------------------------------------------------
// Realistic files

#[test]
fn full_export_imports_queues_exchanges_bindings_and_policies() {
    let i = import(FULL);
    let s = &i.scenario;
    assert!(validate(s).is_empty());
    assert_eq!(
        s.nodes
            .iter()
            .filter(|n| n.kind() == NodeKind::Queue)
            .count(),
        6
    );
    assert_eq!(
        s.nodes
            .iter()
            .filter(|n| n.kind() == NodeKind::Exchange)
            .count(),
        4
    );
    assert_eq!(exchange_kind(s, "orders"), ExchangeType::Topic);
    assert_eq!(exchange_kind(s, "notifications"), ExchangeType::Headers);

    // Quorum queue: argument delivery limit, policy max-length and overflow (for
    // quorum queues the policy's overflow wins).
    let created = queue(s, "orders.created");
    assert_eq!(created.queue_type, QueueType::Quorum);
    assert_eq!(created.delivery_limit, Some(5));
    assert_eq!(created.max_length, Some(10_000));
    assert_eq!(created.overflow, Overflow::RejectPublish);
    assert_eq!(
        dead_letter(s, "orders.created"),
        Some(("orders.dlx".into(), None))
    );

    // max-length from argument and policy: the lower wins (docs/maxlength).
    assert_eq!(queue(s, "orders.shipped").max_length, Some(500));
    assert_eq!(queue(s, "orders.shipped").overflow, Overflow::RejectPublish);
    assert!(queue(s, "billing").single_active_consumer);
    assert_eq!(queue(s, "billing").max_length, None);
    assert_eq!(queue(s, "notifications.email").max_priority, Some(10));

    // Users, permissions, global parameters: silent. Mirroring keys and lazy mode: noted.
    assert!(has_note(&i, &["ha-all", "ha-mode", "ha-sync-mode"]));
    assert!(has_note(&i, &["audit", "x-queue-mode"]));
    assert!(!i
        .unsupported
        .iter()
        .any(|n| n.contains("guest") || n.contains("permission") || n.contains("users")));
    assert_eq!(i.unsupported.len(), 2, "{:#?}", i.unsupported);
}

#[test]
fn full_export_routes_like_rabbitmq() {
    let s = import(FULL).scenario;
    assert_eq!(
        route(&s, "orders", "order.created", &[]),
        names(&["audit", "billing", "orders.created"])
    );
    assert_eq!(
        route(&s, "orders", "order.eu.shipped", &[]),
        names(&["audit", "billing", "orders.shipped"])
    );
    assert_eq!(route(&s, "orders", "invoice.paid", &[]), names(&["audit"]));
    assert_eq!(
        route(&s, "notifications", "", &[("channel", json!("email"))]),
        names(&["notifications.email"])
    );
    assert_eq!(
        route(&s, "notifications", "", &[("channel", json!("sms"))]),
        Vec::<String>::new()
    );
    // The default exchange reaches every queue by its name.
    assert_eq!(route(&s, "", "orders.dead", &[]), names(&["orders.dead"]));
}

#[test]
fn dead_letter_ttl_and_max_length_file() {
    let i = import(DLX);
    let s = &i.scenario;
    let work = queue(s, "work");
    assert_eq!(work.max_length, Some(1000));
    assert_eq!(work.overflow, Overflow::RejectPublishDlx);
    assert_eq!(dead_letter(s, "work"), Some(("work.retry".into(), None)));

    // Argument 5000 ms, policy 3000 ms: the lower wins (docs/ttl).
    let wait = queue(s, "work.wait");
    assert_eq!(wait.message_ttl_ms, Some(3000.0));
    // "" is the default exchange: a node is created for it.
    assert_eq!(
        dead_letter(s, "work.wait"),
        Some(("".into(), Some("work".into())))
    );
    assert_eq!(exchange_kind(s, ""), ExchangeType::Direct);

    assert_eq!(queue(s, "work.parking").max_length_bytes, Some(1_048_576));
    assert_eq!(queue(s, "reports").message_ttl_ms, Some(60_000.0));
    // A dead-letter exchange that does not exist: RabbitMQ drops; no edge, a note.
    assert_eq!(dead_letter(s, "reports"), None);
    assert!(has_note(&i, &["reports", "\"gone\"", "not declared"]));

    assert_eq!(route(s, "work", "work", &[]), names(&["work"]));
    assert_eq!(
        route(s, "work.retry", "anything", &[]),
        names(&["work.wait"])
    );
    assert_eq!(route(s, "", "work.parking", &[]), names(&["work.parking"]));
}

#[test]
fn exchange_to_exchange_and_alternate_exchange_file() {
    let i = import(E2E);
    let s = &i.scenario;
    // Only "shop" has content: it is picked even though "/" is listed too.
    assert_eq!(s.nodes.len(), 9);
    assert!(s.description.contains("\"shop\""));
    assert_eq!(alternate(s, "ingress"), Some("unrouted".into()));
    // Internal exchanges stay internal (only other exchanges reach them), and that is
    // no longer a note: the playground enforces it.
    for name in ["eu", "us"] {
        assert!(node(s, NodeKind::Exchange, name).exchange_spec().internal);
        assert!(!has_note(&i, &[&format!("\"{name}\""), "internal"]));
    }
    assert!(
        !node(s, NodeKind::Exchange, "ingress")
            .exchange_spec()
            .internal
    );

    assert_eq!(
        route(s, "ingress", "order.eu.1", &[]),
        names(&["eu.orders", "everything"])
    );
    // Reached by two paths (ingress → tap and ingress → eu → tap): one copy.
    assert_eq!(
        route(s, "ingress", "order.eu.vip", &[]),
        names(&["eu.orders", "everything"])
    );
    assert_eq!(route(s, "ingress", "order.us", &[]), names(&["us.orders"]));
    // Nothing matches: the alternate exchange takes it.
    assert_eq!(route(s, "ingress", "order.asia", &[]), names(&["unrouted"]));
}

#[test]
fn vhost_choice() {
    let empty_root = import_definitions(E2E, Some("/")).unwrap();
    assert!(empty_root.scenario.nodes.is_empty());
    let shop = import_definitions(E2E, Some("shop")).unwrap();
    assert_eq!(shop.scenario.nodes.len(), 9);
    let e = import_definitions(E2E, Some("nope")).unwrap_err();
    assert!(e.contains("\"nope\"") && e.contains("\"shop\""), "{e}");

    // Several vhosts with content and none chosen: "/" is imported, the rest noted.
    let two = json!({
        "queues": [
            {"name": "a", "vhost": "/", "arguments": {}},
            {"name": "b", "vhost": "staging", "arguments": {}}
        ]
    });
    let i = import_value(two.clone()).unwrap();
    assert_eq!(i.scenario.nodes.len(), 1);
    assert_eq!(i.scenario.nodes[0].name, "a");
    assert!(has_note(&i, &["several virtual hosts", "\"staging\""]));
    let staging = import_definitions(&two.to_string(), Some("staging")).unwrap();
    assert_eq!(staging.scenario.nodes[0].name, "b");

    // A single-vhost export has no vhost fields: it is read whole for any vhost.
    let single = json!({"queues": [{"name": "only"}]});
    let i = import_definitions(&single.to_string(), Some("prod")).unwrap();
    assert_eq!(i.scenario.nodes.len(), 1);
}

#[test]
fn undeclared_builtin_exchanges_are_created_with_their_types() {
    let i = import(AMQ);
    let s = &i.scenario;
    assert!(validate(s).is_empty());
    assert_eq!(exchange_kind(s, "amq.topic"), ExchangeType::Topic);
    assert_eq!(exchange_kind(s, "amq.headers"), ExchangeType::Headers);
    assert_eq!(
        route(s, "amq.topic", "sensor.kitchen.temperature", &[]),
        names(&["sensors.all", "sensors.kitchen", "sensors.temperature"])
    );
    assert_eq!(
        route(s, "amq.topic", "sensor.garden.humidity", &[]),
        names(&["sensors.all"])
    );
    assert_eq!(
        route(s, "amq.headers", "", &[("room", json!("kitchen"))]),
        names(&["sensors.all"])
    );
    assert_eq!(
        route(s, "amq.headers", "", &[("alarm", json!(true))]),
        names(&["sensors.all"])
    );
    assert_eq!(
        route(s, "amq.headers", "", &[("room", json!("hall"))]),
        Vec::<String>::new()
    );
    // Only the one thing not modelled: sensors.kitchen is auto_delete.
    assert_eq!(i.unsupported.len(), 1, "{:#?}", i.unsupported);
    assert!(i.unsupported[0].contains("\"sensors.kitchen\" is auto_delete"));
}

#[test]
fn every_builtin_exchange_can_be_used_and_other_amq_names_cannot() {
    for (name, kind) in [
        ("amq.direct", ExchangeType::Direct),
        ("amq.fanout", ExchangeType::Fanout),
        ("amq.topic", ExchangeType::Topic),
        ("amq.headers", ExchangeType::Headers),
        ("amq.match", ExchangeType::Headers),
    ] {
        let i = import_value(json!({
            "queues": [{"name": "q"}],
            "bindings": [{"source": name, "destination": "q", "destination_type": "queue", "routing_key": "k"}]
        }))
        .unwrap();
        assert_eq!(exchange_kind(&i.scenario, name), kind);
    }
    let e = err_of(json!({
        "queues": [{"name": "q"}],
        "bindings": [{"source": "amq.foo", "destination": "q", "destination_type": "queue", "routing_key": ""}]
    }));
    assert!(
        e.starts_with("bindings[0]: source exchange \"amq.foo\" is not declared"),
        "{e}"
    );

    // Declaring a built-in exchange with the wrong type keeps the built-in type; an
    // unused one adds nothing.
    let i = import_value(json!({
        "exchanges": [{"name": "amq.topic", "type": "direct"}, {"name": "amq.fanout", "type": "fanout"}],
        "queues": [{"name": "q"}],
        "bindings": [{"source": "amq.topic", "destination": "q", "destination_type": "queue", "routing_key": "a.*"}]
    }))
    .unwrap();
    assert_eq!(exchange_kind(&i.scenario, "amq.topic"), ExchangeType::Topic);
    assert!(!i.scenario.nodes.iter().any(|n| n.name == "amq.fanout"));
    assert!(has_note(&i, &["amq.topic", "built-in"]));
    assert_eq!(i.unsupported.len(), 1, "{:#?}", i.unsupported);
    // Any other amq. name is skipped, as RabbitMQ does.
    let i = import_value(json!({"exchanges": [{"name": "amq.custom", "type": "direct"}]})).unwrap();
    assert!(i.scenario.nodes.is_empty());
    assert!(has_note(&i, &["amq.custom", "reserved"]));
}

#[test]
fn validation_allows_only_the_builtin_amq_exchanges_with_their_types() {
    let scenario = |name: &str, kind: ExchangeType| {
        let mut s = Scenario::empty();
        let mut n = Node::new("x", NodeKind::Exchange, name);
        n.spec = NodeSpec::Exchange(ExchangeSpec {
            kind,
            ..Default::default()
        });
        s.nodes.push(n);
        validate(&s)
    };
    assert!(scenario("amq.topic", ExchangeType::Topic).is_empty());
    assert!(scenario("amq.match", ExchangeType::Headers).is_empty());
    let wrong = scenario("amq.topic", ExchangeType::Direct);
    assert_eq!(wrong.len(), 1);
    assert!(wrong[0].message.contains("topic"), "{}", wrong[0]);
    let other = scenario("amq.orders", ExchangeType::Direct);
    assert_eq!(other.len(), 1);
    assert!(other[0].message.contains("reserved"), "{}", other[0]);
}

// ---------------------------------------------------------------------------------
// Policies

fn with_policies(queues: Value, exchanges: Value, policies: Value) -> Imported {
    import_value(json!({"queues": queues, "exchanges": exchanges, "policies": policies})).unwrap()
}

#[test]
fn the_highest_priority_policy_applies_alone() {
    let i = with_policies(
        json!([{"name": "orders.eu"}, {"name": "other"}]),
        json!([]),
        json!([
            {"name": "low", "pattern": ".*", "apply-to": "queues", "priority": 1,
             "definition": {"message-ttl": 1000, "max-length": 5}},
            {"name": "high", "pattern": "^orders\\.", "apply-to": "queues", "priority": 7,
             "definition": {"message-ttl": 9000}}
        ]),
    );
    let s = &i.scenario;
    // Only "high" applies to orders.eu: its max-length stays unset.
    assert_eq!(queue(s, "orders.eu").message_ttl_ms, Some(9000.0));
    assert_eq!(queue(s, "orders.eu").max_length, None);
    assert_eq!(queue(s, "other").message_ttl_ms, Some(1000.0));
    assert_eq!(queue(s, "other").max_length, Some(5));
}

/// A policy holding a key the queue's type does not support is not applicable to that
/// queue: the next matching policy applies (`rabbit_policy:matches/2` →
/// `is_applicable`, the queue type's `unsupported_policies` in its `capabilities()`:
/// classic queues refuse `delivery-limit`, quorum queues `queue-mode` and
/// `max-priority`). Found against a real RabbitMQ 3.10 by
/// tests/rabbit/definitions_check.py.
#[test]
fn a_policy_with_a_key_the_queue_type_refuses_is_skipped_for_the_next() {
    let i = with_policies(
        json!([
            {"name": "mixed.c"},
            {"name": "mixed.q", "arguments": {"x-queue-type": "quorum"}},
            {"name": "lazy.q", "arguments": {"x-queue-type": "quorum"}}
        ]),
        json!([]),
        json!([
            {"name": "mixed-hi", "pattern": "^mixed\\.", "apply-to": "queues", "priority": 9,
             "definition": {"max-length": 1, "delivery-limit": 3}},
            {"name": "mixed-lo", "pattern": "^mixed\\.", "apply-to": "queues", "priority": 2,
             "definition": {"max-length": 3, "overflow": "reject-publish"}},
            {"name": "lazy-hi", "pattern": "^lazy\\.", "apply-to": "queues", "priority": 9,
             "definition": {"max-length": 1, "queue-mode": "lazy"}},
            {"name": "lazy-lo", "pattern": "^lazy\\.", "apply-to": "queues", "priority": 2,
             "definition": {"max-length": 3}}
        ]),
    );
    let s = &i.scenario;
    // The classic queue cannot take delivery-limit: mixed-lo applies.
    assert_eq!(queue(s, "mixed.c").max_length, Some(3));
    assert_eq!(queue(s, "mixed.c").overflow, Overflow::RejectPublish);
    // The quorum queue can: mixed-hi applies.
    assert_eq!(queue(s, "mixed.q").max_length, Some(1));
    // A quorum queue cannot take queue-mode: lazy-lo applies.
    assert_eq!(queue(s, "lazy.q").max_length, Some(3));
}

#[test]
fn arguments_and_policies_combine_as_in_rabbitmq() {
    let i = with_policies(
        json!([
            {"name": "a", "arguments": {
                "x-dead-letter-exchange": "dlx-arg", "x-max-length": 50, "x-message-ttl": 100,
                "x-overflow": "drop-head"
            }},
            {"name": "b", "arguments": {"x-max-length": 500}},
            {"name": "qq", "arguments": {"x-queue-type": "quorum", "x-overflow": "drop-head", "x-delivery-limit": 10}}
        ]),
        json!([{"name": "dlx-arg", "type": "fanout"}, {"name": "dlx-policy", "type": "fanout"}]),
        // (A policy with delivery-limit would not apply to a classic queue at all: the
        // quorum queue has its own.)
        json!([{"name": "p", "pattern": "", "apply-to": "all", "definition": {
            "dead-letter-exchange": "dlx-policy", "dead-letter-routing-key": "dead",
            "max-length": 100, "message-ttl": 60, "overflow": "reject-publish"
        }}, {"name": "pq", "pattern": "^qq$", "apply-to": "all", "priority": 5, "definition": {
            "overflow": "reject-publish", "delivery-limit": 3
        }}]),
    );
    let s = &i.scenario;
    // The argument's exchange wins; the routing key comes from the policy.
    assert_eq!(
        dead_letter(s, "a"),
        Some(("dlx-arg".into(), Some("dead".into())))
    );
    assert_eq!(queue(s, "a").max_length, Some(50));
    assert_eq!(queue(s, "a").message_ttl_ms, Some(60.0));
    // Classic queue: the argument's overflow wins.
    assert_eq!(queue(s, "a").overflow, Overflow::DropHead);
    assert_eq!(
        dead_letter(s, "b"),
        Some(("dlx-policy".into(), Some("dead".into())))
    );
    assert_eq!(queue(s, "b").max_length, Some(100));
    assert_eq!(queue(s, "b").overflow, Overflow::RejectPublish);
    // Quorum queue: the policy's overflow wins; delivery limit takes the lower.
    assert_eq!(queue(s, "qq").overflow, Overflow::RejectPublish);
    assert_eq!(queue(s, "qq").delivery_limit, Some(3));
    assert_eq!(queue(s, "qq").queue_type, QueueType::Quorum);
}

#[test]
fn apply_to_separates_queues_and_exchanges() {
    let i = with_policies(
        json!([{"name": "events"}]),
        json!([{"name": "events", "type": "fanout"}, {"name": "lost", "type": "fanout"}]),
        json!([
            {"name": "ae", "pattern": "^events$", "apply-to": "exchanges", "definition": {"alternate-exchange": "lost"}},
            {"name": "ttl", "pattern": "^events$", "apply-to": "quorum_queues", "definition": {"message-ttl": 5}}
        ]),
    );
    let s = &i.scenario;
    assert_eq!(alternate(s, "events"), Some("lost".into()));
    assert_eq!(alternate(s, "lost"), None);
    // A classic queue is not a quorum queue.
    assert_eq!(queue(s, "events").message_ttl_ms, None);
}

#[test]
fn exchange_argument_beats_policy_alternate_exchange() {
    let i = with_policies(
        json!([]),
        json!([
            {"name": "in", "type": "direct", "arguments": {"alternate-exchange": "mine"}},
            {"name": "mine", "type": "fanout"},
            {"name": "theirs", "type": "fanout"}
        ]),
        json!([{"name": "p", "pattern": "^in$", "definition": {"alternate-exchange": "theirs"}}]),
    );
    assert_eq!(alternate(&i.scenario, "in"), Some("mine".into()));
}

#[test]
fn policy_notes_ties_unknown_keys_and_unsupported_patterns() {
    let i = with_policies(
        json!([{"name": "jobs"}]),
        json!([]),
        json!([
            {"name": "one", "pattern": "^jobs", "priority": 2, "definition": {"message-ttl": 1}},
            {"name": "two", "pattern": "jobs$", "priority": 2, "definition": {"message-ttl": 2}},
            {"name": "fed", "pattern": "(?=j)jobs", "priority": 9, "definition": {"federation-upstream-set": "all", "expires": 10}}
        ]),
    );
    assert!(has_note(&i, &["\"one\"", "\"two\"", "priority 2"]));
    assert!(has_note(
        &i,
        &["\"fed\"", "federation-upstream-set", "expires"]
    ));
    assert!(has_note(&i, &["\"fed\"", "(?=j)jobs", "not applied"]));
    assert_eq!(queue(&i.scenario, "jobs").message_ttl_ms, Some(1.0));
}

/// Which of `names` (queues) a policy with `pattern` applies to.
fn matched_by(pattern: &str, names: &[&str]) -> Vec<String> {
    let queues: Vec<Value> = names.iter().map(|n| json!({"name": n})).collect();
    let i = with_policies(
        Value::Array(queues),
        json!([]),
        json!([{"name": "p", "pattern": pattern, "definition": {"message-ttl": 1}}]),
    );
    names
        .iter()
        .filter(|n| queue(&i.scenario, n).message_ttl_ms.is_some())
        .map(|n| n.to_string())
        .collect()
}

#[test]
fn policy_patterns_match_anywhere_unless_anchored() {
    let all = [
        "orders",
        "orders.eu",
        "my.orders",
        "payments.x",
        "payments.",
        "q-42",
        "q-421",
    ];
    let cases: &[(&str, &[&str])] = &[
        ("", &all),
        (".*", &all),
        ("^orders$", &["orders"]),
        ("^orders", &["orders", "orders.eu"]),
        ("orders", &["orders", "orders.eu", "my.orders"]),
        ("\\.eu$", &["orders.eu"]),
        ("^(orders|payments)\\..+$", &["orders.eu", "payments.x"]),
        ("^(?:my|q)[.-]", &["my.orders", "q-42", "q-421"]),
        ("^q-[0-9]{2}$", &["q-42"]),
        ("^q-\\d+$", &["q-42", "q-421"]),
        ("^[^.]+$", &["orders", "q-42", "q-421"]),
        ("^\\w+\\.[a-z]$", &["payments.x"]),
        ("(?i)^ORDERS$", &["orders"]),
    ];
    for &(pattern, expected) in cases {
        assert_eq!(matched_by(pattern, &all), names(expected), "{pattern:?}");
    }
}

#[test]
fn policy_patterns_regex_lite_cannot_compile_are_not_applied() {
    for pattern in [
        "(?=orders)",
        "(orders)\\1",
        "^\\p{L}+$",
        "^(orders",
        "[z-a]",
    ] {
        let i = with_policies(
            json!([{"name": "orders"}]),
            json!([]),
            json!([{"name": "p", "pattern": pattern, "definition": {"message-ttl": 1}}]),
        );
        assert_eq!(
            queue(&i.scenario, "orders").message_ttl_ms,
            None,
            "{pattern:?}"
        );
        assert!(
            has_note(
                &i,
                &["policy \"p\"", &format!("{pattern:?}"), "not applied"]
            ),
            "{pattern:?}: {:?}",
            i.unsupported
        );
        assert!(i.unsupported.iter().all(|n| !n.contains('\n')));
    }
}

#[test]
fn pathological_policy_patterns_stay_fast() {
    let name = "a".repeat(5000);
    let started = std::time::Instant::now();
    assert!(matched_by("^(a*)*(a|b)*(a*)*c$", &[&name]).is_empty());
    assert_eq!(matched_by("^(a|aa)+$", &[&name]), vec![name.clone()]);
    assert!(started.elapsed().as_secs() < 5);
}

// ---------------------------------------------------------------------------------
// Notes on what cannot be modelled

#[test]
fn unsupported_features_are_named_one_sentence_each() {
    let i = import_value(json!({
        "rabbit_version": "3.13.0",
        "users": [{"name": "u"}],
        "permissions": [{"user": "u", "vhost": "/"}],
        "parameters": [
            {"component": "shovel", "name": "move-orders", "vhost": "/", "value": {}},
            {"component": "federation-upstream", "name": "dc2", "vhost": "/", "value": {}}
        ],
        "queues": [
            {"name": "log", "arguments": {"x-queue-type": "stream", "x-max-age": "7D"}},
            {"name": "tmp", "arguments": {"x-expires": 60000}},
            {"name": "qq", "arguments": {"x-queue-type": "quorum", "x-max-priority": 5, "x-overflow": "reject-publish-dlx"}},
            {"name": "cq", "arguments": {"x-delivery-limit": 3}}
        ],
        "exchanges": [
            {"name": "hash", "type": "x-consistent-hash"},
            {"name": "later", "type": "x-delayed-message", "arguments": {"x-delayed-type": "topic"}}
        ],
        "bindings": [
            {"source": "", "destination": "tmp", "destination_type": "queue", "routing_key": "tmp"}
        ],
        "mystery": 1
    }))
    .unwrap();
    let s = &i.scenario;
    for words in [
        &["shovel", "move-orders"][..],
        &["federation upstream", "dc2"],
        &["\"log\"", "stream", "classic"],
        &["\"log\"", "x-max-age"],
        &["\"tmp\"", "x-expires"],
        &["\"qq\"", "x-max-priority"],
        &["\"qq\"", "reject-publish-dlx"],
        &["\"cq\"", "x-delivery-limit", "quorum"],
        &["\"hash\"", "x-consistent-hash"],
        &["\"later\"", "delayed"],
        &["bindings[0]", "default exchange"],
        &["mystery"],
    ] {
        assert!(
            has_note(&i, words),
            "no note with {words:?} in {:#?}",
            i.unsupported
        );
    }
    assert!(i.unsupported.iter().all(|n| !n.contains('\n')));
    assert_eq!(queue(s, "log").queue_type, QueueType::Classic);
    assert_eq!(queue(s, "qq").max_priority, None);
    assert_eq!(queue(s, "qq").overflow, Overflow::DropHead);
    assert_eq!(queue(s, "cq").delivery_limit, None);
    assert_eq!(exchange_kind(s, "hash"), ExchangeType::Fanout);
    assert_eq!(exchange_kind(s, "later"), ExchangeType::Topic);
}

// ---------------------------------------------------------------------------------
// Layout

#[test]
fn layout_runs_left_to_right_with_unique_ids() {
    let s = import(E2E).scenario;
    let x = |kind, name| node(&s, kind, name).x;
    assert!(x(NodeKind::Exchange, "ingress") < x(NodeKind::Exchange, "eu"));
    assert!(x(NodeKind::Exchange, "eu") < x(NodeKind::Exchange, "tap"));
    let queue_x = x(NodeKind::Queue, "everything");
    for n in s.nodes.iter().filter(|n| n.kind() == NodeKind::Exchange) {
        assert!(n.x < queue_x, "{} is not left of the queues", n.name);
    }
    let mut seen = BTreeSet::new();
    for n in &s.nodes {
        assert!(
            seen.insert((n.x as i64, n.y as i64)),
            "two nodes at {},{}",
            n.x,
            n.y
        );
    }
    let full = import(FULL).scenario;
    assert_eq!(node(&full, NodeKind::Exchange, "audit").id, "x-audit");
    assert_eq!(node(&full, NodeKind::Queue, "audit").id, "q-audit");
    let ids: BTreeSet<&str> = full.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), full.nodes.len());

    // Names that make the same id still get unique ones.
    let i = import_value(json!({"queues": [{"name": "a b"}, {"name": "a-b"}, {"name": "a/b"}]}))
        .unwrap();
    let ids: BTreeSet<&str> = i.scenario.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), 3);
}

#[test]
fn an_exchange_cycle_still_lays_out() {
    let i = import_value(json!({
        "exchanges": [{"name": "a", "type": "fanout"}, {"name": "b", "type": "fanout"}],
        "queues": [{"name": "q"}],
        "bindings": [
            {"source": "a", "destination": "b", "destination_type": "exchange", "routing_key": ""},
            {"source": "b", "destination": "a", "destination_type": "exchange", "routing_key": ""},
            {"source": "b", "destination": "q", "destination_type": "queue", "routing_key": ""}
        ]
    }))
    .unwrap();
    assert_eq!(route(&i.scenario, "a", "", &[]), names(&["q"]));
}

// ---------------------------------------------------------------------------------
// Round trips and the exported document

#[test]
fn round_trips_keep_the_topology() {
    for text in [FULL, DLX, E2E, AMQ] {
        round_trip(text);
    }
}

#[test]
fn exported_document_has_the_shape_rabbitmq_imports() {
    let i = import(FULL);
    let doc = export_definitions(&i.scenario, "/").definitions;
    for key in [
        "rabbit_version",
        "rabbitmq_version",
        "product_name",
        "product_version",
        "users",
        "vhosts",
        "permissions",
        "topic_permissions",
        "parameters",
        "global_parameters",
        "policies",
        "queues",
        "exchanges",
        "bindings",
    ] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
    assert_eq!(doc["vhosts"], json!([{"name": "/"}]));
    for q in doc["queues"].as_array().unwrap() {
        assert!(q["arguments"].is_object(), "{q}");
        assert_eq!(q["durable"], json!(true));
        assert_eq!(q["auto_delete"], json!(false));
        assert_eq!(q["vhost"], json!("/"));
    }
    for x in doc["exchanges"].as_array().unwrap() {
        assert!(x["arguments"].is_object(), "{x}");
        assert_eq!(x["internal"], json!(false));
        let name = x["name"].as_str().unwrap();
        assert!(!name.is_empty() && !name.starts_with("amq."));
    }
    for b in doc["bindings"].as_array().unwrap() {
        assert!(b["arguments"].is_object(), "{b}");
        assert!(b["routing_key"].is_string(), "{b}");
        assert!(matches!(
            b["destination_type"].as_str(),
            Some("queue" | "exchange")
        ));
    }
    let created = doc["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "orders.created")
        .unwrap();
    assert_eq!(
        created["arguments"],
        json!({
            "x-queue-type": "quorum", "x-delivery-limit": 5, "x-max-length": 10000,
            "x-overflow": "reject-publish", "x-dead-letter-exchange": "orders.dlx"
        })
    );
    let shipped = doc["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "orders.shipped")
        .unwrap();
    assert!(
        shipped["arguments"].get("x-queue-type").is_none(),
        "classic queues carry no x-queue-type"
    );
}

#[test]
fn export_writes_integers_and_skips_what_definitions_cannot_hold() {
    let mut s = Scenario::empty();
    let mut add = |id: &str, kind: NodeKind, name: &str| {
        s.nodes.push(Node::new(id, kind, name));
        s.nodes.len() - 1
    };
    let p = add("p", NodeKind::Producer, "p");
    let d = add("d", NodeKind::Exchange, "");
    let t = add("t", NodeKind::Exchange, "amq.topic");
    let c1 = add("c1", NodeKind::Consumer, "c1");
    let c2 = add("c2", NodeKind::Consumer, "c2");
    let q = add("q", NodeKind::Queue, "jobs");
    let cq = add("cq", NodeKind::Queue, "classic");
    let l = add("l", NodeKind::Exchange, "lost");
    let _ = (p, d, c1, c2, l);
    s.nodes[t].spec = NodeSpec::Exchange(ExchangeSpec {
        kind: ExchangeType::Topic,
        ..Default::default()
    });
    s.nodes[q].spec = NodeSpec::Queue(QueueSpec {
        queue_type: QueueType::Quorum,
        message_ttl_ms: Some(1500.0),
        delivery_limit: Some(4),
        max_length: Some(10),
        ..QueueSpec::default()
    });
    // Not a valid scenario (classic queues have no delivery limit), but export must not
    // write one anyway.
    s.nodes[cq].spec = NodeSpec::Queue(QueueSpec {
        message_ttl_ms: Some(250.4),
        delivery_limit: Some(4),
        max_priority: Some(3),
        ..QueueSpec::default()
    });
    use queue_playground::core::scenario::{Edge, EdgeKind};
    s.edges.push(Edge::new("e1", "p", "t", EdgeKind::Publish));
    s.edges
        .push(Edge::new("e2", "q", "c1", EdgeKind::Subscription));
    s.edges
        .push(Edge::new("e3", "cq", "c2", EdgeKind::Subscription));
    let mut bind = Edge::new("e4", "t", "q", EdgeKind::Binding);
    bind.routing_key = Some("jobs.#".into());
    s.edges.push(bind);
    let mut dl = Edge::new("e5", "q", "d", EdgeKind::DeadLetter);
    dl.routing_key = Some("classic".into());
    s.edges.push(dl);
    s.edges
        .push(Edge::new("e6", "t", "l", EdgeKind::AlternateExchange));
    s.edges.push(Edge::new("e7", "c1", "t", EdgeKind::Forward));

    let out = export_definitions(&s, "prod");
    let doc = &out.definitions;
    let queues = doc["queues"].as_array().unwrap();
    let jobs = queues.iter().find(|q| q["name"] == "jobs").unwrap();
    assert!(jobs["arguments"]["x-message-ttl"].is_u64(), "{jobs}");
    assert_eq!(jobs["arguments"]["x-message-ttl"], json!(1500));
    assert_eq!(jobs["arguments"]["x-delivery-limit"], json!(4));
    assert_eq!(jobs["arguments"]["x-dead-letter-exchange"], json!(""));
    assert_eq!(
        jobs["arguments"]["x-dead-letter-routing-key"],
        json!("classic")
    );
    assert_eq!(jobs["vhost"], json!("prod"));
    let classic = queues.iter().find(|q| q["name"] == "classic").unwrap();
    assert_eq!(
        classic["arguments"],
        json!({"x-message-ttl": 250, "x-max-priority": 3})
    );
    // Only "lost": neither the default exchange nor amq.topic is declared.
    let exchanges = doc["exchanges"].as_array().unwrap();
    assert_eq!(exchanges.len(), 1);
    assert_eq!(exchanges[0]["name"], json!("lost"));
    assert_eq!(exchanges[0]["type"], json!("direct"));
    // amq.topic's alternate exchange travels as a policy for it alone.
    assert_eq!(
        doc["policies"],
        json!([{
            "vhost": "prod", "name": "alternate-exchange-amq.topic", "pattern": "^amq\\.topic$",
            "apply-to": "exchanges", "definition": {"alternate-exchange": "lost"}, "priority": 0
        }])
    );
    assert_eq!(doc["bindings"].as_array().unwrap().len(), 1);
    assert_eq!(doc["bindings"][0]["source"], json!("amq.topic"));
    assert_eq!(doc["bindings"][0]["routing_key"], json!("jobs.#"));
    assert_eq!(
        out.unsupported[0],
        "1 producer and 2 consumers and their behaviour are not part of RabbitMQ definitions and were not exported"
    );
    assert!(out.unsupported.iter().any(|n| n.contains("250.4")));

    // And it comes back.
    let again = import_definitions(&doc.to_string(), None).unwrap();
    let s2 = &again.scenario;
    assert_eq!(alternate(s2, "amq.topic"), Some("lost".into()));
    assert_eq!(queue(s2, "jobs").message_ttl_ms, Some(1500.0));
    assert_eq!(
        dead_letter(s2, "jobs"),
        Some(("".into(), Some("classic".into())))
    );
}

#[test]
fn an_empty_scenario_exports_an_empty_document() {
    let out = export_definitions(&Scenario::empty(), "/");
    assert!(out.unsupported.is_empty());
    assert_eq!(out.definitions["queues"], json!([]));
    let back = import_definitions(&out.definitions.to_string(), None).unwrap();
    assert!(back.scenario.nodes.is_empty());
}

/// RabbitMQ refuses an exchange without `type`: `rabbit_definitions:add_exchange_int`
/// passes it to `rabbit_exchange:check_type`, which fails on `undefined`. The import
/// keeps the exchange as a direct one and says so; a built-in `amq.*` exchange is
/// skipped before the type is read, as RabbitMQ skips it.
#[test]
fn an_exchange_without_a_type_is_imported_as_direct_with_a_note() {
    let doc = json!({
        "queues": [{"name": "q"}],
        "exchanges": [{"name": "orders"}, {"name": "amq.direct"}, {"name": "t", "type": "topic"}],
        "bindings": [{"source": "orders", "destination": "q", "destination_type": "queue", "routing_key": "k"}]
    });
    let out = import_definitions(&doc.to_string(), None).unwrap();
    let notes: Vec<&String> = out
        .unsupported
        .iter()
        .filter(|n| n.contains("no `type`"))
        .collect();
    assert_eq!(
        notes,
        vec!["exchanges[0]: exchange \"orders\" has no `type`, so RabbitMQ would refuse to import the file; it was imported as a direct exchange"]
    );
    assert_eq!(exchange_kind(&out.scenario, "orders"), ExchangeType::Direct);
    assert!(
        !out.unsupported.iter().any(|n| n.contains("amq.direct")),
        "{:?}",
        out.unsupported
    );
}

/// `auto_delete` is not modelled (a queue goes with its last consumer, an exchange
/// with its last binding): an import keeps the queue or exchange and says so, since
/// the export writes it without the flag.
#[test]
fn auto_delete_is_noted_as_not_modelled() {
    let doc = json!({
        "queues": [{"name": "tmp", "auto_delete": true}, {"name": "kept", "auto_delete": false}],
        "exchanges": [{"name": "x", "type": "fanout", "auto_delete": true}]
    });
    let out = import_definitions(&doc.to_string(), None).unwrap();
    let notes: Vec<&String> = out
        .unsupported
        .iter()
        .filter(|n| n.contains("auto_delete"))
        .collect();
    assert_eq!(notes.len(), 2, "{:?}", out.unsupported);
    assert!(
        notes[0].starts_with("exchanges[0]: exchange \"x\" is auto_delete"),
        "{notes:?}"
    );
    assert!(
        notes[1].starts_with("queues[0]: queue \"tmp\" is auto_delete"),
        "{notes:?}"
    );
    assert_eq!(out.scenario.nodes.len(), 3, "nothing is left out");
}

// ---------------------------------------------------------------------------------
// Bad input

#[test]
fn bad_input_gives_a_one_line_error_naming_the_item() {
    let q = |args: Value| json!({"queues": [{"name": "q", "arguments": args}]});
    let cases: Vec<(Value, &str)> = vec![
        (json!([]), "JSON object"),
        (json!("text"), "JSON object"),
        (json!({"queues": {}}), "`queues` must be an array"),
        (json!({"exchanges": 3}), "`exchanges` must be an array"),
        (json!({"queues": [1]}), "queues[0]: must be an object"),
        (
            json!({"queues": [{"name": 5}]}),
            "queues[0]: `name` must be a string",
        ),
        (json!({"queues": [{}]}), "queues[0]: `name` is missing"),
        (
            json!({"queues": [{"name": ""}]}),
            "queues[0]: a queue needs a name",
        ),
        (
            json!({"queues": [{"name": "q", "vhost": 1}]}),
            "queues[0]: `vhost` must be a string",
        ),
        (
            json!({"queues": [{"name": "q", "arguments": []}]}),
            "queues[0]: `arguments` must be an object",
        ),
        (
            q(json!({"x-message-ttl": "abc"})),
            "queues[0]: queue \"q\" has x-message-ttl = \"abc\"",
        ),
        (q(json!({"x-message-ttl": -5})), "x-message-ttl"),
        (q(json!({"x-message-ttl": 1.5})), "x-message-ttl"),
        (q(json!({"x-max-length": true})), "x-max-length"),
        (q(json!({"x-max-priority": 300})), "x-max-priority"),
        (q(json!({"x-overflow": "sideways"})), "x-overflow"),
        (q(json!({"x-queue-type": "lazy"})), "queue type \"lazy\""),
        (
            q(json!({"x-single-active-consumer": "yes"})),
            "x-single-active-consumer",
        ),
        (
            q(json!({"x-dead-letter-exchange": 7})),
            "x-dead-letter-exchange",
        ),
        (
            json!({"exchanges": [{"name": "x", "internal": "no"}]}),
            "exchanges[0]: `internal`",
        ),
        (
            json!({"exchanges": [{"name": "x", "arguments": {"alternate-exchange": 1}}]}),
            "exchanges[0]: exchange \"x\" has alternate-exchange",
        ),
        (
            json!({"queues": [{"name": "q"}], "exchanges": [{"name": "x"}],
                   "bindings": [{"source": "x", "destination": "q", "routing_key": ""},
                                {"source": "x", "destination": "foo", "destination_type": "queue", "routing_key": ""}]}),
            "bindings[0]: `destination_type` is missing",
        ),
        (
            json!({"queues": [{"name": "q"}], "exchanges": [{"name": "x"}],
                   "bindings": [{"source": "x", "destination": "q", "destination_type": "queue", "routing_key": ""},
                                {"source": "x", "destination": "foo", "destination_type": "queue", "routing_key": ""}]}),
            "bindings[1]: destination queue \"foo\" is not declared",
        ),
        (
            json!({"queues": [{"name": "q"}],
                   "bindings": [{"source": "nope", "destination": "q", "destination_type": "queue", "routing_key": ""}]}),
            "bindings[0]: source exchange \"nope\" is not declared",
        ),
        (
            json!({"exchanges": [{"name": "x"}],
                   "bindings": [{"source": "x", "destination": "y", "destination_type": "exchange", "routing_key": ""}]}),
            "bindings[0]: destination exchange \"y\" is not declared",
        ),
        (
            json!({"exchanges": [{"name": "x"}],
                   "bindings": [{"source": "x", "destination": "y", "destination_type": "topic", "routing_key": ""}]}),
            "bindings[0]: `destination_type` is \"topic\"",
        ),
        (
            json!({"exchanges": [{"name": "x", "type": "headers"}], "queues": [{"name": "q"}],
                   "bindings": [{"source": "x", "destination": "q", "destination_type": "queue", "routing_key": "",
                                 "arguments": {"x-match": "some"}}]}),
            "x-match",
        ),
        (
            json!({"policies": [{"name": "p", "pattern": ".*", "apply-to": "things", "definition": {}}]}),
            "policies[0]: policy \"p\" has `apply-to` \"things\"",
        ),
        (
            json!({"policies": [{"name": "p", "pattern": ".*", "definition": {"message-ttl": "1s"}}]}),
            "policies[0]: policy \"p\" sets message-ttl",
        ),
        (
            json!({"policies": [{"name": "p", "pattern": ".*"}]}),
            "policies[0]: policy \"p\" has no `definition`",
        ),
        (
            json!({"policies": [{"name": "p", "definition": {}}]}),
            "policies[0]: `pattern` is missing",
        ),
        (
            json!({"policies": [{"name": "p", "pattern": "", "priority": "high", "definition": {}}]}),
            "`priority`",
        ),
        (
            json!({"vhosts": [{"nom": "/"}]}),
            "vhosts[0]: `name` is missing",
        ),
        (json!({"version": 1, "nodes": []}), "scenario"),
    ];
    for (input, expected) in cases {
        let e = err_of(input.clone());
        assert!(
            e.contains(expected),
            "for {input}\n  got: {e}\n  expected it to contain: {expected}"
        );
        assert!(!e.contains('\n'), "multi-line error: {e}");
    }
    let e = import_definitions("{\"queues\": [", None).unwrap_err();
    assert!(e.starts_with("not valid JSON"), "{e}");
    let e = import_definitions("", None).unwrap_err();
    assert!(e.starts_with("not valid JSON"), "{e}");
}

#[test]
fn files_over_20_mib_are_refused() {
    let big = format!(
        "{{\"queues\": [], \"pad\": \"{}\"}}",
        "x".repeat(MAX_DEFINITIONS_BYTES)
    );
    let e = import_definitions(&big, None).unwrap_err();
    assert!(e.contains("20 MiB"), "{e}");
}

#[test]
fn missing_optional_fields_take_their_defaults() {
    // `type` is not optional: see an_exchange_without_a_type_is_imported_as_direct_with_a_note.
    let i = import_value(json!({
        "queues": [{"name": "q"}],
        "exchanges": [{"name": "x", "type": "direct"}],
        "bindings": [{"source": "x", "destination": "q", "destination_type": "queue"}]
    }))
    .unwrap();
    assert_eq!(exchange_kind(&i.scenario, "x"), ExchangeType::Direct);
    assert_eq!(queue(&i.scenario, "q"), QueueSpec::default());
    assert_eq!(route(&i.scenario, "x", "", &[]), names(&["q"]));
    assert!(i.unsupported.is_empty());
}

// ---------------------------------------------------------------------------------
// No panic, whatever the input

const KEYS: &[&str] = &[
    "queues",
    "exchanges",
    "bindings",
    "policies",
    "parameters",
    "vhosts",
    "users",
    "name",
    "vhost",
    "type",
    "arguments",
    "source",
    "destination",
    "destination_type",
    "routing_key",
    "pattern",
    "definition",
    "apply-to",
    "priority",
    "component",
    "internal",
    "x-message-ttl",
    "x-dead-letter-exchange",
    "x-dead-letter-routing-key",
    "x-max-length",
    "x-overflow",
    "x-queue-type",
    "x-max-priority",
    "x-delivery-limit",
    "alternate-exchange",
    "message-ttl",
    "dead-letter-exchange",
    "x-match",
];
const WORDS: &[&str] = &[
    "",
    "/",
    "q",
    "x",
    "amq.topic",
    "amq.foo",
    "queue",
    "exchange",
    "topic",
    "fanout",
    "headers",
    "direct",
    "quorum",
    "stream",
    "classic",
    ".*",
    "^q$",
    "(",
    "all",
    "queues",
    "exchanges",
    "reject-publish-dlx",
    "x-consistent-hash",
    "shovel",
    "any",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(WORDS).prop_map(|w| json!(w)),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..7).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

const NAMES: &[&str] = &["a", "b", "c", "amq.topic", "amq.direct"];

/// A value of the right type for `key` most of the time, anything small otherwise.
fn value_for(key: &'static str) -> BoxedStrategy<Value> {
    let right: BoxedStrategy<Value> = match key {
        "x-message-ttl" | "x-max-length" | "x-max-length-bytes" | "x-expires" | "message-ttl"
        | "max-length" | "max-length-bytes" => (0u64..100_000).prop_map(|n| json!(n)).boxed(),
        "x-max-priority" => (0u64..=255).prop_map(|n| json!(n)).boxed(),
        "x-delivery-limit" | "delivery-limit" => (-2i64..20).prop_map(|n| json!(n)).boxed(),
        "x-single-active-consumer" => any::<bool>().prop_map(Value::Bool).boxed(),
        "x-overflow" | "overflow" => {
            prop::sample::select(&["drop-head", "reject-publish", "reject-publish-dlx"][..])
                .prop_map(|w| json!(w))
                .boxed()
        }
        "x-queue-type" => prop::sample::select(&["classic", "quorum", "stream"][..])
            .prop_map(|w| json!(w))
            .boxed(),
        "x-dead-letter-exchange" | "dead-letter-exchange" | "alternate-exchange" => {
            prop::sample::select(&["a", "b", "c", "", "amq.fanout", "zz"][..])
                .prop_map(|w| json!(w))
                .boxed()
        }
        _ => prop::sample::select(&["", "k", "a.b"][..])
            .prop_map(|w| json!(w))
            .boxed(),
    };
    let anything = prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        (-3i64..300).prop_map(|n| json!(n)),
        prop::sample::select(WORDS).prop_map(|w| json!(w)),
    ];
    prop_oneof![19 => right, 1 => anything].boxed()
}

fn arg_map(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::sample::subsequence(keys, 0..4).prop_flat_map(|chosen| {
        chosen
            .into_iter()
            .map(|k| value_for(k).prop_map(move |v| (k.to_string(), v)))
            .collect::<Vec<_>>()
            .prop_map(|kv| Value::Object(kv.into_iter().collect()))
    })
}

const QUEUE_ARGS: &[&str] = &[
    "x-message-ttl",
    "x-max-length",
    "x-max-length-bytes",
    "x-overflow",
    "x-max-priority",
    "x-single-active-consumer",
    "x-delivery-limit",
    "x-queue-type",
    "x-dead-letter-exchange",
    "x-dead-letter-routing-key",
    "x-expires",
];
const POLICY_KEYS: &[&str] = &[
    "message-ttl",
    "max-length",
    "max-length-bytes",
    "overflow",
    "dead-letter-exchange",
    "dead-letter-routing-key",
    "delivery-limit",
    "alternate-exchange",
    "ha-mode",
];

/// Definitions that look like the real thing, so that most of them import: queues and
/// exchanges "a", "b" and "c" are declared (now and then a bad one besides).
fn plausible_definitions() -> impl Strategy<Value = Value> {
    let queue =
        |n: &'static str| arg_map(QUEUE_ARGS).prop_map(move |a| json!({"name": n, "arguments": a}));
    let exchange = |n: &'static str| {
        (
            prop::sample::select(&["direct", "fanout", "topic", "headers", "x-random"][..]),
            prop::option::of(prop::sample::select(
                &["a", "b", "c", "", "amq.topic", "zz"][..],
            )),
        )
            .prop_map(move |(t, ae)| match ae {
                Some(ae) => json!({"name": n, "type": t, "arguments": {"alternate-exchange": ae}}),
                None => json!({"name": n, "type": t}),
            })
    };
    let odd = prop::option::weighted(
        0.1,
        prop::sample::select(vec![
            json!({"name": ""}),
            json!({"name": "amq.q"}),
            json!({"name": "a"}),
        ]),
    );
    let binding = (
        prop::sample::select(NAMES),
        prop::sample::select(&["a", "b", "c", "amq.fanout", "", "zz"][..]),
        any::<bool>(),
        prop::sample::select(&["", "a", "#", "a.*"][..]),
    )
        .prop_map(|(s, d, q, k)| {
            json!({"source": s, "destination": d, "destination_type": if q { "queue" } else { "exchange" }, "routing_key": k})
        });
    let policy = (
        prop::sample::select(&["", ".*", "^a$", "b", "^amq\\.", "(", "a|c"][..]),
        prop::sample::select(&["all", "queues", "exchanges", "quorum_queues"][..]),
        -2i64..3,
        arg_map(POLICY_KEYS),
    )
        .prop_map(|(p, a, pr, d)| json!({"name": "p", "pattern": p, "apply-to": a, "priority": pr, "definition": d}));
    (
        (queue("a"), queue("b"), queue("c"), odd),
        (exchange("a"), exchange("b"), exchange("c")),
        prop::collection::vec(binding, 0..6),
        prop::collection::vec(policy, 0..3),
    )
        .prop_map(|((qa, qb, qc, odd), (xa, xb, xc), b, p)| {
            let mut queues = vec![qa, qb, qc];
            queues.extend(odd);
            json!({"queues": queues, "exchanges": [xa, xb, xc], "bindings": b, "policies": p})
        })
}

/// Whatever imports is valid, exports, and comes back the same.
fn check_imported(result: Result<Imported, String>) -> Result<(), TestCaseError> {
    match result {
        Err(e) => {
            prop_assert!(
                !e.is_empty() && !e.contains('\n'),
                "bad error text: {:?}",
                e
            );
        }
        Ok(i) => {
            prop_assert!(validate(&i.scenario).is_empty());
            prop_assert!(Topology::build(&i.scenario).is_ok());
            let out = export_definitions(&i.scenario, "/");
            let again = import_definitions(&out.definitions.to_string(), None);
            prop_assert!(
                again.is_ok(),
                "re-import failed: {:?}\n{}",
                again.err(),
                out.definitions
            );
            if let Ok(again) = again {
                prop_assert_eq!(summary(&i.scenario), summary(&again.scenario));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = import_definitions(&text, None);
        let _ = import_definitions(&text, Some(&text));
    }

    #[test]
    fn truncated_files_never_panic(cut in 0usize..4000) {
        let cut = cut.min(FULL.len());
        let cut = (0..=cut).rev().find(|&c| FULL.is_char_boundary(c)).unwrap_or(0);
        check_imported(import_definitions(&FULL[..cut], None))?;
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value()) {
        check_imported(import_value(v))?;
    }

    #[test]
    fn plausible_definitions_import_validly_and_round_trip(v in plausible_definitions()) {
        check_imported(import_value(v))?;
    }
}

/// Any other JSON object (a package.json, a settings file) is neither a scenario nor
/// definitions: refused, not imported as an empty broker.
#[test]
fn an_object_without_definitions_sections_is_refused() {
    for v in [
        json!({}),
        json!({"name": "my-app", "dependencies": {"x": "1"}}),
    ] {
        assert!(err_of(v).contains("neither a Queue Playground scenario"));
    }
    assert!(
        import_value(json!({"rabbit_version": "3.13.0"})).is_ok(),
        "an empty export is fine"
    );
    assert!(import_value(json!({"queues": []})).is_ok());
}

/// RabbitMQ takes no TTL above ten years (rabbit_misc:check_expiry, `?MAX_EXPIRY_TIMER`
/// = 315,360,000,000 ms; a review checked the installed broker's own check): an import
/// of a longer `x-message-ttl` or policy `message-ttl` is refused, and so is a scenario's
/// queue TTL or a script message's expiration, so an export always imports into RabbitMQ.
#[test]
fn ttls_stop_at_rabbitmqs_ten_years() {
    use queue_playground::core::definitions::import_definitions;
    use queue_playground::core::scenario::{validate, MAX_TTL_MS};
    assert_eq!(MAX_TTL_MS, 315_360_000_000);
    let defs = |ttl: &str| {
        format!(r#"{{"queues":[{{"name":"q","arguments":{{"x-message-ttl":{ttl}}}}}]}}"#)
    };
    assert!(import_definitions(&defs("315360000000"), None).is_ok());
    for big in ["315360000001", "1000000000000000", "100000000000000000000"] {
        let err = import_definitions(&defs(big), None).unwrap_err();
        assert!(err.contains("from 0 to 315,360,000,000"), "{big}: {err}");
    }
    let policy = r#"{"queues":[{"name":"q"}],"policies":[{"name":"p","pattern":".*","apply-to":"queues","definition":{"message-ttl":400000000000}}]}"#;
    let err = import_definitions(policy, None).unwrap_err();
    assert!(err.contains("message-ttl"), "{err}");
    let mut s = queue_playground::gallery::pattern("work-queue").unwrap();
    let q = s
        .nodes
        .iter_mut()
        .find(|n| n.kind() == queue_playground::core::scenario::NodeKind::Queue)
        .unwrap();
    let mut spec = q.queue_spec();
    spec.message_ttl_ms = Some(1e15);
    q.spec = queue_playground::core::scenario::NodeSpec::Queue(spec);
    let problems = validate(&s);
    assert!(
        problems
            .iter()
            .any(|p| p.path.ends_with("queue.message_ttl_ms") && p.message.contains("ten years")),
        "{problems:?}"
    );
}
