//! DFlee's two sub-maps (docs/flee-model.md 18.1): `spawn_rules.flood_driven_spawn_mode`
//! and `move_rules.flood_rules`, read as Flee reads them. Which combinations
//! of flood keys may run is checked by `Settings::validate` (`corridor_model::flood`).

use corridor_model::flood::{FloodRules, FloodSpawning};
use corridor_model::SpawnMode;

use super::node::{Node, Sp};
use super::Mapper;
use crate::error::{InputError, Warning};

/// Forecaster keys Flee reads only when `flood_forecaster` is on (18.7).
const FORECASTER_KEYS: [&str; 4] = [
    "flood_forecaster_timescale",
    "flood_forecaster_end_time",
    "flood_forecaster_weights",
    "flood_awareness_weights",
];

/// A list of the forecaster: numbers, none negative (Flee multiplies by them).
fn forecaster_list(m: &Mapper<'_>, key: &str, v: &Sp) -> Result<Option<Vec<f64>>, InputError> {
    let list = match &v.node {
        Node::Null => return Ok(None),
        Node::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| m.number(&format!("{key}[{i}]"), x))
            .collect::<Result<Vec<f64>, _>>()?,
        other => return Err(m.bad(
            key,
            v.line,
            Some(other),
            "expected a list of weights",
            "write e.g. [1.0, 0.9, 0.8, 0.7, 0.6, 0.5]: flood_forecaster_weights has one per day \
                 (index = day), flood_awareness_weights one per floodawareness value 0, 1, 2, ...",
        )),
    };
    if let Some(x) = list.iter().find(|x| **x < 0.0) {
        return Err(m.bad(
            key,
            v.line,
            Some(&v.node),
            &format!("{x} is negative"),
            "write weights of 0 or more",
        ));
    }
    Ok(Some(list))
}

