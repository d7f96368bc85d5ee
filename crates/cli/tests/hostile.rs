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
