//! End-to-end tests of `corridor report`, `validate --csv/--json`,
//! `ensemble --params`, `export-geojson` and `export-parquet`.
//!
//! The report tests open the HTML in headless Chromium (Debian's `chromium`),
//! save a screenshot in `target/test-artefacts/` and check the page's DOM after
//! its scripts ran. Without Chromium they print a skip message, or fail when
//! `CORRIDOR_REQUIRE_CHROMIUM=1` (as in CI).

mod common;
use assert_cmd::Command;
use common::{flee_data, repo};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn mali() -> PathBuf {
    flee_data().join("scenarios/mali2012")
}
fn val_h10() -> PathBuf {
    flee_data().join("reference/val_h10.yml")
}
/// The binary with its log kept to errors: these tests read reports, not warnings.
fn corridor() -> Command {
    let mut c = common::corridor();
    c.env("CORRIDOR_LOG", "error");
    c
}
fn fallujah() -> PathBuf {
    repo().join("scenarios/fallujah-2016")
}
fn artefacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"));
    let dir = target.join("test-artefacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The Chromium binary, or `None` (with a skip message) when it is not installed.
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        });
    if found.is_none() {
        if std::env::var("CORRIDOR_REQUIRE_CHROMIUM").as_deref() == Ok("1") {
            panic!("CORRIDOR_REQUIRE_CHROMIUM=1 but no chromium binary is on PATH (apt-get install chromium)");
        }
        eprintln!("SKIP: chromium is not installed; the report was not opened in a browser (apt-get install chromium)");
    }
    found
}

/// Runs headless Chromium on `html` with `extra` arguments; returns stdout.
fn run_chromium(bin: &Path, html: &Path, extra: &[String]) -> String {
    run_chromium_url(bin, html, "", extra)
}

