//! # corridor-engine
//!
//! The simulation loop of corridor. Agents live in compact arrays (about 18
//! bytes each); each day runs an explicit pipeline of named stages over plain
//! data, in Flee's order (docs/flee-model.md 4.2):
//!
//! 1. [`Simulation::stage_conflicts`] — conflict onsets and ends from `conflicts.csv`;
//! 2. [`Simulation::stage_spawn`] — data-driven spawning with the debt rule;
//! 3. [`Simulation::stage_closures`] — border, location and camp closures;
//! 4. siege interventions (scenarios with a [`siege`] model): the day's scheduled changes;
//! 5. [`Simulation::stage_scores`] — location scores and camp capacity growth;
//! 6. [`Simulation::stage_choose`] — every resting agent decides whether to move and where
//!    (siege hazards act when an agent steps onto an exit or a river crossing);
//! 7. [`Simulation::stage_travel`] — travellers advance, arrive, and may decide again
//!    (screening acts on arrival);
//! 8. siege release: held people are freed or die in custody; households above a camp's
//!    capacity are relocated by organised transport; the day's fates are tallied;
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
pub mod network;
pub mod rng;
pub mod siege;

use corridor_model::{
    DayRecord, LocationKind, PreparedData, RunOutput, Scenario, Settings, SpawnLedger,
};
use events::{Event, NoObserver, Observer};
use network::Network;
use rayon::prelude::*;
use rng::{uniform, Purpose};

/// Agents on a link carry this bit in `loc`; the rest of the word is the link id.
const ON_LINK: u32 = 1 << 31;
/// Agents that no longer take part (dead, or held at a screening point).
const INACTIVE: u32 = u32::MAX;
/// Marks a mover whose route is chosen in the serial pass.
const NO_CHOICE: u32 = u32::MAX;
/// Agents per parallel work item.
const CHUNK: usize = 1 << 14;

/// One chunk of the travel scan: the agents that reached the end of their link
/// (with the first leg's speed), and every agent's new (progress, recent).

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
}

/// How the processes of a run split over several processes exchange the
/// results of their agent scans ([`Simulation::step_partitioned`]).
///
/// Process `rank` of `size` owns agent `a` when `(a / block) % size == rank`,
/// a fixed assignment as agents are only ever appended.
pub trait Exchange {
    /// This process's index, `0..size`.
    fn rank(&self) -> usize;
    /// The number of processes.
    fn size(&self) -> usize;
    /// All-gather: every process passes its `local` words and receives the
    /// concatenation of every process's words in rank order.
    fn all_gather(&mut self, local: &[u32]) -> Vec<u32>;
    /// Agents per block of ownership (at least 1).
    fn block(&self) -> usize {
        PARTITION_BLOCK
    }
    /// Global indices per exchange round of a divided run (at least 1).
    fn window(&self) -> usize {
        EXCHANGE_WINDOW
    }
}

/// Default agents per block of ownership in a partitioned run.
pub const PARTITION_BLOCK: usize = 1024;

/// Global indices per exchange round of a divided run: bounds the movers and
/// arrivals a process holds at once (at most this many, 28 bytes each).
pub const EXCHANGE_WINDOW: usize = 1 << 20;

/// Which agents a process of a divided run stores ([`Simulation::new_divided`]):
/// the blocks `b` with `b % size == rank`, packed densely in block order, so that
/// global index and local slot convert both ways in closed form.
#[derive(Clone, Copy, Debug)]
struct Partition {
    rank: usize,
    size: usize,
    block: usize,
}

impl Partition {
    #[inline]
    fn owns(self, g: usize) -> bool {
        (g / self.block) % self.size == self.rank
    }
    /// Local slot of an owned agent.
    #[inline]
    fn slot(self, g: usize) -> usize {
        (g / self.block / self.size) * self.block + g % self.block
    }
    /// Global index of an owned slot.
    #[inline]
    fn global(self, slot: usize) -> usize {
        ((slot / self.block) * self.size + self.rank) * self.block + slot % self.block
    }
}

/// Which agents of a partitioned run this process scans.
#[derive(Clone, Copy)]
struct Owner {
    rank: usize,
    size: usize,
    block: usize,
}

impl Owner {
    const ALL: Owner = Owner {
        rank: 0,
        size: 1,
        block: usize::MAX,
    };

    fn of(ex: &Option<&mut dyn Exchange>) -> Owner {
        ex.as_ref().map_or(Owner::ALL, |e| Owner {
            rank: e.rank(),
            size: e.size(),
            block: e.block().max(1),
        })
    }

    /// The ranges, relative to `base`, of the agents `base..base + len` owned here.
    fn ranges(self, base: usize, len: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
        let (first, last) = if self.size == 1 {
            (0, 0)
        } else {
            (
                base / self.block,
                (base + len).saturating_sub(1) / self.block,
            )
        };
        (first..=last)
            .filter(move |b| self.size == 1 || b % self.size == self.rank)
            .map(move |b| {
                if self.size == 1 {
                    0..len
                } else {
                    let start = (b * self.block).max(base);
                    let end = ((b + 1) * self.block).min(base + len);
                    start - base..end - base
                }
            })
    }
}

/// Run-time options that are not part of the scenario.
#[derive(Debug, Clone)]
pub struct RunOptions {
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

/// Per-location state that changes during a run (struct of arrays).
#[derive(Debug, Clone)]
struct Places {
    camp: Vec<bool>,
    idpcamp: Vec<bool>,
    town: Vec<bool>,
    marker: Vec<bool>,
    foreign: Vec<bool>,
    movechance: Vec<f64>,
    conflict: Vec<f64>,
    time_of_conflict: Vec<i64>,
    pop: Vec<i64>,
    capacity: Vec<i64>,
    capacity_per_day: Vec<i64>,
    score: Vec<f64>,
    /// Agents at the location (not on its links), live.
    agents: Vec<i64>,
}

/// Agents as parallel arrays, in creation order.
#[derive(Debug, Clone, Default)]
pub struct Agents {
    /// Location id, or `ON_LINK | link id`, or `INACTIVE`.
    loc: Vec<u32>,
    /// km travelled on the current link.
    progress: Vec<f32>,
    /// Flee's `recent_travel_distance`: EMA of daily km / max_move_speed.
    recent: Vec<f32>,
    /// Interned remaining route (0 = none) and position in it.
    route: Vec<u32>,
    route_pos: Vec<u8>,
    /// Bit 0: has completed at least one link (`places_travelled > 1`).
    flags: Vec<u8>,
}

impl Agents {
    pub fn len(&self) -> usize {
        self.loc.len()
    }
    pub fn is_empty(&self) -> bool {
        self.loc.is_empty()
    }
    /// Bytes of agent state per agent (for memory reports).
    pub const BYTES_PER_AGENT: usize = 4 + 4 + 4 + 4 + 1 + 1;

