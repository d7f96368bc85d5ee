//! Reading Flee-format `out.csv` files (docs/flee-model.md section 5).

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::error::{AnalysisError, Result};

/// Column `Day`.
pub const DAY: &str = "Day";
/// Column `Date`.
pub const DATE: &str = "Date";
/// Column `Total error`.
pub const TOTAL_ERROR: &str = "Total error";
/// Column `refugees in camps (UNHCR)`, `U(t)` in docs/flee-model.md 6.1.
pub const REFUGEES_IN_CAMPS_UNHCR: &str = "refugees in camps (UNHCR)";
/// Column `total refugees (simulation)`.
pub const TOTAL_REFUGEES_SIM: &str = "total refugees (simulation)";
/// Column `raw UNHCR refugee count`.
pub const RAW_UNHCR_COUNT: &str = "raw UNHCR refugee count";
/// Column `refugees in camps (simulation)`, `S(t)` in docs/flee-model.md 6.1.
pub const REFUGEES_IN_CAMPS_SIM: &str = "refugees in camps (simulation)";
/// Column `refugee_debt`.
pub const REFUGEE_DEBT: &str = "refugee_debt";
/// Optional column `total IDPs`.
pub const TOTAL_IDPS: &str = "total IDPs";

/// Suffix of the per-camp simulation columns; a column name ending in it defines a camp.
pub const SIM_SUFFIX: &str = " sim";
/// Suffix of the per-camp observation columns.
pub const DATA_SUFFIX: &str = " data";
/// Suffix of the per-camp relative error columns.
pub const ERROR_SUFFIX: &str = " error";

/// The three columns of one camp, one value per day (row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampSeries {
    /// Camp name: the `<camp> sim` column name without the `" sim"` suffix.
    pub name: String,
    /// `<camp> sim`: agents at the camp.
    pub sim: Vec<f64>,
    /// `<camp> data`: interpolated observation.
    pub data: Vec<f64>,
    /// `<camp> error`: `round(|sim/data - 1|, 4)`, or 0 where `data < 1e-5`.
    pub error: Vec<f64>,
}

/// The columns after the camps, one value per day (row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// `Total error`.
    pub total_error: Vec<f64>,
    /// `refugees in camps (UNHCR)`, `U(t)`.
    pub refugees_in_camps_unhcr: Vec<f64>,
    /// `total refugees (simulation)`.
    pub total_refugees_sim: Vec<f64>,
    /// `raw UNHCR refugee count`.
    pub raw_unhcr_count: Vec<f64>,
    /// `refugees in camps (simulation)`, `S(t)`.
    pub refugees_in_camps_sim: Vec<f64>,
    /// `refugee_debt`.
    pub refugee_debt: Vec<f64>,
    /// `total IDPs`, present only when the run logged it.
    pub total_idps: Option<Vec<f64>>,
}

/// A parsed Flee-format `out.csv`: one row per simulated day.
///
/// Invariants (checked by [`FleeOutput::new`] and the readers): at least one day, at least one
/// camp, and every series has one value per day. The fields are therefore read-only; build a
/// modified copy with [`FleeOutput::into_parts`] and [`FleeOutput::new`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleeOutput {
    source: String,
    days: Vec<i64>,
    dates: Vec<String>,
    camps: Vec<CampSeries>,
    totals: Totals,
}

impl FleeOutput {
    /// Builds an output from its columns, checking that every series has `days.len()` values,
    /// that there is at least one day and at least one camp. `source` names the output in error
    /// messages (a file name, or something like `"<memory>"`).
    pub fn new(
        source: impl Into<String>,
        days: Vec<i64>,
        dates: Vec<String>,
        camps: Vec<CampSeries>,
        totals: Totals,
    ) -> Result<FleeOutput> {
        let file = source.into();
        let n = days.len();
        if n == 0 {
            return Err(AnalysisError::NoRows { file });
        }
        if camps.is_empty() {
            return Err(AnalysisError::NoCamps { file, line: 1 });
        }
        let mut series: Vec<(String, usize)> = vec![(DATE.to_string(), dates.len())];
        for c in &camps {
            series.push((format!("{}{SIM_SUFFIX}", c.name), c.sim.len()));
            series.push((format!("{}{DATA_SUFFIX}", c.name), c.data.len()));
            series.push((format!("{}{ERROR_SUFFIX}", c.name), c.error.len()));
        }
        let t = &totals;
        for (name, v) in [
            (TOTAL_ERROR, &t.total_error),
            (REFUGEES_IN_CAMPS_UNHCR, &t.refugees_in_camps_unhcr),
            (TOTAL_REFUGEES_SIM, &t.total_refugees_sim),
            (RAW_UNHCR_COUNT, &t.raw_unhcr_count),
            (REFUGEES_IN_CAMPS_SIM, &t.refugees_in_camps_sim),
            (REFUGEE_DEBT, &t.refugee_debt),
        ] {
            series.push((name.to_string(), v.len()));
        }
        if let Some(v) = &t.total_idps {
            series.push((TOTAL_IDPS.to_string(), v.len()));
        }
        if let Some((what, found)) = series.into_iter().find(|(_, len)| *len != n) {
            return Err(AnalysisError::LengthMismatch {
                file,
                what,
                expected: n,
                found,
            });
        }
        Ok(FleeOutput {
            source: file,
            days,
            dates,
            camps,
            totals,
        })
    }

