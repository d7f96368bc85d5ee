//! Camps and shelter, the end of a siege, and first arrivals.
//!
//! * A camp's *shelter* (people it can house in tents, halls, schools) is
//!   separate from its *admission limit* (the capacity Flee's route choice
//!   sees): a camp admits people beyond its shelter, and the people beyond it
//!   are counted *in the open*, per camp and day. An informal site is a camp
//!   with shelter 0: everyone there is in the open.
//! * When a hold ends, the people who never left are *stayed* (not displaced);
//!   they stay home (`Residents::Stay`, move chance 0 per household) or move
//!   by Flee's rules (`Residents::Move`).
//! * A camp's first arrival is the first day a household that left a held
//!   place, or was created during the run, reached it (by road or by
//!   organised transport); the camp's day-0 occupants never count.

use super::{SiegeState, LEFT};
use crate::world::World;
use corridor_model::siege::Residents;

impl SiegeState {
    /// Applies `siege.camps` at setup (after capacities are in households):
    /// shelters in people, admission limits as capacities in households
    /// (unlimited = no capacity).
    pub(super) fn apply_camps(&mut self, world: &mut World) {
        for c in self.model.camps.clone() {
            self.shelter[c.location as usize] = c.shelter;
            match c.admits {
                None => {}
                Some(None) => world.set_capacity(c.location, -1),
                Some(Some(people)) => {
                    world.set_capacity(c.location, (people / self.ppa as i64).max(1))
                }
            }
        }
    }

    /// The hold on `loc` ends; its people who never left do as `residents` says.
    pub(super) fn end_hold(&mut self, loc: u32, residents: Residents) {
        self.held[loc as usize] = None;
        self.after_hold[loc as usize] = Some(residents);
    }

    /// Move chance of a household at `loc` that never left it after its hold
    /// ended with `Residents::Stay`: 0. `None` otherwise (Flee's rules).
    pub(super) fn stayed_move_chance(&self, a: usize, loc: u32) -> Option<f64> {
        let never_left = self.flags.get(a).is_some_and(|f| f & LEFT == 0);
        (never_left && self.after_hold[loc as usize] == Some(Residents::Stay)).then_some(0.0)
    }

    /// Whether household `a` counts for a camp's first arrival: it left a
    /// held place or was created after the day-0 agents were placed.
    fn counts_as_arrival(&self, a: usize) -> bool {
        a >= self.day0_agents || self.flags.get(a).is_some_and(|f| f & LEFT != 0)
    }

    /// Household `a` reached `at` on day `t` (by road or by transport).
    pub(super) fn note_arrival(&mut self, a: usize, at: u32, t: i64) {
        let slot = self.camp_slot[at as usize];
        if slot != usize::MAX && self.first_arrival[slot].is_none() && self.counts_as_arrival(a) {
            self.first_arrival[slot] = Some(t);
        }
    }

    /// People in camp `loc` beyond its shelter, given `people` there.
    pub(super) fn in_open(&self, loc: u32, people: i64) -> i64 {
        match self.shelter[loc as usize] {
            Some(s) => (people - s).max(0),
            None => 0,
        }
    }

    /// The limit organised relocation fills up to at `loc`, in households:
    /// its shelter where given (buses take people out of the open to camps
    /// with tents free), else its admission capacity; `None` = no limit.
    pub(super) fn room_limit(&self, world: &World, loc: u32) -> Option<i64> {
        match self.shelter[loc as usize] {
            Some(s) => Some(s / self.ppa as i64),
            None => Some(world.capacity(loc)).filter(|&c| c > 0),
        }
    }
}
