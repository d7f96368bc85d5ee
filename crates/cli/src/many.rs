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
    let ens = Ensemble::new(reps.iter().map(|r| r.out.clone()).collect())?;
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
    std::fs::create_dir_all(&args.output)?;
    write(&args.output.join("ensemble.csv"), csv.as_bytes())?;
    let mut runs = String::from("replicate,seed,ard_normal,ard_rescaled\n");
    for (i, r) in reps.iter().enumerate() {
        writeln!(
            runs,
            "{i},{},{},{}",
            r.seed,
            ard(&r.out, ArdMode::Normal),
            ard(&r.out, ArdMode::Rescaled)
        )?;
    }
    write(&args.output.join("replicates.csv"), runs.as_bytes())?;
    if reps[0].siege.is_some() {
        let fates = fate_bands(&reps);
        write(&args.output.join("fates_ensemble.csv"), fates.as_bytes())?;
    }
    if !args.quiet {
        println!(
            "{}: {n} replicates (master seed {}) in {seconds:.2} s",
            scenario.name, args.seed
        );
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
        for mode in [ArdMode::Normal, ArdMode::Rescaled] {
            if let Ok(s) = ens.ard_summary(mode) {
                println!(
                    "ARD {mode:?}: mean {:.4}, sd {:.4}, 5–95% [{:.4}, {:.4}]",
                    s.mean, s.sd, s.p5, s.p95
                );
            }
        }
        println!("outputs in {}", args.output.display());
    }
    Ok(())
}

/// Daily fate bands (people) over the replicates of a siege scenario.
fn fate_bands(reps: &[Replicate]) -> String {
    let reports: Vec<&SiegeReport> = reps.iter().filter_map(|r| r.siege.as_ref()).collect();
    let mut s = String::from("day,date,fate,mean,p5,p95\n");
    type Fate = (&'static str, fn(&FateDay) -> i64);
    let fates: [Fate; 7] = [
        ("trapped", |d| d.trapped),
        ("displaced", |d| d.displaced()),
        ("in_camps", |d| d.arrived()),
        ("detained", |d| d.detained),
        ("dead_shot", |d| d.dead_shot),
        ("dead_drowned", |d| d.dead_drowned),
        ("dead_in_custody", |d| d.dead_in_custody),
    ];
    let days = reports[0].days.len();
    for t in 0..days {
        for (name, f) in &fates {
            let mut v: Vec<f64> = reports.iter().map(|r| f(&r.days[t]) as f64).collect();
            v.sort_by(f64::total_cmp);
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            let _ = writeln!(
                s,
                "{},{},{name},{mean:.1},{},{}",
                reports[0].days[t].day,
                reports[0].days[t].date,
                pct(&v, 5.0),
                pct(&v, 95.0)
            );
        }
    }
    s
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
