//! Flee's `simsetting.yml` (docs/flee-model.md section 3), read with `serde-saphyr` into
//! a loose, position-carrying tree and then mapped key by key onto
//! [`Settings`], with Flee's code defaults for everything that is missing.
//!
//! Differences from Flee, all deliberate:
//!
//! * A quoted `"False"` where a boolean is expected is an error (Flee's
//!   `bool("False")` is `True`).
//! * Options that corridor does not implement are an error when switched on,
//!   and accepted when they hold their default value.
//! * Unknown keys are reported as warnings (Flee ignores them silently).
//! * An extra top-level `corridor:` section may hold `compat:` switches
//!   (the fields of [`corridor_model::Compat`]).

use std::collections::HashMap;
use std::path::Path;

use corridor_model::{Compat, Settings};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{InputError, InputErrorKind, Warning};
use crate::text::suggest;

/// A YAML node with the line it was written on.
#[derive(Debug, Clone)]
struct Sp {
    node: Node,
    line: Option<usize>,
}

#[derive(Debug, Clone)]
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Sp>),
    Map(Vec<(String, Sp)>),
}

impl Node {
    fn describe(&self) -> String {
        match self {
            Node::Null => "null (no value)".into(),
            Node::Bool(b) => if *b { "true" } else { "false" }.into(),
            Node::Int(i) => i.to_string(),
            Node::Float(f) => f.to_string(),
            Node::Str(s) => s.clone(),
            Node::Seq(v) => format!("a list of {} items", v.len()),
            Node::Map(_) => "a mapping".into(),
        }
    }
}

impl<'de> Deserialize<'de> for Sp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<Node>::deserialize(d)?;
        let line = s.referenced.line();
        Ok(Sp {
            node: s.value,
            line: (line > 0).then_some(line as usize),
        })
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_char<E>(self, v: char) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<Sp>()? {
            out.push(v);
        }
        Ok(Node::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some(k) = map.next_key::<Node>()? {
            let key = match k {
                Node::Str(s) => s,
                Node::Bool(b) => b.to_string(),
                Node::Int(i) => i.to_string(),
                Node::Float(f) => f.to_string(),
                Node::Null => "null".to_string(),
                Node::Seq(_) | Node::Map(_) => {
                    return Err(de::Error::custom("mapping keys must be plain names"))
                }
            };
            let v = map.next_value::<Sp>()?;
            out.push((key, v));
        }
        Ok(Node::Map(out))
    }
}

/// Reads a Flee `simsetting.yml`.
pub fn read_settings(path: &Path) -> Result<(Settings, Vec<Warning>), InputError> {
    let text = crate::text::read_text(
        path,
        "simulation settings (Flee simsetting.yml)",
        "pass an existing YAML file, or leave the settings out to use Flee's defaults",
    )?;
    parse_settings_at(&text, path)
}

/// Parses settings YAML held in memory; `file_label` names it in messages.
pub fn parse_settings_str(
    text: &str,
    file_label: &str,
) -> Result<(Settings, Vec<Warning>), InputError> {
    parse_settings_at(text, Path::new(file_label))
}

/// An [`InputError`] for a YAML parse or schema error, with its line and column.
pub(crate) fn yaml_error(path: &Path, e: &serde_saphyr::Error, hint: &str) -> InputError {
    let loc = e.location();
    let message = e.without_snippet().to_string();
    InputErrorKind::Yaml {
        path: path.to_path_buf(),
        line: loc.map(|l| l.line() as usize).filter(|&l| l > 0),
        column: loc.map(|l| l.column() as usize).filter(|&c| c > 0),
        message: message.lines().next().unwrap_or("").trim().to_string(),
        hint: hint.into(),
    }
    .into()
}

