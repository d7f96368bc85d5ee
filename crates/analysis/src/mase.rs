//! Mean Absolute Scaled Error (MASE) against naive forecasts, as
//! `flee/postprocessing/extract-validation-results.py` and `analysis.calculate_MASE` compute it.
//!
//! These numbers are informative only (FabFlee does not use them), but they are reproduced
//! exactly, quirks included. For camp `c`, with `d(t)` = `<c> data`, `U(t)` =
//! `refugees in camps (UNHCR)`, `ŷ(t)` the rescaled simulation ([`crate::rescaled_sim`]), `t`
//! the 0-based row index and `n` the number of rows:
//!
//! | model | naive forecast `f(t)` | start day `k` |
//! |---|---|---|
//! | [`NaiveModel::Flat7`] (`mase7`) | `d(7)` | 7 |
//! | [`NaiveModel::Flat30`] (`mase30`) | `d(30)` | 30 |
//! | [`NaiveModel::Sloped7`] (`mase7-sloped`) | `d(7) · (t · d(7) / d(7))` if `d(7) > 0`, else 0 | 7 |
//! | [`NaiveModel::Sloped30`] (`mase30-sloped`) | `d(30) · (t · d(30) / d(30))` if **`d(7)`** `> 0`, else 0 | 30 |
//! | [`NaiveModel::Ratio7`] (`mase7-ratio`) | `U(t) · (d(7) / U(7))` | 7 |
//! | [`NaiveModel::Ratio30`] (`mase30-ratio`) | `U(t) · (d(30) / U(30))` | 30 |
//!
//! **\[QUIRK\]** The "sloped" models are the line `d(k) · t` through the origin, not a trend, and
//! `mase30-sloped` tests `d(7)`, not `d(30)`. If `d(30) = 0 < d(7)` its forecast is `0 · (0/0)`,
//! NaN. A ratio model with `U(k) = 0` divides by zero the same way.
//!
//! Then ([`calculate_mase`]):
//!
//! ```text
//! naive error    = Σ_{t ≥ k+1} |d(t) − f(t)| / (n − k − 1)      (days after the start day)
//! forecast error = Σ_{all t}   |d(t) − ŷ(t)| / n                (all days, not rounded)
//! MASE           = round(forecast error / naive error, 4)       (numpy rounding)
//! ```
//!
//! Division by a zero naive error gives `inf` (or NaN for `0/0`), as numpy does; NaN and
//! infinities propagate. The run-level value of each model ([`mase_total`]) is the average of
//! the camp values weighted by `N_c = Σ_t d_c(t)`: `Σ_c MASE_c · N_c / Σ_c N_c`.
//!
//! A model with start day `k` needs at least `k + 2` rows (so that at least one day follows the
//! start day); otherwise the functions return [`AnalysisError::TooFewDays`]. (The Python script
//! always builds all six models and so fails with an `IndexError` below 31 rows.)

use serde::{Deserialize, Serialize};

use crate::error::{AnalysisError, Result};
use crate::metrics::{abs_diff_ave, ratio_difference_ave};
use crate::metrics::{ard, rescaled_sim, ArdMode};
use crate::output::FleeOutput;
use crate::rounding::{round_np, ROUND_NDIGITS};
use crate::stats;

/// Start day of the "early" naive models (`naieve_early_day`).
pub const NAIVE_EARLY_DAY: usize = 7;
/// Start day of the "training" naive models (`naieve_training_day`).
pub const NAIVE_TRAINING_DAY: usize = 30;

/// The naive forecasts MASE is scaled by; see the module documentation for the formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NaiveModel {
    /// Flat line at the day-7 observation.
    Flat7,
    /// Flat line at the day-30 observation.
    Flat30,
    /// `d(7) · t`.
    Sloped7,
    /// `d(30) · t` (if `d(7) > 0`).
    Sloped30,
    /// Day-7 share of the camp in the data total, times the data total.
    Ratio7,
    /// Day-30 share of the camp in the data total, times the data total.
    Ratio30,
}

