//! The subcommands: each reads, runs or scores, then writes atomically.

use crate::summary;
use crate::{RunArgs, SimOptions};
use anyhow::{Context, Result};
use corridor_engine::siege::SiegeReport;
use corridor_model::Scenario;
use corridor_runs::{RunConfig, SingleRun};
use std::path::{Path, PathBuf};

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
    run(&args, corridor_runs::files::RunFormats::default()).map(|_| ())
}

/// The run options of the command line.
pub fn config(sim: &SimOptions) -> RunConfig {
    RunConfig {
        settings: sim.settings.clone(),
        seed: sim.seed,
        hasten: sim.hasten,
        days: sim.days,
        threads: sim.threads,
    }
}

/// Reads a scenario folder of either format, applying command-line overrides,
/// and logs the reader's warnings.
pub fn load(args: &RunArgs) -> Result<Scenario> {
    let (scenario, warnings) = corridor_runs::load_scenario(&args.scenario, &config(args))?;
    for w in &warnings {
        tracing::warn!("{w}");
    }
    Ok(scenario)
}

/// A thread pool of `--threads` workers.
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    Ok(corridor_runs::thread_pool(threads)?)
}

/// What one run produced, and of what.
pub struct RunResult {
    pub scenario: Scenario,
    pub run: SingleRun,
}

/// Runs a scenario with a progress bar, without writing anything.
pub fn simulate(scenario: Scenario, args: &RunArgs) -> Result<RunResult> {
    let pool = thread_pool(args.threads)?;
    let bar = progress_bar("day", args.quiet);
    // One run with the pool to itself: its passes may use every core.
    let run = pool.install(|| {
        corridor_engine::alone_on_every_core(|| {
            corridor_runs::run_scenario(&scenario, args.seed, args.days, &mut |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })
        })
    })?;
    bar.finish_and_clear();
    warn_skipped(&run.siege, None);
    Ok(RunResult { scenario, run })
}

/// Warns of the interventions that did not take effect in the runs with
/// siege `reports` (listed one by one in summary.json): those after a
/// shortened run's end in one line, others each; once for an ensemble, with
/// how many replicates skipped one when not all did. `of` names the scenario
/// where two are run (compare).
pub fn warn_skipped<'a>(reports: impl IntoIterator<Item = &'a SiegeReport>, of: Option<&str>) {
    let reports: Vec<&SiegeReport> = reports.into_iter().collect();
    let Some(first) = reports.first() else { return };
    let n = reports.len();
    let last = first.days.last().map_or(-1, |d| d.day);
    // Each skipped intervention once, in the order first seen, with how many runs skipped it.
    let mut skipped: Vec<(&(i64, String, String), usize)> = Vec::new();
    for s in reports.iter().flat_map(|r| &r.skipped_interventions) {
        match skipped.iter_mut().find(|(k, _)| *k == s) {
            Some((_, count)) => *count += 1,
            None => skipped.push((s, 1)),
        }
    }
    let of = of.map(|name| format!("{name}: ")).unwrap_or_default();
    let runs = |count: usize| {
        if n > 1 && count < n {
            format!(" (in {count} of {n} replicates)")
        } else {
            String::new()
        }
    };
    let (after, during): (Vec<_>, Vec<_>) =
        skipped.iter().partition(|((day, _, _), _)| *day > last);
    for ((day, what, why), count) in during {
        tracing::warn!(
            "{of}intervention on day {day} skipped: {what}: {why}{}",
            runs(count)
        );
    }
    if let Some(first) = after.iter().map(|((day, _, _), _)| *day).min() {
        tracing::warn!(
            "{of}{} intervention(s) from day {first} on skipped: the run ends on day {last} \
             (summary.json lists them under skipped_interventions)",
            after.len()
        );
    }
}

/// A progress bar on the terminal counting `what` (days, replicates); hidden
/// when quiet or when stderr is not a terminal.
pub fn progress_bar(what: &str, quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    let template =
        format!("{{spinner}} {what} {{pos}}/{{len}} [{{bar:40}}] {{elapsed_precise}} eta {{eta}}");
    bar.set_style(
        indicatif::ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

/// `corridor run`, writing the tables in CSV and the other `formats`.
pub fn run(args: &RunArgs, formats: corridor_runs::files::RunFormats) -> Result<RunResult> {
    let scenario = load(args)?;
    if formats.parquet && scenario.settings.link == 0 {
        tracing::warn!(
            "--parquet: log_levels.link is 0, so there are no flow tables to write as Parquet\n  hint: set log_levels.link: 1 in the settings file"
        );
    }
    let result = simulate(scenario, args)?;
    corridor_runs::files::write_run_as(
        &args.output,
        &result.scenario,
        args.seed,
        &result.run,
        formats,
    )?;
    if !args.quiet {
        summary::print(&result, args);
    }
    Ok(result)
}

/// Writes one file atomically (outputs that are not part of a run's set).
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    corridor_io::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `corridor validate`: per-camp and overall errors on the terminal and,
/// on request, as CSV/JSON (see `report_cmd::validate`).
pub fn validate(out_csv: &[PathBuf], outputs: &crate::report_cmd::ValidateOutputs) -> Result<()> {
    crate::report_cmd::validate(out_csv, outputs)
}

/// Checks, before any simulating, that `folder` can become an output folder:
/// it is a folder or does not exist yet, the nearest existing folder above it
/// is a folder (not a file) and writable. `flag` names the option (`-o`).
pub fn check_output_folder(folder: &Path, flag: &str) -> Result<()> {
    if folder.exists() && !folder.is_dir() {
        anyhow::bail!(
            "{flag} {}: exists and is not a folder\n  hint: name a folder (it is created if missing)",
            folder.display()
        );
    }
    check_writable_above(folder, flag)
}

/// Checks, before any work, that the file `file` can be written: not a
/// folder, and its folder can be created and written.
pub fn check_output_file(file: &Path, flag: &str) -> Result<()> {
    if file.is_dir() {
        anyhow::bail!(
            "{flag} {}: is a folder, not a file\n  hint: name the file to write",
            file.display()
        );
    }
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    check_output_folder(parent, flag)
}

/// The nearest existing ancestor of `path` (itself included) must be a
/// writable folder; probed by creating and removing a file in it.
fn check_writable_above(path: &Path, flag: &str) -> Result<()> {
    let mut at = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    while !at.exists() {
        match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => at = p,
            _ => {
                at = Path::new(".");
                break;
            }
        }
    }
    if !at.is_dir() {
        anyhow::bail!(
            "{flag} {}: {} is a file, so the folder cannot be created\n  hint: choose another output path",
            path.display(),
            at.display()
        );
    }
    let probe = at.join(format!(".corridor-probe-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => anyhow::bail!(
            "{flag} {}: cannot write in {}: {e}\n  hint: choose a folder you can write to",
            path.display(),
            at.display()
        ),
    }
}
