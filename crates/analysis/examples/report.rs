//! Prints the `extract-validation-results.py` report of one `out.csv`.
//!
//! Usage: `cargo run -p corridor-analysis --example report -- path/to/out.csv`

use corridor_analysis::{validation_report, FleeOutput};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: report <out.csv>");
        std::process::exit(2);
    };
    let result = FleeOutput::read(&path).and_then(|out| validation_report(&out));
    match result {
        Ok(rep) => {
            for c in &rep.camps {
                println!(
                    "{}: mase7 {} mase7-sloped {} mase7-ratio {} mase30 {} mase30-sloped {} mase30-ratio {} N {} ratio difference ave {}",
                    c.name,
                    c.mase.mase7,
                    c.mase.mase7_sloped,
                    c.mase.mase7_ratio,
                    c.mase.mase30,
                    c.mase.mase30_sloped,
                    c.mase.mase30_ratio,
                    c.n,
                    c.ratio_difference_ave
                );
            }
            println!("totals: {:?}", rep.mase);
            println!(
                "Error (normal): {}\nError (rescaled): {}\nSimulation Period: {}",
                rep.error_normal, rep.error_rescaled, rep.simulation_period
            );
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
