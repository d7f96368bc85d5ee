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
//!   (Flee crashes on them).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use corridor_model::{
    date, CampSeries, Closure, ClosureKind, ConflictTable, DataError, DataPoint, LocId, Location,
    LocationKind, RegistrationCorrection, Route, Scenario, Settings, ValidationData,
};

use crate::error::{InputError, InputErrorKind, Warning};
use crate::settings::read_settings;
use crate::text::{csv_rows, parse_date, py_float, py_int, read_text, suggest, Row};

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
    let settings = match settings {
        Some(p) => {
            let (s, w) = read_settings(p)?;
            warnings.extend(w);
            s
        }
        None => {
            let p = dir.join("simsetting.yml");
            if p.is_file() {
                let (s, w) = read_settings(&p)?;
                warnings.extend(w);
                s
            } else {
                Settings::default()
            }
        }
    };
    let input = dir.join("input_csv");
    let source = dir.join("source_data");

    let period = read_sim_period(&input.join("sim_period.csv"))?;
    let locs = read_locations(&input.join("locations.csv"), &mut warnings)?;
    let routes = read_routes(&input.join("routes.csv"), &locs, &mut warnings)?;
    let closures = read_closures(&input.join("closures.csv"), &locs, &mut warnings)?;
    let conflicts = read_conflicts(
        &input.join("conflicts.csv"),
        &locs,
        period.days,
        &mut warnings,
    )?;
    let layout_path = source.join("data_layout.csv");
    let (labels, series) = read_data_layout(&layout_path, &source, period.start, &mut warnings)?;
    let corrections_path = input.join("registration_corrections.csv");
    let corrections = read_corrections(&corrections_path, &labels, period.start, &mut warnings)?;

    // Every camp needs a series with exactly its name (run.py crashes otherwise).
    for (loc, line) in locs.list.iter().zip(&locs.lines) {
        if loc.kind.is_camp() && !labels.contains(&loc.name) {
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
                message: format!(
                    "camp '{}' (locations.csv line {line}) has no row in data_layout.csv; Flee needs one for every camp",
                    loc.name
                ),
                hint,
            }.into());
        }
    }
    for (label, (_, line)) in labels.iter().zip(&series).skip(1) {
        let is_camp = locs
            .index
            .get(label)
            .is_some_and(|&i| locs.list[i as usize].kind.is_camp());
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
    };
    Ok((scenario, warnings))
}

// ---------------------------------------------------------------------------
// sim_period.csv

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

// ---------------------------------------------------------------------------
// locations.csv

pub(crate) struct Locations {
    pub(crate) list: Vec<Location>,
    /// 1-based line of each location.
    lines: Vec<usize>,
    pub(crate) index: HashMap<String, LocId>,
}

impl Locations {
    /// Name index over an already-read list (line numbers unknown).
    pub(crate) fn from_list(list: &[Location]) -> Locations {
        Locations {
            list: list.to_vec(),
            lines: vec![0; list.len()],
            index: list
                .iter()
                .enumerate()
                .map(|(i, l)| (l.name.clone(), i as LocId))
                .collect(),
        }
    }

    fn id(&self, name: &str) -> Option<LocId> {
        self.index.get(name).copied()
    }

    /// Error for a name that is not a location.
    fn unknown(&self, path: &Path, line: usize, field: &str, name: &str) -> InputError {
        let hint = match suggest(name, self.list.iter().map(|l| l.name.as_str())) {
            Some(s) => format!("did you mean '{s}'? Names must match locations.csv exactly (case-sensitive, no trimming)"),
            None => "add the location to input_csv/locations.csv or fix the name (matching is exact and case-sensitive)".into(),
        };
        InputError::bad_field(
            path,
            Some(line),
            field,
            Some(name),
            "no location with this name in locations.csv",
            hint,
        )
    }
}

const LOCATION_COLUMNS: [&str; 8] = [
    "name",
    "region",
    "country",
    "latitude",
    "longitude",
    "location_type",
    "conflict_date",
    "population",
];

