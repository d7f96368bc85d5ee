//! Host families (`siege.camps[].hosts`): a camp-type place whose people are
//! counted `with_hosts`, displaced but not in camps, on a small hand-built
//! scenario.

use corridor_engine::siege::SiegeReport;
use corridor_engine::{RunOptions, Simulation};
use corridor_model::observations::Observable;
use corridor_model::siege::*;
use corridor_model::*;

mod common;
use common::{loc, route, siege_scenario};

const CITY: u32 = 0;
const CAMP: u32 = 1;
const HOSTS: u32 = 2;
const PEOPLE: i64 = 1_200;

/// City (held) → Camp and → Hosts (a camp-type place flagged `hosts` or not).
fn toy(hosts: bool) -> Scenario {
    let locations = vec![
        loc("City", "conflict_zone", 0),
        loc("Camp", "camp", 100_000),
        loc("Hosts", "camp", 100_000),
    ];
    let routes = vec![route(0, 1, 10.0), route(0, 2, 10.0)];
    let exit = |to| Exit {
        from: CITY,
        to,
        open: true,
        turned_back: 0.0,
        shot: 0.0,
        weight: 1.0,
    };
    let siege = SiegeModel {
        people_per_agent: 6,
        screened_share: 0.0,
        populations: vec![Population {
            location: CITY,
            people: PEOPLE,
        }],
        holds: vec![Hold {
            location: CITY,
            attempt_rate: 0.1,
            until_day: None,
            residents: Residents::Stay,
        }],
        exits: vec![exit(CAMP), exit(HOSTS)],
        camps: vec![CampShelter {
            location: HOSTS,
            shelter: None,
            admits: None,
            hosts,
        }],
        ..SiegeModel::default()
    };
    let mut settings = Settings::flee_validation();
    settings.max_move_speed = 30.0;
    settings.camp_movechance = 0.0;
    siege_scenario(
        "toy hosts",
        (2016, 5, 22),
        30,
        locations,
        routes,
        settings,
        siege,
    )
}

fn run(sc: &Scenario) -> SiegeReport {
    let opts = RunOptions {
        seed: 1,
        ..RunOptions::default()
    };
    let mut sim = Simulation::new(sc, &opts).unwrap();
    while sim
        .step(&mut corridor_engine::events::NoObserver)
        .unwrap()
        .is_some()
    {}
    sim.siege_report().unwrap()
}

#[test]
fn people_with_hosts_are_displaced_but_not_in_camps() {
    let as_camp = run(&toy(false));
    let hosted = run(&toy(true));
    // The flag only changes how people are counted, not where they go.
    assert_eq!(as_camp.camps, vec!["Camp", "Hosts"]);
    assert_eq!(hosted.camps, vec!["Camp"]);
    for (a, h) in as_camp.days.iter().zip(&hosted.days) {
        assert_eq!(h.total(), PEOPLE, "day {}: {h:?}", h.day);
        assert_eq!(a.total(), PEOPLE);
        assert_eq!(a.with_hosts, 0);
        assert_eq!(h.with_hosts, a.in_camp[1], "day {}", h.day);
        assert_eq!(h.in_camp[0], a.in_camp[0]);
        assert_eq!(h.arrived(), a.arrived() - a.in_camp[1]);
        assert_eq!(h.displaced(), a.displaced());
        let w = h
            .observe(&Observable::WithHosts, &hosted.camps, &[])
            .unwrap();
        assert_eq!(w, h.with_hosts as f64);
    }
    let last = hosted.days.last().unwrap();
    assert!(last.with_hosts > 0 && last.in_camp[0] > 0, "{last:?}");
    let csv = hosted.fates_csv();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(",with_hosts,returned"));
    assert!(!csv.contains("in camp Hosts"));
}
