//! Organised transport (buses) to camps, one code path with two triggers:
//!
//! * scheduled lines (`transport:`): each day up to `people_per_day` people,
//!   whole households, resting at `from` are carried to the target camps;
//! * relocation (`relocations:`): a share of the households above a camp's
//!   shelter (where it has one; else its capacity) is carried to other camps.
//!
//! Room at a target is its shelter where it has one (buses take people to
//! camps with tents free), else its admission capacity, in households
//! (`SiegeState::room_limit`). A *leg* (`leg: true`) may end at places that
//! are not camps (a muster point to a screening site): they have no room
//! limit, and the households it carries arrive there as if on foot, so the
//! place's screening on arrival takes their men aside.
//!
//! Who boards is drawn per household (counter-based, the same for any
//! thread count); a household that does not fit in the day's remaining
//! seats ends the day's boarding. The households are split over the target
//! camps by their spare room (largest remainder; a camp without a limit
//! counts as having room for all, so targets without limits share equally)
//! and no camp receives more than its room (ties go to a different camp
//! each day). They arrive the same day: the
//! trips are short (tens of km on army roads, well under a day), and
//! arriving at once keeps buses from feeding the queues they relieve.

use super::{SiegeState, LEFT};
use crate::events::{Event, Observer};
use crate::pipeline::Day;
use crate::rng::{uniform, Purpose};
use crate::world::World;
use crate::EngineError;
use corridor_model::siege::{Action, SiegeModel};
use corridor_model::Scenario;

/// How much a trigger carries in a day.
enum Load {
    /// Up to this many people, whole households.
    People(i64),
    /// Exactly this many households (fewer if there are not enough or no room).
    Households(usize),
}

/// A `set_relocation` or `set_transport` without `to:` changes an existing
/// one, so one must be set up (in the siege section or an earlier
/// intervention) first.
pub(super) fn check(model: &SiegeModel, sc: &Scenario) -> Result<(), EngineError> {
    let mut relocations: Vec<u32> = model.relocations.iter().map(|r| r.from).collect();
    let mut lines: Vec<u32> = model.transport.iter().map(|r| r.from).collect();
    let mut by_day: Vec<_> = model.interventions.iter().collect();
    by_day.sort_by_key(|i| i.day);
    for iv in by_day {
        let (from, has_to, known, what, hint) = match &iv.action {
            Action::SetRelocation { from, to, .. } => (
                *from,
                to.is_some(),
                &mut relocations,
                "set_relocation",
                "relocation",
            ),
            Action::SetTransport { from, to, .. } => (
                *from,
                to.is_some(),
                &mut lines,
                "set_transport",
                "transport line",
            ),
            _ => continue,
        };
        if let Action::SetTransport { to: Some(to), .. } = &iv.action {
            let leg = model.transport.iter().any(|t| t.from == from && t.leg);
            if let Some(&c) = to.iter().find(|&&c| !is_camp(sc, c)) {
                if !leg {
                    return Err(EngineError::Siege(format!(
                        "set_transport on day {} sends the buses from '{}' to '{}', which is not a camp\n  hint: declare the line in siege.transport with `leg: true` to carry people to a place that is not a camp (docs/scenario-format.md, \"Organised transport\")",
                        iv.day, sc.locations[from as usize].name, sc.locations[c as usize].name
                    )));
                }
            }
        }
        if has_to {
            known.push(from);
        } else if !known.contains(&from) {
            return Err(EngineError::Siege(format!(
                "{what} on day {} out of '{}' has no `to:` and no earlier {hint} from there\n  hint: add `to: [<camp>, ...]` (docs/scenario-format.md, \"Organised transport\")",
                iv.day, sc.locations[from as usize].name
            )));
        }
    }
    Ok(())
}

fn is_camp(sc: &Scenario, l: u32) -> bool {
    matches!(
        sc.locations[l as usize].kind,
        corridor_model::LocationKind::Camp | corridor_model::LocationKind::IdpCamp
    )
}

impl SiegeState {
    /// The scheduled transport lines of the day.
    pub(super) fn run_transport(&mut self, world: &mut World, day: Day, obs: &mut dyn Observer) {
        for i in 0..self.model.transport.len() {
            let line = &self.model.transport[i];
            if !line.active || line.people_per_day == 0 {
                continue;
            }
            let (from, to, leg) = (line.from, line.to.clone(), line.leg);
            let load = Load::People(line.people_per_day as i64);
            self.carry(world, day, from, &to, load, leg, obs);
        }
    }

