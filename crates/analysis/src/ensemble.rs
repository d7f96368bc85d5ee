//! Ensembles: several runs of one scenario, summarised per camp and day (uncertainty bands) and
//! per run (ARD spread).

use std::path::Path;

use serde::Serialize;

use crate::error::{AnalysisError, Result};
use crate::metrics::{ard, rescaled_sim, ArdMode};
use crate::output::FleeOutput;
use crate::stats::Summary;

/// Per-day statistics of one quantity over the runs of an ensemble: mean, sd and the
/// 5, 50 and 95 % percentiles.
///
/// This is the one implementation of the ensemble statistics: the ensemble files, the
/// report and [`Ensemble`]'s bands all use [`Summary`]. `sd` is the sample standard
/// deviation; for a single run it is undefined and therefore NaN (files write it as an
/// empty field, JSON as `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Band {
    pub mean: Vec<f64>,
    /// Sample standard deviation (NaN for a single run).
    pub sd: Vec<f64>,
    pub p5: Vec<f64>,
    pub p50: Vec<f64>,
    pub p95: Vec<f64>,
}

impl Band {
    /// `series[run][day]` -> band over the runs, one value per day of the first run.
    /// A day where a value is NaN or missing (a run shorter than the first) gets NaN
    /// statistics: the band is undefined there.
    pub fn from_runs(series: &[Vec<f64>]) -> Band {
        let n_days = series.first().map_or(0, Vec::len);
        let mut b = Band::default();
        let mut sample = vec![0.0; series.len()];
        for t in 0..n_days {
            for (slot, run) in sample.iter_mut().zip(series) {
                *slot = run.get(t).copied().unwrap_or(f64::NAN);
            }
            let (mean, sd, p5, p50, p95) = Summary::from_slice(&sample)
                .map_or((f64::NAN, f64::NAN, f64::NAN, f64::NAN, f64::NAN), |s| {
                    (s.mean, s.sd, s.p5, s.p50, s.p95)
                });
            b.mean.push(mean);
            b.sd.push(sd);
            b.p5.push(p5);
            b.p50.push(p50);
            b.p95.push(p95);
        }
        b
    }

    /// Number of days.
    pub fn len(&self) -> usize {
        self.mean.len()
    }

    /// Whether the band has no day.
    pub fn is_empty(&self) -> bool {
        self.mean.is_empty()
    }
}

/// Per-day statistics of one camp's simulated values over the runs of an [`Ensemble`].
///
/// Every vector has one value per day. `sd` is the sample standard deviation (NaN for a
/// single run); percentiles use numpy's linear interpolation ([`crate::percentile`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampBand {
    pub name: String,
    /// `<camp> data` of the first run (identical in every run of a scenario).
    pub data: Vec<f64>,
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
    pub min: Vec<f64>,
    pub p5: Vec<f64>,
    pub p50: Vec<f64>,
    pub p95: Vec<f64>,
    pub max: Vec<f64>,
}

/// Several runs of the same scenario: same camps in the same order, same `Day` column.
#[derive(Debug, Clone, PartialEq)]
pub struct Ensemble {
    runs: Vec<FleeOutput>,
}

impl Ensemble {
    /// Groups `runs`, checking that each has the camps (names and order) and the `Day` values of
    /// the first. Errors on an empty list or on the first run that does not match.
    pub fn new(runs: Vec<FleeOutput>) -> Result<Ensemble> {
        let first = runs.first().ok_or(AnalysisError::EmptyEnsemble)?;
        for (index, run) in runs.iter().enumerate().skip(1) {
            let reason = if run.camp_names() != first.camp_names() {
                Some(format!(
                    "camps differ: {:?} vs {:?}",
                    run.camp_names(),
                    first.camp_names()
                ))
            } else if run.num_days() != first.num_days() {
                Some(format!(
                    "{} days instead of {}",
                    run.num_days(),
                    first.num_days()
                ))
            } else if run.days() != first.days() {
                let row = run
                    .days()
                    .iter()
                    .zip(first.days())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                Some(format!(
                    "row {} has Day {} instead of {}",
                    row + 1,
                    run.days()[row],
                    first.days()[row]
                ))
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(AnalysisError::IncompatibleRun {
                    index,
                    file: run.source().to_string(),
                    first: first.source().to_string(),
                    reason,
                });
            }
        }
        Ok(Ensemble { runs })
    }

