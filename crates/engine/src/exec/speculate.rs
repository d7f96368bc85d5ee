//! The serial part of an agent pass, run on every core with the same result.
//!
//! During a pass a candidate's action (a departure, an arrival and what
//! follows it) reads only its own agent's state, the day's fixed data and
//! the live counts of locations with a capacity ([`crate::world::Places::order_matters`]);
//! it writes its own agent's state and adds to or takes from location
//! counts. Sums commute, so only the counts of capacity locations carry
//! order between agents. Hence:
//!
//! 1. in parallel, each work item (a run of candidates, [`super::work_item`])
//!    acts on its agents where they are stored, through a view of the agent
//!    columns ([`crate::world::Agents::lend`]), in a scratch copy of the rest
//!    of the world ([`World::scratch_over`]) whose counts are its own. An
//!    action that reads a count whose order matters is a reader: the
//!    counts it read are logged ((`Places::live_reads`)) and its
//!    state before the pass kept;
//! 2. the other actions' count changes are applied (in any order: they are
//!    disjoint agents and sums);
//! 3. the readers are settled in creation order, item by item as soon as
//!    the item and all before it are done ([`super::settle`]), each after the ordered
//!    count changes of the candidates before it. A reader's action stands
//!    if every capacity factor it read is the one the count of the
//!    one-by-one pass gives at its turn (the action is then the same,
//!    read for read); else it is put back and acts again on the run's counts,
//!    whose order-dependent counts are then what Flee's sequential loop
//!    shows it.
//!
//! The result is byte-identical to the serial pass for any thread count. The
//! readers acted on again are the pass's serial fraction. The move-test pass
//! has no arrivals, so only the movers resting at such a location change
//! its count: they act first, and everyone else reads the count exactly
//! ([`super::leavers`]). A run of Flee's live counts speculates both passes
//! with work items that scan their own slots ([`super::own_scan`]); [`run`]
//! takes a list of the whole pass. With `capacity_count_block` above 1 the pass runs in
//! blocks whose reads see the counts as the block began: no order matters
//! within a block and nobody acts serially.

use super::leavers::Leavers;
use super::settle::Settle;
use super::work_item::{speculate, Scratches};
use super::CHUNK;
use crate::events::{NoObserver, Observer};
use crate::hooks::Mechanism;
use crate::pipeline::Day;
use crate::rules::scores::factor_at;
use crate::rules::Act;
use crate::world::World;
use crate::RunStats;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

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
/// acting speculatively costs about a seventh more work in all and pays only
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
    /// Readers of ordered counts whose action was checked and kept.
    pub checked: u64,
    /// Readers whose action was checked and undone (a read would have
    /// given another value); they are among the serial ones.
    pub undone: u64,
}

/// Runs `action` on the candidates `list` (slots in creation order) of a
/// single-process run without mechanisms, whose observer ignores agent
/// events; with blocks of `block` candidates (`capacity_count_block`) when
/// above 1, each reading the counts as it began.
pub(crate) fn run<A: Action>(
    world: &mut World,
    stats: &mut RunStats,
    day: Day,
    list: &mut [(u32, u32)],
    action: &A,
    block: usize,
) -> PassWork {
    let threads = rayon::current_num_threads();
    // The work items count the candidates, a leaver that acted first too.
    let mut work = PassWork::default();
    let pool = Scratches::new();
    if block <= 1 {
        let item = MIN_ITEM.max(list.len().div_ceil(threads * 16));
        mark_ordered(world, reach::<A>(world, list));
        if A::ARRIVES {
            round(
                world, &pool, stats, day, list, action, item, None, &mut work,
            );
        } else {
            leavers_first(world, &pool, stats, day, list, action, item, &mut work);
        }
        return work;
    }
    for part in list.chunks(block) {
        let counts = world.places.pass_counts.get_or_insert_with(Vec::new);
        counts.clone_from(&world.places.agents);
        // No count's order matters (`mark_ordered`): nobody waits.
        mark_ordered(world, reach::<A>(world, part));
        let item = MIN_BLOCK_ITEM.max(part.len().div_ceil(threads * 4));
        round(
            world, &pool, stats, day, part, action, item, None, &mut work,
        );
    }
    work
}

