//! Errors and warnings raised while reading scenario and settings files.

use std::fmt;
use std::path::{Path, PathBuf};

/// Why a scenario or settings file could not be used. A boxed
/// [`InputErrorKind`] (so that `Result<_, InputError>` stays small); use
/// [`InputError::kind`] to match on it.
///
/// Every kind names the file, the 1-based line when one applies, the field
/// (column or YAML key) when one applies, what was wrong, and a hint for
/// fixing it. `Display` renders all of that, e.g.
///
/// ```text
/// input_csv/routes.csv:12: field 'distance' = "-3": distance must be a non-negative number of km
///   hint: ...
/// ```
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct InputError(Box<InputErrorKind>);

/// The different ways an input can be wrong; see [`InputError::kind`].
#[derive(Debug, thiserror::Error)]
pub enum InputErrorKind {
    /// A required file does not exist.
    #[error("{}: file not found ({purpose})\n  hint: {hint}", path.display())]
    MissingFile {
        path: PathBuf,
        /// What the file is for, e.g. "the location list".
        purpose: String,
        hint: String,
    },

    /// The file exists but could not be read.
    #[error("{}: cannot read file: {source}\n  hint: {hint}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
        hint: String,
    },

    /// The file is not valid UTF-8 text or not parseable as CSV at all.
    #[error("{}: {message}\n  hint: {hint}", at(path, *line))]
    Malformed {
        path: PathBuf,
        line: Option<usize>,
        message: String,
        hint: String,
    },

    /// A value (CSV field or YAML key) is missing or wrong.
    #[error("{}: {}{message}\n  hint: {hint}", at(path, *line), field_part(field, value.as_deref()))]
    Field {
        path: PathBuf,
        line: Option<usize>,
        /// Column name (CSV) or dotted key (YAML), e.g. `distance` or `move_rules.softening`.
        field: String,
        /// The offending raw value, when there is one.
        value: Option<String>,
        message: String,
        hint: String,
    },

    /// The settings file is not valid YAML.
    #[error("{}{}: invalid YAML: {message}\n  hint: {hint}", at(path, *line), column.map(|c| format!(":{c}")).unwrap_or_default())]
    Yaml {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
        hint: String,
    },

    /// A Flee option that corridor does not implement is switched on.
    #[error("{}: option '{key}' = {value}: not supported by corridor\n  hint: {hint}", at(path, *line))]
    Unsupported {
        path: PathBuf,
        line: Option<usize>,
        /// Dotted YAML key, e.g. `move_rules.fixed_routes`.
        key: String,
        value: String,
        hint: String,
    },
}

fn at(path: &Path, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{}:{l}", path.display()),
        None => path.display().to_string(),
    }
}

fn field_part(field: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("field '{field}' = {v:?}: "),
        None => format!("field '{field}': "),
    }
}

impl From<InputErrorKind> for InputError {
    fn from(kind: InputErrorKind) -> InputError {
        InputError(Box::new(kind))
    }
}

impl InputError {
    /// What went wrong, for matching on the kind of error.
    pub fn kind(&self) -> &InputErrorKind {
        &self.0
    }

    pub fn into_kind(self) -> InputErrorKind {
        *self.0
    }

    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self.kind() {
            InputErrorKind::MissingFile { path, .. }
            | InputErrorKind::Io { path, .. }
            | InputErrorKind::Malformed { path, .. }
            | InputErrorKind::Field { path, .. }
            | InputErrorKind::Yaml { path, .. }
            | InputErrorKind::Unsupported { path, .. } => path,
        }
    }

    /// The 1-based line, when the error points at one.
    pub fn line(&self) -> Option<usize> {
        match self.kind() {
            InputErrorKind::MissingFile { .. } | InputErrorKind::Io { .. } => None,
            InputErrorKind::Malformed { line, .. }
            | InputErrorKind::Field { line, .. }
            | InputErrorKind::Yaml { line, .. }
            | InputErrorKind::Unsupported { line, .. } => *line,
        }
    }

    /// The column or key the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self.kind() {
            InputErrorKind::Field { field, .. } => Some(field),
            InputErrorKind::Unsupported { key, .. } => Some(key),
            _ => None,
        }
    }

    /// The suggested fix.
    pub fn hint(&self) -> &str {
        match self.kind() {
            InputErrorKind::MissingFile { hint, .. }
            | InputErrorKind::Io { hint, .. }
            | InputErrorKind::Malformed { hint, .. }
            | InputErrorKind::Field { hint, .. }
            | InputErrorKind::Yaml { hint, .. }
            | InputErrorKind::Unsupported { hint, .. } => hint,
        }
    }

    pub(crate) fn bad_field(
        path: &Path,
        line: Option<usize>,
        field: impl Into<String>,
        value: Option<&str>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> InputError {
        InputErrorKind::Field {
            path: path.to_path_buf(),
            line,
            field: field.into(),
            value: value.map(str::to_string),
            message: message.into(),
            hint: hint.into(),
        }
        .into()
    }
}

/// A non-fatal problem: the input is usable, but probably not what was meant
/// (an unknown settings key, a conflicts.csv column naming no location, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl Warning {
    pub(crate) fn new(path: &Path, line: Option<usize>, message: impl Into<String>) -> Warning {
        Warning {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: warning: {}",
            at(&self.path, self.line),
            self.message
        )
    }
}
