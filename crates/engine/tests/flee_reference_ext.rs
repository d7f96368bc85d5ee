//! Acceptance against Flee's outputs for its other models, in
//! `data/flee/reference-ext/` (5 unseeded Flee runs each; NOTES.md there says
//! how they were made):
//!
//! * `conflict_spawning`: FabFlee's nigeria2024 (pop_ratio conflict-driven
//!   spawning) at hasten 1000;
//! * `location_changes`: Flee's test data with `location_changes.csv`;
//! * `dflee`: FabFlee's dflee_example, and `dflee/extra_Ethiopia_dflee`
//!   (a location name repeated, resolved as Flee's name map does); Flee's
//!   crash on `dflee/failed_Nigeria_dflee` is an error here.
//!
//! Exact: the deterministic columns of out.csv (camp data, data total, agents
//! created, raw count, debt) equal Flee's row by row. In conflict-driven mode
//! spawning is deterministic, so "agents created" is the spawning itself.
//!
//! Statistical, over 10 seeds: corridor's mean ARD (normal and rescaled) and
//! each camp's mean share of the final in-camp population lie within Flee's
//! mean ± max(3 sd, 0.02), the rule of `flee_reference.rs` (the reference sd
//! comes from 5 runs, so 3 sd alone can be too tight; 0.02 is the floor the
//! issue sets). In conflict-driven mode Flee writes `refugees in camps
//! (UNHCR)` = 0, so its ARD is degenerate (normal: an absolute count,
//! rescaled: a constant, NOTES.md); it is still compared, as FabFlee reports
//! it, and so is the ARD normalised by the camp data (`tools/ard_datasum.py`).

mod common;

use corridor_analysis::{ard, compare_deterministic, ArdMode, FleeOutput};
use corridor_engine::RunOptions;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn feature_dir(feature: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext"
    ))
    .join(feature)
}

