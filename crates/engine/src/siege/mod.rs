//! Siege mechanics (corridor's extension of Flee; the model is described in
//! `corridor_model::siege`), plugged into the daily pipeline as a
//! [`Mechanism`]:
//!
//! * setup: initial populations as households, held places blockaded;
//! * interventions (stage 4, after closures): apply the day's scheduled
//!   changes, keep held places blockaded and their move chance at the attempt
//!   rate;
//! * departure (when an agent steps onto a link): exit fire and turn-backs;
//!   households stepping onto a river crossing join its queue (`crossing`),
//!   and nobody steps back towards the danger they fled;
//! * arrival and departure: screening separates men and boys into the
//!   site's backlog (`screening`);
//! * end of day (stage 8): the river crossings take their queues across;
//!   people in custody may die there, the backlogs are processed at each
//!   site's capacity and held people are freed (`release`); organised
//!   transport carries households to camps (`transport`: scheduled lines and
//!   the overflow of camps); the day's fates are tallied. Every person is in
//!   exactly one fate each day;
//! * shelter, the end of a hold and first arrivals: see `shelter`.
//!
//! Agents are households of up to `people_per_agent` people; the
//! per-household arrays here run parallel to the engine's agents.

mod crossing;
mod departure;
mod interventions;
mod release;
mod report;
mod returns;
mod screening;
mod screening_report;
mod shelter;
mod tally;
mod transport;

pub use report::{
    interval_text as report_interval_text, thousands, Comparison, FateDay, SiegeReport,
};

use crate::events::{Cause, Event, Observer};
use crate::hooks::{Mechanism, Report};
use crate::network::Network;
use crate::pipeline::Day;
use crate::rng::{uniform, Purpose};
use crate::world::World;
use crate::EngineError;
use corridor_model::siege::SiegeModel;
use std::collections::HashMap;

const LEFT: u8 = 1;
const FAMILY: u8 = 2;
const DETAINED: u8 = 4;
const DEAD: u8 = 8;
const NEVER_RELEASED: u8 = 16;
/// Has crossed a river (never steps onto a near bank again).
const CROSSED: u8 = 32;
/// Waiting in a crossing's queue (out of the engine's agents).
const QUEUED: u8 = 64;
/// With DETAINED: separated, waiting in a site's backlog to be processed.
const PENDING: u8 = 128;
/// Hazard draw sub-streams (the kind part of the counter key's `k`).
const K_TURNED_BACK: u32 = 0;
const K_SHOT: u32 = 1;
const K_DROWN: u32 = 2;
const K_SCREEN: u32 = 3;
const K_CUSTODY: u32 = 4;
const K_SHOT_WAITING: u32 = 5;
const K_SHOT_CROSSING: u32 = 6;
const K_GIVE_UP: u32 = 7;
const K_RETURN: u32 = 8;

/// The `k` of a hazard draw: its kind, the link or place where it happens and
/// the person in the household, so that no number is reused by one agent on
/// one day even when it meets several hazards.
#[inline]
fn hazard_k(kind: u32, place: u32, person: u32) -> u32 {
    (kind << 28) | ((place & 0xf_ffff) << 8) | (person & 0xff)
}

