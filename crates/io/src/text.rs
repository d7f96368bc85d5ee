//! Low-level text handling shared by the readers: file loading (BOM, UTF-8),
//! CSV records with line numbers, and Python-compatible `int()`, `float()` and
//! `strptime("%Y-%m-%d")` parsing.

use std::path::Path;

use crate::error::{InputError, InputErrorKind};

/// One CSV record with the 1-based line it starts on.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub line: usize,
    pub fields: Vec<String>,
}

impl Row {
    pub fn get(&self, i: usize) -> Option<&str> {
        self.fields.get(i).map(String::as_str)
    }

    /// Flee's comment test (`row[0][0] == "#"`).
    pub fn is_comment(&self) -> bool {
        self.fields.first().is_some_and(|f| f.starts_with('#'))
    }
}

/// Reads a whole text file, stripping a UTF-8 BOM. A missing file becomes
/// [`InputErrorKind::MissingFile`] with `purpose` and `hint`.
pub(crate) fn read_text(path: &Path, purpose: &str, hint: &str) -> Result<String, InputError> {
    let bytes = match read_limited(path, purpose) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !absent(path) => {
            return Err(InputErrorKind::Io {
                path: path.to_path_buf(),
                source: e,
                hint: format!(
                    "the path is a broken symbolic link (to {}); fix or remove the link ({purpose})",
                    std::fs::read_link(path)
                        .map(|t| t.display().to_string())
                        .unwrap_or_else(|_| "?".into())
                ),
            }
            .into())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(InputErrorKind::MissingFile {
                path: path.to_path_buf(),
                purpose: purpose.to_string(),
                hint: hint.to_string(),
            }
            .into())
        }
        Err(e) => {
            return Err(InputErrorKind::Io {
                path: path.to_path_buf(),
                source: e,
                hint: format!("check that the path is a readable file ({purpose})"),
            }
            .into())
        }
    };
    decode(path, bytes)
}

/// Whether an optional input is absent: nothing at all at `path`. A broken
/// symbolic link is present (and reading it fails with a clear error), so a
/// mistyped link target is not silently treated as "no such file".
pub(crate) fn absent(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_err()
}

/// Reads a regular file of at most [`corridor_model::limits::max_input_bytes`]
/// bytes; a device, FIFO or directory (`/dev/zero`) or a larger file is an
/// error rather than an unbounded read.
fn read_limited(path: &Path, purpose: &str) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let limit = corridor_model::limits::max_input_bytes();
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not a regular file ({purpose} must be a text file)"),
        ));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "larger than the input limit of {} MiB; set {}=<MiB> to raise it",
                limit >> 20,
                corridor_model::limits::MAX_INPUT_MIB_ENV
            ),
        ));
    }
    Ok(bytes)
}

/// UTF-8 decoding with the line of the first invalid byte in the error.
pub(crate) fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, InputError> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..'\u{feff}'.len_utf8());
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..valid]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Err(InputErrorKind::Malformed {
                path: path.to_path_buf(),
                line: Some(line),
                message: format!("the file is not valid UTF-8 text (bad byte at offset {valid})"),
                hint: "save the file as UTF-8 (Flee opens every input with encoding utf-8)".into(),
            }
            .into())
        }
    }
}