fn parse_settings_at(text: &str, path: &Path) -> Result<(Settings, Vec<Warning>), InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: Option<Sp> = serde_saphyr::from_str(text).map_err(|e| {
        yaml_error(
            path,
            &e,
            "check indentation (spaces only, no tabs) and that every key is followed by ': '",
        )
    })?;
    let mut m = Mapper {
        path,
        settings: Settings::default(),
        warnings: Vec::new(),
        lines: HashMap::new(),
    };
    m.root(root)?;
    let Mapper {
        settings,
        mut warnings,
        lines,
        ..
    } = m;
    if let Err(msg) = settings.validate() {
        let key = msg.split_whitespace().next().unwrap_or("").to_string();
        return Err(InputErrorKind::Field {
            path: path.to_path_buf(),
            line: lines.get(&key).copied(),
            value: None,
            message: msg,
            hint: "fix the value or delete the key to use Flee's default".into(),
            field: key,
        }
        .into());
    }
    for (key, value) in [
        ("move_rules.default_movechance", settings.default_movechance),
        (
            "move_rules.conflict_movechance",
            settings.conflict_movechance,
        ),
    ] {
        if value < 0.005 {
            warnings.push(Warning::new(
                path,
                lines.get(key).copied(),
                format!(
                    "{key} = {value} is below 0.005: Flee silently turns every location with such a \
                     move chance into a camp (and then needs data_layout rows for them); corridor does not"
                ),
            ));
        }
    }
    Ok((settings, warnings))
}

struct Mapper<'a> {
    path: &'a Path,
    settings: Settings,
    warnings: Vec<Warning>,
    /// Dotted key → line, for messages raised after mapping.
    lines: HashMap<String, usize>,
}

/// What a key means to corridor.
enum Kind {
    /// Read into `Settings` by the given setter.
    Known(fn(&mut Mapper, &str, &Sp) -> Result<(), InputError>),
    /// Flee reads it but it has no effect on corridor runs; checked loosely.
    Inert,
    /// A Flee feature corridor does not implement: error when switched on.
    Unsupported(&'static str),
}

const SECTIONS: &[&str] = &[
    "flood_rules",
    "log_levels",
    "spawn_rules",
    "move_rules",
    "optimisations",
    "number_of_steps",
    "conflict_input_file",
    "flood_level_input_file",
    "default_conflict_intensity",
    "corridor",
];

impl Mapper<'_> {
    fn root(&mut self, root: Option<Sp>) -> Result<(), InputError> {
        let Some(root) = root else { return Ok(()) };
        let entries = match root.node {
            Node::Null => return Ok(()),
            Node::Map(e) => e,
            other => {
                return Err(self.bad(
                    "(top level)",
                    root.line,
                    Some(&other),
                    "the settings file must be a mapping of sections",
                    "start from Flee's simsetting.yml: sections log_levels, spawn_rules, move_rules, optimisations",
                ))
            }
        };
        for (key, value) in &entries {
            if let Some(l) = value.line {
                self.lines.insert(key.clone(), l);
            }
            match key.as_str() {
                "log_levels" | "spawn_rules" | "move_rules" | "optimisations" => {
                    self.section(key, value)?
                }
                "corridor" => self.corridor(value)?,
                // Read but overwritten or unused by Flee's run.py.
                "number_of_steps" | "default_conflict_intensity" => {
                    self.number(key, value)?;
                }
                "conflict_input_file" | "flood_level_input_file" => {}
                // Older Flee versions read flood_rules at the top level.
                "flood_rules" => {
                    self.unsupported("flood_rules", value, "flood_rules (DFlee flood movement)")?
                }
                _ => self.unknown_key(key, value, None, SECTIONS),
            }
        }
        Ok(())
    }

