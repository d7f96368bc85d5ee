//! The data of a run, apart from the rules that change it: the agents
//! ([`Agents`], a struct of arrays), the locations (per-location arrays), the
//! route [`Network`] and the day's route weights. Rules and mechanisms
//! ([`crate::Mechanism`]) read and change it through the methods of
//! [`World`], which keep the location counts consistent with the agents.

mod agents;
mod column;
mod places;

pub use agents::Agents;
pub(crate) use agents::{INACTIVE, ON_LINK};
pub(crate) use column::Column;
pub(crate) use places::Places;

use crate::exec::Partition;
use crate::network::{Link, Network};
use corridor_model::{Scenario, Settings};

/// Route-choice weights of every candidate (see [`Network::candidates`]),
/// refreshed daily by the scores stage.
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteWeights {
    /// Per candidate: its weight without the capacity factor.
    pub base: WeightSet,
    /// Per location: whether a weight depends on live camp occupancy (then it
    /// is recomputed per choice); otherwise the location picks from fixed weights.
    pub live: Vec<bool>,
    /// `base` as agents of the squared and the one hazard classes see it
    /// (empty unless a demographic rule is on).
    pub by_class: [WeightSet; 2],
    /// `base` per value of the agents' flood awareness, while the flood
    /// forecaster acts (see `rules::flood_forecast`).
    pub by_awareness: Vec<WeightSet>,
}

/// One table of route weights: per candidate, and summed per location.
#[derive(Debug, Clone, Default)]
pub(crate) struct WeightSet {
    /// Per candidate: its weight.
    pub per_candidate: Vec<f64>,
    /// Per candidate: the sum of its location's weights up to and including
    /// its own, added from 0.0 in candidate order (a fixed pick reads these
    /// instead of adding the weights up on every choice); a location's last
    /// one is its total.
    running: Vec<f64>,
    /// Whether no weight is below 0 or NaN, so the running sums never fall.
    rising: bool,
}

/// A [`WeightSet`] as a route choice reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WeightTable<'w> {
    pub per_candidate: &'w [f64],
    pub running: &'w [f64],
    /// See [`WeightSet`]'s field of that name.
    pub rising: bool,
}

impl WeightSet {
    /// Sums `per_candidate` over each location's candidates in `net`; call
    /// after every change to the weights.
    pub fn sum(&mut self, net: &Network) {
        let locations = net.cand_start.len().saturating_sub(1);
        self.running.clear();
        for l in 0..locations as u32 {
            let mut acc = 0.0;
            for i in net.candidates_of(l) {
                acc += self.per_candidate[i];
                self.running.push(acc);
            }
        }
        self.rising = self.per_candidate.iter().all(|&w| w >= 0.0);
    }

    #[inline]
    pub fn view(&self) -> WeightTable<'_> {
        WeightTable {
            per_candidate: &self.per_candidate,
            running: &self.running,
            rising: self.rising,
        }
    }
}

impl WeightTable<'_> {
    /// The sum of the weights of the candidates `range` (a location's, from
    /// [`Network::candidates_of`]); 0 for none.
    #[inline]
    pub fn total_over(&self, range: std::ops::Range<usize>) -> f64 {
        if range.is_empty() {
            0.0
        } else {
            self.running[range.end - 1]
        }
    }
}

/// Which agents this process stores: all of them, or (in a run divided over
/// processes) its own blocks, plus for one serial pass the visitors.
#[derive(Debug, Clone, Default)]
pub(crate) struct Storage {
    /// The blocks stored here; `None` when every agent is (slot = global index).
    pub part: Option<Partition>,
    /// Agents of the whole run (all processes), counted when divided.
    pub n_global: usize,
    /// Global indices of the visitors: other processes' movers or arrivals,
    /// copied in for one serial pass at slots `agents.len() - visitors.len()..`.
    pub visitors: Vec<u32>,
}

/// The state of a run: scenario, settings, locations, agents and network.
pub struct World<'s> {
    pub(crate) scenario: &'s Scenario,
    pub(crate) settings: Settings,
    pub(crate) net: Network,
    pub(crate) places: Places,
    pub(crate) agents: Agents,
    pub(crate) weights: RouteWeights,
    pub(crate) storage: Storage,
    /// Demographic tables, when agents carry attributes.
    pub(crate) demography: Option<crate::rules::demographics::Demography>,
    /// The `Match*` rules' daily counts, when one of them is on.
    pub(crate) matching: Option<crate::rules::matching::Matching>,
    /// The harvest months, when `harvest_months` is set.
    pub(crate) harvest: Option<crate::rules::harvest::Harvest>,
    /// Each location's deactivation probability, with `camps_are_sicks`.
    pub(crate) sinks: Option<Vec<f64>>,
    /// What `fixed_routes` keeps from day to day.
    pub(crate) route_tables: crate::rules::fixed_routes::RouteTables,
    /// Set when links were opened or closed; the pipeline then rebuilds the
    /// route candidates once.
    topology_changed: bool,
}

