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

/// `corridor run --parquet` writes the flow tables and the link log as
/// Parquet next to their CSV files (link level 2 here: its rows per attribute
/// value too); without `log_levels.link` it warns that there is nothing to write.
#[test]
fn run_writes_parquet_tables_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = flee_data().join("scenarios/mali2012");
    let settings = tmp.path().join("logs.yml");
    let base = std::fs::read_to_string(flee_data().join("reference/val_h10.yml")).unwrap();
    std::fs::write(&settings, base.replace("  link: 0\n", "  link: 2\n")).unwrap();
    let with = tmp.path().join("with");
    corridor()
        .args(["run"])
        .arg(&scenario)
        .arg("--settings")
        .arg(&settings)
        .args(["--days", "20", "-q", "--parquet", "-o"])
        .arg(&with)
        .assert()
        .success();
    for name in ["link_flows.parquet", "od.parquet", "links.parquet"] {
        let bytes = std::fs::read(with.join(name)).unwrap();
        assert_eq!(&bytes[..4], b"PAR1", "{name}");
    }
    let links = std::fs::read_to_string(with.join("links.out.0")).unwrap();
    assert!(
        links.contains(",connections:"),
        "link level 2 writes attribute rows"
    );
    let without = tmp.path().join("without");
    let out = corridor()
        .args(["run"])
        .arg(&scenario)
        .arg("--settings")
        .arg(flee_data().join("reference/val_h10.yml"))
        .args(["--days", "5", "-q", "--parquet", "-o"])
        .arg(&without)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("--parquet: log_levels.link is 0"),
        "{stderr}"
    );
    assert!(!without.join("link_flows.parquet").exists());
}
