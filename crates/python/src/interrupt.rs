//! Simulating without the GIL, with Ctrl-C as a stop between days.
//!
//! The work runs on a scoped thread while the calling (main) thread, without
//! the GIL, wakes every 50 ms and takes the GIL briefly to run Python's signal
//! handlers (`PyErr_CheckSignals` only runs them on the main thread). On
//! KeyboardInterrupt (or any exception a handler raises) it raises the stop
//! flag, which the work checks after each simulated day (single runs) or
//! before each replicate (ensembles), waits for the work to return, and raises
//! the exception.

use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A stop flag the work polls.
#[derive(Default)]
pub struct Stop(AtomicBool);

impl Stop {
    /// Whether the work should stop now.
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Runs `work(&stop)` without the GIL, interruptible by Ctrl-C.
pub fn interruptible<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(&Stop) -> T + Send,
{
    let stop = Stop::default();
    let (result, signal) = py.detach(|| {
        std::thread::scope(|s| {
            let handle = s.spawn(|| work(&stop));
            let mut signal: Option<PyErr> = None;
            while !handle.is_finished() {
                std::thread::sleep(Duration::from_millis(50));
                if signal.is_none() {
                    if let Err(e) = Python::attach(|py| py.check_signals()) {
                        stop.0.store(true, Ordering::Relaxed);
                        signal = Some(e);
                    }
                }
            }
            (handle.join(), signal)
        })
    });
    if let Some(e) = signal {
        return Err(e);
    }
    match result {
        Ok(v) => Ok(v),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