/// [`run_chromium`] with a query string (`?selftest`) after the file's URL.
fn run_chromium_url(bin: &Path, html: &Path, query: &str, extra: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(format!(
        "file://{}{query}",
        html.canonicalize().unwrap().display()
    ))
    .stdin(std::process::Stdio::null())
    // A file, not a pipe: a DOM larger than the pipe buffer would block chromium.
    .stdout(std::fs::File::create(profile.path().join("stdout.txt")).unwrap())
    .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().expect("chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(180) {
            child.kill().ok();
            panic!("chromium did not finish within 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "chromium failed: {status:?}");
    std::fs::read_to_string(profile.path().join("stdout.txt")).unwrap()
}

/// Opens the report in Chromium: a screenshot into target/test-artefacts/<name>.png,
/// and the DOM after the page's scripts ran must show the ready marker and no error.
fn check_in_browser(html: &Path, name: &str) {
    let Some(bin) = chromium() else { return };
    let shot = artefacts().join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    run_chromium(
        &bin,
        html,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1400,3000".into(),
        ],
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert_eq!(&png[1..4], b"PNG");
    assert!(
        png.len() > 50_000,
        "screenshot looks empty ({} bytes)",
        png.len()
    );
    let dom = run_chromium(&bin, html, &["--dump-dom".into()]);
    std::fs::write(artefacts().join(format!("{name}.dom.html")), &dom).unwrap();
    assert!(
        dom.contains("id=\"report-ready\""),
        "the page's script did not finish (no #report-ready)"
    );
    assert!(
        dom.contains("data-errors=\"0\""),
        "script errors were reported"
    );
    assert!(
        !dom.contains("id=\"js-error\""),
        "window.onerror fired: see {name}.dom.html"
    );
    // The script built the table of contents and the download links.
    assert!(dom.contains("href=\"#summary\""));
    assert!(dom.contains("download=\"camps.csv\""));
    check_interaction(&bin, html, name);
}

/// The value of attribute `name` on the `#report-ready` marker of a dumped DOM.
fn ready_attr(dom: &str, name: &str) -> Option<String> {
    let start = dom.find("id=\"report-ready\"")?;
    let tag = &dom[start..start + dom[start..].find('>')?];
    let key = format!("{name}=\"");
    let from = tag.find(&key)? + key.len();
    Some(tag[from..from + tag[from..].find('"')?].to_string())
}

/// With `?selftest` the page sends scripted events to its first chart (hover,
/// drag to zoom, a legend click) and to the map (wheel, hover on a symbol) and
/// writes what happened on #report-ready: the charts and the map respond.
fn check_interaction(bin: &Path, html: &Path, name: &str) {
    let dom = run_chromium_url(
        bin,
        html,
        "?selftest",
        &["--virtual-time-budget=10000".into(), "--dump-dom".into()],
    );
    std::fs::write(artefacts().join(format!("{name}.selftest.dom.html")), &dom).unwrap();
    let attr = |k: &str| {
        ready_attr(&dom, k)
            .unwrap_or_else(|| panic!("no {k} on #report-ready: see {name}.selftest.dom.html"))
    };
    assert_eq!(attr("data-errors"), "0", "script errors in the self-test");
    let charts: usize = attr("data-charts").parse().unwrap();
    assert!(charts >= 5, "only {charts} interactive charts");
    // Hovering the middle of the first chart reads out a date and numbers.
    let hover = attr("data-selftest-hover");
    assert!(
        hover.contains(" (d")
            && hover
                .split(" | ")
                .skip(1)
                .any(|v| v.chars().any(|c| c.is_ascii_digit())),
        "hover read-out: {hover}"
    );
    assert_ne!(attr("data-selftest-hoveridx"), "null");
    assert_eq!(attr("data-selftest-zoom"), "yes", "drag did not zoom");
    assert_eq!(
        attr("data-selftest-toggle"),
        "off",
        "legend click did not hide a series"
    );
    assert_eq!(
        attr("data-selftest-mapzoom"),
        "yes",
        "wheel did not zoom the map"
    );
    assert!(
        attr("data-selftest-maphover").contains(" — "),
        "map hover read-out"
    );
}

/// The report is one page under 3 MB.
fn assert_small(html: &str) {
    assert!(html.len() < 3_000_000, "the report is {} bytes", html.len());
}

/// No resource of the page is fetched from the network.
fn assert_self_contained(html: &str) {
    for bad in [
        "src=\"http",
        "href=\"http",
        "<link",
        "@import",
        "url(http",
        "<iframe",
    ] {
        assert!(!html.contains(bad), "the report refers to '{bad}…'");
    }
    assert!(html.contains("<script type=\"application/json\" id=\"report-data\">"));
}

#[test]
fn flee_report_with_bands_errors_map_and_exports_renders_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("mali/report.html");
    corridor()
        .arg("report")
        .arg(mali())
        .arg("--settings")
        .arg(val_h10())
        .args([
            "-n",
            "4",
            "--seed",
            "3",
            "--png",
            "--svg",
            "--geojson",
            "--csv",
        ])
        .arg("-o")
        .arg(&html)
        .assert()
        .success();
    let text = std::fs::read_to_string(&html).unwrap();
    assert_self_contained(&text);
    assert_small(&text);
    for needle in [
        "Route network",
        // The map has borders, a scale bar and its labels; the metrics are explained.
        "<title>Mali</title>",
        "class=\"scalebar\"",
        "class=\"lab-place\"",
        "id=\"glossary\"",
        // Mali's header gives the output's dates; the footnote explains Flee's offset.
        "2012-03-01 – 2012-12-25 (300 days",
        "id=\"fn-dates\"",
        "Rescaled ARD",
        "Camps: simulated vs observed",
        "Error against the observed series",
        "MASE against naive forecasts",
        "mase30-ratio",
        "Fassala-Mbera",
        "move_rules.default_movechance",
        "4 runs",
    ] {
        assert!(text.contains(needle), "missing '{needle}'");
    }
    // Charts are inline SVG.
    assert!(text.matches("<svg viewBox=").count() >= 10);
    let figs = tmp.path().join("mali/report-figures");
    for f in ["network", "totals", "ard-daily", "camp-Niamey"] {
        let png = std::fs::read(figs.join(format!("{f}.png"))).unwrap();
        assert_eq!(&png[1..4], b"PNG", "{f}.png");
        let svg = std::fs::read_to_string(figs.join(format!("{f}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<text"), "{f}.svg");
    }
    std::fs::copy(
        figs.join("network.png"),
        artefacts().join("mali-network.png"),
    )
    .unwrap();
    let geo: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("mali/report.geojson")).unwrap(),
    )
    .unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    let data = tmp.path().join("mali/report-data");
    let camps = std::fs::read_to_string(data.join("camps.csv")).unwrap();
    assert!(camps.starts_with("day,date,camp,observed,mean,sd,p5,p50,p95\n"));
    let errors = std::fs::read_to_string(data.join("errors.csv")).unwrap();
    assert!(errors.contains(",all camps,"));
    check_in_browser(&html, "report-mali2012");
}

