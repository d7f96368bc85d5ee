//! `corridor validate --sweep <dir>`: FabFlee's validation of a whole folder of
//! scenarios (its SWEEP layout) in one command, scored as FabFlee reports it.

use anyhow::Result;
use std::path::PathBuf;

use crate::report_cmd::ValidateOutputs;

/// The options of a sweep (with `corridor validate --sweep`).
#[derive(clap::Args, Clone, Debug, Default)]
pub struct SweepArgs {
    /// Run and score every scenario in this folder: a FabFlee config folder
    /// (`<dir>/SWEEP/<name>/` with a shared `<dir>/simsetting.yml`) or a folder of
    /// scenario folders; writes sweep.csv into -o.
    #[arg(long, value_name = "DIR")]
    pub sweep: Option<PathBuf>,
    /// Sweep: settings for every scenario (default: the scenario's own simsetting.yml, else the shared one).
    #[arg(long, requires = "sweep")]
    pub settings: Option<PathBuf>,
    /// Sweep: replicates per scenario (FabFlee's ensemble size).
    #[arg(
        short = 'n',
        long = "replicates",
        default_value_t = 1,
        requires = "sweep"
    )]
    pub replicates: usize,
    /// Sweep: master seed of the replicates.
    #[arg(long, default_value_t = 1, requires = "sweep")]
    pub seed: u64,
    /// Sweep: divide populations by this factor (overrides optimisations.hasten).
    #[arg(long, requires = "sweep")]
    pub hasten: Option<i64>,
    /// Sweep: simulate this many days instead of each scenario's length.
    #[arg(long, requires = "sweep")]
    pub days: Option<u32>,
    /// Sweep: worker threads (default: all cores). Scores do not depend on it.
    #[arg(long, requires = "sweep")]
    pub threads: Option<usize>,
}

/// Runs the sweep, prints the scores and writes `sweep.csv` into `-o` (if given).
pub fn sweep(a: &SweepArgs, o: &ValidateOutputs) -> Result<()> {
    let Some(dir) = &a.sweep else {
        anyhow::bail!("no --sweep folder");
    };
    if o.csv.is_some() || o.json.is_some() {
        anyhow::bail!(
            "--csv and --json score out.csv files; with --sweep, name a folder with -o for sweep.csv"
        );
    }
    if a.replicates == 0 || a.days == Some(0) {
        anyhow::bail!("--replicates and --days must be at least 1");
    }
    let layout = corridor_runs::sweep_layout(dir)?;
    for s in &layout.skipped {
        tracing::warn!(
            "{}: not a scenario folder (no input_csv/ or scenario.yml); skipped",
            s.display()
        );
    }
    let config = corridor_runs::RunConfig {
        settings: a.settings.clone(),
        seed: a.seed,
        hasten: a.hasten,
        days: a.days,
        threads: a.threads,
    };
    let pool = corridor_runs::thread_pool(a.threads)?;
    let sweep = pool.install(|| {
        corridor_runs::run_sweep(
            &layout,
            &config,
            a.replicates,
            &mut |path, warnings| {
                for w in warnings {
                    tracing::warn!("{w}");
                }
                if !o.quiet {
                    eprintln!("running {}", path.display());
                }
            },
            &|| {},
        )
    })?;
    if !o.quiet {
        println!(
            "{:<28} {:>10} {:>14} {:>10} {:>14}",
            "scenario", "replicates", "ARD rescaled", "sd", "ARD normal"
        );
        for s in &sweep.scores {
            let sd = if s.rescaled.len() > 1 {
                let m = s.mean_rescaled();
                let v = s.rescaled.iter().map(|x| (x - m).powi(2)).sum::<f64>()
                    / (s.rescaled.len() - 1) as f64;
                format!("{:.4}", v.sqrt())
            } else {
                "-".into()
            };
            let normal = s.normal.iter().sum::<f64>() / s.normal.len() as f64;
            println!(
                "{:<28} {:>10} {:>14.4} {:>10} {:>14.4}",
                s.scenario,
                s.rescaled.len(),
                s.mean_rescaled(),
                sd,
                normal
            );
        }
        let m = sweep.mean_score();
        println!(
            "mean score {m:.4} (mean error {:.4}), as FabFlee's validate_flee reports them",
            m / 2.0
        );
    }
    if let Some(out) = &o.output {
        corridor_runs::files::write_sweep(out, &sweep)?;
    }
    Ok(())
}
