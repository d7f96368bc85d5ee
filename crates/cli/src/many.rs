//! Commands that run many simulations: `ensemble` (with or without sampled
//! parameters) and `compare`. Running and the files are `corridor-runs`'s;
//! this is the terminal side.

use crate::commands::{load, progress_bar, thread_pool, warn_skipped};
use crate::RunArgs;
use anyhow::{bail, Context, Result};
use corridor_analysis::{ArdMode, Ensemble};
use corridor_model::Scenario;
use corridor_report::{sampler, uncertainty, ParamSpace};
use corridor_runs::{
    compare_dates, files, run_replicates, snapshots, EnsembleFiles, EnsembleMember, Replicate,
    Snapshot,
};
use std::path::Path;

/// Runs `n` replicates of `scenario` on the pool with a progress bar, and
/// warns of the interventions they skipped (`of` names the scenario where two
/// are run).
fn replicates(
    pool: &rayon::ThreadPool,
    scenario: &Scenario,
    space: Option<&ParamSpace>,
    args: &RunArgs,
    n: usize,
    of: Option<&str>,
) -> Result<Vec<Replicate>> {
    let bar = progress_bar("replicate", args.quiet);
    bar.set_length(n as u64);
    let reps = pool.install(|| {
        run_replicates(
            n,
            args.seed,
            args.days,
            sampler(scenario, space, args.seed),
            |_| None::<()>,
            &|| bar.inc(1),
        )
    })?;
    bar.finish_and_clear();
    warn_skipped(reps.iter().filter_map(|r| r.siege.as_ref()), of);
    Ok(reps)
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

/// The last day's bands of an ensemble, for the terminal.
pub fn print_last_day(files: &EnsembleFiles) {
    let last = files.ensemble.days().len() - 1;
    println!(
        "\n{:<26} {:>10} {:>10} {:>10} {:>10}",
        "camp (last day)", "observed", "mean", "p5", "p95"
    );
    for b in &files.bands {
        println!(
            "{:<26} {:>10} {:>10.0} {:>10.0} {:>10.0}",
            b.name, b.data[last], b.mean[last], b.p5[last], b.p95[last]
        );
    }
}

/// `corridor ensemble [--params FILE]`: per camp per day mean, sd and 5–95 %
/// band; ARD spread; with `--params`, parameters sampled per replicate (and a
/// copy of the ranges file as parameters.yml).
pub fn ensemble(args: &RunArgs, n: usize, params: Option<&Path>) -> Result<()> {
    if n < 2 {
        bail!("an ensemble needs at least 2 replicates (-n)");
    }
    let scenario = load(args)?;
    let space = match params {
        Some(p) => {
            let s = ParamSpace::read(p)?;
            s.check(&scenario)?;
            Some(s)
        }
        None => None,
    };
    let pool = thread_pool(args.threads)?;
    let started = std::time::Instant::now();
    let reps = replicates(&pool, &scenario, space.as_ref(), args, n, None)?;
    let seconds = started.elapsed().as_secs_f64();
    let members = reps
        .iter()
        .map(Replicate::member)
        .collect::<Result<Vec<EnsembleMember>, _>>()?;
    let names = space.as_ref().map(ParamSpace::names).unwrap_or_default();
    let ens = EnsembleFiles::new(members, &names)?;
    let ranges = match params {
        Some(p) => Some(std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?),
        None => None,
    };
    files::write_ensemble(&args.output, &ens, ranges.as_deref())?;
    if args.quiet {
        return Ok(());
    }
    match &space {
        None => println!(
            "{}: {n} replicates (master seed {}) in {seconds:.2} s",
            scenario.name, args.seed
        ),
        Some(space) => {
            println!(
                "{}: {n} replicates (master seed {}) with {} sampled parameter(s) in {seconds:.2} s",
                scenario.name,
                args.seed,
                space.parameters().len()
            );
            for (k, p) in space.parameters().iter().enumerate() {
                let vals: Vec<f64> = reps.iter().map(|r| r.params[k]).collect();
                let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                println!(
                    "  {:<44} range [{}, {}]{}, sampled {lo:.4} … {hi:.4}",
                    p.path,
                    p.low,
                    p.high,
                    if p.log { " (log)" } else { "" }
                );
            }
        }
    }
    print_last_day(&ens);
    print_ard_summary(&ens.ensemble);
    println!("outputs in {}", args.output.display());
    Ok(())
}

/// What a band covers: "5–95 % over 20 runs: seeds and the ranges in space.yml"
/// or "… seeds only".
pub fn band_covers(n: usize, space: Option<&ParamSpace>) -> String {
    match space {
        Some(s) => {
            let name = Path::new(&s.source)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| s.source.clone());
            format!("5–95 % over {n} runs: seeds and the ranges in {name}")
        }
        None => format!("5–95 % over {n} runs: seeds only"),
    }
}

