//! # corridor-report
//!
//! Turns corridor (and Flee) runs into what a person reads: error tables, ensemble
//! summaries with uncertainty bands, charts, a self-contained HTML report, and
//! GIS and columnar exports.
//!
//! * **Forecasts.** A [`Forecast`] summarises one or more [`Run`]s of a scenario
//!   per camp and day (mean, sd, 5–95 % band, [`Band`]) next to the observed
//!   series, and for siege scenarios the people per fate per day, deaths by cause
//!   and the observations (IOM counts) with their simulated bands ([`SiegeForecast`]).
//!   [`inputs`] reads existing output folders (`out.csv`, `summary.json`) or
//!   Flee's own `out.csv` files as runs.
//! * **Errors.** [`ErrorTable`] scores a Flee-format table per camp and overall:
//!   ARD normal and rescaled exactly as Flee's `extract-validation-results.py`,
//!   and MASE against the script's six naive forecasts; as text, CSV or JSON.
//!   [`EnsembleErrors`] scores an ensemble's mean forecast and each run.
//! * **Parameter uncertainty.** [`ParamSpace`] reads ranges from YAML in the
//!   parameter-space format of `corridor calibrate`
//!   (`move_rules.default_movechance: [0.3, 0.7]`) and samples them per
//!   replicate, deterministically from the master seed.
//! * **Pictures.** [`plots`] draws time series with bands, stacked fates, bar
//!   charts and the route network with plotters, to SVG or to PNG (text
//!   rasterised with the embedded DejaVu Sans, so PNGs are identical everywhere).
//! * **The report.** [`build`] makes one HTML file that needs no network access:
//!   interactive charts (uPlot, vendored in `assets/uplot/`) with the static SVG
//!   kept for print, the data as embedded JSON with download links, the map
//!   ([`MapLayout`]: Natural Earth borders from [`atlas`], the scenario's own
//!   [`Geography`], labels placed without overlap by [`labels`], a scale bar),
//!   the interventions and siege set-up, the error table with a glossary, and
//!   the settings. See `docs/report.md`.
//! * **GIS.** [`NetworkView::geojson`]: locations as Points (type, population,
//!   capacity, final camp size) and routes as LineStrings (distance, closed days
//!   recorded from a run, siege role).
//! * **Parquet** (feature `parquet`): [`parquet::csv_to_parquet`] converts any
//!   output CSV to a typed Parquet file.
//!
//! ```no_run
//! use corridor_report::{inputs, build, Forecast, ReportInput};
//! let run = inputs::read_run(std::path::Path::new("out/mali"))?;
//! let forecast = Forecast::new(vec![run], vec![])?;
//! let report = build(&ReportInput {
//!     title: None, scenario: None, closures: None, geography: None, forecast: &forecast, params: None,
//!     master_seed: None, sources: vec!["out/mali".into()], generator: "corridor".into(),
//! })?;
//! std::fs::write("report.html", report.html)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod atlas;
pub mod forecast;
pub mod geography;
pub mod inputs;
pub mod labels;
pub mod mapview;
pub mod network;
pub mod params;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod plots;
pub mod report;
pub mod validation;

pub use forecast::{Band, CampForecast, Forecast, ObservedPoint, Run, SiegeForecast};
pub use geography::Geography;
pub use mapview::MapLayout;
pub use network::{ClosureRecord, NetworkView};
pub use params::{sampler, uncertainty, ParamSpace};
pub use plots::Figure;
pub use report::{build, Report, ReportInput};
pub use validation::{EnsembleErrors, ErrorTable};

/// Everything that can go wrong while reporting.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Analysis(#[from] corridor_analysis::AnalysisError),
    #[error("{file}: {message}")]
    Params { file: String, message: String },
    #[error("{path}: {message}\n  hint: {hint}")]
    Input {
        path: String,
        message: String,
        hint: String,
    },
    #[error("{0}")]
    Message(String),
    #[error("no runs to report")]
    NoRuns,
    #[error("the runs do not belong together: {0}")]
    Incompatible(String),
    #[error("drawing a chart: {0}")]
    Plot(String),
    #[error("rendering the HTML template: {0}")]
    Template(String),
    #[error("parquet: {0}")]
    Parquet(String),
}
