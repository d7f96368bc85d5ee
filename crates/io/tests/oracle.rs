//! The exact oracle of docs/flee-model.md section 11.1: the deterministic columns of
//! Flee's out.csv (`<camp> data`, `refugees in camps (UNHCR)`,
//! `total refugees (simulation)`, `raw UNHCR refugee count`, `refugee_debt`,
//! and `Date`) depend only on data handling, so they are recomputed here
//! without the engine and compared with every reference file, row by row.

use std::path::PathBuf;

use corridor_io::{read_flee_scenario, read_settings};
use corridor_model::{date, SpawnLedger};

const FLEE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/flee");

struct Reference {
    file: PathBuf,
    hasten: String,
    scenario: String,
}

fn references() -> Vec<Reference> {
    let dir = PathBuf::from(FLEE).join("reference");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(rest) = name
            .strip_prefix("rep_h")
            .and_then(|r| r.strip_suffix(".csv"))
        else {
            continue;
        };
        let (hasten, rest) = rest.split_once('_').unwrap();
        let (scenario, _replicate) = rest.rsplit_once('_').unwrap();
        out.push(Reference {
            file: dir.join(&name),
            hasten: hasten.to_string(),
            scenario: scenario.to_string(),
        });
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// Compares one reference file; returns the number of rows checked.
fn check(r: &Reference) -> Result<usize, String> {
    let settings_path = PathBuf::from(FLEE).join(format!("reference/val_h{}.yml", r.hasten));
    let (settings, _) = read_settings(&settings_path).map_err(|e| e.to_string())?;
    let dir = PathBuf::from(FLEE).join("scenarios").join(&r.scenario);
    let (scenario, _) =
        read_flee_scenario(&dir, Some(&settings_path)).map_err(|e| e.to_string())?;
    assert_eq!(scenario.settings, settings);
    assert_eq!(settings.hasten.to_string(), r.hasten);

    let data = scenario
        .validation
        .prepare(settings.hasten as f64, settings.empty_camps_on_day0)
        .map_err(|e| e.to_string())?;
    let camps: Vec<(&str, usize, i64)> = scenario
        .locations
        .iter()
        .filter(|l| l.kind.is_camp())
        .map(|l| {
            (
                l.name.as_str(),
                data.label_index(&l.name).unwrap(),
                l.initial_idps,
            )
        })
        .collect();

    let text = std::fs::read_to_string(&r.file).map_err(|e| e.to_string())?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{}: no column {name:?}", r.file.display()))
    };
    let sim_cols: Vec<&str> = header
        .iter()
        .filter_map(|h| h.strip_suffix(" sim"))
        .collect();
    let our: Vec<&str> = camps.iter().map(|c| c.0).collect();
    if sim_cols != our {
        return Err(format!("camp columns differ: {sim_cols:?} vs {our:?}"));
    }
    let data_cols: Vec<usize> = camps
        .iter()
        .map(|c| col(&format!("{} data", c.0)))
        .collect();
    let (c_date, c_unhcr, c_total, c_raw, c_debt) = (
        col("Date"),
        col("refugees in camps (UNHCR)"),
        col("total refugees (simulation)"),
        col("raw UNHCR refugee count"),
        col("refugee_debt"),
    );

    let mut ledger = SpawnLedger::default();
    let mut total: i64 = camps
        .iter()
        .map(|&(_, label, idps)| {
            let day0 = if settings.insert_day0 && !settings.empty_camps_on_day0 {
                data.field(label, 0)
            } else {
                0
            };
            day0 + idps
        })
        .sum();
    let mut rows = 0;
    for (t, line) in lines.enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let t = t as i64;
        let day = ledger.day(&data, t, &settings);
        total += day.new_agents;
        let values: Vec<i64> = camps.iter().map(|c| data.field(c.1, t)).collect();
        let mut expect: Vec<(usize, String)> = data_cols
            .iter()
            .zip(&values)
            .map(|(&c, v)| (c, v.to_string()))
            .collect();
        expect.push((c_date, date::iso(scenario.start_epoch_day + t + 1)));
        if day.raw > 0 {
            expect.push((c_unhcr, values.iter().sum::<i64>().to_string()));
            expect.push((c_raw, day.raw.to_string()));
            expect.push((c_debt, day.debt.to_string()));
        } else {
            expect.push((c_unhcr, "0".into()));
            expect.push((c_raw, "0".into()));
            expect.push((c_debt, "0".into()));
        }
        expect.push((c_total, total.to_string()));
        for (c, want) in expect {
            if f[c] != want {
                return Err(format!(
                    "day {t}, column {:?}: reference {} but computed {want}",
                    header[c], f[c]
                ));
            }
        }
        rows += 1;
    }
    Ok(rows)
}

#[test]
fn deterministic_columns_match_every_reference_file() {
    let refs = references();
    assert!(
        refs.len() >= 40,
        "found only {} reference files",
        refs.len()
    );
    let mut failures = Vec::new();
    for r in &refs {
        match check(r) {
            Ok(rows) => eprintln!(
                "OK   {} ({} rows)",
                r.file.file_name().unwrap().to_string_lossy(),
                rows
            ),
            Err(e) => {
                eprintln!("FAIL {}: {e}", r.file.display());
                failures.push(format!("{}: {e}", r.file.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatching files:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
