//! End-to-end tests of `corridor calibrate` and `corridor sensitivity`.

mod common;
use common::{corridor, flee_data, repo};
use std::path::PathBuf;

fn number(json: &serde_json::Value, path: &[&str]) -> f64 {
    let mut v = json;
    for p in path {
        v = &v[*p];
    }
    v.as_f64().unwrap_or_else(|| panic!("{path:?} in {json}"))
}

#[test]
fn calibrate_mali_at_hasten_100_writes_fitted_values_and_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cal");
    let s = flee_data();
    let refs: Vec<String> = (0..5)
        .map(|i| {
            s.join(format!("reference/rep_h100_mali2012_{i}.csv"))
                .display()
                .to_string()
        })
        .collect();
    let assert = corridor()
        .arg("calibrate")
        .arg(s.join("scenarios/mali2012"))
        .arg("--settings")
        .arg(s.join("reference/val_h100.yml"))
        .arg("--space")
        .arg(repo().join("scenarios/spaces/flee-default.yml"))
        .args([
            "--budget",
            "12",
            "-n",
            "2",
            "--eval-seeds",
            "2",
            "--fit-fraction",
            "0.7",
        ])
        .arg("--reference")
        .args(&refs)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    for needle in [
        "move_rules.default_movechance",
        "held out",
        "fitted",
        "reference (5)",
    ] {
        assert!(text.contains(needle), "missing '{needle}' in:\n{text}");
    }
    for f in [
        "calibration.json",
        "trials.csv",
        "errors.csv",
        "fitted.yml",
        "fitted_simsetting.yml",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("calibration.json")).unwrap())
            .unwrap();
    assert_eq!(json["fit_days"], 210);
    assert!(number(&json, &["objective_fitted"]) <= number(&json, &["objective_default"]));
    let flee_out = number(&json, &["reference_errors", "out_of_period", "mean"]);
    assert!(flee_out > 0.0 && flee_out < 1.0);
    // The fitted settings run as they are.
    corridor()
        .arg("run")
        .arg(s.join("scenarios/mali2012"))
        .arg("--settings")
        .arg(out.join("fitted_simsetting.yml"))
        .args(["-q", "-o"])
        .arg(tmp.path().join("run"))
        .assert()
        .success();
}

/// The goal of calibration: on each Flee validation scenario, the fitted
/// settings forecast the held-out last 30 % of the run better than Flee does
/// with its validation settings. Same protocol as `scenarios/spaces/calibrate-flee.sh`
/// (space `flee-default.yml`, 4 fit seeds, 240 candidates, 8 fresh evaluation
/// seeds), at hasten 100 so that the five fits take about a minute; Flee's
/// side is its five reference runs at hasten 100 scored on the same days.
/// The fitted mean must lie below Flee's by more than two standard errors of
/// the difference (fitted sd/√8 and Flee's sd/√5), so a win inside the
/// replicate noise does not count. The outcome is a function of the seed only.
#[test]
fn calibrated_settings_forecast_held_out_days_better_than_flee() {
    let tmp = tempfile::tempdir().unwrap();
    let s = flee_data();
    let mut failures = Vec::new();
    for scenario in [
        "burundi2015",
        "car2013",
        "mali2012",
        "nigeria2022_adm2",
        "ssudan2013",
    ] {
        let out = tmp.path().join(scenario);
        let refs: Vec<PathBuf> = (0..5)
            .map(|i| s.join(format!("reference/rep_h100_{scenario}_{i}.csv")))
            .collect();
        corridor()
            .arg("calibrate")
            .arg(s.join("scenarios").join(scenario))
            .arg("--settings")
            .arg(s.join("reference/val_h100.yml"))
            .arg("--space")
            .arg(repo().join("scenarios/spaces/flee-default.yml"))
            .args(["--fit-fraction", "0.7", "-n", "4", "--eval-seeds", "8"])
            .args(["--budget", "240", "--reference"])
            .args(&refs)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("calibration.json")).unwrap())
                .unwrap();
        let held_out = |side: &str| {
            let m = number(&json, &[side, "out_of_period", "mean"]);
            let sd = number(&json, &[side, "out_of_period", "sd"]);
            let n = number(&json, &[side, "out_of_period", "n"]);
            (m, sd * sd / n)
        };
        let (fitted, var_fitted) = held_out("fitted_errors");
        let (flee, var_flee) = held_out("reference_errors");
        let margin = 2.0 * (var_fitted + var_flee).sqrt();
        eprintln!("{scenario}: held-out ARD fitted {fitted:.4}, Flee {flee:.4}, 2 SE {margin:.4}");
        if fitted + margin >= flee {
            failures.push(format!(
                "{scenario}: fitted {fitted:.4} + 2 SE {margin:.4} is not below Flee's {flee:.4}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unknown_parameter_path_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let space = tmp.path().join("space.yml");
    std::fs::write(&space, "move_rules.default_movechanse: [0.2, 0.8]\n").unwrap();
    let assert = corridor()
        .arg("calibrate")
        .arg(flee_data().join("scenarios/mali2012"))
        .args(["--hasten", "100", "--space"])
        .arg(&space)
        .arg("-o")
        .arg(tmp.path().join("o"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        err.contains("unknown parameter 'move_rules.default_movechanse'")
            && err.contains("move_rules.default_movechance"),
        "{err}"
    );
}

#[test]
fn morris_sensitivity_of_fallujah_writes_a_table() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sa");
    let assert = corridor()
        .current_dir(repo())
        .args([
            "sensitivity",
            "scenarios/fallujah-2016",
            "--space",
            "scenarios/fallujah-2016/space.yml",
            "--trajectories",
            "2",
            "-n",
            "1",
            "--days",
            "30",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    for needle in [
        "mu*",
        "obs_error",
        "dead_end",
        "siege.attempt_rate_scale.Fallujah",
    ] {
        assert!(text.contains(needle), "missing '{needle}' in:\n{text}");
    }
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    assert!(csv.starts_with("output,parameter,mu,mu_star,mu_star_conf,sigma\n"));
    assert_eq!(csv.lines().count(), 1 + 5 * 6);
    assert!(out.join("samples.csv").is_file() && out.join("sensitivity.json").is_file());
}