    fn push(&mut self, loc: u32) {
        self.loc.push(loc);
        self.progress.push(0.0);
        self.recent.push(0.0);
        self.route.push(0);
        self.route_pos.push(0);
        self.flags.push(0);
    }

    /// The state of agent `a` as words, for sending to other processes.
    fn state_words(&self, a: usize) -> [u32; 5] {
        [
            self.loc[a],
            self.progress[a].to_bits(),
            self.recent[a].to_bits(),
            self.route[a],
            u32::from(self.route_pos[a]) | u32::from(self.flags[a]) << 8,
        ]
    }

    /// Appends an agent with the state of [`Agents::state_words`].
    fn push_state(&mut self, w: &[u32]) {
        self.loc.push(w[0]);
        self.progress.push(f32::from_bits(w[1]));
        self.recent.push(f32::from_bits(w[2]));
        self.route.push(w[3]);
        self.route_pos.push(w[4] as u8);
        self.flags.push((w[4] >> 8) as u8);
    }

    fn truncate(&mut self, n: usize) {
        self.loc.truncate(n);
        self.progress.truncate(n);
        self.recent.truncate(n);
        self.route.truncate(n);
        self.route_pos.truncate(n);
        self.flags.truncate(n);
    }

    fn reserve(&mut self, n: usize) {
        self.loc.reserve(n);
        self.progress.reserve(n);
        self.recent.reserve(n);
        self.route.reserve(n);
        self.route_pos.reserve(n);
        self.flags.reserve(n);
    }
}

/// Draw counters of one agent within one day, so repeated decisions in a
/// multi-hop day get fresh numbers.
#[derive(Default, Clone, Copy)]
struct Draws {
    moves: u32,
    routes: u32,
    walks: u32,
}

impl Draws {
    /// Counters for pass 1, after its move test (k = 0); its route choice uses k = 0.
    const PASS1: Draws = Draws {
        moves: 1,
        routes: 0,
        walks: 0,
    };
    /// Counters for an arrival in pass 2. Pass 1 may already have used this agent's
    /// move and route numbers with k = 0 today, and the pass-2 scan its walk number
    /// with k = 0, so the re-decisions start at k = 1: reusing them would tie the
    /// mid-day decision to the morning's (same `u` for the move test and the route).
    const ARRIVAL: Draws = Draws {
        moves: 1,
        routes: 1,
        walks: 1,
    };
}

/// Counters describing the work done, for summaries and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Σ over days of the agents alive that day.
    pub agent_days: u64,
    pub agents: u64,
    pub departures: u64,
    pub arrivals: u64,
}

/// A simulation in progress.
pub struct Simulation<'s> {
    scenario: &'s Scenario,
    settings: Settings,
    data: PreparedData,
    net: Network,
    places: Places,
    pub agents: Agents,
    ledger: SpawnLedger,
    spawn_weights: Vec<f64>,
    /// Per-candidate weight without the capacity factor, refreshed daily.
    cand_base: Vec<f64>,
    /// Per location: the sum of its candidates' weights, and whether any
    /// weight depends on live camp occupancy (then it is recomputed per choice).
    cand_total: Vec<f64>,
    cand_live: Vec<bool>,
    /// Output camps (fixed at start) and their data labels.
    out_camps: Vec<u32>,
    out_labels: Vec<usize>,
    /// Location ids whose day-0 population feeds the capacity reduction, with amounts.
    day0_pop: Vec<(u32, i64)>,
    conflict_cols: Vec<(u32, Vec<f64>)>,
    seed: u64,
    days: u32,
    day: i64,
    day_key: u64,
    pub stats: RunStats,
    siege: Option<siege::SiegeState>,
    output: RunOutput,
    /// In a run divided over processes, the agents this one stores; `None`
    /// when it stores every agent (slot = global index).
    part: Option<Partition>,
    /// Agents of the whole run (all processes); with `part`, `agents` holds
    /// this process's share followed, during a serial pass, by visitors.
    n_global: usize,
    /// Global indices of the visitors: other processes' movers or arrivals,
    /// copied in for one serial pass at slots `agents.len() - visitors.len()..`.
    visitors: Vec<u32>,
}

impl<'s> Simulation<'s> {
    /// Prepares a run: applies `hasten`, builds the network, inserts day-0 camp agents.
    pub fn new(scenario: &'s Scenario, opts: &RunOptions) -> Result<Self, EngineError> {
        Self::with_partition(scenario, opts, None)
    }

    /// Prepares process `rank` of a run divided over `size` processes that
    /// exchange through an [`Exchange`] with this `block`: it stores only its
    /// own blocks of agents (about `1/size` of them) and gets the state of
    /// other processes' movers and arrivals for each serial pass. Drive it
    /// with [`Simulation::step_partitioned`]. Siege scenarios, whose stages
    /// reach agents beyond the movers, keep every agent on every process.
    pub fn new_divided(
        scenario: &'s Scenario,
        opts: &RunOptions,
        rank: usize,
        size: usize,
        block: usize,
    ) -> Result<Self, EngineError> {
        let part = (scenario.siege.is_none() && size > 1).then_some(Partition {
            rank,
            size,
            block: block.max(1),
        });
        Self::with_partition(scenario, opts, part)
    }

