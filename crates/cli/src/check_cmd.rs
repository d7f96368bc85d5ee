//! `corridor check <scenario>`: every problem of a scenario at once, without
//! running it. The checks are the readers' own (`corridor_io::check_scenario`)
//! and the engine's before a first day (`corridor_runs::check_run`: day-0
//! agents against the agent limit, settings, rule inputs), the same a run
//! stops on; this command only prints them all.
//!
//! Exit status: 0 when there is no error (warnings are printed), 2 when there
//! is at least one error; with `--strict`, 1 when there are warnings only.

use anyhow::Result;
use std::path::PathBuf;

/// Arguments of `corridor check`.
#[derive(clap::Args, Clone, Debug)]
pub struct CheckArgs {
    /// Scenario: a Flee/FabFlee folder, a corridor scenario (folder or scenario.yml), or a variant.
    pub scenario: PathBuf,
    /// Settings file in Flee's simsetting.yml schema (default: the scenario's own).
    #[arg(long)]
    pub settings: Option<PathBuf>,
    /// Check against a run of this many days (as `run --days` would): interventions after it are reported.
    #[arg(long, value_parser = crate::day_count)]
    pub days: Option<u32>,
    /// Exit with status 1 when there are warnings (and no errors).
    #[arg(long)]
    pub strict: bool,
}

/// Exit status when the scenario has errors.
pub const EXIT_ERRORS: i32 = 2;
/// Exit status with `--strict` when the scenario has warnings only.
pub const EXIT_WARNINGS: i32 = 1;

/// Prints every error and warning; returns the exit status.
pub fn check(args: &CheckArgs) -> Result<i32> {
    let (scenario, mut d) = corridor_io::check_scenario(&args.scenario, args.settings.as_deref());
    if let (Some(sc), Some(days)) = (&scenario, args.days) {
        for iv in sc.siege.iter().flat_map(|s| &s.interventions) {
            if iv.day >= days as i64 {
                d.warnings.push(corridor_io::Warning {
                    path: args.scenario.clone(),
                    line: None,
                    message: format!(
                        "--days {days}: the intervention on day {} ({}) falls after the run and \
                         will be skipped",
                        iv.day,
                        if iv.note.is_empty() {
                            "no note"
                        } else {
                            &iv.note
                        }
                    ),
                });
            }
        }
    }
    // What a run would stop on before its first day (the day-0 agents
    // against the agent limit, settings, rule inputs), once the readers accept it.
    let mut run_errors = Vec::new();
    if let (Some(sc), true) = (&scenario, d.errors.is_empty()) {
        if let Err(e) = corridor_runs::check_run(sc, args.days) {
            run_errors.push(format!("{}: {e}", args.scenario.display()));
        }
    }
    for e in &d.errors {
        println!("error: {e}");
    }
    for e in &run_errors {
        println!("error: {e}");
    }
    for w in &d.warnings {
        println!("{w}");
    }
    let what = match &scenario {
        Some(s) => format!(
            "{} ({} locations, {} routes)",
            s.name,
            s.locations.len(),
            s.routes.len()
        ),
        None => args.scenario.display().to_string(),
    };
    let errors = d.errors.len() + run_errors.len();
    println!(
        "{what}: {errors} error{}, {} warning{}",
        if errors == 1 { "" } else { "s" },
        d.warnings.len(),
        if d.warnings.len() == 1 { "" } else { "s" },
    );
    Ok(if errors > 0 {
        EXIT_ERRORS
    } else if args.strict && !d.warnings.is_empty() {
        EXIT_WARNINGS
    } else {
        0
    })
}
