//! The serial part of an agent pass, run on every core with the same result.
//!
//! During a pass a candidate's action (a departure, an arrival and what
//! follows it) reads only its own agent's state, the day's fixed data and
//! the live counts of locations with a capacity ([`Places::order_matters`]);
//! it writes its own agent's state and adds to or takes from location
//! counts. Sums commute, so only the counts of capacity locations carry
//! order between agents. Hence:
//!
//! 1. in parallel, each work item (a run of candidates) acts on its agents
//!    where they are stored, through a view of the agent columns
//!    ([`Agents::lend`]), in a scratch copy of the rest of the world
//!    ([`World::scratch_over`]) whose counts are its own; an action that
//!    reads a count whose order matters is undone (the agent's state words
//!    were kept) and marked for step 3, every other one is final;
//! 2. the final ones' count changes are applied (in any order: they are
//!    disjoint agents and sums);
//! 3. the marked ones act on the real world, serially, in creation order:
//!    the only order-dependent state they see, the capacity locations'
//!    counts, is changed by no one else, so they see what Flee's sequential
//!    loop would.
//!
//! The result is byte-identical to the serial pass for any thread count. The
//! share left to step 3 is the pass's serial fraction. The move-test pass
//! has no arrivals, so only the movers resting at such a location change
//! its count: they act first, and everyone else reads the count exactly
//! (`leavers_first`). With `capacity_count_block` above 1 the pass runs in
//! blocks whose reads see the counts as the block began: no order matters
//! within a block and nobody acts serially.

use super::leavers::Leavers;
use super::CHUNK;
use crate::events::{Event, NoObserver, Observer};
use crate::hooks::Mechanism;
use crate::pipeline::Day;
use crate::rules::scores::capacity_factor;
use crate::rules::Act;
use crate::world::{Agents, World, ON_LINK};
use crate::RunStats;
use rayon::prelude::*;

static SPECULATIVE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Switches the speculative parallel passes on or off for every run of this
/// process (tests and benchmarks; see [`alone_on_every_core`] for the
/// default). The outputs are the same either way.
pub fn set_speculative_passes(on: bool) {
    SPECULATIVE.store(on, std::sync::atomic::Ordering::Relaxed);
}

thread_local! {
    static ALONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, a run that has the thread pool to itself, with the speculative
/// passes on: a single run spreads its movers and arrivals over the cores,
/// where runs side by side (ensembles, calibration) keep them in order, as
/// acting speculatively costs about a fifth more work in all and pays only
/// when cores would otherwise idle. The outputs are the same either way.
pub fn alone_on_every_core<T>(f: impl FnOnce() -> T) -> T {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            ALONE.with(|a| a.set(self.0));
        }
    }
    let _reset = Reset(ALONE.with(|a| a.replace(true)));
    f()
}

/// Whether this run's passes may be speculated: on with
/// [`set_speculative_passes`] or within [`alone_on_every_core`].
pub(crate) fn may_speculate() -> bool {
    SPECULATIVE.load(std::sync::atomic::Ordering::Relaxed) || ALONE.with(|a| a.get())
}

/// Whether a pass of `candidates` that [`may_speculate`] pays for its work
/// items' set-up: always with [`set_speculative_passes`], else when large
/// enough.
pub(crate) fn worth_speculating(candidates: usize) -> bool {
    SPECULATIVE.load(std::sync::atomic::Ordering::Relaxed) || candidates >= MIN_SPECULATED
}

/// Fewer candidates than this in a pass act in order within
/// [`alone_on_every_core`].
const MIN_SPECULATED: usize = 2 * MIN_ITEM;

/// What a pass does to one candidate `(slot, word)` (see [`super::in_creation_order`]).
pub(crate) trait Action: Sync {
    /// Acts on agent `a` with the scan's `word`.
    fn act<O: Observer>(&self, cx: &mut Act<'_, '_, O>, a: usize, word: u32);
    /// Whether the action can bring an agent to a location (else counts
    /// only fall during the pass).
    const ARRIVES: bool;
}

