//! Flee's agent and link logs (docs/flee-model.md 17) against Flee's own, on
//! `data/flee/reference-ext/agent_link_logs` (mali2012, hasten 100, 5 Flee runs).
//! The reference totals are `runs/log_totals.csv`, made from Flee's logs by
//! `tools/log_aggregate.py`; this test aggregates corridor's logs the same way.
//!
//! * Exact: rows per day in both files (agents alive; links open), which
//!   data-driven spawning and the closures make deterministic; the order of
//!   `links.out`'s rows (a reopened link moves to the end of its location's
//!   list); the ids and original locations of `agents.out`'s day-0 rows (the
//!   camps' day-0 agents, in Flee's order).
//! * Statistical, over 8 seeds: each location's share of the agents at the
//!   end of days 49, 99, 199 and 299, and each directed link's share of all
//!   link entries by the last day, lie within Flee's mean ± max(3 sd, 0.02).
//!   Flee's sd comes from 5 runs only, so 3 sd alone can be far too tight; the
//!   0.02 floor is the (as in `crates/engine/tests/flee_reference.rs`).
//! * Consistency: `link_flows.csv` sums to the last `links.out` counts, and
//!   `od.csv` counts every agent once.
//! * Determinism: the same seed gives the same logs at 1, 2 and 8 threads.

mod common;

use corridor_runs::{run_scenario, RunLogs};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

const DAYS: [i64; 4] = [49, 99, 199, 299];

fn feature() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/agent_link_logs"
    ))
}

/// Totals of one run: (kind, key, day) → value, as `log_aggregate.py` writes them.
type Totals = BTreeMap<(String, String, i64), f64>;

fn flee_totals() -> Vec<Totals> {
    let text = std::fs::read_to_string(feature().join("runs/log_totals.csv")).unwrap();
    let mut runs: BTreeMap<u32, Totals> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        runs.entry(f[0].parse().unwrap()).or_default().insert(
            (f[1].into(), f[2].into(), f[3].parse().unwrap()),
            f[4].parse().unwrap(),
        );
    }
    runs.into_values().collect()
}

/// The same totals from corridor's log text.
fn corridor_totals(logs: &RunLogs) -> Totals {
    let mut t = Totals::new();
    for line in logs.agents_out.as_deref().unwrap().lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let day: i64 = f[0].parse().unwrap();
        *t.entry(("rows".into(), "agents".into(), day)).or_default() += 1.0;
        if day == 0 {
            t.insert(("day0".into(), f[..3].join(";"), 0), 0.0);
        }
        if DAYS.contains(&day) {
            *t.entry(("loc".into(), f[3].into(), day)).or_default() += 1.0;
        }
    }
    let links: Vec<Vec<&str>> = logs
        .links_out
        .as_deref()
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let last: i64 = links.iter().map(|f| f[0].parse().unwrap()).max().unwrap();
    let mut order: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for f in &links {
        let day: i64 = f[0].parse().unwrap();
        order
            .entry(day)
            .or_default()
            .push(format!("{}>{}", f[1], f[2]));
        *t.entry(("rows".into(), "links".into(), day)).or_default() += 1.0;
        if day == last {
            let key = format!("{}>{}", f[1], f[2]);
            t.insert(("link".into(), key, day), f[3].parse().unwrap());
        }
    }
    for (day, rows) in &order {
        if *day == 0 || order.get(&(day - 1)) != Some(rows) {
            t.insert(("order".into(), rows.join(";"), *day), 0.0);
        }
    }
    t
}

/// Shares of `kind` within each day (every key of that kind in any run counts, 0 if absent).
fn shares(runs: &[Totals], kind: &str) -> BTreeMap<(String, i64), Vec<f64>> {
    let keys: BTreeSet<(String, i64)> = runs
        .iter()
        .flat_map(|r| r.keys())
        .filter(|k| k.0 == kind)
        .map(|k| (k.1.clone(), k.2))
        .collect();
    let mut out = BTreeMap::new();
    for (key, day) in keys {
        let v = runs
            .iter()
            .map(|r| {
                let total: f64 = r
                    .iter()
                    .filter(|(k, _)| k.0 == kind && k.2 == day)
                    .map(|(_, v)| v)
                    .sum();
                let x = r
                    .get(&(kind.to_string(), key.clone(), day))
                    .copied()
                    .unwrap_or(0.0);
                x / total.max(1.0)
            })
            .collect();
        out.insert((key, day), v);
    }
    out
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (m, var.sqrt())
}

fn corridor_logs(seeds: std::ops::Range<u64>) -> Vec<RunLogs> {
    let dir = feature().join("scenario");
    let (sc, _) = corridor_io::read_flee_scenario(&dir, Some(&dir.join("simsetting.yml")))
        .expect("scenario loads");
    assert_eq!((sc.settings.agent, sc.settings.link), (1, 1));
    seeds
        .into_par_iter()
        .map(|seed| {
            run_scenario(&sc, seed, None, &mut |_, _| {})
                .expect("run succeeds")
                .logs
                .expect("log_levels ask for logs")
        })
        .collect()
}

