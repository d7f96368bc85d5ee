//! Error tables: how far a forecast is from the observed camp series, per camp
//! and overall, with Flee's metrics.
//!
//! * **ARD** (averaged relative difference), normal and rescaled, exactly as
//!   Flee's `extract-validation-results.py` computes them ([`corridor_analysis::ard`]).
//!   A camp's value is its share: `mean_t round(|y_c(t) − d_c(t)|, 4) / max(U(t), 1)`
//!   (normal: Flee's "ratio difference ave"; rescaled: the same with `ŷ = y·U/S`),
//!   so the camp values add up to the overall ARD.
//! * **MASE** against the six naive forecasts of the script ([`NaiveModel::ALL`]);
//!   the overall value is the camps' values weighted by their observed totals, as
//!   Flee does. A model needs `k + 2` days (k = 7 or 30); shorter runs give none.

use corridor_analysis::{
    abs_diff_ave, abs_diffs, ard, calculate_mase, camp_weights, rescaled_sim, ArdMode, FleeOutput,
    NaiveModel,
};
use serde::Serialize;
use std::fmt::Write as _;

/// One row of an [`ErrorTable`]: a camp, or all camps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorRow {
    pub camp: String,
    /// Observed value on the last day (`<camp> data`; all camps: `refugees in camps (UNHCR)`).
    pub observed_last: f64,
    /// Simulated value on the last day.
    pub simulated_last: f64,
    pub ard_normal: f64,
    pub ard_rescaled: f64,
    /// Mean over days of `round(|y − d|, 4)` (Flee's "absolute difference ave").
    pub abs_diff_ave: f64,
    /// The same with the rescaled simulation.
    pub abs_diff_rescaled_ave: f64,
    /// MASE against each model of [`NaiveModel::ALL`]; `None` when the run is too short.
    pub mase: Vec<Option<f64>>,
    /// `N = Σ_t d(t)`, the camp's MASE weight.
    pub weight: f64,
}

/// Per-camp and overall errors of one Flee-format table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorTable {
    pub source: String,
    pub days: usize,
    /// Labels of the MASE columns (`mase7`, `mase7-sloped`, …).
    pub mase_models: Vec<&'static str>,
    pub camps: Vec<ErrorRow>,
    pub overall: ErrorRow,
    /// False when every `<camp> data` value is 0 (siege scenarios carry their
    /// observations elsewhere): the ARD is then meaningless.
    pub has_data: bool,
}

fn mean(v: &[f64]) -> f64 {
    corridor_analysis::stats::sum(v) / v.len().max(1) as f64
}

impl ErrorTable {
    /// Scores one table.
    pub fn new(out: &FleeOutput) -> ErrorTable {
        let n = out.num_days();
        let last = n - 1;
        let totals = out.totals();
        let denominators: Vec<f64> = totals
            .refugees_in_camps_unhcr
            .iter()
            .map(|u| u.max(1.0))
            .collect();
        let share = |mode: ArdMode| -> Vec<f64> {
            abs_diffs(out, mode)
                .iter()
                .map(|camp| {
                    let v: Vec<f64> = camp.iter().zip(&denominators).map(|(a, u)| a / u).collect();
                    mean(&v)
                })
                .collect()
        };
        let share_n = corridor_analysis::ratio_difference_ave(out);
        let share_r = share(ArdMode::Rescaled);
        let abs_n = abs_diff_ave(out, ArdMode::Normal);
        let abs_r = abs_diff_ave(out, ArdMode::Rescaled);
        let weights = camp_weights(out);
        let rescaled = rescaled_sim(out);
        let mut camps = Vec::new();
        for (i, c) in out.camps().iter().enumerate() {
            let mase = NaiveModel::ALL
                .iter()
                .map(|&m| {
                    let naive = m.forecast(out, i).ok()?;
                    calculate_mase(&rescaled[i], &c.data, &naive, m.start_day()).ok()
                })
                .collect();
            camps.push(ErrorRow {
                camp: c.name.clone(),
                observed_last: c.data[last],
                simulated_last: c.sim[last],
                ard_normal: share_n[i],
                ard_rescaled: share_r[i],
                abs_diff_ave: abs_n[i],
                abs_diff_rescaled_ave: abs_r[i],
                mase,
                weight: weights[i],
            });
        }
        // Flee's weighted average: Σ_c v_c N_c / Σ_c N_c, in camp order.
        let overall_mase = (0..NaiveModel::ALL.len())
            .map(|k| {
                let mut acc = 0.0;
                let mut wsum = 0.0;
                for (row, w) in camps.iter().zip(&weights) {
                    acc += row.mase[k]? * w;
                    wsum += w;
                }
                Some(acc / wsum)
            })
            .collect();
        let overall = ErrorRow {
            camp: "all camps".into(),
            observed_last: totals.refugees_in_camps_unhcr[last],
            simulated_last: totals.refugees_in_camps_sim[last],
            ard_normal: ard(out, ArdMode::Normal),
            ard_rescaled: ard(out, ArdMode::Rescaled),
            abs_diff_ave: abs_n.iter().sum(),
            abs_diff_rescaled_ave: abs_r.iter().sum(),
            mase: overall_mase,
            weight: weights.iter().sum(),
        };
        ErrorTable {
            source: out.source().to_string(),
            days: n,
            mase_models: NaiveModel::ALL.iter().map(|m| m.label()).collect(),
            has_data: out.camps().iter().any(|c| c.data.iter().any(|&d| d > 0.0)),
            camps,
            overall,
        }
    }

