//! `run`, `ensemble` and `compare`: through `corridor-runs`, as the CLI's
//! `run`, `ensemble` and `compare` commands do.

use crate::errors::{to_py, IntoPy};
use crate::interrupt::interruptible;
use corridor_model::Scenario;
use corridor_report::{sampler, ParamSpace};
use corridor_runs::{
    compare::compare_csv, compare_dates, files, run_replicates, snapshots, EnsembleFiles,
    EnsembleMember, Replicate, RunConfig, RunSummary, RunsError, SingleRun, Snapshot,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// Reads a scenario with the run options; returns it with the reader's warnings as text.
fn load(path: &Path, config: &RunConfig) -> PyResult<(Scenario, Vec<String>)> {
    let (scenario, warnings) = corridor_runs::load_scenario(path, config).py_err()?;
    Ok((scenario, warnings.iter().map(|w| w.to_string()).collect()))
}

/// The run options as the CLI's `SimOptions` give them.
fn config(
    settings: Option<PathBuf>,
    seed: u64,
    hasten: Option<i64>,
    days: Option<u32>,
    threads: Option<usize>,
) -> RunConfig {
    RunConfig {
        settings,
        seed,
        hasten,
        days,
        threads,
    }
}

/// One column of a table for the Python side: its name, its kind (`"i8"`:
/// native-endian int64, `"f8"`: native-endian float64, `"str"`: a list of
/// str) and its values.
type Column = (String, &'static str, Py<PyAny>);

fn int_column(py: Python<'_>, name: String, values: impl Iterator<Item = i64>) -> Column {
    let bytes: Vec<u8> = values.flat_map(i64::to_ne_bytes).collect();
    (name, "i8", PyBytes::new(py, &bytes).into_any().unbind())
}

fn float_column(py: Python<'_>, name: String, values: &[f64]) -> Column {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
    (name, "f8", PyBytes::new(py, &bytes).into_any().unbind())
}

/// One run of a scenario (the native half of `corridor.RunResult`).
#[pyclass(module = "corridor._corridor", frozen)]
pub struct Run {
    scenario: Scenario,
    run: SingleRun,
    seed: u64,
    warnings: Vec<String>,
}

#[pymethods]
impl Run {
    /// The scenario's name.
    #[getter]
    fn scenario(&self) -> &str {
        &self.scenario.name
    }

    /// The seed of the run.
    #[getter]
    fn seed(&self) -> u64 {
        self.seed
    }

    /// The scenario reader's warnings.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// The columns of `out.csv`, in its order, with its headers and values.
    fn out_columns(&self, py: Python<'_>) -> PyResult<Vec<Column>> {
        let out = corridor_runs::flee_output(&self.run.output, &self.scenario.name).py_err()?;
        let ints = |v: &[f64]| v.iter().map(|&x| x as i64).collect::<Vec<_>>().into_iter();
        let mut cols = vec![
            int_column(py, "Day".into(), out.days().iter().copied()),
            (
                "Date".into(),
                "str",
                PyList::new(py, out.dates())?.into_any().unbind(),
            ),
        ];
        for c in out.camps() {
            cols.push(int_column(py, format!("{} sim", c.name), ints(&c.sim)));
            cols.push(int_column(py, format!("{} data", c.name), ints(&c.data)));
            cols.push(float_column(py, format!("{} error", c.name), &c.error));
        }
        let t = out.totals();
        cols.push(float_column(py, "Total error".into(), &t.total_error));
        for (name, v) in [
            ("refugees in camps (UNHCR)", &t.refugees_in_camps_unhcr),
            ("total refugees (simulation)", &t.total_refugees_sim),
            ("raw UNHCR refugee count", &t.raw_unhcr_count),
            ("refugees in camps (simulation)", &t.refugees_in_camps_sim),
            ("refugee_debt", &t.refugee_debt),
        ] {
            cols.push(int_column(py, name.into(), ints(v)));
        }
        if let Some(idp) = &t.total_idps {
            cols.push(int_column(py, "total IDPs".into(), ints(idp)));
        }
        Ok(cols)
    }

    /// `fates.csv` (siege scenarios), else None.
    fn fates_csv(&self) -> Option<String> {
        self.run.siege.as_ref().map(|s| s.fates_csv())
    }

    /// `summary.json`.
    fn summary_json(&self) -> PyResult<String> {
        RunSummary::new(&self.scenario, self.seed, &self.run)
            .to_json()
            .py_err()
    }

    /// Writes `out.csv`, `summary.json` and (siege scenarios) `fates.csv` into
    /// `folder`, as `corridor run -o folder` does.
    fn write(&self, folder: PathBuf) -> PyResult<()> {
        files::write_run(&folder, &self.scenario, self.seed, &self.run).py_err()?;
        Ok(())
    }
}

/// Runs a scenario (`corridor run`), without the GIL; Ctrl-C stops it between days.
#[pyfunction]
#[pyo3(signature = (scenario, settings=None, seed=1, hasten=None, days=None, threads=None))]
pub fn run(
    py: Python<'_>,
    scenario: PathBuf,
    settings: Option<PathBuf>,
    seed: u64,
    hasten: Option<i64>,
    days: Option<u32>,
    threads: Option<usize>,
) -> PyResult<Run> {
    let cfg = config(settings, seed, hasten, days, threads);
    let (scn, warnings) = load(&scenario, &cfg)?;
    let pool = corridor_runs::thread_pool(threads).py_err()?;
    let result = interruptible(py, |stop| {
        pool.install(|| {
            corridor_runs::run_scenario_until(&scn, seed, days, &mut |_, _| {
                if stop.requested() {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
        })
    })?;
    let run = result.py_err()?;
    Ok(Run {
        scenario: scn,
        run,
        seed,
        warnings,
    })
}

/// Runs `n` replicates on the pool; the stop flag is checked before each replicate.
fn replicates(
    py: Python<'_>,
    scenario: &Scenario,
    space: Option<&ParamSpace>,
    cfg: &RunConfig,
    n: usize,
) -> PyResult<Vec<Replicate>> {
    let pool = corridor_runs::thread_pool(cfg.threads).py_err()?;
    let prepare = sampler(scenario, space, cfg.seed);
    let result = interruptible(py, |stop| {
        pool.install(|| {
            run_replicates(
                n,
                cfg.seed,
                cfg.days,
                |i, seed| {
                    if stop.requested() {
                        return Err(Box::new(RunsError::Interrupted) as _);
                    }
                    prepare(i, seed)
                },
                |_| None::<()>,
                &|| {},
            )
        })
    })?;
    result.py_err()
}

/// An ensemble's tables (the native half of `corridor.EnsembleResult`).
#[pyclass(module = "corridor._corridor", frozen)]
pub struct EnsembleRun {
    files: EnsembleFiles,
    ranges: Option<Vec<u8>>,
}

#[pymethods]
impl EnsembleRun {
    /// `ensemble.csv`.
    fn ensemble_csv(&self) -> &str {
        &self.files.ensemble_csv
    }

    /// `replicates.csv`.
    fn replicates_csv(&self) -> &str {
        &self.files.replicates_csv
    }

    /// `fates_ensemble.csv` (siege scenarios), else None.
    fn fates_csv(&self) -> Option<&str> {
        self.files.fates_csv.as_deref()
    }

    /// Writes the ensemble's files into `folder`, as `corridor ensemble -o folder` does.
    fn write(&self, folder: PathBuf) -> PyResult<()> {
        files::write_ensemble(&folder, &self.files, self.ranges.as_deref()).py_err()
    }
}

/// `corridor ensemble`: `n` replicates, optionally with parameters sampled from
/// the ranges file `params`.
#[pyfunction]
#[pyo3(signature = (scenario, n=10, params=None, settings=None, seed=1, hasten=None, days=None, threads=None))]
#[allow(clippy::too_many_arguments)]
pub fn ensemble(
    py: Python<'_>,
    scenario: PathBuf,
    n: usize,
    params: Option<PathBuf>,
    settings: Option<PathBuf>,
    seed: u64,
    hasten: Option<i64>,
    days: Option<u32>,
    threads: Option<usize>,
) -> PyResult<EnsembleRun> {
    if n < 2 {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "an ensemble needs at least 2 replicates (n)",
        ));
    }
    let cfg = config(settings, seed, hasten, days, threads);
    let (scn, _) = load(&scenario, &cfg)?;
    let space = match &params {
        Some(p) => {
            let s = ParamSpace::read(p).py_err()?;
            s.check(&scn).py_err()?;
            Some(s)
        }
        None => None,
    };
    let reps = replicates(py, &scn, space.as_ref(), &cfg, n)?;
    let members = reps
        .iter()
        .map(Replicate::member)
        .collect::<Result<Vec<EnsembleMember>, _>>()
        .py_err()?;
    let names = space.as_ref().map(ParamSpace::names).unwrap_or_default();
    let files = EnsembleFiles::new(members, &names).py_err()?;
    let ranges = match &params {
        Some(p) => Some(std::fs::read(p).map_err(|e| {
            to_py(&RunsError::Read {
                path: p.clone(),
                cause: e,
            })
        })?),
        None => None,
    };
    Ok(EnsembleRun { files, ranges })
}

/// `corridor compare A B -n N`: the same seeds (and, unless `seeds_only`, the
/// same draws from A's declared parameter ranges) through two scenarios,
/// reported at A's key dates and the last day; returns `compare.csv`.
#[pyfunction]
#[pyo3(signature = (a, b, n=10, settings=None, seed=1, hasten=None, days=None, threads=None, seeds_only=false))]
#[allow(clippy::too_many_arguments)]
pub fn compare(
    py: Python<'_>,
    a: PathBuf,
    b: PathBuf,
    n: usize,
    settings: Option<PathBuf>,
    seed: u64,
    hasten: Option<i64>,
    days: Option<u32>,
    threads: Option<usize>,
    seeds_only: bool,
) -> PyResult<String> {
    let cfg = config(settings, seed, hasten, days, threads);
    let (sa, _) = load(&a, &cfg)?;
    let (sb, _) = load(&b, &cfg)?;
    // As the CLI: both sides draw from A's ranges, so replicate i differs only by B.
    let space = corridor_report::uncertainty(&sa, None, seeds_only).py_err()?;
    if let Some(sp) = &space {
        sp.check(&sb).py_err()?;
    }
    let key_dates = sa
        .siege
        .as_ref()
        .map(|s| s.key_dates.clone())
        .unwrap_or_default();
    let snaps = |s: &Scenario| -> PyResult<Vec<Vec<Snapshot>>> {
        replicates(py, s, space.as_ref(), &cfg, n)?
            .iter()
            .map(|r| {
                Ok(snapshots(
                    &r.member().py_err()?,
                    r.siege.as_ref(),
                    &key_dates,
                ))
            })
            .collect()
    };
    let rows = compare_dates(&snaps(&sa)?, &snaps(&sb)?);
    Ok(compare_csv(&rows))
}
