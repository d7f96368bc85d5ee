//! Screening on arrival: men and boys are separated from their household and
//! held for a drawn number of days (some never released).

use super::{hazard_k, SiegeState, CROSSED, DETAINED, K_SCREEN, LEFT, NEVER_RELEASED};
use crate::events::{Event, Observer};
use crate::pipeline::Day;
use crate::rng::{uniform, Purpose};
use crate::world::World;

impl SiegeState {
    /// Household `a` arrived at `at`. Returns true when it is held (and so
    /// stops for today).
    pub(super) fn on_arrival(
        &mut self,
        world: &mut World,
        day: Day,
        a: usize,
        at: u32,
        obs: &mut dyn Observer,
    ) -> bool {
        let Some(si) = self.screening_at[at as usize] else {
            return false;
        };
        let s = self.model.screenings[si].clone();
        if !s.active || self.men[a] == 0 || self.flags[a] & DETAINED != 0 || self.hold_until[a] != 0
        {
            return false;
        }
        let (t, key) = (day.t, day.key);
        let span = (s.hold_max_days - s.hold_min_days + 1) as f64;
        let u = uniform(key, a as u64, Purpose::Hazard, hazard_k(K_SCREEN, at, 0));
        let days = s.hold_min_days as i64 + ((u * span) as i64).min(span as i64 - 1);
        let never =
            uniform(key, a as u64, Purpose::Hazard, hazard_k(K_SCREEN, at, 1)) < s.not_released;
        let men = self.men[a];
        let detainee = if men == self.people[a] {
            // Only men in this household: the whole agent is held.
            world.remove_agent(a);
            a
        } else {
            self.people[a] -= men;
            self.men[a] = 0;
            let b = world.add_inactive_agent_like(a);
            self.people.push(men);
            self.men.push(men);
            self.flags.push(self.flags[a] & (LEFT | CROSSED));
            self.hold_until.push(0);
            self.held_at.push(0);
            b
        };
        self.flags[detainee] |= DETAINED | if never { NEVER_RELEASED } else { 0 };
        // Non-zero hold_until also marks "already screened".
        self.hold_until[detainee] = (t + days.max(1)) as i32;
        self.held_at[detainee] = at;
        self.detained_list.push(detainee as u32);
        obs.event(
            t,
            &Event::Detained {
                agent: detainee as u64,
                location: at,
                people: men as u32,
                until_day: if never { -1 } else { t + days },
            },
        );
        detainee == a
    }
}
