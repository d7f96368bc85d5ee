//! Writers: Flee's `out.csv` table, Python-style float formatting, and
//! atomic file replacement.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use corridor_model::{date, RunOutput};

/// Formats a float exactly as Python's `str(float)` / `repr(float)` does:
/// the shortest decimal that round-trips, `0.0` for zero, a trailing `.0`
/// on whole numbers, and scientific notation (`1e-05`, `1.5e+16`) when the
/// decimal exponent is below -4 or above 15. `inf`, `-inf` and `nan` as Python.
pub fn python_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits, e.g. "-1.2345e-5".
    let (digits, exp) = shortest_digits(x.abs());
    let n = digits.len() as i32;
    // Position of the decimal point relative to the digit string.
    let decpt = exp + 1;
    let mut out = String::with_capacity(24);
    if x.is_sign_negative() {
        out.push('-');
    }
    if decpt <= -4 || decpt > 16 {
        out.push_str(&digits[..1]);
        if n > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = decpt - 1;
        out.push('e');
        out.push(if e < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", e.abs()));
    } else if decpt <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-decpt) as usize));
        out.push_str(&digits);
    } else if decpt >= n {
        out.push_str(&digits);
        out.push_str(&"0".repeat((decpt - n) as usize));
        out.push_str(".0");
    } else {
        out.push_str(&digits[..decpt as usize]);
        out.push('.');
        out.push_str(&digits[decpt as usize..]);
    }
    out
}

/// Splits `{:e}` output ("1.2345e-5") into its digit string and exponent.
fn sci_parts(sci: &str) -> (String, i32) {
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let digits = mantissa.chars().filter(|c| *c != '.').collect();
    (digits, exp.parse().unwrap_or(0))
}

/// The shortest round-trip digits of a finite positive `x` and the decimal
/// exponent of the first digit, as Python's `repr` chooses them. Rust's `{:e}`
/// yields the same shortest digits except when two candidates are exactly
/// equally close to `x`; Python (David Gay's dtoa) then takes the one with an
/// even last digit, Rust may not (e.g. 942816266129506.25 → Python `...506.2`).
fn shortest_digits(x: f64) -> (String, i32) {
    let (digits, exp) = sci_parts(&format!("{x:e}"));
    let n = digits.len();
    // A tie needs x = (P + 0.5) · 10^k exactly for the n-digit prefix P, so the
    // correctly rounded (n+1)-digit form must end in 5.
    let (next, next_exp) = sci_parts(&format!("{x:.n$e}"));
    if next_exp != exp || !next.ends_with('5') {
        return (digits, exp);
    }
    // Exact expansion (every f64 has fewer than 800 significant digits).
    let (exact, exact_exp) = sci_parts(&format!("{x:.1100e}"));
    if exact_exp != exp || !exact[n..].starts_with('5') || exact[n + 1..].bytes().any(|b| b != b'0')
    {
        return (digits, exp);
    }
    let mut chosen = exact.as_bytes()[..n].to_vec();
    let mut exp = exp;
    if chosen[n - 1] % 2 == 1 {
        // The prefix ends in an odd digit: the even candidate is prefix + 1.
        let mut i = n;
        loop {
            if i == 0 {
                chosen.insert(0, b'1');
                exp += 1;
                break;
            }
            i -= 1;
            if chosen[i] == b'9' {
                chosen[i] = b'0';
            } else {
                chosen[i] += 1;
                break;
            }
        }
    }
    while chosen.len() > 1 && chosen.last() == Some(&b'0') {
        chosen.pop();
    }
    (String::from_utf8(chosen).unwrap_or(digits), exp)
}

/// numpy's `round(x, 4)` on a float64: `rint(x * 10⁴) / 10⁴` (half to even
/// after the multiplication, which differs from Python's `round` on some inputs).
fn numpy_round4(x: f64) -> f64 {
    (x * 10000.0).round_ties_even() / 10000.0
}

/// The per-camp `error` column: `round(abs(sim/data − 1), 4)`, or `0.0` when
/// the data is below 1e-5.
fn camp_error(sim: i64, data: i64) -> f64 {
    if (data as f64) < 0.00001 {
        return 0.0;
    }
    numpy_round4((sim as f64 / data as f64 - 1.0).abs())
}

