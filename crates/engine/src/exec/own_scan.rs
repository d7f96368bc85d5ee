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
use super::speculate::{act_in_items, mark_ordered, Action, Candidate, PassWork, Reach};
use super::work_item::Scratches;
use super::CHUNK;
use crate::pipeline::Day;
use crate::world::World;
use crate::RunStats;
use rayon::prelude::*;
use std::borrow::Cow;

/// Slots per work item: few enough for their state to stay in the core's
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
    act_in_items(
        world,
        &Scratches::new(),
        stats,
        day,
        action,
        None,
        n.div_ceil(ITEM_SLOTS),
        |i, w| scan::arrivals_in(w, day, slots(i, n)),
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
/// item first tests its slots, on every core, keeping the movers resting
/// at places with a capacity apart; those places are marked, the leavers
/// of the marked ones act, and then each item acts on its movers, with the
/// other movers of such places in its slots. The lists stay in `lists`
/// from day to day: allocated afresh, they went back to the operating
/// system at the end of every pass (about 1 s of system time a run at
/// hasten 10).
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
        .with_max_len(1) // as the items of `act_in_items`
        .for_each(|(i, (own, held))| {
            own.clear();
            held.clear();
            scan::movers_in(&tests, slots(i, n), own);
            own.retain(|&c| {
                let at_capacity = capacity[locs[c.0 as usize] as usize];
                if at_capacity {
                    held.push(c);
                }
                !at_capacity
            });
        });
    let lists = &lists.0[..count];
    let at_capacity: Vec<Candidate> = lists.iter().flat_map(|l| l.1.iter().copied()).collect();
    mark_ordered(world, Reach::Leaving(&at_capacity));
    let ordered = |c: &Candidate| world.places.order_matters(world.agents.loc[c.0 as usize]);
    let (first, later): (Vec<Candidate>, Vec<Candidate>) =
        at_capacity.into_iter().partition(ordered);
    let step = act_first(world, stats, day, action, &first);
    let leavers = step.leavers();
    // The leavers acted first, serially.
    let mut work = PassWork {
        candidates: first.len() as u64,
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
        count,
        |i, _| {
            let slots = slots(i, n);
            let from = later.partition_point(|c| (c.0 as usize) < slots.start);
            let to = later.partition_point(|c| (c.0 as usize) < slots.end);
            let own = &lists[i].0;
            if from == to {
                return Cow::Borrowed(&own[..]);
            }
            let mut list = own.clone();
            merge(&mut list, &later[from..to]);
            Cow::Owned(list)
        },
        &mut work,
    );
    work
}

/// The lists of [`movers`], per work item: its movers, and its movers
/// resting at places with a capacity.
#[derive(Default)]
pub(crate) struct MoverLists(Vec<(Vec<Candidate>, Vec<Candidate>)>);

/// The slots of work item `i` of a pass over `n` agents.
fn slots(i: usize, n: usize) -> std::ops::Range<usize> {
    i * ITEM_SLOTS..((i + 1) * ITEM_SLOTS).min(n)
}

/// Merges `b` into `a`, both lists of candidates in creation order, in
/// creation order (the leavers' counts are brought up to date agent by
/// agent, forwards).
fn merge(a: &mut Vec<Candidate>, b: &[Candidate]) {
    if b.is_empty() {
        return;
    }
    let own = std::mem::take(a);
    a.reserve(own.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < own.len() && j < b.len() {
        if own[i].0 < b[j].0 {
            a.push(own[i]);
            i += 1;
        } else {
            a.push(b[j]);
            j += 1;
        }
    }
    a.extend_from_slice(&own[i..]);
    a.extend_from_slice(&b[j..]);
}

#[cfg(test)]
mod tests {
    use super::merge;

    #[test]
    fn merged_lists_keep_creation_order() {
        let a = vec![(1, 10), (4, 40), (9, 90)];
        let b = [(0, 0), (5, 50), (6, 60), (12, 120)];
        let mut m = a.clone();
        merge(&mut m, &b);
        let slots: Vec<u32> = m.iter().map(|c| c.0).collect();
        assert_eq!(slots, [0, 1, 4, 5, 6, 9, 12]);
        assert!(
            m.iter().all(|&(s, w)| w == 10 * s),
            "words travel with slots"
        );
        let mut same = a.clone();
        merge(&mut same, &[]);
        assert_eq!(same, a);
        let mut only_b = Vec::new();
        merge(&mut only_b, &b);
        assert_eq!(only_b, b);
    }
}