#[test]
fn siege_report_shows_fates_casualties_and_observations_and_renders_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("report.html");
    corridor()
        .arg("report")
        .arg(fallujah())
        .args(["-n", "3", "--png"])
        .arg("-o")
        .arg(&html)
        .assert()
        .success();
    let text = std::fs::read_to_string(&html).unwrap();
    assert_self_contained(&text);
    assert_small(&text);
    // Interventions with their values come before the map and the fates;
    // Flee's settings are collapsed after them.
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("missing '{s}'"));
    assert!(at("id=\"interventions-table\"") < at("id=\"network\""));
    assert!(at("id=\"network\"") < at("<summary>Simulation settings"));
    assert!(text.contains("exit Fallujah → Al Salam Junction opens"));
    // The scenario's own layers (geography.geojson) and key dates.
    assert!(text.contains("class=\"geo-river\"") && text.contains("Euphrates"));
    assert!(text.contains("\"label\":\"city retaken\""));
    for needle in [
        "People and fates",
        "Deaths by cause",
        "Simulated vs observed",
        "IOM DTM",
        "Siege set-up",
        "Interventions applied",
        "exit from a held place",
        "held (besieged) place",
    ] {
        assert!(text.contains(needle), "missing '{needle}'");
    }
    // Siege scenarios have no Flee camp data: no ARD table.
    assert!(!text.contains("Error against the observed series"));
    let figs = tmp.path().join("report-figures");
    for f in [
        "fates",
        "casualties",
        "casualties-total",
        "observed-displaced",
        "network",
    ] {
        assert!(figs.join(format!("{f}.png")).is_file(), "{f}.png");
        std::fs::copy(
            figs.join(format!("{f}.png")),
            artefacts().join(format!("fallujah-{f}.png")),
        )
        .unwrap();
    }
    check_in_browser(&html, "report-fallujah-2016");
}

/// A run shorter than the scenario skips the later interventions: the page
/// lists them (day, what, why) beside the applied ones.
#[test]
fn siege_report_lists_skipped_interventions() {
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("short.html");
    corridor()
        .arg("report")
        .arg(fallujah())
        .args(["-n", "1", "--days", "20", "-q"])
        .arg("-o")
        .arg(&html)
        .assert()
        .success();
    let text = std::fs::read_to_string(&html).unwrap();
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("missing '{s}'"));
    assert!(at("id=\"interventions-table\"") < at("id=\"skipped-interventions-table\""));
    assert!(at("id=\"skipped-interventions-table\"") < at("id=\"network\""));
    assert!(text.contains("Interventions skipped ("));
    assert!(text.contains("the run ends on day 19"), "no reason given");
    // The full run of the same scenario skips none.
    let full = tmp.path().join("full.html");
    corridor()
        .arg("report")
        .arg(fallujah())
        .args(["-n", "1", "-q"])
        .arg("-o")
        .arg(&full)
        .assert()
        .success();
    let text = std::fs::read_to_string(&full).unwrap();
    assert!(text.contains("id=\"interventions-table\""));
    assert!(!text.contains("skipped-interventions-table"));
}

#[test]
fn report_is_deterministic_for_a_master_seed_whatever_the_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let make = |threads: &str, name: &str| {
        let html = tmp.path().join(name);
        corridor()
            .arg("report")
            .arg(mali())
            .arg("--settings")
            .arg(val_h10())
            .args([
                "-n",
                "3",
                "--days",
                "40",
                "--seed",
                "9",
                "--threads",
                threads,
                "-q",
                "-o",
            ])
            .arg(&html)
            .assert()
            .success();
        std::fs::read(html).unwrap()
    };
    let a = make("1", "a.html");
    assert_eq!(a, make("2", "b.html"));
}

