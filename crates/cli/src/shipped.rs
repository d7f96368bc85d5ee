//! The Fallujah 2016 scenario, built into the binary.
//!
//! `corridor` with no arguments must work from any directory and after
//! `cargo install --path crates/cli`, where no source tree is at hand. So the
//! files the scenario reader opens are compiled in (listed once, in [`FILES`]),
//! written to a fresh temporary folder for the run, and removed afterwards.
//! The test below reads the extracted copy and the repository folder and
//! requires the same scenario, so the list cannot drift from what the reader needs.

use std::path::{Path, PathBuf};

/// The repository folder the shipped scenario comes from (named in messages).
pub const SOURCE: &str = "scenarios/fallujah-2016";

/// Lists each file once, as (path inside the scenario folder, bytes).
macro_rules! embed {
    ($($file:literal),+ $(,)?) => {
        &[$((
            $file,
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../scenarios/fallujah-2016/",
                $file
            )) as &[u8],
        )),+]
    };
}

/// Every file of `scenarios/fallujah-2016` that reading the scenario needs:
/// `scenario.yml` and the files it names. Documentation, sources, tools and
/// variants stay in the repository.
pub const FILES: &[(&str, &[u8])] = embed![
    "scenario.yml",
    "simsetting.yml",
    "locations.csv",
    "routes.csv",
    "conflicts.csv",
    "observed/validation.csv",
    "space.yml",
];

/// The shipped scenario written out to a temporary folder; the folder is
/// removed when this value is dropped.
pub struct Extracted {
    dir: PathBuf,
}

impl Extracted {
    /// Writes [`FILES`] into a new folder under the system's temporary directory.
    pub fn new() -> std::io::Result<Extracted> {
        let extracted = Extracted {
            dir: fresh_temp_dir()?,
        };
        for (name, bytes) in FILES {
            let path = extracted.dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, bytes)?;
        }
        Ok(extracted)
    }

    /// The scenario folder (holding `scenario.yml`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Extracted {
    fn drop(&mut self) {
        // Best effort: a leftover folder in the temporary directory is harmless.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A folder that did not exist before, so two runs at once never share one.
fn fresh_temp_dir() -> std::io::Result<PathBuf> {
    let base = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut attempt = 0u32;
    loop {
        let dir = base.join(format!(
            "corridor-fallujah-2016-{}-{nanos}-{attempt}",
            std::process::id()
        ));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(SOURCE)
    }

    #[test]
    fn extracted_copy_reads_as_the_repository_folder() {
        let extracted = Extracted::new().unwrap();
        let (mut from_copy, copy_warnings) =
            corridor_io::read_scenario(extracted.dir(), None).expect("the embedded files suffice");
        let (mut from_repo, repo_warnings) =
            corridor_io::read_scenario(&source_dir(), None).unwrap();
        // The uncertainty file is named by its resolved path, which differs by folder.
        let (a, b) = (
            from_copy
                .siege
                .as_mut()
                .unwrap()
                .uncertainty
                .take()
                .unwrap(),
            from_repo
                .siege
                .as_mut()
                .unwrap()
                .uncertainty
                .take()
                .unwrap(),
        );
        assert!(a.is_file() && b.is_file() && a.file_name() == b.file_name());
        // Scenario has no PartialEq; its Debug form prints every field (floats exactly).
        assert_eq!(format!("{from_copy:?}"), format!("{from_repo:?}"));
        assert_eq!(copy_warnings.len(), repo_warnings.len());
    }

    #[test]
    fn every_file_scenario_yml_names_is_embedded() {
        let yml = std::str::from_utf8(FILES[0].1).unwrap();
        assert_eq!(FILES[0].0, "scenario.yml");
        let keys = [
            "locations",
            "routes",
            "closures",
            "conflicts",
            "settings",
            "observations",
            "uncertainty",
        ];
        let mut named = 0;
        for line in yml.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if !keys.contains(&key) {
                continue;
            }
            let file = value.split('#').next().unwrap().trim();
            assert!(
                FILES.iter().any(|(name, _)| *name == file),
                "scenario.yml names {file} ({key}) but shipped.rs does not embed it"
            );
            named += 1;
        }
        assert!(named >= 5, "found only {named} file keys in scenario.yml");
    }

    #[test]
    fn extracted_folder_is_removed_on_drop() {
        let extracted = Extracted::new().unwrap();
        let dir = extracted.dir().to_path_buf();
        assert!(dir.join("observed/validation.csv").is_file());
        drop(extracted);
        assert!(!dir.exists());
    }
}
