//! Simulation settings, with Flee's code defaults (docs/flee-model.md section 3).
//!
//! Field names are the YAML keys of Flee's `simsetting.yml`. The `compat`
//! switches reproduce Flee quirks that shape published numbers; all are on by
//! default so that a Flee scenario gives Flee's results.

/// Switches for Flee behaviours that look unintended but define its published
/// results (docs/flee-model.md section 10). `true` = behave like Flee.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Compat {
    /// Day-0 camp agents are inserted *and* the camp's capacity is reduced by
    /// the same number, so they count twice against capacity (quirk 1).
    pub day0_capacity_double_count: bool,
    /// Every new link started during a day gets a full `max_move_speed` budget,
    /// as long as the day's counted km are below it (quirk 6). Off: a new leg
    /// gets only the part of the day left (in time, so a walk followed by a bus ride adds up correctly).
    pub multihop_full_budget: bool,
    /// Spawn weights use the conflict decay of the previous day, except on days
    /// with an onset or end (quirk 4). Off: weights use today's decay.
    pub spawn_decay_lag: bool,
    /// Only conflict onsets and ends are read from conflicts.csv; intensity
    /// changes while a conflict lasts are ignored (quirk 5). Off: intensity follows the file.
    pub ignore_intensity_changes: bool,
    /// The `total` series is added to `raw` on day 0 (quirk 3; only affects `Total error`).
    pub raw_counts_total_on_day0: bool,
    /// Output `Date` is start + t + 1, as Flee's run.py prints it (quirk 14).
    pub date_plus_one: bool,
    /// Agents on a link that was closed while they travelled go back to its start,
    /// even if the link reopened meanwhile (quirk 11).
    pub closed_link_bounce: bool,
}

impl Compat {
    /// Every switch with its YAML key under `corridor.compat`, in declaration order.
    pub fn switches(&self) -> [(&'static str, bool); 7] {
        [
            (
                "day0_capacity_double_count",
                self.day0_capacity_double_count,
            ),
            ("multihop_full_budget", self.multihop_full_budget),
            ("spawn_decay_lag", self.spawn_decay_lag),
            ("ignore_intensity_changes", self.ignore_intensity_changes),
            ("raw_counts_total_on_day0", self.raw_counts_total_on_day0),
            ("date_plus_one", self.date_plus_one),
            ("closed_link_bounce", self.closed_link_bounce),
        ]
    }
}

impl Default for Compat {
    fn default() -> Self {
        Compat {
            day0_capacity_double_count: true,
            multihop_full_budget: true,
            spawn_decay_lag: true,
            ignore_intensity_changes: true,
            raw_counts_total_on_day0: true,
            date_plus_one: true,
            closed_link_bounce: true,
        }
    }
}

/// All settings the engine reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    // spawn_rules
    pub take_from_population: bool,
    pub insert_day0: bool,
    pub empty_camps_on_day0: bool,
    pub conflict_zone_spawning_only: bool,
    pub sum_from_camps: bool,
    pub conflict_spawn_decay: Option<Vec<f64>>,
    pub conflict_spawn_decay_interval: f64,
    // move_rules
    pub max_move_speed: f64,
    pub max_walk_speed: f64,
    pub foreign_weight: f64,
    pub camp_weight: f64,
    pub conflict_weight: f64,
    pub conflict_movechance: f64,
    pub camp_movechance: f64,
    pub idpcamp_movechance: f64,
    pub default_movechance: f64,
    pub awareness_level: i64,
    pub capacity_buffer: f64,
    pub capacity_scaling: f64,
    pub avoid_short_stints: bool,
    pub start_on_foot: bool,
    pub softening: f64,
    pub weight_softening: f64,
    pub weight_power: f64,
    pub distance_power: f64,
    pub movechance_pop_base: f64,
    pub movechance_pop_scale_factor: f64,
    pub pruning_threshold: f64,
    // optimisations
    pub hasten: i64,
    // log_levels
    pub idp_totals: bool,
    pub compat: Compat,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            take_from_population: false,
            insert_day0: true,
            empty_camps_on_day0: false,
            conflict_zone_spawning_only: true,
            sum_from_camps: true,
            conflict_spawn_decay: None,
            conflict_spawn_decay_interval: 30.0,
            max_move_speed: 360.0,
            max_walk_speed: 35.0,
            foreign_weight: 1.0,
            camp_weight: 1.0,
            conflict_weight: 1.0 / 10f64.sqrt(),
            conflict_movechance: 1.0,
            camp_movechance: 0.001,
            idpcamp_movechance: 0.1,
            default_movechance: 0.3,
            awareness_level: 1,
            capacity_buffer: 0.9,
            capacity_scaling: 1.0,
            avoid_short_stints: false,
            start_on_foot: false,
            softening: 10.0,
            weight_softening: 0.0,
            weight_power: 1.0,
            distance_power: 1.0,
            movechance_pop_base: 10000.0,
            movechance_pop_scale_factor: 0.0,
            pruning_threshold: 1.0,
            hasten: 1,
            idp_totals: false,
            compat: Compat::default(),
        }
    }
}

