use super::*;

fn parse(s: &str) -> Result<(Settings, Vec<Warning>), InputError> {
    parse_settings_str(s, "test.yml")
}

#[test]
fn empty_is_default() {
    let (s, w) = parse("").unwrap();
    assert_eq!(s, Settings::default());
    assert!(w.is_empty());
    let (s, _) = parse("log_levels:\nmove_rules:\n").unwrap();
    assert_eq!(s, Settings::default());
}

#[test]
fn validation_file_matches_flee_validation() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/validation-simsetting.yml"
    ))
    .unwrap();
    let (s, w) = parse(&text).unwrap();
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(s, Settings::flee_validation());
}

#[test]
fn yaml_booleans() {
    for (t, b) in [
        ("True", true),
        ("False", false),
        ("true", true),
        ("false", false),
        ("yes", true),
    ] {
        let (s, _) = parse(&format!("move_rules:\n  start_on_foot: {t}\n")).unwrap();
        assert_eq!(s.start_on_foot, b, "{t}");
    }
}

#[test]
fn quoted_bool_is_an_error() {
    let e =
        parse("move_rules:\n  max_move_speed: 200\n  avoid_short_stints: \"False\"\n").unwrap_err();
    let m = e.to_string();
    assert!(m.contains("test.yml:3"), "{m}");
    assert!(m.contains("move_rules.avoid_short_stints"), "{m}");
    assert!(m.contains("remove the quotes"), "{m}");
}

#[test]
fn every_flee_key_is_read_or_inert() {
    // Every key Flee reads is now implemented or has no effect in Flee either:
    // the former examples of "not supported" parse, switched on.
    assert!(corridor_model::settings::SETTINGS
        .iter()
        .all(|row| !matches!(
            row.support,
            corridor_model::settings::Support::Unsupported { .. }
        )));
    let (s, w) =
        parse("spawn_rules:\n  read_from_agents_csv_file: True\n  camps_are_sicks: True\n")
            .unwrap();
    assert!(
        s.read_from_agents_csv_file && s.camps_are_sicks && w.is_empty(),
        "{w:?}"
    );
    // Flood lists outside `move_rules.flood_rules` are where Flee does not read them.
    let (s, w) =
        parse("flood_rules:\n  max_flood_level: 4\nspawn_rules:\n  flood_loc_weights: [1]\n")
            .unwrap();
    assert!(s.flood_rules.is_none());
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w.iter()
            .all(|w| w.message.contains("move_rules.flood_rules")),
        "{w:?}"
    );
}

#[test]
fn unknown_keys_warn() {
    let (_, w) = parse("move_rules:\n  max_move_sped: 3\nfoo: 1\n").unwrap();
    assert_eq!(w.len(), 2);
    assert!(
        w[0].message.contains("did you mean 'max_move_speed'"),
        "{}",
        w[0]
    );
    assert_eq!(w[0].line, Some(2));
}

#[test]
fn compat_section() {
    let (s, _) = parse("corridor:\n  compat:\n    date_plus_one: false\n").unwrap();
    assert!(!s.compat.date_plus_one);
    assert!(s.compat.multihop_full_budget);
    assert!(parse("corridor:\n  compat:\n    date_plus_on: false\n").is_err());
}

#[test]
fn bad_yaml_has_position() {
    let e = parse("move_rules:\n  max_move_speed: [1, 2\n").unwrap_err();
    assert!(
        matches!(e.kind(), InputErrorKind::Yaml { line: Some(_), .. }),
        "{e}"
    );
}

#[test]
fn validate_errors_carry_line() {
    let e = parse("optimisations:\n  hasten: 0\n").unwrap_err();
    assert_eq!(e.line(), Some(2), "{e}");
    let e = parse("move_rules:\n  default_movechance: 1.5\n").unwrap_err();
    assert_eq!(e.line(), Some(2), "{e}");
}

/// YAML that sets the dotted `key` to `value`.
fn yaml_for(key: &str, value: &str) -> String {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap();
    let mut y = String::new();
    for (depth, p) in parts.iter().enumerate() {
        y.push_str(&format!("{}{p}:\n", "  ".repeat(depth)));
    }
    y.push_str(&format!("{}{last}: {value}\n", "  ".repeat(parts.len())));
    y
}

