//! Agents as parallel arrays (struct of arrays), in creation order.

use super::column::{Column, Lent};

/// Agents on a link carry this bit in `loc`; the rest of the word is the link id.
pub(crate) const ON_LINK: u32 = 1 << 31;
/// Agents that no longer take part (dead, or held at a screening point).
pub(crate) const INACTIVE: u32 = u32::MAX;

/// Agents as parallel arrays, in creation order.
#[derive(Debug, Clone, Default)]
pub struct Agents {
    /// Location id, or `ON_LINK | link id`, or `INACTIVE`.
    pub(crate) loc: Column<u32>,
    /// km travelled on the current link.
    pub(crate) progress: Column<f32>,
    /// Flee's `recent_travel_distance`: EMA of daily km / max_move_speed.
    pub(crate) recent: Column<f32>,
    /// Interned remaining route (0 = none) and position in it.
    pub(crate) route: Column<u32>,
    pub(crate) route_pos: Column<u8>,
    /// Bit 0: has completed at least one link (`places_travelled > 1`).
    pub(crate) flags: Column<u8>,
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
    #[inline]
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

    /// Sets agent `a`'s state to words of [`Agents::state_words`].
    #[inline]
    pub(crate) fn set_state(&mut self, a: usize, w: [u32; 5]) {
        self.loc[a] = w[0];
        self.progress[a] = f32::from_bits(w[1]);
        self.recent[a] = f32::from_bits(w[2]);
        self.route[a] = w[3];
        self.route_pos[a] = w[4] as u8;
        self.flags[a] = (w[4] >> 8) as u8;
    }

    /// Lends the state columns for views ([`LentAgents::view`]): the agents
    /// without demographic attributes, class or home (agents that have them
    /// never act in parallel). `self` must not be used, moved out of or
    /// dropped until every view is gone.
    pub(crate) fn lend(&mut self) -> LentAgents {
        LentAgents {
            loc: self.loc.lend(),
            progress: self.progress.lend(),
            recent: self.recent.lend(),
            route: self.route.lend(),
            route_pos: self.route_pos.lend(),
            flags: self.flags.lend(),
        }
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

/// The state columns of [`Agents`], lent to the work items of a parallel pass.
pub(crate) struct LentAgents {
    loc: Lent<u32>,
    progress: Lent<f32>,
    recent: Lent<f32>,
    route: Lent<u32>,
    route_pos: Lent<u8>,
    flags: Lent<u8>,
}

impl LentAgents {
    /// The lent agents, as a store to act on in place.
    ///
    /// # Safety
    /// The lending [`Agents`] is not used until every view is dropped, and
    /// no two views used at the same time touch the same agent.
    pub(crate) unsafe fn view(&self) -> Agents {
        // SAFETY: the caller's contract is each column's.
        unsafe {
            Agents {
                loc: self.loc.view(),
                progress: self.progress.view(),
                recent: self.recent.view(),
                route: self.route.view(),
                route_pos: self.route_pos.view(),
                flags: self.flags.view(),
                ..Agents::default()
            }
        }
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
    fn views_act_in_place_and_states_restore() {
        let mut a = Agents::default();
        for l in 0..6 {
            a.push(l);
        }
        let before = a.state_words(4);
        let lent = a.lend();
        std::thread::scope(|s| {
            for first in [0, 3] {
                let lent = &lent;
                s.spawn(move || {
                    // SAFETY: `a` is not used meanwhile; agents 0–2 and 3–5 are apart.
                    let mut view = unsafe { lent.view() };
                    for i in first..first + 3 {
                        view.loc[i] += 10;
                        view.route[i] = 7;
                    }
                    view.set_state(4, before);
                });
            }
        });
        assert_eq!(a.loc.as_slice(), &[10, 11, 12, 13, 4, 15]);
        assert_eq!(a.state_words(4), before);
        assert_eq!(a.route[3], 7);
    }
}
