//! `major_routes.csv` (docs/flee-model.md 16.6): rows of location names that
//! `fixed_routes` adds to the route tables. The file sits next to
//! `routes.csv`, named `major_` + its name, and is optional.
//!
//! Flee's loader gives a row `r` to location `L` as the route `r[1:]` when
//! `r[0]` is `L` (empty cells dropped), and as `r[:-1]` reversed when `r[-1]`
//! is `L`; other rows are kept but never used. It does not skip `#` rows, so
//! a `#` row whose last cell names a location becomes a route that cannot be
//! walked. Where Flee crashes (a blank row), or would end the run when it
//! walks a route (a name that is no location, an empty cell kept in a
//! reversed route, a route of one location), corridor reports an error with
//! the file and line; a row that no location uses gets a warning.

use std::path::Path;

use corridor_model::{MajorRoute, Route};

use super::Locations;
use crate::error::{InputError, Warning};
use crate::text::{csv_rows, read_text};

/// Reads `<input>/major_routes.csv` if it exists: the major routes of every
/// location, locations in file order and rows in file order within each.
pub(crate) fn read_major_routes(
    input: &Path,
    locs: &Locations,
    routes: &[Route],
    warnings: &mut Vec<Warning>,
) -> Result<Vec<MajorRoute>, InputError> {
    let path = input.join("major_routes.csv");
    if crate::text::absent(&path) {
        return Ok(Vec::new());
    }
    let text = read_text(
        &path,
        "major routes for fixed_routes: one route per row, as location names",
        "",
    )?;
    // csv_rows skips blank lines, which crash Flee's loader: find them first.
    if let Some(k) = text.lines().position(str::is_empty) {
        return Err(InputError::bad_field(
            &path,
            Some(k + 1),
            "route",
            Some(""),
            "a blank row: Flee's loader crashes on it (IndexError)",
            "remove the blank line",
        ));
    }
    let mut rows = Vec::new();
    for row in csv_rows(&path, &text)? {
        let f = &row.fields;
        let (first, last) = (&f[0], &f[f.len() - 1]);
        let forward = locs.index.get(first.as_str()).copied();
        let backward = locs.index.get(last.as_str()).copied();
        if forward.is_none() && backward.is_none() {
            let what = if row.is_comment() {
                "a `#` row: Flee keeps it as a route (it does not skip comments here), but it"
            } else {
                "the row"
            };
            warnings.push(Warning::new(
                &path,
                Some(row.line),
                format!(
                    "{what} starts and ends at no location ('{first}', '{last}'), so no location \
                     gets it as a major route; it has no effect"
                ),
            ));
            continue;
        }
        // Every cell a route may walk must name a location.
        let walked = if backward.is_some() { &f[..] } else { &f[1..] };
        for cell in walked {
            if cell.is_empty() && backward.is_none() {
                continue; // dropped from forward routes, as Flee does
            }
            if !locs.index.contains_key(cell.as_str()) {
                let hint = if cell.is_empty() {
                    "Flee keeps empty cells in the reversed route and ends the run when it walks \
                     it; remove the empty cell"
                        .to_string()
                } else if row.is_comment() {
                    "Flee does not skip `#` rows in major_routes.csv: it keeps them as routes; \
                     remove the row"
                        .to_string()
                } else {
                    match crate::text::suggest(cell, locs.list.iter().map(|l| l.name.as_str())) {
                        Some(s) => {
                            format!("did you mean '{s}'? names must match locations.csv exactly")
                        }
                        None => "use the names of locations.csv (Flee ends the run when a major \
                                 route names no location)"
                            .to_string(),
                    }
                };
                return Err(InputError::bad_field(
                    &path,
                    Some(row.line),
                    "location",
                    Some(cell),
                    "not a location of locations.csv",
                    hint,
                ));
            }
        }
        warn_unlinked(&path, row.line, f, locs, routes, warnings);
        rows.push((row.line, forward, backward, f.clone()));
    }
    let mut out = Vec::new();
    for (loc, _) in locs.list.iter().enumerate() {
        let loc = loc as u32;
        for (line, forward, backward, f) in &rows {
            let id = |name: &String| locs.index[name.as_str()];
            let mut give = |via: Vec<u32>| -> Result<(), InputError> {
                if via.is_empty() {
                    return Err(InputError::bad_field(
                        &path,
                        Some(*line),
                        "route",
                        Some(&f.join(",")),
                        "a major route needs a second location (Flee crashes on a route of one)",
                        "list at least two locations on the row",
                    ));
                }
                out.push(MajorRoute {
                    from: loc,
                    via,
                    line: *line,
                });
                Ok(())
            };
            if *forward == Some(loc) {
                give(f[1..].iter().filter(|c| !c.is_empty()).map(id).collect())?;
            }
            if *backward == Some(loc) {
                give(f[..f.len() - 1].iter().rev().map(id).collect())?;
            }
        }
    }
    Ok(out)
}

/// Warns about consecutive stops of a row that no route of `routes.csv`
/// joins: Flee ends the run when it walks such a major route, which it does
/// on the first day the route's destination is not otherwise in reach.
fn warn_unlinked(
    path: &Path,
    line: usize,
    f: &[String],
    locs: &Locations,
    routes: &[Route],
    warnings: &mut Vec<Warning>,
) {
    let stops: Vec<u32> = f
        .iter()
        .filter_map(|c| locs.index.get(c.as_str()).copied())
        .collect();
    for pair in stops.windows(2) {
        let joined = |r: &Route| {
            (r.from, r.to) == (pair[0], pair[1]) || (r.to, r.from) == (pair[0], pair[1])
        };
        if !routes.iter().any(joined) {
            let name = |l: u32| &locs.list[l as usize].name;
            warnings.push(Warning::new(
                path,
                Some(line),
                format!(
                    "no route of routes.csv joins {} and {}: a run ends (in Flee too) on the \
                     first day it walks this major route",
                    name(pair[0]),
                    name(pair[1])
                ),
            ));
        }
    }
}
