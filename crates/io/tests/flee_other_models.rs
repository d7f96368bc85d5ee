//! Reading the inputs of Flee's other models (docs/flee-model.md 13, 14, 16):
//! `location_changes.csv`, conflict-driven spawning, economic pull, and the
//! warnings for the inputs Flee reads that corridor does not.

use std::fs;
use std::path::{Path, PathBuf};

use corridor_io::{read_flee_scenario, InputErrorKind};
use corridor_model::LocationKind;

/// A copy of Flee's test scenario with location changes, in a temp folder.
fn scenario() -> (tempfile::TempDir, PathBuf) {
    let src = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/location_changes/scenario"
    ));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("lc");
    copy_dir(src, &dir);
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

fn messages(w: &[corridor_io::Warning]) -> Vec<String> {
    w.iter().map(|w| w.to_string()).collect()
}

#[test]
fn location_changes_are_read_in_file_order_from_the_scenario_folder() {
    let (_tmp, dir) = scenario();
    let (sc, w) = read_flee_scenario(&dir, None).unwrap();
    let c = &sc.conflicts.type_changes;
    assert_eq!(c.len(), 2);
    assert_eq!(
        (
            sc.locations[c[0].location as usize].name.as_str(),
            c[0].kind,
            c[0].day
        ),
        ("C", LocationKind::IdpCamp, 30)
    );
    assert_eq!((c[1].kind, c[1].day), (LocationKind::Town, 60));
    // major_routes.csv is read by Flee, not by corridor; the IPC table only
    // matters to the food rules, which are off here.
    let m = messages(&w);
    assert!(
        m.iter().any(|m| m.contains("major_routes.csv is not read")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.contains("region_attributes_IPC.csv is not used")),
        "{m:?}"
    );
}

#[test]
fn a_copy_only_in_input_csv_is_not_read_and_says_so() {
    let (_tmp, dir) = scenario();
    fs::remove_file(dir.join("location_changes.csv")).unwrap();
    let (sc, w) = read_flee_scenario(&dir, None).unwrap();
    assert!(sc.conflicts.type_changes.is_empty());
    let m = messages(&w);
    assert!(
        m.iter()
            .any(|m| m.contains("input_csv/location_changes.csv") && m.contains("move it up")),
        "{m:?}"
    );
}

#[test]
fn bad_rows_are_errors_with_file_line_and_field() {
    let (_tmp, dir) = scenario();
    let file = dir.join("location_changes.csv");
    let cases = [
        // Flee would change the first location of locations.csv.
        (
            "#name,type,day\nCC,idpcamp,30\n",
            "name",
            "did you mean 'C'",
        ),
        // Flee crashes.
        ("C,refuge,30\n", "new_type", "idpcamp"),
        ("C,camp,thirty\n", "day", "whole number"),
        (",camp,3\n", "name", "empty"),
        ("C,camp\n", "day", "needs 3"),
    ];
    for (text, field, hint) in cases {
        fs::write(&file, text).unwrap();
        let e = read_flee_scenario(&dir, None).unwrap_err();
        assert_eq!(e.field(), Some(field), "{text}: {e}");
        assert_eq!(e.path(), file.as_path());
        assert!(e.line().is_some(), "{e}");
        assert!(e.to_string().contains(hint), "{text}: {e}");
    }
    // A change outside the run never happens: a warning.
    fs::write(&file, "C,camp,500\n").unwrap();
    let (_, w) = read_flee_scenario(&dir, None).unwrap();
    assert!(
        messages(&w).iter().any(|m| m.contains("never happens")),
        "{w:?}"
    );
}

#[test]
fn economic_pull_needs_trade_volume_and_hdi_for_foreign_locations() {
    let (_tmp, dir) = scenario();
    let settings = dir.join("simsetting.yml");
    fs::write(&settings, "move_rules:\n  use_economic_pull: True\n").unwrap();
    let e = read_flee_scenario(&dir, None).unwrap_err();
    assert_eq!(e.field(), Some("trade_volume"), "{e}");
    assert!(e.to_string().contains("foreign location 'D'"), "{e}");
    // With the columns, the scenario loads and the columns are not reported as unread.
    let locations = dir.join("input_csv/locations.csv");
    let text = fs::read_to_string(&locations).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        let extra = if i == 0 {
            ",trade_volume,hdi"
        } else if fields.get(2).is_some_and(|c| c.trim_matches('"') == "DEF") {
            ",1.5,0.7"
        } else {
            ",,"
        };
        out.push_str(&format!(
            "{line}{}{extra}\n",
            ",".repeat(8usize.saturating_sub(fields.len()))
        ));
    }
    fs::write(&locations, out).unwrap();
    let (sc, w) = read_flee_scenario(&dir, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(sc.settings.use_economic_pull);
    assert!(
        !messages(&w).iter().any(|m| m.contains("'trade_volume'")),
        "{w:?}"
    );
}

#[test]
fn conflict_driven_spawning_warns_about_what_it_leaves_out() {
    let (_tmp, dir) = scenario();
    fs::write(
        dir.join("simsetting.yml"),
        "spawn_rules:\n  take_from_population: True\n  conflict_spawn_decay: [1.0, 0.5]\n  \
         conflict_driven_spawning: {}\n",
    )
    .unwrap();
    let (sc, w) = read_flee_scenario(&dir, None).unwrap();
    assert!(sc.settings.conflict_driven_spawning.is_some());
    let m = messages(&w);
    assert!(
        m.iter()
            .any(|m| m.contains("conflict_spawn_decay is not applied")),
        "{m:?}"
    );
    assert!(m.iter().any(|m| m.contains("can reach 0")), "{m:?}");
    assert!(matches!(
        read_flee_scenario(&dir, Some(Path::new("/nonexistent.yml")))
            .unwrap_err()
            .kind(),
        InputErrorKind::MissingFile { .. }
    ));
}

// With fixed_routes on, major_routes.csv is read: tests/major_routes.rs.
