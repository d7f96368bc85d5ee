//! The runs crate end to end: seed rule, one run, replicates, ensemble
//! statistics and files, summary.json, and publication of a set of files.

use corridor_analysis::FleeOutput;
use corridor_runs::files::{self, ENSEMBLE_CSV, FATES_ENSEMBLE_CSV, REPLICATES_CSV};
use corridor_runs::{
    compare_table, fate_rows, flee_output, load_scenario, replicate_seed, run_replicates,
    run_scenario, thread_pool, EnsembleFiles, EnsembleMember, FateRow, OutputSet, Prepared,
    RunConfig, RunSummary, RunsError,
};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn mali() -> corridor_model::Scenario {
    let config = RunConfig {
        hasten: Some(100),
        days: Some(60),
        ..RunConfig::default()
    };
    load_scenario(&root().join("data/flee/scenarios/mali2012"), &config)
        .unwrap()
        .0
}

fn fallujah() -> corridor_model::Scenario {
    load_scenario(
        &root().join("scenarios/fallujah-2016"),
        &RunConfig::default(),
    )
    .unwrap()
    .0
}

#[test]
fn seed_rule_is_fixed_and_separates_replicates() {
    // The seeds every ensemble file since the first release was written with.
    assert_eq!(replicate_seed(1, 0), 11385487063155714807);
    assert_eq!(replicate_seed(1, 1), 6652587683579779273);
    let seeds: std::collections::HashSet<u64> = (0..1000).map(|i| replicate_seed(7, i)).collect();
    assert_eq!(seeds.len(), 1000);
    assert_ne!(replicate_seed(7, 0), replicate_seed(8, 0));
}

#[test]
fn options_out_of_range_are_errors() {
    let bad = RunConfig {
        hasten: Some(0),
        ..RunConfig::default()
    };
    let e = load_scenario(&root().join("data/flee/scenarios/mali2012"), &bad).unwrap_err();
    assert!(e.to_string().contains("--hasten must be at least 1"), "{e}");
    assert!(matches!(thread_pool(Some(0)), Err(RunsError::Options(_))));
}

#[test]
fn in_memory_table_equals_the_parsed_out_csv() {
    for (scenario, days) in [(mali(), Some(60)), (fallujah(), Some(20))] {
        let run = run_scenario(&scenario, 3, days, &mut |_, _| {}).unwrap();
        let csv = corridor_io::flee_out_csv(&run.output);
        let parsed = FleeOutput::from_reader_named(csv.as_bytes(), "seed 3").unwrap();
        assert_eq!(flee_output(&run.output, "seed 3").unwrap(), parsed);
    }
}

#[test]
fn replicates_do_not_depend_on_the_thread_count() {
    let s = mali();
    let run = |threads| {
        thread_pool(Some(threads))
            .unwrap()
            .install(|| {
                run_replicates(
                    3,
                    5,
                    Some(30),
                    |_, _| Ok(Prepared::shared(&s)),
                    |_| None::<()>,
                    &|| {},
                )
            })
            .unwrap()
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.len(), 3);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((x.replicate, x.seed), (y.replicate, y.seed));
        assert_eq!(x.output, y.output);
    }
    assert_eq!(a[2].seed, replicate_seed(5, 2));
    assert_ne!(a[0].output, a[1].output);
    // A failing preparation names its replicate.
    let e = run_replicates(
        3,
        5,
        Some(30),
        |i, _| {
            if i == 1 {
                Err("no such parameter".into())
            } else {
                Ok(Prepared::shared(&s))
            }
        },
        |_| None::<()>,
        &|| {},
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "replicate 1: no such parameter");
}

fn member(seed: u64, sims: [[i64; 2]; 2], fates: Option<[i64; 7]>) -> EnsembleMember {
    let output = corridor_model::RunOutput {
        camps: vec!["A".into(), "B".into()],
        days: (0..2)
            .map(|t| corridor_model::DayRecord {
                day: t as i64,
                date_epoch_day: t as i64,
                camp_sim: sims[t].to_vec(),
                camp_data: vec![10, 20],
                raw: 30,
                debt: 0,
                total_agents: 40,
                idp_total: None,
            })
            .collect(),
    };
    let fates = fates.map(|people| {
        (0..2)
            .map(|t| FateRow {
                day: t,
                date: format!("1970-01-0{}", t + 1),
                people,
            })
            .collect()
    });
    EnsembleMember::new(seed, vec![seed as f64 / 10.0], &output, fates).unwrap()
}

