//! # corridor-mpi
//!
//! Runs corridor beyond one machine, over MPI ranks (the `mpi` crate, with
//! Open MPI or any MPI library it binds to). Two ways:
//!
//! * **Ensembles over ranks** (`corridor mpi-ensemble`): replicate `i` runs on
//!   rank `i % size` with the same seed as in `corridor ensemble`; each rank
//!   runs its replicates on its own threads, and the results (each replicate's
//!   daily table and fates, a few kB, in the format of [`wire`]) are gathered
//!   to rank 0, which writes the same files as `corridor ensemble`, byte for
//!   byte. Communication: one gather of the replicates' outputs at the end.
//! * **One run with agents divided over ranks** (`corridor mpi-run`),
//!   through [`corridor_engine::Simulation::new_divided`] and
//!   [`corridor_engine::Simulation::step_partitioned`]. Agents are owned in
//!   blocks (block `b` by rank `b % size`, stable as agents are only
//!   appended), and each rank *stores only its own blocks*. Each rank runs
//!   the two parallel scans (move tests, one-leg travel) over its agents; the
//!   movers and the arrivals are all-gathered with their whole state (24
//!   bytes per mover: index and state; 28 per arrival: the same and the first
//!   leg's speed), and every rank runs the serial passes (route choice,
//!   departures, arrivals, multi-hop travel) over all of them in creation
//!   order, holding other ranks' agents as visitors for that pass only. So
//!   all ranks keep identical location counts, each agent's owner applies
//!   the same changes as a single process would, and rank 0's `out.csv`
//!   equals the single-process run's byte for byte.
//!
//! Limits: stored agent state is divided (18 bytes per agent over `size`
//! ranks), but each rank also holds, for a moment each day, the day's movers
//! and arrivals of all ranks (about 40 bytes each with the bookkeeping), so a
//! scenario where a tenth of the agents move daily saves less than the
//! division suggests; and the serial passes and spawning are repeated on
//! every rank. Siege scenarios, whose stages reach agents other than the
//! movers, keep every agent on every rank (only their scans are divided).
//! Communication per day: two all-gathers of word counts and two of data,
//! nothing proportional to the number of agents that stay put. [`Counting`]
//! measures it.
//!
//! Without the `mpi` feature this crate builds only the transport-agnostic
//! parts (and [`threads::ThreadExchange`], ranks as threads of one process,
//! used to test the partitioned run without an MPI library).

pub mod threads;
pub mod wire;

#[cfg(feature = "mpi")]
mod world;
#[cfg(feature = "mpi")]
pub use world::{Mpi, MpiExchange};

use corridor_engine::events::NoObserver;
use corridor_engine::siege::SiegeReport;
use corridor_engine::{EngineError, Exchange, RunOptions, RunStats, Simulation};
use corridor_model::{RunOutput, Scenario};

/// The replicates of an `n`-replicate ensemble that rank `rank` of `size` runs.
pub fn replicates_of(n: usize, rank: usize, size: usize) -> impl Iterator<Item = usize> {
    (rank..n).step_by(size.max(1))
}

/// Wraps an [`Exchange`] and counts what passes through it.
pub struct Counting<E> {
    pub inner: E,
    /// Number of all-gathers.
    pub calls: u64,
    /// 32-bit words this process contributed, and words it received.
    pub sent_words: u64,
    pub received_words: u64,
}

impl<E> Counting<E> {
    pub fn new(inner: E) -> Self {
        Counting {
            inner,
            calls: 0,
            sent_words: 0,
            received_words: 0,
        }
    }
}

impl<E: Exchange> Exchange for Counting<E> {
    fn rank(&self) -> usize {
        self.inner.rank()
    }
    fn size(&self) -> usize {
        self.inner.size()
    }
    fn block(&self) -> usize {
        self.inner.block()
    }
    fn window(&self) -> usize {
        self.inner.window()
    }
    fn all_gather(&mut self, local: &[u32]) -> Vec<u32> {
        let all = self.inner.all_gather(local);
        self.calls += 1;
        self.sent_words += local.len() as u64;
        self.received_words += all.len() as u64;
        all
    }
}

/// What one process of a partitioned run ends with (the same on every process).
pub struct PartitionedRun {
    pub output: RunOutput,
    /// Agents whose state this process held at the end (about `1/size` of
    /// them, or all of them for a siege scenario).
    pub stored_agents: usize,
    pub stats: RunStats,
    pub siege: Option<SiegeReport>,
}

/// Runs a scenario to the end as one process of a partitioned run. Every
/// process of the exchange must call it with the same scenario and options.
pub fn run_partitioned(
    scenario: &Scenario,
    opts: &RunOptions,
    ex: &mut dyn Exchange,
) -> Result<PartitionedRun, EngineError> {
    let mut sim = Simulation::new_divided(scenario, opts, ex.rank(), ex.size(), ex.block())?;
    while sim.step_partitioned(&mut NoObserver, ex)?.is_some() {}
    Ok(PartitionedRun {
        stored_agents: sim.stored_agents(),
        siege: sim.siege_report(),
        stats: sim.stats.clone(),
        output: sim.output().clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicates_are_dealt_round_robin() {
        let all: Vec<Vec<usize>> = (0..3).map(|r| replicates_of(7, r, 3).collect()).collect();
        assert_eq!(all, vec![vec![0, 3, 6], vec![1, 4], vec![2, 5]]);
    }
}
