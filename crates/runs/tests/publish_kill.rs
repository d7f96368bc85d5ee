//! A set of output files killed at any point of its publication: the target
//! holds every file of the old set or every file of the new one, and keeps
//! its unrelated files. The set is published by a child process (this test
//! binary, run as [`publishing_child`]) killed with SIGKILL at spread times.

use corridor_runs::OutputSet;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Files in the set: enough that publishing takes a while.
const FILES: usize = 150;
/// Names the child's target folder and tag; unset in an ordinary test run.
const CHILD_ENV: &str = "CORRIDOR_TEST_PUBLISH_CHILD";

fn file_name(i: usize) -> String {
    if i.is_multiple_of(3) {
        format!("sub/f{i:03}.csv")
    } else {
        format!("f{i:03}.csv")
    }
}

/// Publishes set `tag`; with `signals`, creates `<signals>.ready` when all
/// files are written and writes the microseconds `publish` took to `<signals>.span`.
fn publish_set(target: &Path, tag: &str, signals: Option<&Path>) {
    let mut set = OutputSet::new(target).unwrap();
    for i in 0..FILES {
        set.add(file_name(i), format!("{tag} {i}\n").as_bytes())
            .unwrap();
    }
    if let Some(s) = signals {
        std::fs::write(s.with_extension("ready"), b"").unwrap();
    }
    let started = Instant::now();
    set.publish().unwrap();
    if let Some(s) = signals {
        let span = started.elapsed().as_micros().to_string();
        std::fs::write(s.with_extension("span"), span).unwrap();
    }
}

/// The child's part: publishes set "B" into the folder named by
/// `CORRIDOR_TEST_PUBLISH_CHILD`; does nothing in an ordinary test run.
#[test]
fn publishing_child() {
    if let Ok(target) = std::env::var(CHILD_ENV) {
        let signals = Path::new(&target).with_extension("signal");
        publish_set(Path::new(&target), "B", Some(&signals));
    }
}

fn spawn_child(target: &Path) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "publishing_child", "--test-threads=1", "-q"])
        .env(CHILD_ENV, target)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Which set every file of the target is from: "A" or "B"; panics on a mixture.
fn whole_set(dir: &Path, when: &str) -> char {
    let tags: Vec<char> = (0..FILES)
        .map(|i| {
            let text = std::fs::read_to_string(dir.join(file_name(i)))
                .unwrap_or_else(|e| panic!("{when}: {} unreadable: {e}", file_name(i)));
            text.chars().next().unwrap()
        })
        .collect();
    assert!(
        tags.iter().all(|&t| t == tags[0]),
        "{when}: a mixture of sets: {}",
        tags.iter().collect::<String>()
    );
    tags[0]
}

/// Kills a child publishing set B over set A in `rounds` rounds: in odd
/// rounds at a time spread over its whole run, in even ones over its call of
/// `publish`; `target` is where the sets go, `real` the folder it names.
fn kill_in_a_loop(target: &Path, real: &Path, rounds: u64, settle_first: bool) -> [usize; 2] {
    // How long one child and its `publish` take, to spread the kills over them.
    let signals = target.with_extension("signal");
    publish_set(target, "A", None);
    let started = Instant::now();
    assert!(spawn_child(target).wait().unwrap().success());
    let whole = started.elapsed().as_micros() as u64 + 1;
    let span = std::fs::read_to_string(signals.with_extension("span")).unwrap();
    let publishing = span.parse::<u64>().unwrap() + 1;
    assert_eq!(whole_set(real, "an unkilled child"), 'B');
    eprintln!("child {whole} µs, publish {publishing} µs");

    let mut seen = [0, 0];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for round in 0..rounds {
        publish_set(target, "A", None);
        let _ = std::fs::remove_file(signals.with_extension("ready"));
        std::fs::write(real.join("notes.txt"), b"mine").unwrap();
        std::fs::write(real.join("sub/keep.txt"), b"mine too").unwrap();
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let span = if round % 2 == 1 { whole } else { publishing };
        let delay = (state >> 33) % (span + span / 2);
        let mut child = spawn_child(target);
        if round % 2 == 0 {
            while !signals.with_extension("ready").exists() {
                assert!(child.try_wait().unwrap().is_none(), "the child died");
            }
        }
        std::thread::sleep(Duration::from_micros(delay));
        let _ = child.kill();
        child.wait().unwrap();
        let when = format!("round {round}, killed after {delay} µs of {span}");
        if settle_first {
            // The next set started beside the target settles a killed one.
            drop(OutputSet::new(target).unwrap());
        }
        let tag = whole_set(real, &when);
        seen[usize::from(tag == 'B')] += 1;
        assert_eq!(
            std::fs::read(real.join("notes.txt")).unwrap(),
            b"mine",
            "{when}"
        );
        assert_eq!(
            std::fs::read(real.join("sub/keep.txt")).unwrap(),
            b"mine too",
            "{when}"
        );
        // Settled again: no temporary folder survives beside the target.
        drop(OutputSet::new(target).unwrap());
        let parent = target.parent().unwrap();
        let left: Vec<_> = std::fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("corridor-tmp"))
            .collect();
        assert!(left.is_empty(), "{when}: left {left:?}");
    }
    seen
}

#[test]
fn a_killed_publication_leaves_one_whole_set() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let [a, b] = kill_in_a_loop(&dir, &dir, 24, false);
    eprintln!("folder swap: {a} rounds left set A, {b} set B");
}

#[cfg(unix)]
#[test]
fn a_killed_publication_through_a_link_is_completed_by_the_next_set() {
    // A target that is a symbolic link is published file by file under a
    // commit marker: whole once the next set has settled the killed one.
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = tmp.path().join("out");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let [a, b] = kill_in_a_loop(&link, &real, 24, true);
    eprintln!("journal: {a} rounds left set A, {b} set B");
}
