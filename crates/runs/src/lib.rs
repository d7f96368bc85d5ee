//! # corridor-runs
//!
//! Runs a scenario or an ensemble of replicates, and writes and reads their
//! output files. Every command of the `corridor` program, the calibration and
//! the report go through here, so that there is one way to run replicates and
//! one writer per output file.
//!
//! * **Loading.** [`load_scenario`] reads a scenario folder with the run options
//!   ([`RunConfig`]: settings file, seed, hasten, days, threads).
//! * **One run.** [`run_scenario`] runs a scenario to the end ([`SingleRun`]);
//!   [`flee_output`] turns its daily table into the analysis crate's
//!   [`corridor_analysis::FleeOutput`] without a CSV round trip;
//!   [`run_scenario_until`] lets the caller stop a run between days.
//! * **Replicates.** [`replicate_seed`] is the seed rule; [`run_replicates`]
//!   runs an ensemble in parallel, deterministically whatever the thread count,
//!   with the per-replicate scenario (e.g. sampled parameters) prepared by the
//!   caller.
//! * **Statistics.** The ensemble files use one implementation of the mean, sd
//!   and 5–95 % band: [`corridor_analysis::Band`] (over
//!   [`corridor_analysis::Summary`]). The sd of a single run is undefined:
//!   it is NaN in the statistics and an empty field in the files.
//! * **Files.** [`files`] has one writer per file name, one schema each:
//!   `out.csv`, `summary.json` ([`RunSummary`], written and read with the same
//!   type), `fates.csv`, `ensemble.csv`, `replicates.csv`, `fates_ensemble.csv`,
//!   `parameters.yml` and `compare.csv`. A command's files are published as a
//!   set ([`OutputSet`]): all new or all old, after a failure or a kill at
//!   any point.
//! * **Parquet.** [`parquet`] holds typed columns and (feature `parquet`) the
//!   one Parquet writer: [`files::write_run_as`] writes the flow tables and the
//!   link log as Parquet too when [`files::RunFormats`] asks for it.
//! * **Sweeps.** [`run_sweep`] runs FabFlee's validation over a folder of
//!   scenarios ([`sweep_layout`]) and scores it as FabFlee does (`sweep.csv`).

pub mod compare;
pub mod ensemble;
pub mod files;
pub mod parquet;
mod publish;
mod replicates;
pub mod route_log;
mod scenario;
mod single;
mod summary;
pub mod sweep;

pub use compare::{compare_dates, compare_table, headline, snapshots, CompareRow, Snapshot};
pub use ensemble::{fate_rows, EnsembleFiles, EnsembleMember, FateRow, FATES};
pub use publish::OutputSet;
pub use replicates::{replicate_seed, run_replicate, run_replicates, Prepared, Replicate, Watch};
pub use route_log::{LogLevels, RouteLog, RunLogs};
pub use scenario::{load_scenario, thread_pool, RunConfig};
pub use single::{check_run, flee_output, run_ard, run_scenario, run_scenario_until, SingleRun};
pub use summary::RunSummary;
pub use sweep::{run_sweep, sweep_layout, Sweep, SweepLayout, SweepScore};

use std::path::PathBuf;

/// Everything that can go wrong while running scenarios or writing their files.
///
/// Messages carry their cause in the text (`cause` fields are not error sources),
/// so a chain printer such as anyhow's `{:#}` shows each cause once.
#[derive(Debug, thiserror::Error)]
pub enum RunsError {
    /// Reading the scenario.
    #[error(transparent)]
    Input(#[from] corridor_io::InputError),
    /// Running it.
    #[error(transparent)]
    Engine(#[from] corridor_engine::EngineError),
    /// Scoring or summarising outputs.
    #[error(transparent)]
    Analysis(#[from] corridor_analysis::AnalysisError),
    /// One replicate of an ensemble failed.
    #[error("replicate {replicate}: {cause}")]
    Replicate {
        replicate: usize,
        cause: Box<RunsError>,
    },
    /// The caller could not prepare a replicate's scenario (e.g. apply sampled parameters).
    #[error("replicate {replicate}: {cause}")]
    Prepare {
        replicate: usize,
        cause: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A run option out of range (`--hasten 0`, `--threads 0`, `-n 1`).
    #[error("{0}")]
    Options(String),
    /// The caller stopped the run (see [`run_scenario_until`]).
    #[error("interrupted")]
    Interrupted,
    /// The thread pool could not be built.
    #[error("thread pool: {0}")]
    ThreadPool(#[from] rayon::ThreadPoolBuildError),
    /// Writing an output file or folder.
    #[error("cannot write {}: {cause}", path.display())]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// Reading an output file.
    #[error("cannot read {}: {cause}", path.display())]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// A file that is not what it should be.
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },
    /// Writing a table as Parquet.
    #[error("parquet: {0}")]
    Parquet(String),
}

/// Results of this crate.
pub type Result<T, E = RunsError> = std::result::Result<T, E>;
