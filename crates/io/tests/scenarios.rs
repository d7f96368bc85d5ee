//! Every shipped Flee scenario loads with the validation settings, and its
//! inventory matches docs/flee-model.md section 9, table A.

use std::path::{Path, PathBuf};

use corridor_io::read_flee_scenario;
use corridor_model::{LocationKind, Scenario};

const FLEE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/flee");

fn flee_dir() -> PathBuf {
    PathBuf::from(FLEE)
}

fn load(name: &str) -> Scenario {
    let dir = flee_dir().join("scenarios").join(name);
    let settings = flee_dir().join("validation-simsetting.yml");
    match read_flee_scenario(&dir, Some(&settings)) {
        Ok((s, warnings)) => {
            for w in &warnings {
                eprintln!("{w}");
            }
            s
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

struct Expect {
    name: &'static str,
    start: &'static str,
    days: u32,
    locations: usize,
    routes: usize,
    camps: usize,
    closures: usize,
    /// Σ of the camp series at day L−1 at hasten 1 (table A "Σcamp data @end").
    camp_data_end: i64,
    /// Agents inserted into camps before day 0 at hasten 1.
    day0_agents: i64,
}

const TABLE_A: &[Expect] = &[
    Expect {
        name: "burundi2015",
        start: "2015-05-01",
        days: 396,
        locations: 30,
        routes: 41,
        camps: 5,
        closures: 4,
        camp_data_end: 205_445,
        day0_agents: 191,
    },
    Expect {
        name: "car2013",
        start: "2013-12-01",
        days: 820,
        locations: 63,
        routes: 86,
        camps: 14,
        closures: 2,
        camp_data_end: 415_174,
        day0_agents: 0,
    },
    Expect {
        name: "mali2012",
        start: "2012-02-29",
        days: 300,
        locations: 23,
        routes: 35,
        camps: 7,
        closures: 2,
        camp_data_end: 89_991,
        day0_agents: 10_838,
    },
    Expect {
        name: "nigeria2022_adm2",
        start: "2022-09-01",
        days: 395,
        locations: 41,
        routes: 185,
        camps: 4,
        closures: 0,
        camp_data_end: 336_019,
        day0_agents: 0,
    },
    Expect {
        name: "ssudan2013",
        start: "2013-12-15",
        days: 604,
        locations: 51,
        routes: 60,
        camps: 10,
        closures: 3,
        camp_data_end: 433_300,
        day0_agents: 0,
    },
    Expect {
        name: "ukraine2022",
        start: "2022-02-24",
        days: 554,
        locations: 37,
        routes: 42,
        camps: 6,
        closures: 0,
        camp_data_end: 23_613_225,
        day0_agents: 0,
    },
];

#[test]
fn every_scenario_loads() {
    let mut names: Vec<String> = std::fs::read_dir(flee_dir().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 6, "{names:?}");
    for name in &names {
        let s = load(name);
        assert_eq!(&s.name, name);
        assert!(s
            .conflicts
            .columns
            .iter()
            .all(|(_, v)| v.len() >= s.days as usize));
    }
}

#[test]
fn inventory_matches_model_table_a() {
    for e in TABLE_A {
        let s = load(e.name);
        assert_eq!(s.start_date, e.start, "{}", e.name);
        assert_eq!(s.days, e.days, "{}", e.name);
        assert_eq!(s.locations.len(), e.locations, "{}", e.name);
        assert_eq!(s.routes.len(), e.routes, "{}", e.name);
        assert_eq!(s.closures.len(), e.closures, "{}", e.name);
        let camps: Vec<&str> = s
            .locations
            .iter()
            .filter(|l| l.kind.is_camp())
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(camps.len(), e.camps, "{}", e.name);
        assert_eq!(s.validation.labels[0], "total");

        let data = s.validation.prepare(1.0, false).unwrap();
        let last = s.days as i64 - 1;
        let sum_end: i64 = camps
            .iter()
            .map(|c| data.field(data.label_index(c).unwrap(), last))
            .sum();
        assert_eq!(sum_end, e.camp_data_end, "{}", e.name);
        let day0: i64 = camps
            .iter()
            .map(|c| data.field(data.label_index(c).unwrap(), 0))
            .sum();
        assert_eq!(day0, e.day0_agents, "{}", e.name);
    }
}

#[test]
fn location_types_follow_flee_rules() {
    // burundi: 7 conflict_zone rows, 17 towns, 5 camps, 1 forwarding hub (table A);
    // conflict zones with conflict_date > 0 start as towns.
    let s = load("burundi2015");
    let raw = |t: &str| s.locations.iter().filter(|l| l.raw_type == t).count();
    assert_eq!(
        (
            raw("conflict_zone"),
            raw("town"),
            raw("camp"),
            raw("forwarding_hub")
        ),
        (7, 17, 5, 1)
    );
    for l in &s.locations {
        if l.raw_type == "conflict_zone" {
            let want = if l.conflict_date > 0 {
                LocationKind::Town
            } else {
                LocationKind::Conflict
            };
            assert_eq!(l.kind, want, "{}", l.name);
        }
    }
    assert_eq!(s.locations[0].name, "Bujumbura");
    assert_eq!(s.home_country(), "Burundi");
    // forced_redirection 2 is used by burundi (docs/flee-model.md 1.2).
    assert!(s.routes.iter().any(|r| r.forced_redirection == 2));
    // car2013 merges several files into one label (Mboti, Inke, Betou).
    let car = load("car2013");
    let i = car
        .validation
        .labels
        .iter()
        .position(|l| l == "Mboti")
        .unwrap();
    assert_eq!(car.validation.series[i].len(), 2);
}

#[test]
fn settings_default_to_simsetting_or_flee_defaults() {
    // No simsetting.yml in the shipped folders: Flee's code defaults apply.
    let dir: &Path = &flee_dir().join("scenarios").join("mali2012");
    let (s, _) = read_flee_scenario(dir, None).unwrap();
    assert_eq!(s.settings, corridor_model::Settings::default());
}
