//! `input_csv/demographics_<attr>.csv` (docs/flee-model.md 15.1): the values
//! of one agent attribute and their sampling weights, by default and per
//! location. Flee reads the files in directory-listing order; corridor in
//! file-name order, so a run does not depend on the file system.

use std::path::Path;

use corridor_model::demographics::{Attribute, Demographics};

use super::Locations;
use crate::error::{InputError, Warning};
use crate::text::{csv_rows, py_float, read_text};

/// Reads every `demographics_*.csv` of `input` (none: no attributes).
pub(crate) fn read_demographics(
    input: &Path,
    locs: &Locations,
    warnings: &mut Vec<Warning>,
) -> Result<Demographics, InputError> {
    let Ok(entries) = std::fs::read_dir(input) else {
        return Ok(Demographics::default());
    };
    let mut files: Vec<(String, std::path::PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_prefix("demographics_")?.strip_suffix(".csv")?;
            // Flee takes the token before the next `_` (`flood_awareness` → `flood`).
            let attr = stem.split('_').next().unwrap_or(stem).to_string();
            Some((attr, e.path()))
        })
        .collect();
    files.sort_by(|a, b| a.1.cmp(&b.1));
    let mut attributes: Vec<Attribute> = Vec::new();
    for (name, path) in files {
        if let Some(prev) = attributes.iter().find(|a| a.name == name) {
            return Err(InputError::bad_field(
                &path,
                None,
                "file name",
                Some(&name),
                format!("a second file for the attribute `{}`", prev.name),
                "Flee names the attribute by the text between `demographics_` and the next `_`; rename one file",
            ));
        }
        attributes.push(read_table(&path, &name, locs, warnings)?);
    }
    Ok(Demographics { attributes })
}

fn read_table(
    path: &Path,
    name: &str,
    locs: &Locations,
    warnings: &mut Vec<Warning>,
) -> Result<Attribute, InputError> {
    let text = read_text(
        path,
        "an agent attribute table: values in the first column, sampling weights per column",
        "remove the file or give it a header `<attribute>,Default[,<location>...]`",
    )?;
    let rows = csv_rows(path, &text)?;
    let Some((header, data)) = rows.split_first() else {
        return Err(InputError::bad_field(
            path,
            None,
            "header",
            None,
            "the file is empty",
            format!("write a header `{name},Default` and one row per value"),
        ));
    };
    if header.get(0) != Some(name) {
        return Err(InputError::bad_field(
            path,
            Some(header.line),
            "column 1",
            header.get(0),
            format!("the first column must be named after the attribute, `{name}`"),
            format!("Flee looks the value up by this name; rename the column to `{name}`"),
        ));
    }
    let mut values = Vec::new();
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); header.fields.len() - 1];
    let mut numeric = true;
    for row in data {
        let value = row.get(0).unwrap_or("").to_string();
        numeric &= py_float(value.trim()).is_some();
        for (c, column) in columns.iter_mut().enumerate() {
            let cell = row.get(c + 1).unwrap_or("").trim();
            // pandas reads an empty cell as NaN, which weighs 0.
            let w = if cell.is_empty() {
                Some(0.0)
            } else {
                py_float(cell)
            };
            match w {
                Some(w) if w >= 0.0 => column.push(if w.is_nan() { 0.0 } else { w }),
                _ => {
                    return Err(InputError::bad_field(
                        path,
                        Some(row.line),
                        format!("column `{}`", header.fields[c + 1]),
                        Some(cell),
                        "a sampling weight must be a number of at least 0",
                        "write a weight such as 0.5 (weights need not sum to 1)",
                    ))
                }
            }
        }
        values.push(value);
    }
    if values.is_empty() {
        return Err(InputError::bad_field(
            path,
            Some(header.line),
            name,
            None,
            "the table has no value rows",
            "add one row per value: `<value>,<weight>,...`",
        ));
    }
    let mut default = None;
    let mut by_location = Vec::new();
    for (c, column) in columns.into_iter().enumerate() {
        let col = header.fields[c + 1].as_str();
        if column.iter().sum::<f64>() <= 0.0 {
            return Err(InputError::bad_field(
                path,
                Some(header.line),
                format!("column `{col}`"),
                None,
                "every weight of the column is 0, so no value can be drawn",
                "give at least one value a positive weight, or remove the column",
            ));
        }
        if col == "Default" {
            default = Some(column);
        } else {
            if locs.id(col).is_none() {
                // Flee matches names exactly (a leading space does not match).
                warnings.push(Warning::new(
                    path,
                    Some(header.line),
                    format!("column `{col}` names no location; agents everywhere use `Default`"),
                ));
            }
            by_location.push((col.to_string(), column));
        }
    }
    if default.is_none() {
        if let Some(l) = locs
            .list
            .iter()
            .find(|l| by_location.iter().all(|(n, _)| *n != l.name))
        {
            return Err(InputError::bad_field(
                path,
                Some(header.line),
                "Default",
                None,
                format!(
                    "no `Default` column, and location `{}` has no column of its own",
                    l.name
                ),
                "add a `Default` column of weights for the locations without one",
            ));
        }
    }
    Ok(Attribute {
        name: name.to_string(),
        values,
        numeric,
        default,
        by_location,
    })
}

/// The age and gender rules (docs/flee-model.md 15.5) need a numeric `age`
/// and a `gender` for every agent: Flee crashes mid-run without them. The
/// `Match*` rules need `ethnicity` or `religion` (15.6): Flee crashes
/// building the ecosystem without the file.
pub(crate) fn check_rules(
    input: &Path,
    s: &corridor_model::Settings,
    d: &Demographics,
) -> Result<(), InputError> {
    let rules = [
        ("WomenAvoidHazards", s.WomenAvoidHazards, &["gender"][..]),
        ("ChildrenAvoidHazards", s.ChildrenAvoidHazards, &["age"][..]),
        ("ElderlyAvoidHazards", s.ElderlyAvoidHazards, &["age"][..]),
        ("BoysTakeRisk", s.BoysTakeRisk, &["age", "gender"][..]),
        (
            "MatchCampEthnicity",
            s.MatchCampEthnicity,
            &["ethnicity"][..],
        ),
        (
            "MatchTownEthnicity",
            s.MatchTownEthnicity,
            &["ethnicity"][..],
        ),
        (
            "MatchConflictEthnicity",
            s.MatchConflictEthnicity,
            &["ethnicity"][..],
        ),
        ("MatchCampReligion", s.MatchCampReligion, &["religion"][..]),
    ];
    for (rule, on, needs) in rules {
        for attr in needs.iter().filter(|_| on) {
            let ok = d
                .attributes
                .iter()
                .find(|a| a.name == *attr)
                .map(|a| *attr != "age" || a.numeric);
            if ok != Some(true) {
                let file = input.join(format!("demographics_{attr}.csv"));
                return Err(InputError::bad_field(
                    &file,
                    None,
                    format!("move_rules.{rule}"),
                    Some("True"),
                    match ok {
                        None => format!("the rule needs the attribute `{attr}`, but there is no such file"),
                        Some(_) => "the rule compares ages as numbers, but the age values are not all numbers".into(),
                    },
                    format!("add {} (first column `{attr}`, then `Default` weights), or switch the rule off", file.display()),
                ));
            }
        }
    }
    Ok(())
}
