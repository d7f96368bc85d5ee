//! Parameter uncertainty for ensembles: ranges read from a YAML parameter
//! space and sampled per replicate, deterministically from the master seed.
//!
//! The file format and the parameter paths are those of `corridor calibrate`
//! ([`corridor_calibrate::ParameterSpace`]): one line per parameter,
//!
//! ```yaml
//! move_rules.default_movechance: [0.3, 0.7]                   # uniform on the range
//! move_rules.conflict_weight: {range: [0.05, 1.0], log: true}  # uniform in ln(value)
//! siege.exit_scale.shot: [0.5, 2.0]                            # multiplies every exit's fire
//! ```
//!
//! with paths `move_rules.<key>`, `spawn_rules.conflict_spawn_decay_interval` and,
//! for siege scenarios, `siege.attempt_rate[_scale].<Place>`, `siege.exit_scale.<field>`,
//! `siege.exit.<From>.<To>.<field>`, `siege.crossing.<From>.<To>.<field>`,
//! `siege.screened_share` and the scales `siege.population_scale`,
//! `siege.camp_capacity_scale`, `siege.screening_capacity_scale`,
//! `siege.transport_scale`, `siege.crossing_capacity_scale`,
//! `siege.return_rate_scale` (each optionally
//! `.<Place>`; see `corridor_calibrate::params`).
//!
//! The draw of replicate `i` for parameter `p` is a pure function of
//! `(master seed, i, p's path)` ([`unit_draw`]): adding or removing another
//! parameter, or running more replicates, leaves the values of the others unchanged.

use crate::ReportError;
use corridor_calibrate::{Parameter, ParameterSpace};
use corridor_engine::rng::mix64;
use corridor_model::settings::{setting, Calibrate, Value, SETTINGS};
use corridor_model::{Scenario, Settings};
use corridor_runs::Prepared;
use std::borrow::Cow;
use std::path::Path;

/// Whether sampled values of `path` are rounded: the settings that calibration
/// rounds to whole numbers.
fn integer_path(path: &str) -> bool {
    setting(path).is_some_and(|e| {
        e.field()
            .is_some_and(|f| matches!(f.calibrate, Calibrate::Round | Calibrate::RoundAtLeastOne))
    })
}

/// The settings a run used, as `(Flee YAML path, value)` rows for reports: every
/// field of the settings table, in table order.
pub fn settings_rows(s: &Settings) -> Vec<(String, String)> {
    SETTINGS
        .iter()
        .filter_map(|e| {
            let text = match e.get(s)? {
                Value::Bool(b) => b.to_string(),
                Value::Int(i) => i.to_string(),
                Value::Float(x) => format!("{x}"),
                Value::List(None) => "none".into(),
                Value::List(Some(v)) => format!("{v:?}"),
            };
            Some((e.key.to_string(), text))
        })
        .collect()
}

/// The parameters an ensemble varies, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSpace {
    pub space: ParameterSpace,
    /// Where it was read from.
    pub source: String,
}

