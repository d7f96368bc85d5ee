//! Reading and setting scenario parameters by path.
//!
//! A path names one number of a [`Scenario`]:
//!
//! | path | meaning |
//! |---|---|
//! | `move_rules.<key>` | a number of Flee's `move_rules` (`default_movechance`, `max_move_speed`, `conflict_weight`, `camp_weight`, `distance_power`, `softening`, …; see [`SETTINGS_PATHS`]) |
//! | `move_rules.awareness_level` | rounded to a whole number, at least 1 |
//! | `spawn_rules.conflict_spawn_decay_interval` | days, rounded to a whole number (Flee reads an integer) |
//! | `siege.attempt_rate.<Place>` | the day-0 attempt rate of that held place (later `set_attempt_rate` interventions still apply) |
//! | `siege.attempt_rate_scale.<Place>` | multiplies that place's attempt rate on every day: the day-0 rate and every `set_attempt_rate` for it (results clamped to [0, 1]) |
//! | `siege.attempt_rate_scale` | the same for every held place |
//! | `siege.exit.<From>.<To>.<turned_back\|shot\|weight>` | the day-0 value of one exit's field |
//! | `siege.exit_scale.<turned_back\|shot\|weight>` | multiplies that field of every exit on every day (probabilities clamped to [0, 1]) |
//! | `siege.crossing.<From>.<To>.<capacity_per_day\|drowning>` | the day-0 value of one river crossing's field (capacity rounded) |
//! | `siege.screened_share` | share of people who are men and boys screened |
//!
//! Scale parameters read as 1.0 on an unmodified scenario. Unknown paths, places
//! that do not exist, and places that are not held or have no such exit are
//! errors that list what would be accepted.

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

/// The `move_rules` and `spawn_rules` numbers that can be set, with their paths.
pub const SETTINGS_PATHS: &[&str] = &[
    "move_rules.max_move_speed",
    "move_rules.max_walk_speed",
    "move_rules.foreign_weight",
    "move_rules.camp_weight",
    "move_rules.conflict_weight",
    "move_rules.conflict_movechance",
    "move_rules.camp_movechance",
    "move_rules.idpcamp_movechance",
    "move_rules.default_movechance",
    "move_rules.awareness_level",
    "move_rules.capacity_buffer",
    "move_rules.capacity_scaling",
    "move_rules.softening",
    "move_rules.weight_softening",
    "move_rules.weight_power",
    "move_rules.distance_power",
    "move_rules.movechance_pop_base",
    "move_rules.movechance_pop_scale_factor",
    "move_rules.pruning_threshold",
    "spawn_rules.conflict_spawn_decay_interval",
];

/// The path patterns of siege parameters, for error hints.
pub const SIEGE_PATTERNS: &[&str] = &[
    "siege.attempt_rate.<Place>",
    "siege.attempt_rate_scale.<Place>",
    "siege.attempt_rate_scale",
    "siege.exit.<From>.<To>.turned_back|shot|weight",
    "siege.exit_scale.turned_back|shot|weight",
    "siege.crossing.<From>.<To>.capacity_per_day|drowning",
    "siege.screened_share",
];

fn settings_field<'a>(s: &'a mut Settings, key: &str) -> Option<&'a mut f64> {
    Some(match key {
        "max_move_speed" => &mut s.max_move_speed,
        "max_walk_speed" => &mut s.max_walk_speed,
        "foreign_weight" => &mut s.foreign_weight,
        "camp_weight" => &mut s.camp_weight,
        "conflict_weight" => &mut s.conflict_weight,
        "conflict_movechance" => &mut s.conflict_movechance,
        "camp_movechance" => &mut s.camp_movechance,
        "idpcamp_movechance" => &mut s.idpcamp_movechance,
        "default_movechance" => &mut s.default_movechance,
        "capacity_buffer" => &mut s.capacity_buffer,
        "capacity_scaling" => &mut s.capacity_scaling,
        "softening" => &mut s.softening,
        "weight_softening" => &mut s.weight_softening,
        "weight_power" => &mut s.weight_power,
        "distance_power" => &mut s.distance_power,
        "movechance_pop_base" => &mut s.movechance_pop_base,
        "movechance_pop_scale_factor" => &mut s.movechance_pop_scale_factor,
        "pruning_threshold" => &mut s.pruning_threshold,
        _ => return None,
    })
}

