//! `source_data/`: `data_layout.csv`, the observed series it names, and
//! `input_csv/registration_corrections.csv`.

use std::path::{Path, PathBuf};

use corridor_model::{CampSeries, DataError, DataPoint, RegistrationCorrection};

use crate::error::{InputError, InputErrorKind, Warning};
use crate::text::{csv_rows, parse_date, py_int, read_text, suggest};

/// Labels and, per label, its series files plus the data_layout line.
type Layout = (Vec<String>, Vec<(Vec<CampSeries>, usize)>);

pub(super) fn read_data_layout(
    path: &Path,
    source: &Path,
    start: i64,
    flood_mode: bool,
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
        if labels.is_empty() && label != "total" && flood_mode {
            // FabFlee's validation_dflee/Ethiopia_dflee: Flee takes row 0 as
            // the total whatever its label, and flood mode never reads the
            // total; the label still names its series (docs/flee-model.md 18.8).
            warnings.push(Warning::new(
                path,
                Some(row.line),
                format!(
                    "the first row is '{label}', not `total`: Flee takes it as the total series, which \
                     flood mode does not use, and '{label}' still reads it as its own series"
                ),
            ));
        } else if labels.is_empty() && label != "total" {
            return Err(InputError::bad_field(
                path,
                Some(row.line),
                "label",
                Some(&label),
                "the first row must be the total series",
                "put `total,refugees.csv` first: Flee treats row 0 as the total and excludes it from camp sums",
            ));
        }
        let repeated = labels.iter().position(|l| *l == label);
        if let (Some(prev), true) = (repeated, flood_mode) {
            // FabFlee's validation_dflee/Ethiopia_dflee lists `Refugees` twice:
            // Flee's lookups by label find the first row, and flood mode sums
            // no rows, so the repeat changes nothing.
            warnings.push(Warning::new(
                path,
                Some(row.line),
                format!(
                    "label '{label}' is listed twice (first on line {}): as in Flee, lookups by label \
                     find the first row; in flood mode this row is unused",
                    series[prev].1
                ),
            ));
        } else if let Some(prev) = repeated {
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
    let mut warned_negative = false;
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
        if count < 0 && !warned_negative {
            warned_negative = true;
            warnings.push(Warning::new(
                path,
                Some(row.line),
                format!(
                    "count {count} is negative; assumed meant as it is (Flee uses it \
                     unchanged, in spawning and in the error); a count of people is usually 0 or more"
                ),
            ));
        }
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

pub(super) struct CorrectionRow {
    pub(super) correction: RegistrationCorrection,
    line: usize,
    date: String,
}

pub(super) fn read_corrections(
    path: &Path,
    labels: &[String],
    start: i64,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<CorrectionRow>, InputError> {
    if crate::text::absent(path) {
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

pub(super) fn data_error(
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