/// Candidates per work item of step 1 (at least; more with few threads).
const MIN_ITEM: usize = CHUNK / 4;

/// Work of one pass, for measuring the serial fraction.
#[derive(Debug, Default, Clone, Copy)]
pub struct PassWork {
    /// Candidates handed to the pass.
    pub candidates: u64,
    /// Of those, acted on serially (step 3).
    pub serial: u64,
}

/// Runs `action` on the candidates `list` (slots in creation order) of a
/// single-process run without mechanisms, whose observer ignores agent
/// events; with blocks of `block` candidates (`capacity_count_block`) when
/// above 1, each reading the counts as it began.
pub(crate) fn run<A: Action>(
    world: &mut World,
    stats: &mut RunStats,
    day: Day,
    list: &[(u32, u32)],
    action: &A,
    block: usize,
) -> PassWork {
    let threads = rayon::current_num_threads();
    let mut work = PassWork {
        candidates: list.len() as u64,
        serial: 0,
    };
    let pool = Scratches::new();
    if block <= 1 {
        let item = MIN_ITEM.max(list.len().div_ceil(threads * 16));
        mark_ordered(world, list, A::ARRIVES);
        if A::ARRIVES {
            work.serial = round(world, &pool, stats, day, list, action, item, None);
        } else {
            work.serial = leavers_first(world, &pool, stats, day, list, action, item);
        }
        return work;
    }
    for part in list.chunks(block) {
        let counts = world.places.pass_counts.get_or_insert_with(Vec::new);
        counts.clone_from(&world.places.agents);
        // No count's order matters (`mark_ordered`): nobody waits.
        mark_ordered(world, part, A::ARRIVES);
        let item = MIN_BLOCK_ITEM.max(part.len().div_ceil(threads * 4));
        work.serial += round(world, &pool, stats, day, part, action, item, None);
    }
    work
}

/// A pass's candidate: its slot and the scan's word.
type Candidate = (u32, u32);

/// Work items of a block of [`run`] have at least this many candidates.
const MIN_BLOCK_ITEM: usize = 256;

/// A pass without arrivals (the move tests) changes the count of a place
/// only when an agent resting there leaves. So the movers resting at the
/// places whose order matters act first, serially, in creation order: they
/// read only those places' counts, which only they change, so they see
/// what the one-by-one pass would show them. Everyone else then acts on
/// every core, each reading those counts exactly as the one-by-one pass
/// would: the count as the pass began, less the leavers of the first step
/// before it ([`Leavers`]). Returns how many acted serially.
fn leavers_first<'s, A: Action>(
    world: &mut World<'s>,
    pool: &Scratches<'s>,
    stats: &mut RunStats,
    day: Day,
    list: &[(u32, u32)],
    action: &A,
    item: usize,
) -> u64 {
    let n = world.places.len();
    let places: Vec<u32> = (0..n as u32)
        .filter(|&l| world.places.order_matters(l))
        .collect();
    if places.is_empty() {
        return round(world, pool, stats, day, list, action, item, None);
    }
    let start = world.places.agents.clone();
    let resting_at_ordered = |w: &World, a: u32| {
        let loc = w.agents.loc[a as usize] as usize;
        loc < n && w.places.ordered[loc]
    };
    let (first, rest): (Vec<Candidate>, Vec<Candidate>) = list
        .iter()
        .partition(|&&(a, _)| resting_at_ordered(world, a));
    let mut left = vec![Vec::new(); places.len()];
    for &(a, word) in &first {
        let loc = world.agents.loc[a as usize];
        act_serially(world, stats, day, action, a, word);
        if world.agents.loc[a as usize] != loc {
            let k = places.binary_search(&loc).expect("an ordered place");
            left[k].push(a);
        }
    }
    world.places.live_reads.take();
    // The others' reads are exact: no place's order matters for them.
    world.places.ordered.iter_mut().for_each(|o| *o = false);
    let leavers = Leavers::new(&places, &start, &left);
    let serial = round(world, pool, stats, day, &rest, action, item, Some(&leavers));
    first.len() as u64 + serial
}

