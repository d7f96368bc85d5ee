//! Hostile and careless input to the binary (issue 14): each class fails at
//! once with a clear message (or finishes), never with a panic, an abort or
//! a runaway.

mod common;
use common::{corridor, flee_data, repo};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Runs `corridor` with `args`, expects a failure, returns stderr.
fn fails(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = corridor();
    c.args(args).timeout(Duration::from_secs(60));
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("memory allocation"), "{err}");
    err
}

fn mali() -> String {
    flee_data().join("scenarios/mali2012").display().to_string()
}

/// A writable copy of mali2012 in `tmp`.
fn mali_copy(tmp: &Path) -> PathBuf {
    let to = tmp.join("mali2012");
    copy_dir(&flee_data().join("scenarios/mali2012"), &to);
    to
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            let t = to.join(e.file_name());
            std::fs::copy(&p, &t).unwrap();
            let mut perm = std::fs::metadata(&t).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            std::fs::set_permissions(&t, perm).unwrap();
        }
    }
}

#[test]
fn counts_of_zero_and_runaway_thread_counts_are_refused_by_the_parser() {
    let m = mali();
    let err = fails(&["compare", &m, &m, "-n", "0"], &[]);
    assert!(err.contains("at least 1"), "{err}");
    let err = fails(&["ensemble", &m, "-n", "0"], &[]);
    assert!(err.contains("at least 1"), "{err}");
    let err = fails(&["run", &m, "--threads", "100000"], &[]);
    assert!(err.contains("at most 1024 threads"), "{err}");
    let err = fails(&["run", &m, "--threads", "0"], &[]);
    assert!(err.contains("at least 1"), "{err}");
}

#[test]
fn zero_days_is_refused_and_keeps_the_previous_out_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    corridor()
        .args(["run", &mali(), "-q", "--days", "5", "-o"])
        .arg(&out)
        .assert()
        .success();
    let before = std::fs::read(out.join("out.csv")).unwrap();
    let err = fails(
        &["run", &mali(), "--days", "0", "-o", out.to_str().unwrap()],
        &[],
    );
    assert!(err.contains("--days"), "{err}");
    assert_eq!(before, std::fs::read(out.join("out.csv")).unwrap());
}

#[test]
fn an_unusable_output_path_fails_before_anything_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let below = file.join("sub");
    let (f, b) = (file.to_str().unwrap(), below.to_str().unwrap());
    let m = mali();
    for args in [
        vec!["run", &m, "-o", b],
        vec!["run", &m, "-o", f],
        vec!["ensemble", &m, "-n", "2", "-o", b],
        vec!["calibrate", &m, "--space", "space.yml", "-o", b],
        vec!["sensitivity", &m, "--space", "space.yml", "-o", b],
        vec!["export-geojson", &m, "-o", b],
        vec!["validate", "missing.csv", "-o", b],
        vec!["validate", "missing.csv", "--csv", b],
    ] {
        let start = std::time::Instant::now();
        let err = fails(&args, &[]);
        assert!(err.contains("a-file"), "{args:?}: {err}");
        assert!(err.contains("hint:"), "{args:?}: {err}");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{args:?} ran first"
        );
    }
}

#[test]
fn a_huge_count_in_a_data_file_stops_at_the_agent_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = mali_copy(tmp.path());
    let p = dir.join("source_data/bf-mentao.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen(",4091", ",99500000000", 1)).unwrap();
    let out = tmp.path().join("o");
    let err = fails(
        &[
            "run",
            dir.to_str().unwrap(),
            "-q",
            "-o",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert!(err.contains("above the limit of 200000000"), "{err}");
    assert!(err.contains("CORRIDOR_MAX_AGENTS"), "{err}");
    // The limit can be lowered (and raised) for one process.
    let err = fails(
        &["run", &mali(), "-q", "-o", out.to_str().unwrap()],
        &[("CORRIDOR_MAX_AGENTS", "1000")],
    );
    assert!(err.contains("above the limit of 1000"), "{err}");
}

#[test]
fn a_huge_siege_population_stops_at_the_agent_limit() {
    let out = tempfile::tempdir().unwrap();
    let fallujah = repo().join("scenarios/fallujah-2016");
    let err = fails(
        &[
            "run",
            fallujah.to_str().unwrap(),
            "-q",
            "-o",
            out.path().to_str().unwrap(),
        ],
        &[("CORRIDOR_MAX_AGENTS", "100")],
    );
    assert!(
        err.contains("day 0") && err.contains("above the limit of 100"),
        "{err}"
    );
}

#[test]
fn input_files_have_a_size_limit() {
    let out = tempfile::tempdir().unwrap();
    let err = fails(
        &["run", &mali(), "-q", "-o", out.path().to_str().unwrap()],
        &[("CORRIDOR_MAX_INPUT_MB", "0")],
    );
    assert!(err.contains("input limit of 0 MiB"), "{err}");
    assert!(err.contains("CORRIDOR_MAX_INPUT_MB"), "{err}");
}

#[test]
fn zero_length_route_cycles_end_the_day() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = mali_copy(tmp.path());
    let routes = dir.join("input_csv/routes.csv");
    let text = std::fs::read_to_string(&routes).unwrap();
    let zeroed: Vec<String> = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            if l.starts_with('#') || f.len() < 3 {
                l.to_string()
            } else {
                let mut f = f.clone();
                f[2] = "0";
                f.join(",")
            }
        })
        .chain(std::iter::once("Mopti,Mopti,0,0".to_string()))
        .collect();
    std::fs::write(&routes, zeroed.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("simsetting.yml"), "move_rules:\n  softening: 0\n").unwrap();
    corridor()
        .args(["run", dir.to_str().unwrap(), "-q", "--days", "30", "-o"])
        .arg(tmp.path().join("o"))
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
}

