//! The parallel scans of the two agent passes. Agents outside the lists they
//! return do not interact, so scanning them in any order on any thread gives
//! the same result; the listed ones are acted on in creation order
//! ([`super::in_creation_order`]).

use super::kernels::{self, RUN};
use super::{Owner, CHUNK};
use crate::hooks::Mechanism;
use crate::pipeline::Day;
use crate::rng::{uniform, AgentStream, Purpose};
use crate::rules::{move_chance, route_choice, travel, Draws, NO_CHOICE};
use crate::world::Column;
use crate::world::{World, INACTIVE, ON_LINK};
use rayon::prelude::*;
use std::ops::{IndexMut, Range};

/// Pass 1's scan of the agents in `slots`: every resting agent owned here
/// draws its move test, at the chances of `by_location`
/// ([`move_chance::resting_by_location`] as the pass began). Returns the
/// movers as `(slot, route)`: the route already chosen when `choose_early`
/// and the choice depends on no live count, else [`NO_CHOICE`].
pub(crate) fn movers(tests: &MoveTests, owner: Owner, slots: Range<usize>) -> Vec<(u32, u32)> {
    tests.world.agents.loc.as_slice()[slots.clone()]
        .par_chunks(CHUNK)
        .enumerate()
        .flat_map_iter(|(c, locs)| {
            let base = slots.start + c * CHUNK;
            let mut out = Vec::new();
            list_movers(tests, base, locs, owner.ranges(base, locs.len()), &mut out);
            out
        })
        .collect()
}

/// [`movers`] on the agents in `slots`, on this thread, onto `out`: the
/// scan of one work item.
pub(crate) fn movers_in(tests: &MoveTests, slots: Range<usize>, out: &mut Vec<(u32, u32)>) {
    let locs = &tests.world.agents.loc.as_slice()[slots.clone()];
    list_movers(
        tests,
        slots.start,
        locs,
        std::iter::once(0..locs.len()),
        out,
    );
}

/// The move tests of the agents at indices `ranges` of `locs` (index `j`
/// is slot `base + j`): appends the movers to `out` as `(slot, word)`.
fn list_movers(
    tests: &MoveTests,
    base: usize,
    locs: &[u32],
    ranges: impl Iterator<Item = Range<usize>>,
    out: &mut Vec<(u32, u32)>,
) {
    FOUND.with_borrow_mut(|found| {
        grow(found, locs.len());
        let mut n = 0;
        for range in ranges {
            n = tests.test(base, range, locs, found, n);
        }
        out.extend(found[..n].iter().map(|&j| {
            let a = base + j as usize;
            (a as u32, tests.word(a, locs[j as usize]))
        }));
    });
}

