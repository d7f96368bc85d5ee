//! Screening anywhere people pass: at a screening site, the men and boys of
//! a household (drawn at its creation with `screened_share`) are separated
//! from it when it arrives there and/or when it leaves it (`on_arrival`,
//! `on_departure`). The separated group waits in the site's backlog (FIFO)
//! until it is processed (`release.rs`); the family goes on without them.
//!
//! A separated man who is later released is cleared: he is not separated
//! again anywhere, so a household is screened at most once per site.

use super::{SiegeState, CROSSED, DETAINED, LEFT, PENDING};
use crate::pipeline::Day;
use crate::world::World;

/// Cumulative screening counts, in people.
#[derive(Debug, Clone, Default)]
pub(super) struct ScreeningCounts {
    /// Men and boys taken aside.
    pub separated: i64,
    /// Processed (taken from the backlog).
    pub screened: i64,
    pub released: i64,
    /// Processed and kept for the rest of the run (suspects, missing).
    pub never_released: i64,
    /// Per screening (order of `SiegeModel::screenings`).
    pub separated_at: Vec<i64>,
    pub never_released_at: Vec<i64>,
}

impl ScreeningCounts {
    pub(super) fn new(sites: usize) -> Self {
        ScreeningCounts {
            separated_at: vec![0; sites],
            never_released_at: vec![0; sites],
            ..Self::default()
        }
    }
}

impl SiegeState {
    /// Household `a` arrived at `at`. Returns true when it is all taken
    /// aside (and so stops for today).
    pub(super) fn on_arrival(
        &mut self,
        world: &mut World,
        _day: Day,
        a: usize,
        at: u32,
        _obs: &mut dyn crate::events::Observer,
    ) -> bool {
        match self.screening_at[at as usize] {
            Some(si) if self.model.screenings[si].on_arrival => self.separate(world, a, si),
            _ => false,
        }
    }

    /// Household `a` is leaving `from` (and past the exit's hazards).
    /// Returns true when it is all taken aside (the departure does not happen).
    pub(super) fn screen_on_departure(&mut self, world: &mut World, a: usize, from: u32) -> bool {
        match self.screening_at[from as usize] {
            Some(si) if self.model.screenings[si].on_departure => self.separate(world, a, si),
            _ => false,
        }
    }

    /// Separates the men and boys of household `a` at screening `si` into its
    /// backlog. Returns true when the household was only men (the whole agent
    /// is taken out of the run).
    fn separate(&mut self, world: &mut World, a: usize, si: usize) -> bool {
        let s = &self.model.screenings[si];
        // A non-zero hold_until marks a man already separated once (cleared).
        if !s.active || self.men[a] == 0 || self.flags[a] & DETAINED != 0 || self.hold_until[a] != 0
        {
            return false;
        }
        let at = s.location;
        let men = self.men[a];
        let detainee = if men == self.people[a] {
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
            self.ret.push_like(a);
            b
        };
        // They left home: the screening point is on their way out.
        self.flags[detainee] |= DETAINED | PENDING | LEFT;
        self.hold_until[detainee] = i32::MAX;
        self.held_at[detainee] = at;
        self.backlog[si].push_back(detainee as u32);
        self.screen.separated += men as i64;
        self.screen.separated_at[si] += men as i64;
        detainee == a
    }
}