/// Steps 1–3 for `list`, in work items of `item` candidates; returns how
/// many acted serially.
#[allow(clippy::too_many_arguments)]
fn round<'s, A: Action>(
    world: &mut World<'s>,
    pool: &Scratches<'s>,
    stats: &mut RunStats,
    day: Day,
    list: &[(u32, u32)],
    action: &A,
    item: usize,
    leavers: Option<&Leavers>,
) -> u64 {
    // The agents leave the world while the work items act on them in place.
    let mut agents = std::mem::take(&mut world.agents);
    let lent = agents.lend();
    let base = &*world;
    let items: Vec<Item> = list
        .par_chunks(item.max(1))
        .map(|chunk| {
            // SAFETY: `agents` is not used until the items are done, and the
            // items' candidates are distinct agents (a pass lists each once).
            let view = unsafe { lent.view() };
            speculate(base, pool, view, day, chunk, action, leavers)
        })
        .collect();
    world.agents = agents;
    let mut serial = 0;
    for it in &items {
        for &(l, d) in &it.deltas {
            world.places.agents[l as usize] += d;
        }
        stats.departures += it.stats.departures;
        stats.arrivals += it.stats.arrivals;
        serial += it.serial.len() as u64;
    }
    // Step 3: the readers in creation order, each after the ordered count
    // changes of the candidates before it.
    let mut ordered = items.iter().flat_map(|it| &it.ordered).peekable();
    for it in &items {
        for &(a, word) in &it.serial {
            while let Some(&(_, l, d)) = ordered.next_if(|o| o.0 < a) {
                world.places.agents[l as usize] += i64::from(d);
            }
            // After the leavers' step, the leavers' places show this agent
            // their counts as of its turn (it changes none of them).
            let now = leavers.map(|l| {
                let now = world.places.agents.clone();
                l.show(&mut world.places.agents, a);
                now
            });
            act_serially(world, stats, day, action, a, word);
            if let (Some(l), Some(now)) = (leavers, now) {
                for &p in l.places {
                    world.places.agents[p as usize] = now[p as usize];
                }
            }
        }
    }
    for &(_, l, d) in ordered {
        world.places.agents[l as usize] += i64::from(d);
    }
    world.places.live_reads.take();
    serial
}

/// Candidate `(a, word)` acts on the run's world itself, as the one-by-one
/// pass would have it act (a speculated pass has no mechanisms and no
/// observer of agent events).
fn act_serially<A: Action>(
    world: &mut World,
    stats: &mut RunStats,
    day: Day,
    action: &A,
    a: u32,
    word: u32,
) {
    let mut hooks: [Box<dyn Mechanism>; 0] = [];
    let mut cx = Act {
        world,
        hooks: &mut hooks,
        stats,
        day,
        obs: &mut NoObserver,
    };
    action.act(&mut cx, a as usize, word);
}