thread_local! {
    /// This thread's room for the move tests' indices ([`list_movers`]):
    /// kept from scan to scan, as a fresh one for each was allocated and
    /// zeroed every time.
    static FOUND: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
    /// This thread's spare list of arrivals ([`Listed`]).
    static SPARE: std::cell::RefCell<Vec<(u32, u32)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Makes `v` at least `len` long; what it held stays (the scans write
/// before they read).
fn grow<T: Copy + Default>(v: &mut Vec<T>, len: usize) {
    if v.len() < len {
        v.resize(len, T::default());
    }
}

/// A list of arrivals in a buffer of this thread's that goes back to it
/// when dropped, for the next scan ([`arrivals_in`], [`arrivals`]).
pub(crate) struct Listed {
    buffer: Vec<(u32, u32)>,
    len: usize,
}

impl Listed {
    /// The first entries of this thread's spare buffer, at least `room`
    /// long, that `fill` writes (it returns how many).
    fn fill(room: usize, fill: impl FnOnce(&mut [(u32, u32)]) -> usize) -> Self {
        let mut buffer = SPARE.take();
        grow(&mut buffer, room);
        let len = fill(&mut buffer);
        Listed { buffer, len }
    }
}

impl AsRef<[(u32, u32)]> for Listed {
    fn as_ref(&self) -> &[(u32, u32)] {
        &self.buffer[..self.len]
    }
}

impl Drop for Listed {
    fn drop(&mut self) {
        let buffer = std::mem::take(&mut self.buffer);
        SPARE.with_borrow_mut(|spare| *spare = buffer);
    }
}

/// What pass 1's move tests read: one loop of tests serves the scan of a
/// whole pass ([`movers`]) and a work item's own scan ([`movers_in`]).
pub(crate) struct MoveTests<'a, 's> {
    world: &'a World<'s>,
    hooks: &'a [Box<dyn Mechanism>],
    day: Day,
    choose_early: bool,
    by_location: &'a [f64],
    /// With plain chances, today's thresholds (`Places::plain_move`): the
    /// tests compare integers ([`crate::rng::AgentStream::grid`]).
    thresholds: Option<&'a [u64]>,
}

impl<'a, 's> MoveTests<'a, 's> {
    /// The tests of `day` in `world`: chances from `by_location` (or its
    /// plain thresholds, [`move_chance::refresh_plain`]), routes chosen at
    /// once where `choose_early` and no live count matters.
    pub(crate) fn new(
        world: &'a World<'s>,
        hooks: &'a [Box<dyn Mechanism>],
        day: Day,
        choose_early: bool,
        by_location: &'a [f64],
    ) -> Self {
        let thresholds = world.places.plain_thresholds();
        MoveTests {
            world,
            hooks,
            day,
            choose_early,
            by_location,
            thresholds,
        }
    }

    /// Tests the agents at indices `range` of `locs` (index `j` is slot
    /// `base + j`), writing the movers' indices
    /// from `found[n]` on; returns the new `n`. `found` must have room for
    /// every index of `range`.
    #[inline(always)]
    fn test(
        &self,
        base: usize,
        range: Range<usize>,
        locs: &[u32],
        found: &mut [u32],
        n: usize,
    ) -> usize {
        if let Some(thresholds) = self.thresholds {
            return self.test_plain(thresholds, base, range, locs, found, n);
        }
        let world = self.world;
        // Whether an agent rests or travels is close to random in creation
        // order, so a branch on it would be mispredicted often: the resting
        // agents are first listed without branching (after the movers
        // found so far, whose slots of `found` they may reuse), and only
        // they draw.
        let mut tested = n;
        for j in range {
            let loc = locs[j];
            // Travelling (or inactive) agents do not take the test.
            let resting = loc & ON_LINK == 0;
            found[tested] = j as u32;
            tested += usize::from(resting);
        }
        // Who moves is random too: every listed agent draws (a pure
        // function of the key) and the movers are written without
        // branching on the outcome, each at or before its own entry.
        let (listed, mut n) = (n..tested, n);
        for i in listed {
            let j = found[i] as usize;
            let (a, loc) = (base + j, locs[j]);
            let has_route = world.agents.route[a] != 0;
            let p = move_chance::in_scan(world, self.hooks, self.by_location, a, loc, has_route);
            let u = self.stream(a).uniform(Purpose::Move, 0);
            found[n] = j as u32;
            n += usize::from(move_chance::passes_with(p, u));
        }
        n
    }

    /// [`MoveTests::test`] with plain chances: runs of up to [`RUN`]
    /// agents whose global ids follow each other draw at once
    /// ([`kernels::move_outcomes`]), then the movers are listed.
    #[inline(always)]
    fn test_plain(
        &self,
        thresholds: &[u64],
        base: usize,
        range: Range<usize>,
        locs: &[u32],
        found: &mut [u32],
        mut n: usize,
    ) -> usize {
        let (routes, part) = (self.world.agents.route.as_slice(), self.world.storage.part);
        let mut moves = [0u8; RUN];
        let mut start = range.start;
        while start < range.end {
            let slot = base + start;
            // A stored block's agents have consecutive ids; the next block's do not.
            let block_end = part.map_or(usize::MAX, |p| (slot / p.block + 1) * p.block);
            let end = range.end.min(start + RUN).min(block_end - base);
            let first = part.map_or(slot, |p| p.global(slot)) as u64;
            let len = end - start;
            let slots = slot..slot + len;
            let (locs, routes) = (&locs[start..end], &routes[slots]);
            kernels::move_outcomes(
                self.day.key,
                first,
                locs,
                routes,
                thresholds,
                &mut moves[..len],
            );
            for (i, &m) in moves[..len].iter().enumerate() {
                found[n] = (start + i) as u32;
                n += usize::from(m);
            }
            start = end;
        }
        n
    }

    /// The draws of agent `a`, stored here, today.
    #[inline(always)]
    fn stream(&self, a: usize) -> AgentStream {
        let g = self.world.storage.part.map_or(a, |p| p.global(a));
        AgentStream::new(self.day.key, g as u64)
    }

    /// The word of mover `a` resting at `loc`: its route, where it can be
    /// chosen in the scan, else [`NO_CHOICE`].
    #[inline]
    fn word(&self, a: usize, loc: u32) -> u32 {
        let world = self.world;
        let early = self.choose_early
            && world.agents.route[a] == 0
            && !world.weights.live[loc as usize]
            && !world.net.candidates_of(loc).is_empty();
        if !early {
            return NO_CHOICE;
        }
        let stream = self.stream(a);
        let k = Draws::pass1(stream).routes;
        route_choice::pick_fixed(world, stream, a, loc, k)
    }
}

/// Pass 2's scan of the agents in `slots`, in place: every traveller owned
/// here advances by one leg, and every agent's recent distance decays.
/// Returns the agents that reached the end of their link as `(slot, bits of
/// the first leg's speed as f32)`; their recent distance is updated when the
/// arrival has been handled.
pub(crate) fn arrivals(
    world: &mut World,
    owner: Owner,
    day: Day,
    slots: Range<usize>,
) -> Vec<(u32, u32)> {
    let part = world.storage.part;
    let (links, settings) = (&world.net.links, &world.settings);
    let agents = &mut world.agents;
    let (locs, flags) = (&agents.loc, &agents.flags);
    agents.progress.as_mut_slice()[slots.clone()]
        .par_chunks_mut(CHUNK)
        .zip(agents.recent.as_mut_slice()[slots.clone()].par_chunks_mut(CHUNK))
        .enumerate()
        .flat_map_iter(|(c, (progress, recent))| {
            let base = slots.start + c * CHUNK;
            let travel = Travel {
                links,
                settings,
                part,
                day,
                base,
                locs,
                flags,
            };
            let listed = Listed::fill(progress.len(), |room| {
                let mut n = 0;
                for range in owner.ranges(base, progress.len()) {
                    n = travel.advance(range, progress, recent, room, n);
                }
                n
            });
            listed.as_ref().to_vec()
        })
        .collect()
}

/// [`arrivals`] on the agents in `slots` of a world that holds only views of
/// the agent columns ([`crate::world::Agents::lend`]), on this thread: the
/// scan of a work item that then acts on its arrivals (one process).
pub(crate) fn arrivals_in(world: &mut World, day: Day, slots: Range<usize>) -> Listed {
    let (links, settings) = (&world.net.links, &world.settings);
    let agents = &mut world.agents;
    let travel = Travel {
        links,
        settings,
        part: world.storage.part,
        day,
        base: 0,
        locs: &agents.loc,
        flags: &agents.flags,
    };
    let (progress, recent) = (&mut agents.progress, &mut agents.recent);
    Listed::fill(slots.len(), |room| {
        travel.advance(slots, progress, recent, room, 0)
    })
}

/// What pass 2's scan reads besides the columns it writes; `base` is the
/// slot of index 0 of those columns.
struct Travel<'a> {
    links: &'a [crate::network::Link],
    settings: &'a corridor_model::Settings,
    part: Option<super::Partition>,
    day: Day,
    base: usize,
    locs: &'a Column<u32>,
    flags: &'a Column<u8>,
}

impl Travel<'_> {
    /// Advances the agents at indices `range` of `progress` and `recent`,
    /// writing the arrivals from `arrivals[n]` on; returns the new `n`.
    #[inline(always)]
    fn advance<F>(
        &self,
        range: Range<usize>,
        progress: &mut F,
        recent: &mut F,
        arrivals: &mut [(u32, u32)],
        mut n: usize,
    ) -> usize
    where
        F: IndexMut<usize, Output = f32> + ?Sized,
    {
        let vmax = self.settings.max_move_speed;
        // Who arrives is close to random, so, as in the move tests, the
        // arrivals are written without branching on the outcome.
        for j in range {
            let a = self.base + j;
            let loc = self.locs[a];
            let r = recent[j] as f64;
            if loc & ON_LINK == 0 || loc == INACTIVE {
                recent[j] = (r / 2.0) as f32;
                continue;
            }
            let link = &self.links[(loc & !ON_LINK) as usize];
            let g = self.part.map_or(a, |p| p.global(a)) as u64;
            let walk = || uniform(self.day.key, g, Purpose::Walk, 0);
            let speed = travel::leg_speed(link, self.settings, self.flags[a], walk);
            let p = progress[j] as f64 + speed;
            progress[j] = p as f32;
            let arrived = p > link.distance;
            arrivals[n] = (a as u32, (speed as f32).to_bits());
            n += usize::from(arrived);
            // An arrival's recent distance is updated when it is handled.
            let travelled = ((r + speed / vmax) / 2.0) as f32;
            recent[j] = if arrived { recent[j] } else { travelled };
        }
        n
    }
}