    fn section(&mut self, name: &str, value: &Sp) -> Result<(), InputError> {
        let entries = match &value.node {
            Node::Null => return Ok(()),
            Node::Map(e) => e,
            other => {
                return Err(self.bad(
                    name,
                    value.line,
                    Some(other),
                    "a settings section must be a mapping of keys",
                    "indent the section's keys under it, e.g. `move_rules:` then `  max_move_speed: 360`",
                ))
            }
        };
        let table = section_keys(name);
        for (key, v) in entries {
            let dotted = format!("{name}.{key}");
            if let Some(l) = v.line {
                self.lines.insert(dotted.clone(), l);
            }
            match table.iter().find(|(k, _)| k == key) {
                Some((_, Kind::Known(set))) => set(self, &dotted, v)?,
                Some((_, Kind::Inert)) => self.inert(&dotted, v)?,
                Some((_, Kind::Unsupported(what))) => self.unsupported(&dotted, v, what)?,
                None => {
                    let names: Vec<&str> = table.iter().map(|(k, _)| *k).collect();
                    self.unknown_key(key, v, Some(name), &names)
                }
            }
        }
        Ok(())
    }

    fn corridor(&mut self, value: &Sp) -> Result<(), InputError> {
        let entries = match &value.node {
            Node::Null => return Ok(()),
            Node::Map(e) => e,
            other => {
                return Err(self.bad(
                    "corridor",
                    value.line,
                    Some(other),
                    "the corridor section must be a mapping",
                    "write `corridor:` then `  compat:` then `    date_plus_one: false`",
                ))
            }
        };
        for (key, v) in entries {
            if key != "compat" {
                self.unknown_key(key, v, Some("corridor"), &["compat"]);
                continue;
            }
            let items = match &v.node {
                Node::Null => continue,
                Node::Map(items) => items,
                other => {
                    return Err(self.bad(
                        "corridor.compat",
                        v.line,
                        Some(other),
                        "compat must be a mapping of switch names to true/false",
                        "e.g. `    multihop_full_budget: false`",
                    ))
                }
            };
            for (name, flag) in items {
                let dotted = format!("corridor.compat.{name}");
                let b = self.boolean(&dotted, flag)?;
                let c: &mut Compat = &mut self.settings.compat;
                let slot = match name.as_str() {
                    "day0_capacity_double_count" => &mut c.day0_capacity_double_count,
                    "multihop_full_budget" => &mut c.multihop_full_budget,
                    "spawn_decay_lag" => &mut c.spawn_decay_lag,
                    "ignore_intensity_changes" => &mut c.ignore_intensity_changes,
                    "raw_counts_total_on_day0" => &mut c.raw_counts_total_on_day0,
                    "date_plus_one" => &mut c.date_plus_one,
                    "closed_link_bounce" => &mut c.closed_link_bounce,
                    _ => {
                        let hint = match suggest(name, COMPAT_FIELDS.iter().copied()) {
                            Some(s) => format!(
                                "did you mean '{s}'? valid switches: {}",
                                COMPAT_FIELDS.join(", ")
                            ),
                            None => format!("valid switches: {}", COMPAT_FIELDS.join(", ")),
                        };
                        return Err(self.bad(
                            &dotted,
                            flag.line,
                            None,
                            "unknown compat switch (a typo here would silently keep the Flee quirk on)",
                            &hint,
                        ));
                    }
                };
                *slot = b;
            }
        }
        Ok(())
    }

    fn unknown_key(&mut self, key: &str, v: &Sp, section: Option<&str>, valid: &[&str]) {
        let place = match section {
            Some(s) => format!("in section '{s}'"),
            None => "at the top level".to_string(),
        };
        let mut msg = format!("unknown key '{key}' {place}; Flee ignores it and so does corridor");
        if let Some(s) = suggest(key, valid.iter().copied()) {
            msg.push_str(&format!(" (did you mean '{s}'?)"));
        }
        self.warnings.push(Warning::new(self.path, v.line, msg));
    }

    fn bad(
        &self,
        key: &str,
        line: Option<usize>,
        value: Option<&Node>,
        message: &str,
        hint: &str,
    ) -> InputError {
        InputErrorKind::Field {
            path: self.path.to_path_buf(),
            line,
            field: key.to_string(),
            value: value.map(Node::describe),
            message: message.to_string(),
            hint: hint.to_string(),
        }
        .into()
    }