impl NaiveModel {
    /// All six models, in the order the script prints them.
    pub const ALL: [NaiveModel; 6] = [
        NaiveModel::Flat7,
        NaiveModel::Sloped7,
        NaiveModel::Ratio7,
        NaiveModel::Flat30,
        NaiveModel::Sloped30,
        NaiveModel::Ratio30,
    ];

    /// The start day `k` (`start_of_forecast_period`): 7 or 30.
    pub fn start_day(self) -> usize {
        match self {
            NaiveModel::Flat7 | NaiveModel::Sloped7 | NaiveModel::Ratio7 => NAIVE_EARLY_DAY,
            _ => NAIVE_TRAINING_DAY,
        }
    }

    /// The key the script prints (`mase7`, `mase7-sloped`, ..., `mase30-ratio`).
    pub fn label(self) -> &'static str {
        match self {
            NaiveModel::Flat7 => "mase7",
            NaiveModel::Sloped7 => "mase7-sloped",
            NaiveModel::Ratio7 => "mase7-ratio",
            NaiveModel::Flat30 => "mase30",
            NaiveModel::Sloped30 => "mase30-sloped",
            NaiveModel::Ratio30 => "mase30-ratio",
        }
    }

    /// Rows needed: `k + 2`.
    pub fn min_days(self) -> usize {
        self.start_day() + 2
    }

    /// The naive forecast for camp `camp` (index in [`FleeOutput::camps`]), one value per day.
    /// Errors if the run is shorter than [`NaiveModel::min_days`] or `camp` is out of range.
    pub fn forecast(self, out: &FleeOutput, camp: usize) -> Result<Vec<f64>> {
        check_days(out, self.min_days(), self.label())?;
        let c = out
            .camps()
            .get(camp)
            .ok_or_else(|| AnalysisError::SeriesLengths {
                what: format!("{}: camp index {camp}", out.source()),
                lengths: format!("{} camps", out.camps().len()),
            })?;
        let d = &c.data;
        let u = &out.totals().refugees_in_camps_unhcr;
        let k = self.start_day();
        let dk = d[k];
        let n = out.num_days();
        let f: Vec<f64> = match self {
            NaiveModel::Flat7 | NaiveModel::Flat30 => vec![dk; n],
            NaiveModel::Sloped7 | NaiveModel::Sloped30 => {
                let gate = d[NAIVE_EARLY_DAY];
                (0..n)
                    .map(|t| {
                        if gate > 0.0 {
                            dk * ((t as f64 * dk) / dk)
                        } else {
                            0.0
                        }
                    })
                    .collect()
            }
            NaiveModel::Ratio7 | NaiveModel::Ratio30 => {
                let share = dk / u[k];
                u.iter().map(|&ut| ut * share).collect()
            }
        };
        Ok(f)
    }
}

fn check_days(out: &FleeOutput, needed: usize, what: &str) -> Result<()> {
    if out.num_days() < needed {
        return Err(AnalysisError::TooFewDays {
            file: out.source().to_string(),
            what: what.to_string(),
            needed,
            found: out.num_days(),
        });
    }
    Ok(())
}

/// `analysis.calculate_MASE`: `round(mean_t |actual − forecast| / mean_{t > k} |actual − naive|, 4)`
/// where `k = start_of_forecast_period`; the numerator averages over all days, the denominator
/// over rows `k + 1 ..`.
///
/// Errors if the three series differ in length or have fewer than `k + 2` values.
pub fn calculate_mase(
    forecast: &[f64],
    actual: &[f64],
    naive: &[f64],
    start_of_forecast_period: usize,
) -> Result<f64> {
    if forecast.len() != actual.len() || naive.len() != actual.len() {
        return Err(AnalysisError::SeriesLengths {
            what: "calculate_mase".to_string(),
            lengths: format!(
                "forecast {}, actual {}, naive {}",
                forecast.len(),
                actual.len(),
                naive.len()
            ),
        });
    }
    let offset = start_of_forecast_period + 1;
    if actual.len() <= offset {
        return Err(AnalysisError::TooFewDays {
            file: "<series>".to_string(),
            what: "calculate_mase".to_string(),
            needed: offset + 1,
            found: actual.len(),
        });
    }
    let naive_err: Vec<f64> = actual[offset..]
        .iter()
        .zip(&naive[offset..])
        .map(|(a, f)| (a - f).abs())
        .collect();
    let mean_naive = stats::sum(&naive_err) / naive_err.len() as f64;
    let fc_err: Vec<f64> = actual
        .iter()
        .zip(forecast)
        .map(|(a, f)| (a - f).abs())
        .collect();
    let mean_forecast = stats::sum(&fc_err) / fc_err.len() as f64;
    Ok(round_np(mean_forecast / mean_naive, ROUND_NDIGITS))
}

