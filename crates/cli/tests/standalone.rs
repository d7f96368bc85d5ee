//! `corridor` with no arguments needs no source tree: the shipped scenario is
//! built into the binary.

use std::process::Command;

#[test]
fn no_arguments_runs_the_shipped_scenario_away_from_the_repository() {
    // A copy of the binary in a folder of its own, run from an empty folder, with
    // its own temporary directory: nothing of the repository is reachable by a
    // relative path, and what the run extracts can be seen to be cleaned up.
    let bin_dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let bin = bin_dir.path().join("corridor");
    std::fs::copy(env!("CARGO_BIN_EXE_corridor"), &bin).unwrap();

    let out = Command::new(&bin)
        .current_dir(work.path())
        .env("CORRIDOR_LOG", "error")
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "corridor failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for needle in [
        "Running the shipped scenario scenarios/fallujah-2016",
        "Fallujah 2016: 55 days from 2016-05-22, seed 1\n",
        "in camp AAF",
        "trapped",
        "killed: shot while fleeing",
        "killed: drowned",
        "one simulated household stands for 6 people",
        "in camps (all)",
        "on the road or in towns",
        "held after screening",
        "observed vs simulated",
        "displaced",
        "outputs in out/fallujah-2016",
    ] {
        assert!(text.contains(needle), "missing '{needle}' in:\n{text}");
    }
    let outputs = work.path().join("out/fallujah-2016");
    for file in ["out.csv", "summary.json", "fates.csv"] {
        assert!(outputs.join(file).is_file(), "no {file} in {outputs:?}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(
        leftovers.is_empty(),
        "the extracted scenario was not removed: {leftovers:?}"
    );
}

#[test]
fn no_arguments_writes_what_run_of_the_repository_folder_writes() {
    let work = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .current_dir(work.path())
        .env("CORRIDOR_LOG", "error")
        .status()
        .unwrap();
    assert!(status.success());
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/fallujah-2016");
    let status = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .current_dir(work.path())
        .env("CORRIDOR_LOG", "error")
        .args(["run", scenario, "-q", "-o", "repo"])
        .status()
        .unwrap();
    assert!(status.success());
    for file in ["out.csv", "fates.csv"] {
        let shipped = std::fs::read(work.path().join("out/fallujah-2016").join(file)).unwrap();
        let repo = std::fs::read(work.path().join("repo").join(file)).unwrap();
        assert!(
            shipped == repo,
            "{file} differs between the shipped and the repository scenario"
        );
    }
}
