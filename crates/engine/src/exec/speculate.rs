//! The serial part of an agent pass, run on every core with the same result.
//!
//! During a pass a candidate's action (a departure, an arrival and what
//! follows it) reads only its own agent's state, the day's fixed data and
//! the live counts of locations with a capacity ([`Places::order_matters`]);
//! it writes its own agent's state and adds to or takes from location
//! counts. Sums commute, so only the counts of capacity locations carry
//! order between agents. Hence:
//!
//! 1. in parallel, each work item (a run of candidates) copies its agents'
//!    states into a scratch copy of the world ([`World::scratch_gathered`]),
//!    in sequence, and each candidate's action runs there apart from the
//!    others; an action that reads a count whose order matters is marked for
//!    step 3, every other one is final;
//! 2. the final ones' states are copied back ([`Agents::scatter_par`]) and
//!    their count changes applied (in any order: they are disjoint agents and
//!    sums);
//! 3. the marked ones act on the real world, serially, in creation order:
//!    the only order-dependent state they see, the capacity locations'
//!    counts, is changed by no one else, so they see what Flee's sequential
//!    loop would.
//!
//! The result is byte-identical to the serial pass for any thread count. The
//! share left to step 3 is the pass's serial fraction.

use super::CHUNK;
use crate::events::{Event, NoObserver, Observer};
use crate::hooks::Mechanism;
use crate::network::Link;
use crate::pipeline::Day;
use crate::rules::scores::capacity_factor;
use crate::rules::Act;
use crate::world::{Agents, World};
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
/// acting speculatively costs about a third more work in all and pays only
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

/// Whether a pass of `candidates` may be speculated: always with
/// [`set_speculative_passes`]; within [`alone_on_every_core`] when the pass
/// is large enough to pay for the work items' set-up.
pub(crate) fn speculative_passes(candidates: usize) -> bool {
    SPECULATIVE.load(std::sync::atomic::Ordering::Relaxed)
        || (candidates >= MIN_SPECULATED && ALONE.with(|a| a.get()))
}

/// Fewer candidates than this in a pass act in order within
/// [`alone_on_every_core`].
const MIN_SPECULATED: usize = 2 * MIN_ITEM;

/// What a pass does to one candidate `(slot, word)` (see [`super::in_creation_order`]).
pub(crate) trait Action: Sync {
    /// Acts on agent `a` with the scan's `word`.
    fn act<O: Observer>(&self, cx: &mut Act<'_, '_, O>, a: usize, word: u32);
    /// Whether agent `a`'s action is sure to touch a count whose order
    /// matters, so that trying it in step 1 would be wasted (a guess: step
    /// 1 finds out either way).
    fn surely_ordered(&self, world: &World, a: usize, word: u32) -> bool;
    /// Whether the action can bring an agent to a location (else counts
    /// only fall during the pass).
    const ARRIVES: bool;
}

/// Candidates per work item of step 1 (at least; more with few threads).
const MIN_ITEM: usize = CHUNK / 4;

/// Agent buffers of earlier work items, reused (see [`run`]): fresh ones
/// would be new pages, each faulted in and zeroed by the kernel.
static SPARE: std::sync::Mutex<Vec<(Vec<u32>, Agents)>> = std::sync::Mutex::new(Vec::new());

/// Work of one pass, for measuring the serial fraction.
#[derive(Debug, Default, Clone, Copy)]
pub struct PassWork {
    /// Candidates handed to the pass.
    pub candidates: u64,
    /// Of those, acted on serially (step 3).
    pub serial: u64,
}