/// Splits text into CSV records exactly as Python's `csv.reader` (excel
/// dialect, `strict=False`) does: comma-separated, `"` quoting with doubled
/// quotes, quoted fields may span lines, a quote inside an unquoted field is
/// literal, `\n`, `\r\n` and `\r` all end a record. Blank lines (Python's
/// empty record `[]`) yield no record. Each record carries the 1-based line it
/// starts on.
pub(crate) fn csv_rows(_path: &Path, text: &str) -> Result<Vec<Row>, InputError> {
    #[derive(PartialEq)]
    enum St {
        StartRecord,
        StartField,
        InField,
        InQuoted,
        QuoteInQuoted,
    }
    let mut rows = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut st = St::StartRecord;
    let mut line = 1usize;
    let mut record_line = 1usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let newline = c == '\n' || c == '\r';
        if newline && st != St::InQuoted {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            if st != St::StartRecord {
                fields.push(std::mem::take(&mut field));
                rows.push(Row {
                    line: record_line,
                    fields: std::mem::take(&mut fields),
                });
            }
            st = St::StartRecord;
            line += 1;
            continue;
        }
        if newline {
            // Inside quotes: part of the field.
            field.push(c);
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
                field.push('\n');
            }
            line += 1;
            continue;
        }
        if st == St::StartRecord {
            record_line = line;
            st = St::StartField;
        }
        st = match st {
            St::StartField => match c {
                '"' => St::InQuoted,
                ',' => {
                    fields.push(String::new());
                    St::StartField
                }
                _ => {
                    field.push(c);
                    St::InField
                }
            },
            St::InField => {
                if c == ',' {
                    fields.push(std::mem::take(&mut field));
                    St::StartField
                } else {
                    field.push(c);
                    St::InField
                }
            }
            St::InQuoted => {
                if c == '"' {
                    St::QuoteInQuoted
                } else {
                    field.push(c);
                    St::InQuoted
                }
            }
            St::QuoteInQuoted => match c {
                '"' => {
                    field.push('"');
                    St::InQuoted
                }
                ',' => {
                    fields.push(std::mem::take(&mut field));
                    St::StartField
                }
                _ => {
                    field.push(c);
                    St::InField
                }
            },
            St::StartRecord => St::StartField,
        };
    }
    if st != St::StartRecord {
        fields.push(field);
        rows.push(Row {
            line: record_line,
            fields,
        });
    }
    Ok(rows)
}

/// Python's `int(s)` for a `str`: surrounding whitespace, an optional sign,
/// decimal digits with single underscores between them. `"123.0"` is rejected.
pub(crate) fn py_int(s: &str) -> Option<i64> {
    let t = s.trim();
    let (neg, body) = match t.as_bytes().first() {
        Some(b'+') => (false, &t[1..]),
        Some(b'-') => (true, &t[1..]),
        _ => (false, t),
    };
    let digits = strip_underscores(body)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i64 = digits.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// Python's `float(s)` for a `str` (decimal, exponent, `inf`, `nan`, underscores between digits).
pub(crate) fn py_float(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let cleaned = if t.contains('_') {
        // Underscores are only allowed between two digits.
        let b = t.as_bytes();
        for (i, &c) in b.iter().enumerate() {
            if c == b'_' {
                let before = i > 0 && b[i - 1].is_ascii_digit();
                let after = i + 1 < b.len() && b[i + 1].is_ascii_digit();
                if !(before && after) {
                    return None;
                }
            }
        }
        t.replace('_', "")
    } else {
        t.to_string()
    };
    let lower = cleaned.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if lower.len() - unsigned.len() > 1 {
        return None;
    }
    let ok_chars = unsigned
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'+' | b'-'));
    if !ok_chars && !matches!(unsigned, "inf" | "infinity" | "nan") {
        return None;
    }
    cleaned.parse::<f64>().ok()
}

fn strip_underscores(body: &str) -> Option<String> {
    if !body.contains('_') {
        return Some(body.to_string());
    }
    let b = body.as_bytes();
    if b.first() == Some(&b'_') || b.last() == Some(&b'_') || body.contains("__") {
        return None;
    }
    Some(body.replace('_', ""))
}

