//! The wire format of `corridor mpi-ensemble`: each rank's replicate results,
//! sent to rank 0 as bytes and decoded there into typed values.
//!
//! A rank's message is a sequence of records, one per replicate it ran:
//! `replicate: u64`, `ok: u8` (1 or 0), `length: u64`, then `length` bytes of
//! body: for `ok = 1` a [`ReplicateResult`], for `ok = 0` the error message
//! (UTF-8). Integers are little-endian; a string is its byte length (`u64`)
//! and its UTF-8 bytes; a list is its length (`u64`) and its items; an option
//! is a flag byte (0 or 1) and, for 1, the value.
//!
//! A result's body: `seed: u64`, the run's camps (list of strings), its days
//! (list of day records: `day, date_epoch_day: i64`, `camp_sim, camp_data:
//! list of i64`, `raw, debt, total_agents: i64`, `idp_total: option of i64`)
//! and its fates (option of a list of rows: `day: i64`, `date: string`, seven
//! `i64` in the order of [`corridor_runs::FATES`]).
//!
//! Decoding never reads past the end or guesses: a short, over-long or
//! malformed message is a [`WireError`] naming the byte offset.

use corridor_model::{DayRecord, RunOutput};
use corridor_runs::FateRow;

/// One replicate's results as rank 0 needs them for the ensemble files.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateResult {
    pub seed: u64,
    /// The run's daily table.
    pub output: RunOutput,
    /// Siege scenarios: people per fate per day.
    pub fates: Option<Vec<FateRow>>,
}

/// One record of a rank's message: a replicate's results, or why it failed.
pub type Record = (usize, Result<ReplicateResult, String>);

/// A message that does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The message ends inside a value.
    #[error("message ends at byte {at}: {what} needs {needed} more byte(s)")]
    Truncated {
        at: usize,
        what: &'static str,
        needed: usize,
    },
    /// A flag byte that is neither 0 nor 1.
    #[error("byte {at}: {what} flag is {value}, not 0 or 1")]
    BadFlag {
        at: usize,
        what: &'static str,
        value: u8,
    },
    /// A string that is not UTF-8.
    #[error("byte {at}: {what} is not UTF-8")]
    BadText { at: usize, what: &'static str },
    /// A body longer than what its fields use.
    #[error("byte {at}: {extra} byte(s) left over after a replicate's results")]
    TrailingBytes { at: usize, extra: usize },
    /// A number that does not fit this machine's sizes.
    #[error("byte {at}: {what} {value} is too large")]
    TooLarge {
        at: usize,
        what: &'static str,
        value: u64,
    },
}

struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, x: u64) {
        self.0.extend(x.to_le_bytes());
    }
    fn i64(&mut self, x: i64) {
        self.0.extend(x.to_le_bytes());
    }
    fn flag(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend(s.as_bytes());
    }
    fn i64s(&mut self, v: &[i64]) {
        self.u64(v.len() as u64);
        for &x in v {
            self.i64(x);
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], WireError> {
        let left = self.bytes.len() - self.at;
        if n > left {
            return Err(WireError::Truncated {
                at: self.bytes.len(),
                what,
                needed: n - left,
            });
        }
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }
    fn u64(&mut self, what: &'static str) -> Result<u64, WireError> {
        let b = self.take(8, what)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
    fn i64(&mut self, what: &'static str) -> Result<i64, WireError> {
        let b = self.take(8, what)?;
        Ok(i64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
    /// A length or count, checked against the bytes left (each item takes at
    /// least `item` bytes), so a corrupt count cannot allocate without bound.
    fn len(&mut self, what: &'static str, item: usize) -> Result<usize, WireError> {
        let at = self.at;
        let n = self.u64(what)?;
        let left = (self.bytes.len() - self.at) as u64;
        if n.saturating_mul(item.max(1) as u64) > left {
            return Err(WireError::Truncated {
                at: self.bytes.len(),
                what,
                needed: usize::try_from(n.saturating_mul(item.max(1) as u64) - left)
                    .map_err(|_| WireError::TooLarge { at, what, value: n })?,
            });
        }
        usize::try_from(n).map_err(|_| WireError::TooLarge { at, what, value: n })
    }
    fn flag(&mut self, what: &'static str) -> Result<bool, WireError> {
        let at = self.at;
        match self.take(1, what)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            value => Err(WireError::BadFlag { at, what, value }),
        }
    }
    fn str(&mut self, what: &'static str) -> Result<String, WireError> {
        let n = self.len(what, 1)?;
        let at = self.at;
        let b = self.take(n, what)?;
        String::from_utf8(b.to_vec()).map_err(|_| WireError::BadText { at, what })
    }
    fn i64s(&mut self, what: &'static str) -> Result<Vec<i64>, WireError> {
        let n = self.len(what, 8)?;
        (0..n).map(|_| self.i64(what)).collect()
    }
}

fn write_result(w: &mut Writer, r: &ReplicateResult) {
    w.u64(r.seed);
    w.u64(r.output.camps.len() as u64);
    for c in &r.output.camps {
        w.str(c);
    }
    w.u64(r.output.days.len() as u64);
    for d in &r.output.days {
        w.i64(d.day);
        w.i64(d.date_epoch_day);
        w.i64s(&d.camp_sim);
        w.i64s(&d.camp_data);
        w.i64(d.raw);
        w.i64(d.debt);
        w.i64(d.total_agents);
        w.flag(d.idp_total.is_some());
        if let Some(x) = d.idp_total {
            w.i64(x);
        }
    }
    w.flag(r.fates.is_some());
    if let Some(rows) = &r.fates {
        w.u64(rows.len() as u64);
        for row in rows {
            w.i64(row.day);
            w.str(&row.date);
            for &x in &row.people {
                w.i64(x);
            }
        }
    }
}

fn read_result(r: &mut Reader) -> Result<ReplicateResult, WireError> {
    let seed = r.u64("seed")?;
    let n_camps = r.len("camp count", 8)?;
    let camps = (0..n_camps)
        .map(|_| r.str("camp name"))
        .collect::<Result<_, _>>()?;
    // A day record takes at least 7 × 8 bytes and a flag.
    let n_days = r.len("day count", 57)?;
    let mut days = Vec::with_capacity(n_days);
    for _ in 0..n_days {
        days.push(DayRecord {
            day: r.i64("day")?,
            date_epoch_day: r.i64("date")?,
            camp_sim: r.i64s("camp_sim")?,
            camp_data: r.i64s("camp_data")?,
            raw: r.i64("raw count")?,
            debt: r.i64("debt")?,
            total_agents: r.i64("total agents")?,
            idp_total: if r.flag("idp_total")? {
                Some(r.i64("idp_total")?)
            } else {
                None
            },
        });
    }
    let fates = if r.flag("fates")? {
        let n = r.len("fate row count", 72)?;
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let day = r.i64("fate day")?;
            let date = r.str("fate date")?;
            let mut people = [0i64; 7];
            for p in &mut people {
                *p = r.i64("fate count")?;
            }
            rows.push(FateRow { day, date, people });
        }
        Some(rows)
    } else {
        None
    };
    Ok(ReplicateResult {
        seed,
        output: RunOutput { camps, days },
        fates,
    })
}

/// A rank's message: one record per replicate it ran, in the order given.
pub fn encode(records: &[Record]) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    for (i, r) in records {
        let mut body = Writer(Vec::new());
        let ok = match r {
            Ok(res) => {
                write_result(&mut body, res);
                true
            }
            Err(message) => {
                body.0.extend(message.as_bytes());
                false
            }
        };
        w.u64(*i as u64);
        w.flag(ok);
        w.u64(body.0.len() as u64);
        w.0.extend(body.0);
    }
    w.0
}

