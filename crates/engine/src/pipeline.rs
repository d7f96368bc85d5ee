//! [`Simulation`] and the day as an explicit list of named [`Stage`]s. The
//! stages call the rules (`rules`) on the [`World`], the executor
//! (`exec`) runs the agent passes, and installed mechanisms
//! ([`Mechanism`]) are called at their hooks.

use crate::events::{NoObserver, Observer};
use crate::exec::{Exchange, Partition};
use crate::hooks::{Mechanism, Report};
use crate::network::Network;
use crate::rules::{self, record::OutputCamps};
use crate::world::World;
use crate::{rng, siege, EngineError, RunOptions, RunStats};
use corridor_model::{DayRecord, PreparedData, RunOutput, Scenario, Settings, SpawnLedger};

mod passes;
mod spawn;

/// The context of one simulated day, passed to every stage and hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    /// Day number, from 0.
    pub t: i64,
    /// Key of the day's random numbers ([`rng::day_key`] of the run's seed).
    pub key: u64,
}

impl Day {
    /// Day `t` of a run with `seed`.
    pub fn new(seed: u64, t: i64) -> Day {
        Day {
            t,
            key: rng::day_key(seed, t),
        }
    }
}

/// The stages of a day, in Flee's order (docs/flee-model.md 4.2); the crate
/// documentation describes each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// 1. Conflict onsets and ends.
    Conflicts = 1,
    /// 2. Data-driven spawning.
    Spawn,
    /// 3. Border, location and camp closures.
    Closures,
    /// 4. Mechanisms' scheduled changes ([`Mechanism::day_start`]).
    Interventions,
    /// 5. Scores, capacities and route weights.
    Scores,
    /// 6. Move tests and departures.
    Choose,
    /// 7. Travel and arrivals.
    Travel,
    /// 8. Mechanisms' end of day ([`Mechanism::day_end`]).
    DayEnd,
    /// 9. The day's output row.
    Record,
}

impl Stage {
    /// Every stage, in the order a day runs them.
    pub const DAY: [Stage; 9] = [
        Stage::Conflicts,
        Stage::Spawn,
        Stage::Closures,
        Stage::Interventions,
        Stage::Scores,
        Stage::Choose,
        Stage::Travel,
        Stage::DayEnd,
        Stage::Record,
    ];
}

/// A simulation in progress.
pub struct Simulation<'s> {
    world: World<'s>,
    mechanisms: Vec<Box<dyn Mechanism>>,
    data: PreparedData,
    ledger: SpawnLedger,
    spawn_weights: Vec<f64>,
    /// The speculated move-test pass's lists, kept from day to day.
    mover_lists: crate::exec::own_scan::MoverLists,
    camps: OutputCamps,
    /// Location ids whose day-0 population feeds the capacity reduction, with amounts.
    day0_pop: Vec<(u32, i64)>,
    seed: u64,
    days: u32,
    day: i64,
    /// Counters of the work done.
    pub stats: RunStats,
    output: RunOutput,
}

impl<'s> Simulation<'s> {
    /// Prepares a run: applies `hasten`, builds the network, inserts day-0 camp agents.
    pub fn new(scenario: &'s Scenario, opts: &RunOptions) -> Result<Self, EngineError> {
        Self::with_partition(scenario, opts, None, true)
    }

    /// Whether `scenario` can start a run (settings, rule inputs, conflict
    /// rows, day-0 agents within the agent limit), without creating an agent.
    pub fn check(scenario: &'s Scenario, opts: &RunOptions) -> Result<(), EngineError> {
        Self::with_partition(scenario, opts, None, false).map(drop)
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
        Self::with_partition(scenario, opts, part, true)
    }

