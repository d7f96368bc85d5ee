//! The two agent passes of a single-process run without mechanisms, whose
//! observer ignores agent events, with Flee's live counts, speculated
//! ([`super::speculate`]) in work items of a run of slots each, which scan
//! their own slots: no list of the whole pass's candidates is built,
//! concatenated or filtered on one core. The arrivals' items act on their
//! arrivals as soon as they have found them, while their state is still
//! in this core's cache (a scan of the whole pass first had them read back
//! from memory: the agent store is far larger than a cache). Exact as
//! [`super::speculate::run`] on the whole scan's list is: a scan reads only
//! its own agents' state and the pass's fixed tables, which no other
//! agent's action changes, and writes only its own agents' travel state,
//! which no other action reads.

use super::leavers::act_first;
use super::scan::{self, MoveTests};
use super::speculate::{act_in_items, mark_ordered, Action, Candidate, PassWork, Reach, ACTED};
use super::work_item::Scratches;
use super::CHUNK;
use crate::pipeline::Day;
use crate::world::World;
use crate::RunStats;
use rayon::prelude::*;
use std::ops::Range;

/// Slots per move-test scan and per work item but a pass's last ones
/// ([`item_slots`]): few enough for their state to stay in the core's
/// cache from scan to action (items of 74 K slots, 16 a thread at hasten
/// 10, were 4 % slower in the arrivals' pass; 4 K slots were no faster).
const ITEM_SLOTS: usize = CHUNK;

/// Pass 2: the travellers' scan and the arrivals' actions.
pub(crate) fn arrivals<A: Action>(
    world: &mut World,
    stats: &mut RunStats,
    day: Day,
    action: &A,
) -> PassWork {
    let n = world.agents.len();
    // No pass brings more agents to a place than there are.
    mark_ordered(world, Reach::Arriving(n));
    let mut work = PassWork::default();
    let items = item_slots(n, rayon::current_num_threads());
    act_in_items(
        world,
        &Scratches::new(),
        stats,
        day,
        action,
        None,
        items.len(),
        |i, w| scan::arrivals_in(w, day, items[i].clone()),
        &mut work,
    );
    work
}

/// Pass 1: the move tests and the movers' actions, with chances that
/// depend only on an agent's place and route ([`crate::rules::move_chance::plain`]),
/// from `by_location`, routes chosen in the scan where `choose_early`
/// ([`scan::movers`]); `(choose_early, by_location)` is `tests`.
///
/// Which places' order matters depends on how many of their agents move,
/// and their leavers act before anyone else ([`act_first`]). So every work
/// item first tests its slots, on every core, noting where in its list
/// the movers resting at places with a capacity are; those places are
/// marked, the leavers of the marked ones are marked as done in their
/// items' lists ([`ACTED`]) and act, and then each item acts on the rest of
/// its list, in place (copying each list to merge the movers of such
/// places back in took 0.29 s of thread time a run at hasten 10). The
/// lists stay in `lists` from day to day: allocated afresh, they went back
/// to the operating system at the end of every pass (about 1 s of system
/// time a run at hasten 10).
pub(crate) fn movers<A: Action>(
    world: &mut World,
    stats: &mut RunStats,
    day: Day,
    action: &A,
    tests: (bool, &[f64]),
    lists: &mut MoverLists,
) -> PassWork {
    let (choose_early, by_location) = tests;
    let n = world.agents.len();
    let count = n.div_ceil(ITEM_SLOTS);
    let capacity: Vec<bool> = world.places.capacity.iter().map(|&c| c > 0).collect();
    let tests = MoveTests::new(world, &[], day, choose_early, by_location);
    let locs = &world.agents.loc;
    lists.0.resize_with(count, Default::default);
    lists
        .0
        .par_iter_mut()
        .enumerate()
        // Every scan a task of its own: rayon would leave runs unsplit.
        .with_max_len(1)
        .for_each(|(i, (own, held))| {
            own.clear();
            held.clear();
            scan::movers_in(&tests, slots(i, n), own);
            for (k, c) in own.iter().enumerate() {
                let place = locs[c.0 as usize];
                if capacity[place as usize] {
                    held.push((k as u32, place));
                }
            }
        });
    let lists = &mut lists.0[..count];
    // The acting items: runs of a list, found while the lists are in slot order.
    let items: Vec<(usize, Range<usize>)> = item_slots(n, rayon::current_num_threads())
        .into_iter()
        .map(|r| {
            let k = r.start / ITEM_SLOTS;
            let own = &lists[k].0;
            let at = |slot: usize| own.partition_point(|c| (c.0 as usize) < slot);
            (k, at(r.start)..at(r.end))
        })
        .collect();
    let mut leaving = vec![0i64; world.places.len()];
    for &(_, place) in lists.iter().flat_map(|l| &l.1) {
        leaving[place as usize] += 1;
    }
    mark_ordered(world, Reach::Leaving(leaving));
    let first = take_leavers(lists, |place| world.places.order_matters(place));
    let step = act_first(world, stats, day, action, &first);
    let leavers = step.leavers();
    // The leavers acted first, serially; the items count them.
    let mut work = PassWork {
        serial: first.len() as u64,
        ..PassWork::default()
    };
    act_in_items(
        world,
        &Scratches::new(),
        stats,
        day,
        action,
        leavers.as_ref(),
        items.len(),
        |i, _| &lists[items[i].0].0[items[i].1.clone()],
        &mut work,
    );
    work
}

