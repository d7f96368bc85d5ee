//! `corridor report`, `corridor export-geojson`, `corridor export-parquet` and
//! `corridor validate` (tables as CSV/JSON).

use crate::commands::{load, progress_bar, thread_pool, write};
use crate::{RunArgs, SimOptions};
use anyhow::{bail, Context, Result};
use corridor_analysis::FleeOutput;
use corridor_engine::{RunOptions, Simulation};
use corridor_model::Scenario;
use corridor_report::sampler;
use corridor_report::{inputs, ClosureRecord, ErrorTable, Forecast, ParamSpace, Run};
use corridor_runs::{flee_output, run_replicates, OutputSet};
use std::path::{Path, PathBuf};

const GENERATOR: &str = concat!("corridor ", env!("CARGO_PKG_VERSION"));

/// Records which routes are closed each day of a replicate.
struct Closures(ClosureRecord);

impl corridor_runs::Watch for Closures {
    fn day(&mut self, sim: &Simulation) {
        self.0.record(sim);
    }
}

/// Runs `n` replicates (parameters sampled from `space`, if any) as the
/// report's runs; replicate 0 also records which routes are closed each day.
fn report_runs(
    pool: &rayon::ThreadPool,
    scenario: &Scenario,
    n: usize,
    sim: &SimOptions,
    space: Option<&ParamSpace>,
) -> Result<(Vec<Run>, Option<ClosureRecord>)> {
    let bar = progress_bar("replicate", sim.quiet);
    bar.set_length(n as u64);
    let reps = pool.install(|| {
        run_replicates(
            n,
            sim.seed,
            sim.days,
            sampler(scenario, space, sim.seed),
            |i| (i == 0).then(|| Closures(ClosureRecord::default())),
            &|| bar.inc(1),
        )
    })?;
    bar.finish_and_clear();
    let mut record = None;
    let mut runs = Vec::with_capacity(n);
    for r in reps {
        if let Some(Closures(rec)) = r.watch {
            record = Some(rec);
        }
        runs.push(Run {
            label: format!("replicate {}", r.replicate),
            seed: Some(r.seed),
            out: flee_output(&r.output, format!("seed {}", r.seed))?,
            params: r.params,
            siege: r.siege,
        });
    }
    Ok((runs, record))
}

/// Options of `corridor report`.
#[derive(clap::Args, Clone, Debug)]
pub struct ReportArgs {
    /// A scenario (run as an ensemble of -n replicates) and/or existing outputs:
    /// folders written by `corridor run`, or out.csv files (Flee's too); each output is one run.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub sim: SimOptions,
    /// Replicates to run when a scenario is given.
    #[arg(short = 'n', long = "replicates", default_value_t = 20, value_parser = crate::at_least_one)]
    pub n: usize,
    /// YAML file of parameter ranges sampled per replicate (`move_rules.default_movechance: [0.3, 0.7]`);
    /// default: the scenario's `uncertainty:` file, if it declares one.
    #[arg(long)]
    pub params: Option<PathBuf>,
    /// Vary only the seed, not the parameter ranges the scenario declares (`uncertainty:`).
    #[arg(long)]
    pub seeds_only: bool,
    /// The HTML file to write.
    #[arg(short, long, default_value = "out/report.html")]
    pub output: PathBuf,
    /// Page title (default: the scenario's name).
    #[arg(long)]
    pub title: Option<String>,
    /// Also write every chart as PNG into <report>-figures/.
    #[arg(long)]
    pub png: bool,
    /// Also write every chart as SVG into <report>-figures/.
    #[arg(long)]
    pub svg: bool,
    /// Also write the route network as GeoJSON (<report stem>.geojson).
    #[arg(long)]
    pub geojson: bool,
    /// Also write the report's tables (camps, totals, fates, runs, errors) as CSV into <report>-data/.
    #[arg(long)]
    pub csv: bool,
    /// Also write the report's tables as Parquet into <report>-data/.
    #[arg(long)]
    pub parquet: bool,
}

/// Is `p` an output (a `corridor run` folder or a CSV file) rather than a scenario?
fn is_output(p: &Path) -> bool {
    if p.is_dir() {
        p.join("out.csv").is_file() || p.join("ensemble.csv").is_file()
    } else {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "report".into());
    path.with_file_name(format!("{stem}{suffix}"))
}

