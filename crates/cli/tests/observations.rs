//! Observations with their source's uncertainty, uncertainty by default and
//! what-ifs by date, end to end on a small synthetic siege: a town whose only
//! exit opens on day 10 (day 2 in the variant), and a camp beyond it.

mod common;

use common::corridor;
use std::path::{Path, PathBuf};

const OBSERVED: &str = "# a comment line
day,what,observed,low,high,source
15,displaced,1500,,,one number
15,in_camps,,500,3000,a range
15,arrivals:camps,,100,,a lower bound
15,Camp_A,,,50000,an upper bound
15,shot,,1,,at least one
15,arrivals:Camp_A,1000,800,,a central figure with a bound
15,dead,,1000000,,out of reach: a lower bound nobody meets
";

/// Writes the synthetic scenario into `dir` and returns it.
fn tiny(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let files = [
        (
            "locations.csv",
            "#name,region,country,lat,lon,location_type,conflict_date,population_or_capacity\n\
             Town,R,C,0.0,0.0,conflict_zone,0,6000\n\
             Gate,R,C,0.0,0.1,town,0,0\n\
             Camp_A,R,C,0.0,0.2,camp,0,100000\n",
        ),
        (
            "routes.csv",
            "#name1,name2,distance\nTown,Gate,10\nGate,Camp_A,10\n",
        ),
        (
            "scenario.yml",
            "name: Tiny siege\nstart_date: 2020-01-01\ndays: 20\nlocations: locations.csv\n\
             routes: routes.csv\nobservations: observed.csv\nuncertainty: space.yml\n\
             key_dates: [{day: 8, label: \"key date\"}]\nsiege:\n  people_per_agent: 6\n\
             \x20 population: [{location: Town, people: 6000}]\n\
             \x20 holds: [{location: Town, attempt_rate: 0.05}]\n\
             \x20 exits: [{from: Town, to: Gate, open: false, turned_back: 0.1, shot: 0.001}]\n\
             \x20 interventions:\n    - {day: 10, action: open_exit, from: Town, to: Gate}\n",
        ),
        (
            "early.yml",
            "base: scenario.yml\nname: Tiny siege, exit from day 2\ninterventions:\n\
             \x20 - {day: 2, action: open_exit, from: Town, to: Gate}\n",
        ),
        ("space.yml", "siege.attempt_rate_scale.Town: [0.3, 3.0]\n"),
        ("observed.csv", OBSERVED),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir.to_path_buf()
}

fn stdout(args: &[&str], paths: &[&Path]) -> String {
    let mut c = corridor();
    c.args(args);
    for p in paths {
        c.arg(p);
    }
    let out = c.assert().success();
    String::from_utf8_lossy(&out.get_output().stdout).to_string()
}

fn stderr(args: &[&str], paths: &[&Path]) -> String {
    let mut c = corridor();
    c.args(args);
    for p in paths {
        c.arg(p);
    }
    let out = c.assert().failure();
    String::from_utf8_lossy(&out.get_output().stderr).to_string()
}

#[test]
fn run_and_validate_score_each_kind_of_observation() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tiny(&tmp.path().join("tiny"));
    let run = tmp.path().join("run");
    let text = stdout(&["run", "-o"], &[&run, &sc]);
    assert!(
        text.contains("6 of 7 observations within their source's range"),
        "{text}"
    );
    assert!(text.contains("500–3,000") && text.contains("≥ 100") && text.contains("≤ 50,000"));
    assert!(
        text.contains("✓ within") && text.contains("✗ out"),
        "{text}"
    );
    let json_path = tmp.path().join("v.json");
    let text = stdout(&["validate"], &[&run, Path::new("--json"), &json_path]);
    // No Flee-style ARD table for a siege run.
    assert!(!text.contains("ARD"), "{text}");
    assert!(text.contains("6 of 7 observations"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let c = json["tables"][0]["siege_comparisons"].as_array().unwrap();
    assert_eq!(c.len(), 7);
    for x in c {
        for k in [
            "date",
            "what",
            "observed",
            "simulated",
            "relative_error",
            "low",
            "high",
            "within",
        ] {
            assert!(x.get(k).is_some(), "{k} missing in {x}");
        }
    }
    let one = &c[0];
    assert_eq!(one["observed"], 1500.0);
    assert_eq!(
        (one["low"].as_f64(), one["high"].as_f64()),
        (Some(1125.0), Some(1875.0))
    );
    let bound = &c[2];
    assert!(bound["observed"].is_null() && bound["high"].is_null() && bound["low"] == 100.0);
    assert_eq!(bound["within"], true);
    assert_eq!(bound["relative_error"], 0.0);
    let out = &c[6];
    assert_eq!(out["within"], false);
    assert!(out["relative_error"].as_f64().unwrap() < -0.99);
}

#[test]
fn the_older_observation_format_still_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tiny(&tmp.path().join("tiny"));
    std::fs::write(
        sc.join("observed.csv"),
        "day,what,people,source\n15,displaced,1500,old style\n15,Camp_A,900,old style\n",
    )
    .unwrap();
    let text = stdout(&["run", "-o"], &[&tmp.path().join("run"), &sc]);
    assert!(text.contains("of 2 observations within"), "{text}");
    assert!(text.contains("1,125–1,875"), "{text}");
}

#[test]
fn bad_observation_rows_name_the_file_line_field_and_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tiny(&tmp.path().join("tiny"));
    let out = tmp.path().join("out");
    let header = "day,what,observed,low,high,source\n";
    let cases: [(&str, &[&str]); 7] = [
        (
            "3,displaced,,500,100,x\n",
            &["observed.csv:2", "low", "exceeds high", "hint"],
        ),
        (
            "3,displaced,-5,,,x\n",
            &["observed.csv:2", "observed", "-5", "non-negative"],
        ),
        (
            "3,screenedd,100,,,x\n",
            &[
                "observed.csv:2",
                "what",
                "screenedd",
                "arrivals:camps",
                "Observations",
            ],
        ),
        (
            "3,separated:Nowhere,100,,,x\n",
            &["observed.csv:2", "not a screening site"],
        ),
        (
            "3,arrivals:Nowhere,100,,,x\n",
            &["observed.csv:2", "not a camp", "Camp_A"],
        ),
        (
            "3,displaced,,,,x\n",
            &["observed.csv:2", "gives no number", "hint"],
        ),
        (
            "x,displaced,5,,,x\n",
            &["observed.csv:2", "day", "whole number"],
        ),
    ];
    for (row, needles) in cases {
        std::fs::write(sc.join("observed.csv"), format!("{header}{row}")).unwrap();
        let err = stderr(&["run", "-q", "-o"], &[&out, &sc]);
        for n in needles {
            assert!(err.contains(n), "missing '{n}' in {err}");
        }
    }
}

