//! DFlee's flood forecaster at run level (docs/flee-model.md 18.7), on
//! FabFlee's dflee_example with the forecaster of `dflee_weather_example`
//! switched on (T = 5, E = 5) and a `demographics_floodawareness.csv`: while
//! it acts (days 0–5) flood zones score 0, safe endpoints weigh 0 and agents
//! where no flood is forecast do not move, so movement almost stops; on day
//! 6 it switches off and there is a large outflow.

mod common;

use corridor_engine::events::{Event, Observer};
use corridor_engine::{RunOptions, Simulation};
use std::fs;
use std::path::{Path, PathBuf};

const DFLEE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/flee/reference-ext/dflee/scenario"
);

const FORECASTER: &str = "    flood_forecaster: True\n    flood_forecaster_timescale: 5\n    \
    flood_forecaster_end_time: 5\n    \
    flood_forecaster_weights: [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0]\n    \
    flood_awareness_weights: [0.0, 0.5, 1.0]\n";

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::write(&target, fs::read(entry.path()).unwrap()).unwrap();
        }
    }
}

/// A copy of dflee_example with the awareness table and, if `forecast`, the
/// forecaster in its flood_rules.
fn scenario_dir(name: &str, forecast: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("corridor-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    copy_dir(Path::new(DFLEE), &dir);
    fs::write(
        dir.join("input_csv/demographics_floodawareness.csv"),
        "floodawareness,Default\n0.0,0.2\n1.0,0.3\n2.0,0.5\n",
    )
    .unwrap();
    if forecast {
        let yml = fs::read_to_string(dir.join("simsetting.yml"))
            .unwrap()
            .replace("\r\n", "\n");
        let anchor = "    flood_loc_weights: [1.0,0.5,0.2,0.0,0.0]\n";
        assert!(yml.contains(anchor));
        let yml = yml.replace(anchor, &format!("{anchor}{FORECASTER}"));
        fs::write(dir.join("simsetting.yml"), yml).unwrap();
    }
    dir
}

/// Departures onto a link per day.
struct Departures(Vec<u64>);

impl Observer for Departures {
    fn event(&mut self, day: i64, event: &Event) {
        if let Event::Departed { .. } = event {
            let d = day as usize;
            if self.0.len() <= d {
                self.0.resize(d + 1, 0);
            }
            self.0[d] += 1;
        }
    }
}

/// Mean departures per day over seeds 1–5.
fn departures(dir: &Path) -> Vec<f64> {
    let (sc, warnings) = corridor_io::read_flee_scenario(dir, None).expect("scenario loads");
    assert!(
        !warnings.iter().any(|w| w.message.contains("floodawareness")
            || w.message.contains("flood_forecaster")),
        "{warnings:?}"
    );
    assert!(sc.demographics.index_of("floodawareness").is_some());
    let mut sum = vec![0.0; sc.days as usize];
    for seed in 1..=5 {
        let mut sim = Simulation::new(&sc, &RunOptions { seed, days: None }).unwrap();
        let mut obs = Departures(Vec::new());
        while sim.step(&mut obs).unwrap().is_some() {}
        for (d, n) in obs.0.iter().enumerate() {
            sum[d] += *n as f64 / 5.0;
        }
    }
    sum
}

#[test]
fn movement_almost_stops_while_the_forecaster_acts_and_surges_after() {
    let plain_dir = scenario_dir("plain", false);
    let forecast_dir = scenario_dir("forecast", true);
    let plain = departures(&plain_dir);
    let forecast = departures(&forecast_dir);
    let _ = fs::remove_dir_all(&plain_dir);
    let _ = fs::remove_dir_all(&forecast_dir);
    eprintln!(
        "departures per day (mean of 5 seeds)\n  without: {plain:?}\n  with:    {forecast:?}"
    );
    let active: f64 = forecast[..6].iter().sum();
    let without: f64 = plain[..6].iter().sum();
    // Days 0–5: a small fraction of the movement without the forecaster.
    assert!(active < 0.1 * without, "{active} vs {without}");
    // Day 6: the forecaster is off, the agents held back leave at once:
    // more than on all of days 0–5 together, and more than without it.
    assert!(forecast[6] > active, "{} vs {active}", forecast[6]);
    assert!(
        forecast[6] > 2.0 * plain[6],
        "{} vs {}",
        forecast[6],
        plain[6]
    );
}

#[test]
fn forecasting_runs_are_the_same_for_any_thread_count() {
    let dir = scenario_dir("threads", true);
    let (sc, _) = corridor_io::read_flee_scenario(&dir, None).unwrap();
    let _ = fs::remove_dir_all(&dir);
    let run = |threads: usize| {
        common::on(threads, || {
            let (out, _) = corridor_engine::run(
                &sc,
                &RunOptions {
                    seed: 3,
                    days: None,
                },
            )
            .unwrap();
            corridor_io::flee_out_csv(&out)
        })
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(8));
}
