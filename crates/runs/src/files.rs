//! Every output file of a run or an ensemble: one writer per file name, one
//! schema each. Each writer publishes its command's files as one
//! [`OutputSet`], so a failure leaves the previous set in place.

use crate::compare::{compare_csv, CompareRow};
use crate::{EnsembleFiles, OutputSet, Result, RunSummary, SingleRun};
use corridor_model::Scenario;
use std::path::Path;

/// The Flee-format daily table of a run.
pub const OUT_CSV: &str = "out.csv";
/// [`RunSummary`] as JSON.
pub const SUMMARY_JSON: &str = "summary.json";
/// Siege scenarios: people per fate per day of one run.
pub const FATES_CSV: &str = "fates.csv";
/// Bands per camp per day of an ensemble.
pub const ENSEMBLE_CSV: &str = "ensemble.csv";
/// One row per replicate: seed, ARD, sampled parameters.
pub const REPLICATES_CSV: &str = "replicates.csv";
/// Siege scenarios: bands per fate per day of an ensemble.
pub const FATES_ENSEMBLE_CSV: &str = "fates_ensemble.csv";
/// A copy of the parameter ranges an ensemble sampled.
pub const PARAMETERS_YML: &str = "parameters.yml";
/// Two scenarios side by side.
pub const COMPARE_CSV: &str = "compare.csv";
/// FabFlee's validation over a folder of scenarios: the score per scenario and the mean score.
pub const SWEEP_CSV: &str = "sweep.csv";

/// Writes `out.csv`, `summary.json` and (siege scenarios) `fates.csv` of one
/// run of `scenario` with `seed` into `dir`; returns the summary written.
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    seed: u64,
    run: &SingleRun,
) -> Result<RunSummary> {
    let summary = RunSummary::new(scenario, seed, run);
    let mut set = OutputSet::new(dir)?;
    set.add(OUT_CSV, corridor_io::flee_out_csv(&run.output).as_bytes())?;
    set.add(SUMMARY_JSON, summary.to_json()?.as_bytes())?;
    if let Some(s) = &run.siege {
        set.add(FATES_CSV, s.fates_csv().as_bytes())?;
    }
    set.publish()?;
    Ok(summary)
}

/// Writes `ensemble.csv`, `replicates.csv`, (siege scenarios)
/// `fates_ensemble.csv` and, when parameters were sampled, `parameters.yml`
/// (the ranges file as given) into `dir`.
pub fn write_ensemble(
    dir: &Path,
    files: &EnsembleFiles,
    parameters_yml: Option<&[u8]>,
) -> Result<()> {
    let mut set = OutputSet::new(dir)?;
    set.add(ENSEMBLE_CSV, files.ensemble_csv.as_bytes())?;
    set.add(REPLICATES_CSV, files.replicates_csv.as_bytes())?;
    if let Some(f) = &files.fates_csv {
        set.add(FATES_ENSEMBLE_CSV, f.as_bytes())?;
    }
    if let Some(p) = parameters_yml {
        set.add(PARAMETERS_YML, p)?;
    }
    set.publish()
}

/// Writes `compare.csv` into `dir`.
pub fn write_compare(dir: &Path, rows: &[CompareRow]) -> Result<()> {
    let mut set = OutputSet::new(dir)?;
    set.add(COMPARE_CSV, compare_csv(rows).as_bytes())?;
    set.publish()
}

/// Writes `sweep.csv` into `dir`.
pub fn write_sweep(dir: &Path, sweep: &crate::Sweep) -> Result<()> {
    let mut set = OutputSet::new(dir)?;
    set.add(SWEEP_CSV, sweep.to_csv().as_bytes())?;
    set.publish()
}
