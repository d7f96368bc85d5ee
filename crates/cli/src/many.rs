//! Commands that run many simulations: `ensemble` and `compare`.

use crate::commands::{load, thread_pool, write};
use crate::RunArgs;
use anyhow::{bail, Context, Result};
use corridor_analysis::{ard, ArdMode, Ensemble, FleeOutput};
use corridor_engine::siege::{FateDay, SiegeReport};
use corridor_engine::{rng, RunOptions, Simulation};
use corridor_model::Scenario;
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::Path;

/// Seed of replicate `i` of an ensemble with master seed `master`: a fixed
/// function of both, so an ensemble is reproducible and replicates differ.
pub fn replicate_seed(master: u64, i: u64) -> u64 {
    rng::mix64(master ^ rng::mix64(i.wrapping_add(0x9e37_79b9_7f4a_7c15)))
}

/// One replicate's results.
pub struct Replicate {
    pub seed: u64,
    pub out: FleeOutput,
    pub siege: Option<SiegeReport>,
}

/// Runs `n` replicates in parallel; results are in replicate order whatever the thread count.
pub fn replicates(
    scenario: &Scenario,
    n: usize,
    master: u64,
    days: Option<u32>,
) -> Result<Vec<Replicate>> {
    (0..n as u64)
        .into_par_iter()
        .map(|i| {
            let seed = replicate_seed(master, i);
            let mut sim = Simulation::new(scenario, &RunOptions { seed, days })?;
            while sim
                .step(&mut corridor_engine::events::NoObserver)?
                .is_some()
            {}
            let csv = corridor_io::flee_out_csv(sim.output());
            let out = FleeOutput::from_reader_named(csv.as_bytes(), format!("seed {seed}"))?;
            Ok(Replicate {
                seed,
                out,
                siege: sim.siege_report(),
            })
        })
        .collect()
}

fn pct(sorted: &[f64], q: f64) -> f64 {
    corridor_analysis::percentile(sorted, q).unwrap_or(f64::NAN)
}

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

/// One day of a siege replicate: day, date and the people in each of [`FATES`].
pub type FateRow = (String, String, [i64; 7]);

/// The daily fate rows of a siege report.
pub fn fate_rows(r: &SiegeReport) -> Vec<FateRow> {
    r.days
        .iter()
        .map(|d: &FateDay| {
            let v = [
                d.trapped,
                d.displaced(),
                d.arrived(),
                d.detained,
                d.dead_shot,
                d.dead_drowned,
                d.dead_in_custody,
            ];
            (d.day.to_string(), d.date.clone(), v)
        })
        .collect()
}

/// One replicate as the ensemble files need it.
pub struct EnsembleMember<'a> {
    pub seed: u64,
    pub out: &'a FleeOutput,
    pub fates: Option<&'a [FateRow]>,
}

/// Writes `ensemble.csv` (bands per camp per day), `replicates.csv` (seed and
/// ARD of each) and, for siege scenarios, `fates_ensemble.csv` into `dir`.
pub fn write_ensemble_files(dir: &Path, members: &[EnsembleMember]) -> Result<Ensemble> {
    let ens = Ensemble::new(members.iter().map(|m| m.out.clone()).collect())?;
    let bands = ens.sim_bands()?;
    let mut csv = String::from("day,camp,data,mean,sd,p5,p50,p95\n");
    for b in &bands {
        for (t, day) in ens.days().iter().enumerate() {
            writeln!(
                csv,
                "{day},{},{},{:.3},{:.3},{},{},{}",
                b.name, b.data[t], b.mean[t], b.sd[t], b.p5[t], b.p50[t], b.p95[t]
            )?;
        }
    }
    std::fs::create_dir_all(dir)?;
    write(&dir.join("ensemble.csv"), csv.as_bytes())?;
    let mut runs = String::from("replicate,seed,ard_normal,ard_rescaled\n");
    for (i, m) in members.iter().enumerate() {
        writeln!(
            runs,
            "{i},{},{},{}",
            m.seed,
            ard(m.out, ArdMode::Normal),
            ard(m.out, ArdMode::Rescaled)
        )?;
    }
    write(&dir.join("replicates.csv"), runs.as_bytes())?;
    if let Some(first) = members[0].fates {
        let mut s = String::from("day,date,fate,mean,p5,p95\n");
        for (t, (day, date, _)) in first.iter().enumerate() {
            for (k, name) in FATES.iter().enumerate() {
                let mut v: Vec<f64> = members
                    .iter()
                    .filter_map(|m| m.fates.map(|f| f[t].2[k] as f64))
                    .collect();
                v.sort_by(f64::total_cmp);
                let mean = v.iter().sum::<f64>() / v.len() as f64;
                writeln!(
                    s,
                    "{day},{date},{name},{mean:.1},{},{}",
                    pct(&v, 5.0),
                    pct(&v, 95.0)
                )?;
            }
        }
        write(&dir.join("fates_ensemble.csv"), s.as_bytes())?;
    }
    Ok(ens)
}

/// The ARD spread of an ensemble, for the terminal.
pub fn print_ard_summary(ens: &Ensemble) {
    for mode in [ArdMode::Normal, ArdMode::Rescaled] {
        if let Ok(s) = ens.ard_summary(mode) {
            println!(
                "ARD {mode:?}: mean {:.4}, sd {:.4}, 5–95% [{:.4}, {:.4}]",
                s.mean, s.sd, s.p5, s.p95
            );
        }
    }
}

