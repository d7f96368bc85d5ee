//! The agent passes on every core (`exec::speculate`) give the serial
//! passes' result exactly: on Flee scenarios whose camps fill up (so some
//! route choices read counts whose order matters), at 1, 2 and 8 threads,
//! and against the one-by-one pass an observer of agent events forces; the
//! one-thread run scans and acts slice by slice (`PASS_SLICE`), the others
//! scan the movers' whole pass first, and scan and act on the arrivals work
//! item by work item. On ukraine2022 some readers' actions stand
//! after the check of their reads and some are undone: both ways are taken.
//! With `capacity_count_block` above 1, no candidate waits for another.

mod common;

use common::{flee_scenario, on};
use corridor_engine::events::EventCounter;
use corridor_engine::{RunOptions, RunStats, Simulation};
use corridor_model::Scenario;

/// Returns the one-thread run's counters and the 2-thread run's.
fn check(sc: &Scenario, days: u32) -> (RunStats, RunStats) {
    // On by default only for a run alone on its pool; every test of this
    // file wants it on.
    corridor_engine::set_speculative_passes(true);
    let opts = RunOptions {
        seed: 3,
        days: Some(days),
    };
    let run = || corridor_engine::run(sc, &opts).unwrap();
    // One thread acts in order, scanning and acting slice by slice; the
    // speculated passes below take the whole pass at once.
    let (one, one_stats) = on(1, run);
    assert_eq!(one_stats.serial_candidates, one_stats.candidates);
    assert_eq!(
        (one_stats.checked_candidates, one_stats.undone_candidates),
        (0, 0)
    );

    let mut on_two = RunStats::default();
    for threads in [2, 8] {
        let (out, stats) = on(threads, run);
        assert_eq!(out, one, "{threads} threads");
        assert_eq!(
            (stats.departures, stats.arrivals),
            (one_stats.departures, one_stats.arrivals)
        );
        assert_eq!(stats.candidates, one_stats.candidates);
        // Both steps ran: some candidates in parallel, some serially, and
        // some readers of ordered counts were kept after checking.
        assert!(stats.serial_candidates < stats.candidates);
        assert!(stats.serial_candidates > 0, "no ordered read: a weak test");
        assert!(stats.checked_candidates > 0, "no reader kept: a weak test");
        assert!(stats.undone_candidates <= stats.serial_candidates);
        if threads == 2 {
            on_two = stats;
        }
    }
    // An observer of agent events keeps the one-by-one pass on 2 threads.
    let (observed, stats) = on(2, || {
        let mut sim = Simulation::new(sc, &opts).unwrap();
        let mut events = EventCounter::default();
        while sim.step(&mut events).unwrap().is_some() {}
        assert_eq!(events.departed, one_stats.departures);
        (sim.output().clone(), sim.stats.clone())
    });
    assert_eq!(observed, one);
    assert_eq!(stats.serial_candidates, stats.candidates);
    (one_stats, on_two)
}

#[test]
fn ukraine_passes_agree_on_any_thread_count() {
    // Its smallest camp fills up in the first weeks.
    let (one, two) = check(&flee_scenario("ukraine2022", 100), 120);
    assert!(
        one.agents as usize > 4 * corridor_engine::PASS_SLICE,
        "one slice only: a weak test"
    );
    // Some readers' actions were undone after checking: a read would have
    // given another value in creation order.
    assert!(two.undone_candidates > 0, "no reader undone: a weak test");
}

/// Camps a fifth of their size with a buffer band half as wide as they are:
/// many reads fall in the band, where a count one lower or higher changes
/// the factor. On several seeds and an odd thread count, the checked and
/// redone readers still give the one-by-one pass's result.
#[test]
fn readers_in_wide_buffer_bands_agree_on_several_seeds() {
    corridor_engine::set_speculative_passes(true);
    let mut sc = flee_scenario("ukraine2022", 100);
    sc.settings.capacity_scaling *= 0.2;
    sc.settings.capacity_buffer = 0.5;
    let (mut checked, mut undone) = (0, 0);
    for seed in 1..=3 {
        let opts = RunOptions {
            seed,
            days: Some(90),
        };
        let run = || corridor_engine::run(&sc, &opts).unwrap();
        let (one, _) = on(1, run);
        let (three, stats) = on(3, run);
        assert_eq!(three, one, "seed {seed}");
        checked += stats.checked_candidates;
        undone += stats.undone_candidates;
    }
    assert!(
        checked > 0 && undone > 0,
        "{checked} kept, {undone} undone: a weak test"
    );
}

#[test]
fn mali_passes_agree_on_any_thread_count() {
    check(&flee_scenario("mali2012", 10), 300);
}

/// Capacity factors read from the counts as each block of 300 candidates
/// began: the same result on any thread count and in order, nobody acts
/// serially, and the run is not the live-count run (its camps fill up, so
/// the setting matters).
#[test]
fn capacity_count_blocks_leave_nothing_serial() {
    corridor_engine::set_speculative_passes(true);
    let live = flee_scenario("ukraine2022", 100);
    let mut sc = live.clone();
    sc.settings.capacity_count_block = 300;
    let opts = RunOptions {
        seed: 3,
        days: Some(120),
    };
    let (one, one_stats) = on(1, || corridor_engine::run(&sc, &opts).unwrap());
    assert_eq!(one_stats.serial_candidates, one_stats.candidates);
    for threads in [2, 8] {
        let (out, stats) = on(threads, || corridor_engine::run(&sc, &opts).unwrap());
        assert_eq!(out, one, "{threads} threads");
        assert_eq!(stats.serial_candidates, 0, "{threads} threads");
        assert_eq!(stats.candidates, one_stats.candidates);
    }
    let (observed, _) = on(2, || {
        let mut sim = Simulation::new(&sc, &opts).unwrap();
        let mut events = EventCounter::default();
        while sim.step(&mut events).unwrap().is_some() {}
        (sim.output().clone(), sim.stats.clone())
    });
    assert_eq!(observed, one);
    let (live_out, _) = on(2, || corridor_engine::run(&live, &opts).unwrap());
    assert_ne!(live_out, one, "the switch changed nothing: a weak test");
}