impl<'s> World<'s> {
    /// The world at the start of a run, before any agent exists.
    pub(crate) fn new(scenario: &'s Scenario, settings: Settings, part: Option<Partition>) -> Self {
        let mut places = Places::new(scenario, &settings);
        crate::rules::food::update(&mut places, scenario, 0);
        let mut net = Network::build(places.len(), &scenario.routes);
        net.rebuild_candidates(settings.awareness_level, &places.marker);
        let demography = crate::rules::demographics::Demography::new(scenario, &settings);
        let mut agents = Agents::default();
        if let Some(d) = &demography {
            agents.attr_count = d.count();
            agents.with_class = settings.WomenAvoidHazards
                || settings.ChildrenAvoidHazards
                || settings.ElderlyAvoidHazards
                || settings.BoysTakeRisk;
        }
        let matching = crate::rules::matching::Matching::new(scenario, &settings);
        let harvest = crate::rules::harvest::Harvest::new(&settings);
        agents.with_home = harvest.is_some();
        let sinks = crate::rules::sinks::probabilities(scenario, &settings);
        World {
            scenario,
            settings,
            net,
            places,
            demography,
            matching,
            harvest,
            sinks,
            route_tables: Default::default(),
            agents,
            weights: RouteWeights::default(),
            storage: Storage {
                part,
                ..Storage::default()
            },
            topology_changed: false,
        }
    }

