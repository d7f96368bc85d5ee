//! Returns home to retaken places (`siege.returns`, `set_return`).
//!
//! Every household has an *origin*: the place it was at day 0 or where it
//! was created (men separated at screening keep their family's). Once a
//! return to that origin is open (from `opens_day`, while the origin is not
//! held), each displaced household resting where the rule's `from` says
//! (camps, host families, anywhere) and away at least `min_days_away` days
//! goes home with probability `daily_rate` a day, at the end of the day
//! (stage 8, before the tally). The trip is made the same day (the places
//! people return to are tens of km from the camps; organised returns ran by
//! bus) and the household then stays home: it is counted `returned`, no
//! longer displaced, and its move chance is 0.
//!
//! The draw is counter-based (seed, day, household, the origin), so who
//! returns does not depend on the thread count. Households in custody, in a
//! crossing's queue or on the road do not return that day.

use super::{hazard_k, SiegeState, DEAD, DETAINED, K_RETURN, LEFT, QUEUED};
use crate::pipeline::Day;
use crate::rng::{uniform, Purpose};
use crate::world::World;
use corridor_model::siege::{Action, DepartureGroup, Return, ReturnFrom};

/// Per-household origins and return state, parallel to the engine's agents.
#[derive(Debug, Default)]
pub(super) struct Returns {
    /// Per agent: its origin place (`u32::MAX` where unknown).
    origin: Vec<u32>,
    /// Per agent: the day it was first tallied as having left (-1: not yet).
    left_day: Vec<i32>,
    /// Per agent: has gone home (returned).
    home: Vec<bool>,
    /// Per location: the index of its return rule.
    rule_at: Vec<Option<usize>>,
    /// The rules, changed by `set_return`.
    rules: Vec<Return>,
    /// Per location: the groups of `siege.departures` it belongs to.
    groups_of: Vec<Vec<usize>>,
    /// Per group: its name and the cumulative people who have left its places.
    pub(super) left: Vec<(String, i64)>,
}

impl Returns {
    /// The returns of `rules` and the departure `groups` over `locations` places.
    pub(super) fn new(rules: &[Return], groups: &[DepartureGroup], locations: usize) -> Returns {
        let mut rule_at = vec![None; locations];
        for (i, r) in rules.iter().enumerate() {
            rule_at[r.to as usize] = Some(i);
        }
        let mut groups_of = vec![Vec::new(); locations];
        for (i, g) in groups.iter().enumerate() {
            for &l in &g.from {
                if !groups_of[l as usize].contains(&i) {
                    groups_of[l as usize].push(i);
                }
            }
        }
        Returns {
            rule_at,
            rules: rules.to_vec(),
            groups_of,
            left: groups.iter().map(|g| (g.name.clone(), 0)).collect(),
            ..Returns::default()
        }
    }

    /// A new household with origin `origin`.
    pub(super) fn push(&mut self, origin: Option<u32>) {
        self.origin.push(origin.unwrap_or(u32::MAX));
        self.left_day.push(-1);
        self.home.push(false);
    }

    /// A household split off `a` (men separated at screening): same origin
    /// and departure day.
    pub(super) fn push_like(&mut self, a: usize) {
        self.origin.push(self.origin[a]);
        self.left_day.push(self.left_day[a]);
        self.home.push(false);
    }

    /// Whether household `a` has gone home.
    #[inline]
    pub(super) fn is_home(&self, a: usize) -> bool {
        self.home.get(a).copied().unwrap_or(false)
    }

    /// Notes at the tally of day `t` that household `a`, of `people` alive,
    /// has left home: the first time, it counts in its origin's departure groups.
    pub(super) fn note_left(&mut self, a: usize, t: i64, people: i64) {
        if self.left_day[a] < 0 {
            self.left_day[a] = t as i32;
            if let Some(gs) = self.groups_of.get(self.origin[a] as usize) {
                for &g in gs {
                    self.left[g].1 += people;
                }
            }
        }
    }

