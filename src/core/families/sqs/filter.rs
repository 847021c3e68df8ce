//! Amazon SNS subscription filter policies: the syntax check a policy must pass before
//! a subscription accepts it ([`check_policy`]) and the decision whether one published
//! message reaches the subscription ([`matches`]). This module owns only that decision;
//! it holds no state and is deterministic (the result never depends on map order).
//!
//! Everything here follows the Amazon SNS Developer Guide; each rule cites its page:
//!
//! * "Amazon SNS message filtering" — <https://docs.aws.amazon.com/sns/latest/dg/message-filtering.html>
//! * "Amazon SNS subscription filter policies" — <https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html>
//! * "Filter policy constraints" — <https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html>
//! * "Filter policy scope" — <https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html>
//! * "Example filter policies" — <https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html>
//! * "String value matching" — <https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html>
//! * "Numeric value matching" — <https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html>
//! * "Key matching" — <https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html>
//! * "AND/OR logic" — <https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html>
//!
//! The model of a message: with [`FilterScope::MessageAttributes`] the attributes are a
//! JSON object whose string values are `String` attributes, number values are `Number`
//! attributes and array values are `String.Array` attributes (each element compared on
//! its own; numeric elements behave like the `Number.Array` example of the numeric page).
//! Other JSON values (objects, `true`, `false`, `null`) are not attribute types SNS
//! compares, so they are ignored like `Binary` attributes (constraints page).
//! With [`FilterScope::MessageBody`] the body text must be a JSON object (message
//! filtering page: "Filter policies for the message body assume that the message payload
//! is a well-formed JSON object").
//!
//! Typing: string operators (exact string, `prefix`, `suffix`, `equals-ignore-case`,
//! `wildcard`, `cidr`) only match string values; numeric operators (a bare number,
//! `numeric`) only match numbers; `true`, `false` and `null` only match themselves.
//! Numbers compare with five digits of accuracy after the decimal point (constraints
//! page), so `301.5` equals `3.015e2` (numeric page).

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::net::IpAddr;

/// Where a filter policy looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FilterScope {
    /// The policy is compared with the message attributes (the default, as the filter
    /// policy scope page says); a policy may not nest objects.
    #[default]
    MessageAttributes,
    /// The policy is compared with the message body parsed as a JSON object; a policy
    /// may nest objects to reach nested properties.
    MessageBody,
}

/// "A filter policy can have a maximum of five keys" (constraints page); for a nested
/// (body) policy only the top-level keys count.
const MAX_KEYS: usize = 5;

/// "The total combination of values in a filter policy must not exceed 150"
/// (constraints page).
const MAX_COMBINATIONS: u64 = 150;

/// "For numeric matching, the value can range from -10^9 to 10^9" (constraints page).
const NUMERIC_LIMIT: f64 = 1_000_000_000.0;

/// "... with five digits of accuracy after the decimal point" (constraints page):
/// numbers are compared after scaling by 10^5 and rounding.
const NUMERIC_SCALE: f64 = 100_000.0;

/// The key of the `$or` operator (AND/OR logic page).
const OR_KEY: &str = "$or";

/// The operator keywords of a condition object. "None of the objects in the `$or`
/// array have field names that are reserved keywords" (AND/OR logic page) uses this list.
const OPERATORS: [&str; 8] = [
    "anything-but",
    "cidr",
    "equals-ignore-case",
    "exists",
    "numeric",
    "prefix",
    "suffix",
    "wildcard",
];

/// The patterns documented inside `anything-but` (string matching page: "Using a prefix
/// with anything-but", "anything-but wildcard", "anything-but suffix").
const ANYTHING_BUT_PATTERNS: [&str; 3] = ["prefix", "suffix", "wildcard"];

