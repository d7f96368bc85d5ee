//! `corridor new siege <dir>`: writes a commented template scenario that runs
//! as it is, to start a new scenario from.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// What `corridor new` can write.
#[derive(clap::Subcommand)]
pub enum NewWhat {
    /// A siege scenario: scenario.yml (every key commented, with its unit and
    /// its section of docs/scenario-format.md), the network CSVs, simsetting.yml,
    /// observed/validation.csv and a what-if variant.
    Siege {
        /// The folder to write (created; it must not exist or be empty).
        dir: PathBuf,
    },
}

/// The files of the siege template, relative to its folder, built into the binary.
pub const SIEGE_TEMPLATE: [(&str, &str); 8] = [
    (
        "scenario.yml",
        include_str!("../templates/siege/scenario.yml"),
    ),
    (
        "locations.csv",
        include_str!("../templates/siege/locations.csv"),
    ),
    ("routes.csv", include_str!("../templates/siege/routes.csv")),
    (
        "conflicts.csv",
        include_str!("../templates/siege/conflicts.csv"),
    ),
    (
        "simsetting.yml",
        include_str!("../templates/siege/simsetting.yml"),
    ),
    (
        "observed/validation.csv",
        include_str!("../templates/siege/observed/validation.csv"),
    ),
    (
        "variants/more-boats.yml",
        include_str!("../templates/siege/variants/more-boats.yml"),
    ),
    ("README.md", include_str!("../templates/siege/README.md")),
];

/// `corridor new`.
pub fn new(what: &NewWhat) -> Result<()> {
    match what {
        NewWhat::Siege { dir } => {
            write_template(dir, &SIEGE_TEMPLATE)?;
            println!(
                "Wrote a siege scenario to {d}.\n\
                 Run it:        corridor run {d}\n\
                 Compare:       corridor compare {d} {d}/variants/more-boats.yml\n\
                 Every key of scenario.yml is described in docs/scenario-format.md.",
                d = dir.display()
            );
            Ok(())
        }
    }
}

/// Writes `files` into `dir`, refusing a folder that already holds anything.
fn write_template(dir: &Path, files: &[(&str, &str)]) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!(
                "{} exists and is not a folder\n  hint: name a new folder, e.g. `corridor new siege my-siege`",
                dir.display()
            );
        }
        let occupied = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .next()
            .is_some();
        if occupied {
            bail!(
                "{} is not empty; corridor new never overwrites files\n  hint: name a new or empty folder",
                dir.display()
            );
        }
    }
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        crate::commands::write(&path, text.as_bytes())?;
    }
    Ok(())
}