#[test]
fn hasten_on_a_siege_scenario_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let fallujah = repo().join("scenarios/fallujah-2016");
    let err = fails(
        &[
            "run",
            fallujah.to_str().unwrap(),
            "--hasten",
            "10",
            "-o",
            out.path().to_str().unwrap(),
        ],
        &[],
    );
    assert!(err.contains("not supported for a siege"), "{err}");
    assert!(err.contains("people_per_agent"), "{err}");
}

// ---------------------------------------------------------------------------
// Issue 14, second half: `corridor check`, interventions that cannot apply.

/// The toy siege scenario of the readers' fuzzing corpus, copied into `tmp`.
fn toy_siege(tmp: &Path) -> PathBuf {
    let to = tmp.join("siege");
    copy_dir(&repo().join("crates/io/tests/fuzz-corpus/siege"), &to);
    to
}

/// Runs `corridor check` with `args`: (exit status, stdout).
fn check(args: &[&str]) -> (i32, String) {
    let out = corridor()
        .arg("check")
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), stdout)
}

#[test]
fn check_reports_every_problem_at_once_with_its_exit_status() {
    // Clean: status 0.
    let fallujah = repo().join("scenarios/fallujah-2016");
    let (code, out) = check(&[fallujah.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");

    // Warnings only (car2013's camp Bili has no route from a conflict zone):
    // status 0, or 1 under --strict.
    let car = flee_data().join("scenarios/car2013");
    let (code, out) = check(&[car.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("camp 'Bili' is unreachable"), "{out}");
    let (code, _) = check(&[car.to_str().unwrap(), "--strict"]);
    assert_eq!(code, 1);

    // Three faulty entries: all three reported, each at its line; status 2.
    let tmp = tempfile::tempdir().unwrap();
    let dir = toy_siege(tmp.path());
    let file = dir.join("scenario.yml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replace(
        "  interventions:\n",
        "  interventions:\n    - {day: 1, action: open_exit, from: City, to: CampA}\n    - {day: 1, action: set_attempt_rate, location: Bank, value: 0.5}\n    - {day: 12, action: lift_siege, location: City}\n",
    );
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    std::fs::write(&file, &text).unwrap();
    let (code, out) = check(&[dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    for (needle, says) in [
        ("to: CampA}", "no exit City → CampA"),
        ("location: Bank", "'Bank' is not a held place"),
        ("day: 12", "outside the run"),
    ] {
        let at = format!("scenario.yml:{}:", line(needle));
        assert!(
            out.lines().any(|l| l.contains(&at) && l.contains(says)),
            "no {at} {says} in:\n{out}"
        );
    }
    assert!(out.contains("3 errors"), "{out}");
    // `run` stops on the same checks, at the first.
    let err = fails(
        &[
            "run",
            dir.to_str().unwrap(),
            "-q",
            "-o",
            tmp.path().join("o").to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        err.contains(&format!("scenario.yml:{}:", line("to: CampA}"))),
        "{err}"
    );

    // --days: interventions after the shortened run are announced.
    let (code, out) = check(&[fallujah.to_str().unwrap(), "--days", "20"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("--days 20: the intervention on day 25"),
        "{out}"
    );
}

#[test]
fn the_summary_lists_only_the_interventions_applied_and_what_was_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = toy_siege(tmp.path());
    // A change of the attempt rate after the hold was lifted: legal in the
    // file, without effect in the run.
    let variant = dir.join("late.yml");
    std::fs::write(
        &variant,
        "base: scenario.yml\nname: late\ninterventions:\n  - {day: 1, action: lift_siege, location: City}\n  - {day: 4, action: set_attempt_rate, location: City, value: 0.9}\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let run = corridor()
        .args(["run", variant.to_str().unwrap(), "-q", "--days", "6", "-o"])
        .arg(&out)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let siege = &summary["siege"];
    let applied: Vec<String> = siege["interventions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[1].as_str().unwrap().to_string())
        .collect();
    let skipped: Vec<(i64, String, String)> =
        serde_json::from_value(siege["skipped_interventions"].clone()).unwrap();
    // Day 4's change at City: skipped (no longer held), not applied.
    assert!(
        !applied
            .iter()
            .any(|a| a.contains("attempt rate at City = 0.9")),
        "{applied:?}"
    );
    assert!(
        skipped.iter().any(|(d, what, why)| *d == 4
            && what.contains("= 0.9")
            && why.contains("no longer held")),
        "{skipped:?}"
    );
    // The base's hold end on day 8 and its interventions on days 6 and 7 fall after `--days 6`.
    let after: Vec<i64> = skipped
        .iter()
        .filter(|(_, _, why)| why.contains("the run ends on day 5"))
        .map(|(d, _, _)| *d)
        .collect();
    assert_eq!(after, vec![6, 7], "{skipped:?}");
    // Nothing is listed twice, and every applied one happened within the run.
    for i in siege["interventions"].as_array().unwrap() {
        assert!(i[0].as_i64().unwrap() <= 5, "{i}");
    }
    assert!(stderr.contains("skipped"), "{stderr}");
}

#[test]
fn report_of_a_missing_run_folder_does_not_speak_of_input_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-run");
    let html = tmp.path().join("r.html");
    let err = fails(
        &[
            "report",
            missing.to_str().unwrap(),
            "-o",
            html.to_str().unwrap(),
        ],
        &[],
    );
    assert!(err.contains("no such file or folder"), "{err}");
    assert!(!err.contains("input_csv"), "{err}");
    std::fs::create_dir_all(&missing).unwrap();
    let err = fails(
        &[
            "report",
            missing.to_str().unwrap(),
            "-o",
            html.to_str().unwrap(),
        ],
        &[],
    );
    assert!(err.contains("neither a run's output folder"), "{err}");
}

#[test]
fn validate_of_a_siege_out_csv_prints_the_comparisons_not_an_ard_table() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = toy_siege(tmp.path());
    let out = tmp.path().join("out");
    corridor()
        .args(["run", dir.to_str().unwrap(), "-q", "-o"])
        .arg(&out)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let v = corridor()
        .arg("validate")
        .arg(out.join("out.csv"))
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&v.get_output().stdout).to_string();
    assert!(stdout.contains("observed vs simulated"), "{stdout}");
    assert!(!stdout.contains("ARD norm"), "{stdout}");
}

#[test]
fn check_reports_a_population_above_the_agent_limit() {
    let fallujah = repo().join("scenarios/fallujah-2016");
    let out = corridor()
        .args(["check", fallujah.to_str().unwrap()])
        .env("CORRIDOR_MAX_AGENTS", "100")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("above the limit of 100"), "{stdout}");
    assert!(stdout.contains("CORRIDOR_MAX_AGENTS"), "{stdout}");
}

#[test]
fn check_counts_a_flee_folders_day0_agents_against_the_agent_limit() {
    let run = |limit: &str| {
        corridor()
            .args(["check", &mali()])
            .env("CORRIDOR_MAX_AGENTS", limit)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap()
    };
    // mali2012 places 10838 agents in its camps on day 0.
    let out = run("1000");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("day 0: 10838 new agents") && stdout.contains("above the limit of 1000"),
        "{stdout}"
    );
    assert!(stdout.contains("1 error"), "{stdout}");
    let out = run("10838");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("0 errors"), "{stdout}");
}

#[test]
fn ensemble_and_compare_warn_of_skipped_interventions_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = toy_siege(tmp.path());
    let variant = dir.join("late.yml");
    std::fs::write(
        &variant,
        "base: scenario.yml\nname: late\ninterventions:\n  - {day: 1, action: lift_siege, location: City}\n  - {day: 4, action: set_attempt_rate, location: City, value: 0.9}\n",
    )
    .unwrap();
    let stderr_of = |args: &[&str]| {
        let out = corridor()
            .args(args)
            .timeout(Duration::from_secs(120))
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    let v = variant.to_str().unwrap();
    let base = dir.join("scenario.yml");
    let out = tmp.path().join("out");
    let o = out.to_str().unwrap();
    let day4 = "intervention on day 4 skipped";
    let err = stderr_of(&["ensemble", v, "-n", "3", "--days", "6", "-q", "-o", o]);
    assert_eq!(err.matches(day4).count(), 1, "{err}");
    assert!(err.contains("from day 6 on skipped"), "{err}");
    // compare: each side's warnings, named; the base skips nothing on day 4.
    let err = stderr_of(&[
        "compare",
        v,
        base.to_str().unwrap(),
        "-n",
        "2",
        "--days",
        "6",
        "-q",
        "-o",
        o,
    ]);
    assert_eq!(err.matches(day4).count(), 1, "{err}");
    assert!(err.contains(&format!("late: {day4}")), "{err}");
}
