//! Builders shared by the engine's integration tests.
#![allow(dead_code)]

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

pub fn series(points: &[(i64, i64)]) -> Vec<CampSeries> {
    vec![CampSeries {
        file: "s.csv".into(),
        points: points
            .iter()
            .map(|&(day, count)| DataPoint { day, count })
            .collect(),
    }]
}

/// A siege scenario from `start` (year, month, day) for `days` days, without
/// conflicts or observations (a single empty `total` series).
pub fn siege_scenario(
    name: &str,
    start: (i64, u32, u32),
    days: u32,
    locations: Vec<Location>,
    routes: Vec<Route>,
    settings: Settings,
    siege: SiegeModel,
) -> Scenario {
    let (y, m, d) = start;
    Scenario {
        name: name.into(),
        start_date: format!("{y:04}-{m:02}-{d:02}"),
        start_epoch_day: date::epoch_day(y, m, d),
        days,
        locations,
        routes,
        closures: vec![],
        conflicts: ConflictTable::default(),
        validation: ValidationData {
            labels: vec!["total".into()],
            series: vec![vec![CampSeries {
                file: "none".into(),
                points: vec![DataPoint { day: 0, count: 0 }],
            }]],
            corrections: vec![],
        },
        settings,
        siege: Some(siege),
        demographics: Default::default(),
        ipc: None,
        flood: None,
        major_routes: Vec::new(),
        initial_agents: Default::default(),
    }
}

/// One of Flee's scenarios shipped in `data/flee/scenarios`, with FabFlee's
/// validation settings at `hasten` (`data/flee/reference/val_h<hasten>.yml`).
pub fn flee_scenario(name: &str, hasten: u32) -> Scenario {
    let data = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/flee"));
    let settings = data.join("reference").join(format!("val_h{hasten}.yml"));
    corridor_io::read_flee_scenario(&data.join("scenarios").join(name), Some(&settings))
        .expect("scenario loads")
        .0
}

/// `f`, run on a thread pool of its own with `threads` threads.
pub fn on<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}
