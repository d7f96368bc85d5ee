//! `input_csv/routes.csv` and `input_csv/closures.csv`.

use std::collections::HashSet;
use std::path::Path;

use corridor_model::{Closure, ClosureKind, Route};

use super::locations::{check_width, split_table};
use super::Locations;
use crate::error::{InputError, Warning};
use crate::text::{csv_rows, py_float, py_int, read_text, suggest};

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
    if crate::text::absent(path) {
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
