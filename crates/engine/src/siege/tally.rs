//! The daily tally of fates, the people per camp for the output table, and
//! the report with observed-vs-simulated comparisons.

use super::{Comparison, FateDay, SiegeReport, SiegeState, DEAD, DETAINED, FAMILY, LEFT, QUEUED};
use crate::events::Cause;
use crate::world::World;

impl SiegeState {
    /// Counts every person in exactly one fate at the end of day `t`.
    pub(super) fn tally(&mut self, world: &World, t: i64) {
        let mut camp_slot = vec![usize::MAX; world.locations()];
        for (i, &c) in self.camps.iter().enumerate() {
            camp_slot[c as usize] = i;
        }
        let mut d = FateDay {
            day: t,
            date: corridor_model::date::iso(world.scenario().start_epoch_day + t),
            in_camp: vec![0; self.camps.len()],
            dead_shot: self.dead[Cause::Shot as usize]
                + self.dead[Cause::ShotWaiting as usize]
                + self.dead[Cause::ShotCrossing as usize],
            dead_drowned: self.dead[Cause::Drowned as usize],
            dead_in_custody: self.dead[Cause::DiedInCustody as usize],
            attempts: self.attempts,
            turned_back: self.turned_back,
            relocated: self.relocated,
            crossed: self.cross.crossed,
            gave_up: self.cross.gave_up,
            dead_shot_waiting: self.dead[Cause::ShotWaiting as usize],
            dead_shot_crossing: self.dead[Cause::ShotCrossing as usize],
            ..FateDay::default()
        };
        let agents = world.agents();
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
            if flags & QUEUED != 0 {
                d.waiting_to_cross += people;
                continue;
            }
            match agents.location(a) {
                Some(loc) if camp_slot[loc as usize] != usize::MAX => {
                    d.in_camp[camp_slot[loc as usize]] += people;
                    if flags & FAMILY != 0 {
                        d.families_in_camps += 1;
                    }
                }
                _ if flags & LEFT == 0 => d.trapped += people,
                _ => d.in_transit += people,
            }
        }
        self.report.days.push(d);
    }

    /// People in output camp `loc` today (for out.csv in people).
    pub(super) fn people_in_camp(&self, loc: u32) -> Option<i64> {
        let i = self.camps.iter().position(|&c| c == loc)?;
        self.report.days.last().map(|d| d.in_camp[i])
    }

    /// The report so far, with the observations next to the simulated numbers.
    pub(super) fn build_report(&self, world: &World) -> SiegeReport {
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
                    "waiting_to_cross" => d.waiting_to_cross,
                    camp => {
                        let i = r.camps.iter().position(|c| c == camp)?;
                        d.in_camp[i]
                    }
                } as f64;
                Some(Comparison {
                    day: o.day,
                    date: corridor_model::date::iso(world.scenario().start_epoch_day + o.day),
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
