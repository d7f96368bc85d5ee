//! YAML parse and schema errors in the file's terms: line, column, the value
//! there, and a hint (shared by every YAML reader of the crate).

use std::path::Path;

use crate::error::{InputError, InputErrorKind};

/// An [`InputError`] for a YAML parse or schema error, with its line and column.
pub(crate) fn yaml_error(
    path: &Path,
    text: &str,
    e: &serde_saphyr::Error,
    hint: &str,
) -> InputError {
    let loc = e.location();
    let line = loc.map(|l| l.line() as usize).filter(|&l| l > 0);
    let column = loc.map(|l| l.column() as usize).filter(|&c| c > 0);
    let message = e.without_snippet().to_string();
    let message = message.lines().next().unwrap_or("").trim();
    // The parser's own words name its options and types; say it in the file's terms.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .trim()
        .to_string();
    let value = value_at(text, line, column);
    let shown = value.map(|v| format!(" {v:?}")).unwrap_or_default();
    let (message, hint) = if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(',').next().unwrap_or(key).trim();
        (
            format!("the key '{key}' is given twice in the same mapping"),
            "keep one of them: a YAML mapping takes each key once".to_string(),
        )
    } else if let Some(ty) = message.strip_prefix("invalid ").filter(|t| {
        matches!(
            *t,
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize"
        )
    }) {
        let what = if ty.starts_with('u') {
            "a whole number of 0 or more"
        } else {
            "a whole number"
        };
        (
            format!("the value{shown} is not {what}"),
            format!("write {what} here, e.g. 6 (no decimals, no .nan or .inf)"),
        )
    } else if value.is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        v.contains(".nan") || v.contains(".inf")
    }) {
        (
            format!("the value{shown} is not a finite number"),
            "write a finite number (YAML's .nan and .inf are not accepted)".to_string(),
        )
    } else {
        (message, hint.to_string())
    };
    InputErrorKind::Yaml {
        path: path.to_path_buf(),
        line,
        column,
        message,
        hint,
    }
    .into()
}

/// The scalar at a (1-based) line and column of `text`, comment stripped.
fn value_at(text: &str, line: Option<usize>, column: Option<usize>) -> Option<&str> {
    let l = text.lines().nth(line? - 1)?;
    let rest = l.get(column?.saturating_sub(1)..)?;
    let v = rest.split(" #").next().unwrap_or(rest).trim();
    (!v.is_empty() && !v.contains(": ")).then_some(v)
}