    /// Applies a `set_return` (`None` for any other action): the origin and its new rate.
    pub(super) fn apply(&mut self, action: &Action, t: i64) -> Option<(u32, f64)> {
        let Action::SetReturn {
            to,
            daily_rate,
            min_days_away,
            from,
        } = action
        else {
            return None;
        };
        let i = match self.rule_at[*to as usize] {
            Some(i) => i,
            None => {
                self.rules.push(Return {
                    to: *to,
                    opens_day: t,
                    daily_rate: 0.0,
                    from: vec![ReturnFrom::Any],
                    min_days_away: 0,
                });
                self.rule_at[*to as usize] = Some(self.rules.len() - 1);
                self.rules.len() - 1
            }
        };
        let r = &mut self.rules[i];
        r.daily_rate = *daily_rate;
        if let Some(d) = min_days_away {
            r.min_days_away = *d;
        }
        if let Some(f) = from {
            r.from = f.clone();
        }
        Some((*to, r.daily_rate))
    }
}

impl SiegeState {
    /// The day's returns home (stage 8, before the tally).
    pub(super) fn run_returns(&mut self, world: &mut World, day: Day) {
        let t = day.t;
        let rules = &self.ret.rules;
        if !rules
            .iter()
            .any(|r| r.daily_rate > 0.0 && t >= r.opens_day && self.held[r.to as usize].is_none())
        {
            return;
        }
        let n = self.people.len().min(world.agents().len());
        let mut going = Vec::new();
        let agents = world.agents();
        for a in 0..n {
            let f = self.flags[a];
            if f & LEFT == 0 || f & (DEAD | DETAINED | QUEUED) != 0 || self.ret.home[a] {
                continue;
            }
            let origin = self.ret.origin[a];
            let Some(i) = self.ret.rule_at.get(origin as usize).copied().flatten() else {
                continue;
            };
            let r = &self.ret.rules[i];
            if r.daily_rate <= 0.0 || t < r.opens_day || self.held[origin as usize].is_some() {
                continue;
            }
            let Some(loc) = agents.location(a) else {
                continue;
            };
            if loc == origin || !self.may_return_from(&r.from, loc) {
                continue;
            }
            let left = self.ret.left_day[a];
            if left < 0 || t - (left as i64) < r.min_days_away as i64 {
                continue;
            }
            let u = uniform(
                day.key,
                a as u64,
                Purpose::Hazard,
                hazard_k(K_RETURN, origin, 0),
            );
            if u < r.daily_rate {
                going.push(a);
            }
        }
        for a in going {
            let origin = self.ret.origin[a];
            world.move_agent(a, origin);
            self.ret.home[a] = true;
        }
    }

    /// Whether a household resting at `loc` is where a rule's `from` lets it return from.
    fn may_return_from(&self, from: &[ReturnFrom], loc: u32) -> bool {
        let camp = self.camp_slot[loc as usize] != usize::MAX;
        let hosts = self.host[loc as usize];
        from.iter().any(|f| match f {
            ReturnFrom::Camps => camp,
            ReturnFrom::Hosts => hosts,
            ReturnFrom::Any => true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_return_changes_a_rule_or_starts_one() {
        let rules = vec![Return {
            to: 1,
            opens_day: 10,
            daily_rate: 0.1,
            from: vec![ReturnFrom::Camps],
            min_days_away: 5,
        }];
        let groups = [DepartureGroup {
            name: "G".into(),
            from: vec![2],
        }];
        let mut r = Returns::new(&rules, &groups, 3);
        let stop = Action::SetReturn {
            to: 1,
            daily_rate: 0.0,
            min_days_away: None,
            from: None,
        };
        assert_eq!(r.apply(&stop, 20), Some((1, 0.0)));
        assert_eq!(r.rules[0].min_days_away, 5);
        assert_eq!(r.rules[0].from, vec![ReturnFrom::Camps]);
        let start = Action::SetReturn {
            to: 2,
            daily_rate: 0.02,
            min_days_away: Some(3),
            from: None,
        };
        assert_eq!(r.apply(&start, 30), Some((2, 0.02)));
        assert_eq!(r.rule_at[2], Some(1));
        assert_eq!(r.rules[1].opens_day, 30);
        assert_eq!(r.rules[1].from, vec![ReturnFrom::Any]);
        assert_eq!(r.rules[1].min_days_away, 3);
        // Split households keep their family's origin and departure day.
        r.push(Some(2));
        r.note_left(0, 7, 6);
        r.note_left(0, 9, 6);
        r.push_like(0);
        assert_eq!((r.origin[1], r.left_day[1]), (2, 7));
        // Counted once, in the group of its origin; the split part is not counted again.
        r.note_left(1, 9, 2);
        assert_eq!(r.left, vec![("G".to_string(), 6)]);
        assert!(r.apply(&Action::CloseRoute { from: 0, to: 1 }, 1).is_none());
    }
}