    /// Relocation at the end of the day: for each camp with a relocation,
    /// `share_of_overflow` of the households above its capacity (rounded)
    /// are carried to its target camps.
    pub(super) fn relocate(&mut self, world: &mut World, day: Day, obs: &mut dyn Observer) {
        for ri in 0..self.model.relocations.len() {
            let r = &self.model.relocations[ri];
            let from = r.from;
            // Above the camp's shelter where given (people in the open), else its capacity.
            let overflow = self
                .room_limit(world, from)
                .map_or(0, |lim| world.counts()[from as usize] - lim);
            if r.share_of_overflow <= 0.0 || overflow <= 0 {
                continue;
            }
            let k = (r.share_of_overflow * overflow as f64).round() as usize;
            let to = r.to.clone();
            let moved = self.carry(world, day, from, &to, Load::Households(k), false, obs);
            self.relocated += moved;
        }
    }

    /// Carries households resting at `from` to `targets`; returns the people
    /// moved. On a `leg`, targets that are not camps have no room limit and
    /// arrivals pass the target's screening.
    #[allow(clippy::too_many_arguments)]
    fn carry(
        &mut self,
        world: &mut World,
        day: Day,
        from: u32,
        targets: &[u32],
        load: Load,
        leg: bool,
        obs: &mut dyn Observer,
    ) -> i64 {
        let spare: Vec<Option<i64>> = targets
            .iter()
            .map(|&c| {
                if leg && !world.is_camp(c) {
                    return None;
                }
                self.room_limit(world, c)
                    .map(|lim| (lim - world.counts()[c as usize]).max(0))
            })
            .collect();
        let room: Option<i64> = spare.iter().copied().sum();
        let agents = world.agents();
        let mut here: Vec<(f64, u32)> = (0..agents.len())
            .filter(|&a| agents.location(a) == Some(from))
            .map(|a| {
                (
                    uniform(day.key, a as u64, Purpose::Relocation, from),
                    a as u32,
                )
            })
            .collect();
        here.sort_unstable_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let most = room.map_or(usize::MAX, |r| r as usize);
        let mut chosen = Vec::new();
        let mut seats = match load {
            Load::People(n) => n,
            Load::Households(_) => i64::MAX,
        };
        let households = match load {
            Load::People(_) => usize::MAX,
            Load::Households(k) => k,
        };
        for &(_, a) in &here {
            if chosen.len() >= households.min(most) {
                break;
            }
            let p = self.people[a as usize] as i64;
            if p > seats {
                break;
            }
            seats -= p;
            chosen.push(a);
        }
        if chosen.is_empty() {
            return 0;
        }
        chosen.sort_unstable();
        let k = chosen.len();
        // Ties of the split go to a different camp each day (rotation by day).
        let r = day.t.rem_euclid(targets.len() as i64) as usize;
        let order: Vec<usize> = (0..targets.len())
            .map(|i| (i + r) % targets.len())
            .collect();
        let weights: Vec<i64> = order
            .iter()
            .map(|&i| spare[i].unwrap_or(k as i64))
            .collect();
        let quotas = largest_remainder(k, &weights);
        let mut slots = order
            .iter()
            .zip(&quotas)
            .flat_map(|(&i, &q)| std::iter::repeat_n(targets[i], q));
        let mut moved = 0;
        for a in chosen {
            let Some(to) = slots.next() else { break };
            let a = a as usize;
            world.move_agent(a, to);
            self.note_arrival(a, to, day.t);
            self.flags[a] |= LEFT;
            let people = self.people[a];
            moved += people as i64;
            obs.event(
                day.t,
                &Event::Relocated {
                    agent: a as u64,
                    from,
                    to,
                    people: people as u32,
                },
            );
            if leg {
                self.on_arrival(world, day, a, to, obs);
            }
        }
        self.bused += moved;
        moved
    }
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
        // Targets without a limit weigh as much as the whole load: equal shares.
        assert_eq!(largest_remainder(5, &[5, 5, 5]), vec![2, 2, 1]);
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
