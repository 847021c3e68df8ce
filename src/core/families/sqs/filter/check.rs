//! Checking a filter policy's syntax and its documented limits (see the module
//! above for the pages).

use super::*;

/// Checks every key of one policy object (the root, a nested body object or an `$or`
/// branch); `path` is the key path of `object` for messages.
pub(super) fn check_object(
    object: &Map<String, Value>,
    scope: FilterScope,
    path: &str,
) -> Result<(), String> {
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
pub(super) fn check_condition(condition: &Value, here: &str) -> Result<(), String> {
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
pub(super) fn check_operator(name: &str, operand: &Value, here: &str) -> Result<(), String> {
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
pub(super) fn check_number(number: &Value, here: &str) -> Result<(), String> {
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
pub(super) fn check_numeric(operand: &Value, here: &str) -> Result<(), String> {
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
pub(super) fn check_anything_but(operand: &Value, here: &str) -> Result<(), String> {
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
pub(super) fn combinations(object: &Map<String, Value>, depth: u64) -> u64 {
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
pub(super) fn top_level_key_sets(object: &Map<String, Value>) -> Vec<BTreeSet<&str>> {
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
pub(super) fn parse_cidr(text: &str) -> Option<(IpAddr, u32)> {
    let (address, length) = text.split_once('/')?;
    let address: IpAddr = address.parse().ok()?;
    let length: u32 = length.parse().ok()?;
    let bits = if address.is_ipv4() { 32 } else { 128 };
    (length <= bits).then_some((address, length))
}
