//! Camps and shelter, the end of a siege and first arrivals, on a small
//! hand-built scenario.

use corridor_engine::siege::SiegeReport;
use corridor_engine::{RunOptions, Simulation};
use corridor_model::siege::*;
use corridor_model::*;

mod common;
use common::{loc, route, siege_scenario};

const CITY: u32 = 0;
const CAMP: u32 = 1;
const INFORMAL: u32 = 2;
const FAR: u32 = 3;
const PEOPLE: i64 = 1_200 + 60;

/// City (held until day `lift`) → Camp (shelter 300, admits 600 people) and
/// → Informal (shelter 0); Far is a camp nobody can reach, with 60 people
/// in it from day 0.
fn sheltered(days: u32, lift: i64, residents: Residents) -> Scenario {
    let locations = vec![
        loc("City", "conflict_zone", 0),
        loc("Camp", "camp", 100_000),
        loc("Informal", "camp", 100_000),
        loc("Far", "camp", 100_000),
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
        populations: vec![
            Population {
                location: CITY,
                people: 1_200,
            },
            Population {
                location: FAR,
                people: 60,
            },
        ],
        holds: vec![Hold {
            location: CITY,
            attempt_rate: 0.08,
            until_day: Some(lift),
            residents,
        }],
        exits: vec![exit(CAMP), exit(INFORMAL)],
        camps: vec![
            CampShelter {
                location: CAMP,
                shelter: Some(300),
                admits: Some(Some(600)),
                hosts: false,
            },
            CampShelter {
                location: INFORMAL,
                shelter: Some(0),
                admits: Some(None),
                hosts: false,
            },
        ],
        ..SiegeModel::default()
    };
    let mut settings = Settings::flee_validation();
    settings.max_move_speed = 30.0;
    settings.camp_movechance = 0.0;
    siege_scenario(
        "toy shelter",
        (2016, 5, 22),
        days,
        locations,
        routes,
        settings,
        siege,
    )
}

