//! Fitting parameters to the observed series, with a fit period and a hold-out period.
//!
//! The run's days `[0, L)` are split at `fit_days = F`: the objective sees only
//! `[0, F)`, and the error on `[F, L)` is reported as the out-of-period error.
//! Fitting runs only `F` days (the engine is causal, so the first `F` rows of a
//! full run are the same).
//!
//! * **Objective.** The mean over `k` fit seeds of the error of each run on `[0, F)`
//!   ([`crate::objective::Scored::error`]): ARD (rescaled by default) for Flee
//!   scenarios, mean absolute relative error against the observations for siege
//!   scenarios. Every candidate is run with the *same* seeds (common random
//!   numbers), so differences between candidates are not drowned by seed noise
//!   and the objective is a deterministic function of the parameters.
//! * **Optimiser.** [`crate::cmaes`], started at the scenario's own values
//!   (clamped into the ranges) with step 0.3 of each range. The start point is
//!   evaluated first and counts as a candidate, so on the fit seeds the fitted
//!   objective is never worse than the default's (under either selection rule).
//! * **Selection (inner hold-out).** Minimising the error on `[0, F)` alone
//!   over-fits the early, transient part of a crisis: on burundi2015 and
//!   ssudan2013 the lowest in-period error came with a *higher* out-of-period
//!   error than the defaults. So by default (`select_recent = Some(0.3)`) the
//!   fitted values are those of the evaluated candidate with the lowest error on
//!   the last 30 % of the fit period, among the candidates whose objective is no
//!   worse than the start point's — a rolling-origin check that uses only
//!   fit-period data and favours parameters that still hold at the end of the
//!   fit period. `None` picks the lowest objective.
//! * **Evaluation.** Default and fitted parameters are then run for the whole
//!   period with `m` *evaluation seeds* that the fit never saw (replicates
//!   `k..k+m` of the master seed), and scored in the period, out of it and over
//!   the whole run (mean and sd over the evaluation seeds).
//! * **Uncertainty.** A candidate is *indistinguishable from the best* when its
//!   paired mean difference from the best over the fit seeds is below two
//!   standard errors of that difference (`mean(dᵢ) ≤ 2·sd(dᵢ)/√k`, `dᵢ` = its
//!   error minus the best's with seed `i`). For each parameter the report gives
//!   the range and sd of its value over these candidates: the values the fit
//!   period cannot tell apart at this ensemble size. It is conditional on where
//!   the optimiser looked and is not a confidence interval; a range as wide as
//!   the search range means the data do not constrain the parameter. With one
//!   fit seed it is not defined (reported as NaN).

use crate::cmaes::{self, CmaesOptions};
use crate::objective::{run_scored, RunError, Scored};
use crate::rng::replicate_seed;
use crate::space::ParameterSpace;
use corridor_analysis::ArdMode;
use corridor_model::Scenario;
use rayon::prelude::*;
use serde::Serialize;
use std::ops::Range;

/// How to split the run into fit and hold-out periods.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Split {
    /// Fit on days `[0, N)`.
    Days(usize),
    /// Fit on the first `f` of the days, `F = round(f · L)`.
    Fraction(f64),
}

/// Options of [`calibrate`].
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationOptions {
    pub split: Split,
    /// Seeds per candidate during the fit (`k`).
    pub fit_seeds: usize,
    /// Seeds for the final evaluation of default and fitted values (`m`).
    pub eval_seeds: usize,
    /// Most candidate evaluations (each runs `k` simulations).
    pub budget: usize,
    pub master_seed: u64,
    pub mode: ArdMode,
    /// Simulated days `L`; `None` = the scenario's length.
    pub days: Option<u32>,
    /// CMA-ES step size and population (`None` = default).
    pub sigma0: f64,
    pub lambda: Option<usize>,
    /// Inner hold-out: when `Some(q)`, the fitted values are those of the trial
    /// with the lowest error on the last `q` of the fit period, among the trials
    /// whose objective is no worse than the start point's. `None`: the trial with
    /// the lowest objective.
    pub select_recent: Option<f64>,
}

impl Default for CalibrationOptions {
    fn default() -> Self {
        CalibrationOptions {
            split: Split::Fraction(0.7),
            fit_seeds: 4,
            eval_seeds: 8,
            budget: 120,
            master_seed: 1,
            mode: ArdMode::Rescaled,
            days: None,
            sigma0: 0.3,
            lambda: None,
            select_recent: Some(0.3),
        }
    }
}

/// Errors of [`calibrate`] and [`crate::sensitivity`].
#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Param(#[from] crate::params::ParamError),
    #[error("{0}")]
    Setup(String),
}

