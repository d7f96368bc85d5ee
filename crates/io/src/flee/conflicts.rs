//! `input_csv/conflicts.csv`: conflict intensity per location, one row per day.

use std::collections::HashMap;
use std::path::Path;

use corridor_model::ConflictTable;

use super::Locations;
use crate::error::{InputError, InputErrorKind, Warning};
use crate::text::{csv_rows, py_float, read_text, suggest};

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
    if let Some(sep) = header
        .fields
        .first()
        .filter(|_| header.fields.len() == 1)
        .and_then(|f| [';', '\t', '|'].into_iter().find(|c| f.contains(*c)))
    {
        return Err(InputErrorKind::Malformed {
            path: path.to_path_buf(),
            line: Some(header.line),
            message: format!(
                "the header is one field containing {sep:?}: the file is not comma-separated"
            ),
            hint: "save conflicts.csv with commas between fields (Flee reads it with csv.reader, which splits on commas only)"
                .into(),
        }
        .into());
    }
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
    if names.is_empty() {
        if let Some(row) = data.iter().find(|r| {
            r.fields
                .first()
                .is_some_and(|f| !f.trim().is_empty() && py_float(f.trim()).is_none())
        }) {
            return Err(InputError::bad_field(
                path,
                Some(row.line),
                "Day",
                row.get(0),
                "the header names no location and this row does not start with a day number: \
                 the file does not look like a conflict schedule",
                "write a header `#Day,<location>,...` and one row per day, e.g. `0,1,0`",
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
