//! Step 1 of a speculated pass ([`super::speculate`]) for one work item:
//! its candidates act in place, in a scratch copy of the rest of the world,
//! and what step 3 needs is kept: the count changes, summed where their
//! order cannot show, and the candidates that read a count whose order
//! matters, with their reads.

use super::leavers::Leavers;
use super::speculate::{Action, ACTED};
use crate::events::{Event, Observer};
use crate::hooks::Mechanism;
use crate::pipeline::Day;
use crate::rules::Act;
use crate::world::{Agents, World, ON_LINK};
use crate::RunStats;

/// Step 1's result for one work item.
pub(super) struct Item {
    /// Their changes to the counts whose order does not matter.
    pub(super) deltas: Vec<(u32, i64)>,
    /// Their changes to counts whose order matters, summed per location
    /// between the item's readers: segment `i` (the changes of the
    /// candidates after `readers[i - 1]` and before `readers[i]`) ends at
    /// `segment_ends[i]`; the changes after the last reader follow. Step 3
    /// applies them between its readers: only the sums between two readers
    /// can show, so no single change is kept. The readers' own changes are
    /// not here: step 3 applies them as their action stands or is redone.
    pub(super) ordered: Vec<(u32, i64)>,
    pub(super) segment_ends: Vec<u32>,
    pub(super) stats: RunStats,
    /// Candidates whose action read an ordered count, in creation order.
    pub(super) readers: Vec<Reader>,
    /// The readers' reads, one after the other ([`Reader::reads_end`]).
    pub(super) reads: Vec<(u32, i64)>,
    /// Its candidates (a leaver that acted first counts too).
    pub(super) candidates: u64,
}

/// A candidate whose action read a count whose order matters: step 3 keeps
/// its action if every read gives the same at the count of the one-by-one
/// pass, else acts on it again from its state before the pass.
pub(super) struct Reader {
    pub(super) candidate: (u32, u32),
    /// Its state words before the pass.
    pub(super) before: [u32; 5],
    /// Its location word after its action.
    pub(super) after: u32,
    /// Whether its action is kept for checking; else it was undone (an
    /// unexpected event, or reads beyond the log) and acts again.
    pub(super) kept: bool,
    /// Departures and arrivals its action counted.
    pub(super) counted: (u64, u64),
    /// End of its reads in [`Item::reads`].
    pub(super) reads_end: u32,
}

/// An item's count changes, read off its scratch world's counts rather than
/// kept per candidate (most candidates are not readers, and their actions
/// already wrote their changes there): each place's count, less its `mark`,
/// is what changed since the item began (places whose order does not
/// matter) or since the last reader (places whose order matters), with the
/// kept readers' own changes counted into the mark, as step 3 applies those
/// itself.
struct Tally {
    /// The places whose order matters, ascending.
    ordered: Vec<u32>,
    mark: Vec<i64>,
}

impl Tally {
    /// A tally of changes to `counts`, the scratch world's as the item begins.
    fn new(counts: &[i64], order_matters: impl Fn(u32) -> bool) -> Self {
        Tally {
            ordered: (0..counts.len() as u32)
                .filter(|&l| order_matters(l))
                .collect(),
            mark: counts.to_vec(),
        }
    }

    /// A reader acted and its action is kept with the count change `change`:
    /// the changes before it end a segment in `out`; its own are not the item's.
    fn reader(
        &mut self,
        counts: &[i64],
        change: impl Iterator<Item = (u32, i32)>,
        out: &mut Vec<(u32, i64)>,
    ) {
        for (l, d) in change {
            self.mark[l as usize] += i64::from(d);
        }
        for &l in &self.ordered {
            let (now, mark) = (counts[l as usize], &mut self.mark[l as usize]);
            if now != *mark {
                out.push((l, now - *mark));
                *mark = now;
            }
        }
    }

    /// The item is done: the last segment's changes go to `ordered`, the
    /// others' to `deltas`, except at `skipped` places (where nothing of the
    /// item changes the count but the leavers' step sets what it shows).
    fn finish(
        self,
        counts: &[i64],
        skipped: &[u32],
        ordered: &mut Vec<(u32, i64)>,
        deltas: &mut Vec<(u32, i64)>,
    ) {
        for (l, (&now, &mark)) in counts.iter().zip(&self.mark).enumerate() {
            let l = l as u32;
            if now == mark || skipped.contains(&l) {
                continue;
            }
            let out = if self.ordered.binary_search(&l).is_ok() {
                &mut *ordered
            } else {
                &mut *deltas
            };
            out.push((l, now - mark));
        }
    }
}

