//! # corridor-io
//!
//! Reading and writing the files corridor shares with Flee and FabFlee.
//!
//! ## Reading a Flee scenario
//!
//! [`read_flee_scenario`] loads a FabFlee-style folder:
//!
//! ```text
//! <dir>/input_csv/locations.csv          required
//! <dir>/input_csv/routes.csv             required
//! <dir>/input_csv/conflicts.csv          required (one row per simulated day)
//! <dir>/input_csv/sim_period.csv         required (StartDate, Length)
//! <dir>/input_csv/closures.csv           optional
//! <dir>/input_csv/registration_corrections.csv   optional
//! <dir>/source_data/data_layout.csv      required, first row `total,refugees.csv`
//! <dir>/source_data/<series>.csv         as listed in data_layout.csv
//! <dir>/simsetting.yml                   optional (Flee defaults otherwise)
//! ```
//!
//! The parsing follows Flee's own rules exactly (docs/flee-model.md sections 2.1–2.7):
//! `#` comment rows, UTF-8 BOMs, CSV quoting, CRLF line endings, Python
//! `int()`/`float()` semantics (a population of `123.0` is rejected), strict
//! `%Y-%m-%d` dates, attribute columns named by `#` header rows, header
//! detection in series files, row-position indexing of `conflicts.csv`, and
//! `conflict*` locations with a positive `conflict_date` starting as towns.
//!
//! Where Flee would crash, exit or silently misbehave, corridor returns an
//! [`InputError`] that names the file, the line, the field, what is wrong and
//! how to fix it, e.g.
//!
//! ```text
//! scenarios/x/input_csv/routes.csv:12: field 'distance' = "-3": distance must be a non-negative number of km
//!   hint: write the route length in km, e.g. 48 or 48.5
//! ```
//!
//! Problems that leave the scenario usable (an unknown name in
//! `conflicts.csv`, an unknown location type, an unknown settings key) are
//! returned as [`Warning`]s next to the result.
//!
//! ## Settings
//!
//! [`read_settings`] / [`parse_settings_str`] read Flee's `simsetting.yml`
//! schema (`log_levels`, `spawn_rules`, `move_rules`, `optimisations`) into
//! [`corridor_model::Settings`], with Flee's code defaults for missing keys.
//! Booleans must be YAML booleans: a quoted `"False"` is an error, because
//! Flee would read it as true. Flee options that corridor does not implement
//! are an error only when switched on. An extra `corridor:` section with a
//! `compat:` mapping switches individual Flee quirks off:
//!
//! ```yaml
//! corridor:
//!   compat:
//!     date_plus_one: false
//! ```
//!
//! ## Writing
//!
//! * [`flee_out_csv`] renders a [`corridor_model::RunOutput`] as Flee's
//!   `out.csv`, byte for byte (Python float formatting via [`python_float`],
//!   numpy rounding of the error columns).
//! * [`write_atomic`] replaces a file via a synced temporary file and a
//!   rename, so readers never see a partial file.
//!
//! Nothing in this crate panics on bad input.

mod error;
mod flee;
mod output;
mod settings;
mod text;

pub use error::{InputError, InputErrorKind, Warning};
pub use flee::read_flee_scenario;
pub use output::{flee_out_csv, python_float, write_atomic, write_atomic_with};
pub use settings::{parse_settings_str, read_settings};

mod native;
pub use native::{
    check_scenario, read_native_scenario, read_scenario, reference, Diagnostics, REFERENCE,
};
