//! Demographics and the age and gender rules (docs/flee-model.md 15) against
//! Flee on `data/flee/reference-ext/demographics` (nigeria2022_adm2, hasten
//! 100, with ChildrenAvoidHazards, BoysTakeRisk, ElderlyAvoidHazards and
//! WomenAvoidHazards on) and its `control` (same, rules off), 5 Flee runs each.
//!
//! * Exact: the deterministic columns of out.csv equal Flee's.
//! * Statistical, over 8 seeds: ARD (normal and rescaled), and the share of
//!   each gender × age band (0-14, 15-18, 19-59, 60+) in a camp on days 30,
//!   60 and 120 (`runs/camp_share_by_group.csv`, from Flee's agent logs by
//!   `tools/demo_camp_share.py`), lie within Flee's mean ± max(3 sd, 0.02).
//!   The group shares are where the rules show: on day 60 men of 19-59 are
//!   0.80 in camps with the rules and 0.88 without, 7 sd apart.

use corridor_analysis::{ard, compare_deterministic, ArdMode, FleeOutput};
use corridor_engine::events::NoObserver;
use corridor_engine::{RunOptions, Simulation};
use corridor_model::Scenario;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CAMPS: [&str; 4] = ["Chad", "Diffa", "Minawao", "Maradi"];
const DAYS: [i64; 3] = [30, 60, 120];

fn feature() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/demographics"
    ))
}

fn load(dir: &Path) -> Scenario {
    let scenario = dir.join("scenario");
    let (sc, _) =
        corridor_io::read_flee_scenario(&scenario, Some(&scenario.join("simsetting.yml")))
            .expect("scenario loads");
    sc
}

fn band(age: f64) -> &'static str {
    match age {
        a if a < 15.0 => "0-14",
        a if a < 19.0 => "15-18",
        a if a < 60.0 => "19-59",
        _ => "60+",
    }
}

/// One run: its out.csv and, per (day, gender, band), the share in camps.
fn run(sc: &Scenario, seed: u64) -> (FleeOutput, BTreeMap<(i64, String, String), f64>) {
    let mut sim = Simulation::new(sc, &RunOptions { seed, days: None }).unwrap();
    let age = sc.demographics.index_of("age").unwrap();
    let gender = sc.demographics.index_of("gender").unwrap();
    let camps: Vec<u32> = CAMPS.iter().map(|c| sc.location_id(c).unwrap()).collect();
    let mut shares = BTreeMap::new();
    loop {
        let t = sim.day();
        if sim.step(&mut NoObserver).unwrap().is_none() {
            break;
        }
        if !DAYS.contains(&t) {
            continue;
        }
        let w = sim.world();
        let mut count: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
        for a in 0..w.agents().len() {
            let g = w.attribute_text(a, gender).unwrap();
            let b = band(w.attribute_text(a, age).unwrap().parse().unwrap());
            let c = count.entry((g, b.to_string())).or_default();
            c.0 += 1.0;
            if w.agents().location(a).is_some_and(|l| camps.contains(&l)) {
                c.1 += 1.0;
            }
        }
        for ((g, b), (all, in_camps)) in count {
            shares.insert((t, g, b), in_camps / all);
        }
    }
    let csv = corridor_io::flee_out_csv(sim.output());
    (
        FleeOutput::from_reader_named(csv.as_bytes(), format!("seed {seed}")).unwrap(),
        shares,
    )
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (m, var.sqrt())
}

fn check(dir: &Path) {
    let sc = load(dir);
    let runs: Vec<_> = (1..9u64).into_par_iter().map(|s| run(&sc, s)).collect();
    let flee: Vec<FleeOutput> = (1..=5)
        .map(|i| FleeOutput::read(dir.join(format!("runs/out_{i}.csv"))).unwrap())
        .collect();
    if let Some(m) = compare_deterministic(&flee[0], &runs[0].0) {
        panic!("{}: deterministic columns differ: {m}", dir.display());
    }
    let mut report = String::new();
    let mut failed = false;
    let mut verdict = |what: String, cm: f64, fm: f64, fsd: f64| {
        let tol = (3.0 * fsd).max(0.02);
        let ok = (cm - fm).abs() <= tol;
        failed |= !ok;
        report += &format!(
            "{what}: corridor {cm:.4}, Flee {fm:.4} ± {fsd:.4}, tolerance {tol:.4} {}\n",
            if ok { "ok" } else { "FAIL" }
        );
    };
    for mode in [ArdMode::Normal, ArdMode::Rescaled] {
        let (fm, fsd) = mean_sd(&flee.iter().map(|o| ard(o, mode)).collect::<Vec<_>>());
        let (cm, _) = mean_sd(&runs.iter().map(|r| ard(&r.0, mode)).collect::<Vec<_>>());
        verdict(format!("ARD {mode:?}"), cm, fm, fsd);
    }
    let table = std::fs::read_to_string(dir.join("runs/camp_share_by_group.csv")).unwrap();
    let mut groups = 0;
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let day: i64 = f[0].parse().unwrap();
        if !DAYS.contains(&day) {
            continue;
        }
        let key = (day, f[1].to_string(), f[2].to_string());
        let ours: Vec<f64> = runs.iter().filter_map(|r| r.1.get(&key).copied()).collect();
        assert_eq!(ours.len(), runs.len(), "group {key:?} missing in a run");
        let (cm, _) = mean_sd(&ours);
        verdict(
            format!("day {day} {} {} in camps", f[1], f[2]),
            cm,
            f[4].parse().unwrap(),
            f[5].parse().unwrap(),
        );
        groups += 1;
    }
    assert_eq!(groups, 24, "{report}");
    println!("{report}");
    assert!(!failed, "{}\n{report}", dir.display());
}

#[test]
fn age_and_gender_rules_match_flee() {
    let sc = load(&feature());
    assert!(sc.settings.BoysTakeRisk && sc.settings.WomenAvoidHazards);
    check(&feature());
}

#[test]
fn demographics_without_rules_match_flee() {
    let sc = load(&feature().join("control"));
    assert!(!sc.settings.BoysTakeRisk && sc.demographics.attributes.len() == 2);
    check(&feature().join("control"));
}