/// Checks a filter policy's syntax (the JSON object a user wrote). Err names the problem
/// in plain words with the key path, e.g. "filter_policy.price: a numeric range needs
/// numbers".
///
/// Checked, with the page each rule comes from: the policy is a JSON object; every key
/// takes a non-empty array of conditions, or (body scope only) a nested object
/// (constraints page: attribute-based filtering accepts no nested policy); a condition is
/// a string, a number, `true`, `false`, `null` or an object with exactly one documented
/// operator and a well-formed operand (string, numeric and key matching pages); `$or`
/// takes at least two objects (AND/OR logic page); numbers lie in -10^9..=10^9, the
/// product of the numbers of values stays at most 150 and the policy has at most five
/// keys (constraints page).
pub fn check_policy(policy: &Value, scope: FilterScope) -> Result<(), String> {
    let root = policy
        .as_object()
        .ok_or_else(|| "filter_policy: a filter policy must be a JSON object".to_string())?;
    check_object(root, scope, "filter_policy")?;

    // Complexity first: it also bounds the number of `$or` alternatives enumerated by
    // the key count below.
    let total = combinations(root, 1);
    if total > MAX_COMBINATIONS {
        return Err(format!(
            "filter_policy: the policy is too complex: its values make {total} \
             combinations and at most {MAX_COMBINATIONS} are allowed (multiply the number \
             of values in each array; an $or adds up its branches)"
        ));
    }

    let keys = top_level_key_sets(root)
        .iter()
        .map(BTreeSet::len)
        .max()
        .unwrap_or(0);
    if keys > MAX_KEYS {
        return Err(format!(
            "filter_policy: a filter policy can have at most {MAX_KEYS} keys, this one has {keys}"
        ));
    }
    Ok(())
}

