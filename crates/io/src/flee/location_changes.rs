//! `location_changes.csv` (docs/flee-model.md 14): rows `name,new_type,day`
//! that change a location's type at the start of a day.
//!
//! Flee reads the file from its working directory, which FabFlee sets to the
//! run folder: the file sits next to `simsetting.yml`, i.e. in the scenario
//! folder itself, not in `input_csv/`. corridor reads it from there too. Where
//! Flee crashes or changes the wrong location, corridor reports an error:
//! an unknown name (Flee changes the first location of `locations.csv`), an
//! unknown type (Flee crashes), a day that is not a whole number.

use std::path::Path;

use corridor_model::{LocationChange, LocationKind};

use super::Locations;
use crate::error::{InputError, Warning};
use crate::text::{csv_rows, py_int, read_text};

/// The types a change may name, as Flee matches them (by substring).
const TYPES: &str =
    "camp, idpcamp, conflict_zone, forward_hub, marker, flood_zone, town (or default)";

/// Reads `<dir>/location_changes.csv` if it exists; warns about a copy in
/// `input_csv/` that Flee would not read. `days` is the run's length, for
/// changes that never happen.
pub(crate) fn read_location_changes(
    dir: &Path,
    locs: &Locations,
    days: u32,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<LocationChange>, InputError> {
    let path = dir.join("location_changes.csv");
    let in_input = dir.join("input_csv").join("location_changes.csv");
    let here = !crate::text::absent(&path);
    if !crate::text::absent(&in_input) {
        let same = here && std::fs::read(&path).ok() == std::fs::read(&in_input).ok();
        if !same {
            warnings.push(Warning::new(
                &in_input,
                None,
                format!(
                    "this file is not read: Flee reads location_changes.csv from its working directory \
                     (the scenario folder, next to simsetting.yml), and so does corridor; {}",
                    if here {
                        format!("{} is used instead", path.display())
                    } else {
                        "move it up one folder to apply the changes".to_string()
                    }
                ),
            ));
        }
    }
    if !here {
        return Ok(Vec::new());
    }
    let text = read_text(
        &path,
        "location type changes: `name,new_type,day` per row",
        "",
    )?;
    let mut out = Vec::new();
    for row in csv_rows(&path, &text)? {
        if row.is_comment() {
            continue;
        }
        let line = row.line;
        let f = &row.fields;
        if f[0].is_empty() {
            return Err(InputError::bad_field(
                &path,
                Some(line),
                "name",
                Some(""),
                "the first field is empty (Flee crashes on such rows)",
                "write `name,new_type,day`, or start the line with # to make it a comment",
            ));
        }
        let (Some(ty), Some(day)) = (row.get(1), row.get(2)) else {
            return Err(InputError::bad_field(
                &path,
                Some(line),
                if f.len() < 2 { "new_type" } else { "day" },
                None,
                format!("the row has {} fields but needs 3", f.len()),
                "write `name,new_type,day`, e.g. `C,idpcamp,30`",
            ));
        };
        let location = locs
            .id(&f[0])
            .ok_or_else(|| locs.unknown(&path, line, "name", &f[0]))?;
        let kind = LocationKind::parse(ty);
        if kind == LocationKind::Other {
            return Err(InputError::bad_field(
                &path,
                Some(line),
                "new_type",
                Some(ty),
                "not a location type Flee can change to (Flee crashes on it)",
                format!("write one of {TYPES}"),
            ));
        }
        let day = py_int(day).ok_or_else(|| {
            InputError::bad_field(
                &path,
                Some(line),
                "day",
                Some(day),
                "the day must be a whole number (Flee applies int() to it)",
                "write the 0-based day of the run on which the change happens, e.g. 30",
            )
        })?;
        if !(0..days as i64).contains(&day) {
            warnings.push(Warning::new(
                &path,
                Some(line),
                format!(
                    "'{}' changes to {ty} on day {day}, outside the run (days 0 to {}): the change never happens",
                    f[0],
                    days as i64 - 1
                ),
            ));
        }
        if f.len() > 3 && f[3..].iter().any(|x| !x.trim().is_empty()) {
            warnings.push(Warning::new(
                &path,
                Some(line),
                "fields after the third (name, new_type, day) are not read, by Flee or corridor",
            ));
        }
        out.push(LocationChange {
            location,
            kind,
            day,
        });
    }
    Ok(out)
}
