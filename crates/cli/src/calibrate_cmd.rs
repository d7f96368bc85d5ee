//! `corridor calibrate` and `corridor sensitivity` (library: `corridor-calibrate`).

use crate::commands::{load, thread_pool, write};
use crate::RunArgs;
use anyhow::{Context, Result};
use corridor_analysis::{ArdMode, FleeOutput};
use corridor_calibrate::sensitivity::Index;
use corridor_calibrate::{
    scored_from_output, settings_yaml, CalibrationOptions, MeanSd, Method, ParameterSpace,
    PeriodErrors, SensitivityOptions, Split,
};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Options of `corridor calibrate`.
#[derive(clap::Args, Clone, Debug)]
pub struct CalibrateArgs {
    /// Parameter space: YAML lines `path: [low, high]` (see scenarios/spaces/).
    #[arg(long)]
    pub space: PathBuf,
    /// Fit on days [0, N); the rest is the hold-out period.
    #[arg(long, conflicts_with = "fit_fraction")]
    pub fit_days: Option<usize>,
    /// Fit on this share of the days (default 0.7).
    #[arg(long)]
    pub fit_fraction: Option<f64>,
    /// Seeds per candidate (the same seeds for every candidate).
    #[arg(short = 'n', long = "seeds", default_value_t = 4)]
    pub seeds: usize,
    /// Fresh seeds for scoring the default and fitted values over the whole run.
    #[arg(long, default_value_t = 8)]
    pub eval_seeds: usize,
    /// Most candidate evaluations (each runs --seeds simulations of the fit period).
    /// Default: 35 per parameter, since CMA-ES needs more generations as the space
    /// grows (flee-default.yml's seven parameters needed about 240).
    #[arg(long)]
    pub budget: Option<usize>,
    /// ARD variant for Flee scenarios.
    #[arg(long, value_enum, default_value_t = Metric::Rescaled)]
    pub metric: Metric,
    /// CMA-ES initial step, as a share of each range.
    #[arg(long, default_value_t = 0.3)]
    pub sigma0: f64,
    /// Inner hold-out: pick, among the candidates no worse than the default on the fit period,
    /// the one with the lowest error on the last Q of the fit period; 0 = pick the lowest objective.
    #[arg(long, value_name = "Q", default_value_t = 0.3)]
    pub select_recent: f64,
    /// Flee-format out.csv files (e.g. Flee's own runs) to score on the same periods.
    #[arg(long, num_args = 1..)]
    pub reference: Vec<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Rescaled,
    Normal,
}

impl Metric {
    fn mode(self) -> ArdMode {
        match self {
            Metric::Rescaled => ArdMode::Rescaled,
            Metric::Normal => ArdMode::Normal,
        }
    }
}

