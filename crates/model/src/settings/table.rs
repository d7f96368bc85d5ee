//! The one table of settings: every key of Flee's `simsetting.yml` that corridor
//! knows, and the `corridor: compat:` switches, with how each is read, checked,
//! written, calibrated and shown.
//!
//! The table is generated together with the [`Settings`] and
//! [`Compat`](super::Compat) structs by the `settings_table!` macro in
//! `settings.rs`, so a field cannot exist without its entry. The YAML reader
//! (`corridor-io`), [`Settings::validate`], the fitted-settings writer and the
//! calibration paths (`corridor-calibrate`) and the report's settings table
//! (`corridor-report`) all iterate [`SETTINGS`]; none of them lists keys.

use super::Settings;

/// One key of the settings file.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// Dotted key as written in the YAML: `move_rules.max_move_speed`,
    /// `corridor.compat.date_plus_one`, or a bare top-level key such as `number_of_steps`.
    pub key: &'static str,
    /// The section the key sits in (`""` at the top level, `corridor.compat` for switches).
    pub section: &'static str,
    /// The key inside its section.
    pub name: &'static str,
    /// What the key means (the doc comment of the field, or why the key is accepted or rejected).
    pub doc: &'static str,
    /// Whether corridor implements it.
    pub support: Support,
}

/// What corridor does with a key.
#[derive(Debug, Clone, Copy)]
pub enum Support {
    /// Read into a field of [`Settings`].
    Field(Field),
    /// Flee reads the key but it changes nothing in a corridor run; the value is
    /// accepted after the given check.
    Inert(Accept),
    /// Read into a field of [`Settings`] by code of its own in the reader and the
    /// writer: the `conflict_driven_spawning` sub-map and the top-level
    /// `default_conflict_intensity`.
    Special,
    /// A Flee feature corridor does not implement: accepted while it holds its
    /// default (false, 0, empty, null), an error when switched on.
    Unsupported {
        /// The feature, for the error message.
        feature: &'static str,
        /// Flee switches it on by the mere presence of a value (sub-maps and lists),
        /// so any string is "on"; otherwise a string must look like a boolean.
        on_when_present: bool,
    },
}

/// How an inert key's value is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// Any value.
    Anything,
    /// A finite number (Flee applies `float()`/`int()` to it).
    Number,
    /// A log level: a whole number; above 0 asks for a Flee log corridor does not write (a warning).
    LogLevel,
    /// A number that Flee itself ignores when it comes from a settings file; a
    /// value other than 0 gets a warning with the given reason.
    IgnoredByFlee(&'static str),
    /// A key that Flee reads only in another place (the `&'static str` names
    /// it), so here it changes nothing; any value is accepted, and one other
    /// than null, 0, false or empty gets a warning naming that place.
    ReadElsewhere(&'static str),
}

/// A key that is read into [`Settings`].
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// How the value is spelled in YAML.
    pub kind: Kind,
    /// The range the value must lie in.
    pub check: Check,
    /// Whether calibration and ensembles may vary it, and how a real value is fitted to it.
    pub calibrate: Calibrate,
    /// Reads the field.
    pub get: fn(&Settings) -> Value,
    /// Writes the field; false when the value has the wrong type.
    pub set: fn(&mut Settings, Value) -> bool,
}

/// How a setting is spelled in YAML (and so how it is read and written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A boolean (`True`/`False` in Flee's sections, `true`/`false` under `corridor`).
    Switch,
    /// A boolean that Flee reads as a log level: on when the whole number is above 0; written 0 or 1.
    Level,
    /// A real number.
    Number,
    /// A real number that Flee reads with `int()`: whole numbers in YAML.
    WholeNumber,
    /// A whole number.
    Integer,
    /// An optional list of real numbers (absent or null: none).
    NumberList,
}

/// A setting's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    List(Option<Vec<f64>>),
}

impl Value {
    /// The value as a number, for numeric settings.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Bool(_) | Value::List(_) => None,
        }
    }
}

/// The Rust types a setting field may have.
pub trait SettingType: Sized {
    /// The field as a [`Value`].
    fn to_value(&self) -> Value;
    /// The field from a [`Value`] of the matching variant.
    fn from_value(v: Value) -> Option<Self>;
}

impl SettingType for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
}

impl SettingType for i64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }
}

