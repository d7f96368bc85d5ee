//! corridor's native scenario format: one readable YAML file (`scenario.yml`)
//! beside Flee-format CSVs for the network, with the siege mechanics,
//! interventions and observed series written in the YAML. Every key is
//! described for scenario authors in `docs/scenario-format.md` (the reference
//! error hints point to, see [`reference`]) and in the JSON Schema
//! `docs/scenario.schema.json`; `crates/io/tests/reference.rs` checks that the
//! three list the same keys.
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
//! observations: observed/validation.csv   # optional: day,what,observed,low,high,source
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
use crate::flee::{
    read_closures, read_conflicts, read_locations, read_routes, DuplicateNames, Locations,
};
use crate::settings::{read_settings, yaml_error};
use crate::text::{parse_date, read_text, suggest};
use corridor_model::siege::*;
use corridor_model::{
    date, CampSeries, ConflictTable, DataPoint, Scenario, Settings, ValidationData,
};
use std::cell::RefCell;
use std::path::Path;

mod applies;
mod diagnostics;
mod file;
mod flee_variant;
mod lint;
mod observations;
mod returns;
mod screening;
mod shelter;
mod siege;
mod variant;

pub use diagnostics::Diagnostics;
use file::{NativeFile, OneOrMany, SettingsKey};
use observations::read_observations;
use siege::{build_intervention, build_siege};

/// Reads a scenario of either format: a file or folder with `scenario.yml`
/// (native), or a Flee/FabFlee folder. Stops at the first error found; see
/// [`check_scenario`] for all of them at once (both run the same checks).
pub fn read_scenario(
    path: &Path,
    settings: Option<&Path>,
) -> Result<(Scenario, Vec<Warning>), InputError> {
    let (scenario, diagnostics) = check_scenario(path, settings);
    diagnostics.into_result(scenario)
}

/// Reads a scenario of either format and runs every check on it, collecting
/// the problems instead of stopping at the first: the scenario (when it could
/// be read at all) and every error and warning found. [`read_scenario`] is
/// this, stopping when there is an error.
pub fn check_scenario(path: &Path, settings: Option<&Path>) -> (Option<Scenario>, Diagnostics) {
    let errors = RefCell::new(Vec::new());
    let mut d = Diagnostics::default();
    let read = if path.is_file() {
        read_native(path, settings, &errors)
    } else if path.join("scenario.yml").is_file() {
        read_native(&path.join("scenario.yml"), settings, &errors)
    } else {
        // Every file's first error, where the run stops on the first.
        let mut all = Vec::new();
        let (scenario, warnings) = crate::flee::check_flee_scenario(path, settings, &mut all);
        errors.borrow_mut().extend(all);
        match scenario {
            Some(scenario) => {
                let input = path.join("input_csv");
                let (locations, routes) = (input.join("locations.csv"), input.join("routes.csv"));
                lint::network(&scenario, &locations, &routes, &mut d);
                Ok((scenario, warnings))
            }
            None => {
                d.warnings.extend(warnings);
                let e = errors.borrow_mut().pop();
                Err(e.unwrap_or_else(|| {
                    crate::error::InputErrorKind::Malformed {
                        path: path.to_path_buf(),
                        line: None,
                        message: "the scenario could not be read".into(),
                        hint: "run `corridor check` on it".into(),
                    }
                    .into()
                }))
            }
        }
    };
    d.errors.splice(0..0, errors.into_inner());
    match read {
        Ok((scenario, warnings)) => {
            d.warnings.splice(0..0, warnings);
            (Some(scenario), d)
        }
        Err(e) => {
            d.errors.push(e);
            (None, d)
        }
    }
}

/// Context for error messages: the YAML file and its text (to find lines),
/// the entry being read (its line), and where errors found on the way are
/// collected so that one reading reports them all.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
    /// Line of the list entry being read (`exits[3]` …), when known.
    line: Option<usize>,
    /// Errors of entries that were skipped so that reading could go on.
    errors: &'a RefCell<Vec<InputError>>,
}

