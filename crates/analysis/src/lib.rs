//! # corridor-analysis
//!
//! Validation metrics, ensemble statistics and exact-output comparison for the **Flee-format
//! `out.csv`** files that both Flee and corridor write (docs/flee-model.md sections 5, 6 and 11).
//!
//! What it is for:
//!
//! * **Reading output.** [`FleeOutput`] parses an `out.csv` (`Day,Date,<camp> sim,<camp> data,
//!   <camp> error,...,Total error,refugees in camps (UNHCR),...`) into per-camp and total series.
//! * **Scoring a run.** [`ard`] is Flee's validation metric, the "averaged relative difference",
//!   computed exactly as `flee/postprocessing/extract-validation-results.py` does
//!   ([`ArdMode::Normal`] and FabFlee's default [`ArdMode::Rescaled`]); [`ard_daily`] is the
//!   per-day series and [`ratio_difference_ave`] the per-camp share. [`validation_report`]
//!   reproduces everything the script prints, including the informative MASE scores against
//!   naive forecasts ([`NaiveModel`], [`calculate_mase`]).
//! * **Ensembles.** [`Ensemble`] groups replicate runs of a scenario and gives per-camp, per-day
//!   mean/sd/percentile bands ([`CampBand`], and [`Band`] for any series) and the spread of the ARD ([`Summary`]).
//! * **Acceptance tests.** [`compare_deterministic`] checks that the columns that depend only on
//!   data handling (camp data, UNHCR totals, agent count, raw count, debt) are identical to a
//!   reference run, and reports the first [`Mismatch`].
//! * **Helpers.** numpy-compatible [`stats`] ([`mean`], [`sample_sd`], [`percentile`]) and the
//!   Python/numpy rounding rules ([`round_py`], [`round_np`]).
//!
//! Numbers follow numpy bit for bit where Flee uses numpy: rounding to 4 decimals is numpy's
//! `rint(x·10⁴)/10⁴` (which is what Flee's `<camp> error` column holds, not Python's correctly
//! rounded `round`; see [`rounding`]), and means use numpy's pairwise summation.
//!
//! ```no_run
//! use corridor_analysis::{ard, compare_deterministic, ArdMode, FleeOutput};
//!
//! let reference = FleeOutput::read("reference/out.csv")?;
//! let ours = FleeOutput::read("out/out.csv")?;
//! println!("rescaled ARD: {:.4}", ard(&ours, ArdMode::Rescaled));
//! if let Some(m) = compare_deterministic(&reference, &ours) {
//!     println!("first deterministic mismatch: {m}");
//! }
//! # Ok::<(), corridor_analysis::AnalysisError>(())
//! ```
//!
//! Errors are [`AnalysisError`] values naming the file, line and column; nothing panics on bad
//! input.

pub mod compare;
pub mod ensemble;
pub mod error;
pub mod mase;
pub mod metrics;
pub mod output;
pub mod rounding;
pub mod stats;

pub use compare::{compare_deterministic, deterministic_columns, Mismatch, DETERMINISTIC_TOTALS};
pub use ensemble::{Band, CampBand, Ensemble};
pub use error::{AnalysisError, Result, StatsError};
pub use mase::{
    calculate_mase, camp_mase, camp_weights, mase_total, validation_report, CampReport, MaseScores,
    NaiveModel, ValidationReport, NAIVE_EARLY_DAY, NAIVE_TRAINING_DAY,
};
pub use metrics::{
    abs_diff_ave, abs_diffs, ard, ard_daily, ratio_difference_ave, ratio_differences, rescale,
    rescaled_sim, total_error, ArdMode,
};
pub use output::{CampSeries, FleeOutput, Totals};
pub use rounding::{absolute_error, relative_error, round_np, round_py, ROUND_NDIGITS};
pub use stats::{mean, percentile, percentiles, sample_sd, Summary};