    fn boolean(&self, key: &str, v: &Sp) -> Result<bool, InputError> {
        match &v.node {
            Node::Bool(b) => Ok(*b),
            Node::Int(0) => Ok(false),
            Node::Int(1) => Ok(true),
            Node::Str(s) => {
                let looks_bool = matches!(
                    s.to_ascii_lowercase().as_str(),
                    "true" | "false" | "yes" | "no" | "on" | "off"
                );
                let hint = if looks_bool {
                    format!("remove the quotes: write {key_last}: {s} (Flee would read the quoted string \"{s}\" as true, because any non-empty string is true in Python)", key_last = last(key))
                } else {
                    "write true or false without quotes".to_string()
                };
                Err(self.bad(
                    key,
                    v.line,
                    Some(&v.node),
                    "expected a boolean (true or false), got a string",
                    &hint,
                ))
            }
            other => Err(self.bad(
                key,
                v.line,
                Some(other),
                "expected a boolean (true or false)",
                "write true or false without quotes, or delete the key to use Flee's default",
            )),
        }
    }

    fn number(&self, key: &str, v: &Sp) -> Result<f64, InputError> {
        let x = match &v.node {
            Node::Int(i) => Some(*i as f64),
            Node::Float(f) => Some(*f),
            // Flee applies float() to the value, which accepts numeric strings.
            Node::Str(s) => crate::text::py_float(s),
            _ => None,
        };
        match x {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(self.bad(
                key,
                v.line,
                Some(&v.node),
                "expected a finite number",
                "write a plain number such as 0.5, or delete the key to use Flee's default",
            )),
        }
    }

    fn integer(&self, key: &str, v: &Sp) -> Result<i64, InputError> {
        let x = match &v.node {
            Node::Int(i) => Some(*i),
            Node::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            Node::Str(s) => crate::text::py_int(s),
            _ => None,
        };
        x.ok_or_else(|| {
            self.bad(
                key,
                v.line,
                Some(&v.node),
                "expected a whole number",
                "write an integer such as 1 (Flee applies int() to this key)",
            )
        })
    }

    /// Keys Flee reads that do not influence a corridor run: type-checked so
    /// that garbage is still reported, but otherwise ignored.
    fn inert(&mut self, key: &str, v: &Sp) -> Result<(), InputError> {
        match &v.node {
            Node::Null | Node::Str(_) | Node::Seq(_) | Node::Map(_) => Ok(()),
            Node::Bool(_) | Node::Int(_) | Node::Float(_) => {
                if key.starts_with("log_levels.") {
                    let n = self.integer(key, v)?;
                    if n > 0 {
                        self.warnings.push(Warning::new(
                            self.path,
                            v.line,
                            format!("{key} = {n}: corridor does not write Flee's per-agent/link/camp logs; ignored"),
                        ));
                    }
                }
                Ok(())
            }
        }
    }

    fn unsupported(&mut self, key: &str, v: &Sp, what: &str) -> Result<(), InputError> {
        let on = match &v.node {
            Node::Null => false,
            Node::Bool(b) => *b,
            Node::Int(i) => *i != 0,
            Node::Float(f) => *f != 0.0,
            Node::Str(_) => {
                if !PRESENCE_KEYS.contains(&last(key)) {
                    // A boolean option: Flee's bool("False") is true, so report
                    // the quoting problem rather than "not supported".
                    self.boolean(key, v)?;
                }
                true
            }
            Node::Seq(items) => !items.is_empty(),
            // Flee switches sub-map options on when the key is present at all.
            Node::Map(_) => true,
        };
        if on {
            return Err(InputErrorKind::Unsupported {
                path: self.path.to_path_buf(),
                line: v.line,
                key: key.to_string(),
                value: v.node.describe(),
                hint: format!(
                    "{what}; corridor does not implement it. Delete the key (or set it to false) to run \
                     with Flee's default behaviour"
                ),
            }.into());
        }
        Ok(())
    }
}