#[test]
fn bad_key_dates_and_a_missing_uncertainty_file_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tiny(&tmp.path().join("tiny"));
    let out = tmp.path().join("out");
    let yml = std::fs::read_to_string(sc.join("scenario.yml")).unwrap();
    std::fs::write(sc.join("scenario.yml"), yml.replace("day: 8,", "day: 80,")).unwrap();
    let err = stderr(&["run", "-q", "-o"], &[&out, &sc]);
    assert!(
        err.contains("key_dates.day") && err.contains("80") && err.contains("outside the run"),
        "{err}"
    );
    std::fs::write(
        sc.join("scenario.yml"),
        yml.replace("space.yml", "nothing.yml"),
    )
    .unwrap();
    let err = stderr(&["run", "-q", "-o"], &[&out, &sc]);
    assert!(
        err.contains("uncertainty") && err.contains("nothing.yml"),
        "{err}"
    );
}

/// `compare.csv` rows of one measure at one day: (a_p5, a_p95, diff_mean, diff_p5, diff_p95).
fn compare_row(table: &str, day: &str, measure: &str) -> Vec<f64> {
    let line = table
        .lines()
        .find(|l| l.starts_with(&format!("{day},")) && l.contains(&format!(",{measure},")))
        .unwrap_or_else(|| panic!("no {measure} on day {day} in {table}"));
    let f: Vec<&str> = line.rsplitn(10, ',').collect();
    // rsplitn: the last 9 numeric fields, reversed.
    let n = |i: usize| f[i].parse::<f64>().unwrap();
    vec![n(7), n(6), n(2), n(1), n(0)]
}

#[test]
fn compare_reports_key_dates_and_an_earlier_exit_displaces_more() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tiny(&tmp.path().join("tiny"));
    let with = tmp.path().join("with");
    let text = stdout(
        &["compare", "-n", "8", "-o"],
        &[&with, &sc, &sc.join("early.yml")],
    );
    assert!(text.contains("2020-01-09 (day 8): key date"), "{text}");
    assert!(text.contains("seeds and the ranges in space.yml"), "{text}");
    let table = std::fs::read_to_string(with.join("compare.csv")).unwrap();
    assert!(table.starts_with(
        "day,date,label,measure,a_mean,a_p5,a_p95,b_mean,b_p5,b_p95,difference_mean,difference_p5,difference_p95\n"
    ));
    let d = compare_row(&table, "8", "displaced (people)");
    assert!(
        d[3] > 0.0,
        "the difference band at the key date should be positive: {d:?}"
    );
    // The last day is always reported.
    assert!(table
        .lines()
        .any(|l| l.starts_with("19,2020-01-20,last day,")));

    let seeds = tmp.path().join("seeds");
    let text = stdout(
        &["compare", "-n", "8", "--seeds-only", "-o"],
        &[&seeds, &sc, &sc.join("early.yml")],
    );
    assert!(text.contains("seeds only"), "{text}");
    let s = compare_row(
        &std::fs::read_to_string(seeds.join("compare.csv")).unwrap(),
        "8",
        "displaced (people)",
    );
    // Sampling the attempt rate widens the band of the difference.
    assert!(
        d[4] - d[3] > s[4] - s[3],
        "ranges {d:?} vs seeds only {s:?}"
    );
}

#[test]
fn report_samples_the_scenario_ranges_by_default_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tiny(&tmp.path().join("tiny"));
    let html = tmp.path().join("r.html");
    let text = stdout(&["report", "-n", "3", "-o"], &[&html, &sc]);
    assert!(
        text.contains("bands: 5–95 % over 3 runs: seeds and the ranges in space.yml"),
        "{text}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("seeds and the ranges in") && page.contains("source&#x27;s interval")
            || page.contains("source's interval")
    );
    let text = stdout(&["report", "-n", "3", "--seeds-only", "-o"], &[&html, &sc]);
    assert!(text.contains("seeds only"), "{text}");
}
