//! End of day: people held at screening points are released or die in
//! custody, and households above a camp's capacity are relocated by
//! organised transport.

use super::{SiegeState, DEAD, DETAINED, K_CUSTODY, NEVER_RELEASED};
use crate::events::{Cause, Event, Observer};
use crate::pipeline::Day;
use crate::rng::{uniform, Purpose};
use crate::world::World;

impl SiegeState {
    /// Releases the held people whose time is up, after deaths in custody.
    pub(super) fn release(&mut self, world: &mut World, day: Day, obs: &mut dyn Observer) {
        let (t, key) = (day.t, day.key);
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
            world.place_agent(b, at);
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
    }

    /// Organised relocation at the end of the day: for each camp with a
    /// relocation, `share_of_overflow` of the households above its shelter
    /// (or, where no shelter is given, its capacity)
    /// (rounded) are bused to its target camps, split by their spare room by
    /// largest remainder, and never more than that room. Who goes is drawn
    /// per household (counter-based, so the same whatever the threads).
    pub(super) fn relocate(&mut self, world: &mut World, day: Day, obs: &mut dyn Observer) {
        let (t, key) = (day.t, day.key);
        for ri in 0..self.model.relocations.len() {
            let r = &self.model.relocations[ri];
            let from = r.from;
            // Above the camp's shelter where given, else its capacity.
            let overflow = self
                .room_limit(world, from)
                .map_or(0, |lim| world.counts()[from as usize] - lim);
            if r.share_of_overflow <= 0.0 || overflow <= 0 {
                continue;
            }
            let spare: Vec<i64> =
                r.to.iter()
                    .map(|&c| {
                        self.room_limit(world, c)
                            .map_or(overflow, |lim| (lim - world.counts()[c as usize]).max(0))
                    })
                    .collect();
            let room: i64 = spare.iter().sum();
            let k = ((r.share_of_overflow * overflow as f64).round() as i64).min(room) as usize;
            if k == 0 {
                continue;
            }
            let quotas = largest_remainder(k, &spare);
            let targets = r.to.clone();
            let agents = world.agents();
            let mut here: Vec<(f64, u32)> = (0..agents.len())
                .filter(|&a| agents.location(a) == Some(from))
                .map(|a| {
                    let u = uniform(key, a as u64, Purpose::Relocation, from);
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
                world.move_agent(a, to);
                self.note_arrival(a, to, t);
                self.relocated += self.people[a] as i64;
                obs.event(
                    t,
                    &Event::Relocated {
                        agent: a as u64,
                        from,
                        to,
                        people: self.people[a] as u32,
                    },
                );
            }
        }
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
