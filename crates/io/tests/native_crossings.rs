//! The `crossings:` keys of `scenario.yml` and of `set_crossing`: read into
//! the model, with clear errors for bad values (docs/scenario-format.md,
//! River crossings).

use corridor_io::read_scenario;
use corridor_model::siege::{Action, Crossing};
use std::fs;

const LOCATIONS: &str =
    "#name,region,country,lat,lon,location_type,conflict_date,population_or_capacity
City,r,c,0,0,conflict_zone,0,1000
Bank,r,c,0,0,town,,0
Far,r,c,0,0,town,,0
Camp,r,c,0,0,camp,,5000
";
const ROUTES: &str = "#name1,name2,distance,forced_redirection
City,Bank,5,0
Bank,Far,2,0
Far,Camp,10,0
";

/// Reads a scenario whose `crossings:` and `interventions:` lines are given.
fn read(crossings: &str, interventions: &str) -> Result<corridor_model::Scenario, String> {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("locations.csv"), LOCATIONS).unwrap();
    fs::write(dir.path().join("routes.csv"), ROUTES).unwrap();
    let yml = [
        "name: river",
        "start_date: 2016-05-22",
        "days: 10",
        "locations: locations.csv",
        "routes: routes.csv",
        "siege:",
        "  people_per_agent: 6",
        "  population: [{location: City, people: 600}]",
        "  holds: [{location: City, attempt_rate: 0.5}]",
        "  exits: [{from: City, to: Bank}]",
        "  crossings:",
        crossings,
        "  interventions:",
        if interventions.is_empty() {
            "    []"
        } else {
            interventions
        },
    ]
    .join("\n");
    fs::write(dir.path().join("scenario.yml"), yml).unwrap();
    read_scenario(dir.path(), None)
        .map(|(s, _)| s)
        .map_err(|e| e.to_string())
}

#[test]
fn every_crossing_key_is_read() {
    let sc = read(
        "    - {from: Bank, to: Far, capacity_per_day: 20, drowning: 0.01, shot_crossing: 0.002, shot_waiting: 0.003, patience_days: 2, give_up: 0.4}\n    - {from: Far, to: Camp}",
        "    - {day: 3, action: set_crossing, from: Bank, to: Far, capacity_per_day: unlimited, shot_crossing: 0.0, shot_waiting: 0.001, patience_days: never, give_up: 0.9}\n    - {day: 4, action: set_crossing, from: Bank, to: Far, patience_days: 5}",
    )
    .unwrap();
    let m = sc.siege.unwrap();
    assert_eq!(
        m.crossings[0],
        Crossing {
            from: 1,
            to: 2,
            capacity_per_day: Some(20),
            drowning: 0.01,
            shot_crossing: 0.002,
            shot_waiting: 0.003,
            patience_days: Some(2),
            give_up: 0.4,
        }
    );
    // Defaults: unlimited craft, no hazards, never give up.
    assert_eq!(
        m.crossings[1],
        Crossing {
            from: 2,
            to: 3,
            capacity_per_day: None,
            drowning: 0.0,
            shot_crossing: 0.0,
            shot_waiting: 0.0,
            patience_days: None,
            give_up: 0.0,
        }
    );
    assert_eq!(
        m.interventions[0].action,
        Action::SetCrossing {
            from: 1,
            to: 2,
            capacity_per_day: Some(None),
            drowning: None,
            shot_crossing: Some(0.0),
            shot_waiting: Some(0.001),
            patience_days: Some(None),
            give_up: Some(0.9),
        }
    );
    assert!(matches!(
        m.interventions[1].action,
        Action::SetCrossing {
            patience_days: Some(Some(5)),
            capacity_per_day: None,
            ..
        }
    ));
}

#[test]
fn bad_crossing_values_are_explained() {
    let cases = [
        (
            "    - {from: Bank, to: Far, capacity_per_day: lots}",
            "",
            "capacity_per_day",
        ),
        (
            "    - {from: Bank, to: Far, patience_days: forever}",
            "",
            "patience_days",
        ),
        ("    - {from: Bank, to: Far, give_up: 1.5}", "", "give_up"),
        (
            "    - {from: Bank, to: Far, shot_waiting: -0.1}",
            "",
            "shot_waiting",
        ),
        (
            "    - {from: Bank, to: Far}\n    - {from: Bank, to: Far}",
            "",
            "declared twice",
        ),
        (
            "    - {from: Bank, to: Far}",
            "    - {day: 1, action: set_crossing, from: Bank, to: Far, give_up: 2}",
            "give_up",
        ),
        (
            "    - {from: Bank, to: Far}",
            "    - {day: 1, action: set_crossing, from: Bank, to: Far, patience_days: soon}",
            "patience_days",
        ),
    ];
    for (crossings, interventions, what) in cases {
        let err = read(crossings, interventions).expect_err(what);
        assert!(
            err.contains(what) && err.contains("scenario.yml:") && err.contains("hint"),
            "{what}: {err}"
        );
    }
}
