//! Parameter spaces: which parameters to vary, and over which ranges.
//!
//! A space file is YAML, one entry per parameter, in the order they are reported:
//!
//! ```yaml
//! move_rules.default_movechance: [0.2, 0.8]
//! move_rules.max_move_speed: [100, 600]
//! move_rules.conflict_weight: {range: [0.05, 1.0], log: true}
//! ```
//!
//! A range is `[low, high]` with `low < high`; `log: true` searches and samples
//! the logarithm of the value uniformly (for positive scales spanning orders of
//! magnitude). Paths are those of [`crate::params`]. Every algorithm in this crate
//! works in the unit cube `[0, 1]^d`; [`ParameterSpace::to_values`] maps a unit
//! point to parameter values.

use crate::params::{self, ParamError};
use corridor_model::Scenario;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::path::Path;

/// One parameter and its range.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Parameter {
    pub path: String,
    pub low: f64,
    pub high: f64,
    /// Uniform in `ln(value)` rather than in `value`.
    pub log: bool,
}

impl Parameter {
    /// Value at unit coordinate `u` (clamped to `[0, 1]`).
    pub fn value(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        if self.log {
            (self.low.ln() + u * (self.high.ln() - self.low.ln())).exp()
        } else {
            self.low + u * (self.high - self.low)
        }
    }

    /// Unit coordinate of `value` (may lie outside `[0, 1]` when the value is out of range).
    pub fn unit(&self, value: f64) -> f64 {
        if self.log {
            (value.max(f64::MIN_POSITIVE).ln() - self.low.ln()) / (self.high.ln() - self.low.ln())
        } else {
            (value - self.low) / (self.high - self.low)
        }
    }
}

/// An ordered list of parameters.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParameterSpace {
    pub parameters: Vec<Parameter>,
}

/// Errors reading a space file.
#[derive(Debug, thiserror::Error)]
pub enum SpaceError {
    #[error("cannot read {file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: {message}\n  hint: write one line per parameter, e.g. `move_rules.default_movechance: [0.2, 0.8]`")]
    Syntax { file: String, message: String },
    #[error("{file}: parameter '{path}': {message}")]
    Range {
        file: String,
        path: String,
        message: String,
    },
    #[error("{file}: {source}")]
    Param { file: String, source: ParamError },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RangeSpec {
    Pair(Vec<f64>),
    Full {
        range: Vec<f64>,
        #[serde(default)]
        log: bool,
    },
}

struct Ordered(Vec<(String, RangeSpec)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping from parameter paths to [low, high] ranges")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Ordered, A::Error> {
                let mut v = Vec::new();
                while let Some((k, r)) = m.next_entry::<String, RangeSpec>()? {
                    v.push((k, r));
                }
                Ok(Ordered(v))
            }
        }
        d.deserialize_map(V)
    }
}

impl ParameterSpace {
    /// Parses a space file's text; `file` names it in errors. Paths are not
    /// checked against a scenario here: see [`ParameterSpace::check`].
    pub fn parse(text: &str, file: &str) -> Result<ParameterSpace, SpaceError> {
        let syntax = |message: String| SpaceError::Syntax {
            file: file.to_string(),
            message,
        };
        let ordered: Ordered = serde_saphyr::from_str(text).map_err(|e| syntax(e.to_string()))?;
        if ordered.0.is_empty() {
            return Err(syntax("no parameters".into()));
        }
        let mut parameters = Vec::new();
        for (path, spec) in ordered.0 {
            let range_err = |message: &str| SpaceError::Range {
                file: file.to_string(),
                path: path.clone(),
                message: message.to_string(),
            };
            let (r, log) = match spec {
                RangeSpec::Pair(r) => (r, false),
                RangeSpec::Full { range, log } => (range, log),
            };
            if r.len() != 2 {
                return Err(range_err("the range must be [low, high]"));
            }
            let (low, high) = (r[0], r[1]);
            if !(low.is_finite() && high.is_finite() && low < high) {
                return Err(range_err("the range needs finite low < high"));
            }
            if log && low <= 0.0 {
                return Err(range_err("a log range needs low > 0"));
            }
            if parameters.iter().any(|p: &Parameter| p.path == path) {
                return Err(range_err("listed twice"));
            }
            parameters.push(Parameter {
                path,
                low,
                high,
                log,
            });
        }
        Ok(ParameterSpace { parameters })
    }

