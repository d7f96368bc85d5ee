//! One broken copy of mali2012 per class of bad input: each error must name
//! the file, the line and the field, and carry a hint. Plus `write_atomic`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use corridor_io::{
    check_scenario, parse_settings_str, read_flee_scenario, read_scenario, write_atomic,
    write_atomic_with, InputError, InputErrorKind,
};

const MALI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/flee/scenarios/mali2012"
);

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
            // The shared copy is read-only; the broken copy must be editable.
            let mut perm = fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            fs::set_permissions(&target, perm).unwrap();
        }
    }
}

/// A writable copy of mali2012 named `mali2012` inside a fresh temp dir.
struct Broken {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Broken {
    fn new() -> Broken {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mali2012");
        copy_dir(Path::new(MALI), &dir);
        Broken { _tmp: tmp, dir }
    }
    fn file(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let p = self.file(rel);
        let text = fs::read_to_string(&p).unwrap();
        fs::write(&p, f(text)).unwrap();
    }
    /// Replaces the first line starting with `prefix`; returns its 1-based number.
    fn replace_line(&self, rel: &str, prefix: &str, new: &str) -> usize {
        let mut at = 0;
        self.edit(rel, |text| {
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            let i = lines.iter().position(|l| l.starts_with(prefix)).unwrap();
            lines[i] = new.to_string();
            at = i + 1;
            lines.join("\n") + "\n"
        });
        at
    }
    /// Appends a line; returns its 1-based number.
    fn append_line(&self, rel: &str, line: &str) -> usize {
        let mut at = 0;
        self.edit(rel, |text| {
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            lines.push(line.to_string());
            at = lines.len();
            lines.join("\n") + "\n"
        });
        at
    }
    fn load(&self) -> InputError {
        self.load_with(None)
    }
    fn load_with(&self, settings: Option<&Path>) -> InputError {
        match read_flee_scenario(&self.dir, settings) {
            Ok(_) => panic!("the broken scenario loaded without error"),
            Err(e) => e,
        }
    }
}

/// The rendered message names the file, the line and the field, and has a hint.
#[track_caller]
fn assert_points_at(e: &InputError, file: &str, line: Option<usize>, field: &str) {
    let msg = e.to_string();
    eprintln!("{msg}\n");
    assert!(msg.contains(file), "no file name {file:?} in:\n{msg}");
    if let Some(l) = line {
        assert!(
            msg.contains(&format!("{file}:{l}:")),
            "no line {l} in:\n{msg}"
        );
        assert_eq!(e.line(), Some(l), "{msg}");
    }
    assert!(msg.contains(field), "no field {field:?} in:\n{msg}");
    assert!(msg.contains("\n  hint: "), "no hint in:\n{msg}");
    assert!(e.hint().len() > 10, "{msg}");
    assert!(e.path().to_string_lossy().contains(file), "{msg}");
}

#[test]
fn pristine_copy_loads() {
    let b = Broken::new();
    let (s, _) = read_flee_scenario(&b.dir, None).unwrap();
    assert_eq!(s.name, "mali2012");
}

#[test]
fn missing_required_file() {
    for (rel, purpose) in [
        ("input_csv/routes.csv", "route"),
        ("input_csv/locations.csv", "location"),
        ("input_csv/conflicts.csv", "conflict"),
        ("input_csv/sim_period.csv", "period"),
        ("source_data/data_layout.csv", "series"),
        ("source_data/bf-mentao.csv", "Mentao"),
    ] {
        let b = Broken::new();
        fs::remove_file(b.file(rel)).unwrap();
        let e = b.load();
        assert!(
            matches!(e.kind(), InputErrorKind::MissingFile { .. }),
            "{rel}: {e}"
        );
        let msg = e.to_string();
        eprintln!("{msg}\n");
        let name = rel.rsplit('/').next().unwrap();
        assert!(msg.contains(name) && msg.contains("not found"), "{msg}");
        assert!(msg.contains(purpose), "{rel}: purpose missing in {msg}");
        assert!(msg.contains("hint: "), "{msg}");
    }
}

#[test]
fn optional_files_may_be_absent() {
    let b = Broken::new();
    fs::remove_file(b.file("input_csv/closures.csv")).unwrap();
    fs::remove_file(b.file("input_csv/registration_corrections.csv")).unwrap();
    let (s, _) = read_flee_scenario(&b.dir, None).unwrap();
    assert!(s.closures.is_empty() && s.validation.corrections.is_empty());
}

#[test]
fn missing_column_in_locations() {
    let b = Broken::new();
    let line = b.replace_line(
        "input_csv/locations.csv",
        "Timbuktu,",
        "Timbuktu,Timbuktu,Mali,16.78,-3.0,conflict_zone",
    );
    let e = b.load();
    assert_points_at(&e, "locations.csv", Some(line), "conflict_date");
}

#[test]
fn missing_column_in_routes() {
    let b = Broken::new();
    let line = b.append_line("input_csv/routes.csv", "Kidal,Gao");
    let e = b.load();
    assert_points_at(&e, "routes.csv", Some(line), "distance");
}

#[test]
fn extra_unnamed_column() {
    let b = Broken::new();
    let line = b.append_line("input_csv/routes.csv", "Kidal,Gao,100,0,55");
    let e = b.load();
    assert_points_at(&e, "routes.csv", Some(line), "column 5");
    assert!(e.hint().contains("header"), "{e}");
}

#[test]
fn unknown_location_in_routes() {
    let b = Broken::new();
    let line = b.append_line("input_csv/routes.csv", "Kidal,Gaoo,100");
    let e = b.load();
    assert_points_at(&e, "routes.csv", Some(line), "name2");
    assert!(e.to_string().contains("\"Gaoo\""), "{e}");
    assert!(e.hint().contains("did you mean 'Gao'"), "{e}");
}

#[test]
fn negative_distance() {
    let b = Broken::new();
    let line = b.replace_line("input_csv/routes.csv", "Mopti,Mentao,", "Mopti,Mentao,-3,0");
    let e = b.load();
    assert_points_at(&e, "routes.csv", Some(line), "field 'distance' = \"-3\"");
    assert!(e.to_string().contains("non-negative number of km"), "{e}");
}

#[test]
fn non_finite_distance() {
    let b = Broken::new();
    let line = b.replace_line(
        "input_csv/routes.csv",
        "Mopti,Mentao,",
        "Mopti,Mentao,inf,0",
    );
    assert_points_at(&b.load(), "routes.csv", Some(line), "distance");
}

#[test]
fn malformed_date_in_series() {
    let b = Broken::new();
    let line = b.replace_line(
        "source_data/bf-mentao.csv",
        "2012-03-24,",
        "2012/03/24,4091",
    );
    let e = b.load();
    assert_points_at(
        &e,
        "bf-mentao.csv",
        Some(line),
        "field 'date' = \"2012/03/24\"",
    );
}

#[test]
fn date_with_spaces_in_series() {
    let b = Broken::new();
    let line = b.replace_line(
        "source_data/bf-mentao.csv",
        "2012-03-24,",
        " 2012-03-24,4091",
    );
    assert_points_at(&b.load(), "bf-mentao.csv", Some(line), "date");
}

#[test]
fn non_integer_count_in_series() {
    let b = Broken::new();
    let line = b.replace_line(
        "source_data/bf-mentao.csv",
        "2012-03-24,",
        "2012-03-24,4091.0",
    );
    assert_points_at(
        &b.load(),
        "bf-mentao.csv",
        Some(line),
        "field 'count' = \"4091.0\"",
    );
}

#[test]
fn malformed_date_in_sim_period() {
    let b = Broken::new();
    let line = b.replace_line(
        "input_csv/sim_period.csv",
        "StartDate",
        "StartDate,2012-02-30",
    );
    let e = b.load();
    assert_points_at(
        &e,
        "sim_period.csv",
        Some(line),
        "field 'StartDate' = \"2012-02-30\"",
    );
}

#[test]
fn missing_length_in_sim_period() {
    let b = Broken::new();
    b.edit("input_csv/sim_period.csv", |_| {
        "StartDate,2012-02-29\n".into()
    });
    let e = b.load();
    assert_points_at(&e, "sim_period.csv", None, "Length");
}

#[test]
fn non_integer_population() {
    let b = Broken::new();
    let line = b.replace_line(
        "input_csv/locations.csv",
        "Timbuktu,",
        "Timbuktu,Timbuktu,Mali,16.78026,-3.00159,conflict_zone,0,54453.0",
    );
    let e = b.load();
    assert_points_at(
        &e,
        "locations.csv",
        Some(line),
        "field 'population' = \"54453.0\"",
    );
    assert!(e.to_string().contains("integer"), "{e}");
}

#[test]
fn unknown_closure_type() {
    let b = Broken::new();
    let line = b.append_line("input_csv/closures.csv", "countries,Mali,Niger,0,10");
    let e = b.load();
    assert_points_at(&e, "closures.csv", Some(line), "closure_type");
    assert!(
        e.hint()
            .contains("valid types: country, location, link, camp, idpcamp"),
        "{e}"
    );
    assert!(e.hint().contains("silently ignores"), "{e}");
}

#[test]
fn unknown_country_in_closure() {
    let b = Broken::new();
    let line = b.append_line("input_csv/closures.csv", "country,Mali,Nigerr,0,10");
    assert_points_at(&b.load(), "closures.csv", Some(line), "name2");
}

#[test]
fn unknown_location_in_closure() {
    let b = Broken::new();
    let line = b.append_line("input_csv/closures.csv", "location,Atlantis,,0,10");
    assert_points_at(&b.load(), "closures.csv", Some(line), "name1");
}

#[test]
fn conflicts_too_short() {
    let b = Broken::new();
    b.edit("input_csv/conflicts.csv", |t| {
        t.lines().take(201).collect::<Vec<_>>().join("\n") + "\n"
    });
    let e = b.load();
    let msg = e.to_string();
    assert_points_at(&e, "conflicts.csv", None, "Kidal");
    assert!(
        msg.contains("at least 300 data rows") && msg.contains("found 200"),
        "{msg}"
    );
}

#[test]
fn conflicts_unknown_name_is_a_warning() {
    let b = Broken::new();
    b.edit("input_csv/conflicts.csv", |t| {
        t.replacen(" Kidal,", " Kidall,", 1)
    });
    let (s, warnings) = read_flee_scenario(&b.dir, None).unwrap();
    assert!(warnings
        .iter()
        .any(|w| w.message.contains("Kidall") && w.message.contains("did you mean 'Kidal'")));
    assert!(s
        .conflicts
        .columns
        .iter()
        .all(|(id, _)| s.locations[*id as usize].name != "Kidal"));
}

#[test]
fn unknown_location_type_is_a_warning() {
    let b = Broken::new();
    let line = b.replace_line(
        "input_csv/locations.csv",
        "Bamako,",
        "Bamako,Bamako,Mali,12.65,-8.0,city,0,100",
    );
    let (_, warnings) = read_flee_scenario(&b.dir, None).unwrap();
    let w = warnings
        .iter()
        .find(|w| w.message.contains("Bamako"))
        .unwrap();
    assert_eq!(w.line, Some(line));
}

#[test]
fn camp_without_data_layout_row() {
    let b = Broken::new();
    b.edit("source_data/data_layout.csv", |t| {
        t.replace("Niamey,nig-niamey.csv", "")
    });
    let e = b.load();
    assert_points_at(&e, "data_layout.csv", None, "label");
    assert!(e.to_string().contains("camp 'Niamey'"), "{e}");
}

#[test]
fn data_layout_must_start_with_total() {
    let b = Broken::new();
    b.edit("source_data/data_layout.csv", |t| {
        t.replacen("total,", "all,", 1)
    });
    assert_points_at(&b.load(), "data_layout.csv", Some(1), "label");
}

#[test]
fn correction_for_unknown_label() {
    let b = Broken::new();
    let line = b.append_line(
        "input_csv/registration_corrections.csv",
        "Mentaoo,2012-10-03,normalize",
    );
    assert_points_at(
        &b.load(),
        "registration_corrections.csv",
        Some(line),
        "camp_name",
    );
}

#[test]
fn correction_date_without_data_point() {
    let b = Broken::new();
    let line = b.replace_line(
        "input_csv/registration_corrections.csv",
        "Mentao,",
        "Mentao,2012-10-04,normalize",
    );
    let e = b.load();
    assert_points_at(
        &e,
        "registration_corrections.csv",
        Some(line),
        "field 'date' = \"2012-10-04\"",
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let b = Broken::new();
    b.edit("input_csv/locations.csv", |t| {
        format!("\u{feff}{}", t.replace('\n', "\r\n"))
    });
    b.edit("source_data/data_layout.csv", |t| format!("\u{feff}{t}"));
    let (s, _) = read_flee_scenario(&b.dir, None).unwrap();
    assert_eq!(s.locations.len(), 23);
}

#[test]
fn attribute_columns_and_route_options() {
    let b = Broken::new();
    b.edit("input_csv/locations.csv", |t| {
        t.replacen(
            "#name,region,country,latitude,longitude,location_type,conflict_date,population",
            "#name,region,country,latitude,longitude,location_type,conflict_date,population,conflict_intensity,\
             capacity_per_day,initial_idps,farmer_fraction",
            1,
        )
        .replacen(
            "Kidal,Kidal,Mali,18.444305,1.401523,conflict_zone,0,25617",
            "\"Kidal\",Kidal,Mali,18.444305,1.401523,conflict_zone,0,25617,0.5,,,0.3",
            1,
        )
    });
    let camp_line = b.replace_line(
        "input_csv/locations.csv",
        "Mentao,",
        "Mentao,Soum,Burkina_Faso,13.999,-1.68,camp,0,12000,,40,7",
    );
    b.edit("input_csv/routes.csv", |t| {
        t.replacen(
            "#name1,name2,distance,forced_redirection",
            "#name1,name2,distance,forced_redirection,max_move_speed,walk_probability",
            1,
        )
        .replacen("Douentza,Mentao,487,0", "Douentza,Mentao,487,2,150,0.25", 1)
        .replacen("Mopti,Mentao,360,0", "Mopti,Mentao,360,,,", 1)
    });
    let (s, _) = read_flee_scenario(&b.dir, None).unwrap();
    let kidal = &s.locations[0];
    assert_eq!(kidal.name, "Kidal");
    assert_eq!(kidal.conflict_intensity, 0.5);
    assert_eq!(
        kidal.attributes,
        vec![("farmer_fraction".to_string(), "0.3".to_string())]
    );
    let mentao = &s.locations[s.location_id("Mentao").unwrap() as usize];
    assert_eq!(
        (
            mentao.capacity_per_day,
            mentao.initial_idps,
            mentao.pop_or_capacity
        ),
        (40, 7, 12000)
    );
    assert_eq!(s.routes[0].forced_redirection, 2);
    assert_eq!(s.routes[0].max_move_speed, Some(150.0));
    assert_eq!(s.routes[0].walk_probability, 0.25);
    assert_eq!(s.routes[1].max_move_speed, None);
    assert_eq!(s.routes[1].walk_probability, 0.0);
    // A bad attribute value is reported with its column name.
    b.replace_line(
        "input_csv/locations.csv",
        "Mentao,",
        "Mentao,Soum,Burkina_Faso,13.999,-1.68,camp,0,12000,,forty,7",
    );
    assert_points_at(
        &b.load(),
        "locations.csv",
        Some(camp_line),
        "capacity_per_day",
    );
}

// ---------------------------------------------------------------------------
// settings

fn settings_error(yaml: &str) -> InputError {
    let b = Broken::new();
    let p = b.file("simsetting.yml");
    fs::write(&p, yaml).unwrap();
    // Both the explicit path and the default <dir>/simsetting.yml are used.
    let e1 = b.load_with(Some(&p));
    let e2 = b.load();
    assert_eq!(e1.to_string(), e2.to_string());
    e1
}

#[test]
fn bad_yaml() {
    let e = settings_error("move_rules:\n  max_move_speed: 200\n  softening: [10\n");
    assert!(matches!(e.kind(), InputErrorKind::Yaml { .. }), "{e}");
    let msg = e.to_string();
    eprintln!("{msg}\n");
    assert!(msg.contains("simsetting.yml:"), "{msg}");
    assert!(e.line().is_some(), "{msg}");
    assert!(
        msg.contains("invalid YAML") && msg.contains("hint: "),
        "{msg}"
    );
}

#[test]
fn quoted_bool_yaml() {
    let e = settings_error("move_rules:\n  max_move_speed: 200\n  avoid_short_stints: \"False\"\n");
    assert_points_at(
        &e,
        "simsetting.yml",
        Some(3),
        "move_rules.avoid_short_stints",
    );
    assert!(e.hint().contains("remove the quotes"), "{e}");
    assert!(e.hint().contains("true"), "{e}");
}

#[test]
fn former_unsupported_options_are_read() {
    // (two_system_decision_making, fixed_routes, camps_are_sicks and then
    // read_from_agents_csv_file were the examples of an unsupported option
    // until corridor read them; no key Flee reads is unsupported now.)
    for text in [
        "spawn_rules:\n  read_from_agents_csv_file: True\n",
        "spawn_rules:\n  camps_are_sicks: True\n",
        "move_rules:\n  MatchCampEthnicity: True\n",
    ] {
        parse_settings_str(text, "s.yml").unwrap();
    }
}

#[test]
fn wrong_type_in_settings() {
    let e = settings_error("optimisations:\n  hasten: ten\n");
    assert_points_at(&e, "simsetting.yml", Some(2), "optimisations.hasten");
}

// ---------------------------------------------------------------------------
// write_atomic

fn dir_entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn write_atomic_replaces_and_leaves_no_temp() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("out.csv");
    write_atomic(&p, b"first\n").unwrap();
    write_atomic(&p, b"second\n").unwrap();
    assert_eq!(fs::read(&p).unwrap(), b"second\n");
    assert_eq!(dir_entries(tmp.path()), vec!["out.csv"]);
}

#[test]
fn existing_file_survives_a_failed_write() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("out.csv");
    fs::write(&p, b"precious\n").unwrap();
    // The writer fails half-way: nothing may change at the destination.
    let err = write_atomic_with(&p, |f| {
        f.write_all(b"partial")?;
        Err(io::Error::other("disk full (simulated)"))
    })
    .unwrap_err();
    assert!(err.to_string().contains("simulated"));
    assert_eq!(fs::read(&p).unwrap(), b"precious\n");
    assert_eq!(dir_entries(tmp.path()), vec!["out.csv"]);
}