/// Flee's `out.csv` (docs/flee-model.md section 5), byte for byte as `runscripts/run.py`
/// prints it: header, then one line per [`corridor_model::DayRecord`], each
/// ending in `\n`. The optional `total IDPs` column is written when the first
/// day record has `idp_total`.
pub fn flee_out_csv(output: &RunOutput) -> String {
    let idp = output.days.first().is_some_and(|d| d.idp_total.is_some());
    let mut s = String::with_capacity(64 + output.days.len() * (40 + 24 * output.camps.len()));
    s.push_str("Day,Date,");
    for c in &output.camps {
        s.push_str(&format!("{c} sim,{c} data,{c} error,"));
    }
    s.push_str(
        "Total error,refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,\
         refugees in camps (simulation),refugee_debt",
    );
    if idp {
        s.push_str(",total IDPs");
    }
    s.push('\n');
    for d in &output.days {
        s.push_str(&format!("{},{}", d.day, date::iso(d.date_epoch_day)));
        // i128: no overflow whatever the counts.
        let (mut abs_sum, mut sim_in_camps, mut data_in_camps) = (0i128, 0i128, 0i128);
        for (i, _) in output.camps.iter().enumerate() {
            let sim = d.camp_sim.get(i).copied().unwrap_or(0);
            let data = d.camp_data.get(i).copied().unwrap_or(0);
            abs_sum += (sim as i128 - data as i128).abs();
            sim_in_camps += sim as i128;
            data_in_camps += data as i128;
            s.push_str(&format!(
                ",{sim},{data},{}",
                python_float(camp_error(sim, data))
            ));
        }
        if d.raw > 0 {
            // Σ round(|sim−data|, 4) of whole numbers is exact; then one division.
            let total_error = abs_sum as f64 / d.raw as f64;
            s.push_str(&format!(
                ",{},{data_in_camps},{},{},{sim_in_camps},{}",
                python_float(total_error),
                d.total_agents,
                d.raw,
                d.debt
            ));
        } else {
            s.push_str(&format!(",0.0,0,{},0,{sim_in_camps},0", d.total_agents));
        }
        if idp {
            s.push_str(&format!(",{}", d.idp_total.unwrap_or(0)));
        }
        s.push('\n');
    }
    s
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Replaces `path` with `bytes` atomically: the data goes to a temporary file
/// in the same directory, is flushed to disk, and is then renamed over
/// `path`. On any error the temporary file is removed and an existing file at
/// `path` is left untouched; `path` never holds a partial file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// Like [`write_atomic`], but `write` produces the content (useful for
/// streaming large outputs). If `write` fails, nothing at `path` changes.
pub fn write_atomic_with<F>(path: &Path, write: F) -> io::Result<()>
where
    F: FnOnce(&mut File) -> io::Result<()>,
{
    let file_name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a file path", path.display()),
        )
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (tmp, mut file) = create_temp(&dir, &file_name.to_string_lossy())?;
    let result = (|| {
        if let Ok(meta) = fs::metadata(path) {
            // Keep the permissions of the file being replaced (best effort).
            let _ = file.set_permissions(meta.permissions());
        }
        write(&mut file)?;
        file.flush()?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // Make the rename itself durable (best effort; not possible everywhere).
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    loop {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{pid}.{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < u64::MAX => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_repr_examples() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (0.0417, "0.0417"),
            (0.1, "0.1"),
            (0.3313148788927336, "0.3313148788927336"),
            (0.0003237293622531564, "0.0003237293622531564"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (0.000012345, "1.2345e-05"),
            (1e-100, "1e-100"),
            (5e-324, "5e-324"),
            (123456.0, "123456.0"),
            (1e15, "1000000000000000.0"),
            (1234567890123456.0, "1234567890123456.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-2.5, "-2.5"),
            (100.25, "100.25"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (0.1 + 0.2, "0.30000000000000004"),
        ];
        for &(x, want) in cases {
            assert_eq!(python_float(x), want, "{x:e}");
        }
    }

    #[test]
    fn numpy_rounding() {
        assert_eq!(camp_error(92, 96), 0.0417);
        assert_eq!(camp_error(5, 0), 0.0);
        assert_eq!(camp_error(0, 10), 1.0);
        // Values checked against numpy 2.4 (Python's round gives 0.0001, 0.0003, 0.1235).
        assert_eq!(numpy_round4(0.00005), 0.0);
        assert_eq!(numpy_round4(0.00015), 0.0001);
        assert_eq!(numpy_round4(0.00025), 0.0002);
        assert_eq!(numpy_round4(0.12345), 0.1234);
    }
}
