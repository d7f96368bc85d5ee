//! `validate` and `calibrate`, as the CLI's commands compute them.

use crate::errors::IntoPy;
use crate::interrupt::interruptible;
use corridor_analysis::{ArdMode, FleeOutput};
use corridor_calibrate::{CalibrationOptions, ParameterSpace, Split};
use corridor_report::ErrorTable;
use corridor_runs::RunConfig;
use pyo3::prelude::*;
use std::path::PathBuf;

/// `corridor validate --csv`: the error table (per camp and overall: ARD, MASE)
/// of each `out.csv` (or run folder) as CSV text.
#[pyfunction]
pub fn validate(paths: Vec<PathBuf>) -> PyResult<String> {
    let mut csv = ErrorTable::csv_header();
    for p in &paths {
        let out_csv = if p.is_dir() {
            p.join("out.csv")
        } else {
            p.clone()
        };
        let out = FleeOutput::read(&out_csv).py_err()?;
        csv.push_str(&ErrorTable::new(&out).csv_rows());
    }
    Ok(csv)
}

/// Candidate evaluations per parameter when no budget is given (as `corridor calibrate`).
const BUDGET_PER_PARAMETER: usize = 35;

/// `corridor calibrate`: fits the parameters of the space file `space` (CMA-ES
/// over common random numbers); returns the calibration as JSON (the contents of
/// `calibration.json` without the fields that measure the machine).
#[pyfunction]
#[pyo3(signature = (scenario, space, settings=None, seed=1, hasten=None, days=None, threads=None,
    fit_days=None, fit_fraction=None, seeds=4, eval_seeds=8, budget=None, metric="rescaled",
    sigma0=0.3, select_recent=0.3))]
#[allow(clippy::too_many_arguments)]
pub fn calibrate(
    py: Python<'_>,
    scenario: PathBuf,
    space: PathBuf,
    settings: Option<PathBuf>,
    seed: u64,
    hasten: Option<i64>,
    days: Option<u32>,
    threads: Option<usize>,
    fit_days: Option<usize>,
    fit_fraction: Option<f64>,
    seeds: usize,
    eval_seeds: usize,
    budget: Option<usize>,
    metric: &str,
    sigma0: f64,
    select_recent: f64,
) -> PyResult<String> {
    let mode = match metric {
        "rescaled" => ArdMode::Rescaled,
        "normal" => ArdMode::Normal,
        other => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "metric must be \"rescaled\" or \"normal\", got {other:?}"
            )))
        }
    };
    let cfg = RunConfig {
        settings,
        seed,
        hasten,
        days,
        threads,
    };
    let (scn, _) = corridor_runs::load_scenario(&scenario, &cfg).py_err()?;
    let space_def = ParameterSpace::read(&space).py_err()?;
    space_def
        .check(&scn, &space.display().to_string())
        .py_err()?;
    let split = match (fit_days, fit_fraction) {
        (Some(n), _) => Split::Days(n),
        (None, Some(f)) => Split::Fraction(f),
        (None, None) => Split::Fraction(0.7),
    };
    let opts = CalibrationOptions {
        split,
        fit_seeds: seeds,
        eval_seeds,
        budget: budget.unwrap_or(BUDGET_PER_PARAMETER * space_def.dim()),
        master_seed: seed,
        mode,
        days,
        sigma0,
        lambda: None,
        select_recent: (select_recent != 0.0).then_some(select_recent),
    };
    let pool = corridor_runs::thread_pool(threads).py_err()?;
    // The calibration has no stop hook: Ctrl-C is raised when it returns.
    let cal = interruptible(py, |_| {
        pool.install(|| corridor_calibrate::calibrate(&scn, &space_def, &opts))
    })?
    .py_err()?;
    let mut json = serde_json::to_value(&cal)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    json["hasten"] = serde_json::json!(scn.settings.hasten);
    json["space_file"] = serde_json::json!(space.display().to_string());
    Ok(json.to_string())
}
