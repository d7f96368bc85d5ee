//! The subcommands: each reads, runs or scores, then writes atomically.

use crate::summary;
use crate::{RunArgs, SimOptions};
use anyhow::{bail, Context, Result};
use corridor_engine::{RunOptions, RunStats, Simulation};
use corridor_model::{RunOutput, Scenario};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `corridor` with no arguments: run the Fallujah 2016 scenario built into the
/// binary (see [`crate::shipped`]), from any directory, writing `out/fallujah-2016`.
pub fn default_scenario() -> Result<()> {
    let extracted = crate::shipped::Extracted::new()
        .context("cannot write the shipped scenario to a temporary folder")?;
    println!(
        "Running the shipped scenario {} (built into corridor; `corridor run <folder>` runs another).\n",
        crate::shipped::SOURCE
    );
    let args = RunArgs {
        scenario: extracted.dir().to_path_buf(),
        sim: SimOptions::default(),
        output: PathBuf::from("out/fallujah-2016"),
    };
    run(&args).map(|_| ())
}

/// Reads a scenario folder of either format, applying command-line overrides.
pub fn load(args: &RunArgs) -> Result<Scenario> {
    let (mut scenario, warnings) =
        corridor_io::read_scenario(&args.scenario, args.settings.as_deref())?;
    for w in &warnings {
        tracing::warn!("{w}");
    }
    if let Some(h) = args.hasten {
        if h < 1 {
            bail!("--hasten must be at least 1, got {h}");
        }
        scenario.settings.hasten = h;
    }
    Ok(scenario)
}

pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        b = b.num_threads(n);
    }
    Ok(b.build()?)
}

/// What one run produced.
pub struct RunResult {
    pub scenario: Scenario,
    pub output: RunOutput,
    pub stats: RunStats,
    pub seconds: f64,
    pub siege: Option<corridor_engine::siege::SiegeReport>,
}

/// Runs a scenario with a progress bar, without writing anything.
pub fn simulate(scenario: Scenario, args: &RunArgs) -> Result<RunResult> {
    let pool = thread_pool(args.threads)?;
    let opts = RunOptions {
        seed: args.seed,
        days: args.days,
    };
    let started = Instant::now();
    let (output, stats, siege) = pool.install(|| -> Result<_> {
        let mut sim = Simulation::new(&scenario, &opts)?;
        let bar = progress_bar(sim.days() as u64, args.quiet);
        let mut obs = corridor_engine::events::NoObserver;
        while sim.step(&mut obs)?.is_some() {
            bar.inc(1);
        }
        bar.finish_and_clear();
        let siege = sim.siege_report();
        let stats = sim.stats.clone();
        Ok((sim.output().clone(), stats, siege))
    })?;
    Ok(RunResult {
        seconds: started.elapsed().as_secs_f64(),
        scenario,
        output,
        stats,
        siege,
    })
}

fn progress_bar(len: u64, quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} day {pos}/{len} [{bar:40}] {elapsed_precise} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// `corridor run`.
pub fn run(args: &RunArgs) -> Result<RunResult> {
    let scenario = load(args)?;
    let result = simulate(scenario, args)?;
    write_outputs(&result, args)?;
    if !args.quiet {
        summary::print(&result, args);
    }
    Ok(result)
}

fn write_outputs(r: &RunResult, args: &RunArgs) -> Result<()> {
    let dir = &args.output;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output folder {}", dir.display()))?;
    let csv = corridor_io::flee_out_csv(&r.output);
    write(&dir.join("out.csv"), csv.as_bytes())?;
    let ard = summary::ard_of(&csv);
    let json = serde_json::json!({
        "scenario": r.scenario.name,
        "seed": args.seed,
        "hasten": r.scenario.settings.hasten,
        "days": r.output.days.len(),
        "agents": r.stats.agents,
        "agent_days": r.stats.agent_days,
        "wall_seconds": r.seconds,
        "agent_days_per_second": r.stats.agent_days as f64 / r.seconds.max(1e-9),
        "bytes_per_agent": corridor_engine::Agents::BYTES_PER_AGENT,
        "ard_normal": ard.map(|a| a.0),
        "ard_rescaled": ard.map(|a| a.1),
        "siege": r.siege,
    });
    write(
        &dir.join("summary.json"),
        serde_json::to_string_pretty(&json)?.as_bytes(),
    )?;
    if let Some(s) = &r.siege {
        write(&dir.join("fates.csv"), s.fates_csv().as_bytes())?;
    }
    Ok(())
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    corridor_io::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `corridor validate`: per-camp and overall errors on the terminal and,
/// on request, as CSV/JSON (see `report_cmd::validate`).
pub fn validate(out_csv: &[PathBuf], outputs: &crate::report_cmd::ValidateOutputs) -> Result<()> {
    crate::report_cmd::validate(out_csv, outputs)
}
