//! Siege mechanics (corridor's extension of Flee; the model is described in
//! `corridor_model::siege`). Hooks run inside the daily pipeline:
//!
//! * interventions (after closures): apply the day's scheduled changes, keep
//!   held places blockaded and their move chance at the attempt rate;
//! * departure (when an agent steps onto a link): exit fire and turn-backs,
//!   river-crossing capacity and drowning;
//! * arrival: screening separates men and boys and holds them;
//! * release (end of day): held people are freed or die in custody, and the
//!   day's fates are tallied. Every person is in exactly one fate each day.

use crate::events::{Cause, Event, Observer};
use crate::rng::{uniform, Purpose};
use crate::{EngineError, Simulation, INACTIVE, ON_LINK};
use corridor_model::siege::{Action, SiegeModel};
use std::collections::HashMap;

const LEFT: u8 = 1;
const FAMILY: u8 = 2;
const DETAINED: u8 = 4;
const DEAD: u8 = 8;
const NEVER_RELEASED: u8 = 16;
/// Hazard draw sub-streams (the kind part of the counter key's `k`).
const K_TURNED_BACK: u32 = 0;
const K_SHOT: u32 = 1;
const K_DROWN: u32 = 2;
const K_SCREEN: u32 = 3;
const K_CUSTODY: u32 = 4;

/// The `k` of a hazard draw: its kind, the link or place where it happens and
/// the person in the household, so that no number is reused by one agent on
/// one day even when it meets several hazards.
#[inline]
fn hazard_k(kind: u32, place: u32, person: u32) -> u32 {
    (kind << 28) | ((place & 0xf_ffff) << 8) | (person & 0xff)
}

/// Splits `k` over slots in proportion to `room` (whole numbers, largest
/// remainder, ties to the earlier slot); no slot gets more than its room when
/// `k` does not exceed the total.
fn largest_remainder(k: usize, room: &[i64]) -> Vec<usize> {
    let total: i64 = room.iter().sum();
    if total <= 0 {
        return vec![0; room.len()];
    }
    let exact: Vec<f64> = room
        .iter()
        .map(|&r| k as f64 * r as f64 / total as f64)
        .collect();
    let mut q: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..room.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let short = k - q.iter().sum::<usize>();
    for &i in order.iter().take(short) {
        q[i] += 1;
    }
    q
}

/// People in each fate at the end of one day. Fields added after the first
/// release default to 0 when an older summary.json is read back.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FateDay {
    pub day: i64,
    pub date: String,
    /// Still inside a place they have never left.
    pub trapped: i64,
    /// Left home, not in a camp, not held: on the road or at a town or checkpoint.
    pub in_transit: i64,
    pub detained: i64,
    /// People in each camp (same order as `SiegeReport::camps`).
    pub in_camp: Vec<i64>,
    pub dead_shot: i64,
    pub dead_drowned: i64,
    pub dead_in_custody: i64,
    /// Families (households) that have reached a camp, counted once each.
    #[serde(default)]
    pub families_in_camps: i64,
    /// Cumulative attempts to leave a held place, and how many were turned back.
    #[serde(default)]
    pub attempts: i64,
    #[serde(default)]
    pub turned_back: i64,
    /// Cumulative people moved between camps by organised relocation.
    #[serde(default)]
    pub relocated: i64,
}

impl FateDay {
    pub fn arrived(&self) -> i64 {
        self.in_camp.iter().sum()
    }
    pub fn dead(&self) -> i64 {
        self.dead_shot + self.dead_drowned + self.dead_in_custody
    }
    /// People alive who have left home: the quantity displacement trackers count.
    pub fn displaced(&self) -> i64 {
        self.in_transit + self.detained + self.arrived()
    }
    pub fn total(&self) -> i64 {
        self.trapped + self.in_transit + self.detained + self.arrived() + self.dead()
    }
}

/// One observed number next to the simulated one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Comparison {
    pub day: i64,
    pub date: String,
    pub what: String,
    pub observed: f64,
    pub simulated: f64,
    #[serde(default)]
    pub source: String,
}

impl Comparison {
    pub fn relative_error(&self) -> f64 {
        (self.simulated - self.observed) / self.observed.max(1.0)
    }
}

