//! `agents.csv` with `spawn_rules.read_from_agents_csv_file`
//! (docs/flee-model.md 15.4): the header on the first line, `#` rows
//! skipped, unknown locations skipped with a warning, Flee's crashes as
//! errors with file and line.

use std::fs;
use std::path::{Path, PathBuf};

use corridor_io::read_flee_scenario;

/// Flee's test scenario (A, B, C, C2, D, E, F) with `agents.csv` as given
/// and `settings` as its simsetting.yml.
fn scenario(agents: &str, settings: &str) -> (tempfile::TempDir, PathBuf) {
    let src = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/location_changes/scenario"
    ));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("lc");
    copy_dir(src, &dir);
    fs::write(dir.join("simsetting.yml"), settings).unwrap();
    fs::write(dir.join("input_csv/agents.csv"), agents).unwrap();
    (tmp, dir)
}

const ON: &str = "spawn_rules:\n  read_from_agents_csv_file: True\n";

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn an_agent_at_an_unknown_location_is_skipped_with_a_warning() {
    // Flee's tests/test_load_agent.py: two agents listed, one location known.
    let (_tmp, dir) = scenario("location,age,gender\nA,30,female\nZ,40,male\n", ON);
    let (sc, w) = read_flee_scenario(&dir, None).unwrap();
    let listed = &sc.initial_agents;
    assert_eq!(listed.columns, ["age", "gender"]);
    assert_eq!(listed.agents.len(), 1);
    assert_eq!(listed.agents[0].location, sc.location_id("A").unwrap());
    assert_eq!(listed.agents[0].values, ["30", "female"]);
    let w: Vec<String> = w.iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter()
            .any(|m| m.contains("agents.csv:3") && m.contains("'Z'")),
        "{w:?}"
    );
}

#[test]
fn comment_rows_after_the_header_are_skipped() {
    let (_tmp, dir) = scenario("location,age\n#A,1\nB,2\n# note\nC,3\n", ON);
    let (sc, _) = read_flee_scenario(&dir, None).unwrap();
    let values: Vec<&str> = sc
        .initial_agents
        .agents
        .iter()
        .map(|a| a.values[0].as_str())
        .collect();
    assert_eq!(values, ["2", "3"]);
}

#[test]
fn a_comment_or_blank_line_before_the_header_is_an_error() {
    for text in ["# agents\nlocation,age\nA,3\n", "\nlocation,age\nA,3\n"] {
        let (_tmp, dir) = scenario(text, ON);
        let e = read_flee_scenario(&dir, None).unwrap_err();
        assert!(e.path().ends_with("agents.csv"), "{e}");
        assert_eq!(e.field(), Some("header"), "{e}");
        assert!(e.to_string().contains("before the header"), "{e}");
    }
}

#[test]
fn a_row_with_the_wrong_number_of_cells_is_an_error() {
    let (_tmp, dir) = scenario("location,age\nA,3\nB,4,5\n", ON);
    let e = read_flee_scenario(&dir, None).unwrap_err();
    assert_eq!(e.line(), Some(3), "{e}");
}

#[test]
fn an_age_rule_on_these_string_ages_is_an_error() {
    let settings = format!("{ON}move_rules:\n  ChildrenAvoidHazards: True\n");
    let (_tmp, dir) = scenario("location,age,gender\nA,3,male\n", &settings);
    let e = read_flee_scenario(&dir, None).unwrap_err();
    assert!(e.path().ends_with("agents.csv"), "{e}");
    assert_eq!(e.field(), Some("age"), "{e}");
    assert!(e.to_string().contains("ChildrenAvoidHazards"), "{e}");
}

#[test]
fn without_the_switch_the_file_is_not_read_and_says_so() {
    let (_tmp, dir) = scenario("location,age\nA,3\n", "");
    let (sc, w) = read_flee_scenario(&dir, None).unwrap();
    assert!(sc.initial_agents.agents.is_empty());
    let w: Vec<String> = w.iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter().any(|m| m.contains("agents.csv is not read")),
        "{w:?}"
    );
}