/// Decodes a rank's message into its records.
pub fn decode(message: &[u8]) -> Result<Vec<Record>, WireError> {
    let mut r = Reader {
        bytes: message,
        at: 0,
    };
    let mut out = Vec::new();
    while r.at < message.len() {
        let at = r.at;
        let i = r.u64("replicate index")?;
        let i = usize::try_from(i).map_err(|_| WireError::TooLarge {
            at,
            what: "replicate index",
            value: i,
        })?;
        let ok = r.flag("ok")?;
        let n = r.len("record length", 1)?;
        let start = r.at;
        let body = r.take(n, "record")?;
        if ok {
            let mut b = Reader { bytes: body, at: 0 };
            let res = read_result(&mut b).map_err(|e| shift(e, start))?;
            if b.at != body.len() {
                return Err(WireError::TrailingBytes {
                    at: start + b.at,
                    extra: body.len() - b.at,
                });
            }
            out.push((i, Ok(res)));
        } else {
            out.push((i, Err(String::from_utf8_lossy(body).into_owned())));
        }
    }
    Ok(out)
}

/// An error inside a record, with its offset in the whole message.
fn shift(e: WireError, by: usize) -> WireError {
    match e {
        WireError::Truncated { at, what, needed } => WireError::Truncated {
            at: at + by,
            what,
            needed,
        },
        WireError::BadFlag { at, what, value } => WireError::BadFlag {
            at: at + by,
            what,
            value,
        },
        WireError::BadText { at, what } => WireError::BadText { at: at + by, what },
        WireError::TrailingBytes { at, extra } => WireError::TrailingBytes { at: at + by, extra },
        WireError::TooLarge { at, what, value } => WireError::TooLarge {
            at: at + by,
            what,
            value,
        },
    }
}

/// Runs the replicates of an `n`-replicate ensemble that rank `rank` of
/// `size` owns ([`crate::replicates_of`]), in parallel on the current thread
/// pool, and encodes their results (failures as error records) as that rank's message.
pub fn run_rank(
    scenario: &corridor_model::Scenario,
    n: usize,
    master: u64,
    days: Option<u32>,
    rank: usize,
    size: usize,
) -> Vec<u8> {
    use rayon::prelude::*;
    let mine: Vec<usize> = crate::replicates_of(n, rank, size).collect();
    let records: Vec<Record> = mine
        .par_iter()
        .map(|&i| {
            let prepared = corridor_runs::Prepared::shared(scenario);
            let r = corridor_runs::run_replicate::<()>(i, master, prepared, days, None)
                .map(|r| ReplicateResult {
                    seed: r.seed,
                    fates: r.siege.as_ref().map(corridor_runs::fate_rows),
                    output: r.output,
                })
                .map_err(|e| e.to_string());
            (i, r)
        })
        .collect();
    encode(&records)
}

/// Why rank 0 could not assemble an ensemble from the ranks' messages.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GatherError {
    #[error("the message of rank {rank} does not decode: {error}")]
    Wire { rank: usize, error: WireError },
    /// A replicate failed on its rank (the message names it).
    #[error("{0}")]
    Replicate(String),
    #[error("replicate {0} is missing from the ranks' messages")]
    Missing(usize),
    #[error("replicate {replicate} was sent twice or is out of range (ensemble of {n})")]
    Unexpected { replicate: usize, n: usize },
}

/// Decodes the messages of all ranks (rank order) into the `n` replicates'
/// results, in replicate order.
pub fn gather(messages: &[Vec<u8>], n: usize) -> Result<Vec<ReplicateResult>, GatherError> {
    let mut slots: Vec<Option<ReplicateResult>> = vec![None; n];
    for (rank, m) in messages.iter().enumerate() {
        for (i, r) in decode(m).map_err(|error| GatherError::Wire { rank, error })? {
            let res = r.map_err(GatherError::Replicate)?;
            match slots.get_mut(i) {
                Some(slot @ None) => *slot = Some(res),
                _ => return Err(GatherError::Unexpected { replicate: i, n }),
            }
        }
    }
    slots
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.ok_or(GatherError::Missing(i)))
        .collect()
}

#[cfg(test)]
mod tests;