/// Data rows and the attribute column names of a Flee table whose `#` header
/// rows with more than `fixed` fields append names to the column list.
fn split_table(
    path: &Path,
    rows: Vec<Row>,
    base: &[&str],
) -> Result<(Vec<Row>, Vec<String>), InputError> {
    let mut columns: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    let mut data = Vec::new();
    for row in rows {
        if row.fields[0].is_empty() {
            return Err(InputError::bad_field(
                path,
                Some(row.line),
                base[0],
                Some(""),
                "the first field is empty (Flee crashes on such rows)",
                "fill in the name, or start the line with # to make it a comment or header",
            ));
        }
        if row.is_comment() {
            if row.fields.len() > base.len() {
                columns.extend(row.fields[base.len()..].iter().cloned());
            }
            continue;
        }
        data.push(row);
    }
    Ok((data, columns))
}

/// Checks a data row against the column list: enough fields, and no values
/// in unnamed columns. `min` fields are required; attribute names come from
/// header rows longer than `fixed`. Returns how many fields to read.
fn check_width(
    path: &Path,
    row: &Row,
    columns: &[String],
    (min, fixed): (usize, usize),
    what: &str,
    warned_trailing: &mut bool,
    warnings: &mut Vec<Warning>,
) -> Result<usize, InputError> {
    let n = row.fields.len();
    if n < min {
        return Err(InputError::bad_field(
            path,
            Some(row.line),
            columns[n].as_str(),
            None,
            format!("the row has {n} fields but {what} rows need at least {min}"),
            format!("columns are: {}", columns[..min].join(", ")),
        ));
    }
    if n > columns.len() {
        if let Some(k) = (columns.len()..n).find(|&k| !row.fields[k].trim().is_empty()) {
            return Err(InputError::bad_field(
                path,
                Some(row.line),
                format!("column {}", k + 1),
                Some(&row.fields[k]),
                format!(
                    "the row has {n} fields but only {} columns are named",
                    columns.len()
                ),
                format!(
                    "name extra attribute columns in a header row starting with # that has more than {fixed} fields"
                ),
            ));
        }
        if !*warned_trailing {
            *warned_trailing = true;
            warnings.push(Warning::new(
                path,
                Some(row.line),
                "empty fields beyond the named columns (trailing commas) are ignored",
            ));
        }
        return Ok(columns.len());
    }
    Ok(n)
}

