//! Flee's optional inputs beyond the default model: `demographics_*.csv`
//! (docs/flee-model.md 15.1) and `region_attributes_IPC.csv` (19.2), read
//! from writable copies of mali2012; bad ones are errors naming file, line
//! and field.

use std::fs;
use std::path::{Path, PathBuf};

use corridor_io::{read_flee_scenario, InputError};

const FLEE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/flee/scenarios");

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

/// A writable copy of mali2012 with `files` added to input_csv and `settings` as simsetting.yml.
fn mali_with(files: &[(&str, &str)], settings: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mali2012");
    copy_dir(&Path::new(FLEE).join("mali2012"), &dir);
    for (name, text) in files {
        fs::write(dir.join("input_csv").join(name), text).unwrap();
    }
    fs::write(dir.join("simsetting.yml"), settings).unwrap();
    (tmp, dir)
}

fn error(files: &[(&str, &str)], settings: &str) -> InputError {
    let (_tmp, dir) = mali_with(files, settings);
    read_flee_scenario(&dir, None).expect_err("the input is bad")
}

const IPC: &str = "#Day,Kidal,Timbuktu\n0,10.0,20.0\n100,30.0,0.0\n299,30.0,0.0\n";

#[test]
fn ipc_table_is_read_and_checked() {
    let (_tmp, dir) = mali_with(&[("region_attributes_IPC.csv", IPC)], "");
    let (sc, warnings) = read_flee_scenario(&dir, None).unwrap();
    let ipc = sc.ipc.expect("the table is read whenever it exists");
    assert_eq!(ipc.level("Timbuktu", 50.0), Some(10.0));
    // Kidal is both a location and the region column: Flee never sets its level.
    assert!(warnings
        .iter()
        .any(|w| w.message.contains("`Kidal` names a location")));

    let e = error(
        &[("region_attributes_IPC.csv", "Day,Kidal\n0,1\n299,1\n")],
        "",
    );
    assert_eq!(e.field(), Some("column 1"), "{e}");
    let e = error(
        &[("region_attributes_IPC.csv", "#Day,Kidal\n0,1\n200,1\n")],
        "",
    );
    assert!(e.to_string().contains("span the run"), "{e}");
    let e = error(
        &[("region_attributes_IPC.csv", "#Day,Kidal\n0,1\n0,2\n299,1\n")],
        "",
    );
    assert_eq!(e.line(), Some(3), "{e}");
    let e = error(
        &[("region_attributes_IPC.csv", "#Day,Kidal\n0,x\n299,1\n")],
        "",
    );
    assert_eq!(
        (e.line(), e.field()),
        (Some(2), Some("column `Kidal`")),
        "{e}"
    );
    let e = error(&[], "move_rules:\n  flee_when_starving: True\n");
    assert!(e.to_string().contains("no IPC table"), "{e}");
    let (_tmp, dir) = mali_with(
        &[("region_attributes_IPC.csv", IPC)],
        "move_rules:\n  flee_when_starving: True\n",
    );
    assert!(
        read_flee_scenario(&dir, None)
            .unwrap()
            .0
            .settings
            .flee_when_starving
    );
}

#[test]
fn demographics_tables_are_read_and_checked() {
    let (sc, _) = read_flee_scenario(&Path::new(FLEE).join("nigeria2022_adm2"), None).unwrap();
    let names: Vec<&str> = sc
        .demographics
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["age", "gender"]);
    assert!(sc.demographics.attributes[0].numeric && !sc.demographics.attributes[1].numeric);

    let gender = "gender,Default,Gao\nmale,0.5,1\nfemale,0.5,0\n";
    let (_tmp, dir) = mali_with(&[("demographics_gender.csv", gender)], "");
    let (sc, _) = read_flee_scenario(&dir, None).unwrap();
    let g = &sc.demographics.attributes[0];
    assert_eq!(
        (g.weights_for("Gao"), g.weights_for("Kidal")),
        (Some(&[1.0, 0.0][..]), Some(&[0.5, 0.5][..]))
    );

    let e = error(
        &[("demographics_gender.csv", "#gender,Default\nmale,1\n")],
        "",
    );
    assert_eq!((e.line(), e.field()), (Some(1), Some("column 1")), "{e}");
    let e = error(
        &[(
            "demographics_gender.csv",
            "gender,Default\nmale,1\nfemale,-1\n",
        )],
        "",
    );
    assert_eq!(e.line(), Some(3), "{e}");
    let e = error(&[("demographics_gender.csv", "gender,Gao\nmale,1\n")], "");
    assert_eq!(e.field(), Some("Default"), "{e}");
    let e = error(
        &[("demographics_gender.csv", "gender,Default\nmale,0\n")],
        "",
    );
    assert!(e.to_string().contains("every weight"), "{e}");
    // A rule that reads age without an age table.
    let e = error(
        &[("demographics_gender.csv", gender)],
        "move_rules:\n  ChildrenAvoidHazards: True\n",
    );
    assert!(e.to_string().contains("`age`"), "{e}");
    // The Match* rules need their tables (Flee crashes building the ecosystem).
    let e = error(
        &[("demographics_gender.csv", gender)],
        "move_rules:\n  MatchTownEthnicity: True\n",
    );
    assert_eq!(e.field(), Some("move_rules.MatchTownEthnicity"), "{e}");
    assert!(e.to_string().contains("demographics_ethnicity.csv"), "{e}");
    let e = error(
        &[("demographics_ethnicity.csv", "ethnicity,Default\nfula,1\n")],
        "move_rules:\n  MatchCampEthnicity: True\n  MatchCampReligion: True\n",
    );
    assert!(e.to_string().contains("`religion`"), "{e}");
    let (_tmp, dir) = mali_with(
        &[
            ("demographics_ethnicity.csv", "ethnicity,Default\nfula,1\n"),
            ("demographics_religion.csv", "religion,Default\nmuslim,1\n"),
        ],
        "move_rules:\n  MatchCampEthnicity: True\n  MatchCampReligion: True\n",
    );
    let (sc, _) = read_flee_scenario(&dir, None).unwrap();
    assert!(sc.settings.MatchCampEthnicity && sc.settings.MatchCampReligion);
}
