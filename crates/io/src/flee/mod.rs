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

mod agents;
mod conflicts;
mod demographics;
mod flood;
mod food;
mod location_changes;
mod locations;
mod major_routes;
mod routes;
mod source_data;
mod unread_inputs;

pub(crate) use conflicts::read_conflicts;
pub(crate) use locations::{read_locations, DuplicateNames, Locations};
pub(crate) use routes::{read_closures, read_routes};
use source_data::{data_error, read_corrections, read_data_layout};

/// Reads a Flee scenario folder.
///
/// `settings`: a `simsetting.yml` to use; when `None`, `<dir>/simsetting.yml`
/// is used if it exists, else Flee's code defaults ([`Settings::default`]).
/// Returns the scenario and the non-fatal warnings found on the way, or the
/// first error in file order (`corridor check` reports those of every file).
pub fn read_flee_scenario(
    dir: &Path,
    settings: Option<&Path>,
) -> Result<(Scenario, Vec<Warning>), InputError> {
    let mut errors = Vec::new();
    let (scenario, warnings) = check_flee_scenario(dir, settings, &mut errors);
    match scenario {
        Some(s) if errors.is_empty() => Ok((s, warnings)),
        _ => Err(errors.into_iter().next().unwrap_or_else(|| {
            InputErrorKind::Malformed {
                path: dir.to_path_buf(),
                line: None,
                message: "the scenario could not be read".into(),
                hint: "run `corridor check` on it".into(),
            }
            .into()
        })),
    }
}

/// Reads a Flee scenario folder as [`read_flee_scenario`] does, collecting
/// into `errors` the first error of every file (a file is read when the files
/// it depends on were: routes after locations, corrections after
/// data_layout.csv); the scenario only when there is none.
pub(crate) fn check_flee_scenario(
    dir: &Path,
    settings: Option<&Path>,
    errors: &mut Vec<InputError>,
) -> (Option<Scenario>, Vec<Warning>) {
    let mut warnings = Vec::new();
    if !dir.is_dir() {
        errors.push(
            InputErrorKind::MissingFile {
                path: dir.to_path_buf(),
                purpose: "the scenario folder, holding input_csv/ and source_data/".into(),
                hint: "pass the folder that contains input_csv/ and source_data/".into(),
            }
            .into(),
        );
        return (None, warnings);
    }
    let scenario = read_files(dir, settings, &mut warnings, errors);
    (scenario.filter(|_| errors.is_empty()), warnings)
}

