//! Every output file of a run or an ensemble: one writer per file name, one
//! schema each. Each writer publishes its command's files as one
//! [`OutputSet`], so a failure leaves the previous set in place.

use crate::compare::{compare_csv, CompareRow};
use crate::parquet::{typed_columns, write_parquet, ColumnType};
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
/// Flee's per-agent log (`log_levels.agent`), rank 0.
pub const AGENTS_OUT: &str = "agents.out.0";
/// Flee's per-link log (`log_levels.link`), rank 0.
pub const LINKS_OUT: &str = "links.out.0";
/// Agents entering each directed link per day (`log_levels.link`).
pub const LINK_FLOWS_CSV: &str = "link_flows.csv";
/// Agents per origin and current destination at the end of the run (`log_levels.link`).
pub const OD_CSV: &str = "od.csv";
/// `link_flows.csv` as Parquet ([`RunFormats::parquet`]).
pub const LINK_FLOWS_PARQUET: &str = "link_flows.parquet";
/// `od.csv` as Parquet ([`RunFormats::parquet`]).
pub const OD_PARQUET: &str = "od.parquet";
/// `links.out.0` as Parquet ([`RunFormats::parquet`]; the header's `#time` is `time`).
pub const LINKS_PARQUET: &str = "links.parquet";

use ColumnType::{Int64, Utf8};
/// The columns of `link_flows.csv` / `link_flows.parquet`.
pub const LINK_FLOWS_COLUMNS: [(&str, ColumnType); 4] = [
    ("day", Int64),
    ("start_location", Utf8),
    ("end_location", Utf8),
    ("entries", Int64),
];
/// The columns of `od.csv` / `od.parquet`.
pub const OD_COLUMNS: [(&str, ColumnType); 4] = [
    ("origin", Utf8),
    ("destination", Utf8),
    ("agents", Int64),
    ("travelling", Int64),
];
/// The columns of `links.out.0` / `links.parquet`.
pub const LINKS_COLUMNS: [(&str, ColumnType); 5] = [
    ("time", Int64),
    ("start_location", Utf8),
    ("end_location", Utf8),
    ("cum_num_agents", Int64),
    ("attribute", Utf8),
];

/// Which formats a run's tables are written in besides CSV (the command
/// line's `corridor run --parquet`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunFormats {
    /// Also write `link_flows.parquet`, `od.parquet` and `links.parquet`
    /// next to their CSV files (when `log_levels.link` writes those).
    pub parquet: bool,
}

/// Writes `out.csv`, `summary.json`, (siege scenarios) `fates.csv` and (when
/// `log_levels` asks for them) `agents.out.0`, `links.out.0`, `link_flows.csv`
/// and `od.csv` of one run of `scenario` with `seed` into `dir`; returns the summary written.
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    seed: u64,
    run: &SingleRun,
) -> Result<RunSummary> {
    write_run_as(dir, scenario, seed, run, RunFormats::default())
}

/// As [`write_run`], also writing the tables in the other `formats` (in the
/// same set: all are published or none).
pub fn write_run_as(
    dir: &Path,
    scenario: &Scenario,
    seed: u64,
    run: &SingleRun,
    formats: RunFormats,
) -> Result<RunSummary> {
    let summary = RunSummary::new(scenario, seed, run);
    let mut set = OutputSet::new(dir)?;
    set.add(OUT_CSV, corridor_io::flee_out_csv(&run.output).as_bytes())?;
    set.add(SUMMARY_JSON, summary.to_json()?.as_bytes())?;
    if let Some(s) = &run.siege {
        set.add(FATES_CSV, s.fates_csv().as_bytes())?;
    }
    if let Some(logs) = &run.logs {
        let files = [
            (AGENTS_OUT, &logs.agents_out),
            (LINKS_OUT, &logs.links_out),
            (LINK_FLOWS_CSV, &logs.link_flows_csv),
            (OD_CSV, &logs.od_csv),
        ];
        for (name, text) in files {
            if let Some(text) = text {
                set.add(name, text.as_bytes())?;
            }
        }
        if formats.parquet {
            let tables = [
                (
                    LINK_FLOWS_PARQUET,
                    LINK_FLOWS_CSV,
                    &logs.link_flows_csv,
                    &LINK_FLOWS_COLUMNS[..],
                ),
                (OD_PARQUET, OD_CSV, &logs.od_csv, &OD_COLUMNS[..]),
                (
                    LINKS_PARQUET,
                    LINKS_OUT,
                    &logs.links_out,
                    &LINKS_COLUMNS[..],
                ),
            ];
            for (name, of, text, columns) in tables {
                if let Some(text) = text {
                    set.add(name, &write_parquet(&typed_columns(text, of, columns)?)?)?;
                }
            }
        }
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