#[test]
fn report_from_existing_run_folders_and_flee_csvs() {
    let tmp = tempfile::tempdir().unwrap();
    for seed in ["1", "2"] {
        corridor()
            .arg("run")
            .arg(mali())
            .arg("--settings")
            .arg(val_h10())
            .args(["--days", "50", "-q", "--seed", seed, "-o"])
            .arg(tmp.path().join(format!("run{seed}")))
            .assert()
            .success();
    }
    let html = tmp.path().join("r.html");
    corridor()
        .arg("report")
        .arg(tmp.path().join("run1"))
        .arg(tmp.path().join("run2"))
        .arg("-o")
        .arg(&html)
        .assert()
        .success();
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("2 runs"));
    assert!(text.contains("run1") && text.contains("run2"));
    // With the scenario as well: map and settings.
    corridor()
        .arg("report")
        .arg(mali())
        .arg("--settings")
        .arg(val_h10())
        .arg(tmp.path().join("run1/out.csv"))
        .args(["--days", "50", "-o"])
        .arg(&html)
        .assert()
        .success();
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("Route network") && text.contains("1 run (no band)"));
    // Flee's own output files.
    let flee: Vec<PathBuf> = (1..=3)
        .map(|i| flee_data().join(format!("reference/rep_h10_mali2012_{i}.csv")))
        .collect();
    corridor()
        .arg("report")
        .args(&flee)
        .arg("-o")
        .arg(&html)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&html).unwrap().contains("3 runs"));
}

#[test]
fn report_rejects_bad_inputs_with_hints() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("ensemble.csv"), "day,camp\n").unwrap();
    corridor()
        .arg("report")
        .arg(tmp.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("corridor report <scenario> -n N"));
    let p = tmp.path().join("p.yml");
    std::fs::write(&p, "move_rules.default_movechanse: [0.3, 0.7]\n").unwrap();
    corridor()
        .arg("report")
        .arg(mali())
        .arg("--params")
        .arg(&p)
        .assert()
        .failure()
        .stderr(predicates::str::contains("unknown parameter"));
}

fn ensemble_with_params(dir: &Path, params: &Path, seed: &str, threads: &str) {
    corridor()
        .arg("ensemble")
        .arg(mali())
        .arg("--settings")
        .arg(val_h10())
        .arg("--params")
        .arg(params)
        .args([
            "-n",
            "4",
            "--days",
            "40",
            "-q",
            "--seed",
            seed,
            "--threads",
            threads,
            "-o",
        ])
        .arg(dir)
        .assert()
        .success();
}

#[test]
fn ensemble_samples_parameters_deterministically_from_the_master_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let params = tmp.path().join("params.yml");
    std::fs::write(
        &params,
        "move_rules.default_movechance: [0.3, 0.7]\nmove_rules.conflict_weight: {range: [0.1, 1.0], log: true}\n",
    )
    .unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    ensemble_with_params(&a, &params, "5", "1");
    ensemble_with_params(&b, &params, "5", "2");
    ensemble_with_params(&c, &params, "6", "2");
    for f in ["ensemble.csv", "replicates.csv", "parameters.yml"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between thread counts"
        );
    }
    let reps = std::fs::read_to_string(a.join("replicates.csv")).unwrap();
    let mut lines = reps.lines();
    assert_eq!(
        lines.next().unwrap(),
        "replicate,seed,ard_normal,ard_rescaled,move_rules.default_movechance,move_rules.conflict_weight"
    );
    let values: Vec<(f64, f64)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[4].parse().unwrap(), f[5].parse().unwrap())
        })
        .collect();
    assert_eq!(values.len(), 4);
    for (m, w) in &values {
        assert!(
            (0.3..=0.7).contains(m) && (0.1..=1.0).contains(w),
            "{m} {w}"
        );
    }
    assert_ne!(values[0], values[1]);
    assert_ne!(
        reps,
        std::fs::read_to_string(c.join("replicates.csv")).unwrap(),
        "another master seed gives other samples"
    );
    let ens = std::fs::read_to_string(a.join("ensemble.csv")).unwrap();
    assert!(ens.starts_with("day,camp,data,mean,sd,p5,p50,p95\n"));
    // A siege parameter on a Flee scenario is an error naming it.
    std::fs::write(&params, "siege.exit_scale.shot: [0.5, 2]\n").unwrap();
    corridor()
        .arg("ensemble")
        .arg(mali())
        .arg("--params")
        .arg(&params)
        .args(["-n", "2", "-o"])
        .arg(tmp.path().join("d"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("siege.exit_scale.shot"));
}