/// One candidate evaluated during the fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trial {
    pub index: usize,
    pub generation: usize,
    pub values: Vec<f64>,
    /// Error of each fit seed on the fit period.
    pub per_seed: Vec<f64>,
    /// Their mean: the objective.
    pub objective: f64,
    /// Mean error on the last part of the fit period (the inner hold-out used by
    /// [`CalibrationOptions::select_recent`]).
    pub recent: f64,
}

/// A mean and sample sd over seeds (sd NaN for one seed).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanSd {
    pub mean: f64,
    pub sd: f64,
    pub n: usize,
}

impl MeanSd {
    pub fn of(xs: &[f64]) -> MeanSd {
        let v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
        let n = v.len();
        if n == 0 {
            return MeanSd {
                mean: f64::NAN,
                sd: f64::NAN,
                n,
            };
        }
        let mean = v.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            f64::NAN
        };
        MeanSd { mean, sd, n }
    }
}

/// Errors of one parameter set in the fit period, out of it, and over the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PeriodErrors {
    pub in_period: MeanSd,
    pub out_of_period: MeanSd,
    pub whole: MeanSd,
}

impl PeriodErrors {
    /// Scores runs over the fit range, the hold-out range and everything.
    pub fn of(runs: &[Scored], fit: Range<usize>, hold: Range<usize>, mode: ArdMode) -> Self {
        let e = |r: Range<usize>| -> Vec<f64> {
            runs.iter().map(|s| s.error(r.clone(), mode)).collect()
        };
        PeriodErrors {
            in_period: MeanSd::of(&e(fit.clone())),
            out_of_period: MeanSd::of(&e(hold.clone())),
            whole: MeanSd::of(&e(fit.start..hold.end)),
        }
    }
}

/// Fitted value and uncertainty of one parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FittedParameter {
    pub path: String,
    pub low: f64,
    pub high: f64,
    pub default: f64,
    pub fitted: f64,
    /// Range and sd of the value over the candidates indistinguishable from the best.
    pub near_best_low: f64,
    pub near_best_high: f64,
    pub near_best_sd: f64,
    /// `Some("lower")` or `Some("upper")` when the fitted value lies at that
    /// end of its range (within 0.5 % of the range): the optimum may lie beyond.
    pub at_bound: Option<&'static str>,
}

/// Everything a calibration found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub scenario: String,
    pub siege: bool,
    pub days: usize,
    pub fit_days: usize,
    pub metric: String,
    pub fit_seeds: Vec<u64>,
    pub eval_seeds: Vec<u64>,
    pub optimiser: String,
    pub evaluations: usize,
    pub generations: usize,
    pub stop: String,
    pub parameters: Vec<FittedParameter>,
    /// Candidates indistinguishable from the best (the best included).
    pub near_best: usize,
    /// Objective (mean over fit seeds, fit period) of the start point and of the best.
    pub objective_default: f64,
    pub objective_fitted: f64,
    /// The lowest objective found (differs from `objective_fitted` only with `select_recent`).
    pub objective_best: f64,
    /// The inner hold-out days (the last part of the fit period).
    pub recent_days: Range<usize>,
    /// On the evaluation seeds, whole run.
    pub default_errors: PeriodErrors,
    pub fitted_errors: PeriodErrors,
    pub trials: Vec<Trial>,
    /// Start values that lay outside their range (and were clamped to it).
    pub default_clamped: Vec<String>,
}

impl Calibration {
    /// The fitted values, in space order.
    pub fn fitted_values(&self) -> Vec<f64> {
        self.parameters.iter().map(|p| p.fitted).collect()
    }
}

/// Resolves the fit/hold-out split for a run of `days` days.
pub fn fit_days(split: Split, days: usize) -> Result<usize, CalibrateError> {
    let f = match split {
        Split::Days(n) => n,
        Split::Fraction(x) => {
            if !(x > 0.0 && x < 1.0) {
                return Err(CalibrateError::Setup(format!(
                    "--fit-fraction must lie strictly between 0 and 1, got {x}"
                )));
            }
            (x * days as f64).round() as usize
        }
    };
    if f == 0 || f >= days {
        return Err(CalibrateError::Setup(format!(
            "the fit period must have at least one day and leave at least one of the {days} days out, got {f} fit days"
        )));
    }
    Ok(f)
}

/// Runs `scenarios × seeds` in parallel for `days` days; results in input order.
pub fn run_many(
    scenarios: &[Scenario],
    seeds: &[u64],
    days: u32,
) -> Result<Vec<Vec<Scored>>, RunError> {
    let k = seeds.len();
    let flat: Vec<Scored> = (0..scenarios.len() * k)
        .into_par_iter()
        .map(|j| run_scored(&scenarios[j / k], seeds[j % k], days))
        .collect::<Result<_, _>>()?;
    let mut it = flat.into_iter();
    Ok((0..scenarios.len())
        .map(|_| it.by_ref().take(k).collect())
        .collect())
}