/// How a pass can move the counts, for [`mark_ordered`].
pub(super) enum Reach {
    /// Its candidates, movers, leave the places they rest at: this many
    /// per place (counted at places with a capacity only).
    Leaving(Vec<i64>),
    /// At most this many agents arrive at a place.
    Arriving(usize),
}

/// How a pass of `action` over `list` can move the counts.
fn reach<A: Action>(world: &World, list: &[Candidate]) -> Reach {
    if A::ARRIVES {
        return Reach::Arriving(list.len());
    }
    // The movers resting at each place with a capacity, counted on every core.
    let n = world.places.len();
    let (locs, capacity) = (&world.agents.loc, &world.places.capacity);
    if !capacity.iter().any(|&c| c > 0) {
        return Reach::Leaving(vec![0; n]);
    }
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
    Reach::Leaving(movers)
}

/// A pass's candidate: its slot and the scan's word.
pub(super) type Candidate = (u32, u32);

/// A candidate that already acted in the leavers' step, in the list the
/// rest of the pass takes (no agent has slot `u32::MAX`: a slot is a `u32`
/// below the number of agents).
pub(super) const ACTED: Candidate = (u32::MAX, u32::MAX);

/// A pass of more than this many work items per thread has every thread
/// take items in turn ([`act_in_items`]); a block's items are never more.
const BROADCAST_ITEMS: usize = 4;

/// Work items of a block of [`run`] have at least this many candidates.
const MIN_BLOCK_ITEM: usize = 256;

/// A pass without arrivals (the move tests) changes the count of a place
/// only when an agent resting there leaves. So the movers resting at the
/// places whose order matters act first, serially, in creation order
/// ([`super::leavers::act_first`]). Everyone else then acts on every core,
/// each reading those counts exactly as the one-by-one pass would
/// ([`Leavers`]). Adds to `work` how many acted serially.
#[allow(clippy::too_many_arguments)]
fn leavers_first<'s, A: Action>(
    world: &mut World<'s>,
    pool: &Scratches<'s>,
    stats: &mut RunStats,
    day: Day,
    list: &mut [(u32, u32)],
    action: &A,
    item: usize,
    work: &mut PassWork,
) {
    // Found on every core, in creation order, and marked as done in `list`.
    let n = world.places.len();
    let (locs, ordered) = (&world.agents.loc, &world.places.ordered);
    let first: Vec<Candidate> = list
        .par_iter_mut()
        .filter_map(|c| {
            let loc = locs[c.0 as usize] as usize;
            let first = loc < n && ordered[loc];
            first.then(|| std::mem::replace(c, ACTED))
        })
        .collect();
    let step = super::leavers::act_first(world, stats, day, action, &first);
    work.serial += first.len() as u64;
    let leavers = step.leavers();
    round(
        world,
        pool,
        stats,
        day,
        list,
        action,
        item,
        leavers.as_ref(),
        work,
    );
}

/// Steps 1–3 for `list`, in work items of `item` candidates
/// ([`act_in_items`]).
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
    work: &mut PassWork,
) {
    let (item, n) = (item.max(1), list.len());
    act_in_items(
        world,
        pool,
        stats,
        day,
        action,
        leavers,
        n.div_ceil(item),
        |i, _| &list[i * item..((i + 1) * item).min(n)],
        work,
    );
}

