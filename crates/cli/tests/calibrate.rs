//! End-to-end tests of `corridor calibrate` and `corridor sensitivity`.

use assert_cmd::Command;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}
fn shared() -> PathBuf {
    repo().join("../shared/flee")
}
fn corridor() -> Command {
    Command::cargo_bin("corridor").unwrap()
}

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
    let s = shared();
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

#[test]
fn unknown_parameter_path_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let space = tmp.path().join("space.yml");
    std::fs::write(&space, "move_rules.default_movechanse: [0.2, 0.8]\n").unwrap();
    let assert = corridor()
        .arg("calibrate")
        .arg(shared().join("scenarios/mali2012"))
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