/// MASE of camp `camp` (index) against `model`, forecasting with the rescaled simulation.
pub fn camp_mase(out: &FleeOutput, camp: usize, model: NaiveModel) -> Result<f64> {
    let naive = model.forecast(out, camp)?;
    let rescaled = rescaled_sim(out);
    calculate_mase(
        &rescaled[camp],
        &out.camps()[camp].data,
        &naive,
        model.start_day(),
    )
}

/// `N_c = Σ_t d_c(t)` for every camp: the weights of [`mase_total`].
pub fn camp_weights(out: &FleeOutput) -> Vec<f64> {
    out.camps().iter().map(|c| stats::sum(&c.data)).collect()
}

/// Weighted average `Σ_c v_c · N_c / Σ_c N_c` (the script's `get_error`).
fn weighted(values: &[f64], weights: &[f64]) -> f64 {
    let mut acc = values[0] * weights[0];
    let mut n = weights[0];
    for (v, w) in values.iter().zip(weights).skip(1) {
        acc += v * w;
        n += w;
    }
    acc / n
}

/// Run-level MASE against `model`: camp values weighted by `N_c` ([`camp_weights`]).
pub fn mase_total(out: &FleeOutput, model: NaiveModel) -> Result<f64> {
    let values = (0..out.camps().len())
        .map(|c| camp_mase(out, c, model))
        .collect::<Result<Vec<f64>>>()?;
    Ok(weighted(&values, &camp_weights(out)))
}

/// The six MASE values of one camp or of the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MaseScores {
    pub mase7: f64,
    pub mase7_sloped: f64,
    pub mase7_ratio: f64,
    pub mase30: f64,
    pub mase30_sloped: f64,
    pub mase30_ratio: f64,
}

impl MaseScores {
    /// The value for `model`.
    pub fn get(&self, model: NaiveModel) -> f64 {
        match model {
            NaiveModel::Flat7 => self.mase7,
            NaiveModel::Sloped7 => self.mase7_sloped,
            NaiveModel::Ratio7 => self.mase7_ratio,
            NaiveModel::Flat30 => self.mase30,
            NaiveModel::Sloped30 => self.mase30_sloped,
            NaiveModel::Ratio30 => self.mase30_ratio,
        }
    }

    fn from_fn(mut f: impl FnMut(NaiveModel) -> Result<f64>) -> Result<MaseScores> {
        Ok(MaseScores {
            mase7: f(NaiveModel::Flat7)?,
            mase7_sloped: f(NaiveModel::Sloped7)?,
            mase7_ratio: f(NaiveModel::Ratio7)?,
            mase30: f(NaiveModel::Flat30)?,
            mase30_sloped: f(NaiveModel::Sloped30)?,
            mase30_ratio: f(NaiveModel::Ratio30)?,
        })
    }
}

/// Everything `extract-validation-results.py` prints for one camp.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampReport {
    pub name: String,
    pub mase: MaseScores,
    /// `N`: `Σ_t d(t)`.
    pub n: f64,
    pub absolute_difference_ave: f64,
    pub absolute_difference_rescaled_ave: f64,
    pub ratio_difference_ave: f64,
}

/// Everything `extract-validation-results.py` prints for one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationReport {
    pub camps: Vec<CampReport>,
    /// The `N`-weighted run-level MASE values.
    pub mase: MaseScores,
    /// `Error (normal)`.
    pub error_normal: f64,
    /// `Error (rescaled)`, the number FabFlee uses.
    pub error_rescaled: f64,
    /// `Simulation Period`: the number of rows.
    pub simulation_period: usize,
}

