//! The YAML schema of `scenario.yml` and variant files, as serde reads it.

use serde::Deserialize;
pub(super) use serde_saphyr::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NativeFile {
    #[serde(default)]
    pub(super) base: Option<String>,
    #[serde(default)]
    pub(super) name: Option<String>,
    /// Free text for people reading the file.
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) start_date: Option<String>,
    #[serde(default)]
    pub(super) days: Option<u32>,
    #[serde(default)]
    pub(super) locations: Option<String>,
    #[serde(default)]
    pub(super) routes: Option<String>,
    #[serde(default)]
    pub(super) conflicts: Option<String>,
    #[serde(default)]
    pub(super) closures: Option<String>,
    /// A `simsetting.yml` file; in a variant of a Flee folder, also a mapping
    /// of overrides in simsetting.yml's schema.
    #[serde(default)]
    pub(super) settings: Option<SettingsKey>,
    #[serde(default)]
    pub(super) observations: Option<String>,
    #[serde(default)]
    pub(super) siege: Option<SiegeFile>,
    /// Only in variants: interventions added to the base scenario's.
    #[serde(default)]
    pub(super) interventions: Vec<Spanned<InterventionFile>>,
    /// Parameter ranges sampled by `report` and `compare` (a parameter-space file).
    #[serde(default)]
    pub(super) uncertainty: Option<String>,
    /// Dates at which `compare` reports the variants.
    #[serde(default)]
    pub(super) key_dates: Vec<KeyDateFile>,
    /// Variants of Flee folders: closures added (as closures.csv rows).
    #[serde(default)]
    pub(super) close: Vec<Spanned<CloseFile>>,
    /// Variants of Flee folders: the base's closures ended from a day.
    #[serde(default)]
    pub(super) open: Vec<Spanned<CloseFile>>,
    /// Variants of Flee folders: new camps with their routes.
    #[serde(default)]
    pub(super) add_camps: Vec<Spanned<AddCampFile>>,
    /// Variants of Flee folders: camp capacities replaced.
    #[serde(default)]
    pub(super) capacities: Vec<Spanned<CapacityFile>>,
}

/// `settings:` — a file name, or (variants of Flee folders) a mapping of
/// overrides, which is read again from the file's text to keep its lines.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum SettingsKey {
    File(String),
    Overrides(serde::de::IgnoredAny),
}

/// One entry of `close:` or `open:`: exactly one of `route`, `location`,
/// `border`, `camp`, with the days.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CloseFile {
    #[serde(default)]
    pub(super) route: Option<[String; 2]>,
    #[serde(default)]
    pub(super) location: Option<String>,
    #[serde(default)]
    pub(super) border: Option<[String; 2]>,
    #[serde(default)]
    pub(super) camp: Option<String>,
    /// First day closed (`close`) or open again (`open`); 0 when absent.
    #[serde(default)]
    pub(super) from_day: i64,
    /// `close` only: the day it reopens; never when absent.
    #[serde(default)]
    pub(super) until_day: Option<i64>,
}

/// One entry of `add_camps:` (FabFlee's `add_camp`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AddCampFile {
    pub(super) name: String,
    pub(super) region: String,
    pub(super) country: String,
    pub(super) lat: f64,
    pub(super) lon: f64,
    /// People it can hold (before `hasten`); 0 = unlimited, as in locations.csv.
    pub(super) capacity: i64,
    /// `camp` (default) or `idpcamp`.
    #[serde(default)]
    pub(super) location_type: Option<String>,
    pub(super) routes: Vec<NewRouteFile>,
}

/// A route of an added camp.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewRouteFile {
    pub(super) to: String,
    pub(super) distance: f64,
}

