//! DFlee's input `flood_level.csv` (docs/flee-model.md 18.2) and flood-mode
//! set-up (18.8), on writable copies of FabFlee's dflee_example; bad input
//! is an error naming file, line, field and a hint.

use std::fs;
use std::path::{Path, PathBuf};

use corridor_io::{read_flee_scenario, InputError};

const DFLEE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/flee/reference-ext/dflee/scenario"
);

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::write(&target, fs::read(entry.path()).unwrap()).unwrap();
        }
    }
}

/// A writable copy of dflee_example with `files` (relative paths) replaced.
fn dflee_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dflee");
    copy_dir(Path::new(DFLEE), &dir);
    for (name, text) in files {
        fs::write(dir.join(name), text).unwrap();
    }
    (tmp, dir)
}

fn error(files: &[(&str, &str)]) -> InputError {
    let (_tmp, dir) = dflee_with(files);
    read_flee_scenario(&dir, None).expect_err("the input is bad")
}

const LEVELS: &str = "input_csv/flood_level.csv";

#[test]
fn flood_levels_are_read_by_row_position() {
    let (sc, warnings) = read_flee_scenario(Path::new(DFLEE), None).unwrap();
    let f = sc.flood.expect("flood mode reads flood_level.csv");
    // Columns F1, F2, F3 are locations 3, 4, 5; row 2 (day 1) is 2,2,2.
    let ids: Vec<u32> = f.columns.iter().map(|c| c.0).collect();
    assert_eq!(ids, vec![3, 4, 5]);
    assert_eq!(f.columns[2].1[..2], [3.0, 2.0]);
    assert_eq!(f.days(), 11);
    assert!(sc.conflicts.columns.is_empty());
    // The flood zones feed the camps: no "unreachable" warning, and no
    // "not a camp" warning for the towns' data_layout rows.
    assert!(
        !warnings
            .iter()
            .any(|w| w.message.contains("unreachable") || w.message.contains("not a camp")),
        "{warnings:?}"
    );
}

#[test]
fn bad_flood_levels_are_errors_with_file_line_and_field() {
    let header = "#Day,F1,F2,F3\n";
    let rows = |extra: &str| {
        let mut t = header.to_string();
        t.push_str(extra);
        for d in 1..11 {
            t.push_str(&format!("{d},1,2,3\n"));
        }
        t
    };
    // Not a number.
    let e = error(&[(LEVELS, &rows("0,1,x,3\n"))]);
    assert_eq!((e.line(), e.field()), (Some(2), Some("column `F2`")), "{e}");
    // An empty cell (Flee's float('') crashes).
    let e = error(&[(LEVELS, &rows("0,1,,3\n"))]);
    assert_eq!((e.line(), e.field()), (Some(2), Some("column `F2`")), "{e}");
    // Negative.
    let e = error(&[(LEVELS, &rows("0,-1,2,3\n"))]);
    assert_eq!((e.line(), e.field()), (Some(2), Some("column `F1`")), "{e}");
    // Level 4 with 5-element lists: Flee crashes at len − 1 (18.3).
    let e = error(&[(LEVELS, &rows("0,1,4,3\n"))]);
    assert_eq!((e.line(), e.field()), (Some(2), Some("column `F2`")), "{e}");
    assert!(e.to_string().contains("at most 3"), "{e}");
    // A trailing comma in the header.
    let e = error(&[(LEVELS, "#Day,F1,F2,F3,\n0,1,2,3,0\n")]);
    assert_eq!(e.line(), Some(2), "{e}");
    assert!(e.to_string().contains("trailing comma"), "{e}");
    // Too few rows for the 11 days.
    let e = error(&[(LEVELS, "#Day,F1\n0,1\n1,1\n")]);
    assert_eq!(e.field(), Some("rows"), "{e}");
    assert!(e.to_string().contains("11 days"), "{e}");
    // Missing file.
    let (_tmp, dir) = dflee_with(&[]);
    fs::remove_file(dir.join(LEVELS)).unwrap();
    let e = read_flee_scenario(&dir, None).unwrap_err();
    assert!(e.to_string().contains("flood_level.csv"), "{e}");
    // Every location needs a data_layout row in flood mode (18.8).
    let layout = fs::read_to_string(Path::new(DFLEE).join("source_data/data_layout.csv")).unwrap();
    let without_t2: String = layout
        .lines()
        .filter(|l| !l.starts_with("T2,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let e = error(&[("source_data/data_layout.csv", &without_t2)]);
    assert!(e.to_string().contains("location 'T2'"), "{e}");
    // Every error carries a hint.
    assert!(e.to_string().contains("hint"), "{e}");
}

#[test]
fn outside_flood_mode_the_file_is_unused_with_a_warning() {
    let conflicts: String = std::iter::once("#Day,T1\n".to_string())
        .chain((0..11).map(|d| format!("{d},0\n")))
        .collect();
    let (_tmp, dir) = dflee_with(&[
        ("simsetting.yml", "log_levels:\n  agent: 0\n"),
        ("input_csv/conflicts.csv", &conflicts),
    ]);
    // Data-driven spawning of this folder: the flood zones have data rows but are not camps.
    let (sc, warnings) = read_flee_scenario(&dir, None).unwrap();
    assert!(sc.flood.is_none());
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("flood_level.csv is not used")),
        "{warnings:?}"
    );
}