/// `corridor report`.
pub fn report(a: &ReportArgs) -> Result<()> {
    let (outputs, scenarios): (Vec<&PathBuf>, Vec<&PathBuf>) =
        a.inputs.iter().partition(|p| is_output(p));
    if scenarios.len() > 1 {
        bail!(
            "give at most one scenario (got {}); the other inputs must be output folders or out.csv files\n  hint: to compare two scenarios use `corridor compare`",
            scenarios.len()
        );
    }
    let run_args = |scenario: &Path| RunArgs {
        scenario: scenario.to_path_buf(),
        sim: a.sim.clone(),
        output: PathBuf::from("out"),
    };
    if let Some(missing) = a.inputs.iter().find(|p| !p.exists()) {
        bail!(
            "{}: no such file or folder\n  hint: give a run's output folder (written by \
             `corridor run -o`), an out.csv, or a scenario to run",
            missing.display()
        );
    }
    if let Some(empty) = scenarios
        .iter()
        .find(|p| p.is_dir() && !p.join("scenario.yml").is_file() && !p.join("input_csv").is_dir())
    {
        bail!(
            "{}: neither a run's output folder (no out.csv or ensemble.csv) nor a scenario \
             (no scenario.yml or input_csv/)\n  hint: give the folder `corridor run -o` wrote, \
             or run the scenario first",
            empty.display()
        );
    }
    let scenario = match scenarios.first() {
        Some(p) => Some(load(&run_args(p)).with_context(|| format!("reading {}", p.display()))?),
        None => None,
    };
    if a.params.is_some() && !outputs.is_empty() {
        bail!("--params applies when the report runs the scenario itself; the outputs given were run already");
    }
    let space = match &scenario {
        Some(sc) if outputs.is_empty() => {
            corridor_report::uncertainty(sc, a.params.as_deref(), a.seeds_only)?
        }
        _ => None,
    };
    let pool = thread_pool(a.sim.threads)?;
    let started = std::time::Instant::now();
    let mut sources = Vec::new();
    let (forecast, closures, master) = if outputs.is_empty() {
        let Some(sc) = &scenario else {
            bail!("nothing to report: give a scenario or output folders");
        };
        if a.n < 1 {
            bail!("-n must be at least 1");
        }
        let (runs, rec) = report_runs(&pool, sc, a.n, &a.sim, space.as_ref())?;
        sources.push(format!(
            "{} replicate{} of {} run by {GENERATOR} (master seed {}){}",
            a.n,
            if a.n == 1 { "" } else { "s" },
            scenarios[0].display(),
            a.sim.seed,
            space
                .as_ref()
                .map(|s| format!(
                    ", {} parameter(s) sampled from {}",
                    s.parameters().len(),
                    s.source
                ))
                .unwrap_or_default()
        ));
        let names = space.as_ref().map(|s| s.names()).unwrap_or_default();
        (Forecast::new(runs, names)?, rec, Some(a.sim.seed))
    } else {
        let mut runs = Vec::new();
        for p in &outputs {
            runs.push(inputs::read_run(p)?);
            sources.push(p.display().to_string());
        }
        let rec = match &scenario {
            Some(sc) => {
                let mut sim = Simulation::new(
                    sc,
                    &RunOptions {
                        seed: a.sim.seed,
                        days: a.sim.days,
                    },
                )?;
                Some(pool.install(|| ClosureRecord::of_run(&mut sim))?)
            }
            None => None,
        };
        (Forecast::new(runs, vec![])?, rec, None)
    };
    // The scenario's own map layers (rivers, front lines, held areas), if it has them.
    let geography = match scenarios.first() {
        Some(p) => corridor_report::Geography::beside(p)?,
        None => None,
    };
    let rep = corridor_report::build(&corridor_report::ReportInput {
        title: a.title.clone(),
        scenario: scenario.as_ref(),
        closures: closures.as_ref(),
        geography: geography.as_ref(),
        forecast: &forecast,
        params: space.as_ref(),
        master_seed: master,
        sources,
        generator: GENERATOR.into(),
    })?;
    // The report and its companions are published together: a failure leaves the old ones.
    let folder = a.output.parent().unwrap_or(Path::new(""));
    let name = |p: &Path| PathBuf::from(p.file_name().unwrap_or_default());
    let mut set = OutputSet::new(folder)?;
    set.add(name(&a.output), rep.html.as_bytes())?;
    let mut written = vec![a.output.display().to_string()];
    if a.png || a.svg {
        let dir = sibling(&a.output, "-figures");
        for fig in &rep.figures {
            if a.svg {
                set.add(
                    name(&dir).join(format!("{}.svg", fig.id)),
                    fig.svg()?.as_bytes(),
                )?;
            }
            if a.png {
                set.add(name(&dir).join(format!("{}.png", fig.id)), &fig.png()?)?;
            }
        }
        written.push(format!("{} ({} charts)", dir.display(), rep.figures.len()));
    }
    if a.geojson {
        let Some(net) = &rep.network else {
            bail!("--geojson needs the scenario (the network comes from its locations and routes)");
        };
        let path = a.output.with_extension("geojson");
        set.add(name(&path), net.geojson_string().as_bytes())?;
        written.push(path.display().to_string());
    }
    if a.csv || a.parquet {
        let dir = sibling(&a.output, "-data");
        let mut tables = vec![
            ("camps", forecast.camps_csv()),
            ("totals", forecast.totals_csv()),
            ("runs", forecast.runs_csv()),
            ("errors", rep.errors.mean_forecast.to_csv()),
        ];
        if let Some(f) = forecast.fates_csv() {
            tables.push(("fates", f));
        }
        for (table, text) in &tables {
            if a.csv {
                set.add(name(&dir).join(format!("{table}.csv")), text.as_bytes())?;
            }
            if a.parquet {
                set.add(
                    name(&dir).join(format!("{table}.parquet")),
                    &to_parquet(text)?,
                )?;
            }
        }
        written.push(format!("{} ({} tables)", dir.display(), tables.len()));
    }
    set.publish()?;
    if !a.sim.quiet {
        println!(
            "report of {} run{} in {:.1} s: {}",
            forecast.runs.len(),
            if forecast.runs.len() == 1 { "" } else { "s" },
            started.elapsed().as_secs_f64(),
            written.join(", ")
        );
        if outputs.is_empty() {
            println!(
                "bands: {}",
                crate::many::band_covers(forecast.runs.len(), space.as_ref())
            );
        }
        if let Some(s) = &forecast.siege {
            let k = s.observed.iter().filter(|o| o.within()).count();
            if !s.observed.is_empty() {
                println!(
                    "{k} of {} observations within their source's range (mean of the runs)",
                    s.observed.len()
                );
            }
        }
    }
    Ok(())
}

