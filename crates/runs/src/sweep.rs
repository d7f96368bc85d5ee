//! FabFlee's validation workflow over a folder of scenarios (docs/flee-model.md
//! 6.3): every scenario of a SWEEP folder is run as an ensemble and scored with
//! the rescaled ARD, and the headline is the mean of the per-scenario means.
//!
//! Layouts: `<config>/SWEEP/<name>/` with a shared `<config>/simsetting.yml`
//! (FabFlee's `config_files/<config>`), or a plain folder of scenario folders.
//! As in FabFlee, where files of a scenario folder are laid over the config
//! root, a scenario's own `simsetting.yml` wins over the shared one; a
//! `--settings` file wins over both.

use crate::{replicates::Prepared, run_replicates, Result, RunConfig, RunsError};
use corridor_analysis::{ard, ArdMode};
use std::path::{Path, PathBuf};

/// The scenarios of a sweep and the settings they share.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepLayout {
    /// Scenario folders, sorted by name.
    pub scenarios: Vec<PathBuf>,
    /// `<config>/simsetting.yml` of FabFlee's layout, if present.
    pub shared_settings: Option<PathBuf>,
    /// Sub-folders that are not scenarios (no `input_csv/` or `scenario.yml`), for a warning.
    pub skipped: Vec<PathBuf>,
}

/// One scenario's scores over its replicates.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepScore {
    /// The scenario folder's name (FabFlee's label).
    pub scenario: String,
    /// Rescaled ARD of each replicate, in replicate order.
    pub rescaled: Vec<f64>,
    /// Normal ARD of each replicate.
    pub normal: Vec<f64>,
}

impl SweepScore {
    /// Mean of the rescaled ARD: FabFlee's score of the scenario.
    pub fn mean_rescaled(&self) -> f64 {
        mean(&self.rescaled)
    }
}

/// A whole sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub scores: Vec<SweepScore>,
}

impl Sweep {
    /// FabFlee's "mean score": the mean over scenarios of the mean rescaled ARD.
    pub fn mean_score(&self) -> f64 {
        mean(
            &self
                .scores
                .iter()
                .map(SweepScore::mean_rescaled)
                .collect::<Vec<_>>(),
        )
    }

    /// `sweep.csv`: one row per scenario (mean, sd, min, max of the rescaled
    /// ARD, mean of the normal ARD), then the mean score.
    pub fn to_csv(&self) -> String {
        let mut s = String::from(
            "scenario,replicates,ard_rescaled_mean,ard_rescaled_sd,ard_rescaled_min,ard_rescaled_max,ard_normal_mean\n",
        );
        for sc in &self.scores {
            let r = &sc.rescaled;
            let sd = if r.len() > 1 {
                format!("{:.6}", sd(r))
            } else {
                String::new()
            };
            let min = r.iter().copied().fold(f64::INFINITY, f64::min);
            let max = r.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            s.push_str(&format!(
                "{},{},{:.6},{sd},{min:.6},{max:.6},{:.6}\n",
                csv_field(&sc.scenario),
                r.len(),
                sc.mean_rescaled(),
                mean(&sc.normal)
            ));
        }
        s.push_str(&format!("mean score,,{:.6},,,,\n", self.mean_score()));
        s
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

fn sd(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
}

/// The scenarios under `dir`: `dir/SWEEP/*` if that folder exists, else `dir/*`.
pub fn sweep_layout(dir: &Path) -> Result<SweepLayout> {
    let read = |p: &Path| -> Result<Vec<PathBuf>> {
        let entries = std::fs::read_dir(p).map_err(|cause| RunsError::Read {
            path: p.to_path_buf(),
            cause,
        })?;
        let mut v: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        v.sort();
        Ok(v)
    };
    let sweep = dir.join("SWEEP");
    let (folders, shared_settings) = if sweep.is_dir() {
        let s = dir.join("simsetting.yml");
        (read(&sweep)?, s.is_file().then_some(s))
    } else {
        (read(dir)?, None)
    };
    let is_scenario =
        |p: &PathBuf| p.join("input_csv").is_dir() || p.join("scenario.yml").is_file();
    let (scenarios, skipped): (Vec<PathBuf>, Vec<PathBuf>) =
        folders.into_iter().partition(is_scenario);
    if scenarios.is_empty() {
        return Err(RunsError::Format {
            path: dir.to_path_buf(),
            message: "no scenario folders here (a scenario folder holds input_csv/ or scenario.yml)\n  \
                      hint: pass a folder of scenario folders, or a FabFlee config folder with SWEEP/"
                .into(),
        });
    }
    Ok(SweepLayout {
        scenarios,
        shared_settings,
        skipped,
    })
}

/// The run options of one scenario of a sweep: `--settings` if given, else
/// the scenario's own `simsetting.yml`, else the shared one.
pub fn sweep_config(layout: &SweepLayout, scenario: &Path, config: &RunConfig) -> RunConfig {
    let mut c = config.clone();
    if c.settings.is_none() && !scenario.join("simsetting.yml").is_file() {
        c.settings = layout.shared_settings.clone();
    }
    c
}

/// Runs `replicates` replicates of every scenario of `layout` (seeds as
/// `corridor ensemble --seed` derives them) and scores each with FabFlee's
/// metric. `loaded(path, warnings)` is called as each scenario is read;
/// `done()` after each replicate.
pub fn run_sweep(
    layout: &SweepLayout,
    config: &RunConfig,
    replicates: usize,
    loaded: &mut dyn FnMut(&Path, &[corridor_io::Warning]),
    done: &(dyn Fn() + Sync),
) -> Result<Sweep> {
    if replicates == 0 {
        return Err(RunsError::Options(
            "a sweep needs at least 1 replicate".into(),
        ));
    }
    let mut scores = Vec::new();
    for dir in &layout.scenarios {
        let c = sweep_config(layout, dir, config);
        let (scenario, warnings) = crate::load_scenario(dir, &c)?;
        loaded(dir, &warnings);
        let runs = run_replicates(
            replicates,
            c.seed,
            c.days,
            |_, _| Ok(Prepared::shared(&scenario)),
            |_| None::<()>,
            done,
        )?;
        let mut score = SweepScore {
            scenario: dir.file_name().map_or_else(
                || dir.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            rescaled: Vec::new(),
            normal: Vec::new(),
        };
        for r in &runs {
            let out = crate::flee_output(&r.output, dir.display().to_string())?;
            score.rescaled.push(ard(&out, ArdMode::Rescaled));
            score.normal.push(ard(&out, ArdMode::Normal));
        }
        scores.push(score);
    }
    Ok(Sweep { scores })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mean_score_is_the_mean_of_the_scenario_means() {
        let s = Sweep {
            scores: vec![
                SweepScore {
                    scenario: "a".into(),
                    rescaled: vec![0.2, 0.4],
                    normal: vec![0.3, 0.5],
                },
                SweepScore {
                    scenario: "b, c".into(),
                    rescaled: vec![0.6],
                    normal: vec![0.7],
                },
            ],
        };
        // (0.3 + 0.6) / 2, not (0.2 + 0.4 + 0.6) / 3.
        assert!((s.mean_score() - 0.45).abs() < 1e-12);
        let csv = s.to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[1], "a,2,0.300000,0.141421,0.200000,0.400000,0.400000");
        assert_eq!(lines[2], "\"b, c\",1,0.600000,,0.600000,0.600000,0.700000");
        assert_eq!(lines[3], "mean score,,0.450000,,,,");
    }
}
