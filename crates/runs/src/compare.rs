//! `compare.csv`: two scenarios run with the same seeds, measure by measure.

use crate::EnsembleMember;
use corridor_analysis::{ard, ArdMode, Summary};
use corridor_engine::siege::SiegeReport;
use std::fmt::Write as _;

/// Headline numbers of one replicate on its last day, named: people per fate
/// for siege scenarios, people per camp and the ARD otherwise. Camp rows of a
/// siege scenario are indented (`"  in AAF"`) under `in camps`.
pub fn headline(member: &EnsembleMember, siege: Option<&SiegeReport>) -> Vec<(String, f64)> {
    let mut v = Vec::new();
    if let Some(d) = siege.and_then(|s| s.days.last().map(|d| (s, d))) {
        let (s, d) = d;
        v.push(("displaced (people)".into(), d.displaced() as f64));
        v.push(("in camps".into(), d.arrived() as f64));
        for (i, c) in s.camps.iter().enumerate() {
            v.push((format!("  in {c}"), d.in_camp[i] as f64));
        }
        v.push(("trapped".into(), d.trapped as f64));
        v.push(("detained".into(), d.detained as f64));
        v.push(("dead: shot".into(), d.dead_shot as f64));
        v.push(("dead: drowned".into(), d.dead_drowned as f64));
        v.push(("dead: in custody".into(), d.dead_in_custody as f64));
        v.push(("turned back (attempts)".into(), d.turned_back as f64));
        v.push(("relocated between camps".into(), d.relocated as f64));
        v.push(("waiting to cross a river".into(), d.waiting_to_cross as f64));
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

/// One measure of a comparison: means of A and B, and the paired difference B − A.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    /// As [`headline`] names it (camp rows indented).
    pub measure: String,
    pub a_mean: f64,
    pub b_mean: f64,
    pub difference_mean: f64,
    pub difference_p5: f64,
    pub difference_p95: f64,
}

/// Pairs replicate `i` of A with replicate `i` of B (the same seed) and
/// summarises each measure that both have, in A's order. NaN where a value is NaN.
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
        let mut diff: Vec<f64> = va.iter().zip(&vb).map(|(x, y)| y - x).collect();
        // Sorted before the mean, as the files have always summed it.
        diff.sort_by(f64::total_cmp);
        let mean = |v: &[f64]| corridor_analysis::mean(v).unwrap_or(f64::NAN);
        let (p5, p95) = Summary::from_slice(&diff).map_or((f64::NAN, f64::NAN), |s| (s.p5, s.p95));
        rows.push(CompareRow {
            measure: name.clone(),
            a_mean: mean(&va),
            b_mean: mean(&vb),
            difference_mean: mean(&diff),
            difference_p5: p5,
            difference_p95: p95,
        });
    }
    rows
}

/// `compare.csv`: `measure,a_mean,b_mean,difference_mean,difference_p5,difference_p95`.
pub fn compare_csv(rows: &[CompareRow]) -> String {
    let mut s =
        String::from("measure,a_mean,b_mean,difference_mean,difference_p5,difference_p95\n");
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{}",
            crate::ensemble::csv_field(r.measure.trim()),
            r.a_mean,
            r.b_mean,
            r.difference_mean,
            r.difference_p5,
            r.difference_p95
        );
    }
    s
}
