//! What the ensemble files are made of: replicates as members, their fates,
//! and the contents of `ensemble.csv`, `replicates.csv` and `fates_ensemble.csv`.

use crate::{flee_output, Replicate, Result};
use corridor_analysis::{ard, ArdMode, Band, CampBand, Ensemble, FleeOutput};
use corridor_engine::siege::SiegeReport;
use corridor_model::RunOutput;
use std::fmt::Write as _;

/// The fates that `fates_ensemble.csv` summarises, in order.
pub const FATES: [&str; 7] = [
    "trapped",
    "displaced",
    "in_camps",
    "detained",
    "dead_shot",
    "dead_drowned",
    "dead_in_custody",
];

/// One day of a siege replicate: the people in each of [`FATES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FateRow {
    pub day: i64,
    pub date: String,
    /// People per fate, in the order of [`FATES`].
    pub people: [i64; 7],
}

/// The daily fate rows of a siege report.
pub fn fate_rows(r: &SiegeReport) -> Vec<FateRow> {
    r.days
        .iter()
        .map(|d| FateRow {
            day: d.day,
            date: d.date.clone(),
            people: [
                d.trapped,
                d.displaced(),
                d.arrived(),
                d.detained(),
                d.dead_shot,
                d.dead_drowned,
                d.dead_in_custody,
            ],
        })
        .collect()
}

/// One replicate as the ensemble files need it.
#[derive(Debug, Clone, PartialEq)]
pub struct EnsembleMember {
    pub seed: u64,
    /// Sampled parameter values (empty without sampling).
    pub params: Vec<f64>,
    /// Its daily table.
    pub out: FleeOutput,
    /// Siege scenarios: people per fate per day.
    pub fates: Option<Vec<FateRow>>,
}

impl EnsembleMember {
    /// A member from a run's daily table and fates.
    pub fn new(
        seed: u64,
        params: Vec<f64>,
        output: &RunOutput,
        fates: Option<Vec<FateRow>>,
    ) -> Result<EnsembleMember> {
        Ok(EnsembleMember {
            seed,
            params,
            out: flee_output(output, format!("seed {seed}"))?,
            fates,
        })
    }
}

impl<W> Replicate<W> {
    /// This replicate as an ensemble member.
    pub fn member(&self) -> Result<EnsembleMember> {
        EnsembleMember::new(
            self.seed,
            self.params.clone(),
            &self.output,
            self.siege.as_ref().map(fate_rows),
        )
    }
}

/// The ensemble files' contents, and the statistics behind them.
#[derive(Debug, Clone)]
pub struct EnsembleFiles {
    /// The members' daily tables, grouped.
    pub ensemble: Ensemble,
    /// Per camp per day bands of the simulated values.
    pub bands: Vec<CampBand>,
    /// `ensemble.csv`: `day,camp,data,mean,sd,p5,p50,p95`.
    pub ensemble_csv: String,
    /// `replicates.csv`: `replicate,seed,ard_normal,ard_rescaled`, then one
    /// column per sampled parameter.
    pub replicates_csv: String,
    /// `fates_ensemble.csv` (siege scenarios): `day,date,fate,mean,p5,p95`.
    pub fates_csv: Option<String>,
}

/// A number, or an empty field where it is undefined (the sd of one run).
fn field(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x:.decimals$}")
    }
}

/// Quotes a CSV field when it needs it.
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl EnsembleFiles {
    /// Summarises `members` (same scenario, at least one); `param_names` name
    /// the members' sampled parameters.
    pub fn new(members: Vec<EnsembleMember>, param_names: &[String]) -> Result<EnsembleFiles> {
        let mut seeds = Vec::with_capacity(members.len());
        let mut params = Vec::with_capacity(members.len());
        let mut fates = Vec::with_capacity(members.len());
        let mut outs = Vec::with_capacity(members.len());
        for m in members {
            seeds.push(m.seed);
            params.push(m.params);
            fates.push(m.fates);
            outs.push(m.out);
        }
        let ensemble = Ensemble::new(outs)?;
        let bands = ensemble.sim_bands()?;
        let mut csv = String::from("day,camp,data,mean,sd,p5,p50,p95\n");
        for b in &bands {
            for (t, day) in ensemble.days().iter().enumerate() {
                let _ = writeln!(
                    csv,
                    "{day},{},{},{:.3},{},{},{},{}",
                    b.name,
                    b.data[t],
                    b.mean[t],
                    field(b.sd[t], 3),
                    b.p5[t],
                    b.p50[t],
                    b.p95[t]
                );
            }
        }
        let mut runs = String::from("replicate,seed,ard_normal,ard_rescaled");
        for p in param_names {
            runs.push(',');
            runs.push_str(&csv_field(p));
        }
        runs.push('\n');
        for (i, out) in ensemble.runs().iter().enumerate() {
            let _ = write!(
                runs,
                "{i},{},{},{}",
                seeds[i],
                ard(out, ArdMode::Normal),
                ard(out, ArdMode::Rescaled)
            );
            for v in &params[i] {
                let _ = write!(runs, ",{v}");
            }
            runs.push('\n');
        }
        let fates_csv = match fates.iter().map(Option::as_ref).collect::<Option<Vec<_>>>() {
            Some(all) if !all.is_empty() => Some(fates_ensemble_csv(&all)),
            _ => None,
        };
        Ok(EnsembleFiles {
            ensemble,
            bands,
            ensemble_csv: csv,
            replicates_csv: runs,
            fates_csv,
        })
    }
}

/// `fates_ensemble.csv`: per day per fate the mean (1 decimal), 5 and 95 %.
fn fates_ensemble_csv(members: &[&Vec<FateRow>]) -> String {
    let first = members[0];
    let mut s = String::from("day,date,fate,mean,p5,p95\n");
    let bands: Vec<Band> = (0..FATES.len())
        .map(|k| {
            let series: Vec<Vec<f64>> = members
                .iter()
                .map(|rows| rows.iter().map(|r| r.people[k] as f64).collect())
                .collect();
            Band::from_runs(&series)
        })
        .collect();
    for (t, row) in first.iter().enumerate() {
        for (name, b) in FATES.iter().zip(&bands) {
            let _ = writeln!(
                s,
                "{},{},{name},{:.1},{},{}",
                row.day, row.date, b.mean[t], b.p5[t], b.p95[t]
            );
        }
    }
    s
}
