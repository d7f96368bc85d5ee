//! Siege mechanics: corridor's extension of the Flee model.
//!
//! A siege scenario starts with people *inside* places (not spawned from camp
//! data). While a place is held, its people leave only by trying: each day a
//! share of households attempts to leave through one of the open exits; the
//! holding force turns some back and shoots at others. Routes that are not
//! open exits are blockaded. River crossings have a daily craft capacity and a
//! drowning risk per person. Screening points separate men and boys from their
//! families and hold them for days; some are never released. Every parameter
//! can change on a given day through [`Intervention`]s, which is how both the
//! historical timeline and what-if variants are written.

use crate::LocId;

/// A piecewise-constant value given as `(from_day, value)` steps.
pub type Schedule = Vec<(i64, f64)>;

#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    pub location: LocId,
    /// People (not households) at day 0.
    pub people: i64,
}

/// A held (besieged) place.
#[derive(Debug, Clone, PartialEq)]
pub struct Hold {
    pub location: LocId,
    /// Daily probability that a trapped household attempts to leave.
    pub attempt_rate: f64,
    /// The place is held from day 0 until this day (exclusive); `None` = whole run.
    pub until_day: Option<i64>,
    /// What its people who never left do once the hold ends at `until_day`.
    pub residents: Residents,
}

/// What the people who never left a held place do once the hold ends: they
/// are counted as *stayed* (not displaced) either way while they are home.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Residents {
    /// They stay home for the rest of the run (daily move chance 0 per household).
    #[default]
    Stay,
    /// They move by Flee's rules from then on, like any other resident.
    Move,
}

/// A camp's shelter and admission limit (`siege.camps`).
#[derive(Debug, Clone, PartialEq)]
pub struct CampShelter {
    pub location: LocId,
    /// People the camp can shelter (tents, halls, schools); people beyond it
    /// are counted *in the open*. 0 = an informal site. `None` = not known
    /// (nobody is counted in the open).
    pub shelter: Option<i64>,
    /// Admission limit in people, which Flee's route choice sees as the camp's
    /// capacity: `None` keeps `locations.csv`; `Some(None)` = unlimited.
    pub admits: Option<Option<i64>>,
    /// Host families, not a camp (`hosts: true`): the people there are
    /// counted `with_hosts`, not in camps (no `in camp` column, no arrivals).
    pub hosts: bool,
}

/// A way out of a held place, with the holding force's fire on it. An exit
/// from a place that is not held is a checkpoint on an ordinary route: its
/// hazards apply, but nothing is blockaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Exit {
    pub from: LocId,
    pub to: LocId,
    pub open: bool,
    /// Probability per attempt that the household is turned back.
    pub turned_back: f64,
    /// Probability per person per attempt of being shot dead.
    pub shot: f64,
    /// Multiplies the route-choice weight of this exit (how strongly people
    /// favour it over the other open exits).
    pub weight: f64,
}

/// A river crossing on improvised craft. It runs one way only, from `from`
/// (the near bank, the dangerous side) to `to` (safety); the reverse link is
/// closed for the whole run. Households that reach the near bank to cross
/// wait there in a queue (first come, first served) until the craft take them.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    pub from: LocId,
    pub to: LocId,
    /// Households taken across per day; `None` = unlimited.
    pub capacity_per_day: Option<u32>,
    /// Probability per person per crossing of drowning.
    pub drowning: f64,
    /// Probability per person per crossing of being shot dead while crossing.
    pub shot_crossing: f64,
    /// Probability per person per day (night) spent waiting in the queue of
    /// being shot dead on the bank.
    pub shot_waiting: f64,
    /// Days a household waits before it may give up; `None` = never gives up.
    pub patience_days: Option<u32>,
    /// Probability per household per day, once its patience is spent, of
    /// giving up: it goes back to the held place it came from, or chooses
    /// another route from the bank.
    pub give_up: f64,
}

/// A screening point that separates men and boys and holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct Screening {
    pub location: LocId,
    pub active: bool,
    /// Held for a whole number of days drawn uniformly from `[min, max]`.
    pub hold_min_days: u32,
    pub hold_max_days: u32,
    /// Probability that a held person is never released during the run.
    pub not_released: f64,
    /// Daily probability per person in custody (waiting to be processed or
    /// held after it, never-released included) of dying there.
    pub death_in_custody: f64,
    /// Households are screened when they arrive at the location.
    pub on_arrival: bool,
    /// Households are screened when they leave it (a held place whose exits
    /// pass a screening point, a checkpoint).
    pub on_departure: bool,
    /// People processed per day (FIFO backlog); `None` = unlimited.
    pub capacity_per_day: Option<u32>,
}