/// The siege-specific results of a run (written to summary.json and read
/// back by `corridor report`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SiegeReport {
    pub people: i64,
    pub people_per_agent: u32,
    pub camps: Vec<String>,
    pub days: Vec<FateDay>,
    #[serde(default)]
    pub comparisons: Vec<Comparison>,
    /// Day and description of each intervention applied.
    #[serde(default)]
    pub interventions: Vec<(i64, String)>,
}

impl SiegeReport {
    /// Mean absolute relative error over the observations of one kind.
    pub fn mean_abs_relative_error(&self, what: &str) -> Option<f64> {
        let v: Vec<f64> = self
            .comparisons
            .iter()
            .filter(|c| c.what == what)
            .map(|c| c.relative_error().abs())
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }

    /// The daily fates as CSV, in people.
    pub fn fates_csv(&self) -> String {
        let mut s = String::from("day,date,trapped,in_transit,detained,");
        for c in &self.camps {
            s.push_str(&format!("in camp {},", c.replace(',', " ")));
        }
        s.push_str("arrived,displaced,dead_shot,dead_drowned,dead_in_custody,families_in_camps,attempts,turned_back,relocated,total\n");
        for d in &self.days {
            s.push_str(&format!(
                "{},{},{},{},{},",
                d.day, d.date, d.trapped, d.in_transit, d.detained
            ));
            for v in &d.in_camp {
                s.push_str(&format!("{v},"));
            }
            s.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{}\n",
                d.arrived(),
                d.displaced(),
                d.dead_shot,
                d.dead_drowned,
                d.dead_in_custody,
                d.families_in_camps,
                d.attempts,
                d.turned_back,
                d.relocated,
                d.total()
            ));
        }
        s
    }

    /// A readable summary for the terminal.
    pub fn print_summary(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let Some(last) = self.days.last() else {
            return Ok(());
        };
        let n = |v: i64| thousands(v);
        writeln!(
            w,
            "\npeople: {} ({} per agent)",
            n(self.people),
            self.people_per_agent
        )?;
        writeln!(w, "\nfate on {}              people", last.date)?;
        for (i, c) in self.camps.iter().enumerate() {
            let first = self
                .days
                .iter()
                .find(|d| d.in_camp[i] > 0)
                .map(|d| format!("first arrivals {}", d.date))
                .unwrap_or_else(|| "no arrivals".into());
            writeln!(w, "  in camp {:<24} {:>9}   {first}", c, n(last.in_camp[i]))?;
        }
        writeln!(w, "  {:<32} {:>9}", "trapped", n(last.trapped))?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "in transit (roads, towns)",
            n(last.in_transit)
        )?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "detained at screening",
            n(last.detained)
        )?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "dead: shot while leaving",
            n(last.dead_shot)
        )?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "dead: drowned crossing",
            n(last.dead_drowned)
        )?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "dead: in custody",
            n(last.dead_in_custody)
        )?;
        writeln!(w, "  {:<32} {:>9}", "total", n(last.total()))?;
        writeln!(
            w,
            "  families in camps {} · attempts to leave {} · turned back {}",
            n(last.families_in_camps),
            n(last.attempts),
            n(last.turned_back)
        )?;
        if last.relocated > 0 {
            writeln!(
                w,
                "  moved between camps by organised relocation {}",
                n(last.relocated)
            )?;
        }
        if !self.comparisons.is_empty() {
            writeln!(w, "\nobserved vs simulated")?;
            writeln!(
                w,
                "  {:<11} {:<12} {:>10} {:>10} {:>8}",
                "date", "what", "observed", "simulated", "error"
            )?;
            for c in &self.comparisons {
                writeln!(
                    w,
                    "  {:<11} {:<12} {:>10} {:>10} {:>+7.1}%",
                    c.date,
                    c.what,
                    n(c.observed.round() as i64),
                    n(c.simulated.round() as i64),
                    100.0 * c.relative_error()
                )?;
            }
            for what in ["displaced", "in_camps"] {
                if let Some(e) = self.mean_abs_relative_error(what) {
                    writeln!(w, "  mean |relative error|, {what}: {:.1}%", 100.0 * e)?;
                }
            }
        }
        Ok(())
    }
}

