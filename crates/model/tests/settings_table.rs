//! The settings table: complete against the model specification, and
//! consistent with the `Settings` struct it is declared with.

use corridor_model::settings::{
    setting, Calibrate, Check, Kind, Support, Value, COMPAT_SECTION, CORRIDOR_SECTION,
    FLEE_SECTIONS, SETTINGS,
};
use corridor_model::{Compat, Settings};
use std::collections::HashSet;

/// `(section, keys)` of every settings table in docs/flee-model.md: the
/// simsetting sections 3.1–3.5, and the settings tables of 13.1, 17.1, 18.1, 19.1.
fn documented_keys() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/flee-model.md"
    ))
    .unwrap();
    let mut out = Vec::new();
    let mut section: Option<&str> = None;
    for line in doc.lines() {
        if line.starts_with('#') {
            section = match line.split_whitespace().nth(1) {
                Some("3.1") => Some(""),
                Some("3.2") => Some("log_levels"),
                Some("3.3") | Some("13.1") => Some("spawn_rules"),
                Some("3.4") => Some("move_rules"),
                Some("3.5") => Some("optimisations"),
                // Keys written with their section.
                Some("17.1") | Some("18.1") | Some("19.1") => Some("*"),
                _ => None,
            };
            continue;
        }
        let Some(sec) = section else { continue };
        let Some(first) = line.strip_prefix('|').and_then(|l| l.split('|').next()) else {
            continue;
        };
        for (i, token) in first.split('`').enumerate() {
            if i % 2 == 0 || token.starts_with('…') {
                continue; // outside backticks, or a sub-key of a map entry
            }
            let key = token.trim_end_matches(':');
            let (sec, key) = match sec {
                "*" => key.split_once('.').unwrap(),
                _ => (sec, key),
            };
            // `conflict_driven_spawning.spawn_mode` sits inside the map entry.
            let key = key.split('.').next().unwrap();
            out.push((sec.to_string(), key.to_string()));
        }
    }
    out
}

#[test]
fn every_documented_key_is_in_the_table() {
    let keys = documented_keys();
    // The parse found the tables (3.1–3.5 alone document over 70 keys).
    assert!(keys.len() > 70, "{}", keys.len());
    for s in [
        "",
        "log_levels",
        "spawn_rules",
        "move_rules",
        "optimisations",
    ] {
        assert!(keys.iter().any(|(sec, _)| sec == s), "no keys for '{s}'");
    }
    let mut missing = Vec::new();
    for (sec, key) in &keys {
        let dotted = if sec.is_empty() {
            key.clone()
        } else {
            format!("{sec}.{key}")
        };
        if setting(&dotted).is_none() {
            missing.push(dotted);
        }
    }
    assert!(
        missing.is_empty(),
        "documented but not in the table: {missing:?}"
    );
}

#[test]
fn keys_are_unique_and_well_formed() {
    let mut seen = HashSet::new();
    for e in SETTINGS {
        assert!(seen.insert(e.key), "{} twice", e.key);
        let want = if e.section.is_empty() {
            e.name.to_string()
        } else {
            format!("{}.{}", e.section, e.name)
        };
        assert_eq!(e.key, want);
        assert!(
            e.section.is_empty()
                || e.section == COMPAT_SECTION
                || e.section == CORRIDOR_SECTION
                || FLEE_SECTIONS.contains(&e.section),
            "{}: unknown section",
            e.key
        );
        assert!(!e.doc.trim().is_empty(), "{}: no doc", e.key);
        if e.section.is_empty() || e.section == COMPAT_SECTION {
            // Top-level keys have no field; switches are all fields.
            assert_eq!(
                e.field().is_some(),
                e.section == COMPAT_SECTION,
                "{}",
                e.key
            );
        }
    }
    let switches = SETTINGS.iter().filter(|e| e.section == COMPAT_SECTION);
    assert!(switches.count() >= 7);
}

#[test]
fn fields_match_their_kind_and_round_trip() {
    let d = Settings::default();
    let mut fields = 0;
    for e in SETTINGS {
        let Some(f) = e.field() else { continue };
        fields += 1;
        let v = e.get(&d).unwrap();
        let fits = matches!(
            (f.kind, &v),
            (Kind::Switch | Kind::Level, Value::Bool(_))
                | (Kind::Number | Kind::WholeNumber, Value::Float(_))
                | (Kind::Integer, Value::Int(_))
                | (Kind::NumberList, Value::List(_))
        );
        assert!(fits, "{}: kind {:?} holds {v:?}", e.key, f.kind);
        assert_eq!(f.check.violation(e.key, &v), None, "{}: default", e.key);
        if f.calibrate != Calibrate::No {
            assert!(
                v.as_f64().is_some(),
                "{}: calibratable but not a number",
                e.key
            );
        }
        let mut s = d.clone();
        assert!((f.set)(&mut s, v.clone()), "{}", e.key);
        assert_eq!(s, d);
        assert!(!(f.set)(&mut s, Value::List(Some(vec![]))) || f.kind == Kind::NumberList);
    }
    // 30 Flee settings and 7 compat switches when the table was made.
    assert!(fields >= 37, "{fields}");
    let mut s = Settings::default();
    assert!((setting("corridor.compat.date_plus_one")
        .unwrap()
        .field()
        .unwrap()
        .set)(&mut s, Value::Bool(false)));
    assert!(!s.compat.date_plus_one);
    assert_eq!(
        Compat::default().switches().len(),
        SETTINGS
            .iter()
            .filter(|e| e.section == COMPAT_SECTION)
            .count(),
        "switches lists every compat entry"
    );
}

