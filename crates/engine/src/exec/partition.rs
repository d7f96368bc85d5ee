//! Who owns which agents in a run spread over processes, and the merge of
//! the processes' lists back into creation order.

/// Which agents a process of a divided run stores ([`crate::Simulation::new_divided`]):
/// the blocks `b` with `b % size == rank`, packed densely in block order, so that
/// global index and local slot convert both ways in closed form.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Partition {
    pub rank: usize,
    pub size: usize,
    pub block: usize,
}

impl Partition {
    #[inline]
    pub fn owns(self, g: usize) -> bool {
        (g / self.block) % self.size == self.rank
    }
    /// Local slot of an owned agent.
    #[inline]
    pub fn slot(self, g: usize) -> usize {
        (g / self.block / self.size) * self.block + g % self.block
    }
    /// Global index of an owned slot.
    #[inline]
    pub fn global(self, slot: usize) -> usize {
        ((slot / self.block) * self.size + self.rank) * self.block + slot % self.block
    }
}

/// Which agents of a partitioned run this process scans.
#[derive(Clone, Copy)]
pub(crate) struct Owner {
    rank: usize,
    size: usize,
    block: usize,
}

impl Owner {
    /// Scan every agent stored here.
    pub const ALL: Owner = Owner {
        rank: 0,
        size: 1,
        block: usize::MAX,
    };

    /// This process's blocks of `ex` (all agents without an exchange).
    pub fn of(ex: &Option<&mut dyn super::Exchange>) -> Owner {
        ex.as_ref().map_or(Owner::ALL, |e| Owner {
            rank: e.rank(),
            size: e.size(),
            block: e.block().max(1),
        })
    }

    /// The ranges, relative to `base`, of the agents `base..base + len` owned here.
    pub fn ranges(self, base: usize, len: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
        let (first, last) = if self.size == 1 {
            (0, 0)
        } else {
            (
                base / self.block,
                (base + len).saturating_sub(1) / self.block,
            )
        };
        (first..=last)
            .filter(move |b| self.size == 1 || b % self.size == self.rank)
            .map(move |b| {
                if self.size == 1 {
                    0..len
                } else {
                    let start = (b * self.block).max(base);
                    let end = ((b + 1) * self.block).min(base + len);
                    start - base..end - base
                }
            })
    }
}

/// Offsets of the records of `all` (`width` words each, keyed by their first
/// word) in key order. `all` is the concatenation of every process's list,
/// each already in key order, so a k-way merge of its increasing runs does
/// it without sorting.
pub(crate) fn merged_order(all: &[u32], width: usize) -> Vec<u32> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = all.len() / width;
    // Start and end (in records) of each maximal increasing run.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for i in 0..n {
        if i == 0 || all[i * width] <= all[(i - 1) * width] {
            runs.push((i, i));
        }
        runs.last_mut().expect("a run").1 = i + 1;
    }
    let mut heap: BinaryHeap<Reverse<(u32, usize)>> = runs
        .iter()
        .enumerate()
        .map(|(r, &(start, _))| Reverse((all[start * width], r)))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((_, r))) = heap.pop() {
        let (i, end) = runs[r];
        order.push((i * width) as u32);
        if i + 1 < end {
            runs[r].0 = i + 1;
            heap.push(Reverse((all[(i + 1) * width], r)));
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_order_merges_the_processes_runs() {
        // Three processes' lists (keys 5 9 | 1 7 | 2), two words per record.
        let all = [5, 0, 9, 0, 1, 0, 7, 0, 2, 0];
        assert_eq!(merged_order(&all, 2), vec![4, 8, 0, 6, 2]);
        assert!(merged_order(&[], 3).is_empty());
    }

    #[test]
    fn partition_slots_and_global_indices_agree() {
        let p = Partition {
            rank: 1,
            size: 3,
            block: 4,
        };
        let owned: Vec<usize> = (0..40).filter(|&g| p.owns(g)).collect();
        assert_eq!(&owned[..6], &[4, 5, 6, 7, 16, 17]);
        for (slot, &g) in owned.iter().enumerate() {
            assert_eq!(p.slot(g), slot);
            assert_eq!(p.global(slot), g);
        }
    }

    #[test]
    fn owner_ranges_cover_only_own_blocks() {
        let all: Vec<_> = Owner::ALL.ranges(100, 7).collect();
        assert_eq!(all, vec![0..7]);
        let o = Owner {
            rank: 1,
            size: 2,
            block: 4,
        };
        // Agents 6..18: blocks 1 (4..8) and 3 (12..16) are rank 1's.
        let r: Vec<_> = o.ranges(6, 12).collect();
        assert_eq!(r, vec![0..2, 6..10]);
    }
}