/// Options of `corridor sensitivity`.
#[derive(clap::Args, Clone, Debug)]
pub struct SensitivityArgs {
    /// Parameter space: YAML lines `path: [low, high]` (see scenarios/spaces/).
    #[arg(long)]
    pub space: PathBuf,
    #[arg(long, value_enum, default_value_t = SaMethod::Morris)]
    pub method: SaMethod,
    /// Morris: number of trajectories (each costs parameters + 1 points).
    #[arg(long, default_value_t = 10)]
    pub trajectories: usize,
    /// Morris: grid levels.
    #[arg(long, default_value_t = 4)]
    pub levels: usize,
    /// Sobol: base samples N (costs N × (parameters + 2) points).
    #[arg(long, default_value_t = 32)]
    pub samples: usize,
    /// Seeds per point (the same for every point).
    #[arg(short = 'n', long = "seeds", default_value_t = 2)]
    pub seeds: usize,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaMethod {
    Morris,
    Sobol,
}

fn read_space(
    path: &std::path::Path,
    scenario: &corridor_model::Scenario,
) -> Result<ParameterSpace> {
    let space = ParameterSpace::read(path)?;
    space.check(scenario, &path.display().to_string())?;
    Ok(space)
}

fn ms(e: &MeanSd) -> String {
    if e.mean.is_nan() {
        "–".into()
    } else if e.sd.is_nan() {
        format!("{:.4}", e.mean)
    } else {
        format!("{:.4} ± {:.4}", e.mean, e.sd)
    }
}

fn num(v: f64) -> String {
    if v.is_nan() {
        "–".into()
    } else if v != 0.0 && (v.abs() < 0.01 || v.abs() >= 1e5) {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

/// Default candidate budget per fitted parameter.
const BUDGET_PER_PARAMETER: usize = 35;

/// `corridor calibrate`.
pub fn calibrate(run: &RunArgs, args: &CalibrateArgs) -> Result<()> {
    let scenario = load(run)?;
    let space = read_space(&args.space, &scenario)?;
    let budget = args.budget.unwrap_or(BUDGET_PER_PARAMETER * space.dim());
    let split = match (args.fit_days, args.fit_fraction) {
        (Some(n), _) => Split::Days(n),
        (None, Some(f)) => Split::Fraction(f),
        (None, None) => Split::Fraction(0.7),
    };
    let opts = CalibrationOptions {
        split,
        fit_seeds: args.seeds,
        eval_seeds: args.eval_seeds,
        budget,
        master_seed: run.seed,
        mode: args.metric.mode(),
        days: run.days,
        sigma0: args.sigma0,
        lambda: None,
        select_recent: (args.select_recent != 0.0).then_some(args.select_recent),
    };
    let days = run.days.unwrap_or(scenario.days) as usize;
    let fit_days = corridor_calibrate::fit_days(split, days)?;
    // Reference outputs, checked before the long part.
    let mut refs = Vec::new();
    for p in &args.reference {
        let out = FleeOutput::read(p)?;
        if out.num_days() != days {
            anyhow::bail!(
                "{} has {} days but the run has {days}\n  hint: compare runs of the same length",
                p.display(),
                out.num_days()
            );
        }
        refs.push(scored_from_output(&out));
    }
    if !run.quiet {
        eprintln!(
            "calibrating {} (hasten {}): {} parameters, fit on days 0–{} of {days}, budget {} candidates × {} seeds",
            scenario.name,
            scenario.settings.hasten,
            space.dim(),
            fit_days - 1,
            budget,
            args.seeds
        );
    }
    let pool = thread_pool(run.threads)?;
    let started = std::time::Instant::now();
    let cal = pool.install(|| corridor_calibrate::calibrate(&scenario, &space, &opts))?;
    let seconds = started.elapsed().as_secs_f64();
    let ref_errors =
        (!refs.is_empty()).then(|| PeriodErrors::of(&refs, 0..fit_days, fit_days..days, opts.mode));

    // Files.
    let dir = &run.output;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output folder {}", dir.display()))?;
    let mut json = serde_json::to_value(&cal)?;
    json["seconds"] = serde_json::json!(seconds);
    json["hasten"] = serde_json::json!(scenario.settings.hasten);
    json["space_file"] = serde_json::json!(args.space.display().to_string());
    if let Some(r) = &ref_errors {
        json["reference_errors"] = serde_json::to_value(r)?;
        json["reference_files"] = serde_json::json!(args
            .reference
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>());
    }
    write(
        &dir.join("calibration.json"),
        serde_json::to_string_pretty(&json)?.as_bytes(),
    )?;
    let mut trials = String::from("index,generation,objective,recent");
    for p in &space.parameters {
        write!(trials, ",{}", p.path)?;
    }
    for i in 0..cal.fit_seeds.len() {
        write!(trials, ",seed{i}")?;
    }
    trials.push('\n');
    for t in &cal.trials {
        write!(
            trials,
            "{},{},{},{}",
            t.index, t.generation, t.objective, t.recent
        )?;
        for v in t.values.iter().chain(&t.per_seed) {
            write!(trials, ",{v}")?;
        }
        trials.push('\n');
    }
    write(&dir.join("trials.csv"), trials.as_bytes())?;
    let mut fitted = format!(
        "# corridor calibrate: {} (hasten {}), fit days 0-{} of {}, {}\n# fitted values; the near-best range is in calibration.json\n",
        cal.scenario,
        scenario.settings.hasten,
        cal.fit_days - 1,
        cal.days,
        cal.metric
    );
    for p in &cal.parameters {
        writeln!(fitted, "{}: {:?}", p.path, p.fitted)?;
    }
    write(&dir.join("fitted.yml"), fitted.as_bytes())?;
    let fitted_scenario = space.apply(&scenario, &cal.fitted_values())?;
    write(
        &dir.join("fitted_simsetting.yml"),
        settings_yaml(
            &fitted_scenario.settings,
            &format!(
                "settings fitted by corridor calibrate on {} (space {})",
                cal.scenario,
                args.space.display()
            ),
        )
        .as_bytes(),
    )?;
    let mut errors = String::from("set,period,mean,sd,n\n");
    let mut rows: Vec<(&str, &PeriodErrors)> = vec![
        ("default", &cal.default_errors),
        ("fitted", &cal.fitted_errors),
    ];
    if let Some(r) = &ref_errors {
        rows.push(("reference", r));
    }
    for (name, e) in &rows {
        for (period, m) in [
            ("in_period", &e.in_period),
            ("out_of_period", &e.out_of_period),
            ("whole", &e.whole),
        ] {
            writeln!(errors, "{name},{period},{},{},{}", m.mean, m.sd, m.n)?;
        }
    }
    write(&dir.join("errors.csv"), errors.as_bytes())?;

    if run.quiet {
        return Ok(());
    }
    println!(
        "{} (hasten {}): {} evaluations ({}, {} generations, stopped on {}) in {seconds:.1} s",
        cal.scenario,
        scenario.settings.hasten,
        cal.evaluations,
        cal.optimiser,
        cal.generations,
        cal.stop
    );
    println!(
        "objective: {} on days 0–{}, mean over {} fit seeds: default {:.4} → fitted {:.4}",
        cal.metric,
        cal.fit_days - 1,
        cal.fit_seeds.len(),
        cal.objective_default,
        cal.objective_fitted
    );
    if args.select_recent != 0.0 {
        println!(
            "selected on the inner hold-out days {}–{} (lowest objective found {:.4})",
            cal.recent_days.start,
            cal.recent_days.end - 1,
            cal.objective_best
        );
    }
    for c in &cal.default_clamped {
        println!("note: default {c} lies outside its range; the search started at the nearest end");
    }
    println!(
        "\n{:<44} {:>11} {:>11} {:>25}",
        "parameter",
        "default",
        "fitted",
        format!("near-best range (n={})", cal.near_best)
    );
    for p in &cal.parameters {
        println!(
            "{:<44} {:>11} {:>11} {:>25}",
            p.path,
            num(p.default),
            num(p.fitted),
            format!("[{}, {}]", num(p.near_best_low), num(p.near_best_high))
        );
    }
    for p in cal.parameters.iter().filter(|p| p.at_bound.is_some()) {
        println!(
            "note: {} = {} lies at the {} end of its range [{}, {}]: the fit pushes beyond it\n  hint: widen the range in {} if values outside it are plausible",
            p.path,
            num(p.fitted),
            p.at_bound.unwrap_or_default(),
            num(p.low),
            num(p.high),
            args.space.display()
        );
    }
    println!(
        "\nerror ({}), mean ± sd over {} evaluation seeds not used in the fit:",
        cal.metric,
        cal.eval_seeds.len()
    );
    println!(
        "{:<14} {:>20} {:>24} {:>20}",
        "",
        format!("days 0–{}", cal.fit_days - 1),
        format!("days {}–{} (held out)", cal.fit_days, cal.days - 1),
        "whole run"
    );
    for (name, e) in &rows {
        let name = if *name == "reference" {
            format!("reference ({})", refs.len())
        } else {
            name.to_string()
        };
        println!(
            "{:<14} {:>20} {:>24} {:>20}",
            name,
            ms(&e.in_period),
            ms(&e.out_of_period),
            ms(&e.whole)
        );
    }
    println!(
        "\noutputs in {}: calibration.json, trials.csv, errors.csv, fitted.yml, fitted_simsetting.yml",
        dir.display()
    );
    Ok(())
}

/// `corridor sensitivity`.
pub fn sensitivity(run: &RunArgs, args: &SensitivityArgs) -> Result<()> {
    let scenario = load(run)?;
    let space = read_space(&args.space, &scenario)?;
    let method = match args.method {
        SaMethod::Morris => Method::Morris {
            trajectories: args.trajectories,
            levels: args.levels,
        },
        SaMethod::Sobol => Method::Sobol {
            samples: args.samples,
        },
    };
    let opts = SensitivityOptions {
        method,
        seeds: args.seeds,
        master_seed: run.seed,
        days: run.days,
    };
    let pool = thread_pool(run.threads)?;
    let started = std::time::Instant::now();
    let rep = pool.install(|| corridor_calibrate::sensitivity(&scenario, &space, &opts))?;
    let seconds = started.elapsed().as_secs_f64();

    let dir = &run.output;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output folder {}", dir.display()))?;
    let mut csv = match args.method {
        SaMethod::Morris => String::from("output,parameter,mu,mu_star,mu_star_conf,sigma\n"),
        SaMethod::Sobol => String::from("output,parameter,S1,S1_conf,ST,ST_conf\n"),
    };
    for (o, name) in rep.outputs.iter().enumerate() {
        for (p, path) in rep.parameters.iter().enumerate() {
            match rep.indices[o][p] {
                Index::Morris(m) => writeln!(
                    csv,
                    "{name},{path},{},{},{},{}",
                    m.mu, m.mu_star, m.mu_star_conf, m.sigma
                )?,
                Index::Sobol(s) => writeln!(
                    csv,
                    "{name},{path},{},{},{},{}",
                    s.s1, s.s1_conf, s.st, s.st_conf
                )?,
            }
        }
    }
    write(&dir.join("sensitivity.csv"), csv.as_bytes())?;
    let mut samples = String::from("point");
    for p in &rep.parameters {
        write!(samples, ",{p}")?;
    }
    for o in &rep.outputs {
        write!(samples, ",{o}")?;
    }
    samples.push('\n');
    for (i, (v, y)) in rep.values.iter().zip(&rep.y).enumerate() {
        write!(samples, "{i}")?;
        for x in v.iter().chain(y) {
            write!(samples, ",{x}")?;
        }
        samples.push('\n');
    }
    write(&dir.join("samples.csv"), samples.as_bytes())?;
    let mut json = serde_json::to_value(&rep)?;
    json["seconds"] = serde_json::json!(seconds);
    json["hasten"] = serde_json::json!(scenario.settings.hasten);
    write(
        &dir.join("sensitivity.json"),
        serde_json::to_string_pretty(&json)?.as_bytes(),
    )?;

    if run.quiet {
        return Ok(());
    }
    println!(
        "{} (hasten {}): {}, {} points × {} seeds, {} days, in {seconds:.1} s",
        rep.scenario,
        scenario.settings.hasten,
        rep.method,
        rep.points.len(),
        rep.seeds.len(),
        rep.days
    );
    for (o, name) in rep.outputs.iter().enumerate() {
        let spread = &rep.output_spread[o];
        println!(
            "\n{name} (over the design: mean {}, sd {})",
            num(spread.mean),
            num(spread.sd)
        );
        let mut order: Vec<usize> = (0..rep.parameters.len()).collect();
        let key = |i: usize| match rep.indices[o][i] {
            Index::Morris(m) => m.mu_star,
            Index::Sobol(s) => s.st,
        };
        order.sort_by(|&a, &b| key(b).total_cmp(&key(a)));
        match args.method {
            SaMethod::Morris => println!(
                "  {:<44} {:>11} {:>11} {:>11} {:>11}",
                "parameter", "mu*", "± 95%", "mu", "sigma"
            ),
            SaMethod::Sobol => println!(
                "  {:<44} {:>11} {:>11} {:>11} {:>11}",
                "parameter", "S1", "± 95%", "ST", "± 95%"
            ),
        }
        for i in order {
            let (a, b, c, d) = match rep.indices[o][i] {
                Index::Morris(m) => (m.mu_star, m.mu_star_conf, m.mu, m.sigma),
                Index::Sobol(s) => (s.s1, s.s1_conf, s.st, s.st_conf),
            };
            println!(
                "  {:<44} {:>11} {:>11} {:>11} {:>11}",
                rep.parameters[i],
                num(a),
                num(b),
                num(c),
                num(d)
            );
        }
    }
    if matches!(args.method, SaMethod::Morris) {
        println!("\nmu* = mean |elementary effect| per full range of the parameter; sigma large vs mu* = non-linear or interacting");
    }
    println!(
        "outputs in {}: sensitivity.csv, sensitivity.json, samples.csv",
        dir.display()
    );
    Ok(())
}
