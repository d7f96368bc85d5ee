//! The screening (`on`, `capacity_per_day`) and organised-transport
//! (`transport`, `set_transport`) keys of scenario.yml: read into the model,
//! and bad values named with file, line, field and a hint.

use std::fs;
use std::path::{Path, PathBuf};

use corridor_io::read_scenario;
use corridor_model::siege::{Action, Transport};

const FALLUJAH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/fallujah-2016");

/// A copy of the Fallujah scenario whose scenario.yml went through `edit`.
fn fallujah_with(edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fallujah");
    fs::create_dir_all(dir.join("observed")).unwrap();
    for f in [
        "locations.csv",
        "routes.csv",
        "conflicts.csv",
        "simsetting.yml",
        "space.yml",
    ] {
        fs::copy(Path::new(FALLUJAH).join(f), dir.join(f)).unwrap();
    }
    fs::copy(
        Path::new(FALLUJAH).join("observed/validation.csv"),
        dir.join("observed/validation.csv"),
    )
    .unwrap();
    let text = fs::read_to_string(Path::new(FALLUJAH).join("scenario.yml")).unwrap();
    // The tests add their own lines: start from the scenario without its bus lines.
    let text = without_block(&text, "  transport:");
    fs::write(dir.join("scenario.yml"), edit(text)).unwrap();
    (tmp, dir)
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

fn with_lines(text: String, after: &str, lines: &str) -> String {
    let i = text.find(after).expect("anchor") + after.len();
    format!("{}{}{}", &text[..i], lines, &text[i..])
}

const SAQ: &str = "    - {location: Saqlawiyah, active: false, on: [arrival, departure], hold_days: [1, 2], not_released: 0.49, death_in_custody: 0.004}";

#[test]
fn screening_and_transport_keys_are_read() {
    let (_tmp, dir) = fallujah_with(|t| {
        assert!(t.contains(SAQ), "the Saqlawiyah screening line changed");
        // Without the scenario's bus lines, its change of the Ramadi line has
        // nothing to change (an error at load since issue 14): drop it too.
        let t: String = t
            .lines()
            .filter(|l| !l.contains("action: set_transport, from: Ramadi"))
            .map(|l| format!("{l}\n"))
            .collect();
        let t = t.replacen(
            SAQ,
            "    - {location: Saqlawiyah, active: false, on: [departure], capacity_per_day: 1200, hold_days: [1, 3], not_released: 0.49}",
            1,
        );
        let t = with_lines(
            t,
            "  interventions:              # the historical timeline; what-ifs live in variants/\n",
            "    - {day: 3, action: set_transport, from: Camp_Tariq, people_per_day: 900, note: more buses}\n    - {day: 4, action: set_screening, location: Camp_Tariq, capacity_per_day: unlimited, on: [arrival]}\n    - {day: 5, action: set_transport, from: Habbaniyah, to: [HTC], people_per_day: 100}\n",
        );
        format!(
            "{t}  transport:\n    - {{from: Camp_Tariq, to: [AAF, Bzebiz], people_per_day: 600}}\n"
        )
    });
    let (sc, _) = read_scenario(&dir, None).unwrap();
    let s = sc.siege.unwrap();
    let id = |n: &str| sc.locations.iter().position(|l| l.name == n).unwrap() as u32;
    let saq = s
        .screenings
        .iter()
        .find(|x| x.location == id("Saqlawiyah"))
        .unwrap();
    assert_eq!((saq.on_arrival, saq.on_departure), (false, true));
    assert_eq!(saq.capacity_per_day, Some(1200));
    // Defaults: both moments, unlimited capacity (Kilo 18 sets neither).
    let kilo = s
        .screenings
        .iter()
        .find(|x| x.location == id("Kilo_18"))
        .unwrap();
    assert_eq!(
        (kilo.on_arrival, kilo.on_departure, kilo.capacity_per_day),
        (true, true, None)
    );
    assert_eq!(
        s.transport,
        vec![Transport {
            from: id("Camp_Tariq"),
            to: vec![id("AAF"), id("Bzebiz")],
            people_per_day: 600,
            active: true,
            leg: false,
        }]
    );
    let actions: Vec<&Action> = s.interventions.iter().map(|i| &i.action).collect();
    assert!(actions.contains(&&Action::SetTransport {
        from: id("Camp_Tariq"),
        to: None,
        people_per_day: Some(900),
        active: None,
    }));
    assert!(actions.contains(&&Action::SetTransport {
        from: id("Habbaniyah"),
        to: Some(vec![id("HTC")]),
        people_per_day: Some(100),
        active: None,
    }));
    assert!(actions.iter().any(|a| matches!(
        a,
        Action::SetScreening {
            capacity_per_day: Some(None),
            on: Some((true, false)),
            ..
        }
    )));
}

fn error_of(edit: impl FnOnce(String) -> String) -> String {
    let (_tmp, dir) = fallujah_with(edit);
    match read_scenario(&dir, None) {
        Ok(_) => panic!("the edited scenario loads"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_screening_and_transport_values_name_line_field_and_hint() {
    type Edit = Box<dyn FnOnce(String) -> String>;
    let cases: Vec<(Edit, &[&str])> = vec![
        (
            Box::new(|t: String| {
                t.replacen(
                    SAQ,
                    "    - {location: Saqlawiyah, on: [exit], hold_days: [1, 3]}",
                    1,
                )
            }),
            &[
                "scenario.yml:",
                "screenings.on",
                "'exit'",
                "on: [arrival, departure]",
                "docs/scenario-format.md",
            ],
        ),
        (
            Box::new(|t: String| {
                t.replacen(
                    SAQ,
                    "    - {location: Saqlawiyah, on: [], hold_days: [1, 3]}",
                    1,
                )
            }),
            &["scenario.yml:", "screenings.on", "empty"],
        ),
        (
            Box::new(|t: String| {
                t.replacen(
                    SAQ,
                    "    - {location: Saqlawiyah, capacity_per_day: lots, hold_days: [1, 3]}",
                    1,
                )
            }),
            &[
                "scenario.yml:",
                "screenings.capacity_per_day",
                "lots",
                "unlimited",
            ],
        ),
        (
            Box::new(|t: String| {
                format!("{t}  transport:\n    - {{from: Camp_Tariq, to: [Habbaniyah], people_per_day: 600}}\n")
            }),
            &["transport.to", "'Habbaniyah' is a town, not a camp", "hint"],
        ),
        (
            Box::new(|t: String| {
                format!("{t}  transport:\n    - {{from: Camp_Tariq, to: [AAF], people_per_day: 6}}\n    - {{from: Camp_Tariq, to: [HTC], people_per_day: 6}}\n")
            }),
            &[
                "transport.from",
                "two transport lines out of 'Camp_Tariq'",
                "Organised transport",
            ],
        ),
        (
            Box::new(|t: String| {
                format!(
                    "{t}  transport:\n    - {{from: Camp_Tarik, to: [AAF], people_per_day: 6}}\n"
                )
            }),
            &["transport.from", "did you mean 'Camp_Tariq'"],
        ),
        (
            Box::new(|t: String| {
                with_lines(
                    t,
                    "  interventions:              # the historical timeline; what-ifs live in variants/\n",
                    "    - {day: 3, action: set_transprt, from: Camp_Tariq}\n",
                )
            }),
            &[
                "unknown intervention action",
                "did you mean 'set_transport'",
            ],
        ),
    ];
    for (edit, wants) in cases {
        let err = error_of(edit);
        for w in wants {
            assert!(err.contains(w), "'{w}' not in: {err}");
        }
    }
}
