//! Fuzzing of every reader: structured mutations of a small seed corpus
//! (`tests/fuzz-corpus/`: a Flee folder, one with the inputs of Flee's other
//! models — demographics, IPC table, location changes, conflict-driven
//! spawning, agent and link logs, major routes, agents.csv — and a siege
//! scenario with a variant) and arbitrary bytes. Each case must end in a scenario or a clean error —
//! never a panic — within a time bound.
//!
//! The default `cargo test` run is bounded (a few hundred cases, seconds in
//! release); `CORRIDOR_FUZZ_CASES=20000 cargo test --release -p corridor-io
//! --test fuzz` runs longer. Failing cases proptest finds are kept in
//! `tests/fuzz-corpus/regressions.txt` and replayed first; the classes they
//! revealed have their own tests in `fuzz_regressions` below.

use corridor_io::{check_scenario, parse_settings_str, read_scenario};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz-corpus");

/// Longest a reader may take on one small case.
const TIME_BOUND: Duration = Duration::from_secs(20);

/// The files a case may mutate: (corpus folder, file inside it).
const FILES: &[(&str, &str)] = &[
    ("flee", "input_csv/locations.csv"),
    ("flee", "input_csv/routes.csv"),
    ("flee", "input_csv/closures.csv"),
    ("flee", "input_csv/conflicts.csv"),
    ("flee", "input_csv/sim_period.csv"),
    ("flee", "input_csv/registration_corrections.csv"),
    ("flee", "source_data/data_layout.csv"),
    ("flee", "source_data/mbera.csv"),
    ("flee", "simsetting.yml"),
    ("flee-models", "input_csv/demographics_age.csv"),
    ("flee-models", "input_csv/demographics_gender.csv"),
    ("flee-models", "input_csv/region_attributes_IPC.csv"),
    ("flee-models", "location_changes.csv"),
    ("flee-models", "input_csv/major_routes.csv"),
    ("flee-models", "input_csv/agents.csv"),
    ("flee-models", "simsetting.yml"),
    ("siege", "scenario.yml"),
    ("siege", "variant.yml"),
    ("siege", "locations.csv"),
    ("siege", "routes.csv"),
    ("siege", "simsetting.yml"),
    ("siege", "observed/validation.csv"),
];

/// Values that have broken readers elsewhere: empty, signs, huge, non-finite,
/// non-ASCII, separators, quotes, comment marks, a BOM.
const NASTY: &[&str] = &[
    "",
    "-1",
    "-0",
    "0",
    "1e308",
    "-1e308",
    "1e999",
    "NaN",
    "nan",
    "inf",
    "-inf",
    ".nan",
    "99999999999999999999999",
    "18446744073709551616",
    "4294967296",
    "2147483648",
    "0x10",
    "1_000",
    "3.5",
    "ü",
    "Fallujah‎",
    "🏳️‍🌈",
    "\"",
    "\"\"",
    ",",
    ";",
    "\t",
    "#",
    "\u{feff}",
    "\\",
    "null",
    "~",
    "[]",
    "{}",
    "[1, 2, 3]",
    "*a",
    "&a x",
    "!!binary aGk=",
    "2016-02-30",
    "9999-12-31",
    "0000-01-01",
    "true",
    "False",
    "unlimited",
    "never",
    "../scenario.yml",
    "variant.yml",
    "/dev/zero",
    "/",
];