/// Organised transport (buses) from a screening or transit site to camps:
/// each day up to `people_per_day` people (whole households) resting at
/// `from` are carried to the target camps, split by their spare room and
/// never beyond it. A *leg* (`leg: true`) may also end at places that are
/// not camps (a muster point to a screening site): those have no room limit,
/// and the people it carries arrive as if on foot (screened there on arrival).
#[derive(Debug, Clone, PartialEq)]
pub struct Transport {
    pub from: LocId,
    pub to: Vec<LocId>,
    /// People carried per day.
    pub people_per_day: u32,
    pub active: bool,
    /// A leg to any place, whose arrivals pass its screening.
    pub leg: bool,
}

/// Organised transport out of a camp over capacity (buses to newer camps):
/// each day a share of the households above the camp's capacity is moved to
/// the target camps, split by their spare room; nobody is moved to a full camp.
#[derive(Debug, Clone, PartialEq)]
pub struct Relocation {
    pub from: LocId,
    pub to: Vec<LocId>,
    /// Share of the overflow (households above capacity) moved per day, in [0, 1].
    pub share_of_overflow: f64,
}

/// Where the displaced households that may go home are (`siege.returns[].from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnFrom {
    /// Camps proper (not host families).
    Camps,
    /// Host families (`siege.camps[].hosts`).
    Hosts,
    /// Anywhere they rest away from home: camps, host families, towns.
    Any,
}

/// Returns home to a retaken place (`siege.returns`): from `opens_day` on,
/// each household that left `to` (its place at day 0 or where it was
/// created) and rests where `from` says returns home with probability
/// `daily_rate` a day, once it has been away `min_days_away` days. Nobody
/// returns while `to` is held.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    /// The origin place people return to.
    pub to: LocId,
    /// First day returns happen (the place declared open).
    pub opens_day: i64,
    /// Probability per household per day of going home.
    pub daily_rate: f64,
    /// Where the households that may return are (any of the list).
    pub from: Vec<ReturnFrom>,
    /// Days since the household first left before it may return.
    pub min_days_away: u32,
}

/// A named group of origin places whose departures are counted
/// (`siege.departures`): cumulative people who have left any of them, as the
/// series `left:<name>` ("fled West Mosul by date").
#[derive(Debug, Clone, PartialEq)]
pub struct DepartureGroup {
    pub name: String,
    pub from: Vec<LocId>,
}

/// A change to the siege or the network on a given day.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetAttemptRate {
        location: LocId,
        value: f64,
    },
    /// Ends the hold; the people who never left are *stayed* and stay home
    /// or move by Flee's rules as `residents` says.
    LiftSiege {
        location: LocId,
        residents: Residents,
    },
    OpenExit {
        from: LocId,
        to: LocId,
    },
    CloseExit {
        from: LocId,
        to: LocId,
    },
    SetExitHazard {
        from: LocId,
        to: LocId,
        turned_back: Option<f64>,
        shot: Option<f64>,
        weight: Option<f64>,
    },
    SetCrossing {
        from: LocId,
        to: LocId,
        capacity_per_day: Option<Option<u32>>,
        drowning: Option<f64>,
        shot_crossing: Option<f64>,
        shot_waiting: Option<f64>,
        /// `Some(None)`: never give up.
        patience_days: Option<Option<u32>>,
        give_up: Option<f64>,
    },
    /// Closes or reopens a route in both directions (a bridge, a road).
    CloseRoute {
        from: LocId,
        to: LocId,
    },
    OpenRoute {
        from: LocId,
        to: LocId,
    },
    /// Sets a camp's capacity in people: its admission limit, which Flee's
    /// route choice sees (not its shelter; see `SetShelter`).
    SetCampCapacity {
        camp: LocId,
        people: i64,
    },
    /// Starts, changes or (with 0) stops the organised relocation out of a camp.
    SetRelocation {
        from: LocId,
        /// New targets; `None` keeps the current ones.
        to: Option<Vec<LocId>>,
        share_of_overflow: f64,
    },
    SetScreening {
        location: LocId,
        active: Option<bool>,
        hold_days: Option<(u32, u32)>,
        not_released: Option<f64>,
        death_in_custody: Option<f64>,
        /// New `(on_arrival, on_departure)`.
        on: Option<(bool, bool)>,
        /// New processing capacity in people per day (`Some(None)` = unlimited).
        capacity_per_day: Option<Option<u32>>,
    },
    /// Starts or changes the organised transport out of `from`.
    SetTransport {
        from: LocId,
        /// New targets; `None` keeps the current ones.
        to: Option<Vec<LocId>>,
        people_per_day: Option<u32>,
        active: Option<bool>,
    },
    /// Sets a camp's shelter in people (people beyond it are in the open);
    /// admission is not changed.
    SetShelter {
        camp: LocId,
        people: i64,
    },
    /// Changes (or, for a place without one, starts from that day) the
    /// returns to `to`; 0 stops them.
    SetReturn {
        to: LocId,
        daily_rate: f64,
        /// New `min_days_away`; `None` keeps it (0 for a new one).
        min_days_away: Option<u32>,
        /// New `from`; `None` keeps it (`any` for a new one).
        from: Option<Vec<ReturnFrom>>,
    },
}