#[test]
fn every_table_entry_is_read_as_the_table_says() {
    use corridor_model::settings::{Support, Value, SETTINGS};
    for e in SETTINGS {
        match &e.support {
            Support::Field(_) => {
                // The default value, spelled as YAML, reads back to the default.
                let text = match e.default_value().unwrap() {
                    Value::Bool(b) if e.key == "log_levels.idp_totals" => i32::from(b).to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Int(i) => i.to_string(),
                    Value::Float(x) if x.fract() == 0.0 => format!("{}", x as i64),
                    Value::Float(x) => format!("{x:?}"),
                    Value::List(_) => "[0.5, 0.25]".into(),
                };
                let (s, w) = parse(&yaml_for(e.key, &text)).unwrap();
                assert!(w.is_empty(), "{}: {w:?}", e.key);
                if e.key == "spawn_rules.conflict_spawn_decay" {
                    assert_eq!(s.conflict_spawn_decay, Some(vec![0.5, 0.25]));
                } else if e.key == "move_rules.harvest_months" {
                    // Read as written; the engine refuses values that are no months.
                    assert_eq!(s.harvest_months, Some(vec![0.5, 0.25]));
                } else {
                    assert_eq!(s, Settings::default(), "{}", e.key);
                }
            }
            Support::Inert(_) => {
                let (s, w) = parse(&yaml_for(e.key, "0")).unwrap();
                assert!(w.is_empty(), "{}: {w:?}", e.key);
                assert_eq!(s, Settings::default(), "{}", e.key);
            }
            Support::Special => {
                // Each special key has a spelling of its default and of "on".
                let (default, other) = match e.key {
                    "spawn_rules.conflict_driven_spawning" => ("null", "{}"),
                    "default_conflict_intensity" => ("1", "3"),
                    "spawn_rules.flood_driven_spawn_mode" | "move_rules.flood_rules" => {
                        // Each block alone is refused (Flee crashes); the pair is tested below.
                        let (s, _) = parse(&yaml_for(e.key, "null")).unwrap();
                        assert_eq!(s, Settings::default(), "{}", e.key);
                        assert!(parse(&yaml_for(e.key, "{}")).is_err(), "{}", e.key);
                        continue;
                    }
                    k => panic!("{k}: no test values for this special key"),
                };
                let (s, _) = parse(&yaml_for(e.key, default)).unwrap();
                assert_eq!(s, Settings::default(), "{}", e.key);
                let (s, _) = parse(&yaml_for(e.key, other)).unwrap();
                assert_ne!(s, Settings::default(), "{}", e.key);
            }
            Support::Unsupported { .. } => {
                parse(&yaml_for(e.key, "false")).unwrap();
                let text = yaml_for(e.key, "true");
                let err = parse(&text).expect_err(&text);
                assert!(
                    matches!(err.kind(), InputErrorKind::Unsupported { .. }),
                    "{}: {err}",
                    e.key
                );
            }
        }
    }
}

#[test]
fn inert_keys_keep_their_checks() {
    // Levels 2 and 3 are written (docs/flee-model.md 17); above Flee's top level, a warning.
    let (_, w) = parse("log_levels:\n  agent: 4\n").unwrap();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].message.contains("log_levels.agent = 4"), "{}", w[0]);
    let (_, w) = parse("log_levels:\n  link: 3\n").unwrap();
    assert!(w[0].message.contains("log_levels.link = 3"), "{w:?}");
    let (s, w) = parse("log_levels:\n  agent: 3\n  link: 2\n").unwrap();
    assert_eq!((s.agent, s.link, w.len()), (3, 2, 0), "{w:?}");
    assert!(parse("log_levels:\n  agent: 1.5\n").is_err());
    let (s, w) = parse("log_levels:\n  agent: 1\n  link: 1\n").unwrap();
    assert_eq!((s.agent, s.link, w.len()), (1, 1, 0), "{w:?}");
    let (_, w) = parse("log_levels:\n  granularity: region\n").unwrap();
    assert!(w[0].message.contains("not regions"), "{w:?}");
    assert!(parse("log_levels:\n  link: -1\n").is_err());
    assert!(parse("number_of_steps: lots\n").is_err());
    parse("number_of_steps: -1\nconflict_input_file: x.csv\nmove_rules:\n  max_crossing_speed: fast\n")
        .unwrap();
    // A key read elsewhere warns whatever it holds; a boolean must not be quoted.
    let (_, w) = parse("spawn_rules:\n  flood_loc_weights: \"[3]\"\n").unwrap();
    assert!(w[0].message.contains("move_rules.flood_rules"), "{w:?}");
    let e = parse("spawn_rules:\n  read_from_agents_csv_file: \"False\"\n").unwrap_err();
    assert!(e.to_string().contains("remove the quotes"), "{e}");
}