#[test]
fn siege_parameters_change_the_casualties() {
    let tmp = tempfile::tempdir().unwrap();
    let params = tmp.path().join("params.yml");
    // Exit fire and the fire on the river crossing (on the bank and while crossing), all ~0.
    std::fs::write(
        &params,
        "siege.exit_scale.shot: [0.0, 0.001]\n\
         siege.crossing.Euphrates_Crossing.Camp_Tariq.shot_crossing: [0.0, 0.000001]\n\
         siege.crossing.Euphrates_Crossing.Camp_Tariq.shot_waiting: [0.0, 0.000001]\n",
    )
    .unwrap();
    corridor()
        .arg("ensemble")
        .arg(fallujah())
        .arg("--params")
        .arg(&params)
        .args(["-n", "2", "-q", "-o"])
        .arg(tmp.path().join("e"))
        .assert()
        .success();
    let fates = std::fs::read_to_string(tmp.path().join("e/fates_ensemble.csv")).unwrap();
    let last_shot = fates
        .lines()
        .rfind(|l| l.contains(",dead_shot,"))
        .unwrap()
        .to_string();
    let mean: f64 = last_shot.split(',').nth(3).unwrap().parse().unwrap();
    assert!(
        mean < 5.0,
        "exit fire scaled to ~0 still shot {mean}: {last_shot}"
    );
}

#[test]
fn validate_writes_per_camp_errors_as_csv_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    corridor()
        .arg("run")
        .arg(mali())
        .arg("--settings")
        .arg(val_h10())
        .args(["-q", "-o"])
        .arg(&run)
        .assert()
        .success();
    let out = corridor()
        .arg("validate")
        .arg(run.join("out.csv"))
        .arg("--csv")
        .arg(tmp.path().join("v.csv"))
        .arg("--json")
        .arg(tmp.path().join("v.json"))
        .arg("-o")
        .arg(tmp.path().join("vdir"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for needle in [
        "ARD norm",
        "mase30-ratio",
        "Niamey",
        "all camps",
        "Error (rescaled)",
    ] {
        assert!(text.contains(needle), "missing '{needle}' in\n{text}");
    }
    let csv = std::fs::read_to_string(tmp.path().join("v.csv")).unwrap();
    assert_eq!(
        csv,
        std::fs::read_to_string(tmp.path().join("vdir/validation.csv")).unwrap()
    );
    assert!(csv.starts_with("source,camp,days,observed_last,simulated_last,ard_normal,ard_rescaled,abs_diff_ave,abs_diff_rescaled_ave,mase7,mase7-sloped,mase7-ratio,mase30,mase30-sloped,mase30-ratio,weight\n"));
    assert_eq!(csv.lines().count(), 1 + 7 + 1);
    let all: Vec<&str> = csv.lines().last().unwrap().split(',').collect();
    assert_eq!(all[1], "all camps");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap()).unwrap();
    let ard_r: f64 = all[6].parse().unwrap();
    assert_eq!(ard_r, summary["ard_rescaled"].as_f64().unwrap());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("v.json")).unwrap()).unwrap();
    let t = &json["tables"][0]["errors"];
    assert_eq!(t["camps"].as_array().unwrap().len(), 7);
    assert_eq!(t["overall"]["ard_rescaled"].as_f64().unwrap(), ard_r);
    assert_eq!(json["mase_models"][0], "mase7");
}