    /// Reads every path with [`FleeOutput::read`] and builds the ensemble.
    pub fn read<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Result<Ensemble> {
        let runs = paths
            .into_iter()
            .map(FleeOutput::read)
            .collect::<Result<Vec<_>>>()?;
        Ensemble::new(runs)
    }

    /// The runs, in the order given.
    pub fn runs(&self) -> &[FleeOutput] {
        &self.runs
    }

    /// Number of runs (at least 1).
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    /// Always false: an ensemble has at least one run.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Camp names, in column order.
    pub fn camp_names(&self) -> Vec<&str> {
        self.runs[0].camp_names()
    }

    /// The common `Day` column.
    pub fn days(&self) -> &[i64] {
        self.runs[0].days()
    }

    /// Per camp, per day mean, sd, min, p5, p50, p95 and max of `<camp> sim` over the runs.
    /// Errors if a simulated value is NaN.
    pub fn sim_bands(&self) -> Result<Vec<CampBand>> {
        let per_run: Vec<Vec<&[f64]>> = self
            .runs
            .iter()
            .map(|r| r.camps().iter().map(|c| c.sim.as_slice()).collect())
            .collect();
        self.bands(&per_run)
    }

    /// Like [`Ensemble::sim_bands`] for the rescaled simulation `ŷ = y · U / S`
    /// ([`crate::rescaled_sim`]).
    pub fn rescaled_sim_bands(&self) -> Result<Vec<CampBand>> {
        let rescaled: Vec<Vec<Vec<f64>>> = self.runs.iter().map(rescaled_sim).collect();
        let per_run: Vec<Vec<&[f64]>> = rescaled
            .iter()
            .map(|r| r.iter().map(Vec::as_slice).collect())
            .collect();
        self.bands(&per_run)
    }

    /// `values[run][camp][day]` -> bands.
    fn bands(&self, values: &[Vec<&[f64]>]) -> Result<Vec<CampBand>> {
        let first = &self.runs[0];
        let n_days = first.num_days();
        let mut out = Vec::with_capacity(first.camps().len());
        let mut sample = vec![0.0; values.len()];
        for (ci, camp) in first.camps().iter().enumerate() {
            let mut band = CampBand {
                name: camp.name.clone(),
                data: camp.data.clone(),
                mean: Vec::with_capacity(n_days),
                sd: Vec::with_capacity(n_days),
                min: Vec::with_capacity(n_days),
                p5: Vec::with_capacity(n_days),
                p50: Vec::with_capacity(n_days),
                p95: Vec::with_capacity(n_days),
                max: Vec::with_capacity(n_days),
            };
            for day in 0..n_days {
                for (slot, run) in sample.iter_mut().zip(values) {
                    *slot = run[ci][day];
                }
                let s = Summary::from_slice(&sample)?;
                band.mean.push(s.mean);
                band.sd.push(s.sd);
                band.min.push(s.min);
                band.p5.push(s.p5);
                band.p50.push(s.p50);
                band.p95.push(s.p95);
                band.max.push(s.max);
            }
            out.push(band);
        }
        Ok(out)
    }

    /// The ARD of every run, in run order.
    pub fn ard_values(&self, mode: ArdMode) -> Vec<f64> {
        self.runs.iter().map(|r| ard(r, mode)).collect()
    }

