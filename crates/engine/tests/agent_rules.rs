//! Flee's remaining agent rules on a shipped scenario: the `Match*` rules,
//! `harvest_months` and camps as sinks (`camps_are_sicks`), docs/flee-model.md
//! 15.5, 15.6, 4.4 step 8. Flee has no reference runs of these rules, so each
//! test asserts the rule's effect against the same scenario without it:
//! nigeria2022_adm2 at hasten 100 (`data/flee/reference-ext/demographics/control`),
//! its first 120 days (from 2022-09-01), over several seeds.

mod common;

use corridor_engine::events::NoObserver;
use corridor_engine::{RunOptions, Simulation};
use corridor_model::demographics::Attribute;
use corridor_model::{LocationKind, Scenario};
use rayon::prelude::*;
use std::path::PathBuf;

const DAYS: u32 = 120;
const SEEDS: [u64; 4] = [1, 2, 3, 4];

fn control() -> Scenario {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/demographics/control/scenario"
    ));
    let (sc, _) = corridor_io::read_flee_scenario(&dir, Some(&dir.join("simsetting.yml")))
        .expect("scenario loads");
    sc
}

/// An attribute of two values drawn half and half everywhere.
fn halves(name: &str, values: [&str; 2]) -> Attribute {
    Attribute {
        name: name.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
        numeric: false,
        default: Some(vec![0.5, 0.5]),
        by_location: vec![],
    }
}

fn camps(sc: &Scenario) -> Vec<u32> {
    (0..sc.locations.len() as u32)
        .filter(|&l| sc.locations[l as usize].kind == LocationKind::Camp)
        .collect()
}

/// A run of `sc`'s first `DAYS` days with `seed`, before its first day.
fn start(sc: &Scenario, seed: u64) -> Simulation<'_> {
    Simulation::new(
        sc,
        &RunOptions {
            seed,
            days: Some(DAYS),
        },
    )
    .unwrap()
}

/// Agents counted in the camps on the last day, minus day 0's (the inserted
/// day-0 population), summed over `SEEDS`.
fn camp_growth(sc: &Scenario) -> i64 {
    let camps = camps(sc);
    SEEDS
        .par_iter()
        .map(|&seed| {
            let mut sim = start(sc, seed);
            let count = |sim: &Simulation| -> i64 {
                camps
                    .iter()
                    .map(|&c| sim.location_counts()[c as usize])
                    .sum()
            };
            let before = count(&sim);
            while sim.step(&mut NoObserver).unwrap().is_some() {}
            count(&sim) - before
        })
        .sum()
}

/// Agent-days spent in towns over the run, summed over `SEEDS`.
fn town_agent_days(sc: &Scenario) -> i64 {
    let towns: Vec<usize> = (0..sc.locations.len())
        .filter(|&l| sc.locations[l].kind == LocationKind::Town)
        .collect();
    SEEDS
        .par_iter()
        .map(|&seed| {
            let mut sim = start(sc, seed);
            let mut total = 0;
            while sim.step(&mut NoObserver).unwrap().is_some() {
                total += towns.iter().map(|&t| sim.location_counts()[t]).sum::<i64>();
            }
            total
        })
        .sum()
}

/// The control scenario with an `ethnicity` and a `religion` attribute.
fn with_groups(set: impl Fn(&mut Scenario)) -> Scenario {
    let mut sc = control();
    sc.demographics
        .attributes
        .push(halves("ethnicity", ["hausa", "kanuri"]));
    sc.demographics
        .attributes
        .push(halves("religion", ["muslim", "christian"]));
    set(&mut sc);
    sc
}

