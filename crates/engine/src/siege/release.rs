//! End of day at the screening sites: deaths in custody, processing of the
//! backlogs at each site's daily capacity, and release of the held people
//! whose time is up.

use super::{hazard_k, SiegeState, DEAD, DETAINED, K_CUSTODY, K_SCREEN, NEVER_RELEASED, PENDING};
use crate::events::{Cause, Event, Observer};
use crate::pipeline::Day;
use crate::rng::{uniform, Purpose};
use crate::world::World;

impl SiegeState {
    /// The day's end in custody, in this order:
    /// 1. everyone in custody (waiting or held, never-released included)
    ///    dies with `death_in_custody`, a daily probability per person;
    /// 2. each site processes its backlog in FIFO order, whole groups, until
    ///    the next group would pass `capacity_per_day` people (at least one
    ///    group a day when the capacity is above 0): a processed group is
    ///    kept for the rest of the run with probability `not_released` (per
    ///    group), otherwise held `hold_days` more (drawn uniformly, whole days;
    ///    1 = released this evening);
    /// 3. held groups whose time is up are released at the site and rejoin
    ///    the flow from there.
    pub(super) fn release(&mut self, world: &mut World, day: Day, obs: &mut dyn Observer) {
        self.deaths_in_custody(day, obs);
        self.process_backlogs(day, obs);
        let t = day.t;
        let mut still = Vec::with_capacity(self.detained_list.len());
        for &b in &self.detained_list.clone() {
            let b = b as usize;
            if self.flags[b] & DEAD != 0 {
                continue;
            }
            if self.flags[b] & NEVER_RELEASED != 0 || (self.hold_until[b] as i64) > t + 1 {
                still.push(b as u32);
                continue;
            }
            let at = self.held_at[b];
            self.flags[b] &= !DETAINED;
            self.screen.released += self.people[b] as i64;
            world.place_agent(b, at);
            obs.event(
                t,
                &Event::Released {
                    agent: b as u64,
                    location: at,
                    people: self.people[b] as u32,
                },
            );
        }
        self.detained_list = still;
    }

    /// Step 1 of [`SiegeState::release`].
    fn deaths_in_custody(&mut self, day: Day, obs: &mut dyn Observer) {
        let mut groups: Vec<u32> = self.backlog.iter().flatten().copied().collect();
        groups.extend_from_slice(&self.detained_list);
        groups.sort_unstable();
        for b in groups {
            let b = b as usize;
            if self.flags[b] & DEAD != 0 {
                continue;
            }
            let at = self.held_at[b];
            let Some(si) = self.screening_at[at as usize] else {
                continue;
            };
            let p = self.model.screenings[si].death_in_custody;
            let d = self.binomial_deaths(day.key, b, K_CUSTODY, at, p);
            self.kill(b, d, Cause::DiedInCustody, day.t, obs);
            if self.people[b] == 0 {
                self.flags[b] |= DEAD;
            }
        }
        for q in &mut self.backlog {
            q.retain(|&b| self.flags[b as usize] & DEAD == 0);
        }
    }

    /// Step 2 of [`SiegeState::release`].
    fn process_backlogs(&mut self, day: Day, obs: &mut dyn Observer) {
        let (t, key) = (day.t, day.key);
        for si in 0..self.backlog.len() {
            let s = self.model.screenings[si].clone();
            let cap = s.capacity_per_day.map_or(i64::MAX, i64::from);
            let mut done = 0i64;
            while let Some(&b) = self.backlog[si].front() {
                let b = b as usize;
                let people = self.people[b] as i64;
                if cap == 0 || (done > 0 && done + people > cap) {
                    break;
                }
                self.backlog[si].pop_front();
                done += people;
                let at = s.location;
                let span = (s.hold_max_days - s.hold_min_days + 1) as f64;
                let u = uniform(key, b as u64, Purpose::Hazard, hazard_k(K_SCREEN, at, 0));
                let days = s.hold_min_days as i64 + ((u * span) as i64).min(span as i64 - 1);
                let never = uniform(key, b as u64, Purpose::Hazard, hazard_k(K_SCREEN, at, 1))
                    < s.not_released;
                self.flags[b] &= !PENDING;
                self.hold_until[b] = (t + days.max(1)) as i32;
                self.screen.screened += people;
                if never {
                    self.flags[b] |= NEVER_RELEASED;
                    self.screen.never_released += people;
                    self.screen.never_released_at[si] += people;
                }
                self.detained_list.push(b as u32);
                obs.event(
                    t,
                    &Event::Detained {
                        agent: b as u64,
                        location: at,
                        people: people as u32,
                        until_day: if never { -1 } else { t + days },
                    },
                );
            }
        }
    }
}
