//! The keys whose values are not one scalar of the settings table
//! ([`Support::Special`](corridor_model::settings::Support::Special)): the
//! `conflict_driven_spawning` sub-map (docs/flee-model.md 13.1) and the
//! top-level `default_conflict_intensity` (14.3), and the numbers Flee
//! itself ignores when they come from a file.

use corridor_model::{ConflictSpawning, SpawnMode};

use super::node::{Node, Sp};
use super::Mapper;
use crate::error::{InputError, Warning};

const MODES: &str = "constant, pop_ratio or poisson";

impl Mapper<'_> {
    /// Reads a key of [`Support::Special`](corridor_model::settings::Support::Special).
    pub(super) fn special(&mut self, key: &str, v: &Sp) -> Result<(), InputError> {
        match key {
            "spawn_rules.conflict_driven_spawning" => {
                self.settings.conflict_driven_spawning = self.conflict_spawning(key, v)?;
                Ok(())
            }
            "spawn_rules.flood_driven_spawn_mode" => {
                self.settings.flood_driven_spawn_mode = self.flood_spawning(key, v)?;
                Ok(())
            }
            "move_rules.flood_rules" => {
                self.settings.flood_rules = self.flood_rules(key, v)?;
                Ok(())
            }
            "default_conflict_intensity" => {
                let x = self.number(key, v)?;
                let whole = x.trunc();
                if whole != x {
                    self.warnings.push(Warning::new(
                        self.path,
                        v.line,
                        format!(
                            "{key} = {x} becomes {whole}: Flee applies int() to it (a location made a \
                             conflict zone by location_changes.csv gets intensity {whole})"
                        ),
                    ));
                }
                self.settings.default_conflict_intensity = whole as i64;
                Ok(())
            }
            _ => unreachable!("{key} is not a special key"),
        }
    }

    fn conflict_spawning(
        &mut self,
        key: &str,
        v: &Sp,
    ) -> Result<Option<ConflictSpawning>, InputError> {
        let entries = match &v.node {
            Node::Null => {
                self.warnings.push(Warning::new(
                    self.path,
                    v.line,
                    format!(
                        "{key} has no value: in YAML that is null, which leaves conflict-driven spawning \
                         off in Flee, so spawning follows the camp data; write `{key_last}: {{}}` to switch \
                         it on with Flee's defaults (constant, 500 per conflict zone per day)",
                        key_last = "conflict_driven_spawning"
                    ),
                ));
                return Ok(None);
            }
            Node::Map(e) => e,
            other => {
                return Err(self.bad(
                    key,
                    v.line,
                    Some(other),
                    "conflict_driven_spawning must be a mapping (Flee crashes on any other value)",
                    "write e.g. `conflict_driven_spawning:` then `  spawn_mode: pop_ratio` and \
                     `  displaced_per_conflict_day: 0.01` (or `{}` for Flee's defaults)",
                ))
            }
        };
        let mut mode = SpawnMode::Constant;
        let mut rate = None;
        for (name, x) in entries {
            let dotted = format!("{key}.{name}");
            match name.as_str() {
                "spawn_mode" => mode = self.spawn_mode(&dotted, x)?,
                "displaced_per_conflict_day" => rate = Some((dotted, x)),
                _ => self.unknown_key(
                    name,
                    x,
                    Some(key),
                    &["spawn_mode", "displaced_per_conflict_day"],
                ),
            }
        }
        let displaced_per_conflict_day = match rate {
            None => mode.default_rate(),
            Some((dotted, x)) => {
                let n = self.number(&dotted, x)?;
                if n < 0.0 {
                    return Err(self.bad(
                        &dotted,
                        x.line,
                        Some(&x.node),
                        "the number displaced per conflict day must not be negative",
                        "write 0 or more (a fraction of the population for pop_ratio, agents otherwise)",
                    ));
                }
                if mode == SpawnMode::PopRatio {
                    n
                } else {
                    // Flee applies int() in the count modes.
                    if n.fract() != 0.0 {
                        self.warnings.push(Warning::new(
                            self.path,
                            x.line,
                            format!(
                                "{dotted} = {n} becomes {}: Flee applies int() to it in {} mode",
                                n.trunc(),
                                mode.name()
                            ),
                        ));
                    }
                    n.trunc()
                }
            }
        };
        Ok(Some(ConflictSpawning {
            mode,
            displaced_per_conflict_day,
        }))
    }

    /// A `spawn_mode` of conflict- or flood-driven spawning.
    pub(super) fn spawn_mode(&self, dotted: &str, x: &Sp) -> Result<SpawnMode, InputError> {
        let parsed = match &x.node {
            Node::Str(s) => SpawnMode::parse(s),
            _ => None,
        };
        parsed.ok_or_else(|| {
            self.bad(
                dotted,
                x.line,
                Some(&x.node),
                "unknown spawn mode (Flee would spawn nobody, silently)",
                &format!("write one of {MODES} (constant and pop_ratio are case-sensitive)"),
            )
        })
    }

    /// A number Flee ignores when it comes from a settings file: a value other
    /// than 0 gets a warning saying why.
    /// A key Flee reads only as `place`: a warning unless the value is
    /// null, 0, false or empty (docs/flee-model.md 18.10).
    pub(super) fn read_elsewhere(&mut self, key: &str, place: &str, v: &Sp) {
        let set = match &v.node {
            Node::Null => false,
            Node::Bool(b) => *b,
            Node::Int(i) => *i != 0,
            Node::Float(f) => *f != 0.0,
            Node::Str(s) => !s.trim().is_empty(),
            Node::Seq(items) => !items.is_empty(),
            Node::Map(entries) => !entries.is_empty(),
        };
        if set {
            self.warnings.push(Warning::new(
                self.path,
                v.line,
                format!(
                    "{key} has no effect: Flee reads it only as `{place}` (move it there to use it)"
                ),
            ));
        }
    }

    pub(super) fn ignored_by_flee(
        &mut self,
        key: &str,
        why: &str,
        v: &Sp,
    ) -> Result<(), InputError> {
        let x = match &v.node {
            Node::Null => return Ok(()),
            Node::Bool(b) => f64::from(u8::from(*b)),
            _ => self.number(key, v)?,
        };
        if x != 0.0 {
            self.warnings.push(Warning::new(
                self.path,
                v.line,
                format!("{key} = {} has no effect: {why}", v.node.describe()),
            ));
        }
        Ok(())
    }
}
