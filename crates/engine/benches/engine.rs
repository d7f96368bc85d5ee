//! Criterion benchmarks of the engine on Flee's validation scenarios.
//! Run: `cargo bench -p corridor-engine` (reads data/flee in the repository).
//! After the ukraine2022 group it prints agent-days per second and the
//! 1-vs-2-thread ratio of each way of executing the passes.

use corridor_engine::{rng, RunOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

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
    // The first 60 days of ukraine2022 at hasten 10 (≈ 650 k agents by then, 25.6 M agent-days).
    let sc = scenario("ukraine2022", 10);
    let opts = RunOptions {
        seed: 1,
        days: Some(60),
    };
    let (_, stats) = corridor_engine::run(&sc, &opts).unwrap();
    let mut g = c.benchmark_group("ukraine2022 h10, 60 days");
    g.sample_size(10);
    g.throughput(Throughput::Elements(stats.agent_days));
    // Blocks of 512 candidates reading the counts as the block began
    // (`capacity_count_block`): nobody waits, a different model.
    let mut blocks = sc.clone();
    blocks.settings.capacity_count_block = 512;
    let configs = [
        ("in order (default)", false, &sc),
        ("speculative", true, &sc),
        ("speculative, capacity_count_block 512", true, &blocks),
    ];
    // Seconds per run of every batch criterion times (warm-up included), by
    // configuration and thread count, for the summary criterion does not
    // print: the 1-vs-2-thread ratio.
    let mut seconds = vec![[Vec::new(), Vec::new()]; configs.len()];
    for (ti, threads) in [1, 2].into_iter().enumerate() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        for (ci, &(label, speculative, sc)) in configs.iter().enumerate() {
            let samples = &mut seconds[ci][ti];
            g.bench_function(format!("{threads} threads, passes {label}"), |b| {
                corridor_engine::set_speculative_passes(speculative);
                b.iter_custom(|runs| {
                    let start = Instant::now();
                    for _ in 0..runs {
                        black_box(pool.install(|| corridor_engine::run(sc, &opts).unwrap()));
                    }
                    let took = start.elapsed();
                    samples.push(took.as_secs_f64() / runs as f64);
                    took
                });
                corridor_engine::set_speculative_passes(false);
            });
        }
    }
    g.finish();
    println!(
        "\nukraine2022 h10, 60 days ({} agent-days a run), median of the batches:",
        stats.agent_days
    );
    println!("| passes | 1 thread | 2 threads | 1 → 2 threads |\n|---|---|---|---|");
    for (ci, (label, ..)) in configs.iter().enumerate() {
        let [one, two] = &mut seconds[ci];
        let (Some(one), Some(two)) = (median(one), median(two)) else {
            continue; // filtered out on the command line
        };
        let rate = |s: f64| stats.agent_days as f64 / s / 1e6;
        println!(
            "| {label} | {:.1} M agent-days/s | {:.1} M agent-days/s | {:.2}× |",
            rate(one),
            rate(two),
            one / two
        );
    }
}

fn median(xs: &mut [f64]) -> Option<f64> {
    xs.sort_by(f64::total_cmp);
    (!xs.is_empty()).then(|| xs[xs.len() / 2])
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