#[test]
fn a_repeated_location_name_resolves_to_the_last_as_in_flee() {
    // As FabFlee's Ethiopia_dflee repeats Mustahil (a camp, then a flood
    // zone): here F2 (line 6) again as a town on line 11. Flee's name map
    // keeps the last: routes, flood levels and data_layout find line 11.
    let locations = fs::read_to_string(Path::new(DFLEE).join("input_csv/locations.csv")).unwrap();
    let locations = format!("{}\nF2,B,ABC,1,1,town,,700,\n", locations.trim_end());
    let (_tmp, dir) = dflee_with(&[("input_csv/locations.csv", &locations)]);
    let (sc, warnings) = read_flee_scenario(&dir, None).unwrap();
    let w = warnings
        .iter()
        .find(|w| w.message.contains("'F2' is defined twice"))
        .expect("a warning names both lines");
    assert!(w.message.contains("lines 6 and 11"), "{}", w.message);
    assert!(w.message.contains("unreachable"), "{}", w.message);
    assert_eq!(sc.locations.len(), 10);
    assert_eq!(sc.location_id("F2"), Some(9));
    // F2's three routes (F1-F2, F2-T2, F2-C1) end at the last F2.
    let touching = |l: u32| {
        sc.routes
            .iter()
            .filter(|r| r.from == l || r.to == l)
            .count()
    };
    assert_eq!((touching(4), touching(9)), (0, 3));
    // Its flood column too.
    let f = sc.flood.unwrap();
    let ids: Vec<u32> = f.columns.iter().map(|c| c.0).collect();
    assert_eq!(ids, vec![3, 9, 5]);
}

#[test]
fn a_repeated_location_name_stays_an_error_in_corridor_scenarios() {
    let fallujah = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/fallujah-2016"
    ));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fallujah");
    copy_dir(fallujah, &dir);
    let path = dir.join("locations.csv");
    let text = fs::read_to_string(&path).unwrap();
    let second = text.lines().nth(1).unwrap().to_string();
    let n = text.lines().count();
    fs::write(&path, format!("{}\n{second}\n", text.trim_end())).unwrap();
    let e = corridor_io::read_scenario(&dir.join("scenario.yml"), None).expect_err("refused");
    assert_eq!((e.line(), e.field()), (Some(n + 1), Some("name")), "{e}");
    assert!(
        e.to_string().contains("defined twice (first on line 2)"),
        "{e}"
    );
}