    /// Reads and parses the `out.csv` at `path`. Errors name the path.
    pub fn read(path: impl AsRef<Path>) -> Result<FleeOutput> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let file = File::open(path).map_err(|source| AnalysisError::Open {
            file: name.clone(),
            source,
        })?;
        Self::from_reader_named(file, name)
    }

    /// Parses Flee-format CSV from a reader; errors call the input `<reader>`.
    pub fn from_reader<R: Read>(reader: R) -> Result<FleeOutput> {
        Self::from_reader_named(reader, "<reader>")
    }

    /// Parses Flee-format CSV from a reader; errors call the input `name`.
    ///
    /// Rules: the first non-empty line is the header. Camps are the columns whose name ends in
    /// `" sim"`, in header order; each needs its `" data"` and `" error"` columns. `Day`, `Date`,
    /// `Total error`, `refugees in camps (UNHCR)`, `total refugees (simulation)`,
    /// `raw UNHCR refugee count`, `refugees in camps (simulation)` and `refugee_debt` are
    /// required, `total IDPs` is optional, other columns are ignored. Numbers may be written as
    /// ints or floats (anything Rust's `f64` parser accepts after trimming blanks, including
    /// `nan` and `inf`); `Day` must be an integer. Names are UTF-8, or Latin-1 if they are not
    /// valid UTF-8 (Flee's tools read the file as Latin-1). Every row must have as many fields as
    /// the header.
    pub fn from_reader_named<R: Read>(reader: R, name: impl Into<String>) -> Result<FleeOutput> {
        let file = name.into();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut records = rdr.byte_records();
        let csv_err = |file: &str, source: csv::Error| AnalysisError::Csv {
            file: file.to_string(),
            line: source.position().map(|p| p.line()),
            source,
        };

        let header = match records.next() {
            None => return Err(AnalysisError::NoHeader { file }),
            Some(r) => r.map_err(|e| csv_err(&file, e))?,
        };
        let header_line = header.position().map_or(1, |p| p.line());
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let f = if i == 0 {
                    f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)
                } else {
                    f
                };
                decode(f).trim().to_string()
            })
            .collect();
        let layout = Layout::from_header(&names, &file, header_line)?;

        let mut cols: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
        let mut days = Vec::new();
        let mut dates = Vec::new();
        for rec in records {
            let rec = rec.map_err(|e| csv_err(&file, e))?;
            let line = rec.position().map_or(0, |p| p.line());
            if rec.len() != names.len() {
                return Err(AnalysisError::RowLength {
                    file,
                    line,
                    expected: names.len(),
                    found: rec.len(),
                });
            }
            for (i, field) in rec.iter().enumerate() {
                if i == layout.date {
                    dates.push(decode(field).trim().to_string());
                    continue;
                }
                if !layout.wanted[i] {
                    continue;
                }
                let text = decode(field);
                let text = text.trim();
                let bad = || AnalysisError::BadNumber {
                    file: file.clone(),
                    line,
                    column: i + 1,
                    name: names[i].clone(),
                    value: text.to_string(),
                };
                if i == layout.day {
                    let day = match text.parse::<i64>() {
                        Ok(d) => d,
                        Err(_) => match text.parse::<f64>() {
                            Ok(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => x as i64,
                            _ => return Err(bad()),
                        },
                    };
                    days.push(day);
                } else {
                    cols[i].push(text.parse::<f64>().map_err(|_| bad())?);
                }
            }
        }
        if days.is_empty() {
            return Err(AnalysisError::NoRows { file });
        }

        let mut take = |i: usize| std::mem::take(&mut cols[i]);
        let camps = layout
            .camps
            .iter()
            .map(|(name, s, d, e)| CampSeries {
                name: name.clone(),
                sim: take(*s),
                data: take(*d),
                error: take(*e),
            })
            .collect();
        let totals = Totals {
            total_error: take(layout.total_error),
            refugees_in_camps_unhcr: take(layout.unhcr),
            total_refugees_sim: take(layout.total_refugees),
            raw_unhcr_count: take(layout.raw),
            refugees_in_camps_sim: take(layout.in_camps_sim),
            refugee_debt: take(layout.debt),
            total_idps: layout.idps.map(take),
        };
        FleeOutput::new(file, days, dates, camps, totals)
    }

    /// Where the output came from (path or reader name), used in error messages.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Number of days (rows). Always at least 1.
    pub fn num_days(&self) -> usize {
        self.days.len()
    }

    /// The `Day` column.
    pub fn days(&self) -> &[i64] {
        &self.days
    }

    /// The `Date` column, as written.
    pub fn dates(&self) -> &[String] {
        &self.dates
    }

    /// The camps, in column order. Never empty.
    pub fn camps(&self) -> &[CampSeries] {
        &self.camps
    }

    /// Camp names, in column order.
    pub fn camp_names(&self) -> Vec<&str> {
        self.camps.iter().map(|c| c.name.as_str()).collect()
    }

    /// The camp called `name`, if any.
    pub fn camp(&self, name: &str) -> Option<&CampSeries> {
        self.camps.iter().find(|c| c.name == name)
    }

    /// The totals columns.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// Takes the output apart: `(source, days, dates, camps, totals)`.
    pub fn into_parts(self) -> (String, Vec<i64>, Vec<String>, Vec<CampSeries>, Totals) {
        (self.source, self.days, self.dates, self.camps, self.totals)
    }
}

