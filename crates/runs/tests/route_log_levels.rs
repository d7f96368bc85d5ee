//! Flee's agent log at levels 2 and 3 and its link log at level 2
//! (docs/flee-model.md 17.2, 17.3):
//!
//! * on a tiny line A — B — C where every new agent passes B and reaches camp
//!   C on the day it is created, the agent log has the traveller's row and
//!   one row per link it passed through, in the spec's layout, and the link
//!   log's rows per attribute value sum to the link's total;
//! * on mali2012 (Flee's reference scenario of the logs), the logs at levels
//!   2/3 are the level-1 logs plus the extra rows: removing those gives the
//!   level-1 files byte for byte, so every per-link and per-location total
//!   is the same; the flow tables do not change.

use corridor_model::*;
mod common;

use corridor_runs::{run_scenario, RunLogs};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn loc(name: &str, kind: &str, pop: i64, lat: f64, lon: f64) -> Location {
    Location {
        name: name.into(),
        region: "r".into(),
        country: "home".into(),
        lat,
        lon,
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

fn route(from: u32, to: u32, km: f64) -> Route {
    Route {
        from,
        to,
        distance_km: km,
        forced_redirection: 0,
        max_move_speed: None,
        walk_probability: 0.0,
    }
}

fn series(points: &[(i64, i64)]) -> Vec<CampSeries> {
    vec![CampSeries {
        file: "s.csv".into(),
        points: points
            .iter()
            .map(|&(day, count)| DataPoint { day, count })
            .collect(),
    }]
}

/// Conflict zone A — 30 km — town B — 50 km — camp C, agents created at A
/// with a `gender`. Everyone leaves A and B (move chance 1; A, in conflict,
/// scores 0 so nobody turns back) and stays in C: each new agent covers
/// 80 km of its 360 on its first day and passes through B.
fn line() -> Scenario {
    let days = 6;
    let mut settings = Settings::flee_validation();
    settings.default_movechance = 1.0;
    settings.camp_movechance = 0.0;
    settings.conflict_weight = 0.0;
    settings.start_on_foot = false;
    settings.agent = 3;
    settings.link = 2;
    Scenario {
        name: "line".into(),
        start_date: "2020-01-01".into(),
        start_epoch_day: date::epoch_day(2020, 1, 1),
        days,
        locations: vec![
            loc("A", "conflict_zone", 10_000, 0.0, 0.0),
            loc("B", "town", 5_000, 2.0, 4.0),
            loc("C", "camp", 100_000, 4.0, 8.0),
        ],
        routes: vec![route(0, 1, 30.0), route(1, 2, 50.0)],
        closures: vec![],
        conflicts: ConflictTable {
            columns: vec![(0, vec![1.0; days as usize])],
            ..ConflictTable::default()
        },
        validation: ValidationData {
            labels: vec!["total".into(), "C".into()],
            series: vec![series(&[(0, 0), (5, 50)]), series(&[(0, 0), (5, 50)])],
            corrections: vec![],
        },
        settings,
        siege: None,
        demographics: Demographics {
            attributes: vec![demographics::Attribute {
                name: "gender".into(),
                values: vec!["male".into(), "female".into()],
                numeric: false,
                default: Some(vec![0.5, 0.5]),
                by_location: vec![],
            }],
        },
        ipc: None,
        flood: None,
        major_routes: Vec::new(),
        initial_agents: Default::default(),
    }
}

fn logs_of(sc: &Scenario, seed: u64) -> RunLogs {
    run_scenario(sc, seed, None, &mut |_, _| {})
        .expect("run succeeds")
        .logs
        .expect("log_levels ask for logs")
}

#[test]
fn a_traveller_through_two_places_in_a_day_gets_a_row_per_link() {
    let logs = logs_of(&line(), 3);
    let agents = logs.agents_out.as_deref().unwrap();
    let rows: Vec<&str> = agents.lines().skip(1).collect();
    assert!(agents
        .lines()
        .next()
        .unwrap()
        .ends_with("connections,gender,"));
    // Each agent's first row (the day it was created) and its hop rows.
    let mut seen = std::collections::BTreeSet::new();
    let mut travellers = 0;
    for (i, row) in rows.iter().enumerate() {
        let f: Vec<&str> = row.split(',').collect();
        if f[0].contains('-') || !seen.insert(f[1].to_string()) {
            continue;
        }
        travellers += 1;
        let (t, id, tail) = (f[0], f[1], f[10..].join(","));
        let expected = [
            format!("{t},{id},A,C,4.0,8.0,False,80.0,3,80.0,{tail}"),
            format!("{t}-1,{id},A,L:A:B,1.0,2.0,False,80.0,3,80.0,{tail}"),
            format!("{t}-2,{id},A,L:B:C,3.0,6.0,False,80.0,3,80.0,{tail}"),
        ];
        assert_eq!(rows[i..i + 3], expected, "agent {id}");
        // Not a hop row of the next agent: the next row is a main row.
        if let Some(next) = rows.get(i + 3) {
            assert!(!next.split(',').next().unwrap().contains('-'), "{next}");
        }
    }
    assert!(travellers >= 40, "only {travellers} agents");
    // On later days an agent has its row only: at C, nothing moved today (Python's int 0).
    let resting = rows
        .iter()
        .filter(|r| r.contains(",A,C,4.0,8.0,False,80.0,3,0,"))
        .count();
    assert!(resting > 0);
    // No other hop rows: agents in C stay there.
    let main_rows = rows
        .iter()
        .filter(|r| !r.split(',').next().unwrap().contains('-'));
    assert_eq!(rows.len(), main_rows.count() + 2 * travellers);
}

#[test]
fn link_rows_per_attribute_value_sum_to_the_link_total() {
    let logs = logs_of(&line(), 5);
    let links = logs.links_out.as_deref().unwrap();
    let mut checked = 0;
    let mut total: Option<(String, u64)> = None;
    // (link, attribute) → sum of the value rows after the link's total row.
    let mut sums: BTreeMap<String, u64> = BTreeMap::new();
    let mut finish = |total: &Option<(String, u64)>, sums: &mut BTreeMap<String, u64>| {
        if let Some((link, n)) = total {
            if *n > 0 {
                let attributes: Vec<&String> = sums.keys().collect();
                assert_eq!(attributes, ["connections", "gender"], "{link}");
            }
            for (attribute, sum) in sums.iter() {
                assert_eq!(sum, n, "{link} {attribute}");
                checked += 1;
            }
        }
        sums.clear();
    };
    let mut last_day = BTreeMap::new();
    for row in links.lines().skip(1) {
        let f: Vec<&str> = row.split(',').collect();
        let n: u64 = f[3].parse().unwrap();
        if f[4] == "total" {
            finish(&total, &mut sums);
            total = Some((format!("{}>{}", f[1], f[2]), n));
        } else {
            let (attribute, _value) = f[4].split_once(':').unwrap();
            *sums.entry(attribute.to_string()).or_default() += n;
            last_day.insert((f[1].to_string(), f[2].to_string(), f[4].to_string()), n);
        }
    }
    finish(&total, &mut sums);
    assert!(checked >= 10, "only {checked} sums");
    // The gender counts on A → B are the genders of everyone created (all of them left A).
    let agents = logs.agents_out.as_deref().unwrap();
    let mut genders: BTreeMap<String, u64> = BTreeMap::new();
    let last = agents
        .lines()
        .last()
        .unwrap()
        .split(['-', ','])
        .next()
        .unwrap();
    for row in agents.lines().skip(1) {
        let f: Vec<&str> = row.split(',').collect();
        if f[0] == last {
            *genders.entry(format!("gender:{}", f[11])).or_default() += 1;
        }
    }
    for (key, n) in genders {
        assert_eq!(last_day[&("A".into(), "B".into(), key.clone())], n, "{key}");
    }
}

fn mali2012() -> Scenario {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/agent_link_logs/scenario"
    ));
    let (sc, _) = corridor_io::read_flee_scenario(&dir, Some(&dir.join("simsetting.yml")))
        .expect("scenario loads");
    sc
}

