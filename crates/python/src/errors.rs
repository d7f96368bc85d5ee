//! Library errors as `corridor.CorridorError`, with the CLI's text and its
//! parts (file, line, field, hint) as attributes.

use corridor_io::{InputError, InputErrorKind};
use corridor_runs::RunsError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The message as the CLI prints it after `error: ` (anyhow's `{:#}`: the
/// error, then each source not already in its text).
fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

/// The reading error inside `e`, if it is one.
fn input_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a InputError> {
    if let Some(i) = e.downcast_ref::<InputError>() {
        return Some(i);
    }
    match e.downcast_ref::<RunsError>()? {
        RunsError::Input(i) => Some(i),
        RunsError::Replicate { cause, .. } => input_error(cause.as_ref()),
        _ => None,
    }
}

/// `corridor.CorridorError(message, path=, line=, field=, hint=)` for `e`.
pub fn to_py(e: &(dyn std::error::Error + 'static)) -> PyErr {
    if let Some(RunsError::Interrupted) = e.downcast_ref::<RunsError>() {
        return pyo3::exceptions::PyKeyboardInterrupt::new_err("corridor run interrupted");
    }
    let message = chain_text(e);
    let hint = message
        .split_once("\n  hint: ")
        .map(|(_, h)| h.trim().to_string());
    let (path, line, field) = match input_error(e) {
        Some(i) => {
            let field = match i.kind() {
                InputErrorKind::Field { field, .. } => Some(field.clone()),
                _ => None,
            };
            (Some(i.path().display().to_string()), i.line(), field)
        }
        None => (None, None, None),
    };
    Python::attach(|py| {
        let make = || -> PyResult<PyErr> {
            let cls = py.import("corridor._errors")?.getattr("CorridorError")?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("path", path.clone())?;
            kwargs.set_item("line", line)?;
            kwargs.set_item("field", field.clone())?;
            kwargs.set_item("hint", hint.clone())?;
            let exc = cls.call((message.clone(),), Some(&kwargs))?;
            Ok(PyErr::from_value(exc))
        };
        make().unwrap_or_else(|_| pyo3::exceptions::PyRuntimeError::new_err(message.clone()))
    })
}

/// Converts any library result into a Python one.
pub trait IntoPy<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T, E: std::error::Error + 'static> IntoPy<T> for Result<T, E> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(|e| to_py(&e))
    }
}
