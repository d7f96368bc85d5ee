//! The keys of "Camps and shelter" and "End of a siege"
//! (docs/scenario-format.md) on a copy of the Fallujah scenario.

use std::fs;
use std::path::{Path, PathBuf};

use corridor_io::read_native_scenario;
use corridor_model::siege::{Action, CampShelter, Residents};
use corridor_model::Scenario;

const FALLUJAH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/fallujah-2016");

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
            let mut perm = fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            fs::set_permissions(&target, perm).unwrap();
        }
    }
}

/// `text` without the YAML block that starts at the line `key` (two-space
/// indented) and runs to the next key at the same indentation.
fn without_block(text: &str, key: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.trim_end().starts_with(key) {
            skipping = true;
            continue;
        }
        if skipping {
            let at_key =
                line.starts_with("  ") && !line.starts_with("   ") && !line.trim().starts_with('#');
            if !at_key && !line.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            skipping = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A copy of the scenario with `camps` lines under `siege:` and `extra`
/// interventions; returns the temp dir and the scenario file.
fn with(camps: &str, extra: &str, hold: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fallujah");
    copy_dir(Path::new(FALLUJAH), &dir);
    let file = dir.join("scenario.yml");
    let mut text = fs::read_to_string(&file).unwrap();
    // The tests add their own camps: start from the scenario without its own.
    text = without_block(&text, "  camps:");
    text = text.replacen("\nsiege:\n", &format!("\nsiege:\n  camps:\n{camps}"), 1);
    text = text.replacen(
        "\n  interventions:",
        &format!("\n  interventions:\n{extra}"),
        1,
    );
    if let Some(h) = hold {
        text = text.replacen("{location: Karmah, attempt_rate: 0.06}", h, 1);
    }
    fs::write(&file, text).unwrap();
    (tmp, file)
}

fn load(camps: &str, extra: &str, hold: Option<&str>) -> Result<Scenario, String> {
    let (_tmp, file) = with(camps, extra, hold);
    read_native_scenario(&file, None)
        .map(|(s, _)| s)
        .map_err(|e| e.to_string())
}

#[test]
fn camps_shelter_and_residents_are_read() {
    let sc = load(
        "    - {location: AAF, shelter: 6000, admits: unlimited}\n    - {location: Bzebiz, shelter: 0}\n    - {location: Kilo_18, admits: 9000}\n",
        "    - {day: 31, action: set_shelter, location: AAF, people: 29000}\n    - {day: 35, action: lift_siege, location: Fallujah, residents: move}\n    - {day: 36, action: lift_siege, location: Saqlawiyah}\n",
        Some("{location: Karmah, attempt_rate: 0.06, until_day: 30, residents: move}"),
    )
    .unwrap();
    let s = sc.siege.unwrap();
    let id = |n: &str| sc.locations.iter().position(|l| l.name == n).unwrap() as u32;
    assert_eq!(
        s.camps,
        vec![
            CampShelter {
                location: id("AAF"),
                shelter: Some(6000),
                admits: Some(None),
                hosts: false
            },
            CampShelter {
                location: id("Bzebiz"),
                shelter: Some(0),
                admits: None,
                hosts: false
            },
            CampShelter {
                location: id("Kilo_18"),
                shelter: None,
                admits: Some(Some(9000)),
                hosts: false
            },
        ]
    );
    let actions: Vec<&Action> = s.interventions.iter().map(|i| &i.action).collect();
    assert!(actions.contains(&&Action::SetShelter {
        camp: id("AAF"),
        people: 29000
    }));
    assert!(actions.contains(&&Action::LiftSiege {
        location: id("Fallujah"),
        residents: Residents::Move
    }));
    assert!(actions.contains(&&Action::LiftSiege {
        location: id("Saqlawiyah"),
        residents: Residents::Stay
    }));
    let karmah = s.holds.iter().find(|h| h.location == id("Karmah")).unwrap();
    assert_eq!(
        (karmah.until_day, karmah.residents),
        (Some(30), Residents::Move)
    );
    assert!(s
        .holds
        .iter()
        .filter(|h| h.location != id("Karmah"))
        .all(|h| h.residents == Residents::Stay));
}

#[track_caller]
fn fails(camps: &str, extra: &str, hold: Option<&str>, needles: &[&str]) {
    let err = load(camps, extra, hold).expect_err("bad input loaded");
    assert!(err.contains("scenario.yml:"), "no file:line in:\n{err}");
    assert!(err.contains("hint"), "no hint in:\n{err}");
    for n in needles {
        assert!(err.contains(n), "no '{n}' in:\n{err}");
    }
}

#[test]
fn bad_shelter_keys_name_the_line_field_and_value() {
    let ok = "    - {location: AAF, shelter: 6000}\n";
    fails(
        "    - {location: AAF, shelter: -5}\n",
        "",
        None,
        &["camps.shelter", "-5", "scenario-format.md"],
    );
    fails(
        "    - {location: AAF, admits: lots}\n",
        "",
        None,
        &["camps.admits", "lots", "unlimited"],
    );
    fails(
        "    - {location: AAF, hosts: true, shelter: 100}\n",
        "",
        None,
        &["camps.hosts", "AAF", "shelter", "scenario-format.md"],
    );
    fails(
        "    - {location: AAF, hosts: maybe}\n",
        "",
        None,
        &["camps.hosts", "maybe", "true or false"],
    );
    fails(
        "    - {location: Camp_Tariq, shelter: 10}\n",
        "",
        None,
        &["camps.location", "not a camp", "scenario-format.md"],
    );
    fails(
        "    - {location: AAFF, shelter: 10}\n",
        "",
        None,
        &["camps.location", "did you mean 'AAF'"],
    );
    fails(&format!("{ok}{ok}"), "", None, &["camps.location", "twice"]);
    fails(
        ok,
        "    - {day: 3, action: set_shelter, location: AAF}\n",
        None,
        &["people", "set_shelter needs"],
    );
    fails(
        ok,
        "    - {day: 3, action: set_shelter, location: AAF, people: -1}\n",
        None,
        &["people", "-1"],
    );
    fails(
        ok,
        "    - {day: 3, action: set_shelter, location: Camp_Tariq, people: 10}\n",
        None,
        &["not a camp"],
    );
    fails(
        ok,
        "    - {day: 3, action: lift_siege, location: Fallujah, residents: leave}\n",
        None,
        &["residents", "leave", "stay"],
    );
    fails(
        ok,
        "",
        Some("{location: Karmah, attempt_rate: 0.06, residents: go}"),
        &["holds.residents", "go", "End of a siege"],
    );
}

#[test]
fn a_host_place_is_read() {
    let sc = load(
        "    - {location: AAF, hosts: true, admits: unlimited}\n",
        "",
        None,
    )
    .unwrap();
    let siege = sc.siege.unwrap();
    assert!(siege.camps[0].hosts);
    assert_eq!(siege.camps[0].shelter, None);
    assert_eq!(siege.camps[0].admits, Some(None));
}