#[cfg(feature = "parquet")]
fn to_parquet(csv: &str) -> Result<Vec<u8>> {
    Ok(corridor_report::parquet::csv_to_parquet(csv)?)
}

#[cfg(not(feature = "parquet"))]
fn to_parquet(_csv: &str) -> Result<Vec<u8>> {
    bail!("this corridor was built without Parquet support\n  hint: build with `--features parquet` (on by default)")
}

/// Options of `corridor export-geojson`.
#[derive(clap::Args, Clone, Debug)]
pub struct GeojsonArgs {
    /// Scenario folder (Flee/FabFlee or corridor).
    pub scenario: PathBuf,
    /// Settings file (default: the scenario's); matters only for closures.
    #[arg(long)]
    pub settings: Option<PathBuf>,
    /// The GeoJSON file to write.
    #[arg(short, long, default_value = "network.geojson")]
    pub output: PathBuf,
    /// Do not run the scenario to record which routes close when (faster; no `closed` flags).
    #[arg(long)]
    pub no_closures: bool,
}

/// `corridor export-geojson`.
pub fn export_geojson(a: &GeojsonArgs) -> Result<()> {
    let args = RunArgs {
        scenario: a.scenario.clone(),
        sim: SimOptions {
            settings: a.settings.clone(),
            quiet: true,
            ..SimOptions::default()
        },
        output: PathBuf::from("out"),
    };
    let sc = load(&args)?;
    let rec = if a.no_closures {
        None
    } else {
        let pool = thread_pool(None)?;
        let mut sim = Simulation::new(&sc, &RunOptions::default())?;
        Some(pool.install(|| ClosureRecord::of_run(&mut sim))?)
    };
    let view = corridor_report::NetworkView::new(&sc, rec.as_ref());
    if let Some(dir) = a.output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    write(&a.output, view.geojson_string().as_bytes())?;
    println!(
        "{}: {} locations, {} routes ({} closed on some day) → {}",
        sc.name,
        view.locations.len(),
        view.routes.len(),
        view.routes.iter().filter(|r| r.closed_any()).count(),
        a.output.display()
    );
    Ok(())
}

