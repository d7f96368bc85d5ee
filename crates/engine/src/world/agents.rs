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

    pub(crate) fn push(&mut self, loc: u32) {
        self.loc.push(loc);
        self.progress.push(0.0);
        self.recent.push(0.0);
        self.route.push(0);
        self.route_pos.push(0);
        self.flags.push(0);
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

    /// Sets agent `a`'s state from [`Agents::state_words`].
    pub(crate) fn set_state(&mut self, a: usize, w: &[u32; 5]) {
        self.loc[a] = w[0];
        self.progress[a] = f32::from_bits(w[1]);
        self.recent[a] = f32::from_bits(w[2]);
        self.route[a] = w[3];
        self.route_pos[a] = w[4] as u8;
        self.flags[a] = (w[4] >> 8) as u8;
    }

    pub(crate) fn truncate(&mut self, n: usize) {
        self.loc.truncate(n);
        self.progress.truncate(n);
        self.recent.truncate(n);
        self.route.truncate(n);
        self.route_pos.truncate(n);
        self.flags.truncate(n);
    }

    pub(crate) fn reserve(&mut self, n: usize) {
        self.loc.reserve(n);
        self.progress.reserve(n);
        self.recent.reserve(n);
        self.route.reserve(n);
        self.route_pos.reserve(n);
        self.flags.reserve(n);
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
        a.loc[1] = INACTIVE;
        assert!(!a.is_travelling(1) && a.location(1).is_none());
        a.truncate(1);
        assert_eq!(a.len(), 1);
    }
}
