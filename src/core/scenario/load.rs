//! Reading a scenario from text: size cap, JSON syntax, version, field types (with the
//! path of the offending field), then the semantic checks of `validate`.
//!
//! The public entry points are `#[inline]` on purpose: the scenario's `Deserialize`
//! code (serde's largest part of the download) is then compiled in the crate that reads
//! files, the app, which release builds optimise for size, and not in this package,
//! which they optimise for speed (Cargo.toml's profiles). In wasm that is 11 KB gzip
//! less, and the simulation's own code is unchanged.

use super::{
    stray_sections, validate_with_strays, Scenario, ScenarioV1, StraySection, ValidationError,
    LATEST_VERSION, SCENARIO_VERSION,
};
use std::fmt;

/// Largest scenario text accepted (5 MiB).
pub const MAX_SCENARIO_BYTES: usize = 5 * 1024 * 1024;

/// Why a scenario could not be loaded: one or more problems, each naming its field.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    /// The problems found, in document order.
    pub problems: Vec<ValidationError>,
}

impl LoadError {
    fn one(path: &str, message: impl Into<String>) -> LoadError {
        LoadError {
            problems: vec![ValidationError::new(path, message)],
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&listed(self.problems.iter().map(|p| p.to_string())))
    }
}

impl std::error::Error for LoadError {}

/// Most problems an error lists; the rest are counted ("… and 9,990 more").
pub const LISTED_PROBLEMS: usize = 10;

/// Problems joined with "; ", the first [`LISTED_PROBLEMS`] of them and how many more,
/// so that a file with thousands of problems gives a message one can read.
pub fn listed(problems: impl Iterator<Item = String>) -> String {
    let mut out = Vec::new();
    let mut more = 0usize;
    for p in problems {
        if out.len() < LISTED_PROBLEMS {
            out.push(p);
        } else {
            more += 1;
        }
    }
    let mut text = out.join("; ");
    if more > 0 {
        text.push_str(&format!("; … and {more} more"));
    }
    text
}

/// Parses scenario JSON and checks its types, without the semantic validation. A
/// settings section on a node of another kind is left out (validation reports it; see
/// [`parse_with_strays`]).
#[inline]
pub fn parse_scenario(text: &str) -> Result<Scenario, LoadError> {
    parse_with_strays(text).map(|(scenario, _)| scenario)
}

/// Parses scenario JSON and checks its types; also returns the settings sections that
/// sat on nodes of another kind (left out of the scenario).
#[inline]
pub fn parse_with_strays(text: &str) -> Result<(Scenario, Vec<StraySection>), LoadError> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(LoadError::one(
            "(file)",
            format!(
                "is {} bytes; scenarios are limited to {} bytes",
                text.len(),
                MAX_SCENARIO_BYTES
            ),
        ));
    }
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| LoadError::one("(file)", format!("is not valid JSON: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(LoadError::one(
            "(file)",
            "must be a JSON object with `version`, `nodes` and `edges`",
        ));
    };
    let version = match object.get("version") {
        None => return Err(LoadError::one("version", "is missing (expected 1)")),
        Some(v) => match v.as_u64() {
            Some(n) if (SCENARIO_VERSION as u64..=LATEST_VERSION as u64).contains(&n) => n,
            _ => {
                return Err(LoadError::one(
                    "version",
                    format!(
                        "is {v}; this version of Queue Playground reads versions {SCENARIO_VERSION} to {LATEST_VERSION}"
                    ),
                ))
            }
        },
    };
    if version == 1 {
        // A version-2 feature in a version-1 file is named, with the version it needs.
        for field in V2_FIELDS {
            if object.contains_key(*field) {
                return Err(LoadError::one(
                    field,
                    format!("is a version 2 feature: the file needs \"version\": {LATEST_VERSION}"),
                ));
            }
        }
        if let Some(path) = v2_feature_in_v1(&value) {
            return Err(LoadError::one(
                &path,
                format!("is a version 2 feature: the file needs \"version\": {LATEST_VERSION}"),
            ));
        }
        let strays = stray_sections(&value);
        return typed::<ScenarioV1>(text).map(|v| (Scenario::from(v), strays));
    }
    let strays = stray_sections(&value);
    typed::<Scenario>(text).map(|s| (s, strays))
}

/// Top-level fields that only version 2 has.
const V2_FIELDS: &[&str] = &["script", "frames"];

/// Producer fields that only version 2 has.
const V2_PRODUCER_FIELDS: &[&str] = &["key", "partition", "delivery_mode"];