/// Run-time state of the siege extension.
pub struct SiegeState {
    model: SiegeModel,
    ppa: u32,
    seed: u64,
    /// Per location: attempt rate while held.
    held: Vec<Option<f64>>,
    exit_index: HashMap<(u32, u32), usize>,
    screening_at: Vec<Option<usize>>,
    // Per-agent arrays, parallel to the engine's.
    people: Vec<u8>,
    men: Vec<u8>,
    flags: Vec<u8>,
    hold_until: Vec<i32>,
    held_at: Vec<u32>,
    detained_list: Vec<u32>,
    dead: [i64; 5],
    attempts: i64,
    turned_back: i64,
    relocated: i64,
    report: SiegeReport,
    camps: Vec<u32>,
    /// Per location: shelter in people (`None` = not known).
    shelter: Vec<Option<i64>>,
    /// Per location: set when its hold has ended, to what its residents do.
    after_hold: Vec<Option<corridor_model::siege::Residents>>,
    /// Per location: its slot in `camps`, or `usize::MAX`.
    camp_slot: Vec<usize>,
    /// Per location: host families (`siege.camps[].hosts`), counted `with_hosts`.
    host: Vec<bool>,
    /// Per camp slot: the day of the first arrival from the run.
    first_arrival: Vec<Option<i64>>,
    /// Agents placed before the siege's setup (day-0 occupants).
    day0_agents: usize,
    /// Arrivals tracking (observations): per agent, 1 + the camp slot it last
    /// arrived in (0 = none yet); cumulative people per camp and into any camp.
    arrived_slot: Vec<u16>,
    arrivals: Vec<i64>,
    arrivals_camps: i64,
    /// Per screening: the separated groups waiting to be processed, FIFO.
    backlog: Vec<std::collections::VecDeque<u32>>,
    /// Cumulative screening counts (people).
    screen: screening::ScreeningCounts,
    /// Cumulative people carried by organised transport (both triggers).
    bused: i64,
    /// River crossings: queues and counters.
    cross: crossing::Crossings,
    /// Origins and returns home (`returns`).
    ret: returns::Returns,
}

