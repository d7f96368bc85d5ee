//! A run alone on its pool (`alone_on_every_core`, what `corridor run` does)
//! speculates its large passes on every core and gives the in-order result
//! exactly; the same run without it acts in order. (Its own test binary: the
//! process-wide `set_speculative_passes` is never switched on here.)

mod common;

use common::{flee_scenario, on};
use corridor_engine::RunOptions;

#[test]
fn a_run_alone_speculates_and_agrees_with_the_in_order_run() {
    let sc = flee_scenario("ukraine2022", 100);
    let opts = RunOptions {
        seed: 5,
        days: Some(90),
    };
    let run = || corridor_engine::run(&sc, &opts).unwrap();
    let (in_order, in_order_stats) = on(2, run);
    assert_eq!(in_order_stats.serial_candidates, in_order_stats.candidates);
    let (alone, stats) = on(2, || corridor_engine::alone_on_every_core(run));
    assert_eq!(alone, in_order);
    assert_eq!(stats.candidates, in_order_stats.candidates);
    assert!(
        stats.serial_candidates < stats.candidates / 2,
        "most candidates act on every core: {} of {} serial",
        stats.serial_candidates,
        stats.candidates
    );
    // On one thread there is nothing to spread: the passes act in order.
    let (one, one_stats) = on(1, || corridor_engine::alone_on_every_core(run));
    assert_eq!(one, in_order);
    assert_eq!(one_stats.serial_candidates, one_stats.candidates);
}
