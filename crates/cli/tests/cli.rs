//! End-to-end tests of the `corridor` binary.

mod common;
use common::{corridor, flee_data, repo};
use std::path::Path;

#[test]
fn no_arguments_runs_fallujah_and_prints_a_summary() {
    let tmp = tempfile::tempdir().unwrap();
    // The scenario is built into the binary; run away from the repository so that the
    // outputs (out/fallujah-2016) land in a temporary folder.
    let out = corridor()
        .current_dir(tmp.path())
        .env("CORRIDOR_LOG", "error")
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for needle in [
        "Fallujah 2016",
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
    ] {
        assert!(text.contains(needle), "missing '{needle}' in:\n{text}");
    }
    // Plain language: no simulation jargon in a siege's summary.
    for word in ["agent", "hasten"] {
        assert!(!text.contains(word), "'{word}' in the summary:\n{text}");
    }
    let _ = tmp;
}

fn run_mali(threads: usize, dir: &Path) -> Vec<u8> {
    corridor()
        .args(["run"])
        .arg(flee_data().join("scenarios/mali2012"))
        .arg("--settings")
        .arg(flee_data().join("reference/val_h10.yml"))
        .args(["--seed", "7", "--threads", &threads.to_string(), "-q", "-o"])
        .arg(dir)
        .assert()
        .success();
    std::fs::read(dir.join("out.csv")).unwrap()
}

#[test]
fn output_is_byte_identical_for_1_2_and_8_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let one = run_mali(1, &tmp.path().join("t1"));
    assert_eq!(one, run_mali(2, &tmp.path().join("t2")));
    assert_eq!(one, run_mali(8, &tmp.path().join("t8")));
    let header = String::from_utf8_lossy(&one)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        header.starts_with("Day,Date,Fassala-Mbera sim,Fassala-Mbera data,Fassala-Mbera error,")
    );
    assert!(header.ends_with("refugees in camps (simulation),refugee_debt"));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("t1/summary.json")).unwrap())
            .unwrap();
    assert!(summary["agent_days"].as_u64().unwrap() > 1_000_000);
}

#[test]
fn fallujah_is_deterministic_across_thread_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for threads in [1, 4] {
        let dir = tmp.path().join(format!("f{threads}"));
        corridor()
            .args(["run"])
            .arg(repo().join("scenarios/fallujah-2016"))
            .args(["--threads", &threads.to_string(), "-q", "-o"])
            .arg(&dir)
            .assert()
            .success();
        files.push((
            std::fs::read(dir.join("out.csv")).unwrap(),
            std::fs::read(dir.join("fates.csv")).unwrap(),
        ));
    }
    assert_eq!(files[0], files[1]);
    // Conservation: every person is in exactly one fate on every day.
    let fates = String::from_utf8(files[0].1.clone()).unwrap();
    let header: Vec<&str> = fates.lines().next().unwrap().split(',').collect();
    let total = header.iter().position(|h| *h == "total").unwrap();
    let mut days = 0;
    for line in fates.lines().skip(1) {
        let v: Vec<&str> = line.split(',').collect();
        assert_eq!(v[total], "107000", "{line}");
        days += 1;
    }
    assert_eq!(days, 55);
}

fn stderr_of(args: &[&str], extra: &[&Path]) -> String {
    let mut c = corridor();
    c.args(args);
    for p in extra {
        c.arg(p);
    }
    let out = c.assert().failure().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn bad_input_gives_a_clear_error_and_keeps_earlier_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    // An earlier result in the output folder.
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("out.csv"), "earlier result").unwrap();

    // Missing scenario folder.
    let err = stderr_of(&["run", "-q", "-o"], &[&out, &tmp.path().join("nowhere")]);
    assert!(err.contains("nowhere") && err.contains("hint"), "{err}");

    // A scenario with a negative distance in routes.csv.
    let broken = tmp.path().join("mali");
    copy_dir(&flee_data().join("scenarios/mali2012"), &broken);
    let routes = broken.join("input_csv/routes.csv");
    let text = std::fs::read_to_string(&routes).unwrap().replacen(
        "Douentza,Mentao,487",
        "Douentza,Mentao,-487",
        1,
    );
    std::fs::write(&routes, text).unwrap();
    let err = stderr_of(&["run", "-q", "-o"], &[&out, &broken]);
    assert!(
        err.contains("routes.csv:2") && err.contains("distance") && err.contains("hint"),
        "{err}"
    );

    // Bad YAML settings.
    let yml = tmp.path().join("bad.yml");
    std::fs::write(&yml, "move_rules:\n  max_move_speed: [1,\n").unwrap();
    let err = stderr_of(
        &["run", "-q", "-o"],
        &[
            &out,
            &flee_data().join("scenarios/mali2012"),
            Path::new("--settings"),
            &yml,
        ],
    );
    assert!(err.contains("bad.yml"), "{err}");

    // An unknown location in a native scenario's intervention.
    let fal = tmp.path().join("fallujah");
    copy_dir(&repo().join("scenarios/fallujah-2016"), &fal);
    let sc = fal.join("scenario.yml");
    let text = std::fs::read_to_string(&sc).unwrap().replacen(
        "location: Fallujah_South, value: 0.24",
        "location: Falluja_South, value: 0.24",
        1,
    );
    std::fs::write(&sc, text).unwrap();
    let err = stderr_of(&["run", "-q", "-o"], &[&out, &fal]);
    assert!(
        err.contains("scenario.yml:")
            && err.contains("Falluja_South")
            && err.contains("did you mean 'Fallujah_South'"),
        "{err}"
    );

    assert_eq!(
        std::fs::read_to_string(out.join("out.csv")).unwrap(),
        "earlier result"
    );
}

