//! One run of a scenario, and its daily table as the analysis crate reads it.

use crate::route_log::{LogLevels, RouteLog, RunLogs};
use crate::{Result, RunsError};
use corridor_analysis::{ard, ArdMode, CampSeries, FleeOutput, Totals};
use corridor_engine::events::NoObserver;
use corridor_engine::siege::SiegeReport;
use corridor_engine::{RunOptions, RunStats, Simulation};
use corridor_model::{date, RunOutput, Scenario};
use std::ops::ControlFlow;
use std::time::Instant;

/// What one run produced.
#[derive(Debug, Clone)]
pub struct SingleRun {
    /// The daily table (`out.csv`).
    pub output: RunOutput,
    pub stats: RunStats,
    /// Siege scenarios: people per fate per day and the observations.
    pub siege: Option<SiegeReport>,
    /// Wall-clock seconds of the run.
    pub seconds: f64,
    /// Flee's agent and link logs and the flow tables, when `log_levels` asks for them.
    pub logs: Option<RunLogs>,
}

/// Runs `scenario` to the end with `seed` (for `days` days if given), calling
/// `progress(done, total)` after each day. Runs on the current thread pool.
pub fn run_scenario(
    scenario: &Scenario,
    seed: u64,
    days: Option<u32>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<SingleRun> {
    run_scenario_until(scenario, seed, days, &mut |done, total| {
        progress(done, total);
        ControlFlow::Continue(())
    })
}

/// Checks that `scenario` can start a run of `days` days (its settings and
/// rule inputs, enough conflict rows, the day-0 agents within the agent
/// limit): the errors [`run_scenario`] would stop on before its first day,
/// without creating the agents.
pub fn check_run(scenario: &Scenario, days: Option<u32>) -> Result<()> {
    Ok(Simulation::check(scenario, &RunOptions { seed: 0, days })?)
}

/// As [`run_scenario`], but `day_done(done, total)`, called after each day, may
/// stop the run: [`ControlFlow::Break`] ends it with [`RunsError::Interrupted`]
/// (e.g. Ctrl-C in the Python package).
pub fn run_scenario_until(
    scenario: &Scenario,
    seed: u64,
    days: Option<u32>,
    day_done: &mut dyn FnMut(usize, usize) -> ControlFlow<()>,
) -> Result<SingleRun> {
    let started = Instant::now();
    let mut sim = Simulation::new(scenario, &RunOptions { seed, days })?;
    let total = sim.days() as usize;
    let mut done = 0;
    // Logs observe the run only when asked for: otherwise nothing is observed.
    let mut log = LogLevels::of(sim.settings()).map(|l| RouteLog::new(l, sim.world(), seed));
    loop {
        let t = sim.day();
        let stepped = match &mut log {
            None => sim.step(&mut NoObserver)?.is_some(),
            Some(log) => sim.step(log)?.is_some(),
        };
        if !stepped {
            break;
        }
        if let Some(log) = &mut log {
            log.end_of_day(sim.world(), t);
        }
        done += 1;
        if day_done(done, total).is_break() {
            return Err(RunsError::Interrupted);
        }
    }
    Ok(SingleRun {
        logs: log.map(|l| l.finish(sim.world())),
        siege: sim.siege_report(),
        stats: sim.stats.clone(),
        output: sim.output().clone(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The daily table of a run as a [`FleeOutput`], equal to what parsing the
/// `out.csv` that [`corridor_io::flee_out_csv`] writes gives, column for column
/// (the per-camp `error` and `Total error` included), without the CSV text.
/// `source` names it in error messages. Errors for a run of no day or no camp.
pub fn flee_output(run: &RunOutput, source: impl Into<String>) -> Result<FleeOutput> {
    let idp = run.days.first().is_some_and(|d| d.idp_total.is_some());
    let at = |v: &[i64], i: usize| v.get(i).copied().unwrap_or(0);
    let camps = run
        .camps
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let sim: Vec<f64> = run.days.iter().map(|d| at(&d.camp_sim, i) as f64).collect();
            let data: Vec<f64> = run
                .days
                .iter()
                .map(|d| at(&d.camp_data, i) as f64)
                .collect();
            let error = sim
                .iter()
                .zip(&data)
                .map(|(&s, &d)| corridor_analysis::relative_error(s, d))
                .collect();
            CampSeries {
                name: name.clone(),
                sim,
                data,
                error,
            }
        })
        .collect();
    // Without a raw count Flee writes zeros for the observed totals.
    let observed = |d: &corridor_model::DayRecord, x: i64| if d.raw > 0 { x as f64 } else { 0.0 };
    let total_error = |d: &corridor_model::DayRecord| {
        if d.raw <= 0 {
            return 0.0;
        }
        // i128: no overflow whatever the counts; as flee_out_csv computes it.
        let abs_sum: i128 = (0..run.camps.len())
            .map(|i| (at(&d.camp_sim, i) as i128 - at(&d.camp_data, i) as i128).abs())
            .sum();
        abs_sum as f64 / d.raw as f64
    };
    let totals = Totals {
        total_error: run.days.iter().map(total_error).collect(),
        refugees_in_camps_unhcr: run
            .days
            .iter()
            .map(|d| observed(d, d.data_in_camps()))
            .collect(),
        total_refugees_sim: run.days.iter().map(|d| d.total_agents as f64).collect(),
        raw_unhcr_count: run.days.iter().map(|d| observed(d, d.raw)).collect(),
        refugees_in_camps_sim: run.days.iter().map(|d| d.sim_in_camps() as f64).collect(),
        refugee_debt: run.days.iter().map(|d| observed(d, d.debt)).collect(),
        total_idps: idp.then(|| {
            run.days
                .iter()
                .map(|d| d.idp_total.unwrap_or(0) as f64)
                .collect()
        }),
    };
    Ok(FleeOutput::new(
        source,
        run.days.iter().map(|d| d.day).collect(),
        run.days
            .iter()
            .map(|d| date::iso(d.date_epoch_day))
            .collect(),
        camps,
        totals,
    )?)
}

/// ARD (normal, rescaled) of a run, if it can be scored (at least one day and one camp).
pub fn run_ard(run: &RunOutput) -> Option<(f64, f64)> {
    let out = flee_output(run, "<run>").ok()?;
    Some((ard(&out, ArdMode::Normal), ard(&out, ArdMode::Rescaled)))
}