/// `Some` of an `Ok`; an `Err` goes to `errors`.
fn keep<T>(r: Result<T, InputError>, errors: &mut Vec<InputError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

fn read_files(
    dir: &Path,
    settings: Option<&Path>,
    warnings: &mut Vec<Warning>,
    errors: &mut Vec<InputError>,
) -> Option<Scenario> {
    let settings_path = settings.map_or_else(|| dir.join("simsetting.yml"), Path::to_path_buf);
    let read = match settings {
        Some(p) => Some(read_settings(p)),
        None => {
            let p = dir.join("simsetting.yml");
            if !crate::text::absent(&p) {
                Some(read_settings(&p))
            } else {
                warnings.push(Warning::new(
                    &p,
                    None,
                    "no simsetting.yml: Flee's code defaults apply to every setting \
                     (docs/flee-model.md; pass --settings to use another file)",
                ));
                None
            }
        }
    };
    // Bad settings: the other files are still checked, against the defaults.
    let settings = match read.map(|r| keep(r, errors)) {
        Some(Some((s, w))) => {
            warnings.extend(w);
            s
        }
        _ => Settings::default(),
    };
    let input = dir.join("input_csv");
    let source = dir.join("source_data");

    unread_inputs::warn_conflict_spawning(&settings_path, &settings, warnings);
    unread_inputs::warn_unread_files(&input, &settings, warnings);

    let period = keep(read_sim_period(&input.join("sim_period.csv")), errors);
    let locations_path = input.join("locations.csv");
    let locs = keep(
        read_locations(&locations_path, DuplicateNames::LastWins, warnings),
        errors,
    );
    let days = period.as_ref().map(|p| p.days);
    let flood_mode = settings.flood_mode();
    let (mut routes, mut closures, mut conflicts, mut demographics, mut ipc, mut flood) =
        (None, None, None, None, None, None);
    let (mut major_routes, mut initial_agents) = (Some(Vec::new()), None);
    if let Some(locs) = &locs {
        keep(
            unread_inputs::check_economic_pull(&locations_path, locs, &settings, warnings),
            errors,
        );
        routes = keep(
            read_routes(&input.join("routes.csv"), locs, warnings),
            errors,
        );
        closures = keep(
            read_closures(&input.join("closures.csv"), locs, warnings),
            errors,
        );
        initial_agents = keep(
            agents::read_initial_agents(&input, locs, &settings, warnings),
            errors,
        );
        if let (true, Some(routes)) = (settings.fixed_routes, &routes) {
            major_routes = keep(
                major_routes::read_major_routes(&input, locs, routes, warnings),
                errors,
            );
        }
        if let Some(days) = days {
            conflicts = if flood_mode {
                // Flee neither reads nor applies conflicts.csv in flood mode (docs/flee-model.md 18.4).
                let path = input.join("conflicts.csv");
                if !crate::text::absent(&path) {
                    warnings.push(Warning::new(
                        &path,
                        None,
                        "conflicts.csv is not read in flood mode (as in Flee): conflict zones of \
                         locations.csv keep their intensity but spawn nobody",
                    ));
                }
                Some(corridor_model::ConflictTable::default())
            } else {
                keep(
                    read_conflicts(&input.join("conflicts.csv"), locs, days, warnings),
                    errors,
                )
            };
            let changes = keep(
                location_changes::read_location_changes(dir, locs, days, warnings),
                errors,
            );
            if let (Some(c), Some(changes)) = (&mut conflicts, changes) {
                c.type_changes = changes;
            }
        }
        demographics = keep(
            demographics::read_demographics(&input, locs, warnings),
            errors,
        );
        if let Some(d) = &demographics {
            keep(demographics::check_rules(&input, &settings, d), errors);
        }
        if let Some(days) = days {
            ipc = keep(
                food::read_ipc(&input, locs, days, &settings, warnings),
                errors,
            );
            flood = keep(
                flood::read_flood_levels(&input, locs, days, &settings, warnings),
                errors,
            );
        }
    }
    let layout_path = source.join("data_layout.csv");
    let corrections_path = input.join("registration_corrections.csv");
    let (labels, series) = match &period {
        Some(p) => keep(
            read_data_layout(&layout_path, &source, p.start, flood_mode, warnings),
            errors,
        )?,
        None => return None,
    };
    let corrections = keep(
        read_corrections(&corrections_path, &labels, period.as_ref()?.start, warnings),
        errors,
    );
    let locs = locs?;

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
            errors.push(InputErrorKind::Field {
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
        if !is_camp && flood_mode {
            // Flood mode spawns by flood level and sums no series.
            warnings.push(Warning::new(
                &layout_path,
                Some(*line),
                format!("label '{label}' names no location: its series is not used in flood mode"),
            ));
        } else if !is_camp {
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
    let corrections = corrections?;
    if !errors.is_empty() {
        return None;
    }

    let validation = ValidationData {
        labels: labels.clone(),
        series: series.iter().map(|(s, _)| s.clone()).collect(),
        corrections: corrections.iter().map(|c| c.correction.clone()).collect(),
    };
    // Surface the data problems Flee only hits at run time (corrections that
    // match no point, empty series) now, with file and line.
    if let Err(e) = validation.prepare(settings.hasten as f64, settings.empty_camps_on_day0) {
        errors.push(data_error(
            e,
            &corrections_path,
            &corrections,
            settings.hasten,
        ));
        return None;
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

    let period = period?;
    let scenario = Scenario {
        name,
        start_date: date::iso(period.start),
        start_epoch_day: period.start,
        days: period.days,
        locations: locs.list,
        routes: routes?,
        closures: closures?,
        conflicts: conflicts?,
        validation,
        settings,
        siege: None,
        demographics: demographics?,
        ipc: ipc?,
        flood: flood?,
        major_routes: major_routes?,
        initial_agents: initial_agents?,
    };
    Some(scenario)
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