/// The path of the first version-2 feature inside nodes and edges: a kind or an edge
/// kind that version 2 introduced, a producer's Kafka fields, an edge's `consume`
/// section.
fn v2_feature_in_v1(value: &serde_json::Value) -> Option<String> {
    use super::{EdgeKind, NodeKind};
    let list = |name: &str| {
        value
            .get(name)
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default()
    };
    for (i, node) in list("nodes").iter().enumerate() {
        let kind = node
            .get("kind")
            .and_then(|k| k.as_str())
            .and_then(NodeKind::parse);
        if kind.is_some_and(|k| crate::core::model::kind_info(k).since_version > 1) {
            return Some(format!("nodes[{i}].kind"));
        }
        if node.get("queue").and_then(|q| q.get("durable")).is_some() {
            return Some(format!("nodes[{i}].queue.durable"));
        }
        if node
            .get("exchange")
            .and_then(|x| x.get("internal"))
            .is_some()
        {
            return Some(format!("nodes[{i}].exchange.internal"));
        }
        if let Some(producer) = node.get("producer") {
            for field in V2_PRODUCER_FIELDS {
                if producer.get(*field).is_some() {
                    return Some(format!("nodes[{i}].producer.{field}"));
                }
            }
        }
    }
    for (i, edge) in list("edges").iter().enumerate() {
        let kind = edge.get("kind").and_then(|k| k.as_str());
        if EdgeKind::ALL
            .iter()
            .any(|k| Some(k.as_str()) == kind && k.since_version() > 1)
        {
            return Some(format!("edges[{i}].kind"));
        }
        if edge.get("consume").is_some() {
            return Some(format!("edges[{i}].consume"));
        }
    }
    None
}

/// Deserialises the text (already known to be JSON) with the path of the first field
/// that does not fit, found from where `serde_json` stopped reading.
fn typed<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, LoadError> {
    serde_json::from_str::<T>(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let message = e.to_string();
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        // Errors only a value read whole raises (an internally tagged enum's fields).
        let whole = ["unknown field", "unknown variant", "duplicate field"]
            .iter()
            .any(|p| message.starts_with(p));
        let path = super::json_path::path_at(text, line, column, missing, whole);
        let place = format!(" at line {line} column {column}");
        let message = message.strip_suffix(&place).unwrap_or(&message);
        let path = member_at_fault(text, &path, message).unwrap_or(path);
        let path = if path == "." { "(file)" } else { &path };
        LoadError::one(path, message)
    })
}

/// A wrong value inside an object read whole (an internally tagged enum: a script
/// step, a processing time) is reported at the object; when exactly one place inside it
/// holds what the message names, that place is the one at fault: the value of
/// `invalid type: string "soon"` or `unknown variant `nack`` (`script[0].at_ms`,
/// `script[0].ack`), the object that holds the key of `unknown field `priorty``
/// (`script[0].properties`), at any depth.
fn member_at_fault(text: &str, path: &str, message: &str) -> Option<String> {
    enum Wanted {
        Value(serde_json::Value),
        Key(String),
    }
    let wanted = if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (unexpected, _) = rest.split_once(", expected ")?;
        Wanted::Value(if let Some(s) = unexpected.strip_prefix("string ") {
            serde_json::from_str(s).ok()?
        } else {
            let quoted = unexpected.split_once(" `")?.1.strip_suffix('`')?;
            serde_json::from_str(quoted).ok()?
        })
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        Wanted::Value(serde_json::Value::String(
            rest.split_once('`')?.0.to_string(),
        ))
    } else if let Some(rest) = message.strip_prefix("unknown field `") {
        Wanted::Key(rest.split_once('`')?.0.to_string())
    } else {
        return None;
    };
    let mut at = &serde_json::from_str::<serde_json::Value>(text).ok()?;
    for step in path.split('.').filter(|s| !s.is_empty()) {
        let (key, indices) = step.split_once('[').unwrap_or((step, ""));
        if !key.is_empty() {
            at = at.get(key)?;
        }
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            at = at.get(index.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    // Every place under `at` that holds what is wanted, as a path suffix.
    fn find(v: &serde_json::Value, wanted: &Wanted, here: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map {
                    let place = format!("{here}.{k}");
                    match wanted {
                        // An unknown field is named by the object that holds it, as
                        // everywhere else.
                        Wanted::Key(key) if k == key => out.push(here.clone()),
                        Wanted::Value(w)
                            if child == w
                                || (child.as_f64().is_some() && child.as_f64() == w.as_f64()) =>
                        {
                            out.push(place.clone())
                        }
                        _ => {}
                    }
                    find(child, wanted, place, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    find(child, wanted, format!("{here}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut places = Vec::new();
    find(at, &wanted, String::new(), &mut places);
    (places.len() == 1).then(|| format!("{path}{}", places[0]))
}

/// Parses and validates a scenario.
#[inline]
pub fn load_scenario(text: &str) -> Result<Scenario, LoadError> {
    let (scenario, strays) = parse_with_strays(text)?;
    let problems = validate_with_strays(&scenario, &strays);
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(LoadError { problems })
    }
}
