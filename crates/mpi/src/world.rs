//! The MPI transport (feature `mpi`).

use corridor_engine::Exchange;
use mpi::datatype::PartitionMut;
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use mpi::Count;

/// MPI, initialised for the life of this value (finalised on drop).
pub struct Mpi {
    universe: mpi::environment::Universe,
}

fn displacements(counts: &[Count]) -> Vec<Count> {
    counts
        .iter()
        .scan(0, |acc, &c| {
            let d = *acc;
            *acc += c;
            Some(d)
        })
        .collect()
}

impl Mpi {
    /// Initialises MPI; `None` if it was already initialised.
    pub fn init() -> Option<Mpi> {
        mpi::initialize().map(|universe| Mpi { universe })
    }

    pub fn world(&self) -> SimpleCommunicator {
        self.universe.world()
    }

    pub fn rank(&self) -> usize {
        self.world().rank() as usize
    }

    pub fn size(&self) -> usize {
        self.world().size() as usize
    }

    /// An [`Exchange`] over all ranks, for [`crate::run_partitioned`].
    pub fn exchange(&self) -> MpiExchange {
        MpiExchange {
            world: self.world(),
        }
    }

    /// Gathers one byte message of any length from every rank to rank 0: on
    /// rank 0 the messages in rank order, elsewhere `None`.
    pub fn gather_bytes(&self, local: &[u8]) -> Option<Vec<Vec<u8>>> {
        let world = self.world();
        let root = world.process_at_rank(0);
        let n = Count::try_from(local.len()).expect("message under 2 GiB");
        if world.rank() != 0 {
            root.gather_into(&n);
            root.gather_varcount_into(local);
            return None;
        }
        let mut counts = vec![0 as Count; world.size() as usize];
        root.gather_into_root(&n, &mut counts[..]);
        let displs = displacements(&counts);
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        let mut buf = vec![0u8; total];
        {
            let mut part = PartitionMut::new(&mut buf[..], &counts[..], &displs[..]);
            root.gather_varcount_into_root(local, &mut part);
        }
        let mut out = Vec::with_capacity(counts.len());
        let mut at = 0;
        for &c in &counts {
            out.push(buf[at..at + c as usize].to_vec());
            at += c as usize;
        }
        Some(out)
    }

    /// Stops every rank (after an error on one of them).
    pub fn abort(&self, code: i32) -> ! {
        self.world().abort(code)
    }
}

/// [`Exchange`] over an MPI communicator: two `MPI_Allgather(v)` calls.
pub struct MpiExchange {
    world: SimpleCommunicator,
}

impl Exchange for MpiExchange {
    fn rank(&self) -> usize {
        self.world.rank() as usize
    }
    fn size(&self) -> usize {
        self.world.size() as usize
    }
    fn all_gather(&mut self, local: &[u32]) -> Vec<u32> {
        let n = Count::try_from(local.len()).expect("under 2^31 words");
        let mut counts = vec![0 as Count; self.world.size() as usize];
        self.world.all_gather_into(&n, &mut counts[..]);
        let displs = displacements(&counts);
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        let mut buf = vec![0u32; total];
        {
            let mut part = PartitionMut::new(&mut buf[..], &counts[..], &displs[..]);
            self.world.all_gather_varcount_into(local, &mut part);
        }
        buf
    }
}
