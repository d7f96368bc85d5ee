//! Ensembles of replicates: the seed rule and the parallel runner.

use crate::{Result, RunsError};
use corridor_engine::events::NoObserver;
use corridor_engine::siege::SiegeReport;
use corridor_engine::{rng, RunOptions, Simulation};
use corridor_model::{RunOutput, Scenario};
use rayon::prelude::*;
use std::borrow::Cow;

/// Seed of replicate `i` of an ensemble with master seed `master`: a fixed
/// function of both, so an ensemble is reproducible and replicates differ.
/// Calibration uses it too, so `corridor ensemble --seed M -n k` runs the seeds
/// that a calibration with master seed `M` and `k` fit seeds used.
pub fn replicate_seed(master: u64, i: u64) -> u64 {
    rng::mix64(master ^ rng::mix64(i.wrapping_add(0x9e37_79b9_7f4a_7c15)))
}

/// Watches a replicate day by day (e.g. to record which routes are closed).
pub trait Watch: Send {
    /// Called after each simulated day.
    fn day(&mut self, sim: &Simulation);
}

impl Watch for () {
    fn day(&mut self, _: &Simulation) {}
}

/// The scenario a replicate runs, as the caller prepared it.
pub struct Prepared<'a> {
    /// The shared scenario, or a copy with sampled parameters applied.
    pub scenario: Cow<'a, Scenario>,
    /// The sampled parameter values (empty without sampling).
    pub params: Vec<f64>,
}

impl<'a> Prepared<'a> {
    /// The shared scenario, unchanged.
    pub fn shared(scenario: &'a Scenario) -> Prepared<'a> {
        Prepared {
            scenario: Cow::Borrowed(scenario),
            params: Vec::new(),
        }
    }
}

/// One replicate's results.
#[derive(Debug, Clone)]
pub struct Replicate<W = ()> {
    /// Its index in the ensemble.
    pub replicate: usize,
    /// `replicate_seed(master, replicate)`.
    pub seed: u64,
    /// The sampled parameter values, if any.
    pub params: Vec<f64>,
    pub output: RunOutput,
    pub siege: Option<SiegeReport>,
    /// The watcher, if this replicate had one.
    pub watch: Option<W>,
}

/// Runs replicates `0..n` in parallel on the current thread pool: replicate `i`
/// with seed [`replicate_seed`]`(master, i)` on the scenario `prepare(i, seed)`
/// returns, watched by `watch(i)` if that is `Some`. `done` is called after each
/// replicate (for a progress bar). Results are in replicate order whatever the
/// thread count; the first failing replicate's error is returned.
pub fn run_replicates<'a, P, W, F>(
    n: usize,
    master: u64,
    days: Option<u32>,
    prepare: P,
    watch: F,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Replicate<W>>>
where
    P: Fn(usize, u64) -> Result<Prepared<'a>, Box<dyn std::error::Error + Send + Sync>> + Sync,
    W: Watch,
    F: Fn(usize) -> Option<W> + Sync,
{
    (0..n)
        .into_par_iter()
        .map(|i| {
            let seed = replicate_seed(master, i as u64);
            let prepared = prepare(i, seed).map_err(|cause| RunsError::Prepare {
                replicate: i,
                cause,
            })?;
            let r = run_replicate(i, master, prepared, days, watch(i))?;
            done();
            Ok(r)
        })
        .collect()
}

/// Runs replicate `replicate` of an ensemble with master seed `master` on the
/// scenario prepared for it (as [`run_replicates`] does for each; for callers
/// that deal replicates out themselves, e.g. over MPI ranks). Errors name the replicate.
pub fn run_replicate<W: Watch>(
    replicate: usize,
    master: u64,
    prepared: Prepared,
    days: Option<u32>,
    watch: Option<W>,
) -> Result<Replicate<W>> {
    let seed = replicate_seed(master, replicate as u64);
    run_seeded(replicate, seed, prepared, days, watch).map_err(|e| RunsError::Replicate {
        replicate,
        cause: Box::new(e),
    })
}

fn run_seeded<W: Watch>(
    replicate: usize,
    seed: u64,
    prepared: Prepared,
    days: Option<u32>,
    mut watch: Option<W>,
) -> Result<Replicate<W>> {
    let mut sim = Simulation::new(&prepared.scenario, &RunOptions { seed, days })?;
    while sim.step(&mut NoObserver)?.is_some() {
        if let Some(w) = watch.as_mut() {
            w.day(&sim);
        }
    }
    Ok(Replicate {
        replicate,
        seed,
        params: prepared.params,
        siege: sim.siege_report(),
        output: sim.output().clone(),
        watch,
    })
}
