//! Criterion benchmarks of the engine on Flee's validation scenarios.
//! Run: `cargo bench -p corridor-engine` (reads data/flee in the repository).

use corridor_engine::{rng, RunOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;

fn scenario(name: &str, hasten: u32) -> corridor_model::Scenario {
    let shared = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/flee"));
    let settings = shared.join("reference").join(format!("val_h{hasten}.yml"));
    corridor_io::read_flee_scenario(&shared.join("scenarios").join(name), Some(&settings))
        .expect("scenario loads")
        .0
}

fn full_runs(c: &mut Criterion) {
    let mut g = c.benchmark_group("full run, 1 thread");
    g.sample_size(10);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    for (name, hasten) in [("mali2012", 10), ("mali2012", 1), ("ssudan2013", 10)] {
        let sc = scenario(name, hasten);
        let (_, stats) = corridor_engine::run(&sc, &RunOptions::default()).unwrap();
        g.throughput(Throughput::Elements(stats.agent_days));
        g.bench_function(format!("{name} h{hasten} (elements = agent-days)"), |b| {
            b.iter(|| pool.install(|| corridor_engine::run(&sc, &RunOptions::default()).unwrap()))
        });
    }
    g.finish();
}

fn ukraine_days(c: &mut Criterion) {
    // The first 60 days of ukraine2022 at hasten 100 (≈ 120 k agents by then).
    let sc = scenario("ukraine2022", 100);
    let opts = RunOptions {
        seed: 1,
        days: Some(60),
    };
    let (_, stats) = corridor_engine::run(&sc, &opts).unwrap();
    let mut g = c.benchmark_group("ukraine2022 h100, 60 days");
    g.sample_size(10);
    g.throughput(Throughput::Elements(stats.agent_days));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        // Blocks of 512 candidates reading the counts as the block began
        // (`capacity_count_block`): nobody waits, a different model.
        let mut blocks = sc.clone();
        blocks.settings.capacity_count_block = 512;
        for (label, speculative, sc) in [
            ("in order (default)", false, &sc),
            ("speculative", true, &sc),
            ("speculative, capacity_count_block 512", true, &blocks),
        ] {
            g.bench_function(format!("{threads} threads, passes {label}"), |b| {
                corridor_engine::set_speculative_passes(speculative);
                b.iter(|| pool.install(|| corridor_engine::run(sc, &opts).unwrap()));
                corridor_engine::set_speculative_passes(false);
            });
        }
    }
    g.finish();
}

fn draws(c: &mut Criterion) {
    let key = rng::day_key(1, 1);
    let mut g = c.benchmark_group("counter-based rng");
    g.throughput(Throughput::Elements(1_000_000));
    g.bench_function("1M uniform draws", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for a in 0..1_000_000u64 {
                s += rng::uniform(key, a, rng::Purpose::Move, 0);
            }
            s
        })
    });
    g.finish();
}

criterion_group!(benches, full_runs, ukraine_days, draws);
criterion_main!(benches);
