//! Tiny synthetic scenarios for the rules' unit tests.

use crate::world::World;
use corridor_model::*;

/// A location of the given Flee type in country "home".
pub fn loc(name: &str, kind: &str, pop: i64) -> Location {
    Location {
        name: name.into(),
        region: "r".into(),
        country: "home".into(),
        lat: 0.0,
        lon: 0.0,
        raw_type: kind.into(),
        kind: LocationKind::parse(kind),
        conflict_date: 0,
        pop_or_capacity: pop,
        conflict_intensity: 1.0,
        capacity_per_day: 0,
        initial_idps: 0,
        attributes: vec![],
    }
}

/// A route of `km` between locations `from` and `to`.
pub fn route(from: u32, to: u32, km: f64) -> Route {
    Route {
        from,
        to,
        distance_km: km,
        forced_redirection: 0,
        max_move_speed: None,
        walk_probability: 0.0,
    }
}

/// A scenario of `locations` joined by `routes`, with Flee's validation settings.
pub fn scenario(locations: Vec<Location>, routes: Vec<Route>) -> Scenario {
    Scenario {
        name: "t".into(),
        start_date: "2020-01-01".into(),
        start_epoch_day: date::epoch_day(2020, 1, 1),
        days: 5,
        locations,
        routes,
        closures: vec![],
        conflicts: ConflictTable::default(),
        validation: ValidationData::default(),
        settings: Settings::flee_validation(),
        siege: None,
        demographics: Default::default(),
        ipc: None,
        flood: None,
        major_routes: Vec::new(),
        initial_agents: Default::default(),
    }
}

/// Conflict zone A — 100 km — town B — 50 km — camp C (capacity 10).
pub fn line() -> Scenario {
    scenario(
        vec![
            loc("A", "conflict_zone", 1000),
            loc("B", "town", 500),
            loc("C", "camp", 10),
        ],
        vec![route(0, 1, 100.0), route(1, 2, 50.0)],
    )
}

/// Flood zone F (1000 people) — 10 km — town T (500) — 10 km — camp C, with
/// dflee_example's flood-driven spawning, `flood_movechances` and
/// `flood_loc_weights`; no flood levels.
pub fn flood_line() -> Scenario {
    let mut sc = scenario(
        vec![
            loc("F", "flood_zone", 1000),
            loc("T", "town", 500),
            loc("C", "camp", 100),
        ],
        vec![route(0, 1, 10.0), route(1, 2, 10.0)],
    );
    let s = &mut sc.settings;
    s.flood_zone_spawning_only = true;
    s.conflict_zone_spawning_only = false;
    s.take_from_population = true;
    s.flood_driven_spawn_mode = Some(flood::FloodSpawning::default());
    s.flood_rules = Some(flood::FloodRules {
        flood_movechances: Some(vec![0.3, 0.4, 0.7, 1.0, 1.0]),
        flood_loc_weights: Some(vec![1.0, 0.5, 0.2, 0.0, 0.0]),
        ..flood::FloodRules::default()
    });
    sc
}

/// The world of `sc` at the start of a run (the scenario lives for the test).
pub fn world(sc: Scenario) -> World<'static> {
    let sc: &'static Scenario = Box::leak(Box::new(sc));
    World::new(sc, sc.settings.clone(), None)
}
