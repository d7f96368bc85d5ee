//! `major_routes.csv` with `fixed_routes` (docs/flee-model.md 16.6): which
//! location gets which route, and Flee's reader quirks as errors and
//! warnings with file and line.

use std::fs;
use std::path::{Path, PathBuf};

use corridor_io::read_flee_scenario;
use corridor_model::Scenario;

/// Flee's test scenario (A, B, C, C2, D, E, F) with its major_routes.csv
/// (`B,C2,D,E,F` / `B,C2,C` / `C,C2,D,E,F`), fixed_routes on, and
/// `major_routes` as the file when given.
fn scenario(major_routes: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let src = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/location_changes/scenario"
    ));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("lc");
    copy_dir(src, &dir);
    fs::write(
        dir.join("simsetting.yml"),
        "move_rules:\n  fixed_routes: True\n",
    )
    .unwrap();
    if let Some(text) = major_routes {
        fs::write(dir.join("input_csv/major_routes.csv"), text).unwrap();
    }
    (tmp, dir)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The major routes of `name`, as (stops, line).
fn routes_of(sc: &Scenario, name: &str) -> Vec<(Vec<String>, usize)> {
    let id = sc.location_id(name).unwrap();
    sc.major_routes
        .iter()
        .filter(|m| m.from == id)
        .map(|m| {
            let names = m.via.iter().map(|&l| sc.locations[l as usize].name.clone());
            (names.collect(), m.line)
        })
        .collect()
}

fn names(s: &str) -> Vec<String> {
    s.split(',').map(String::from).collect()
}

#[test]
fn flees_three_rows_give_b_two_routes_and_c_two() {
    // Flee's tests/test_csv.py: a row belongs to its first location as
    // r[1:] and to its last as r[:-1] reversed.
    let (_tmp, dir) = scenario(None);
    let (sc, w) = read_flee_scenario(&dir, None).unwrap();
    assert_eq!(
        routes_of(&sc, "B"),
        vec![(names("C2,D,E,F"), 1), (names("C2,C"), 2)]
    );
    assert_eq!(
        routes_of(&sc, "C"),
        vec![(names("C2,B"), 2), (names("C2,D,E,F"), 3)]
    );
    assert_eq!(
        routes_of(&sc, "F"),
        vec![(names("E,D,C2,B"), 1), (names("E,D,C2,C"), 3)]
    );
    assert!(routes_of(&sc, "A").is_empty());
    assert_eq!(sc.major_routes.len(), 6);
    // routes.csv has no C2—D: Flee's own test file cannot be walked.
    let w: Vec<String> = w.iter().map(|w| w.to_string()).collect();
    let unlinked: Vec<&String> = w.iter().filter(|m| m.contains("joins C2 and D")).collect();
    assert_eq!(unlinked.len(), 2, "{w:?}");
    assert!(unlinked[0].contains("major_routes.csv:1"), "{w:?}");
    // Without the file, fixed_routes runs on the crawled tables alone.
    fs::remove_file(dir.join("input_csv/major_routes.csv")).unwrap();
    let (sc, _) = read_flee_scenario(&dir, None).unwrap();
    assert!(sc.settings.fixed_routes && sc.major_routes.is_empty());
}

#[test]
fn empty_cells_are_dropped_from_routes_read_forwards() {
    let (_tmp, dir) = scenario(Some("B,,C2,D,,\n"));
    let (sc, _) = read_flee_scenario(&dir, None).unwrap();
    assert_eq!(routes_of(&sc, "B"), vec![(names("C2,D"), 1)]);
    assert!(routes_of(&sc, "D").is_empty());
}

#[test]
fn a_blank_row_is_an_error_with_its_line() {
    let (_tmp, dir) = scenario(Some("B,C2,D\n\nC,C2,D\n"));
    let e = read_flee_scenario(&dir, None).unwrap_err();
    assert!(e.path().ends_with("major_routes.csv"), "{e}");
    assert_eq!(e.line(), Some(2), "{e}");
    assert!(e.to_string().contains("blank row"), "{e}");
}

#[test]
fn an_unknown_name_is_an_error_with_line_and_value() {
    let (_tmp, dir) = scenario(Some("B,C2,D\nC,Dx,E\n"));
    let e = read_flee_scenario(&dir, None).unwrap_err();
    assert_eq!(e.line(), Some(2), "{e}");
    assert!(e.to_string().contains("\"Dx\""), "{e}");
    assert!(e.to_string().contains("did you mean 'D'"), "{e}");
}

#[test]
fn hash_rows_are_routes_not_comments() {
    // A `#` row ending at a location is that location's route back to '#B':
    // Flee would end the run walking it; corridor stops at the row.
    let (_tmp, dir) = scenario(Some("#B,C2,D\n"));
    let e = read_flee_scenario(&dir, None).unwrap_err();
    assert_eq!(e.line(), Some(1), "{e}");
    assert!(e.to_string().contains("`#` rows"), "{e}");
    // One that starts and ends at no location is kept but used by none.
    let (_tmp, dir) = scenario(Some("# from,to\nB,C2\n"));
    let (sc, w) = read_flee_scenario(&dir, None).unwrap();
    assert_eq!(sc.major_routes.len(), 2);
    let w: Vec<String> = w.iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter()
            .any(|m| m.contains("major_routes.csv") && m.contains("no effect")),
        "{w:?}"
    );
}

#[test]
fn a_route_of_one_location_is_an_error() {
    let (_tmp, dir) = scenario(Some("B,C2\nD\n"));
    let e = read_flee_scenario(&dir, None).unwrap_err();
    assert_eq!(e.line(), Some(2), "{e}");
}