#[test]
fn ensemble_statistics_and_schemas() {
    let members = vec![
        member(1, [[1, 2], [10, 20]], Some([1, 2, 3, 4, 5, 6, 7])),
        member(2, [[2, 4], [20, 40]], Some([3, 2, 3, 4, 5, 6, 7])),
        member(3, [[3, 6], [30, 60]], Some([5, 2, 3, 4, 5, 6, 7])),
        member(4, [[4, 8], [40, 80]], Some([7, 2, 3, 4, 5, 6, 7])),
    ];
    let f = EnsembleFiles::new(members.clone(), &["x.y".into()]).unwrap();
    let lines: Vec<&str> = f.ensemble_csv.lines().collect();
    assert_eq!(lines[0], "day,camp,data,mean,sd,p5,p50,p95");
    // Camp A, day 0: 1..4 → mean 2.5, sd 1.291, p5 1.15, p50 2.5, p95 3.85.
    assert_eq!(lines[1], "0,A,10,2.500,1.291,1.15,2.5,3.8499999999999996");
    assert_eq!(lines.len(), 1 + 2 * 2);
    let reps: Vec<&str> = f.replicates_csv.lines().collect();
    assert_eq!(reps[0], "replicate,seed,ard_normal,ard_rescaled,x.y");
    assert!(
        reps[1].starts_with("0,1,") && reps[1].ends_with(",0.1"),
        "{}",
        reps[1]
    );
    assert_eq!(reps.len(), 5);
    let fates = f.fates_csv.as_deref().unwrap();
    let fl: Vec<&str> = fates.lines().collect();
    assert_eq!(fl[0], "day,date,fate,mean,p5,p95");
    assert_eq!(fl[1], "0,1970-01-01,trapped,4.0,1.3,6.699999999999999");
    assert_eq!(fl.len(), 1 + 2 * 7);
    // Without parameters the schema is the same, less the parameter columns.
    let plain: Vec<EnsembleMember> = members
        .into_iter()
        .map(|m| EnsembleMember {
            params: vec![],
            fates: None,
            ..m
        })
        .collect();
    let p = EnsembleFiles::new(plain, &[]).unwrap();
    assert!(p
        .replicates_csv
        .starts_with("replicate,seed,ard_normal,ard_rescaled\n0,1,"));
    assert!(p.fates_csv.is_none());
}

#[test]
fn the_sd_of_a_single_run_is_an_empty_field() {
    let f = EnsembleFiles::new(vec![member(1, [[1, 2], [3, 4]], None)], &[]).unwrap();
    assert!(f.bands[0].sd[0].is_nan());
    assert_eq!(
        f.ensemble_csv.lines().nth(1).unwrap(),
        "0,A,10,1.000,,1,1,1"
    );
}

#[test]
fn compare_pairs_replicates() {
    let a = vec![vec![("x".to_string(), 1.0)], vec![("x".to_string(), 3.0)]];
    let b = vec![
        vec![("y".to_string(), 0.0), ("x".to_string(), 2.0)],
        vec![("y".to_string(), 0.0), ("x".to_string(), 7.0)],
    ];
    let rows = compare_table(&a, &b);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!((r.a_mean, r.b_mean, r.difference_mean), (2.0, 4.5, 2.5));
    assert!((r.difference_p5 - 1.15).abs() < 1e-12 && (r.difference_p95 - 3.85).abs() < 1e-12);
}

