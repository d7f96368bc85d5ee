//! The parallel scans of the two agent passes. Agents outside the lists they
//! return do not interact, so scanning them in any order on any thread gives
//! the same result; the listed ones are acted on in creation order
//! ([`super::in_creation_order`]).

use super::{Owner, CHUNK};
use crate::hooks::Mechanism;
use crate::pipeline::Day;
use crate::rng::{uniform, AgentStream, Purpose};
use crate::rules::{move_chance, route_choice, travel, Draws, NO_CHOICE};
use crate::world::{World, INACTIVE, ON_LINK};
use rayon::prelude::*;
use std::ops::Range;

/// Pass 1's scan of the agents in `slots`: every resting agent owned here
/// draws its move test, at the chances of `by_location`
/// ([`move_chance::resting_by_location`] as the pass began). Returns the
/// movers as `(slot, route)`: the route already chosen when `choose_early`
/// and the choice depends on no live count, else [`NO_CHOICE`].
pub(crate) fn movers(
    world: &World,
    hooks: &[Box<dyn Mechanism>],
    owner: Owner,
    day: Day,
    choose_early: bool,
    by_location: &[f64],
    slots: Range<usize>,
) -> Vec<(u32, u32)> {
    let part = world.storage.part;
    world.agents.loc.as_slice()[slots.clone()]
        .par_chunks(CHUNK)
        .enumerate()
        .flat_map_iter(|(c, locs)| {
            let base = slots.start + c * CHUNK;
            let mut out = Vec::new();
            for range in owner.ranges(base, locs.len()) {
                for j in range {
                    let loc = locs[j];
                    if loc & ON_LINK != 0 {
                        continue; // travelling (or inactive)
                    }
                    let a = base + j;
                    let has_route = world.agents.route[a] != 0;
                    let p = move_chance::in_scan(world, hooks, by_location, a, loc, has_route);
                    let g = part.map_or(a, |p| p.global(a));
                    let stream = AgentStream::new(day.key, g as u64);
                    if move_chance::passes(p, || stream.uniform(Purpose::Move, 0)) {
                        let early = choose_early
                            && !has_route
                            && !world.weights.live[loc as usize]
                            && !world.net.candidates_of(loc).is_empty();
                        let choice = if early {
                            let k = Draws::pass1(stream).routes;
                            route_choice::pick_fixed(world, stream, a, loc, k)
                        } else {
                            NO_CHOICE
                        };
                        out.push((a as u32, choice));
                    }
                }
            }
            out.into_iter()
        })
        .collect()
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
    let vmax = world.settings.max_move_speed;
    let (links, settings) = (&world.net.links, &world.settings);
    let agents = &mut world.agents;
    let (locs, flags) = (&agents.loc, &agents.flags);
    agents.progress.as_mut_slice()[slots.clone()]
        .par_chunks_mut(CHUNK)
        .zip(agents.recent.as_mut_slice()[slots.clone()].par_chunks_mut(CHUNK))
        .enumerate()
        .flat_map_iter(|(c, (progress, recent))| {
            let base = slots.start + c * CHUNK;
            let mut arrivals = Vec::new();
            for range in owner.ranges(base, progress.len()) {
                for j in range {
                    let a = base + j;
                    let loc = locs[a];
                    let r = recent[j] as f64;
                    if loc & ON_LINK == 0 || loc == INACTIVE {
                        recent[j] = (r / 2.0) as f32;
                        continue;
                    }
                    let link = &links[(loc & !ON_LINK) as usize];
                    let g = part.map_or(a, |p| p.global(a)) as u64;
                    let walk = || uniform(day.key, g, Purpose::Walk, 0);
                    let speed = travel::leg_speed(link, settings, flags[a], walk);
                    let p = progress[j] as f64 + speed;
                    progress[j] = p as f32;
                    if p > link.distance {
                        arrivals.push((a as u32, (speed as f32).to_bits()));
                    } else {
                        recent[j] = ((r + speed / vmax) / 2.0) as f32;
                    }
                }
            }
            arrivals.into_iter()
        })
        .collect()
}
