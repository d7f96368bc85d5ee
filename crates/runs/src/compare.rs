//! `compare.csv`: two scenarios run with the same seeds (and the same
//! parameter draws), measure by measure, at each key date of the scenario.

use crate::EnsembleMember;
use corridor_analysis::{ard, ArdMode, Summary};
use corridor_engine::siege::{FateDay, SiegeReport};
use corridor_model::siege::KeyDate;
use std::fmt::Write as _;

/// Headline numbers of one replicate on its last day, named: people per fate
/// for siege scenarios, people per camp and the ARD otherwise. Camp rows of a
/// siege scenario are indented (`"  in AAF"`) under `in camps`.
pub fn headline(member: &EnsembleMember, siege: Option<&SiegeReport>) -> Vec<(String, f64)> {
    let mut v = Vec::new();
    if let Some(d) = siege.and_then(|s| s.days.last().map(|d| (s, d))) {
        let (s, d) = d;
        v.extend(key_measures(s, d));
        for (i, c) in s.camps.iter().enumerate() {
            v.push((format!("  in {c}"), d.in_camp[i] as f64));
        }
        v.push(("trapped".into(), d.trapped as f64));
        v.push(("detained".into(), d.detained() as f64));
        v.push(("dead: shot".into(), d.dead_shot as f64));
        v.push(("dead: drowned".into(), d.dead_drowned as f64));
        v.push(("dead: in custody".into(), d.dead_in_custody as f64));
        v.push(("turned back (attempts)".into(), d.turned_back as f64));
        v.push(("relocated between camps".into(), d.relocated as f64));
        v.push((
            "stayed (never left; no longer held)".into(),
            d.stayed as f64,
        ));
        v.push((
            "in camps, in the open (beyond shelter)".into(),
            d.in_open as f64,
        ));
        v.push(("waiting to cross a river".into(), d.waiting_to_cross as f64));
        v.push(("with host families".into(), d.with_hosts as f64));
        v.push(("taken across a river".into(), d.crossed as f64));
    } else {
        let out = &member.out;
        let last = out.num_days() - 1;
        for c in out.camps() {
            v.push((format!("in {}", c.name), c.sim[last]));
        }
        v.push(("ARD normal".into(), ard(out, ArdMode::Normal)));
        v.push(("ARD rescaled".into(), ard(out, ArdMode::Rescaled)));
    }
    v
}

/// The measures reported at every key date, in people; with returns home,
/// also the people returned and ever displaced; and the departures of each
/// group of `siege.departures`.
fn key_measures(s: &SiegeReport, d: &FateDay) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = vec![
        ("displaced (people)".into(), d.displaced() as f64),
        ("in camps".into(), d.arrived() as f64),
        ("dead".into(), d.dead() as f64),
        ("trapped".into(), d.trapped as f64),
    ];
    if s.returns {
        v.push(("returned home".into(), d.returned as f64));
        v.push((
            "ever displaced (displaced + returned)".into(),
            d.displaced_cumulative() as f64,
        ));
    }
    // Groups of siege.departures: cumulative people who left their places.
    for (g, people) in &d.left {
        v.push((format!("left {g} (cumulative)"), *people as f64));
    }
    v
}

/// The measures of one replicate at one reporting date.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub day: i64,
    /// ISO date (empty where the run has no calendar).
    pub date: String,
    /// The key date's label ("last day" for the end of the run).
    pub label: String,
    pub values: Vec<(String, f64)>,
}

/// The snapshots of one replicate: for siege scenarios displaced, in camps,
/// dead and trapped at each key date within the run, and every headline
/// measure on the last day; otherwise the last day's headline only.
pub fn snapshots(
    member: &EnsembleMember,
    siege: Option<&SiegeReport>,
    key_dates: &[KeyDate],
) -> Vec<Snapshot> {
    let mut out = Vec::new();
    let last_day = siege
        .and_then(|s| s.days.last().map(|d| d.day))
        .unwrap_or(member.out.num_days() as i64 - 1);
    let mut last_label = "last day".to_string();
    if let Some(s) = siege {
        for k in key_dates {
            if k.day == last_day {
                last_label = k.label.clone();
            } else if let Some(d) = s.days.iter().find(|d| d.day == k.day) {
                out.push(Snapshot {
                    day: k.day,
                    date: d.date.clone(),
                    label: k.label.clone(),
                    values: key_measures(s, d),
                });
            }
        }
    }
    out.push(Snapshot {
        day: last_day,
        date: siege
            .and_then(|s| s.days.last().map(|d| d.date.clone()))
            .unwrap_or_default(),
        label: last_label,
        values: headline(member, siege),
    });
    out
}

