//! corridor's native scenario format: one readable YAML file (`scenario.yml`)
//! beside Flee-format CSVs for the network, with the siege mechanics,
//! interventions and observed series written in the YAML.
//!
//! ```yaml
//! name: Fallujah 2016
//! start_date: 2016-05-22
//! days: 45
//! locations: locations.csv        # Flee format
//! routes: routes.csv              # Flee format (max_move_speed column allowed)
//! conflicts: conflicts.csv        # optional, Flee format
//! closures: closures.csv          # optional, Flee format
//! settings: simsetting.yml        # optional, Flee's schema
//! observations: observed/validation.csv   # optional: day,what,people,source
//! siege:
//!   people_per_agent: 6
//!   screened_share: 0.25
//!   population: [{location: Fallujah, people: 80000}]
//!   holds: [{location: Fallujah, attempt_rate: 0.0045}]
//!   exits: [{from: Fallujah, to: Euphrates_Crossing, turned_back: 0.4, shot: 0.002}]
//!   crossings: [{from: Euphrates_Crossing, to: Camp_Tariq, capacity_per_day: 50, drowning: 0.0025}]
//!   screenings: [{location: Camp_Tariq, hold_days: [5, 7], not_released: 0.11}]
//!   interventions:
//!     - {day: 20, action: open_exit, from: Fallujah, to: Al_Salam_Junction, note: al-Salam corridor}
//! ```
//!
//! A *variant* is a YAML file with `base: <scenario.yml>` plus its own `name`
//! and extra `interventions` (and optionally `days`): a what-if written as a
//! difference from the base.

use crate::error::{InputError, InputErrorKind, Warning};
use crate::flee::{read_closures, read_conflicts, read_locations, read_routes, Locations};
use crate::settings::{read_settings, yaml_error};
use crate::text::{csv_rows, parse_date, py_float, py_int, read_text, suggest};
use corridor_model::siege::*;
use corridor_model::{
    date, CampSeries, ConflictTable, DataPoint, Scenario, Settings, ValidationData,
};
use serde::Deserialize;
use std::path::Path;

