//! Writing [`Settings`] back as Flee's `simsetting.yml`, so fitted settings can
//! be run with `corridor run --settings` (and by Flee, for the keys it knows).

use corridor_model::settings::{
    section, Kind, Setting, Value, COMPAT_SECTION, CORRIDOR_SECTION, FLEE_SECTIONS, SETTINGS,
};
use corridor_model::Settings;
use std::fmt::Write as _;

/// `simsetting.yml` text that `corridor_io::parse_settings_str` reads back to `s`:
/// every field of the settings table, Flee's sections in the order of Flee's
/// files, then `corridor:` (its own keys, then `compat:`). Within a section, plain numbers come first,
/// then whole numbers, lists and switches, each in table order (the layout
/// fitted files have always had).
pub fn settings_yaml(s: &Settings, comment: &str) -> String {
    let mut y = String::new();
    for line in comment.lines() {
        let _ = writeln!(y, "# {line}");
    }
    for name in FLEE_SECTIONS {
        let _ = writeln!(y, "{name}:");
        let fields = || section(name).filter(|e| e.field().is_some());
        let is_number = |e: &&Setting| e.field().is_some_and(|f| f.kind == Kind::Number);
        let numbers = fields().filter(is_number);
        let others = fields().filter(|e| !is_number(e));
        for e in numbers.chain(others) {
            write_entry(&mut y, "  ", e, s);
        }
        if *name == "spawn_rules" {
            if let Some(c) = &s.conflict_driven_spawning {
                let _ = writeln!(
                    y,
                    "  conflict_driven_spawning:\n    spawn_mode: {}\n    displaced_per_conflict_day: {:?}",
                    c.mode.name(),
                    c.displaced_per_conflict_day
                );
            }
            if let Some(f) = &s.flood_driven_spawn_mode {
                let _ = writeln!(
                    y,
                    "  flood_driven_spawn_mode:\n    spawn_mode: {}\n    displaced_per_flood_day: {:?}",
                    f.mode.name(),
                    f.displaced_per_flood_day
                );
            }
        }
        if *name == "move_rules" {
            if let Some(r) = &s.flood_rules {
                let _ = writeln!(
                    y,
                    "  flood_rules:\n    max_flood_level: {}",
                    r.max_flood_level
                );
                for (key, list) in [
                    ("flood_movechances", &r.flood_movechances),
                    ("flood_loc_weights", &r.flood_loc_weights),
                    ("flood_link_weights", &r.flood_link_weights),
                    ("flood_forecaster_weights", &r.flood_forecaster_weights),
                    ("flood_awareness_weights", &r.flood_awareness_weights),
                ] {
                    if let Some(l) = list {
                        let _ = writeln!(y, "    {key}: {l:?}");
                    }
                }
                if r.flood_forecaster {
                    let _ = writeln!(y, "    flood_forecaster: True");
                }
                for (key, n) in [
                    ("flood_forecaster_timescale", r.flood_forecaster_timescale),
                    ("flood_forecaster_end_time", r.flood_forecaster_end_time),
                ] {
                    if n != 0 {
                        let _ = writeln!(y, "    {key}: {n}");
                    }
                }
            }
        }
    }
    // The top-level key of location changes (docs/flee-model.md 14.3), when not Flee's default.
    if s.default_conflict_intensity != Settings::default().default_conflict_intensity {
        let _ = writeln!(
            y,
            "default_conflict_intensity: {}",
            s.default_conflict_intensity
        );
    }
    let _ = writeln!(y, "corridor:");
    for e in section(CORRIDOR_SECTION) {
        write_entry(&mut y, "  ", e, s);
    }
    let _ = writeln!(y, "  compat:");
    for e in section(COMPAT_SECTION) {
        write_entry(&mut y, "    ", e, s);
    }
    debug_assert!(SETTINGS.iter().all(|e| e.field().is_none()
        || e.section == COMPAT_SECTION
        || e.section == CORRIDOR_SECTION
        || FLEE_SECTIONS.contains(&e.section)));
    y
}