    /// Summary of the runs' ARDs (FabFlee reports mean, sd and percentiles per conflict).
    /// Errors if an ARD is NaN (possible only with NaN values in the files).
    pub fn ard_summary(&self, mode: ArdMode) -> Result<Summary> {
        Ok(Summary::from_slice(&self.ard_values(mode))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, camps: &[&str], sims: &[[f64; 2]]) -> FleeOutput {
        let mut text = String::from("Day,Date");
        for c in camps {
            text.push_str(&format!(",{c} sim,{c} data,{c} error"));
        }
        text.push_str(
            ",Total error,refugees in camps (UNHCR),total refugees (simulation),\
raw UNHCR refugee count,refugees in camps (simulation),refugee_debt\n",
        );
        for (t, s) in sims.iter().enumerate() {
            text.push_str(&format!("{t},d"));
            for _ in camps {
                text.push_str(&format!(",{},10,0", s[0]));
            }
            text.push_str(&format!(",0,20,20,20,{},0\n", s[1]));
        }
        FleeOutput::from_reader_named(text.as_bytes(), name).unwrap()
    }

    #[test]
    fn bands_over_runs() {
        let runs: Vec<FleeOutput> = [1.0, 2.0, 3.0, 4.0]
            .iter()
            .map(|&x| run("r", &["A"], &[[x, 2.0 * x], [10.0 * x, 20.0 * x]]))
            .collect();
        let e = Ensemble::new(runs).unwrap();
        assert_eq!(e.len(), 4);
        assert!(!e.is_empty());
        assert_eq!(e.camp_names(), vec!["A"]);
        assert_eq!(e.days(), &[0, 1]);
        let b = &e.sim_bands().unwrap()[0];
        assert_eq!(b.name, "A");
        assert_eq!(b.data, vec![10.0, 10.0]);
        assert_eq!(b.mean, vec![2.5, 25.0]);
        assert_eq!(b.min, vec![1.0, 10.0]);
        assert_eq!(b.max, vec![4.0, 40.0]);
        assert!((b.p5[0] - 1.15).abs() < 1e-12 && (b.p95[0] - 3.85).abs() < 1e-12);
        assert!((b.sd[0] - 1.2909944487358056).abs() < 1e-12);
        // Rescaled: U = 20, S = 2x, so ŷ = x * 20 / (2x) = 10 on day 0 for every run.
        let r = &e.rescaled_sim_bands().unwrap()[0];
        assert_eq!(r.mean[0], 10.0);
        assert_eq!(r.sd[0], 0.0);
        let s = e.ard_summary(ArdMode::Normal).unwrap();
        assert_eq!(s.n, 4);
        assert_eq!(e.ard_values(ArdMode::Normal).len(), 4);
    }

    #[test]
    fn band_is_the_summary_per_day() {
        let b = Band::from_runs(&[
            vec![1.0, 10.0],
            vec![2.0, 20.0],
            vec![3.0, 30.0],
            vec![4.0, 40.0],
        ]);
        assert_eq!(b.len(), 2);
        assert_eq!(b.mean, vec![2.5, 25.0]);
        assert!((b.sd[0] - 1.2909944487358056).abs() < 1e-12);
        assert!((b.p5[0] - 1.15).abs() < 1e-12 && (b.p95[0] - 3.85).abs() < 1e-12);
        assert_eq!(b.p50, vec![2.5, 25.0]);
        let one = Band::from_runs(&[vec![7.0]]);
        assert_eq!((one.mean[0], one.p5[0], one.p95[0]), (7.0, 7.0, 7.0));
        assert!(one.sd[0].is_nan(), "the sd of a single run is undefined");
        let short = Band::from_runs(&[vec![1.0, 2.0], vec![1.0]]);
        assert_eq!(short.mean[0], 1.0);
        assert!(short.mean[1].is_nan() && short.p95[1].is_nan());
        assert!(Band::from_runs(&[vec![f64::NAN], vec![1.0]]).mean[0].is_nan());
        assert!(Band::from_runs(&[]).is_empty());
    }

    #[test]
    fn single_run_has_nan_sd() {
        let e = Ensemble::new(vec![run("r", &["A"], &[[1.0, 1.0]])]).unwrap();
        let b = &e.sim_bands().unwrap()[0];
        assert_eq!(b.mean, vec![1.0]);
        assert!(b.sd[0].is_nan());
    }

    #[test]
    fn incompatible_runs() {
        assert!(matches!(
            Ensemble::new(vec![]),
            Err(AnalysisError::EmptyEnsemble)
        ));
        let a = run("a.csv", &["A"], &[[1.0, 1.0], [1.0, 1.0]]);
        let other_camp = run("b.csv", &["B"], &[[1.0, 1.0], [1.0, 1.0]]);
        let shorter = run("c.csv", &["A"], &[[1.0, 1.0]]);
        match Ensemble::new(vec![a.clone(), other_camp]) {
            Err(e @ AnalysisError::IncompatibleRun { index: 1, .. }) => {
                let msg = e.to_string();
                assert!(msg.contains("b.csv") && msg.contains("a.csv"), "{msg}");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            Ensemble::new(vec![a.clone(), a.clone(), shorter]),
            Err(AnalysisError::IncompatibleRun { index: 2, .. })
        ));
        let (src, mut days, dates, camps, totals) = a.clone().into_parts();
        days[1] = 5;
        let shifted = FleeOutput::new(src, days, dates, camps, totals).unwrap();
        assert!(matches!(
            Ensemble::new(vec![a, shifted]),
            Err(AnalysisError::IncompatibleRun { index: 1, .. })
        ));
    }
}
