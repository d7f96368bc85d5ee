//! A run partitioned over ranks (here threads of one process) gives exactly
//! the single-process output, for any number of ranks and block size.

use corridor_engine::{RunOptions, Simulation};
use corridor_model::Scenario;
use corridor_mpi::threads::ThreadExchange;
use corridor_mpi::{run_partitioned, Counting, PartitionedRun};
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn mali_h10() -> Scenario {
    let flee = repo().join("data/flee");
    let (s, _) = corridor_io::read_scenario(
        &flee.join("scenarios/mali2012"),
        Some(&flee.join("reference/val_h10.yml")),
    )
    .expect("data/flee in the repository");
    s
}

fn single(s: &Scenario, opts: &RunOptions) -> (String, Option<String>) {
    let mut sim = Simulation::new(s, opts).unwrap();
    while sim
        .step(&mut corridor_engine::events::NoObserver)
        .unwrap()
        .is_some()
    {}
    (
        corridor_io::flee_out_csv(sim.output()),
        sim.siege_report().map(|r| r.fates_csv()),
    )
}

/// Every rank's result, with the words each rank received.
fn partitioned(
    s: &Scenario,
    opts: &RunOptions,
    size: usize,
    block: usize,
    window: usize,
) -> Vec<(PartitionedRun, u64)> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = ThreadExchange::group_with(size, block, window)
            .into_iter()
            .map(|ex| {
                scope.spawn(move || {
                    let mut ex = Counting::new(ex);
                    let r = run_partitioned(s, opts, &mut ex).unwrap();
                    // (A rank owns no agent when the first block holds them all.)
                    let owns_some = r.stored_agents > 0;
                    assert!(
                        size == 1 || !owns_some || ex.sent_words > 0,
                        "a rank scanned nothing"
                    );
                    (r, ex.received_words)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// Cases: (ranks, agents per block, global indices per exchange round).
fn check(s: &Scenario, opts: &RunOptions, cases: &[(usize, usize, usize)]) {
    let (want, want_fates) = single(s, opts);
    for &(size, block, window) in cases {
        let runs = partitioned(s, opts, size, block, window);
        let total = runs[0].0.stats.agents as usize;
        let stored: Vec<usize> = runs.iter().map(|r| r.0.stored_agents).collect();
        if s.siege.is_none() {
            // The agents are divided: each is stored once, each rank holds its blocks.
            assert_eq!(
                stored.iter().sum::<usize>(),
                total,
                "{size} ranks, block {block}"
            );
            for (rank, &n) in stored.iter().enumerate() {
                let blocks = total.div_ceil(block);
                let mine = (0..blocks).filter(|b| b % size == rank).count();
                assert!(
                    n <= mine * block && n + block >= mine * block,
                    "rank {rank} stores {n} of {total} ({size} ranks, block {block})"
                );
            }
        } else {
            assert!(
                stored.iter().all(|&n| n == total),
                "siege runs keep every agent"
            );
        }
        for (rank, (r, words)) in runs.iter().enumerate() {
            let got = corridor_io::flee_out_csv(&r.output);
            assert!(
                got == want,
                "{size} ranks, block {block}: rank {rank}'s out.csv differs"
            );
            let fates = r.siege.as_ref().map(|x| x.fates_csv());
            assert_eq!(
                fates, want_fates,
                "{size} ranks, block {block}: rank {rank} fates"
            );
            assert!(size == 1 || *words > 0);
        }
    }
}

#[test]
fn mali2012_h10_partitioned_equals_single_process() {
    let s = mali_h10();
    let opts = RunOptions {
        seed: 7,
        days: None,
    };
    let w = corridor_engine::EXCHANGE_WINDOW;
    check(
        &s,
        &opts,
        &[
            (1, 1024, w),
            (2, 1024, w),
            (3, 7, 1000),
            (4, 100_000, w),
            (2, 300, 997),
        ],
    );
}

#[test]
fn burundi2015_h100_divided_equals_single_process() {
    let flee = repo().join("data/flee");
    let (s, _) = corridor_io::read_scenario(
        &flee.join("scenarios/burundi2015"),
        Some(&flee.join("reference/val_h100.yml")),
    )
    .unwrap();
    let opts = RunOptions {
        seed: 3,
        days: None,
    };
    check(&s, &opts, &[(2, 64, 500), (5, 1, 1 << 20)]);
}

#[test]
fn fallujah_siege_partitioned_equals_single_process() {
    let (s, _) = corridor_io::read_scenario(&repo().join("scenarios/fallujah-2016"), None).unwrap();
    let opts = RunOptions {
        seed: 1,
        days: None,
    };
    check(&s, &opts, &[(2, 1024, 1 << 20), (3, 13, 1 << 20)]);
}

#[test]
fn camps_as_sinks_divided_equal_single_process() {
    // Deactivated agents stay counted, so every rank keeps the same counts
    // while each deactivates only the agents it stores.
    let mut s = mali_h10();
    s.settings.camps_are_sicks = true;
    for l in s.locations.iter_mut().filter(|l| l.kind.is_camp()) {
        l.attributes
            .push(("deactivation_probability".into(), "0.05".into()));
    }
    let opts = RunOptions {
        seed: 5,
        days: Some(150),
    };
    check(&s, &opts, &[(2, 64, 500), (3, 7, 1000)]);
}
