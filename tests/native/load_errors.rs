//! A field that does not fit is named by its path (`nodes[0].queue.max_length: invalid
//! type …`). Scenarios are read straight from their text and the path is found from
//! where `serde_json` stopped; these tests break every field of every gallery pattern in
//! several ways and check the path is the one `serde_path_to_error` gives for the same
//! document (the way the path was found before).

use queue_playground::core::scenario::{parse_scenario, Scenario};
use queue_playground::gallery::{pattern, PATTERN_IDS};
use serde_json::{json, Value};

/// The path `serde_path_to_error` names for a document that does not fit `Scenario`.
fn reference_path(doc: &Value) -> Option<String> {
    let e = serde_path_to_error::deserialize::<_, Scenario>(doc.clone()).err()?;
    let path = e.path().to_string();
    Some(if path == "." { "(file)".into() } else { path })
}

/// Every leaf and container of `v`, as pointers (`/nodes/0/queue`).
fn pointers(v: &Value, here: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(c, format!("{here}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                pointers(c, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(here);
}

/// The path of a JSON pointer (`/nodes/3/queue` → `nodes[3].queue`).
fn path_of(pointer: &str) -> String {
    let mut out = String::new();
    for step in pointer.split('/').skip(1) {
        if step.parse::<usize>().is_ok() {
            out.push_str(&format!("[{step}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(step);
        }
    }
    out
}

/// The documents made by breaking one place of `doc` (with that place's path): a value
/// of each wrong type, an unknown field in each object, each field removed.
fn broken(doc: &Value) -> Vec<(Value, String)> {
    let mut places = Vec::new();
    pointers(doc, String::new(), &mut places);
    let mut out = Vec::new();
    for p in places.iter().filter(|p| !p.is_empty() && *p != "/version") {
        for wrong in [
            json!("x"),
            json!(-1),
            json!(1.5),
            json!(true),
            json!([]),
            json!({}),
        ] {
            let mut d = doc.clone();
            if d.pointer(p) == Some(&wrong) {
                continue;
            }
            *d.pointer_mut(p).unwrap() = wrong;
            out.push((d, path_of(p)));
        }
        let (parent, key) = p.rsplit_once('/').unwrap();
        let mut d = doc.clone();
        if let Some(Value::Object(m)) = d.pointer_mut(parent) {
            m.remove(key);
            out.push((d, path_of(parent)));
        }
        if let Some(Value::Object(m)) = doc.clone().pointer_mut(p).map(|v| v.take()) {
            let mut d = doc.clone();
            let mut m = m;
            m.insert("zz_unknown".into(), json!(1));
            *d.pointer_mut(p).unwrap() = Value::Object(m);
            out.push((d, path_of(p)));
        }
    }
    out
}

#[test]
fn a_broken_field_is_named_as_before_in_every_pattern() {
    // Consumers' processing times are internally tagged (`"dist"`).
    let mut deeper_seen = 0;
    let mut shallower_seen = 0;
    let mut compared = 0;
    let mut differ = Vec::new();
    for id in PATTERN_IDS.iter().step_by(3) {
        let doc = serde_json::to_value(pattern(id).unwrap()).unwrap();
        for (d, place) in broken(&doc) {
            let Some(expected) = reference_path(&d) else {
                continue;
            };
            // Pretty and compact text: the path does not depend on the layout.
            for text in [d.to_string(), serde_json::to_string_pretty(&d).unwrap()] {
                let Err(e) = parse_scenario(&text) else {
                    differ.push(format!("{id}: accepted, expected an error at {expected}"));
                    continue;
                };
                let got = &e.problems[0].path;
                compared += 1;
                // Inside an internally tagged enum (read whole, then taken apart) the
                // reference names the enum; the broken place itself is named here when
                // it is the enum's last member and an object or a list.
                let deeper = got.starts_with(&expected) && *got == place;
                deeper_seen += usize::from(deeper && *got != expected);
                // A field missing inside such an enum, when the enum is its object's last
                // member and the object lacks a field of that name too, is told at the
                // object: the object's own missing fields (a node's `id`) come first.
                let message = &e.problems[0].message;
                let shallower = message.starts_with("missing field")
                    && expected
                        .strip_prefix(got.as_str())
                        .and_then(|rest| rest.strip_prefix('.'))
                        .is_some_and(|last| !last.contains(['.', '[']));
                shallower_seen += usize::from(shallower);
                if *got != expected && !deeper && !shallower {
                    differ.push(format!(
                        "{id}: {got} != {expected} ({})",
                        e.problems[0].message
                    ));
                }
            }
        }
    }
    assert!(compared > 1000, "only {compared} broken documents");
    assert!(deeper_seen > 0, "the corpus breaks a tagged enum's member");
    assert!(
        shallower_seen * 100 < compared,
        "{shallower_seen} told at the object"
    );
    assert!(
        differ.is_empty(),
        "{} of {compared} differ:\n{}",
        differ.len(),
        differ[..differ.len().min(30)].join("\n")
    );
}

#[test]
fn the_message_has_no_line_and_column() {
    let text = r#"{"version": 2, "nodes": [{"id": "q", "kind": "queue", "name": "jobs", "queue": {"max_length": "three"}}], "edges": []}"#;
    let e = parse_scenario(text).unwrap_err();
    assert_eq!(e.problems.len(), 1);
    assert_eq!(e.problems[0].path, "nodes[0].queue.max_length");
    assert_eq!(
        e.problems[0].message,
        "invalid type: string \"three\", expected u64"
    );
    let e = parse_scenario(r#"{"version": 2, "nodes": [], "edges": [], "zz": 1}"#).unwrap_err();
    assert_eq!(e.to_string().matches("line").count(), 0, "{e}");
}

/// A script step is internally tagged (`"op"`): serde reads it whole and only then finds
/// a field missing, when `serde_json` has reached the comma or bracket after it. The
/// step at fault is named, not the next one or the list (every step of every pattern
/// with a script, each field removed or of a wrong type).
#[test]
fn a_script_step_that_does_not_fit_is_named() {
    let mut compared = 0;
    let mut differ = Vec::new();
    for id in PATTERN_IDS {
        let doc = serde_json::to_value(pattern(id).unwrap()).unwrap();
        if doc["script"].as_array().is_none_or(|s| s.is_empty()) {
            continue;
        }
        for (d, place) in broken(&doc) {
            if !place.starts_with("script") {
                continue;
            }
            let Some(expected) = reference_path(&d) else {
                continue;
            };
            for text in [d.to_string(), serde_json::to_string_pretty(&d).unwrap()] {
                let Err(e) = parse_scenario(&text) else {
                    differ.push(format!("{id}: accepted, expected an error at {expected}"));
                    continue;
                };
                compared += 1;
                let got = &e.problems[0].path;
                if *got != expected && *got != place {
                    differ.push(format!(
                        "{id}: {got} != {expected} ({})",
                        e.problems[0].message
                    ));
                }
            }
        }
    }
    assert!(compared > 20, "only {compared} broken script documents");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // The case as a person writes it: the first of two steps lacks its body, then the
    // last one alone.
    let two = r#"{"version": 2, "nodes": [{"id": "sq", "kind": "sqs-queue", "name": "sq"}], "edges": [],
        "script": [{"op": "delete", "at_ms": 0, "queue": "sq"}, {"op": "send", "at_ms": 5, "queue": "sq", "body": "x"}]}"#;
    let e = parse_scenario(two).unwrap_err();
    assert_eq!(e.problems[0].path, "script[0]", "{e}");
    let one = r#"{"version": 2, "nodes": [], "edges": [], "script": [{"op": "delete", "at_ms": 0, "queue": "sq"}]}"#;
    let e = parse_scenario(one).unwrap_err();
    assert_eq!(e.problems[0].path, "script[0]", "{e}");
}

/// An SQS send step needs its body, as SendMessage needs `MessageBody` (design §5 lists
/// `body` without `?`).
#[test]
fn a_send_step_without_a_body_is_refused() {
    let text = r#"{"version": 2, "nodes": [{"id": "sq", "kind": "sqs-queue", "name": "sq"}], "edges": [],
        "script": [{"op": "send", "at_ms": 0, "queue": "sq"}]}"#;
    let e = parse_scenario(text).unwrap_err();
    assert_eq!(e.problems[0].path, "script[0]", "{e}");
    assert_eq!(e.problems[0].message, "missing field `body`");
}

/// A position the canvas cannot draw is refused with the field named.
#[test]
fn a_node_far_off_the_canvas_is_refused() {
    use queue_playground::core::scenario::load_scenario;
    for (x, y, field) in [("1.7e308", "0", "x"), ("0", "-2000000", "y")] {
        let text = format!(
            r#"{{"version": 1, "nodes": [{{"id": "a", "kind": "queue", "name": "a", "x": {x}, "y": {y}}}], "edges": []}}"#
        );
        let e = load_scenario(&text).unwrap_err();
        assert_eq!(e.problems[0].path, format!("nodes[0].{field}"), "{e}");
    }
    let edge = r#"{"version": 1, "nodes": [{"id": "a", "kind": "queue", "name": "a", "x": -1000000, "y": 1000000}], "edges": []}"#;
    assert!(load_scenario(edge).is_ok());
}

/// A routing key on a publish edge, or arguments on a subscription, would be dropped
/// unseen (the producer's key is the producer's own setting): both are refused, by name.
#[test]
fn a_routing_key_or_arguments_where_nothing_reads_them_is_refused() {
    use queue_playground::core::scenario::load_scenario;
    let doc = json!({"version": 1,
        "nodes": [{"id": "p", "kind": "producer", "name": "p"}, {"id": "x", "kind": "exchange", "name": "x"},
                  {"id": "q", "kind": "queue", "name": "q"}, {"id": "c", "kind": "consumer", "name": "c"}],
        "edges": [{"id": "e1", "from": "p", "to": "x", "kind": "publish", "routing_key": "orders"},
                  {"id": "e2", "from": "x", "to": "q", "kind": "binding", "routing_key": "orders", "arguments": {"a": 1}},
                  {"id": "e3", "from": "q", "to": "c", "kind": "subscription", "arguments": {"x-priority": 5}}]});
    let e = load_scenario(&doc.to_string()).unwrap_err();
    let got: Vec<String> = e
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    assert_eq!(
        got,
        vec![
            "edges[0].routing_key: only a binding, dead-letter or forward edge has a `routing_key`; this edge is a publish edge",
            "edges[2].arguments: only a binding edge has `arguments`; this edge is a subscription edge",
        ]
    );
}

/// A wrong value inside a script step (read whole, then taken apart) names the field
/// when one field holds that value.
#[test]
fn a_wrong_value_in_a_script_step_names_its_field() {
    let doc = |step: &str| {
        format!(
            r#"{{"version": 2, "nodes": [{{"id": "q", "kind": "queue", "name": "jobs"}}], "edges": [], "script": [{step}]}}"#
        )
    };
    for (step, path) in [
        (
            r#"{"op": "get", "at_ms": "soon", "queue": "jobs"}"#,
            "script[0].at_ms",
        ),
        (
            r#"{"op": "get", "at_ms": 0, "queue": "jobs", "count": 5000000000}"#,
            "script[0].count",
        ),
        (
            r#"{"op": "get", "at_ms": 0, "queue": "jobs", "count": -1}"#,
            "script[0].count",
        ),
        (
            r#"{"op": "get", "at_ms": 0, "queue": true}"#,
            "script[0].queue",
        ),
    ] {
        let e = parse_scenario(&doc(step)).unwrap_err();
        assert_eq!(e.problems[0].path, path, "{step}: {e}");
    }
}

/// A message priority is an AMQP octet: 0 to 255 (rabbitmq.com/docs/priority; the
/// 0-9-1 `priority` property is an octet). A producer's priority template must give
/// one on every message, as a number or `{cycle:…}`/`{random:…}` of numbers; otherwise
/// it is refused at `producer.priority` (it was accepted and then ignored).
#[test]
fn a_producer_priority_that_is_not_0_to_255_is_refused() {
    use queue_playground::core::scenario::load_scenario;
    let with = |priority: &str| {
        format!(
            r#"{{"version": 1, "nodes": [{{"id": "p", "kind": "producer", "name": "p",
                "producer": {{"rate_per_sec": 1, "priority": {priority}}}}}], "edges": []}}"#
        )
    };
    for ok in [
        "5",
        "0",
        "255",
        "\"{cycle:1|5|9}\"",
        "\"{random:0|255}\"",
        "\" 7 \"",
    ] {
        assert!(load_scenario(&with(ok)).is_ok(), "{ok}");
    }
    for (bad, said) in [
        ("300", "`300` is not a priority"),
        ("\"{cycle:300|5}\"", "`300` is not a priority"),
        ("\"{cycle:1|abc}\"", "`abc` is not a priority"),
        ("\"-1\"", "`-1` is not a priority"),
        ("\"{n}\"", "not {n}, {producer} or {key}"),
    ] {
        let e = load_scenario(&with(bad)).unwrap_err();
        assert_eq!(
            e.problems[0].path, "nodes[0].producer.priority",
            "{bad}: {e}"
        );
        assert!(e.problems[0].message.contains(said), "{bad}: {e}");
    }
}