#[test]
fn validate_a_siege_run_folder_lists_the_observations() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("f");
    corridor()
        .arg("run")
        .arg(fallujah())
        .args(["-q", "-o"])
        .arg(&run)
        .assert()
        .success();
    let out = corridor()
        .arg("validate")
        .arg(&run)
        .arg("--json")
        .arg(tmp.path().join("v.json"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    // No Flee-style ARD table (all zeros) for a siege run.
    assert!(!text.contains("no observed camp data"), "{text}");
    assert!(text.contains("observed vs simulated"));
    assert!(
        text.contains("observations within their source's range"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("v.json")).unwrap()).unwrap();
    let c = json["tables"][0]["siege_comparisons"].as_array().unwrap();
    assert!(c
        .iter()
        .any(|x| x["what"] == "displaced" && x["observed"] == 85374.0));
}

#[test]
fn export_geojson_has_points_lines_and_closures() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("net/fallujah.geojson");
    corridor()
        .arg("export-geojson")
        .arg(fallujah())
        .arg("-o")
        .arg(&path)
        .assert()
        .success();
    let geo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let features = geo["features"].as_array().unwrap();
    let points: Vec<&serde_json::Value> = features
        .iter()
        .filter(|f| f["geometry"]["type"] == "Point")
        .collect();
    let lines: Vec<&serde_json::Value> = features
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .collect();
    // Every location is a Point and every route a LineString.
    let rows = |f: &str| {
        std::fs::read_to_string(fallujah().join(f))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count()
    };
    assert_eq!(points.len(), rows("locations.csv"));
    assert_eq!(lines.len(), rows("routes.csv"));
    assert_eq!(points.len(), 19);
    let fallujah = points
        .iter()
        .find(|p| p["properties"]["name"] == "Fallujah")
        .unwrap();
    assert_eq!(fallujah["properties"]["type"], "conflict_zone");
    assert_eq!(fallujah["properties"]["held"], true);
    assert_eq!(fallujah["properties"]["population"], 80000);
    // [lon, lat]
    let c = fallujah["geometry"]["coordinates"].as_array().unwrap();
    assert!((c[0].as_f64().unwrap() - 43.779).abs() < 0.01);
    let aaf = points
        .iter()
        .find(|p| p["properties"]["name"] == "AAF")
        .unwrap();
    assert!(aaf["properties"]["capacity"].as_i64().is_some());
    assert!(lines
        .iter()
        .all(|l| l["properties"]["distance_km"].as_f64().is_some()));
    // Bzebiz–Baghdad is closed from d37 to d39 (interventions) and in places by the checkpoint.
    let bridge = lines
        .iter()
        .find(|l| l["properties"]["from"] == "Bzebiz" && l["properties"]["to"] == "Baghdad")
        .unwrap();
    assert_eq!(bridge["properties"]["closed"], true);
    assert!(lines.iter().any(|l| l["properties"]["closed"] == false));
    assert!(lines
        .iter()
        .any(|l| l["properties"]["siege_role"] == "crossing"));
    // A Flee scenario without running it: no closed flags.
    corridor()
        .arg("export-geojson")
        .arg(mali())
        .arg("--no-closures")
        .arg("-o")
        .arg(tmp.path().join("mali.geojson"))
        .assert()
        .success();
}

#[cfg(feature = "parquet")]
#[test]
fn export_parquet_converts_output_csvs() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    corridor()
        .arg("run")
        .arg(fallujah())
        .args(["-q", "-o"])
        .arg(&run)
        .assert()
        .success();
    corridor()
        .arg("export-parquet")
        .arg(&run)
        .assert()
        .success();
    for f in ["out.parquet", "fates.parquet"] {
        let bytes = std::fs::read(run.join(f)).unwrap();
        assert_eq!(&bytes[..4], b"PAR1", "{f}");
        assert_eq!(&bytes[bytes.len() - 4..], b"PAR1", "{f}");
    }
    let html = tmp.path().join("r/report.html");
    corridor()
        .arg("report")
        .arg(&run)
        .arg("--parquet")
        .arg("-o")
        .arg(&html)
        .assert()
        .success();
    for f in ["camps", "totals", "runs", "errors", "fates"] {
        let p = tmp.path().join(format!("r/report-data/{f}.parquet"));
        assert_eq!(&std::fs::read(&p).unwrap()[..4], b"PAR1", "{f}");
    }
}
