//! Helpers shared by the integration tests: locating and naming the Flee reference outputs.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use corridor_analysis::FleeOutput;

/// `data/flee/reference` in the repository.
pub const REFERENCE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/flee/reference");

/// One reference file `rep_h<hasten>_<scenario>_<rep>.csv`.
#[derive(Debug, Clone)]
pub struct RefFile {
    pub path: PathBuf,
    /// `h1`, `h10` or `h100`, as in `summary.csv`.
    pub hasten: String,
    pub scenario: String,
    pub rep: u32,
}

/// Splits `rep_h100_nigeria2022_adm2_3.csv` into `("h100", "nigeria2022_adm2", 3)`.
pub fn parse_name(name: &str) -> Option<(String, String, u32)> {
    let stem = name.strip_prefix("rep_")?.strip_suffix(".csv")?;
    let (hasten, rest) = stem.split_once('_')?;
    let (scenario, rep) = rest.rsplit_once('_')?;
    if !hasten.starts_with('h') {
        return None;
    }
    Some((hasten.to_string(), scenario.to_string(), rep.parse().ok()?))
}

/// All reference files, sorted by name. Panics (failing the test) if the directory is missing.
pub fn reference_files() -> Vec<RefFile> {
    let dir = Path::new(REFERENCE_DIR);
    let mut files: Vec<RefFile> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.to_string();
            let (hasten, scenario, rep) = parse_name(&name)?;
            Some(RefFile {
                path,
                hasten,
                scenario,
                rep,
            })
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(
        files.len() >= 40,
        "expected the reference outputs in {}, found {}",
        dir.display(),
        files.len()
    );
    files
}

/// Reads a reference file, failing the test with the parse error.
pub fn read(path: &Path) -> FleeOutput {
    FleeOutput::read(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Reference outputs grouped by `(scenario, hasten)`.
pub fn groups() -> BTreeMap<(String, String), Vec<RefFile>> {
    let mut g: BTreeMap<(String, String), Vec<RefFile>> = BTreeMap::new();
    for f in reference_files() {
        g.entry((f.scenario.clone(), f.hasten.clone()))
            .or_default()
            .push(f);
    }
    g
}
