//! The reference of `scenario.yml` (docs/scenario-format.md), its JSON Schema
//! (docs/scenario.schema.json) and the reader agree:
//! - every key the reader accepts, at every level, is in the schema and in the
//!   reference, and the schema has no key the reader refuses (the reader's keys
//!   are taken from its own "unknown field, expected one of …" errors, so a key
//!   added to the reader without its documentation fails here);
//! - every shipped scenario and variant, and the `corridor new siege` template,
//!   validate against the schema (a small checker of the schema's keywords);
//! - the schema rejects typical mistakes;
//! - the reader's hints point to sections of the reference that exist.

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn schema() -> Value {
    let text = std::fs::read_to_string(repo().join("docs/scenario.schema.json")).unwrap();
    serde_json::from_str(&text).expect("docs/scenario.schema.json is JSON")
}

fn reference() -> String {
    std::fs::read_to_string(repo().join("docs/scenario-format.md")).unwrap()
}

/// The keys the reader accepts in the mapping written by `wrap("zz_unknown: 1")`,
/// from the error it gives for an unknown key.
fn reader_keys(wrap: &str) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.yml");
    std::fs::write(&file, wrap.replace("KEY", "zz_unknown")).unwrap();
    let err = match corridor_io::read_native_scenario(&file, None) {
        Ok(_) => panic!("an unknown key is accepted in {wrap}"),
        Err(e) => e.to_string(),
    };
    // "unknown field `zz_unknown`, expected one of a, b, c at line 1, column 1"
    // (or "expected `a` or `b`").
    let list = err
        .split(", expected ")
        .nth(1)
        .unwrap_or_else(|| panic!("no key list in the error for {wrap}:\n{err}"));
    let list = list.lines().next().unwrap();
    let list = list.split(" at line").next().unwrap();
    let list = list.strip_prefix("one of ").unwrap_or(list);
    list.split(", ")
        .flat_map(|k| k.split(" or "))
        .map(|k| k.trim().trim_matches('`').to_string())
        .collect()
}

/// The property names of a schema object (`#/$defs/<name>` or the root).
fn schema_keys(schema: &Value, def: Option<&str>) -> BTreeSet<String> {
    let obj = match def {
        Some(d) => &schema["$defs"][d],
        None => schema,
    };
    obj["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no properties in {def:?}"))
        .keys()
        .cloned()
        .collect()
}

/// Where each mapping of the format lives: how to reach it in YAML, and its schema object.
const LEVELS: [(&str, &str, Option<&str>); 19] = [
    ("the top level", "KEY: 1\n", None),
    ("siege:", "siege: {KEY: 1}\n", Some("siege")),
    (
        "siege.population",
        "siege: {population: [{KEY: 1}]}\n",
        Some("population"),
    ),
    ("siege.holds", "siege: {holds: [{KEY: 1}]}\n", Some("hold")),
    ("siege.exits", "siege: {exits: [{KEY: 1}]}\n", Some("exit")),
    (
        "siege.crossings",
        "siege: {crossings: [{KEY: 1}]}\n",
        Some("crossing"),
    ),
    (
        "siege.screenings",
        "siege: {screenings: [{KEY: 1}]}\n",
        Some("screening"),
    ),
    (
        "siege.relocations",
        "siege: {relocations: [{KEY: 1}]}\n",
        Some("relocation"),
    ),
    (
        "siege.interventions",
        "siege: {interventions: [{KEY: 1}]}\n",
        Some("intervention"),
    ),
    ("siege.camps", "siege: {camps: [{KEY: 1}]}\n", Some("camp")),
    (
        "siege.transport",
        "siege: {transport: [{KEY: 1}]}\n",
        Some("transport"),
    ),
    (
        "siege.returns",
        "siege: {returns: [{KEY: 1}]}\n",
        Some("return"),
    ),
    (
        "siege.departures",
        "siege: {departures: [{KEY: 1}]}\n",
        Some("departure"),
    ),
    ("key_dates", "key_dates: [{KEY: 1}]\n", Some("key_date")),
    ("close", "close: [{KEY: 1}]\n", Some("closure")),
    ("open", "open: [{KEY: 1}]\n", Some("closure")),
    ("add_camps", "add_camps: [{KEY: 1}]\n", Some("new_camp")),
    (
        "add_camps.routes",
        "add_camps: [{routes: [{KEY: 1}]}]\n",
        Some("new_route"),
    ),
    (
        "capacities",
        "capacities: [{KEY: 1}]\n",
        Some("capacity_change"),
    ),
];