/// Marks the locations whose count the order of the pass over `list` can
/// matter for: those with a capacity whose factor is not the same over the
/// whole range the count can take during the pass (then every read gives
/// the same in any order). An agent counts at most once at a place at any
/// moment. A pass without arrivals lowers a count by at most the movers
/// resting there. A pass with arrivals (whose candidates all start on links)
/// never lowers a count below today's and raises it by at most the
/// candidates. The factor falls with the count, so equal ends mean constant.
fn mark_ordered(world: &mut World, list: &[(u32, u32)], arrives: bool) {
    let n = world.places.len();
    // Reads of the counts the pass began with give the same in any order.
    if world.places.pass_counts.is_some() || !world.places.capacity.iter().any(|&c| c > 0) {
        world.places.ordered.iter_mut().for_each(|o| *o = false);
        return;
    }
    let mut low = world.places.agents.clone();
    let mut high = low.clone();
    if arrives {
        high.iter_mut().for_each(|h| *h += list.len() as i64);
    } else {
        // The movers resting at each place with a capacity, counted on every core.
        let (locs, capacity) = (&world.agents.loc, &world.places.capacity);
        let movers = list
            .par_chunks(CHUNK)
            .fold(
                || vec![0i64; n],
                |mut m, chunk| {
                    for &(a, _) in chunk {
                        let loc = locs[a as usize] as usize;
                        if loc < n && capacity[loc] > 0 {
                            m[loc] += 1;
                        }
                    }
                    m
                },
            )
            .reduce(
                || vec![0i64; n],
                |mut x, y| {
                    x.iter_mut().zip(y).for_each(|(x, y)| *x += y);
                    x
                },
            );
        low.iter_mut().zip(movers).for_each(|(l, m)| *l -= m);
    }
    let s = &world.settings;
    let p = &mut world.places;
    for l in 0..n {
        let cap = p.capacity[l] as f64 * s.capacity_scaling;
        let f = |count: i64| capacity_factor(cap, count as f64, s.capacity_buffer);
        p.ordered[l] = p.capacity[l] > 0 && f(low[l]) != f(high[l]);
    }
}

/// Step 1's result for one work item.
struct Item {
    /// Their changes to the counts whose order does not matter.
    deltas: Vec<(u32, i64)>,
    /// Their changes to counts whose order matters, as (slot, location,
    /// change) in creation order: applied between the readers of step 3.
    ordered: Vec<(u32, u32, i32)>,
    stats: RunStats,
    /// Candidates left to the serial step (they read an ordered count), in
    /// creation order, their state as before the pass.
    serial: Vec<(u32, u32)>,
}

/// Step 1 for one work item: its candidates act in place on `agents` (a
/// view of the run's), in a scratch copy of the rest of `base`.
fn speculate<'s, A: Action>(
    base: &World<'s>,
    pool: &Scratches<'s>,
    agents: Agents,
    day: Day,
    chunk: &[(u32, u32)],
    action: &A,
    leavers: Option<&Leavers>,
) -> Item {
    let mut scratch = pool.take(base, agents);
    let mut counts = vec![0i64; base.locations()];
    let mut it = Item {
        deltas: Vec::new(),
        ordered: Vec::new(),
        stats: RunStats::default(),
        serial: Vec::new(),
    };
    let mut hooks: [Box<dyn Mechanism>; 0] = [];
    let mut watch = Unexpected(false);
    let mut cursor = None;
    for &(a, word) in chunk {
        let slot = a as usize;
        if let Some(l) = leavers {
            l.advance(&mut scratch.places.agents, a, &mut cursor);
        }
        let before = scratch.agents.state_words(slot);
        // Counted in place (a per-candidate copy stalls every candidate on
        // reading back what the action just wrote) and taken back if undone.
        let counted = (it.stats.departures, it.stats.arrivals);
        let mut cx = Act {
            world: &mut scratch,
            hooks: &mut hooks,
            stats: &mut it.stats,
            day,
            obs: &mut watch,
        };
        action.act(&mut cx, slot, word);
        let change = count_change(before[0], scratch.agents.loc[slot]);
        if scratch.places.live_reads.take() || watch.0 {
            // Undone: the serial step acts on it from its state before the pass.
            watch.0 = false;
            (it.stats.departures, it.stats.arrivals) = counted;
            scratch.agents.set_state(slot, before);
            for (l, d) in change.into_iter().flatten() {
                scratch.places.agents[l as usize] -= i64::from(d);
            }
            it.serial.push((a, word));
            continue;
        }
        for (l, d) in change.into_iter().flatten() {
            if base.places.order_matters(l) {
                it.ordered.push((a, l, d));
            } else {
                counts[l as usize] += i64::from(d);
            }
        }
    }
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
struct Scratches<'s>(std::sync::Mutex<Vec<World<'s>>>);

impl<'s> Scratches<'s> {
    fn new() -> Self {
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
fn count_change(before: u32, after: u32) -> [Option<(u32, i32)>; 2] {
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