#[test]
fn failed_rename_leaves_destination_and_no_temp() {
    // The destination is a non-empty directory, so the final rename fails
    // (even for root, unlike permission-based tricks).
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("out.csv");
    fs::create_dir(&p).unwrap();
    fs::write(p.join("keep.txt"), b"keep").unwrap();
    assert!(write_atomic(&p, b"data").is_err());
    assert_eq!(fs::read(p.join("keep.txt")).unwrap(), b"keep");
    assert_eq!(dir_entries(tmp.path()), vec!["out.csv"]);
}

#[test]
fn unwritable_parent_fails_cleanly() {
    // The parent "directory" is a regular file: nothing can be created there.
    let tmp = tempfile::tempdir().unwrap();
    let not_a_dir = tmp.path().join("file");
    fs::write(&not_a_dir, b"precious").unwrap();
    assert!(write_atomic(&not_a_dir.join("out.csv"), b"data").is_err());
    assert_eq!(fs::read(&not_a_dir).unwrap(), b"precious");
    assert_eq!(dir_entries(tmp.path()), vec!["file"]);
    // A missing parent directory is an error too.
    assert!(write_atomic(&tmp.path().join("no/such/dir/out.csv"), b"x").is_err());
    assert_eq!(dir_entries(tmp.path()), vec!["file"]);
}