    /// Reads a space file.
    pub fn read(path: &Path) -> Result<ParameterSpace, SpaceError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SpaceError::Read {
            file: file.clone(),
            source,
        })?;
        Self::parse(&text, &file)
    }

    /// Checks every path against `scenario`, and that both ends of every range
    /// are values the model accepts. `file` names the space in errors.
    pub fn check(&self, scenario: &Scenario, file: &str) -> Result<(), SpaceError> {
        for p in &self.parameters {
            let wrap = |source| SpaceError::Param {
                file: file.to_string(),
                source,
            };
            params::check_path(scenario, &p.path).map_err(wrap)?;
            for v in [p.low, p.high] {
                let mut s = scenario.clone();
                params::set_parameter(&mut s, &p.path, v).map_err(wrap)?;
            }
        }
        Ok(())
    }

    pub fn dim(&self) -> usize {
        self.parameters.len()
    }

    pub fn names(&self) -> Vec<&str> {
        self.parameters.iter().map(|p| p.path.as_str()).collect()
    }

    /// Parameter values at a unit point.
    pub fn to_values(&self, unit: &[f64]) -> Vec<f64> {
        self.parameters
            .iter()
            .zip(unit)
            .map(|(p, &u)| p.value(u))
            .collect()
    }

    /// Unit coordinates of parameter values (not clamped).
    pub fn to_unit(&self, values: &[f64]) -> Vec<f64> {
        self.parameters
            .iter()
            .zip(values)
            .map(|(p, &v)| p.unit(v))
            .collect()
    }

    /// The scenario's current value of every parameter.
    pub fn current(&self, scenario: &Scenario) -> Result<Vec<f64>, ParamError> {
        self.parameters
            .iter()
            .map(|p| params::get_parameter(scenario, &p.path))
            .collect()
    }

    /// A copy of `base` with the parameters set to `values`.
    pub fn apply(&self, base: &Scenario, values: &[f64]) -> Result<Scenario, ParamError> {
        let mut s = base.clone();
        for (p, &v) in self.parameters.iter().zip(values) {
            params::set_parameter(&mut s, &p.path, v)?;
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_in_order_with_log_ranges() {
        let s = ParameterSpace::parse(
            "move_rules.max_move_speed: [100, 600]\nmove_rules.conflict_weight: {range: [0.05, 1.0], log: true}\nmove_rules.camp_weight: [0.5, 2]\n",
            "t.yml",
        )
        .unwrap();
        assert_eq!(
            s.names(),
            vec![
                "move_rules.max_move_speed",
                "move_rules.conflict_weight",
                "move_rules.camp_weight"
            ]
        );
        assert!(s.parameters[1].log);
        let v = s.to_values(&[0.5, 0.5, 1.0]);
        assert_eq!(v[0], 350.0);
        assert!((v[1] - (0.05f64 * 1.0).sqrt()).abs() < 1e-12);
        assert_eq!(v[2], 2.0);
        let u = s.to_unit(&v);
        assert!((u[1] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn bad_files_are_clear_errors() {
        for (text, want) in [
            ("a.b: [1]", "[low, high]"),
            ("a.b: [2, 1]", "low < high"),
            ("a.b: {range: [0, 1], log: true}", "low > 0"),
            ("a.b: [0, 1]\na.b: [0, 2]", "duplicate"),
            ("- 1\n- 2", "t.yml"),
            ("", "t.yml"),
        ] {
            let e = ParameterSpace::parse(text, "t.yml")
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn check_rejects_unknown_paths_and_bad_ranges() {
        let scen = crate::params::tests_support::tiny(false);
        let s = ParameterSpace::parse("move_rules.nonsense: [0, 1]", "t.yml").unwrap();
        let e = s.check(&scen, "t.yml").unwrap_err().to_string();
        assert!(e.contains("unknown parameter 'move_rules.nonsense'"), "{e}");
        let s =
            ParameterSpace::parse("move_rules.default_movechance: [0.2, 1.4]", "t.yml").unwrap();
        let e = s.check(&scen, "t.yml").unwrap_err().to_string();
        assert!(e.contains("[0, 1]"), "{e}");
        let s =
            ParameterSpace::parse("move_rules.default_movechance: [0.2, 0.8]", "t.yml").unwrap();
        s.check(&scen, "t.yml").unwrap();
        let x = s.apply(&scen, &[0.25]).unwrap();
        assert_eq!(x.settings.default_movechance, 0.25);
    }
}
