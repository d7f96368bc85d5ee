//! Throughput and serial share of the agent passes on one of Flee's
//! scenarios, at several thread counts, with the movers and arrivals acted
//! on in creation order (the default) and speculated on every core
//! (`set_speculative_passes`):
//! `cargo run --release -p corridor-engine --example passes -- ukraine2022 10 [days|0] [threads...]`.
//! With `BLOCK=512` in the environment, `capacity_count_block` is set to it
//! (a different model from Flee's live counts; see the README).
//! Prints the engine's wall time (loading excluded), agent-days per second,
//! the share of pass candidates acted on one by one, the share that read an
//! order-dependent count and whose action stood after the check of its
//! reads, and the speed-up over the first thread count of the same
//! execution.

use corridor_engine::{RunOptions, RunStats};
use corridor_model::Scenario;
use std::path::PathBuf;
use std::time::Instant;

fn run(sc: &Scenario, opts: &RunOptions, speculative: bool) -> RunStats {
    corridor_engine::set_speculative_passes(speculative);
    corridor_engine::run(sc, opts).expect("run").1
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let name = args.first().map_or("ukraine2022", String::as_str);
    let hasten: u32 = args.get(1).map_or(10, |h| h.parse().expect("hasten"));
    let days: Option<u32> = args
        .get(2)
        .map(|d| d.parse().expect("days"))
        .filter(|&d| d > 0);
    let threads: Vec<usize> = match args.get(3..) {
        Some(t) if !t.is_empty() => t.iter().map(|t| t.parse().expect("threads")).collect(),
        _ => vec![1, 2],
    };
    let shared = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/flee"));
    let settings = shared.join("reference").join(format!("val_h{hasten}.yml"));
    let mut sc =
        corridor_io::read_flee_scenario(&shared.join("scenarios").join(name), Some(&settings))
            .expect("scenario loads")
            .0;
    if let Ok(block) = std::env::var("BLOCK") {
        sc.settings.capacity_count_block = block.parse().expect("BLOCK: a whole number");
    }
    let opts = RunOptions { seed: 1, days };
    println!("| scenario | passes | threads | wall s | agent-days | agent-days/s | one by one | kept after check | speed-up |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (label, speculative) in [("in order (default)", false), ("speculative", true)] {
        let mut first = None;
        for &t in &threads {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .expect("thread pool");
            let start = Instant::now();
            let stats = pool.install(|| run(&sc, &opts, speculative));
            let wall = start.elapsed().as_secs_f64();
            let base = *first.get_or_insert(wall);
            println!(
                "| {name} h{hasten} | {label} | {t} | {wall:.2} | {} | {:.1} M | {:.2} % | {:.2} % | {:.2}× |",
                stats.agent_days,
                stats.agent_days as f64 / wall / 1e6,
                100.0 * stats.serial_candidates as f64 / stats.candidates.max(1) as f64,
                100.0 * stats.checked_candidates as f64 / stats.candidates.max(1) as f64,
                base / wall,
            );
        }
    }
}