// --- Hostile and careless input (issue 14) ---------------------------------

#[test]
fn conflicts_with_another_separator_is_an_error_not_no_conflicts() {
    let b = Broken::new();
    b.edit("input_csv/conflicts.csv", |t| t.replace(',', ";"));
    let e = b.load();
    assert_points_at(&e, "conflicts.csv", Some(1), "not comma-separated");
    assert!(e.hint().contains("commas"), "{e}");
}

#[test]
fn conflicts_without_a_schedule_is_an_error() {
    let b = Broken::new();
    fs::write(
        b.file("input_csv/conflicts.csv"),
        "garbage here\nmore garbage\n",
    )
    .unwrap();
    let e = b.load();
    assert_points_at(&e, "conflicts.csv", Some(2), "Day");
}

#[cfg(unix)]
#[test]
fn a_broken_symlink_for_an_optional_file_is_not_absent() {
    let b = Broken::new();
    let p = b.file("input_csv/closures.csv");
    fs::remove_file(&p).unwrap();
    std::os::unix::fs::symlink("no-such-target.csv", &p).unwrap();
    let e = b.load();
    assert!(matches!(e.kind(), InputErrorKind::Io { .. }), "{e}");
    assert!(e.to_string().contains("closures.csv"), "{e}");
    assert!(e.hint().contains("broken symbolic link"), "{e}");
    assert!(e.hint().contains("no-such-target.csv"), "{e}");
}