fn flee_runs(feature: &str) -> Vec<FleeOutput> {
    (1..=5)
        .map(|i| {
            let p = feature_dir(feature).join(format!("runs/out_{i}.csv"));
            FleeOutput::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect()
}

fn corridor_runs(feature: &str, seeds: std::ops::Range<u64>) -> Vec<FleeOutput> {
    let dir = feature_dir(feature).join("scenario");
    let (sc, _) = corridor_io::read_flee_scenario(&dir, None).expect("scenario loads");
    seeds
        .into_par_iter()
        .map(|seed| {
            let (out, _) =
                corridor_engine::run(&sc, &RunOptions { seed, days: None }).expect("run succeeds");
            let csv = corridor_io::flee_out_csv(&out);
            FleeOutput::from_reader_named(csv.as_bytes(), format!("{feature} seed {seed}")).unwrap()
        })
        .collect()
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, var.sqrt())
}

fn final_shares(o: &FleeOutput) -> Vec<f64> {
    let last = o.num_days() - 1;
    let total: f64 = o.camps().iter().map(|c| c.sim[last]).sum();
    o.camps()
        .iter()
        .map(|c| c.sim[last] / total.max(1.0))
        .collect()
}

/// FabFlee's ARD with the per-day sum of the camp data as the denominator
/// (`tools/ard_datasum.py`): meaningful where `refugees in camps (UNHCR)` is 0.
fn ard_datasum(o: &FleeOutput) -> f64 {
    let days = o.num_days();
    let mut sum = 0.0;
    for t in 0..days {
        let u: f64 = o.camps().iter().map(|c| c.data[t]).sum();
        let diff: f64 = o.camps().iter().map(|c| (c.sim[t] - c.data[t]).abs()).sum();
        sum += diff / u.max(1.0);
    }
    sum / days as f64
}

/// [`ard_datasum`] with the simulated columns rescaled to the data's sum
/// each day (`tools/ard_datasum.py`'s "rescaled").
fn ard_datasum_rescaled(o: &FleeOutput) -> f64 {
    let days = o.num_days();
    let mut sum = 0.0;
    for t in 0..days {
        let u: f64 = o.camps().iter().map(|c| c.data[t]).sum();
        let s: f64 = o.camps().iter().map(|c| c.sim[t]).sum();
        let scale = if s > 0.0 { u / s } else { 0.0 };
        let diff: f64 = o
            .camps()
            .iter()
            .map(|c| (c.sim[t] * scale - c.data[t]).abs())
            .sum();
        sum += diff / u.max(1.0);
    }
    sum / days as f64
}

fn within(report: &mut String, what: &str, flee: &[f64], ours: &[f64]) -> bool {
    let (rm, rsd) = mean_sd(flee);
    let (cm, csd) = mean_sd(ours);
    let tol = (3.0 * rsd).max(0.02);
    let ok = (cm - rm).abs() <= tol;
    report.push_str(&format!(
        "{what}: Flee {rm:.4} ± {rsd:.4} (n={}), corridor {cm:.4} ± {csd:.4} (n={}), tolerance {tol:.4} {}\n",
        flee.len(),
        ours.len(),
        if ok { "ok" } else { "FAIL" }
    ));
    ok
}

/// The deterministic columns of `ours` equal those of every Flee run.
fn assert_deterministic_as_flee(feature: &str, flee: &[FleeOutput], ours: &FleeOutput) {
    for (i, f) in flee.iter().enumerate() {
        if let Some(m) = compare_deterministic(f, ours) {
            panic!(
                "{feature}: deterministic columns differ from Flee run {}: {m}",
                i + 1
            );
        }
    }
}

/// Each column's share (`shares` of one run) within Flee's spread, reported
/// as `label(column name)`; whether all are.
fn shares_within(
    report: &mut String,
    flee: &[FleeOutput],
    ours: &[FleeOutput],
    shares: impl Fn(&FleeOutput) -> Vec<f64>,
    label: impl Fn(&str) -> String,
) -> bool {
    let fs: Vec<Vec<f64>> = flee.iter().map(&shares).collect();
    let os: Vec<Vec<f64>> = ours.iter().map(&shares).collect();
    let mut ok = true;
    for (c, camp) in flee[0].camps().iter().enumerate() {
        let a: Vec<f64> = fs.iter().map(|s| s[c]).collect();
        let b: Vec<f64> = os.iter().map(|s| s[c]).collect();
        ok &= within(report, &label(&camp.name), &a, &b);
    }
    ok
}

/// The out.csv of `sc`'s run with seed 7 on `threads` threads.
fn out_csv_on(sc: &corridor_model::Scenario, threads: usize, days: Option<u32>) -> String {
    common::on(threads, || {
        let (out, _) = corridor_engine::run(sc, &RunOptions { seed: 7, days }).unwrap();
        corridor_io::flee_out_csv(&out)
    })
}

/// A number computed from one run's out.csv.
type Metric = fn(&FleeOutput) -> f64;

fn check(feature: &str, extra: &[(&str, Metric)]) {
    let flee = flee_runs(feature);
    let ours = corridor_runs(feature, 1..11);
    assert_deterministic_as_flee(feature, &flee, &ours[0]);
    let mut report = String::new();
    let mut ok = true;
    let mut metrics: Vec<(String, Metric)> = vec![
        ("ARD normal".into(), |o| ard(o, ArdMode::Normal)),
        ("ARD rescaled".into(), |o| ard(o, ArdMode::Rescaled)),
    ];
    metrics.extend(extra.iter().map(|(n, f)| (n.to_string(), *f)));
    for (name, f) in &metrics {
        let a: Vec<f64> = flee.iter().map(f).collect();
        let b: Vec<f64> = ours.iter().map(f).collect();
        ok &= within(&mut report, &format!("{feature} {name}"), &a, &b);
    }
    ok &= shares_within(&mut report, &flee, &ours, final_shares, |name| {
        format!("  {name} final share")
    });
    eprintln!("{report}");
    assert!(ok, "statistical agreement failed:\n{report}");
}

#[test]
fn conflict_driven_spawning_matches_flee() {
    check("conflict_spawning", &[("ARD by data sum", ard_datasum)]);
    // NOTES.md: the agents created, exactly, on some days.
    let ours = &corridor_runs("conflict_spawning", 1..2)[0];
    let total = &ours.totals().total_refugees_sim;
    let want = [
        (10, 74.0),
        (30, 944.0),
        (60, 3113.0),
        (100, 6021.0),
        (200, 11754.0),
    ];
    for (day, n) in want {
        assert_eq!(total[day], n, "day {day}");
    }
    assert_eq!(total[364], 15269.0);
}

#[test]
fn location_changes_match_flee() {
    check("location_changes", &[]);
}

#[test]
fn location_changes_are_read_from_the_scenario_folder() {
    // NOTES.md: Flee reads the copy next to simsetting.yml; the one in input_csv/
    // is identical, so no warning is due.
    let dir = feature_dir("location_changes").join("scenario");
    assert!(Path::new(&dir.join("location_changes.csv")).exists());
    let (sc, warnings) = corridor_io::read_flee_scenario(&dir, None).unwrap();
    assert_eq!(sc.conflicts.type_changes.len(), 2);
    assert!(
        !warnings
            .iter()
            .any(|w| w.message.contains("location_changes")),
        "{warnings:?}"
    );
}

#[test]
fn conflict_driven_spawning_is_the_same_for_any_thread_count() {
    // Poisson counts too: nigeria2024's network with poisson spawning.
    let dir = feature_dir("conflict_spawning").join("scenario");
    let (mut sc, _) = corridor_io::read_flee_scenario(&dir, None).unwrap();
    for mode in [
        corridor_model::SpawnMode::PopRatio,
        corridor_model::SpawnMode::Poisson,
    ] {
        sc.settings.conflict_driven_spawning = Some(corridor_model::ConflictSpawning {
            mode,
            displaced_per_conflict_day: if mode == corridor_model::SpawnMode::Poisson {
                2.0
            } else {
                0.01
            },
        });
        let run = |threads: usize| out_csv_on(&sc, threads, Some(60));
        let one = run(1);
        assert_eq!(one, run(3), "{mode:?}");
        assert!(one.lines().count() == 61);
    }
}

/// Each location's share of the people not on a link (Flee writes every
/// location as a column in flood mode), on `day`.
fn location_shares(o: &FleeOutput, day: usize) -> Vec<f64> {
    let total: f64 = o.camps().iter().map(|c| c.sim[day]).sum();
    o.camps()
        .iter()
        .map(|c| c.sim[day] / total.max(1.0))
        .collect()
}

#[test]
fn dflee_flood_model_matches_flee() {
    // FabFlee's dflee_example: flood-driven spawning (pop_ratio) and flood
    // rules, 9 locations, 11 days. Spawning is deterministic, so the agents
    // created each day are exact (NOTES.md: 780, 1330, ..., 3074); the ARD is
    // degenerate (UNHCR column 0), so the per-location series are compared:
    // each location's share on every day within Flee's mean ± max(3 sd, 0.02).
    let feature = "dflee";
    let flee = flee_runs(feature);
    let ours = corridor_runs(feature, 1..11);
    assert_deterministic_as_flee(feature, &flee, &ours[0]);
    let want = [
        780.0, 1330.0, 1758.0, 2076.0, 2323.0, 2518.0, 2676.0, 2805.0, 2912.0, 3000.0, 3074.0,
    ];
    assert_eq!(ours[0].totals().total_refugees_sim, want);
    let names: Vec<&str> = ours[0].camps().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["C1", "C2", "C3", "F1", "F2", "F3", "T1", "T2", "T3"]
    );
    let mut report = String::new();
    let mut ok = true;
    for day in [0, 1, 2, 5, 10] {
        ok &= shares_within(
            &mut report,
            &flee,
            &ours,
            |o| location_shares(o, day),
            |name| format!("day {day} {name} share"),
        );
    }
    let a: Vec<f64> = flee.iter().map(ard_datasum).collect();
    let b: Vec<f64> = ours.iter().map(ard_datasum).collect();
    // The data-sum ARD is an absolute count over a small data total: its
    // tolerance is relative (Flee's sd is 0.0163 on 6.57, NOTES.md).
    let (rm, rsd) = mean_sd(&a);
    let (cm, _) = mean_sd(&b);
    let tol = (3.0 * rsd).max(0.02 * rm);
    report.push_str(&format!(
        "ARD by data sum: Flee {rm:.4} ± {rsd:.4}, corridor {cm:.4}, tolerance {tol:.4}\n"
    ));
    ok &= (cm - rm).abs() <= tol;
    eprintln!("{report}");
    assert!(ok, "statistical agreement failed:\n{report}");
}