fn run(sc: &Scenario, seed: u64) -> SiegeReport {
    let opts = RunOptions {
        seed,
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
fn people_beyond_shelter_are_in_the_open_and_admission_goes_beyond_shelter() {
    let r = run(&sheltered(30, 20, Residents::Stay), 1);
    let (camp, informal, far) = (0, 1, 2);
    assert_eq!(r.camps, vec!["Camp", "Informal", "Far"]);
    for d in &r.days {
        // Conservation: every person in exactly one fate every day.
        assert_eq!(d.total(), PEOPLE, "day {}: {d:?}", d.day);
        // Exactly the people beyond shelter are in the open.
        assert_eq!(d.in_open_by_camp[camp], (d.in_camp[camp] - 300).max(0));
        // An informal site has no shelter: everyone there is in the open.
        assert_eq!(d.in_open_by_camp[informal], d.in_camp[informal]);
        // No shelter given: nobody counted in the open.
        assert_eq!(d.in_open_by_camp[far], 0);
        assert_eq!(d.in_open, d.in_open_by_camp.iter().sum::<i64>());
        // Admission stops at its limit (600 people, Flee's capacity factor).
        assert!(d.in_camp[camp] <= 600, "day {}: {d:?}", d.day);
    }
    let last = r.days.last().unwrap();
    // The camp admitted people beyond its shelter, and the informal site filled.
    assert!(last.in_camp[camp] > 300, "{last:?}");
    assert!(last.in_open_by_camp[camp] > 0 && last.in_camp[informal] > 0);
    let csv = r.fates_csv();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = csv.lines().last().unwrap().split(',').collect();
    let col = |name: &str| {
        let i = header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{name}"));
        row[i].parse::<i64>().unwrap()
    };
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    // The shelter columns follow `total`, in camp order.
    assert_eq!(at("stayed"), at("total") + 1);
    assert_eq!(at("in_open"), at("total") + 2);
    assert_eq!(at("in open Camp") + 1, at("in open Informal"));
    assert_eq!(at("in open Informal") + 1, at("in open Far"));
    assert_eq!(col("stayed"), last.stayed);
    assert_eq!(col("in_open"), last.in_open);
    assert_eq!(col("in open Camp"), last.in_open_by_camp[camp]);
    assert_eq!(col("in open Informal"), last.in_camp[informal]);
    assert_eq!(col("in open Far"), 0);
}

#[test]
fn set_shelter_changes_who_is_in_the_open_from_its_day() {
    let mut sc = sheltered(30, 20, Residents::Stay);
    sc.siege.as_mut().unwrap().interventions.push(Intervention {
        day: 10,
        action: Action::SetShelter {
            camp: CAMP,
            people: 60,
        },
        note: "tents lost".into(),
    });
    let r = run(&sc, 1);
    for d in &r.days {
        let shelter = if d.day >= 10 { 60 } else { 300 };
        assert_eq!(
            d.in_open_by_camp[0],
            (d.in_camp[0] - shelter).max(0),
            "{d:?}"
        );
    }
    assert!(r
        .interventions
        .iter()
        .any(|(t, s)| *t == 10 && s.contains("shelter of Camp = 60")));
}

#[test]
fn those_who_never_left_are_stayed_after_the_lift_and_stay_home() {
    let r = run(&sheltered(30, 12, Residents::Stay), 1);
    for d in &r.days {
        assert_eq!(d.total(), PEOPLE, "day {}", d.day);
        if d.day < 12 {
            assert_eq!(d.stayed, 0, "{d:?}");
            assert!(d.trapped > 0, "{d:?}");
        } else {
            assert_eq!(d.trapped, 0, "day {}: {d:?}", d.day);
            assert!(d.stayed > 0, "{d:?}");
            // Not displaced.
            assert_eq!(d.displaced(), d.in_transit + d.detained() + d.arrived());
        }
    }
    // Staying home: nobody leaves after the lift.
    let at_lift = r.days.iter().find(|d| d.day == 12).unwrap().stayed;
    assert!(r
        .days
        .iter()
        .filter(|d| d.day >= 12)
        .all(|d| d.stayed == at_lift));
    assert!(r
        .interventions
        .iter()
        .any(|(t, s)| *t == 12 && s.contains("lifted")));
}

#[test]
fn residents_move_after_the_lift_when_told() {
    let mut sc = sheltered(30, 12, Residents::Move);
    sc.settings.conflict_movechance = 0.5;
    let r = run(&sc, 1);
    let at_lift = r.days.iter().find(|d| d.day == 12).unwrap().stayed;
    let last = r.days.last().unwrap();
    assert!(last.stayed < at_lift, "{at_lift} → {last:?}");
    assert_eq!(last.trapped, 0);
    assert!(r.days.iter().all(|d| d.total() == PEOPLE));
}

#[test]
fn first_arrival_comes_from_the_run_not_from_day_0_occupants() {
    let r = run(&sheltered(30, 20, Residents::Stay), 1);
    let first_day = |i: usize| {
        r.days
            .iter()
            .find(|d| d.in_camp[i] > 0)
            .map(|d| d.date.clone())
    };
    assert_eq!(r.first_arrivals.len(), 3);
    // Camp had nobody at day 0: its first arrival is the first day with people.
    assert_eq!(r.first_arrivals[0], first_day(0));
    assert!(r.first_arrivals[0].is_some());
    // Far had 60 people from day 0 and nobody reached it.
    assert!(r.days[0].in_camp[2] == 60);
    assert_eq!(r.first_arrivals[2], None);
    let mut text = Vec::new();
    r.print_summary(&mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let far = text.lines().find(|l| l.contains("in camp Far")).unwrap();
    assert!(far.contains("nobody arrived"), "{text}");
    let camp = text.lines().find(|l| l.contains("in camp Camp")).unwrap();
    assert!(
        camp.contains("in the open") && camp.contains("sheltered"),
        "{text}"
    );
    assert!(text.contains("stayed home"), "{text}");
}

#[test]
fn older_summaries_without_shelter_fields_still_read() {
    let r = run(&sheltered(5, 3, Residents::Stay), 1);
    let mut v = serde_json::to_value(&r).unwrap();
    v.as_object_mut().unwrap().remove("first_arrivals");
    for d in v["days"].as_array_mut().unwrap() {
        let d = d.as_object_mut().unwrap();
        d.remove("stayed");
        d.remove("in_open");
        d.remove("in_open_by_camp");
    }
    let old: SiegeReport = serde_json::from_value(v).unwrap();
    assert!(old.first_arrivals.is_empty());
    assert_eq!(old.days[0].in_open_at(0), 0);
    let mut text = Vec::new();
    old.print_summary(&mut text).unwrap();
}

#[test]
fn shelter_runs_are_deterministic() {
    let sc = sheltered(30, 12, Residents::Stay);
    assert_eq!(run(&sc, 7), run(&sc, 7));
}