#[test]
fn summary_json_round_trips_with_sorted_keys() {
    let s = fallujah();
    let run = run_scenario(&s, 2, Some(10), &mut |_, _| {}).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let written = files::write_run(&dir, &s, 2, &run).unwrap();
    assert!(written.siege.is_some() && written.seed == Some(2) && written.days == 10);
    let text = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    let read = RunSummary::read(&dir.join("summary.json")).unwrap();
    assert_eq!(read, written);
    assert_eq!(read.to_json().unwrap(), text);
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \"") && !l.starts_with("   "))
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), 12);
    assert!(dir.join("fates.csv").is_file() && dir.join("out.csv").is_file());
    assert_eq!(
        fate_rows(written.siege.as_ref().unwrap()).len(),
        10,
        "one fate row per day"
    );
    // An older file with fewer fields still reads; a file of another kind does not.
    let old = RunSummary::from_json(r#"{"seed": 4, "siege": null}"#, Path::new("old")).unwrap();
    assert_eq!((old.seed, old.agents), (Some(4), 0));
    let e = RunSummary::from_json("42", Path::new("x/summary.json")).unwrap_err();
    assert!(
        e.to_string()
            .contains("x/summary.json: not a corridor summary.json"),
        "{e}"
    );
}

#[test]
fn a_failed_set_leaves_the_previous_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let mut first = OutputSet::new(&dir).unwrap();
    first.add("a.csv", b"old a").unwrap();
    first.add("sub/b.csv", b"old b").unwrap();
    first.publish().unwrap();
    assert_eq!(std::fs::read(dir.join("sub/b.csv")).unwrap(), b"old b");

    let mut second = OutputSet::new(&dir).unwrap();
    second.add("a.csv", b"new a").unwrap();
    let e = second
        .add_with("sub/b.csv", |_| Err(std::io::Error::other("disk full")))
        .unwrap_err();
    assert!(e.to_string().contains("disk full"), "{e}");
    drop(second);
    assert_eq!(std::fs::read(dir.join("a.csv")).unwrap(), b"old a");
    assert_eq!(std::fs::read(dir.join("sub/b.csv")).unwrap(), b"old b");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
}

#[test]
fn a_set_that_fails_while_publishing_leaves_the_whole_previous_set() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let mut first = OutputSet::new(&dir).unwrap();
    first.add("a.csv", b"old a").unwrap();
    first.add("b.csv", b"old b").unwrap();
    first.publish().unwrap();
    // A folder where the set puts a file: the set fails before moving anything.
    std::fs::create_dir_all(dir.join("c.csv")).unwrap();
    let mut second = OutputSet::new(&dir).unwrap();
    second.add("a.csv", b"new a").unwrap();
    second.add("c.csv", b"new c").unwrap();
    let e = second.publish().unwrap_err();
    assert!(e.to_string().contains("c.csv"), "{e}");
    assert_eq!(std::fs::read(dir.join("a.csv")).unwrap(), b"old a");
    // A file where the set needs a folder: a.csv and b.csv are moved in
    // first, then sub/d.csv fails; both are put back as they were.
    std::fs::remove_dir(dir.join("c.csv")).unwrap();
    std::fs::write(dir.join("sub"), b"a file, not a folder").unwrap();
    let mut third = OutputSet::new(&dir).unwrap();
    third.add("a.csv", b"new a").unwrap();
    third.add("b.csv", b"new b").unwrap();
    third.add("new.csv", b"new").unwrap();
    third.add("sub/d.csv", b"new d").unwrap();
    assert!(third.publish().is_err());
    assert_eq!(std::fs::read(dir.join("a.csv")).unwrap(), b"old a");
    assert_eq!(std::fs::read(dir.join("b.csv")).unwrap(), b"old b");
    assert!(
        !dir.join("new.csv").exists(),
        "a file new in the failed set is removed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
}

#[test]
fn stale_temporary_folders_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    // A folder left by a killed process (no process has pid 4194305 > pid_max)
    // and one of a process still running (this one) with another counter.
    let dead = tmp.path().join(".out.corridor-tmp-4194305-0");
    let alive = tmp
        .path()
        .join(format!(".out.corridor-tmp-{}-999", std::process::id()));
    std::fs::create_dir_all(&dead).unwrap();
    std::fs::create_dir_all(&alive).unwrap();
    let mut set = OutputSet::new(&dir).unwrap();
    set.add(ENSEMBLE_CSV, b"x").unwrap();
    set.publish().unwrap();
    if Path::new("/proc/self").exists() {
        assert!(!dead.exists(), "the killed run's folder is removed");
    }
    assert!(alive.exists(), "a running process's folder is kept");
    assert!(dir.join(ENSEMBLE_CSV).is_file());
    assert!(!dir.join(REPLICATES_CSV).exists() && !dir.join(FATES_ENSEMBLE_CSV).exists());
}