#[test]
fn dflee_ethiopia_with_a_repeated_location_name_matches_flee() {
    // FabFlee's validation_dflee/Ethiopia_dflee (hasten 100, 86 locations,
    // 31 days): `Mustahil` is a camp on line 51 and a flood zone on line 79.
    // Flee's name map keeps the flood zone: its routes, flood levels and both
    // output columns are the flood zone's, the camp is unreachable (NOTES.md).
    let feature = "dflee/extra_Ethiopia_dflee";
    let dir = feature_dir(feature).join("scenario");
    let (sc, warnings) = corridor_io::read_flee_scenario(&dir, None).unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("'Mustahil'") && w.message.contains("lines 51 and 79")),
        "{warnings:?}"
    );
    let mustahil: Vec<usize> = (0..sc.locations.len())
        .filter(|&i| sc.locations[i].name == "Mustahil")
        .collect();
    assert_eq!(mustahil.len(), 2);
    assert_eq!(sc.location_id("Mustahil"), Some(mustahil[1] as u32));
    let linked = |l: usize| {
        sc.routes
            .iter()
            .filter(|r| r.from as usize == l || r.to as usize == l)
            .count()
    };
    assert_eq!(linked(mustahil[0]), 0);
    assert_eq!(linked(mustahil[1]), 32);

    let flee = flee_runs(feature);
    let ours = corridor_runs(feature, 1..11);
    assert_deterministic_as_flee(feature, &flee, &ours[0]);
    // Deterministic spawning: the agents created each day are Flee's, exactly.
    assert_eq!(
        ours[0].totals().total_refugees_sim,
        flee[0].totals().total_refugees_sim
    );
    assert_eq!(
        *ours[0].totals().total_refugees_sim.last().unwrap(),
        40096.0
    );
    let names: Vec<&str> = ours[0].camps().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), 86);
    let cols: Vec<usize> = (0..names.len())
        .filter(|&c| names[c] == "Mustahil")
        .collect();
    assert_eq!(cols.len(), 2);
    for o in &ours {
        // Both columns read the flood zone, so "in camps" counts it twice.
        let (a, b) = (&o.camps()[cols[0]].sim, &o.camps()[cols[1]].sim);
        assert_eq!(a, b);
        let last = o.num_days() - 1;
        assert_eq!(
            o.totals().refugees_in_camps_sim[last],
            o.camps().iter().map(|c| c.sim[last]).sum::<f64>()
        );
    }
    let mut report = String::new();
    let mut ok = true;
    for day in [0, 1, 5, 15, 30] {
        ok &= shares_within(
            &mut report,
            &flee,
            &ours,
            |o| location_shares(o, day),
            |name| format!("day {day} {name} share"),
        );
    }
    // Flee's data-sum ARD, normal 869.36 ± 0.0044 and rescaled 1.4721 ±
    // 0.0052 (NOTES.md), under the project's rule; and FabFlee's own ARD,
    // degenerate here (normal 47081 ± 168: a summed count error; rescaled
    // the constant 23527.35), as it reports it.
    for (name, f) in [
        ("ARD normal", (|o| ard(o, ArdMode::Normal)) as Metric),
        ("ARD rescaled", |o| ard(o, ArdMode::Rescaled)),
        ("ARD by data sum", ard_datasum),
        ("ARD by data sum, rescaled", ard_datasum_rescaled),
    ] {
        let a: Vec<f64> = flee.iter().map(f).collect();
        let b: Vec<f64> = ours.iter().map(f).collect();
        ok &= within(&mut report, name, &a, &b);
    }
    eprintln!("{report}");
    assert!(ok, "statistical agreement failed:\n{report}");
}