/// Whether a message passes `policy`. `attributes` are the SNS message attributes as a
/// JSON object: a JSON string value = attribute of Type String, a JSON number = Type
/// Number, a JSON array = Type String.Array (match if any element matches, as the docs
/// say). `body` is the message body text; with MessageBody scope it is parsed as JSON
/// (nested keys in the policy match nested objects in the body, arrays in the body match
/// if any element matches); a body that is not a JSON object matches no policy that has
/// any key. An empty policy object matches everything.
///
/// The policy is expected to have passed [`check_policy`]; a malformed condition never
/// matches (and a policy that is not a JSON object matches nothing) rather than panicking.
pub fn matches(
    policy: &Value,
    scope: FilterScope,
    attributes: &Map<String, Value>,
    body: &str,
) -> bool {
    let Some(root) = policy.as_object() else {
        return false;
    };
    // "If a subscription doesn't have a filter policy, the subscriber receives every
    // message" (message filtering page); an empty policy has no condition to fail.
    if root.is_empty() {
        return true;
    }
    match scope {
        FilterScope::MessageAttributes => {
            // Key matching page: "exists": false "only matches if at least one attribute
            // is present. An empty set of attributes results in the filter not matching."
            let any_property = attributes.values().any(is_attribute_type);
            eval_attributes(root, attributes, any_property)
        }
        FilterScope::MessageBody => {
            // Message filtering page: the body must be a well-formed JSON object.
            let Ok(Value::Object(message)) = serde_json::from_str::<Value>(body) else {
                return false;
            };
            let any_property = !message.is_empty();
            eval_body(root, &[&message], any_property)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------------------

/// Checks every key of one policy object (the root, a nested body object or an `$or`
/// branch); `path` is the key path of `object` for messages.
fn check_object(object: &Map<String, Value>, scope: FilterScope, path: &str) -> Result<(), String> {
    for (key, rule) in object {
        if let Some(branches) = as_or(key, rule) {
            // AND/OR logic page: "There are at least 2 objects in the "$or" array".
            for (i, branch) in branches.iter().enumerate() {
                let here = format!("{path}.{OR_KEY}[{i}]");
                if branch.is_empty() {
                    return Err(format!("{here}: an $or branch needs at least one key"));
                }
                check_object(branch, scope, &here)?;
            }
            continue;
        }
        let here = format!("{path}.{key}");
        match rule {
            Value::Array(conditions) => {
                if conditions.is_empty() {
                    return Err(format!(
                        "{here}: an empty array matches nothing; give at least one value"
                    ));
                }
                for condition in conditions {
                    check_condition(condition, &here)?;
                }
            }
            Value::Object(nested) => match scope {
                // Constraints page: "Amazon SNS doesn't accept a nested filter policy for
                // attribute-based filtering."
                FilterScope::MessageAttributes => {
                    return Err(format!(
                        "{here}: nested policies need the MessageBody scope; with the \
                         MessageAttributes scope every key takes an array of conditions"
                    ));
                }
                FilterScope::MessageBody => {
                    if nested.is_empty() {
                        return Err(format!("{here}: an empty object has no conditions"));
                    }
                    check_object(nested, scope, &here)?;
                }
            },
            _ => {
                let allowed = match scope {
                    FilterScope::MessageAttributes => "an array of conditions",
                    FilterScope::MessageBody => "an array of conditions or a nested object",
                };
                return Err(format!(
                    "{here}: must be {allowed}, e.g. [\"value\"], not a single value"
                ));
            }
        }
    }
    Ok(())
}

/// Checks one element of a key's array of conditions.
fn check_condition(condition: &Value, here: &str) -> Result<(), String> {
    match condition {
        // Constraints page: the policy JSON can contain strings, numbers and the
        // keywords true, false and null.
        Value::String(_) | Value::Bool(_) | Value::Null => Ok(()),
        Value::Number(_) => check_number(condition, here),
        Value::Array(_) => Err(format!(
            "{here}: a condition must be a string, a number, true, false, null or an \
             operator object, not an array"
        )),
        Value::Object(operator) => {
            let mut entries = operator.iter();
            let (Some((name, operand)), None) = (entries.next(), entries.next()) else {
                return Err(format!(
                    "{here}: an operator object must have exactly one key, it has {}",
                    operator.len()
                ));
            };
            check_operator(name, operand, here)
        }
    }
}

/// Checks one `{"operator": operand}` condition.
fn check_operator(name: &str, operand: &Value, here: &str) -> Result<(), String> {
    match name {
        // String value matching page: prefix, suffix, equals-ignore-case, wildcard.
        "prefix" | "suffix" | "equals-ignore-case" | "wildcard" => {
            if operand.is_string() {
                Ok(())
            } else {
                Err(format!("{here}: \"{name}\" needs a string"))
            }
        }
        // String value matching page, "IP address matching".
        "cidr" => match operand.as_str() {
            Some(text) if parse_cidr(text).is_some() => Ok(()),
            Some(text) => Err(format!(
                "{here}: \"{text}\" is not an IP address block such as \"10.0.0.0/24\""
            )),
            None => Err(format!(
                "{here}: \"cidr\" needs a string such as \"10.0.0.0/24\""
            )),
        },
        // Key matching page: "exists": true or "exists": false.
        "exists" => {
            if operand.is_boolean() {
                Ok(())
            } else {
                Err(format!("{here}: \"exists\" must be true or false"))
            }
        }
        "numeric" => check_numeric(operand, here),
        "anything-but" => check_anything_but(operand, here),
        other => Err(format!(
            "{here}: unknown operator \"{other}\" (known: {})",
            OPERATORS.join(", ")
        )),
    }
}

/// Checks a number of the policy against the documented range (constraints page).
fn check_number(number: &Value, here: &str) -> Result<(), String> {
    match number.as_f64() {
        Some(x) if (-NUMERIC_LIMIT..=NUMERIC_LIMIT).contains(&x) => Ok(()),
        _ => Err(format!(
            "{here}: numbers must lie between -1000000000 and 1000000000, {number} does not"
        )),
    }
}

/// Checks the operand of `numeric`: `[op, n]` with op one of `<`, `<=`, `=`, `>`, `>=`,
/// or a range `[">" | ">=", low, "<" | "<=", high]` with low < high (numeric value
/// matching page, e.g. `[">", 0, "<=", 150]`).
fn check_numeric(operand: &Value, here: &str) -> Result<(), String> {
    let Some(terms) = operand.as_array() else {
        return Err(format!(
            "{here}: \"numeric\" needs an array such as [\">\", 0, \"<=\", 150]"
        ));
    };
    let Some(first) = terms.first() else {
        return Err(format!(
            "{here}: \"numeric\" needs an operator and a number, e.g. [\"=\", 301.5]"
        ));
    };
    let Some(first_op) = first.as_str() else {
        return Err(format!(
            "{here}: a numeric condition starts with an operator (<, <=, =, >, >=), not {first}"
        ));
    };
    if !["<", "<=", "=", ">", ">="].contains(&first_op) {
        return Err(format!(
            "{here}: \"{first_op}\" is not a numeric operator (use <, <=, =, > or >=)"
        ));
    }
    let low = match terms.get(1) {
        Some(value) if value.is_number() => value,
        _ => return Err(format!("{here}: a numeric range needs numbers")),
    };
    check_number(low, here)?;
    if terms.len() == 2 {
        return Ok(());
    }
    if first_op != ">" && first_op != ">=" {
        return Err(format!(
            "{here}: only a lower bound (> or >=) can be followed by an upper bound"
        ));
    }
    let second_op = terms.get(2).and_then(Value::as_str);
    if !matches!(second_op, Some("<") | Some("<=")) {
        return Err(format!(
            "{here}: the upper bound of a numeric range needs < or <="
        ));
    }
    let high = match terms.get(3) {
        Some(value) if value.is_number() => value,
        _ => return Err(format!("{here}: a numeric range needs numbers")),
    };
    check_number(high, here)?;
    if terms.len() > 4 {
        return Err(format!(
            "{here}: a numeric range has at most one lower and one upper bound"
        ));
    }
    match (low.as_f64(), high.as_f64()) {
        (Some(l), Some(h)) if l < h => Ok(()),
        _ => Err(format!(
            "{here}: the lower bound of a numeric range must be less than its upper bound"
        )),
    }
}

/// Checks the operand of `anything-but`: a string, a number, a non-empty list of strings
/// and numbers (string and numeric matching pages), or one of the documented patterns
/// `{"prefix" | "suffix" | "wildcard": string}` (string matching page).
fn check_anything_but(operand: &Value, here: &str) -> Result<(), String> {
    match operand {
        Value::String(_) => Ok(()),
        Value::Number(_) => check_number(operand, here),
        Value::Array(values) => {
            if values.is_empty() {
                return Err(format!("{here}: \"anything-but\" needs at least one value"));
            }
            for value in values {
                match value {
                    Value::String(_) => {}
                    Value::Number(_) => check_number(value, here)?,
                    _ => {
                        return Err(format!(
                            "{here}: an \"anything-but\" list holds only strings and numbers"
                        ))
                    }
                }
            }
            Ok(())
        }
        Value::Object(pattern) => {
            let mut entries = pattern.iter();
            let (Some((name, text)), None) = (entries.next(), entries.next()) else {
                return Err(format!(
                    "{here}: an \"anything-but\" pattern has exactly one key (prefix, suffix or wildcard)"
                ));
            };
            if !ANYTHING_BUT_PATTERNS.contains(&name.as_str()) {
                return Err(format!(
                    "{here}: \"anything-but\" does not take \"{name}\" (only prefix, suffix or wildcard)"
                ));
            }
            if text.is_string() {
                Ok(())
            } else {
                Err(format!("{here}: \"{name}\" needs a string"))
            }
        }
        Value::Bool(_) | Value::Null => Err(format!(
            "{here}: \"anything-but\" needs a string, a number, a list of them, or a \
             prefix, suffix or wildcard pattern"
        )),
    }
}

/// The total combination of values (constraints page): the product, over the keys, of
/// the number of values in each array; an `$or` contributes the sum of its branches
/// (the expansion of the OR into alternatives). For a nested body policy each array
/// also counts its nesting level, as the payload-based example of the constraints page
/// did ("The first array has four values in a three-level nested key, and the second has
/// three values in a two-level nested key ... 3 x 4 x 2 x 3 = 72"; that wording is from
/// an earlier revision of the page, and SNS still rejects the nested 3x4 · 2x3 · 1x3 =
/// 216 policy that a plain product, 36, would accept). Saturates instead of overflowing.
fn combinations(object: &Map<String, Value>, depth: u64) -> u64 {
    let mut total: u64 = 1;
    for (key, rule) in object {
        let factor = if let Some(branches) = as_or(key, rule) {
            branches.into_iter().fold(0u64, |sum, branch| {
                sum.saturating_add(combinations(branch, depth))
            })
        } else {
            match rule {
                Value::Array(values) => (values.len() as u64).saturating_mul(depth),
                Value::Object(nested) => combinations(nested, depth.saturating_add(1)),
                _ => 1,
            }
        };
        total = total.saturating_mul(factor);
    }
    total
}

/// The sets of top-level keys of the alternatives of a policy: one set without `$or`,
/// one per branch combination of the top-level `$or`s otherwise. A body policy counts
/// only its top-level keys ("only the top-level keys are counted", constraints page); an
/// attribute policy has no other keys.
fn top_level_key_sets(object: &Map<String, Value>) -> Vec<BTreeSet<&str>> {
    let mut sets: Vec<BTreeSet<&str>> = vec![BTreeSet::new()];
    for (key, rule) in object {
        match as_or(key, rule) {
            Some(branches) => {
                let alternatives: Vec<BTreeSet<&str>> =
                    branches.into_iter().flat_map(top_level_key_sets).collect();
                let mut next = Vec::with_capacity(sets.len() * alternatives.len());
                for set in &sets {
                    for alternative in &alternatives {
                        let mut union = set.clone();
                        union.extend(alternative.iter().copied());
                        next.push(union);
                    }
                }
                sets = next;
            }
            None => {
                for set in &mut sets {
                    set.insert(key.as_str());
                }
            }
        }
    }
    sets
}

/// Parses `address/length` into the address and the prefix length.
fn parse_cidr(text: &str) -> Option<(IpAddr, u32)> {
    let (address, length) = text.split_once('/')?;
    let address: IpAddr = address.parse().ok()?;
    let length: u32 = length.parse().ok()?;
    let bits = if address.is_ipv4() { 32 } else { 128 };
    (length <= bits).then_some((address, length))
}

// ---------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------

/// The branches of `rule` when `key` is a real `$or` (AND/OR logic page): "There is an
/// "$or" field attribute in the rule followed with an array", "There are at least 2
/// objects in the "$or" array", "None of the objects in the "$or" array have field names
/// that are reserved keywords". "Otherwise "$or" is treated as a normal attribute name".
fn as_or<'a>(key: &str, rule: &'a Value) -> Option<Vec<&'a Map<String, Value>>> {
    if key != OR_KEY {
        return None;
    }
    let items = rule.as_array()?;
    if items.len() < 2 {
        return None;
    }
    let mut branches = Vec::with_capacity(items.len());
    for item in items {
        let branch = item.as_object()?;
        if branch.keys().any(|k| OPERATORS.contains(&k.as_str())) {
            return None;
        }
        branches.push(branch);
    }
    Some(branches)
}

/// Whether an attribute value is one of the types SNS compares: String, Number or
/// String.Array (constraints page; others are ignored like Binary).
fn is_attribute_type(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Array(_))
}

