//! Reading a scenario from text: size cap, JSON syntax, version, field types (with the
//! path of the offending field), then the semantic checks of `validate`.

use super::{validate, Scenario, ValidationError, SCENARIO_VERSION};
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
        let lines: Vec<String> = self.problems.iter().map(|p| p.to_string()).collect();
        f.write_str(&lines.join("; "))
    }
}

impl std::error::Error for LoadError {}

/// Parses scenario JSON and checks its types, without the semantic validation.
pub fn parse_scenario(text: &str) -> Result<Scenario, LoadError> {
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
    match object.get("version") {
        None => return Err(LoadError::one("version", "is missing (expected 1)")),
        Some(v) if v.as_u64() == Some(SCENARIO_VERSION as u64) => {}
        Some(v) => {
            return Err(LoadError::one(
                "version",
                format!(
                    "is {v}; this version of Queue Playground reads version {SCENARIO_VERSION}"
                ),
            ))
        }
    }
    serde_path_to_error::deserialize::<_, Scenario>(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            "(file)".to_string()
        } else {
            path
        };
        LoadError::one(&path, e.into_inner().to_string())
    })
}

/// Parses and validates a scenario.
pub fn load_scenario(text: &str) -> Result<Scenario, LoadError> {
    let scenario = parse_scenario(text)?;
    let problems = validate(&scenario);
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(LoadError { problems })
    }
}