    fn with_partition(
        scenario: &'s Scenario,
        opts: &RunOptions,
        part: Option<Partition>,
        create_agents: bool,
    ) -> Result<Self, EngineError> {
        let settings = scenario.settings.for_run();
        settings.validate().map_err(EngineError::Settings)?;
        spawn::check_rule_inputs(scenario, &settings, opts.days.unwrap_or(scenario.days))?;
        if part.is_some() && rules::harvest::Harvest::new(&settings).is_some() {
            return Err(EngineError::Settings(
                "harvest_months cannot be divided over processes; run on one process (corridor run)".into(),
            ));
        }
        let attributes =
            !scenario.demographics.is_empty() || !scenario.initial_agents.columns.is_empty();
        if part.is_some() && attributes {
            return Err(EngineError::Settings(
                "agents with demographic attributes cannot be divided over processes; run on one process (corridor run)".into(),
            ));
        }
        let days = opts.days.unwrap_or(scenario.days);
        // The day-0 offsets of empty_camps_on_day0 are taken by the data-driven
        // spawner, so with conflict-driven spawning the data stay unshifted
        // (docs/flee-model.md 13.2).
        let data_driven = settings.conflict_driven_spawning.is_none() && !settings.flood_mode();
        let data = scenario.validation.prepare(
            settings.hasten as f64,
            settings.empty_camps_on_day0 && data_driven,
        )?;
        let world = World::new(scenario, settings, part);
        // Siege scenarios need no camp series: their observations are separate.
        let camps = OutputCamps::new(&world, &data, scenario.siege.is_some())?;
        let day0_pop = data
            .labels
            .iter()
            .enumerate()
            .filter_map(|(li, label)| Some((scenario.location_id(label)?, data.field(li, 0))))
            .collect();
        for (_, vals) in &scenario.conflicts.columns {
            if vals.len() < days as usize {
                return Err(EngineError::ConflictsTooShort {
                    rows: vals.len(),
                    days,
                });
            }
        }
        let mut sim = Simulation {
            spawn_weights: vec![0.0; world.locations()],
            mover_lists: Default::default(),
            world,
            mechanisms: Vec::new(),
            data,
            ledger: SpawnLedger::default(),
            camps,
            day0_pop,
            seed: opts.seed,
            days,
            day: 0,
            stats: RunStats::default(),
            output: RunOutput::default(),
        };
        sim.output.camps = sim
            .camps
            .ids
            .iter()
            .map(|&c| scenario.locations[c as usize].name.clone())
            .collect();
        sim.refresh_spawn_weights(0);
        sim.check_initial_agents()?;
        if !create_agents {
            return Ok(sim);
        }
        // agents.csv is loaded before the validation data: its agents come first.
        rules::initial_agents::insert(&mut sim.world);
        sim.insert_day0();
        if let Some(model) = &scenario.siege {
            let siege = siege::SiegeState::new(model, &sim.world, opts.seed)?;
            sim.install(Box::new(siege));
        }
        Ok(sim)
    }

    /// Refuses a day-0 population (camp data, initial IDPs, a siege's
    /// people) above [`corridor_model::limits::max_agents`] before any
    /// memory is taken for it.
    fn check_initial_agents(&self) -> Result<(), EngineError> {
        let mut total = self.world.scenario.initial_agents.agents.len() as u64;
        if !self.world.settings.empty_camps_on_day0 {
            for k in 0..self.camps.ids.len() {
                let c = self.camps.ids[k];
                let mut count = 0i64;
                if self.world.settings.insert_day0 && self.camps.labels[k] != usize::MAX {
                    count = count.saturating_add(self.data.field(self.camps.labels[k], 0));
                }
                count =
                    count.saturating_add(self.world.scenario.locations[c as usize].initial_idps);
                total = total.saturating_add(count.max(0) as u64);
            }
        }
        if let Some(model) = &self.world.scenario.siege {
            let ppa = model.people_per_agent.clamp(1, 255) as u64;
            for p in &model.populations {
                total = total.saturating_add((p.people.max(0) as u64).div_ceil(ppa));
            }
        }
        let limit = corridor_model::limits::max_agents();
        if total > limit {
            return Err(EngineError::TooManyAgents {
                day: 0,
                new: total,
                total,
                limit,
            });
        }
        Ok(())
    }

    /// Day-0 insertion (docs/flee-model.md 4.1 step 12): agents placed directly in camps.
    fn insert_day0(&mut self) {
        if self.world.settings.empty_camps_on_day0 {
            return;
        }
        // Agents of agents.csv, already here, draw no demographics.
        let first = self.world.agents.len();
        for k in 0..self.camps.ids.len() {
            let c = self.camps.ids[k];
            let mut count = 0;
            if self.world.settings.insert_day0 && self.camps.labels[k] != usize::MAX {
                count += self.data.field(self.camps.labels[k], 0);
            }
            count += self.world.scenario.locations[c as usize].initial_idps;
            for _ in 0..count.max(0) {
                self.world.create_agent(c);
            }
        }
        let (n, key) = (self.world.agents.len(), self.today().key);
        rules::demographics::assign(&mut self.world, first..n, key);
    }

    /// Installs a mechanism before the first day and runs its setup.
    pub fn install(&mut self, mut mechanism: Box<dyn Mechanism>) {
        mechanism.setup(&mut self.world);
        self.world.refresh_candidates(true);
        self.mechanisms.push(mechanism);
    }

