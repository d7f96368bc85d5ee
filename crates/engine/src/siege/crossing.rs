//! River crossings, one way, with a queue on the near bank.
//!
//! A crossing runs from its near bank (`from`, the dangerous side) to safety
//! (`to`). Its reverse link is closed for the whole run, whatever closures or
//! interventions reopen. A household that steps onto the crossing joins the
//! crossing's queue instead: it leaves the engine's agents (Flee's rules no
//! longer move it) and counts as *waiting to cross* (neither trapped nor
//! displaced). At the end of each day (stage 8, before releases, relocations
//! and the tally) every crossing, in declaration order:
//!
//! 1. takes up to `capacity_per_day` households from the head of its queue
//!    (first come, first served: by day of joining, then agent index) across,
//!    while its link is open; each person faces `shot_crossing` and then
//!    `drowning` (per person per crossing); survivors are at `to` with the
//!    rest of their route, and screening at `to` acts as on arrival;
//! 2. households still queued that have waited `patience_days` full days
//!    give up with probability `give_up` (per household per day): back to the
//!    held place they came from while it is held (trapped again), otherwise
//!    they stay on the bank with a new route chosen by Flee's weights that
//!    does not take the crossing;
//! 3. the households left in the queue spend the night on the bank: each
//!    person faces `shot_waiting` (per person per day).
//!
//! Nobody goes back towards the danger they fled: a household that has left
//! a held place never steps into a held place, and one that has crossed a
//! river never steps onto a near bank (the step is refused and its route
//! dropped, so it chooses again).

use super::{
    hazard_k, SiegeState, CROSSED, DEAD, K_DROWN, K_GIVE_UP, K_SHOT_CROSSING, K_SHOT_WAITING, LEFT,
    QUEUED,
};
use crate::events::{Cause, Event, Observer};
use crate::pipeline::Day;
use crate::rng::{uniform, Purpose};
use crate::world::World;
use std::collections::HashMap;

/// No held place: the household has never left one.
const NOWHERE: u32 = u32::MAX;
/// The route draw (`k` of `Purpose::Route`) of a household that gave up.
const K_REROUTE: u32 = 1 << 30;

/// One household in a queue.
#[derive(Debug, Clone)]
struct Queued {
    agent: u32,
    joined: i64,
    /// Its route after the far bank.
    rest: Vec<u32>,
}

/// The queues and counters of the river crossings.
#[derive(Debug, Clone, Default)]
pub(super) struct Crossings {
    /// (near bank, far bank) → crossing; the forward direction only.
    pub(super) index: HashMap<(u32, u32), usize>,
    /// Per location: the near bank of some crossing.
    near_bank: Vec<bool>,
    queues: Vec<Vec<Queued>>,
    /// Per agent (grown on demand): the held place it last left.
    held_from: Vec<u32>,
    /// Cumulative people taken across, and people who gave up waiting.
    pub(super) crossed: i64,
    pub(super) gave_up: i64,
}

impl Crossings {
    pub(super) fn new(model: &corridor_model::siege::SiegeModel, locations: usize) -> Self {
        let mut c = Crossings {
            near_bank: vec![false; locations],
            queues: vec![Vec::new(); model.crossings.len()],
            ..Crossings::default()
        };
        for (i, x) in model.crossings.iter().enumerate() {
            c.index.insert((x.from, x.to), i);
            c.near_bank[x.from as usize] = true;
        }
        c
    }

    /// Records that household `a` left the held place `from`.
    pub(super) fn left_held(&mut self, a: usize, from: u32) {
        if self.held_from.len() <= a {
            self.held_from.resize(a + 1, NOWHERE);
        }
        self.held_from[a] = from;
    }

    fn held_from(&self, a: usize) -> u32 {
        self.held_from.get(a).copied().unwrap_or(NOWHERE)
    }
}

impl SiegeState {
    /// Closes every crossing's reverse link that is open (after setup, and
    /// after each day's closures and interventions).
    pub(super) fn enforce_one_way(&self, world: &mut World) {
        for c in &self.model.crossings {
            let (near, far) = (c.from, c.to);
            let net = world.network();
            if net
                .active_links(far)
                .any(|l| net.links[l as usize].to == near)
            {
                world.close_links_where(false, |k| k.from == far && k.to == near);
            }
        }
    }

    /// Whether household `a` may not step to `to` because it would go back
    /// towards danger: into a held place after leaving one, or onto a near
    /// bank after crossing. The household then drops its route.
    pub(super) fn goes_back(&self, world: &mut World, a: usize, to: u32) -> bool {
        let f = self.flags[a];
        let back = (f & LEFT != 0 && self.held[to as usize].is_some())
            || (f & CROSSED != 0 && self.cross.near_bank[to as usize]);
        if back {
            world.set_route(a, &[]);
        }
        back
    }