impl SiegeState {
    /// The siege of `model` over `world` (after its day-0 agents are placed)
    /// in a run with `seed`; checks the model.
    pub fn new(model: &SiegeModel, world: &World, seed: u64) -> Result<Self, EngineError> {
        let sc = world.scenario();
        let n = world.locations();
        let ppa = model.people_per_agent.clamp(1, 255);
        if !(0.0..=1.0).contains(&model.screened_share) {
            return Err(EngineError::Siege(format!(
                "screened_share must lie in [0, 1], got {}",
                model.screened_share
            )));
        }
        let mut held = vec![None; n];
        for h in &model.holds {
            held[h.location as usize] = Some(h.attempt_rate);
        }
        let mut screening_at = vec![None; n];
        for (i, s) in model.screenings.iter().enumerate() {
            if s.hold_min_days > s.hold_max_days {
                return Err(EngineError::Siege(format!(
                    "screening at '{}': hold_min_days {} exceeds hold_max_days {}",
                    sc.locations[s.location as usize].name, s.hold_min_days, s.hold_max_days
                )));
            }
            screening_at[s.location as usize] = Some(i);
        }
        transport::check(model, sc)?;
        let exit_index = model
            .exits
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.from, e.to), i))
            .collect();
        // Crossings are checked by the reader (a route joins their banks, a
        // `set_crossing` names one in its direction), at their own line.
        let mut host = vec![false; n];
        for c in model.camps.iter().filter(|c| c.hosts) {
            host[c.location as usize] = true;
        }
        let camps: Vec<u32> = (0..n as u32)
            .filter(|&l| world.is_camp(l) && !host[l as usize])
            .collect();
        let mut camp_slot = vec![usize::MAX; n];
        for (i, &c) in camps.iter().enumerate() {
            camp_slot[c as usize] = i;
        }
        for c in &model.camps {
            if !world.is_camp(c.location) {
                return Err(EngineError::Siege(format!(
                    "siege.camps: '{}' is not a camp\n  hint: give it location_type camp in locations.csv",
                    sc.locations[c.location as usize].name
                )));
            }
        }
        let mut state = SiegeState {
            ppa,
            seed,
            held,
            exit_index,
            screening_at,
            people: Vec::new(),
            men: Vec::new(),
            flags: Vec::new(),
            hold_until: Vec::new(),
            held_at: Vec::new(),
            detained_list: Vec::new(),
            dead: [0; 5],
            attempts: 0,
            turned_back: 0,
            relocated: 0,
            report: SiegeReport {
                people_per_agent: ppa,
                returns: !model.returns.is_empty()
                    || model.interventions.iter().any(|i| {
                        matches!(i.action, corridor_model::siege::Action::SetReturn { .. })
                    }),
                camps: camps
                    .iter()
                    .map(|&c| sc.locations[c as usize].name.clone())
                    .collect(),
                screening_sites: model
                    .screenings
                    .iter()
                    .map(|s| sc.locations[s.location as usize].name.clone())
                    .collect(),
                ..SiegeReport::default()
            },
            first_arrival: vec![None; camps.len()],
            arrivals: vec![0; camps.len()],
            camps,
            shelter: vec![None; n],
            after_hold: vec![None; n],
            camp_slot,
            host,
            day0_agents: world.agents().len(),
            backlog: vec![Default::default(); model.screenings.len()],
            screen: screening::ScreeningCounts::new(model.screenings.len()),
            bused: 0,
            cross: crossing::Crossings::new(model, n),
            ret: returns::Returns::new(&model.returns, &model.departures, n),
            model: model.clone(),
            arrived_slot: Vec::new(),
            arrivals_camps: 0,
        };
        state.extend_households(world, 0, None);
        Ok(state)
    }

    /// Gives agents from `first` on their household composition. With
    /// `people`, the households share that many people; otherwise each has `ppa`.
    fn extend_households(&mut self, world: &World, first: usize, people: Option<i64>) {
        let n = world.agents().len();
        let key = crate::rng::day_key(self.seed, -1);
        let mut remaining = people.unwrap_or(i64::MAX);
        for a in first..n {
            let size = (self.ppa as i64).min(remaining).max(1) as u8;
            remaining -= size as i64;
            let mut men = 0u8;
            for i in 0..size as u32 {
                if uniform(key, a as u64, Purpose::Demography, i) < self.model.screened_share {
                    men += 1;
                }
            }
            self.people.push(size);
            self.men.push(men);
            self.flags.push(FAMILY);
            self.hold_until.push(0);
            self.held_at.push(0);
            self.ret.push(world.agents().location(a));
        }
    }

    /// Places the initial populations and blockades held places.
    fn populate(&mut self, world: &mut World) {
        for p in self.model.populations.clone() {
            let households = (p.people + self.ppa as i64 - 1) / self.ppa as i64;
            let first = world.add_agents(p.location, households.max(0) as usize);
            self.extend_households(world, first, Some(p.people));
            self.report.people += p.people;
        }
        // Camp capacities are given in people; the engine counts agents.
        if self.ppa > 1 {
            for l in 0..world.locations() as u32 {
                let capacity = world.capacity(l);
                if capacity > 0 {
                    world.set_capacity(l, (capacity / self.ppa as i64).max(1));
                }
            }
        }
        self.apply_camps(world);
        // Everyone placed so far is a day-0 occupant (not a camp arrival).
        self.day0_agents = world.agents().len();
        for l in 0..self.held.len() {
            if self.held[l].is_some() {
                self.blockade(world, l as u32);
            }
        }
        self.enforce_one_way(world);
    }

    /// Closes every link into or out of a held place except its open exits.
    fn blockade(&self, world: &mut World, loc: u32) {
        let exits: Vec<(u32, u32)> = self
            .model
            .exits
            .iter()
            .filter(|e| e.open)
            .map(|e| (e.from, e.to))
            .collect();
        world.close_links_where(false, |l| {
            (l.from == loc || l.to == loc) && !exits.contains(&(l.from, l.to))
        });
        world.open_links_where(|l| exits.contains(&(l.from, l.to)) && l.from == loc);
    }

    /// Takes `deaths` people of household `a`, men and others in proportion.
    fn kill(&mut self, a: usize, deaths: u8, cause: Cause, t: i64, obs: &mut dyn Observer) {
        if deaths == 0 {
            return;
        }
        // Deaths fall on men and on others in proportion, person by person.
        let men_dead = ((deaths as u32 * self.men[a] as u32) / self.people[a].max(1) as u32) as u8;
        self.men[a] -= men_dead.min(self.men[a]);
        self.people[a] -= deaths;
        self.dead[cause as usize] += deaths as i64;
        obs.event(
            t,
            &Event::Died {
                agent: a as u64,
                cause,
                people: deaths as u32,
            },
        );
    }

    /// Takes household `a`, all dead, out of the run.
    fn remove(&mut self, world: &mut World, a: usize) {
        world.remove_agent(a);
        self.flags[a] |= DEAD;
    }

    /// How many people of household `a` die of a hazard of probability `p`,
    /// person by person.
    fn binomial_deaths(&self, key: u64, a: usize, kind: u32, place: u32, p: f64) -> u8 {
        if p <= 0.0 {
            return 0;
        }
        (0..self.people[a] as u32)
            .filter(|&i| uniform(key, a as u64, Purpose::Hazard, hazard_k(kind, place, i)) < p)
            .count() as u8
    }
}

