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
    let flee = repo().join("../shared/flee");
    let (s, _) = corridor_io::read_scenario(
        &flee.join("scenarios/mali2012"),
        Some(&flee.join("reference/val_h10.yml")),
    )
    .expect("../shared/flee beside the repository");
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
) -> Vec<(PartitionedRun, u64)> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = ThreadExchange::group_with_block(size, block)
            .into_iter()
            .map(|ex| {
                scope.spawn(move || {
                    let mut ex = Counting::new(ex);
                    let r = run_partitioned(s, opts, &mut ex).unwrap();
                    assert!(size == 1 || ex.sent_words > 0, "a rank scanned nothing");
                    (r, ex.received_words)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn check(s: &Scenario, opts: &RunOptions, cases: &[(usize, usize)]) {
    let (want, want_fates) = single(s, opts);
    for &(size, block) in cases {
        let runs = partitioned(s, opts, size, block);
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
    check(&s, &opts, &[(1, 1024), (2, 1024), (3, 7), (4, 100_000)]);
}

#[test]
fn fallujah_siege_partitioned_equals_single_process() {
    let (s, _) = corridor_io::read_scenario(&repo().join("scenarios/fallujah-2016"), None).unwrap();
    let opts = RunOptions {
        seed: 1,
        days: None,
    };
    check(&s, &opts, &[(2, 1024), (3, 13)]);
}