    fn with_partition(
        scenario: &'s Scenario,
        opts: &RunOptions,
        part: Option<Partition>,
    ) -> Result<Self, EngineError> {
        let settings = scenario.settings.clone();
        settings.validate().map_err(EngineError::Settings)?;
        let hasten = settings.hasten;
        let days = opts.days.unwrap_or(scenario.days);
        let data = scenario
            .validation
            .prepare(hasten as f64, settings.empty_camps_on_day0)?;

        let n = scenario.locations.len();
        let home = scenario.home_country();
        let mut places = Places {
            camp: vec![false; n],
            idpcamp: vec![false; n],
            town: vec![false; n],
            marker: vec![false; n],
            foreign: vec![false; n],
            movechance: vec![1.0; n],
            conflict: vec![-1.0; n],
            time_of_conflict: vec![-1; n],
            pop: vec![0; n],
            capacity: vec![-1; n],
            capacity_per_day: vec![0; n],
            score: vec![1.0; n],
            agents: vec![0; n],
        };
        let s = &settings;
        for (i, l) in scenario.locations.iter().enumerate() {
            places.foreign[i] = l.is_foreign(home);
            places.capacity_per_day[i] = l.capacity_per_day;
            if l.kind.is_camp() {
                places.capacity[i] = l.pop_or_capacity.div_euclid(hasten);
            } else {
                places.pop[i] = l.pop_or_capacity.div_euclid(hasten);
            }
            let mut flood = false;
            match l.kind {
                LocationKind::Camp => {
                    places.camp[i] = true;
                    places.movechance[i] = s.camp_movechance;
                }
                LocationKind::IdpCamp => {
                    places.camp[i] = true;
                    places.idpcamp[i] = true;
                    places.movechance[i] = s.idpcamp_movechance;
                }
                LocationKind::Conflict => {
                    places.movechance[i] = s.conflict_movechance;
                    places.conflict[i] = l.conflict_intensity;
                }
                LocationKind::Forward => places.movechance[i] = 1.0,
                LocationKind::Marker => {
                    places.movechance[i] = 1.0;
                    places.marker[i] = true;
                }
                LocationKind::FloodZone => {
                    places.movechance[i] = s.default_movechance;
                    flood = true;
                }
                LocationKind::Town => {
                    places.town[i] = true;
                    places.movechance[i] = s.default_movechance;
                }
                LocationKind::Other => places.movechance[i] = 1.0,
            }
            // Flee silently turns near-immobile locations into camps (docs/flee-model.md 1.1).
            if places.movechance[i] < 0.005 && !places.camp[i] && !flood {
                places.camp[i] = true;
                places.town[i] = false;
            }
        }

        let mut net = Network::build(n, &scenario.routes);
        net.rebuild_candidates(s.awareness_level, &places.marker);

        let mut out_camps = Vec::new();
        let mut out_labels = Vec::new();
        for i in 0..n {
            if places.camp[i] {
                let name = &scenario.locations[i].name;
                // Siege scenarios need no camp series: their observations are separate.
                let label = match data.label_index(name) {
                    Some(l) => l,
                    None if scenario.siege.is_some() => usize::MAX,
                    None => return Err(EngineError::CampWithoutData { camp: name.clone() }),
                };
                out_camps.push(i as u32);
                out_labels.push(label);
            }
        }
        let mut day0_pop = Vec::new();
        for (li, label) in data.labels.iter().enumerate() {
            if let Some(loc) = scenario.location_id(label) {
                day0_pop.push((loc, data.field(li, 0)));
            }
        }

        for (_, vals) in &scenario.conflicts.columns {
            if vals.len() < days as usize {
                return Err(EngineError::ConflictsTooShort {
                    rows: vals.len(),
                    days,
                });
            }
        }

        let mut sim = Simulation {
            scenario,
            data,
            net,
            agents: Agents::default(),
            ledger: SpawnLedger::default(),
            spawn_weights: vec![0.0; n],
            cand_base: Vec::new(),
            cand_total: Vec::new(),
            cand_live: Vec::new(),
            out_camps,
            out_labels,
            day0_pop,
            conflict_cols: scenario.conflicts.columns.clone(),
            seed: opts.seed,
            days,
            day: 0,
            day_key: rng::day_key(opts.seed, 0),
            stats: RunStats::default(),
            siege: None,
            output: RunOutput::default(),
            settings,
            places,
            part,
            n_global: 0,
            visitors: Vec::new(),
        };
        sim.output.camps = sim
            .out_camps
            .iter()
            .map(|&c| scenario.locations[c as usize].name.clone())
            .collect();
        sim.refresh_spawn_weights(0);

        // Day-0 insertion (docs/flee-model.md 4.1 step 12): agents placed directly in camps.
        if !sim.settings.empty_camps_on_day0 {
            for k in 0..sim.out_camps.len() {
                let c = sim.out_camps[k];
                let mut count = 0;
                if sim.settings.insert_day0 && sim.out_labels[k] != usize::MAX {
                    count += sim.data.field(sim.out_labels[k], 0);
                }
                count += scenario.locations[c as usize].initial_idps;
                for _ in 0..count.max(0) {
                    sim.push_agent(c);
                    sim.places.agents[c as usize] += 1;
                }
            }
        }
        if let Some(model) = &scenario.siege {
            sim.siege = Some(siege::SiegeState::new(model, &sim)?);
            siege::SiegeState::populate(&mut sim);
        }
        Ok(sim)
    }

    /// Creates the next agent of the run at `loc`; stored only if owned here.
    fn push_agent(&mut self, loc: u32) {
        let g = self.n_global;
        self.n_global += 1;
        if self.part.is_none_or(|p| p.owns(g)) {
            self.agents.push(loc);
        }
    }

    /// Agents of the whole run (on every process of a divided run).
    pub fn total_agents(&self) -> usize {
        match self.part {
            None => self.agents.len(),
            Some(_) => self.n_global,
        }
    }

    /// Agents whose state this process stores (all of them unless divided).
    pub fn stored_agents(&self) -> usize {
        self.agents.len() - self.visitors.len()
    }

    /// The global index of the agent in slot `a` (the index that keys its
    /// random numbers and names it in events).
    #[inline]
    fn gid(&self, a: usize) -> u64 {
        match self.part {
            None => a as u64,
            Some(p) => {
                let owned = self.stored_agents();
                if a < owned {
                    p.global(a) as u64
                } else {
                    u64::from(self.visitors[a - owned])
                }
            }
        }
    }

    /// The serial part of a pass in a divided run: `each(sim, slot, word)` for
    /// every process's `local` agents (this one's: `(slot, word)` in slot
    /// order) in global order. The agents travel with their state, in windows
    /// of [`Exchange::window`] global indices so that no process ever holds
    /// more than one window's movers; other processes' agents are visitors
    /// for the window.
    fn serial_divided(
        &mut self,
        ex: &mut dyn Exchange,
        local: &[(u32, u32)],
        mut each: impl FnMut(&mut Self, usize, u32),
    ) {
        const WIDTH: usize = 7; // global index, 5 state words, `word`
        let p = self.part.expect("divided run");
        let window = ex.window().max(1);
        let mut at = 0;
        let mut lo = 0;
        loop {
            let hi = lo + window;
            let mut words = Vec::new();
            while at < local.len() && p.global(local[at].0 as usize) < hi {
                let (a, word) = local[at];
                words.push(p.global(a as usize) as u32);
                words.extend(self.agents.state_words(a as usize));
                words.push(word);
                at += 1;
            }
            let all = ex.all_gather(&words);
            drop(words);
            for w in merged_order(&all, WIDTH) {
                let w = w as usize;
                let g = all[w] as usize;
                let slot = if p.owns(g) {
                    p.slot(g)
                } else {
                    self.agents.push_state(&all[w + 1..w + 6]);
                    self.visitors.push(all[w]);
                    self.agents.len() - 1
                };
                each(self, slot, all[w + 6]);
            }
            self.dismiss();
            lo = hi;
            // Every process sees the same count, so all stop together.
            if lo >= self.n_global {
                break;
            }
        }
    }

    /// Drops the visitors after a serial pass (their owners made the same changes).
    fn dismiss(&mut self) {
        self.agents.truncate(self.stored_agents());
        self.visitors.clear();
    }

