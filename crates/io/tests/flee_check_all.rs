//! `corridor check` on a Flee folder reports the errors of every file at once;
//! a run stops on the first of them, through the same reader.

use corridor_io::{check_scenario, read_flee_scenario};
use std::fs;
use std::path::Path;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz-corpus/flee");

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::write(&target, fs::read(e.path()).unwrap()).unwrap();
        }
    }
}

#[test]
fn check_reports_the_errors_of_every_flee_file_and_a_run_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("flee");
    copy_dir(Path::new(CORPUS), &dir);
    let edit = |rel: &str, from: &str, to: &str| {
        let p = dir.join(rel);
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel}");
        fs::write(&p, text.replacen(from, to, 1)).unwrap();
    };
    edit("input_csv/routes.csv", "Kidal,Gao,300,0", "Kidal,Gao,far,0");
    edit("input_csv/closures.csv", "link,Town", "bridge,Town");
    edit("source_data/data_layout.csv", "abala.csv", "missing.csv");

    let (scenario, d) = check_scenario(&dir, None);
    assert!(scenario.is_none());
    let files: Vec<String> = d.errors.iter().map(|e| e.to_string()).collect();
    for file in ["routes.csv", "closures.csv", "missing.csv"] {
        assert!(
            files.iter().filter(|e| e.contains(file)).count() == 1,
            "one error for {file}: {files:#?}"
        );
    }
    assert_eq!(d.errors.len(), 3, "{files:#?}");
    // A run stops on the first, in file order: routes.csv.
    let first = read_flee_scenario(&dir, None).unwrap_err().to_string();
    assert_eq!(first, files[0]);
    assert!(first.contains("routes.csv"), "{first}");
}