#[test]
fn match_rules_move_people_towards_or_away_from_camps_and_towns() {
    let plain = camp_growth(&control());
    // Attributes alone change nothing (their draws have a stream of their own).
    assert_eq!(camp_growth(&with_groups(|_| {})), plain);
    // Camps have no population, so P = 1e8: camps become nearly worthless and
    // nobody new reaches one in 120 days (without the rule: ~3,200 per run).
    let camp_ethnicity = camp_growth(&with_groups(|sc| sc.settings.MatchCampEthnicity = true));
    let camp_religion = camp_growth(&with_groups(|sc| sc.settings.MatchCampReligion = true));
    // Conflict zones where the agent's group already is weigh 10·n/pop,
    // mostly above 1: people linger among them (measured: 0.66 of the camp growth).
    let conflict = camp_growth(&with_groups(|sc| sc.settings.MatchConflictEthnicity = true));
    // A town without the agent's group weighs 0 (measured: 0.70 of the town agent-days).
    let towns_plain = town_agent_days(&with_groups(|_| {}));
    let towns_rule = town_agent_days(&with_groups(|sc| sc.settings.MatchTownEthnicity = true));
    let report = format!(
        "camp growth over {} seeds: plain {plain}, MatchCampEthnicity {camp_ethnicity}, \
         MatchCampReligion {camp_religion}, MatchConflictEthnicity {conflict}; town agent-days \
         plain {towns_plain}, MatchTownEthnicity {towns_rule}",
        SEEDS.len()
    );
    println!("{report}");
    assert!(plain > 8000, "{report}");
    assert!(camp_ethnicity * 20 < plain, "{report}");
    assert!(camp_religion * 20 < plain, "{report}");
    assert!((conflict as f64) < 0.85 * plain as f64, "{report}");
    assert!((towns_rule as f64) < 0.85 * towns_plain as f64, "{report}");
}

/// Per day of one run: (agents, agents travelling, agents in camps).
fn daily(sc: &Scenario, seed: u64) -> Vec<(usize, usize, i64)> {
    let camps = camps(sc);
    let mut sim = start(sc, seed);
    let mut days = vec![(
        sim.total_agents(),
        sim.travelling(),
        camps
            .iter()
            .map(|&c| sim.location_counts()[c as usize])
            .sum(),
    )];
    while sim.step(&mut NoObserver).unwrap().is_some() {
        days.push((
            sim.total_agents(),
            sim.travelling(),
            camps
                .iter()
                .map(|&c| sim.location_counts()[c as usize])
                .sum(),
        ));
    }
    days
}

#[test]
fn in_harvest_months_nobody_moves_and_camp_counts_go_home() {
    // November 2022: days 61-90 of a run from 1 September.
    let mut sc = control();
    sc.settings.harvest_months = Some(vec![11.0]);
    for seed in [1, 2] {
        let d = daily(&sc, seed);
        // d[t + 1] is the state after day t.
        let (before, first, last, after) = (d[61], d[62], d[91], d[92]);
        let day0 = d[0].2;
        assert!(
            before.2 > day0 + 300,
            "camps grew before November: {before:?} vs {day0}"
        );
        // Counted at their spawn locations: only the camps' own day-0 agents
        // stay counted there (plus the day's late arrivals).
        for t in 62..=91 {
            assert!(
                d[t].2 <= day0 + 40,
                "day {}: {:?}, day 0 {day0}",
                t - 1,
                d[t]
            );
            // Nobody starts a journey: only arrivals change the travellers.
            assert!(
                d[t].1 <= d[t - 1].1,
                "day {}: {:?} after {:?}",
                t - 1,
                d[t],
                d[t - 1]
            );
        }
        // Spawning goes on.
        assert!(last.0 > first.0, "{first:?} {last:?}");
        // On 1 December everyone is counted where they are again.
        assert!(after.2 >= before.2, "{before:?} {after:?}");
    }
    // Harvest months outside the run change nothing at all.
    let mut june = control();
    june.settings.harvest_months = Some(vec![6.0]);
    assert_eq!(daily(&june, 3), daily(&control(), 3));
}

