//! `summary.json`: what one run was and what it took, as one serde type.

use crate::{Result, RunsError, SingleRun};
use corridor_engine::siege::SiegeReport;
use corridor_model::Scenario;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The contents of `summary.json`, written by [`RunSummary::to_json`] and read
/// back by [`RunSummary::read`] with this same type. Every field has a default,
/// so files written by older versions (fewer fields) still read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RunSummary {
    /// Σ over days of the agents alive that day.
    pub agent_days: u64,
    /// Throughput of this run (depends on the machine).
    pub agent_days_per_second: f64,
    /// Agents created.
    pub agents: u64,
    /// ARD against the camp data (none when the run has no camp to score).
    pub ard_normal: Option<f64>,
    pub ard_rescaled: Option<f64>,
    /// Bytes of state per agent in the engine.
    pub bytes_per_agent: usize,
    /// Days simulated.
    pub days: usize,
    pub hasten: i64,
    /// The scenario's name.
    pub scenario: String,
    /// The seed (`None` only in files that lack it).
    pub seed: Option<u64>,
    /// Siege scenarios: people per fate per day and the observations.
    pub siege: Option<SiegeReport>,
    /// Wall-clock seconds of the run (depends on the machine).
    pub wall_seconds: f64,
}

impl RunSummary {
    /// The summary of `run`, a run of `scenario` with `seed`.
    pub fn new(scenario: &Scenario, seed: u64, run: &SingleRun) -> RunSummary {
        let ard = crate::run_ard(&run.output);
        RunSummary {
            agent_days: run.stats.agent_days,
            agent_days_per_second: run.stats.agent_days as f64 / run.seconds.max(1e-9),
            agents: run.stats.agents,
            ard_normal: ard.map(|a| a.0),
            ard_rescaled: ard.map(|a| a.1),
            bytes_per_agent: corridor_engine::Agents::BYTES_PER_AGENT,
            days: run.output.days.len(),
            hasten: scenario.settings.hasten,
            scenario: scenario.name.clone(),
            seed: Some(seed),
            siege: run.siege.clone(),
            wall_seconds: run.seconds,
        }
    }

    /// Pretty JSON with the keys of every object sorted, as the files have
    /// always been written (NaN and infinities become `null`).
    pub fn to_json(&self) -> Result<String> {
        // Through a `Value`: its maps sort their keys, nested siege types included.
        let value = serde_json::to_value(self).map_err(|e| RunsError::Format {
            path: "summary.json".into(),
            message: e.to_string(),
        })?;
        serde_json::to_string_pretty(&value).map_err(|e| RunsError::Format {
            path: "summary.json".into(),
            message: e.to_string(),
        })
    }

    /// Parses a `summary.json`; `path` names it in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<RunSummary> {
        serde_json::from_str(text).map_err(|e| RunsError::Format {
            path: path.to_path_buf(),
            message: format!("not a corridor summary.json: {e}"),
        })
    }

    /// Reads a `summary.json` written by `corridor run`.
    pub fn read(path: &Path) -> Result<RunSummary> {
        let text = std::fs::read_to_string(path).map_err(|cause| RunsError::Read {
            path: path.to_path_buf(),
            cause,
        })?;
        RunSummary::from_json(&text, path)
    }
}