/// The values an attribute offers for comparison: itself for String and Number, each
/// scalar element for String.Array ("each element in the array is treated as a separate
/// string for matching purposes", string matching page). Ignored types offer none.
fn attribute_values(attribute: Option<&Value>) -> Vec<&Value> {
    match attribute {
        Some(value @ (Value::String(_) | Value::Number(_))) => vec![value],
        Some(Value::Array(items)) => items
            .iter()
            .filter(|item| !item.is_object() && !item.is_array())
            .collect(),
        _ => Vec::new(),
    }
}

/// Evaluates a policy object against the attributes: AND across keys, and an `$or` holds
/// when any branch holds (AND/OR logic page).
fn eval_attributes(
    policy: &Map<String, Value>,
    attributes: &Map<String, Value>,
    any_property: bool,
) -> bool {
    policy.iter().all(|(key, rule)| {
        if let Some(branches) = as_or(key, rule) {
            return branches
                .into_iter()
                .any(|branch| eval_attributes(branch, attributes, any_property));
        }
        match rule {
            Value::Array(conditions) => {
                let values = attribute_values(attributes.get(key));
                conditions
                    .iter()
                    .any(|condition| condition_matches(condition, &values, any_property))
            }
            // Nested policies do not apply to attributes (constraints page).
            _ => false,
        }
    })
}