    /// Household `a` at the near bank of crossing `i` joins its queue.
    pub(super) fn join_queue(
        &mut self,
        world: &mut World,
        t: i64,
        a: usize,
        i: usize,
        obs: &mut dyn Observer,
    ) {
        let rest = world.remaining_route(a);
        world.remove_agent(a);
        self.flags[a] |= LEFT | QUEUED;
        self.cross.queues[i].push(Queued {
            agent: a as u32,
            joined: t,
            rest,
        });
        obs.event(
            t,
            &Event::Queued {
                agent: a as u64,
                location: self.model.crossings[i].from,
            },
        );
    }

    /// The day's crossings, give-ups and fire on the banks (see the module
    /// documentation).
    pub(super) fn serve_crossings(&mut self, world: &mut World, day: Day, obs: &mut dyn Observer) {
        let (t, key) = (day.t, day.key);
        for i in 0..self.model.crossings.len() {
            let c = self.model.crossings[i].clone();
            let mut queue = std::mem::take(&mut self.cross.queues[i]);
            queue.sort_by_key(|q| (q.joined, q.agent));
            let net = world.network();
            let open = net
                .active_links(c.from)
                .any(|l| net.links[l as usize].to == c.to);
            let k = if open {
                c.capacity_per_day
                    .map_or(queue.len(), |n| (n as usize).min(queue.len()))
            } else {
                0
            };
            let place = i as u32;
            for q in queue.drain(..k) {
                let a = q.agent as usize;
                let d = self.binomial_deaths(key, a, K_SHOT_CROSSING, place, c.shot_crossing);
                self.kill(a, d, Cause::ShotCrossing, t, obs);
                let d = self.binomial_deaths(key, a, K_DROWN, place, c.drowning);
                self.kill(a, d, Cause::Drowned, t, obs);
                self.flags[a] &= !QUEUED;
                if self.people[a] == 0 {
                    self.flags[a] |= DEAD;
                    continue;
                }
                self.flags[a] |= CROSSED;
                world.place_agent(a, c.to);
                if !q.rest.is_empty() {
                    world.set_route(a, &q.rest);
                }
                self.cross.crossed += self.people[a] as i64;
                obs.event(
                    t,
                    &Event::Crossed {
                        agent: a as u64,
                        from: c.from,
                        to: c.to,
                        people: self.people[a] as u32,
                    },
                );
                self.on_arrival(world, day, a, c.to, obs);
            }
            let mut stay = Vec::with_capacity(queue.len());
            for q in queue {
                let a = q.agent as usize;
                let patient = c.patience_days.is_none_or(|p| t - q.joined < p as i64);
                if patient
                    || uniform(
                        key,
                        a as u64,
                        Purpose::Hazard,
                        hazard_k(K_GIVE_UP, place, 0),
                    ) >= c.give_up
                {
                    stay.push(q);
                    continue;
                }
                self.give_up(world, day, a, (c.from, c.to), obs);
            }
            for q in &stay {
                let a = q.agent as usize;
                let d = self.binomial_deaths(key, a, K_SHOT_WAITING, place, c.shot_waiting);
                self.kill(a, d, Cause::ShotWaiting, t, obs);
                if self.people[a] == 0 {
                    self.flags[a] = (self.flags[a] & !QUEUED) | DEAD;
                }
            }
            stay.retain(|q| self.flags[q.agent as usize] & DEAD == 0);
            self.cross.queues[i] = stay;
        }
    }

    /// Household `a` gives up waiting at the near bank of the crossing `bank → far`.
    fn give_up(
        &mut self,
        world: &mut World,
        day: Day,
        a: usize,
        (bank, far): (u32, u32),
        obs: &mut dyn Observer,
    ) {
        let home = self.cross.held_from(a);
        self.flags[a] &= !QUEUED;
        self.cross.gave_up += self.people[a] as i64;
        let to = if home != NOWHERE && self.held[home as usize].is_some() {
            // Trapped again: it may attempt again by any open exit.
            self.flags[a] &= !LEFT;
            world.place_agent(a, home);
            home
        } else {
            world.place_agent(a, bank);
            world.choose_route_avoiding(a, day.key, K_REROUTE, far);
            bank
        };
        obs.event(
            day.t,
            &Event::GaveUp {
                agent: a as u64,
                location: bank,
                to,
                people: self.people[a] as u32,
            },
        );
    }
}
