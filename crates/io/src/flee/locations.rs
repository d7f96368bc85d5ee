//! `input_csv/locations.csv`, and the `#` header rows that name extra attribute
//! columns in Flee tables.

use std::collections::HashMap;
use std::path::Path;

use corridor_model::{LocId, Location, LocationKind};

use crate::error::{InputError, InputErrorKind, Warning};
use crate::text::{csv_rows, py_float, py_int, read_text, suggest, Row};

pub(crate) struct Locations {
    pub(crate) list: Vec<Location>,
    /// 1-based line of each location.
    pub(super) lines: Vec<usize>,
    pub(crate) index: HashMap<String, LocId>,
}

impl Locations {
    /// Name index over an already-read list (line numbers unknown); a
    /// repeated name finds its last location, as in Flee.
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

    pub(super) fn id(&self, name: &str) -> Option<LocId> {
        self.index.get(name).copied()
    }

    /// Error for a name that is not a location.
    pub(super) fn unknown(&self, path: &Path, line: usize, field: &str, name: &str) -> InputError {
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
pub(super) fn split_table(
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
pub(super) fn check_width(
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

/// What a second location of the same name means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DuplicateNames {
    /// Flee folders: Flee keeps both location objects but its name map keeps
    /// the last one, so every name lookup (routes, closures, flood levels,
    /// data_layout.csv, output columns) finds the last and the earlier one is
    /// unreachable. Warned.
    LastWins,
    /// corridor's own scenarios: an error.
    Refuse,
}

pub(crate) fn read_locations(
    path: &Path,
    duplicates: DuplicateNames,
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
            let first = out.lines[prev as usize];
            if duplicates == DuplicateNames::LastWins {
                warnings.push(Warning::new(
                    path,
                    Some(line),
                    format!(
                        "location '{name}' is defined twice (lines {first} and {line}): as in Flee, every \
                         lookup by name (routes, closures, flood levels, data_layout.csv, location changes, \
                         output columns) finds the one on line {line}; the one on line {first} stays \
                         unreachable, with no routes, and its output column (if any) repeats line {line}'s"
                    ),
                ));
            } else {
                return Err(bad(
                    "name",
                    &name,
                    &format!("location defined twice (first on line {first})"),
                    "location names must be unique; rename or delete one of the rows",
                ));
            }
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
        for (i, v, max) in [(3, lat, 90.0), (4, lon, 180.0)] {
            if v.is_nan() || v.abs() > max {
                return Err(bad(
                    LOCATION_COLUMNS[i],
                    &f[i],
                    &format!("{} must be a finite number of degrees in [-{max}, {max}]", LOCATION_COLUMNS[i]),
                    "write decimal degrees (WGS 84), e.g. 33.35; check that latitude and longitude are not swapped",
                ));
            }
        }
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
    for col in columns.iter().skip(8) {
        if !matches!(
            col.as_str(),
            "conflict_intensity" | "capacity_per_day" | "initial_idps"
        ) && !col.trim().is_empty()
        {
            warnings.push(Warning::new(
                path,
                rows.first().map(|r| r.line),
                format!(
                    "column '{col}' is not one corridor reads (conflict_intensity, capacity_per_day, \
                     initial_idps); its values are kept as attributes and do not change the run"
                ),
            ));
        }
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
