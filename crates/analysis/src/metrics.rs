//! The validation metric of Flee, "averaged relative difference" (ARD, docs/flee-model.md 6.1), and the
//! per-camp diagnostics that `flee/postprocessing/extract-validation-results.py` prints.
//!
//! Notation, for camp `c` and row (day) `t`: `y_c(t)` = `<c> sim`, `d_c(t)` = `<c> data`,
//! `S(t)` = `refugees in camps (simulation)`, `U(t)` = `refugees in camps (UNHCR)`.
//!
//! * Rescaled simulation: `ŷ_c(t) = y_c(t) · U(t) / S(t)` if `S(t) > 0`, else `0`.
//! * Per-camp absolute difference: `a_c(t) = round(|y_c(t) − d_c(t)|, 4)` (or with `ŷ`), rounded
//!   with numpy's algorithm ([`crate::round_np`]), as `analysis.abs_diffs` does.
//! * Daily error: `e(t) = Σ_c a_c(t) / max(U(t), 1)`, summed over camps in column order.
//! * ARD: `mean_t e(t)` over all rows, with numpy's pairwise summation.
//!
//! The floating-point operations are done in the same order as the Python script, so the results
//! are the same doubles it computes from the same file.

use serde::{Deserialize, Serialize};

use crate::output::FleeOutput;
use crate::rounding::{round_np, ROUND_NDIGITS};
use crate::stats;

/// Which simulated values the ARD compares with the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArdMode {
    /// `Error (normal)`: the raw camp counts `y`.
    Normal,
    /// `Error (rescaled)`: `ŷ = y · U / S`, so that the simulated camp total equals the data
    /// total. FabFlee's default.
    Rescaled,
}

/// `ŷ = y · U / S` if `S > 0`, else 0 (the rescaling of `extract-validation-results.py`).
pub fn rescale(y: f64, u: f64, s: f64) -> f64 {
    if s > 0.0 {
        y * u / s
    } else {
        0.0
    }
}

/// The rescaled simulation `ŷ_c(t)`, indexed `[camp][day]`.
pub fn rescaled_sim(out: &FleeOutput) -> Vec<Vec<f64>> {
    let t = out.totals();
    out.camps()
        .iter()
        .map(|c| {
            c.sim
                .iter()
                .zip(&t.refugees_in_camps_unhcr)
                .zip(&t.refugees_in_camps_sim)
                .map(|((&y, &u), &s)| rescale(y, u, s))
                .collect()
        })
        .collect()
}

/// Per-camp rounded absolute differences `a_c(t) = round(|y_c(t) − d_c(t)|, 4)` (or with `ŷ` in
/// [`ArdMode::Rescaled`]), indexed `[camp][day]`.
pub fn abs_diffs(out: &FleeOutput, mode: ArdMode) -> Vec<Vec<f64>> {
    let rescaled = match mode {
        ArdMode::Normal => None,
        ArdMode::Rescaled => Some(rescaled_sim(out)),
    };
    out.camps()
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let sim = rescaled.as_ref().map_or(&c.sim, |r| &r[ci]);
            sim.iter()
                .zip(&c.data)
                .map(|(&y, &d)| round_np((y - d).abs(), ROUND_NDIGITS))
                .collect()
        })
        .collect()
}

/// `max(U(t), 1)` for every day.
fn denominators(out: &FleeOutput) -> impl Iterator<Item = f64> + '_ {
    out.totals()
        .refugees_in_camps_unhcr
        .iter()
        .map(|&u| u.max(1.0))
}

/// The daily error series `e(t) = Σ_c round(|y_c(t) − d_c(t)|, 4) / max(U(t), 1)`
/// (`diffdata` / `diffdata_rescaled` in the script). One value per row.
pub fn ard_daily(out: &FleeOutput, mode: ArdMode) -> Vec<f64> {
    let diffs = abs_diffs(out, mode);
    let mut total = diffs[0].clone();
    for camp in &diffs[1..] {
        for (acc, &x) in total.iter_mut().zip(camp) {
            *acc += x;
        }
    }
    total
        .into_iter()
        .zip(denominators(out))
        .map(|(s, u)| s / u)
        .collect()
}

/// The ARD, `Error (normal)` or `Error (rescaled)` of `extract-validation-results.py`: the mean of
/// [`ard_daily`] over all rows.
pub fn ard(out: &FleeOutput, mode: ArdMode) -> f64 {
    let daily = ard_daily(out, mode);
    stats::sum(&daily) / daily.len() as f64
}

/// Per-camp "ratio difference": `round(|y_c(t) − d_c(t)|, 4) / max(U(t), 1)`, indexed
/// `[camp][day]`.
pub fn ratio_differences(out: &FleeOutput) -> Vec<Vec<f64>> {
    abs_diffs(out, ArdMode::Normal)
        .into_iter()
        .map(|camp| {
            camp.into_iter()
                .zip(denominators(out))
                .map(|(a, u)| a / u)
                .collect()
        })
        .collect()
}