#[test]
fn validation_messages_name_the_key() {
    let bad = |f: fn(&mut Settings)| {
        let mut s = Settings::default();
        f(&mut s);
        s.validate().unwrap_err()
    };
    assert_eq!(
        bad(|s| s.max_move_speed = 0.0),
        "move_rules.max_move_speed must be a positive number, got 0"
    );
    assert_eq!(
        bad(|s| s.conflict_spawn_decay_interval = f64::INFINITY),
        "spawn_rules.conflict_spawn_decay_interval must be a positive number, got inf"
    );
    assert_eq!(
        bad(|s| s.default_movechance = 1.5),
        "move_rules.default_movechance must lie in [0, 1], got 1.5"
    );
    assert_eq!(
        bad(|s| s.capacity_buffer = f64::NAN),
        "move_rules.capacity_buffer must lie in [0, 1], got NaN"
    );
    assert_eq!(
        bad(|s| s.hasten = 0),
        "optimisations.hasten must be at least 1, got 0"
    );
    assert_eq!(
        bad(|s| s.awareness_level = 0),
        "move_rules.awareness_level 0 makes every agent stay put (a Flee bug); use 1 or more"
    );
    assert_eq!(
        bad(|s| s.softening = -1.0),
        "move_rules.softening must not be negative, got -1"
    );
    let s = Settings {
        awareness_level: -1, // behaves like 1 in Flee
        softening: 0.0,
        capacity_buffer: 1.0,
        ..Settings::default()
    };
    assert_eq!(s.validate(), Ok(()));
    assert!(matches!(
        setting("move_rules.awareness_level")
            .unwrap()
            .field()
            .unwrap()
            .check,
        Check::NotZero(_)
    ));
}

#[test]
fn unimplemented_keys_are_marked() {
    // (two_system_decision_making, conflict_driven_spawning, fixed_routes,
    // flood_rules, camps_are_sicks and harvest_months were the examples until
    // corridor read them.)
    // No key Flee reads is unsupported any more (read_from_agents_csv_file
    // and flood_loc_weights were the last examples).
    assert!(SETTINGS
        .iter()
        .all(|row| !matches!(row.support, Support::Unsupported { .. })));
    assert!(matches!(
        setting("spawn_rules.read_from_agents_csv_file")
            .unwrap()
            .support,
        Support::Field(_)
    ));
    assert!(matches!(
        setting("spawn_rules.flood_loc_weights").unwrap().support,
        Support::Inert(corridor_model::settings::Accept::ReadElsewhere(_))
    ));
    for key in [
        "move_rules.flood_rules",
        "spawn_rules.flood_driven_spawn_mode",
    ] {
        assert!(
            matches!(setting(key).unwrap().support, Support::Special),
            "{key}"
        );
    }
    assert!(matches!(
        setting("spawn_rules.conflict_driven_spawning")
            .unwrap()
            .support,
        Support::Special
    ));
    assert!(matches!(
        setting("move_rules.two_system_decision_making")
            .unwrap()
            .support,
        Support::Inert(corridor_model::settings::Accept::IgnoredByFlee(_))
    ));
    assert!(matches!(
        setting("log_levels.camp").unwrap().support,
        Support::Inert(_)
    ));
    assert!(setting("log_levels.agent").unwrap().field().is_some());
    assert!(setting("move_rules.no_such_key").is_none());
    // Flee's remaining agent rules are read into fields; the documented
    // spelling camps_are_sinks, which Flee does not read, only warns.
    for key in [
        "spawn_rules.camps_are_sicks",
        "move_rules.harvest_months",
        "move_rules.MatchCampReligion",
        "move_rules.MatchCampEthnicity",
        "move_rules.MatchTownEthnicity",
        "move_rules.MatchConflictEthnicity",
        "move_rules.avg_religion_fraction",
    ] {
        assert!(setting(key).unwrap().field().is_some(), "{key}");
    }
    assert!(matches!(
        setting("spawn_rules.camps_are_sinks").unwrap().support,
        Support::Inert(corridor_model::settings::Accept::IgnoredByFlee(_))
    ));
}
