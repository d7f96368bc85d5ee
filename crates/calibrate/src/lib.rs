//! # corridor-calibrate
//!
//! Fitting scenario parameters to observations, and finding out which
//! parameters matter — the work users of Flee do with EasyVVUQ and FabSim3,
//! here as a library behind `corridor calibrate` and `corridor sensitivity`.
//!
//! ## Parameter spaces
//!
//! A YAML file names parameters by path with a range ([`space`], [`params`]):
//!
//! ```yaml
//! move_rules.default_movechance: [0.2, 0.8]
//! move_rules.max_move_speed: [100, 600]
//! move_rules.conflict_weight: {range: [0.05, 1.0], log: true}
//! siege.attempt_rate_scale.Fallujah: [0.5, 2.0]     # siege scenarios
//! ```
//!
//! [`params::set_parameter`] sets a path on a [`corridor_model::Scenario`]; unknown
//! paths and places are errors that list what is accepted.
//!
//! ## Calibration ([`calibrate()`])
//!
//! The run's days are split into a fit period `[0, F)` and a hold-out period
//! `[F, L)`. The objective is the mean over `k` seeds (the same seeds for every
//! candidate: common random numbers) of the error on the fit period — Flee's
//! ARD (docs/flee-model.md 6.1, rescaled by default) restricted to those rows, or for
//! siege scenarios the mean absolute relative error against the observations
//! in the period. It is minimised by CMA-ES ([`cmaes`], written here; the module
//! says why) within the ranges, starting from the scenario's own values. The
//! default and fitted values are then run on fresh seeds over the whole period
//! and scored in and out of the fit period, so over-fitting shows as an
//! out-of-period error that does not improve. Uncertainty is reported as the
//! spread of the candidates statistically indistinguishable from the best
//! (paired over the fit seeds); see [`calibrate`](mod@calibrate).
//!
//! ## Sensitivity ([`sensitivity()`])
//!
//! Morris elementary-effects screening (`μ*`, `μ`, `σ`) and Sobol first- and
//! total-order indices from Saltelli sampling, for the error and for headline
//! outputs (people in camps, displaced, dead). See [`sensitivity`](mod@sensitivity).
//!
//! Every design point and candidate is simulated in parallel with rayon, and
//! all random choices come from the master seed, so results are reproducible
//! whatever the thread count.

pub mod calibrate;
pub mod cmaes;
pub mod objective;
pub mod params;
pub mod rng;
pub mod sensitivity;
pub mod settings_yaml;
pub mod space;

pub use calibrate::{
    calibrate, fit_days, CalibrateError, Calibration, CalibrationOptions, FittedParameter, MeanSd,
    PeriodErrors, Split, Trial,
};
pub use objective::{ard_range, flee_output, run_scored, scored_from_output, Scored};
pub use params::{get_parameter, set_parameter, ParamError};
pub use sensitivity::{sensitivity, Method, SensitivityOptions, SensitivityReport};
pub use settings_yaml::settings_yaml;
pub use space::{Parameter, ParameterSpace, SpaceError};
