//! `corridor`: simulate civilian flight from sieges and conflicts.
//!
//! A thin shell over the corridor libraries: it parses arguments, reads the
//! scenario (`corridor-io`), runs it (`corridor-engine`), scores it
//! (`corridor-analysis`) and writes outputs atomically.

// The doc comments of the argument structs are clap's --help text, written for the
// terminal: `<scenario>` there is a placeholder, not an HTML tag.
#![allow(rustdoc::invalid_html_tags)]

mod calibrate_cmd;
mod check_cmd;
mod commands;
mod many;
#[cfg(feature = "mpi")]
mod mpi_cmd;
mod new_cmd;
mod report_cmd;
mod shipped;
mod summary;
mod sweep_cmd;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "corridor",
    version,
    about = "Simulate civilian flight from sieges and conflicts (Flee-compatible).",
    long_about = "Simulate civilian flight from sieges and conflicts.\n\nWith no arguments, runs the shipped Fallujah 2016 scenario and prints a summary.\nReads Flee/FabFlee scenario folders (input_csv/, source_data/, simsetting.yml) unchanged."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

/// Options shared by commands that run simulations.
#[derive(clap::Args, Clone, Debug)]
pub struct RunArgs {
    /// Scenario folder: a Flee/FabFlee folder (input_csv/, source_data/) or a corridor scenario (scenario.yml).
    pub scenario: PathBuf,
    #[command(flatten)]
    pub sim: SimOptions,
    /// Output folder.
    #[arg(short, long, default_value = "out")]
    pub output: PathBuf,
}

/// How to simulate, whatever the scenario and the outputs: shared by `RunArgs`
/// and `corridor report` (which takes several inputs and writes one file).
#[derive(clap::Args, Clone, Debug)]
pub struct SimOptions {
    /// Settings file in Flee's simsetting.yml schema (default: <scenario>/simsetting.yml, else Flee's defaults).
    #[arg(long)]
    pub settings: Option<PathBuf>,
    /// Random seed; the same seed gives byte-identical output.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: all cores; 1 to 1024). Output does not depend on it.
    #[arg(long, value_parser = thread_count)]
    pub threads: Option<usize>,
    /// Divide populations by this factor (overrides optimisations.hasten).
    #[arg(long)]
    pub hasten: Option<i64>,
    /// Simulate this many days (at least 1) instead of the scenario's length.
    #[arg(long, value_parser = day_count)]
    pub days: Option<u32>,
    /// No progress bar and no summary table.
    #[arg(short, long)]
    pub quiet: bool,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            settings: None,
            seed: 1,
            threads: None,
            hasten: None,
            days: None,
            quiet: false,
        }
    }
}

// `run.seed` reads as well as `run.sim.seed`: the options belong to the run.
impl std::ops::Deref for RunArgs {
    type Target = SimOptions;
    fn deref(&self) -> &SimOptions {
        &self.sim
    }
}