#[test]
fn higher_levels_add_rows_to_the_level_one_logs_on_mali2012() {
    let mut sc = mali2012();
    let one = logs_of(&sc, 11);
    for (agent, link) in [(2, 2), (3, 2), (7, 5)] {
        sc.settings.agent = agent;
        sc.settings.link = link;
        let more = logs_of(&sc, 11);
        let (a1, a) = (one.agents_out.as_deref().unwrap(), more.agents_out.unwrap());
        let (l1, l) = (one.links_out.as_deref().unwrap(), more.links_out.unwrap());
        // A hop row follows its agent's row of the day: same day (level 2) or
        // `day-hop` (level 3), same id.
        let mut main = String::new();
        let mut hops = 0;
        let mut previous = (String::new(), String::new());
        for row in a.lines() {
            let f: Vec<&str> = row.splitn(3, ',').collect();
            let day = f[0].split('-').next().unwrap().to_string();
            let key = (day, f.get(1).unwrap_or(&"").to_string());
            if key == previous {
                hops += 1;
                assert!(f[2].split(',').nth(1).unwrap().starts_with("L:"), "{row}");
                assert_eq!(f[0].contains('-'), agent >= 3, "{row}");
            } else {
                main.push_str(row);
                main.push('\n');
            }
            previous = key;
        }
        assert_eq!(main, a1, "agent level {agent} without its hop rows");
        assert!(hops > 100, "agent level {agent}: only {hops} hop rows");
        let totals: String = l
            .lines()
            .filter(|r| r.starts_with('#') || r.ends_with(",total"))
            .map(|r| format!("{r}\n"))
            .collect();
        assert_eq!(totals, l1, "link level {link} without its attribute rows");
        assert!(l.lines().any(|r| r.contains(",connections:")));
        assert_eq!(more.link_flows_csv, one.link_flows_csv);
        assert_eq!(more.od_csv, one.od_csv);
    }
}

#[test]
fn hop_and_attribute_rows_do_not_depend_on_the_thread_count() {
    let mut sc = mali2012();
    // A smaller population runs in a fraction of the time and still travels.
    sc.settings.hasten = 1000;
    sc.settings.agent = 3;
    sc.settings.link = 2;
    let one = common::logs_on_any_thread_count(&sc);
    assert!(one.agents_out.as_deref().unwrap().contains("-1,0-"));
}