/// Reads a scenario of either format: a file or folder with `scenario.yml`
/// (native), or a Flee/FabFlee folder.
pub fn read_scenario(
    path: &Path,
    settings: Option<&Path>,
) -> Result<(Scenario, Vec<Warning>), InputError> {
    if path.is_file() {
        return read_native_scenario(path, settings);
    }
    if path.join("scenario.yml").is_file() {
        return read_native_scenario(&path.join("scenario.yml"), settings);
    }
    crate::read_flee_scenario(path, settings)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeFile {
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    name: Option<String>,
    /// Free text for people reading the file.
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    start_date: Option<String>,
    #[serde(default)]
    days: Option<u32>,
    #[serde(default)]
    locations: Option<String>,
    #[serde(default)]
    routes: Option<String>,
    #[serde(default)]
    conflicts: Option<String>,
    #[serde(default)]
    closures: Option<String>,
    #[serde(default)]
    settings: Option<String>,
    #[serde(default)]
    observations: Option<String>,
    #[serde(default)]
    siege: Option<SiegeFile>,
    /// Only in variants: interventions added to the base scenario's.
    #[serde(default)]
    interventions: Vec<InterventionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiegeFile {
    #[serde(default = "one")]
    people_per_agent: u32,
    #[serde(default)]
    screened_share: f64,
    #[serde(default)]
    population: Vec<PopulationFile>,
    #[serde(default)]
    holds: Vec<HoldFile>,
    #[serde(default)]
    exits: Vec<ExitFile>,
    #[serde(default)]
    crossings: Vec<CrossingFile>,
    #[serde(default)]
    screenings: Vec<ScreeningFile>,
    #[serde(default)]
    relocations: Vec<RelocationFile>,
    #[serde(default)]
    interventions: Vec<InterventionFile>,
}

fn one() -> u32 {
    1
}
fn yes() -> bool {
    true
}
fn unit() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PopulationFile {
    location: String,
    people: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HoldFile {
    location: String,
    attempt_rate: f64,
    #[serde(default)]
    until_day: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExitFile {
    from: String,
    to: String,
    #[serde(default = "yes")]
    open: bool,
    #[serde(default)]
    turned_back: f64,
    #[serde(default)]
    shot: f64,
    #[serde(default = "unit")]
    weight: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrossingFile {
    from: String,
    to: String,
    #[serde(default)]
    capacity_per_day: Option<u32>,
    #[serde(default)]
    drowning: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScreeningFile {
    location: String,
    #[serde(default = "yes")]
    active: bool,
    hold_days: [u32; 2],
    #[serde(default)]
    not_released: f64,
    #[serde(default)]
    death_in_custody: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelocationFile {
    from: String,
    to: OneOrMany,
    share_of_overflow: f64,
}

/// A location name or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn names(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InterventionFile {
    day: i64,
    action: String,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    from: Option<String>,
    /// A location; a list of camps for `set_relocation`.
    #[serde(default)]
    to: Option<OneOrMany>,
    #[serde(default)]
    share_of_overflow: Option<f64>,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    turned_back: Option<f64>,
    #[serde(default)]
    shot: Option<f64>,
    #[serde(default)]
    weight: Option<f64>,
    /// A number, or `unlimited`.
    #[serde(default)]
    capacity_per_day: Option<CapacityValue>,
    #[serde(default)]
    drowning: Option<f64>,
    #[serde(default)]
    people: Option<i64>,
    #[serde(default)]
    active: Option<bool>,
    #[serde(default)]
    hold_days: Option<[u32; 2]>,
    #[serde(default)]
    not_released: Option<f64>,
    #[serde(default)]
    death_in_custody: Option<f64>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CapacityValue {
    Number(u32),
    Text(String),
}

const ACTIONS: &str =
    "set_attempt_rate, lift_siege, open_exit, close_exit, set_exit, set_crossing, \
                       close_route, open_route, set_camp_capacity, set_relocation, set_screening";

/// Context for error messages: the YAML file and its text (to find lines).
struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    /// 1-based line of the first line mentioning `needle` after a YAML key.
    fn line_of(&self, needle: &str) -> Option<usize> {
        self.text
            .lines()
            .position(|l| !l.trim_start().starts_with('#') && l.contains(needle))
            .map(|i| i + 1)
    }

    fn err(
        &self,
        field: &str,
        value: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> InputError {
        self.err_near(value, field, value, message, hint)
    }

    /// Like [`Ctx::err`], with the line found by `needle` instead of the value.
    fn err_near(
        &self,
        needle: &str,
        field: &str,
        value: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> InputError {
        InputError::bad_field(
            self.path,
            self.line_of(needle),
            field,
            Some(value),
            message,
            hint,
        )
    }

    fn loc(&self, locs: &Locations, field: &str, name: &str) -> Result<u32, InputError> {
        locs.index.get(name).copied().ok_or_else(|| {
            let hint = match suggest(name, locs.list.iter().map(|l| l.name.as_str())) {
                Some(s) => format!("did you mean '{s}'? Names must match locations.csv exactly"),
                None => {
                    "add the location to locations.csv or fix the name (matching is exact)".into()
                }
            };
            self.err(
                field,
                name,
                "no location with this name in locations.csv",
                hint,
            )
        })
    }

    /// A location that must be a camp (relocations move people between camps).
    fn camp(&self, locs: &Locations, field: &str, name: &str) -> Result<u32, InputError> {
        let id = self.loc(locs, field, name)?;
        self.require_camp(locs, field, id)
    }

    fn require_camp(&self, locs: &Locations, field: &str, id: u32) -> Result<u32, InputError> {
        let l = &locs.list[id as usize];
        if matches!(
            l.kind,
            corridor_model::LocationKind::Camp | corridor_model::LocationKind::IdpCamp
        ) {
            return Ok(id);
        }
        Err(self.err(
            field,
            &l.name,
            format!("'{}' is a {}, not a camp", l.name, l.raw_type),
            "relocations move people out of and into camps (location_type camp in locations.csv)",
        ))
    }

    /// The target camps of the relocation out of `from` (which finds the line).
    fn camps(
        &self,
        locs: &Locations,
        field: &str,
        from: &str,
        names: &OneOrMany,
    ) -> Result<Vec<u32>, InputError> {
        let names = names.names();
        if names.is_empty() {
            return Err(self.err_near(
                &format!("from: {from}"),
                field,
                "[]",
                "the list of target camps is empty",
                "name at least one camp, e.g. `to: [Bzebiz, HTC]`",
            ));
        }
        names.iter().map(|n| self.camp(locs, field, n)).collect()
    }

    fn prob(&self, field: &str, v: f64) -> Result<f64, InputError> {
        if (0.0..=1.0).contains(&v) {
            Ok(v)
        } else {
            Err(self.err(
                field,
                &format!("{field}: {v}"),
                format!("{field} must be a probability in [0, 1], got {v}"),
                "probabilities are per person (shot, drowning, death in custody) or per household (turned back, attempt rate) and per event",
            ))
        }
    }
}

fn parse_yaml(path: &Path) -> Result<(String, NativeFile), InputError> {
    let text = read_text(
        path,
        "a corridor scenario (scenario.yml)",
        "a corridor scenario folder holds scenario.yml; see scenarios/fallujah-2016/ for an example",
    )?;
    let file: NativeFile = serde_saphyr::from_str(&text).map_err(|e| {
        yaml_error(
            path,
            &e,
            "check the key names against the format described in crates/io/src/native.rs \
             (scenarios/fallujah-2016/scenario.yml is a complete example) and the indentation",
        )
    })?;
    Ok((text, file))
}

/// Reads a native scenario (or variant) file.
pub fn read_native_scenario(
    file: &Path,
    settings_override: Option<&Path>,
) -> Result<(Scenario, Vec<Warning>), InputError> {
    let (text, yaml) = parse_yaml(file)?;
    let ctx = Ctx {
        path: file,
        text: &text,
    };
    let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    if let Some(base) = yaml.base.clone() {
        return read_variant(&ctx, &dir, &base, yaml, settings_override);
    }
    let mut warnings = Vec::new();
    let required = |v: &Option<String>, key: &str| -> Result<String, InputError> {
        v.clone().ok_or_else(|| {
            InputErrorKind::Malformed {
                path: file.to_path_buf(),
                line: None,
                message: format!("missing key '{key}'"),
                hint: format!("add `{key}: ...` at the top level of the scenario file"),
            }
            .into()
        })
    };
    let name = yaml.name.clone().unwrap_or_else(|| {
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".into())
    });
    let start_text = required(&yaml.start_date, "start_date")?;
    let start = parse_date(&start_text).ok_or_else(|| {
        ctx.err(
            "start_date",
            &start_text,
            "not a date",
            "write the date as YYYY-MM-DD, e.g. 2016-05-22",
        )
    })?;
    let days = yaml.days.ok_or_else(|| -> InputError {
        InputErrorKind::Malformed {
            path: file.to_path_buf(),
            line: None,
            message: "missing key 'days'".into(),
            hint: "add `days: <number of simulated days>`".into(),
        }
        .into()
    })?;
    let settings = match (settings_override, &yaml.settings) {
        (Some(p), _) => read_settings(p).map(|(s, w)| {
            warnings.extend(w);
            s
        })?,
        (None, Some(p)) => read_settings(&dir.join(p)).map(|(s, w)| {
            warnings.extend(w);
            s
        })?,
        (None, None) => Settings::default(),
    };
    let locs = read_locations(
        &dir.join(required(&yaml.locations, "locations")?),
        &mut warnings,
    )?;
    let routes = read_routes(
        &dir.join(required(&yaml.routes, "routes")?),
        &locs,
        &mut warnings,
    )?;
    let closures = match &yaml.closures {
        Some(p) => read_closures(&dir.join(p), &locs, &mut warnings)?,
        None => Vec::new(),
    };
    let conflicts = match &yaml.conflicts {
        Some(p) => read_conflicts(&dir.join(p), &locs, days, &mut warnings)?,
        None => ConflictTable::default(),
    };
    let mut siege = match &yaml.siege {
        Some(s) => build_siege(&ctx, &locs, s)?,
        None => SiegeModel {
            people_per_agent: 1,
            ..SiegeModel::default()
        },
    };
    if let Some(p) = &yaml.observations {
        siege.observations = read_observations(&dir.join(p), start)?;
    }
    // No camp series drive a siege run: one flat zero series keeps Flee's
    // data-driven spawning idle.
    let validation = ValidationData {
        labels: vec!["total".into()],
        series: vec![vec![CampSeries {
            file: "(none)".into(),
            points: vec![DataPoint { day: 0, count: 0 }],
        }]],
        corrections: vec![],
    };
    let scenario = Scenario {
        name,
        start_date: date::iso(start),
        start_epoch_day: start,
        days,
        locations: locs.list,
        routes,
        closures,
        conflicts,
        validation,
        settings,
        siege: Some(siege),
    };
    Ok((scenario, warnings))
}

fn read_variant(
    ctx: &Ctx,
    dir: &Path,
    base: &str,
    yaml: NativeFile,
    settings_override: Option<&Path>,
) -> Result<(Scenario, Vec<Warning>), InputError> {
    let base_path = dir.join(base);
    if base_path == ctx.path {
        return Err(ctx.err(
            "base",
            base,
            "a variant cannot be its own base",
            "point `base:` at the scenario file",
        ));
    }
    let (mut scenario, warnings) = read_native_scenario(&base_path, settings_override)?;
    if yaml.siege.is_some() || yaml.locations.is_some() || yaml.routes.is_some() {
        return Err(ctx.err(
            "base",
            base,
            "a variant may only add interventions (and set name, description, days)",
            "put structural changes in a scenario of their own; in a variant, write them as interventions",
        ));
    }
    if let Some(n) = yaml.name {
        scenario.name = n;
    }
    if let Some(d) = yaml.days {
        scenario.days = d;
    }
    let locs = Locations::from_list(&scenario.locations);
    let siege = scenario.siege.get_or_insert_with(SiegeModel::default);
    for iv in &yaml.interventions {
        siege
            .interventions
            .push(build_intervention(ctx, &locs, iv)?);
    }
    Ok((scenario, warnings))
}

fn build_siege(ctx: &Ctx, locs: &Locations, s: &SiegeFile) -> Result<SiegeModel, InputError> {
    if s.people_per_agent == 0 || s.people_per_agent > 255 {
        return Err(ctx.err(
            "people_per_agent",
            "people_per_agent",
            format!(
                "people_per_agent must be between 1 and 255, got {}",
                s.people_per_agent
            ),
            "use 6 for IOM-style families, or 1 for one agent per person",
        ));
    }
    let mut m = SiegeModel {
        people_per_agent: s.people_per_agent,
        screened_share: ctx.prob("screened_share", s.screened_share)?,
        ..SiegeModel::default()
    };
    for p in &s.population {
        if p.people < 0 {
            return Err(ctx.err(
                "people",
                &p.people.to_string(),
                "population must not be negative",
                "give people at day 0",
            ));
        }
        m.populations.push(Population {
            location: ctx.loc(locs, "population.location", &p.location)?,
            people: p.people,
        });
    }
    for h in &s.holds {
        m.holds.push(Hold {
            location: ctx.loc(locs, "holds.location", &h.location)?,
            attempt_rate: ctx.prob("attempt_rate", h.attempt_rate)?,
            until_day: h.until_day,
        });
    }
    for e in &s.exits {
        let (from, to) = (
            ctx.loc(locs, "exits.from", &e.from)?,
            ctx.loc(locs, "exits.to", &e.to)?,
        );
        if e.weight < 0.0 {
            return Err(ctx.err(
                "weight",
                &e.to,
                "exit weight must not be negative",
                "use 0 to make an exit unattractive",
            ));
        }
        m.exits.push(Exit {
            from,
            to,
            open: e.open,
            turned_back: ctx.prob("turned_back", e.turned_back)?,
            shot: ctx.prob("shot", e.shot)?,
            weight: e.weight,
        });
    }
    for c in &s.crossings {
        m.crossings.push(Crossing {
            from: ctx.loc(locs, "crossings.from", &c.from)?,
            to: ctx.loc(locs, "crossings.to", &c.to)?,
            capacity_per_day: c.capacity_per_day,
            drowning: ctx.prob("drowning", c.drowning)?,
        });
    }
    for sc in &s.screenings {
        if sc.hold_days[0] > sc.hold_days[1] {
            return Err(ctx.err(
                "hold_days",
                &sc.location,
                format!(
                    "hold_days [{}, {}]: the minimum exceeds the maximum",
                    sc.hold_days[0], sc.hold_days[1]
                ),
                "write hold_days as [min, max] in whole days",
            ));
        }
        m.screenings.push(Screening {
            location: ctx.loc(locs, "screenings.location", &sc.location)?,
            active: sc.active,
            hold_min_days: sc.hold_days[0],
            hold_max_days: sc.hold_days[1],
            not_released: ctx.prob("not_released", sc.not_released)?,
            death_in_custody: ctx.prob("death_in_custody", sc.death_in_custody)?,
        });
    }
    for r in &s.relocations {
        if s.relocations.iter().filter(|o| o.from == r.from).count() > 1 {
            return Err(ctx.err_near(
                &format!("from: {}", r.from),
                "relocations.from",
                &r.from,
                format!("two relocations out of '{}'", r.from),
                "give each camp one relocation, with all its targets in `to: [..]`",
            ));
        }
        m.relocations.push(Relocation {
            from: ctx.camp(locs, "relocations.from", &r.from)?,
            to: ctx.camps(locs, "relocations.to", &r.from, &r.to)?,
            share_of_overflow: ctx.prob("share_of_overflow", r.share_of_overflow)?,
        });
    }
    for iv in &s.interventions {
        m.interventions.push(build_intervention(ctx, locs, iv)?);
    }
    Ok(m)
}

fn build_intervention(
    ctx: &Ctx,
    locs: &Locations,
    iv: &InterventionFile,
) -> Result<Intervention, InputError> {
    let to_name = match &iv.to {
        None => None,
        Some(OneOrMany::One(s)) => Some(s.clone()),
        Some(OneOrMany::Many(_)) if iv.action == "set_relocation" => None,
        Some(OneOrMany::Many(v)) => {
            return Err(ctx.err(
                "to",
                &iv.action,
                format!(
                    "action '{}' takes one location in `to:`, not a list",
                    iv.action
                ),
                format!(
                    "write `to: {}`",
                    v.first().map_or("<location>", |s| s.as_str())
                ),
            ))
        }
    };
    let need = |v: &Option<String>, key: &str| -> Result<u32, InputError> {
        match v {
            Some(name) => ctx.loc(locs, key, name),
            None => Err(ctx.err(
                key,
                &iv.action,
                format!("action '{}' needs `{key}:`", iv.action),
                format!(
                    "add `{key}: <location name>` to the intervention on day {}",
                    iv.day
                ),
            )),
        }
    };
    let value = |key: &str| -> Result<f64, InputError> {
        iv.value.ok_or_else(|| {
            ctx.err(
                key,
                &iv.action,
                format!("action '{}' needs `value:`", iv.action),
                format!(
                    "add `value: <number>` to the intervention on day {}",
                    iv.day
                ),
            )
        })
    };
    let action = match iv.action.as_str() {
        "set_attempt_rate" => Action::SetAttemptRate {
            location: need(&iv.location, "location")?,
            value: ctx.prob("value", value("value")?)?,
        },
        "lift_siege" => Action::LiftSiege {
            location: need(&iv.location, "location")?,
        },
        "open_exit" => Action::OpenExit {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
        },
        "close_exit" => Action::CloseExit {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
        },
        "set_exit" => Action::SetExitHazard {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
            turned_back: iv
                .turned_back
                .map(|v| ctx.prob("turned_back", v))
                .transpose()?,
            shot: iv.shot.map(|v| ctx.prob("shot", v)).transpose()?,
            weight: iv.weight,
        },
        "set_crossing" => Action::SetCrossing {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
            capacity_per_day: match &iv.capacity_per_day {
                None => None,
                Some(CapacityValue::Number(n)) => Some(Some(*n)),
                Some(CapacityValue::Text(t)) if t == "unlimited" => Some(None),
                Some(CapacityValue::Text(t)) => {
                    return Err(ctx.err(
                        "capacity_per_day",
                        t,
                        "capacity_per_day must be a whole number of households or `unlimited`",
                        "e.g. capacity_per_day: 150",
                    ))
                }
            },
            drowning: iv.drowning.map(|v| ctx.prob("drowning", v)).transpose()?,
        },
        "close_route" => Action::CloseRoute {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
        },
        "open_route" => Action::OpenRoute {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
        },
        "set_camp_capacity" => Action::SetCampCapacity {
            camp: need(&iv.location, "location")?,
            people: iv.people.ok_or_else(|| {
                ctx.err(
                    "people",
                    &iv.action,
                    "set_camp_capacity needs `people:`",
                    "add `people: <capacity in people>`",
                )
            })?,
        },
        "set_relocation" => Action::SetRelocation {
            from: ctx.require_camp(locs, "from", need(&iv.from, "from")?)?,
            to: iv
                .to
                .as_ref()
                .map(|t| ctx.camps(locs, "to", iv.from.as_deref().unwrap_or_default(), t))
                .transpose()?,
            share_of_overflow: ctx.prob(
                "share_of_overflow",
                iv.share_of_overflow.ok_or_else(|| {
                    ctx.err(
                        "share_of_overflow",
                        &iv.action,
                        "set_relocation needs `share_of_overflow:`",
                        "add `share_of_overflow: <share of the households above capacity moved per day>` (0 stops it)",
                    )
                })?,
            )?,
        },
        "set_screening" => Action::SetScreening {
            location: need(&iv.location, "location")?,
            active: iv.active,
            hold_days: iv.hold_days.map(|h| (h[0], h[1])),
            not_released: iv
                .not_released
                .map(|v| ctx.prob("not_released", v))
                .transpose()?,
            death_in_custody: iv
                .death_in_custody
                .map(|v| ctx.prob("death_in_custody", v))
                .transpose()?,
        },
        other => {
            let hint = match suggest(other, ACTIONS.split(", ")) {
                Some(s) => format!("did you mean '{s}'? Actions: {ACTIONS}"),
                None => format!("actions: {ACTIONS}"),
            };
            return Err(ctx.err("action", other, "unknown intervention action", hint));
        }
    };
    Ok(Intervention {
        day: iv.day,
        action,
        note: iv.note.clone().unwrap_or_default(),
    })
}

/// `day,what,people,source` (header required). `what` is `displaced`,
/// `in_camps`, `dead`, `detained` or a camp name. A `date` column may replace `day`.
fn read_observations(path: &Path, start: i64) -> Result<Vec<Observation>, InputError> {
    let text = read_text(
        path,
        "observed counts for validation: day,what,people,source",
        "point `observations:` at a CSV with a `day,what,people,source` header",
    )?;
    let rows = csv_rows(path, &text)?;
    let mut it = rows.iter();
    let header = it.next().ok_or_else(|| -> InputError {
        InputErrorKind::Malformed {
            path: path.to_path_buf(),
            line: Some(1),
            message: "empty file".into(),
            hint: "add a `day,what,people,source` header".into(),
        }
        .into()
    })?;
    let col = |name: &str| header.fields.iter().position(|f| f.trim() == name);
    let (day_col, date_col) = (col("day"), col("date"));
    let (Some(what_col), Some(people_col)) = (col("what"), col("people")) else {
        return Err(InputErrorKind::Malformed {
            path: path.to_path_buf(),
            line: Some(header.line),
            message: "the header must name the columns `what` and `people` (and `day` or `date`)"
                .into(),
            hint: "e.g. `day,what,people,source`".into(),
        }
        .into());
    };
    let source_col = col("source");
    let mut out = Vec::new();
    for row in it {
        let get = |c: usize| row.fields.get(c).map(|s| s.trim()).unwrap_or("");
        let day = match (day_col, date_col) {
            (Some(c), _) => py_int(get(c)).ok_or_else(|| {
                InputError::bad_field(
                    path,
                    Some(row.line),
                    "day",
                    Some(get(c)),
                    "not a whole number",
                    "days count from the start date (day 0)",
                )
            })?,
            (None, Some(c)) => parse_date(get(c)).map(|d| d - start).ok_or_else(|| {
                InputError::bad_field(
                    path,
                    Some(row.line),
                    "date",
                    Some(get(c)),
                    "not a date",
                    "write dates as YYYY-MM-DD",
                )
            })?,
            (None, None) => {
                return Err(InputErrorKind::Malformed {
                    path: path.to_path_buf(),
                    line: Some(header.line),
                    message: "no `day` or `date` column".into(),
                    hint: "add a `day` column (days since the start date)".into(),
                }
                .into())
            }
        };
        let people = py_float(get(people_col))
            .filter(|v| *v >= 0.0)
            .ok_or_else(|| {
                InputError::bad_field(
                    path,
                    Some(row.line),
                    "people",
                    Some(get(people_col)),
                    "not a non-negative number",
                    "give the observed number of people",
                )
            })?;
        out.push(Observation {
            day,
            people,
            what: get(what_col).to_string(),
            source: source_col.map(|c| get(c).to_string()).unwrap_or_default(),
        });
    }
    Ok(out)
}
