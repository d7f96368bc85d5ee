//! Reader for Flee/FabFlee scenario folders (docs/flee-model.md 2.1–2.7):
//! `<dir>/input_csv/*.csv`, `<dir>/source_data/data_layout.csv` and the series
//! files it names, and optionally `<dir>/simsetting.yml`.
//!
//! The parsing rules are Flee's (comment rows start with `#`, Python `int()` /
//! `float()` / `strptime` semantics, header detection in series files,
//! row-position indexing of conflicts.csv, ...). Where Flee crashes or silently
//! does something odd, corridor reports an error or a warning instead:
//!
//! * unknown closure types are an error (Flee ignores them);
//! * unknown conflicts.csv names and unknown location types are warnings;
//! * an empty attribute cell (e.g. `max_move_speed` for one route only) means
//!   "attribute absent" (Flee crashes on the empty string);
//! * `#` rows in registration_corrections.csv are skipped with a warning
//!   (Flee crashes on them);
//! * `location_changes.csv` is read from the scenario folder, where Flee
//!   finds it when run from there; unknown names and types are errors.

use std::path::Path;

use corridor_model::{date, Scenario, Settings, ValidationData};

use crate::error::{InputError, InputErrorKind, Warning};
use crate::settings::read_settings;
use crate::text::{csv_rows, parse_date, py_int, read_text, suggest};

mod conflicts;
mod demographics;
mod flood;
mod food;
mod location_changes;
mod locations;
mod routes;
mod source_data;
mod unread_inputs;

pub(crate) use conflicts::read_conflicts;
pub(crate) use locations::{read_locations, Locations};
pub(crate) use routes::{read_closures, read_routes};
use source_data::{data_error, read_corrections, read_data_layout};

/// Reads a Flee scenario folder.
///
/// `settings`: a `simsetting.yml` to use; when `None`, `<dir>/simsetting.yml`
/// is used if it exists, else Flee's code defaults ([`Settings::default`]).
/// Returns the scenario and the non-fatal warnings found on the way.
pub fn read_flee_scenario(
    dir: &Path,
    settings: Option<&Path>,
) -> Result<(Scenario, Vec<Warning>), InputError> {
    if !dir.is_dir() {
        return Err(InputErrorKind::MissingFile {
            path: dir.to_path_buf(),
            purpose: "the scenario folder, holding input_csv/ and source_data/".into(),
            hint: "pass the folder that contains input_csv/ and source_data/".into(),
        }
        .into());
    }
    let mut warnings = Vec::new();
    let settings_path = settings.map_or_else(|| dir.join("simsetting.yml"), Path::to_path_buf);
    let settings = match settings {
        Some(p) => {
            let (s, w) = read_settings(p)?;
            warnings.extend(w);
            s
        }
        None => {
            let p = dir.join("simsetting.yml");
            if !crate::text::absent(&p) {
                let (s, w) = read_settings(&p)?;
                warnings.extend(w);
                s
            } else {
                warnings.push(Warning::new(
                    &p,
                    None,
                    "no simsetting.yml: Flee's code defaults apply to every setting \
                     (docs/flee-model.md; pass --settings to use another file)",
                ));
                Settings::default()
            }
        }
    };
    let input = dir.join("input_csv");
    let source = dir.join("source_data");

    unread_inputs::warn_conflict_spawning(&settings_path, &settings, &mut warnings);
    unread_inputs::warn_unread_files(&input, &settings, &mut warnings)?;

    let period = read_sim_period(&input.join("sim_period.csv"))?;
    let locations_path = input.join("locations.csv");
    let locs = read_locations(&locations_path, &mut warnings)?;
    unread_inputs::check_economic_pull(&locations_path, &locs, &settings, &mut warnings)?;
    let routes = read_routes(&input.join("routes.csv"), &locs, &mut warnings)?;
    let closures = read_closures(&input.join("closures.csv"), &locs, &mut warnings)?;
    let flood_mode = settings.flood_mode();
    let mut conflicts = if flood_mode {
        // Flee neither reads nor applies conflicts.csv in flood mode (docs/flee-model.md 18.4).
        let path = input.join("conflicts.csv");
        if !crate::text::absent(&path) {
            warnings.push(Warning::new(
                &path,
                None,
                "conflicts.csv is not read in flood mode (as in Flee): conflict zones of locations.csv \
                 keep their intensity but spawn nobody",
            ));
        }
        corridor_model::ConflictTable::default()
    } else {
        read_conflicts(
            &input.join("conflicts.csv"),
            &locs,
            period.days,
            &mut warnings,
        )?
    };
    conflicts.type_changes =
        location_changes::read_location_changes(dir, &locs, period.days, &mut warnings)?;
    let demographics = demographics::read_demographics(&input, &locs, &mut warnings)?;
    demographics::check_rules(&input, &settings, &demographics)?;
    let ipc = food::read_ipc(&input, &locs, period.days, &settings, &mut warnings)?;
    let flood = flood::read_flood_levels(&input, &locs, period.days, &settings, &mut warnings)?;
    let layout_path = source.join("data_layout.csv");
    let (labels, series) = read_data_layout(&layout_path, &source, period.start, &mut warnings)?;
    let corrections_path = input.join("registration_corrections.csv");
    let corrections = read_corrections(&corrections_path, &labels, period.start, &mut warnings)?;

    // Every camp needs a series with exactly its name (run.py crashes otherwise);
    // in flood mode every location is an output "camp" (docs/flee-model.md 18.8).
    for (loc, line) in locs.list.iter().zip(&locs.lines) {
        if (loc.kind.is_camp() || flood_mode) && !labels.contains(&loc.name) {
            let hint = match suggest(&loc.name, labels.iter().map(String::as_str)) {
                Some(s) => format!(
                    "a row is labelled '{s}': labels must equal the location name exactly; \
                     otherwise add `{},<file>.csv` to {}",
                    loc.name,
                    layout_path.display()
                ),
                None => format!(
                    "add a row `{},<file>.csv` to {} (or change the location's type if it is not a camp)",
                    loc.name,
                    layout_path.display()
                ),
            };
            return Err(InputErrorKind::Field {
                path: layout_path.clone(),
                line: None,
                field: "label".into(),
                value: Some(loc.name.clone()),
                message: if flood_mode {
                    format!(
                        "location '{}' (locations.csv line {line}) has no row in data_layout.csv; in flood mode Flee \
                         needs one for every location (all are output columns)",
                        loc.name
                    )
                } else {
                    format!(
                        "camp '{}' (locations.csv line {line}) has no row in data_layout.csv; Flee needs one for every camp",
                        loc.name
                    )
                },
                hint,
            }.into());
        }
    }
    for (label, (_, line)) in labels.iter().zip(&series).skip(1) {
        // In flood mode every location's series is an output column.
        let is_camp = locs
            .index
            .get(label)
            .is_some_and(|&i| flood_mode || locs.list[i as usize].kind.is_camp());
        if !is_camp {
            warnings.push(Warning::new(
                &layout_path,
                Some(*line),
                format!(
                    "label '{label}' is not a camp location: its series still counts towards the daily \
                     number of new agents (sum_from_camps) but gets no output column"
                ),
            ));
        }
    }

    let validation = ValidationData {
        labels: labels.clone(),
        series: series.iter().map(|(s, _)| s.clone()).collect(),
        corrections: corrections.iter().map(|c| c.correction.clone()).collect(),
    };
    // Surface the data problems Flee only hits at run time (corrections that
    // match no point, empty series) now, with file and line.
    if let Err(e) = validation.prepare(settings.hasten as f64, settings.empty_camps_on_day0) {
        return Err(data_error(
            e,
            &corrections_path,
            &corrections,
            settings.hasten,
        ));
    }

    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| {
            dir.canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| dir.display().to_string());

    let scenario = Scenario {
        name,
        start_date: date::iso(period.start),
        start_epoch_day: period.start,
        days: period.days,
        locations: locs.list,
        routes,
        closures,
        conflicts,
        validation,
        settings,
        siege: None,
        demographics,
        ipc,
        flood,
    };
    Ok((scenario, warnings))
}