/// Computes the whole report of `extract-validation-results.py`. Needs at least 32 rows (for
/// the day-30 models); use [`ard`] alone for shorter runs.
pub fn validation_report(out: &FleeOutput) -> Result<ValidationReport> {
    check_days(
        out,
        NaiveModel::Flat30.min_days(),
        "the validation report (MASE30)",
    )?;
    let rescaled = rescaled_sim(out);
    let weights = camp_weights(out);
    let abs_n = abs_diff_ave(out, ArdMode::Normal);
    let abs_r = abs_diff_ave(out, ArdMode::Rescaled);
    let ratio = ratio_difference_ave(out);
    let mut camps = Vec::with_capacity(out.camps().len());
    for (i, c) in out.camps().iter().enumerate() {
        let mase = MaseScores::from_fn(|m| {
            calculate_mase(&rescaled[i], &c.data, &m.forecast(out, i)?, m.start_day())
        })?;
        camps.push(CampReport {
            name: c.name.clone(),
            mase,
            n: weights[i],
            absolute_difference_ave: abs_n[i],
            absolute_difference_rescaled_ave: abs_r[i],
            ratio_difference_ave: ratio[i],
        });
    }
    let total = MaseScores::from_fn(|m| {
        let v: Vec<f64> = camps.iter().map(|c| c.mase.get(m)).collect();
        Ok(weighted(&v, &weights))
    })?;
    Ok(ValidationReport {
        mase: total,
        error_normal: ard(out, ArdMode::Normal),
        error_rescaled: ard(out, ArdMode::Rescaled),
        simulation_period: out.num_days(),
        camps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One camp A plus camp B; `n` days; A's data is `t + 1`, B's data is 1, sims are given.
    fn run(n: usize, a_sim: impl Fn(usize) -> f64) -> FleeOutput {
        let mut text = String::from(
            "Day,Date,A sim,A data,A error,B sim,B data,B error,Total error,\
refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,\
refugees in camps (simulation),refugee_debt\n",
        );
        for t in 0..n {
            let (ad, bd) = ((t + 1) as f64, 1.0);
            let (asim, bsim) = (a_sim(t), 1.0);
            text.push_str(&format!(
                "{t},d,{asim},{ad},0,{bsim},{bd},0,0,{},{},0,{},0\n",
                ad + bd,
                ad + bd,
                asim + bsim
            ));
        }
        FleeOutput::from_reader(text.as_bytes()).unwrap()
    }

    #[test]
    fn calculate_mase_by_hand() {
        // k = 1: naive error over rows 2.. = (|3-1| + |4-1|)/2 = 2.5;
        // forecast error over all rows = (0 + 1 + 0 + 1)/4 = 0.5 -> 0.2
        let actual = [1.0, 2.0, 3.0, 4.0];
        let naive = [1.0, 1.0, 1.0, 1.0];
        let fc = [1.0, 3.0, 3.0, 5.0];
        assert_eq!(calculate_mase(&fc, &actual, &naive, 1).unwrap(), 0.2);
        // Perfect naive model -> division by zero -> inf (numpy).
        assert_eq!(
            calculate_mase(&fc, &actual, &actual, 1).unwrap(),
            f64::INFINITY
        );
        assert!(calculate_mase(&actual, &actual, &actual, 1)
            .unwrap()
            .is_nan());
        // k = 2 leaves one day (row 3) for the naive error: |4 - 1| = 3 -> 0.5 / 3.
        assert_eq!(calculate_mase(&fc, &actual, &naive, 2).unwrap(), 0.1667);
        assert!(matches!(
            calculate_mase(&fc, &actual, &naive, 3),
            Err(AnalysisError::TooFewDays { needed: 5, .. })
        ));
        assert!(matches!(
            calculate_mase(&fc[..3], &actual, &naive, 1),
            Err(AnalysisError::SeriesLengths { .. })
        ));
    }

    #[test]
    fn naive_forecasts() {
        let o = run(40, |t| (t + 1) as f64);
        let a = 0;
        assert_eq!(NaiveModel::Flat7.forecast(&o, a).unwrap(), vec![8.0; 40]);
        assert_eq!(NaiveModel::Flat30.forecast(&o, a).unwrap(), vec![31.0; 40]);
        let s7 = NaiveModel::Sloped7.forecast(&o, a).unwrap();
        assert_eq!((s7[0], s7[1], s7[10]), (0.0, 8.0, 80.0));
        let s30 = NaiveModel::Sloped30.forecast(&o, a).unwrap();
        assert_eq!((s30[0], s30[2]), (0.0, 62.0));
        // U(t) = t + 2; share at day 7 = 8 / 9.
        let r7 = NaiveModel::Ratio7.forecast(&o, a).unwrap();
        assert_eq!(r7[7], 9.0 * (8.0 / 9.0));
        assert_eq!(r7[16], 18.0 * (8.0 / 9.0));
        let r30 = NaiveModel::Ratio30.forecast(&o, 1).unwrap();
        assert_eq!(r30[0], 2.0 * (1.0 / 32.0));
        assert!(NaiveModel::Flat7.forecast(&o, 2).is_err());
    }

    #[test]
    fn too_short_runs() {
        let o = run(9, |t| (t + 1) as f64);
        assert!(NaiveModel::Flat7.forecast(&o, 0).is_ok());
        assert!(matches!(
            NaiveModel::Flat30.forecast(&o, 0),
            Err(AnalysisError::TooFewDays {
                needed: 32,
                found: 9,
                ..
            })
        ));
        assert!(validation_report(&o).is_err());
        let short = run(8, |t| (t + 1) as f64);
        assert!(camp_mase(&short, 0, NaiveModel::Flat7).is_err());
    }

    #[test]
    fn mase_of_a_run_by_hand() {
        // Sim equals data for both camps, so rescaling is the identity and the forecast error
        // is 0 everywhere: every finite MASE is 0.
        let o = run(40, |t| (t + 1) as f64);
        let rep = validation_report(&o).unwrap();
        assert_eq!(rep.simulation_period, 40);
        assert_eq!(rep.error_normal, 0.0);
        assert_eq!(rep.error_rescaled, 0.0);
        assert_eq!(rep.camps[0].mase.mase7, 0.0);
        assert_eq!(rep.camps[0].n, (1..=40).sum::<usize>() as f64);
        assert_eq!(rep.camps[1].n, 40.0);
        // Camp B is flat, so the flat naive model is perfect: 0 / 0 = NaN, and the weighted
        // total inherits it.
        assert!(rep.camps[1].mase.mase7.is_nan());
        assert!(rep.mase.mase7.is_nan());
    }

    #[test]
    fn mase_with_an_offset_forecast() {
        // A sim = data + 2 each day for A; B exact. U = S + ... rescaling changes values, so
        // check the flat-7 MASE of camp A against a direct computation.
        let o = run(40, |t| (t + 3) as f64);
        let r = rescaled_sim(&o);
        let d: Vec<f64> = (0..40).map(|t| (t + 1) as f64).collect();
        let fc_err: f64 = r[0].iter().zip(&d).map(|(f, a)| (a - f).abs()).sum::<f64>() / 40.0;
        let naive_err: f64 = d[8..].iter().map(|a| (a - 8.0).abs()).sum::<f64>() / 32.0;
        let got = camp_mase(&o, 0, NaiveModel::Flat7).unwrap();
        assert!((got - fc_err / naive_err).abs() <= 0.00005 + 1e-12, "{got}");
        let total = mase_total(&o, NaiveModel::Ratio30).unwrap();
        let w = camp_weights(&o);
        let a = camp_mase(&o, 0, NaiveModel::Ratio30).unwrap();
        let b = camp_mase(&o, 1, NaiveModel::Ratio30).unwrap();
        assert_eq!(total, (a * w[0] + b * w[1]) / (w[0] + w[1]));
    }
}