/// One measure of a comparison at one date: bands of A and B over the
/// replicates, and the band of the paired difference B − A.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CompareRow {
    pub day: i64,
    pub date: String,
    pub label: String,
    /// As [`headline`] names it (camp rows indented).
    pub measure: String,
    pub a_mean: f64,
    pub a_p5: f64,
    pub a_p95: f64,
    pub b_mean: f64,
    pub b_p5: f64,
    pub b_p95: f64,
    pub difference_mean: f64,
    pub difference_p5: f64,
    pub difference_p95: f64,
}

fn band(mut v: Vec<f64>) -> (f64, f64, f64) {
    // Sorted before the mean, as the files have always summed it.
    v.sort_by(f64::total_cmp);
    let mean = corridor_analysis::mean(&v).unwrap_or(f64::NAN);
    let (p5, p95) = Summary::from_slice(&v).map_or((f64::NAN, f64::NAN), |s| (s.p5, s.p95));
    (mean, p5, p95)
}

/// Pairs replicate `i` of A with replicate `i` of B (the same seed and
/// parameter draw) and summarises each measure that both have, in A's order.
/// NaN where a value is NaN. The rows' date fields are left empty.
pub fn compare_table(a: &[Vec<(String, f64)>], b: &[Vec<(String, f64)>]) -> Vec<CompareRow> {
    let (Some(a0), Some(b0)) = (a.first(), b.first()) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for (k, (name, _)) in a0.iter().enumerate() {
        let Some(kb) = b0.iter().position(|(nb, _)| nb == name) else {
            continue;
        };
        let va: Vec<f64> = a.iter().map(|h| h[k].1).collect();
        let vb: Vec<f64> = b.iter().map(|h| h[kb].1).collect();
        let diff: Vec<f64> = va.iter().zip(&vb).map(|(x, y)| y - x).collect();
        let (a_mean, a_p5, a_p95) = band(va);
        let (b_mean, b_p5, b_p95) = band(vb);
        let (difference_mean, difference_p5, difference_p95) = band(diff);
        rows.push(CompareRow {
            measure: name.clone(),
            a_mean,
            a_p5,
            a_p95,
            b_mean,
            b_p5,
            b_p95,
            difference_mean,
            difference_p5,
            difference_p95,
            ..CompareRow::default()
        });
    }
    rows
}

/// [`compare_table`] at each of A's reporting dates that B has too (snapshots
/// of replicate `i` of each side, as [`snapshots`] makes them).
pub fn compare_dates(a: &[Vec<Snapshot>], b: &[Vec<Snapshot>]) -> Vec<CompareRow> {
    let (Some(a0), Some(b0)) = (a.first(), b.first()) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for (k, s) in a0.iter().enumerate() {
        let Some(kb) = b0.iter().position(|t| t.day == s.day) else {
            continue;
        };
        let va: Vec<Vec<(String, f64)>> = a.iter().map(|r| r[k].values.clone()).collect();
        let vb: Vec<Vec<(String, f64)>> = b.iter().map(|r| r[kb].values.clone()).collect();
        for mut row in compare_table(&va, &vb) {
            row.day = s.day;
            row.date = s.date.clone();
            row.label = s.label.clone();
            rows.push(row);
        }
    }
    rows
}

/// The header of `compare.csv`.
pub const COMPARE_HEADER: &str = "day,date,label,measure,a_mean,a_p5,a_p95,b_mean,b_p5,b_p95,difference_mean,difference_p5,difference_p95";

/// `compare.csv`: one row per date and measure, [`COMPARE_HEADER`].
pub fn compare_csv(rows: &[CompareRow]) -> String {
    let mut s = format!("{COMPARE_HEADER}\n");
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.day,
            r.date,
            crate::ensemble::csv_field(&r.label),
            crate::ensemble::csv_field(r.measure.trim()),
            r.a_mean,
            r.a_p5,
            r.a_p95,
            r.b_mean,
            r.b_p5,
            r.b_p95,
            r.difference_mean,
            r.difference_p5,
            r.difference_p95
        );
    }
    s
}