/// `corridor compare A B`: the same seeds and parameter draws through two
/// variants, side by side at each key date of A (and the last day).
pub fn compare(a: &RunArgs, b_path: &Path, n: usize, seeds_only: bool) -> Result<()> {
    let sa = load(a)?;
    let b = RunArgs {
        scenario: b_path.to_path_buf(),
        ..a.clone()
    };
    let sb = load(&b).with_context(|| format!("reading {}", b_path.display()))?;
    // Both sides draw from A's ranges, so replicate i differs only by the variant.
    let space = uncertainty(&sa, None, seeds_only)?;
    if let Some(sp) = &space {
        sp.check(&sb)
            .with_context(|| format!("the ranges of A do not apply to {}", b_path.display()))?;
    }
    let key_dates = sa
        .siege
        .as_ref()
        .map(|s| s.key_dates.clone())
        .unwrap_or_default();
    let pool = thread_pool(a.threads)?;
    let snaps = |s: &Scenario| -> Result<Vec<Vec<Snapshot>>> {
        replicates(&pool, s, space.as_ref(), a, n, Some(&s.name))?
            .iter()
            .map(|r| Ok(snapshots(&r.member()?, r.siege.as_ref(), &key_dates)))
            .collect()
    };
    let rows = compare_dates(&snaps(&sa)?, &snaps(&sb)?);
    files::write_compare(&a.output, &rows)?;
    if a.quiet {
        return Ok(());
    }
    println!(
        "A: {}\nB: {}\n{n} paired replicates (same seeds{}); every band: {}",
        sa.name,
        sb.name,
        if space.is_some() {
            " and parameter draws"
        } else {
            ""
        },
        band_covers(n, space.as_ref())
    );
    let mut day = None;
    for r in &rows {
        if day != Some(r.day) {
            day = Some(r.day);
            let when = if r.date.is_empty() {
                format!("day {}", r.day)
            } else {
                format!("{} (day {})", r.date, r.day)
            };
            println!(
                "\n{when}: {}\n{:<26} {:>24} {:>24} {:>28}",
                r.label, "measure", "A: mean [5–95 %]", "B: mean [5–95 %]", "B − A: mean [5–95 %]"
            );
        }
        let prec = if r.measure.starts_with("ARD") { 4 } else { 0 };
        let cell = |m: f64, lo: f64, hi: f64, sign: bool| {
            if sign {
                format!("{m:+.prec$} [{lo:+.prec$}, {hi:+.prec$}]")
            } else {
                format!("{m:.prec$} [{lo:.prec$}, {hi:.prec$}]")
            }
        };
        println!(
            "{:<26} {:>24} {:>24} {:>28}",
            r.measure,
            cell(r.a_mean, r.a_p5, r.a_p95, false),
            cell(r.b_mean, r.b_p5, r.b_p95, false),
            cell(r.difference_mean, r.difference_p5, r.difference_p95, true)
        );
    }
    println!("\ntable in {}", a.output.join(files::COMPARE_CSV).display());
    Ok(())
}
