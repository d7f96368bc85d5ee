//! `corridor validate --sweep`: FabFlee's validation of a folder of scenarios
//! (docs/flee-model.md 6.3) in one command.

mod common;
use common::{corridor, flee_data};
use std::fs;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// `csv` rows as (first field, fields).
fn rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn a_sweep_scores_each_scenario_as_its_ensemble_and_averages_the_means() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("validation");
    for s in ["mali2012", "burundi2015"] {
        copy_dir(
            &flee_data().join("scenarios").join(s),
            &config.join("SWEEP").join(s),
        );
    }
    fs::copy(
        flee_data().join("reference/val_h10.yml"),
        config.join("simsetting.yml"),
    )
    .unwrap();
    fs::create_dir_all(config.join("SWEEP/notes")).unwrap();
    let out = tmp.path().join("out");
    let run = corridor()
        .env("CORRIDOR_LOG", "warn")
        .args(["validate", "--sweep"])
        .arg(&config)
        .args(["-n", "2", "-o"])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(stderr.contains("notes: not a scenario folder"), "{stderr}");
    let stdout = String::from_utf8_lossy(&run.get_output().stdout).to_string();
    assert!(stdout.contains("mean score"), "{stdout}");
    let sweep = rows(&fs::read_to_string(out.join("sweep.csv")).unwrap());
    assert_eq!(sweep[0][0], "burundi2015");
    assert_eq!(sweep[1][0], "mali2012");
    let mean = |r: &Vec<String>| r[2].parse::<f64>().unwrap();
    let headline = (mean(&sweep[0]) + mean(&sweep[1])) / 2.0;
    assert_eq!(sweep[2][0], "mean score");
    assert!((mean(&sweep[2]) - headline).abs() < 2e-6);

    // mali2012's score is that of `corridor ensemble` with the shared settings.
    let ens = tmp.path().join("ens");
    corridor()
        .env("CORRIDOR_LOG", "error")
        .arg("ensemble")
        .arg(config.join("SWEEP/mali2012"))
        .arg("--settings")
        .arg(config.join("simsetting.yml"))
        .args(["-n", "2", "-q", "-o"])
        .arg(&ens)
        .assert()
        .success();
    let reps = rows(&fs::read_to_string(ens.join("replicates.csv")).unwrap());
    let ens_mean = reps
        .iter()
        .map(|r| r[3].parse::<f64>().unwrap())
        .sum::<f64>()
        / 2.0;
    assert!(
        (mean(&sweep[1]) - ens_mean).abs() < 1e-6,
        "{} {ens_mean}",
        sweep[1][2]
    );

    // A scenario's own simsetting.yml wins over the shared one (FabFlee's overlay).
    fs::write(
        config.join("SWEEP/mali2012/simsetting.yml"),
        "optimisations:\n  hasten: 100\n",
    )
    .unwrap();
    corridor()
        .env("CORRIDOR_LOG", "error")
        .args(["validate", "-q", "--sweep"])
        .arg(&config)
        .args(["-n", "2", "-o"])
        .arg(&out)
        .assert()
        .success();
    let again = rows(&fs::read_to_string(out.join("sweep.csv")).unwrap());
    assert_eq!(
        again[0][2], sweep[0][2],
        "burundi2015 keeps the shared settings"
    );
    assert_ne!(
        again[1][2], sweep[1][2],
        "mali2012 runs with its own settings"
    );
}

#[test]
fn a_folder_without_scenarios_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("empty")).unwrap();
    let run = corridor()
        .args(["validate", "--sweep"])
        .arg(tmp.path())
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(stderr.contains("no scenario folders"), "{stderr}");
    // --sweep and out.csv files do not mix.
    corridor()
        .args(["validate", "out.csv", "--sweep"])
        .arg(tmp.path())
        .assert()
        .failure();
}
