//! Extension points of the daily pipeline. A [`Mechanism`] (the siege model
//! today; Flee's other spawning and movement rules later) is called at fixed
//! points of the day, changes the run only through the [`World`] API, and
//! reports what it does as events to the observer. The defaults do nothing,
//! so a mechanism implements only the hooks it needs; a run without
//! mechanisms (Flee scenarios) skips every hook without a virtual call in
//! its per-agent loops.
//!
//! Agents are named by their slot; runs divided over processes (which
//! renumber slots) host no mechanisms.

use crate::events::Observer;
use crate::network::Network;
use crate::pipeline::Day;
use crate::world::World;

/// What a mechanism reports at the end of a run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Report {
    /// Fates and observed-vs-simulated numbers of a siege.
    Siege(crate::siege::SiegeReport),
}

/// A mechanism that plugs into the pipeline's stages.
pub trait Mechanism: Send + Sync {
    /// Once, after the day-0 agents are placed: add populations, change
    /// capacities or links.
    fn setup(&mut self, _world: &mut World) {}

    /// Stage 4, after closures: the day's scheduled changes.
    fn day_start(&mut self, _world: &mut World, _day: Day, _obs: &mut dyn Observer) {}

    /// Agents from slot `first` on were spawned today.
    fn spawned(&mut self, _world: &mut World, _first: usize) {}

    /// Stage 5, after scores: scales the day's route-choice weights, one per
    /// candidate of [`crate::network::Network::candidates`].
    fn adjust_route_weights(&self, _net: &Network, _weights: &mut [f64]) {}

    /// Overrides the move chance of agent `a` resting at `loc` (called from the
    /// parallel scan: no changes here).
    fn move_chance(&self, _a: usize, _loc: u32) -> Option<f64> {
        None
    }

    /// Agent `a` at `from` is about to step onto `link`. Returns true when the
    /// departure does not happen (the agent then stays at `from`, unless the
    /// mechanism removed it).
    fn departure(
        &mut self,
        _world: &mut World,
        _day: Day,
        _a: usize,
        _from: u32,
        _link: u32,
        _obs: &mut dyn Observer,
    ) -> bool {
        false
    }

    /// Agent `a` arrived at `at` and is counted there. Returns true when the
    /// mechanism holds it (it travels no further today).
    fn arrival(
        &mut self,
        _world: &mut World,
        _day: Day,
        _a: usize,
        _at: u32,
        _obs: &mut dyn Observer,
    ) -> bool {
        false
    }

    /// Stage 8, after travel: end-of-day changes and tallies.
    fn day_end(&mut self, _world: &mut World, _day: Day, _obs: &mut dyn Observer) {}

    /// The number the daily record gives for output camp `loc`, when the
    /// mechanism counts people rather than agents.
    fn camp_people(&self, _loc: u32) -> Option<i64> {
        None
    }

    /// What the mechanism has to report about the run so far.
    fn report(&self, _world: &World) -> Option<Report> {
        None
    }
}