/// Steps 1–3 for `count` work items. Step 1, on every core: item `i` acts
/// on the candidates `candidates(i, scratch)` lists, in place, through a
/// view of the agent columns, in a scratch world from `pool`. Each agent is
/// listed by at most one item (a pass lists each agent once; an item's scan
/// lists only its own slots), and the items, in order, list the candidates
/// in creation order. Each item is settled (steps 2 and 3, [`Settle`]) as
/// soon as it and every item before it are done. Adds to `work` the items'
/// candidates, how many acted serially and how many readers' actions stood.
#[allow(clippy::too_many_arguments)]
pub(super) fn act_in_items<'s, A: Action, C>(
    world: &mut World<'s>,
    pool: &Scratches<'s>,
    stats: &mut RunStats,
    day: Day,
    action: &A,
    leavers: Option<&Leavers>,
    count: usize,
    candidates: impl Fn(usize, &mut World<'s>) -> C + Sync,
    work: &mut PassWork,
) where
    C: AsRef<[Candidate]>,
{
    // The agents leave the world while the work items act on them in place.
    let mut agents = std::mem::take(&mut world.agents);
    let lent = agents.lend();
    let base = &*world;
    // SAFETY (each view): `agents` is not used until the items are done and
    // settled; no two items list the same agent, and the settler acts only
    // on the agents of items that are done.
    let settle = Settle::new(
        count,
        pool.take(base, unsafe { lent.view() }),
        stats,
        work,
        leavers,
    );
    let act = |i: usize| {
        let view = unsafe { lent.view() };
        let item = speculate(base, pool, view, day, |w| candidates(i, w), action, leavers);
        settle.finished(i, item, day, action);
    };
    if count > BROADCAST_ITEMS * rayon::current_num_threads() {
        // Items are taken in creation order, so that they finish nearly in
        // order and are settled while later ones act; the threads stop
        // together, within an item.
        let next = AtomicUsize::new(0);
        rayon::broadcast(|_| loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            act(i);
        });
    } else {
        // Few items (a block of `capacity_count_block`, a small pass): only
        // the threads that steal one wake, where a broadcast wakes them all.
        (0..count).into_par_iter().with_max_len(1).for_each(act);
    }
    let mut settled = settle.into_world();
    std::mem::swap(&mut world.places.agents, &mut settled.places.agents);
    pool.give_back(settled);
    world.agents = agents;
}

/// Candidate `(a, word)` acts on `world` (the run's, or the settler's
/// scratch world, whose counts are the run's) as the one-by-one pass would
/// have it act (a speculated pass has no mechanisms and no observer of
/// agent events).
pub(super) fn act_serially<A: Action>(
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

/// Marks the locations whose count the order of a pass that moves counts
/// as `reach` says can matter for: those with a capacity whose factor is not the same over the
/// whole range the count can take during the pass (then every read gives
/// the same in any order). An agent counts at most once at a place at any
/// moment. A pass without arrivals lowers a count by at most the movers
/// resting there. A pass with arrivals (whose candidates all start on links)
/// never lowers a count below today's and raises it by at most the
/// candidates. The factor falls with the count, so equal ends mean constant.
pub(super) fn mark_ordered(world: &mut World, reach: Reach) {
    let n = world.places.len();
    // Reads of the counts the pass began with give the same in any order.
    if world.places.pass_counts.is_some() || !world.places.capacity.iter().any(|&c| c > 0) {
        world.places.ordered.iter_mut().for_each(|o| *o = false);
        return;
    }
    let mut low = world.places.agents.clone();
    let mut high = low.clone();
    match reach {
        Reach::Arriving(arrivals) => high.iter_mut().for_each(|h| *h += arrivals as i64),
        Reach::Leaving(movers) => {
            low.iter_mut().zip(movers).for_each(|(l, m)| *l -= m);
        }
    }
    let (s, p) = (&world.settings, &world.places);
    let ordered: Vec<bool> = (0..n)
        .map(|l| {
            let f = |count: i64| factor_at(p, s, l as u32, count);
            p.capacity[l] > 0 && f(low[l]) != f(high[l])
        })
        .collect();
    world.places.ordered = ordered;
}
