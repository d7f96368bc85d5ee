//! `observations:`, the observed counts a siege run is scored against, each
//! with its source's uncertainty (docs/scenario-format.md, "Observations").

use crate::error::{InputError, InputErrorKind};
use crate::text::{csv_rows, parse_date, py_float, py_int, read_text};
use corridor_model::observations::Observable;
use corridor_model::siege::*;
use std::cell::RefCell;
use std::path::Path;

const REFERENCE: &str = "see docs/scenario-format.md, \"Observations\"";

/// `day,what,observed,low,high,source` (header required, after any `#`
/// comment lines). A row gives `observed`, or `low` and/or `high` (a range or a
/// bound), or both. The older `day,what,people,source` reads `people` as
/// `observed`. A `date` column may replace `day`. `what` must be one of
/// [`Observable::ACCEPTED`] (`camps`: the scenario's camp names).
pub(super) fn read_observations(
    path: &Path,
    start: i64,
    camps: &[&str],
    sites: &[&str],
    groups: &[&str],
    errors: &RefCell<Vec<InputError>>,
) -> Result<Vec<Observation>, InputError> {
    let text = read_text(
        path,
        "observed counts for validation: day,what,observed,low,high,source",
        "point `observations:` at a CSV with a `day,what,observed,low,high,source` header",
    )?;
    let rows = csv_rows(path, &text)?;
    let mut it = rows.iter().filter(|r| !r.is_comment());
    let malformed = |line: usize, message: &str, hint: &str| -> InputError {
        InputErrorKind::Malformed {
            path: path.to_path_buf(),
            line: Some(line),
            message: message.into(),
            hint: format!("{hint} ({REFERENCE})"),
        }
        .into()
    };
    let header = it.next().ok_or_else(|| {
        malformed(
            1,
            "empty file",
            "add a `day,what,observed,low,high,source` header",
        )
    })?;
    let col = |name: &str| header.fields.iter().position(|f| f.trim() == name);
    let (day_col, date_col) = (col("day"), col("date"));
    let observed_col = col("observed").or(col("people"));
    let (low_col, high_col) = (col("low"), col("high"));
    let Some(what_col) = col("what") else {
        return Err(malformed(
            header.line,
            "the header must name the column `what`",
            "e.g. `day,what,observed,low,high,source`",
        ));
    };
    if observed_col.is_none() && low_col.is_none() && high_col.is_none() {
        return Err(malformed(
            header.line,
            "the header names none of `observed`, `low`, `high` (or the older `people`)",
            "e.g. `day,what,observed,low,high,source`",
        ));
    }
    if day_col.is_none() && date_col.is_none() {
        return Err(malformed(
            header.line,
            "no `day` or `date` column",
            "add a `day` column (days since the start date)",
        ));
    }
    let source_col = col("source");
    let mut out = Vec::new();
    for row in it {
        // A bad row is recorded and the next read, so that all are reported.
        let read = (|| -> Result<Observation, InputError> {
            let get = |c: Option<usize>| {
                c.and_then(|c| row.fields.get(c))
                    .map(|s| s.trim())
                    .unwrap_or("")
            };
            let bad = |field: &str, value: &str, message: &str, hint: &str| {
                InputError::bad_field(
                    path,
                    Some(row.line),
                    field,
                    Some(value),
                    message,
                    format!("{hint} ({REFERENCE})"),
                )
            };
            let day = match day_col {
                Some(_) => py_int(get(day_col)).ok_or_else(|| {
                    bad(
                        "day",
                        get(day_col),
                        "not a whole number",
                        "days count from the start date (day 0)",
                    )
                })?,
                None => parse_date(get(date_col))
                    .map(|d| d - start)
                    .ok_or_else(|| {
                        bad(
                            "date",
                            get(date_col),
                            "not a date",
                            "write dates as YYYY-MM-DD",
                        )
                    })?,
            };
            let count = |field: &str, c: Option<usize>| -> Result<Option<f64>, InputError> {
                let v = get(c);
                if v.is_empty() {
                    return Ok(None);
                }
                match py_float(v) {
                    Some(x) if x >= 0.0 && x.is_finite() => Ok(Some(x)),
                    _ => Err(bad(
                        field,
                        v,
                        "not a non-negative number of people",
                        "give a count of people, or leave the field empty",
                    )),
                }
            };
            let name = if observed_col == col("people") && col("observed").is_none() {
                "people"
            } else {
                "observed"
            };
            let observed = count(name, observed_col)?;
            let low = count("low", low_col)?;
            let high = count("high", high_col)?;
            if observed.is_none() && low.is_none() && high.is_none() {
                return Err(bad(
                    "observed",
                    "",
                    "the row gives no number",
                    "give `observed`, or `low` and/or `high` (a range or a bound)",
                ));
            }
            if let (Some(l), Some(h)) = (low, high) {
                if l > h {
                    return Err(bad(
                        "low",
                        get(low_col),
                        &format!("low exceeds high ({h})"),
                        "write the range as low <= high",
                    ));
                }
            }
            let what = get(Some(what_col)).to_string();
            match Observable::parse(&what, camps, sites) {
                Err(why) => {
                    return Err(bad(
                        "what",
                        &what,
                        &why,
                        &format!("accepted: {}", Observable::ACCEPTED),
                    ))
                }
                // A group of departures must be declared in siege.departures.
                Ok(Observable::Left(g)) if !groups.contains(&g.as_str()) => {
                    return Err(bad(
                        "what",
                        &what,
                        &format!("'{g}' is not a group of siege.departures"),
                        &format!(
                            "groups: {}; declare one under siege.departures (docs/scenario-format.md, \"Returns home\")",
                            if groups.is_empty() { "none".to_string() } else { groups.join(", ") }
                        ),
                    ))
                }
                Ok(_) => {}
            }
            Ok(Observation {
                day,
                what,
                observed,
                low,
                high,
                source: get(source_col).to_string(),
            })
        })();
        match read {
            Ok(o) => out.push(o),
            Err(e) => errors.borrow_mut().push(e),
        }
    }
    Ok(out)
}
