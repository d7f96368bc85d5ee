//! `corridor run` writes Flee's agent and link logs and the flow tables when
//! `log_levels` asks for them, and none of them otherwise.

mod common;
use common::{corridor, flee_data};

#[test]
fn run_writes_logs_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = flee_data().join("scenarios/mali2012");
    let settings = tmp.path().join("logs.yml");
    let base = std::fs::read_to_string(flee_data().join("reference/val_h10.yml")).unwrap();
    // The validation settings with both logs on.
    assert!(
        base.contains("  agent: 0\n") && base.contains("  link: 0\n"),
        "{base}"
    );
    let on = base
        .replace("  agent: 0\n", "  agent: 1\n")
        .replace("  link: 0\n", "  link: 1\n");
    std::fs::write(&settings, on).unwrap();
    let logs = ["agents.out.0", "links.out.0", "link_flows.csv", "od.csv"];
    let with = tmp.path().join("with");
    corridor()
        .args(["run"])
        .arg(&scenario)
        .arg("--settings")
        .arg(&settings)
        .args(["--days", "30", "-q", "-o"])
        .arg(&with)
        .assert()
        .success();
    for name in logs {
        let text = std::fs::read_to_string(with.join(name)).unwrap();
        assert!(text.lines().count() > 1, "{name} has no rows");
    }
    let agents = std::fs::read_to_string(with.join("agents.out.0")).unwrap();
    assert!(agents.starts_with("#time,rank-agentid,original_location,"));
    let without = tmp.path().join("without");
    corridor()
        .args(["run"])
        .arg(&scenario)
        .arg("--settings")
        .arg(flee_data().join("reference/val_h10.yml"))
        .args(["--days", "30", "-q", "-o"])
        .arg(&without)
        .assert()
        .success();
    assert!(without.join("out.csv").exists());
    for name in logs {
        assert!(
            !without.join(name).exists(),
            "{name} written without log_levels"
        );
    }
}