    /// Number of days this run simulates.
    pub fn days(&self) -> u32 {
        self.days
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Runs every remaining day and returns the daily table.
    pub fn run(mut self) -> Result<RunOutput, EngineError> {
        while self.step(&mut NoObserver)?.is_some() {}
        Ok(self.output)
    }

    /// Runs every remaining day, reporting events to `obs`.
    pub fn run_observed(mut self, obs: &mut impl Observer) -> Result<RunOutput, EngineError> {
        while self.step(obs)?.is_some() {}
        Ok(self.output)
    }

    /// The output so far.
    pub fn output(&self) -> &RunOutput {
        &self.output
    }

    /// Simulates one day; `Ok(None)` once the run is complete.
    pub fn step(&mut self, obs: &mut impl Observer) -> Result<Option<&DayRecord>, EngineError> {
        self.step_with(obs, None)
    }

    /// Simulates one day as one of several processes (see [`Exchange`]): this
    /// process scans only its own agents; the movers and arrivals are
    /// exchanged, and the serial passes run on every process. Every process
    /// must call this once per day. With [`Simulation::new_divided`] each
    /// process stores only its own agents and receives the others' movers and
    /// arrivals with their state; with [`Simulation::new`] (and for siege
    /// scenarios) every process stores every agent, the locations, routes and
    /// flags stay the same on all of them, and only the progress and recent
    /// distance of other processes' travellers go stale (they are read only
    /// for agents in the exchanged lists). Either way the output equals
    /// [`Simulation::step`]'s.
    pub fn step_partitioned(
        &mut self,
        obs: &mut impl Observer,
        ex: &mut dyn Exchange,
    ) -> Result<Option<&DayRecord>, EngineError> {
        self.step_with(obs, Some(ex))
    }

    fn step_with(
        &mut self,
        obs: &mut impl Observer,
        mut ex: Option<&mut dyn Exchange>,
    ) -> Result<Option<&DayRecord>, EngineError> {
        if self.day >= self.days as i64 {
            return Ok(None);
        }
        let t = self.day;
        self.day_key = rng::day_key(self.seed, t);
        self.stage_conflicts(t, obs);
        self.stage_spawn(t, obs)?;
        self.stage_closures(t, obs);
        if let Some(mut s) = self.siege.take() {
            s.stage_interventions(self, t, obs);
            self.siege = Some(s);
        }
        self.stage_scores(t);
        self.choose_pass(t, obs, ex.as_mut().map(|e| &mut **e as &mut dyn Exchange));
        self.travel_pass(t, obs, ex);
        if let Some(mut s) = self.siege.take() {
            s.stage_release(self, t, obs);
            self.siege = Some(s);
        }
        self.stats.agent_days += self.total_agents() as u64;
        self.stats.agents = self.total_agents() as u64;
        let rec = self.stage_record(t);
        obs.day_end(&rec);
        self.output.days.push(rec);
        self.day += 1;
        Ok(self.output.days.last())
    }

    // ----- stage 1: conflicts ------------------------------------------------

    /// Applies conflict onsets and ends for day `t` (docs/flee-model.md 2.4).
    pub fn stage_conflicts(&mut self, t: i64, obs: &mut impl Observer) {
        let mut changed = false;
        let ignore_changes = self.settings.compat.ignore_intensity_changes;
        for k in 0..self.conflict_cols.len() {
            let (loc, ref vals) = self.conflict_cols[k];
            let l = loc as usize;
            let v = vals[t as usize];
            let prev = if t > 0 { vals[t as usize - 1] } else { 0.0 };
            if v > 1e-6 {
                if t == 0 || prev < 1e-6 {
                    self.places.movechance[l] = self.settings.conflict_movechance;
                    self.places.conflict[l] = v;
                    self.places.town[l] = false;
                    self.places.time_of_conflict[l] = t;
                    changed = true;
                    obs.event(
                        t,
                        &Event::ConflictChanged {
                            location: loc,
                            intensity: v,
                        },
                    );
                } else if !ignore_changes && v != prev {
                    self.places.conflict[l] = v;
                    changed = true;
                    obs.event(
                        t,
                        &Event::ConflictChanged {
                            location: loc,
                            intensity: v,
                        },
                    );
                }
            }
            if v < 1e-6 && t > 0 && prev >= 1e-6 {
                self.places.movechance[l] = self.settings.default_movechance;
                self.places.conflict[l] = -1.0;
                self.places.town[l] = true;
                changed = true;
                obs.event(
                    t,
                    &Event::ConflictChanged {
                        location: loc,
                        intensity: 0.0,
                    },
                );
            }
        }
        if changed || !self.settings.compat.spawn_decay_lag {
            self.refresh_spawn_weights(t);
        }
    }

    fn refresh_spawn_weights(&mut self, time: i64) {
        let p = &self.places;
        for i in 0..self.spawn_weights.len() {
            self.spawn_weights[i] = if p.conflict[i] > 0.0 {
                p.pop[i] as f64 * p.conflict[i] * self.settings.decay(time - p.time_of_conflict[i])
            } else {
                0.0
            };
        }
    }

    // ----- stage 2: spawn ----------------------------------------------------

    /// Creates the day's new agents in conflict zones (docs/flee-model.md 4.2 B). Returns how many.
    pub fn stage_spawn(&mut self, t: i64, obs: &mut impl Observer) -> Result<i64, EngineError> {
        let today = self.ledger.day(&self.data, t, &self.settings);
        if self.settings.insert_day0 && t == 0 && self.settings.compat.day0_capacity_double_count {
            for &(loc, v) in &self.day0_pop {
                if self.places.capacity[loc as usize] > 0 {
                    self.places.capacity[loc as usize] -= v;
                }
            }
        }
        let new = today.new_agents;
        if new > 0 {
            self.spawn_at_weights(t, new as u64, obs)?;
        }
        // Step C: weights refreshed after spawning, with today's time.
        self.refresh_spawn_weights(t);
        Ok(new)
    }

    fn spawn_at_weights(
        &mut self,
        t: i64,
        n: u64,
        obs: &mut impl Observer,
    ) -> Result<(), EngineError> {
        let mut cum = Vec::with_capacity(self.spawn_weights.len());
        let mut total = 0.0;
        for &w in &self.spawn_weights {
            total += w;
            cum.push(total);
        }
        if total <= 0.0 {
            return Err(EngineError::NoSpawnWeight {
                day: t,
                new: n as i64,
            });
        }
        let key = self.day_key;
        let base = self.total_agents() as u64;
        let locs: Vec<u32> = (0..n as usize)
            .into_par_iter()
            .with_min_len(CHUNK)
            .map(|i| {
                let u = uniform(key, base + i as u64, Purpose::Spawn, 0) * total;
                let k = cum.partition_point(|&c| c <= u);
                k.min(cum.len() - 1) as u32
            })
            .collect();
        self.agents
            .reserve(locs.len() / self.part.map_or(1, |p| p.size));
        for (i, &loc) in locs.iter().enumerate() {
            self.push_agent(loc);
            self.places.agents[loc as usize] += 1;
            if self.settings.take_from_population {
                self.places.pop[loc as usize] = (self.places.pop[loc as usize] - 1).max(0);
            }
            obs.event(
                t,
                &Event::Spawned {
                    agent: base + i as u64,
                    location: loc,
                },
            );
        }
        if let Some(mut s) = self.siege.take() {
            s.on_spawned(self, base as usize);
            self.siege = Some(s);
        }
        Ok(())
    }

    /// Adds `n` agents at `loc` (used by siege populations). Returns the first new index.
    pub(crate) fn add_agents(&mut self, loc: u32, n: usize) -> usize {
        let first = self.agents.len();
        self.agents.reserve(n);
        for _ in 0..n {
            self.agents.push(loc);
        }
        self.places.agents[loc as usize] += n as i64;
        first
    }

    // ----- stage 3: closures -------------------------------------------------

    /// Applies `closures.csv` rows that start or end today (docs/flee-model.md 2.3).
    pub fn stage_closures(&mut self, t: i64, obs: &mut impl Observer) {
        let mut topology = false;
        for c in &self.scenario.closures {
            for (active, closing) in [(c.start == t, true), (c.end == t, false)] {
                if !active {
                    continue;
                }
                let n = self.apply_closure(c.kind, &c.name1, &c.name2, closing);
                if let Some(n) = n {
                    topology = true;
                    obs.event(
                        t,
                        &Event::LinksChanged {
                            what: format!("{:?} {} {}", c.kind, c.name1, c.name2),
                            closed: closing,
                            links: n,
                        },
                    );
                }
            }
        }
        if topology {
            self.rebuild_candidates();
        }
    }

    fn rebuild_candidates(&mut self) {
        self.net
            .rebuild_candidates(self.settings.awareness_level, &self.places.marker);
    }

    /// Applies one closure action; returns the number of links changed when the
    /// network changed (None for flag-only changes).
    fn apply_closure(
        &mut self,
        kind: corridor_model::ClosureKind,
        a: &str,
        b: &str,
        closing: bool,
    ) -> Option<usize> {
        use corridor_model::ClosureKind as K;
        let sc = self.scenario;
        let id = |name: &str| sc.location_id(name);
        let bounce = self.settings.compat.closed_link_bounce;
        let country = |l: u32| sc.locations[l as usize].country.as_str();
        match kind {
            K::Country => {
                let pred = |l: &network::Link| {
                    (country(l.from) == a && country(l.to) == b)
                        || (country(l.from) == b && country(l.to) == a)
                };
                Some(if closing {
                    self.net.close_where(bounce, pred)
                } else {
                    self.net.open_where(pred)
                })
            }
            K::Location => {
                let x = id(a)?;
                let pred = |l: &network::Link| l.from == x || l.to == x;
                Some(if closing {
                    self.net.close_where(bounce, pred)
                } else {
                    self.net.open_where(pred)
                })
            }
            K::Link => {
                let (x, y) = (id(a)?, id(b)?);
                let pred =
                    |l: &network::Link| (l.from == x && l.to == y) || (l.from == y && l.to == x);
                Some(if closing {
                    self.net.close_where(bounce, pred)
                } else {
                    self.net.open_where(pred)
                })
            }
            K::Camp | K::IdpCamp => {
                let x = id(a)? as usize;
                let p = &mut self.places;
                let s = &self.settings;
                p.conflict[x] = -1.0;
                if closing {
                    p.camp[x] = false;
                    p.idpcamp[x] = false;
                    p.town[x] = true;
                    p.movechance[x] = s.default_movechance;
                } else {
                    p.camp[x] = true;
                    p.town[x] = false;
                    if kind == K::IdpCamp {
                        p.idpcamp[x] = true;
                        p.movechance[x] = s.idpcamp_movechance;
                    } else {
                        p.movechance[x] = s.camp_movechance;
                    }
                }
                None
            }
            K::RemoveForcedRedirection => None,
        }
    }

    // ----- stage 4: scores ---------------------------------------------------

    /// Recomputes location scores, grows capacities and caches candidate weights
    /// without the capacity factor (docs/flee-model.md 4.4 step 2, 4.5.2).
    pub fn stage_scores(&mut self, t: i64) {
        let s = &self.settings;
        let p = &mut self.places;
        for i in 0..p.score.len() {
            let mut score = 1.0;
            if p.foreign[i] {
                score *= s.foreign_weight;
            }
            if p.camp[i] {
                score *= s.camp_weight;
            }
            if p.conflict[i] > 0.0 {
                score *= s
                    .conflict_weight
                    .powf(s.decay(t - p.time_of_conflict[i]) * p.conflict[i]);
            }
            p.score[i] = score;
            if p.capacity_per_day[i] > 0 {
                p.capacity[i] += p.capacity_per_day[i];
            }
        }
        let mut base = Vec::with_capacity(self.net.candidates.len());
        for c in &self.net.candidates {
            let d = (s.softening + c.distance).powf(s.distance_power);
            let w = (s.weight_softening + p.score[c.end as usize]) / d;
            base.push(if s.weight_power == 1.0 {
                w
            } else {
                w.powf(s.weight_power)
            });
        }
        self.cand_base = base;
        if let Some(sg) = self.siege.take() {
            sg.adjust_weights(self);
            self.siege = Some(sg);
        }
        // Locations whose candidates all lead to places without capacity limits
        // choose from fixed weights all day: cache their totals.
        let n = self.places.capacity.len();
        self.cand_total.clear();
        self.cand_live.clear();
        for l in 0..n as u32 {
            let range = self.net.candidates_of(l);
            let live = range
                .clone()
                .any(|i| self.places.capacity[self.net.candidates[i].end as usize] > 0);
            let mut total = 0.0;
            for i in range {
                total += self.cand_base[i];
            }
            self.cand_total.push(total);
            self.cand_live
                .push(live || self.settings.pruning_threshold > 1.001);
        }
        // Flee refreshes spawn weights at the start of evolve, with today's time.
        self.refresh_spawn_weights(t);
    }

    /// Flee's capacity factor of a location (docs/flee-model.md 4.6.3), from live counts.
    #[inline]
    fn cap_factor(&self, loc: u32) -> f64 {
        let l = loc as usize;
        let cap = self.places.capacity[l] as f64 * self.settings.capacity_scaling;
        if cap < 1.0 {
            return 1.0;
        }
        let n = self.places.agents[l] as f64;
        let buf = self.settings.capacity_buffer;
        if n <= buf * cap {
            1.0
        } else if n >= cap {
            0.0
        } else {
            1.0 - (n - buf * cap) / (cap * (1.0 - buf))
        }
    }

    // ----- stage 5: choose ---------------------------------------------------

    /// Move chance of a resting agent at `loc` (docs/flee-model.md 4.5.1).
    #[inline]
    fn move_chance(&self, a: usize, loc: u32, has_route: bool, force_town: bool) -> f64 {
        let l = loc as usize;
        // People still inside a held place leave only by attempting.
        if let Some(rate) = self.siege.as_ref().and_then(|s| s.hold_rate(a, loc)) {
            return rate;
        }
        if force_town && self.places.town[l] {
            return 1.0;
        }
        if has_route {
            return 1.0;
        }
        let s = &self.settings;
        let mut p = self.places.movechance[l];
        if s.movechance_pop_scale_factor != 0.0 {
            let size = self.places.pop[l].max(self.places.capacity[l]) as f64;
            p *= (size / s.movechance_pop_base).powf(s.movechance_pop_scale_factor);
        }
        p
    }

    /// Pass 1 (docs/flee-model.md 4.4 step 4): every resting agent draws its move test.
    /// The scan is parallel; movers act serially in creation order.
    pub fn stage_choose(&mut self, t: i64, obs: &mut impl Observer) {
        self.choose_pass(t, obs, None)
    }

    fn choose_pass(&mut self, t: i64, obs: &mut impl Observer, ex: Option<&mut dyn Exchange>) {
        let key = self.day_key;
        let part = self.part;
        // A divided run scans everything it stores; a replicated one its own blocks.
        let owner = if part.is_some() {
            Owner::ALL
        } else {
            Owner::of(&ex)
        };
        let this = &*self;
        // Route choices that depend on no live count are made in the scan too
        // (single process without siege hooks); NO_CHOICE leaves it to the serial pass.
        let choose_early = ex.is_none() && self.siege.is_none();
        let movers: Vec<(u32, u32)> = self
            .agents
            .loc
            .par_chunks(CHUNK)
            .enumerate()
            .flat_map_iter(|(c, locs)| {
                let base = c * CHUNK;
                let mut out = Vec::new();
                for range in owner.ranges(base, locs.len()) {
                    for j in range {
                        let loc = locs[j];
                        if loc & ON_LINK != 0 {
                            continue; // travelling (or inactive)
                        }
                        let a = base + j;
                        let has_route = this.agents.route[a] != 0;
                        let p = this.move_chance(a, loc, has_route, false);
                        let g = part.map_or(a, |p| p.global(a));
                        if uniform(key, g as u64, Purpose::Move, 0) < p {
                            let early = choose_early
                                && !has_route
                                && !this.cand_live[loc as usize]
                                && !this.net.candidates_of(loc).is_empty();
                            let choice = if early {
                                this.pick_fixed(a, loc, Draws::PASS1.routes)
                            } else {
                                NO_CHOICE
                            };
                            out.push((a as u32, choice));
                        }
                    }
                }
                out.into_iter()
            })
            .collect();
        let movers: Vec<(u32, u32)> = match ex {
            None => movers,
            Some(e) if part.is_some() => {
                self.serial_divided(e, &movers, |sim, a, _| {
                    let mut draws = Draws::PASS1;
                    sim.act_on_move(a, t, &mut draws, obs);
                });
                return;
            }
            Some(e) => {
                // Each process's list is in creation order; so is their merge.
                let ids: Vec<u32> = movers.iter().map(|m| m.0).collect();
                let mut all = e.all_gather(&ids);
                all.sort_unstable();
                all.into_iter().map(|a| (a, NO_CHOICE)).collect()
            }
        };
        for (a, choice) in movers {
            let mut draws = Draws::PASS1;
            if choice != NO_CHOICE {
                self.agents.route[a as usize] = choice;
                self.agents.route_pos[a as usize] = 0;
                draws.routes += 1;
            }
            self.act_on_move(a as usize, t, &mut draws, obs);
        }
    }

    /// The part of `Person.evolve` after the move test passed: choose a route if
    /// none, then step onto its first link. Returns whether the agent departed.
    fn act_on_move(
        &mut self,
        a: usize,
        t: i64,
        draws: &mut Draws,
        obs: &mut impl Observer,
    ) -> bool {
        let loc = self.agents.loc[a];
        if self.agents.route[a] == 0 {
            let path = self.select_route(a, loc, draws);
            self.agents.route[a] = path;
            self.agents.route_pos[a] = 0;
        }
        if self.agents.route[a] == 0 {
            return false;
        }
        let Some(link) = self.take_next_step(a, loc) else {
            return false;
        };
        if let Some(mut s) = self.siege.take() {
            let blocked = s.on_departure(self, a, loc, link, t, obs);
            self.siege = Some(s);
            if blocked {
                return false;
            }
        }
        self.places.agents[loc as usize] -= 1;
        self.agents.loc[a] = ON_LINK | link;
        self.agents.progress[a] = 0.0;
        self.stats.departures += 1;
        obs.event(
            t,
            &Event::Departed {
                agent: self.gid(a),
                link,
            },
        );
        true
    }

    /// Route choice at a location whose candidate weights are fixed for the day
    /// (no endpoint with a capacity): a pure function of (day, agent, draw), so
    /// the parallel scan can make it ahead of the serial pass.
    fn pick_fixed(&self, a: usize, loc: u32, k: u32) -> u32 {
        let range = self.net.candidates_of(loc);
        let total = self.cand_total[loc as usize];
        let u = uniform(self.day_key, self.gid(a), Purpose::Route, k);
        let pick = weighted_pick(
            u,
            total,
            range.len(),
            self.cand_base[range.clone()].iter().copied(),
        );
        self.net.candidates[range.start + pick].path
    }

    /// Weighted choice among the location's candidates (docs/flee-model.md 4.6).
    fn select_route(&self, a: usize, loc: u32, draws: &mut Draws) -> u32 {
        let range = self.net.candidates_of(loc);
        if range.is_empty() {
            return 0;
        }
        if !self.cand_live[loc as usize] {
            let path = self.pick_fixed(a, loc, draws.routes);
            draws.routes += 1;
            return path;
        }
        let wp = self.settings.weight_power;
        let mut weights: smallvec_lite::Buf = smallvec_lite::Buf::new();
        let mut total = 0.0;
        for i in range.clone() {
            let c = &self.net.candidates[i];
            let mut w = self.cand_base[i];
            if self.places.capacity[c.end as usize] > 0 {
                let f = self.cap_factor(c.end);
                w *= if wp == 1.0 { f } else { f.powf(wp) };
            }
            weights.push(w);
            total += w;
        }
        let pt = self.settings.pruning_threshold;
        if pt > 1.001 {
            let max = weights.iter().cloned().fold(0.0, f64::max);
            total = 0.0;
            for w in weights.iter_mut() {
                if *w < max / pt {
                    *w = 0.0;
                }
                total += *w;
            }
        }
        let u = uniform(self.day_key, self.gid(a), Purpose::Route, draws.routes);
        draws.routes += 1;
        let pick = weighted_pick(u, total, weights.len(), weights.iter().copied());
        self.net.candidates[range.start + pick].path
    }

    /// Flee's `takeNextStep` (docs/flee-model.md 4.5): the link to the next waypoint, unless
    /// the final waypoint is a nearly full camp.
    fn take_next_step(&mut self, a: usize, loc: u32) -> Option<u32> {
        let path = self.agents.route[a];
        let pos = self.agents.route_pos[a] as usize;
        let waypoints = self.net.paths.get(path);
        let next = waypoints[pos];
        let last = *waypoints.last().expect("interned routes are non-empty");
        let found = self
            .net
            .active_links(loc)
            .find(|&l| self.net.links[l as usize].to == next);
        match found {
            Some(link) => {
                if self.places.camp[last as usize] && self.cap_factor(last) < 0.5 {
                    self.agents.route[a] = 0;
                    return None;
                }
                if pos + 1 >= waypoints.len() {
                    self.agents.route[a] = 0;
                    self.agents.route_pos[a] = 0;
                } else {
                    self.agents.route_pos[a] = (pos + 1) as u8;
                }
                Some(link)
            }
            None => {
                self.agents.route[a] = 0;
                None
            }
        }
    }

    // ----- stage 6: travel ---------------------------------------------------

    #[inline]
    fn leg_speed(&self, a: usize, link: u32, draws: &mut Draws) -> f64 {
        let speed = leg_speed(
            &self.net.links[link as usize],
            &self.settings,
            self.agents.flags[a],
            self.day_key,
            self.gid(a),
            draws.walks,
        );
        draws.walks += 1;
        speed
    }

    /// Pass 2 (docs/flee-model.md 4.4 step 5, 4.7): travellers advance; those who reach the
    /// end of their link are handled serially, in creation order.
    pub fn stage_travel(&mut self, t: i64, obs: &mut impl Observer) {
        self.travel_pass(t, obs, None)
    }

    fn travel_pass(&mut self, t: i64, obs: &mut impl Observer, ex: Option<&mut dyn Exchange>) {
        let part = self.part;
        let owner = if part.is_some() {
            Owner::ALL
        } else {
            Owner::of(&ex)
        };
        let vmax = self.settings.max_move_speed;
        let (key, links, settings) = (self.day_key, &self.net.links, &self.settings);
        let (locs, flags) = (&self.agents.loc, &self.agents.flags);
        // Parallel scan, in place: advance everyone by one leg; collect arrivals.
        let arrivals: Vec<(u32, f32)> = self
            .agents
            .progress
            .par_chunks_mut(CHUNK)
            .zip(self.agents.recent.par_chunks_mut(CHUNK))
            .enumerate()
            .flat_map_iter(|(c, (progress, recent))| {
                let base = c * CHUNK;
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
                        let speed = leg_speed(link, settings, flags[a], key, g, 0);
                        let p = progress[j] as f64 + speed;
                        progress[j] = p as f32;
                        if p > link.distance {
                            // `recent` is updated when the arrival has been handled.
                            arrivals.push((a as u32, speed as f32));
                        } else {
                            recent[j] = ((r + speed / vmax) / 2.0) as f32;
                        }
                    }
                }
                arrivals.into_iter()
            })
            .collect();
        let arrivals = match ex {
            None => arrivals,
            Some(e) if part.is_some() => {
                let local: Vec<(u32, u32)> =
                    arrivals.iter().map(|&(a, v)| (a, v.to_bits())).collect();
                drop(arrivals);
                self.serial_divided(e, &local, |sim, a, speed| {
                    sim.finish_arrival(a, f32::from_bits(speed) as f64, t, obs);
                });
                return;
            }
            Some(e) => {
                // Arrivals travel with the state the serial pass reads: the
                // first leg's speed, the new progress and the recent distance.
                let mut words = Vec::with_capacity(arrivals.len() * 4);
                for &(a, speed) in &arrivals {
                    let i = a as usize;
                    words.extend([
                        a,
                        speed.to_bits(),
                        self.agents.progress[i].to_bits(),
                        self.agents.recent[i].to_bits(),
                    ]);
                }
                let all = e.all_gather(&words);
                let mut merged = Vec::with_capacity(all.len() / 4);
                for w in all.chunks_exact(4) {
                    let i = w[0] as usize;
                    self.agents.progress[i] = f32::from_bits(w[2]);
                    self.agents.recent[i] = f32::from_bits(w[3]);
                    merged.push((w[0], f32::from_bits(w[1])));
                }
                merged.sort_unstable_by_key(|&(a, _)| a);
                merged
            }
        };
        for (a, speed) in arrivals {
            self.finish_arrival(a as usize, speed as f64, t, obs);
        }
    }

    /// Continues `finish_travel` for an agent whose leg ended today: arrive, maybe
    /// decide again and start another leg, until the day's budget is spent.
    fn finish_arrival(&mut self, a: usize, first_speed: f64, t: i64, obs: &mut impl Observer) {
        let s = &self.settings;
        let vmax = s.max_move_speed;
        let full_budget = s.compat.multihop_full_budget;
        let avoid_short = s.avoid_short_stints;
        let recent = self.agents.recent[a] as f64;
        let mut draws = Draws::ARRIVAL;
        let mut speed = first_speed;
        let mut day_km = first_speed;
        let mut progress = self.agents.progress[a] as f64;
        // Share of the day spent travelling (used when `multihop_full_budget` is off).
        let mut day_used = 0.0f64;
        let mut leg = first_speed;
        loop {
            let link_id = self.agents.loc[a] & !ON_LINK;
            let link = &self.net.links[link_id as usize];
            let (from, to, dist, closed) = (link.from, link.to, link.distance, link.closed);
            if progress <= dist {
                self.agents.progress[a] = progress as f32;
                break;
            }
            self.agents.flags[a] |= 1;
            // Only the km needed to reach the end count (and take time) today.
            day_used += (leg - (progress - dist)) / speed;
            day_km += dist - progress;
            self.agents.progress[a] = 0.0;
            if closed {
                self.agents.loc[a] = from;
                self.places.agents[from as usize] += 1;
                obs.event(
                    t,
                    &Event::Bounced {
                        agent: self.gid(a),
                        location: from,
                    },
                );
                break;
            }
            let more = if full_budget {
                day_km < speed
            } else {
                day_used < 1.0 - 1e-9
            };
            self.agents.loc[a] = to;
            self.places.agents[to as usize] += 1;
            self.stats.arrivals += 1;
            obs.event(
                t,
                &Event::Arrived {
                    agent: self.gid(a),
                    location: to,
                },
            );
            if let Some(mut sg) = self.siege.take() {
                let held = sg.on_arrival(self, a, to, t, obs);
                self.siege = Some(sg);
                if held {
                    break;
                }
            }
            if !more {
                break;
            }
            let force = avoid_short && (recent + day_km / vmax) / 2.0 < 0.5;
            let p = self.move_chance(a, to, self.agents.route[a] != 0, force);
            let u = uniform(self.day_key, self.gid(a), Purpose::Move, draws.moves);
            draws.moves += 1;
            if u >= p || !self.act_on_move(a, t, &mut draws, obs) {
                break;
            }
            let link_id = self.agents.loc[a] & !ON_LINK;
            speed = self.leg_speed(a, link_id, &mut draws);
            leg = if full_budget {
                speed
            } else {
                // A new leg gets only the rest of the day, at this link's speed.
                ((1.0 - day_used) * speed).max(0.0)
            };
            progress = leg;
            day_km += leg;
        }
        self.agents.recent[a] = ((recent + day_km / vmax) / 2.0) as f32;
    }

    // ----- stage 7: record ---------------------------------------------------

    /// The output row for day `t` (docs/flee-model.md section 5).
    pub fn stage_record(&mut self, t: i64) -> DayRecord {
        // Siege scenarios count people (agents are households); Flee ones count agents.
        let camp_sim = self
            .out_camps
            .iter()
            .map(|&c| {
                self.siege
                    .as_ref()
                    .and_then(|s| s.camp_people(c))
                    .unwrap_or(self.places.agents[c as usize])
            })
            .collect();
        let camp_data = self
            .out_labels
            .iter()
            .map(|&l| {
                if l == usize::MAX {
                    0
                } else {
                    self.data.field(l, t)
                }
            })
            .collect();
        let idp_total = self.settings.idp_totals.then(|| {
            (0..self.places.idpcamp.len())
                .filter(|&i| self.places.idpcamp[i])
                .map(|i| self.places.agents[i])
                .sum()
        });
        let plus = i64::from(self.settings.compat.date_plus_one);
        DayRecord {
            day: t,
            date_epoch_day: self.scenario.start_epoch_day + t + plus,
            camp_sim,
            camp_data,
            raw: self.ledger.raw,
            debt: self.ledger.debt,
            total_agents: self.total_agents() as i64,
            idp_total,
        }
    }

    /// Agents currently at each location (not on links).
    pub fn location_counts(&self) -> &[i64] {
        &self.places.agents
    }

    /// Agents currently on links (of those stored here, in a divided run).
    pub fn travelling(&self) -> usize {
        self.agents
            .loc
            .iter()
            .filter(|&&l| l != INACTIVE && l & ON_LINK != 0)
            .count()
    }

    /// Fates, casualties and observed-vs-simulated numbers of a siege scenario.
    pub fn siege_report(&self) -> Option<siege::SiegeReport> {
        self.siege.as_ref().map(|s| s.report(self))
    }

    pub fn network(&self) -> &Network {
        &self.net
    }

    pub fn scenario(&self) -> &Scenario {
        self.scenario
    }

    pub fn day(&self) -> i64 {
        self.day
    }
}