    /// A copy of everything but the agents, acting on `agents` (a view of
    /// this world's, lent by [`Agents::lend`]): where a work item of a parallel
    /// pass acts. Its location counts are its own.
    pub(crate) fn scratch_over(&self, agents: Agents) -> World<'s> {
        debug_assert!(self.storage.part.is_none() && self.storage.visitors.is_empty());
        World {
            scenario: self.scenario,
            settings: self.settings.clone(),
            net: self.net.clone(),
            places: self.places.clone(),
            agents,
            weights: self.weights.clone(),
            // Agents with demographic attributes never act in a scratch world
            // (`Simulation::act_in_order`).
            demography: None,
            // Agents under these rules act in order too; camps as sinks act at day end.
            matching: None,
            harvest: None,
            sinks: None,
            route_tables: Default::default(),
            storage: Storage::default(),
            topology_changed: false,
        }
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &'s Scenario {
        self.scenario
    }

    /// The run's settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The route network.
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// The agents stored here.
    pub fn agents(&self) -> &Agents {
        &self.agents
    }

    /// Agent `a`'s attribute `k` (the order of [`World::attribute_names`])
    /// as Flee logs it: drawn numbers as floats (`40.0`), labels and the
    /// strings of `agents.csv` as written; `None` when it has none.
    pub fn attribute_text(&self, a: usize, k: usize) -> Option<String> {
        let v = self.agents.attribute(a, k)?;
        crate::rules::demographics::value_text(self, k, v)
    }

    /// The names of the agents' attributes, in the order of
    /// [`World::attribute_text`]: the demographic tables', then the other
    /// columns of `agents.csv` (empty when agents carry none).
    pub fn attribute_names(&self) -> &[String] {
        self.demography.as_ref().map_or(&[], |d| d.names())
    }

    /// Number of locations.
    pub fn locations(&self) -> usize {
        self.places.len()
    }

    /// Agents resting at each location (not on its links), live.
    pub fn counts(&self) -> &[i64] {
        &self.places.agents
    }

    /// Capacity of location `l` in agents (≤ 0: unlimited).
    pub fn capacity(&self, l: u32) -> i64 {
        self.places.capacity[l as usize]
    }

    /// Sets the capacity of location `l`, in agents.
    pub fn set_capacity(&mut self, l: u32, agents: i64) {
        self.places.capacity[l as usize] = agents;
    }

    /// Whether location `l` is a camp today.
    pub fn is_camp(&self, l: u32) -> bool {
        self.places.camp[l as usize]
    }

    /// Agents of the whole run (on every process of a divided run).
    pub fn total_agents(&self) -> usize {
        match self.storage.part {
            None => self.agents.len(),
            Some(_) => self.storage.n_global,
        }
    }

    /// Agents whose state this process stores (all of them unless divided).
    pub fn stored_agents(&self) -> usize {
        self.agents.len() - self.storage.visitors.len()
    }

    /// The global index of the agent in slot `a` (the index that keys its
    /// random numbers and names it in events).
    #[inline]
    pub(crate) fn gid(&self, a: usize) -> u64 {
        match self.storage.part {
            None => a as u64,
            Some(p) => {
                let owned = self.stored_agents();
                if a < owned {
                    p.global(a) as u64
                } else {
                    u64::from(self.storage.visitors[a - owned])
                }
            }
        }
    }

    /// Creates the next agent of the run resting at `loc` (stored only if
    /// owned here) and counts it there.
    pub(crate) fn create_agent(&mut self, loc: u32) {
        let g = self.storage.n_global;
        self.storage.n_global += 1;
        if self.storage.part.is_none_or(|p| p.owns(g)) {
            self.agents.push(loc);
        }
        self.places.agents[loc as usize] += 1;
    }

    /// Adds `n` agents resting at `loc` (every process stores them; used by
    /// mechanisms in runs that are not divided). Returns the first new slot.
    pub fn add_agents(&mut self, loc: u32, n: usize) -> usize {
        let first = self.agents.len();
        self.agents.reserve(n);
        for _ in 0..n {
            self.agents.push(loc);
        }
        self.places.agents[loc as usize] += n as i64;
        first
    }

    /// Adds an agent that does not take part yet (see [`World::place_agent`]),
    /// with the travel history of agent `like`. Returns its slot.
    pub fn add_inactive_agent_like(&mut self, like: usize) -> usize {
        let b = self.agents.len();
        self.agents.push(INACTIVE);
        self.agents.flags[b] = self.agents.flags[like];
        b
    }

    /// Takes agent `a` out of the run (dead or held): it leaves its
    /// location's count and forgets its route.
    pub fn remove_agent(&mut self, a: usize) {
        let loc = self.agents.loc[a];
        if loc & ON_LINK == 0 {
            self.places.agents[loc as usize] -= 1;
        }
        self.agents.loc[a] = INACTIVE;
        self.agents.route[a] = 0;
    }

    /// Puts agent `a`, which does not take part, back into the run at `at`.
    pub fn place_agent(&mut self, a: usize, at: u32) {
        debug_assert_eq!(self.agents.loc[a], INACTIVE);
        self.agents.loc[a] = at;
        self.places.agents[at as usize] += 1;
    }

    /// Moves agent `a`, resting at a location, directly to `to` (organised
    /// transport: no link, no travel time); it forgets its route.
    pub fn move_agent(&mut self, a: usize, to: u32) {
        let from = self.agents.loc[a];
        debug_assert_eq!(from & ON_LINK, 0, "agent {a} is not resting");
        self.places.agents[from as usize] -= 1;
        self.places.agents[to as usize] += 1;
        self.agents.loc[a] = to;
        self.agents.route[a] = 0;
        self.agents.route_pos[a] = 0;
    }

    /// Gives agent `a` the route through `waypoints` (from its next step on).
    pub fn set_route(&mut self, a: usize, waypoints: &[u32]) {
        self.agents.route[a] = self.net.paths.intern(waypoints);
        self.agents.route_pos[a] = 0;
    }

    /// The waypoints agent `a` has still to pass, in order (empty without a route).
    pub fn remaining_route(&self, a: usize) -> Vec<u32> {
        match self.agents.route[a] {
            0 => Vec::new(),
            r => self.net.paths.get(r)[self.agents.route_pos[a] as usize..].to_vec(),
        }
    }

    /// Gives agent `a`, resting at a location, a route chosen by Flee's
    /// weights among that location's candidates whose first step is not
    /// `avoid` (draw `k` of [`crate::rng::Purpose::Route`] on the day of
    /// `day_key`). Returns false, leaving it without a route, when no
    /// candidate remains.
    pub fn choose_route_avoiding(&mut self, a: usize, day_key: u64, k: u32, avoid: u32) -> bool {
        let Some(loc) = self.agents.location(a) else {
            return false;
        };
        let path =
            crate::rules::route_choice::select_route_avoiding(self, day_key, a, loc, k, avoid);
        self.agents.route[a] = path;
        self.agents.route_pos[a] = 0;
        path != 0
    }

    /// Closes the links that satisfy `pred` (travellers on them go back when
    /// `bounce`); returns how many. Route candidates are rebuilt before the
    /// next choice.
    pub fn close_links_where(&mut self, bounce: bool, pred: impl FnMut(&Link) -> bool) -> usize {
        self.topology_changed = true;
        self.net.close_where(bounce, pred)
    }

    /// Reopens the links that satisfy `pred`; returns how many.
    pub fn open_links_where(&mut self, pred: impl FnMut(&Link) -> bool) -> usize {
        self.topology_changed = true;
        self.net.open_where(pred)
    }

    /// Rebuilds the route candidates if links were opened or closed since the
    /// last rebuild (or always, with `force`).
    pub(crate) fn refresh_candidates(&mut self, force: bool) {
        if force || self.topology_changed {
            self.net
                .rebuild_candidates(self.settings.awareness_level, &self.places.marker);
            self.topology_changed = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testkit;

    #[test]
    fn agent_changes_keep_location_counts() {
        let mut w = testkit::world(testkit::line());
        let first = w.add_agents(0, 3);
        assert_eq!((first, w.counts()), (0, &[3, 0, 0][..]));
        w.move_agent(0, 2);
        w.remove_agent(1);
        assert_eq!(w.counts(), &[1, 0, 1]);
        assert_eq!(w.agents().location(1), None);
        let b = w.add_inactive_agent_like(2);
        assert_eq!(w.counts(), &[1, 0, 1]);
        w.place_agent(b, 1);
        assert_eq!(w.counts(), &[1, 1, 1]);
        assert_eq!(w.total_agents(), 4);
        // Closing links marks the candidates for a rebuild.
        assert_eq!(w.close_links_where(false, |l| l.to == 2), 1);
        w.refresh_candidates(false);
        assert!(w.net.candidates.iter().all(|c| c.end != 2));
    }
}