/// One change to a file's text.
#[derive(Debug, Clone)]
enum Mutation {
    DropLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
    /// Replace field `field` of line `line` (split at `,`, or after `: `).
    SetField(usize, usize, String),
    DropField(usize, usize),
    DuplicateField(usize, usize),
    SwapFields(usize, usize, usize),
    /// Insert text at a byte position.
    Insert(usize, String),
    /// The whole file replaced by bytes.
    Bytes(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let value = prop_oneof![
        3 => proptest::sample::select(NASTY).prop_map(str::to_string),
        1 => "\\PC{0,12}",
        1 => any::<f64>().prop_map(|v| v.to_string()),
        1 => any::<i64>().prop_map(|v| v.to_string()),
    ];
    let n = 0..64usize;
    prop_oneof![
        1 => n.clone().prop_map(Mutation::DropLine),
        1 => n.clone().prop_map(Mutation::DuplicateLine),
        1 => (n.clone(), n.clone()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (0..4096usize).prop_map(Mutation::Truncate),
        4 => (n.clone(), 0..10usize, value.clone()).prop_map(|(l, f, v)| Mutation::SetField(l, f, v)),
        1 => (n.clone(), 0..10usize).prop_map(|(l, f)| Mutation::DropField(l, f)),
        1 => (n.clone(), 0..10usize).prop_map(|(l, f)| Mutation::DuplicateField(l, f)),
        1 => (n.clone(), 0..10usize, 0..10usize).prop_map(|(l, a, b)| Mutation::SwapFields(l, a, b)),
        1 => (0..4096usize, value).prop_map(|(at, v)| Mutation::Insert(at, v)),
        1 => proptest::collection::vec(any::<u8>(), 0..512).prop_map(Mutation::Bytes),
    ]
}

/// Splits a line into fields: CSV cells, or a YAML line's key and the rest.
fn fields(line: &str) -> Vec<String> {
    if line.contains(',') {
        line.split(',').map(str::to_string).collect()
    } else if let Some((k, v)) = line.split_once(": ") {
        vec![format!("{k}:"), format!(" {v}")]
    } else {
        vec![line.to_string()]
    }
}

fn join(line: &str, f: &[String]) -> String {
    if line.contains(',') {
        f.join(",")
    } else {
        f.concat()
    }
}

/// Applies `m` to `text` (indices wrap around; nothing here panics).
fn apply(text: &[u8], m: &Mutation) -> Vec<u8> {
    let s = String::from_utf8_lossy(text).into_owned();
    let mut lines: Vec<String> = s.split('\n').map(str::to_string).collect();
    let n = lines.len().max(1);
    let edit_fields = |lines: &mut Vec<String>, l: usize, f: &dyn Fn(&mut Vec<String>)| {
        let l = l % n;
        if let Some(line) = lines.get(l).cloned() {
            let mut v = fields(&line);
            f(&mut v);
            lines[l] = join(&line, &v);
        }
    };
    match m {
        Mutation::DropLine(l) => {
            if !lines.is_empty() {
                lines.remove(l % n);
            }
        }
        Mutation::DuplicateLine(l) => {
            if let Some(line) = lines.get(l % n).cloned() {
                lines.insert(l % n, line);
            }
        }
        Mutation::SwapLines(a, b) => {
            if !lines.is_empty() {
                lines.swap(a % n, b % n);
            }
        }
        Mutation::Truncate(at) => return text[..(*at).min(text.len())].to_vec(),
        Mutation::SetField(l, f, v) => edit_fields(&mut lines, *l, &|x: &mut Vec<String>| {
            let i = f % x.len().max(1);
            if i < x.len() {
                x[i] = if x[i].ends_with(':') {
                    format!("{v}:")
                } else {
                    v.clone()
                };
                if i == 1 && x[0].ends_with(':') {
                    x[1] = format!(" {v}");
                }
            }
        }),
        Mutation::DropField(l, f) => edit_fields(&mut lines, *l, &|x: &mut Vec<String>| {
            if !x.is_empty() {
                let i = f % x.len();
                x.remove(i);
            }
        }),
        Mutation::DuplicateField(l, f) => edit_fields(&mut lines, *l, &|x: &mut Vec<String>| {
            if !x.is_empty() {
                let i = f % x.len();
                let c = x[i].clone();
                x.insert(i, c);
            }
        }),
        Mutation::SwapFields(l, a, b) => edit_fields(&mut lines, *l, &|x: &mut Vec<String>| {
            if !x.is_empty() {
                let n = x.len();
                x.swap(a % n, b % n);
            }
        }),
        Mutation::Insert(at, v) => {
            let mut out = text.to_vec();
            let at = (*at).min(out.len());
            out.splice(at..at, v.bytes());
            return out;
        }
        Mutation::Bytes(b) => return b.clone(),
    }
    lines.join("\n").into_bytes()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Reads `path` on its own thread: a clean result within [`TIME_BOUND`], or
/// the failure (a panic, or no answer in time).
fn read_in_time(path: PathBuf) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    let shown = path.display().to_string();
    std::thread::Builder::new()
        .name("fuzz-case".into())
        .spawn(move || {
            // Both entry points: the collecting one (`check`) and the one a run uses.
            let (scenario, d) = check_scenario(&path, None);
            let read = read_scenario(&path, None);
            // Both say the same: usable exactly when there is no error.
            let agree = read.is_ok() == (scenario.is_some() && d.errors.is_empty());
            for e in &d.errors {
                // Every error renders, and names a file.
                assert!(!e.to_string().is_empty());
            }
            tx.send(agree).ok();
        })
        .map_err(|e| e.to_string())?;
    match rx.recv_timeout(TIME_BOUND) {
        Ok(true) => Ok(()),
        Ok(false) => Err(format!("{shown}: check and read disagree")),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Err(format!("{shown}: no answer in {TIME_BOUND:?}"))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(format!("{shown}: the reader panicked")),
    }
}

/// The scenario of a case: the Flee folder, the siege scenario or its variant.
fn target(dir: &Path, corpus: &str, variant: bool) -> PathBuf {
    match (corpus, variant) {
        ("flee", _) => dir.join("flee"),
        ("flee-models", _) => dir.join("flee-models"),
        (_, false) => dir.join("siege"),
        (_, true) => dir.join("siege/variant.yml"),
    }
}

fn cases() -> u32 {
    std::env::var("CORRIDOR_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn config() -> Config {
    Config {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz-corpus/regressions.txt"
        )))),
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// One or two mutations of one corpus file, then every reader of the scenario.
    #[test]
    fn mutated_scenarios_read_cleanly(
        file in 0..FILES.len(),
        first in mutation(),
        second in proptest::option::of(mutation()),
        variant in any::<bool>(),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(Path::new(CORPUS), tmp.path());
        let (corpus, rel) = FILES[file];
        let path = tmp.path().join(corpus).join(rel);
        let mut text = std::fs::read(&path).unwrap();
        text = apply(&text, &first);
        if let Some(m) = &second {
            text = apply(&text, m);
        }
        std::fs::write(&path, &text).unwrap();
        let r = read_in_time(target(tmp.path(), corpus, variant));
        prop_assert!(r.is_ok(), "{}: {:?} / {:?}: {}", rel, first, second, r.unwrap_err());
    }

    /// Settings YAML from arbitrary text, and from mutated settings.
    #[test]
    fn settings_text_reads_cleanly(text in "\\PC{0,200}", m in mutation()) {
        let _ = parse_settings_str(&text, "s.yml");
        for file in ["flee/simsetting.yml", "flee-models/simsetting.yml"] {
            let base = std::fs::read(Path::new(CORPUS).join(file)).unwrap();
            let mutated = String::from_utf8_lossy(&apply(&base, &m)).into_owned();
            let _ = parse_settings_str(&mutated, "s.yml");
        }
    }
}

/// The corpus itself reads without a problem (so that mutations, not the
/// seed, are what the cases test).
#[test]
fn the_seed_corpus_is_clean() {
    for p in ["flee", "flee-models", "siege", "siege/variant.yml"] {
        let (scenario, d) = check_scenario(&Path::new(CORPUS).join(p), None);
        assert!(scenario.is_some(), "{p}");
        assert!(d.is_clean(), "{p}: {:?} {:?}", d.errors, d.warnings);
    }
}