/// Offsets of the records of `all` (`width` words each, keyed by their first
/// word) in key order. `all` is the concatenation of every process's list,
/// each already in key order, so a k-way merge of its increasing runs does
/// it without sorting.
fn merged_order(all: &[u32], width: usize) -> Vec<u32> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = all.len() / width;
    // Start and end (in records) of each maximal increasing run.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for i in 0..n {
        if i == 0 || all[i * width] <= all[(i - 1) * width] {
            runs.push((i, i));
        }
        runs.last_mut().expect("a run").1 = i + 1;
    }
    let mut heap: BinaryHeap<Reverse<(u32, usize)>> = runs
        .iter()
        .enumerate()
        .map(|(r, &(start, _))| Reverse((all[start * width], r)))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((_, r))) = heap.pop() {
        let (i, end) = runs[r];
        order.push((i * width) as u32);
        if i + 1 < end {
            runs[r].0 = i + 1;
            heap.push(Reverse((all[(i + 1) * width], r)));
        }
    }
    order
}

/// A small inline buffer for candidate weights (most locations have few neighbours).
mod smallvec_lite {
    pub struct Buf {
        inline: [f64; 16],
        len: usize,
        heap: Vec<f64>,
    }
    impl Buf {
        #[inline]
        pub fn new() -> Self {
            Buf {
                inline: [0.0; 16],
                len: 0,
                heap: Vec::new(),
            }
        }
        #[inline]
        pub fn push(&mut self, w: f64) {
            if self.len < 16 {
                self.inline[self.len] = w;
            } else {
                if self.len == 16 {
                    self.heap.extend_from_slice(&self.inline);
                }
                self.heap.push(w);
            }
            self.len += 1;
        }
        #[inline]
        pub fn len(&self) -> usize {
            self.len
        }
        #[inline]
        pub fn iter(&self) -> std::slice::Iter<'_, f64> {
            if self.len <= 16 {
                self.inline[..self.len].iter()
            } else {
                self.heap.iter()
            }
        }
        #[inline]
        pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, f64> {
            if self.len <= 16 {
                self.inline[..self.len].iter_mut()
            } else {
                self.heap.iter_mut()
            }
        }
    }
}