/// Collects what a body property holds: scalar leaves and nested objects, looking
/// through arrays (of arrays) so that an array matches when any element matches.
fn collect<'a>(
    value: &'a Value,
    leaves: &mut Vec<&'a Value>,
    objects: &mut Vec<&'a Map<String, Value>>,
) {
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, leaves, objects);
            }
        }
        Value::Object(object) => objects.push(object),
        scalar => leaves.push(scalar),
    }
}

/// Evaluates a policy object against the body objects reached so far (`nodes`: one at
/// the root, several below an array of objects). AND across keys; `$or` holds when any
/// branch holds; a nested policy object descends into the nested body objects; an array
/// of conditions is tested against the scalar leaves found at that key. `exists` only
/// looks at leaf nodes (key matching page).
fn eval_body(
    policy: &Map<String, Value>,
    nodes: &[&Map<String, Value>],
    any_property: bool,
) -> bool {
    policy.iter().all(|(key, rule)| {
        if let Some(branches) = as_or(key, rule) {
            return branches
                .into_iter()
                .any(|branch| eval_body(branch, nodes, any_property));
        }
        let mut leaves = Vec::new();
        let mut objects = Vec::new();
        for node in nodes {
            if let Some(value) = node.get(key.as_str()) {
                collect(value, &mut leaves, &mut objects);
            }
        }
        match rule {
            Value::Array(conditions) => conditions
                .iter()
                .any(|condition| condition_matches(condition, &leaves, any_property)),
            Value::Object(nested) => eval_body(nested, &objects, any_property),
            _ => false,
        }
    })
}