/// One `key: value` line (none for an unset list).
fn write_entry(y: &mut String, indent: &str, e: &Setting, s: &Settings) {
    let (Some(field), Some(value)) = (e.field(), e.get(s)) else {
        return;
    };
    let text = match (field.kind, value) {
        // corridor's own section uses YAML's booleans, Flee's files Python's.
        (Kind::Switch, Value::Bool(b)) if e.section == COMPAT_SECTION => b.to_string(),
        (Kind::Switch, Value::Bool(b)) => if b { "True" } else { "False" }.to_string(),
        (Kind::Level, Value::Bool(b)) => i32::from(b).to_string(),
        (Kind::WholeNumber, Value::Float(v)) => (v.round() as i64).to_string(),
        (_, Value::Float(v)) => format!("{v:?}"),
        (_, Value::Int(i)) => i.to_string(),
        (_, Value::List(None)) => return,
        (_, Value::List(Some(d))) => {
            let items: Vec<String> = d.iter().map(|v| format!("{v:?}")).collect();
            format!("[{}]", items.join(", "))
        }
        (_, Value::Bool(b)) => b.to_string(),
    };
    let _ = writeln!(y, "{indent}{}: {text}", e.name);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_reader() {
        let mut s = Settings::flee_validation();
        s.default_movechance = 0.123456789012345;
        s.conflict_weight = 1.0 / 10f64.sqrt();
        s.hasten = 10;
        s.awareness_level = 2;
        s.compat.date_plus_one = false;
        let text = settings_yaml(&s, "fitted by a test\nsecond line");
        let (back, warnings) = corridor_io::parse_settings_str(&text, "t.yml").unwrap();
        assert_eq!(back, s, "{text}");
        assert!(warnings.is_empty(), "{warnings:?}");
        let d = Settings::default();
        let (back, _) = corridor_io::parse_settings_str(&settings_yaml(&d, ""), "t.yml").unwrap();
        assert_eq!(back, d);
    }

    /// A valid value other than the default, for every field of the table.
    fn other_value(e: &Setting, default: Value) -> Value {
        let check = e.field().unwrap().check;
        match default {
            Value::Bool(b) => Value::Bool(!b),
            Value::Int(i) => Value::Int(i + 1),
            Value::List(_) => Value::List(Some(vec![1.0, 0.75, 0.125])),
            Value::Float(x) if e.field().unwrap().kind == Kind::WholeNumber => {
                Value::Float(x + 7.0)
            }
            Value::Float(x) => Value::Float(match check {
                corridor_model::settings::Check::Probability => {
                    if x == 0.37 {
                        0.38
                    } else {
                        0.37
                    }
                }
                _ => x * 1.5 + 0.123456789,
            }),
        }
    }

    #[test]
    fn every_field_round_trips_through_the_reader() {
        let d = Settings::default();
        let mut s = d.clone();
        for e in SETTINGS {
            let Some(f) = e.field() else { continue };
            let v = other_value(e, e.get(&d).unwrap());
            assert!((f.set)(&mut s, v), "{}", e.key);
        }
        // And the keys read by code of their own (Support::Special).
        s.conflict_driven_spawning = Some(corridor_model::ConflictSpawning {
            mode: corridor_model::SpawnMode::PopRatio,
            displaced_per_conflict_day: 0.015,
        });
        s.default_conflict_intensity = 3;
        s.flood_driven_spawn_mode = Some(corridor_model::flood::FloodSpawning {
            mode: corridor_model::SpawnMode::Constant,
            displaced_per_flood_day: vec![0.0, 10.0, 20.5],
        });
        s.flood_rules = Some(corridor_model::flood::FloodRules {
            flood_movechances: Some(vec![0.3, 0.4, 0.7]),
            flood_loc_weights: Some(vec![1.0, 0.5]),
            flood_link_weights: None,
            max_flood_level: 4,
            flood_forecaster: true,
            flood_forecaster_timescale: 5,
            flood_forecaster_end_time: 5,
            flood_forecaster_weights: Some(vec![1.0, 0.9, 0.8, 0.7, 0.6, 0.5]),
            flood_awareness_weights: Some(vec![0.0, 0.5, 1.0]),
        });
        s.validate().unwrap();
        let text = settings_yaml(&s, "every field changed");
        let (back, warnings) = corridor_io::parse_settings_str(&text, "t.yml").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        for e in SETTINGS.iter().filter(|e| e.field().is_some()) {
            assert_ne!(e.get(&back), e.get(&d), "{} was not written\n{text}", e.key);
            assert_eq!(e.get(&back), e.get(&s), "{}\n{text}", e.key);
        }
        assert_eq!(back, s);
    }

    #[test]
    fn every_calibratable_entry_round_trips_through_the_reader() {
        let base = crate::params::tests_support::tiny(false);
        for e in SETTINGS.iter().filter(|e| e.calibratable()) {
            let mut sc = base.clone();
            let v = other_value(e, e.get(&sc.settings).unwrap())
                .as_f64()
                .unwrap();
            crate::params::set_parameter(&mut sc, e.key, v).unwrap();
            let got = crate::params::get_parameter(&sc, e.key).unwrap();
            assert_ne!(
                got,
                crate::params::get_parameter(&base, e.key).unwrap(),
                "{}",
                e.key
            );
            let text = settings_yaml(&sc.settings, "");
            let (back, _) = corridor_io::parse_settings_str(&text, "t.yml").unwrap();
            assert_eq!(back, sc.settings, "{}", e.key);
            sc.settings = back;
            assert_eq!(
                crate::params::get_parameter(&sc, e.key).unwrap(),
                got,
                "{}",
                e.key
            );
        }
    }

    #[test]
    fn layout_of_fitted_files_is_kept() {
        let text = settings_yaml(&Settings::flee_validation(), "c");
        let want = "# c
log_levels:
  idp_totals: 0
spawn_rules:
  take_from_population: False
  insert_day0: True
  empty_camps_on_day0: False
  conflict_zone_spawning_only: True
  sum_from_camps: True
  conflict_spawn_decay: [1.0, 1.0, 1.0, 0.5, 0.1]
  conflict_spawn_decay_interval: 30
move_rules:
  max_move_speed: 400.0
  max_walk_speed: 35.0
  foreign_weight: 1.0
  camp_weight: 1.0
  conflict_weight: 0.25
  conflict_movechance: 1.0
  camp_movechance: 0.001
  idpcamp_movechance: 0.1
  default_movechance: 0.5
  capacity_buffer: 0.9
  capacity_scaling: 1.25
  softening: 50.0
  weight_softening: 0.0
  weight_power: 1.0
  distance_power: 0.75
  movechance_pop_base: 10000.0
  movechance_pop_scale_factor: 0.0
  pruning_threshold: 1.0
  awareness_level: 1
  avoid_short_stints: True
  start_on_foot: False
optimisations:
  hasten: 1
corridor:
  capacity_count_block: 1
  compat:
    day0_capacity_double_count: true
    multihop_full_budget: true
    spawn_decay_lag: true
    ignore_intensity_changes: true
    raw_counts_total_on_day0: true
    date_plus_one: true
    closed_link_bounce: true
";
        // A new setting adds a line; these keep their text and relative order.
        let mut rest = text.lines();
        for line in want.lines() {
            assert!(
                rest.any(|l| l == line),
                "{line:?} missing or out of order\n{text}"
            );
        }
    }
}
