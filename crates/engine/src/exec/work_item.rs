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

/// The sums of an item's ordered count changes since its last reader
/// ([`Item::ordered`]).
struct Segment {
    sums: Vec<i64>,
    touched: Vec<u32>,
}

impl Segment {
    fn new(locations: usize) -> Self {
        Segment {
            sums: vec![0; locations],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, l: u32, d: i64) {
        let sum = &mut self.sums[l as usize];
        if *sum == 0 {
            self.touched.push(l);
        }
        *sum += d;
    }

    /// Moves the non-zero sums to `out` and starts a new segment.
    fn close(&mut self, out: &mut Vec<(u32, i64)>) {
        for l in self.touched.drain(..) {
            let sum = std::mem::take(&mut self.sums[l as usize]);
            if sum != 0 {
                out.push((l, sum));
            }
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
    let mut counts = vec![0i64; base.locations()];
    let mut segment = Segment::new(base.locations());
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
        let after = scratch.agents.loc[slot];
        let change = count_change(before[0], after);
        let reads_from = it.reads.len();
        let logged = scratch.places.live_reads.take_into(&mut it.reads);
        if logged != Some(0) || watch.0 {
            // Kept for step 3 to check when all its reads were logged (and
            // there is no leavers' step, whose counts it would show); else
            // undone, to act again in step 3 from its state before the pass.
            let kept = logged.is_some() && !watch.0 && leavers.is_none();
            watch.0 = false;
            let counted = (
                it.stats.departures - before_counted.0,
                it.stats.arrivals - before_counted.1,
            );
            if !kept {
                it.reads.truncate(reads_from);
                (it.stats.departures, it.stats.arrivals) = before_counted;
                scratch.agents.set_state(slot, before);
                for (l, d) in change.into_iter().flatten() {
                    scratch.places.agents[l as usize] -= i64::from(d);
                }
            }
            segment.close(&mut it.ordered);
            it.segment_ends.push(it.ordered.len() as u32);
            it.readers.push(Reader {
                candidate: (a, word),
                before,
                after,
                kept,
                counted,
                reads_end: it.reads.len() as u32,
            });
            continue;
        }
        for (l, d) in change.into_iter().flatten() {
            if base.places.order_matters(l) {
                segment.add(l, i64::from(d));
            } else {
                counts[l as usize] += i64::from(d);
            }
        }
    }
    segment.close(&mut it.ordered);
    it.deltas = counts
        .iter()
        .enumerate()
        .filter(|&(_, &d)| d != 0)
        .map(|(l, &d)| (l as u32, d))
        .collect();
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
    fn take(&self, base: &World<'s>, agents: Agents) -> World<'s> {
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
    fn give_back(&self, mut scratch: World<'s>) {
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
    fn a_segment_keeps_the_non_zero_sums_since_it_began() {
        let mut segment = Segment::new(5);
        let mut out = Vec::new();
        segment.add(3, 1);
        segment.add(1, -1);
        segment.add(3, 1);
        // Back to 0 and away again: listed once, with its sum.
        segment.add(1, 1);
        segment.add(1, 1);
        segment.add(4, 1);
        segment.add(4, -1);
        segment.close(&mut out);
        assert_eq!(out, [(3, 2), (1, 1)]);
        segment.close(&mut out);
        assert_eq!(out.len(), 2, "a closed segment starts empty");
        segment.add(0, -1);
        segment.close(&mut out);
        assert_eq!(out, [(3, 2), (1, 1), (0, -1)]);
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
