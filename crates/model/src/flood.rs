//! DFlee, Flee's flood model (docs/flee-model.md 18): daily flood levels per
//! location from `flood_level.csv`, the settings of flood-driven spawning
//! (`spawn_rules.flood_driven_spawn_mode`) and of the flood rules
//! (`move_rules.flood_rules`), and Flee's lookup of a list by flood level.

use crate::settings::SpawnMode;

/// Flood levels by day and location, as `flood_level.csv` gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FloodLevels {
    /// Per location with a column (location id, file order of the columns):
    /// the level on day `k` at index `k` (data row `k + 1`, by row position).
    pub columns: Vec<(crate::LocId, Vec<f64>)>,
}

impl FloodLevels {
    /// The level of each location on day `t` as Flee uses it, `int(value)`;
    /// 0 for a location without a column or a day past the table.
    pub fn levels_on(&self, t: usize, out: &mut [i64]) {
        out.fill(0);
        for (loc, col) in &self.columns {
            if let Some(&v) = col.get(t) {
                out[*loc as usize] = v.trunc() as i64;
            }
        }
    }

    /// Days the table covers (the shortest column; `usize::MAX` for none).
    pub fn days(&self) -> usize {
        self.columns
            .iter()
            .map(|(_, c)| c.len())
            .min()
            .unwrap_or(usize::MAX)
    }

    /// The highest level (after `int()`) of any location on days `0..days`.
    pub fn max_level(&self, days: usize) -> i64 {
        self.columns
            .iter()
            .flat_map(|(_, c)| c.iter().take(days))
            .map(|v| v.trunc() as i64)
            .max()
            .unwrap_or(0)
    }
}

/// Flee's `interp(list, level)` at a whole level: `list[level]`, defined only
/// for `0 ≤ level ≤ len − 2` — the last element is never reachable and a level
/// equal to `len − 1` crashes Flee (docs/flee-model.md 18.3). `None` outside.
pub fn by_level(list: &[f64], level: i64) -> Option<f64> {
    let i = usize::try_from(level).ok()?;
    (i + 1 < list.len()).then(|| list[i])
}

/// The highest level a list can be looked up at (`len − 2`; −1 when none).
pub fn highest_level(list: &[f64]) -> i64 {
    list.len() as i64 - 2
}

/// Flood-driven spawning, `spawn_rules.flood_driven_spawn_mode` (18.4).
#[derive(Debug, Clone, PartialEq)]
pub struct FloodSpawning {
    /// How counts are computed from the list value `v` at a location's level.
    pub mode: SpawnMode,
    /// `displaced_per_flood_day`, indexed by flood level.
    pub displaced_per_flood_day: Vec<f64>,
}

impl FloodSpawning {
    /// Flee's default `displaced_per_flood_day` for `mode`.
    pub fn default_rates(mode: SpawnMode) -> Vec<f64> {
        match mode {
            SpawnMode::PopRatio => vec![0.0, 0.1, 0.2, 0.5, 0.9],
            SpawnMode::Constant | SpawnMode::Poisson => vec![0.0, 100.0, 200.0, 300.0, 500.0],
        }
    }

    /// The day's new agents at a location at `level` (> 0) with live
    /// population `pop`: `int(v)` (constant), `int(v × pop)` (pop_ratio), or
    /// for poisson the mean `int(v)` of the draw. `None` when the level is
    /// outside the list (Flee crashes).
    pub fn count(&self, level: i64, pop: i64) -> Option<f64> {
        let v = by_level(&self.displaced_per_flood_day, level)?;
        Some(match self.mode {
            SpawnMode::Constant | SpawnMode::Poisson => v.trunc(),
            SpawnMode::PopRatio => (v * pop as f64).trunc(),
        })
    }
}

impl Default for FloodSpawning {
    /// An empty map in Flee: pop_ratio with its default list.
    fn default() -> Self {
        FloodSpawning {
            mode: SpawnMode::PopRatio,
            displaced_per_flood_day: Self::default_rates(SpawnMode::PopRatio),
        }
    }
}