    /// The CSV header of [`ErrorTable::csv_rows`].
    pub fn csv_header() -> String {
        let mut h = String::from(
            "source,camp,days,observed_last,simulated_last,ard_normal,ard_rescaled,abs_diff_ave,abs_diff_rescaled_ave",
        );
        for m in NaiveModel::ALL {
            h.push(',');
            h.push_str(m.label());
        }
        h.push_str(",weight\n");
        h
    }

    /// One CSV line per camp and one for all camps; numbers in full precision
    /// (empty where a MASE cannot be computed).
    pub fn csv_rows(&self) -> String {
        let mut s = String::new();
        for row in self.camps.iter().chain(std::iter::once(&self.overall)) {
            let _ = write!(
                s,
                "{},{},{},{},{},{},{},{},{}",
                csv_field(&self.source),
                csv_field(&row.camp),
                self.days,
                row.observed_last,
                row.simulated_last,
                row.ard_normal,
                row.ard_rescaled,
                row.abs_diff_ave,
                row.abs_diff_rescaled_ave
            );
            for m in &row.mase {
                s.push(',');
                if let Some(x) = m {
                    let _ = write!(s, "{x}");
                }
            }
            let _ = writeln!(s, ",{}", row.weight);
        }
        s
    }

    /// The whole table as CSV.
    pub fn to_csv(&self) -> String {
        let mut s = ErrorTable::csv_header();
        s.push_str(&self.csv_rows());
        s
    }

    /// A table for the terminal.
    pub fn to_text(&self) -> String {
        let width = self
            .camps
            .iter()
            .map(|c| c.camp.chars().count())
            .max()
            .unwrap_or(8)
            .max(12);
        let mut s = String::new();
        let _ = writeln!(s, "{} ({} days)", self.source, self.days);
        if !self.has_data {
            let _ = writeln!(
                s,
                "  no observed camp data in this table (all `<camp> data` are 0): ARD and MASE are not meaningful"
            );
        }
        let _ = write!(
            s,
            "{:<width$} {:>10} {:>10} {:>9} {:>9}",
            "camp", "observed", "simulated", "ARD norm", "ARD resc"
        );
        for m in &self.mase_models {
            let _ = write!(s, " {:>13}", m);
        }
        s.push('\n');
        for (i, row) in self
            .camps
            .iter()
            .chain(std::iter::once(&self.overall))
            .enumerate()
        {
            if i == self.camps.len() {
                let _ = writeln!(
                    s,
                    "{}",
                    "-".repeat(width + 42 + 14 * self.mase_models.len())
                );
            }
            let _ = write!(
                s,
                "{:<width$} {:>10} {:>10} {:>9.4} {:>9.4}",
                row.camp,
                fmt_count(row.observed_last),
                fmt_count(row.simulated_last),
                row.ard_normal,
                row.ard_rescaled
            );
            for m in &row.mase {
                let _ = write!(s, " {:>13}", fmt_opt(*m));
            }
            s.push('\n');
        }
        let _ = writeln!(
            s,
            "Error (normal):   {:.6}\nError (rescaled): {:.6}",
            self.overall.ard_normal, self.overall.ard_rescaled
        );
        s
    }
}

/// A number for reading: four significant digits, trailing zeros dropped
/// (0.31622776601683794 → 0.3162, 0.0045 → 0.0045, 80000 → 80000).
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x == x.trunc() && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 10) as usize;
    let t = format!("{x:.digits$}");
    let t = if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t
    };
    if t == "0" || t == "-0" {
        format!("{x:.1e}")
    } else {
        t
    }
}

/// A count with thousands separators, rounded.
pub fn fmt_count(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    corridor_engine::siege::thousands(x.round() as i64)
}

/// A MASE value with 4 decimals, `—` when missing.
pub fn fmt_opt(x: Option<f64>) -> String {
    match x {
        None => "—".into(),
        Some(v) if v.is_nan() => "nan".into(),
        Some(v) if v.is_infinite() => "inf".into(),
        Some(v) => format!("{v:.4}"),
    }
}