/// Runs `action` on the candidates `list` (slots in creation order) of a
/// single-process run without mechanisms, whose observer ignores agent events.
pub(crate) fn run<A: Action>(
    world: &mut World,
    stats: &mut RunStats,
    day: Day,
    list: &[(u32, u32)],
    action: &A,
) -> PassWork {
    let threads = rayon::current_num_threads();
    let item = MIN_ITEM.max(list.len().div_ceil(threads * 4)).max(1);
    mark_ordered(world, list, A::ARRIVES);
    let base = &*world;
    let items: Vec<Item> = list
        .par_chunks(item)
        .map(|chunk| speculate(base, day, chunk, action))
        .collect();
    let mut work = PassWork {
        candidates: list.len() as u64,
        serial: 0,
    };
    let writes: Vec<(&[u32], &Agents)> =
        items.iter().map(|it| (&it.slots[..], &it.agents)).collect();
    world.agents.scatter_par(&writes);
    for it in &items {
        for &(l, d) in &it.deltas {
            world.places.agents[l as usize] += d;
        }
        stats.departures += it.stats.departures;
        stats.arrivals += it.stats.arrivals;
        work.serial += it.serial.len() as u64;
    }
    // Step 3: the readers in creation order, each after the ordered count
    // changes of the candidates before it.
    let mut hooks: [Box<dyn Mechanism>; 0] = [];
    let mut ordered = items.iter().flat_map(|it| &it.ordered).peekable();
    for it in &items {
        for &(a, word) in &it.serial {
            while let Some(&(_, l, d)) = ordered.next_if(|o| o.0 < a) {
                world.places.agents[l as usize] += i64::from(d);
            }
            let mut cx = Act {
                world: &mut *world,
                hooks: &mut hooks,
                stats: &mut *stats,
                day,
                obs: &mut NoObserver,
            };
            action.act(&mut cx, a as usize, word);
        }
    }
    for &(_, l, d) in ordered {
        world.places.agents[l as usize] += i64::from(d);
    }
    if let Ok(mut spare) = SPARE.lock() {
        spare.extend(items.into_iter().map(|it| (it.slots, it.agents)));
    }
    world.places.live_reads.take();
    work
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
    if !world.places.capacity.iter().any(|&c| c > 0) {
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
    /// The slots of the item's candidates, `u32::MAX` for those left to
    /// the serial step.
    slots: Vec<u32>,
    /// Their final states, in the same order (the serial ones' unused).
    agents: Agents,
    /// Their changes to the counts whose order does not matter.
    deltas: Vec<(u32, i64)>,
    /// Their changes to counts whose order matters, as (slot, location,
    /// change) in creation order: applied between the readers of step 3.
    ordered: Vec<(u32, u32, i32)>,
    stats: RunStats,
    /// Candidates left to the serial step (they read an ordered count), in
    /// creation order.
    serial: Vec<(u32, u32)>,
}

fn speculate<A: Action>(base: &World, day: Day, chunk: &[(u32, u32)], action: &A) -> Item {
    let (mut slots, buffer) = SPARE
        .lock()
        .ok()
        .and_then(|mut s| s.pop())
        .unwrap_or_default();
    slots.clear();
    slots.extend(chunk.iter().map(|c| c.0));
    let mut scratch = base.scratch_gathered(slots, buffer);
    scratch.places.live_reads.take();
    let mut counts = vec![0i64; base.locations()];
    let mut it = Item {
        slots: Vec::new(),
        agents: Agents::default(),
        deltas: Vec::new(),
        ordered: Vec::new(),
        stats: RunStats::default(),
        serial: Vec::new(),
    };
    let mut hooks: [Box<dyn Mechanism>; 0] = [];
    let mut watch = Watch {
        links: &base.net.links,
        other: false,
        deltas: Vec::new(),
    };
    for (slot, &(a, word)) in chunk.iter().enumerate() {
        if action.surely_ordered(base, a as usize, word) {
            it.serial.push((a, word));
            scratch.storage.visitors[slot] = u32::MAX;
            continue;
        }
        watch.other = false;
        watch.deltas.clear();
        let mut stats = RunStats::default();
        let mut cx = Act {
            world: &mut scratch,
            hooks: &mut hooks,
            stats: &mut stats,
            day,
            obs: &mut watch,
        };
        action.act(&mut cx, slot, word);
        if scratch.places.live_reads.take() || watch.other {
            it.serial.push((a, word));
            scratch.storage.visitors[slot] = u32::MAX;
            continue;
        }
        for &(l, d) in &watch.deltas {
            if base.places.order_matters(l) {
                it.ordered.push((a, l, d));
            } else {
                counts[l as usize] += i64::from(d);
            }
        }
        it.stats.departures += stats.departures;
        it.stats.arrivals += stats.arrivals;
    }
    // The visitors' slots, the serial ones' marked, say where the final
    // states go back to.
    it.slots = std::mem::take(&mut scratch.storage.visitors);
    it.agents = std::mem::take(&mut scratch.agents);
    it.deltas = counts
        .iter()
        .enumerate()
        .filter(|&(_, &d)| d != 0)
        .map(|(l, &d)| (l as u32, d))
        .collect();
    it
}

/// Follows one action's changes to location counts through its events
/// (every change of a count comes with one).
struct Watch<'w> {
    links: &'w [Link],
    /// Set by an event the passes' rules do not send without mechanisms.
    other: bool,
    deltas: Vec<(u32, i32)>,
}

impl Observer for Watch<'_> {
    fn event(&mut self, _day: i64, e: &Event) {
        match *e {
            Event::Departed { link, .. } => self.deltas.push((self.links[link as usize].from, -1)),
            Event::Arrived { location, .. } | Event::Bounced { location, .. } => {
                self.deltas.push((location, 1))
            }
            // Should one appear, the serial step handles the agent.
            _ => self.other = true,
        }
    }
}
