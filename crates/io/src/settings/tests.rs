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
fn unsupported_only_when_on() {
    parse("move_rules:\n  fixed_routes: False\n  harvest_months: []\n").unwrap();
    let e = parse("move_rules:\n  two_system_decision_making: True\n").unwrap_err();
    assert!(
        matches!(e.kind(), InputErrorKind::Unsupported { line: Some(2), .. }),
        "{e}"
    );
    let e =
        parse("spawn_rules:\n  conflict_driven_spawning:\n    spawn_mode: constant\n").unwrap_err();
    assert!(e.to_string().contains("conflict_driven_spawning"), "{e}");
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
