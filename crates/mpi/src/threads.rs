//! Ranks as threads of one process: an [`Exchange`] over shared memory, so
//! the partitioned run can be tested (and compared with the single-process
//! run) without an MPI library.

use corridor_engine::Exchange;
use std::sync::{Arc, Barrier, Mutex};

struct Shared {
    slots: Mutex<Vec<Vec<u32>>>,
    barrier: Barrier,
}

/// One rank of a group of `size` threads that exchange through shared memory.
pub struct ThreadExchange {
    rank: usize,
    size: usize,
    block: usize,
    window: usize,
    shared: Arc<Shared>,
}

impl ThreadExchange {
    /// The `size` ranks of one group; hand one to each thread.
    pub fn group(size: usize) -> Vec<ThreadExchange> {
        assert!(size >= 1, "a group needs at least one rank");
        let shared = Arc::new(Shared {
            slots: Mutex::new(vec![Vec::new(); size]),
            barrier: Barrier::new(size),
        });
        (0..size)
            .map(|rank| ThreadExchange {
                rank,
                size,
                block: corridor_engine::PARTITION_BLOCK,
                window: corridor_engine::EXCHANGE_WINDOW,
                shared: shared.clone(),
            })
            .collect()
    }

    /// The same group with `block` agents per block of ownership.
    pub fn group_with_block(size: usize, block: usize) -> Vec<ThreadExchange> {
        Self::group_with(size, block, corridor_engine::EXCHANGE_WINDOW)
    }

    /// The same group with `block` agents per block of ownership and `window`
    /// global indices per exchange round.
    pub fn group_with(size: usize, block: usize, window: usize) -> Vec<ThreadExchange> {
        let mut g = Self::group(size);
        for e in &mut g {
            e.block = block;
            e.window = window;
        }
        g
    }
}

impl Exchange for ThreadExchange {
    fn rank(&self) -> usize {
        self.rank
    }
    fn size(&self) -> usize {
        self.size
    }
    fn block(&self) -> usize {
        self.block
    }
    fn window(&self) -> usize {
        self.window
    }
    fn all_gather(&mut self, local: &[u32]) -> Vec<u32> {
        let lock = || self.shared.slots.lock().expect("no rank panicked");
        lock()[self.rank] = local.to_vec();
        self.shared.barrier.wait();
        let all = lock().concat();
        // Nobody may overwrite a slot before everyone has read them all.
        self.shared.barrier.wait();
        all
    }
}
