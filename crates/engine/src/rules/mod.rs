//! Flee's mechanisms (docs/flee-model.md), one file per mechanism, as small
//! functions over the [`World`]. The pipeline decides when they run, the
//! executor ([`crate::exec`]) in which order over which agents.

pub(crate) mod closures;
pub(crate) mod conflict_spawning;
pub(crate) mod conflicts;
pub(crate) mod demographics;
pub(crate) mod departure;
pub(crate) mod destination_rules;
pub(crate) mod fixed_routes;
pub(crate) mod flood;
pub(crate) mod flood_forecast;
pub(crate) mod food;
pub(crate) mod harvest;
pub(crate) mod initial_agents;
pub(crate) mod location_changes;
pub(crate) mod matching;
pub(crate) mod move_chance;
pub(crate) mod record;
pub(crate) mod route_choice;
pub(crate) mod scores;
pub(crate) mod sinks;
pub(crate) mod spawning;
pub(crate) mod travel;

#[cfg(test)]
pub(crate) mod testkit;

use crate::events::Observer;
use crate::hooks::Mechanism;
use crate::pipeline::Day;
use crate::rng::AgentStream;
use crate::world::World;
use crate::RunStats;

/// Marks a mover whose route is chosen in the serial pass.
pub(crate) const NO_CHOICE: u32 = u32::MAX;

/// Draw counters of one agent within one day, so repeated decisions in a
/// multi-hop day get fresh numbers, with the agent's stream of the day.
#[derive(Clone, Copy)]
pub(crate) struct Draws {
    pub stream: AgentStream,
    pub moves: u32,
    pub routes: u32,
    pub walks: u32,
}

impl Draws {
    /// Counters for pass 1, after its move test (k = 0); its route choice uses k = 0.
    pub fn pass1(stream: AgentStream) -> Draws {
        Draws {
            stream,
            moves: 1,
            routes: 0,
            walks: 0,
        }
    }
    /// Counters for an arrival in pass 2. Pass 1 may already have used this agent's
    /// move and route numbers with k = 0 today, and the pass-2 scan its walk number
    /// with k = 0, so the re-decisions start at k = 1: reusing them would tie the
    /// mid-day decision to the morning's (same `u` for the move test and the route).
    pub fn arrival(stream: AgentStream) -> Draws {
        Draws {
            stream,
            moves: 1,
            routes: 1,
            walks: 1,
        }
    }
}

/// What the serial rules of the agent passes act on: the world, the
/// mechanisms' hooks, the run's counters, the day and the observer.
pub(crate) struct Act<'a, 's, O: Observer> {
    pub world: &'a mut World<'s>,
    pub hooks: &'a mut [Box<dyn Mechanism>],
    pub stats: &'a mut RunStats,
    pub day: Day,
    pub obs: &'a mut O,
}
