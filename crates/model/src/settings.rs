//! Simulation settings, with Flee's code defaults (docs/flee-model.md section 3).
//!
//! Field names are the YAML keys of Flee's `simsetting.yml`. The `compat`
//! switches reproduce Flee quirks that shape published numbers; all are on by
//! default so that a Flee scenario gives Flee's results.
//!
//! Both structs are declared by `settings_table!` together with their entries
//! in [`SETTINGS`] (see [`table`]): a new setting is one entry here, and every
//! reader, writer, check and listing picks it up from the table.

#[macro_use]
pub mod table;
mod conflict_spawning;
pub mod listing;

pub use conflict_spawning::{ConflictSpawning, SpawnMode};

use crate::flood::{FloodRules, FloodSpawning};

pub use table::{
    section, setting, Accept, Calibrate, Check, Field, Kind, Setting, SettingType, Support, Value,
    COMPAT_SECTION, CORRIDOR_SECTION, FLEE_SECTIONS, SETTINGS,
};

use table::{Accept::*, Support::Inert};

// Every key Flee reads is now supported or inert; a Flee feature corridor
// does not implement would be a row with `Support::Unsupported` (an error
// when switched on).

settings_table! {
    /// Switches for Flee behaviours that look unintended but define its published
    /// results (docs/flee-model.md section 10). `true` = behave like Flee.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(default, deny_unknown_fields)]
    pub struct Compat (compat) in COMPAT_SETTINGS {
        "corridor.compat" {
            /// Day-0 camp agents are inserted *and* the camp's capacity is reduced by
            /// the same number, so they count twice against capacity (quirk 1).
            day0_capacity_double_count: bool = true, Switch;
            /// Every new link started during a day gets a full `max_move_speed` budget,
            /// as long as the day's counted km are below it (quirk 6). Off: a new leg
            /// gets only the part of the day left (in time, so a walk followed by a bus ride adds up correctly).
            multihop_full_budget: bool = true, Switch;
            /// Spawn weights use the conflict decay of the previous day, except on days
            /// with an onset or end (quirk 4). Off: weights use today's decay.
            spawn_decay_lag: bool = true, Switch;
            /// Only conflict onsets and ends are read from conflicts.csv; intensity
            /// changes while a conflict lasts are ignored (quirk 5). Off: intensity follows the file.
            ignore_intensity_changes: bool = true, Switch;
            /// The `total` series is added to `raw` on day 0 (quirk 3; only affects `Total error`).
            raw_counts_total_on_day0: bool = true, Switch;
            /// Output `Date` is start + t + 1, as Flee's run.py prints it (quirk 14).
            date_plus_one: bool = true, Switch;
            /// Agents on a link that was closed while they travelled go back to its start,
            /// even if the link reopened meanwhile (quirk 11).
            closed_link_bounce: bool = true, Switch;
        }
    }
}

impl Compat {
    /// Every switch with its YAML key under `corridor.compat`, in declaration order.
    pub fn switches(&self) -> Vec<(&'static str, bool)> {
        let s = Settings {
            compat: self.clone(),
            ..Settings::default()
        };
        COMPAT_SETTINGS
            .iter()
            .filter_map(|e| match e.get(&s) {
                Some(Value::Bool(b)) => Some((e.name, b)),
                _ => None,
            })
            .collect()
    }
}

