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
//!
//! Which keys exist, and how each is read, comes from the settings table
//! ([`corridor_model::settings::SETTINGS`]); this module lists none.

use std::collections::HashMap;
use std::path::Path;

use corridor_model::settings::{self as table, Accept, Kind, Setting, Support, Value};
use corridor_model::Settings;

use node::{Node, Sp};

use crate::error::{InputError, InputErrorKind, Warning};
use crate::text::suggest;

mod flood;
mod node;
mod special;
#[cfg(test)]
mod tests;
mod yaml_error;

pub(crate) use yaml_error::yaml_error;

/// Reads a Flee `simsetting.yml`.
pub fn read_settings(path: &Path) -> Result<(Settings, Vec<Warning>), InputError> {
    let text = crate::text::read_text(
        path,
        "simulation settings (Flee simsetting.yml)",
        "pass an existing YAML file, or leave the settings out to use Flee's defaults",
    )?;
    parse_settings_at(&text, path, Settings::default())
}

/// Parses settings YAML held in memory; `file_label` names it in messages.
pub fn parse_settings_str(
    text: &str,
    file_label: &str,
) -> Result<(Settings, Vec<Warning>), InputError> {
    parse_settings_at(text, Path::new(file_label), Settings::default())
}

/// Reads settings YAML (simsetting.yml's schema) as overrides of `base`:
/// the keys it gives replace `base`'s, every other setting stays. `path`
/// names the file the text comes from (a variant's `settings:` mapping).
pub(crate) fn settings_over(
    base: &Settings,
    text: &str,
    path: &Path,
) -> Result<(Settings, Vec<Warning>), InputError> {
    parse_settings_at(text, path, base.clone())
}

