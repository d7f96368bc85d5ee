//! # corridor-engine
//!
//! The simulation loop of corridor, in the manner of rapier (data in plain
//! arrays, the step an explicit pipeline of named stages, extension through
//! hooks) and MATSim (everything the loop does is observable as events):
//!
//! * [`world`] — the data: agents in compact arrays (about 18 bytes each),
//!   per-location arrays, the route [`network`], and the API through which
//!   rules and mechanisms change them;
//! * `rules` — Flee's mechanisms as small functions, one file each;
//! * [`pipeline`] — [`Simulation`] and the day as a list of [`Stage`]s;
//! * `exec` — how the agent passes run: local threads, or processes that
//!   replicate or divide the agents ([`Exchange`]);
//! * [`hooks`] — the [`Mechanism`] trait through which the [`siege`] model
//!   plugs into the pipeline;
//! * [`events`] — what an [`events::Observer`] sees.
//!
//! Each day runs these stages, in Flee's order (docs/flee-model.md 4.2):
//!
//! 1. [`Simulation::stage_conflicts`] — conflict onsets and ends from `conflicts.csv`;
//! 2. [`Simulation::stage_spawn`] — data-driven spawning with the debt rule;
//! 3. [`Simulation::stage_closures`] — border, location and camp closures;
//! 4. [`Simulation::stage_interventions`] — mechanisms' scheduled changes
//!    (siege: the day's interventions);
//! 5. [`Simulation::stage_scores`] — location scores, camp capacity growth and
//!    route weights (which mechanisms may adjust);
//! 6. [`Simulation::stage_choose`] — every resting agent decides whether to move and where
//!    (siege hazards act when an agent steps onto an exit; a step onto a river
//!    crossing joins its queue on the near bank; screening on departure takes the
//!    men of a household aside);
//! 7. [`Simulation::stage_travel`] — travellers advance, arrive, and may decide again
//!    (screening acts on arrival);
//! 8. [`Simulation::stage_day_end`] — mechanisms' end of day (siege: river crossings
//!    take their queues across, up to their daily capacity; deaths in custody,
//!    screening backlogs processed at each site's capacity, held people freed;
//!    organised transport carries households to camps on scheduled lines and out
//!    of camps over their shelter; the day's fates are tallied);
//! 9. [`Simulation::stage_record`] — the day's output row.
//!
//! Randomness is counter-based ([`rng`]), keyed by (seed, day, agent, purpose),
//! so a run is a pure function of scenario and seed. The agent passes are split
//! into a parallel scan, which finds the few agents whose action touches shared
//! state (movers and arrivals), and a serial pass over those in creation order.
//! Agents outside that set do not interact, so the result is exactly Flee's
//! sequential, live-count semantics and byte-identical for any thread count.
//!
//! The same split lets a run be spread over processes
//! ([`Simulation::new_divided`] and [`Simulation::step_partitioned`], used by
//! `corridor-mpi`): each process stores and scans only the blocks of agents it
//! owns, the movers and arrivals are exchanged with their state through an
//! [`Exchange`], and every process runs the serial pass over all of them
//! (other processes' agents as visitors for that pass), so all processes hold
//! the same location counts and the output equals the single-process run's.

pub mod events;
mod exec;
pub mod hooks;
pub mod network;
pub mod pipeline;
pub mod rng;
mod rules;
pub mod siege;
pub mod world;

pub use exec::{
    alone_on_every_core, set_speculative_passes, Exchange, EXCHANGE_WINDOW, PARTITION_BLOCK,
    PASS_SLICE,
};
pub use hooks::{Mechanism, Report};
pub use pipeline::{Day, Simulation, Stage};
pub use world::{Agents, World};

use corridor_model::{RunOutput, Scenario};

/// Why a run cannot start or go on.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("scenario data: {0}")]
    Data(#[from] corridor_model::DataError),
    #[error("settings: {0}")]
    Settings(String),
    #[error("camp '{camp}' has no series in data_layout.csv\n  hint: add a row '{camp},<file>.csv' to source_data/data_layout.csv")]
    CampWithoutData { camp: String },
    #[error("day {day}: {new} agents must be spawned but no location has spawn weight (no active conflict zone with population > 0)\n  hint: check conflicts.csv for that day and the population column of the conflict zones in locations.csv")]
    NoSpawnWeight { day: i64, new: i64 },
    #[error("conflicts.csv has {rows} data rows but the run needs {days}\n  hint: add rows or shorten the run with --days")]
    ConflictsTooShort { rows: usize, days: u32 },
    #[error("siege: {0}")]
    Siege(String),
    #[error("day {day}: {new} new agents would bring the run to {total} agents, above the limit of {limit}\n  hint: check the counts in the data files (a stray digit?); set {env}=<agents> to raise the limit", env = corridor_model::limits::MAX_AGENTS_ENV)]
    TooManyAgents {
        day: i64,
        new: u64,
        total: u64,
        limit: u64,
    },
    #[error("day {day}: the major route {} (major_routes.csv line {line}) cannot be followed: no open link from {from} to {to}\n  hint: Flee ends the run here too (docs/flee-model.md 16.6); check routes.csv and closures.csv for {from}-{to}, or change the route", route.join(" -> "))]
    MajorRouteBroken {
        day: i64,
        /// The route from the location whose table it was added to.
        route: Vec<String>,
        line: usize,
        from: String,
        to: String,
    },
}

/// Run-time options that are not part of the scenario.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Seed of the run's random numbers.
    pub seed: u64,
    /// Number of days to simulate; `None` = the scenario's length.
    pub days: Option<u32>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            seed: 1,
            days: None,
        }
    }
}

/// Counters describing the work done, for summaries and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Σ over days of the agents alive that day.
    pub agent_days: u64,
    /// Agents at the end of the run.
    pub agents: u64,
    /// Departures onto a link.
    pub departures: u64,
    /// Arrivals at a location.
    pub arrivals: u64,
    /// Candidates of the agent passes (movers and arrivals handed to their rule).
    pub candidates: u64,
    /// Of those, acted on one by one in creation order (the passes' serial
    /// part; all of them unless the pass ran on every core).
    pub serial_candidates: u64,
    /// Candidates acted on every core whose action read a count whose order
    /// matters and was kept: each read gave what the one-by-one pass gives.
    pub checked_candidates: u64,
    /// Of the serial ones, candidates whose action read such a count, was
    /// checked, and was undone because a read would have given another
    /// value in creation order.
    pub undone_candidates: u64,
}

/// Convenience: run a scenario to completion.
pub fn run(scenario: &Scenario, opts: &RunOptions) -> Result<(RunOutput, RunStats), EngineError> {
    let mut sim = Simulation::new(scenario, opts)?;
    while sim.step(&mut events::NoObserver)?.is_some() {}
    Ok(sim.into_output())
}