#[test]
fn conflict_driven_spawning_is_read_as_flee_reads_it() {
    use corridor_model::{ConflictSpawning, SpawnMode};
    let on = |y: &str| parse(y).unwrap().0.conflict_driven_spawning;
    // nigeria2024's block.
    assert_eq!(
        on("spawn_rules:\n  conflict_driven_spawning:\n    spawn_mode: pop_ratio\n    displaced_per_conflict_day: 0.01\n"),
        Some(ConflictSpawning { mode: SpawnMode::PopRatio, displaced_per_conflict_day: 0.01 })
    );
    // An empty map: constant, 500. The default of pop_ratio is 0.01.
    assert_eq!(
        on("spawn_rules:\n  conflict_driven_spawning: {}\n"),
        Some(ConflictSpawning::default())
    );
    assert_eq!(
        on("spawn_rules:\n  conflict_driven_spawning: {spawn_mode: pop_ratio}\n"),
        Some(ConflictSpawning {
            mode: SpawnMode::PopRatio,
            displaced_per_conflict_day: 0.01
        })
    );
    // Count modes apply int(): 3.7 becomes 3, with a warning. Poisson is case-blind.
    let (s, w) = parse("spawn_rules:\n  conflict_driven_spawning:\n    spawn_mode: Poisson\n    displaced_per_conflict_day: 3.7\n").unwrap();
    assert_eq!(
        s.conflict_driven_spawning,
        Some(ConflictSpawning {
            mode: SpawnMode::Poisson,
            displaced_per_conflict_day: 3.0
        })
    );
    assert!(w.iter().any(|w| w.message.contains("becomes 3")), "{w:?}");
    // A key without a value is null: off in Flee, with a warning here.
    let (s, w) = parse("spawn_rules:\n  conflict_driven_spawning:\n").unwrap();
    assert_eq!(s.conflict_driven_spawning, None);
    assert_eq!(w.len(), 1, "{w:?}");
    // Flee crashes on a scalar, and spawns nobody for an unknown mode: errors here.
    let e = parse("spawn_rules:\n  conflict_driven_spawning: True\n").unwrap_err();
    assert!(e.to_string().contains("must be a mapping"), "{e}");
    let e =
        parse("spawn_rules:\n  conflict_driven_spawning: {spawn_mode: Constant}\n").unwrap_err();
    assert_eq!(
        e.field(),
        Some("spawn_rules.conflict_driven_spawning.spawn_mode")
    );
    let e = parse("spawn_rules:\n  conflict_driven_spawning: {displaced_per_conflict_day: -1}\n")
        .unwrap_err();
    assert!(e.to_string().contains("negative"), "{e}");
    // Unknown sub-keys are warnings, as elsewhere.
    let (_, w) =
        parse("spawn_rules:\n  conflict_driven_spawning: {spawn_mod: constant}\n").unwrap();
    assert!(w[0].message.contains("spawn_mod"), "{w:?}");
}

#[test]
fn default_conflict_intensity_and_two_system_are_read_as_flee_reads_them() {
    let (s, w) = parse("default_conflict_intensity: 0.5\n").unwrap();
    assert_eq!(s.default_conflict_intensity, 0);
    assert!(w[0].message.contains("int()"), "{w:?}");
    // From a file, Flee's two-system switch is a float and never `is True`.
    let (s, w) = parse("move_rules:\n  two_system_decision_making: True\n").unwrap();
    assert_eq!(s, Settings::default());
    assert!(w[0].message.contains("no effect"), "{w:?}");
    assert!(parse("move_rules:\n  two_system_decision_making: 0\n")
        .unwrap()
        .1
        .is_empty());
    assert!(parse("move_rules:\n  two_system_decision_making: \"yes\"\n").is_err());
}

