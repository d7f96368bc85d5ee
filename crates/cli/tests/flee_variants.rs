//! End-to-end what-ifs on a Flee folder (variants with `base:` naming
//! mali2012), run at hasten 10 as FabFlee runs do: a variant that changes
//! nothing gives its base's out.csv byte for byte; closing the border to the
//! main camp moves arrivals elsewhere; an added camp gets arrivals; a lower
//! capacity takes effect; bad input is an error.

mod common;
use common::{corridor, flee_data};
use std::path::{Path, PathBuf};

/// Writes a variant of mali2012 with `body` and returns its path.
fn variant(dir: &Path, name: &str, body: &str) -> PathBuf {
    let file = dir.join(name);
    let base = flee_data().join("scenarios/mali2012");
    std::fs::write(&file, format!("base: {}\n{body}", base.display())).unwrap();
    file
}

/// Runs `scenario` at hasten 10 (Flee's validation settings) and returns its out.csv.
fn run(scenario: &Path, out: &Path, extra: &[&str]) -> String {
    corridor()
        .arg("run")
        .arg(scenario)
        .arg("--settings")
        .arg(flee_data().join("reference/val_h10.yml"))
        .args(["--seed", "3", "-q", "-o"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    std::fs::read_to_string(out.join("out.csv")).unwrap()
}

/// The `<camp> sim` column of out.csv on the last day.
fn last_day(out_csv: &str, camp: &str) -> f64 {
    let mut lines = out_csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == format!("{camp} sim"))
        .unwrap_or_else(|| panic!("no column '{camp} sim' in {header:?}"));
    let last = lines.last().unwrap();
    last.split(',').nth(col).unwrap().parse().unwrap()
}

const OTHER_CAMPS: [&str; 6] = [
    "Mentao",
    "Bobo-Dioulasso",
    "Abala",
    "Mangaize",
    "Niamey",
    "Tabareybarey",
];

#[test]
fn what_ifs_on_mali2012_at_hasten_10() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let base = run(
        &flee_data().join("scenarios/mali2012"),
        &t.join("base"),
        &[],
    );

    // Nothing changed: byte-identical out.csv.
    let null = variant(t, "null.yml", "name: nothing changes\n");
    assert_eq!(run(&null, &t.join("null"), &[]), base);

    // The border to Mauritania (Fassala-Mbera, the main camp) closed from day 0.
    let closed = variant(t, "closed.yml", "close: [{border: [Mali, Mauritania]}]\n");
    let closed = run(&closed, &t.join("closed"), &[]);
    let mbera = (
        last_day(&base, "Fassala-Mbera"),
        last_day(&closed, "Fassala-Mbera"),
    );
    // Day-0 residents stay; nobody new arrives.
    assert!(mbera.1 < 0.5 * mbera.0, "Fassala-Mbera {mbera:?}");
    let others = |csv: &str| OTHER_CAMPS.iter().map(|c| last_day(csv, c)).sum::<f64>();
    assert!(
        others(&closed) > others(&base) + 100.0,
        "arrivals elsewhere: base {}, closed {}",
        others(&base),
        others(&closed)
    );

    // A new camp near the Niger border gets arrivals.
    let camp = variant(
        t,
        "camp.yml",
        "add_camps:\n  - {name: Ouallam, region: Tillaberi, country: Niger, lat: 14.32, lon: 2.09, \
         capacity: 10000, routes: [{to: Menaka, distance: 150}, {to: Mangaize, distance: 70}]}\n",
    );
    let camp = run(&camp, &t.join("camp"), &[]);
    assert!(
        last_day(&camp, "Ouallam") > 20.0,
        "{}",
        last_day(&camp, "Ouallam")
    );

    // 30,000 instead of 75,882 places at Fassala-Mbera: fewer arrive there
    // (Flee subtracts its 17,790 of day 0 from the capacity).
    let small = variant(
        t,
        "small.yml",
        "capacities: [{location: Fassala-Mbera, capacity: 30000}]\n",
    );
    let small = run(&small, &t.join("small"), &[]);
    let m = (
        last_day(&base, "Fassala-Mbera"),
        last_day(&small, "Fassala-Mbera"),
    );
    assert!(m.1 < 0.8 * m.0, "Fassala-Mbera {m:?}");

    // Hasten works as for the folder (a siege would refuse it).
    let h100 = run(&null, &t.join("h100"), &["--hasten", "100"]);
    let b100 = run(
        &flee_data().join("scenarios/mali2012"),
        &t.join("b100"),
        &["--hasten", "100"],
    );
    assert_eq!(h100, b100);
}

#[test]
fn check_and_compare_accept_a_what_if_and_check_reports_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let good = variant(
        t,
        "good.yml",
        "close: [{route: [Menaka, Abala], from_day: 10}]\n",
    );
    corridor().arg("check").arg(&good).assert().success();
    corridor()
        .arg("compare")
        .arg(flee_data().join("scenarios/mali2012"))
        .arg(&good)
        .arg("--settings")
        .arg(flee_data().join("reference/val_h10.yml"))
        .args(["-n", "2", "--days", "40", "-q", "-o"])
        .arg(t.join("cmp"))
        .assert()
        .success();
    assert!(t.join("cmp/compare.csv").is_file());
    let bad = variant(
        t,
        "bad.yml",
        "close: [{route: [Menaka, Aballa]}]\ncapacities: [{location: Kidal, capacity: 3}]\n",
    );
    let out = corridor().arg("check").arg(&bad).assert().code(2);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string()
        + &String::from_utf8_lossy(&out.get_output().stderr);
    assert!(text.contains("bad.yml:2"), "{text}");
    assert!(text.contains("did you mean 'Abala'"), "{text}");
    assert!(text.contains("bad.yml:3"), "{text}");
    assert!(text.contains("not a camp"), "{text}");
}
