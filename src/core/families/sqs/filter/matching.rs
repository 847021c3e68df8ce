//! Matching a message against a filter policy (see the module above for the pages).

use super::*;

/// The branches of `rule` when `key` is a real `$or` (AND/OR logic page): "There is an
/// "$or" field attribute in the rule followed with an array", "There are at least 2
/// objects in the "$or" array", "None of the objects in the "$or" array have field names
/// that are reserved keywords". "Otherwise "$or" is treated as a normal attribute name".
pub(super) fn as_or<'a>(key: &str, rule: &'a Value) -> Option<Vec<&'a Map<String, Value>>> {
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
pub(super) fn is_attribute_type(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Array(_))
}

/// The values an attribute offers for comparison: itself for String and Number, each
/// scalar element for String.Array ("each element in the array is treated as a separate
/// string for matching purposes", string matching page). Ignored types offer none.
pub(super) fn attribute_values(attribute: Option<&Value>) -> Vec<&Value> {
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
pub(super) fn eval_attributes(
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
pub(super) fn collect<'a>(
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
pub(super) fn eval_body(
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
pub(super) fn has_value(values: &[&Value]) -> bool {
    values.iter().any(|value| match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        _ => true,
    })
}

/// Whether one condition of a key's array holds for the values found at that key (OR
/// within the array is the caller's `any`). A key with several values (String.Array or
/// a body array) matches when any value matches.
pub(super) fn condition_matches(condition: &Value, values: &[&Value], any_property: bool) -> bool {
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
pub(super) fn literal_equals(literal: &Value, value: &Value) -> bool {
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
pub(super) fn anything_but_excludes(operand: &Value, value: &Value) -> bool {
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
pub(super) fn operator_matches(name: &str, operand: &Value, value: &Value) -> bool {
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
pub(super) fn numeric_key(number: &Value) -> Option<f64> {
    let scaled = (number.as_f64()? * NUMERIC_SCALE).round();
    scaled.is_finite().then_some(scaled)
}

/// Whether the scaled number `x` satisfies every `operator, operand` pair of a numeric
/// condition (numeric value matching page: `=`, `<`, `<=`, `>`, `>=`, and ranges).
pub(super) fn numeric_matches(terms: &[Value], x: f64) -> bool {
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
pub(super) fn wildcard_matches(pattern: &str, text: &str) -> bool {
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
pub(super) fn cidr_contains(block: &str, text: &str) -> bool {
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
