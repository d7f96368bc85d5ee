//! Agents as parallel arrays (struct of arrays), in creation order.

/// Agents on a link carry this bit in `loc`; the rest of the word is the link id.
pub(crate) const ON_LINK: u32 = 1 << 31;
/// Agents that no longer take part (dead, or held at a screening point).
pub(crate) const INACTIVE: u32 = u32::MAX;

/// Agents as parallel arrays, in creation order.
#[derive(Debug, Clone, Default)]
pub struct Agents {
    /// Location id, or `ON_LINK | link id`, or `INACTIVE`.
    pub(crate) loc: Vec<u32>,
    /// km travelled on the current link.
    pub(crate) progress: Vec<f32>,
    /// Flee's `recent_travel_distance`: EMA of daily km / max_move_speed.
    pub(crate) recent: Vec<f32>,
    /// Interned remaining route (0 = none) and position in it.
    pub(crate) route: Vec<u32>,
    pub(crate) route_pos: Vec<u8>,
    /// Bit 0: has completed at least one link (`places_travelled > 1`).
    pub(crate) flags: Vec<u8>,
    /// Demographic attributes, `attr_count` value indices per agent (empty
    /// without demographics).
    pub(crate) attrs: Vec<u16>,
    pub(crate) attr_count: usize,
    /// Hazard class of the demographic rules (empty when no rule is on).
    pub(crate) class: Vec<u8>,
    pub(crate) with_class: bool,
    /// Spawn location of each agent (Flee's `home_location`; empty unless
    /// `harvest_months` is set).
    pub(crate) home: Vec<u32>,
    pub(crate) with_home: bool,
}

impl Agents {
    /// Number of agents stored.
    pub fn len(&self) -> usize {
        self.loc.len()
    }
    /// Whether no agent is stored.
    pub fn is_empty(&self) -> bool {
        self.loc.is_empty()
    }
    /// Bytes of agent state per agent (for memory reports).
    pub const BYTES_PER_AGENT: usize = 4 + 4 + 4 + 4 + 1 + 1;

    /// The location agent `a` rests at; `None` while it travels on a link or
    /// no longer takes part.
    #[inline]
    pub fn location(&self, a: usize) -> Option<u32> {
        let loc = self.loc[a];
        (loc & ON_LINK == 0).then_some(loc)
    }

    /// Whether agent `a` is on a link.
    #[inline]
    pub fn is_travelling(&self, a: usize) -> bool {
        let loc = self.loc[a];
        loc != INACTIVE && loc & ON_LINK != 0
    }

    /// The link agent `a` travels on; `None` while it rests or no longer takes part.
    #[inline]
    pub fn link(&self, a: usize) -> Option<u32> {
        self.is_travelling(a).then_some(self.loc[a] & !ON_LINK)
    }

    /// Kilometres agent `a` has covered on its current link (0 while resting).
    #[inline]
    pub fn progress_km(&self, a: usize) -> f64 {
        self.progress[a] as f64
    }

    /// The value index of agent `a`'s attribute `k` (the order of the
    /// scenario's demographics tables); `None` without such an attribute.
    #[inline]
    pub fn attribute(&self, a: usize, k: usize) -> Option<u16> {
        (k < self.attr_count).then(|| self.attrs[a * self.attr_count + k])
    }

    /// Number of demographic attributes per agent.
    pub fn attribute_count(&self) -> usize {
        self.attr_count
    }

    pub(crate) fn push(&mut self, loc: u32) {
        self.loc.push(loc);
        self.progress.push(0.0);
        self.recent.push(0.0);
        self.route.push(0);
        self.route_pos.push(0);
        self.flags.push(0);
        if self.attr_count > 0 {
            self.attrs.resize(self.attrs.len() + self.attr_count, 0);
        }
        if self.with_class {
            self.class.push(0);
        }
        if self.with_home {
            self.home.push(loc);
        }
    }

    /// The state of agent `a` as words, for sending to other processes.
    pub(crate) fn state_words(&self, a: usize) -> [u32; 5] {
        [
            self.loc[a],
            self.progress[a].to_bits(),
            self.recent[a].to_bits(),
            self.route[a],
            u32::from(self.route_pos[a]) | u32::from(self.flags[a]) << 8,
        ]
    }

    /// Appends an agent with the state of [`Agents::state_words`].
    pub(crate) fn push_state(&mut self, w: &[u32]) {
        self.loc.push(w[0]);
        self.progress.push(f32::from_bits(w[1]));
        self.recent.push(f32::from_bits(w[2]));
        self.route.push(w[3]);
        self.route_pos.push(w[4] as u8);
        self.flags.push((w[4] >> 8) as u8);
    }

    /// Replaces `to`'s agents (whose allocations are reused) with copies of
    /// the agents in `slots`, without demographic attributes (which the
    /// parallel pass never handles).
    pub(crate) fn gather(&self, slots: &[u32], to: &mut Agents) {
        to.truncate(0);
        to.attr_count = 0;
        to.with_class = false;
        to.reserve(slots.len());
        for &a in slots {
            let a = a as usize;
            to.loc.push(self.loc[a]);
            to.progress.push(self.progress[a]);
            to.recent.push(self.recent[a]);
            to.route.push(self.route[a]);
            to.route_pos.push(self.route_pos[a]);
            to.flags.push(self.flags[a]);
        }
    }