    /// The run's state.
    pub fn world(&self) -> &World<'s> {
        &self.world
    }

    /// The context of the next day to simulate.
    pub fn today(&self) -> Day {
        Day::new(self.seed, self.day)
    }

    /// Agents of the whole run (on every process of a divided run).
    pub fn total_agents(&self) -> usize {
        self.world.total_agents()
    }

    /// Agents whose state this process stores (all of them unless divided).
    pub fn stored_agents(&self) -> usize {
        self.world.stored_agents()
    }

    /// Number of days this run simulates.
    pub fn days(&self) -> u32 {
        self.days
    }

    /// The run's settings.
    pub fn settings(&self) -> &Settings {
        &self.world.settings
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

    /// The output, once the run is over.
    pub(crate) fn into_output(self) -> (RunOutput, RunStats) {
        (self.output, self.stats)
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
        let day = self.today();
        for stage in Stage::DAY {
            match stage {
                Stage::Conflicts => self.stage_conflicts(day, obs),
                Stage::Spawn => {
                    self.stage_spawn(day, obs)?;
                }
                Stage::Closures => self.stage_closures(day, obs),
                Stage::Interventions => self.stage_interventions(day, obs),
                Stage::Scores => self.stage_scores(day)?,
                Stage::Choose => self.choose_pass(day, obs, reborrow(&mut ex)),
                Stage::Travel => self.travel_pass(day, obs, reborrow(&mut ex)),
                Stage::DayEnd => self.stage_day_end(day, obs),
                Stage::Record => {
                    self.stats.agent_days += self.total_agents() as u64;
                    self.stats.agents = self.total_agents() as u64;
                    let rec = self.stage_record(day);
                    obs.day_end(&rec);
                    self.output.days.push(rec);
                }
            }
        }
        self.day += 1;
        Ok(self.output.days.last())
    }
}

/// The exchange for one pass (a shorter borrow of the day's).
fn reborrow<'a>(ex: &'a mut Option<&mut dyn Exchange>) -> Option<&'a mut dyn Exchange> {
    ex.as_mut().map(|e| &mut **e as &mut dyn Exchange)
}

/// The stages. Each works when called alone: the day comes as an argument.
impl<'s> Simulation<'s> {
    /// Stage 1: location type changes, then conflict onsets and ends for the
    /// day (docs/flee-model.md 14.2, 2.4).
    pub fn stage_conflicts(&mut self, day: Day, obs: &mut impl Observer) {
        // Flee updates the IPC levels at step A, before the conflicts.
        rules::food::update(&mut self.world.places, self.world.scenario, day.t);
        let changes = &self.world.scenario.conflicts.type_changes;
        if !changes.is_empty() {
            rules::location_changes::apply_day(&mut self.world, changes, day.t, obs);
        }
        let w = &mut self.world;
        rules::flood::update(&mut w.places, w.scenario, &w.settings, day.t);
        let columns = &self.world.scenario.conflicts.columns;
        let changed = rules::conflicts::apply_day(&mut self.world, columns, day.t, obs);
        if changed || !self.world.settings.compat.spawn_decay_lag {
            self.refresh_spawn_weights(day.t);
        }
    }

    fn refresh_spawn_weights(&mut self, time: i64) {
        let w = &self.world;
        rules::spawning::refresh_weights(&w.places, &w.settings, time, &mut self.spawn_weights);
    }

    /// Stage 2: creates the day's new agents in conflict zones
    /// (docs/flee-model.md 4.2 B). Returns how many. Call once per day, in
    /// order: the spawn ledger carries over.
    pub fn stage_spawn(&mut self, day: Day, obs: &mut impl Observer) -> Result<i64, EngineError> {
        if let Some(counts) = self.zone_spawn_counts(day) {
            return self.spawn_counts(day, counts, obs);
        }
        let t = day.t;
        let settings = &self.world.settings;
        let today = self.ledger.day(&self.data, t, settings);
        if settings.insert_day0 && t == 0 && settings.compat.day0_capacity_double_count {
            let capacity = &mut self.world.places.capacity;
            for &(loc, v) in &self.day0_pop {
                if capacity[loc as usize] > 0 {
                    capacity[loc as usize] -= v;
                }
            }
        }
        let new = today.new_agents;
        if new > 0 {
            self.spawn_at_weights(day, new as u64, obs)?;
        }
        // Step C: weights refreshed after spawning, with today's time.
        self.refresh_spawn_weights(t);
        Ok(new)
    }

