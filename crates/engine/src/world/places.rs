//! Per-location state that changes during a run (struct of arrays).

use corridor_model::{LocationKind, Scenario, Settings};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// The reads of live counts that depend on the order of an agent pass (the
/// occupancy of a location with a capacity), as (location, count) in the
/// order they were made: the parallel pass ([`crate::exec::speculate`])
/// checks them against the counts of the one-by-one pass, or re-runs the
/// agent in creation order. Only the first [`READ_LOG`] reads of an action
/// are kept; an action that made more is re-run.
#[derive(Debug, Default)]
pub(crate) struct LiveReads {
    /// Reads noted since the last take (also those beyond the log).
    len: AtomicUsize,
    /// `location << 32 | count`, or [`UNKEPT`] for a count outside `u32`.
    log: [AtomicU64; READ_LOG],
}

/// Reads of live counts kept per action ([`LiveReads`]).
pub(crate) const READ_LOG: usize = 8;

/// A logged read whose count does not fit the log's word.
const UNKEPT: u64 = u64::MAX;

impl LiveReads {
    /// Notes a read of location `l`'s live count `count`. The log is only
    /// ever written by the thread acting on its world (a scratch world has
    /// one work item at a time), so plain loads and stores suffice.
    #[inline]
    pub fn note(&self, l: u32, count: i64) {
        let i = self.len.load(Ordering::Relaxed);
        if let Some(slot) = self.log.get(i) {
            let word = u32::try_from(count).map_or(UNKEPT, |c| u64::from(l) << 32 | u64::from(c));
            slot.store(word, Ordering::Relaxed);
        }
        self.len.store(i + 1, Ordering::Relaxed);
    }

    /// Whether a read was noted since the last take; clears the log.
    #[inline]
    pub fn take(&self) -> bool {
        let any = self.len.load(Ordering::Relaxed) > 0;
        if any {
            self.len.store(0, Ordering::Relaxed);
        }
        any
    }

    /// Moves the reads noted since the last take to `out`; `None` (and
    /// nothing moved) when any was not kept. Clears the log either way.
    #[inline]
    pub fn take_into(&self, out: &mut Vec<(u32, i64)>) -> Option<usize> {
        let n = self.len.load(Ordering::Relaxed);
        if n == 0 {
            return Some(0);
        }
        self.len.store(0, Ordering::Relaxed);
        let kept = self.log.get(..n)?;
        let word = |w: &AtomicU64| w.load(Ordering::Relaxed);
        if kept.iter().any(|w| word(w) == UNKEPT) {
            return None;
        }
        out.extend(
            kept.iter()
                .map(|w| ((word(w) >> 32) as u32, i64::from(word(w) as u32))),
        );
        Some(n)
    }
}

impl Clone for LiveReads {
    fn clone(&self) -> Self {
        let copy = LiveReads::default();
        copy.len
            .store(self.len.load(Ordering::Relaxed), Ordering::Relaxed);
        for (to, from) in copy.log.iter().zip(&self.log) {
            to.store(from.load(Ordering::Relaxed), Ordering::Relaxed);
        }
        copy
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
    /// Today's move chances of agents without a route, as thresholds on the
    /// move draw's grid, when every agent's chance is its place's alone
    /// (empty otherwise; see `rules::move_chance::refresh_plain`).
    pub plain_move: Vec<u64>,
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
            plain_move: Vec::new(),
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

    /// Today's move thresholds of the places when every agent's chance is
    /// its place's alone ([`Places::plain_move`]); `None` on other days.
    #[inline]
    pub(crate) fn plain_thresholds(&self) -> Option<&[u64]> {
        (!self.plain_move.is_empty()).then_some(&self.plain_move[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_reads_are_logged_in_order_and_cleared_by_a_take() {
        let reads = LiveReads::default();
        let mut out = vec![(9, 9)];
        assert_eq!(reads.take_into(&mut out), Some(0));
        reads.note(3, 120);
        reads.note(1, 0);
        reads.note(3, 121);
        assert_eq!(reads.take_into(&mut out), Some(3));
        assert_eq!(out, [(9, 9), (3, 120), (1, 0), (3, 121)]);
        // Taken: nothing left.
        assert_eq!(reads.take_into(&mut out), Some(0));
        reads.note(2, 5);
        assert!(reads.take());
        assert!(!reads.take());
    }

    #[test]
    fn reads_beyond_the_log_or_the_word_are_not_kept() {
        let reads = LiveReads::default();
        let mut out = Vec::new();
        for i in 0..=READ_LOG as u32 {
            reads.note(i, 1);
        }
        assert_eq!(reads.take_into(&mut out), None);
        assert!(out.is_empty());
        // The log starts again after a take, whatever it held.
        reads.note(4, i64::from(u32::MAX) + 1);
        assert_eq!(reads.take_into(&mut out), None);
        reads.note(4, -1);
        assert_eq!(reads.take_into(&mut out), None);
        reads.note(4, i64::from(u32::MAX));
        assert_eq!(reads.take_into(&mut out), Some(1));
        assert_eq!(out, [(4, i64::from(u32::MAX))]);
    }
}