impl Mapper<'_> {
    /// `spawn_rules.flood_driven_spawn_mode`; `None` for a null value (off in Flee).
    pub(super) fn flood_spawning(
        &mut self,
        key: &str,
        v: &Sp,
    ) -> Result<Option<FloodSpawning>, InputError> {
        let entries = match &v.node {
            Node::Null => {
                self.warnings.push(Warning::new(
                    self.path,
                    v.line,
                    format!(
                        "{key} has no value: in YAML that is null, which leaves flood-driven spawning off \
                         in Flee; write `flood_driven_spawn_mode: {{}}` for Flee's defaults (pop_ratio, \
                         [0.0, 0.1, 0.2, 0.5, 0.9])"
                    ),
                ));
                return Ok(None);
            }
            Node::Map(e) => e,
            other => {
                return Err(self.bad(
                    key,
                    v.line,
                    Some(other),
                    "flood_driven_spawn_mode must be a mapping (Flee crashes on any other value)",
                    "write `flood_driven_spawn_mode:` then `  spawn_mode: pop_ratio` and \
                     `  displaced_per_flood_day: [0.0, 0.1, 0.2, 0.5, 0.9]` (or `{}` for Flee's defaults)",
                ))
            }
        };
        let mut mode = SpawnMode::PopRatio;
        let mut rates = None;
        for (name, x) in entries {
            let dotted = format!("{key}.{name}");
            match name.as_str() {
                "spawn_mode" => mode = self.spawn_mode(&dotted, x)?,
                "displaced_per_flood_day" => {
                    let list = self.flood_list(&dotted, x, "the number (or share) displaced")?;
                    rates = list;
                }
                "flood_spawn_mode" => self.warnings.push(Warning::new(
                    self.path,
                    x.line,
                    format!(
                        "{dotted} is ignored: Flee reads the mode from `spawn_mode` (default pop_ratio)"
                    ),
                )),
                _ => self.unknown_key(
                    name,
                    x,
                    Some(key),
                    &["spawn_mode", "displaced_per_flood_day"],
                ),
            }
        }
        Ok(Some(FloodSpawning {
            mode,
            displaced_per_flood_day: rates.unwrap_or_else(|| FloodSpawning::default_rates(mode)),
        }))
    }

    /// `move_rules.flood_rules`; `None` for a null value (off in Flee).
    pub(super) fn flood_rules(
        &mut self,
        key: &str,
        v: &Sp,
    ) -> Result<Option<FloodRules>, InputError> {
        let entries = match &v.node {
            Node::Null => return Ok(None),
            Node::Map(e) => e,
            other => return Err(self.bad(
                key,
                v.line,
                Some(other),
                "flood_rules must be a mapping (Flee crashes on any other value)",
                "write `flood_rules:` then `  flood_movechances: [0.3, 0.4, 0.7, 1.0, 1.0]` and \
                     `  flood_loc_weights: [1.0, 0.5, 0.2, 0.0, 0.0]`",
            )),
        };
        let mut rules = FloodRules {
            max_flood_level: -1,
            ..FloodRules::default()
        };
        let mut forecaster_keys = Vec::new();
        let mut forecaster_line = None;
        for (name, x) in entries {
            let dotted = format!("{key}.{name}");
            match name.as_str() {
                "flood_movechances" => {
                    rules.flood_movechances = self.flood_list(&dotted, x, "a move chance")?;
                    if let Some(p) = rules
                        .flood_movechances
                        .as_ref()
                        .and_then(|l| l.iter().find(|p| !(0.0..=1.0).contains(*p)).copied())
                    {
                        return Err(self.bad(
                            &dotted,
                            x.line,
                            Some(&x.node),
                            &format!("move chance {p} is not a probability"),
                            "write numbers between 0 and 1, one per flood level",
                        ));
                    }
                }
                "flood_loc_weights" => {
                    rules.flood_loc_weights = self.flood_list(&dotted, x, "a score multiplier")?;
                }
                "flood_link_weights" => {
                    rules.flood_link_weights = self.flood_list(&dotted, x, "a link weight")?;
                    if rules.flood_link_weights.is_some() {
                        self.warnings.push(Warning::new(
                            self.path,
                            x.line,
                            format!("{dotted} has no effect: Flee reads it and never uses it (links are not affected by floods)"),
                        ));
                    }
                }
                "max_flood_level" => rules.max_flood_level = self.integer(&dotted, x)?,
                "flood_forecaster" => {
                    rules.flood_forecaster = self.boolean(&dotted, x)?;
                    forecaster_line = x.line;
                }
                "flood_forecaster_timescale" => {
                    rules.flood_forecaster_timescale = self.integer(&dotted, x)?;
                    forecaster_keys.push((dotted, x.line));
                }
                "flood_forecaster_end_time" => {
                    rules.flood_forecaster_end_time = self.integer(&dotted, x)?;
                    forecaster_keys.push((dotted, x.line));
                }
                "flood_forecaster_weights" => {
                    rules.flood_forecaster_weights = forecaster_list(self, &dotted, x)?;
                    forecaster_keys.push((dotted, x.line));
                }
                "flood_awareness_weights" => {
                    rules.flood_awareness_weights = forecaster_list(self, &dotted, x)?;
                    forecaster_keys.push((dotted, x.line));
                }
                _ => {
                    let mut valid = vec![
                        "flood_movechances",
                        "flood_loc_weights",
                        "flood_link_weights",
                        "max_flood_level",
                        "flood_forecaster",
                    ];
                    valid.extend(FORECASTER_KEYS);
                    self.unknown_key(name, x, Some(key), &valid);
                }
            }
        }
        if !rules.flood_forecaster {
            for (dotted, line) in forecaster_keys {
                self.warnings.push(Warning::new(
                    self.path,
                    line,
                    format!("{dotted} has no effect: Flee reads it only with flood_forecaster on"),
                ));
            }
        } else if rules.flood_forecaster_timescale <= 1 {
            self.warnings.push(Warning::new(
                self.path,
                forecaster_line,
                format!(
                    "{key}.flood_forecaster is on but flood_forecaster_timescale is {}: Flee's forecaster \
                     acts only with a timescale above 1, so it never acts",
                    rules.flood_forecaster_timescale
                ),
            ));
        }
        Ok(Some(rules))
    }

    /// A list indexed by flood level: numbers, at least two (the last element
    /// is never used, docs/flee-model.md 18.3), none negative.
    fn flood_list(&self, key: &str, v: &Sp, what: &str) -> Result<Option<Vec<f64>>, InputError> {
        let list = match &v.node {
            Node::Null => return Ok(None),
            Node::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, x)| self.number(&format!("{key}[{i}]"), x))
                .collect::<Result<Vec<f64>, _>>()?,
            other => {
                return Err(self.bad(
                    key,
                    v.line,
                    Some(other),
                    &format!("expected a list with {what} per flood level"),
                    "write e.g. [0.0, 0.1, 0.2, 0.5, 0.9]: element k is used at flood level k",
                ))
            }
        };
        if list.len() < 2 {
            return Err(self.bad(
                key,
                v.line,
                Some(&v.node),
                "a flood list needs at least two elements: Flee never uses the last one",
                "write one element per flood level 0, 1, ... plus one more (Flee's lists have 5 for levels 0-3)",
            ));
        }
        if let Some(x) = list.iter().find(|x| **x < 0.0) {
            return Err(self.bad(
                key,
                v.line,
                Some(&v.node),
                &format!("{x} is negative"),
                "write numbers of 0 or more",
            ));
        }
        Ok(Some(list))
    }
}