#[test]
fn logs_aggregate_to_flee_totals() {
    let flee = flee_totals();
    assert_eq!(flee.len(), 5);
    let logs = corridor_logs(1..9);
    let ours: Vec<Totals> = logs.iter().map(corridor_totals).collect();

    // Exact: rows per day, links.out's row order on the days it changes, and
    // agents.out's day-0 rows but for the `connections` draw.
    let rows = |t: &Totals| -> Vec<((String, String, i64), f64)> {
        t.iter()
            .filter(|(k, _)| ["rows", "order", "day0"].contains(&k.0.as_str()))
            .map(|(k, v)| (k.clone(), *v))
            .collect()
    };
    for r in &ours {
        let (mine, theirs) = (rows(r), rows(&flee[0]));
        let only_mine: Vec<_> = mine
            .iter()
            .filter(|x| !theirs.contains(x))
            .take(3)
            .collect();
        let only_theirs: Vec<_> = theirs
            .iter()
            .filter(|x| !mine.contains(x))
            .take(3)
            .collect();
        assert!(
            mine == theirs,
            "rows per day, link order or day-0 rows differ from Flee's: only corridor {only_mine:?}, only Flee {only_theirs:?}"
        );
    }

    // Statistical: shares per location and per link.
    let mut checked = 0;
    for kind in ["loc", "link"] {
        let theirs = shares(&flee, kind);
        let mine = shares(&ours, kind);
        let keys: BTreeSet<&(String, i64)> = theirs.keys().chain(mine.keys()).collect();
        for key in keys {
            let (fm, fsd) = theirs.get(key).map_or((0.0, 0.0), |v| mean_sd(v));
            let (cm, _) = mine.get(key).map_or((0.0, 0.0), |v| mean_sd(v));
            let tol = (3.0 * fsd).max(0.02);
            assert!(
                (cm - fm).abs() <= tol,
                "{kind} {key:?}: corridor {cm:.4} vs Flee {fm:.4} ± {tol:.4}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} shares compared");
}

#[test]
fn flow_and_od_tables_agree_with_the_logs() {
    let logs = corridor_logs(3..4).pop().unwrap();
    let totals = corridor_totals(&logs);
    // Daily entries per link add up to the last day's cumulative counts.
    let mut flows: BTreeMap<String, f64> = BTreeMap::new();
    for line in logs.link_flows_csv.as_deref().unwrap().lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        *flows.entry(format!("{}>{}", f[1], f[2])).or_default() += f[3].parse::<f64>().unwrap();
    }
    let cumulative: BTreeMap<String, f64> = totals
        .iter()
        .filter(|(k, v)| k.0 == "link" && **v > 0.0)
        .map(|(k, v)| (k.1.clone(), *v))
        .collect();
    assert!(!flows.is_empty());
    assert_eq!(flows, cumulative);
    // Every agent of the last day is in one origin-destination cell.
    let od_agents: f64 = logs
        .od_csv
        .as_deref()
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(od_agents, totals[&("rows".into(), "agents".into(), 299)]);
}

#[test]
fn logs_do_not_depend_on_the_thread_count() {
    let dir = feature().join("scenario");
    let (mut sc, _) = corridor_io::read_flee_scenario(&dir, Some(&dir.join("simsetting.yml")))
        .expect("scenario loads");
    // A smaller population runs in a fraction of the time and still has travellers.
    sc.settings.hasten = 1000;
    let one = common::logs_on_any_thread_count(&sc);
    assert!(one.agents_out.as_deref().unwrap().contains(",True,"));
}

/// Conflict-driven spawning draws `connections` with the settings'
/// `average_social_connectivity` (docs/flee-model.md 13.3); the day-0 camp
/// agents keep Flee's 3.0.
#[test]
fn conflict_spawned_agents_draw_connections_with_the_settings_mean() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/conflict_spawning/scenario"
    ));
    let (mut sc, _) = corridor_io::read_flee_scenario(&dir, Some(&dir.join("simsetting.yml")))
        .expect("scenario loads");
    sc.settings.agent = 1;
    sc.settings.hasten = 100;
    for mean in [3.0, 8.0] {
        sc.settings.average_social_connectivity = mean;
        let logs = run_scenario(&sc, 1, Some(15), &mut |_, _| {})
            .expect("run succeeds")
            .logs
            .expect("the agent log");
        let text = logs.agents_out.expect("agents.out.0");
        let rows = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>());
        let (mut day0, mut spawned) = (BTreeSet::new(), BTreeMap::new());
        for r in rows {
            let (day, id, connections) = (r[0], r[1], r[10].parse::<f64>().unwrap());
            if day == "0" {
                day0.insert(id.to_string());
            } else if !day0.contains(id) {
                spawned.insert(id.to_string(), connections);
            }
        }
        let n = spawned.len() as f64;
        assert!(n > 1000.0, "{n} spawned agents");
        let avg = spawned.values().sum::<f64>() / n;
        // The sd of the mean of n Poisson draws is sqrt(mean / n): 4 of them.
        assert!(
            (avg - mean).abs() < 4.0 * (mean / n).sqrt(),
            "mean {avg} for {mean}"
        );
    }
}