/// The lists of [`movers`], per work item: its movers, and its movers
/// resting at places with a capacity as (index in the first list, place).
#[derive(Default)]
pub(crate) struct MoverLists(Vec<ItemMovers>);

/// One work item's lists in [`MoverLists`].
type ItemMovers = (Vec<Candidate>, Vec<(u32, u32)>);

/// The leavers of the items' `lists`, the movers resting at places whose
/// order matters, in creation order; each is marked as done ([`ACTED`]) in
/// its item's list, which the item then acts on in place.
fn take_leavers(lists: &mut [ItemMovers], order_matters: impl Fn(u32) -> bool) -> Vec<Candidate> {
    let mut leavers = Vec::new();
    for (own, held) in lists {
        for &(k, place) in held.iter() {
            if order_matters(place) {
                leavers.push(std::mem::replace(&mut own[k as usize], ACTED));
            }
        }
    }
    leavers
}

/// The slots of scan `i` of a pass over `n` agents.
fn slots(i: usize, n: usize) -> Range<usize> {
    i * ITEM_SLOTS..((i + 1) * ITEM_SLOTS).min(n)
}

/// The slots of the acting work items of a pass over `n` agents on
/// `threads` threads: runs of [`ITEM_SLOTS`], the last `threads` of them cut
/// into eighths. The threads take items in creation order and end a pass
/// within an item of each other; the latest agents, who travel most, made
/// the last items the longest (the threads ended the arrivals' pass 0.34 ms
/// apart, 0.19 s a run at hasten 10). An item never spans two scans' runs.
fn item_slots(n: usize, threads: usize) -> Vec<Range<usize>> {
    let fine_from = n.saturating_sub(threads * ITEM_SLOTS) / ITEM_SLOTS * ITEM_SLOTS;
    let fine = ITEM_SLOTS / 8;
    let coarse = (0..fine_from / ITEM_SLOTS).map(|i| i * ITEM_SLOTS..(i + 1) * ITEM_SLOTS);
    let cut = (fine_from..n)
        .step_by(fine)
        .map(|lo| lo..(lo + fine).min(n));
    coarse.chain(cut).collect()
}

#[cfg(test)]
mod tests {
    use super::{item_slots, take_leavers, ItemMovers, ACTED, ITEM_SLOTS};

    #[test]
    fn items_cover_the_slots_in_order_finer_toward_the_end() {
        let s = ITEM_SLOTS;
        for (n, threads) in [
            (0, 2),
            (5, 2),
            (s, 1),
            (3 * s + 17, 2),
            (40 * s, 2),
            (40 * s + 1, 8),
        ] {
            let items = item_slots(n, threads);
            // Contiguous from 0 to n, none empty, none across two scans' runs.
            let mut at = 0;
            for r in &items {
                assert_eq!(r.start, at, "n {n}");
                assert!(r.end > r.start && r.end <= n);
                assert_eq!(r.start / s, (r.end - 1) / s, "{r:?} spans two runs");
                at = r.end;
            }
            assert_eq!(at, n);
            // Full runs, then runs of an eighth over the last `threads` runs' slots.
            let fine = items.iter().filter(|r| r.len() < s).count();
            let coarse = items.len() - fine;
            assert!(items[..coarse].iter().all(|r| r.len() == s));
            assert!(items[coarse..].iter().all(|r| r.len() <= s / 8));
            assert!(n - coarse * s <= (threads + 1) * s);
            if n >= (threads + 1) * s {
                assert!(n - coarse * s >= threads * s, "n {n}: too few fine items");
            }
        }
    }

    #[test]
    fn leavers_are_taken_in_creation_order_and_marked_in_their_lists() {
        // Two items; movers at places 3 and 5 (with a capacity) noted.
        let mut lists: Vec<ItemMovers> = vec![
            (vec![(0, 10), (2, 20), (7, 70)], vec![(0, 3), (2, 5)]),
            (vec![(9, 90), (12, 120)], vec![(1, 3)]),
        ];
        let before = lists.clone();
        let leavers = take_leavers(&mut lists, |place| place == 3);
        assert_eq!(leavers, [(0, 10), (12, 120)]);
        assert_eq!(lists[0].0, [ACTED, (2, 20), (7, 70)]);
        assert_eq!(lists[1].0, [(9, 90), ACTED]);
        // No place whose order matters: nobody leaves first.
        let mut untouched = before.clone();
        assert!(take_leavers(&mut untouched, |_| false).is_empty());
        assert_eq!(untouched, before);
    }
}
