//! `observations:`, the observed counts a siege run is scored against.

use crate::error::{InputError, InputErrorKind};
use crate::text::{csv_rows, parse_date, py_float, py_int, read_text};
use corridor_model::siege::*;
use std::path::Path;

/// `day,what,people,source` (header required). `what` is `displaced`,
/// `in_camps`, `dead`, `detained`, `waiting_to_cross` or a camp name. A `date` column may replace `day`.
pub(super) fn read_observations(path: &Path, start: i64) -> Result<Vec<Observation>, InputError> {
    let text = read_text(
        path,
        "observed counts for validation: day,what,people,source",
        "point `observations:` at a CSV with a `day,what,people,source` header",
    )?;
    let rows = csv_rows(path, &text)?;
    let mut it = rows.iter();
    let header = it.next().ok_or_else(|| -> InputError {
        InputErrorKind::Malformed {
            path: path.to_path_buf(),
            line: Some(1),
            message: "empty file".into(),
            hint: "add a `day,what,people,source` header".into(),
        }
        .into()
    })?;
    let col = |name: &str| header.fields.iter().position(|f| f.trim() == name);
    let (day_col, date_col) = (col("day"), col("date"));
    let (Some(what_col), Some(people_col)) = (col("what"), col("people")) else {
        return Err(InputErrorKind::Malformed {
            path: path.to_path_buf(),
            line: Some(header.line),
            message: "the header must name the columns `what` and `people` (and `day` or `date`)"
                .into(),
            hint: "e.g. `day,what,people,source`".into(),
        }
        .into());
    };
    let source_col = col("source");
    let mut out = Vec::new();
    for row in it {
        let get = |c: usize| row.fields.get(c).map(|s| s.trim()).unwrap_or("");
        let day = match (day_col, date_col) {
            (Some(c), _) => py_int(get(c)).ok_or_else(|| {
                InputError::bad_field(
                    path,
                    Some(row.line),
                    "day",
                    Some(get(c)),
                    "not a whole number",
                    "days count from the start date (day 0)",
                )
            })?,
            (None, Some(c)) => parse_date(get(c)).map(|d| d - start).ok_or_else(|| {
                InputError::bad_field(
                    path,
                    Some(row.line),
                    "date",
                    Some(get(c)),
                    "not a date",
                    "write dates as YYYY-MM-DD",
                )
            })?,
            (None, None) => {
                return Err(InputErrorKind::Malformed {
                    path: path.to_path_buf(),
                    line: Some(header.line),
                    message: "no `day` or `date` column".into(),
                    hint: "add a `day` column (days since the start date)".into(),
                }
                .into())
            }
        };
        let people = py_float(get(people_col))
            .filter(|v| *v >= 0.0)
            .ok_or_else(|| {
                InputError::bad_field(
                    path,
                    Some(row.line),
                    "people",
                    Some(get(people_col)),
                    "not a non-negative number",
                    "give the observed number of people",
                )
            })?;
        out.push(Observation {
            day,
            people,
            what: get(what_col).to_string(),
            source: source_col.map(|c| get(c).to_string()).unwrap_or_default(),
        });
    }
    Ok(out)
}
