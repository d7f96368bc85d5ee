//! Exact comparison of the deterministic columns of two runs (docs/flee-model.md 11, observation 1).
//!
//! In Flee, the columns that depend only on data handling are identical in every replicate of a
//! scenario at a given hasten: `Day`, every `<camp> data`, `refugees in camps (UNHCR)`,
//! `total refugees (simulation)`, `raw UNHCR refugee count` and `refugee_debt`. A port must
//! reproduce them exactly, which [`compare_deterministic`] checks.

use std::fmt;

use serde::Serialize;

use crate::output::{
    FleeOutput, DATA_SUFFIX, DAY, RAW_UNHCR_COUNT, REFUGEES_IN_CAMPS_UNHCR, REFUGEE_DEBT,
    TOTAL_REFUGEES_SIM,
};

/// The deterministic totals columns, in the order they are compared (after `Day` and the camp
/// `data` columns).
pub const DETERMINISTIC_TOTALS: [&str; 4] = [
    REFUGEES_IN_CAMPS_UNHCR,
    TOTAL_REFUGEES_SIM,
    RAW_UNHCR_COUNT,
    REFUGEE_DEBT,
];

/// The first difference [`compare_deterministic`] found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Mismatch {
    /// The camp lists (names, in column order) differ.
    Camps {
        expected: Vec<String>,
        got: Vec<String>,
    },
    /// A value differs. `row` is the 0-based data row, `day` the expected file's `Day` there.
    Value {
        column: String,
        row: usize,
        day: i64,
        expected: f64,
        got: f64,
    },
    /// All common rows agree but the number of rows (days) differs.
    DayCount { expected: usize, got: usize },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Camps { expected, got } => {
                write!(f, "camps differ: expected {expected:?}, got {got:?}")
            }
            Mismatch::Value {
                column,
                row,
                day,
                expected,
                got,
            } => write!(
                f,
                "column `{column}`, day {day} (row {row}): expected {expected}, got {got}"
            ),
            Mismatch::DayCount { expected, got } => {
                write!(f, "expected {expected} days, got {got}")
            }
        }
    }
}

/// The deterministic columns of `out` as `(name, values)`, in comparison order: `Day`, the camp
/// `data` columns in camp order, then [`DETERMINISTIC_TOTALS`].
pub fn deterministic_columns(out: &FleeOutput) -> Vec<(String, Vec<f64>)> {
    let mut cols = vec![(
        DAY.to_string(),
        out.days().iter().map(|&d| d as f64).collect(),
    )];
    for c in out.camps() {
        cols.push((format!("{}{DATA_SUFFIX}", c.name), c.data.clone()));
    }
    let t = out.totals();
    for (name, v) in DETERMINISTIC_TOTALS.iter().zip([
        &t.refugees_in_camps_unhcr,
        &t.total_refugees_sim,
        &t.raw_unhcr_count,
        &t.refugee_debt,
    ]) {
        cols.push((name.to_string(), v.clone()));
    }
    cols
}

/// Compares the deterministic columns of `got` with those of `expected` and returns the first
/// difference, or `None` if they agree.
///
/// Camps must have the same names in the same order (else [`Mismatch::Camps`]). Values are
/// compared row by row (earliest day first), and within a row in the order of
/// [`deterministic_columns`]; they must be equal as numbers (`1082` equals `1082.0`; NaN equals
/// NaN). If every common row agrees but one run is longer, the result is [`Mismatch::DayCount`].
/// The simulated columns and `Date` are not compared.
pub fn compare_deterministic(expected: &FleeOutput, got: &FleeOutput) -> Option<Mismatch> {
    if expected.camp_names() != got.camp_names() {
        return Some(Mismatch::Camps {
            expected: expected
                .camp_names()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            got: got.camp_names().iter().map(|s| s.to_string()).collect(),
        });
    }
    let e = deterministic_columns(expected);
    let g = deterministic_columns(got);
    let rows = expected.num_days().min(got.num_days());
    for row in 0..rows {
        for ((name, ev), (_, gv)) in e.iter().zip(&g) {
            let (x, y) = (ev[row], gv[row]);
            if x != y && !(x.is_nan() && y.is_nan()) {
                return Some(Mismatch::Value {
                    column: name.clone(),
                    row,
                    day: expected.days()[row],
                    expected: x,
                    got: y,
                });
            }
        }
    }
    if expected.num_days() != got.num_days() {
        return Some(Mismatch::DayCount {
            expected: expected.num_days(),
            got: got.num_days(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Day,Date,A sim,A data,A error,Total error,refugees in camps (UNHCR),\
total refugees (simulation),raw UNHCR refugee count,refugees in camps (simulation),refugee_debt\n";

    fn parse(rows: &[&str]) -> FleeOutput {
        let mut text = HEADER.to_string();
        for r in rows {
            text.push_str(r);
            text.push('\n');
        }
        FleeOutput::from_reader(text.as_bytes()).unwrap()
    }

    #[test]
    fn equal_deterministic_columns() {
        let a = parse(&["0,d,5,5,0.0,0.0,5,5,9,5,0", "1,d,6,7,0.1,0.1,7,7,9,6,0"]);
        // Different sim, error and date columns, integers written as floats.
        let b = parse(&[
            "0,x,1,5.0,0.3,0.4,5,5,9,3,0",
            "1,y,2,7,0.5,0.6,7.0,7,9,9,0.0",
        ]);
        assert_eq!(compare_deterministic(&a, &b), None);
        assert_eq!(compare_deterministic(&a, &a), None);
    }

    #[test]
    fn first_mismatch_is_reported() {
        let a = parse(&["0,d,5,5,0.0,0.0,5,5,9,5,0", "1,d,6,7,0.1,0.1,7,7,9,6,0"]);
        let b = parse(&["0,d,5,5,0.0,0.0,5,5,9,5,0", "1,d,6,7,0.1,0.1,7,8,9,6,2"]);
        let m = compare_deterministic(&a, &b).unwrap();
        assert_eq!(
            m,
            Mismatch::Value {
                column: "total refugees (simulation)".into(),
                row: 1,
                day: 1,
                expected: 7.0,
                got: 8.0
            }
        );
        assert!(m.to_string().contains("total refugees (simulation)"));
        let c = parse(&["0,d,5,4,0.0,0.0,5,5,9,5,0"]);
        assert!(matches!(
            compare_deterministic(&a, &c),
            Some(Mismatch::Value { ref column, row: 0, .. }) if column == "A data"
        ));
    }

    #[test]
    fn day_count_and_camps() {
        let a = parse(&["0,d,5,5,0.0,0.0,5,5,9,5,0", "1,d,6,7,0.1,0.1,7,7,9,6,0"]);
        let short = parse(&["0,d,5,5,0.0,0.0,5,5,9,5,0"]);
        assert_eq!(
            compare_deterministic(&a, &short),
            Some(Mismatch::DayCount {
                expected: 2,
                got: 1
            })
        );
        let day = parse(&["0,d,5,5,0.0,0.0,5,5,9,5,0", "2,d,6,7,0.1,0.1,7,7,9,6,0"]);
        assert!(matches!(
            compare_deterministic(&a, &day),
            Some(Mismatch::Value { ref column, .. }) if column == "Day"
        ));
        let text = HEADER.replace("A ", "B ") + "0,d,5,5,0.0,0.0,5,5,9,5,0\n";
        let other = FleeOutput::from_reader(text.as_bytes()).unwrap();
        assert!(matches!(
            compare_deterministic(&a, &other),
            Some(Mismatch::Camps { .. })
        ));
    }
}
