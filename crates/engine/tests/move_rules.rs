//! Flee's optional move rules through whole runs (docs/flee-model.md 16), on
//! small hand-built networks.

use corridor_engine::{RunOptions, Simulation};
use corridor_model::*;

mod common;
use common::{loc, route};

/// Flee's tests/test_moving.py::test_stay_close_to_home network: A (0,0),
/// B (1,1), C (100,100) in a chain; 100 agents appear in conflict zone A on
/// day 0 (conflict-driven, constant 100, conflict only on day 0).
fn chain(stay_close: bool) -> Scenario {
    let mut a = loc("A", "conflict_zone", 1000);
    let mut b = loc("B", "town", 1000);
    let mut c = loc("C", "town", 1000);
    (b.lat, b.lon) = (1.0, 1.0);
    (c.lat, c.lon) = (100.0, 100.0);
    a.conflict_intensity = 1.0;
    Scenario {
        name: "chain".into(),
        start_date: "2020-01-01".into(),
        start_epoch_day: date::epoch_day(2020, 1, 1),
        days: 20,
        locations: vec![a, b, c],
        routes: vec![route(0, 1, 100.0), route(1, 2, 100.0)],
        closures: vec![],
        conflicts: ConflictTable {
            columns: vec![(0, std::iter::once(1.0).chain([0.0; 19]).collect())],
            ..ConflictTable::default()
        },
        validation: ValidationData::default(),
        settings: Settings {
            conflict_driven_spawning: Some(ConflictSpawning {
                mode: SpawnMode::Constant,
                displaced_per_conflict_day: 100.0,
            }),
            stay_close_to_home: stay_close,
            home_distance_power: 5.0,
            ..Settings::default()
        },
        siege: None,
        demographics: Default::default(),
        ipc: None,
        flood: None,
        major_routes: Vec::new(),
        initial_agents: Default::default(),
    }
}

fn at_c_after_20_days(sc: &Scenario, seed: u64) -> i64 {
    let mut sim = Simulation::new(sc, &RunOptions { seed, days: None }).unwrap();
    while sim
        .step(&mut corridor_engine::events::NoObserver)
        .unwrap()
        .is_some()
    {}
    assert_eq!(sim.total_agents(), 100);
    sim.location_counts()[2]
}

#[test]
fn staying_close_to_home_keeps_agents_off_the_far_node() {
    // Flee's assertion: at most one of the 100 agents reaches C in 20 days.
    for seed in 1..4 {
        assert!(at_c_after_20_days(&chain(true), seed) <= 1, "seed {seed}");
    }
    // Without the rule, C is as attractive as A from B: many get there.
    assert!(at_c_after_20_days(&chain(false), 1) > 10);
}

#[test]
fn v1_rules_overwrite_the_run_settings() {
    let mut sc = chain(false);
    sc.settings.use_v1_rules = true;
    sc.settings.max_move_speed = 400.0;
    sc.settings.camp_weight = 1.5;
    let sim = Simulation::new(&sc, &RunOptions::default()).unwrap();
    let s = sim.settings();
    assert_eq!(
        (s.max_move_speed, s.camp_weight, s.conflict_weight),
        (200.0, 2.0, 0.25)
    );
    assert!(!s.start_on_foot && !s.avoid_short_stints);
}

#[test]
fn staying_close_to_home_with_fixed_routes() {
    // Flee's test_stay_close_to_home_fixed_routes: the same assertion with route tables.
    let mut sc = chain(true);
    sc.settings.fixed_routes = true;
    sc.settings.awareness_level = 2;
    for seed in 1..4 {
        assert!(at_c_after_20_days(&sc, seed) <= 1, "seed {seed}");
    }
    sc.settings.stay_close_to_home = false;
    assert!(at_c_after_20_days(&sc, 1) > 10);
}

#[test]
fn fixed_routes_runs_are_the_same_for_any_thread_count() {
    let mut sc = chain(false);
    sc.settings.fixed_routes = true;
    sc.settings.awareness_level = 3;
    let run = |threads: usize| {
        common::on(threads, || {
            corridor_engine::run(
                &sc,
                &RunOptions {
                    seed: 3,
                    days: None,
                },
            )
            .unwrap()
            .0
        })
    };
    assert_eq!(run(1), run(4));
}

/// People left at A after 20 days of the chain with fixed routes at
/// awareness 1 (from A only B is known), with the major route A→B→C or not.
fn left_at_a(major: bool, seed: u64) -> i64 {
    let mut sc = chain(false);
    sc.settings.fixed_routes = true;
    sc.settings.awareness_level = 1;
    if major {
        sc.major_routes = vec![MajorRoute {
            from: 0,
            via: vec![1, 2],
            line: 1,
        }];
    }
    let mut sim = Simulation::new(&sc, &RunOptions { seed, days: None }).unwrap();
    while sim
        .step(&mut corridor_engine::events::NoObserver)
        .unwrap()
        .is_some()
    {}
    sim.location_counts()[0]
}

#[test]
fn a_major_route_without_its_first_hop_keeps_people_where_they_are() {
    // A→B→C enters A's table as [C] at a quarter of its 200 km, the heaviest
    // route from A; an agent who picks it finds no link from A to C and
    // stays (docs/flee-model.md 16.6), so A empties more slowly.
    for seed in 1..6 {
        let (without, with) = (left_at_a(false, seed), left_at_a(true, seed));
        eprintln!("seed {seed}: left at A {without} without, {with} with the major route");
        assert!(with > without + 5, "seed {seed}: {with} vs {without}");
    }
}

#[test]
fn closing_a_link_of_a_major_route_ends_the_run_with_a_clear_error() {
    let mut sc = chain(false);
    sc.settings.fixed_routes = true;
    sc.settings.awareness_level = 1;
    sc.major_routes = vec![MajorRoute {
        from: 0,
        via: vec![1, 2],
        line: 4,
    }];
    sc.closures = vec![Closure {
        kind: ClosureKind::Link,
        name1: "B".into(),
        name2: "C".into(),
        start: 2,
        end: 5,
    }];
    let mut sim = Simulation::new(&sc, &RunOptions::default()).unwrap();
    let mut noop = corridor_engine::events::NoObserver;
    for _ in 0..2 {
        sim.step(&mut noop).unwrap();
    }
    let e = sim
        .step(&mut noop)
        .expect_err("day 2 cannot run")
        .to_string();
    assert!(e.contains("day 2") && e.contains("A -> B -> C"), "{e}");
    assert!(e.contains("line 4") && e.contains("from B to C"), "{e}");
}

#[test]
fn major_route_runs_are_the_same_for_any_thread_count() {
    let mut sc = chain(false);
    sc.settings.fixed_routes = true;
    sc.major_routes = vec![MajorRoute {
        from: 0,
        via: vec![1, 2],
        line: 1,
    }];
    let run = |threads: usize| {
        let opts = RunOptions {
            seed: 7,
            days: None,
        };
        common::on(threads, || corridor_engine::run(&sc, &opts).unwrap().0)
    };
    assert_eq!(run(1), run(2));
    assert_eq!(run(1), run(8));
}