settings_table! {
    /// All settings the engine reads, with Flee's code defaults.
    #[derive(Debug, Clone, PartialEq)]
    #[allow(non_snake_case)] // Flee's demographic rule keys are CamelCase.
    pub struct Settings () in FLEE_SETTINGS {
        "spawn_rules" {
            /// Spawned agents decrement the location's population, so spawn weights shrink.
            take_from_population: bool = false, Switch;
            /// Put the day-0 camp data into the camps before day 0 (and reduce their capacity by as much).
            insert_day0: bool = true, Switch;
            /// Subtract each label's day-0 value from all its data and insert nothing on day 0.
            empty_camps_on_day0: bool = false, Switch;
            /// Only locations in conflict get spawn weight.
            conflict_zone_spawning_only: bool = true, Switch;
            /// Daily new agents come from camp-series increments (false: from the `total` series).
            sum_from_camps: bool = true, Switch;
            /// Multipliers of spawn weights and conflict penalties, one per interval since conflict onset.
            conflict_spawn_decay: Option<Vec<f64>> = None, NumberList;
            /// Days per element of `conflict_spawn_decay`.
            conflict_spawn_decay_interval: f64 = 30.0, WholeNumber,
                check = Check::Positive, calibrate = Calibrate::Round;
            /// Mean of the Poisson `connections` attribute of agents spawned by conflict-driven
            /// spawning (Flee draws 3.0 for the others); it shows only in `agents.out.0`, as
            /// `connections` steers nothing in Flee's default rules.
            average_social_connectivity: f64 = 3.0, Number, check = Check::NonNegative;
            /// Selects DFlee's flood spawn path (docs/flee-model.md 18.1); needs
            /// `flood_driven_spawn_mode`, `flood_rules` and `take_from_population`.
            flood_zone_spawning_only: bool = false, Switch;
            /// Written in FabFlee's DFlee files; Flee only checks for `flood_driven_spawn_mode`.
            flood_driven_spawning => Inert(IgnoredByFlee(
                "Flee switches flood spawning on by the flood_driven_spawn_mode block (with \
                 flood_zone_spawning_only), never by this key"
            ));
            /// DFlee flood-driven spawning (docs/flee-model.md 18.4): a sub-map with
            /// `spawn_mode` and `displaced_per_flood_day`.
            flood_driven_spawn_mode => Support::Special;
            /// Flood-driven spawning when the sub-map is present (with `flood_zone_spawning_only`).
            flood_driven_spawn_mode: Option<FloodSpawning> = None;
            /// Camps as sinks (Flee's spelling): at the end of each day every resting agent in a camp
            /// leaves the run with the camp's `deactivation_probability` (a `locations.csv` column; none:
            /// never), and stays counted in the camp and the total (docs/flee-model.md 4.4 step 8).
            camps_are_sicks: bool = false, Switch;
            /// The documented spelling of `camps_are_sicks`, which Flee does not read.
            camps_are_sinks => Inert(IgnoredByFlee(
                "Flee only reads the misspelled key camps_are_sicks; set that one to deactivate agents in camps"
            ));
            /// Creates the agents listed in `input_csv/agents.csv` before day 0, first in update
            /// order, each with its row's cells as attribute values (docs/flee-model.md 15.4).
            read_from_agents_csv_file: bool = false, Switch;
            /// Spawns per conflict zone, independent of the camp data (docs/flee-model.md 13):
            /// a sub-map with `spawn_mode` and `displaced_per_conflict_day`.
            conflict_driven_spawning => Support::Special;
            /// Conflict-driven spawning when the sub-map is present (`None`: data-driven spawning).
            conflict_driven_spawning: Option<ConflictSpawning> = None;
            /// DFlee flood location weights, written under spawn_rules in some files; Flee reads
            /// them only inside `move_rules.flood_rules` (docs/flee-model.md 18.1, 18.10).
            flood_loc_weights => Inert(ReadElsewhere("move_rules.flood_rules.flood_loc_weights"));
            /// DFlee flood move chances, written under spawn_rules in some files; Flee reads
            /// them only inside `move_rules.flood_rules` (docs/flee-model.md 18.1, 18.10).
            flood_movechances => Inert(ReadElsewhere("move_rules.flood_rules.flood_movechances"));
            /// DFlee flood link weights, written under spawn_rules in some files; Flee reads
            /// them only inside `move_rules.flood_rules`, and never uses them there (18.5).
            flood_link_weights => Inert(ReadElsewhere("move_rules.flood_rules.flood_link_weights"));
            /// Adds an IPC food-security term to spawn weights (docs/flee-model.md 19).
            /// Conflict zones' spawn weights gain population × IPC / 100 (docs/flee-model.md 19.5).
            starvation_driven_spawning: bool = false, Switch;
        }
        "move_rules" {
            /// km an agent advances per link leg per day.
            max_move_speed: f64 = 360.0, Number, check = Check::Positive, calibrate = Calibrate::AsIs;
            /// km per day on foot (first link with `start_on_foot`, or a link's `walk_probability`).
            max_walk_speed: f64 = 35.0, Number, check = Check::Positive, calibrate = Calibrate::AsIs;
            /// Only used by Flee's micro/multiscale model.
            max_crossing_speed => Inert(Anything);
            /// Score multiplier for foreign locations.
            foreign_weight: f64 = 1.0, Number, calibrate = Calibrate::AsIs;
            /// Score multiplier for camps and IDP camps.
            camp_weight: f64 = 1.0, Number, calibrate = Calibrate::AsIs;
            /// Base of the conflict penalty: score ×= `conflict_weight^(decay×intensity)`.
            conflict_weight: f64 = 1.0 / 10f64.sqrt(), Number, calibrate = Calibrate::AsIs;
            /// Daily move chance in conflict zones.
            conflict_movechance: f64 = 1.0, Number,
                check = Check::Probability, calibrate = Calibrate::AsIs;
            /// Daily move chance in camps.
            camp_movechance: f64 = 0.001, Number,
                check = Check::Probability, calibrate = Calibrate::AsIs;
            /// Daily move chance in IDP camps.
            idpcamp_movechance: f64 = 0.1, Number,
                check = Check::Probability, calibrate = Calibrate::AsIs;
            /// Daily move chance in towns (and locations whose conflict ended).
            default_movechance: f64 = 0.3, Number,
                check = Check::Probability, calibrate = Calibrate::AsIs;
            /// Depth of the route search (`-1` behaves like 1).
            awareness_level: i64 = 1, Integer,
                check = Check::NotZero("makes every agent stay put (a Flee bug); use 1 or more"),
                calibrate = Calibrate::RoundAtLeastOne;
            /// Attractiveness starts to fall at `buffer × capacity` and is 0 at capacity.
            capacity_buffer: f64 = 0.9, Number,
                check = Check::Probability, calibrate = Calibrate::AsIs;
            /// Camp capacity multiplier.
            capacity_scaling: f64 = 1.0, Number, calibrate = Calibrate::AsIs;
            /// Forces moving on from towns mid-day.
            avoid_short_stints: bool = false, Switch;
            /// First link at walking speed.
            start_on_foot: bool = false, Switch;
            /// km added to path distance in weights.
            softening: f64 = 10.0, Number, check = Check::NonNegative, calibrate = Calibrate::AsIs;
            /// Constant added to the score.
            weight_softening: f64 = 0.0, Number, calibrate = Calibrate::AsIs;
            /// Exponent on the final weight.
            weight_power: f64 = 1.0, Number, calibrate = Calibrate::AsIs;
            /// Exponent on (softening + distance).
            distance_power: f64 = 1.0, Number, calibrate = Calibrate::AsIs;
            /// Population base of the move-chance scaling `(max(pop, capacity)/base)^factor`.
            movechance_pop_base: f64 = 10000.0, Number, calibrate = Calibrate::AsIs;
            /// Exponent of the move-chance population scaling (0: off).
            movechance_pop_scale_factor: f64 = 0.0, Number, calibrate = Calibrate::AsIs;
            /// Above 1.001, candidate routes with weight below max/threshold are dropped.
            pruning_threshold: f64 = 1.0, Number, calibrate = Calibrate::AsIs;
            /// Destinations are weighted by `1/max(1, km from the current location)^home_distance_power`.
            stay_close_to_home: bool = false, Switch;
            /// Exponent of `stay_close_to_home`.
            home_distance_power: f64 = 0.5, Number;
            /// Non-camp destinations are weighted by `max(1, population)^pop_power_for_loc_weight`.
            use_pop_for_loc_weight: bool = false, Switch;
            /// Exponent of `use_pop_for_loc_weight`.
            pop_power_for_loc_weight: f64 = 0.1, Number;
            /// Foreign scores ×(1 + trade_volume + hdi²), from those `locations.csv` columns.
            use_economic_pull: bool = false, Switch;
            /// Overrides max_move_speed 200, start_on_foot and avoid_short_stints off, camp_weight 2,
            /// conflict_weight 0.25 (the Flee 1 rule set), whatever the file says.
            use_v1_rules: bool = false, Switch;
            /// Expected share of an agent's religion at a camp: `MatchCampReligion` divides by it.
            avg_religion_fraction: f64 = 0.25, Number, check = Check::Positive;
            /// Women square their endpoint scores unless an age rule already did (docs/flee-model.md 15.5).
            WomenAvoidHazards: bool = false, Switch;
            /// Agents under 19 square their endpoint scores (docs/flee-model.md 15.5).
            ChildrenAvoidHazards: bool = false, Switch;
            /// Agents over 59 square their endpoint scores (docs/flee-model.md 15.5).
            ElderlyAvoidHazards: bool = false, Switch;
            /// With ChildrenAvoidHazards: every male over 14 scores every endpoint 1 (docs/flee-model.md 15.5).
            BoysTakeRisk: bool = false, Switch;
            /// Camps weigh ×(agents of the agent's religion there / P) / avg_religion_fraction, P = population or 1e8 for camps (docs/flee-model.md 15.5); needs demographics_religion.csv.
            MatchCampReligion: bool = false, Switch;
            /// Camps weigh ×10·(agents of the agent's ethnicity there) / P, P = 1e8 for camps (docs/flee-model.md 15.5); needs demographics_ethnicity.csv.
            MatchCampEthnicity: bool = false, Switch;
            /// Towns and other places weigh ×10·(agents of the agent's ethnicity there) / population (docs/flee-model.md 15.5).
            MatchTownEthnicity: bool = false, Switch;
            /// Conflict zones weigh ×10·(agents of the agent's ethnicity there) / population (docs/flee-model.md 15.5).
            MatchConflictEthnicity: bool = false, Switch;
            /// Per-location route tables, rebuilt daily: the best path to each destination, plus
            /// the major routes of `major_routes.csv` (docs/flee-model.md 16.6).
            fixed_routes: bool = false, Switch;
            /// System-2 route planning (docs/flee-model.md 16.4). Flee reads it with `float()` and
            /// tests it with `is True`, which a number never is: from a settings file it has no effect.
            two_system_decision_making => Inert(IgnoredByFlee(
                "Flee reads it with float() and tests `is True`, so from a settings file System 2 never \
                 switches on; corridor does the same"
            ));
            /// Calendar months (1–12) of harvest: every resting agent is counted at its spawn location
            /// and does not move (docs/flee-model.md 15.5; `farmer_fraction` is not consulted).
            harvest_months: Option<Vec<f64>> = None, NumberList;
            /// Raises the move chance where food is short (docs/flee-model.md 19.3).
            flee_when_starving: bool = false, Switch;
            /// Lowers the scores of food-deprived locations (docs/flee-model.md 19.4).
            avoid_food_deprived_locations: bool = false, Switch;
            /// DFlee's flood rules (docs/flee-model.md 18.5–18.7): a sub-map with
            /// `flood_movechances`, `flood_loc_weights`, the flood forecaster (`flood_forecaster`,
            /// `flood_forecaster_timescale`, `flood_forecaster_end_time`, `flood_forecaster_weights`,
            /// `flood_awareness_weights`) and the keys Flee reads but does not use.
            flood_rules => Support::Special;
            /// The flood rules when the sub-map is present (with flood-driven spawning).
            flood_rules: Option<FloodRules> = None;
        }
        "optimisations" {
            /// Population divisor: 1/hasten as many agents on the same graph.
            hasten: i64 = 1, Integer, check = Check::AtLeastOne;
        }
        "log_levels" {
            /// Flee's per-agent log `agents.out.0`: level 1 one row per agent per day; 2 adds a row per link an agent passed through mid-day (naming the link); 3 also tags those rows' day `t-<hop>` (above 3: level 3, with a warning).
            agent: i64 = 0, Integer, check = Check::NonNegative;
            /// Flee's per-link log `links.out.0`, plus `link_flows.csv` and `od.csv`: level 1 one `total` row per open link per day (cumulative entries); 2 adds a row per attribute value that entered the link, `<attr>:<value>` (above 2: level 2, with a warning).
            link: i64 = 0, Integer, check = Check::NonNegative;
            /// Collects arrival journey lengths in Flee (no output).
            camp => Inert(LogLevel);
            /// Extra stderr output in Flee.
            init => Inert(LogLevel);
            /// Extra stderr output in Flee.
            conflict => Inert(LogLevel);
            /// `location` or `region` names in Flee's logs.
            granularity => Inert(LogLevel);
            /// Adds a `total IDPs` column (people in IDP camps) to the output.
            idp_totals: bool = false, Level;
        }
        "" {
            /// DFlee flood movement at the top level, where older Flee versions read it; the
            /// current Flee reads it only as `move_rules.flood_rules` (docs/flee-model.md 18.1).
            flood_rules => Inert(ReadElsewhere("move_rules.flood_rules"));
            /// Read but never used by Flee's run.py.
            number_of_steps => Inert(Number);
            /// Always overwritten by Flee's run.py with `<in>/conflicts.csv`.
            conflict_input_file => Inert(Anything);
            /// Overwritten by Flee's run.py with `<in>/flood_level.csv`.
            flood_level_input_file => Inert(Anything);
            /// Intensity of a location that `location_changes.csv` makes a conflict zone (Flee applies
            /// `int()`, so 0.5 gives 0).
            default_conflict_intensity => Support::Special;
            /// `default_conflict_intensity`, after Flee's `int()`.
            default_conflict_intensity: i64 = 1;
        }
        "corridor" {
            /// Flee quirks that corridor reproduces by default (see [`Compat`]).
            compat: Compat = Compat::default();
            /// Movers and arrivals, in creation order, per block whose capacity factors read the
            /// location counts as the block began. 1 (Flee): every agent sees the moves of all
            /// agents before it. Larger: the agents of a block act on every core with none
            /// waiting for another (README, "One run on every core", for the agreement with Flee).
            capacity_count_block: i64 = 1, Integer, check = Check::AtLeastOne;
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

    /// The settings a run uses. With `use_v1_rules`, Flee overwrites five
    /// keys after reading the file (docs/flee-model.md 16.7); the settings as
    /// read keep the file's values, so they are written back unchanged.
    pub fn for_run(&self) -> Settings {
        let mut s = self.clone();
        if s.use_v1_rules {
            s.max_move_speed = 200.0;
            s.start_on_foot = false;
            s.avoid_short_stints = false;
            s.camp_weight = 2.0;
            s.conflict_weight = 0.25;
        }
        s
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

    /// Checks values that would make the model meaningless: the [`Check`] of
    /// every entry of [`SETTINGS`], in table order. The message starts with the key.
    pub fn validate(&self) -> Result<(), String> {
        for entry in SETTINGS {
            if let (Some(field), Some(value)) = (entry.field(), entry.get(self)) {
                if let Some(message) = field.check.violation(entry.key, &value) {
                    return Err(message);
                }
            }
        }
        crate::flood::check_settings(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn v1_rules_overwrite_five_keys() {
        let s = Settings {
            use_v1_rules: true,
            max_move_speed: 400.0,
            start_on_foot: true,
            avoid_short_stints: true,
            camp_weight: 1.5,
            conflict_weight: 0.1,
            softening: 50.0,
            ..Settings::default()
        };
        let r = s.for_run();
        assert_eq!(
            (r.max_move_speed, r.start_on_foot, r.avoid_short_stints),
            (200.0, false, false)
        );
        assert_eq!(
            (r.camp_weight, r.conflict_weight, r.softening),
            (2.0, 0.25, 50.0)
        );
        let plain = Settings::flee_validation();
        assert_eq!(plain.for_run(), plain);
    }

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
