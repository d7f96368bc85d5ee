use super::tests_support::tiny;
use super::*;

#[test]
fn settings_paths_round_trip() {
    let mut s = tiny(false);
    for p in settings_paths() {
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
