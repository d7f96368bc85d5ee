//! Steps 2 and 3 of a speculated pass ([`super::speculate`]), item by item
//! in creation order, while later items are still acting: whichever thread
//! finishes the item next in line settles it, and every finished item after
//! it, as the others go on acting. Settling all items once the last was done
//! left every other core idle meanwhile (about 1.3 % of a two-thread run of
//! ukraine2022 at hasten 10); now only the last items' settling is.
//!
//! The result is the same as settling the whole pass at once. An item's
//! changes to counts whose order does not matter may be applied item by
//! item: the checks read only counts whose order matters, and a serial
//! action that reads another count gets the same factor anywhere in the
//! range the pass can take it to ([`super::speculate::mark_ordered`]). The
//! readers are checked, and act again, in creation order, as before.

use super::leavers::Leavers;
use super::speculate::{act_serially, Action, PassWork};
use super::work_item::{count_change, Item};
use crate::pipeline::Day;
use crate::rules::scores::factor_at;
use crate::world::World;
use crate::RunStats;
use std::sync::Mutex;

/// Work items handed over as they finish, in any order, and passed on in
/// their order: whichever thread hands over the item next in line passes it
/// on, and every item handed over after it meanwhile, while the other
/// threads go on.
pub(super) struct InOrder<T> {
    queue: Mutex<Queue<T>>,
}

/// [`InOrder`]'s state: the items handed over and not yet passed on, the
/// next in line, and whether a thread is passing items on.
struct Queue<T> {
    done: Vec<Option<T>>,
    next: usize,
    passing: bool,
}

impl<T> InOrder<T> {
    /// For items `0..count`.
    pub(super) fn new(count: usize) -> Self {
        InOrder {
            queue: Mutex::new(Queue {
                done: (0..count).map(|_| None).collect(),
                next: 0,
                passing: false,
            }),
        }
    }

    /// Item `i` is done: `on` gets it, and the items after it that are done,
    /// in order, when its turn has come and no other thread is passing items
    /// on; else the thread that is, or that hands over the item before it,
    /// passes it on. `on` runs on one thread at a time.
    pub(super) fn finished(&self, i: usize, item: T, mut on: impl FnMut(T)) {
        let mut queue = self.queue();
        queue.done[i] = Some(item);
        if queue.passing {
            return;
        }
        queue.passing = true;
        loop {
            let next = queue.next;
            let Some(item) = queue.done.get_mut(next).and_then(Option::take) else {
                break;
            };
            queue.next += 1;
            // Others hand over their items meanwhile.
            drop(queue);
            on(item);
            queue = self.queue();
        }
        queue.passing = false;
    }

    /// Whether every item was passed on.
    pub(super) fn all_passed(&self) -> bool {
        let queue = self.queue();
        queue.next == queue.done.len()
    }

    /// The queue, whole even if a thread panicked holding it.
    fn queue(&self) -> std::sync::MutexGuard<'_, Queue<T>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Steps 2 and 3 of one pass, fed items as they finish.
pub(super) struct Settle<'a, 's> {
    order: InOrder<Item>,
    settler: Mutex<Settler<'a, 's>>,
}

impl<'a, 's> Settle<'a, 's> {
    /// Settles `count` items on `world`, a scratch world over the pass's
    /// agents whose counts are the run's as the items began (see [`Settler`]).
    pub(super) fn new(
        count: usize,
        world: World<'s>,
        stats: &'a mut RunStats,
        work: &'a mut PassWork,
        leavers: Option<&'a Leavers<'a>>,
    ) -> Self {
        let start = world.places.agents.clone();
        Settle {
            order: InOrder::new(count),
            settler: Mutex::new(Settler {
                seen: start.clone(),
                start,
                world,
                stats,
                work,
                leavers,
            }),
        }
    }

    /// Item `i` is done: settled in its turn ([`InOrder::finished`]).
    pub(super) fn finished<A: Action>(&self, i: usize, item: Item, day: Day, action: &A) {
        self.order.finished(i, item, |item| {
            let mut settler = self.settler.lock().unwrap_or_else(|e| e.into_inner());
            settler.settle(&item, day, action);
        });
    }

    /// The world settled on, once every item is: its counts are the run's
    /// after the pass.
    pub(super) fn into_world(self) -> World<'s> {
        debug_assert!(self.order.all_passed(), "an item was not settled");
        let settler = self.settler.into_inner().unwrap_or_else(|e| e.into_inner());
        settler.world.places.live_reads.take();
        settler.world
    }
}

