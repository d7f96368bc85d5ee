//! Acceptance against Flee's own outputs in `data/flee/reference/`.
//!
//! * Exact: the deterministic columns of out.csv (camp data, data total,
//!   agents created, raw count, debt) equal Flee's, row by row.
//! * Statistical: over 10 seeds, corridor's mean ARD (normal and rescaled)
//!   lies within Flee's mean ± max(3 sd, 0.02), and each camp's share of the
//!   final in-camp population agrees with Flee's within a tolerance derived
//!   from the spread of both ensembles.
//!
//! Why these tolerances: the reference sd comes from 3–5 runs only, and a fresh
//! Flee run of mali2012 at hasten 10 landed 0.010 from the mean of the others,
//! so 3 sd alone can be far too tight; 0.02 is the floor the issue sets. For
//! per-camp shares the floor is 2 percentage points of the in-camp total.
//!
//! These run in release mode in CI (`cargo test --release`): a hasten-10 run
//! takes well under a second.

mod common;

use corridor_analysis::{ard, compare_deterministic, ArdMode, FleeOutput};
use corridor_engine::RunOptions;
use rayon::prelude::*;
use std::path::PathBuf;

fn flee_data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/flee"))
}

fn reference_files(scenario: &str, hasten: u32) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(flee_data().join("reference"))
        .expect("data/flee/reference must exist in the repository")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            n.starts_with(&format!("rep_h{hasten}_{scenario}_")) && n.ends_with(".csv")
        })
        .collect();
    v.sort();
    v
}

/// Runs corridor on a scenario at the hasten of `val_h<hasten>.yml`.
fn corridor_runs(
    scenario: &str,
    hasten: u32,
    seeds: std::ops::Range<u64>,
    days: Option<u32>,
) -> Vec<FleeOutput> {
    corridor_runs_with(scenario, hasten, seeds, days, 1)
}