#[test]
fn flood_blocks_are_read_as_flee_reads_them() {
    // dflee_example's settings (docs/flee-model.md 18.1), FabFlee's ignored keys included.
    let y = "spawn_rules:\n  flood_driven_spawning: True\n  flood_zone_spawning_only: True\n  \
             conflict_zone_spawning_only: False\n  take_from_population: True\n  \
             flood_driven_spawn_mode:\n    flood_spawn_mode: \"pop_ratio\"\n    \
             displaced_per_flood_day: [0.0,0.1,0.2,0.5,0.9]\nmove_rules:\n  flood_rules:\n    \
             flood_movechances: [0.3,0.4,0.7,1.0,1.0]\n    flood_loc_weights: [1.0,0.5,0.2,0.0,0.0]\n";
    let (s, w) = parse(y).unwrap();
    assert!(s.flood_mode());
    let f = s.flood_driven_spawn_mode.as_ref().unwrap();
    assert_eq!(f.mode, corridor_model::SpawnMode::PopRatio);
    assert_eq!(f.displaced_per_flood_day, vec![0.0, 0.1, 0.2, 0.5, 0.9]);
    let r = s.flood_rules.as_ref().unwrap();
    assert_eq!(
        r.flood_loc_weights.as_deref(),
        Some(&[1.0, 0.5, 0.2, 0.0, 0.0][..])
    );
    assert_eq!(r.max_flood_level, -1);
    // The two FabFlee keys Flee ignores are named in warnings.
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w
        .iter()
        .any(|w| w.message.contains("flood_spawn_mode is ignored")));
    assert!(w.iter().any(|w| w
        .message
        .contains("flood_driven_spawning = true has no effect")));
    // The mode's default list; poisson after lower-casing.
    let p = y.replace("flood_spawn_mode: \"pop_ratio\"", "spawn_mode: Poisson");
    let p = p.replace("    displaced_per_flood_day: [0.0,0.1,0.2,0.5,0.9]\n", "");
    let (s, _) = parse(&p).unwrap();
    let f = s.flood_driven_spawn_mode.unwrap();
    assert_eq!(f.mode, corridor_model::SpawnMode::Poisson);
    assert_eq!(
        f.displaced_per_flood_day,
        vec![0.0, 100.0, 200.0, 300.0, 500.0]
    );
}

#[test]
fn the_flood_forecaster_keys_are_read() {
    // dflee_weather_example's forecaster (docs/flee-model.md 18.7).
    let base = "spawn_rules:\n  flood_zone_spawning_only: True\n  conflict_zone_spawning_only: False\n  \
                take_from_population: True\n  flood_driven_spawn_mode: {}\nmove_rules:\n  flood_rules:\n    \
                flood_movechances: [0.3, 0.4, 0.7, 1.0, 1.0]\n    flood_loc_weights: [1.0, 0.5, 0.2, 0.0, 0.0]\n";
    let on = format!(
        "{base}    flood_forecaster: True\n    flood_forecaster_timescale: 5\n    \
         flood_forecaster_end_time: 5\n    flood_forecaster_weights: [1.0, 0.9, 0.8, 0.7, 0.6, 0.5]\n    \
         flood_awareness_weights: [0.0, 0.5, 1.0]\n"
    );
    let (s, w) = parse(&on).unwrap();
    assert!(w.is_empty(), "{w:?}");
    let r = s.flood_rules.unwrap();
    assert!(r.flood_forecaster && r.forecasting_on(5) && !r.forecasting_on(6));
    assert_eq!(
        (r.flood_forecaster_timescale, r.flood_forecaster_end_time),
        (5, 5)
    );
    assert_eq!(r.flood_forecaster_weights.unwrap()[4], 0.6);
    assert_eq!(r.flood_awareness_weights.unwrap(), vec![0.0, 0.5, 1.0]);
    // Off: the other keys are named as having no effect.
    let off = on.replace("flood_forecaster: True", "flood_forecaster: False");
    let (_, w) = parse(&off).unwrap();
    assert_eq!(w.len(), 4, "{w:?}");
    assert!(w
        .iter()
        .all(|w| w.message.contains("only with flood_forecaster on")));
    // On with a timescale of 1: Flee's forecaster never acts.
    let idle = on.replace("timescale: 5", "timescale: 1");
    let (_, w) = parse(&idle).unwrap();
    assert!(w.len() == 1 && w[0].message.contains("never acts"), "{w:?}");
}

#[test]
fn flood_keys_where_flee_does_not_read_them_are_warnings() {
    // Flee reads the flood lists only inside move_rules.flood_rules (18.1,
    // 18.10): under spawn_rules, or flood_rules at the top level (where older
    // Flee versions read it), they change nothing.
    for (yaml, key, place) in [
        (
            "spawn_rules:\n  flood_loc_weights: [1.0, 0.5, 0.2]\n",
            "spawn_rules.flood_loc_weights",
            "move_rules.flood_rules.flood_loc_weights",
        ),
        (
            "spawn_rules:\n  flood_movechances: [0.3, 0.4, 0.7]\n",
            "spawn_rules.flood_movechances",
            "move_rules.flood_rules.flood_movechances",
        ),
        (
            "spawn_rules:\n  flood_link_weights: [1, 1, 1]\n",
            "spawn_rules.flood_link_weights",
            "move_rules.flood_rules.flood_link_weights",
        ),
        (
            "flood_rules:\n  flood_movechances: [0.3, 0.4, 0.7]\n",
            "flood_rules",
            "move_rules.flood_rules",
        ),
    ] {
        let (s, w) = parse(yaml).unwrap();
        assert_eq!(s, Settings::default(), "{yaml}");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].message.starts_with(key) && w[0].message.contains(&format!("`{place}`")),
            "{}",
            w[0].message
        );
        assert_eq!(w[0].line, Some(2));
    }
}