#[test]
fn an_input_that_is_not_a_regular_file_is_refused() {
    let b = Broken::new();
    let p = b.file("input_csv/routes.csv");
    fs::remove_file(&p).unwrap();
    fs::create_dir(&p).unwrap();
    let e = b.load();
    assert!(matches!(e.kind(), InputErrorKind::Io { .. }), "{e}");
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

#[test]
fn awareness_level_is_limited_and_negative_levels_warn() {
    let e = parse_settings_str("move_rules:\n  awareness_level: 99\n", "s.yml").unwrap_err();
    assert_points_at(&e, "s.yml", Some(2), "move_rules.awareness_level");
    assert!(e.to_string().contains("above the limit of 8"), "{e}");
    assert!(e.hint().contains("CORRIDOR_MAX_AWARENESS_LEVEL"), "{e}");
    let (s, w) = parse_settings_str("move_rules:\n  awareness_level: -1\n", "s.yml").unwrap();
    assert_eq!(s.awareness_level, -1);
    assert!(
        w.iter()
            .any(|w| w.message.contains("treated as 1") && w.line == Some(2)),
        "{w:?}"
    );
    let (_, w) = parse_settings_str("move_rules:\n  awareness_level: 3\n", "s.yml").unwrap();
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn a_looping_base_chain_is_an_error_not_a_stack_overflow() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.yml"), tmp.path().join("b.yml"));
    fs::write(&a, "base: b.yml\nname: a\n").unwrap();
    fs::write(&b, "base: a.yml\nname: b\n").unwrap();
    let e = read_scenario(&a, None).unwrap_err();
    assert_points_at(&e, "b.yml", Some(1), "base");
    assert!(e.to_string().contains("loops"), "{e}");
    // A second read on the same thread starts a fresh chain.
    let e = read_scenario(&b, None).unwrap_err();
    assert!(e.to_string().contains("loops"), "{e}");
}

#[test]
fn coordinates_out_of_range_or_nan_are_errors() {
    for (new, field) in [
        (
            "Kidal,Kidal,Mali,nan,1.401523,conflict_zone,0,25617",
            "latitude",
        ),
        (
            "Kidal,Kidal,Mali,18.444305,999,conflict_zone,0,25617",
            "longitude",
        ),
        ("Kidal,Kidal,Mali,-91,1.4,conflict_zone,0,25617", "latitude"),
    ] {
        let b = Broken::new();
        let line = b.replace_line("input_csv/locations.csv", "Kidal,", new);
        let e = b.load();
        assert_points_at(&e, "locations.csv", Some(line), field);
        assert!(e.to_string().contains("degrees"), "{e}");
    }
}

#[test]
fn a_negative_observed_count_is_read_with_a_warning() {
    let b = Broken::new();
    let line = b.replace_line("source_data/bf-mentao.csv", "2012-03-24,", "2012-03-24,-5");
    let (_, w) = read_flee_scenario(&b.dir, None).unwrap();
    assert!(
        w.iter().any(|w| w.path.ends_with("bf-mentao.csv")
            && w.line == Some(line)
            && w.message.contains("negative")),
        "{w:?}"
    );
}

#[test]
fn yaml_errors_speak_of_the_file_not_the_parser() {
    let tmp = tempfile::tempdir().unwrap();
    let base = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/fallujah-2016/scenario.yml"
    ))
    .unwrap();
    let dir = tmp.path();
    for f in [
        "locations.csv",
        "routes.csv",
        "conflicts.csv",
        "simsetting.yml",
    ] {
        fs::copy(
            Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../scenarios/fallujah-2016"
            ))
            .join(f),
            dir.join(f),
        )
        .unwrap();
    }
    let cases: [(&str, &str, &str); 4] = [
        (
            "people_per_agent: 6 ",
            "people_per_agent: -6 ",
            "\"-6\" is not a whole number of 0 or more",
        ),
        (
            "people_per_agent: 6 ",
            "people_per_agent: 6.5 ",
            "\"6.5\" is not a whole number",
        ),
        (
            "people_per_agent: 6 ",
            "people_per_agent: .nan ",
            "\".nan\" is not a whole number",
        ),
        (
            "\ndays: ",
            "\ndays: 5\ndays: ",
            "the key 'days' is given twice",
        ),
    ];
    for (from, to, says) in cases {
        assert!(base.contains(from), "{from}");
        fs::write(dir.join("scenario.yml"), base.replacen(from, to, 1)).unwrap();
        let e = read_scenario(dir, None).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(says), "{msg}");
        for parser_word in ["DuplicateKeyPolicy", "invalid u32", "indentation"] {
            assert!(!msg.contains(parser_word), "{msg}");
        }
        assert!(e.line().is_some(), "{msg}");
    }
}