/// Fits the parameters of `space` on `base` (see the module documentation).
pub fn calibrate(
    base: &Scenario,
    space: &ParameterSpace,
    opts: &CalibrationOptions,
) -> Result<Calibration, CalibrateError> {
    let days = opts.days.unwrap_or(base.days) as usize;
    let f_days = fit_days(opts.split, days)?;
    if opts.fit_seeds == 0 || opts.eval_seeds == 0 {
        return Err(CalibrateError::Setup(
            "at least one fit seed and one evaluation seed are needed".into(),
        ));
    }
    let siege = base.siege.is_some();
    if let Some(m) = &base.siege {
        if !m
            .observations
            .iter()
            .any(|o| (o.day as usize) < f_days && o.day >= 0)
        {
            return Err(CalibrateError::Setup(format!(
                "the siege scenario has no observation before day {f_days}: nothing to fit\n  hint: lengthen the fit period (--fit-days)"
            )));
        }
    }
    let k = opts.fit_seeds as u64;
    let fit_seeds: Vec<u64> = (0..k)
        .map(|i| replicate_seed(opts.master_seed, i))
        .collect();
    let eval_seeds: Vec<u64> = (0..opts.eval_seeds as u64)
        .map(|i| replicate_seed(opts.master_seed, k + i))
        .collect();

    let default = space.current(base)?;
    let default_clamped: Vec<String> = space
        .parameters
        .iter()
        .zip(&default)
        .filter(|(p, &v)| v < p.low || v > p.high)
        .map(|(p, v)| format!("{} = {v} (range [{}, {}])", p.path, p.low, p.high))
        .collect();
    let x0: Vec<f64> = space
        .to_unit(&default)
        .iter()
        .map(|u| u.clamp(0.0, 1.0))
        .collect();

    let fit = 0..f_days;
    let recent_days = match opts.select_recent {
        Some(q) if q > 0.0 && q < 1.0 => ((q * f_days as f64).round() as usize).clamp(1, f_days),
        Some(q) => {
            return Err(CalibrateError::Setup(format!(
                "the inner hold-out share must lie strictly between 0 and 1, got {q}"
            )))
        }
        None => (f_days / 3).max(1),
    };
    let recent = f_days - recent_days..f_days;
    let mut trials: Vec<Trial> = Vec::new();
    let mut failure: Option<CalibrateError> = None;
    let batch = |xs: &[Vec<f64>]| -> Vec<f64> {
        if failure.is_some() {
            return vec![f64::NAN; xs.len()];
        }
        let values: Vec<Vec<f64>> = xs.iter().map(|x| space.to_values(x)).collect();
        let scenarios: Result<Vec<Scenario>, _> =
            values.iter().map(|v| space.apply(base, v)).collect();
        let result = scenarios
            .map_err(CalibrateError::from)
            .and_then(|s| Ok(run_many(&s, &fit_seeds, f_days as u32)?));
        match result {
            Ok(runs) => values
                .into_iter()
                .zip(runs)
                .map(|(v, r)| {
                    let per_seed: Vec<f64> =
                        r.iter().map(|s| s.error(fit.clone(), opts.mode)).collect();
                    let objective = per_seed.iter().sum::<f64>() / per_seed.len() as f64;
                    let rec: Vec<f64> = r
                        .iter()
                        .map(|s| s.error(recent.clone(), opts.mode))
                        .collect();
                    let recent_err = MeanSd::of(&rec).mean;
                    trials.push(Trial {
                        index: trials.len(),
                        generation: 0,
                        values: v,
                        per_seed,
                        objective,
                        recent: recent_err,
                    });
                    objective
                })
                .collect(),
            Err(e) => {
                failure = Some(e);
                vec![f64::NAN; xs.len()]
            }
        }
    };
    let result = cmaes::minimize(
        batch,
        &x0,
        &CmaesOptions {
            sigma0: opts.sigma0,
            lambda: opts.lambda,
            max_evals: opts.budget.max(1),
            seed: opts.master_seed,
            ..Default::default()
        },
    );
    if let Some(e) = failure {
        return Err(e);
    }
    for (t, h) in trials.iter_mut().zip(&result.history) {
        t.generation = h.generation;
    }
    // The best trial (first of equals, so the start point wins ties).
    let best = trials
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.objective.is_nan())
        .min_by(|a, b| a.1.objective.total_cmp(&b.1.objective).then(a.0.cmp(&b.0)))
        .map(|(i, _)| i)
        .ok_or_else(|| CalibrateError::Setup("no candidate could be scored".into()))?;
    let best_objective = best;
    let best = match opts.select_recent {
        None => best,
        Some(_) => trials
            .iter()
            .enumerate()
            .filter(|(_, t)| t.objective <= trials[0].objective && !t.recent.is_nan())
            .min_by(|a, b| a.1.recent.total_cmp(&b.1.recent).then(a.0.cmp(&b.0)))
            .map_or(best, |(i, _)| i),
    };
    let near: Vec<&Trial> = trials
        .iter()
        .filter(|t| indistinguishable(t, &trials[best]))
        .collect();
    let fitted = trials[best].values.clone();
    let fitted_unit = space.to_unit(&fitted);
    let parameters = space
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let vals: Vec<f64> = near.iter().map(|t| t.values[i]).collect();
            let (lo, hi, sd) = if opts.fit_seeds < 2 {
                (f64::NAN, f64::NAN, f64::NAN)
            } else {
                (
                    vals.iter().cloned().fold(f64::INFINITY, f64::min),
                    vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
                    if vals.len() > 1 {
                        MeanSd::of(&vals).sd
                    } else {
                        0.0
                    },
                )
            };
            let u = fitted_unit[i];
            FittedParameter {
                at_bound: if u <= 0.005 {
                    Some("lower")
                } else if u >= 0.995 {
                    Some("upper")
                } else {
                    None
                },
                path: p.path.clone(),
                low: p.low,
                high: p.high,
                default: default[i],
                fitted: fitted[i],
                near_best_low: lo,
                near_best_high: hi,
                near_best_sd: sd,
            }
        })
        .collect();

    // Final evaluation on fresh seeds, whole period.
    let start_values = space.to_values(&x0);
    let finals = run_many(
        &[
            space.apply(base, &start_values)?,
            space.apply(base, &fitted)?,
        ],
        &eval_seeds,
        days as u32,
    )?;
    let hold = f_days..days;
    Ok(Calibration {
        scenario: base.name.clone(),
        siege,
        days,
        fit_days: f_days,
        metric: if siege {
            "mean |relative error| vs observations".into()
        } else {
            format!("ARD ({})", mode_name(opts.mode))
        },
        fit_seeds,
        eval_seeds,
        optimiser: format!("CMA-ES (lambda {}, sigma0 {})", result.lambda, opts.sigma0),
        evaluations: result.evals,
        generations: result.generations,
        stop: result.stop.into(),
        parameters,
        near_best: if opts.fit_seeds < 2 { 1 } else { near.len() },
        objective_default: trials[0].objective,
        objective_fitted: trials[best].objective,
        objective_best: trials[best_objective].objective,
        recent_days: recent.clone(),
        default_errors: PeriodErrors::of(&finals[0], fit.clone(), hold.clone(), opts.mode),
        fitted_errors: PeriodErrors::of(&finals[1], fit, hold, opts.mode),
        trials,
        default_clamped,
    })
}