/// Decodes a field as UTF-8, or Latin-1 when it is not valid UTF-8.
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => std::borrow::Cow::Owned(bytes.iter().map(|&b| b as char).collect()),
    }
}

/// Column indices found in a header.
struct Layout {
    day: usize,
    date: usize,
    /// `(name, sim, data, error)` column indices per camp.
    camps: Vec<(String, usize, usize, usize)>,
    total_error: usize,
    unhcr: usize,
    total_refugees: usize,
    raw: usize,
    in_camps_sim: usize,
    debt: usize,
    idps: Option<usize>,
    /// Numeric columns to parse.
    wanted: Vec<bool>,
}

impl Layout {
    fn from_header(names: &[String], file: &str, line: u64) -> Result<Layout> {
        // Flee repeats a camp's three adjacent columns when locations.csv
        // repeats its name (both read the same location): such a repeated
        // triple is a second series of that camp; any other repeat is an error.
        let triple_at = |i: usize| -> Option<&str> {
            let camp = names[i].strip_suffix(SIM_SUFFIX)?;
            (names.get(i + 1)? == &format!("{camp}{DATA_SUFFIX}")
                && names.get(i + 2)? == &format!("{camp}{ERROR_SUFFIX}"))
                .then_some(camp)
        };
        let mut repeated = vec![false; names.len()];
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            if repeated[i] {
                continue;
            }
            if let Some(camp) = triple_at(i).filter(|_| index.contains_key(n.as_str())) {
                let first = index[n.as_str()];
                if triple_at(first) == Some(camp) {
                    repeated[i..i + 3].fill(true);
                    continue;
                }
            }
            if let Some(first) = index.insert(n.as_str(), i) {
                return Err(AnalysisError::DuplicateColumn {
                    file: file.to_string(),
                    line,
                    column: n.clone(),
                    first: first + 1,
                    second: i + 1,
                });
            }
        }
        let need = |col: &str| {
            index
                .get(col)
                .copied()
                .ok_or_else(|| AnalysisError::MissingColumn {
                    file: file.to_string(),
                    line,
                    column: col.to_string(),
                })
        };
        let day = need(DAY)?;
        let date = need(DATE)?;
        let mut camps = Vec::new();
        for (i, n) in names.iter().enumerate() {
            if repeated[i] {
                if let Some(camp) = triple_at(i) {
                    camps.push((camp.to_string(), i, i + 1, i + 2));
                }
                continue;
            }
            if let Some(camp) = n.strip_suffix(SIM_SUFFIX) {
                let d = need(&format!("{camp}{DATA_SUFFIX}"))?;
                let e = need(&format!("{camp}{ERROR_SUFFIX}"))?;
                camps.push((camp.to_string(), i, d, e));
            }
        }
        if camps.is_empty() {
            return Err(AnalysisError::NoCamps {
                file: file.to_string(),
                line,
            });
        }
        let layout = Layout {
            day,
            date,
            total_error: need(TOTAL_ERROR)?,
            unhcr: need(REFUGEES_IN_CAMPS_UNHCR)?,
            total_refugees: need(TOTAL_REFUGEES_SIM)?,
            raw: need(RAW_UNHCR_COUNT)?,
            in_camps_sim: need(REFUGEES_IN_CAMPS_SIM)?,
            debt: need(REFUGEE_DEBT)?,
            idps: index.get(TOTAL_IDPS).copied(),
            camps,
            wanted: vec![false; names.len()],
        };
        let mut wanted = vec![false; names.len()];
        for &(_, s, d, e) in &layout.camps {
            wanted[s] = true;
            wanted[d] = true;
            wanted[e] = true;
        }
        for i in [
            layout.day,
            layout.total_error,
            layout.unhcr,
            layout.total_refugees,
            layout.raw,
            layout.in_camps_sim,
            layout.debt,
        ]
        .into_iter()
        .chain(layout.idps)
        {
            wanted[i] = true;
        }
        Ok(Layout { wanted, ..layout })
    }
}

#[cfg(test)]
mod tests;
