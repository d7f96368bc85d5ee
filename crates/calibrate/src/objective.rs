//! Running a scenario and scoring it over a range of days.
//!
//! * Flee scenarios are scored with the ARD of docs/flee-model.md 6.1 ([`corridor_analysis::ard`]),
//!   restricted to the rows of a day range: the mean over days `t` in `[a, b)` of
//!   the daily error `e(t)` ([`ard_range`]). Over all rows it is exactly Flee's ARD.
//! * Siege scenarios are scored with the mean absolute relative error
//!   `|sim − obs| / max(obs, 1)` over the observations whose day lies in the range.
//!
//! A run is scored once into a [`Scored`] value that keeps the daily series, so
//! any range can be evaluated afterwards without running again.

use corridor_analysis::{ard_daily, stats, ArdMode, FleeOutput};
use corridor_engine::EngineError;
use corridor_model::{RunOutput, Scenario};
use std::ops::Range;

/// The mean of `daily[range]` with numpy's pairwise summation: the ARD of
/// docs/flee-model.md 6.1 restricted to those rows. Over `0..daily.len()` it equals
/// [`corridor_analysis::ard`] bit for bit. NaN for an empty range.
pub fn ard_range(daily: &[f64], range: Range<usize>) -> f64 {
    let r = range.start.min(daily.len())..range.end.min(daily.len());
    if r.is_empty() {
        return f64::NAN;
    }
    stats::sum(&daily[r.clone()]) / r.len() as f64
}

/// The Flee-format table of a run, built in memory with the numbers that
/// `corridor_io::flee_out_csv` writes ([`corridor_runs::flee_output`]).
pub fn flee_output(run: &RunOutput) -> Result<FleeOutput, RunError> {
    Ok(corridor_runs::flee_output(run, "<memory>")?)
}

/// One observation of a siege run next to the simulation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ObsError {
    pub day: i64,
    pub what: String,
    pub observed: f64,
    pub simulated: f64,
}

impl ObsError {
    /// `|sim − obs| / max(obs, 1)`.
    pub fn abs_relative(&self) -> f64 {
        (self.simulated - self.observed).abs() / self.observed.max(1.0)
    }
}

/// What one run leaves for scoring.
#[derive(Debug, Clone, PartialEq)]
pub enum Scored {
    Flee {
        /// Daily ARD terms `e(t)`, rescaled and normal.
        rescaled: Vec<f64>,
        normal: Vec<f64>,
        /// Agents in camps on the last day.
        in_camps_end: f64,
    },
    Siege {
        observations: Vec<ObsError>,
        /// People at the end: displaced, in camps, dead, detained.
        displaced_end: f64,
        in_camps_end: f64,
        dead_end: f64,
        detained_end: f64,
    },
}

impl Scored {
    /// The calibration error over days `range`: ARD (`mode`) for Flee scenarios,
    /// mean absolute relative error over the observations in the range for siege
    /// scenarios. NaN when the range holds no day or no observation.
    pub fn error(&self, range: Range<usize>, mode: ArdMode) -> f64 {
        match self {
            Scored::Flee {
                rescaled, normal, ..
            } => ard_range(
                match mode {
                    ArdMode::Rescaled => rescaled,
                    ArdMode::Normal => normal,
                },
                range,
            ),
            Scored::Siege { observations, .. } => {
                let v: Vec<f64> = observations
                    .iter()
                    .filter(|o| o.day >= range.start as i64 && o.day < range.end as i64)
                    .map(ObsError::abs_relative)
                    .collect();
                if v.is_empty() {
                    f64::NAN
                } else {
                    v.iter().sum::<f64>() / v.len() as f64
                }
            }
        }
    }

    /// Named outputs for sensitivity analysis over the whole run.
    pub fn outputs(&self, days: usize) -> Vec<(&'static str, f64)> {
        match self {
            Scored::Flee {
                rescaled,
                normal,
                in_camps_end,
            } => vec![
                ("ard_rescaled", ard_range(rescaled, 0..days)),
                ("ard_normal", ard_range(normal, 0..days)),
                ("in_camps_end", *in_camps_end),
            ],
            Scored::Siege {
                displaced_end,
                in_camps_end,
                dead_end,
                detained_end,
                ..
            } => vec![
                ("obs_error", self.error(0..days, ArdMode::Rescaled)),
                ("displaced_end", *displaced_end),
                ("in_camps_end", *in_camps_end),
                ("dead_end", *dead_end),
                ("detained_end", *detained_end),
            ],
        }
    }