/// FNV-1a of a name: the per-parameter part of the sampling key.
fn fnv1a(s: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The uniform draw in `[0, 1)` of replicate `replicate` for the parameter named `path`.
pub fn unit_draw(master: u64, replicate: u64, path: &str) -> f64 {
    let h = mix64(
        mix64(master ^ 0x243f_6a88_85a3_08d3)
            ^ mix64(replicate.wrapping_add(0x1319_8a2e_0370_7344))
            ^ mix64(fnv1a(path)),
    );
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

impl ParamSpace {
    /// Reads a parameter file.
    pub fn read(path: &Path) -> Result<ParamSpace, ReportError> {
        let text = std::fs::read_to_string(path).map_err(|e| ReportError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        ParamSpace::parse(&text, &path.display().to_string())
    }

    /// Parses parameter YAML; `label` names it in messages.
    pub fn parse(text: &str, label: &str) -> Result<ParamSpace, ReportError> {
        let space =
            ParameterSpace::parse(text, label).map_err(|e| ReportError::Message(e.to_string()))?;
        Ok(ParamSpace {
            space,
            source: label.to_string(),
        })
    }

    /// The parameters and their ranges, in order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.space.parameters
    }

    /// The parameter paths, in order.
    pub fn names(&self) -> Vec<String> {
        self.space.names().iter().map(|s| s.to_string()).collect()
    }

    /// The values of replicate `replicate` of an ensemble with master seed `master`.
    pub fn sample(&self, master: u64, replicate: u64) -> Vec<f64> {
        self.parameters()
            .iter()
            .map(|p| {
                let v = p.value(unit_draw(master, replicate, &p.path));
                if integer_path(&p.path) {
                    v.round()
                } else {
                    v
                }
            })
            .collect()
    }

    /// A copy of `scenario` with `values` (one per parameter) applied. Errors
    /// on a path that does not apply to this scenario, or on settings that
    /// the values make invalid.
    pub fn apply(&self, scenario: &Scenario, values: &[f64]) -> Result<Scenario, ReportError> {
        let sc = self
            .space
            .apply(scenario, values)
            .map_err(|e| ReportError::Params {
                file: self.source.clone(),
                message: e.to_string(),
            })?;
        sc.settings
            .validate()
            .map_err(|message| ReportError::Params {
                file: self.source.clone(),
                message: format!("the sampled values make the settings invalid: {message}"),
            })?;
        Ok(sc)
    }

    /// Checks that every path applies to `scenario` and both ends of every range are accepted.
    pub fn check(&self, scenario: &Scenario) -> Result<(), ReportError> {
        self.space
            .check(scenario, &self.source)
            .map_err(|e| ReportError::Message(e.to_string()))
    }
}

/// The parameter ranges an ensemble samples with its seeds: `params` when
/// given, else the ranges the scenario declares (`uncertainty:`) unless
/// `seeds_only`; `None` = seeds only. The ranges are checked against the scenario.
pub fn uncertainty(
    scenario: &Scenario,
    params: Option<&Path>,
    seeds_only: bool,
) -> Result<Option<ParamSpace>, ReportError> {
    let path = match params {
        Some(p) => Some(p.to_path_buf()),
        None if seeds_only => None,
        None => scenario.siege.as_ref().and_then(|s| s.uncertainty.clone()),
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let space = ParamSpace::read(&path)?;
    space.check(scenario)?;
    Ok(Some(space))
}

/// What replicate `i` of an ensemble with master seed `master` runs (the
/// `prepare` of [`corridor_runs::run_replicates`]): the scenario itself, or with
/// `space`, a copy with the values `space.sample(master, i)`.
pub fn sampler<'a>(
    scenario: &'a Scenario,
    space: Option<&'a ParamSpace>,
    master: u64,
) -> impl Fn(usize, u64) -> Result<Prepared<'a>, Box<dyn std::error::Error + Send + Sync>> + Sync + 'a
{
    move |i, _seed| match space {
        None => Ok(Prepared::shared(scenario)),
        Some(p) => {
            let params = p.sample(master, i as u64);
            let sampled = p.apply(scenario, &params)?;
            Ok(Prepared {
                scenario: Cow::Owned(sampled),
                params,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_is_deterministic_and_in_range() {
        let p = ParamSpace::parse(
            "move_rules.default_movechance: [0.3, 0.7]\nmove_rules.awareness_level: [1, 3]\nmove_rules.softening: {range: [1, 100], log: true}",
            "p",
        )
        .unwrap();
        let mut seen = Vec::new();
        for i in 0..200 {
            let v = p.sample(7, i);
            assert_eq!(v, p.sample(7, i));
            assert!((0.3..=0.7).contains(&v[0]));
            assert!([1.0, 2.0, 3.0].contains(&v[1]));
            assert!((1.0..=100.0).contains(&v[2]));
            seen.push(v[0]);
        }
        let mean = seen.iter().sum::<f64>() / seen.len() as f64;
        assert!((mean - 0.5).abs() < 0.03, "{mean}");
        assert_ne!(p.sample(7, 0), p.sample(8, 0));
        // A parameter's draws do not depend on the others.
        let q = ParamSpace::parse("move_rules.default_movechance: [0.3, 0.7]", "q").unwrap();
        assert_eq!(q.sample(7, 5)[0], p.sample(7, 5)[0]);
        assert!(ParamSpace::parse("move_rules.softening: [3, 1]", "r").is_err());
    }

    #[test]
    fn settings_rows_name_flee_keys() {
        let rows = settings_rows(&Settings::default());
        assert!(rows
            .iter()
            .any(|(k, v)| k == "move_rules.default_movechance" && v == "0.3"));
        assert!(rows.iter().any(|(k, _)| k == "optimisations.hasten"));
    }

    #[test]
    fn settings_rows_list_every_field_in_table_order() {
        let s = Settings::flee_validation();
        let rows = settings_rows(&s);
        let fields: Vec<&str> = SETTINGS
            .iter()
            .filter(|e| e.field().is_some())
            .map(|e| e.key)
            .collect();
        let keys: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, fields);
        // The order and spelling reports have shown so far.
        let want = "spawn_rules.take_from_population spawn_rules.insert_day0 \
            spawn_rules.empty_camps_on_day0 spawn_rules.conflict_zone_spawning_only \
            spawn_rules.sum_from_camps spawn_rules.conflict_spawn_decay \
            spawn_rules.conflict_spawn_decay_interval move_rules.max_move_speed \
            move_rules.max_walk_speed move_rules.foreign_weight move_rules.camp_weight \
            move_rules.conflict_weight move_rules.conflict_movechance move_rules.camp_movechance \
            move_rules.idpcamp_movechance move_rules.default_movechance move_rules.awareness_level \
            move_rules.capacity_buffer move_rules.capacity_scaling move_rules.avoid_short_stints \
            move_rules.start_on_foot move_rules.softening move_rules.weight_softening \
            move_rules.weight_power move_rules.distance_power move_rules.movechance_pop_base \
            move_rules.movechance_pop_scale_factor move_rules.pruning_threshold \
            optimisations.hasten log_levels.idp_totals corridor.compat.day0_capacity_double_count \
            corridor.compat.multihop_full_budget corridor.compat.spawn_decay_lag \
            corridor.compat.ignore_intensity_changes corridor.compat.raw_counts_total_on_day0 \
            corridor.compat.date_plus_one corridor.compat.closed_link_bounce";
        // Later entries may add rows; these keep their relative order.
        let mut rest = keys.iter();
        for k in want.split_whitespace() {
            assert!(rest.any(|x| *x == k), "{k} missing or out of order");
        }
        let value = |k: &str| rows.iter().find(|(key, _)| key == k).unwrap().1.clone();
        assert_eq!(
            value("spawn_rules.conflict_spawn_decay"),
            "[1.0, 1.0, 1.0, 0.5, 0.1]"
        );
        assert_eq!(value("spawn_rules.conflict_spawn_decay_interval"), "30");
        assert_eq!(value("move_rules.max_move_speed"), "400");
        assert_eq!(value("move_rules.avoid_short_stints"), "true");
        assert_eq!(value("log_levels.idp_totals"), "false");
        assert_eq!(value("corridor.compat.date_plus_one"), "true");
        let d = settings_rows(&Settings::default());
        assert!(d.contains(&("spawn_rules.conflict_spawn_decay".into(), "none".into())));
        assert!(d.contains(&(
            "move_rules.conflict_weight".into(),
            "0.31622776601683794".into()
        )));
    }

    #[test]
    fn whole_number_settings_are_sampled_whole() {
        assert!(integer_path("move_rules.awareness_level"));
        assert!(integer_path("spawn_rules.conflict_spawn_decay_interval"));
        assert!(!integer_path("move_rules.default_movechance"));
        assert!(!integer_path("siege.screened_share"));
    }
}