/// What settling carries from item to item.
struct Settler<'a, 's> {
    /// A scratch world over the pass's agents whose counts are the run's: it
    /// touches only the agents of items already done, which no other item
    /// lists.
    world: World<'s>,
    /// The counts as the items began.
    start: Vec<i64>,
    /// The counts the item being settled saw: `start`, its segments and its
    /// kept readers.
    seen: Vec<i64>,
    stats: &'a mut RunStats,
    work: &'a mut PassWork,
    leavers: Option<&'a Leavers<'a>>,
}

impl Settler<'_, '_> {
    /// Steps 2 and 3 for item `it`, the next in creation order: its changes
    /// to counts whose order does not matter, then its readers, each after
    /// the ordered count changes of the candidates before it (the earlier
    /// items', already settled, and its own segments up to it).
    fn settle<A: Action>(&mut self, it: &Item, day: Day, action: &A) {
        let world = &mut self.world;
        let stats = &mut *self.stats;
        let work = &mut *self.work;
        let apply = |counts: &mut [i64], changes: &[(u32, i64)]| {
            for &(l, d) in changes {
                counts[l as usize] += d;
            }
        };
        apply(&mut world.places.agents, &it.deltas);
        stats.departures += it.stats.departures;
        stats.arrivals += it.stats.arrivals;
        work.candidates += it.candidates;
        let seen = &mut self.seen;
        seen.clone_from(&self.start);
        let (mut from, mut reads_from) = (0, 0);
        for (r, &end) in it.readers.iter().zip(&it.segment_ends) {
            let segment = &it.ordered[from..end as usize];
            apply(&mut world.places.agents, segment);
            apply(seen, segment);
            from = end as usize;
            let reads = &it.reads[reads_from..r.reads_end as usize];
            reads_from = r.reads_end as usize;
            let (a, word) = r.candidate;
            let change = || count_change(r.before[0], r.after).into_iter().flatten();
            if r.kept {
                // Every read would have given the same at the one-by-one
                // pass's count: the action stands.
                let (p, s) = (&world.places, &world.settings);
                let same = |&(l, c): &(u32, i64)| {
                    let shift = p.agents[l as usize] - seen[l as usize];
                    factor_at(p, s, l, c + shift) == factor_at(p, s, l, c)
                };
                let stands = reads.iter().all(same);
                for (l, d) in change() {
                    seen[l as usize] += i64::from(d);
                    if stands {
                        world.places.agents[l as usize] += i64::from(d);
                    }
                }
                if stands {
                    work.checked += 1;
                    continue;
                }
                world.agents.set_state(a as usize, r.before);
                work.undone += 1;
                stats.departures -= r.counted.0;
                stats.arrivals -= r.counted.1;
            }
            work.serial += 1;
            // After the leavers' step, the leavers' places show this agent
            // their counts as of its turn (it changes none of them).
            let now = self.leavers.map(|l| {
                let now = world.places.agents.clone();
                l.show(&mut world.places.agents, a);
                now
            });
            act_serially(world, stats, day, action, a, word);
            if let (Some(l), Some(now)) = (self.leavers, now) {
                for &p in l.places {
                    world.places.agents[p as usize] = now[p as usize];
                }
            }
        }
        apply(&mut world.places.agents, &it.ordered[from..]);
    }
}

#[cfg(test)]
mod tests {
    use super::InOrder;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    #[test]
    fn items_finished_in_any_order_on_any_thread_are_passed_on_in_order() {
        for threads in [1, 2, 3, 8] {
            let count = 200;
            let order = InOrder::new(count);
            let passed = Mutex::new(Vec::new());
            let (next, busy) = (AtomicUsize::new(0), AtomicUsize::new(0));
            std::thread::scope(|s| {
                for t in 0..threads {
                    let (order, passed, next, busy) = (&order, &passed, &next, &busy);
                    s.spawn(move || loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            break;
                        }
                        // Uneven work, so that items finish out of order.
                        for _ in 0..(i * 7 + t * 13) % 31 {
                            std::thread::yield_now();
                        }
                        order.finished(i, i, |item| {
                            assert_eq!(busy.fetch_add(1, Ordering::SeqCst), 0, "one at a time");
                            passed.lock().unwrap().push(item);
                            busy.fetch_sub(1, Ordering::SeqCst);
                        });
                    });
                }
            });
            assert!(order.all_passed());
            let passed = passed.into_inner().unwrap();
            assert_eq!(passed, (0..count).collect::<Vec<_>>(), "{threads} threads");
        }
    }
}