impl Mechanism for SiegeState {
    fn setup(&mut self, world: &mut World) {
        self.populate(world);
    }

    fn day_start(&mut self, world: &mut World, day: Day, obs: &mut dyn Observer) {
        self.interventions(world, day.t, obs);
    }

    fn spawned(&mut self, world: &mut World, first: usize) {
        self.extend_households(world, first, None);
    }

    /// Scales route-choice weights of candidates leaving held places by the
    /// weight of the exit they start with.
    fn adjust_route_weights(&self, net: &Network, weights: &mut [f64]) {
        for (l, h) in self.held.iter().enumerate() {
            if h.is_none() {
                continue;
            }
            for c in net.candidates_of(l as u32) {
                let first = net.paths.get(net.candidates[c].path)[0];
                if let Some(&i) = self.exit_index.get(&(l as u32, first)) {
                    weights[c] *= self.model.exits[i].weight;
                }
            }
        }
    }

    /// The daily attempt rate for an agent that has never left the held place
    /// it is in; 0 for one that stays home after the hold ended.
    #[inline]
    fn move_chance(&self, a: usize, loc: u32) -> Option<f64> {
        if self.ret.is_home(a) {
            return Some(0.0);
        }
        let Some(rate) = self.held[loc as usize] else {
            return self.stayed_move_chance(a, loc);
        };
        (self.flags.get(a).is_some_and(|f| f & LEFT == 0)).then_some(rate)
    }

    fn departure(
        &mut self,
        world: &mut World,
        day: Day,
        a: usize,
        from: u32,
        link: u32,
        obs: &mut dyn Observer,
    ) -> bool {
        self.on_departure(world, day, a, from, link, obs)
    }

    fn arrival(
        &mut self,
        world: &mut World,
        day: Day,
        a: usize,
        at: u32,
        obs: &mut dyn Observer,
    ) -> bool {
        self.note_arrival(a, at, day.t);
        self.on_arrival(world, day, a, at, obs)
    }

    fn day_end(&mut self, world: &mut World, day: Day, obs: &mut dyn Observer) {
        self.serve_crossings(world, day, obs);
        self.release(world, day, obs);
        self.run_transport(world, day, obs);
        self.relocate(world, day, obs);
        self.run_returns(world, day);
        self.tally(world, day.t);
    }

    fn camp_people(&self, loc: u32) -> Option<i64> {
        self.people_in_camp(loc)
    }

    fn report(&self, world: &World) -> Option<Report> {
        Some(Report::Siege(self.build_report(world)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::NoObserver;
    use crate::rules::testkit;
    use corridor_model::siege::{Hold, Population, Residents};

    #[test]
    fn setup_places_households_and_blockades_the_held_place() {
        let mut w = testkit::world(testkit::line());
        let model = SiegeModel {
            people_per_agent: 6,
            screened_share: 0.5,
            populations: vec![Population {
                location: 0,
                people: 13,
            }],
            holds: vec![Hold {
                location: 0,
                attempt_rate: 0.1,
                until_day: None,
                residents: Residents::Stay,
            }],
            ..SiegeModel::default()
        };
        let mut s = SiegeState::new(&model, &w, 1).unwrap();
        s.setup(&mut w);
        assert_eq!(s.people, vec![6, 6, 1]);
        assert_eq!(w.counts()[0], 3);
        // Camp capacity in households: 10 people / 6, at least 1.
        assert_eq!(w.capacity(2), 1);
        // No open exit: the held place has no way out.
        assert_eq!(w.network().active_links(0).count(), 0);
        assert_eq!(s.move_chance(0, 0), Some(0.1));
        assert_eq!(s.move_chance(0, 1), None);
        // Deaths fall on men and others in proportion.
        s.men[0] = 3;
        s.kill(0, 2, Cause::Shot, 0, &mut NoObserver);
        assert_eq!((s.people[0], s.men[0]), (4, 2));
        assert_eq!(s.dead[Cause::Shot as usize], 2);
    }
}