impl SettingType for f64 {
    fn to_value(&self) -> Value {
        Value::Float(*self)
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Float(f) => Some(f),
            _ => None,
        }
    }
}

impl SettingType for Option<Vec<f64>> {
    fn to_value(&self) -> Value {
        Value::List(self.clone())
    }
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::List(l) => Some(l),
            _ => None,
        }
    }
}

/// The range a value must lie in ([`Settings::validate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Any value of the right type.
    Any,
    /// A finite number above 0.
    Positive,
    /// A number in [0, 1].
    Probability,
    /// Not below 0.
    NonNegative,
    /// A whole number of at least 1.
    AtLeastOne,
    /// Anything but 0; the text says why 0 is refused.
    NotZero(&'static str),
}

impl Check {
    /// The message for `key` holding `v`, or `None` when the value is acceptable.
    pub fn violation(&self, key: &str, v: &Value) -> Option<String> {
        let x = v.as_f64()?;
        match self {
            Check::Any => None,
            Check::Positive => (!(x > 0.0 && x.is_finite()))
                .then(|| format!("{key} must be a positive number, got {x}")),
            Check::Probability => {
                (!(0.0..=1.0).contains(&x)).then(|| format!("{key} must lie in [0, 1], got {x}"))
            }
            Check::NonNegative => (x < 0.0).then(|| format!("{key} must not be negative, got {x}")),
            Check::AtLeastOne => (x < 1.0).then(|| format!("{key} must be at least 1, got {x}")),
            Check::NotZero(why) => (x == 0.0).then(|| format!("{key} 0 {why}")),
        }
    }
}

/// Whether calibration may vary a setting (its path is the key), and how a
/// real-valued candidate becomes the setting's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calibrate {
    /// Not a calibration parameter.
    No,
    /// The value as it is.
    AsIs,
    /// Rounded to a whole number.
    Round,
    /// Rounded to a whole number, which must be at least 1.
    RoundAtLeastOne,
}

impl Setting {
    /// The field, for keys that corridor reads into [`Settings`].
    pub fn field(&self) -> Option<&Field> {
        match &self.support {
            Support::Field(f) => Some(f),
            _ => None,
        }
    }

    /// The value in `s` (`None` for keys without a field).
    pub fn get(&self, s: &Settings) -> Option<Value> {
        self.field().map(|f| (f.get)(s))
    }

    /// The default value (`None` for keys without a field).
    pub fn default_value(&self) -> Option<Value> {
        self.get(&Settings::default())
    }

    /// Whether calibration may vary it.
    pub fn calibratable(&self) -> bool {
        self.field().is_some_and(|f| f.calibrate != Calibrate::No)
    }
}

/// Every entry, in declaration order: Flee's sections (`spawn_rules`,
/// `move_rules`, `optimisations`, `log_levels`), top-level keys, then
/// `corridor.compat`.
pub static SETTINGS: &[Setting] = &ALL;

const ALL: [Setting; FLEE_SETTINGS.len() + COMPAT_SETTINGS.len()] =
    concat(FLEE_SETTINGS, COMPAT_SETTINGS);

use super::{COMPAT_SETTINGS, FLEE_SETTINGS};

const fn concat<const N: usize>(a: &[Setting], b: &[Setting]) -> [Setting; N] {
    let mut out = [a[0]; N];
    let mut i = 0;
    while i < a.len() {
        out[i] = a[i];
        i += 1;
    }
    while i < N {
        out[i] = b[i - a.len()];
        i += 1;
    }
    out
}

/// The Flee sections in the order of Flee's own files (and of written settings).
pub const FLEE_SECTIONS: &[&str] = &["log_levels", "spawn_rules", "move_rules", "optimisations"];

/// The section of the compat switches.
pub const COMPAT_SECTION: &str = "corridor.compat";

/// corridor's own settings that are not Flee quirks (`corridor: <key>:`).
pub const CORRIDOR_SECTION: &str = "corridor";