fn unknown(path: &str, scenario: &Scenario) -> ParamError {
    let mut hint = format!("settings paths: {}", SETTINGS_PATHS.join(", "));
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
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Setting(String),
    AwarenessLevel,
    DecayInterval,
    AttemptRate(u32),
    AttemptRateScale(Option<u32>),
    Exit(u32, u32, ExitField),
    ExitScale(ExitField),
    Crossing(u32, u32, CrossingField),
    ScreenedShare,
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
    if let Some(key) = path.strip_prefix("move_rules.") {
        if key == "awareness_level" {
            return Ok(Target::AwarenessLevel);
        }
        let mut s = scenario.settings.clone();
        return match settings_field(&mut s, key) {
            Some(_) => Ok(Target::Setting(key.to_string())),
            None => Err(unknown(path, scenario)),
        };
    }
    if path == "spawn_rules.conflict_spawn_decay_interval" {
        return Ok(Target::DecayInterval);
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
        let f = match field {
            "capacity_per_day" => CrossingField::Capacity,
            "drowning" => CrossingField::Drowning,
            _ => {
                return Err(invalid(
                    path,
                    "the field must be capacity_per_day or drowning",
                ))
            }
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
        Target::Setting(key) => {
            let mut s = s.clone();
            *settings_field(&mut s, &key).expect("resolved")
        }
        Target::AwarenessLevel => s.awareness_level as f64,
        Target::DecayInterval => s.conflict_spawn_decay_interval,
        Target::AttemptRateScale(_) | Target::ExitScale(_) => 1.0,
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
                    }
                }
                Target::ScreenedShare => m.screened_share,
                _ => unreachable!(),
            }
        }
    })
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
        Target::Setting(key) => {
            *settings_field(&mut scenario.settings, &key).expect("resolved") = value;
        }
        Target::AwarenessLevel => {
            let v = value.round() as i64;
            if v < 1 {
                return Err(invalid(path, format!("must be at least 1, got {value}")));
            }
            scenario.settings.awareness_level = v;
        }
        Target::DecayInterval => scenario.settings.conflict_spawn_decay_interval = value.round(),
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

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;
    use corridor_model::siege::{Exit, Hold, Intervention, SiegeModel};
    use corridor_model::{Location, LocationKind, ValidationData};

    /// A three-place scenario (one name contains a dot), with or without a siege.
    pub(crate) fn tiny(siege: bool) -> Scenario {
        let loc = |name: &str| Location {
            name: name.into(),
            region: "r".into(),
            country: "c".into(),
            lat: 0.0,
            lon: 0.0,
            raw_type: "town".into(),
            kind: LocationKind::Town,
            conflict_date: 0,
            pop_or_capacity: 100,
            conflict_intensity: 1.0,
            capacity_per_day: 0,
            initial_idps: 0,
            attributes: vec![],
        };
        Scenario {
            name: "tiny".into(),
            start_date: "2000-01-01".into(),
            start_epoch_day: 0,
            days: 10,
            locations: vec![loc("A"), loc("B.x"), loc("C")],
            routes: vec![],
            closures: vec![],
            conflicts: Default::default(),
            validation: ValidationData::default(),
            settings: Settings::flee_validation(),
            siege: siege.then(|| SiegeModel {
                people_per_agent: 6,
                screened_share: 0.25,
                holds: vec![Hold {
                    location: 0,
                    attempt_rate: 0.1,
                    until_day: None,
                }],
                exits: vec![Exit {
                    from: 0,
                    to: 1,
                    open: true,
                    turned_back: 0.4,
                    shot: 0.01,
                    weight: 1.0,
                }],
                interventions: vec![Intervention {
                    day: 3,
                    action: Action::SetAttemptRate {
                        location: 0,
                        value: 0.6,
                    },
                    note: String::new(),
                }],
                ..Default::default()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::tiny;
    use super::*;

    #[test]
    fn settings_paths_round_trip() {
        let mut s = tiny(false);
        for p in SETTINGS_PATHS {
            let v = get_parameter(&s, p).unwrap();
            set_parameter(&mut s, p, v).unwrap();
            assert_eq!(get_parameter(&s, p).unwrap(), v, "{p}");
        }
        set_parameter(&mut s, "move_rules.default_movechance", 0.37).unwrap();
        assert_eq!(s.settings.default_movechance, 0.37);
        set_parameter(&mut s, "move_rules.awareness_level", 2.4).unwrap();
        assert_eq!(s.settings.awareness_level, 2);
    }

    #[test]
    fn unknown_and_invalid_paths_are_clear_errors() {
        let mut s = tiny(false);
        let e = set_parameter(&mut s, "move_rules.defualt_movechance", 0.3).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("unknown parameter 'move_rules.defualt_movechance'"),
            "{msg}"
        );
        assert!(msg.contains("move_rules.default_movechance"), "{msg}");
        assert!(matches!(
            check_path(&s, "siege.attempt_rate.A"),
            Err(ParamError::UnknownPath { .. })
        ));
        assert!(check_path(&s, "banana").is_err());
        let e = set_parameter(&mut s, "move_rules.default_movechance", 1.5).unwrap_err();
        assert!(e.to_string().contains("[0, 1]"), "{e}");
        let s = tiny(true);
        let e = check_path(&s, "siege.attempt_rate.Nowhere").unwrap_err();
        assert!(
            e.to_string().contains("no location called 'Nowhere'"),
            "{e}"
        );
        let e = check_path(&s, "siege.attempt_rate.C").unwrap_err();
        assert!(e.to_string().contains("not a held place (held: A)"), "{e}");
        assert!(check_path(&s, "siege.exit.A.C.shot").is_err());
        assert!(check_path(&s, "siege.exit.A.B.x.speed").is_err());
    }

    #[test]
    fn siege_paths() {
        let mut s = tiny(true);
        assert_eq!(get_parameter(&s, "siege.attempt_rate.A").unwrap(), 0.1);
        assert_eq!(
            get_parameter(&s, "siege.attempt_rate_scale.A").unwrap(),
            1.0
        );
        set_parameter(&mut s, "siege.attempt_rate_scale.A", 2.0).unwrap();
        let m = s.siege.as_ref().unwrap();
        assert!((m.holds[0].attempt_rate - 0.2).abs() < 1e-12);
        assert!(matches!(
            m.interventions[0].action,
            Action::SetAttemptRate { value, .. } if value == 1.0
        ));
        set_parameter(&mut s, "siege.attempt_rate.A", 0.05).unwrap();
        assert_eq!(get_parameter(&s, "siege.attempt_rate.A").unwrap(), 0.05);
        // A location name with a dot in it.
        set_parameter(&mut s, "siege.exit.A.B.x.shot", 0.02).unwrap();
        assert_eq!(get_parameter(&s, "siege.exit.A.B.x.shot").unwrap(), 0.02);
        set_parameter(&mut s, "siege.exit_scale.turned_back", 0.5).unwrap();
        assert_eq!(
            get_parameter(&s, "siege.exit.A.B.x.turned_back").unwrap(),
            0.2
        );
        assert!(set_parameter(&mut s, "siege.attempt_rate.A", 1.2).is_err());
        set_parameter(&mut s, "siege.screened_share", 0.3).unwrap();
        assert_eq!(s.siege.as_ref().unwrap().screened_share, 0.3);
    }
}