impl std::ops::DerefMut for RunArgs {
    fn deref_mut(&mut self) -> &mut SimOptions {
        &mut self.sim
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run one simulation and write out.csv (Flee's format) and summary.json.
    Run {
        #[command(flatten)]
        run: RunArgs,
        /// Also write the flow tables and the link log as Parquet (link_flows.parquet,
        /// od.parquet, links.parquet) when log_levels.link writes them.
        #[arg(long)]
        parquet: bool,
    },
    /// Run N replicates in parallel and write mean, sd and 5–95 % bands per camp per day.
    Ensemble {
        #[command(flatten)]
        run: RunArgs,
        /// Number of replicates; replicate i uses a seed derived from (--seed, i).
        #[arg(short = 'n', long = "replicates", default_value_t = 10, value_parser = at_least_one)]
        n: usize,
        /// YAML file of parameter ranges sampled per replicate from the master seed
        /// (e.g. `move_rules.default_movechance: [0.3, 0.7]`).
        #[arg(long)]
        params: Option<PathBuf>,
    },
    /// Run two scenarios or variants with the same seeds and show the differences.
    Compare {
        #[command(flatten)]
        run: RunArgs,
        /// The second scenario (a folder, scenario.yml, or a variant file with `base:`).
        other: PathBuf,
        /// Replicates per side.
        #[arg(short = 'n', long = "replicates", default_value_t = 10, value_parser = at_least_one)]
        n: usize,
        /// Vary only the seed, not the parameter ranges the scenario declares (`uncertainty:`).
        #[arg(long)]
        seeds_only: bool,
    },
    /// Fit parameters to the observed series by minimising the error over an ensemble (CMA-ES),
    /// fitting on the first part of the period and reporting the error on the rest.
    Calibrate {
        #[command(flatten)]
        run: RunArgs,
        #[command(flatten)]
        cal: calibrate_cmd::CalibrateArgs,
    },
    /// Sensitivity of the error and headline outputs to parameters (Morris screening or Sobol indices).
    Sensitivity {
        #[command(flatten)]
        run: RunArgs,
        #[command(flatten)]
        sens: calibrate_cmd::SensitivityArgs,
    },
    /// One self-contained HTML report (map, curves with bands, errors, settings) of a
    /// scenario's ensemble or of existing outputs.
    Report(report_cmd::ReportArgs),
    /// Write a scenario's route network as GeoJSON (locations as Points, routes as LineStrings).
    ExportGeojson(report_cmd::GeojsonArgs),
    /// Convert output CSVs (out.csv, ensemble.csv, fates.csv, …) to Parquet.
    ExportParquet(report_cmd::ParquetArgs),
    /// `ensemble` over MPI ranks (replicate i on rank i % size); rank 0 writes the same files.
    #[cfg(feature = "mpi")]
    MpiEnsemble {
        #[command(flatten)]
        run: RunArgs,
        /// Number of replicates; replicate i uses a seed derived from (--seed, i).
        #[arg(short = 'n', long = "replicates", default_value_t = 10, value_parser = at_least_one)]
        n: usize,
    },
    /// `run` with the agents partitioned over MPI ranks; rank 0 writes the same out.csv.
    #[cfg(feature = "mpi")]
    MpiRun(RunArgs),
    /// Report every problem of a scenario (errors and warnings, with file:line) without running it.
    /// Exit status 0 without errors, 2 with errors (1 with warnings only under --strict).
    Check(check_cmd::CheckArgs),
    /// Write a new scenario from a template that runs as it is (`corridor new siege <dir>`).
    New {
        #[command(subcommand)]
        what: new_cmd::NewWhat,
    },
    /// Score a Flee-format out.csv against its data columns (ARD normal and rescaled).
    Validate {
        /// out.csv files written by corridor or Flee, or folders written by `corridor run`.
        #[arg(required_unless_present = "sweep", conflicts_with = "sweep")]
        out_csv: Vec<PathBuf>,
        #[command(flatten)]
        sweep: sweep_cmd::SweepArgs,
        #[command(flatten)]
        outputs: report_cmd::ValidateOutputs,
    },
}

fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CORRIDOR_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .without_time()
        .init();
    let cli = Cli::parse();
    if let Some(Err(e)) = cli.command.as_ref().map(check_outputs) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
    let result: Result<()> = match cli.command {
        None => commands::default_scenario(),
        Some(Command::Run { run, parquet }) => {
            commands::run(&run, corridor_runs::files::RunFormats { parquet }).map(|_| ())
        }
        Some(Command::Validate { sweep, outputs, .. }) if sweep.sweep.is_some() => {
            sweep_cmd::sweep(&sweep, &outputs)
        }
        Some(Command::Validate {
            out_csv, outputs, ..
        }) => commands::validate(&out_csv, &outputs),
        #[cfg(feature = "mpi")]
        Some(Command::MpiEnsemble { run, n }) => mpi_cmd::ensemble(&run, n),
        #[cfg(feature = "mpi")]
        Some(Command::MpiRun(args)) => mpi_cmd::run(&args),
        Some(Command::Report(a)) => report_cmd::report(&a),
        Some(Command::ExportGeojson(a)) => report_cmd::export_geojson(&a),
        Some(Command::ExportParquet(a)) => report_cmd::export_parquet(&a),
        Some(Command::Calibrate { run, cal }) => calibrate_cmd::calibrate(&run, &cal),
        Some(Command::Sensitivity { run, sens }) => calibrate_cmd::sensitivity(&run, &sens),
        Some(Command::Ensemble { run, n, params }) => many::ensemble(&run, n, params.as_deref()),
        Some(Command::Compare {
            run,
            other,
            n,
            seeds_only,
        }) => many::compare(&run, &other, n, seeds_only),
        Some(Command::New { what }) => new_cmd::new(&what),
        Some(Command::Check(a)) => match check_cmd::check(&a) {
            Ok(0) => Ok(()),
            Ok(code) => std::process::exit(code),
            Err(e) => Err(e),
        },
    };
    if let Err(e) = result {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

/// Most worker threads `--threads` accepts: far above any machine's cores,
/// low enough to fail at once rather than after spawning them.
const MAX_THREADS: usize = 1024;

/// `--threads`: a whole number from 1 to [`MAX_THREADS`].
fn thread_count(s: &str) -> Result<usize, String> {
    let n = at_least_one(s)?;
    if n > MAX_THREADS {
        return Err(format!(
            "at most {MAX_THREADS} threads (this machine has {} cores)",
            std::thread::available_parallelism().map_or(1, |c| c.get())
        ));
    }
    Ok(n)
}

/// A count that must be at least 1 (replicates, threads).
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("expected a whole number of at least 1, got {s:?}")),
    }
}

/// Checks every output path of a command before it reads or simulates
/// anything, so that a bad `-o` fails at once rather than after the run.
fn check_outputs(command: &Command) -> Result<()> {
    use commands::{check_output_file as file, check_output_folder as folder};
    match command {
        Command::Run { run, .. }
        | Command::Ensemble { run, .. }
        | Command::Compare { run, .. }
        | Command::Calibrate { run, .. }
        | Command::Sensitivity { run, .. } => folder(&run.output, "-o"),
        #[cfg(feature = "mpi")]
        Command::MpiEnsemble { run, .. } => folder(&run.output, "-o"),
        #[cfg(feature = "mpi")]
        Command::MpiRun(args) => folder(&args.output, "-o"),
        Command::Report(a) => file(&a.output, "-o"),
        Command::ExportGeojson(a) => file(&a.output, "-o"),
        Command::ExportParquet(a) => a.output.as_deref().map_or(Ok(()), |o| folder(o, "-o")),
        Command::Validate { outputs, .. } => {
            if let Some(p) = &outputs.csv {
                file(p, "--csv")?;
            }
            if let Some(p) = &outputs.json {
                file(p, "--json")?;
            }
            outputs
                .output
                .as_deref()
                .map_or(Ok(()), |o| folder(o, "-o"))
        }
        Command::New { .. } | Command::Check(_) => Ok(()),
    }
}

/// `--days`: at least 1 (0 days would publish a header-only out.csv over a
/// previous run's).
fn day_count(s: &str) -> Result<u32, String> {
    let n = at_least_one(s)?;
    u32::try_from(n).map_err(|_| format!("at most {} days", u32::MAX))
}
