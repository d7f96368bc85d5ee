//! Loading a scenario with the run options.

use crate::{Result, RunsError};
use corridor_model::Scenario;
use std::path::{Path, PathBuf};

/// How to run a scenario, whatever the command: the options every running
/// command shares.
#[derive(Debug, Clone, PartialEq)]
pub struct RunConfig {
    /// Settings file in Flee's `simsetting.yml` schema (default: the scenario's own).
    pub settings: Option<PathBuf>,
    /// Master seed: the seed of a single run, from which replicate seeds derive.
    pub seed: u64,
    /// Divide populations by this factor (overrides `optimisations.hasten`).
    pub hasten: Option<i64>,
    /// Simulate this many days instead of the scenario's length.
    pub days: Option<u32>,
    /// Worker threads (default: all cores). Outputs do not depend on it.
    pub threads: Option<usize>,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            settings: None,
            seed: 1,
            hasten: None,
            days: None,
            threads: None,
        }
    }
}

/// Reads a scenario folder of either format (Flee/FabFlee or corridor) and
/// applies the overrides of `config`. Returns the reader's warnings for the
/// caller to show.
pub fn load_scenario(
    path: &Path,
    config: &RunConfig,
) -> Result<(Scenario, Vec<corridor_io::Warning>)> {
    let (mut scenario, warnings) = corridor_io::read_scenario(path, config.settings.as_deref())?;
    if let Some(h) = config.hasten {
        if h < 1 {
            return Err(RunsError::Options(format!(
                "--hasten must be at least 1, got {h}"
            )));
        }
        scenario.settings.hasten = h;
    }
    if scenario.siege.is_some() && scenario.settings.hasten > 1 {
        // Hasten divides camp capacities and data series but not a siege's
        // households, screening or transport: the result would be wrong.
        return Err(RunsError::Options(format!(
            "hasten {} is not supported for a siege scenario ({}): it would divide camp \
             capacities but not the besieged population\n  hint: use siege.people_per_agent \
             to run with fewer agents",
            scenario.settings.hasten,
            path.display()
        )));
    }
    Ok((scenario, warnings))
}

/// A thread pool of `threads` workers (all cores when `None`).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            return Err(RunsError::Options("--threads must be at least 1".into()));
        }
        b = b.num_threads(n);
    }
    Ok(b.build()?)
}