#[test]
fn every_key_the_reader_accepts_is_in_the_schema_and_the_reference() {
    let schema = schema();
    let doc = reference();
    for (level, wrap, def) in LEVELS {
        let reader = reader_keys(wrap);
        assert!(reader.len() >= 2, "{level}: {reader:?}");
        let documented = schema_keys(&schema, def);
        assert_eq!(
            reader, documented,
            "{level}: the reader's keys (left) and docs/scenario.schema.json's (right) differ"
        );
        for key in &reader {
            assert!(
                doc.contains(&format!("`{key}`")),
                "{level}: key `{key}` is not described in docs/scenario-format.md"
            );
        }
    }
    // Every action the reader knows is in the schema's enum and in the reference.
    let actions: Vec<&str> = schema["$defs"]["intervention"]["properties"]["action"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let err = corridor_io::read_native_scenario(&write_toy(dir.path(), "zz_unknown"), None)
        .err()
        .unwrap();
    let listed: BTreeSet<&str> = err
        .hint()
        .split("ctions: ")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .split(", ")
        .map(str::trim)
        .collect();
    assert_eq!(listed, actions.iter().copied().collect(), "{err}");
    for a in &actions {
        assert!(doc.contains(&format!("`{a}`")), "action {a} not described");
    }
}

/// A small valid scenario whose one intervention has `action`.
fn write_toy(dir: &Path, action: &str) -> PathBuf {
    std::fs::write(
        dir.join("locations.csv"),
        "#name,region,country,lat,lon,location_type,conflict_date,population_or_capacity\n\
         Town,R,C,0,0,conflict_zone,0,100\nCamp,R,C,0,0.1,camp,,100\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("routes.csv"),
        "#name1,name2,distance,forced_redirection\nTown,Camp,10,0\n",
    )
    .unwrap();
    let file = dir.join("scenario.yml");
    std::fs::write(
        &file,
        format!(
            "start_date: 2020-01-01\ndays: 5\nlocations: locations.csv\nroutes: routes.csv\n\
             siege:\n  people_per_agent: 6\n  population: [{{location: Town, people: 60}}]\n  \
             interventions:\n    - {{day: 1, action: {action}, location: Town}}\n"
        ),
    )
    .unwrap();
    file
}

#[test]
fn hints_point_to_sections_of_the_reference_that_exist() {
    let doc = reference();
    // GitHub's anchors: lower case, spaces to dashes, punctuation dropped.
    let anchors: BTreeSet<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(|h| {
            h.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                .collect::<String>()
                .replace(' ', "-")
        })
        .collect();
    for field in [
        "people_per_agent",
        "population.location",
        "attempt_rate",
        "exits.from",
        "drowning",
        "capacity_per_day",
        "hold_days",
        "relocations.to",
        "share_of_overflow",
        "action",
        "base",
        "start_date",
        "interventions.people",
        "close.route",
        "add_camps.name",
    ] {
        let r = corridor_io::reference(field);
        let anchor = r.split('#').nth(1).unwrap();
        assert!(r.starts_with("docs/scenario-format.md#"), "{r}");
        assert!(anchors.contains(anchor), "{field}: no section #{anchor}");
    }
    for section in [
        "River crossings",
        "Screening",
        "Organised transport",
        "Camps and shelter",
        "End of a siege",
        "Observations",
        "Uncertainty and key dates",
    ] {
        assert!(
            doc.contains(&format!("\n## {section}\n")),
            "no ## {section}"
        );
    }

    // An error of the reader carries its section in its hint.
    let dir = tempfile::tempdir().unwrap();
    let file = write_toy(dir.path(), "set_attempt_rate");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("location: Town}", "location: Town, value: 1.5}");
    std::fs::write(&file, text).unwrap();
    let err = corridor_io::read_native_scenario(&file, None)
        .err()
        .unwrap();
    assert!(
        err.hint().contains("docs/scenario-format.md#interventions"),
        "{err}"
    );
    // A key error (an unknown key) points to the reference, not to source files.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("days: 5", "dayz: 5");
    std::fs::write(&file, text).unwrap();
    let err = corridor_io::read_native_scenario(&file, None)
        .err()
        .unwrap();
    assert!(err.hint().contains("docs/scenario-format.md"), "{err}");
    assert!(!err.to_string().contains("crates/"), "{err}");
}

#[test]
fn top_level_interventions_in_a_scenario_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_toy(dir.path(), "lift_siege");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("interventions:\n  - {day: 2, action: lift_siege, location: Town}\n");
    std::fs::write(&file, text).unwrap();
    let err = corridor_io::read_native_scenario(&file, None)
        .err()
        .unwrap();
    let msg = err.to_string();
    assert!(msg.contains("scenario.yml:"), "{msg}");
    assert!(msg.contains("only in variants"), "{msg}");
    assert!(err.hint().contains("under `siege:`"), "{msg}");
}