/// Quotes a CSV field when needed.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Summary of one number over the runs of an ensemble.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub sd: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

impl Spread {
    pub fn of(values: &[f64]) -> Spread {
        let mut v = values.to_vec();
        let (mean, sd, p5, p50, p95) = crate::forecast::stats(&mut v);
        Spread {
            mean,
            sd,
            p5,
            p50,
            p95,
        }
    }
}

/// One run's overall scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunScore {
    pub label: String,
    pub seed: Option<u64>,
    pub ard_normal: f64,
    pub ard_rescaled: f64,
    pub params: Vec<f64>,
}

/// The errors of an ensemble: the table of its mean forecast, and the spread of
/// the runs' own ARDs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnsembleErrors {
    /// Errors of the ensemble-mean forecast (camp sims replaced by their means).
    pub mean_forecast: ErrorTable,
    pub runs: Vec<RunScore>,
    pub param_names: Vec<String>,
    pub ard_normal: Spread,
    pub ard_rescaled: Spread,
}

impl EnsembleErrors {
    pub fn new(f: &crate::Forecast) -> EnsembleErrors {
        let runs: Vec<RunScore> = f
            .runs
            .iter()
            .map(|r| RunScore {
                label: r.label.clone(),
                seed: r.seed,
                ard_normal: ard(&r.out, ArdMode::Normal),
                ard_rescaled: ard(&r.out, ArdMode::Rescaled),
                params: r.params.clone(),
            })
            .collect();
        let n: Vec<f64> = runs.iter().map(|r| r.ard_normal).collect();
        let r: Vec<f64> = runs.iter().map(|r| r.ard_rescaled).collect();
        EnsembleErrors {
            mean_forecast: ErrorTable::new(&f.mean_output),
            param_names: f.param_names.clone(),
            ard_normal: Spread::of(&n),
            ard_rescaled: Spread::of(&r),
            runs,
        }
    }
}

#[cfg(test)]
mod fmt_tests {
    use super::fmt_num;

    #[test]
    fn numbers_are_rounded_for_reading() {
        assert_eq!(fmt_num(0.31622776601683794), "0.3162");
        assert_eq!(fmt_num(0.0045), "0.0045");
        assert_eq!(fmt_num(80000.0), "80000");
        assert_eq!(fmt_num(12.345678), "12.35");
        assert_eq!(fmt_num(-0.5), "-0.5");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(n: usize) -> FleeOutput {
        let mut text = String::from(
            "Day,Date,A sim,A data,A error,B sim,B data,B error,Total error,\
refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,\
refugees in camps (simulation),refugee_debt\n",
        );
        for t in 0..n {
            let (ad, bd) = ((t + 1) as f64, 2.0 * t as f64);
            let (asim, bsim) = ((t + 3) as f64, t as f64);
            text.push_str(&format!(
                "{t},d,{asim},{ad},0,{bsim},{bd},0,0,{},{},0,{},0\n",
                ad + bd,
                ad + bd,
                asim + bsim
            ));
        }
        FleeOutput::from_reader_named(text.as_bytes(), "t.csv").unwrap()
    }

    #[test]
    fn camp_shares_add_up_to_flee_ard() {
        let o = table(40);
        let t = ErrorTable::new(&o);
        let sum_n: f64 = t.camps.iter().map(|c| c.ard_normal).sum();
        let sum_r: f64 = t.camps.iter().map(|c| c.ard_rescaled).sum();
        assert!((sum_n - t.overall.ard_normal).abs() < 1e-12);
        assert!((sum_r - t.overall.ard_rescaled).abs() < 1e-12);
        assert_eq!(t.overall.ard_normal, ard(&o, ArdMode::Normal));
        let rep = corridor_analysis::validation_report(&o).unwrap();
        assert_eq!(t.overall.mase[0], Some(rep.mase.mase7));
        assert_eq!(t.camps[1].mase[5], Some(rep.camps[1].mase.mase30_ratio));
        assert!(t.has_data);
        let csv = t.to_csv();
        assert_eq!(csv.lines().count(), 4);
        assert!(csv
            .lines()
            .nth(3)
            .unwrap()
            .starts_with("t.csv,all camps,40,"));
        assert!(t.to_text().contains("Error (rescaled)"));
    }

    #[test]
    fn short_runs_have_no_mase30() {
        let t = ErrorTable::new(&table(12));
        assert!(t.camps[0].mase[0].is_some());
        assert_eq!(t.camps[0].mase[3], None);
        assert_eq!(t.overall.mase[3], None);
        assert!(t.to_csv().contains(",,"));
    }
}
