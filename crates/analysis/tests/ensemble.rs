//! Ensemble bands over Flee's mali2012 hasten-1 replicates.

mod common;

use common::{groups, REFERENCE_DIR};
use corridor_analysis::{AnalysisError, ArdMode, Ensemble};

fn mali_h1() -> Ensemble {
    let files = &groups()[&("mali2012".to_string(), "h1".to_string())];
    assert_eq!(files.len(), 5);
    Ensemble::read(files.iter().map(|f| &f.path)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn bands_are_ordered_and_consistent() {
    let e = mali_h1();
    assert_eq!(e.len(), 5);
    let bands = e.sim_bands().unwrap();
    assert_eq!(bands.len(), e.runs()[0].camps().len());
    for (b, camp) in bands.iter().zip(e.runs()[0].camps()) {
        assert_eq!(b.name, camp.name);
        assert_eq!(b.data, camp.data);
        for t in 0..e.days().len() {
            assert!(
                b.min[t] <= b.p5[t]
                    && b.p5[t] <= b.p50[t]
                    && b.p50[t] <= b.p95[t]
                    && b.p95[t] <= b.max[t]
                    && b.min[t] <= b.mean[t]
                    && b.mean[t] <= b.max[t]
                    && b.sd[t] >= 0.0,
                "{} day {t}",
                b.name
            );
            let values: Vec<f64> = e
                .runs()
                .iter()
                .map(|r| r.camp(&b.name).unwrap().sim[t])
                .collect();
            let lo = values.iter().cloned().fold(f64::INFINITY, f64::min);
            assert_eq!(b.min[t], lo);
        }
    }
    // summary.md: mali2012 h1 ends with 87665 agents in camps on average.
    let last = e.days().len() - 1;
    let in_camps: f64 = bands.iter().map(|b| b.mean[last]).sum();
    assert!((in_camps - 87665.0).abs() <= 0.5, "{in_camps}");
    // Rescaled bands: the camp means add up to the data total every day.
    let rescaled = e.rescaled_sim_bands().unwrap();
    let u = &e.runs()[0].totals().refugees_in_camps_unhcr;
    for (t, &ut) in u.iter().enumerate() {
        let s: f64 = rescaled.iter().map(|b| b.mean[t]).sum();
        assert!((s - ut).abs() <= 1e-6 * ut.max(1.0), "day {t}: {s} vs {ut}");
    }
}

#[test]
fn ard_summary_matches_summary_md() {
    let e = mali_h1();
    let s = e.ard_summary(ArdMode::Rescaled).unwrap();
    assert_eq!(s.n, 5);
    assert_eq!(format!("{:.4}", s.mean), "0.3149");
    assert_eq!(format!("{:.4}", s.sd), "0.0007");
    assert!(s.min <= s.p5 && s.p95 <= s.max);
    let n = e.ard_summary(ArdMode::Normal).unwrap();
    assert_eq!(format!("{:.4}", n.mean), "0.3462");
}

#[test]
fn mixing_scenarios_is_refused() {
    let err = Ensemble::read([
        format!("{REFERENCE_DIR}/rep_h1_mali2012_1.csv"),
        format!("{REFERENCE_DIR}/rep_h100_burundi2015_0.csv"),
    ])
    .unwrap_err();
    assert!(matches!(
        err,
        AnalysisError::IncompatibleRun { index: 1, .. }
    ));
    assert!(err.to_string().contains("burundi2015"), "{err}");
    // A missing file is reported with its path.
    let err = Ensemble::read([format!("{REFERENCE_DIR}/rep_h1_nowhere_1.csv")]).unwrap_err();
    assert!(err.to_string().contains("rep_h1_nowhere_1.csv"), "{err}");
}