fn parse_settings_at(
    text: &str,
    path: &Path,
    start: Settings,
) -> Result<(Settings, Vec<Warning>), InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: Option<Sp> = serde_saphyr::from_str(text).map_err(|e| {
        yaml_error(
            path,
            text,
            &e,
            "check indentation (spaces only, no tabs) and that every key is followed by ': '",
        )
    })?;
    let mut m = Mapper {
        path,
        settings: start,
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
            if table::FLEE_SECTIONS.contains(&key.as_str()) {
                self.section(key, value)?;
            } else if key == "corridor" {
                self.corridor(value)?;
            } else if let Some(entry) = table::section("").find(|e| e.name == key) {
                self.entry(entry, value)?;
            } else {
                let valid: Vec<&str> = table::FLEE_SECTIONS
                    .iter()
                    .copied()
                    .chain(table::section("").map(|e| e.name))
                    .chain(["corridor"])
                    .collect();
                self.unknown_key(key, value, None, &valid);
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
        for (key, v) in entries {
            let dotted = format!("{name}.{key}");
            if let Some(l) = v.line {
                self.lines.insert(dotted.clone(), l);
            }
            match table::section(name).find(|e| e.name == key) {
                Some(entry) => self.entry(entry, v)?,
                None => {
                    let names: Vec<&str> = table::section(name).map(|e| e.name).collect();
                    self.unknown_key(key, v, Some(name), &names)
                }
            }
        }
        Ok(())
    }

    /// Reads one known key as its table entry says.
    fn entry(&mut self, entry: &Setting, v: &Sp) -> Result<(), InputError> {
        let key = entry.key;
        match &entry.support {
            Support::Field(field) => {
                let value = match field.kind {
                    Kind::Switch => Value::Bool(self.boolean(key, v)?),
                    Kind::Level => Value::Bool(self.integer(key, v)? > 0),
                    Kind::Number => Value::Float(self.number(key, v)?),
                    Kind::WholeNumber => Value::Float(self.integer(key, v)? as f64),
                    Kind::Integer => Value::Int(self.integer(key, v)?),
                    Kind::NumberList => Value::List(self.number_list(key, v)?),
                };
                if key == "move_rules.awareness_level" {
                    self.awareness(key, v, &value)?;
                }
                // Flee's logs have levels up to 3 (agent) and 2 (link); higher ones act as those.
                let top = match key {
                    "log_levels.agent" => 3,
                    "log_levels.link" => 2,
                    _ => i64::MAX,
                };
                if let Value::Int(n) = value {
                    if n > top {
                        self.warnings.push(Warning::new(
                            self.path,
                            v.line,
                            format!("{key} = {n}: Flee's highest level of this log is {top}; corridor writes level {top}"),
                        ));
                    }
                }
                let stored = (field.set)(&mut self.settings, value);
                debug_assert!(stored, "{key}: the table's kind does not fit its field");
                Ok(())
            }
            Support::Inert(accept) => self.inert(key, *accept, v),
            Support::Special => self.special(key, v),
            Support::Unsupported {
                feature,
                on_when_present,
            } => self.unsupported(key, v, feature, *on_when_present),
        }
    }

    fn number_list(&self, key: &str, v: &Sp) -> Result<Option<Vec<f64>>, InputError> {
        match &v.node {
            Node::Null => Ok(None),
            Node::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, x)| self.number(&format!("{key}[{i}]"), x))
                .collect::<Result<Vec<f64>, _>>()
                .map(Some),
            other => Err(self.bad(
                key,
                v.line,
                Some(other),
                "expected a list of multipliers",
                "write e.g. [1.0, 1.0, 1.0, 0.5, 0.1] (one multiplier per interval since conflict onset)",
            )),
        }
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
                match table::section(table::CORRIDOR_SECTION).find(|e| e.name == key) {
                    Some(entry) => self.entry(entry, v)?,
                    None => {
                        let valid: Vec<&str> = std::iter::once("compat")
                            .chain(table::section(table::CORRIDOR_SECTION).map(|e| e.name))
                            .collect();
                        self.unknown_key(key, v, Some("corridor"), &valid);
                    }
                }
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
                // Type errors first, as for any boolean key.
                self.boolean(&dotted, flag)?;
                match table::section(table::COMPAT_SECTION).find(|e| e.name == name) {
                    Some(entry) => self.entry(entry, flag)?,
                    None => {
                        let switches: Vec<&str> = table::section(table::COMPAT_SECTION)
                            .map(|e| e.name)
                            .collect();
                        let hint = match suggest(name, switches.iter().copied()) {
                            Some(s) => format!(
                                "did you mean '{s}'? valid switches: {}",
                                switches.join(", ")
                            ),
                            None => format!("valid switches: {}", switches.join(", ")),
                        };
                        return Err(self.bad(
                            &dotted,
                            flag.line,
                            None,
                            "unknown compat switch (a typo here would silently keep the Flee quirk on)",
                            &hint,
                        ));
                    }
                }
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

    /// `awareness_level` above the limit (each level multiplies the route
    /// candidates kept per place) is refused; a negative one, which Flee
    /// treats as 1, is accepted with a warning.
    fn awareness(&mut self, key: &str, v: &Sp, value: &Value) -> Result<(), InputError> {
        let Value::Int(level) = *value else {
            return Ok(());
        };
        let max = corridor_model::limits::max_awareness_level();
        if level > 0 && level as u64 > max {
            return Err(self.bad(
                key,
                v.line,
                Some(&v.node),
                &format!("awareness level {level} is above the limit of {max}"),
                &format!(
                    "Flee uses 1 to 3; each level widens the route search (memory grows                      with the number of paths); set {}=<level> to raise the limit",
                    corridor_model::limits::MAX_AWARENESS_ENV
                ),
            ));
        }
        if level < 0 {
            self.warnings.push(Warning::new(
                self.path,
                v.line,
                format!("{key} = {level} is treated as 1 (as Flee does); write 1 to say so"),
            ));
        }
        Ok(())
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
    fn inert(&mut self, key: &str, accept: Accept, v: &Sp) -> Result<(), InputError> {
        match accept {
            Accept::Anything => Ok(()),
            Accept::IgnoredByFlee(why) => self.ignored_by_flee(key, why, v),
            Accept::ReadElsewhere(place) => {
                self.read_elsewhere(key, place, v);
                Ok(())
            }
            Accept::Number => self.number(key, v).map(|_| ()),
            Accept::LogLevel => match &v.node {
                Node::Str(g) if key == "log_levels.granularity" && g.trim() == "region" => {
                    // Flee crashes on its first agent row with this; corridor keeps names.
                    self.warnings.push(Warning::new(
                        self.path,
                        v.line,
                        format!("{key} = region: corridor's agent and link logs name locations, not regions"),
                    ));
                    Ok(())
                }
                Node::Null | Node::Str(_) | Node::Seq(_) | Node::Map(_) => Ok(()),
                Node::Bool(_) | Node::Int(_) | Node::Float(_) => {
                    let n = self.integer(key, v)?;
                    if n > 0 {
                        self.warnings.push(Warning::new(
                            self.path,
                            v.line,
                            format!("{key} = {n}: corridor does not write Flee's per-agent/link/camp logs; ignored"),
                        ));
                    }
                    Ok(())
                }
            },
        }
    }

    fn unsupported(
        &mut self,
        key: &str,
        v: &Sp,
        what: &str,
        on_when_present: bool,
    ) -> Result<(), InputError> {
        let on = match &v.node {
            Node::Null => false,
            Node::Bool(b) => *b,
            Node::Int(i) => *i != 0,
            Node::Float(f) => *f != 0.0,
            Node::Str(_) => {
                if !on_when_present {
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

fn last(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}
