//! Conflict-driven spawning and location changes through the whole day
//! (docs/flee-model.md 13, 14), on small hand-built scenarios. The expected
//! numbers are Flee's own tests' (tests/test_conflict_driven_spawning.py) or
//! follow from the spec's formulas by hand.

use corridor_engine::{RunOptions, Simulation};
use corridor_model::*;

mod common;
use common::{loc, route, series};

/// Conflict zones A, B and E (populations 10 000, 20 000, 40 000), camp C
/// (capacity 50, 10 people in its data on day 0).
fn zones(days: u32, columns: Vec<(LocId, Vec<f64>)>, mode: SpawnMode, rate: f64) -> Scenario {
    Scenario {
        name: "zones".into(),
        start_date: "2020-01-01".into(),
        start_epoch_day: date::epoch_day(2020, 1, 1),
        days,
        locations: vec![
            loc("A", "conflict_zone", 10_000),
            loc("B", "conflict_zone", 20_000),
            loc("C", "camp", 50),
            loc("E", "conflict_zone", 40_000),
        ],
        routes: vec![route(0, 2, 100.0), route(1, 2, 100.0), route(3, 2, 100.0)],
        closures: vec![],
        conflicts: ConflictTable {
            columns,
            ..ConflictTable::default()
        },
        validation: ValidationData {
            labels: vec!["total".into(), "C".into()],
            series: vec![
                series(&[(0, 0), (10, 5000)]),
                series(&[(0, 10), (10, 5000)]),
            ],
            corrections: vec![],
        },
        settings: Settings {
            conflict_driven_spawning: Some(ConflictSpawning {
                mode,
                displaced_per_conflict_day: rate,
            }),
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

fn totals(sc: &Scenario) -> Vec<DayRecord> {
    let (out, _) = corridor_engine::run(sc, &RunOptions::default()).unwrap();
    out.days
}

#[test]
fn constant_mode_spawns_n_per_zone_and_day_whatever_the_data() {
    // Flee's test_conflict_driven_spawning: N = 100, one zone, 10 days → 1000
    // agents (here plus the 10 put in the camp before day 0).
    let mut sc = zones(10, vec![], SpawnMode::Constant, 100.0);
    sc.locations[1] = loc("B", "town", 20_000);
    sc.locations[3] = loc("E", "town", 40_000);
    let days = totals(&sc);
    assert_eq!(days[9].total_agents, 10 + 1000);
    // raw and debt stay 0, so Flee's data total column is 0 too (13.5).
    assert!(days.iter().all(|d| d.raw == 0 && d.debt == 0));
    // The data columns are still filled.
    // 10 + 9/10 × (5000 − 10), by linear interpolation.
    assert_eq!(days[9].camp_data, vec![4501]);
}

#[test]
fn intensities_from_conflicts_csv_scale_the_counts_and_ends_stop_them() {
    // Flee's test_conflict_driven_spawning_post_conflict: three zones at
    // N = 100; from day 2, one zone's conflict ends and one's intensity is
    // 0.5 from an onset. Days 0–1: 3 × 100; days 2–5: 100 + 50 per day.
    let full = vec![1.0; 6];
    let ends = vec![1.0, 1.0, 0.0, 0.0, 0.0, 0.0];
    let halves = vec![0.0, 0.0, 0.5, 0.5, 0.5, 0.5];
    let mut sc = zones(
        6,
        vec![(0, full), (1, ends), (3, halves)],
        SpawnMode::Constant,
        100.0,
    );
    // E starts as a town and becomes a conflict zone at day 2.
    sc.locations[3] = loc("E", "town", 40_000);
    sc.locations[3].conflict_date = 2;
    let days = totals(&sc);
    let new: Vec<i64> = days.iter().map(|d| d.total_agents - 10).collect();
    assert_eq!(new, vec![200, 400, 550, 700, 850, 1000]);
}

#[test]
fn pop_ratio_with_take_from_population_decays_geometrically() {
    // docs/flee-model.md 13.6: f = 0.01, c = 0.5, pop 100 000 → 500, 497, 495.
    let mut sc = zones(3, vec![(0, vec![0.5; 3])], SpawnMode::PopRatio, 0.01);
    sc.locations[0] = loc("A", "town", 100_000);
    sc.locations[0].conflict_date = 0;
    sc.locations[1] = loc("B", "town", 20_000);
    sc.locations[3] = loc("E", "town", 40_000);
    sc.settings.take_from_population = true;
    let days = totals(&sc);
    let new: Vec<i64> = days.iter().map(|d| d.total_agents - 10).collect();
    assert_eq!(new, vec![500, 997, 1492]);
    // Without take_from_population the count stays at 500 a day; hasten
    // divides the population (and so the count) before the truncation.
    sc.settings.take_from_population = false;
    sc.settings.hasten = 1000;
    let days = totals(&sc);
    // pop 100, int(0.01 × 100 × 0.5) = 0: nobody, ever (13.6); 10/1000 in the camp is 0 too.
    assert!(days.iter().all(|d| d.total_agents == 0), "{days:?}");
}

#[test]
fn the_day0_capacity_reduction_and_data_shift_do_not_happen() {
    let mut sc = zones(2, vec![], SpawnMode::Constant, 0.0);
    let mut sim = Simulation::new(&sc, &RunOptions::default()).unwrap();
    let rec = sim
        .step(&mut corridor_engine::events::NoObserver)
        .unwrap()
        .unwrap()
        .clone();
    assert_eq!(rec.camp_sim, vec![10]);
    assert_eq!(
        sim.world().capacity(2),
        50,
        "no day-0 capacity reduction (13.2)"
    );
    // empty_camps_on_day0 suppresses the insertion but does not shift the data.
    sc.settings.empty_camps_on_day0 = true;
    let days = totals(&sc);
    assert_eq!(days[0].camp_sim, vec![0]);
    assert_eq!(days[1].camp_data, vec![10 + (4990 / 10)]);
}

#[test]
fn poisson_counts_average_the_intensity() {
    let sc = zones(200, vec![(0, vec![1.0; 200])], SpawnMode::Poisson, 30.0);
    let mut only_a = sc.clone();
    only_a.locations[1] = loc("B", "town", 1);
    only_a.locations[3] = loc("E", "town", 1);
    let days = totals(&only_a);
    let n = (days[199].total_agents - 10) as f64;
    // 200 draws of mean 30: the total's sd is sqrt(6000) ≈ 77; allow 5 sd.
    assert!((n - 6000.0).abs() < 5.0 * 6000f64.sqrt(), "{n}");
    // Counts vary from day to day.
    let daily: Vec<i64> = days
        .windows(2)
        .map(|w| w[1].total_agents - w[0].total_agents)
        .collect();
    assert!(daily.iter().any(|&d| d != daily[0]));
}

#[test]
fn a_location_change_to_a_conflict_zone_spawns_the_same_day() {
    // Day 1: town B becomes a conflict zone of intensity default_conflict_intensity = 2.
    let mut sc = zones(3, vec![], SpawnMode::Constant, 10.0);
    sc.locations[0] = loc("A", "town", 10_000);
    sc.locations[1] = loc("B", "town", 20_000);
    sc.locations[3] = loc("E", "town", 40_000);
    sc.settings.default_conflict_intensity = 2;
    sc.conflicts.type_changes = vec![
        LocationChange {
            location: 1,
            kind: LocationKind::Conflict,
            day: 1,
        },
        LocationChange {
            location: 1,
            kind: LocationKind::Town,
            day: 2,
        },
    ];
    let days = totals(&sc);
    let new: Vec<i64> = days.iter().map(|d| d.total_agents - 10).collect();
    assert_eq!(new, vec![0, 20, 20]);
}
