//! Reading and setting scenario parameters by path.
//!
//! A path names one number of a [`Scenario`]:
//!
//! | path | meaning |
//! |---|---|
//! | `move_rules.<key>` | a number of Flee's `move_rules` (`default_movechance`, `max_move_speed`, `conflict_weight`, `camp_weight`, `distance_power`, `softening`, …; see [`settings_paths`]) |
//! | `move_rules.awareness_level` | rounded to a whole number, at least 1 |
//! | `spawn_rules.conflict_spawn_decay_interval` | days, rounded to a whole number (Flee reads an integer) |
//! | `siege.attempt_rate.<Place>` | the day-0 attempt rate of that held place (later `set_attempt_rate` interventions still apply) |
//! | `siege.attempt_rate_scale.<Place>` | multiplies that place's attempt rate on every day: the day-0 rate and every `set_attempt_rate` for it (results clamped to [0, 1]) |
//! | `siege.attempt_rate_scale` | the same for every held place |
//! | `siege.exit.<From>.<To>.<turned_back\|shot\|weight>` | the day-0 value of one exit's field |
//! | `siege.exit_scale.<turned_back\|shot\|weight>` | multiplies that field of every exit on every day (probabilities clamped to [0, 1]) |
//! | `siege.crossing.<From>.<To>.<capacity_per_day\|drowning\|shot_crossing\|shot_waiting>` | the day-0 value of one river crossing's field (capacity rounded) |
//! | `siege.screened_share` | share of people who are men and boys screened |
//! | `siege.population_scale[.<Place>]` | multiplies the people inside at day 0 (rounded; see the module `scales`) |
//! | `siege.camp_capacity_scale[.<Camp>]` | multiplies camps' shelter and admission on every day |
//! | `siege.screening_capacity_scale[.<Site>]` | multiplies screening capacities on every day |
//! | `siege.transport_scale[.<From>]` | multiplies bus seats on every day |
//! | `siege.crossing_capacity_scale[.<From>]` | multiplies river crossings' capacities on every day |
//! | `siege.return_rate_scale[.<Place>]` | multiplies the daily rate of returns home on every day |
//!
//! Scale parameters read as 1.0 on an unmodified scenario. Unknown paths, places
//! that do not exist, and places that are not held or have no such exit are
//! errors that list what would be accepted.

use corridor_model::settings::{setting, Calibrate, Setting, Value, SETTINGS};
use corridor_model::siege::Action;
use corridor_model::{Scenario, Settings};

/// Errors from parameter paths and values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    #[error("unknown parameter '{path}'\n  hint: {hint}")]
    UnknownPath { path: String, hint: String },
    #[error("parameter '{path}': {message}")]
    Invalid { path: String, message: String },
}

/// The settings that can be set, with their paths: the calibratable entries of
/// the settings table, in table order.
pub fn settings_paths() -> impl Iterator<Item = &'static str> {
    SETTINGS.iter().filter(|e| e.calibratable()).map(|e| e.key)
}

/// The path patterns of siege parameters, for error hints.
pub const SIEGE_PATTERNS: &[&str] = &[
    "siege.attempt_rate.<Place>",
    "siege.attempt_rate_scale.<Place>",
    "siege.attempt_rate_scale",
    "siege.exit.<From>.<To>.turned_back|shot|weight",
    "siege.exit_scale.turned_back|shot|weight",
    "siege.crossing.<From>.<To>.capacity_per_day|drowning|shot_crossing|shot_waiting",
    "siege.screened_share",
    "siege.population_scale[.<Place>]",
    "siege.camp_capacity_scale[.<Camp>]",
    "siege.screening_capacity_scale[.<Site>]",
    "siege.transport_scale[.<From>]",
    "siege.crossing_capacity_scale[.<From>]",
    "siege.return_rate_scale[.<Place>]",
];

fn unknown(path: &str, scenario: &Scenario) -> ParamError {
    let paths: Vec<&str> = settings_paths().collect();
    let mut hint = format!("settings paths: {}", paths.join(", "));
    if scenario.siege.is_some() {
        hint.push_str(&format!("; siege paths: {}", SIEGE_PATTERNS.join(", ")));
    } else {
        hint.push_str(" (siege.* paths need a siege scenario)");
    }
    ParamError::UnknownPath {
        path: path.to_string(),
        hint,
    }
}

