//! The filter policy conformance table, from the SNS developer guide's pages.

use super::*;
use serde_json::json;

const STRING: &str = "https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html";
const NUMERIC: &str = "https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html";
const KEY: &str = "https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html";
const AND_OR: &str = "https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html";
const EXAMPLES: &str = "https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html";
const SCOPE: &str = "https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html";
const FILTERING: &str = "https://docs.aws.amazon.com/sns/latest/dg/message-filtering.html";
const CONSTRAINTS: &str =
    "https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html";
/// Rules stated on the pages but without a worked example there; the expected
/// outcome is derived from the cited rule (noted per case).
const DERIVED: &str = "derived from the cited rule";

/// The message of a conformance case.
enum Msg {
    /// Attributes (MessageAttributes scope).
    Attrs(Value),
    /// A JSON body (MessageBody scope).
    Body(Value),
    /// Body text exactly as published (MessageBody scope).
    Raw(&'static str),
}

struct Case {
    page: &'static str,
    policy: Value,
    msg: Msg,
    expected: bool,
}

fn case(page: &'static str, policy: Value, msg: Msg, expected: bool) -> Case {
    Case {
        page,
        policy,
        msg,
        expected,
    }
}

fn run(c: &Case) -> bool {
    match &c.msg {
        Msg::Attrs(attrs) => {
            let attrs = attrs.as_object().cloned().unwrap_or_default();
            matches(&c.policy, FilterScope::MessageAttributes, &attrs, "")
        }
        Msg::Body(body) => matches(
            &c.policy,
            FilterScope::MessageBody,
            &Map::new(),
            &body.to_string(),
        ),
        Msg::Raw(text) => matches(&c.policy, FilterScope::MessageBody, &Map::new(), text),
    }
}

fn scope_of(msg: &Msg) -> FilterScope {
    match msg {
        Msg::Attrs(_) => FilterScope::MessageAttributes,
        Msg::Body(_) | Msg::Raw(_) => FilterScope::MessageBody,
    }
}

use self::Msg::{Attrs, Body, Raw};

#[rustfmt::skip]
fn conformance_table() -> Vec<Case> {
    let exact = json!({"customer_interests": ["rugby", "tennis"]});
    let anything_but = json!({"customer_interests": [{"anything-but": ["rugby", "tennis"]}]});
    let not_order = json!({"event": [{"anything-but": {"prefix": "order-"}}]});
    let not_wild = json!({"customer_interests": [{"anything-but": {"wildcard": "*ball"}}]});
    let not_suffix = json!({"customer_interests": [{"anything-but": {"suffix": "ball"}}]});
    let ignore_case = json!({"customer_interests": [{"equals-ignore-case": "tennis"}]});
    let cidr = json!({"source_ip": [{"cidr": "10.0.0.0/24"}]});
    let prefix = json!({"customer_interests": [{"prefix": "bas"}]});
    let suffix = json!({"customer_interests": [{"suffix": "ball"}]});
    let wildcard = json!({"customer_interests": [{"wildcard": "*ball"}]});
    let num_eq = json!({"price_usd": [{"numeric": ["=", 301.5]}]});
    let num_not = json!({"price": [{"anything-but": [100, 500]}]});
    let negative = json!({"price_usd": [{"numeric": ["<", 0]}]});
    let range = json!({"price_usd": [{"numeric": [">", 0, "<=", 150]}]});
    let exists = json!({"store": [{"exists": true}]});
    let not_exists = json!({"store": [{"exists": false}]});
    let and = json!({"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]});
    let or = json!({"customer_interests": ["rugby", "football", "baseball"]});
    let std_or = json!({
        "source": ["aws.cloudwatch"],
        "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]
    });
    let accepts = json!({
        "store": ["example_corp"],
        "event": [{"anything-but": "order_cancelled"}],
        "customer_interests": ["rugby", "football", "baseball"],
        "price_usd": [{"numeric": [">=", 100]}]
    });
    let rejects = json!({
        "store": ["example_corp"],
        "event": ["order_cancelled"],
        "encrypted": [false],
        "customer_interests": ["basketball", "baseball"]
    });
    let example_attrs = json!({
        "customer_interests": ["soccer", "rugby", "hockey"],
        "store": "example_corp",
        "event": "order_placed",
        "price_usd": 210.75
    });
    let example_body = example_attrs.clone();
    let interests_store = json!({"store": "fans", "customer_interests": ["baseball", "basketball"]});
    let interests = json!({"customer_interests": ["baseball", "basketball"]});

    vec![
        // String value matching — exact matching.
        case(STRING, exact.clone(), Attrs(json!({"customer_interests": "rugby"})), true),
        case(STRING, exact.clone(), Attrs(json!({"customer_interests": "tennis"})), true),
        case(STRING, exact.clone(), Attrs(json!({"customer_interests": ["rugby", "tennis"]})), true),
        case(STRING, exact.clone(), Body(json!({"customer_interests": "rugby"})), true),
        case(STRING, exact.clone(), Body(json!({"customer_interests": "tennis"})), true),
        case(STRING, exact.clone(), Attrs(json!({"customer_interests": "baseball"})), false),
        case(STRING, exact.clone(), Attrs(json!({"customer_interests": ["baseball"]})), false),
        case(STRING, exact.clone(), Body(json!({"customer_interests": "baseball"})), false),
        // String value matching — anything-but.
        case(STRING, anything_but.clone(), Attrs(json!({"customer_interests": "baseball"})), true),
        case(STRING, anything_but.clone(), Attrs(json!({"customer_interests": "football"})), true),
        case(STRING, anything_but.clone(), Attrs(json!({"customer_interests": ["rugby", "baseball"]})), true),
        case(STRING, anything_but.clone(), Body(json!({"customer_interests": "baseball"})), true),
        case(STRING, anything_but.clone(), Body(json!({"customer_interests": "football"})), true),
        case(STRING, anything_but.clone(), Body(json!({"customer_interests": ["rugby", "baseball"]})), true),
        case(STRING, anything_but.clone(), Attrs(json!({"customer_interests": "rugby"})), false),
        case(STRING, anything_but.clone(), Attrs(json!({"customer_interests": ["rugby"]})), false),
        case(STRING, anything_but.clone(), Body(json!({"customer_interests": ["rugby"]})), false),
        // String value matching — anything-but with a prefix.
        case(STRING, not_order.clone(), Attrs(json!({"event": "data-entry"})), true),
        case(STRING, not_order.clone(), Attrs(json!({"event": "order_number"})), true),
        case(STRING, not_order.clone(), Body(json!({"event": "data-entry"})), true),
        case(STRING, not_order.clone(), Body(json!({"event": "order_number"})), true),
        case(STRING, not_order.clone(), Attrs(json!({"event": "order-cancelled"})), false),
        case(STRING, not_order.clone(), Body(json!({"event": "order-cancelled"})), false),
        // String value matching — anything-but wildcard / suffix.
        case(STRING, not_wild.clone(), Attrs(json!({"customer_interests": ["hockey", "rugby", "soccer"]})), true),
        case(STRING, not_wild.clone(), Body(json!({"customer_interests": ["hockey", "rugby", "soccer"]})), true),
        case(STRING, not_wild.clone(), Attrs(json!({"customer_interests": ["baseball", "basketball"]})), false),
        case(STRING, not_suffix.clone(), Attrs(json!({"customer_interests": ["hockey", "rugby", "soccer"]})), true),
        case(STRING, not_suffix.clone(), Body(json!({"customer_interests": ["baseball", "basketball"]})), false),
        // String value matching — equals-ignore-case.
        case(STRING, ignore_case.clone(), Attrs(json!({"customer_interests": "TENNIS"})), true),
        case(STRING, ignore_case.clone(), Attrs(json!({"customer_interests": "Tennis"})), true),
        case(STRING, ignore_case.clone(), Body(json!({"customer_interests": "TENNIS"})), true),
        case(STRING, ignore_case.clone(), Body(json!({"customer_interests": "teNnis"})), true),
        // String value matching — IP address matching.
        case(STRING, cidr.clone(), Attrs(json!({"source_ip": "10.0.0.0"})), true),
        case(STRING, cidr.clone(), Attrs(json!({"source_ip": "10.0.0.255"})), true),
        case(STRING, cidr.clone(), Body(json!({"source_ip": "10.0.0.255"})), true),
        case(STRING, cidr.clone(), Attrs(json!({"source_ip": "10.1.1.0"})), false),
        case(STRING, cidr.clone(), Body(json!({"source_ip": "10.1.1.0"})), false),
        // String value matching — prefix.
        case(STRING, prefix.clone(), Attrs(json!({"customer_interests": "baseball"})), true),
        case(STRING, prefix.clone(), Attrs(json!({"customer_interests": "basketball"})), true),
        case(STRING, prefix.clone(), Body(json!({"customer_interests": "basketball"})), true),
        case(STRING, prefix.clone(), Attrs(json!({"customer_interests": "rugby"})), false),
        case(STRING, prefix.clone(), Body(json!({"customer_interests": "rugby"})), false),
        // String value matching — suffix.
        case(STRING, suffix.clone(), Attrs(json!({"customer_interests": "baseball"})), true),
        case(STRING, suffix.clone(), Body(json!({"customer_interests": "basketball"})), true),
        case(STRING, suffix.clone(), Attrs(json!({"customer_interests": "rugby"})), false),
        case(STRING, suffix.clone(), Body(json!({"customer_interests": "rugby"})), false),
        // String value matching — wildcard.
        case(STRING, wildcard.clone(), Body(json!({"customer_interests": ["baseball", "basketball"]})), true),
        case(STRING, wildcard.clone(), Attrs(json!({"customer_interests": ["baseball", "basketball"]})), true),
        // Numeric value matching — exact.
        case(NUMERIC, num_eq.clone(), Attrs(json!({"price_usd": 301.5})), true),
        case(NUMERIC, num_eq.clone(), Attrs(json!({"price_usd": 3.015e2})), true),
        case(NUMERIC, num_eq.clone(), Raw(r#"{"price_usd": 301.5}"#), true),
        case(NUMERIC, num_eq.clone(), Raw(r#"{"price_usd": 3.015e2}"#), true),
        // Numeric value matching — anything-but.
        case(NUMERIC, num_not.clone(), Attrs(json!({"price": 101})), true),
        case(NUMERIC, num_not.clone(), Attrs(json!({"price": 100.1})), true),
        case(NUMERIC, num_not.clone(), Body(json!({"price": 101})), true),
        case(NUMERIC, num_not.clone(), Body(json!({"price": 100.1})), true),
        case(NUMERIC, num_not.clone(), Attrs(json!({"price": [100, 50]})), true),
        case(NUMERIC, num_not.clone(), Body(json!({"price": [100, 50]})), true),
        case(NUMERIC, num_not.clone(), Attrs(json!({"price": 100})), false),
        case(NUMERIC, num_not.clone(), Body(json!({"price": 100})), false),
        // Numeric value matching — ranges ("negative numeric values"; "positive
        // numbers up to and including 150").
        case(NUMERIC, negative.clone(), Attrs(json!({"price_usd": -0.5})), true),
        case(NUMERIC, negative.clone(), Body(json!({"price_usd": 0})), false),
        case(NUMERIC, range.clone(), Attrs(json!({"price_usd": 150})), true),
        case(NUMERIC, range.clone(), Body(json!({"price_usd": 0.01})), true),
        case(NUMERIC, range.clone(), Attrs(json!({"price_usd": 0})), false),
        case(NUMERIC, range.clone(), Body(json!({"price_usd": 150.5})), false),
        // Key matching.
        case(KEY, exists.clone(), Attrs(interests_store.clone()), true),
        case(KEY, exists.clone(), Body(interests_store.clone()), true),
        case(KEY, exists.clone(), Attrs(interests.clone()), false),
        case(KEY, exists.clone(), Body(interests.clone()), false),
        case(KEY, not_exists.clone(), Attrs(interests_store.clone()), false),
        case(KEY, not_exists.clone(), Body(interests_store.clone()), false),
        case(KEY, not_exists.clone(), Attrs(interests.clone()), true),
        case(KEY, not_exists.clone(), Body(interests.clone()), true),
        // "An empty set of attributes results in the filter not matching."
        case(KEY, not_exists.clone(), Attrs(json!({})), false),
        // "The key must have a non-null and non-empty value."
        case(KEY, exists.clone(), Body(json!({"store": null})), false),
        case(KEY, exists.clone(), Body(json!({"store": ""})), false),
        // "exists matching only works on leaf nodes."
        case(KEY, exists.clone(), Body(json!({"store": {"name": "fans"}})), false),
        // AND/OR logic — AND across keys.
        case(AND_OR, and.clone(), Attrs(json!({"customer_interests": "rugby", "price_usd": 150})), true),
        case(AND_OR, and.clone(), Body(json!({"customer_interests": "rugby", "price_usd": 150})), true),
        case(AND_OR, and.clone(), Attrs(json!({"customer_interests": "rugby", "price_usd": 100})), false),
        case(AND_OR, and.clone(), Attrs(json!({"customer_interests": "football", "price_usd": 150})), false),
        // AND/OR logic — OR within a key.
        case(AND_OR, or.clone(), Attrs(json!({"customer_interests": "football"})), true),
        case(AND_OR, or.clone(), Body(json!({"customer_interests": "baseball"})), true),
        case(AND_OR, or.clone(), Attrs(json!({"customer_interests": "tennis"})), false),
        // AND/OR logic — "$or": "source" && ("metricName" || "namespace").
        case(AND_OR, std_or.clone(), Attrs(json!({"source": "aws.cloudwatch", "metricName": "CPUUtilization"})), true),
        case(AND_OR, std_or.clone(), Attrs(json!({"source": "aws.cloudwatch", "namespace": "AWS/EC2"})), true),
        case(AND_OR, std_or.clone(), Body(json!({"source": "aws.cloudwatch", "namespace": "AWS/EC2"})), true),
        case(AND_OR, std_or.clone(), Attrs(json!({"source": "aws.cloudwatch", "metricName": "ReadLatency"})), false),
        case(AND_OR, std_or.clone(), Attrs(json!({"metricName": "CPUUtilization", "namespace": "AWS/EC2"})), false),
        // Example filter policies.
        case(EXAMPLES, accepts.clone(), Attrs(example_attrs.clone()), true),
        case(EXAMPLES, accepts.clone(), Body(example_body.clone()), true),
        case(EXAMPLES, rejects.clone(), Attrs(example_attrs.clone()), false),
        case(EXAMPLES, rejects.clone(), Body(example_body.clone()), false),
        // Filter policy scope: attributes scope never reads the body and vice versa.
        case(SCOPE, json!({"store": ["example_corp"]}), Attrs(json!({})), false),
        case(SCOPE, json!({"store": ["example_corp"]}), Raw(r#"{"store": "example_corp"}"#), true),
        // Message filtering: the body must be a well-formed JSON object; no policy
        // means every message is delivered.
        case(FILTERING, json!({"store": ["example_corp"]}), Raw("store=example_corp"), false),
        case(FILTERING, json!({"store": ["example_corp"]}), Raw(r#"["example_corp"]"#), false),
        case(FILTERING, json!({}), Raw("not json at all"), true),
        case(FILTERING, json!({}), Attrs(json!({})), true),
        // Constraints: "For string matching in the filter policy, the comparison is
        // case-sensitive."
        case(CONSTRAINTS, exact.clone(), Attrs(json!({"customer_interests": "Rugby"})), false),
        // Derived: a string condition does not match a Number, a numeric condition
        // does not match a String (string vs numeric value matching pages).
        case(DERIVED, json!({"price": ["100"]}), Attrs(json!({"price": 100})), false),
        case(DERIVED, json!({"price": [{"numeric": [">", 10]}]}), Attrs(json!({"price": "100"})), false),
        case(DERIVED, json!({"price": [100]}), Attrs(json!({"price": 1.0e2})), true),
        // Derived: null and booleans are policy values (constraints page) matching
        // themselves in a body; null does not match an absent key.
        case(DERIVED, json!({"k": [null]}), Body(json!({"k": null})), true),
        case(DERIVED, json!({"k": [null]}), Body(json!({"other": 1})), false),
        case(DERIVED, json!({"encrypted": [false]}), Body(json!({"encrypted": false})), true),
        case(DERIVED, json!({"attr1": [null, {"anything-but": "whatever"}]}), Attrs(json!({})), false),
        // Derived: anything-but needs the key ("can be combined with exists: false").
        case(DERIVED, anything_but.clone(), Attrs(json!({"store": "fans"})), false),
        case(
            DERIVED,
            json!({"customer_interests": [{"anything-but": ["rugby"]}, {"exists": false}]}),
            Attrs(json!({"store": "fans"})),
            true,
        ),
        // Derived: nested body policies (filter policy scope page) reach nested
        // objects, also through arrays of objects.
        case(
            DERIVED,
            json!({"Records": {"s3": {"object": {"key": [{"prefix": "auto-"}]}}, "eventName": [{"prefix": "ObjectCreated:"}]}}),
            Body(json!({"Records": [{"eventName": "ObjectCreated:Put", "s3": {"object": {"key": "auto-insurance-2314.xml"}}}]})),
            true,
        ),
        case(
            DERIVED,
            json!({"Records": {"s3": {"object": {"key": [{"prefix": "auto-"}]}}, "eventName": [{"prefix": "ObjectCreated:"}]}}),
            Body(json!({"Records": [{"eventName": "ObjectRemoved:Delete", "s3": {"object": {"key": "auto-insurance-2314.xml"}}}]})),
            false,
        ),
        // Derived: "$or" inside a nested body policy.
        case(
            DERIVED,
            json!({"detail": {"scope": ["Service"], "$or": [{"source": ["aws.cloudwatch"]}, {"type": ["CloudWatch Alarm State Change"]}]}}),
            Body(json!({"detail": {"scope": "Service", "type": "CloudWatch Alarm State Change"}})),
            true,
        ),
        case(
            DERIVED,
            json!({"detail": {"scope": ["Service"], "$or": [{"source": ["aws.cloudwatch"]}, {"type": ["CloudWatch Alarm State Change"]}]}}),
            Body(json!({"detail": {"scope": "Service"}})),
            false,
        ),
    ]
}

#[test]
fn conformance_table_matches_the_documentation() {
    let cases = conformance_table();
    assert!(cases.len() >= 40);
    for (i, c) in cases.iter().enumerate() {
        let scope = scope_of(&c.msg);
        assert_eq!(
            check_policy(&c.policy, scope),
            Ok(()),
            "case {i} ({}): policy {} should be valid",
            c.page,
            c.policy
        );
        let message = match &c.msg {
            Attrs(v) | Body(v) => v.to_string(),
            Raw(text) => (*text).to_string(),
        };
        assert_eq!(
            run(c),
            c.expected,
            "case {i} ({}): policy {} against {message}",
            c.page,
            c.policy
        );
    }
}

#[test]
fn matching_does_not_depend_on_key_order() {
    let a = json!({"store": ["example_corp"], "price_usd": [{"numeric": [">=", 100]}]});
    let b = json!({"price_usd": [{"numeric": [">=", 100]}], "store": ["example_corp"]});
    let attrs = json!({"price_usd": 210.75, "store": "example_corp"});
    let attrs = attrs.as_object().cloned().unwrap_or_default();
    assert!(matches(&a, FilterScope::MessageAttributes, &attrs, ""));
    assert!(matches(&b, FilterScope::MessageAttributes, &attrs, ""));
}

#[test]
fn wildcard_and_cidr_helpers() {
    assert!(wildcard_matches("*ball", "baseball"));
    assert!(wildcard_matches("*", ""));
    assert!(wildcard_matches("a*b*c", "aXXbYYc"));
    assert!(!wildcard_matches("a*b*c", "aXXbYY"));
    assert!(!wildcard_matches("ball", "baseball"));
    assert!(cidr_contains("2001:db8::/32", "2001:db8:1::1"));
    assert!(!cidr_contains("2001:db8::/32", "10.0.0.1"));
    assert!(cidr_contains("0.0.0.0/0", "192.168.1.1"));
}

/// Accepted policies: (page, scope, policy).
#[rustfmt::skip]
fn accepted() -> Vec<(&'static str, FilterScope, Value)> {
    use super::FilterScope::{MessageAttributes as A, MessageBody as B};
    vec![
        // Example filter policies: the accepting policy.
        (EXAMPLES, A, json!({
            "store": ["example_corp"],
            "event": [{"anything-but": "order_cancelled"}],
            "customer_interests": ["rugby", "football", "baseball"],
            "price_usd": [{"numeric": [">=", 100]}]
        })),
        // Constraints: complexity example, 3 x 1 x 2 = 6.
        (CONSTRAINTS, A, json!({
            "key_a": ["value_one", "value_two", "value_three"],
            "key_b": ["value_one"],
            "key_c": ["value_one", "value_two"]
        })),
        // Constraints: key counting example for payload-based filtering (4 top-level keys).
        (CONSTRAINTS, B, json!({
            "state": ["SUCCESS"],
            "severity": [{"exists": true}],
            "message": [{"exists": true}],
            "finding": {
                "standard_control": [{"exists": true}],
                "region": [{"exists": true}],
                "account": [{"exists": true}]
            }
        })),
        // Constraints: the payload-based nested example, 3 x 4 x 2 x 3 = 72.
        (CONSTRAINTS, B, json!({
            "key_a": {"key_b": {"key_c": ["value_one", "value_two", "value_three", "value_four"]}},
            "key_d": {"key_e": ["value_one", "value_two", "value_three"]}
        })),
        // Numeric value matching.
        (NUMERIC, A, json!({"price_usd": [{"numeric": [">", 0, "<=", 150]}]})),
        (NUMERIC, A, json!({"price_usd": [{"numeric": ["=", 3.015e2]}]})),
        // String value matching.
        (STRING, A, json!({"event": [{"anything-but": {"prefix": "order-"}}]})),
        (STRING, B, json!({"customer_interests": [{"anything-but": {"suffix": "ball"}}, {"wildcard": "*ball"}]})),
        (STRING, A, json!({"source_ip": [{"cidr": "10.0.0.0/24"}]})),
        // AND/OR logic: "$or"; and (1 x (1 + 1 x (2 + 3))) stays small.
        (AND_OR, A, json!({
            "source": ["aws.cloudwatch"],
            "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]
        })),
        (AND_OR, A, json!({
            "source": ["aws.cloudwatch"],
            "$or": [
                {"metricName": ["CPUUtilization", "ReadLatency"]},
                {"metricType": ["MetricType"], "$or": [{"metricId": [1234, 4321]}, {"spaceId": [1000, 2000, 3000]}]}
            ]
        })),
        // Constraints: exactly 150 combinations with "$or":
        // 3 x (6 + 4 x (4 + 7)) = 150.
        (CONSTRAINTS, A, json!({
            "source": ["a", "b", "c"],
            "$or": [
                {"metricName": ["1", "2", "3", "4", "5", "6"]},
                {"metricType": ["1", "2", "3", "4"], "$or": [{"metricId": [1, 2, 3, 4]}, {"spaceId": [1, 2, 3, 4, 5, 6, 7]}]}
            ]
        })),
        // Key matching; constraints: true, false, null are policy values.
        (KEY, A, json!({"store": [{"exists": false}], "k": [null, true, false, "", 0]})),
        // Message filtering: an empty policy.
        (FILTERING, A, json!({})),
    ]
}

#[test]
fn check_policy_accepts_documented_policies() {
    for (i, (page, scope, policy)) in accepted().iter().enumerate() {
        assert_eq!(
            check_policy(policy, *scope),
            Ok(()),
            "accepted case {i} ({page}): {policy}"
        );
    }
}

/// Rejected policies: (page, scope, policy, text the error must contain).
#[rustfmt::skip]
fn rejected() -> Vec<(&'static str, FilterScope, Value, &'static str)> {
    use super::FilterScope::{MessageAttributes as A, MessageBody as B};
    let many: Vec<String> = (0..151).map(|i| format!("value{i}")).collect();
    vec![
        (FILTERING, A, json!(["not", "an", "object"]), "filter_policy: a filter policy must be a JSON object"),
        (CONSTRAINTS, A, json!({"key_a": "value_one"}), "filter_policy.key_a:"),
        (CONSTRAINTS, A, json!({"key": []}), "filter_policy.key: an empty array"),
        (CONSTRAINTS, A, json!({"k1": ["a"], "k2": ["a"], "k3": ["a"], "k4": ["a"], "k5": ["a"], "k6": ["a"]}), "at most 5 keys"),
        (CONSTRAINTS, A, json!({"key": many}), "too complex"),
        // 3x4 + 2x3 + 1x3 → 12 x 6 x 3 = 216 > 150.
        (CONSTRAINTS, B, json!({
            "key_a": {"key_b": {"key_c": ["value_one", "value_two", "value_three", "value_four"]}},
            "key_d": {"key_e": ["value_one", "value_two", "value_three"]},
            "key_f": ["value_one", "value_two", "value_three"]
        }), "too complex"),
        // 4 x (6 + 4 x (4 + 4)) = 152 > 150.
        (CONSTRAINTS, A, json!({
            "source": ["a", "b", "c", "d"],
            "$or": [
                {"metricName": ["1", "2", "3", "4", "5", "6"]},
                {"metricType": ["1", "2", "3", "4"], "$or": [{"metricId": [1, 2, 3, 4]}, {"spaceId": [1, 2, 3, 4]}]}
            ]
        }), "too complex"),
        // Constraints: no nested policy for attribute-based filtering.
        (CONSTRAINTS, A, json!({"finding": {"region": [{"exists": true}]}}), "filter_policy.finding: nested policies need the MessageBody scope"),
        (CONSTRAINTS, A, json!({"price": [10_000_000_000.0]}), "filter_policy.price: numbers must lie between"),
        (NUMERIC, A, json!({"price": [{"numeric": [">", "20", "<", "30"]}]}), "filter_policy.price: a numeric range needs numbers"),
        (NUMERIC, A, json!({"price": [{"numeric": ["<", 100, ">", 10]}]}), "filter_policy.price: only a lower bound"),
        (NUMERIC, A, json!({"price": [{"numeric": [">", 3, "<", 1]}]}), "lower bound of a numeric range must be less"),
        (NUMERIC, A, json!({"price": [{"numeric": ["==", 3]}]}), "is not a numeric operator"),
        (NUMERIC, B, json!({"price": [{"numeric": [">", 0, "<=", 150, "<", 7]}]}), "at most one lower and one upper bound"),
        (KEY, A, json!({"store": [{"exists": "no"}]}), "\"exists\" must be true or false"),
        (STRING, A, json!({"key": [{"suffix": 100}]}), "\"suffix\" needs a string"),
        (STRING, A, json!({"key": [{"suffix": "value", "prefix": "value2"}]}), "exactly one key"),
        (STRING, A, json!({"key": [{"wrong-operator": true}]}), "unknown operator \"wrong-operator\""),
        (STRING, A, json!({"key": [["value"]]}), "not an array"),
        (STRING, A, json!({"key": [{"anything-but": {"equals": "x"}}]}), "does not take \"equals\""),
        (STRING, A, json!({"key": [{"cidr": "bad-filter"}]}), "not an IP address block"),
        // AND/OR logic: not an OR because "numeric" and "prefix" are reserved; "$or" is
        // then an ordinary key whose {"numeric": 123} is not a valid condition.
        (AND_OR, A, json!({"$or": [{"numeric": 123}, {"prefix": "abc"}]}), "filter_policy.$or: \"numeric\" needs an array"),
    ]
}

#[test]
fn check_policy_rejects_broken_policies() {
    for (i, (page, scope, policy, expected)) in rejected().iter().enumerate() {
        match check_policy(policy, *scope) {
            Ok(()) => panic!("rejected case {i} ({page}): {policy} was accepted"),
            Err(message) => assert!(
                message.contains(expected),
                "rejected case {i} ({page}): {policy}: message {message:?} lacks {expected:?}"
            ),
        }
    }
}

#[test]
fn numeric_range_error_reads_as_documented_in_the_brief() {
    let policy = json!({"price": [{"numeric": [">", 0, "<=", "150"]}]});
    assert_eq!(
        check_policy(&policy, FilterScope::MessageAttributes),
        Err("filter_policy.price: a numeric range needs numbers".to_string())
    );
}