pub(crate) fn read_locations(
    path: &Path,
    warnings: &mut Vec<Warning>,
) -> Result<Locations, InputError> {
    let text = read_text(
        path,
        "the location list: name, region, country, latitude, longitude, location_type, conflict_date, population",
        "every Flee scenario needs input_csv/locations.csv",
    )?;
    let (rows, columns) = split_table(path, csv_rows(path, &text)?, &LOCATION_COLUMNS)?;
    let mut out = Locations {
        list: Vec::with_capacity(rows.len()),
        lines: Vec::with_capacity(rows.len()),
        index: HashMap::new(),
    };
    let mut warned_trailing = false;
    for row in &rows {
        let width = check_width(
            path,
            row,
            &columns,
            (8, 8),
            "locations.csv",
            &mut warned_trailing,
            warnings,
        )?;
        let f = &row.fields;
        let line = row.line;
        let bad = |field: &str, value: &str, message: &str, hint: &str| {
            InputError::bad_field(path, Some(line), field, Some(value), message, hint)
        };
        let name = f[0].clone();
        if let Some(&prev) = out.index.get(&name) {
            return Err(bad(
                "name",
                &name,
                &format!(
                    "location defined twice (first on line {})",
                    out.lines[prev as usize]
                ),
                "location names must be unique; rename or delete one of the rows",
            ));
        }
        let or_unknown = |s: &str| {
            if s.is_empty() {
                "unknown".to_string()
            } else {
                s.to_string()
            }
        };
        let coord = |i: usize| -> Result<f64, InputError> {
            if f[i].is_empty() {
                return Ok(0.0);
            }
            py_float(&f[i]).ok_or_else(|| {
                bad(
                    LOCATION_COLUMNS[i],
                    &f[i],
                    "not a number",
                    "write a decimal number such as 12.34, or leave the field empty",
                )
            })
        };
        let (lat, lon) = (coord(3)?, coord(4)?);
        let raw_type = f[5].clone();
        let (kind, conflict_date) = if raw_type.to_lowercase().contains("conflict") {
            let d = py_int(&f[6]).ok_or_else(|| {
                bad(
                    "conflict_date",
                    &f[6],
                    "conflict locations need an integer conflict_date (Flee crashes otherwise)",
                    "use 0 (or less) to start as a conflict zone on day 0; a positive value starts it as a town and \
                     leaves the onset to conflicts.csv",
                )
            })?;
            let kind = if d > 0 {
                LocationKind::Town
            } else {
                LocationKind::parse(&raw_type)
            };
            (kind, d)
        } else {
            (LocationKind::parse(&raw_type), py_int(&f[6]).unwrap_or(0))
        };
        if kind == LocationKind::Other {
            warnings.push(Warning::new(
                path,
                Some(line),
                format!(
                    "location '{name}' has type {raw_type:?}, which matches none of Flee's types (camp, idpcamp, \
                     conflict_zone, town, forwarding_hub, marker, flood_zone); Flee keeps move chance 1.0 and sets no flags"
                ),
            ));
        }
        let pop_or_capacity = if f[7].is_empty() {
            0
        } else {
            let what = if kind.is_camp() {
                "capacity"
            } else {
                "population"
            };
            match py_int(&f[7]) {
                Some(n) if n >= 0 => n,
                Some(_) => {
                    return Err(bad(
                        "population",
                        &f[7],
                        &format!("{what} must not be negative"),
                        "use 0 when unknown (for camps 0 means no capacity limit)",
                    ))
                }
                None => return Err(bad(
                    "population",
                    &f[7],
                    &format!("{what} must be an integer literal"),
                    "write digits only, e.g. 22849 (Flee's int() rejects \"123.0\" and \"22,849\")",
                )),
            }
        };
        let mut loc = Location {
            name: name.clone(),
            region: or_unknown(&f[1]),
            country: or_unknown(&f[2]),
            lat,
            lon,
            raw_type,
            kind,
            conflict_date,
            pop_or_capacity,
            conflict_intensity: 1.0,
            capacity_per_day: 0,
            initial_idps: 0,
            attributes: Vec::new(),
        };
        for i in 8..width {
            let (col, value) = (columns[i].as_str(), f[i].as_str());
            let empty = value.trim().is_empty();
            match col {
                "conflict_intensity" => {
                    if empty {
                        continue;
                    }
                    match py_float(value) {
                        Some(v) if v.is_finite() => loc.conflict_intensity = v,
                        _ if kind == LocationKind::Conflict => {
                            return Err(bad(
                                col,
                                value,
                                "conflict_intensity must be a finite number",
                                "write e.g. 1.0, or leave the cell empty for the default 1.0",
                            ))
                        }
                        _ => {}
                    }
                }
                "capacity_per_day" => {
                    if empty {
                        continue;
                    }
                    loc.capacity_per_day = py_int(value).ok_or_else(|| {
                        bad(
                            col,
                            value,
                            "capacity_per_day must be an integer",
                            "write a whole number of places added per day, or leave the cell empty",
                        )
                    })?;
                }
                "initial_idps" => {
                    if empty {
                        continue;
                    }
                    if kind.is_camp() {
                        loc.initial_idps =
                            match py_int(value) {
                                Some(n) if n >= 0 => n,
                                _ => return Err(bad(
                                    col,
                                    value,
                                    "initial_idps must be a non-negative integer",
                                    "write the number of agents to place in the camp before day 0",
                                )),
                            };
                    } else if py_int(value) != Some(0) {
                        warnings.push(Warning::new(
                            path,
                            Some(line),
                            format!(
                                "initial_idps = {value:?} at non-camp '{name}' is ignored (Flee only inserts initial IDPs at camps)"
                            ),
                        ));
                    }
                }
                _ => loc.attributes.push((col.to_string(), value.to_string())),
            }
        }
        out.index.insert(name, out.list.len() as LocId);
        out.list.push(loc);
        out.lines.push(line);
    }
    if out.list.is_empty() {
        return Err(InputErrorKind::Malformed {
            path: path.to_path_buf(),
            line: None,
            message: "no locations (only comment rows or an empty file)".into(),
            hint: "add one row per location; header rows must start with #".into(),
        }
        .into());
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// routes.csv

const ROUTE_COLUMNS: [&str; 4] = ["name1", "name2", "distance", "forced_redirection"];

pub(crate) fn read_routes(
    path: &Path,
    locs: &Locations,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Route>, InputError> {
    let text = read_text(
        path,
        "the route list: name1, name2, distance_km[, forced_redirection]",
        "every Flee scenario needs input_csv/routes.csv",
    )?;
    let (rows, columns) = split_table(path, csv_rows(path, &text)?, &ROUTE_COLUMNS)?;
    let mut routes = Vec::with_capacity(rows.len());
    let mut warned_trailing = false;
    for row in &rows {
        let width = check_width(
            path,
            row,
            &columns,
            (3, 4),
            "routes.csv",
            &mut warned_trailing,
            warnings,
        )?;
        let f = &row.fields;
        let line = row.line;
        let bad = |field: &str, value: &str, message: &str, hint: &str| {
            InputError::bad_field(path, Some(line), field, Some(value), message, hint)
        };
        let from = locs
            .id(&f[0])
            .ok_or_else(|| locs.unknown(path, line, "name1", &f[0]))?;
        let to = locs
            .id(&f[1])
            .ok_or_else(|| locs.unknown(path, line, "name2", &f[1]))?;
        let distance_km = match py_float(&f[2]) {
            Some(d) if d.is_finite() && d >= 0.0 => d,
            _ => {
                return Err(bad(
                    "distance",
                    &f[2],
                    "distance must be a non-negative number of km",
                    "write the route length in km, e.g. 48 or 48.5",
                ))
            }
        };
        let forced_redirection = match f.get(3).map(|s| s.as_str()) {
            None | Some("") => 0,
            Some(v) => match py_int(v) {
                Some(n @ 0..=2) => n as u8,
                _ => {
                    return Err(bad(
                        "forced_redirection",
                        v,
                        "forced_redirection must be empty, 0, 1 or 2",
                        "leave it empty for an ordinary route",
                    ))
                }
            },
        };
        if forced_redirection == 1 {
            warnings.push(Warning::new(
                path,
                Some(line),
                "forced_redirection 1: Flee creates this route twice (a quirk), doubling the neighbour's choice weight",
            ));
        }
        let mut route = Route {
            from,
            to,
            distance_km,
            forced_redirection,
            max_move_speed: None,
            walk_probability: 0.0,
        };
        for i in 4..width {
            let (col, value) = (columns[i].as_str(), f[i].as_str());
            if value.trim().is_empty() {
                continue;
            }
            match col {
                "max_move_speed" => match py_float(value) {
                    Some(v) if v.is_finite() && v > 0.0 => route.max_move_speed = Some(v),
                    _ => return Err(bad(
                        col,
                        value,
                        "max_move_speed must be a positive number of km per day",
                        "write e.g. 200, or leave the cell empty to use move_rules.max_move_speed",
                    )),
                },
                "walk_probability" => match py_float(value) {
                    Some(v) if (0.0..=1.0).contains(&v) => route.walk_probability = v,
                    _ => {
                        return Err(bad(
                            col,
                            value,
                            "walk_probability must be a probability between 0 and 1",
                            "write e.g. 0.25, or leave the cell empty for 0",
                        ))
                    }
                },
                _ => {}
            }
        }
        routes.push(route);
    }
    Ok(routes)
}

// ---------------------------------------------------------------------------
// closures.csv

const CLOSURE_COLUMNS: [&str; 5] = [
    "closure_type",
    "name1",
    "name2",
    "closure_start",
    "closure_end",
];
const CLOSURE_TYPES: [&str; 6] = [
    "country",
    "location",
    "link",
    "camp",
    "idpcamp",
    "remove_forced_redirection",
];

pub(crate) fn read_closures(
    path: &Path,
    locs: &Locations,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Closure>, InputError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = read_text(path, "border and location closures", "")?;
    let (rows, columns) = split_table(path, csv_rows(path, &text)?, &CLOSURE_COLUMNS)?;
    let countries: HashSet<&str> = locs.list.iter().map(|l| l.country.as_str()).collect();
    let mut out = Vec::with_capacity(rows.len());
    let mut warned_trailing = false;
    for row in &rows {
        check_width(
            path,
            row,
            &columns,
            (5, 5),
            "closures.csv",
            &mut warned_trailing,
            warnings,
        )?;
        let f = &row.fields;
        let line = row.line;
        let kind = match f[0].as_str() {
            "country" => ClosureKind::Country,
            "location" => ClosureKind::Location,
            "link" => ClosureKind::Link,
            "camp" => ClosureKind::Camp,
            "idpcamp" => ClosureKind::IdpCamp,
            "remove_forced_redirection" => ClosureKind::RemoveForcedRedirection,
            other => {
                let mut hint = format!("valid types: {}", CLOSURE_TYPES.join(", "));
                if let Some(s) = suggest(other.trim(), CLOSURE_TYPES) {
                    hint = format!("did you mean '{s}'? {hint}");
                }
                hint.push_str(
                    ". Flee silently ignores unknown types; corridor rejects them so that typos are caught \
                     (delete the row if it was meant to do nothing)",
                );
                return Err(InputError::bad_field(
                    path,
                    Some(line),
                    "closure_type",
                    Some(other),
                    "unknown closure type",
                    hint,
                ));
            }
        };
        let int = |i: usize| {
            py_int(&f[i]).ok_or_else(|| {
                InputError::bad_field(
                    path,
                    Some(line),
                    CLOSURE_COLUMNS[i],
                    Some(&f[i]),
                    "must be a whole number of days since the start",
                    "write a day index such as 0 or 90; -1 as the end means \"never reopen\"",
                )
            })
        };
        let (start, end) = (int(3)?, int(4)?);
        match kind {
            ClosureKind::Country => {
                for (i, field) in [(1, "name1"), (2, "name2")] {
                    if !countries.contains(f[i].as_str()) {
                        let hint = match suggest(&f[i], countries.iter().copied()) {
                            Some(s) => format!("did you mean '{s}'? country closures name countries (column 3 of locations.csv)"),
                            None => "country closures name countries as written in column 3 of locations.csv".into(),
                        };
                        return Err(InputError::bad_field(
                            path,
                            Some(line),
                            field,
                            Some(&f[i]),
                            "no location has this country",
                            hint,
                        ));
                    }
                }
            }
            ClosureKind::Location | ClosureKind::Camp | ClosureKind::IdpCamp => {
                let id = locs
                    .id(&f[1])
                    .ok_or_else(|| locs.unknown(path, line, "name1", &f[1]))?;
                if matches!(kind, ClosureKind::Camp | ClosureKind::IdpCamp)
                    && !locs.list[id as usize].kind.is_camp()
                {
                    warnings.push(Warning::new(
                        path,
                        Some(line),
                        format!(
                            "'{}' closure of '{}', which is not a camp: Flee turns it into a town and, on reopening, into a camp",
                            f[0], f[1]
                        ),
                    ));
                }
            }
            ClosureKind::Link | ClosureKind::RemoveForcedRedirection => {
                locs.id(&f[1])
                    .ok_or_else(|| locs.unknown(path, line, "name1", &f[1]))?;
                locs.id(&f[2])
                    .ok_or_else(|| locs.unknown(path, line, "name2", &f[2]))?;
            }
        }
        out.push(Closure {
            kind,
            name1: f[1].clone(),
            name2: f[2].clone(),
            start,
            end,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// conflicts.csv

pub(crate) fn read_conflicts(
    path: &Path,
    locs: &Locations,
    days: u32,
    warnings: &mut Vec<Warning>,
) -> Result<ConflictTable, InputError> {
    let text = read_text(
        path,
        "the conflict schedule: a header naming locations, then one row of intensities per day",
        "Flee's run.py always reads input_csv/conflicts.csv; create it with a `#Day,<location>,...` header \
         and one row per simulated day",
    )?;
    let rows = csv_rows(path, &text)?;
    let Some((header, data)) = rows.split_first() else {
        return Err(InputErrorKind::Malformed {
            path: path.to_path_buf(),
            line: None,
            message: "the file is empty".into(),
            hint: "add a header `#Day,<location>,...` and one row per simulated day".into(),
        }
        .into());
    };
    // (column index, trimmed name)
    let names: Vec<(usize, String)> = header
        .fields
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, n)| (i, n.trim().to_string()))
        .filter(|(_, n)| !n.is_empty())
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, n) in &names {
        if let Some(prev) = seen.insert(n.as_str(), *i) {
            return Err(InputError::bad_field(
                path,
                Some(header.line),
                format!("column {}", i + 1),
                Some(n),
                format!(
                    "location named twice in the header (also column {})",
                    prev + 1
                ),
                "give each location one column",
            ));
        }
    }
    let named: HashMap<usize, &str> = names.iter().map(|(i, n)| (*i, n.as_str())).collect();
    let mut values: HashMap<usize, Vec<f64>> =
        names.iter().map(|(i, _)| (*i, Vec::new())).collect();
    // First data row that gave a column no value (Flee then misaligns days).
    let mut short_at: HashMap<usize, usize> = HashMap::new();
    for row in data {
        for (i, raw) in row.fields.iter().enumerate().skip(1) {
            let Some(&name) = named.get(&i) else {
                if i >= header.fields.len() && !raw.trim().is_empty() {
                    return Err(InputError::bad_field(
                        path,
                        Some(row.line),
                        format!("column {}", i + 1),
                        Some(raw),
                        format!(
                            "the row has {} fields but the header only {}",
                            row.fields.len(),
                            header.fields.len()
                        ),
                        "add the location's name to the header row or delete the extra value",
                    ));
                }
                continue;
            };
            let v = py_float(raw.trim())
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    InputError::bad_field(
                        path,
                        Some(row.line),
                        name,
                        Some(raw),
                        "conflict intensity must be a finite number",
                        "write 0 for no conflict and a positive intensity (usually 1) for conflict",
                    )
                })?;
            if let Some(col) = values.get_mut(&i) {
                col.push(v);
            }
        }
        for (i, _) in &names {
            if row.fields.len() <= *i {
                short_at.entry(*i).or_insert(row.line);
            }
        }
    }
    let mut table = ConflictTable::default();
    for (i, name) in &names {
        let col = values.remove(i).unwrap_or_default();
        let Some(id) = locs.id(name) else {
            let mut msg =
                format!("column '{name}' names no location; Flee prints an error and ignores it");
            if let Some(s) = suggest(name, locs.list.iter().map(|l| l.name.as_str())) {
                msg.push_str(&format!(" (did you mean '{s}'?)"));
            }
            warnings.push(Warning::new(path, Some(header.line), msg));
            continue;
        };
        if col.len() < days as usize {
            return Err(InputErrorKind::Field {
                path: path.to_path_buf(),
                line: short_at.get(i).copied(),
                field: name.clone(),
                value: None,
                message: format!(
                    "the column has {} day values but the simulation runs {days} days: conflicts.csv needs at least \
                     {days} data rows (one per day, by row position), found {}",
                    col.len(),
                    col.len()
                ),
                hint: format!(
                    "add rows up to day {} (or shorten Length in sim_period.csv); every row needs a value for every column",
                    days - 1
                ),
            }.into());
        }
        table.columns.push((id, col));
    }
    Ok(table)
}

// ---------------------------------------------------------------------------
// source_data/

/// Labels and, per label, its series files plus the data_layout line.
type Layout = (Vec<String>, Vec<(Vec<CampSeries>, usize)>);

fn read_data_layout(
    path: &Path,
    source: &Path,
    start: i64,
    warnings: &mut Vec<Warning>,
) -> Result<Layout, InputError> {
    let text = read_text(
        path,
        "the list of validation series: `label,file.csv` per row, the first being `total,refugees.csv`",
        "create source_data/data_layout.csv with `total,refugees.csv` and one `<camp>,<file>.csv` row per camp",
    )?;
    let mut labels: Vec<String> = Vec::new();
    let mut series: Vec<(Vec<CampSeries>, usize)> = Vec::new();
    for row in csv_rows(path, &text)? {
        if row.fields.len() < 2 {
            if !row.is_comment() {
                warnings.push(Warning::new(
                    path,
                    Some(row.line),
                    format!("row {:?} names no file and is skipped", row.fields[0]),
                ));
            }
            continue;
        }
        let label = row.fields[0].clone();
        if label.is_empty() {
            return Err(InputError::bad_field(
                path,
                Some(row.line),
                "label",
                Some(""),
                "the label is empty (Flee crashes on such rows)",
                "write the camp name (or `total` on the first row)",
            ));
        }
        if row.is_comment() {
            continue;
        }
        if labels.is_empty() && label != "total" {
            return Err(InputError::bad_field(
                path,
                Some(row.line),
                "label",
                Some(&label),
                "the first row must be the total series",
                "put `total,refugees.csv` first: Flee treats row 0 as the total and excludes it from camp sums",
            ));
        }
        if let Some(prev) = labels.iter().position(|l| *l == label) {
            return Err(InputError::bad_field(
                path,
                Some(row.line),
                "label",
                Some(&label),
                format!("label listed twice (first on line {})", series[prev].1),
                "list several files of one camp on the same row: `label,a.csv,b.csv`",
            ));
        }
        let files: Vec<&String> = row.fields[1..]
            .iter()
            .enumerate()
            .filter(|(k, f)| *k == 0 || !f.trim().is_empty())
            .map(|(_, f)| f)
            .collect();
        let mut list = Vec::with_capacity(files.len());
        for file in files {
            if file.is_empty() {
                return Err(InputError::bad_field(
                    path,
                    Some(row.line),
                    "file",
                    Some(""),
                    "no series file named",
                    "write `label,file.csv`",
                ));
            }
            let purpose = format!(
                "the validation series of '{label}' (listed in {} line {})",
                path.display(),
                row.line
            );
            list.push(read_series(
                &source.join(file),
                file,
                &purpose,
                start,
                warnings,
            )?);
        }
        labels.push(label);
        series.push((list, row.line));
    }
    if labels.is_empty() {
        return Err(InputErrorKind::Malformed {
            path: path.to_path_buf(),
            line: None,
            message: "no series listed".into(),
            hint: "the first row must be `total,refugees.csv`, followed by one `<camp>,<file>.csv` row per camp".into(),
        }.into());
    }
    Ok((labels, series))
}

fn read_series(
    path: &Path,
    file: &str,
    purpose: &str,
    start: i64,
    warnings: &mut Vec<Warning>,
) -> Result<CampSeries, InputError> {
    let text = read_text(
        path,
        purpose,
        "create the file (one `YYYY-MM-DD,count` row per observation) or fix its name in data_layout.csv",
    )?;
    let mut points: Vec<DataPoint> = Vec::new();
    let mut warned_order = false;
    for (k, row) in csv_rows(path, &text)?.into_iter().enumerate() {
        let f = &row.fields;
        if f.len() < 2 {
            continue;
        }
        if k == 0 && (f[0].is_empty() || f[0] == "Date" || f[0] == "DateTime") {
            continue; // header
        }
        if f[0].is_empty() {
            return Err(InputError::bad_field(
                path,
                Some(row.line),
                "date",
                Some(""),
                "the date is empty (Flee crashes on such rows)",
                "write `YYYY-MM-DD,count`, or start the line with # to comment it out",
            ));
        }
        if f[0].starts_with('#') || f[1].is_empty() {
            continue;
        }
        let day = parse_date(&f[0]).ok_or_else(|| {
            let hint = if k == 0 {
                "dates are YYYY-MM-DD with no spaces; a header row must be named Date or DateTime or start with #"
            } else {
                "dates are YYYY-MM-DD with no spaces around them"
            };
            InputError::bad_field(
                path,
                Some(row.line),
                "date",
                Some(&f[0]),
                "not a date of the form YYYY-MM-DD",
                hint,
            )
        })? - start;
        let count = py_int(&f[1]).ok_or_else(|| {
            InputError::bad_field(
                path,
                Some(row.line),
                "count",
                Some(&f[1]),
                "the count must be an integer literal",
                "write digits only, e.g. 1234 (Flee's int() rejects \"123.0\")",
            )
        })?;
        if let Some(prev) = points.last() {
            if day < prev.day && !warned_order {
                warned_order = true;
                warnings.push(Warning::new(
                    path,
                    Some(row.line),
                    "the dates go back in time here; Flee does not sort series points and neither does corridor, \
                     so interpolation follows file order",
                ));
            }
        }
        points.push(DataPoint { day, count });
    }
    if points.is_empty() {
        return Err(InputErrorKind::Malformed {
            path: path.to_path_buf(),
            line: None,
            message: "the series has no data points".into(),
            hint: "add at least one `YYYY-MM-DD,count` row (Flee exits on empty series)".into(),
        }
        .into());
    }
    Ok(CampSeries {
        file: file.to_string(),
        points,
    })
}

struct CorrectionRow {
    correction: RegistrationCorrection,
    line: usize,
    date: String,
}

fn read_corrections(
    path: &Path,
    labels: &[String],
    start: i64,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<CorrectionRow>, InputError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = read_text(path, "registration corrections", "")?;
    let mut out = Vec::new();
    for row in csv_rows(path, &text)? {
        let f = &row.fields;
        if f.len() < 2 {
            continue;
        }
        if row.is_comment() {
            warnings.push(Warning::new(
                path,
                Some(row.line),
                "comment/header row skipped; note that Flee has no comment rule here and would crash on it",
            ));
            continue;
        }
        if !labels.contains(&f[0]) {
            let hint = match suggest(&f[0], labels.iter().map(String::as_str)) {
                Some(s) => format!("did you mean '{s}'? The name must be a label in source_data/data_layout.csv"),
                None => "the name must be a label in source_data/data_layout.csv (this file has no header row)".into(),
            };
            return Err(InputError::bad_field(
                path,
                Some(row.line),
                "camp_name",
                Some(&f[0]),
                "not a label in data_layout.csv",
                hint,
            ));
        }
        let day = parse_date(&f[1]).ok_or_else(|| {
            InputError::bad_field(
                path,
                Some(row.line),
                "date",
                Some(&f[1]),
                "not a date of the form YYYY-MM-DD",
                "write `camp_name,YYYY-MM-DD` (the first date of the new registration level)",
            )
        })? - start;
        out.push(CorrectionRow {
            correction: RegistrationCorrection {
                label: f[0].clone(),
                day,
            },
            line: row.line,
            date: f[1].clone(),
        });
    }
    Ok(out)
}

fn data_error(
    e: DataError,
    corrections_path: &Path,
    rows: &[CorrectionRow],
    hasten: i64,
) -> InputError {
    let find = |label: &str, day: i64| {
        rows.iter()
            .find(|r| r.correction.label == label && r.correction.day == day)
    };
    let path: PathBuf = corrections_path.to_path_buf();
    match e {
        DataError::CorrectionDateNotInSeries { label, day } => {
            let row = find(&label, day);
            InputErrorKind::Field {
                path,
                line: row.map(|r| r.line),
                field: "date".into(),
                value: row.map(|r| r.date.clone()),
                message: format!(
                    "no data point of '{label}' after its first one falls on this date (Flee crashes here)"
                ),
                hint: "the date must equal one of the dates in the label's series file, other than the first".into(),
            }.into()
        }
        DataError::CorrectionBadBase { label, day } => {
            let row = find(&label, day);
            InputErrorKind::Field {
                path,
                line: row.map(|r| r.line),
                field: "date".into(),
                value: row.map(|r| r.date.clone()),
                message: format!(
                    "the data point of '{label}' before this date is below 1 (after dividing by hasten {hasten}), \
                     so the rescaling factor is undefined (Flee exits)"
                ),
                hint: "remove the correction or use a smaller hasten".into(),
            }.into()
        }
        DataError::UnknownCorrectionLabel { label } => InputErrorKind::Field {
            path,
            line: None,
            field: "camp_name".into(),
            value: Some(label),
            message: "not a label in data_layout.csv".into(),
            hint: "use a label of source_data/data_layout.csv".into(),
        }
        .into(),
        DataError::EmptySeries { label, file } => InputErrorKind::Malformed {
            path: PathBuf::from(file),
            line: None,
            message: format!("the series of '{label}' has no data points"),
            hint: "add at least one `YYYY-MM-DD,count` row".into(),
        }
        .into(),
    }
}