/// The flood rules, `move_rules.flood_rules` (18.5, 18.6).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FloodRules {
    /// Move chance by flood level, replacing the location's at levels > 0.
    pub flood_movechances: Option<Vec<f64>>,
    /// Score multiplier by flood level (flood zones at every level; any
    /// destination again at levels > 0).
    pub flood_loc_weights: Option<Vec<f64>>,
    /// Read and never used by Flee (links are not affected by floods).
    pub flood_link_weights: Option<Vec<f64>>,
    /// Stored and never used by Flee.
    pub max_flood_level: i64,
    /// The flood forecaster (18.7), `flood_forecaster`.
    pub flood_forecaster: bool,
    /// `flood_forecaster_timescale`: look-ahead days `T`; the forecaster acts only if `T > 1`.
    pub flood_forecaster_timescale: i64,
    /// `flood_forecaster_end_time`: last day `E` on which it acts (and the last day it looks at).
    pub flood_forecaster_end_time: i64,
    /// `flood_forecaster_weights`, indexed by absolute day.
    pub flood_forecaster_weights: Option<Vec<f64>>,
    /// `flood_awareness_weights`, indexed by `int()` of an agent's `floodawareness`.
    pub flood_awareness_weights: Option<Vec<f64>>,
}

impl FloodRules {
    /// Whether the forecaster acts on day `t`: switched on, `T > 1` and `t ≤ E`.
    pub fn forecasting_on(&self, t: i64) -> bool {
        self.flood_forecaster
            && self.flood_forecaster_timescale > 1
            && t <= self.flood_forecaster_end_time
    }

    /// The days the forecaster looks at on day `t` (18.7): `t + x` for
    /// `x = 1 .. T − 1`, capped at `E`, stopping after the first `E`.
    pub fn forecast_days(&self, t: i64) -> impl Iterator<Item = i64> {
        let (end, mut done) = (self.flood_forecaster_end_time, false);
        (1..self.flood_forecaster_timescale.max(1)).map_while(move |x| {
            if done {
                return None;
            }
            let d = (t + x).min(end);
            done = d == end;
            Some(d)
        })
    }

    /// The last day any forecast of a run of `days` days looks at (`None`
    /// when the forecaster never acts): the lists indexed by day must be
    /// longer than this.
    pub fn last_forecast_day(&self, days: u32) -> Option<i64> {
        let last_t = self.flood_forecaster_end_time.min(i64::from(days) - 1);
        (self.forecasting_on(0) && last_t >= 0)
            .then(|| (0..=last_t).flat_map(|t| self.forecast_days(t)).max())
            .flatten()
    }
}

impl crate::Settings {
    /// Whether DFlee's flood mode is on: flood-driven spawning selected
    /// (`flood_zone_spawning_only` with a `flood_driven_spawn_mode` block).
    pub fn flood_mode(&self) -> bool {
        self.flood_zone_spawning_only && self.flood_driven_spawn_mode.is_some()
    }
}

