//! `input_csv/region_attributes_IPC.csv` (docs/flee-model.md 19.2): food
//! deprivation per region on given days. Read whenever it exists, as Flee does.

use std::path::Path;

use corridor_model::food::IpcTable;
use corridor_model::Settings;

use super::Locations;
use crate::error::{InputError, Warning};
use crate::text::{absent, csv_rows, py_float, read_text};

/// Reads the IPC table of `input`, if there is one; an error when a food rule
/// is on without it, or when it does not span the `days` of the run.
pub(crate) fn read_ipc(
    input: &Path,
    locs: &Locations,
    days: u32,
    s: &Settings,
    warnings: &mut Vec<Warning>,
) -> Result<Option<IpcTable>, InputError> {
    let path = input.join("region_attributes_IPC.csv");
    let rules =
        s.flee_when_starving || s.avoid_food_deprived_locations || s.starvation_driven_spawning;
    if absent(&path) {
        if rules {
            return Err(InputError::bad_field(
                &path,
                None,
                "move_rules / spawn_rules",
                Some("True"),
                "a food rule (flee_when_starving, avoid_food_deprived_locations, starvation_driven_spawning) is on, but there is no IPC table",
                "add region_attributes_IPC.csv (`#Day,<region>,...`, one row per dated level) or switch the rules off",
            ));
        }
        return Ok(None);
    }
    let text = read_text(
        &path,
        "food deprivation per region: `#Day,<region>,...` then one row per day",
        "remove the file or give it a `#Day,<region>,...` header",
    )?;
    let rows = csv_rows(&path, &text)?;
    let Some((header, data)) = rows.split_first() else {
        return Err(InputError::bad_field(
            &path,
            None,
            "header",
            None,
            "the file is empty",
            "write a header `#Day,<region>,...`",
        ));
    };
    if header.get(0).map(str::trim) != Some("#Day") {
        return Err(InputError::bad_field(
            &path,
            Some(header.line),
            "column 1",
            header.get(0),
            "the first column must be headed `#Day`",
            "Flee reads the days from the column named exactly `#Day`",
        ));
    }
    let names: Vec<String> = header.fields[1..]
        .iter()
        .map(|f| f.trim().to_string())
        .collect();
    let mut table = IpcTable {
        days: Vec::new(),
        regions: names.iter().map(|n| (n.clone(), Vec::new())).collect(),
    };
    for row in data {
        for c in 0..header.fields.len() {
            let cell = row.get(c).unwrap_or("").trim();
            let field = if c == 0 {
                "#Day".to_string()
            } else {
                format!("column `{}`", names[c - 1])
            };
            let Some(x) = py_float(cell).filter(|x| x.is_finite()) else {
                return Err(InputError::bad_field(
                    &path,
                    Some(row.line),
                    field,
                    Some(cell),
                    "not a number",
                    "write a number in every cell (Flee applies float() to each)",
                ));
            };
            if c == 0 {
                if table.days.last().is_some_and(|&d| x <= d) {
                    return Err(InputError::bad_field(
                        &path,
                        Some(row.line),
                        field,
                        Some(cell),
                        "days must increase from row to row",
                        "sort the rows by day and merge repeated days",
                    ));
                }
                table.days.push(x);
            } else if !(0.0..=100.0).contains(&x) {
                return Err(InputError::bad_field(
                    &path,
                    Some(row.line),
                    field,
                    Some(cell),
                    "a percentage of people must lie in [0, 100]",
                    "write the IPC share as a percentage",
                ));
            } else {
                table.regions[c - 1].1.push(x);
            }
        }
    }
    let (first, last) = (table.days.first().copied(), table.days.last().copied());
    if first.is_none_or(|f| f > 0.0) || last.is_none_or(|l| l < f64::from(days.max(1) - 1)) {
        return Err(InputError::bad_field(
            &path,
            None,
            "#Day",
            None,
            format!("the days must span the run, 0 to {}", days.max(1) - 1),
            "add rows for day 0 and for the last day (Flee stops outside the table)",
        ));
    }
    for l in &locs.list {
        if table.has_column(&l.name) {
            warnings.push(Warning::new(
                &path,
                Some(header.line),
                format!("column `{}` names a location, not a region: Flee never gives that location an IPC level, corridor uses 0", l.name),
            ));
        }
    }
    if !rules {
        // Flee loads (and checks) the table but only its food rules use it.
        warnings.push(Warning::new(
            &path,
            None,
            "region_attributes_IPC.csv is not used: only the food rules (flee_when_starving, \
             avoid_food_deprived_locations, starvation_driven_spawning) read it, and they are off \
             (as in Flee, the file then has no effect)"
                .to_string(),
        ));
    }
    Ok(Some(table))
}