/// Whether `values` hold a real value for `exists`: "The key must have a non-null and
/// non-empty value" (key matching page).
fn has_value(values: &[&Value]) -> bool {
    values.iter().any(|value| match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        _ => true,
    })
}

/// Whether one condition of a key's array holds for the values found at that key (OR
/// within the array is the caller's `any`). A key with several values (String.Array or
/// a body array) matches when any value matches.
fn condition_matches(condition: &Value, values: &[&Value], any_property: bool) -> bool {
    match condition {
        Value::Object(operator) => {
            let mut entries = operator.iter();
            let (Some((name, operand)), None) = (entries.next(), entries.next()) else {
                return false;
            };
            match name.as_str() {
                // Key matching page. "exists": false also needs a message that has at
                // least one property ("An empty set of attributes results in the filter
                // not matching").
                "exists" => match operand.as_bool() {
                    Some(true) => has_value(values),
                    Some(false) => any_property && !has_value(values),
                    None => false,
                },
                // String/numeric matching pages: anything-but "matches any message
                // attribute or message body values that don't include any of the policy
                // property values"; it needs a value, which is why it "can be combined
                // with "exists": false". With several values it matches when any value
                // is not excluded (the ["rugby", "baseball"] example).
                "anything-but" => values
                    .iter()
                    .any(|value| !value.is_null() && !anything_but_excludes(operand, value)),
                other => values
                    .iter()
                    .any(|value| operator_matches(other, operand, value)),
            }
        }
        Value::Array(_) => false,
        literal => values.iter().any(|value| literal_equals(literal, value)),
    }
}

/// Exact matching of a scalar: strings case-sensitively (constraints page: "the
/// comparison is case-sensitive"), numbers by numeric value (numeric page: 301.5 equals
/// 3.015e2), booleans and null by themselves. Values of different JSON types differ.
fn literal_equals(literal: &Value, value: &Value) -> bool {
    match (literal, value) {
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(_), Value::Number(_)) => match (numeric_key(literal), numeric_key(value)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Null, Value::Null) => true,
        _ => false,
    }
}