/// Options that Flee switches on by their mere presence (sub-maps and lists).
const PRESENCE_KEYS: &[&str] = &[
    "conflict_driven_spawning",
    "flood_driven_spawning",
    "flood_driven_spawn_mode",
    "flood_rules",
    "flood_loc_weights",
    "flood_movechances",
    "flood_link_weights",
    "harvest_months",
];

fn last(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

const COMPAT_FIELDS: &[&str] = &[
    "day0_capacity_double_count",
    "multihop_full_budget",
    "spawn_decay_lag",
    "ignore_intensity_changes",
    "raw_counts_total_on_day0",
    "date_plus_one",
    "closed_link_bounce",
];

macro_rules! set_bool {
    ($field:ident) => {
        Kind::Known(|m, k, v| {
            m.settings.$field = m.boolean(k, v)?;
            Ok(())
        })
    };
}
macro_rules! set_f64 {
    ($field:ident) => {
        Kind::Known(|m, k, v| {
            m.settings.$field = m.number(k, v)?;
            Ok(())
        })
    };
}

fn section_keys(section: &str) -> Vec<(&'static str, Kind)> {
    match section {
        "log_levels" => vec![
            ("agent", Kind::Inert),
            ("link", Kind::Inert),
            ("camp", Kind::Inert),
            ("init", Kind::Inert),
            ("conflict", Kind::Inert),
            ("granularity", Kind::Inert),
            (
                "idp_totals",
                Kind::Known(|m, k, v| {
                    m.settings.idp_totals = m.integer(k, v)? > 0;
                    Ok(())
                }),
            ),
        ],
        "spawn_rules" => vec![
            ("take_from_population", set_bool!(take_from_population)),
            ("insert_day0", set_bool!(insert_day0)),
            ("empty_camps_on_day0", set_bool!(empty_camps_on_day0)),
            ("conflict_zone_spawning_only", set_bool!(conflict_zone_spawning_only)),
            ("sum_from_camps", set_bool!(sum_from_camps)),
            (
                "conflict_spawn_decay",
                Kind::Known(|m, k, v| {
                    m.settings.conflict_spawn_decay = match &v.node {
                        Node::Null => None,
                        Node::Seq(items) => Some(
                            items
                                .iter()
                                .enumerate()
                                .map(|(i, x)| m.number(&format!("{k}[{i}]"), x))
                                .collect::<Result<Vec<f64>, _>>()?,
                        ),
                        other => {
                            return Err(m.bad(
                                k,
                                v.line,
                                Some(other),
                                "expected a list of multipliers",
                                "write e.g. [1.0, 1.0, 1.0, 0.5, 0.1] (one multiplier per interval since conflict onset)",
                            ))
                        }
                    };
                    Ok(())
                }),
            ),
            (
                "conflict_spawn_decay_interval",
                Kind::Known(|m, k, v| {
                    m.settings.conflict_spawn_decay_interval = m.integer(k, v)? as f64;
                    Ok(())
                }),
            ),
            ("average_social_connectivity", Kind::Inert),
            ("flood_zone_spawning_only", Kind::Unsupported("flood-driven spawning (DFlee)")),
            ("flood_driven_spawning", Kind::Unsupported("flood-driven spawning (DFlee)")),
            ("flood_driven_spawn_mode", Kind::Unsupported("flood-driven spawning (DFlee)")),
            (
                "camps_are_sicks",
                Kind::Unsupported("camps_are_sicks (agent deactivation in camps)"),
            ),
            (
                "camps_are_sinks",
                Kind::Unsupported(
                    "camps_are_sinks (agent deactivation in camps; note Flee itself only reads the misspelled key camps_are_sicks)",
                ),
            ),
            ("read_from_agents_csv_file", Kind::Unsupported("loading agents from agents.csv")),
            (
                "conflict_driven_spawning",
                Kind::Unsupported("conflict-driven spawning (spawning independent of the camp data)"),
            ),
            ("flood_loc_weights", Kind::Unsupported("flood location weights (DFlee)")),
            ("flood_movechances", Kind::Unsupported("flood move chances (DFlee)")),
            ("flood_link_weights", Kind::Unsupported("flood link weights (DFlee)")),
            ("starvation_driven_spawning", Kind::Unsupported("starvation-driven spawning (IPC food data)")),
        ],
        "move_rules" => vec![
            ("max_move_speed", set_f64!(max_move_speed)),
            ("max_walk_speed", set_f64!(max_walk_speed)),
            ("max_crossing_speed", Kind::Inert),
            ("foreign_weight", set_f64!(foreign_weight)),
            ("camp_weight", set_f64!(camp_weight)),
            ("conflict_weight", set_f64!(conflict_weight)),
            ("conflict_movechance", set_f64!(conflict_movechance)),
            ("camp_movechance", set_f64!(camp_movechance)),
            ("idpcamp_movechance", set_f64!(idpcamp_movechance)),
            ("default_movechance", set_f64!(default_movechance)),
            (
                "awareness_level",
                Kind::Known(|m, k, v| {
                    m.settings.awareness_level = m.integer(k, v)?;
                    Ok(())
                }),
            ),
            ("capacity_buffer", set_f64!(capacity_buffer)),
            ("capacity_scaling", set_f64!(capacity_scaling)),
            ("avoid_short_stints", set_bool!(avoid_short_stints)),
            ("start_on_foot", set_bool!(start_on_foot)),
            ("softening", set_f64!(softening)),
            ("weight_softening", set_f64!(weight_softening)),
            ("weight_power", set_f64!(weight_power)),
            ("distance_power", set_f64!(distance_power)),
            ("movechance_pop_base", set_f64!(movechance_pop_base)),
            ("movechance_pop_scale_factor", set_f64!(movechance_pop_scale_factor)),
            ("pruning_threshold", set_f64!(pruning_threshold)),
            ("home_distance_power", Kind::Inert),
            ("pop_power_for_loc_weight", Kind::Inert),
            ("avg_religion_fraction", Kind::Inert),
            ("use_v1_rules", Kind::Unsupported("use_v1_rules (the Flee 1 rule set)")),
            ("stay_close_to_home", Kind::Unsupported("stay_close_to_home (distance-to-home weighting)")),
            ("use_pop_for_loc_weight", Kind::Unsupported("use_pop_for_loc_weight (population-weighted destinations)")),
            ("WomenAvoidHazards", Kind::Unsupported("the demographic rule WomenAvoidHazards")),
            ("ChildrenAvoidHazards", Kind::Unsupported("the demographic rule ChildrenAvoidHazards")),
            ("ElderlyAvoidHazards", Kind::Unsupported("the demographic rule ElderlyAvoidHazards")),
            ("BoysTakeRisk", Kind::Unsupported("the demographic rule BoysTakeRisk")),
            ("MatchCampReligion", Kind::Unsupported("the demographic rule MatchCampReligion")),
            ("MatchCampEthnicity", Kind::Unsupported("the demographic rule MatchCampEthnicity")),
            ("MatchTownEthnicity", Kind::Unsupported("the demographic rule MatchTownEthnicity")),
            ("MatchConflictEthnicity", Kind::Unsupported("the demographic rule MatchConflictEthnicity")),
            ("fixed_routes", Kind::Unsupported("fixed_routes (precomputed per-location routes)")),
            (
                "two_system_decision_making",
                Kind::Unsupported("two_system_decision_making (System-2 route planning)"),
            ),
            ("use_economic_pull", Kind::Unsupported("use_economic_pull (trade/HDI weighting)")),
            ("harvest_months", Kind::Unsupported("harvest_months (farmers returning home)")),
            ("flee_when_starving", Kind::Unsupported("flee_when_starving (IPC food data)")),
            (
                "avoid_food_deprived_locations",
                Kind::Unsupported("avoid_food_deprived_locations (IPC food data)"),
            ),
            ("flood_rules", Kind::Unsupported("flood_rules (DFlee flood movement)")),
        ],
        "optimisations" => vec![(
            "hasten",
            Kind::Known(|m, k, v| {
                m.settings.hasten = m.integer(k, v)?;
                Ok(())
            }),
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<(Settings, Vec<Warning>), InputError> {
        parse_settings_str(s, "test.yml")
    }

    #[test]
    fn empty_is_default() {
        let (s, w) = parse("").unwrap();
        assert_eq!(s, Settings::default());
        assert!(w.is_empty());
        let (s, _) = parse("log_levels:\nmove_rules:\n").unwrap();
        assert_eq!(s, Settings::default());
    }

    #[test]
    fn validation_file_matches_flee_validation() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/flee/validation-simsetting.yml"
        ))
        .unwrap();
        let (s, w) = parse(&text).unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s, Settings::flee_validation());
    }

    #[test]
    fn yaml_booleans() {
        for (t, b) in [
            ("True", true),
            ("False", false),
            ("true", true),
            ("false", false),
            ("yes", true),
        ] {
            let (s, _) = parse(&format!("move_rules:\n  start_on_foot: {t}\n")).unwrap();
            assert_eq!(s.start_on_foot, b, "{t}");
        }
    }

    #[test]
    fn quoted_bool_is_an_error() {
        let e = parse("move_rules:\n  max_move_speed: 200\n  avoid_short_stints: \"False\"\n")
            .unwrap_err();
        let m = e.to_string();
        assert!(m.contains("test.yml:3"), "{m}");
        assert!(m.contains("move_rules.avoid_short_stints"), "{m}");
        assert!(m.contains("remove the quotes"), "{m}");
    }

    #[test]
    fn unsupported_only_when_on() {
        parse("move_rules:\n  fixed_routes: False\n  harvest_months: []\n").unwrap();
        let e = parse("move_rules:\n  two_system_decision_making: True\n").unwrap_err();
        assert!(
            matches!(e.kind(), InputErrorKind::Unsupported { line: Some(2), .. }),
            "{e}"
        );
        let e = parse("spawn_rules:\n  conflict_driven_spawning:\n    spawn_mode: constant\n")
            .unwrap_err();
        assert!(e.to_string().contains("conflict_driven_spawning"), "{e}");
    }

    #[test]
    fn unknown_keys_warn() {
        let (_, w) = parse("move_rules:\n  max_move_sped: 3\nfoo: 1\n").unwrap();
        assert_eq!(w.len(), 2);
        assert!(
            w[0].message.contains("did you mean 'max_move_speed'"),
            "{}",
            w[0]
        );
        assert_eq!(w[0].line, Some(2));
    }

    #[test]
    fn compat_section() {
        let (s, _) = parse("corridor:\n  compat:\n    date_plus_one: false\n").unwrap();
        assert!(!s.compat.date_plus_one);
        assert!(s.compat.multihop_full_budget);
        assert!(parse("corridor:\n  compat:\n    date_plus_on: false\n").is_err());
    }

    #[test]
    fn bad_yaml_has_position() {
        let e = parse("move_rules:\n  max_move_speed: [1, 2\n").unwrap_err();
        assert!(
            matches!(e.kind(), InputErrorKind::Yaml { line: Some(_), .. }),
            "{e}"
        );
    }

    #[test]
    fn validate_errors_carry_line() {
        let e = parse("optimisations:\n  hasten: 0\n").unwrap_err();
        assert_eq!(e.line(), Some(2), "{e}");
        let e = parse("move_rules:\n  default_movechance: 1.5\n").unwrap_err();
        assert_eq!(e.line(), Some(2), "{e}");
    }
}