    /// The names of [`Scored::outputs`] for a scenario.
    pub fn output_names(siege: bool) -> &'static [&'static str] {
        if siege {
            &[
                "obs_error",
                "displaced_end",
                "in_camps_end",
                "dead_end",
                "detained_end",
            ]
        } else {
            &["ard_rescaled", "ard_normal", "in_camps_end"]
        }
    }
}

/// Errors while running a candidate.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Analysis(#[from] corridor_analysis::AnalysisError),
    #[error(transparent)]
    Param(#[from] crate::params::ParamError),
    #[error(transparent)]
    Runs(#[from] corridor_runs::RunsError),
    #[error("{0}")]
    Other(String),
}

/// Runs `scenario` for `days` days with `seed` ([`corridor_runs::run_scenario`]) and scores it.
pub fn run_scored(scenario: &Scenario, seed: u64, days: u32) -> Result<Scored, RunError> {
    let run = corridor_runs::run_scenario(scenario, seed, Some(days), &mut |_, _| {})?;
    if let Some(rep) = run.siege {
        let last = rep.days.last().cloned().unwrap_or_default();
        return Ok(Scored::Siege {
            observations: rep
                .comparisons
                .iter()
                .map(|c| ObsError {
                    day: c.day,
                    what: c.what.clone(),
                    // A range or bound scores 0 inside, else from its nearest end.
                    observed: c.observed.unwrap_or(if c.within {
                        c.simulated
                    } else if c.simulated < c.low {
                        c.low
                    } else {
                        c.high.unwrap_or(c.low)
                    }),
                    simulated: c.simulated,
                })
                .collect(),
            displaced_end: last.displaced() as f64,
            in_camps_end: last.arrived() as f64,
            dead_end: last.dead() as f64,
            detained_end: last.detained() as f64,
        });
    }
    let out = flee_output(&run.output)?;
    let in_camps_end = out
        .totals()
        .refugees_in_camps_sim
        .last()
        .copied()
        .unwrap_or(0.0);
    Ok(Scored::Flee {
        rescaled: ard_daily(&out, ArdMode::Rescaled),
        normal: ard_daily(&out, ArdMode::Normal),
        in_camps_end,
    })
}

/// The daily ARD terms of an existing Flee-format `out.csv` (e.g. Flee's own
/// output), so that it can be scored over the same day ranges.
pub fn scored_from_output(out: &FleeOutput) -> Scored {
    Scored::Flee {
        rescaled: ard_daily(out, ArdMode::Rescaled),
        normal: ard_daily(out, ArdMode::Normal),
        in_camps_end: out
            .totals()
            .refugees_in_camps_sim
            .last()
            .copied()
            .unwrap_or(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ard_range_is_the_ard_over_all_rows() {
        let d = [0.1, 0.2, 0.4, 0.3];
        assert_eq!(ard_range(&d, 0..4), stats::sum(&d) / 4.0);
        assert!((ard_range(&d, 1..3) - 0.3).abs() < 1e-15);
        assert!(ard_range(&d, 4..9).is_nan());
        assert_eq!(ard_range(&d, 2..9), 0.35);
    }

    #[test]
    fn siege_error_uses_only_observations_in_range() {
        let s = Scored::Siege {
            observations: vec![
                ObsError {
                    day: 2,
                    what: "displaced".into(),
                    observed: 100.0,
                    simulated: 50.0,
                },
                ObsError {
                    day: 8,
                    what: "displaced".into(),
                    observed: 100.0,
                    simulated: 110.0,
                },
            ],
            displaced_end: 0.0,
            in_camps_end: 0.0,
            dead_end: 0.0,
            detained_end: 0.0,
        };
        assert_eq!(s.error(0..5, ArdMode::Rescaled), 0.5);
        assert!((s.error(5..10, ArdMode::Rescaled) - 0.1).abs() < 1e-12);
        assert!((s.error(0..10, ArdMode::Rescaled) - 0.3).abs() < 1e-12);
        assert!(s.error(10..20, ArdMode::Rescaled).is_nan());
    }
}
