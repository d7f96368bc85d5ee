//! The daily tally of fates, the people per camp for the output table, and
//! the report with observed-vs-simulated comparisons.

use super::{
    Comparison, FateDay, SiegeReport, SiegeState, DEAD, DETAINED, FAMILY, LEFT, PENDING, QUEUED,
};
use crate::events::Cause;
use crate::world::World;
use corridor_model::observations::Observable;

impl SiegeState {
    /// Counts every person in exactly one fate at the end of day `t`.
    pub(super) fn tally(&mut self, world: &World, t: i64) {
        let camp_slot = &self.camp_slot;
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
            in_open_by_camp: vec![0; self.camps.len()],
            separated: self.screen.separated,
            screened: self.screen.screened,
            released: self.screen.released,
            never_released: self.screen.never_released,
            separated_at: self.screen.separated_at.clone(),
            never_released_at: self.screen.never_released_at.clone(),
            bused: self.bused,
            crossed: self.cross.crossed,
            gave_up: self.cross.gave_up,
            dead_shot_waiting: self.dead[Cause::ShotWaiting as usize],
            dead_shot_crossing: self.dead[Cause::ShotCrossing as usize],
            ..FateDay::default()
        };
        let agents = world.agents();
        self.arrived_slot.resize(self.people.len(), 0);
        for a in 0..self.people.len() {
            let people = self.people[a] as i64;
            let flags = self.flags[a];
            if flags & DEAD != 0 || people == 0 {
                continue;
            }
            if flags & LEFT != 0 {
                self.ret.note_left(a, t, people);
            }
            if self.ret.is_home(a) {
                d.returned += people;
                continue;
            }
            if flags & DETAINED != 0 {
                if flags & PENDING != 0 {
                    d.screening_pending += people;
                } else {
                    d.held += people;
                }
                continue;
            }
            if flags & QUEUED != 0 {
                d.waiting_to_cross += people;
                continue;
            }
            match agents.location(a) {
                Some(loc) if camp_slot[loc as usize] != usize::MAX => {
                    let slot = camp_slot[loc as usize];
                    d.in_camp[slot] += people;
                    if self.arrived_slot[a] as usize != slot + 1 {
                        if self.arrived_slot[a] == 0 {
                            self.arrivals_camps += people;
                        }
                        self.arrivals[slot] += people;
                        self.arrived_slot[a] = (slot + 1) as u16;
                    }
                    if flags & FAMILY != 0 {
                        d.families_in_camps += 1;
                    }
                }
                Some(loc) if self.host[loc as usize] && flags & LEFT != 0 => d.with_hosts += people,
                // Never left: trapped while the place is held, else stayed.
                Some(loc) if flags & LEFT == 0 && self.held[loc as usize].is_none() => {
                    d.stayed += people
                }
                _ if flags & LEFT == 0 => d.trapped += people,
                _ => d.in_transit += people,
            }
        }
        for (i, &c) in self.camps.iter().enumerate() {
            d.in_open_by_camp[i] = self.in_open(c, d.in_camp[i]);
        }
        d.in_open = d.in_open_by_camp.iter().sum();
        d.arrivals = self.arrivals.clone();
        d.left = self.ret.left.clone();
        d.arrivals_camps = self.arrivals_camps;
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
        if let Some(last) = r.days.last().map(|d| d.day) {
            r.skipped_interventions
                .extend(super::interventions::after_the_run(
                    world,
                    &self.model,
                    last,
                ));
        }
        r.first_arrivals = self
            .first_arrival
            .iter()
            .map(|t| t.map(|t| corridor_model::date::iso(world.scenario().start_epoch_day + t)))
            .collect();
        let camps: Vec<&str> = r.camps.iter().map(String::as_str).collect();
        let sites: Vec<&str> = r.screening_sites.iter().map(String::as_str).collect();
        r.comparisons = self
            .model
            .observations
            .iter()
            .filter_map(|o| {
                let d = r.days.iter().find(|d| d.day == o.day)?;
                let what = Observable::parse(&o.what, &camps, &sites).ok()?;
                let simulated = d.observe(&what, &r.camps, &r.screening_sites)?;
                let date = corridor_model::date::iso(world.scenario().start_epoch_day + o.day);
                Some(Comparison::new(o, date, simulated))
            })
            .collect();
        r
    }
}
