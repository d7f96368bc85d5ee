//! Variants of Flee folders (`base:` naming a Flee/FabFlee folder): what the
//! reader makes of `close`, `open`, `add_camps`, `capacities`, `settings`
//! and `days`, and its errors (file:line, field, value, hint).

use corridor_io::{read_scenario, InputError};
use corridor_model::{ClosureKind, Scenario};
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn mali() -> PathBuf {
    repo().join("data/flee/scenarios/mali2012")
}

fn val_h10() -> PathBuf {
    repo().join("data/flee/reference/val_h10.yml")
}

/// Writes `variant.yml` (with `base:` set to mali2012) in a new folder.
fn variant(body: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("variant.yml");
    let text = format!("base: {}\n{body}", mali().display());
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

fn read(body: &str) -> Scenario {
    let (_dir, file) = variant(body);
    read_scenario(&file, Some(&val_h10()))
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

fn error(body: &str) -> InputError {
    let (_dir, file) = variant(body);
    match read_scenario(&file, Some(&val_h10())) {
        Ok(_) => panic!("accepted:\n{body}"),
        Err(e) => e,
    }
}

fn base() -> Scenario {
    read_scenario(&mali(), Some(&val_h10())).unwrap().0
}

#[test]
fn a_variant_that_changes_nothing_is_its_base_and_stays_a_flee_scenario() {
    let (b, v) = (base(), read(""));
    assert!(
        v.siege.is_none(),
        "a variant of a Flee folder is not a siege"
    );
    assert_eq!(v.locations, b.locations);
    assert_eq!(v.routes, b.routes);
    assert_eq!(v.closures, b.closures);
    assert_eq!(v.days, b.days);
    assert_eq!(v.settings.hasten, 10);
    assert_eq!(v.validation.labels, b.validation.labels);
    // A variant of that variant, too.
    let (dir, _file) = variant("name: first\ncapacities: [{location: Niamey, capacity: 999}]\n");
    let second = dir.path().join("second.yml");
    std::fs::write(&second, "base: variant.yml\nname: second\ndays: 50\n").unwrap();
    let s = read_scenario(&second, Some(&val_h10())).unwrap().0;
    assert_eq!(s.name, "second");
    assert_eq!(s.days, 50);
    let niamey = s.location_id("Niamey").unwrap() as usize;
    assert_eq!(s.locations[niamey].pop_or_capacity, 999);
    assert!(s.siege.is_none());
}

#[test]
fn close_adds_closures_rows_and_open_ends_the_bases() {
    let v = read(
        "close:\n  - {border: [Mali, Mauritania], from_day: 30}\n  \
         - {route: [Menaka, Abala], from_day: 5, until_day: 40}\n  \
         - {camp: Niamey, from_day: 100}\n  - {location: Kidal}\n\
         open:\n  - {border: [Burkina_Faso, Mali], from_day: 10}\n  - {border: [Mali, Niger]}\n",
    );
    let b = base();
    let find = |kind, a: &str| {
        v.closures
            .iter()
            .filter(|c| c.kind == kind && c.name1 == a)
            .collect::<Vec<_>>()
    };
    let border = find(ClosureKind::Country, "Mali");
    // Burkina Faso: the base's 0–22 now ends on day 10; Niger (0–33) is gone;
    // Mauritania: closed from day 30, never reopened.
    let burkina = border.iter().find(|c| c.name2 == "Burkina_Faso").unwrap();
    assert_eq!((burkina.start, burkina.end), (0, 10));
    assert!(border.iter().all(|c| c.name2 != "Niger"), "{border:?}");
    let mauritania = border.iter().find(|c| c.name2 == "Mauritania").unwrap();
    assert_eq!((mauritania.start, mauritania.end), (30, -1));
    let link = find(ClosureKind::Link, "Menaka");
    assert_eq!(
        (link[0].name2.as_str(), link[0].start, link[0].end),
        ("Abala", 5, 40)
    );
    assert_eq!(find(ClosureKind::Camp, "Niamey")[0].start, 100);
    assert_eq!(find(ClosureKind::Location, "Kidal")[0].start, 0);
    assert_eq!(v.closures.len(), b.closures.len() - 1 + 4);
}

#[test]
fn add_camps_adds_a_camp_its_routes_and_an_empty_data_series() {
    let b = base();
    let v = read(
        "add_camps:\n  - {name: Ouallam, region: Tillaberi, country: Niger, lat: 14.3, lon: 2.1, \
         capacity: 5000, routes: [{to: Mangaize, distance: 70}, {to: Niamey, distance: 100}]}\n",
    );
    assert_eq!(v.locations.len(), b.locations.len() + 1);
    let id = v.location_id("Ouallam").unwrap();
    let camp = &v.locations[id as usize];
    assert!(camp.kind.is_camp());
    assert_eq!(camp.pop_or_capacity, 5000);
    let mangaize = v.location_id("Mangaize").unwrap();
    assert!(v
        .routes
        .iter()
        .any(|r| r.from == id && r.to == mangaize && r.distance_km == 70.0));
    assert_eq!(v.routes.len(), b.routes.len() + 2);
    // Flee needs a data series per camp: a flat zero, which spawns nobody.
    let i = v
        .validation
        .labels
        .iter()
        .position(|l| l == "Ouallam")
        .unwrap();
    assert_eq!(v.validation.series[i][0].points.len(), 1);
    assert_eq!(v.validation.series[i][0].points[0].count, 0);
}

#[test]
fn a_capacity_that_day_0_fills_is_a_warning() {
    let (_dir, file) = variant("capacities: [{location: Fassala-Mbera, capacity: 7588}]\n");
    let (_, warnings) = read_scenario(&file, Some(&val_h10())).unwrap();
    let w = warnings
        .iter()
        .find(|w| w.message.contains("day-0 data (17790 people)"))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert_eq!(w.line, Some(2));
    // Above the day-0 count: no warning.
    let (_dir, file) = variant("capacities: [{location: Fassala-Mbera, capacity: 30000}]\n");
    let (_, warnings) = read_scenario(&file, Some(&val_h10())).unwrap();
    assert!(warnings.iter().all(|w| !w.message.contains("day-0 data")));
}

#[test]
fn capacities_settings_and_days_change_the_scenario() {
    let v = read(
        "days: 120\ncapacities: [{location: Fassala-Mbera, capacity: 1000}]\n\
         settings:\n  move_rules:\n    camp_weight: 3.5\n  optimisations: {hasten: 100}\n",
    );
    let mbera = v.location_id("Fassala-Mbera").unwrap() as usize;
    assert_eq!(v.locations[mbera].pop_or_capacity, 1000);
    assert_eq!(v.days, 120);
    assert_eq!(v.settings.camp_weight, 3.5);
    assert_eq!(v.settings.hasten, 100);
    // Every other setting stays the base's (val_h10.yml).
    let b = base();
    assert_eq!(v.settings.capacity_scaling, b.settings.capacity_scaling);
    assert_eq!(v.settings.max_move_speed, b.settings.max_move_speed);
    assert_ne!(b.settings.camp_weight, 3.5);
}

/// The error's text, which must name the variant file and a line.
fn text_of(e: &InputError) -> String {
    format!("{e}\nhint: {}", e.hint())
}

#[test]
fn bad_variants_are_errors_with_file_line_field_value_and_hint() {
    for (body, line, wanted) in [
        (
            "close:\n  - {route: [Menaka, Abalaa], from_day: 3}\n",
            3,
            &["close.route", "Abalaa", "did you mean 'Abala'"][..],
        ),
        (
            "close:\n  - {route: [Menaka, Niamey]}\n",
            3,
            &["no route between"][..],
        ),
        (
            "close:\n  - {border: [Mali, Mauretania]}\n",
            3,
            &["Mauretania", "did you mean 'Mauritania'"][..],
        ),
        (
            "close:\n  - {location: Kidal, from_day: 300}\n",
            3,
            &["from_day", "300", "outside the run"][..],
        ),
        (
            "close:\n  - {location: Kidal, from_day: 20, until_day: 20}\n",
            3,
            &["until_day", "20"][..],
        ),
        (
            "close:\n  - {location: Kidal, camp: Niamey}\n",
            3,
            &["exactly one of"][..],
        ),
        (
            "close:\n  - {camp: Kidal}\n",
            3,
            &["'Kidal' is not a camp"][..],
        ),
        (
            "open:\n  - {location: Kidal, from_day: 2}\n",
            3,
            &["no closure of the base"][..],
        ),
        (
            "add_camps:\n  - {name: Niamey, region: R, country: Niger, lat: 1, lon: 1, capacity: 5, \
             routes: [{to: Mangaize, distance: 10}]}\n",
            3,
            &["add_camps.name", "Niamey", "already exists"][..],
        ),
        (
            "add_camps:\n  - {name: New, region: R, country: Niger, lat: 1, lon: 1, capacity: 5, \
             routes: [{to: Mangaize, distance: 10}]}\n  - {name: New, region: R, country: Niger, \
             lat: 1, lon: 1, capacity: 5, routes: [{to: Mangaize, distance: 10}]}\n",
            4,
            &["New", "already exists"][..],
        ),
        (
            "add_camps:\n  - {name: New, region: R, country: Niger, lat: 1, lon: 1, capacity: 5, \
             routes: [{to: Mangaiz, distance: 10}]}\n",
            3,
            &["add_camps.routes.to", "Mangaiz"][..],
        ),
        (
            "capacities:\n  - {location: Kidal, capacity: 5}\n",
            3,
            &["capacities.location", "not a camp"][..],
        ),
        (
            "capacities:\n  - {location: Niamey, capacity: -5}\n",
            3,
            &["capacities.capacity", "-5"][..],
        ),
        ("days: 400\n", 2, &["days", "400", "1 to 300"][..]),
        (
            "interventions:\n  - {day: 1, action: close_route, from: Menaka, to: Abala}\n",
            2,
            &["`interventions:` is not read in a variant of a Flee folder"][..],
        ),
        (
            "settings:\n  optimisations:\n    hasten: 0\n",
            4,
            &["hasten"][..],
        ),
    ] {
        let e = error(body);
        let text = text_of(&e);
        assert!(
            text.contains(&format!("variant.yml:{line}")),
            "{body}: no variant.yml:{line} in\n{text}"
        );
        for w in wanted {
            assert!(text.contains(w), "{body}: no '{w}' in\n{text}");
        }
    }
}

#[test]
fn flee_changes_on_a_siege_base_are_refused_with_the_intervention_to_use() {
    let dir = tempfile::tempdir().unwrap();
    let base = repo().join("scenarios/fallujah-2016/scenario.yml");
    let file = dir.path().join("v.yml");
    std::fs::write(
        &file,
        format!(
            "base: {}\ncapacities: [{{location: X, capacity: 1}}]\n",
            base.display()
        ),
    )
    .unwrap();
    let Err(e) = read_scenario(&file, None) else {
        panic!("refused")
    };
    let text = text_of(&e);
    assert!(text.contains("v.yml:2"), "{text}");
    assert!(text.contains("set_camp_capacity"), "{text}");
}

#[test]
fn the_shipped_what_if_reads_as_a_flee_scenario() {
    let file = repo().join("scenarios/whatif-mali2012-border/variant.yml");
    let (s, warnings) = read_scenario(&file, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(s.siege.is_none());
    assert_eq!(s.settings.hasten, 10, "its settings file is val_h10.yml");
    assert!(s.location_id("Ouallam").is_some());
    // Its own settings file replaces the base's missing one: no warning about it.
    assert!(
        warnings
            .iter()
            .all(|w| !w.message.contains("no simsetting.yml")),
        "{warnings:?}"
    );
}