/// A file with thousands of problems lists the first ten and counts the rest (a review
/// found a one-line error of 53 KB, and a notice that covered the canvas).
#[test]
fn many_problems_are_listed_ten_and_counted() {
    let edges: Vec<String> = (0..500)
        .map(|i| format!(r#"{{"id":"e{i}","from":"p","to":"nowhere{i}","kind":"publish"}}"#))
        .collect();
    let text = format!(
        r#"{{"version":1,"nodes":[{{"id":"p","kind":"producer"}}],"edges":[{}]}}"#,
        edges.join(",")
    );
    let err = queue_playground::core::scenario::load_scenario(&text)
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with("; … and 490 more"),
        "{}",
        &err[err.len().saturating_sub(200)..]
    );
    assert_eq!(err.matches("; ").count(), 10, "{err}");
}

/// An import of more queues than fit one above the other in the canvas's coordinates
/// (9,092 did not: `nodes[9091].y` out of range) lays them out in several columns.
#[test]
fn a_large_import_stays_inside_the_canvas() {
    let queues: Vec<String> = (0..12_000)
        .map(|i| format!(r#"{{"name":"q{i}"}}"#))
        .collect();
    let text = format!(r#"{{"queues":[{}]}}"#, queues.join(","));
    let imported = queue_playground::core::definitions::import_definitions(&text, None)
        .unwrap_or_else(|e| panic!("{}", &e[..e.len().min(300)]));
    let s = &imported.scenario;
    assert_eq!(s.nodes.len(), 12_000);
    assert!(s.nodes.iter().all(|n| n.x.abs() <= 1e6 && n.y.abs() <= 1e6));
    assert!(queue_playground::core::scenario::validate(s).is_empty());
}

/// A wrong value deep inside a script step is named by its own path, not the step's
/// (a review found `script[0]` for each of these).
#[test]
fn a_wrong_value_inside_a_step_is_named_by_its_own_path() {
    let base = |step: &str| {
        format!(
            r#"{{"version":2,"nodes":[{{"id":"x","kind":"exchange","name":"orders"}},{{"id":"q","kind":"queue","name":"q"}}],"edges":[{{"id":"b","from":"x","to":"q","kind":"binding"}}],"script":[{step}]}}"#
        )
    };
    let cases = [
        (
            r#"{"op":"get","at_ms":1,"queue":"q","ack":"nack"}"#,
            "script[0].ack",
        ),
        (
            r#"{"op":"publish","at_ms":1,"exchange":"orders","properties":{"priority":300}}"#,
            "script[0].properties.priority",
        ),
        (
            r#"{"op":"publish","at_ms":1,"exchange":"orders","properties":{"expiration":"100"}}"#,
            "script[0].properties.expiration",
        ),
        (
            r#"{"op":"publish","at_ms":1,"exchange":"orders","properties":{"priorty":1}}"#,
            "script[0].properties",
        ),
    ];
    for (step, want) in cases {
        let err = queue_playground::core::scenario::load_scenario(&base(step)).unwrap_err();
        let p = &err.problems[0];
        assert_eq!(p.path, want, "{step}: {}", p.message);
    }
}