/// Options of `corridor export-parquet`.
#[derive(clap::Args, Clone, Debug)]
pub struct ParquetArgs {
    /// Output folders (every .csv in them is converted) or CSV files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Write the .parquet files here (default: next to each CSV).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `corridor export-parquet`: converts output CSVs to Parquet.
pub fn export_parquet(a: &ParquetArgs) -> Result<()> {
    let mut files = Vec::new();
    for p in &a.inputs {
        if p.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot read {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|e| e == "csv"))
                .collect();
            v.sort();
            if v.is_empty() {
                bail!("{}: no .csv files in this folder", p.display());
            }
            files.extend(v);
        } else {
            files.push(p.clone());
        }
    }
    if let Some(dir) = &a.output {
        std::fs::create_dir_all(dir)?;
    }
    for f in &files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        let bytes = to_parquet(&text).with_context(|| format!("converting {}", f.display()))?;
        let target = match &a.output {
            Some(dir) => dir.join(f.with_extension("parquet").file_name().unwrap_or_default()),
            None => f.with_extension("parquet"),
        };
        write(&target, &bytes)?;
        println!("{} → {}", f.display(), target.display());
    }
    Ok(())
}

/// Output options of `corridor validate`.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ValidateOutputs {
    /// Write the per-camp and overall errors as CSV to this file.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Write the errors (and siege comparisons) as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Write validation.csv and validation.json into this folder.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print nothing.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `corridor validate`: per-camp and overall ARD (normal, rescaled) and MASE of
/// each out.csv, and for `corridor run` folders of siege scenarios the
/// observations against the simulation.
pub fn validate(paths: &[PathBuf], o: &ValidateOutputs) -> Result<()> {
    let mut csv = ErrorTable::csv_header();
    let mut json_tables = Vec::new();
    for p in paths {
        // An out.csv of a run folder is scored with its summary.json beside it
        // (a siege run's comparisons, not an ARD table of zeros).
        let (out_csv, summary) = if p.is_dir() {
            (p.join("out.csv"), Some(p.join("summary.json")))
        } else {
            (p.clone(), p.parent().map(|d| d.join("summary.json")))
        };
        let out = FleeOutput::read(&out_csv)?;
        let table = ErrorTable::new(&out);
        let siege = match summary.filter(|s| s.is_file()) {
            Some(s) => inputs::read_summary(&s)?.1,
            None => None,
        };
        if !o.quiet {
            // A siege run has no camp series: its ARD table would be all zeros.
            if siege.is_none() {
                print!("{}", table.to_text());
                if table.has_data {
                    println!("as extract-validation-results.py reports it:");
                    crate::summary::print_validation(&out);
                }
            }
            if let Some(s) = &siege {
                let mut stdout = std::io::stdout();
                s.print_comparisons(&mut stdout)?;
            }
            println!();
        }
        csv.push_str(&table.csv_rows());
        json_tables.push(serde_json::json!({
            "errors": table,
            "siege_comparisons": siege.as_ref().map(|s| s.comparisons.iter().map(|c| serde_json::json!({
                "day": c.day, "date": c.date, "what": c.what, "observed": c.observed,
                "simulated": c.simulated, "relative_error": c.relative_error(), "source": c.source,
                "low": c.low, "high": c.high, "within": c.within,
            })).collect::<Vec<_>>()),
        }));
    }
    let json = serde_json::to_string_pretty(&serde_json::json!({
        "generator": GENERATOR,
        "mase_models": corridor_analysis::NaiveModel::ALL.iter().map(|m| m.label()).collect::<Vec<_>>(),
        "tables": json_tables,
    }))? + "\n";
    let mut targets: Vec<(PathBuf, &str)> = Vec::new();
    if let Some(c) = &o.csv {
        targets.push((c.clone(), &csv));
    }
    if let Some(j) = &o.json {
        targets.push((j.clone(), &json));
    }
    if let Some(dir) = &o.output {
        targets.push((dir.join("validation.csv"), &csv));
        targets.push((dir.join("validation.json"), &json));
    }
    for (path, text) in targets {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        write(&path, text.as_bytes())?;
        if !o.quiet {
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}