/// Step 1 for one work item: its candidates, which `candidates` lists from
/// the scratch world (a run of the pass's list, or the item's own scan),
/// act in place on `agents` (a view of the run's), in a scratch copy of the
/// rest of `base`.
pub(super) fn speculate<'s, A: Action, C>(
    base: &World<'s>,
    pool: &Scratches<'s>,
    agents: Agents,
    day: Day,
    candidates: impl FnOnce(&mut World<'s>) -> C,
    action: &A,
    leavers: Option<&Leavers>,
) -> Item
where
    C: AsRef<[(u32, u32)]>,
{
    let mut scratch = pool.take(base, agents);
    let chunk = candidates(&mut scratch);
    let chunk = chunk.as_ref();
    let mut tally = Tally::new(&scratch.places.agents, |l| base.places.order_matters(l));
    let mut it = Item {
        deltas: Vec::new(),
        ordered: Vec::new(),
        segment_ends: Vec::new(),
        stats: RunStats::default(),
        readers: Vec::new(),
        reads: Vec::new(),
        candidates: chunk.len() as u64,
    };
    let mut hooks: [Box<dyn Mechanism>; 0] = [];
    let mut watch = Unexpected(false);
    let mut cursor = None;
    for &(a, word) in chunk {
        if (a, word) == ACTED {
            continue;
        }
        let slot = a as usize;
        if let Some(l) = leavers {
            l.advance(&mut scratch.places.agents, a, &mut cursor);
        }
        let before = scratch.agents.state_words(slot);
        // Counted in place (a per-candidate copy stalls every candidate on
        // reading back what the action just wrote) and taken back if undone.
        let before_counted = (it.stats.departures, it.stats.arrivals);
        let mut cx = Act {
            world: &mut scratch,
            hooks: &mut hooks,
            stats: &mut it.stats,
            day,
            obs: &mut watch,
        };
        action.act(&mut cx, slot, word);
        let reads_from = it.reads.len();
        let logged = scratch.places.live_reads.take_into(&mut it.reads);
        if logged == Some(0) && !watch.0 {
            continue;
        }
        // Kept for step 3 to check when all its reads were logged (and
        // there is no leavers' step, whose counts it would show); else
        // undone, to act again in step 3 from its state before the pass.
        let kept = logged.is_some() && !watch.0 && leavers.is_none();
        watch.0 = false;
        let after = scratch.agents.loc[slot];
        let change = count_change(before[0], after).into_iter().flatten();
        let counted = (
            it.stats.departures - before_counted.0,
            it.stats.arrivals - before_counted.1,
        );
        if kept {
            tally.reader(&scratch.places.agents, change, &mut it.ordered);
        } else {
            it.reads.truncate(reads_from);
            (it.stats.departures, it.stats.arrivals) = before_counted;
            scratch.agents.set_state(slot, before);
            for (l, d) in change {
                scratch.places.agents[l as usize] -= i64::from(d);
            }
            tally.reader(&scratch.places.agents, std::iter::empty(), &mut it.ordered);
        }
        it.segment_ends.push(it.ordered.len() as u32);
        it.readers.push(Reader {
            candidate: (a, word),
            before,
            after,
            kept,
            counted,
            reads_end: it.reads.len() as u32,
        });
    }
    let skipped = leavers.map_or(&[][..], |l| l.places);
    tally.finish(
        &scratch.places.agents,
        skipped,
        &mut it.ordered,
        &mut it.deltas,
    );
    pool.give_back(scratch);
    it
}

/// The scratch worlds of one pass's work items, reused from item to item
/// (a pass in blocks has hundreds of items; a fresh copy of the world for
/// each would cost more than the actions).
pub(super) struct Scratches<'s>(std::sync::Mutex<Vec<World<'s>>>);

impl<'s> Scratches<'s> {
    pub(super) fn new() -> Self {
        Scratches(std::sync::Mutex::new(Vec::new()))
    }

