//! Output formatting: `python_float` against Python's own `repr`, and
//! `flee_out_csv` against Flee's out.csv files byte for byte.

use std::path::PathBuf;

use corridor_io::{flee_out_csv, python_float};
use corridor_model::{date, DayRecord, RunOutput};

const FLEE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/flee");

/// `tests/data/python_float_repr.txt`: `<f64 bits in hex> <Python 3.11 repr>`
/// for ~3700 values (random magnitudes 1e-12..1e20, error-column-like ratios,
/// random bit patterns, and edge cases such as 1e-05, 1e+16, 5e-324, -0.0).
#[test]
fn python_float_matches_python_repr() {
    let text = include_str!("data/python_float_repr.txt");
    let mut n = 0;
    for line in text.lines() {
        let (bits, want) = line.split_once(' ').unwrap();
        let x = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
        assert_eq!(python_float(x), want, "bits {bits}");
        n += 1;
    }
    assert!(n > 3000);
}

#[test]
fn python_float_examples() {
    assert_eq!(python_float(0.0), "0.0");
    assert_eq!(python_float(0.0003237293622531564), "0.0003237293622531564");
    assert_eq!(python_float(1e-5), "1e-05");
    assert_eq!(python_float(2.5e-7), "2.5e-07");
    assert_eq!(python_float(42.0), "42.0");
    assert_eq!(python_float(1e22), "1e+22");
}

/// Rebuilds a RunOutput from a reference out.csv (sim, data, raw, debt,
/// totals and dates), so that `flee_out_csv` must recompute the error
/// columns and `Total error` exactly as Flee printed them.
fn rebuild(text: &str) -> RunOutput {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let camps: Vec<String> = header
        .iter()
        .filter_map(|h| h.strip_suffix(" sim"))
        .map(String::from)
        .collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let idp = header.last() == Some(&"total IDPs");
    let mut out = RunOutput {
        camps: camps.clone(),
        days: Vec::new(),
    };
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let int = |i: usize| f[i].parse::<i64>().unwrap();
        let (y, m, d) = {
            let p: Vec<u32> = f[1].split('-').map(|x| x.parse().unwrap()).collect();
            (p[0] as i64, p[1], p[2])
        };
        out.days.push(DayRecord {
            day: int(0),
            date_epoch_day: date::epoch_day(y, m, d),
            camp_sim: camps
                .iter()
                .map(|c| int(col(&format!("{c} sim"))))
                .collect(),
            camp_data: camps
                .iter()
                .map(|c| int(col(&format!("{c} data"))))
                .collect(),
            raw: int(col("raw UNHCR refugee count")),
            debt: int(col("refugee_debt")),
            total_agents: int(col("total refugees (simulation)")),
            idp_total: idp.then(|| int(col("total IDPs"))),
        });
    }
    out
}

#[test]
fn flee_out_csv_reproduces_reference_files_byte_for_byte() {
    let dir = PathBuf::from(FLEE).join("reference");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("rep_h"))
        })
        .collect();
    files.sort();
    assert!(files.len() >= 40);
    let mut lines_checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let out = flee_out_csv(&rebuild(&text));
        for (i, (got, want)) in out.lines().zip(text.lines()).enumerate() {
            assert_eq!(got, want, "{} line {}", file.display(), i + 1);
        }
        assert_eq!(out, text, "{}", file.display());
        lines_checked += text.lines().count();
    }
    assert!(lines_checked > 20_000);
}

#[test]
fn flee_out_csv_special_rows() {
    let out = RunOutput {
        camps: vec!["A".into(), "B c".into()],
        days: vec![
            DayRecord {
                day: 0,
                date_epoch_day: date::epoch_day(2012, 2, 29),
                camp_sim: vec![3, 0],
                camp_data: vec![0, 0],
                raw: 0,
                debt: 0,
                total_agents: 7,
                idp_total: Some(2),
            },
            DayRecord {
                day: 1,
                date_epoch_day: date::epoch_day(2012, 3, 1),
                camp_sim: vec![92, 1],
                camp_data: vec![96, 3],
                raw: 310,
                debt: 4,
                total_agents: 110,
                idp_total: Some(5),
            },
        ],
    };
    assert_eq!(
        flee_out_csv(&out),
        "Day,Date,A sim,A data,A error,B c sim,B c data,B c error,Total error,refugees in camps (UNHCR),\
         total refugees (simulation),raw UNHCR refugee count,refugees in camps (simulation),refugee_debt,total IDPs\n\
         0,2012-02-29,3,0,0.0,0,0,0.0,0.0,0,7,0,3,0,2\n\
         1,2012-03-01,92,96,0.0417,1,3,0.6667,0.01935483870967742,99,110,310,93,4,5\n"
    );
}