    fn spawn_at_weights(
        &mut self,
        day: Day,
        n: u64,
        obs: &mut impl Observer,
    ) -> Result<(), EngineError> {
        let base = self.total_agents() as u64;
        let limit = corridor_model::limits::max_agents();
        if base.saturating_add(n) > limit {
            return Err(EngineError::TooManyAgents {
                day: day.t,
                new: n,
                total: base.saturating_add(n),
                limit,
            });
        }
        let locs = rules::spawning::locations(day.key, base, n, &self.spawn_weights).ok_or(
            EngineError::NoSpawnWeight {
                day: day.t,
                new: n as i64,
            },
        )?;
        self.create_spawned(day, &locs, obs);
        Ok(())
    }

    /// Stage 3: applies `closures.csv` rows that start or end on the day
    /// (docs/flee-model.md 2.3).
    pub fn stage_closures(&mut self, day: Day, obs: &mut impl Observer) {
        rules::closures::apply_day(&mut self.world, day.t, obs);
        self.world.refresh_candidates(false);
    }

    /// Stage 4: the mechanisms' scheduled changes for the day.
    pub fn stage_interventions(&mut self, day: Day, obs: &mut impl Observer) {
        for m in &mut self.mechanisms {
            m.day_start(&mut self.world, day, obs);
        }
        self.world.refresh_candidates(false);
    }

    /// Stage 5: recomputes location scores, grows capacities and caches
    /// candidate weights without the capacity factor, which mechanisms may
    /// adjust (docs/flee-model.md 4.4 step 2, 4.5.2). Fails when a major
    /// route of `fixed_routes` cannot be walked (Flee ends the run).
    pub fn stage_scores(&mut self, day: Day) -> Result<(), EngineError> {
        rules::scores::refresh(&mut self.world, day.t)?;
        let w = &mut self.world;
        for m in &self.mechanisms {
            m.adjust_route_weights(&w.net, &mut w.weights.base.per_candidate);
        }
        rules::scores::cache_totals(w);
        rules::demographics::refresh_class_weights(w);
        // Flee's evolve step 3 (Match* counts), then harvest's early returns of step 4.
        rules::matching::refresh(w);
        rules::harvest::start_of_day(w, w.scenario.start_epoch_day, day);
        // Flee refreshes spawn weights at the start of evolve, with today's time.
        self.refresh_spawn_weights(day.t);
        Ok(())
    }

    /// Stage 6 (docs/flee-model.md 4.4 step 4): every resting agent draws its
    /// move test; the scan is parallel, movers act serially in creation order.
    pub fn stage_choose(&mut self, day: Day, obs: &mut impl Observer) {
        self.choose_pass(day, obs, None)
    }

    /// Stage 7 (docs/flee-model.md 4.4 step 5, 4.7): travellers advance;
    /// those who reach the end of their link are handled serially, in
    /// creation order.
    pub fn stage_travel(&mut self, day: Day, obs: &mut impl Observer) {
        self.travel_pass(day, obs, None)
    }

    /// Stage 8: the mechanisms' end of day (siege: releases, relocations,
    /// the day's fates).
    pub fn stage_day_end(&mut self, day: Day, obs: &mut impl Observer) {
        for m in &mut self.mechanisms {
            m.day_end(&mut self.world, day, obs);
        }
        rules::harvest::flush(&mut self.world);
        rules::sinks::deactivate(&mut self.world, day);
    }

    /// Stage 9: the output row for the day (docs/flee-model.md section 5).
    pub fn stage_record(&self, day: Day) -> DayRecord {
        rules::record::day_record(
            &self.world,
            &self.mechanisms,
            &self.camps,
            &self.data,
            &self.ledger,
            day.t,
        )
    }

    /// Agents currently at each location (not on links).
    pub fn location_counts(&self) -> &[i64] {
        self.world.counts()
    }

    /// Agents currently on links (of those stored here, in a divided run).
    pub fn travelling(&self) -> usize {
        let agents = &self.world.agents;
        (0..agents.len())
            .filter(|&a| agents.is_travelling(a))
            .count()
    }

    /// Fates, casualties and observed-vs-simulated numbers of a siege scenario.
    pub fn siege_report(&self) -> Option<siege::SiegeReport> {
        self.mechanisms
            .iter()
            .find_map(|m| match m.report(&self.world)? {
                Report::Siege(r) => Some(r),
            })
    }

    /// The route network.
    pub fn network(&self) -> &Network {
        &self.world.net
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        self.world.scenario
    }

    /// The next day to simulate (the number of days done).
    pub fn day(&self) -> i64 {
        self.day
    }
}
