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

mod check;
mod matching;
#[cfg(test)]
mod tests;

use check::*;
use matching::*;
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
