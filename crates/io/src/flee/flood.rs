//! `input_csv/flood_level.csv` (docs/flee-model.md 18.2): DFlee's flood level
//! per location and day. Read in flood mode only, as Flee does; its levels are
//! checked against the flood lists of the settings, which Flee can only look
//! up at levels `0 ..= len − 2` (18.3).

use std::path::Path;

use corridor_model::flood::{highest_level, FloodLevels};
use corridor_model::{LocationKind, Settings};

use super::Locations;
use crate::error::{InputError, Warning};
use crate::text::{absent, csv_rows, py_float, read_text};

const FILE: &str = "flood_level.csv";

/// Reads the flood levels of `input` in flood mode (`None` otherwise, with a
/// warning when the file is there but unused). Errors: a missing file, a cell
/// that is not a number, too few rows for the `days` of the run, a negative
/// level, or a level that a flood list of the settings cannot be looked up at.
pub(crate) fn read_flood_levels(
    input: &Path,
    locs: &Locations,
    days: u32,
    s: &Settings,
    warnings: &mut Vec<Warning>,
) -> Result<Option<FloodLevels>, InputError> {
    let path = input.join(FILE);
    if !s.flood_mode() {
        if !absent(&path) {
            warnings.push(Warning::new(
                &path,
                None,
                "flood_level.csv is not used: Flee reads it only in flood mode \
                 (spawn_rules.flood_zone_spawning_only with flood_driven_spawn_mode, docs/flee-model.md 18)",
            ));
        }
        return Ok(None);
    }
    let text = read_text(
        &path,
        "flood levels by day: a header `#Day,<location>,...`, then one row per day from day 0",
        "flood mode is on (spawn_rules.flood_zone_spawning_only and flood_driven_spawn_mode): add \
         flood_level.csv, or switch flood mode off",
    )?;
    let rows = csv_rows(&path, &text)?;
    // Row 0 is the header whatever its first character (18.2).
    let Some((header, data)) = rows.split_first() else {
        return Err(InputError::bad_field(
            &path,
            None,
            "header",
            None,
            "the file is empty",
            "write a header `#Day,<location>,...` and one row per day",
        ));
    };
    let names: Vec<&str> = header.fields.iter().map(|f| f.trim()).collect();
    let mut cols: Vec<Vec<f64>> = vec![Vec::with_capacity(data.len()); names.len()];
    for row in data {
        for (c, cell) in row.fields.iter().enumerate() {
            let Some(name) = names.get(c) else {
                return Err(InputError::bad_field(
                    &path,
                    Some(row.line),
                    format!("column {}", c + 1),
                    Some(cell),
                    "the row has more cells than the header has columns",
                    "give every column a name in the header (Flee crashes on this row)",
                ));
            };
            if name.is_empty() {
                return Err(InputError::bad_field(
                    &path,
                    Some(row.line),
                    format!("column {}", c + 1),
                    Some(cell),
                    "the header cell of this column is empty (a trailing comma?)",
                    "remove the trailing comma or name the column (Flee crashes on this row)",
                ));
            }
            let Some(x) = py_float(cell).filter(|x| x.is_finite()) else {
                return Err(InputError::bad_field(
                    &path,
                    Some(row.line),
                    format!("column `{name}`"),
                    Some(cell),
                    "not a number",
                    "write a number in every cell (Flee applies float() to each, the day column too)",
                ));
            };
            if c > 0 && x < 0.0 {
                return Err(InputError::bad_field(
                    &path,
                    Some(row.line),
                    format!("column `{name}`"),
                    Some(cell),
                    "flood levels are 0 or more",
                    "write 0 for no flood (Flee crashes when it scores a flood zone at a negative level)",
                ));
            }
            cols[c].push(x);
        }
        if row.fields.len() < names.len() {
            return Err(InputError::bad_field(
                &path,
                Some(row.line),
                format!("column `{}`", names[row.fields.len()]),
                None,
                "the row has fewer cells than the header has columns",
                "write a level for every location column on every row",
            ));
        }
    }
    let mut levels = FloodLevels::default();
    for (c, name) in names.iter().enumerate().skip(1) {
        // A duplicated location name: the last location of that name reads
        // the column, as every name lookup in Flee (locations.rs).
        let id = locs.index.get(*name).copied();
        if id.is_none() {
            warnings.push(Warning::new(
                &path,
                Some(header.line),
                format!("column `{name}` names no location of locations.csv: Flee ignores it, and so does corridor"),
            ));
        }
        if let Some(id) = id {
            levels.columns.push((id, cols[c].clone()));
        }
    }
    let need = days.max(1) as usize;
    if data.len() < need {
        return Err(InputError::bad_field(
            &path,
            None,
            "rows",
            Some(&data.len().to_string()),
            format!(
                "the run has {days} days but the table has {} data rows; row k is day k − 1, by position",
                data.len()
            ),
            "add a row for every day of the run (Flee crashes on the first day past the table)",
        ));
    }
    check_levels(&path, data, &names, &levels, locs, need, s)?;
    Ok(Some(levels))
}

/// Every level the run reaches must be one the flood lists can be looked up
/// at: Flee crashes at `len − 1` and beyond (18.3).
fn check_levels(
    path: &Path,
    data: &[crate::text::Row],
    names: &[&str],
    levels: &FloodLevels,
    locs: &Locations,
    days: usize,
    s: &Settings,
) -> Result<(), InputError> {
    let max = levels.max_level(days);
    let rules = s.flood_rules.clone().unwrap_or_default();
    let spawn = s.flood_driven_spawn_mode.clone().unwrap_or_default();
    let flood_zones = locs.list.iter().any(|l| l.kind == LocationKind::FloodZone);
    let mut lists = vec![(
        "spawn_rules.flood_driven_spawn_mode.displaced_per_flood_day",
        Some(spawn.displaced_per_flood_day),
        max > 0,
    )];
    lists.push((
        "move_rules.flood_rules.flood_movechances",
        rules.flood_movechances,
        max > 0,
    ));
    lists.push((
        "move_rules.flood_rules.flood_loc_weights",
        rules.flood_loc_weights,
        max > 0 || flood_zones,
    ));
    for (key, list, used) in lists {
        if !used {
            continue;
        }
        let Some(list) = list else {
            return Err(InputError::bad_field(
                path,
                None,
                key,
                None,
                "the flood rules need this list: some location is flooded or is a flood zone",
                "add it to simsetting.yml, one element per flood level plus one (e.g. 5 elements for levels 0-3)",
            ));
        };
        let top = highest_level(&list);
        if max <= top {
            continue;
        }
        // The first cell over the top, for the message.
        let (line, name, cell) = data
            .iter()
            .take(days)
            .find_map(|r| {
                r.fields.iter().enumerate().skip(1).find_map(|(c, f)| {
                    let over = py_float(f).is_some_and(|x| x.trunc() as i64 > top);
                    over.then(|| (r.line, names[c], f.clone()))
                })
            })
            .unwrap_or((0, "", String::new()));
        return Err(InputError::bad_field(
            path,
            Some(line),
            format!("column `{name}`"),
            Some(&cell),
            format!(
                "flood level {} cannot be looked up in {key}, which has {} elements: Flee uses levels \
                 0 to len − 2 and crashes at len − 1 (docs/flee-model.md 18.3)",
                cell.trim(),
                list.len()
            ),
            format!(
                "lower the level to at most {top}, or add elements to {key} (at least {})",
                max + 2
            ),
        ));
    }
    Ok(())
}