#[test]
fn bad_relocations_name_the_line_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cases = [
        // A relocation out of a place that is not a camp.
        (
            "{from: Khalidiya, to: [HTC], share_of_overflow: 0.10}",
            "{from: Camp_Tariq, to: [HTC], share_of_overflow: 0.10}",
            &[
                "relocations.from",
                "'Camp_Tariq' is a town, not a camp",
                "hint",
            ][..],
        ),
        // No target camp.
        (
            "{from: Khalidiya, to: [HTC], share_of_overflow: 0.10}",
            "{from: Khalidiya, to: [], share_of_overflow: 0.10}",
            &["relocations.to", "empty", "hint: name at least one camp"][..],
        ),
        // Two relocations out of one camp.
        (
            "{from: Khalidiya, to: [HTC], share_of_overflow: 0.10}",
            "{from: AAF, to: [HTC], share_of_overflow: 0.10}",
            &["relocations.from", "two relocations out of 'AAF'", "hint"][..],
        ),
        // A share that is not a probability.
        (
            "{from: Khalidiya, to: [HTC], share_of_overflow: 0.10}",
            "{from: Khalidiya, to: [HTC], share_of_overflow: 10}",
            &["share_of_overflow must be a probability"][..],
        ),
    ];
    for (i, (old, new, needles)) in cases.iter().enumerate() {
        let fal = tmp.path().join(format!("fallujah{i}"));
        copy_dir(&repo().join("scenarios/fallujah-2016"), &fal);
        let sc = fal.join("scenario.yml");
        let text = std::fs::read_to_string(&sc).unwrap();
        assert!(text.contains(old), "scenario.yml no longer has {old}");
        std::fs::write(&sc, text.replacen(old, new, 1)).unwrap();
        let err = stderr_of(&["run", "-q", "-o"], &[&out, &fal]);
        assert!(err.contains("scenario.yml:"), "{err}");
        for n in *needles {
            assert!(err.contains(n), "missing '{n}' in {err}");
        }
    }
}

#[test]
fn compare_runs_paired_variants() {
    let tmp = tempfile::tempdir().unwrap();
    let base = repo().join("scenarios/fallujah-2016");
    let out = corridor()
        .args(["compare"])
        .arg(&base)
        .arg(base.join("variants/army-boats.yml"))
        .args(["-n", "4", "-o"])
        .arg(tmp.path())
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("dead: drowned"), "{text}");
    let table = std::fs::read_to_string(tmp.path().join("compare.csv")).unwrap();
    let drowned = table
        .lines()
        .find(|l| l.contains(",last day,dead: drowned,"))
        .unwrap();
    let diff: f64 = drowned.split(',').nth(10).unwrap().parse().unwrap();
    assert!(diff < 0.0, "boats should reduce drownings: {drowned}");
}

#[test]
fn ensemble_writes_bands() {
    let tmp = tempfile::tempdir().unwrap();
    corridor()
        .args(["ensemble"])
        .arg(flee_data().join("scenarios/mali2012"))
        .arg("--settings")
        .arg(flee_data().join("reference/val_h100.yml"))
        .args(["-n", "4", "-q", "-o"])
        .arg(tmp.path())
        .assert()
        .success();
    let bands = std::fs::read_to_string(tmp.path().join("ensemble.csv")).unwrap();
    assert!(bands.starts_with("day,camp,data,mean,sd,p5,p50,p95"));
    for line in bands.lines().skip(1).take(500) {
        let f: Vec<f64> = line
            .split(',')
            .skip(3)
            .map(|x| x.parse().unwrap())
            .collect();
        assert!(
            f[2] <= f[3] + 1e-9 && f[3] <= f[4] + 1e-9,
            "p5 <= p50 <= p95: {line}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("replicates.csv"))
            .unwrap()
            .lines()
            .count(),
        5
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}
