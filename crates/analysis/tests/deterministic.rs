//! The deterministic columns (camp data, UNHCR totals, agent count, raw count, debt) must be
//! identical between replicates of one scenario at one hasten, and differ between hastens.

mod common;

use common::{groups, read, REFERENCE_DIR};
use corridor_analysis::{compare_deterministic, deterministic_columns, FleeOutput, Mismatch};

#[test]
fn replicates_agree_exactly() {
    let mut compared = 0;
    for ((scenario, hasten), files) in groups() {
        let first = read(&files[0].path);
        for f in &files[1..] {
            let other = read(&f.path);
            // The simulated columns do differ between replicates ...
            assert_ne!(
                first.camps()[0].sim,
                other.camps()[0].sim,
                "{scenario} {hasten}: replicates {} and {} look identical",
                files[0].rep,
                f.rep
            );
            // ... the deterministic ones do not.
            if let Some(m) = compare_deterministic(&first, &other) {
                panic!(
                    "{scenario} {hasten} rep {} vs rep {}: {m}",
                    files[0].rep, f.rep
                );
            }
            compared += 1;
        }
    }
    assert!(compared >= 30, "only {compared} comparisons");
}

#[test]
fn different_hastens_differ() {
    let g = groups();
    let mut compared = 0;
    for ((scenario, hasten), files) in &g {
        for ((other_scenario, other_hasten), other_files) in &g {
            if scenario != other_scenario || hasten >= other_hasten {
                continue;
            }
            let a = read(&files[0].path);
            let b = read(&other_files[0].path);
            let m = compare_deterministic(&a, &b)
                .unwrap_or_else(|| panic!("{scenario}: {hasten} and {other_hasten} agree"));
            match &m {
                // The agent numbers scale with 1/hasten, so the camp data already differ on
                // day 0 (or, for camps empty on day 0, soon after).
                Mismatch::Value {
                    column,
                    row,
                    day,
                    expected,
                    got,
                } => {
                    assert_eq!(a.days()[*row], *day);
                    assert_ne!(expected, got);
                    let col = deterministic_columns(&a)
                        .into_iter()
                        .find(|(name, _)| name == column)
                        .unwrap_or_else(|| panic!("{m}: unknown column"));
                    assert_eq!(col.1[*row], *expected, "{m}");
                }
                other => panic!("{scenario} {hasten} vs {other_hasten}: unexpected {other}"),
            }
            compared += 1;
        }
    }
    // mali2012 has h1, h10 and h100; the other scenarios with h10 runs pair them with h100.
    assert!(compared >= 5, "only {compared} comparisons");
}

#[test]
fn different_scenarios_have_different_camps() {
    let a = read(format!("{REFERENCE_DIR}/rep_h100_mali2012_0.csv").as_ref());
    let b = read(format!("{REFERENCE_DIR}/rep_h100_car2013_0.csv").as_ref());
    assert!(matches!(
        compare_deterministic(&a, &b),
        Some(Mismatch::Camps { .. })
    ));
}

/// Rewrites field `column` (by name) on the data row for `day` of a reference file's text.
fn edit(text: &str, day: i64, column: &str, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let col = lines[0]
        .split(',')
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    let line = lines
        .iter_mut()
        .skip(1)
        .find(|l| l.split(',').next() == Some(&day.to_string()))
        .unwrap_or_else(|| panic!("no day {day}"));
    let mut fields: Vec<&str> = line.split(',').collect();
    fields[col] = value;
    *line = fields.join(",");
    lines.join("\n") + "\n"
}

#[test]
fn a_single_changed_value_is_found() {
    let path = format!("{REFERENCE_DIR}/rep_h100_mali2012_0.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let reference = read(path.as_ref());
    let parse = |t: &str| FleeOutput::from_reader_named(t.as_bytes(), "edited").unwrap();

    // Unchanged text, and changes to simulated columns, are not mismatches.
    assert_eq!(compare_deterministic(&reference, &parse(&text)), None);
    let sim_changed = edit(&text, 5, "Mentao sim", "12345");
    let sim_changed = edit(&sim_changed, 7, "refugees in camps (simulation)", "1");
    assert_eq!(
        compare_deterministic(&reference, &parse(&sim_changed)),
        None
    );

    // A changed debt on day 250 is reported with its column, day and both values.
    let debt = reference.totals().refugee_debt[250];
    let changed = edit(&text, 250, "refugee_debt", &format!("{}", debt + 1.0));
    assert_eq!(
        compare_deterministic(&reference, &parse(&changed)),
        Some(Mismatch::Value {
            column: "refugee_debt".into(),
            row: 250,
            day: 250,
            expected: debt,
            got: debt + 1.0,
        })
    );

    // With two changes, the earlier day wins even if its column comes later.
    let two = edit(&changed, 100, "raw UNHCR refugee count", "-1");
    let m = compare_deterministic(&reference, &parse(&two)).unwrap();
    assert!(
        matches!(&m, Mismatch::Value { column, day: 100, got, .. }
            if column == "raw UNHCR refugee count" && *got == -1.0),
        "{m}"
    );

    // A camp's data column is checked too.
    let data = edit(&text, 3, "Abala data", "0");
    assert!(matches!(
        compare_deterministic(&reference, &parse(&data)),
        Some(Mismatch::Value { column, day: 3, .. }) if column == "Abala data"
    ));

    // A truncated run is reported as such once all its rows agree.
    let short: String = text.lines().take(101).map(|l| format!("{l}\n")).collect();
    assert_eq!(
        compare_deterministic(&reference, &parse(&short)),
        Some(Mismatch::DayCount {
            expected: 300,
            got: 100
        })
    );
}