impl Settings {
    /// The settings of FabFlee's standard validation suite
    /// (`config_files/validation/simsetting.yml`).
    pub fn flee_validation() -> Settings {
        Settings {
            conflict_spawn_decay: Some(vec![1.0, 1.0, 1.0, 0.5, 0.1]),
            conflict_spawn_decay_interval: 30.0,
            max_move_speed: 400.0,
            max_walk_speed: 35.0,
            softening: 50.0,
            default_movechance: 0.5,
            avoid_short_stints: true,
            capacity_scaling: 1.25,
            distance_power: 0.75,
            conflict_weight: 0.25,
            ..Settings::default()
        }
    }

    /// Multiplier of the conflict decay list for `elapsed` days since onset (1.0 when unset).
    pub fn decay(&self, elapsed: i64) -> f64 {
        match &self.conflict_spawn_decay {
            None => 1.0,
            Some(list) if list.is_empty() => 1.0,
            Some(list) => {
                let idx = (elapsed as f64 / self.conflict_spawn_decay_interval).floor();
                let idx = if idx < 0.0 { 0 } else { idx as usize };
                list[idx.min(list.len() - 1)]
            }
        }
    }

    /// Checks values that would make the model meaningless.
    pub fn validate(&self) -> Result<(), String> {
        let positive = [
            ("move_rules.max_move_speed", self.max_move_speed),
            ("move_rules.max_walk_speed", self.max_walk_speed),
            (
                "spawn_rules.conflict_spawn_decay_interval",
                self.conflict_spawn_decay_interval,
            ),
        ];
        for (k, v) in positive {
            if !(v > 0.0 && v.is_finite()) {
                return Err(format!("{k} must be a positive number, got {v}"));
            }
        }
        let probs = [
            ("move_rules.conflict_movechance", self.conflict_movechance),
            ("move_rules.camp_movechance", self.camp_movechance),
            ("move_rules.idpcamp_movechance", self.idpcamp_movechance),
            ("move_rules.default_movechance", self.default_movechance),
            ("move_rules.capacity_buffer", self.capacity_buffer),
        ];
        for (k, v) in probs {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{k} must lie in [0, 1], got {v}"));
            }
        }
        if self.hasten < 1 {
            return Err(format!(
                "optimisations.hasten must be at least 1, got {}",
                self.hasten
            ));
        }
        if self.awareness_level == 0 {
            return Err(
                "move_rules.awareness_level 0 makes every agent stay put (a Flee bug); use 1 or more".into(),
            );
        }
        if self.softening < 0.0 {
            return Err(format!(
                "move_rules.softening must not be negative, got {}",
                self.softening
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn decay_clamps_to_last_element() {
        let s = Settings::flee_validation();
        assert_eq!(s.decay(0), 1.0);
        assert_eq!(s.decay(89), 1.0);
        assert_eq!(s.decay(90), 0.5);
        assert_eq!(s.decay(119), 0.5);
        assert_eq!(s.decay(120), 0.1);
        assert_eq!(s.decay(10_000), 0.1);
        assert_eq!(Settings::default().decay(500), 1.0);
    }
}
