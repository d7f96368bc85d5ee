//! `corridor mpi-ensemble` and `corridor mpi-run` (cargo feature `mpi`):
//! the same outputs as `corridor ensemble` and `corridor run`, computed over
//! MPI ranks (see the `corridor-mpi` crate). Rank 0 writes the files.

use crate::commands::{load, write};
use crate::many::{
    fate_rows, print_ard_summary, replicate_seed, write_ensemble_files, EnsembleMember, FateRow,
};
use crate::RunArgs;
use anyhow::{anyhow, bail, Context, Result};
use corridor_analysis::FleeOutput;
use corridor_engine::{RunOptions, Simulation};
use corridor_model::Scenario;
use corridor_mpi::{replicates_of, run_partitioned, Counting, Mpi};
use rayon::prelude::*;
use std::fmt::Write as _;
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

/// One replicate as sent to rank 0: seed, out.csv, and for siege scenarios
/// one line per day: day, date and the seven fates, tab-separated.
fn run_replicate(scenario: &Scenario, master: u64, i: usize, days: Option<u32>) -> Result<Vec<u8>> {
    let seed = replicate_seed(master, i as u64);
    let mut sim = Simulation::new(scenario, &RunOptions { seed, days })?;
    while sim
        .step(&mut corridor_engine::events::NoObserver)?
        .is_some()
    {}
    let csv = corridor_io::flee_out_csv(sim.output());
    let mut fates = String::new();
    if let Some(r) = sim.siege_report() {
        for (day, date, v) in fate_rows(&r) {
            write!(fates, "{day}\t{date}")?;
            for x in v {
                write!(fates, "\t{x}")?;
            }
            fates.push('\n');
        }
    }
    let mut msg = Vec::with_capacity(16 + csv.len() + fates.len());
    msg.extend(seed.to_le_bytes());
    msg.extend((csv.len() as u64).to_le_bytes());
    msg.extend(csv.as_bytes());
    msg.extend(fates.as_bytes());
    Ok(msg)
}

/// A rank's message: records of (replicate index, ok flag, length, body).
fn encode(results: Vec<(usize, Result<Vec<u8>>)>) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, r) in results {
        let (ok, body) = match r {
            Ok(b) => (1u8, b),
            Err(e) => (0u8, format!("replicate {i}: {e:#}").into_bytes()),
        };
        out.extend((i as u64).to_le_bytes());
        out.push(ok);
        out.extend((body.len() as u64).to_le_bytes());
        out.extend(body);
    }
    out
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

struct Rep {
    seed: u64,
    out: FleeOutput,
    /// Per day: (day, date, the seven fates).
    fates: Option<Vec<FateRow>>,
}

fn decode_rep(body: &[u8]) -> Result<Rep> {
    let seed = u64_at(body, 0);
    let n = u64_at(body, 8) as usize;
    let csv = &body[16..16 + n];
    let out = FleeOutput::from_reader_named(csv, format!("seed {seed}"))?;
    let text = std::str::from_utf8(&body[16 + n..])?;
    let fates = (!text.is_empty()).then(|| {
        text.lines()
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let mut v = [0i64; 7];
                for (k, x) in v.iter_mut().enumerate() {
                    *x = f[2 + k].parse::<i64>().unwrap_or(0);
                }
                (f[0].to_string(), f[1].to_string(), v)
            })
            .collect()
    });
    Ok(Rep { seed, out, fates })
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
    let mine: Vec<usize> = replicates_of(n, rank, size).collect();
    let results: Vec<(usize, Result<Vec<u8>>)> = mine
        .par_iter()
        .map(|&i| (i, run_replicate(&scenario, args.seed, i, args.days)))
        .collect();
    let Some(messages) = mpi.gather_bytes(&encode(results)) else {
        return Ok(()); // not rank 0
    };
    let seconds = started.elapsed().as_secs_f64();
    let mut reps: Vec<Option<Rep>> = (0..n).map(|_| None).collect();
    for m in &messages {
        let mut at = 0;
        while at < m.len() {
            let i = u64_at(m, at) as usize;
            let ok = m[at + 8] == 1;
            let len = u64_at(m, at + 9) as usize;
            let body = &m[at + 17..at + 17 + len];
            at += 17 + len;
            if !ok {
                bail!("{}", String::from_utf8_lossy(body));
            }
            reps[i] = Some(decode_rep(body)?);
        }
    }
    let reps: Vec<Rep> = reps
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.ok_or_else(|| anyhow!("replicate {i} missing")))
        .collect::<Result<_>>()?;
    write_ensemble(args, &scenario, n, size, seconds, &reps)
}

/// Writes the files of `corridor ensemble` (the same bytes) and its summary.
fn write_ensemble(
    args: &RunArgs,
    scenario: &Scenario,
    n: usize,
    size: usize,
    seconds: f64,
    reps: &[Rep],
) -> Result<()> {
    let members: Vec<EnsembleMember> = reps
        .iter()
        .map(|r| EnsembleMember {
            seed: r.seed,
            out: &r.out,
            fates: r.fates.as_deref(),
        })
        .collect();
    let ens = write_ensemble_files(&args.output, &members)?;
    if !args.quiet {
        println!(
            "{}: {n} replicates (master seed {}) on {size} ranks in {seconds:.2} s",
            scenario.name, args.seed
        );
        print_ard_summary(&ens);
        println!("outputs in {}", args.output.display());
    }
    Ok(())
}

/// `corridor mpi-run`: one run with its agents partitioned over the ranks.
/// Rank 0 writes out.csv (and fates.csv for siege scenarios), the same bytes
/// as `corridor run`.
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
    let dir = &args.output;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output folder {}", dir.display()))?;
    write(
        &dir.join("out.csv"),
        corridor_io::flee_out_csv(&r.output).as_bytes(),
    )?;
    if let Some(s) = &r.siege {
        write(&dir.join("fates.csv"), s.fates_csv().as_bytes())?;
    }
    if !args.quiet {
        println!(
            "{}: {} days, {} agents, {} agent-days on {size} ranks in {seconds:.2} s",
            scenario.name,
            r.output.days.len(),
            r.stats.agents,
            r.stats.agent_days
        );
        println!(
            "rank 0 stored {} agents ({:.0} %)",
            r.stored_agents,
            100.0 * r.stored_agents as f64 / (r.stats.agents.max(1)) as f64
        );
        println!(
            "exchanged: {} all-gathers, {} words sent and {} received by rank 0 ({:.1} MB)",
            ex.calls,
            ex.sent_words,
            ex.received_words,
            ex.received_words as f64 * 4e-6
        );
        println!("outputs in {}", dir.display());
    }
    Ok(())
}