#[test]
fn camps_as_sinks_deactivate_with_the_camp_s_probability_and_keep_counting() {
    let p = 0.1;
    let mut sc = control();
    sc.settings.camps_are_sicks = true;
    for c in camps(&sc) {
        sc.locations[c as usize]
            .attributes
            .push(("deactivation_probability".into(), p.to_string()));
    }
    let camps = camps(&sc);
    let (mut gone, mut exposed) = (0usize, 0usize);
    for seed in SEEDS {
        let mut sim = start(&sc, seed);
        let mut inactive_before = 0;
        while sim.step(&mut NoObserver).unwrap().is_some() {
            let w = sim.world();
            let agents = w.agents();
            let inactive = (0..agents.len())
                .filter(|&a| agents.location(a).is_none() && !agents.is_travelling(a))
                .count();
            let active_in_camps = (0..agents.len())
                .filter(|&a| agents.location(a).is_some_and(|l| camps.contains(&l)))
                .count();
            // Deactivated agents stay counted in their camps (Flee's quirk).
            let counted: i64 = camps
                .iter()
                .map(|&c| sim.location_counts()[c as usize])
                .sum();
            assert_eq!(counted as usize, active_in_camps + inactive, "seed {seed}");
            // Everyone resting in a camp at day end either stayed or left the run.
            gone += inactive - inactive_before;
            exposed += active_in_camps + inactive - inactive_before;
            inactive_before = inactive;
        }
        assert!(inactive_before > 0);
    }
    let share = gone as f64 / exposed as f64;
    let sd = (p * (1.0 - p) / exposed as f64).sqrt();
    assert!(
        (share - p).abs() <= (3.0 * sd).max(0.02),
        "{gone} of {exposed} agent-days in camps deactivated: {share}, want {p}"
    );
    // Without the column nobody leaves, and the run is the plain one.
    let mut bare = control();
    bare.settings.camps_are_sicks = true;
    assert_eq!(daily(&bare, 3), daily(&control(), 3));
}

/// out.csv of a 120-day run of `sc` on `threads` threads.
fn out_csv(sc: &Scenario, threads: usize) -> String {
    common::on(threads, || {
        let (out, _) = corridor_engine::run(
            sc,
            &RunOptions {
                seed: 7,
                days: Some(DAYS),
            },
        )
        .unwrap();
        corridor_io::flee_out_csv(&out)
    })
}

#[test]
fn the_rules_together_give_the_same_run_on_any_thread_count() {
    let mut sc = with_groups(|sc| {
        sc.settings.MatchCampEthnicity = true;
        sc.settings.MatchTownEthnicity = true;
        sc.settings.harvest_months = Some(vec![11.0]);
        sc.settings.camps_are_sicks = true;
    });
    for c in camps(&sc) {
        sc.locations[c as usize]
            .attributes
            .push(("deactivation_probability".into(), "0.05".into()));
    }
    let one = out_csv(&sc, 1);
    assert_eq!(one, out_csv(&sc, 4));
    assert_ne!(one, out_csv(&control(), 1));
    // Camps as sinks alone leave the agent passes to the speculative
    // execution when it is on: the same run.
    let mut sinks = control();
    sinks.settings.camps_are_sicks = true;
    sinks.locations = sc.locations.clone();
    let serial = out_csv(&sinks, 1);
    corridor_engine::set_speculative_passes(true);
    let speculated = out_csv(&sinks, 3);
    corridor_engine::set_speculative_passes(false);
    assert_eq!(serial, speculated);
}

#[test]
fn harvest_runs_are_not_divided_over_processes() {
    let mut sc = control();
    sc.demographics.attributes.clear();
    let opts = RunOptions {
        seed: 1,
        days: Some(5),
    };
    assert!(Simulation::new_divided(&sc, &opts, 0, 2, 64).is_ok());
    sc.settings.harvest_months = Some(vec![11.0]);
    let e = Simulation::new_divided(&sc, &opts, 0, 2, 64).err().unwrap();
    assert!(e.to_string().contains("harvest_months"), "{e}");
    // Camps as sinks change no count, so they can.
    sc.settings.harvest_months = None;
    sc.settings.camps_are_sicks = true;
    assert!(Simulation::new_divided(&sc, &opts, 0, 2, 64).is_ok());
}
