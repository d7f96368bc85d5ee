//! # corridor-mpi
//!
//! Runs corridor beyond one machine, over MPI ranks (the `mpi` crate, with
//! Open MPI or any MPI library it binds to). Two ways:
//!
//! * **Ensembles over ranks** (`corridor mpi-ensemble`): replicate `i` runs on
//!   rank `i % size` with the same seed as in `corridor ensemble`; each rank
//!   runs its replicates on its own threads, and the results (each replicate's
//!   `out.csv`, a few kB) are gathered to rank 0, which writes the same files
//!   as `corridor ensemble`, byte for byte. Communication: one gather of
//!   the replicates' outputs at the end.
//! * **One run with agents partitioned over ranks** (`corridor mpi-run`),
//!   through [`corridor_engine::Simulation::step_partitioned`]. Agents are
//!   owned in chunks of [`corridor_engine::PARTITION_CHUNK`] (chunk `c` by
//!   rank `c % size`, stable as agents are only appended). Each rank runs the
//!   two parallel scans (move tests, one-leg travel) over its own chunks only;
//!   the movers and the arrivals are exchanged with an all-gather, and every
//!   rank runs the serial passes (route choice, departures, arrivals,
//!   multi-hop travel, siege hazards) over all of them in creation order, so
//!   all ranks keep identical locations, routes and location counts and
//!   rank 0's `out.csv` equals the single-process run's byte for byte.
//!
//! Honest limits of the partitioned run: every rank stores all agents
//! (18 bytes each; memory is not divided) and repeats the serial passes and
//! spawning, so only the scans — most of the work in large runs — are
//! divided. Communication per day is two all-gathers of word counts and two
//! of data: 4 bytes per mover and 16 bytes per arrival (index, first-leg
//! speed, progress, recent distance), summed over all ranks and received by
//! every rank; nothing proportional to the number of agents.
//! [`Counting`] measures it.
//!
//! Without the `mpi` feature this crate builds only the transport-agnostic
//! parts (and [`threads::ThreadExchange`], ranks as threads of one process,
//! used to test the partitioned run without an MPI library).

pub mod threads;

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
    let mut sim = Simulation::new(scenario, opts)?;
    while sim.step_partitioned(&mut NoObserver, ex)?.is_some() {}
    Ok(PartitionedRun {
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