fn invalid(path: &str, message: impl Into<String>) -> ParamError {
    ParamError::Invalid {
        path: path.to_string(),
        message: message.into(),
    }
}

/// What a path refers to, resolved against a scenario.
#[derive(Debug, Clone)]
enum Target {
    /// A calibratable entry of the settings table.
    Setting(&'static Setting),
    AttemptRate(u32),
    AttemptRateScale(Option<u32>),
    Exit(u32, u32, ExitField),
    ExitScale(ExitField),
    Crossing(u32, u32, CrossingField),
    ScreenedShare,
    /// A scale over capacities or population (`scales`), at one place or all.
    Scale(scales::Scale, Option<u32>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ExitField {
    TurnedBack,
    Shot,
    Weight,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CrossingField {
    Capacity,
    Drowning,
    ShotCrossing,
    ShotWaiting,
}

fn exit_field(s: &str) -> Option<ExitField> {
    match s {
        "turned_back" => Some(ExitField::TurnedBack),
        "shot" => Some(ExitField::Shot),
        "weight" => Some(ExitField::Weight),
        _ => None,
    }
}

/// Splits `From.To` at the dot where both sides are location names.
fn place_pair(scenario: &Scenario, path: &str, s: &str) -> Result<(u32, u32), ParamError> {
    for (i, _) in s.match_indices('.') {
        if let (Some(a), Some(b)) = (
            scenario.location_id(&s[..i]),
            scenario.location_id(&s[i + 1..]),
        ) {
            return Ok((a, b));
        }
    }
    Err(invalid(
        path,
        format!("'{s}' is not <From>.<To> with two location names of the scenario"),
    ))
}

fn place(scenario: &Scenario, path: &str, name: &str) -> Result<u32, ParamError> {
    scenario.location_id(name).ok_or_else(|| {
        let key: String = name.to_lowercase().chars().take(3).collect();
        let names: Vec<&str> = scenario
            .locations
            .iter()
            .map(|l| l.name.as_str())
            .filter(|n| n.to_lowercase().contains(&key))
            .take(8)
            .collect();
        invalid(
            path,
            format!(
                "no location called '{name}'{}",
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" (similar: {})", names.join(", "))
                }
            ),
        )
    })
}

fn resolve(scenario: &Scenario, path: &str) -> Result<Target, ParamError> {
    if let Some(entry) = setting(path).filter(|e| e.calibratable()) {
        return Ok(Target::Setting(entry));
    }
    let Some(rest) = path.strip_prefix("siege.") else {
        return Err(unknown(path, scenario));
    };
    let Some(model) = &scenario.siege else {
        return Err(unknown(path, scenario));
    };
    let held = |path: &str, loc: u32| -> Result<u32, ParamError> {
        if model.holds.iter().any(|h| h.location == loc) {
            Ok(loc)
        } else {
            let names: Vec<&str> = model
                .holds
                .iter()
                .map(|h| scenario.locations[h.location as usize].name.as_str())
                .collect();
            Err(invalid(
                path,
                format!(
                    "'{}' is not a held place (held: {})",
                    scenario.locations[loc as usize].name,
                    names.join(", ")
                ),
            ))
        }
    };
    if let Some(r) = scales::resolve(scenario, path, rest) {
        let (kind, which) = r?;
        return Ok(Target::Scale(kind, which));
    }
    if rest == "attempt_rate_scale" {
        return Ok(Target::AttemptRateScale(None));
    }
    if rest == "screened_share" {
        return Ok(Target::ScreenedShare);
    }
    if let Some(name) = rest.strip_prefix("attempt_rate_scale.") {
        let loc = held(path, place(scenario, path, name)?)?;
        return Ok(Target::AttemptRateScale(Some(loc)));
    }
    if let Some(name) = rest.strip_prefix("attempt_rate.") {
        let loc = held(path, place(scenario, path, name)?)?;
        return Ok(Target::AttemptRate(loc));
    }
    if let Some(field) = rest.strip_prefix("exit_scale.") {
        return exit_field(field)
            .map(Target::ExitScale)
            .ok_or_else(|| invalid(path, "the field must be turned_back, shot or weight"));
    }
    if let Some(r) = rest.strip_prefix("exit.") {
        let (pair, field) = r
            .rsplit_once('.')
            .ok_or_else(|| invalid(path, "write siege.exit.<From>.<To>.<field>"))?;
        let f = exit_field(field)
            .ok_or_else(|| invalid(path, "the field must be turned_back, shot or weight"))?;
        let (a, b) = place_pair(scenario, path, pair)?;
        if !model.exits.iter().any(|e| e.from == a && e.to == b) {
            return Err(invalid(path, format!("the scenario has no exit {pair}")));
        }
        return Ok(Target::Exit(a, b, f));
    }
    if let Some(r) = rest.strip_prefix("crossing.") {
        let (pair, field) = r
            .rsplit_once('.')
            .ok_or_else(|| invalid(path, "write siege.crossing.<From>.<To>.<field>"))?;
        let f =
            match field {
                "capacity_per_day" => CrossingField::Capacity,
                "drowning" => CrossingField::Drowning,
                "shot_crossing" => CrossingField::ShotCrossing,
                "shot_waiting" => CrossingField::ShotWaiting,
                _ => return Err(invalid(
                    path,
                    "the field must be capacity_per_day, drowning, shot_crossing or shot_waiting",
                )),
            };
        let (a, b) = place_pair(scenario, path, pair)?;
        if !model.crossings.iter().any(|c| c.from == a && c.to == b) {
            return Err(invalid(
                path,
                format!("the scenario has no crossing {pair}"),
            ));
        }
        return Ok(Target::Crossing(a, b, f));
    }
    Err(unknown(path, scenario))
}

/// Checks that `path` names a parameter of `scenario`.
pub fn check_path(scenario: &Scenario, path: &str) -> Result<(), ParamError> {
    resolve(scenario, path).map(|_| ())
}

/// The current value of the parameter at `path` (1.0 for scale parameters).
pub fn get_parameter(scenario: &Scenario, path: &str) -> Result<f64, ParamError> {
    let s = &scenario.settings;
    Ok(match resolve(scenario, path)? {
        Target::Setting(entry) => entry
            .get(s)
            .and_then(|v| v.as_f64())
            .expect("calibratable settings are numbers"),
        Target::AttemptRateScale(_) | Target::ExitScale(_) | Target::Scale(..) => 1.0,
        t => {
            let m = scenario.siege.as_ref().expect("siege target");
            match t {
                Target::AttemptRate(loc) => m
                    .holds
                    .iter()
                    .find(|h| h.location == loc)
                    .map_or(0.0, |h| h.attempt_rate),
                Target::Exit(a, b, f) => {
                    let e = m
                        .exits
                        .iter()
                        .find(|e| e.from == a && e.to == b)
                        .expect("resolved");
                    match f {
                        ExitField::TurnedBack => e.turned_back,
                        ExitField::Shot => e.shot,
                        ExitField::Weight => e.weight,
                    }
                }
                Target::Crossing(a, b, f) => {
                    let c = m
                        .crossings
                        .iter()
                        .find(|c| c.from == a && c.to == b)
                        .expect("resolved");
                    match f {
                        CrossingField::Capacity => {
                            c.capacity_per_day.map_or(f64::INFINITY, |v| v as f64)
                        }
                        CrossingField::Drowning => c.drowning,
                        CrossingField::ShotCrossing => c.shot_crossing,
                        CrossingField::ShotWaiting => c.shot_waiting,
                    }
                }
                Target::ScreenedShare => m.screened_share,
                _ => unreachable!(),
            }
        }
    })
}

/// Sets a calibratable setting, rounded as its table entry says.
fn set_setting(
    s: &mut Settings,
    entry: &Setting,
    path: &str,
    value: f64,
) -> Result<(), ParamError> {
    let field = entry.field().expect("calibratable settings have a field");
    let v = match field.calibrate {
        Calibrate::No | Calibrate::AsIs => value,
        Calibrate::Round => value.round(),
        Calibrate::RoundAtLeastOne => {
            if value.round() < 1.0 {
                return Err(invalid(path, format!("must be at least 1, got {value}")));
            }
            value.round()
        }
    };
    let typed = match (field.get)(s) {
        Value::Int(_) => Value::Int(v as i64),
        _ => Value::Float(v),
    };
    if (field.set)(s, typed) {
        Ok(())
    } else {
        Err(invalid(path, "not a numeric setting"))
    }
}

fn prob(path: &str, v: f64) -> Result<f64, ParamError> {
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(invalid(path, format!("must lie in [0, 1], got {v}")))
    }
}

/// Sets the parameter at `path` to `value`. Settings are checked with
/// [`Settings::validate`]; siege probabilities must lie in [0, 1] (scaled ones
/// are clamped).
pub fn set_parameter(scenario: &mut Scenario, path: &str, value: f64) -> Result<(), ParamError> {
    if !value.is_finite() {
        return Err(invalid(path, format!("value must be finite, got {value}")));
    }
    let target = resolve(scenario, path)?;
    match target {
        Target::Setting(entry) => set_setting(&mut scenario.settings, entry, path, value)?,
        Target::Scale(kind, which) => scales::apply(scenario, path, kind, which, value)?,
        t => {
            let m = scenario.siege.as_mut().expect("siege target");
            match t {
                Target::AttemptRate(loc) => {
                    let v = prob(path, value)?;
                    for h in m.holds.iter_mut().filter(|h| h.location == loc) {
                        h.attempt_rate = v;
                    }
                }
                Target::AttemptRateScale(which) => {
                    if value < 0.0 {
                        return Err(invalid(path, "a scale must not be negative"));
                    }
                    let hit = |loc: u32| which.is_none() || which == Some(loc);
                    for h in m.holds.iter_mut().filter(|h| hit(h.location)) {
                        h.attempt_rate = (h.attempt_rate * value).clamp(0.0, 1.0);
                    }
                    for iv in &mut m.interventions {
                        if let Action::SetAttemptRate {
                            location,
                            value: rate,
                        } = &mut iv.action
                        {
                            if hit(*location) {
                                *rate = (*rate * value).clamp(0.0, 1.0);
                            }
                        }
                    }
                }
                Target::Exit(a, b, f) => {
                    let v = match f {
                        ExitField::Weight if value >= 0.0 => value,
                        ExitField::Weight => {
                            return Err(invalid(path, "a weight must not be negative"))
                        }
                        _ => prob(path, value)?,
                    };
                    for e in m.exits.iter_mut().filter(|e| e.from == a && e.to == b) {
                        match f {
                            ExitField::TurnedBack => e.turned_back = v,
                            ExitField::Shot => e.shot = v,
                            ExitField::Weight => e.weight = v,
                        }
                    }
                }
                Target::ExitScale(f) => {
                    if value < 0.0 {
                        return Err(invalid(path, "a scale must not be negative"));
                    }
                    let scale = |x: f64| {
                        let y = x * value;
                        if f == ExitField::Weight {
                            y
                        } else {
                            y.clamp(0.0, 1.0)
                        }
                    };
                    for e in &mut m.exits {
                        match f {
                            ExitField::TurnedBack => e.turned_back = scale(e.turned_back),
                            ExitField::Shot => e.shot = scale(e.shot),
                            ExitField::Weight => e.weight = scale(e.weight),
                        }
                    }
                    for iv in &mut m.interventions {
                        if let Action::SetExitHazard {
                            turned_back,
                            shot,
                            weight,
                            ..
                        } = &mut iv.action
                        {
                            let slot = match f {
                                ExitField::TurnedBack => turned_back,
                                ExitField::Shot => shot,
                                ExitField::Weight => weight,
                            };
                            if let Some(x) = slot {
                                *x = scale(*x);
                            }
                        }
                    }
                }
                Target::Crossing(a, b, f) => {
                    for c in m.crossings.iter_mut().filter(|c| c.from == a && c.to == b) {
                        match f {
                            CrossingField::Capacity => {
                                if value < 0.0 {
                                    return Err(invalid(path, "a capacity must not be negative"));
                                }
                                c.capacity_per_day = Some(value.round() as u32);
                            }
                            CrossingField::Drowning => c.drowning = prob(path, value)?,
                            CrossingField::ShotCrossing => c.shot_crossing = prob(path, value)?,
                            CrossingField::ShotWaiting => c.shot_waiting = prob(path, value)?,
                        }
                    }
                }
                Target::ScreenedShare => m.screened_share = prob(path, value)?,
                _ => unreachable!(),
            }
        }
    }
    scenario.settings.validate().map_err(|m| {
        invalid(
            path,
            format!("value {value} makes the settings invalid: {m}"),
        )
    })
}

mod scales;
#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod tests_support;
