//! # corridor-model
//!
//! The plain data of a corridor scenario — locations, routes, closures, conflict
//! schedules, validation series and simulation settings — and the rules that
//! turn observed camp series into the daily numbers Flee's data-driven spawning
//! uses (interpolation, registration corrections, `hasten` scaling).
//!
//! This crate does no I/O: readers live in `corridor-io`, the simulation loop
//! in `corridor-engine`. Everything here is deterministic and cheap to clone.

// The settings table macro recurses once per entry.
#![recursion_limit = "256"]

pub mod data;
pub mod demographics;
pub mod flood;
pub mod food;
pub mod limits;
pub mod observations;
pub mod settings;
pub mod siege;

pub use data::{
    CampSeries, DataError, DataPoint, PreparedData, RegistrationCorrection, SpawnDay, SpawnLedger,
    ValidationData,
};
pub mod output;
pub use demographics::Demographics;
pub use output::{DayRecord, RunOutput};
pub use settings::{Compat, ConflictSpawning, Settings, SpawnMode};
pub use siege::SiegeModel;

/// Index of a location in [`Scenario::locations`] (file order).
pub type LocId = u32;

/// What a location is, parsed from Flee's free-text `location_type` column
/// (docs/flee-model.md 1.1: substring tests, first match wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LocationKind {
    Camp,
    IdpCamp,
    Conflict,
    Forward,
    Marker,
    FloodZone,
    Town,
    /// A type that matched no rule; Flee warns and keeps move chance 1.0.
    Other,
}

impl LocationKind {
    /// Flee's substring rules. `conflict` types with `conflict_date > 0`
    /// must be turned into `town` by the caller first (docs/flee-model.md 1.1).
    pub fn parse(raw: &str) -> LocationKind {
        let t = raw.to_lowercase();
        if t.contains("camp") {
            if t.contains("idp") {
                LocationKind::IdpCamp
            } else {
                LocationKind::Camp
            }
        } else if t.contains("conflict") {
            LocationKind::Conflict
        } else if t.contains("forward") {
            LocationKind::Forward
        } else if t.contains("marker") {
            LocationKind::Marker
        } else if t.contains("flood_zone") {
            LocationKind::FloodZone
        } else if t.contains("default") || t.contains("town") {
            LocationKind::Town
        } else {
            LocationKind::Other
        }
    }

    pub fn is_camp(self) -> bool {
        matches!(self, LocationKind::Camp | LocationKind::IdpCamp)
    }
}

/// One row of `locations.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub name: String,
    pub region: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    /// The type string as written in the file.
    pub raw_type: String,
    /// Kind after Flee's loader rule: `conflict*` with `conflict_date > 0` starts as a town.
    pub kind: LocationKind,
    pub conflict_date: i64,
    /// Column 7 before `hasten`: population for non-camps, capacity for camps.
    pub pop_or_capacity: i64,
    /// `conflict_intensity` attribute (1.0 when absent).
    pub conflict_intensity: f64,
    /// `capacity_per_day` attribute (0 when absent).
    pub capacity_per_day: i64,
    /// `initial_idps` attribute (0 when absent; only used for camps).
    pub initial_idps: i64,
    /// Other attribute columns, raw.
    pub attributes: Vec<(String, String)>,
}

impl Location {
    /// Whether the location is foreign relative to the scenario's home country
    /// (the country of the first data row).
    pub fn is_foreign(&self, home_country: &str) -> bool {
        self.country != home_country
    }
}

/// One row of `routes.csv`: an undirected route that becomes two directed links.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub from: LocId,
    pub to: LocId,
    pub distance_km: f64,
    /// `forced_redirection` column: 0, 1 or 2.
    pub forced_redirection: u8,
    /// Per-link speed override (`max_move_speed` route attribute).
    pub max_move_speed: Option<f64>,
    /// Probability per day that an agent on this link moves at walking speed.
    pub walk_probability: f64,
}