/// `datetime.strptime(s, "%Y-%m-%d")`: four-digit year, one- or two-digit
/// month and day, a real calendar date, nothing else (no spaces). Returns days
/// since 1970-01-01.
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 4, 4) || !digits(m, 1, 2) || !digits(d, 1, 2) {
        return None;
    }
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if y < 1 || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(corridor_model::date::epoch_day(y, m, d))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate to `name`, if it is plausibly a typo of it.
pub(crate) fn suggest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_int_rules() {
        assert_eq!(py_int("123"), Some(123));
        assert_eq!(py_int(" 9258 "), Some(9258));
        assert_eq!(py_int("0\t"), Some(0));
        assert_eq!(py_int("-7"), Some(-7));
        assert_eq!(py_int("+007"), Some(7));
        assert_eq!(py_int("1_000"), Some(1000));
        assert_eq!(py_int("123.0"), None);
        assert_eq!(py_int("22,849"), None);
        assert_eq!(py_int(""), None);
        assert_eq!(py_int("_1"), None);
        assert_eq!(py_int("1__0"), None);
        assert_eq!(py_int("- 1"), None);
        assert_eq!(py_int("99999999999999999999"), None);
    }

    #[test]
    fn python_float_rules() {
        assert_eq!(py_float("48"), Some(48.0));
        assert_eq!(py_float(" 1.5 "), Some(1.5));
        assert_eq!(py_float("1e3"), Some(1000.0));
        assert_eq!(py_float("-.5"), Some(-0.5));
        assert_eq!(py_float("1_000.5"), Some(1000.5));
        assert!(py_float("inf").is_some_and(f64::is_infinite));
        assert!(py_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(py_float(""), None);
        assert_eq!(py_float("1,5"), None);
        assert_eq!(py_float("--1"), None);
        assert_eq!(py_float("1._5"), None);
        assert_eq!(py_float("abc"), None);
    }

    #[test]
    fn strptime_rules() {
        assert_eq!(
            parse_date("2012-02-29"),
            Some(corridor_model::date::epoch_day(2012, 2, 29))
        );
        assert_eq!(
            parse_date("2012-3-1"),
            Some(corridor_model::date::epoch_day(2012, 3, 1))
        );
        assert_eq!(parse_date("2013-02-29"), None);
        assert_eq!(parse_date(" 2012-02-29"), None);
        assert_eq!(parse_date("2012-02-29 "), None);
        assert_eq!(parse_date("2012/02/29"), None);
        assert_eq!(parse_date("12-02-29"), None);
        assert_eq!(parse_date("2012-13-01"), None);
        assert_eq!(parse_date("2012-001-01"), None);
        assert_eq!(parse_date("0000-01-01"), None);
    }

    #[test]
    fn csv_rules() {
        let rows = csv_rows(
            Path::new("x.csv"),
            "#h,a\r\n\"Bujumbura\",x\r\n\r\n#\"q\",1\nlast,\"a,\"\"b\"\"\nc\"\n,\n\"x\"y,\rend",
        )
        .unwrap();
        let f: Vec<Vec<String>> = rows.iter().map(|r| r.fields.clone()).collect();
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 4, 5, 7, 8, 9]);
        assert_eq!(f[0], vec!["#h", "a"]);
        assert_eq!(f[1], vec!["Bujumbura", "x"]);
        assert_eq!(f[2], vec!["#\"q\"", "1"]);
        assert!(rows[2].is_comment());
        assert_eq!(f[3], vec!["last", "a,\"b\"\nc"]);
        assert_eq!(f[4], vec!["", ""]);
        assert_eq!(f[5], vec!["xy", ""]);
        assert_eq!(f[6], vec!["end"]);
    }

    /// 3000 random inputs over the alphabet `a b , " \n \r # space`, with the
    /// records Python 3.11's `csv.reader(io.StringIO(text, newline=""))`
    /// returns (empty records dropped). Fields are joined by U+001F, records by
    /// U+001E, cases by U+001D; input, record count and records by U+001C.
    #[test]
    fn csv_matches_python_reader() {
        let s = include_str!("../tests/data/python_csv_cases.txt");
        for case in s.split('\x1d') {
            let mut parts = case.splitn(3, '\x1c');
            let (input, count, want) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or("0"),
                parts.next().unwrap_or(""),
            );
            let got: Vec<String> = csv_rows(Path::new("x"), input)
                .unwrap()
                .iter()
                .map(|r| r.fields.join("\x1f"))
                .collect();
            let want: Vec<String> = if count == "0" {
                vec![]
            } else {
                want.split('\x1e').map(String::from).collect()
            };
            assert_eq!(got, want, "input {input:?}");
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("max_move_sped", ["max_move_speed", "softening"]),
            Some("max_move_speed")
        );
        assert_eq!(suggest("zzz", ["max_move_speed"]), None);
    }
}