/// One entry of `capacities:` (FabFlee's `change_capacities`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CapacityFile {
    pub(super) location: String,
    pub(super) capacity: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KeyDateFile {
    pub(super) day: i64,
    #[serde(default)]
    pub(super) label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SiegeFile {
    #[serde(default = "one")]
    pub(super) people_per_agent: u32,
    #[serde(default)]
    pub(super) screened_share: f64,
    #[serde(default)]
    pub(super) population: Vec<Spanned<PopulationFile>>,
    #[serde(default)]
    pub(super) holds: Vec<Spanned<HoldFile>>,
    #[serde(default)]
    pub(super) exits: Vec<Spanned<ExitFile>>,
    #[serde(default)]
    pub(super) crossings: Vec<Spanned<CrossingFile>>,
    #[serde(default)]
    pub(super) screenings: Vec<Spanned<ScreeningFile>>,
    #[serde(default)]
    pub(super) relocations: Vec<Spanned<RelocationFile>>,
    #[serde(default)]
    pub(super) interventions: Vec<Spanned<InterventionFile>>,
    /// Shelter and admission limits of camps (docs/scenario-format.md, "Camps and shelter").
    #[serde(default)]
    pub(super) camps: Vec<Spanned<CampFile>>,
    #[serde(default)]
    pub(super) transport: Vec<Spanned<TransportFile>>,
    /// Returns home to retaken places (docs/scenario-format.md, "Returns home").
    #[serde(default)]
    pub(super) returns: Vec<ReturnFile>,
    /// Groups of origins whose departures are counted (docs/scenario-format.md, "Returns home").
    #[serde(default)]
    pub(super) departures: Vec<DepartureFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DepartureFile {
    pub(super) name: String,
    pub(super) from: OneOrMany,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReturnFile {
    pub(super) to: String,
    #[serde(default)]
    pub(super) opens_day: i64,
    pub(super) daily_rate: f64,
    /// `camps`, `hosts`, `any` or a list of them; absent = any.
    #[serde(default)]
    pub(super) from: Option<OneOrMany>,
    #[serde(default)]
    pub(super) min_days_away: u32,
}

fn one() -> u32 {
    1
}
fn yes() -> bool {
    true
}
fn unit() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PopulationFile {
    pub(super) location: String,
    pub(super) people: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HoldFile {
    pub(super) location: String,
    pub(super) attempt_rate: f64,
    #[serde(default)]
    pub(super) until_day: Option<i64>,
    /// `stay` (default) or `move`: what those who never left do after `until_day`.
    #[serde(default)]
    pub(super) residents: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CampFile {
    pub(super) location: String,
    /// People it can shelter; 0 = an informal site.
    #[serde(default)]
    pub(super) shelter: Option<i64>,
    /// Admission limit in people, or `unlimited`; absent = locations.csv.
    #[serde(default)]
    pub(super) admits: Option<CapacityValue>,
    /// `true`: host families, counted `with_hosts` instead of in camps.
    #[serde(default)]
    pub(super) hosts: Option<FlagValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExitFile {
    pub(super) from: String,
    pub(super) to: String,
    #[serde(default = "yes")]
    pub(super) open: bool,
    #[serde(default)]
    pub(super) turned_back: f64,
    #[serde(default)]
    pub(super) shot: f64,
    #[serde(default = "unit")]
    pub(super) weight: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CrossingFile {
    pub(super) from: String,
    pub(super) to: String,
    /// A number of households, or `unlimited` (the default).
    #[serde(default)]
    pub(super) capacity_per_day: Option<CapacityValue>,
    #[serde(default)]
    pub(super) drowning: f64,
    #[serde(default)]
    pub(super) shot_crossing: f64,
    #[serde(default)]
    pub(super) shot_waiting: f64,
    /// Whole days, or `never` (the default).
    #[serde(default)]
    pub(super) patience_days: Option<CapacityValue>,
    #[serde(default)]
    pub(super) give_up: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScreeningFile {
    pub(super) location: String,
    #[serde(default = "yes")]
    pub(super) active: bool,
    pub(super) hold_days: [u32; 2],
    #[serde(default)]
    pub(super) not_released: f64,
    #[serde(default)]
    pub(super) death_in_custody: f64,
    /// `[arrival, departure]` (the default), or one of them.
    #[serde(default)]
    pub(super) on: Option<Vec<String>>,
    /// People processed per day, or `unlimited` (the default).
    #[serde(default)]
    pub(super) capacity_per_day: Option<CapacityValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TransportFile {
    pub(super) from: String,
    pub(super) to: OneOrMany,
    pub(super) people_per_day: u32,
    #[serde(default = "yes")]
    pub(super) active: bool,
    /// `true`: a leg that may end at any place (arrivals screened there).
    #[serde(default)]
    pub(super) leg: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RelocationFile {
    pub(super) from: String,
    pub(super) to: OneOrMany,
    pub(super) share_of_overflow: f64,
}

/// A location name or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(super) fn names(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InterventionFile {
    pub(super) day: i64,
    pub(super) action: String,
    #[serde(default)]
    pub(super) location: Option<String>,
    #[serde(default)]
    pub(super) from: Option<String>,
    /// A location; a list of camps for `set_relocation`.
    #[serde(default)]
    pub(super) to: Option<OneOrMany>,
    #[serde(default)]
    pub(super) share_of_overflow: Option<f64>,
    #[serde(default)]
    pub(super) value: Option<f64>,
    #[serde(default)]
    pub(super) turned_back: Option<f64>,
    #[serde(default)]
    pub(super) shot: Option<f64>,
    #[serde(default)]
    pub(super) weight: Option<f64>,
    /// A number, or `unlimited`.
    #[serde(default)]
    pub(super) capacity_per_day: Option<CapacityValue>,
    #[serde(default)]
    pub(super) drowning: Option<f64>,
    #[serde(default)]
    pub(super) people: Option<i64>,
    #[serde(default)]
    pub(super) active: Option<bool>,
    #[serde(default)]
    pub(super) hold_days: Option<[u32; 2]>,
    #[serde(default)]
    pub(super) not_released: Option<f64>,
    #[serde(default)]
    pub(super) death_in_custody: Option<f64>,
    #[serde(default)]
    pub(super) note: Option<String>,
    /// `lift_siege`: `stay` (default) or `move`.
    #[serde(default)]
    pub(super) residents: Option<String>,
    /// `set_screening`: `[arrival, departure]` or one of them.
    #[serde(default)]
    pub(super) on: Option<Vec<String>>,
    /// `set_transport`: people carried per day.
    #[serde(default)]
    pub(super) people_per_day: Option<u32>,
    #[serde(default)]
    pub(super) shot_crossing: Option<f64>,
    #[serde(default)]
    pub(super) shot_waiting: Option<f64>,
    /// Whole days, or `never`.
    #[serde(default)]
    pub(super) patience_days: Option<CapacityValue>,
    #[serde(default)]
    pub(super) give_up: Option<f64>,
    /// `set_return`: households going home per day (share).
    #[serde(default)]
    pub(super) daily_rate: Option<f64>,
    /// `set_return`: days away before a household may return.
    #[serde(default)]
    pub(super) min_days_away: Option<u32>,
}

/// A `true`/`false` key read loosely, so that a bad value gets an error that
/// names the key (a plain `bool` fails with the YAML parser's message).
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum FlagValue {
    Bool(bool),
    Number(f64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum CapacityValue {
    Number(u32),
    Text(String),
}

pub(super) const ACTIONS: &str =
    "set_attempt_rate, lift_siege, open_exit, close_exit, set_exit, set_crossing, \
                       close_route, open_route, set_camp_capacity, set_relocation, set_screening, \
                       set_shelter, set_transport, set_return";
