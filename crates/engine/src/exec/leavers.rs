//! The leavers' step of a speculated move-test pass: the movers resting at
//! the places whose order matters act first, serially, and what those
//! places' counts look like to each agent acting after them.

use super::speculate::{act_serially, Action, Candidate};
use crate::pipeline::Day;
use crate::world::World;
use crate::RunStats;

/// What the leavers' step leaves for the rest of the pass ([`act_first`]).
pub(super) struct First {
    /// The places whose order matters, ascending.
    places: Vec<u32>,
    /// Every place's count as the pass began.
    start: Vec<i64>,
    /// Per place of `places`: the slots of the agents that left it, ascending.
    left: Vec<Vec<u32>>,
}

impl First {
    /// What the places' counts look like to the rest of the pass; `None`
    /// where no place's order matters.
    pub(super) fn leavers(&self) -> Option<Leavers<'_>> {
        let any = !self.places.is_empty();
        any.then(|| Leavers::new(&self.places, &self.start, &self.left))
    }
}

/// The leavers' step of a pass without arrivals (the move tests), which
/// changes the count of a place only when an agent resting there leaves:
/// the movers `first`, all those resting at the places whose order matters
/// ([`crate::world::Places::order_matters`]) in creation order, act serially
/// on `world`. They read only those places' counts, which only they change,
/// so they see what the one-by-one pass would show them. Everyone else
/// then reads those counts exactly as the one-by-one pass would: the count
/// as the pass began, less the leavers before it ([`Leavers`]); no
/// place's order matters for them, and none is marked so afterwards.
pub(super) fn act_first<A: Action>(
    world: &mut World,
    stats: &mut RunStats,
    day: Day,
    action: &A,
    first: &[Candidate],
) -> First {
    let places: Vec<u32> = (0..world.places.len() as u32)
        .filter(|&l| world.places.order_matters(l))
        .collect();
    let start = world.places.agents.clone();
    let mut left = vec![Vec::new(); places.len()];
    for &(a, word) in first {
        let loc = world.agents.loc[a as usize];
        act_serially(world, stats, day, action, a, word);
        if world.agents.loc[a as usize] != loc {
            let k = places.binary_search(&loc).expect("an ordered place");
            left[k].push(a);
        }
    }
    world.places.live_reads.take();
    world.places.ordered.iter_mut().for_each(|o| *o = false);
    First {
        places,
        start,
        left,
    }
}

/// The counts of the places of [`act_first`] as the one-by-one pass would
/// show them to an agent acting after that step.
pub(super) struct Leavers<'p> {
    /// The places whose order matters, ascending.
    pub(super) places: &'p [u32],
    /// Every place's count as the pass began.
    start: &'p [i64],
    /// Per place of `places`: the slots of the first step's agents that left it, ascending.
    left: &'p [Vec<u32>],
    /// Every leaver as (slot, index into `places`), ascending by slot.
    merged: Vec<(u32, u32)>,
}

impl<'p> Leavers<'p> {
    /// The leavers `left` of each of `places`, whose counts were `start`.
    pub(super) fn new(places: &'p [u32], start: &'p [i64], left: &'p [Vec<u32>]) -> Self {
        let mut merged: Vec<(u32, u32)> = left
            .iter()
            .enumerate()
            .flat_map(|(k, slots)| slots.iter().map(move |&a| (a, k as u32)))
            .collect();
        merged.sort_unstable();
        Leavers {
            places,
            start,
            left,
            merged,
        }
    }

    /// Sets `counts` at the places as agent `a` would see them.
    pub(super) fn show(&self, counts: &mut [i64], a: u32) {
        for (k, &l) in self.places.iter().enumerate() {
            let before = self.left[k].partition_point(|&s| s < a);
            counts[l as usize] = self.start[l as usize] - before as i64;
        }
    }

    /// Brings `counts` from what the agent before `a` saw to what `a`
    /// sees; `cursor` is how many leavers come before that agent, `None`
    /// before the first agent of a work item. Agents come in ascending
    /// order, and in between only [`Self::show`]'s places are set here (a
    /// second-step action leaves none of them), so each leaver is passed
    /// once: one step through the leavers in slot order, not one per place.
    #[inline]
    pub(super) fn advance(&self, counts: &mut [i64], a: u32, cursor: &mut Option<usize>) {
        match cursor {
            None => {
                self.show(counts, a);
                *cursor = Some(self.merged.partition_point(|&(s, _)| s < a));
            }
            Some(pos) => {
                while let Some(&(s, k)) = self.merged.get(*pos) {
                    if s >= a {
                        break;
                    }
                    counts[self.places[k as usize] as usize] -= 1;
                    *pos += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leavers_passed_one_by_one_show_what_a_fresh_look_shows() {
        // Places 1 and 4 matter; agents 3, 8, 9 left 1 and 2, 8, 20 left 4.
        let places = [1u32, 4];
        let start = [0i64, 10, 0, 0, 7];
        let left = vec![vec![3u32, 8, 9], vec![2, 8, 20]];
        let l = Leavers::new(&places, &start, &left);
        // Work items start anywhere and skip agents.
        for first in [0u32, 3, 8, 10, 30] {
            let mut counts = [5i64, -1, 5, 5, -1];
            let mut cursor = None;
            for a in (first..32).step_by(1 + first as usize % 3) {
                l.advance(&mut counts, a, &mut cursor);
                let mut fresh = counts;
                l.show(&mut fresh, a);
                assert_eq!(counts, fresh, "agent {a} from {first}");
            }
            // Counts elsewhere are never touched.
            assert_eq!((counts[0], counts[2], counts[3]), (5, 5, 5));
        }
        let mut counts = [0i64; 5];
        l.show(&mut counts, 9);
        assert_eq!((counts[1], counts[4]), (10 - 2, 7 - 2));
    }
}