/// Index chosen by `u` ∈ [0, 1) among `n` weights summing to `total`, as
/// Python's `random.choices` does (first cumulative weight above `u·total`);
/// uniform when every weight is 0 (docs/flee-model.md 4.6.2).
#[inline]
fn weighted_pick(u: f64, total: f64, n: usize, weights: impl Iterator<Item = f64>) -> usize {
    if total > 0.0 {
        let target = u * total;
        let mut acc = 0.0;
        for (k, w) in weights.enumerate() {
            acc += w;
            if target < acc {
                return k;
            }
        }
        n - 1
    } else {
        ((u * n as f64) as usize).min(n - 1)
    }
}

/// Today's speed on a link (docs/flee-model.md 4.7): the link's own speed or the global
/// one, walking speed on a first leg with `start_on_foot`, and walking speed
/// with the link's `walk_probability` (Flee always draws that number).
#[inline]
fn leg_speed(link: &network::Link, s: &Settings, flags: u8, day_key: u64, g: u64, k: u32) -> f64 {
    let mut speed = link.speed.unwrap_or(s.max_move_speed);
    if s.start_on_foot && flags & 1 == 0 {
        speed = s.max_walk_speed;
    }
    if uniform(day_key, g, Purpose::Walk, k) < link.walk_probability {
        speed = s.max_walk_speed;
    }
    speed
}

