//! One broken copy of mali2012 per class of bad input: each error must name
//! the file, the line and the field, and carry a hint. Plus `write_atomic`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use corridor_io::{
    parse_settings_str, read_flee_scenario, read_scenario, write_atomic, write_atomic_with,
    InputError, InputErrorKind,
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
fn unsupported_option() {
    // (two_system_decision_making and fixed_routes were the examples until corridor read them.)
    let e = settings_error("spawn_rules:\n  camps_are_sicks: True\n");
    assert!(
        matches!(e.kind(), InputErrorKind::Unsupported { .. }),
        "{e}"
    );
    assert_points_at(&e, "simsetting.yml", Some(2), "spawn_rules.camps_are_sicks");
    assert!(e.to_string().contains("not supported"), "{e}");
    // The same option at its default value is fine.
    parse_settings_str("spawn_rules:\n  camps_are_sicks: False\n", "s.yml").unwrap();
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