/// `corridor ensemble`: per camp per day mean, sd and 5–95 % band; ARD spread.
pub fn ensemble(args: &RunArgs, n: usize) -> Result<()> {
    if n < 2 {
        bail!("an ensemble needs at least 2 replicates (-n)");
    }
    let scenario = load(args)?;
    let pool = thread_pool(args.threads)?;
    let started = std::time::Instant::now();
    let reps = pool.install(|| replicates(&scenario, n, args.seed, args.days))?;
    let seconds = started.elapsed().as_secs_f64();
    let fates: Vec<Option<Vec<FateRow>>> = reps
        .iter()
        .map(|r| r.siege.as_ref().map(fate_rows))
        .collect();
    let members: Vec<EnsembleMember> = reps
        .iter()
        .zip(&fates)
        .map(|(r, f)| EnsembleMember {
            seed: r.seed,
            out: &r.out,
            fates: f.as_deref(),
        })
        .collect();
    let ens = write_ensemble_files(&args.output, &members)?;
    if !args.quiet {
        println!(
            "{}: {n} replicates (master seed {}) in {seconds:.2} s",
            scenario.name, args.seed
        );
        let bands = ens.sim_bands()?;
        let last = ens.days().len() - 1;
        println!(
            "\n{:<26} {:>10} {:>10} {:>10} {:>10}",
            "camp (last day)", "observed", "mean", "p5", "p95"
        );
        for b in &bands {
            println!(
                "{:<26} {:>10} {:>10.0} {:>10.0} {:>10.0}",
                b.name, b.data[last], b.mean[last], b.p5[last], b.p95[last]
            );
        }
        print_ard_summary(&ens);
        println!("outputs in {}", args.output.display());
    }
    Ok(())
}

/// Summary numbers of one replicate used to compare variants.
fn headline(r: &Replicate) -> Vec<(String, f64)> {
    let mut v = Vec::new();
    if let Some(s) = &r.siege {
        let d = s.days.last().expect("at least one day");
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
    } else {
        let last = r.out.num_days() - 1;
        for c in r.out.camps() {
            v.push((format!("in {}", c.name), c.sim[last]));
        }
        v.push(("ARD normal".into(), ard(&r.out, ArdMode::Normal)));
        v.push(("ARD rescaled".into(), ard(&r.out, ArdMode::Rescaled)));
    }
    v
}

/// `corridor compare A B`: the same seeds through two variants, side by side.
pub fn compare(a: &RunArgs, b_path: &Path, n: usize) -> Result<()> {
    let sa = load(a)?;
    let b = RunArgs {
        scenario: b_path.to_path_buf(),
        ..a.clone()
    };
    let sb = load(&b).with_context(|| format!("reading {}", b_path.display()))?;
    let pool = thread_pool(a.threads)?;
    let (ra, rb) = pool.install(|| -> Result<_> {
        Ok((
            replicates(&sa, n, a.seed, a.days)?,
            replicates(&sb, n, a.seed, a.days)?,
        ))
    })?;
    let ha: Vec<Vec<(String, f64)>> = ra.iter().map(headline).collect();
    let hb: Vec<Vec<(String, f64)>> = rb.iter().map(headline).collect();
    let mut table =
        String::from("measure,a_mean,b_mean,difference_mean,difference_p5,difference_p95\n");
    let mut text = format!(
        "A: {}\nB: {}\n{n} paired replicates (same seeds); last day of the run\n\n{:<26} {:>12} {:>12} {:>12} {:>22}\n",
        sa.name, sb.name, "measure", "A", "B", "B − A", "B − A, 5–95 %"
    );
    for (k, (name, _)) in ha[0].iter().enumerate() {
        let Some(kb) = hb[0].iter().position(|(nb, _)| nb == name) else {
            continue;
        };
        let va: Vec<f64> = ha.iter().map(|h| h[k].1).collect();
        let vb: Vec<f64> = hb.iter().map(|h| h[kb].1).collect();
        let mut diff: Vec<f64> = va.iter().zip(&vb).map(|(x, y)| y - x).collect();
        diff.sort_by(f64::total_cmp);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let (ma, mb, md) = (mean(&va), mean(&vb), mean(&diff));
        writeln!(
            table,
            "{},{ma},{mb},{md},{},{}",
            name.trim(),
            pct(&diff, 5.0),
            pct(&diff, 95.0)
        )?;
        let prec = if name.starts_with("ARD") { 4 } else { 0 };
        writeln!(
            text,
            "{:<26} {:>12.prec$} {:>12.prec$} {:>+12.prec$} {:>10.prec$} … {:<10.prec$}",
            name,
            ma,
            mb,
            md,
            pct(&diff, 5.0),
            pct(&diff, 95.0)
        )?;
    }
    std::fs::create_dir_all(&a.output)?;
    write(&a.output.join("compare.csv"), table.as_bytes())?;
    if !a.quiet {
        print!("{text}");
        println!("\ntable in {}", a.output.join("compare.csv").display());
    }
    Ok(())
}