/// Per-camp "ratio difference ave" of the script: the mean over days of
/// [`ratio_differences`]. One value per camp, in column order. The camp values add up to the
/// normal ARD (up to floating-point rounding).
pub fn ratio_difference_ave(out: &FleeOutput) -> Vec<f64> {
    ratio_differences(out)
        .iter()
        .map(|v| stats::sum(v) / v.len() as f64)
        .collect()
}

/// Per-camp "absolute difference ave" (mode Normal) or "absolute difference rescaled ave"
/// (mode Rescaled): the mean over days of [`abs_diffs`]. One value per camp.
pub fn abs_diff_ave(out: &FleeOutput, mode: ArdMode) -> Vec<f64> {
    abs_diffs(out, mode)
        .iter()
        .map(|v| stats::sum(v) / v.len() as f64)
        .collect()
}

/// Flee's `Total error` column for one day: `Σ_c round(|sim_c − data_c|, 4) / raw`, or `0.0` if
/// `raw ≤ 0` (docs/flee-model.md section 5). `sim` and `data` are the camp values of that day.
pub fn total_error(sim: &[f64], data: &[f64], raw: f64) -> f64 {
    if raw <= 0.0 {
        return 0.0;
    }
    let s: f64 = sim
        .iter()
        .zip(data)
        .map(|(&y, &d)| round_np((y - d).abs(), ROUND_NDIGITS))
        .sum();
    s / raw
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_camps() -> FleeOutput {
        // U = data total, S = sim total.
        let text = "Day,Date,A sim,A data,A error,B sim,B data,B error,Total error,\
refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,\
refugees in camps (simulation),refugee_debt\n\
0,d,10,10,0.0,0,0,0.0,0.0,10,10,10,10,0\n\
1,d,30,20,0.5,10,20,0.5,0.5,40,40,40,40,0\n\
2,d,0,0,0.0,0,0,0.0,0.0,0,0,0,0,0\n\
3,d,3,2,0.5,0,1,0.0,0.0,3,3,3,3,0\n";
        FleeOutput::from_reader(text.as_bytes()).unwrap()
    }

    #[test]
    fn normal_ard_by_hand() {
        let o = two_camps();
        // day 0: 0/10; day 1: (10 + 10)/40; day 2: 0/max(0,1); day 3: (1 + 1)/3
        let daily = ard_daily(&o, ArdMode::Normal);
        assert_eq!(daily, vec![0.0, 0.5, 0.0, 2.0 / 3.0]);
        assert_eq!(ard(&o, ArdMode::Normal), (0.5 + 2.0 / 3.0) / 4.0);
        let r = ratio_difference_ave(&o);
        assert_eq!(r, vec![(0.25 + 1.0 / 3.0) / 4.0, (0.25 + 1.0 / 3.0) / 4.0]);
        assert_eq!(
            abs_diff_ave(&o, ArdMode::Normal),
            vec![11.0 / 4.0, 11.0 / 4.0]
        );
    }

    #[test]
    fn rescaled_ard_by_hand() {
        let o = two_camps();
        let r = rescaled_sim(&o);
        // S = 40 = U on day 1, S = 0 on day 2 -> 0, day 3: U = 3, S = 3.
        assert_eq!(r[0], vec![10.0, 30.0, 0.0, 3.0]);
        assert_eq!(rescale(5.0, 10.0, 4.0), 12.5);
        assert_eq!(rescale(5.0, 10.0, 0.0), 0.0);
        assert_eq!(rescale(5.0, 10.0, -1.0), 0.0);
        let daily = ard_daily(&o, ArdMode::Rescaled);
        assert_eq!(daily, vec![0.0, 0.5, 0.0, 2.0 / 3.0]);
    }

    #[test]
    fn rescaled_differences_are_rounded() {
        // Day 0: U = 3, S = 2 -> ŷ_A = 1 * 3 / 2 = 1.5, ŷ_B = 1.5; |1.5 - 1| = 0.5, |1.5 - 2| = 0.5.
        // Day 1: U = 7, S = 3 -> ŷ_A = 7/3, |7/3 - 3| = 0.6666..., rounded to 0.6667.
        let text = "Day,Date,A sim,A data,A error,B sim,B data,B error,Total error,\
refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,\
refugees in camps (simulation),refugee_debt\n\
0,d,1,1,0.0,1,2,0.5,0.0,3,3,3,2,0\n\
1,d,1,3,0.0,2,4,0.5,0.0,7,7,7,3,0\n";
        let o = FleeOutput::from_reader(text.as_bytes()).unwrap();
        let d = abs_diffs(&o, ArdMode::Rescaled);
        assert_eq!(d[0], vec![0.5, 0.6667]);
        assert_eq!(d[1], vec![0.5, 0.6667]);
        let daily = ard_daily(&o, ArdMode::Rescaled);
        assert_eq!(daily, vec![1.0 / 3.0, (0.6667 + 0.6667) / 7.0]);
    }

    #[test]
    fn total_error_column() {
        assert_eq!(total_error(&[3.0, 5.0], &[1.0, 8.0], 10.0), 0.5);
        assert_eq!(total_error(&[3.0], &[1.0], 0.0), 0.0);
    }
}