    /// Writes back on every core the agents that [`Agents::gather`] copied:
    /// each write is `(slots, agents)`, agent `i` of `agents` going to slot
    /// `slots[i]` (`u32::MAX`: skipped). Each write's slots ascend and are
    /// below every slot of the next write, so the writes own disjoint ranges
    /// of the arrays.
    pub(crate) fn scatter_par(&mut self, writes: &[(&[u32], &Agents)]) {
        use rayon::prelude::*;
        let mut pieces = Vec::with_capacity(writes.len());
        let mut rest = Piece {
            loc: &mut self.loc,
            progress: &mut self.progress,
            recent: &mut self.recent,
            route: &mut self.route,
            route_pos: &mut self.route_pos,
            flags: &mut self.flags,
            first: 0,
        };
        let first_slot = |w: &(&[u32], &Agents)| w.0.iter().find(|&&a| a != u32::MAX).copied();
        for (i, write) in writes.iter().enumerate() {
            let Some(start) = first_slot(write).map(|a| a as usize) else {
                continue;
            };
            // The piece of write i runs from its first slot up to the first
            // slot of the next non-empty write.
            let end = writes[i + 1..]
                .iter()
                .find_map(first_slot)
                .map_or(rest.first + rest.loc.len(), |a| a as usize);
            let (_, from_start) = rest.split_at(start);
            let (head, tail) = from_start.split_at(end);
            pieces.push((head, write));
            rest = tail;
        }
        pieces
            .into_par_iter()
            .for_each(|(mut piece, (slots, agents))| {
                for (i, &a) in slots.iter().enumerate() {
                    if a != u32::MAX {
                        piece.copy_agent(a as usize, agents, i);
                    }
                }
            });
    }

    pub(crate) fn truncate(&mut self, n: usize) {
        self.loc.truncate(n);
        self.progress.truncate(n);
        self.recent.truncate(n);
        self.route.truncate(n);
        self.route_pos.truncate(n);
        self.flags.truncate(n);
        self.attrs.truncate(n * self.attr_count);
        if self.with_class {
            self.class.truncate(n);
        }
        if self.with_home {
            self.home.truncate(n);
        }
    }

    pub(crate) fn reserve(&mut self, n: usize) {
        self.loc.reserve(n);
        self.progress.reserve(n);
        self.recent.reserve(n);
        self.route.reserve(n);
        self.route_pos.reserve(n);
        self.flags.reserve(n);
        self.attrs.reserve(n * self.attr_count);
        if self.with_class {
            self.class.reserve(n);
        }
        if self.with_home {
            self.home.reserve(n);
        }
    }
}

/// The agents of slots `first..`, borrowed apart from the others.
struct Piece<'a> {
    loc: &'a mut [u32],
    progress: &'a mut [f32],
    recent: &'a mut [f32],
    route: &'a mut [u32],
    route_pos: &'a mut [u8],
    flags: &'a mut [u8],
    first: usize,
}

impl<'a> Piece<'a> {
    /// Slots `first..at` and `at..`.
    fn split_at(self, at: usize) -> (Piece<'a>, Piece<'a>) {
        let k = at - self.first;
        let (loc, loc2) = self.loc.split_at_mut(k);
        let (progress, progress2) = self.progress.split_at_mut(k);
        let (recent, recent2) = self.recent.split_at_mut(k);
        let (route, route2) = self.route.split_at_mut(k);
        let (route_pos, route_pos2) = self.route_pos.split_at_mut(k);
        let (flags, flags2) = self.flags.split_at_mut(k);
        let head = Piece {
            loc,
            progress,
            recent,
            route,
            route_pos,
            flags,
            first: self.first,
        };
        let tail = Piece {
            loc: loc2,
            progress: progress2,
            recent: recent2,
            route: route2,
            route_pos: route_pos2,
            flags: flags2,
            first: at,
        };
        (head, tail)
    }

    fn copy_agent(&mut self, a: usize, from: &Agents, i: usize) {
        let j = a - self.first;
        self.loc[j] = from.loc[i];
        self.progress[j] = from.progress[i];
        self.recent[j] = from.recent[i];
        self.route[j] = from.route[i];
        self.route_pos[j] = from.route_pos[i];
        self.flags[j] = from.flags[i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_words_round_trip() {
        let mut a = Agents::default();
        a.push(3);
        a.progress[0] = 12.5;
        a.recent[0] = 0.25;
        a.route[0] = 7;
        a.route_pos[0] = 2;
        a.flags[0] = 1;
        let w = a.state_words(0);
        a.push_state(&w);
        assert_eq!(a.state_words(1), w);
        assert_eq!(a.location(1), Some(3));
        a.loc[1] = ON_LINK | 4;
        assert!(a.is_travelling(1) && a.location(1).is_none());
        assert_eq!(
            (a.link(1), a.link(0), a.progress_km(1)),
            (Some(4), None, 12.5)
        );
        a.loc[1] = INACTIVE;
        assert!(!a.is_travelling(1) && a.location(1).is_none());
        a.truncate(1);
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn gathered_agents_land_back_in_their_slots() {
        let mut a = Agents::default();
        for l in 0..10 {
            a.push(l);
        }
        let (mut g1, mut g2) = (Agents::default(), Agents::default());
        let (s1, s2): (Vec<u32>, Vec<u32>) = (vec![1, 3, 4], vec![6, 9]);
        a.gather(&s1, &mut g1);
        a.gather(&s2, &mut g2);
        assert_eq!(g1.loc, [1, 3, 4]);
        for (g, add) in [(&mut g1, 10), (&mut g2, 20)] {
            g.loc.iter_mut().for_each(|l| *l += add);
        }
        // Slot 4 was left to the serial step: not written back.
        let s1 = [1, 3, u32::MAX];
        a.scatter_par(&[(&s1, &g1), (&[], &Agents::default()), (&s2, &g2)]);
        let locs: Vec<u32> = (0..10).map(|i| a.loc[i]).collect();
        assert_eq!(locs, [0, 11, 2, 13, 4, 5, 26, 7, 8, 29]);
    }
}