impl<'a> Ctx<'a> {
    /// The same context, pointing at the entry that starts on `line`.
    fn at(&self, line: u64) -> Ctx<'a> {
        Ctx {
            line: (line > 0).then_some(line as usize),
            ..*self
        }
    }

    /// The same context, pointing at a spanned list entry.
    fn entry<T>(&self, e: &file::Spanned<T>) -> Ctx<'a> {
        self.at(e.referenced.line())
    }

    /// Keeps the value of a check, or records its error and returns `None`
    /// (the caller skips the entry and reads on).
    fn keep<T>(&self, r: Result<T, InputError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.borrow_mut().push(e);
                None
            }
        }
    }

    /// Records an error and reads on.
    fn report(&self, e: InputError) {
        self.errors.borrow_mut().push(e);
    }

    /// 1-based line of the entry being read, else of the first line
    /// mentioning `needle` after a YAML key.
    fn line_of(&self, needle: &str) -> Option<usize> {
        self.line.or_else(|| {
            self.text
                .lines()
                .position(|l| !l.trim_start().starts_with('#') && l.contains(needle))
                .map(|i| i + 1)
        })
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
        let hint = format!("{}; see {}", hint.into(), reference(field));
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
            "relocations and organised transport carry people into camps (location_type camp in locations.csv); a bus line with `leg: true` may end at any place (see docs/scenario-format.md, \"Organised transport\")",
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

/// The reference of the format, which error hints point to.
pub const REFERENCE: &str = "docs/scenario-format.md";

/// The section of the reference (`docs/scenario-format.md#<anchor>`) that
/// documents a field named in an error (`exits.from`, `drowning`, `value` …).
pub fn reference(field: &str) -> String {
    let key = field.split('.').next().unwrap_or(field);
    let anchor = match key {
        "people_per_agent" | "screened_share" => "the-siege-section",
        "population" | "people" => "population",
        "holds" | "attempt_rate" | "until_day" => "held-places",
        "exits" | "turned_back" | "shot" | "weight" => "exits",
        "crossings" | "drowning" | "capacity_per_day" => "river-crossings",
        "screenings" | "hold_days" | "not_released" | "death_in_custody" | "active" => "screening",
        "relocations" | "share_of_overflow" => "organised-transport",
        "observations" | "day" | "date" | "what" => "observations",
        "base" => "variants",
        "close" | "open" | "add_camps" | "capacities" | "from_day" => "variants-of-flee-folders",
        "start_date" | "days" | "name" | "locations" | "routes" => "top-level-keys",
        _ => "interventions",
    };
    format!("{REFERENCE}#{anchor}")
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
            &text,
            &e,
            &format!(
                "check the key names and the indentation against the reference, {REFERENCE} \
                 (scenarios/fallujah-2016/scenario.yml is a complete example)"
            ),
        )
    })?;
    Ok((text, file))
}

/// Reads a native scenario (or variant) file, stopping at the first error.
pub fn read_native_scenario(
    file: &Path,
    settings_override: Option<&Path>,
) -> Result<(Scenario, Vec<Warning>), InputError> {
    let errors = RefCell::new(Vec::new());
    let read = read_native(file, settings_override, &errors);
    let mut errors = errors.into_inner();
    match read {
        Err(e) => Err(e),
        Ok(_) if !errors.is_empty() => Err(errors.swap_remove(0)),
        Ok(ok) => Ok(ok),
    }
}

