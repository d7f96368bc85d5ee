//! What the camps' count looks like to each agent of a move-test pass
//! whose camps' leavers acted first (`speculate::leavers_first`).

/// The counts of the places of `speculate::leavers_first` as the one-by-one pass would
/// show them to an agent of its second step.
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
