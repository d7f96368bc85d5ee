//! Per-location state that changes during a run (struct of arrays).

use corridor_model::{LocationKind, Scenario, Settings};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when a rule reads a live count that depends on the order of an agent
/// pass (the occupancy of a location with a capacity): the parallel pass
/// ([`crate::exec::speculate`]) re-runs such agents in creation order.
#[derive(Debug, Default)]
pub(crate) struct LiveReads(AtomicBool);

impl LiveReads {
    /// Notes a read of a live count.
    #[inline]
    pub fn note(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    /// Whether a read was noted since the last [`LiveReads::take`]; clears it.
    #[inline]
    pub fn take(&self) -> bool {
        // A load first: most actions read nothing live, and a swap is a
        // locked instruction on every one of them.
        self.0.load(Ordering::Relaxed) && self.0.swap(false, Ordering::Relaxed)
    }
}

impl Clone for LiveReads {
    fn clone(&self) -> Self {
        LiveReads(AtomicBool::new(self.0.load(Ordering::Relaxed)))
    }
}

/// Per-location state that changes during a run (struct of arrays).
#[derive(Debug, Clone)]
pub(crate) struct Places {
    pub camp: Vec<bool>,
    pub idpcamp: Vec<bool>,
    pub town: Vec<bool>,
    pub marker: Vec<bool>,
    pub foreign: Vec<bool>,
    pub movechance: Vec<f64>,
    pub conflict: Vec<f64>,
    pub time_of_conflict: Vec<i64>,
    pub pop: Vec<i64>,
    pub capacity: Vec<i64>,
    pub capacity_per_day: Vec<i64>,
    pub score: Vec<f64>,
    /// Agents at the location (not on its links), live.
    pub agents: Vec<i64>,
    /// `trade_volume + hdi²` with `use_economic_pull` (0 otherwise or when absent).
    pub economic_pull: Vec<f64>,
    /// Food deprivation, % (empty without an IPC table; see `rules::food`).
    pub ipc: Vec<f64>,
    /// DFlee flood zones (location type `flood_zone`), scored by their flood level.
    pub flood_zone: Vec<bool>,
    /// Today's flood level, `int()` of `flood_level.csv` (empty outside flood mode; see `rules::flood`).
    pub flood_level: Vec<i64>,
    /// The flood forecaster's factors of the day (inactive outside it; see `rules::flood_forecast`).
    pub forecast: crate::rules::flood_forecast::Forecast,
    /// Reads of `agents` at locations with a capacity, noted for the parallel pass.
    pub live_reads: LiveReads,
    /// Per location, during a parallel pass: whether the order of the pass
    /// can change what a read of its count gives (see [`Places::order_matters`]).
    pub ordered: Vec<bool>,
    /// During an agent pass with `capacity_count_block` above 1: the counts
    /// as the candidate's block began, which its capacity factors read.
    pub pass_counts: Option<Vec<i64>>,
}

impl Places {
    /// The locations of `scenario` at the start of a run (docs/flee-model.md 1.1),
    /// populations and capacities divided by `hasten`.
    pub fn new(scenario: &Scenario, s: &Settings) -> Places {
        let n = scenario.locations.len();
        let hasten = s.hasten;
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
            economic_pull: vec![0.0; n],
            ipc: Vec::new(),
            flood_zone: vec![false; n],
            flood_level: Vec::new(),
            forecast: crate::rules::flood_forecast::Forecast::new(scenario, s),
            live_reads: LiveReads::default(),
            ordered: vec![false; n],
            pass_counts: None,
        };
        for (i, l) in scenario.locations.iter().enumerate() {
            places.foreign[i] = l.is_foreign(home);
            if s.use_economic_pull {
                let pull = crate::rules::destination_rules::economic_pull(l);
                places.economic_pull[i] = pull.unwrap_or(0.0);
            }
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
                    places.flood_zone[i] = true;
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
        places
    }

    /// Number of locations.
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    /// The count a capacity factor reads at location `l`: the live count,
    /// or the count as the pass began ([`Places::pass_counts`]).
    #[inline]
    pub fn count_for_capacity(&self, l: u32) -> i64 {
        match &self.pass_counts {
            Some(c) => c[l as usize],
            None => self.agents[l as usize],
        }
    }

    /// Whether the order of the parallel agent pass under way matters for
    /// location `l`'s count ([`crate::exec::speculate`] sets it per pass).
    #[inline]
    pub fn order_matters(&self, l: u32) -> bool {
        self.ordered[l as usize]
    }
}