#[test]
fn unknown_location_columns_and_location_changes_warn() {
    let b = Broken::new();
    b.edit("input_csv/locations.csv", |t| {
        t.lines()
            .map(|l| {
                if l.starts_with('#') {
                    format!("{l},shelter_kind")
                } else {
                    format!("{l},tents")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    fs::write(b.file("input_csv/location_changes.csv"), "Kidal,camp,10\n").unwrap();
    let (_, w) = read_flee_scenario(&b.dir, None).unwrap();
    assert!(
        w.iter().any(|w| w.message.contains("'shelter_kind'")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.path.ends_with("location_changes.csv") && w.message.contains("not read")),
        "{w:?}"
    );
}

// ---------------------------------------------------------------------------
// Siege scenarios: what cannot apply is an error at the faulty entry's line
// (issue 14, second half). The toy scenario is the fuzzing seed corpus's.

const TOY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz-corpus/siege");

/// A writable copy of the toy siege scenario.
struct Toy {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Toy {
    fn new() -> Toy {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("siege");
        copy_dir(Path::new(TOY), &dir);
        Toy { _tmp: tmp, dir }
    }
    fn file(&self) -> PathBuf {
        self.dir.join("scenario.yml")
    }
    /// Inserts `lines` after the line starting (trimmed) with `after`;
    /// returns the 1-based number of the first inserted line.
    fn insert_after(&self, rel: &str, after: &str, lines: &[&str]) -> usize {
        let p = self.dir.join(rel);
        let text = fs::read_to_string(&p).unwrap();
        let mut all: Vec<String> = text.lines().map(String::from).collect();
        let i = all
            .iter()
            .position(|l| l.trim_start().starts_with(after))
            .unwrap();
        for (k, l) in lines.iter().enumerate() {
            all.insert(i + 1 + k, l.to_string());
        }
        fs::write(&p, all.join("\n") + "\n").unwrap();
        i + 2
    }
    fn check(&self, rel: &str) -> corridor_io::Diagnostics {
        let (_, d) = check_scenario(&self.dir.join(rel), None);
        for e in &d.errors {
            eprintln!("{e}");
        }
        d
    }
}

/// The error of `d` at `line`, which names `field` and says `says`.
#[track_caller]
fn error_at(d: &corridor_io::Diagnostics, line: usize, field: &str, says: &str) {
    let e = d
        .errors
        .iter()
        .find(|e| e.line() == Some(line))
        .unwrap_or_else(|| panic!("no error at line {line}: {:?}", d.errors));
    assert_points_at(e, "scenario.yml", Some(line), field);
    assert!(e.to_string().contains(says), "{e}");
}

#[test]
fn interventions_that_cannot_apply_are_errors_at_their_own_line() {
    let toy = Toy::new();
    let first = toy.insert_after(
        "scenario.yml",
        "interventions:",
        &[
            "    - {day: 1, action: open_exit, from: City, to: CampA}",
            "    - {day: 1, action: set_crossing, from: South, to: CampB, drowning: 0.1}",
            "    - {day: 1, action: close_route, from: City, to: CampB}",
            "    - {day: 1, action: set_attempt_rate, location: Bank, value: 0.5}",
            "    - {day: 1, action: lift_siege, location: South}",
            "    - {day: 1, action: set_camp_capacity, location: Bank, people: 10}",
            "    - {day: 1, action: set_camp_capacity, location: CampA, people: -10}",
            "    - {day: -1, action: open_exit, from: City, to: South}",
            "    - {day: 10, action: open_exit, from: City, to: South}",
            "    - {day: 1, action: set_screening, location: CampB, active: true}",
            "    - {day: 1, action: set_relocation, from: CampA, to: [CampA], share_of_overflow: 0.5}",
            "    - {day: 1, action: set_exit, from: City, to: Bank, weight: 2}",
        ],
    );
    let d = toy.check("scenario.yml");
    let l = |k: usize| first + k;
    error_at(&d, l(0), "to", "no exit City → CampA");
    error_at(&d, l(1), "to", "no crossing South → CampB");
    error_at(&d, l(2), "to", "no route joins City and CampB");
    error_at(&d, l(3), "location", "'Bank' is not a held place");
    error_at(&d, l(4), "location", "'South' is not a held place");
    error_at(&d, l(5), "location", "not a camp");
    error_at(&d, l(6), "people", "must not be negative");
    error_at(
        &d,
        l(7),
        "interventions.day",
        "outside the run (days 0 to 9)",
    );
    error_at(
        &d,
        l(8),
        "interventions.day",
        "outside the run (days 0 to 9)",
    );
    error_at(&d, l(9), "location", "no screening at 'CampB'");
    error_at(&d, l(10), "to", "among its own targets");
    // Eleven faulty entries, eleven errors; the valid one (and the scenario's own) pass.
    assert_eq!(d.errors.len(), 11, "{:?}", d.errors);
    // A run stops at the first, in file order.
    let e = read_scenario(&toy.dir, None).unwrap_err();
    assert_eq!(e.line(), Some(l(0)), "{e}");
}

#[test]
fn faulty_holds_exits_and_relocations_point_at_their_own_entry() {
    let toy = Toy::new();
    let hold = toy.insert_after(
        "scenario.yml",
        "holds:",
        &[
            "    - {location: CampB, attempt_rate: 0.1}",
            "    - {location: City, attempt_rate: 0.1}",
        ],
    );
    let exit = toy.insert_after(
        "scenario.yml",
        "exits:",
        &[
            "    - {from: City, to: CampB}",
            "    - {from: City, to: Bank}",
            "    - {from: City, to: City}",
        ],
    );
    let reloc = toy.insert_after(
        "scenario.yml",
        "relocations:",
        &["    - {from: CampB, to: [CampB, CampA], share_of_overflow: 0.5}"],
    );
    let d = toy.check("scenario.yml");
    // A hold on a camp would empty it; a second hold on City doubles its attempts.
    error_at(&d, hold, "holds.location", "a held camp");
    // The toy's own hold on City follows the inserted ones: it is the second.
    error_at(&d, hold + 2, "holds.location", "'City' is held twice");
    error_at(&d, exit, "exits.to", "no route joins City and CampB");
    error_at(&d, exit + 2, "exits.to", "from a place to itself");
    // Declared twice: the error is at the second declaration (the toy's own
    // exit, after the inserted one), not at the first mention of City.
    error_at(&d, exit + 3, "exits.to", "declared twice");
    error_at(&d, reloc, "relocations.to", "among its own targets");
    assert_eq!(d.errors.len(), 6, "{:?}", d.errors);
}

#[test]
fn a_negative_siege_capacity_or_population_is_an_error_and_reading_goes_on() {
    let toy = Toy::new();
    let pop = toy.insert_after("scenario.yml", "population:", &[]);
    // `population:` is written inline: replace it with a block list.
    let p = toy.file();
    let text = fs::read_to_string(&p).unwrap().replace(
        "  population: [{location: City, people: 1200}]",
        "  population:\n    - {location: City, people: -5}\n    - {location: Nowhere, people: 5}",
    );
    fs::write(&p, text).unwrap();
    let d = toy.check("scenario.yml");
    error_at(&d, pop, "people", "must not be negative");
    error_at(
        &d,
        pop + 1,
        "population.location",
        "no location with this name",
    );
}

#[test]
fn network_problems_are_reported() {
    // Unreachable camp, a route to itself, a loop of zero-length routes: warnings.
    let toy = Toy::new();
    let loc = toy.dir.join("locations.csv");
    let mut text = fs::read_to_string(&loc).unwrap();
    text.push_str("Island,A,Iraq,33.0,43.0,camp,0,100\n");
    fs::write(&loc, text).unwrap();
    let routes = toy.dir.join("routes.csv");
    let mut text = fs::read_to_string(&routes).unwrap();
    text.push_str("Bank,Bank,5,0\nSouth,Bank,0,0\nBank,City,0,0\nCity,South,0,0\n");
    fs::write(&routes, text).unwrap();
    let d = toy.check("scenario.yml");
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    let says = |s: &str| d.warnings.iter().any(|w| w.message.contains(s));
    assert!(says("camp 'Island' is unreachable"), "{:?}", d.warnings);
    assert!(says("joins 'Bank' to itself"), "{:?}", d.warnings);
    assert!(says("routes of distance 0 form a loop"), "{:?}", d.warnings);
    // A run reads it (warnings only) and returns the same warnings.
    let (_, w) = read_scenario(&toy.dir, None).unwrap();
    assert_eq!(w, d.warnings);

    // No routes at all: an error.
    fs::write(&routes, "#name1,name2,distance,forced_redirection\n").unwrap();
    let d = toy.check("scenario.yml");
    let e = d
        .errors
        .iter()
        .find(|e| e.to_string().contains("no routes"))
        .unwrap_or_else(|| panic!("{:?}", d.errors));
    assert!(e.path().ends_with("routes.csv"), "{e}");
    assert!(read_scenario(&toy.dir, None).is_err());
}

#[test]
fn a_variant_that_ends_before_base_interventions_warns_and_its_own_late_ones_are_errors() {
    let toy = Toy::new();
    // days: 9 in the variant; the base has interventions up to day 7.
    toy.insert_after("variant.yml", "days:", &[]);
    let p = toy.dir.join("variant.yml");
    let text = fs::read_to_string(&p)
        .unwrap()
        .replace("days: 9", "days: 5");
    fs::write(&p, text).unwrap();
    let late = toy.insert_after(
        "variant.yml",
        "interventions:",
        &["  - {day: 6, action: set_exit, from: City, to: Bank, shot: 0.1}"],
    );
    let d = toy.check("variant.yml");
    assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
    let e = &d.errors[0];
    assert_points_at(e, "variant.yml", Some(late), "interventions.day");
    let skipped: Vec<_> = d
        .warnings
        .iter()
        .filter(|w| w.message.contains("will be skipped"))
        .collect();
    // Base interventions on days 5, 6 and 7.
    assert_eq!(skipped.len(), 3, "{:?}", d.warnings);
}

#[test]
fn a_flee_folder_without_settings_says_which_defaults_apply() {
    let b = Broken::new();
    let _ = fs::remove_file(b.file("simsetting.yml"));
    let (_, w) = read_flee_scenario(&b.dir, None).unwrap();
    assert!(
        w.iter().any(|w| w.path.ends_with("simsetting.yml")
            && w.message.contains("Flee's code defaults apply")),
        "{w:?}"
    );
}

#[test]
fn every_bad_observation_row_is_reported_with_its_line() {
    let toy = Toy::new();
    let p = toy.dir.join("observed/validation.csv");
    let mut text = fs::read_to_string(&p).unwrap();
    text.push_str("6,CampA,-40,,,negative\n7,Nowhere,10,,,unknown\n8,CampB,nan,,,not a number\n");
    fs::write(&p, text).unwrap();
    let (_, d) = check_scenario(&toy.dir, None);
    let lines: Vec<_> = d.errors.iter().map(|e| e.line()).collect();
    assert_eq!(lines, vec![Some(4), Some(5), Some(6)], "{:?}", d.errors);
    assert!(
        d.errors[0].to_string().contains("\"-40\""),
        "{}",
        d.errors[0]
    );
    assert!(
        d.errors[0].to_string().contains("non-negative"),
        "{}",
        d.errors[0]
    );
    assert!(d
        .errors
        .iter()
        .all(|e| e.path().ends_with("validation.csv")));
}

#[test]
fn faulty_camp_and_transport_entries_point_at_their_own_line() {
    let toy = Toy::new();
    let camp = toy.insert_after(
        "scenario.yml",
        "camps:",
        &[
            "    - {location: CampA, shelter: -1}",
            "    - {location: CampB, shelter: 10}",
        ],
    );
    let p = toy.file();
    let mut text = fs::read_to_string(&p).unwrap();
    text.push_str(
        "  transport:\n    - {from: CampA, to: [CampB], people_per_day: 10}\n    - {from: CampA, to: [CampB], people_per_day: 20}\n    - {from: CampB, to: [CampB], people_per_day: 5}\n",
    );
    // The line of the first of the three transport entries.
    let transport = text.lines().count() - 2;
    fs::write(&p, text).unwrap();
    let d = toy.check("scenario.yml");
    error_at(&d, camp, "camps.shelter", "must not be negative");
    // CampB's second entry is the toy's own, after the inserted one.
    error_at(&d, camp + 2, "camps.location", "appears twice");
    // The second line out of CampA is the faulty one, not the first.
    let twice = "two transport lines out of 'CampA'";
    error_at(&d, transport + 1, "transport.from", twice);
    error_at(&d, transport + 2, "transport.to", "among its own targets");
    assert_eq!(d.errors.len(), 4, "{:?}", d.errors);
}

/// The reader refuses every crossing the engine could not use (it has no
/// check of its own): one no route joins, and a `set_crossing` that names a
/// crossing against its direction.
#[test]
fn crossings_without_a_route_or_named_in_reverse_are_errors_at_their_line() {
    let toy = Toy::new();
    let crossing = toy.insert_after(
        "scenario.yml",
        "crossings:",
        &["    - {from: City, to: CampB}"],
    );
    let reverse = toy.insert_after(
        "scenario.yml",
        "interventions:",
        &["    - {day: 1, action: set_crossing, from: CampA, to: Bank, drowning: 0.1}"],
    );
    let d = toy.check("scenario.yml");
    error_at(
        &d,
        crossing,
        "crossings.to",
        "no route joins City and CampB",
    );
    error_at(&d, reverse, "to", "no crossing CampA → Bank");
    let e = d.errors.iter().find(|e| e.line() == Some(reverse)).unwrap();
    assert!(
        e.to_string()
            .contains("hint: name a crossing in its direction"),
        "{e}"
    );
    assert_eq!(d.errors.len(), 2, "{:?}", d.errors);
}