/// [`corridor_runs`] with `capacity_count_block` set to `block`.
fn corridor_runs_with(
    scenario: &str,
    hasten: u32,
    seeds: std::ops::Range<u64>,
    days: Option<u32>,
    block: i64,
) -> Vec<FleeOutput> {
    let mut sc = common::flee_scenario(scenario, hasten);
    assert_eq!(sc.settings.hasten, hasten as i64);
    sc.settings.capacity_count_block = block;
    seeds
        .into_par_iter()
        .map(|seed| {
            let (out, _) =
                corridor_engine::run(&sc, &RunOptions { seed, days }).expect("run succeeds");
            let csv = corridor_io::flee_out_csv(&out);
            FleeOutput::from_reader_named(csv.as_bytes(), format!("{scenario} seed {seed}"))
                .unwrap()
        })
        .collect()
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
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

fn check_exact(scenario: &str, hasten: u32) {
    let refs = reference_files(scenario, hasten);
    assert!(
        !refs.is_empty(),
        "no reference files for {scenario} h{hasten}"
    );
    let expected = FleeOutput::read(&refs[0]).unwrap();
    let days = expected.num_days() as u32;
    let ours = corridor_runs(scenario, hasten, 1..2, Some(days));
    if let Some(m) = compare_deterministic(&expected, &ours[0]) {
        panic!(
            "{scenario} h{hasten}: deterministic columns differ from {}: {m}",
            refs[0].display()
        );
    }
}

fn check_statistics(scenario: &str, hasten: u32) {
    check_statistics_with(scenario, hasten, 1);
}

/// Flee's reference runs against 10 of corridor's with
/// `capacity_count_block` set to `block`.
fn check_statistics_with(scenario: &str, hasten: u32, block: i64) {
    let refs: Vec<FleeOutput> = reference_files(scenario, hasten)
        .iter()
        .map(|p| FleeOutput::read(p).unwrap())
        .collect();
    let ours = corridor_runs_with(scenario, hasten, 1..11, None, block);
    let label = if block == 1 {
        String::new()
    } else {
        format!(" (capacity counts per block of {block})")
    };
    let report = compare_spread(
        &format!("{scenario} h{hasten}{label}"),
        "Flee",
        &refs,
        &ours,
    );
    eprintln!("{}", report.0);
    assert!(!report.1, "statistical agreement failed:\n{}", report.0);
}

/// Compares the ARD (normal and rescaled) and the final camp shares of
/// `ours` with the spread of `refs`: a report and whether any check failed.
fn compare_spread(
    title: &str,
    reference: &str,
    refs: &[FleeOutput],
    ours: &[FleeOutput],
) -> (String, bool) {
    let mut report = String::new();
    let mut failed = false;
    for mode in [ArdMode::Normal, ArdMode::Rescaled] {
        let (rm, rsd) = mean_sd(&refs.iter().map(|o| ard(o, mode)).collect::<Vec<_>>());
        let (cm, csd) = mean_sd(&ours.iter().map(|o| ard(o, mode)).collect::<Vec<_>>());
        let tol = (3.0 * rsd).max(0.02);
        let ok = (cm - rm).abs() <= tol;
        failed |= !ok;
        report += &format!(
            "{title} ARD {mode:?}: {reference} {rm:.4} ± {rsd:.4} (n={}), corridor {cm:.4} ± {csd:.4} (n={}), tolerance {tol:.4} {}\n",
            refs.len(),
            ours.len(),
            if ok { "ok" } else { "FAIL" }
        );
    }
    let ref_shares: Vec<Vec<f64>> = refs.iter().map(final_shares).collect();
    let our_shares: Vec<Vec<f64>> = ours.iter().map(final_shares).collect();
    for (c, camp) in refs[0].camps().iter().enumerate() {
        let (rm, rsd) = mean_sd(&ref_shares.iter().map(|s| s[c]).collect::<Vec<_>>());
        let (cm, csd) = mean_sd(&our_shares.iter().map(|s| s[c]).collect::<Vec<_>>());
        let se = (rsd * rsd / refs.len() as f64 + csd * csd / ours.len() as f64).sqrt();
        let tol = (4.0 * se).max(0.02);
        let ok = (cm - rm).abs() <= tol;
        failed |= !ok;
        report += &format!(
            "  {:<24} final share {reference} {rm:.4} ± {rsd:.4}, corridor {cm:.4} ± {csd:.4}, tolerance {tol:.4} {}\n",
            camp.name,
            if ok { "ok" } else { "FAIL" }
        );
    }
    (report, failed)
}

/// The block size whose agreement with Flee the tests check: at 4,096,
/// burundi2015's rescaled ARD at hasten 100 leaves Flee's spread, and with
/// whole passes (32,768 and more) its ARD at hasten 10 does (README, "One
/// run on every core").
const BLOCK: i64 = 512;

macro_rules! scenario_tests {
    ($($name:ident: $scenario:literal),*) => {
        mod exact {
            use super::*;
            $(
                #[test]
                fn $name() {
                    for h in [10, 100] {
                        check_exact($scenario, h);
                    }
                }
            )*
        }
        mod statistics {
            use super::*;
            $(
                #[test]
                fn $name() {
                    for h in [10, 100] {
                        check_statistics($scenario, h);
                    }
                }
            )*
        }
        /// With `capacity_count_block` at [`BLOCK`] (capacity factors from
        /// the counts as each block of candidates began), the same checks
        /// against Flee.
        mod capacity_count_blocks {
            use super::*;
            $(
                #[test]
                fn $name() {
                    for h in [10, 100] {
                        check_statistics_with($scenario, h, BLOCK);
                    }
                }
            )*
        }
    };
}

scenario_tests!(
    burundi2015: "burundi2015",
    car2013: "car2013",
    mali2012: "mali2012",
    ssudan2013: "ssudan2013",
    nigeria2022_adm2: "nigeria2022_adm2"
);

#[test]
fn exact_mali2012_hasten1() {
    check_exact("mali2012", 1);
}

/// ukraine2022's reference is one run at hasten 100 that stops at day 541;
/// only its deterministic columns are an oracle. Its first 60 days are enough
/// to exercise the 23.6 M-person data handling without a long run.
#[test]
fn exact_ukraine2022_first_days() {
    let refs = reference_files("ukraine2022", 100);
    let expected = FleeOutput::read(&refs[0]).unwrap();
    let ours = corridor_runs("ukraine2022", 100, 1..2, Some(60));
    let truncated = {
        let csv = std::fs::read_to_string(&refs[0]).unwrap();
        let head: Vec<&str> = csv.lines().take(61).collect();
        FleeOutput::from_reader(head.join("\n").as_bytes()).unwrap()
    };
    let _ = expected;
    if let Some(m) = compare_deterministic(&truncated, &ours[0]) {
        panic!("ukraine2022: {m}");
    }
}

/// ukraine2022 has one Flee run, so no spread to compare with; its camps
/// fill up, which is where `capacity_count_block` matters. corridor with
/// blocks of [`BLOCK`] is compared with corridor with live counts (which
/// agrees with Flee elsewhere), 8 seeds each over the first 300 days, by the
/// checks used against Flee.
#[test]
fn ukraine2022_capacity_count_blocks_agree_with_live_counts() {
    let live = corridor_runs_with("ukraine2022", 100, 1..9, Some(300), 1);
    let blocks = corridor_runs_with("ukraine2022", 100, 101..109, Some(300), BLOCK);
    let title = format!("ukraine2022 h100, 300 days, blocks of {BLOCK} against live counts");
    let (report, failed) = compare_spread(&title, "live counts", &live, &blocks);
    eprintln!("{report}");
    assert!(!failed, "statistical agreement failed:\n{report}");
}
