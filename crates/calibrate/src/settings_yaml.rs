//! Writing [`Settings`] back as Flee's `simsetting.yml`, so fitted settings can
//! be run with `corridor run --settings` (and by Flee, for the keys it knows).

use corridor_model::Settings;
use std::fmt::Write as _;

/// `simsetting.yml` text that `corridor_io::parse_settings_str` reads back to `s`.
pub fn settings_yaml(s: &Settings, comment: &str) -> String {
    let mut y = String::new();
    for line in comment.lines() {
        let _ = writeln!(y, "# {line}");
    }
    let b = |v: bool| if v { "True" } else { "False" };
    let _ = writeln!(y, "log_levels:\n  idp_totals: {}", i32::from(s.idp_totals));
    let _ = writeln!(y, "spawn_rules:");
    let _ = writeln!(y, "  take_from_population: {}", b(s.take_from_population));
    let _ = writeln!(y, "  insert_day0: {}", b(s.insert_day0));
    let _ = writeln!(y, "  empty_camps_on_day0: {}", b(s.empty_camps_on_day0));
    let _ = writeln!(
        y,
        "  conflict_zone_spawning_only: {}",
        b(s.conflict_zone_spawning_only)
    );
    let _ = writeln!(y, "  sum_from_camps: {}", b(s.sum_from_camps));
    if let Some(d) = &s.conflict_spawn_decay {
        let items: Vec<String> = d.iter().map(|v| format!("{v:?}")).collect();
        let _ = writeln!(y, "  conflict_spawn_decay: [{}]", items.join(", "));
    }
    let _ = writeln!(
        y,
        "  conflict_spawn_decay_interval: {}",
        s.conflict_spawn_decay_interval.round() as i64
    );
    let _ = writeln!(y, "move_rules:");
    let nums = [
        ("max_move_speed", s.max_move_speed),
        ("max_walk_speed", s.max_walk_speed),
        ("foreign_weight", s.foreign_weight),
        ("camp_weight", s.camp_weight),
        ("conflict_weight", s.conflict_weight),
        ("conflict_movechance", s.conflict_movechance),
        ("camp_movechance", s.camp_movechance),
        ("idpcamp_movechance", s.idpcamp_movechance),
        ("default_movechance", s.default_movechance),
        ("capacity_buffer", s.capacity_buffer),
        ("capacity_scaling", s.capacity_scaling),
        ("softening", s.softening),
        ("weight_softening", s.weight_softening),
        ("weight_power", s.weight_power),
        ("distance_power", s.distance_power),
        ("movechance_pop_base", s.movechance_pop_base),
        ("movechance_pop_scale_factor", s.movechance_pop_scale_factor),
        ("pruning_threshold", s.pruning_threshold),
    ];
    for (k, v) in nums {
        let _ = writeln!(y, "  {k}: {v:?}");
    }
    let _ = writeln!(y, "  awareness_level: {}", s.awareness_level);
    let _ = writeln!(y, "  avoid_short_stints: {}", b(s.avoid_short_stints));
    let _ = writeln!(y, "  start_on_foot: {}", b(s.start_on_foot));
    let _ = writeln!(y, "optimisations:\n  hasten: {}", s.hasten);
    let c = &s.compat;
    let _ = writeln!(y, "corridor:\n  compat:");
    for (k, v) in c.switches() {
        let _ = writeln!(y, "    {k}: {}", if v { "true" } else { "false" });
    }
    y
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
}
