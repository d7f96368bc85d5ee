//! `corridor mpi-ensemble` and `corridor mpi-run` (cargo feature `mpi`):
//! the same outputs as `corridor ensemble` and `corridor run`, computed over
//! MPI ranks (see the `corridor-mpi` crate). Rank 0 writes the files, with the
//! writers of `corridor-runs`.

use crate::commands::load;
use crate::many::{print_ard_summary, print_last_day};
use crate::RunArgs;
use anyhow::{anyhow, bail, Context, Result};
use corridor_engine::RunOptions;
use corridor_mpi::{run_partitioned, wire, Counting, Mpi};
use corridor_runs::{files, EnsembleFiles, EnsembleMember, SingleRun};
use std::time::Instant;

fn init() -> Result<Mpi> {
    Mpi::init().ok_or_else(|| anyhow!("MPI was already initialised"))
}

/// Sizes the global thread pool (so MPI is only ever called from the main thread).
fn threads(n: Option<usize>) -> Result<()> {
    if n == Some(0) {
        bail!("--threads must be at least 1");
    }
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = n {
        b = b.num_threads(n);
    }
    b.build_global().context("thread pool")
}

/// `corridor mpi-ensemble`: `corridor ensemble` with replicate i on rank i % size.
pub fn ensemble(args: &RunArgs, n: usize) -> Result<()> {
    let mpi = init()?;
    let (rank, size) = (mpi.rank(), mpi.size());
    if n < 2 {
        bail!("an ensemble needs at least 2 replicates (-n)");
    }
    let scenario = load(args)?;
    threads(args.threads)?;
    let started = Instant::now();
    let message = wire::run_rank(&scenario, n, args.seed, args.days, rank, size);
    let Some(messages) = mpi.gather_bytes(&message) else {
        return Ok(()); // not rank 0
    };
    let seconds = started.elapsed().as_secs_f64();
    let members = wire::gather(&messages, n)?
        .into_iter()
        .map(|r| EnsembleMember::new(r.seed, Vec::new(), &r.output, r.fates))
        .collect::<Result<Vec<_>, _>>()?;
    let ens = EnsembleFiles::new(members, &[])?;
    files::write_ensemble(&args.output, &ens, None)?;
    if !args.quiet {
        println!(
            "{}: {n} replicates (master seed {}) on {size} ranks in {seconds:.2} s",
            scenario.name, args.seed
        );
        print_last_day(&ens);
        print_ard_summary(&ens.ensemble);
        println!("outputs in {}", args.output.display());
    }
    Ok(())
}

/// `corridor mpi-run`: one run with its agents partitioned over the ranks.
/// Rank 0 writes out.csv, summary.json and (siege scenarios) fates.csv, the
/// same bytes as `corridor run` but for the timings.
pub fn run(args: &RunArgs) -> Result<()> {
    let mpi = init()?;
    let size = mpi.size();
    let scenario = load(args)?;
    threads(args.threads)?;
    let opts = RunOptions {
        seed: args.seed,
        days: args.days,
    };
    let started = Instant::now();
    let mut ex = Counting::new(mpi.exchange());
    // Every rank holds the same state, so an error is the same on all of them.
    let r = run_partitioned(&scenario, &opts, &mut ex)?;
    let seconds = started.elapsed().as_secs_f64();
    if mpi.rank() != 0 {
        return Ok(());
    }
    let stored = r.stored_agents;
    let run = SingleRun {
        output: r.output,
        stats: r.stats,
        siege: r.siege,
        seconds,
        logs: None,
    };
    if corridor_runs::LogLevels::of(&scenario.settings).is_some() {
        tracing::warn!("log_levels.agent / log_levels.link: a run divided over ranks writes no agent or link logs; use `corridor run`");
    }
    files::write_run(&args.output, &scenario, args.seed, &run)?;
    if !args.quiet {
        println!(
            "{}: {} days, {} agents, {} agent-days on {size} ranks in {seconds:.2} s",
            scenario.name,
            run.output.days.len(),
            run.stats.agents,
            run.stats.agent_days
        );
        println!(
            "rank 0 stored {stored} agents ({:.0} %)",
            100.0 * stored as f64 / (run.stats.agents.max(1)) as f64
        );
        println!(
            "exchanged: {} all-gathers, {} words sent and {} received by rank 0 ({:.1} MB)",
            ex.calls,
            ex.sent_words,
            ex.received_words,
            ex.received_words as f64 * 4e-6
        );
        println!("outputs in {}", args.output.display());
    }
    Ok(())
}