/// Reads a native scenario (or variant) file: an `Err` when it cannot be
/// read on; entries that fail their checks are skipped, their errors
/// collected in `errors`.
fn read_native(
    file: &Path,
    settings_override: Option<&Path>,
    errors: &RefCell<Vec<InputError>>,
) -> Result<(Scenario, Vec<Warning>), InputError> {
    let (text, yaml) = parse_yaml(file)?;
    let ctx = Ctx {
        path: file,
        text: &text,
        line: None,
        errors,
    };
    let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    if let Some(base) = yaml.base.clone() {
        return variant::read_variant(&ctx, &dir, &base, yaml, settings_override);
    }
    if let Some(iv) = yaml.interventions.first() {
        let ctx = ctx.entry(iv);
        return Err(ctx.err_near(
            "interventions:",
            "interventions",
            &iv.value.action,
            "top-level `interventions:` are read only in variants (files with `base:`)",
            "in a scenario, list interventions under `siege:` (indented)",
        ));
    }
    flee_variant::refuse_in_scenario(&ctx, &yaml)?;
    let mut warnings = Vec::new();
    let required = |v: &Option<String>, key: &str| -> Result<String, InputError> {
        v.clone().ok_or_else(|| {
            InputErrorKind::Malformed {
                path: file.to_path_buf(),
                line: None,
                message: format!("missing key '{key}'"),
                hint: format!(
                    "add `{key}: ...` at the top level of the scenario file; see {}",
                    reference(key)
                ),
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
            hint: format!(
                "add `days: <number of simulated days>`; see {}",
                reference("days")
            ),
        }
        .into()
    })?;
    let settings = match (settings_override, &yaml.settings) {
        (Some(p), _) => read_settings(p).map(|(s, w)| {
            warnings.extend(w);
            s
        })?,
        (None, Some(SettingsKey::File(p))) => read_settings(&dir.join(p)).map(|(s, w)| {
            warnings.extend(w);
            s
        })?,
        (None, Some(SettingsKey::Overrides(_))) => {
            return Err(ctx.err_near(
                "settings:",
                "settings",
                "(a mapping)",
                "a mapping of setting overrides is read only in a variant of a Flee folder",
                "in a scenario, point `settings:` at a simsetting.yml file",
            ))
        }
        (None, None) => Settings::default(),
    };
    if settings.read_from_agents_csv_file {
        warnings.push(Warning::new(
            file,
            None,
            "spawn_rules.read_from_agents_csv_file is on, but a scenario.yml names no agents.csv: \
             no agents are created from it (it applies to Flee folders)",
        ));
    }
    let locations_path = dir.join(required(&yaml.locations, "locations")?);
    let locs = read_locations(&locations_path, DuplicateNames::Refuse, &mut warnings)?;
    let routes_path = dir.join(required(&yaml.routes, "routes")?);
    let routes = read_routes(&routes_path, &locs, &mut warnings)?;
    let closures = match &yaml.closures {
        Some(p) => read_closures(&dir.join(p), &locs, &mut warnings)?,
        None => Vec::new(),
    };
    let conflicts = match &yaml.conflicts {
        Some(p) => read_conflicts(&dir.join(p), &locs, days, &mut warnings)?,
        None => ConflictTable::default(),
    };
    let mut siege = match &yaml.siege {
        Some(s) => build_siege(&ctx, &locs, &routes, days, s)?,
        None => SiegeModel {
            people_per_agent: 1,
            ..SiegeModel::default()
        },
    };
    if let Some(p) = &yaml.observations {
        let camps: Vec<&str> = locs
            .list
            .iter()
            .filter(|l| l.kind.is_camp())
            .map(|l| l.name.as_str())
            .collect();
        let sites: Vec<&str> = siege
            .screenings
            .iter()
            .map(|s| locs.list[s.location as usize].name.as_str())
            .collect();
        let groups: Vec<&str> = siege.departures.iter().map(|g| g.name.as_str()).collect();
        siege.observations =
            read_observations(&dir.join(p), start, &camps, &sites, &groups, errors)?;
    }
    if let Some(p) = &yaml.uncertainty {
        let path = dir.join(p);
        if !path.is_file() {
            return Err(ctx.err(
                "uncertainty",
                p,
                "no such file",
                "point `uncertainty:` at a parameter-space file such as space.yml \
                 (see docs/scenario-format.md, \"Uncertainty and key dates\")",
            ));
        }
        siege.uncertainty = Some(path);
    }
    siege.key_dates = key_dates(&ctx, &yaml.key_dates, days)?;
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
        demographics: Default::default(),
        ipc: None,
        flood: None,
        major_routes: Vec::new(),
        initial_agents: Default::default(),
    };
    let mut network = Diagnostics::default();
    lint::network(&scenario, &locations_path, &routes_path, &mut network);
    errors.borrow_mut().extend(network.errors);
    warnings.extend(network.warnings);
    Ok((scenario, warnings))
}

/// The `key_dates:` of a scenario, checked (0 <= day < days) and sorted by day.
fn key_dates(ctx: &Ctx, list: &[file::KeyDateFile], days: u32) -> Result<Vec<KeyDate>, InputError> {
    let mut out = Vec::new();
    for k in list {
        if k.day < 0 || k.day >= days as i64 {
            return Err(ctx.err_near(
                "key_dates",
                "key_dates.day",
                &k.day.to_string(),
                format!("outside the run (days 0 to {})", days as i64 - 1),
                "give a day of the run, counted from start_date (see docs/scenario-format.md, \"Uncertainty and key dates\")",
            ));
        }
        let label = if k.label.is_empty() {
            format!("day {}", k.day)
        } else {
            k.label.clone()
        };
        out.push(KeyDate { day: k.day, label });
    }
    out.sort_by_key(|k| k.day);
    Ok(out)
}
