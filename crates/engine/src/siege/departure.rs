//! Hazards on departure: fire and turn-backs at the exits of held places;
//! a step onto a river crossing joins its queue (see `crossing`).

use super::{hazard_k, SiegeState, K_SHOT, K_TURNED_BACK, LEFT};
use crate::events::{Cause, Event, Observer};
use crate::pipeline::Day;
use crate::rng::{uniform, Purpose};
use crate::world::World;

impl SiegeState {
    /// Household `a` at `from` is about to step onto `link`. Returns true
    /// when the departure does not happen (turned back, killed, no room on
    /// the craft).
    pub(super) fn on_departure(
        &mut self,
        world: &mut World,
        day: Day,
        a: usize,
        from: u32,
        link: u32,
        obs: &mut dyn Observer,
    ) -> bool {
        let (t, key) = (day.t, day.key);
        let to = world.network().links[link as usize].to;
        if self.goes_back(world, a, to) {
            return true;
        }
        if let Some(&i) = self.exit_index.get(&(from, to)) {
            let exit = self.model.exits[i].clone();
            let held = self.held[from as usize].is_some();
            if held {
                self.attempts += self.people[a] as i64;
            }
            if uniform(
                key,
                a as u64,
                Purpose::Hazard,
                hazard_k(K_TURNED_BACK, link, 0),
            ) < exit.turned_back
            {
                if held {
                    self.turned_back += self.people[a] as i64;
                }
                obs.event(
                    t,
                    &Event::TurnedBack {
                        agent: a as u64,
                        location: from,
                    },
                );
                return true;
            }
            let d = self.binomial_deaths(key, a, K_SHOT, link, exit.shot);
            self.kill(a, d, Cause::Shot, t, obs);
            if self.people[a] == 0 {
                self.remove(world, a);
                return true;
            }
        }
        // Screening on the way out: the men are taken aside before the family goes on.
        if self.screen_on_departure(world, a, from) {
            return true;
        }
        if self.held[from as usize].is_some() {
            self.cross.left_held(a, from);
        }
        if let Some(&i) = self.cross.index.get(&(from, to)) {
            self.join_queue(world, t, a, i, obs);
            return true;
        }
        self.flags[a] |= LEFT;
        false
    }
}