/// `normal` or `rescaled`.
pub fn mode_name(mode: ArdMode) -> &'static str {
    match mode {
        ArdMode::Normal => "normal",
        ArdMode::Rescaled => "rescaled",
    }
}

/// Paired test of trial `t` against the best (see the module documentation).
fn indistinguishable(t: &Trial, best: &Trial) -> bool {
    let d: Vec<f64> = t
        .per_seed
        .iter()
        .zip(&best.per_seed)
        .map(|(a, b)| a - b)
        .collect();
    if d.iter().any(|x| x.is_nan()) || d.len() < 2 {
        return std::ptr::eq(t, best);
    }
    let s = MeanSd::of(&d);
    s.mean <= 2.0 * s.sd / (d.len() as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_rules() {
        assert_eq!(fit_days(Split::Fraction(0.7), 300).unwrap(), 210);
        assert_eq!(fit_days(Split::Days(50), 300).unwrap(), 50);
        assert!(fit_days(Split::Days(300), 300).is_err());
        assert!(fit_days(Split::Days(0), 300).is_err());
        assert!(fit_days(Split::Fraction(1.0), 300).is_err());
    }

    #[test]
    fn paired_indistinguishability() {
        let t = |per_seed: Vec<f64>| Trial {
            index: 0,
            generation: 0,
            objective: per_seed.iter().sum::<f64>() / per_seed.len() as f64,
            values: vec![],
            recent: 0.0,
            per_seed,
        };
        let best = t(vec![0.30, 0.32, 0.31, 0.29]);
        // Consistently worse by 0.01 on every seed: clearly distinguishable.
        assert!(!indistinguishable(&t(vec![0.31, 0.33, 0.32, 0.30]), &best));
        // Worse on average by 0.0025 but better on some seeds: not distinguishable.
        assert!(indistinguishable(&t(vec![0.31, 0.31, 0.32, 0.29]), &best));
        assert!(indistinguishable(&best, &best));
    }
}
