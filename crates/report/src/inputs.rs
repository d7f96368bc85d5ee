//! Reading existing outputs as [`Run`]s: a folder written by `corridor run`
//! (`out.csv`, and `summary.json` for the seed and, in siege scenarios, the
//! fates), or any Flee-format `out.csv` file (Flee's own included).

use crate::{ReportError, Run};
use corridor_analysis::FleeOutput;
use corridor_engine::siege::SiegeReport;
use corridor_runs::{RunSummary, RunsError};
use std::path::Path;

/// Reads the seed and siege report of a `summary.json` written by `corridor run`
/// (with the type that writes it, [`RunSummary`]).
pub fn read_summary(path: &Path) -> Result<(Option<u64>, Option<SiegeReport>), ReportError> {
    let s = RunSummary::read(path).map_err(|e| match e {
        RunsError::Read { cause, .. } => ReportError::Io {
            path: path.display().to_string(),
            source: cause,
        },
        other => ReportError::Input {
            path: path.display().to_string(),
            message: match other {
                RunsError::Format { message, .. } => message,
                e => e.to_string(),
            },
            hint: "pass the folder written by `corridor run`, or its out.csv alone".into(),
        },
    })?;
    Ok((s.seed, s.siege))
}

/// Reads one run: a folder written by `corridor run`, or an `out.csv` file.
pub fn read_run(path: &Path) -> Result<Run, ReportError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string());
    if path.is_dir() {
        let out_csv = path.join("out.csv");
        if !out_csv.is_file() {
            let hint = if path.join("ensemble.csv").is_file() {
                "this is an `corridor ensemble` folder, which keeps only the bands: run `corridor report <scenario> -n N` to run and report an ensemble".to_string()
            } else {
                "pass a folder written by `corridor run` (with out.csv) or an out.csv file"
                    .to_string()
            };
            return Err(ReportError::Input {
                path: path.display().to_string(),
                message: "no out.csv in this folder".into(),
                hint,
            });
        }
        let out = FleeOutput::read(&out_csv)?;
        let summary = path.join("summary.json");
        let (seed, siege) = if summary.is_file() {
            read_summary(&summary)?
        } else {
            (None, None)
        };
        Ok(Run {
            label: name,
            seed,
            params: vec![],
            out,
            siege,
        })
    } else {
        let out = FleeOutput::read(path)?;
        Ok(Run {
            label: name,
            seed: None,
            params: vec![],
            out,
            siege: None,
        })
    }
}