#[test]
fn shipped_scenarios_variants_and_the_template_validate_against_the_schema() {
    let schema = schema();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(repo().join("scenarios")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("scenario.yml").is_file() {
            files.push(dir.join("scenario.yml"));
        }
        // A what-if on a Flee folder: one variant file beside its sources.
        if dir.join("variant.yml").is_file() {
            files.push(dir.join("variant.yml"));
        }
        if let Ok(variants) = std::fs::read_dir(dir.join("variants")) {
            for v in variants {
                files.push(v.unwrap().path());
            }
        }
    }
    let template = repo().join("crates/cli/templates/siege");
    files.push(template.join("scenario.yml"));
    files.push(template.join("variants/more-boats.yml"));
    assert!(files.len() >= 5, "{files:?}");
    for f in &files {
        let doc = yaml(&std::fs::read_to_string(f).unwrap());
        let errors = validate(&schema, &schema, &doc, "");
        assert!(errors.is_empty(), "{}:\n{}", f.display(), errors.join("\n"));
        // The reader agrees.
        corridor_io::read_native_scenario(f, None)
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
}

#[test]
fn the_schema_rejects_typical_mistakes() {
    let schema = schema();
    let ok = "start_date: 2020-01-01\ndays: 3\nlocations: l.csv\nroutes: r.csv\n";
    assert!(validate(&schema, &schema, &yaml(ok), "").is_empty());
    for (bad, why) in [
        (
            "start_date: 2020-01-01\nlocations: l.csv\nroutes: r.csv\n",
            "days",
        ),
        (&format!("{ok}dayz: 3\n"), "dayz"),
        (&format!("{ok}siege: {{screened_share: 1.5}}\n"), "maximum"),
        (&format!("{ok}siege: {{exits: [{{from: A}}]}}\n"), "to"),
        (
            &format!("{ok}siege: {{interventions: [{{day: 1, action: open_exit, from: A}}]}}\n"),
            "to",
        ),
        (
            &format!("{ok}siege: {{interventions: [{{day: 1, action: opn_exit}}]}}\n"),
            "enum",
        ),
        (&format!("{ok}interventions: []\n"), "not"),
        ("base: ../scenario.yml\nsiege: {}\n", "not"),
    ] {
        let errors = validate(&schema, &schema, &yaml(bad), "");
        assert!(
            errors.iter().any(|e| e.contains(why)),
            "{bad}: expected an error about {why}, got {errors:?}"
        );
    }
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap()
}

/// Checks `v` against `s`, for the keywords docs/scenario.schema.json uses;
/// returns the errors, each with the path of the value.
fn validate(root: &Value, s: &Value, v: &Value, at: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let Some(s) = s.as_object() else {
        return errs;
    };
    let err = |errs: &mut Vec<String>, what: String| errs.push(format!("{at}: {what}"));
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local $ref");
        errs.extend(validate(root, &root["$defs"][name], v, at));
    }
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let fits = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "number" => v.is_number(),
            "integer" => v.is_i64() || v.is_u64(),
            other => panic!("type {other} not handled"),
        };
        if !fits {
            err(&mut errs, format!("not of type {t}: {v}"));
            return errs;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            err(&mut errs, format!("{v} is not in the enum"));
        }
    }
    if let Some(c) = s.get("const") {
        if c != v {
            err(&mut errs, format!("{v} is not the const {c}"));
        }
    }
    if let Some(x) = v.as_f64() {
        if s.get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x < m)
        {
            err(&mut errs, format!("{x} is below the minimum"));
        }
        if s.get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x > m)
        {
            err(&mut errs, format!("{x} is above the maximum"));
        }
    }
    if let Some(text) = v.as_str() {
        if s.get("minLength")
            .and_then(Value::as_u64)
            .is_some_and(|m| (text.len() as u64) < m)
        {
            err(&mut errs, "string too short".into());
        }
        if s.get("pattern").is_some() {
            // The one pattern in use: YYYY-MM-DD.
            let b = text.as_bytes();
            let date = b.len() == 10
                && b.iter().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        *c == b'-'
                    } else {
                        c.is_ascii_digit()
                    }
                });
            if !date {
                err(&mut errs, format!("{text} does not match the pattern"));
            }
        }
    }
    if let Some(items) = v.as_array() {
        let n = items.len() as u64;
        if s.get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| n < m)
            || s.get("maxItems")
                .and_then(Value::as_u64)
                .is_some_and(|m| n > m)
        {
            err(&mut errs, format!("{n} items"));
        }
        if let Some(item) = s.get("items") {
            for (i, x) in items.iter().enumerate() {
                errs.extend(validate(root, item, x, &format!("{at}[{i}]")));
            }
        }
    }
    if let Some(obj) = v.as_object() {
        errs.extend(validate_object(root, s, obj, at));
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        for sub in all {
            errs.extend(validate(root, sub, v, at));
        }
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
        if !any.iter().any(|sub| validate(root, sub, v, at).is_empty()) {
            err(&mut errs, "matches none of anyOf".into());
        }
    }
    if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
        let n = one
            .iter()
            .filter(|sub| validate(root, sub, v, at).is_empty())
            .count();
        if n != 1 {
            err(&mut errs, format!("matches {n} of oneOf"));
        }
    }
    if let Some(not) = s.get("not") {
        if validate(root, not, v, at).is_empty() {
            err(&mut errs, format!("matches the `not` schema {not}"));
        }
    }
    if let Some(cond) = s.get("if") {
        let branch = if validate(root, cond, v, at).is_empty() {
            s.get("then")
        } else {
            s.get("else")
        };
        if let Some(b) = branch {
            errs.extend(validate(root, b, v, at));
        }
    }
    errs
}

fn validate_object(
    root: &Value,
    s: &Map<String, Value>,
    obj: &Map<String, Value>,
    at: &str,
) -> Vec<String> {
    let mut errs = Vec::new();
    if let Some(req) = s.get("required").and_then(Value::as_array) {
        for k in req.iter().filter_map(Value::as_str) {
            if !obj.contains_key(k) {
                errs.push(format!("{at}: missing required key {k}"));
            }
        }
    }
    let props = s.get("properties").and_then(Value::as_object);
    for (k, x) in obj {
        match props.and_then(|p| p.get(k)) {
            Some(sub) => errs.extend(validate(root, sub, x, &format!("{at}.{k}"))),
            None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                errs.push(format!("{at}: unknown key {k}"))
            }
            None => {}
        }
    }
    errs
}