/// Convenience: run a scenario to completion.
pub fn run(scenario: &Scenario, opts: &RunOptions) -> Result<(RunOutput, RunStats), EngineError> {
    let mut sim = Simulation::new(scenario, opts)?;
    while sim.step(&mut NoObserver)?.is_some() {}
    let stats = sim.stats.clone();
    Ok((sim.output, stats))
}

#[cfg(test)]
mod partition_tests {
    use super::*;

    #[test]
    fn merged_order_merges_the_processes_runs() {
        // Three processes' lists (keys 5 9 | 1 7 | 2), two words per record.
        let all = [5, 0, 9, 0, 1, 0, 7, 0, 2, 0];
        assert_eq!(merged_order(&all, 2), vec![4, 8, 0, 6, 2]);
        assert!(merged_order(&[], 3).is_empty());
    }

    #[test]
    fn partition_slots_and_global_indices_agree() {
        let p = Partition {
            rank: 1,
            size: 3,
            block: 4,
        };
        let owned: Vec<usize> = (0..40).filter(|&g| p.owns(g)).collect();
        assert_eq!(&owned[..6], &[4, 5, 6, 7, 16, 17]);
        for (slot, &g) in owned.iter().enumerate() {
            assert_eq!(p.slot(g), slot);
            assert_eq!(p.global(slot), g);
        }
    }
}
