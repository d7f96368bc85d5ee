//! How a pass's candidates are acted on: in creation order, one by one or
//! speculated on every core.

use super::{Day, Simulation};
use crate::events::Observer;
use crate::exec::{self, Carry, Exchange};
use crate::rules::Act;
use std::ops::Range;

impl Simulation<'_> {
    /// The slices of a single-process pass whose candidates act in order:
    /// runs of [`exec::PASS_SLICE`] agents in creation order, each scanned
    /// and then acted on before the next is scanned, so that a candidate's
    /// state is still in the cache when it acts (acting after a scan of the
    /// whole store, far larger than a cache, missed it). The result is the
    /// same as one scan of all agents and then all actions: a scan reads
    /// only its own agents' state and the pass's fixed tables, which no
    /// other agent's action changes, and writes only its own agents' travel
    /// state, which no other action reads. One slice over several processes
    /// (`exchange`: their lists are merged per pass), where something else
    /// can reach across agents (mechanisms, the harvest rule), where
    /// `capacity_count_block`'s blocks run across the pass, and where the
    /// actions are speculated on several cores (small slices would leave
    /// them too little to share; 3 % slower at 2^18 agents, no faster).
    pub(super) fn slices(&self, exchange: bool) -> Vec<Range<usize>> {
        let n = self.world.agents.len();
        let whole = exchange
            || !self.mechanisms.is_empty()
            || self.world.harvest.is_some()
            || self.world.settings.capacity_count_block > 1
            || (exec::speculate::may_speculate() && rayon::current_num_threads() > 1);
        let slice = exec::PASS_SLICE;
        if whole || n <= slice {
            return std::iter::once(0..n).collect();
        }
        (0..n.div_ceil(slice))
            .map(|i| i * slice..((i + 1) * slice).min(n))
            .collect()
    }

    /// Hands a pass's candidates to `action` in creation order: on every core
    /// ([`exec::speculate`]) when nothing but the counts can observe the
    /// order (one process, no mechanism, no observer of agent events), else
    /// one by one. With `capacity_count_block` above 1, each block of that
    /// many candidates reads the counts as the block began.
    pub(super) fn act_in_order(
        &mut self,
        day: Day,
        obs: &mut impl Observer,
        ex: Option<&mut dyn Exchange>,
        list: Vec<(u32, u32)>,
        carry: Carry,
        action: &impl exec::speculate::Action,
    ) {
        let block = self.world.settings.capacity_count_block.max(1) as usize;
        // The scratch worlds carry an agent's five state words, not its
        // demographic attributes or home, so such agents act in order.
        let parallel = exec::speculate::speculative_passes(list.len())
            && ex.is_none()
            && self.mechanisms.is_empty()
            && self.world.agents.attribute_count() == 0
            && self.world.harvest.is_none()
            && !obs.wants_agent_events()
            && rayon::current_num_threads() > 1;
        if parallel {
            let work =
                exec::speculate::run(&mut self.world, &mut self.stats, day, &list, action, block);
            self.stats.candidates += work.candidates;
            self.stats.serial_candidates += work.serial;
            self.world.places.pass_counts = None;
            return;
        }
        self.stats.candidates += list.len() as u64;
        self.stats.serial_candidates += list.len() as u64;
        let (hooks, stats) = (&mut self.mechanisms, &mut self.stats);
        let mut done = 0usize;
        exec::in_creation_order(&mut self.world, ex, list, carry, |world, a, word| {
            // Blocks of candidates read the counts as the block began.
            if block > 1 && done.is_multiple_of(block) {
                let counts = world.places.pass_counts.get_or_insert_with(Vec::new);
                counts.clone_from(&world.places.agents);
            }
            done += 1;
            let mut cx = Act {
                world,
                hooks: &mut hooks[..],
                stats: &mut *stats,
                day,
                obs: &mut *obs,
            };
            action.act(&mut cx, a, word);
        });
        self.world.places.pass_counts = None;
    }
}