    /// A scratch copy of `base` acting on `agents`: reused, with the counts
    /// and what the pass set per location brought up to date (nothing else
    /// of a scratch world changes during a pass), or new.
    pub(super) fn take(&self, base: &World<'s>, agents: Agents) -> World<'s> {
        let reused = self.0.lock().ok().and_then(|mut p| p.pop());
        let scratch = match reused {
            Some(mut w) => {
                let (p, from) = (&mut w.places, &base.places);
                p.agents.clone_from(&from.agents);
                p.ordered.clone_from(&from.ordered);
                p.pass_counts.clone_from(&from.pass_counts);
                w.agents = agents;
                w
            }
            None => base.scratch_over(agents),
        };
        scratch.places.live_reads.take();
        scratch
    }

    /// Returns a scratch world, its view of the agents dropped.
    pub(super) fn give_back(&self, mut scratch: World<'s>) {
        drop(std::mem::take(&mut scratch.agents));
        if let Ok(mut p) = self.0.lock() {
            p.push(scratch);
        }
    }
}

/// An action's net change to location counts, from its agent's location
/// word before and after: every arrival (+1) on the way is followed by a
/// departure (−1) from the same place, so only where the agent rested
/// before and rests after count. Entries are (location, change).
#[inline]
pub(super) fn count_change(before: u32, after: u32) -> [Option<(u32, i32)>; 2] {
    let resting = |loc: u32| loc & ON_LINK == 0;
    if before == after {
        return [None, None];
    }
    [
        resting(before).then_some((before, -1)),
        resting(after).then_some((after, 1)),
    ]
}

/// The observer of a work item: the passes' rules send only departures,
/// arrivals and bounces without mechanisms, whose count changes
/// [`count_change`] accounts for; any other event (set here) sends the
/// agent to the serial step.
struct Unexpected(bool);

impl Observer for Unexpected {
    #[inline(always)]
    fn event(&mut self, _day: i64, e: &Event) {
        if !matches!(
            e,
            Event::Departed { .. } | Event::Arrived { .. } | Event::Bounced { .. }
        ) {
            self.0 = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_splits_the_changes_at_readers_and_leaves_out_their_own() {
        // Places 1 and 3 are the ones whose order matters.
        let mut counts = [5i64; 6];
        let mut tally = Tally::new(&counts, |l| l == 1 || l == 3);
        let mut ordered = Vec::new();
        // Two candidates: one from 0 to 1, one from 1 to 0 and back to 1.
        counts[0] -= 1;
        counts[1] += 1;
        // A kept reader, from 2 to 3: the segment before it is 1's +1.
        counts[2] -= 1;
        counts[3] += 1;
        tally.reader(&counts, [(2, -1), (3, 1)].into_iter(), &mut ordered);
        assert_eq!(ordered, [(1, 1)]);
        // A reader undone (its change taken back): an empty segment.
        tally.reader(&counts, std::iter::empty(), &mut ordered);
        assert_eq!(ordered, [(1, 1)]);
        // Then two arrive at 3, one at 4 and one at 5.
        counts[3] += 2;
        counts[4] += 1;
        counts[5] += 1;
        let mut deltas = Vec::new();
        tally.finish(&counts, &[5], &mut ordered, &mut deltas);
        // Neither the reader's change (2 and 3) nor a skipped place's.
        assert_eq!(ordered, [(1, 1), (3, 2)]);
        assert_eq!(deltas, [(0, -1), (4, 1)]);
    }

    #[test]
    fn an_actions_count_change_is_where_it_rested_before_and_after() {
        // Pass 1: left place 3 for link 5.
        assert_eq!(count_change(3, ON_LINK | 5), [Some((3, -1)), None]);
        // Pass 2: from link 5, through places on the way, to rest at 7.
        assert_eq!(count_change(ON_LINK | 5, 7), [None, Some((7, 1))]);
        // Through places onto another link, or back where it started.
        assert_eq!(count_change(ON_LINK | 5, ON_LINK | 6), [None, None]);
        assert_eq!(count_change(3, 3), [None, None]);
        assert_eq!(count_change(3, 4), [Some((3, -1)), Some((4, 1))]);
    }
}
