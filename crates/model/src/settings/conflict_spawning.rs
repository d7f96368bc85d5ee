//! Flee's `spawn_rules.conflict_driven_spawning` sub-map (docs/flee-model.md 13.1):
//! every conflict zone emits agents in proportion to its intensity, instead of
//! the daily number coming from the camp data.

/// How a conflict zone's daily number of new agents is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpawnMode {
    /// `int(N × intensity)` per conflict zone per day.
    Constant,
    /// `int(f × population × intensity)` per conflict zone per day (live population).
    PopRatio,
    /// A Poisson draw with mean `N × intensity` per conflict zone per day.
    Poisson,
}

impl SpawnMode {
    /// The mode as Flee spells it in `spawn_mode`.
    pub fn name(self) -> &'static str {
        match self {
            SpawnMode::Constant => "constant",
            SpawnMode::PopRatio => "pop_ratio",
            SpawnMode::Poisson => "poisson",
        }
    }

    /// Flee's mode for a `spawn_mode` string: `constant` and `pop_ratio` match
    /// case-sensitively, `poisson` after lower-casing; anything else is `None`
    /// (Flee then spawns nobody, silently).
    pub fn parse(s: &str) -> Option<SpawnMode> {
        match s {
            "constant" => Some(SpawnMode::Constant),
            "pop_ratio" => Some(SpawnMode::PopRatio),
            _ if s.to_lowercase() == "poisson" => Some(SpawnMode::Poisson),
            _ => None,
        }
    }

    /// Flee's default `displaced_per_conflict_day` for the mode.
    pub fn default_rate(self) -> f64 {
        match self {
            SpawnMode::PopRatio => 0.01,
            SpawnMode::Constant | SpawnMode::Poisson => 500.0,
        }
    }
}

/// Conflict-driven spawning: its mode and `displaced_per_conflict_day`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConflictSpawning {
    /// How counts are computed.
    pub mode: SpawnMode,
    /// `N` (agents per unit of intensity; a whole number, as Flee applies
    /// `int()` in the count modes) or `f` (a fraction of the population, `pop_ratio`).
    pub displaced_per_conflict_day: f64,
}

impl Default for ConflictSpawning {
    /// An empty map in Flee: constant mode, 500 per zone per day.
    fn default() -> Self {
        ConflictSpawning {
            mode: SpawnMode::Constant,
            displaced_per_conflict_day: SpawnMode::Constant.default_rate(),
        }
    }
}

impl ConflictSpawning {
    /// The day's new agents at a location with live population `pop` and
    /// conflict intensity `intensity` (> 0), in the count modes; for
    /// `poisson` the mean of the draw. Flee truncates toward zero per
    /// location and day (docs/flee-model.md 13.3).
    pub fn count(&self, pop: i64, intensity: f64) -> f64 {
        match self.mode {
            SpawnMode::Constant => (self.displaced_per_conflict_day * intensity).trunc(),
            SpawnMode::PopRatio => {
                (self.displaced_per_conflict_day * pop as f64 * intensity).trunc()
            }
            SpawnMode::Poisson => self.displaced_per_conflict_day * intensity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_as_flee_compares_them() {
        assert_eq!(SpawnMode::parse("pop_ratio"), Some(SpawnMode::PopRatio));
        assert_eq!(SpawnMode::parse("Poisson"), Some(SpawnMode::Poisson));
        assert_eq!(SpawnMode::parse("Constant"), None);
        assert_eq!(SpawnMode::parse("Pop_Ratio"), None);
    }

    #[test]
    fn counts_truncate_per_location_and_day() {
        // docs/flee-model.md 13.6 worked example: f = 0.01, c = 0.5.
        let s = ConflictSpawning {
            mode: SpawnMode::PopRatio,
            displaced_per_conflict_day: 0.01,
        };
        assert_eq!(s.count(100_000, 0.5), 500.0);
        assert_eq!(s.count(99_500, 0.5), 497.0);
        assert_eq!(s.count(99_003, 0.5), 495.0);
        assert_eq!(s.count(150, 0.5), 0.0);
        let c = ConflictSpawning::default();
        assert_eq!(c.count(0, 0.5), 250.0);
        assert_eq!(c.count(0, 0.0013), 0.0);
        // Flee's tests: N = 100, intensity 0.5 → 50 per day.
        let c = ConflictSpawning {
            displaced_per_conflict_day: 100.0,
            ..c
        };
        assert_eq!(c.count(7, 0.5), 50.0);
    }
}
