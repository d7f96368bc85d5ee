//! Error types of the crate.

use thiserror::Error;

/// Formats an optional 1-based line number as `"line N: "` (or nothing).
fn line_prefix(line: &Option<u64>) -> String {
    match line {
        Some(l) => format!("line {l}: "),
        None => String::new(),
    }
}

/// Everything that can go wrong while reading or analysing Flee-format output.
///
/// Errors about a file name the file (`file`, the path or the name given to a reader), the 1-based
/// line and, where it applies, the 1-based column number and column name.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// The file could not be opened.
    #[error("{file}: cannot open: {source}")]
    Open {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// The CSV reader failed (I/O error or malformed CSV).
    #[error("{file}: {}CSV error: {source}", line_prefix(.line))]
    Csv {
        file: String,
        line: Option<u64>,
        #[source]
        source: csv::Error,
    },
    /// The file has no header line at all.
    #[error("{file}: empty file, expected a header line")]
    NoHeader { file: String },
    /// A required column is missing from the header.
    #[error("{file}: line {line}: missing column `{column}`")]
    MissingColumn {
        file: String,
        line: u64,
        column: String,
    },
    /// A column name occurs twice in the header.
    #[error("{file}: line {line}: column `{column}` appears twice (columns {first} and {second})")]
    DuplicateColumn {
        file: String,
        line: u64,
        column: String,
        first: usize,
        second: usize,
    },
    /// No column name ends in `" sim"`, so there are no camps.
    #[error("{file}: line {line}: no camp columns (no column name ends in \" sim\")")]
    NoCamps { file: String, line: u64 },
    /// A data row has a different number of fields than the header.
    #[error("{file}: line {line}: expected {expected} fields like the header, found {found}")]
    RowLength {
        file: String,
        line: u64,
        expected: usize,
        found: usize,
    },
    /// A field could not be parsed as a number.
    #[error("{file}: line {line}, column {column} (`{name}`): cannot parse {value:?} as a number")]
    BadNumber {
        file: String,
        line: u64,
        /// 1-based column number.
        column: usize,
        /// Column name from the header.
        name: String,
        value: String,
    },
    /// The header is not followed by any data row.
    #[error("{file}: no data rows after the header")]
    NoRows { file: String },
    /// A series given to [`crate::FleeOutput::new`] has the wrong length.
    #[error("{file}: `{what}` has {found} values but there are {expected} days")]
    LengthMismatch {
        file: String,
        what: String,
        expected: usize,
        found: usize,
    },
    /// A metric needs more days than the run has.
    #[error("{file}: {what} needs at least {needed} days, the run has {found}")]
    TooFewDays {
        file: String,
        what: String,
        needed: usize,
        found: usize,
    },
    /// Series passed to a metric have different lengths.
    #[error("{what}: series lengths differ ({lengths})")]
    SeriesLengths { what: String, lengths: String },
    /// An ensemble was built from no runs.
    #[error("ensemble: no runs given")]
    EmptyEnsemble,
    /// A run does not have the same camps or days as the first run of an ensemble.
    #[error("ensemble: run {index} ({file}) does not match run 0 ({first}): {reason}")]
    IncompatibleRun {
        index: usize,
        file: String,
        first: String,
        reason: String,
    },
    /// A statistics helper failed.
    #[error("statistics: {0}")]
    Stats(#[from] StatsError),
}

/// Errors of the statistics helpers in [`crate::stats`].
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum StatsError {
    /// The input slice is empty.
    #[error("no values")]
    Empty,
    /// Too few values (for example fewer than 2 for a sample standard deviation).
    #[error("{needed} values needed, got {found}")]
    TooFew { needed: usize, found: usize },
    /// A value is NaN, so order statistics are undefined.
    #[error("value {index} is NaN")]
    NaN { index: usize },
    /// A percentile outside `[0, 100]` (or NaN) was requested.
    #[error("percentile {0} is outside [0, 100]")]
    BadPercentile(f64),
}

/// Shorthand for results of this crate.
pub type Result<T, E = AnalysisError> = std::result::Result<T, E>;