#[test]
fn dflee_nigeria_without_flood_zone_series_is_refused_where_flee_crashes() {
    // FabFlee's Nigeria_dflee: data_layout.csv lists only the camps, and in
    // flood mode every location is an output column, so Flee crashes at
    // set-up on `Gamawaa` (NOTES.md). corridor names the file, the location
    // and the row to add, for every location without one.
    let dir = feature_dir("dflee/failed_Nigeria_dflee").join("scenario");
    let e = corridor_io::read_flee_scenario(&dir, None)
        .expect_err("Flee crashes on this scenario")
        .to_string();
    assert!(e.contains("data_layout.csv"), "{e}");
    assert!(e.contains("'Gamawaa'"), "{e}");
    assert!(e.contains("in flood mode"), "{e}");
    assert!(e.contains("add a row `Gamawaa,<file>.csv`"), "{e}");
}

#[test]
fn dflee_is_the_same_for_any_thread_count() {
    let dir = feature_dir("dflee").join("scenario");
    let (mut sc, _) = corridor_io::read_flee_scenario(&dir, None).unwrap();
    for mode in [
        corridor_model::SpawnMode::PopRatio,
        corridor_model::SpawnMode::Poisson,
    ] {
        let f = sc.settings.flood_driven_spawn_mode.as_mut().unwrap();
        f.mode = mode;
        if mode == corridor_model::SpawnMode::Poisson {
            f.displaced_per_flood_day = vec![0.0, 30.0, 60.0, 90.0, 120.0];
        }
        let run = |threads: usize| out_csv_on(&sc, threads, None);
        let one = run(1);
        assert_eq!(one, run(2), "{mode:?}");
        assert_eq!(one, run(8), "{mode:?}");
    }
}