/// The entry for a dotted key.
pub fn setting(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// The entries of one section, in table order.
pub fn section(name: &str) -> impl Iterator<Item = &'static Setting> + '_ {
    SETTINGS.iter().filter(move |s| s.section == name)
}

/// Declares a settings struct, its `Default`, and its table entries together.
///
/// ```text
/// settings_table! {
///     #[derive(...)] pub struct Name (via path) in CONST_NAME {
///         "section" {
///             /// Doc of the field and the entry.
///             field: type = default, Kind [, check = Check::...] [, calibrate = Calibrate::...];
///             /// Why the key is accepted or rejected.
///             other_key => Support::...;
///         }
///     }
/// }
/// ```
///
/// `via` names the path from a `Settings` to the struct (empty for `Settings` itself).
macro_rules! settings_table {
    (
        $(#[$meta:meta])* pub struct $name:ident ($($via:ident)?) in $table:ident { $($body:tt)* }
    ) => {
        settings_table!(@munch [$(#[$meta])* $name ($($via)?) $table] [] [] [] $($body)*);
    };
    // Done: emit the struct, its Default and its table.
    (@munch [$(#[$meta:meta])* $name:ident ($($via:ident)?) $table:ident]
        [$($fields:tt)*] [$($defaults:tt)*] [$($entries:tt)*]) => {
        $(#[$meta])*
        pub struct $name { $($fields)* }
        impl Default for $name {
            fn default() -> Self {
                $name { $($defaults)* }
            }
        }
        pub(crate) const $table: &[table::Setting] = &[$($entries)*];
    };
    // A section with no entries left.
    (@munch $head:tt $f:tt $d:tt $e:tt $section:tt { } $($rest:tt)*) => {
        settings_table!(@munch $head $f $d $e $($rest)*);
    };
    // A field.
    (@munch [$(#[$meta:meta])* $name:ident ($($via:ident)?) $table:ident]
        [$($fields:tt)*] [$($defaults:tt)*] [$($entries:tt)*]
        $section:tt {
            $(#[doc = $doc:literal])+
            $key:ident : $ty:ty = $default:expr, $kind:ident
            $(, check = $check:expr)? $(, calibrate = $cal:expr)? ;
            $($more:tt)*
        }
        $($rest:tt)*
    ) => {
        settings_table!(@munch [$(#[$meta])* $name ($($via)?) $table]
            [$($fields)* $(#[doc = $doc])+ pub $key: $ty,]
            [$($defaults)* $key: $default,]
            [$($entries)* table::Setting {
                key: settings_table!(@key $section, $key),
                section: $section,
                name: stringify!($key),
                doc: concat!($($doc),+),
                support: table::Support::Field(table::Field {
                    kind: table::Kind::$kind,
                    check: settings_table!(@or $($check)? ; table::Check::Any),
                    calibrate: settings_table!(@or $($cal)? ; table::Calibrate::No),
                    get: |s| table::SettingType::to_value(&s $(.$via)? .$key),
                    set: |s, v| match table::SettingType::from_value(v) {
                        Some(x) => {
                            s $(.$via)? .$key = x;
                            true
                        }
                        None => false,
                    },
                }),
            },]
            $section { $($more)* } $($rest)*);
    };
    // A field holding a struct with its own table (no entry here).
    (@munch [$(#[$meta:meta])* $name:ident ($($via:ident)?) $table:ident]
        [$($fields:tt)*] [$($defaults:tt)*] $e:tt
        $section:tt {
            $(#[doc = $doc:literal])+
            $key:ident : $ty:ty = $default:expr ;
            $($more:tt)*
        }
        $($rest:tt)*
    ) => {
        settings_table!(@munch [$(#[$meta])* $name ($($via)?) $table]
            [$($fields)* $(#[doc = $doc])+ pub $key: $ty,]
            [$($defaults)* $key: $default,]
            $e
            $section { $($more)* } $($rest)*);
    };
    // A key without a field.
    (@munch $head:tt $f:tt $d:tt [$($entries:tt)*]
        $section:tt {
            $(#[doc = $doc:literal])+
            $key:ident => $support:expr ;
            $($more:tt)*
        }
        $($rest:tt)*
    ) => {
        settings_table!(@munch $head $f $d
            [$($entries)* table::Setting {
                key: settings_table!(@key $section, $key),
                section: $section,
                name: stringify!($key),
                doc: concat!($($doc),+),
                support: $support,
            },]
            $section { $($more)* } $($rest)*);
    };
    (@key "", $key:ident) => { stringify!($key) };
    (@key $section:tt, $key:ident) => { concat!($section, ".", stringify!($key)) };
    (@or ; $default:expr) => { $default };
    (@or $value:expr ; $default:expr) => { $value };
}
