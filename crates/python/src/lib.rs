//! # corridor-python
//!
//! The native half of the `corridor` Python package (`import corridor`): a thin
//! pyo3 layer over the libraries. Scenarios run through `corridor-runs` (the one
//! place that runs a scenario), validation through `corridor-report`'s error
//! table, calibration through `corridor-calibrate`; this crate only converts
//! arguments and results, releases the GIL while simulating, and turns Ctrl-C
//! into a stop between simulated days.
//!
//! The Python half (`python/corridor/`) builds pandas DataFrames (through Arrow
//! when pyarrow is installed) from the columns this module hands over as
//! native-endian byte buffers, one per column, so no Python object is made per
//! cell.
//!
//! Built by maturin (`pip install .` at the repository root) with the feature
//! `extension-module`. Plain `cargo build/clippy/doc --workspace` compile it as
//! an rlib without linking against Python; it has no Rust tests (`test = false`):
//! its tests are the pytest suite in `python/tests/`.

mod errors;
mod interrupt;
mod runs;
mod tools;

use pyo3::prelude::*;

/// The `corridor._corridor` extension module.
#[pymodule]
fn _corridor(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<runs::Run>()?;
    m.add_class::<runs::EnsembleRun>()?;
    m.add_function(wrap_pyfunction!(runs::run, m)?)?;
    m.add_function(wrap_pyfunction!(runs::ensemble, m)?)?;
    m.add_function(wrap_pyfunction!(runs::compare, m)?)?;
    m.add_function(wrap_pyfunction!(tools::validate, m)?)?;
    m.add_function(wrap_pyfunction!(tools::calibrate, m)?)?;
    Ok(())
}
