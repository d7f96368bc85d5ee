//! The two agent passes: their scans, slice by slice where that is exact,
//! and how a pass's candidates are acted on: in creation order, one by one
//! or speculated on every core.

use super::{Day, Simulation};
use crate::events::Observer;
use crate::exec::{self, Carry, Exchange};
use crate::rules::{self, Act};
use std::ops::Range;

impl Simulation<'_> {
    /// Pass 1 (stage 6): the move-test scan and the movers' actions.
    pub(super) fn choose_pass(
        &mut self,
        day: Day,
        obs: &mut impl Observer,
        ex: Option<&mut dyn Exchange>,
    ) {
        // Route choices that depend on no live count are made in the scan too
        // (single process without mechanisms); NO_CHOICE leaves it to the serial pass.
        let choose_early = ex.is_none() && self.mechanisms.is_empty();
        let w = &self.world;
        let by_location = rules::move_chance::resting_by_location(&w.places, &w.settings);
        rules::move_chance::refresh_plain(&mut self.world, &self.mechanisms, &by_location);
        let choose = &exec::actions::Choose;
        let plain = self.world.places.plain_thresholds().is_some();
        if self.fused(ex.is_some(), obs) && plain {
            let work = exec::own_scan::movers(
                &mut self.world,
                &mut self.stats,
                day,
                choose,
                (choose_early, &by_location),
                &mut self.mover_lists,
            );
            self.count_work(work);
            return;
        }
        self.pass(day, obs, ex, Carry::Ids, choose, |sim, owner, slots| {
            let (hooks, w) = (&sim.mechanisms, &sim.world);
            let tests = exec::scan::MoveTests::new(w, hooks, day, choose_early, &by_location);
            exec::scan::movers(&tests, owner, slots)
        });
    }

    /// Pass 2 (stage 7): the travellers' scan and the arrivals' actions.
    pub(super) fn travel_pass(
        &mut self,
        day: Day,
        obs: &mut impl Observer,
        ex: Option<&mut dyn Exchange>,
    ) {
        let arrive = &exec::actions::Arrive;
        if self.fused(ex.is_some(), obs) {
            let work = exec::own_scan::arrivals(&mut self.world, &mut self.stats, day, arrive);
            self.count_work(work);
            return;
        }
        self.pass(day, obs, ex, Carry::Travel, arrive, |sim, owner, slots| {
            exec::scan::arrivals(&mut sim.world, owner, day, slots)
        });
    }

    /// An agent pass, slice by slice ([`Simulation::slices`]): `scan` lists
    /// a slice's candidates, which then act in creation order.
    fn pass<A: exec::speculate::Action>(
        &mut self,
        day: Day,
        obs: &mut impl Observer,
        mut ex: Option<&mut dyn Exchange>,
        carry: Carry,
        action: &A,
        mut scan: impl FnMut(&mut Self, exec::Owner, Range<usize>) -> Vec<(u32, u32)>,
    ) {
        let owner = exec::owner(&self.world, &ex);
        // A run over several processes has one slice: `ex` is used once.
        for slots in self.slices(ex.is_some(), obs) {
            let list = scan(self, owner, slots);
            self.act_in_order(day, obs, ex.take(), list, carry, action);
        }
    }

    /// Whether, during a pass, an agent's state and the counts change only
    /// through that agent's own action: one process, no mechanism and no
    /// harvest rule (which moves other agents' counts). Both slicing a pass
    /// and speculating it rest on this.
    fn agents_act_alone(&self, exchange: bool) -> bool {
        !exchange && self.mechanisms.is_empty() && self.world.harvest.is_none()
    }

    /// Whether the passes' candidates act on every core ([`exec::speculate`])
    /// when a pass is [`exec::speculate::worth_speculating`]: nothing but the
    /// counts can observe the order (agents act alone, no observer of agent
    /// events), with more than one thread. The scratch worlds carry an
    /// agent's five state words, not its demographic attributes or home, so
    /// such agents act in order.
    fn on_every_core(&self, exchange: bool, obs: &impl Observer) -> bool {
        self.agents_act_alone(exchange)
            && self.world.agents.attribute_count() == 0
            && !obs.wants_agent_events()
            && rayon::current_num_threads() > 1
            && exec::speculate::may_speculate()
    }

    /// Whether a pass of `candidates` is speculated on every core: it
    /// could be ([`Simulation::on_every_core`]) and it pays
    /// ([`exec::speculate::worth_speculating`]).
    fn speculated(&self, exchange: bool, obs: &impl Observer, candidates: usize) -> bool {
        self.on_every_core(exchange, obs) && exec::speculate::worth_speculating(candidates)
    }

    /// Whether a pass is speculated with each work item scanning its own
    /// slots ([`exec::own_scan`]): Flee's live counts (no
    /// `capacity_count_block`), and a pass of every agent would be
    /// speculated.
    fn fused(&self, exchange: bool, obs: &impl Observer) -> bool {
        let live = self.world.settings.capacity_count_block <= 1;
        live && self.speculated(exchange, obs, self.world.agents.len())
    }

    /// The slices of a pass whose candidates act in order: runs of
    /// [`exec::PASS_SLICE`] agents in creation order, each scanned and then
    /// acted on before the next is scanned, so that a candidate's state is
    /// still in the cache when it acts (acting after a scan of the whole
    /// store, far larger than a cache, missed it). Where agents act alone
    /// (`agents_act_alone`) the result is the same as one scan of all agents
    /// and then all actions: a scan reads only its own agents' state and the
    /// pass's fixed tables, which no other agent's action changes, and
    /// writes only its own agents' travel state, which no other action
    /// reads. One slice otherwise, where `capacity_count_block`'s blocks run
    /// across the pass, and where the actions may be speculated on several
    /// cores (small slices would leave them too little to share; 3 % slower
    /// at 2^18 agents, no faster).
    pub(super) fn slices(&self, exchange: bool, obs: &impl Observer) -> Vec<Range<usize>> {
        let n = self.world.agents.len();
        let sliced = self.agents_act_alone(exchange)
            && self.world.settings.capacity_count_block <= 1
            && !self.on_every_core(exchange, obs);
        let slice = exec::PASS_SLICE;
        if !sliced || n <= slice {
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
        mut list: Vec<(u32, u32)>,
        carry: Carry,
        action: &impl exec::speculate::Action,
    ) {
        let block = self.world.settings.capacity_count_block.max(1) as usize;
        if self.speculated(ex.is_some(), obs, list.len()) {
            let work = exec::speculate::run(
                &mut self.world,
                &mut self.stats,
                day,
                &mut list,
                action,
                block,
            );
            self.count_work(work);
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

    /// Adds a speculated pass's work to the run's counters.
    fn count_work(&mut self, work: exec::speculate::PassWork) {
        self.stats.candidates += work.candidates;
        self.stats.serial_candidates += work.serial;
        self.stats.checked_candidates += work.checked;
        self.stats.undone_candidates += work.undone;
    }
}