/// `input_csv/sim_period.csv`: the start date and the number of simulated days.
struct Period {
    start: i64,
    days: u32,
}

fn read_sim_period(path: &Path) -> Result<Period, InputError> {
    let text = read_text(
        path,
        "the simulation period: `StartDate,YYYY-MM-DD` and `Length,<days>`",
        "create it with two lines, e.g. `StartDate,2012-02-29` and `Length,300`",
    )?;
    let mut start = None;
    let mut days = None;
    for row in csv_rows(path, &text)? {
        let key = row.fields[0].trim().to_lowercase();
        if key != "startdate" && key != "length" {
            continue;
        }
        let field = if key == "startdate" {
            "StartDate"
        } else {
            "Length"
        };
        let Some(value) = row.get(1) else {
            return Err(InputError::bad_field(
                path,
                Some(row.line),
                field,
                None,
                "the row has no value",
                format!("write `{field},<value>` on one line"),
            ));
        };
        if key == "startdate" {
            let d = parse_date(value).ok_or_else(|| {
                InputError::bad_field(
                    path,
                    Some(row.line),
                    field,
                    Some(value),
                    "not a date of the form YYYY-MM-DD",
                    "write e.g. `StartDate,2012-02-29` (no spaces around the date)",
                )
            })?;
            start = Some(d);
        } else {
            let n = py_int(value)
                .filter(|&n| n >= 1)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    InputError::bad_field(
                        path,
                        Some(row.line),
                        field,
                        Some(value),
                        "the number of simulated days must be a positive whole number",
                        "write e.g. `Length,300`",
                    )
                })?;
            days = Some(n);
        }
    }
    let start = start.ok_or_else(|| {
        InputError::bad_field(
            path,
            None,
            "StartDate",
            None,
            "sim_period.csv has no StartDate row",
            "add a line `StartDate,YYYY-MM-DD` (day 0 of the simulation)",
        )
    })?;
    let days = days.ok_or_else(|| {
        InputError::bad_field(
            path,
            None,
            "Length",
            None,
            "sim_period.csv has no Length row",
            "add a line `Length,<days>` (the number of simulated days)",
        )
    })?;
    Ok(Period { start, days })
}
