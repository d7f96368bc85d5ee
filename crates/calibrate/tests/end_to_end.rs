//! End-to-end calibration and sensitivity on real scenarios (small and fast).

use corridor_analysis::{ard, ArdMode, FleeOutput};
use corridor_calibrate::{
    calibrate, flee_output, run_scored, sensitivity, CalibrationOptions, Method, ParameterSpace,
    SensitivityOptions, Split,
};
use corridor_engine::RunOptions;
use std::path::PathBuf;

fn flee_data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/flee"))
}

fn mali(hasten: i64) -> corridor_model::Scenario {
    let (mut s, _) = corridor_io::read_scenario(
        &flee_data().join("scenarios/mali2012"),
        Some(&flee_data().join("reference/val_h100.yml")),
    )
    .expect("data/flee must exist in the repository");
    s.settings.hasten = hasten;
    s
}

fn space() -> ParameterSpace {
    ParameterSpace::parse(
        "move_rules.default_movechance: [0.2, 0.8]\nmove_rules.max_move_speed: [100, 600]\nmove_rules.conflict_weight: [0.05, 1.0]\n",
        "test",
    )
    .unwrap()
}

#[test]
fn in_memory_output_scores_like_out_csv() {
    let s = mali(100);
    let (run, _) = corridor_engine::run(
        &s,
        &RunOptions {
            seed: 3,
            days: None,
        },
    )
    .unwrap();
    let csv = corridor_io::flee_out_csv(&run);
    let via_csv = FleeOutput::from_reader(csv.as_bytes()).unwrap();
    let direct = flee_output(&run).unwrap();
    for mode in [ArdMode::Rescaled, ArdMode::Normal] {
        assert_eq!(ard(&via_csv, mode), ard(&direct, mode));
    }
    // A run's first N days equal the full run's first N rows.
    let full = run_scored(&s, 3, s.days).unwrap();
    let part = run_scored(&s, 3, 120).unwrap();
    assert_eq!(
        full.error(0..120, ArdMode::Rescaled),
        part.error(0..120, ArdMode::Rescaled)
    );
    assert_eq!(
        full.error(0..s.days as usize, ArdMode::Rescaled),
        ard(&direct, ArdMode::Rescaled)
    );
}

#[test]
fn small_calibration_of_mali_does_not_get_worse_in_period() {
    let s = mali(100);
    let space = space();
    space.check(&s, "test").unwrap();
    let opts = CalibrationOptions {
        split: Split::Fraction(0.7),
        fit_seeds: 2,
        eval_seeds: 2,
        budget: 16,
        master_seed: 5,
        ..Default::default()
    };
    let c = calibrate(&s, &space, &opts).unwrap();
    assert_eq!(c.fit_days, 210);
    assert!(
        c.evaluations <= 16 && c.evaluations > 1,
        "{}",
        c.evaluations
    );
    assert_eq!(c.trials.len(), c.evaluations);
    assert!(c.objective_fitted <= c.objective_default);
    assert!(c.objective_fitted.is_finite() && c.fitted_errors.out_of_period.mean.is_finite());
    for p in &c.parameters {
        assert!(p.fitted >= p.low && p.fitted <= p.high, "{p:?}");
        assert!(
            p.near_best_low <= p.fitted && p.fitted <= p.near_best_high,
            "{p:?}"
        );
    }
    // A fitted value is flagged at a bound exactly when it lies within 0.5 % of
    // that end of its (possibly logarithmic) range.
    let unit = space.to_unit(&c.fitted_values());
    for (p, u) in c.parameters.iter().zip(unit) {
        let want = if u <= 0.005 {
            Some("lower")
        } else if u >= 0.995 {
            Some("upper")
        } else {
            None
        };
        assert_eq!(p.at_bound, want, "{p:?}");
    }
    // Deterministic for a master seed.
    let again = calibrate(&s, &space, &opts).unwrap();
    assert_eq!(again.fitted_values(), c.fitted_values());
    assert_eq!(again.fitted_errors, c.fitted_errors);
}

#[test]
fn morris_on_mali_is_reproducible() {
    let s = mali(100);
    let opts = SensitivityOptions {
        method: Method::Morris {
            trajectories: 3,
            levels: 4,
        },
        seeds: 1,
        master_seed: 2,
        days: Some(100),
    };
    let r = sensitivity(&s, &space(), &opts).unwrap();
    assert_eq!(r.points.len(), 3 * 4);
    assert_eq!(r.indices.len(), r.outputs.len());
    assert_eq!(r.indices[0].len(), 3);
    let again = sensitivity(&s, &space(), &opts).unwrap();
    assert_eq!(r.y, again.y);
}