#[test]
fn flood_settings_that_flee_cannot_run_are_errors() {
    let base = "spawn_rules:\n  flood_zone_spawning_only: True\n  conflict_zone_spawning_only: False\n  \
                take_from_population: True\n  flood_driven_spawn_mode: {}\nmove_rules:\n  \
                flood_rules: {flood_movechances: [0.3, 0.4, 0.7], flood_loc_weights: [1, 0.5, 0.2]}\n";
    parse(base).unwrap();
    for (change, with, field) in [
        // Both spawning-only switches on: Flee exits.
        ("  conflict_zone_spawning_only: False\n", "", "spawn_rules.flood_zone_spawning_only"),
        ("  take_from_population: True\n", "", "spawn_rules.take_from_population"),
        ("  flood_zone_spawning_only: True\n", "", "spawn_rules.flood_driven_spawn_mode"),
        ("  flood_driven_spawn_mode: {}\n", "", "spawn_rules.flood_zone_spawning_only"),
        ("move_rules:\n  flood_rules: {flood_movechances: [0.3, 0.4, 0.7], flood_loc_weights: [1, 0.5, 0.2]}\n", "", "move_rules.flood_rules"),
        ("[0.3, 0.4, 0.7]", "[0.3, 1.4, 0.7]", "move_rules.flood_rules.flood_movechances"),
        ("[1, 0.5, 0.2]", "[1]", "move_rules.flood_rules.flood_loc_weights"),
        ("[1, 0.5, 0.2]", "[1, -0.5, 0.2]", "move_rules.flood_rules.flood_loc_weights"),
        // (flood_forecaster: True was refused until corridor implemented it.)
        ("flood_loc_weights", "flood_forecaster_weights: [1, -1], flood_loc_weights", "move_rules.flood_rules.flood_forecaster_weights"),
        ("flood_loc_weights", "flood_awareness_weights: 2, flood_loc_weights", "move_rules.flood_rules.flood_awareness_weights"),
        ("flood_driven_spawn_mode: {}", "flood_driven_spawn_mode: {spawn_mode: Constant}", "spawn_rules.flood_driven_spawn_mode.spawn_mode"),
        ("flood_driven_spawn_mode: {}", "flood_driven_spawn_mode: [1]", "spawn_rules.flood_driven_spawn_mode"),
    ] {
        let text = base.replace(change, with);
        assert_ne!(text, base, "{change}");
        let e = parse(&text).expect_err(&text);
        assert_eq!(e.field(), Some(field), "{text}\n{e}");
        assert!(e.to_string().contains("hint"), "{e}");
    }
}

#[test]
fn flee_s_remaining_agent_rules_are_read() {
    let (s, w) = parse(
        "spawn_rules:\n  camps_are_sicks: True\nmove_rules:\n  harvest_months: [6, 11]\n  \
         MatchCampEthnicity: True\n  MatchTownEthnicity: True\n  MatchConflictEthnicity: True\n  \
         MatchCampReligion: True\n  avg_religion_fraction: 0.5\n",
    )
    .unwrap();
    assert!(w.is_empty(), "{w:?}");
    assert!(s.camps_are_sicks && s.MatchCampEthnicity && s.MatchTownEthnicity);
    assert!(s.MatchConflictEthnicity && s.MatchCampReligion);
    assert_eq!(s.harvest_months, Some(vec![6.0, 11.0]));
    assert_eq!(s.avg_religion_fraction, 0.5);
    // The documented spelling is not read by Flee: a warning, not an error.
    let (s, w) = parse("spawn_rules:\n  camps_are_sinks: True\n").unwrap();
    assert!(!s.camps_are_sicks);
    assert_eq!(w.len(), 1);
    assert!(w[0].to_string().contains("camps_are_sicks"), "{:?}", w);
}
