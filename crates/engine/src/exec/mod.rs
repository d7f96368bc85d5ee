//! *How* the agent passes run, apart from *what* the rules compute. Each
//! pass is a parallel scan over the agents stored here ([`scan`]), which
//! yields the few candidates whose action touches shared state (movers,
//! arrivals), then [`in_creation_order`] brings every process's candidates
//! into the creation order of the whole run and hands them, one by one, to
//! the rule. Three executions:
//!
//! * local: one process, rayon threads; the scan's list is already in order.
//!   Without mechanisms or an observer of agent events, the candidates' actions
//!   run on every core too ([`speculate`]) and only those whose result depends
//!   on the order act one by one;
//! * replicated ranks: every process stores every agent and scans its own
//!   blocks; the lists are all-gathered and merged;
//! * divided ranks: every process stores only its blocks ([`Partition`]);
//!   the candidates travel with their state, in windows, and other
//!   processes' agents are visitors for the window.

pub(crate) mod actions;
mod kernels;
mod leavers;
pub(crate) mod own_scan;
mod partition;
pub(crate) mod scan;
mod settle;
pub(crate) mod speculate;
mod work_item;

pub use speculate::{alone_on_every_core, set_speculative_passes};

pub(crate) use partition::{merged_order, Owner, Partition};

use crate::world::World;

/// How the processes of a run split over several processes exchange the
/// results of their agent scans ([`crate::Simulation::step_partitioned`]).
///
/// Process `rank` of `size` owns agent `a` when `(a / block) % size == rank`,
/// a fixed assignment as agents are only ever appended.
pub trait Exchange {
    /// This process's index, `0..size`.
    fn rank(&self) -> usize;
    /// The number of processes.
    fn size(&self) -> usize;
    /// All-gather: every process passes its `local` words and receives the
    /// concatenation of every process's words in rank order.
    fn all_gather(&mut self, local: &[u32]) -> Vec<u32>;
    /// Agents per block of ownership (at least 1).
    fn block(&self) -> usize {
        PARTITION_BLOCK
    }
    /// Global indices per exchange round of a divided run (at least 1).
    fn window(&self) -> usize {
        EXCHANGE_WINDOW
    }
}

/// Default agents per block of ownership in a partitioned run.
pub const PARTITION_BLOCK: usize = 1024;

/// Global indices per exchange round of a divided run: bounds the movers and
/// arrivals a process holds at once (at most this many, 28 bytes each).
pub const EXCHANGE_WINDOW: usize = 1 << 20;

/// Agents per parallel work item.
pub(crate) const CHUNK: usize = 1 << 14;

/// Agents per slice of a pass whose candidates act in order: a slice is
/// scanned, then its candidates act, then the next slice is scanned (see
/// `Simulation::slices`). Measured on ukraine2022 at hasten 10 on one
/// thread: 2^12–2^15 all 3–4 % faster than one slice.
pub const PASS_SLICE: usize = 1 << 13;

/// What a replicated run (every process stores every agent) sends with each
/// candidate; a divided run always sends the whole state.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carry {
    /// Only the index: the rest is the same on every process. The rule gets
    /// `u32::MAX` as the word.
    Ids,
    /// The word, and the progress and recent distance the scan wrote (which
    /// only the owner has).
    Travel,
}

/// The scan's owner filter: a divided run scans everything it stores; a
/// replicated one its own blocks.
pub(crate) fn owner(world: &World, ex: &Option<&mut dyn Exchange>) -> Owner {
    if world.storage.part.is_some() {
        Owner::ALL
    } else {
        Owner::of(ex)
    }
}

/// Calls `each(world, slot, word)` for the candidates of every process in the
/// creation order of the run; `local` holds this process's `(slot, word)`
/// pairs in slot order.
pub(crate) fn in_creation_order(
    world: &mut World,
    ex: Option<&mut dyn Exchange>,
    local: Vec<(u32, u32)>,
    carry: Carry,
    mut each: impl FnMut(&mut World, usize, u32),
) {
    match ex {
        None => {
            for (a, word) in local {
                each(world, a as usize, word);
            }
        }
        Some(e) if world.storage.part.is_some() => divided(world, e, &local, each),
        Some(e) => {
            for (a, word) in replicated(world, e, &local, carry) {
                each(world, a as usize, word);
            }
        }
    }
}

/// The merged list of a replicated run.
fn replicated(
    world: &mut World,
    e: &mut dyn Exchange,
    local: &[(u32, u32)],
    carry: Carry,
) -> Vec<(u32, u32)> {
    match carry {
        Carry::Ids => {
            // Each process's list is in creation order; so is their merge.
            let ids: Vec<u32> = local.iter().map(|m| m.0).collect();
            let mut all = e.all_gather(&ids);
            all.sort_unstable();
            all.into_iter().map(|a| (a, u32::MAX)).collect()
        }
        Carry::Travel => {
            let agents = &mut world.agents;
            let mut words = Vec::with_capacity(local.len() * 4);
            for &(a, word) in local {
                let i = a as usize;
                words.extend([
                    a,
                    word,
                    agents.progress[i].to_bits(),
                    agents.recent[i].to_bits(),
                ]);
            }
            let all = e.all_gather(&words);
            let mut merged = Vec::with_capacity(all.len() / 4);
            for w in all.chunks_exact(4) {
                let i = w[0] as usize;
                agents.progress[i] = f32::from_bits(w[2]);
                agents.recent[i] = f32::from_bits(w[3]);
                merged.push((w[0], w[1]));
            }
            merged.sort_unstable_by_key(|&(a, _)| a);
            merged
        }
    }
}

/// The serial part of a pass in a divided run. The agents travel with their
/// state, in windows of [`Exchange::window`] global indices so that no
/// process ever holds more than one window's candidates; other processes'
/// agents are visitors for the window.
fn divided(
    world: &mut World,
    ex: &mut dyn Exchange,
    local: &[(u32, u32)],
    mut each: impl FnMut(&mut World, usize, u32),
) {
    const WIDTH: usize = 7; // global index, 5 state words, `word`
    let p = world.storage.part.expect("divided run");
    let window = ex.window().max(1);
    let mut at = 0;
    let mut lo = 0;
    loop {
        let hi = lo + window;
        let mut words = Vec::new();
        while at < local.len() && p.global(local[at].0 as usize) < hi {
            let (a, word) = local[at];
            words.push(p.global(a as usize) as u32);
            words.extend(world.agents.state_words(a as usize));
            words.push(word);
            at += 1;
        }
        let all = ex.all_gather(&words);
        drop(words);
        for w in merged_order(&all, WIDTH) {
            let w = w as usize;
            let g = all[w] as usize;
            let slot = if p.owns(g) {
                p.slot(g)
            } else {
                world.agents.push_state(&all[w + 1..w + 6]);
                world.storage.visitors.push(all[w]);
                world.agents.len() - 1
            };
            each(world, slot, all[w + 6]);
        }
        // Drop the visitors (their owners made the same changes).
        world.agents.truncate(world.stored_agents());
        world.storage.visitors.clear();
        lo = hi;
        // Every process sees the same count, so all stop together.
        if lo >= world.storage.n_global {
            break;
        }
    }
}
