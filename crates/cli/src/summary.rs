//! Readable terminal summaries.

use crate::commands::RunResult;
use crate::RunArgs;
use corridor_analysis::{ard, ArdMode, FleeOutput};
use corridor_engine::siege::thousands;

/// The terminal summary of `corridor run`.
pub fn print(res: &RunResult, args: &RunArgs) {
    let r = &res.run;
    let Some(last) = r.output.days.last() else {
        println!("no days simulated");
        return;
    };
    let date = corridor_model::date::iso(last.date_epoch_day);
    // A siege run speaks a planner's language (people, households, days);
    // a Flee run keeps Flee's terms (hasten, agents).
    let hasten = match (&r.siege, res.scenario.settings.hasten) {
        (Some(_), 1) => String::new(),
        (Some(_), h) => format!(", populations divided by {h}"),
        (None, h) => format!(", hasten {h}"),
    };
    println!(
        "{}: {} days from {}, seed {}{hasten}",
        res.scenario.name,
        r.output.days.len(),
        res.scenario.start_date,
        args.seed,
    );
    if let Some(s) = &r.siege {
        s.print_summary(&mut std::io::stdout()).ok();
        println!(
            "\n{} household-days simulated in {:.2} s; outputs in {}",
            thousands(r.stats.agent_days as i64),
            r.seconds,
            args.output.display()
        );
        return;
    } else {
        println!(
            "\n{:<28} {:>12} {:>12}",
            format!("camp (on {date})"),
            "simulated",
            "observed"
        );
        for (i, name) in r.output.camps.iter().enumerate() {
            println!(
                "{:<28} {:>12} {:>12}",
                name,
                thousands(last.camp_sim[i]),
                thousands(last.camp_data[i])
            );
        }
        println!(
            "{:<28} {:>12} {:>12}",
            "all camps",
            thousands(last.sim_in_camps()),
            thousands(last.data_in_camps())
        );
        println!("agents created: {}", thousands(last.total_agents));
        if let Some((n, s)) = corridor_runs::run_ard(&r.output) {
            println!("averaged relative difference: {n:.4} (normal), {s:.4} (rescaled)");
        }
    }
    let rate = r.stats.agent_days as f64 / r.seconds.max(1e-9);
    println!(
        "{} agent-days in {:.2} s ({:.1} M agent-days/s); outputs in {}",
        thousands(r.stats.agent_days as i64),
        r.seconds,
        rate / 1e6,
        args.output.display()
    );
}

/// The errors of one out.csv as Flee's `extract-validation-results.py` prints them.
pub fn print_validation(out: &FleeOutput) {
    println!(
        "{:<28} {:>14} {:>14}",
        "camp", "mean |sim-data|", "ratio diff ave"
    );
    let ratios = corridor_analysis::metrics::ratio_difference_ave(out);
    for (i, c) in out.camps().iter().enumerate() {
        let mad: f64 = c
            .sim
            .iter()
            .zip(&c.data)
            .map(|(s, d)| (s - d).abs())
            .sum::<f64>()
            / c.sim.len().max(1) as f64;
        println!("{:<28} {:>14.1} {:>14.4}", c.name, mad, ratios[i]);
    }
    println!("Error (normal):   {:.6}", ard(out, ArdMode::Normal));
    println!("Error (rescaled): {:.6}", ard(out, ArdMode::Rescaled));
    if let Ok(report) = corridor_analysis::validation_report(out) {
        println!("MASE (run level): {:?}", report.mase);
    }
}