/// An integer with thousands separators: 85374 → "85,374".
pub fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Run-time state of the siege extension.
pub struct SiegeState {
    model: SiegeModel,
    ppa: u32,
    /// Per location: attempt rate while held.
    held: Vec<Option<f64>>,
    /// Held places' links that the blockade closed (to reopen when lifted).
    exit_index: HashMap<(u32, u32), usize>,
    crossing_index: HashMap<(u32, u32), usize>,
    crossings_today: Vec<u32>,
    screening_at: Vec<Option<usize>>,
    // Per-agent arrays, parallel to the engine's.
    people: Vec<u8>,
    men: Vec<u8>,
    flags: Vec<u8>,
    hold_until: Vec<i32>,
    held_at: Vec<u32>,
    detained_list: Vec<u32>,
    dead: [i64; 3],
    attempts: i64,
    turned_back: i64,
    relocated: i64,
    report: SiegeReport,
    camps: Vec<u32>,
    day: i64,
}

impl SiegeState {
    pub(crate) fn new(model: &SiegeModel, sim: &Simulation) -> Result<Self, EngineError> {
        let n = sim.scenario.locations.len();
        let ppa = model.people_per_agent.clamp(1, 255);
        if !(0.0..=1.0).contains(&model.screened_share) {
            return Err(EngineError::Siege(format!(
                "screened_share must lie in [0, 1], got {}",
                model.screened_share
            )));
        }
        let mut held = vec![None; n];
        for h in &model.holds {
            held[h.location as usize] = Some(h.attempt_rate);
        }
        let mut screening_at = vec![None; n];
        for (i, s) in model.screenings.iter().enumerate() {
            if s.hold_min_days > s.hold_max_days {
                return Err(EngineError::Siege(format!(
                    "screening at '{}': hold_min_days {} exceeds hold_max_days {}",
                    sim.scenario.locations[s.location as usize].name,
                    s.hold_min_days,
                    s.hold_max_days
                )));
            }
            screening_at[s.location as usize] = Some(i);
        }
        // A set_relocation without `to:` changes an existing relocation, so one
        // must be set up (in `relocations:` or an earlier intervention) first.
        let mut has_targets: Vec<u32> = model.relocations.iter().map(|r| r.from).collect();
        let mut by_day: Vec<_> = model.interventions.iter().collect();
        by_day.sort_by_key(|i| i.day);
        for iv in by_day {
            if let Action::SetRelocation { from, to, .. } = &iv.action {
                if to.is_some() {
                    has_targets.push(*from);
                } else if !has_targets.contains(from) {
                    return Err(EngineError::Siege(format!(
                        "set_relocation on day {} out of '{}' has no `to:` and no earlier relocation from there\n  hint: add `to: [<camp>, ...]`",
                        iv.day, sim.scenario.locations[*from as usize].name
                    )));
                }
            }
        }
        let exit_index = model
            .exits
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.from, e.to), i))
            .collect();
        let mut crossing_index = HashMap::new();
        for (i, c) in model.crossings.iter().enumerate() {
            crossing_index.insert((c.from, c.to), i);
            crossing_index.insert((c.to, c.from), i);
        }
        let camps: Vec<u32> = (0..n as u32)
            .filter(|&l| sim.places.camp[l as usize])
            .collect();
        let mut state = SiegeState {
            ppa,
            held,
            exit_index,
            crossing_index,
            crossings_today: vec![0; model.crossings.len()],
            screening_at,
            people: Vec::new(),
            men: Vec::new(),
            flags: Vec::new(),
            hold_until: Vec::new(),
            held_at: Vec::new(),
            detained_list: Vec::new(),
            dead: [0; 3],
            attempts: 0,
            turned_back: 0,
            relocated: 0,
            report: SiegeReport {
                people_per_agent: ppa,
                camps: camps
                    .iter()
                    .map(|&c| sim.scenario.locations[c as usize].name.clone())
                    .collect(),
                ..SiegeReport::default()
            },
            camps,
            model: model.clone(),
            day: 0,
        };
        state.extend_households(sim, 0, None);
        Ok(state)
    }

    /// Gives agents from `first` on their household composition. With
    /// `people`, the households share that many people; otherwise each has `ppa`.
    fn extend_households(&mut self, sim: &Simulation, first: usize, people: Option<i64>) {
        let n = sim.agents.len();
        let key = crate::rng::day_key(sim.seed, -1);
        let mut remaining = people.unwrap_or(i64::MAX);
        for a in first..n {
            let size = (self.ppa as i64).min(remaining).max(1) as u8;
            remaining -= size as i64;
            let mut men = 0u8;
            for i in 0..size as u32 {
                if uniform(key, a as u64, Purpose::Demography, i) < self.model.screened_share {
                    men += 1;
                }
            }
            self.people.push(size);
            self.men.push(men);
            self.flags.push(FAMILY);
            self.hold_until.push(0);
            self.held_at.push(0);
        }
    }

    /// Places the initial populations and blockades held places.
    pub(crate) fn populate(sim: &mut Simulation) {
        let Some(mut s) = sim.siege.take() else {
            return;
        };
        for p in s.model.populations.clone() {
            let households = (p.people + s.ppa as i64 - 1) / s.ppa as i64;
            let first = sim.add_agents(p.location, households.max(0) as usize);
            s.extend_households(sim, first, Some(p.people));
            s.report.people += p.people;
        }
        // Camp capacities are given in people; the engine counts agents.
        if s.ppa > 1 {
            for l in 0..sim.places.capacity.len() {
                if sim.places.capacity[l] > 0 {
                    sim.places.capacity[l] = (sim.places.capacity[l] / s.ppa as i64).max(1);
                }
            }
        }
        for l in 0..s.held.len() {
            if s.held[l].is_some() {
                s.blockade(sim, l as u32);
            }
        }
        sim.rebuild_candidates();
        sim.siege = Some(s);
    }

    /// Closes every link into or out of a held place except its open exits.
    fn blockade(&self, sim: &mut Simulation, loc: u32) {
        let exits: Vec<(u32, u32)> = self
            .model
            .exits
            .iter()
            .filter(|e| e.open)
            .map(|e| (e.from, e.to))
            .collect();
        sim.net.close_where(false, |l| {
            (l.from == loc || l.to == loc) && !exits.contains(&(l.from, l.to))
        });
        sim.net
            .open_where(|l| exits.contains(&(l.from, l.to)) && l.from == loc);
    }

    pub(crate) fn stage_interventions(
        &mut self,
        sim: &mut Simulation,
        t: i64,
        obs: &mut impl Observer,
    ) {
        self.day = t;
        self.crossings_today.iter_mut().for_each(|c| *c = 0);
        let mut topology = false;
        // Holds with an end day are lifted like a `lift_siege` intervention.
        let ends: Vec<_> = self
            .model
            .holds
            .iter()
            .filter(|h| h.until_day == Some(t))
            .map(|h| corridor_model::siege::Intervention {
                day: t,
                action: Action::LiftSiege {
                    location: h.location,
                },
                note: "end of hold".into(),
            })
            .collect();
        let todays: Vec<_> = ends
            .into_iter()
            .chain(
                self.model
                    .interventions
                    .iter()
                    .filter(|i| i.day == t)
                    .cloned(),
            )
            .collect();
        for iv in todays {
            let name = |l: u32| sim.scenario.locations[l as usize].name.clone();
            let text = match &iv.action {
                Action::SetAttemptRate { location, value } => {
                    if self.held[*location as usize].is_some() {
                        self.held[*location as usize] = Some(*value);
                    }
                    format!("attempt rate at {} = {value}", name(*location))
                }
                Action::LiftSiege { location } => {
                    self.held[*location as usize] = None;
                    let l = *location;
                    sim.net.open_where(|k| k.from == l || k.to == l);
                    topology = true;
                    format!("siege of {} lifted", name(l))
                }
                Action::OpenExit { from, to } | Action::CloseExit { from, to } => {
                    let open = matches!(iv.action, Action::OpenExit { .. });
                    if let Some(&i) = self.exit_index.get(&(*from, *to)) {
                        self.model.exits[i].open = open;
                    }
                    if self.held[*from as usize].is_some() {
                        let (f, to_) = (*from, *to);
                        if open {
                            sim.net.open_where(|k| k.from == f && k.to == to_);
                        } else {
                            sim.net.close_where(false, |k| k.from == f && k.to == to_);
                        }
                        topology = true;
                    }
                    format!(
                        "exit {} → {} {}",
                        name(*from),
                        name(*to),
                        if open { "opens" } else { "closes" }
                    )
                }
                Action::SetExitHazard {
                    from,
                    to,
                    turned_back,
                    shot,
                    weight,
                } => {
                    if let Some(&i) = self.exit_index.get(&(*from, *to)) {
                        let e = &mut self.model.exits[i];
                        if let Some(v) = turned_back {
                            e.turned_back = *v;
                        }
                        if let Some(v) = shot {
                            e.shot = *v;
                        }
                        if let Some(v) = weight {
                            e.weight = *v;
                        }
                    }
                    format!("exit {} → {} hazards changed", name(*from), name(*to))
                }
                Action::SetCrossing {
                    from,
                    to,
                    capacity_per_day,
                    drowning,
                } => {
                    if let Some(&i) = self.crossing_index.get(&(*from, *to)) {
                        let c = &mut self.model.crossings[i];
                        if let Some(v) = capacity_per_day {
                            c.capacity_per_day = *v;
                        }
                        if let Some(v) = drowning {
                            c.drowning = *v;
                        }
                    }
                    format!("crossing {} ↔ {} changed", name(*from), name(*to))
                }
                Action::CloseRoute { from, to } | Action::OpenRoute { from, to } => {
                    let close = matches!(iv.action, Action::CloseRoute { .. });
                    let (x, y) = (*from, *to);
                    let pred = |k: &crate::network::Link| {
                        (k.from == x && k.to == y) || (k.from == y && k.to == x)
                    };
                    let links = if close {
                        sim.net
                            .close_where(sim.settings.compat.closed_link_bounce, pred)
                    } else {
                        sim.net.open_where(pred)
                    };
                    topology = true;
                    obs.event(
                        t,
                        &Event::LinksChanged {
                            what: format!("{} - {}", name(x), name(y)),
                            closed: close,
                            links,
                        },
                    );
                    format!(
                        "route {} – {} {}",
                        name(x),
                        name(y),
                        if close { "closed" } else { "opened" }
                    )
                }
                Action::SetCampCapacity { camp, people } => {
                    sim.places.capacity[*camp as usize] = (people / self.ppa as i64).max(1);
                    format!("capacity of {} = {people} people", name(*camp))
                }
                Action::SetRelocation {
                    from,
                    to,
                    share_of_overflow,
                } => {
                    let rs = &mut self.model.relocations;
                    match rs.iter_mut().find(|r| r.from == *from) {
                        Some(r) => {
                            r.share_of_overflow = *share_of_overflow;
                            if let Some(to) = to {
                                r.to = to.clone();
                            }
                        }
                        // Checked in `new`: a new relocation has targets.
                        None => rs.push(corridor_model::siege::Relocation {
                            from: *from,
                            to: to.clone().unwrap_or_default(),
                            share_of_overflow: *share_of_overflow,
                        }),
                    }
                    let r = rs.iter().find(|r| r.from == *from).expect("just set");
                    let targets: Vec<String> = r.to.iter().map(|&c| name(c)).collect();
                    format!(
                        "relocation from {} to {}: {} of the overflow a day",
                        name(*from),
                        targets.join(", "),
                        share_of_overflow
                    )
                }
                Action::SetScreening {
                    location,
                    active,
                    hold_days,
                    not_released,
                    death_in_custody,
                } => {
                    if let Some(i) = self.screening_at[*location as usize] {
                        let s = &mut self.model.screenings[i];
                        if let Some(v) = active {
                            s.active = *v;
                        }
                        if let Some((lo, hi)) = hold_days {
                            s.hold_min_days = *lo;
                            s.hold_max_days = (*hi).max(*lo);
                        }
                        if let Some(v) = not_released {
                            s.not_released = *v;
                        }
                        if let Some(v) = death_in_custody {
                            s.death_in_custody = *v;
                        }
                    }
                    format!("screening at {} changed", name(*location))
                }
            };
            let text = if iv.note.is_empty() {
                text
            } else {
                format!("{text} ({})", iv.note)
            };
            self.report.interventions.push((t, text));
        }
        if topology {
            sim.rebuild_candidates();
        }
    }

    /// The daily attempt rate for an agent that has never left the held place it is in.
    #[inline]
    pub(crate) fn hold_rate(&self, a: usize, loc: u32) -> Option<f64> {
        let rate = self.held[loc as usize]?;
        (self.flags.get(a).is_some_and(|f| f & LEFT == 0)).then_some(rate)
    }

    /// Scales route-choice weights of candidates leaving held places by the
    /// weight of the exit they start with (called after scores are refreshed).
    pub(crate) fn adjust_weights(&self, sim: &mut Simulation) {
        for (l, h) in self.held.iter().enumerate() {
            if h.is_none() {
                continue;
            }
            for c in sim.net.candidates_of(l as u32) {
                let first = sim.net.paths.get(sim.net.candidates[c].path)[0];
                if let Some(&i) = self.exit_index.get(&(l as u32, first)) {
                    sim.cand_base[c] *= self.model.exits[i].weight;
                }
            }
        }
    }

    pub(crate) fn on_spawned(&mut self, sim: &mut Simulation, first: usize) {
        self.extend_households(sim, first, None);
    }

    fn kill(&mut self, a: usize, deaths: u8, cause: Cause, t: i64, obs: &mut impl Observer) {
        if deaths == 0 {
            return;
        }
        // Deaths fall on men and on others in proportion, person by person.
        let men_dead = ((deaths as u32 * self.men[a] as u32) / self.people[a].max(1) as u32) as u8;
        self.men[a] -= men_dead.min(self.men[a]);
        self.people[a] -= deaths;
        self.dead[cause as usize] += deaths as i64;
        obs.event(
            t,
            &Event::Died {
                agent: a as u64,
                cause,
                people: deaths as u32,
            },
        );
    }

    fn remove(&mut self, sim: &mut Simulation, a: usize) {
        let loc = sim.agents.loc[a];
        if loc & ON_LINK == 0 {
            sim.places.agents[loc as usize] -= 1;
        }
        sim.agents.loc[a] = INACTIVE;
        sim.agents.route[a] = 0;
        self.flags[a] |= DEAD;
    }

    fn binomial_deaths(&self, key: u64, a: usize, kind: u32, place: u32, p: f64) -> u8 {
        if p <= 0.0 {
            return 0;
        }
        (0..self.people[a] as u32)
            .filter(|&i| uniform(key, a as u64, Purpose::Hazard, hazard_k(kind, place, i)) < p)
            .count() as u8
    }

    /// Returns true when the departure does not happen (turned back, killed,
    /// no room on the craft).
    pub(crate) fn on_departure(
        &mut self,
        sim: &mut Simulation,
        a: usize,
        from: u32,
        link: u32,
        t: i64,
        obs: &mut impl Observer,
    ) -> bool {
        let to = sim.net.links[link as usize].to;
        let key = sim.day_key;
        if let Some(&i) = self.exit_index.get(&(from, to)) {
            let exit = self.model.exits[i].clone();
            let held = self.held[from as usize].is_some();
            if held {
                self.attempts += self.people[a] as i64;
            }
            if uniform(
                key,
                a as u64,
                Purpose::Hazard,
                hazard_k(K_TURNED_BACK, link, 0),
            ) < exit.turned_back
            {
                if held {
                    self.turned_back += self.people[a] as i64;
                }
                obs.event(
                    t,
                    &Event::TurnedBack {
                        agent: a as u64,
                        location: from,
                    },
                );
                return true;
            }
            let d = self.binomial_deaths(key, a, K_SHOT, link, exit.shot);
            self.kill(a, d, Cause::Shot, t, obs);
            if self.people[a] == 0 {
                self.remove(sim, a);
                return true;
            }
        }
        if let Some(&i) = self.crossing_index.get(&(from, to)) {
            let c = &self.model.crossings[i];
            if c.capacity_per_day
                .is_some_and(|cap| self.crossings_today[i] >= cap)
            {
                // No craft left today: wait on the bank and try again tomorrow.
                sim.agents.route[a] = sim.net.paths.intern(&[to]);
                sim.agents.route_pos[a] = 0;
                return true;
            }
            self.crossings_today[i] += 1;
            let d = self.binomial_deaths(key, a, K_DROWN, link, c.drowning);
            self.kill(a, d, Cause::Drowned, t, obs);
            if self.people[a] == 0 {
                self.remove(sim, a);
                return true;
            }
        }
        self.flags[a] |= LEFT;
        false
    }

    /// Returns true when the arriving agent is held (and so stops for today).
    pub(crate) fn on_arrival(
        &mut self,
        sim: &mut Simulation,
        a: usize,
        at: u32,
        t: i64,
        obs: &mut impl Observer,
    ) -> bool {
        let Some(si) = self.screening_at[at as usize] else {
            return false;
        };
        let s = self.model.screenings[si].clone();
        if !s.active || self.men[a] == 0 || self.flags[a] & DETAINED != 0 || self.hold_until[a] != 0
        {
            return false;
        }
        let key = sim.day_key;
        let span = (s.hold_max_days - s.hold_min_days + 1) as f64;
        let u = uniform(key, a as u64, Purpose::Hazard, hazard_k(K_SCREEN, at, 0));
        let days = s.hold_min_days as i64 + ((u * span) as i64).min(span as i64 - 1);
        let never =
            uniform(key, a as u64, Purpose::Hazard, hazard_k(K_SCREEN, at, 1)) < s.not_released;
        let men = self.men[a];
        let detainee = if men == self.people[a] {
            // Only men in this household: the whole agent is held.
            sim.places.agents[at as usize] -= 1;
            sim.agents.loc[a] = INACTIVE;
            sim.agents.route[a] = 0;
            a
        } else {
            self.people[a] -= men;
            self.men[a] = 0;
            let b = sim.agents.len();
            sim.agents.push(INACTIVE);
            sim.agents.flags[b] = sim.agents.flags[a];
            self.people.push(men);
            self.men.push(men);
            self.flags.push(self.flags[a] & LEFT);
            self.hold_until.push(0);
            self.held_at.push(0);
            b
        };
        self.flags[detainee] |= DETAINED | if never { NEVER_RELEASED } else { 0 };
        // Non-zero hold_until also marks "already screened".
        self.hold_until[detainee] = (t + days.max(1)) as i32;
        self.held_at[detainee] = at;
        self.detained_list.push(detainee as u32);
        obs.event(
            t,
            &Event::Detained {
                agent: detainee as u64,
                location: at,
                people: men as u32,
                until_day: if never { -1 } else { t + days },
            },
        );
        detainee == a
    }

    /// End of day: releases, deaths in custody, and the day's fates.
    pub(crate) fn stage_release(&mut self, sim: &mut Simulation, t: i64, obs: &mut impl Observer) {
        let key = sim.day_key;
        let mut still = Vec::with_capacity(self.detained_list.len());
        for &b in &self.detained_list.clone() {
            let b = b as usize;
            if self.flags[b] & NEVER_RELEASED != 0 || (self.hold_until[b] as i64) > t + 1 {
                still.push(b as u32);
                continue;
            }
            let at = self.held_at[b];
            let s = &self.model.screenings[self.screening_at[at as usize].unwrap_or(0)];
            let d = self.binomial_deaths(key, b, K_CUSTODY, at, s.death_in_custody);
            self.kill(b, d, Cause::DiedInCustody, t, obs);
            self.flags[b] &= !DETAINED;
            if self.people[b] == 0 {
                self.flags[b] |= DEAD;
                continue;
            }
            sim.agents.loc[b] = at;
            sim.places.agents[at as usize] += 1;
            obs.event(
                t,
                &Event::Released {
                    agent: b as u64,
                    location: at,
                    people: self.people[b] as u32,
                },
            );
        }
        self.detained_list = still;
        self.relocate(sim, t, obs);
        self.tally(sim, t);
    }

    /// Organised relocation at the end of the day: for each camp with a
    /// relocation, `share_of_overflow` of the households above its capacity
    /// (rounded) are bused to its target camps, split by their spare room by
    /// largest remainder, and never more than that room. Who goes is drawn
    /// per household (counter-based, so the same whatever the threads).
    fn relocate(&mut self, sim: &mut Simulation, t: i64, obs: &mut impl Observer) {
        let key = sim.day_key;
        for ri in 0..self.model.relocations.len() {
            let r = &self.model.relocations[ri];
            let from = r.from as usize;
            let overflow = sim.places.agents[from] - sim.places.capacity[from];
            if r.share_of_overflow <= 0.0 || overflow <= 0 {
                continue;
            }
            let spare: Vec<i64> = r
                .to
                .iter()
                .map(|&c| (sim.places.capacity[c as usize] - sim.places.agents[c as usize]).max(0))
                .collect();
            let room: i64 = spare.iter().sum();
            let k = ((r.share_of_overflow * overflow as f64).round() as i64).min(room) as usize;
            if k == 0 {
                continue;
            }
            let quotas = largest_remainder(k, &spare);
            let targets = r.to.clone();
            let mut here: Vec<(f64, u32)> = (0..sim.agents.len())
                .filter(|&a| sim.agents.loc[a] == from as u32)
                .map(|a| {
                    let u = uniform(key, a as u64, Purpose::Relocation, from as u32);
                    (u, a as u32)
                })
                .collect();
            if k < here.len() {
                here.select_nth_unstable_by(k, |x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                here.truncate(k);
            }
            let mut chosen: Vec<u32> = here.into_iter().map(|(_, a)| a).collect();
            chosen.sort_unstable();
            let mut slots = targets
                .iter()
                .zip(&quotas)
                .flat_map(|(&c, &q)| std::iter::repeat_n(c, q));
            for a in chosen {
                let Some(to) = slots.next() else { break };
                let a = a as usize;
                sim.places.agents[from] -= 1;
                sim.places.agents[to as usize] += 1;
                sim.agents.loc[a] = to;
                sim.agents.route[a] = 0;
                sim.agents.route_pos[a] = 0;
                self.relocated += self.people[a] as i64;
                obs.event(
                    t,
                    &Event::Relocated {
                        agent: a as u64,
                        from: from as u32,
                        to,
                        people: self.people[a] as u32,
                    },
                );
            }
        }
    }

    fn tally(&mut self, sim: &Simulation, t: i64) {
        let mut camp_slot = vec![usize::MAX; sim.places.camp.len()];
        for (i, &c) in self.camps.iter().enumerate() {
            camp_slot[c as usize] = i;
        }
        let mut d = FateDay {
            day: t,
            date: corridor_model::date::iso(sim.scenario.start_epoch_day + t),
            in_camp: vec![0; self.camps.len()],
            dead_shot: self.dead[Cause::Shot as usize],
            dead_drowned: self.dead[Cause::Drowned as usize],
            dead_in_custody: self.dead[Cause::DiedInCustody as usize],
            attempts: self.attempts,
            turned_back: self.turned_back,
            relocated: self.relocated,
            ..FateDay::default()
        };
        for a in 0..self.people.len() {
            let people = self.people[a] as i64;
            let flags = self.flags[a];
            if flags & DEAD != 0 || people == 0 {
                continue;
            }
            if flags & DETAINED != 0 {
                d.detained += people;
                continue;
            }
            let loc = sim.agents.loc[a];
            if loc & ON_LINK == 0 && camp_slot[loc as usize] != usize::MAX {
                d.in_camp[camp_slot[loc as usize]] += people;
                if flags & FAMILY != 0 {
                    d.families_in_camps += 1;
                }
            } else if flags & LEFT == 0 {
                d.trapped += people;
            } else {
                d.in_transit += people;
            }
        }
        self.report.days.push(d);
    }

    /// People per output camp today (for out.csv in people).
    pub(crate) fn camp_people(&self, loc: u32) -> Option<i64> {
        let i = self.camps.iter().position(|&c| c == loc)?;
        self.report.days.last().map(|d| d.in_camp[i])
    }

    pub(crate) fn report(&self, sim: &Simulation) -> SiegeReport {
        let mut r = self.report.clone();
        r.comparisons = self
            .model
            .observations
            .iter()
            .filter_map(|o| {
                let d = r.days.iter().find(|d| d.day == o.day)?;
                let simulated = match o.what.as_str() {
                    "displaced" => d.displaced(),
                    "in_camps" => d.arrived(),
                    "dead" => d.dead(),
                    "detained" => d.detained,
                    camp => {
                        let i = r.camps.iter().position(|c| c == camp)?;
                        d.in_camp[i]
                    }
                } as f64;
                Some(Comparison {
                    day: o.day,
                    date: corridor_model::date::iso(sim.scenario.start_epoch_day + o.day),
                    what: o.what.clone(),
                    observed: o.people,
                    simulated,
                    source: o.source.clone(),
                })
            })
            .collect();
        r
    }
}

#[cfg(test)]
mod tests {
    use super::largest_remainder;

    #[test]
    fn largest_remainder_splits_by_room_and_never_beyond_it() {
        assert_eq!(largest_remainder(3, &[100, 200]), vec![1, 2]);
        assert_eq!(largest_remainder(1, &[1, 1]), vec![1, 0]); // ties to the earlier slot
        assert_eq!(largest_remainder(5, &[0, 7]), vec![0, 5]);
        assert_eq!(largest_remainder(0, &[3, 4]), vec![0, 0]);
        assert_eq!(largest_remainder(4, &[0, 0]), vec![0, 0]);
        for k in 0..=10usize {
            let room = [3i64, 0, 5, 2];
            let q = largest_remainder(k, &room);
            assert_eq!(q.iter().sum::<usize>(), k);
            assert!(
                q.iter().zip(room).all(|(&q, r)| q as i64 <= r),
                "{k}: {q:?}"
            );
        }
    }
}
