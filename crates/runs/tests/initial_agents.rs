//! Agents from `agents.csv` through a whole run (docs/flee-model.md 15.4):
//! they are the first agents, carry their columns into `agents.out.0` as
//! written, with no `connections`, and move like anyone else.

use std::fs;
use std::path::Path;

use corridor_runs::run_scenario;

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
fn listed_agents_are_logged_with_their_attributes_and_move() {
    let src = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/location_changes/scenario"
    ));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("lc");
    copy_dir(src, &dir);
    fs::write(
        dir.join("simsetting.yml"),
        "log_levels:\n  agent: 1\nspawn_rules:\n  read_from_agents_csv_file: True\n",
    )
    .unwrap();
    // A and B are conflict zones: these people leave on day 0.
    fs::write(
        dir.join("input_csv/agents.csv"),
        "location,age,religion\nA,30,x\n# not an agent\nB,7,y\n",
    )
    .unwrap();
    let (sc, _) = corridor_io::read_flee_scenario(&dir, None).unwrap();
    let run = run_scenario(&sc, 1, Some(10), &mut |_, _| {}).unwrap();
    let out = run.logs.unwrap().agents_out.unwrap();
    let mut lines = out.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with("distance_moved_this_timestep,connections,age,religion,"),
        "{out}"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    for (id, home, attrs) in [("0-0", "A", ["30", "x"]), ("0-1", "B", ["7", "y"])] {
        let of = || rows.iter().filter(|f| f[1] == id);
        assert_eq!(of().count(), 10, "one row a day for {id}");
        for f in of() {
            // original_location, connections 0, the row's strings.
            assert_eq!((f[2], f[10], f[11], f[12]), (home, "0", attrs[0], attrs[1]));
        }
        assert!(of().any(|f| f[3] != home), "agent {id} never left {home}");
    }
    // Agents spawned later have no such columns: their cells are empty.
    let spawned = rows
        .iter()
        .find(|f| f[1] == "0-2")
        .expect("a spawned agent");
    assert_eq!((spawned[11], spawned[12]), ("", ""));
}