/// Whether the `anything-but` operand excludes `value` (the operand "matches" it).
fn anything_but_excludes(operand: &Value, value: &Value) -> bool {
    match operand {
        Value::Array(listed) => listed.iter().any(|item| literal_equals(item, value)),
        Value::Object(pattern) => pattern
            .iter()
            .any(|(name, text)| operator_matches(name, text, value)),
        scalar => literal_equals(scalar, value),
    }
}

/// One string or numeric operator against one value. String operators match only
/// strings ("Prefixes are supported for string matching only", numeric page); `numeric`
/// matches only numbers.
fn operator_matches(name: &str, operand: &Value, value: &Value) -> bool {
    match (name, operand, value) {
        ("prefix", Value::String(prefix), Value::String(text)) => text.starts_with(prefix.as_str()),
        ("suffix", Value::String(suffix), Value::String(text)) => text.ends_with(suffix.as_str()),
        ("equals-ignore-case", Value::String(expected), Value::String(text)) => {
            expected.to_lowercase() == text.to_lowercase()
        }
        ("wildcard", Value::String(pattern), Value::String(text)) => {
            wildcard_matches(pattern, text)
        }
        ("cidr", Value::String(block), Value::String(text)) => cidr_contains(block, text),
        ("numeric", Value::Array(terms), Value::Number(_)) => match numeric_key(value) {
            Some(x) => numeric_matches(terms, x),
            None => false,
        },
        _ => false,
    }
}

/// A number scaled to five decimal places and rounded (constraints page: "five digits
/// of accuracy after the decimal point"), so that comparisons ignore finer digits.
/// `None` (never matches numerically) for a number too large to scale (beyond about
/// ±1.8e303), far outside the documented -10^9..=10^9.
fn numeric_key(number: &Value) -> Option<f64> {
    let scaled = (number.as_f64()? * NUMERIC_SCALE).round();
    scaled.is_finite().then_some(scaled)
}

/// Whether the scaled number `x` satisfies every `operator, operand` pair of a numeric
/// condition (numeric value matching page: `=`, `<`, `<=`, `>`, `>=`, and ranges).
fn numeric_matches(terms: &[Value], x: f64) -> bool {
    if terms.is_empty() || !terms.len().is_multiple_of(2) {
        return false;
    }
    terms.chunks(2).all(|pair| {
        let (Some(op), Some(bound)) = (pair[0].as_str(), numeric_key(&pair[1])) else {
            return false;
        };
        match op {
            "=" => x == bound,
            "<" => x < bound,
            "<=" => x <= bound,
            ">" => x > bound,
            ">=" => x >= bound,
            _ => false,
        }
    })
}

/// Wildcard matching (string matching page, "Wildcard"): `*` stands for any run of
/// characters, possibly empty; every other character matches itself.
fn wildcard_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    // The last `*` seen and the text position it currently stands up to.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star_p, star_t)) = star {
            // Let the last `*` swallow one more character and retry after it.
            star = Some((star_p, star_t + 1));
            p = star_p + 1;
            t = star_t + 1;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// IP address matching (string matching page): whether the address `text` lies in the
/// block `address/length`. Addresses of the other family never match.
fn cidr_contains(block: &str, text: &str) -> bool {
    let Some((network, length)) = parse_cidr(block) else {
        return false;
    };
    let Ok(address) = text.parse::<IpAddr>() else {
        return false;
    };
    match (network, address) {
        (IpAddr::V4(net), IpAddr::V4(ip)) => {
            let mask = if length == 0 {
                0
            } else {
                u32::MAX << (32 - length)
            };
            (u32::from(net) & mask) == (u32::from(ip) & mask)
        }
        (IpAddr::V6(net), IpAddr::V6(ip)) => {
            let mask = if length == 0 {
                0
            } else {
                u128::MAX << (128 - length)
            };
            (u128::from(net) & mask) == (u128::from(ip) & mask)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const STRING: &str = "https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html";
    const NUMERIC: &str = "https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html";
    const KEY: &str = "https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html";
    const AND_OR: &str = "https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html";
    const EXAMPLES: &str = "https://docs.aws.amazon.com/sns/latest/dg/example-filter-policies.html";
    const SCOPE: &str =
        "https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html";
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
}