/// The combinations of flood keys Flee can run (docs/flee-model.md 18.1); the
/// others make Flee exit or crash. The message starts with the key.
pub fn check_settings(s: &crate::Settings) -> Result<(), String> {
    let spawn = s.flood_driven_spawn_mode.is_some();
    let rules = s.flood_rules.is_some();
    if !s.flood_zone_spawning_only && !spawn && !rules {
        return Ok(());
    }
    if s.flood_zone_spawning_only && s.conflict_zone_spawning_only {
        return Err("spawn_rules.flood_zone_spawning_only and conflict_zone_spawning_only are both true: \
                    Flee prints an error and exits; hint: write `conflict_zone_spawning_only: False` \
                    in spawn_rules (its default is True)"
            .into());
    }
    if s.flood_zone_spawning_only && !spawn {
        return Err("spawn_rules.flood_zone_spawning_only is true without a flood_driven_spawn_mode block: \
                    hint: add `flood_driven_spawn_mode:` with `spawn_mode` and `displaced_per_flood_day` \
                    (and move_rules.flood_rules), or switch flood_zone_spawning_only off"
            .into());
    }
    if spawn && !s.flood_zone_spawning_only {
        return Err("spawn_rules.flood_driven_spawn_mode is set but flood_zone_spawning_only is false: \
                    Flee then spawns from the camp data and crashes on the flood rules; hint: write \
                    `flood_zone_spawning_only: True` (and `conflict_zone_spawning_only: False`)"
            .into());
    }
    if !rules {
        return Err(
            "move_rules.flood_rules is missing while flood-driven spawning is on: Flee crashes \
                    on the first flood lookup; hint: add `flood_rules:` with flood_movechances and \
                    flood_loc_weights under move_rules"
                .into(),
        );
    }
    if !spawn {
        return Err("move_rules.flood_rules is set without flood-driven spawning: Flee then loads no flood \
                    levels and crashes on day 0; hint: add spawn_rules.flood_driven_spawn_mode and \
                    flood_zone_spawning_only: True, or delete flood_rules"
            .into());
    }
    if !s.take_from_population {
        return Err(
            "spawn_rules.take_from_population must be true with flood-driven spawning (Flee \
                    exits otherwise); hint: write `take_from_population: True`"
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_up_to_their_second_last_element() {
        let w = [1.0, 0.5, 0.2, 0.0, 0.0];
        assert_eq!(by_level(&w, 0), Some(1.0));
        assert_eq!(by_level(&w, 3), Some(0.0));
        assert_eq!(by_level(&w, 4), None);
        assert_eq!(by_level(&w, -1), None);
        assert_eq!(highest_level(&w), 3);
    }

    #[test]
    fn counts_follow_the_mode() {
        let s = FloodSpawning::default();
        // dflee_example day 0: F1 level 1 (1000 people), F2 level 2 (2000), F3 level 3 (500).
        assert_eq!(s.count(1, 1000), Some(100.0));
        assert_eq!(s.count(2, 2000), Some(400.0));
        assert_eq!(s.count(3, 500), Some(250.0));
        assert_eq!(s.count(3, 7), Some(3.0));
        assert_eq!(s.count(4, 500), None);
        let c = FloodSpawning {
            mode: SpawnMode::Constant,
            displaced_per_flood_day: vec![0.0, 100.5, 200.0, 300.0, 400.0],
        };
        assert_eq!(c.count(1, 0), Some(100.0));
    }

    #[test]
    fn forecast_days_run_to_the_timescale_and_stop_at_the_end_time() {
        let f = FloodRules {
            flood_forecaster: true,
            flood_forecaster_timescale: 5,
            flood_forecaster_end_time: 5,
            ..FloodRules::default()
        };
        // The spec's probe: t = 3 looks at days 4 and 5 (5 is E: stop).
        assert_eq!(f.forecast_days(3).collect::<Vec<_>>(), vec![4, 5]);
        // x = 1 .. T − 1: four days ahead at most.
        assert_eq!(f.forecast_days(0).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
        // At and after E, the only day is E itself.
        assert_eq!(f.forecast_days(5).collect::<Vec<_>>(), vec![5]);
        assert!(f.forecasting_on(5) && !f.forecasting_on(6));
        assert_eq!(f.last_forecast_day(11), Some(5));
        assert_eq!(f.last_forecast_day(2), Some(5));
        assert_eq!(f.last_forecast_day(1), Some(4));
        let short = FloodRules {
            flood_forecaster_timescale: 1,
            ..f.clone()
        };
        assert!(!short.forecasting_on(0));
        assert_eq!(short.last_forecast_day(11), None);
        let off = FloodRules {
            flood_forecaster: false,
            ..f
        };
        assert_eq!(off.last_forecast_day(11), None);
    }

    #[test]
    fn levels_are_truncated_and_missing_columns_are_zero() {
        let f = FloodLevels {
            columns: vec![(1, vec![1.9, 2.0]), (3, vec![0.5, 3.2])],
        };
        let mut out = vec![9; 4];
        f.levels_on(0, &mut out);
        assert_eq!(out, vec![0, 1, 0, 0]);
        f.levels_on(1, &mut out);
        assert_eq!(out, vec![0, 2, 0, 3]);
        assert_eq!(f.days(), 2);
        assert_eq!(f.max_level(1), 1);
        assert_eq!(f.max_level(2), 3);
    }
}
