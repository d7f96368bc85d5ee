//! `corridor new siege <dir>`: the template is written, runs as it is, keeps
//! every person in exactly one fate each day, and never overwrites a folder.

mod common;
use common::corridor;

#[test]
fn new_siege_writes_a_template_that_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-siege");
    corridor()
        .args(["new", "siege"])
        .arg(&dir)
        .assert()
        .success();
    for f in [
        "scenario.yml",
        "locations.csv",
        "routes.csv",
        "conflicts.csv",
        "simsetting.yml",
        "observed/validation.csv",
        "variants/more-boats.yml",
        "README.md",
    ] {
        assert!(dir.join(f).is_file(), "no {f}");
    }
    // Every key of scenario.yml carries a comment pointing to the reference.
    let yml = std::fs::read_to_string(dir.join("scenario.yml")).unwrap();
    assert!(yml.contains("docs/scenario-format.md"));
    for line in yml.lines() {
        let t = line.trim_start();
        let is_key = t.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        });
        if is_key {
            assert!(
                line.contains("# ") && line.contains("see #"),
                "uncommented key: {line}"
            );
        }
    }

    // It runs as it is, and the summary speaks of people.
    let out = tmp.path().join("out");
    let run = corridor()
        .current_dir(tmp.path())
        .env("CORRIDOR_LOG", "error")
        .args(["run"])
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&run.get_output().stdout).to_string();
    for needle in [
        "Template siege",
        "one simulated household stands for 6 people",
        "in camp Camp_A",
        "killed: shot while fleeing",
        "observed vs simulated (people",
    ] {
        assert!(text.contains(needle), "missing '{needle}' in:\n{text}");
    }
    for word in ["agent", "hasten"] {
        assert!(!text.contains(word), "'{word}' in the summary:\n{text}");
    }
    for f in ["out.csv", "summary.json", "fates.csv"] {
        assert!(out.join(f).is_file(), "no {f}");
    }
    // Conservation: every person is in exactly one fate on every day.
    let fates = std::fs::read_to_string(out.join("fates.csv")).unwrap();
    let header: Vec<&str> = fates.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let parts = [
        "trapped",
        "in_transit",
        "detained",
        "arrived",
        "dead_shot",
        "dead_drowned",
        "dead_in_custody",
        "waiting_to_cross",
        "stayed",
    ];
    let mut days = 0;
    for line in fates.lines().skip(1) {
        let v: Vec<i64> = line
            .split(',')
            .enumerate()
            .filter(|(i, _)| *i != 1)
            .map(|(_, x)| x.parse().unwrap())
            .collect();
        let get = |name: &str| {
            let i = col(name);
            v[if i > 1 { i - 1 } else { i }]
        };
        assert_eq!(get("total"), 12000, "{line}");
        assert_eq!(parts.iter().map(|p| get(p)).sum::<i64>(), 12000, "{line}");
        days += 1;
    }
    assert_eq!(days, 30);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert!(summary.to_string().contains("Camp_B"));

    // The what-if runs too.
    corridor()
        .env("CORRIDOR_LOG", "error")
        .args(["run", "-q"])
        .arg(dir.join("variants/more-boats.yml"))
        .arg("-o")
        .arg(tmp.path().join("boats"))
        .assert()
        .success();
    assert!(tmp.path().join("boats/fates.csv").is_file());
}

#[test]
fn new_siege_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("taken");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("scenario.yml"), "mine").unwrap();
    let out = corridor()
        .args(["new", "siege"])
        .arg(&dir)
        .assert()
        .failure()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("not empty") && err.contains("hint"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("scenario.yml")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

    // An empty folder is fine.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    corridor()
        .args(["new", "siege"])
        .arg(&empty)
        .assert()
        .success();
    assert!(empty.join("scenario.yml").is_file());
}
