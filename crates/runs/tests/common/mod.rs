//! What the route-log tests share.

use corridor_model::Scenario;
use corridor_runs::{run_scenario, RunLogs};

/// The logs of `sc` (seed 5, its first 120 days) on 1 thread, after
/// asserting that 2 and 8 threads write the same.
pub fn logs_on_any_thread_count(sc: &Scenario) -> RunLogs {
    let logs = |threads| {
        corridor_runs::thread_pool(Some(threads))
            .unwrap()
            .install(|| run_scenario(sc, 5, Some(120), &mut |_, _| {}).unwrap())
            .logs
            .unwrap()
    };
    let one = logs(1);
    for threads in [2, 8] {
        assert_eq!(logs(threads), one, "logs differ with {threads} threads");
    }
    one
}