/// A major route of `major_routes.csv` as Flee's loader gives it to a
/// location (docs/flee-model.md 16.6): the locations to walk through from
/// `from`, `from` itself not included.
#[derive(Debug, Clone, PartialEq)]
pub struct MajorRoute {
    pub from: LocId,
    /// The stops after `from`, the last one the destination (never empty).
    pub via: Vec<LocId>,
    /// The line of `major_routes.csv` the route comes from (for errors).
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosureKind {
    /// Close every link from country A to country B and back.
    Country,
    /// Close all links into and out of a location.
    Location,
    /// Close the route A↔B in both directions (Flee's version is a no-op bug; see README).
    Link,
    /// Turn a camp into a town for the period.
    Camp,
    /// Turn an IDP camp into a town for the period.
    IdpCamp,
    /// Inert flag toggle in Flee; kept for completeness.
    RemoveForcedRedirection,
}

/// One row of `closures.csv`. Only `day == start` and `day == end` trigger actions.
#[derive(Debug, Clone, PartialEq)]
pub struct Closure {
    pub kind: ClosureKind,
    pub name1: String,
    pub name2: String,
    pub start: i64,
    pub end: i64,
}

/// `conflicts.csv`: per named location, the intensity for day `t` at row position `t`;
/// and `location_changes.csv`, which Flee applies in the same step, just before.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConflictTable {
    /// (location, values by day). Unknown names are dropped by the reader.
    pub columns: Vec<(LocId, Vec<f64>)>,
    /// Location type changes, in file order (docs/flee-model.md 14).
    pub type_changes: Vec<LocationChange>,
}

/// One row of `location_changes.csv`: at the start of day `day`, `location`
/// becomes a location of type `kind` (docs/flee-model.md 14.3).
#[derive(Debug, Clone, PartialEq)]
pub struct LocationChange {
    pub location: LocId,
    /// Never [`LocationKind::Other`]: the reader refuses types Flee cannot apply.
    pub kind: LocationKind,
    pub day: i64,
}

/// A whole scenario, before any run-time scaling.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    /// ISO date `YYYY-MM-DD` of day 0.
    pub start_date: String,
    /// Days since 1970-01-01 of day 0, for date arithmetic without a date library.
    pub start_epoch_day: i64,
    /// Number of simulated days `L`.
    pub days: u32,
    pub locations: Vec<Location>,
    pub routes: Vec<Route>,
    pub closures: Vec<Closure>,
    pub conflicts: ConflictTable,
    pub validation: ValidationData,
    pub settings: Settings,
    /// Siege mechanics (corridor's native extension); `None` for Flee scenarios.
    pub siege: Option<SiegeModel>,
    /// Agent attributes drawn at spawn (`demographics_*.csv`); empty for none.
    pub demographics: Demographics,
    /// Food deprivation by region (`region_attributes_IPC.csv`), if given.
    pub ipc: Option<food::IpcTable>,
    /// Flood levels by day and location (`flood_level.csv`), read in flood mode.
    pub flood: Option<flood::FloodLevels>,
    /// Major routes (`major_routes.csv`), per location in file order; used
    /// only with `fixed_routes` (docs/flee-model.md 16.6).
    pub major_routes: Vec<MajorRoute>,
    /// Agents listed in `agents.csv`, created before day 0
    /// (`read_from_agents_csv_file`, docs/flee-model.md 15.4).
    pub initial_agents: demographics::InitialAgents,
}

impl Scenario {
    /// The country of the first location (Flee's "home country").
    pub fn home_country(&self) -> &str {
        self.locations
            .first()
            .map(|l| l.country.as_str())
            .unwrap_or("unknown")
    }

    /// The location called `name`. Where Flee folders repeat a name, the
    /// last location of that name, as Flee's name map resolves it
    /// (docs/flee-model.md 18.12); corridor's own scenarios refuse repeats.
    pub fn location_id(&self, name: &str) -> Option<LocId> {
        self.locations
            .iter()
            .rposition(|l| l.name == name)
            .map(|i| i as LocId)
    }
}

/// Civil date helpers (proleptic Gregorian), so the model needs no date crate.
pub mod date {
    /// Days since 1970-01-01 for a civil date.
    pub fn epoch_day(y: i64, m: u32, d: u32) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = m as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// Civil date for days since 1970-01-01.
    pub fn from_epoch_day(z: i64) -> (i64, u32, u32) {
        let z = z + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (if m <= 2 { y + 1 } else { y }, m, d)
    }

    /// `YYYY-MM-DD` for days since 1970-01-01.
    pub fn iso(z: i64) -> String {
        let (y, m, d) = from_epoch_day(z);
        format!("{y:04}-{m:02}-{d:02}")
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        #[test]
        fn round_trip() {
            assert_eq!(epoch_day(1970, 1, 1), 0);
            assert_eq!(epoch_day(2016, 5, 22), 16943);
            for z in [-800, 0, 59, 60, 16943, 20000, 40000] {
                let (y, m, d) = from_epoch_day(z);
                assert_eq!(epoch_day(y, m, d), z);
            }
            assert_eq!(iso(epoch_day(2012, 2, 29) + 1), "2012-03-01");
        }
    }
}