impl Action {
    /// The action as a scenario file writes it (`open_exit` …).
    pub fn keyword(&self) -> &'static str {
        match self {
            Action::SetAttemptRate { .. } => "set_attempt_rate",
            Action::LiftSiege { .. } => "lift_siege",
            Action::OpenExit { .. } => "open_exit",
            Action::CloseExit { .. } => "close_exit",
            Action::SetExitHazard { .. } => "set_exit",
            Action::SetCrossing { .. } => "set_crossing",
            Action::CloseRoute { .. } => "close_route",
            Action::OpenRoute { .. } => "open_route",
            Action::SetCampCapacity { .. } => "set_camp_capacity",
            Action::SetRelocation { .. } => "set_relocation",
            Action::SetScreening { .. } => "set_screening",
            Action::SetShelter { .. } => "set_shelter",
            Action::SetTransport { .. } => "set_transport",
            Action::SetReturn { .. } => "set_return",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Intervention {
    pub day: i64,
    pub action: Action,
    /// Free text shown in reports ("al-Salam corridor opens").
    pub note: String,
}

/// An observed count used for validation (never used to drive the run), with
/// its source's uncertainty: a range (`low` and `high`), a lower bound (`low`),
/// an upper bound (`high`) or one number (`observed` only, scored within ±25 %).
/// `observed` may accompany a range or bound as the source's central figure.
/// Scored by [`Observation::score`](crate::observations).
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub day: i64,
    /// What is counted, as [`crate::observations::Observable`] parses it.
    pub what: String,
    pub observed: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub source: String,
}

/// A date at which `compare` reports each variant's band and their difference.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyDate {
    pub day: i64,
    pub label: String,
}

/// Everything a besieged scenario adds to a Flee scenario.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiegeModel {
    /// People one agent stands for (a household; IOM counts 6 per family). 1 = one agent per person.
    pub people_per_agent: u32,
    /// Share of people who are men and boys at or above the screening age.
    pub screened_share: f64,
    pub populations: Vec<Population>,
    pub holds: Vec<Hold>,
    pub exits: Vec<Exit>,
    pub crossings: Vec<Crossing>,
    pub screenings: Vec<Screening>,
    pub relocations: Vec<Relocation>,
    pub interventions: Vec<Intervention>,
    pub observations: Vec<Observation>,
    /// Shelter and admission limits of camps (`siege.camps`).
    pub camps: Vec<CampShelter>,
    /// The parameter ranges (a parameter-space file, as `calibrate` reads it)
    /// that `report` and `compare` sample by default; relative to the scenario folder
    /// as written, resolved to a path by the reader.
    pub uncertainty: Option<std::path::PathBuf>,
    /// Dates at which `compare` reports the variants (sorted by day).
    pub key_dates: Vec<KeyDate>,
    pub transport: Vec<Transport>,
    /// Returns home to retaken places (`siege.returns`).
    pub returns: Vec<Return>,
    /// Groups of origins whose departures are counted (`siege.departures`).
    pub departures: Vec<DepartureGroup>,
}
