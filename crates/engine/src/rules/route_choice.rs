//! Route choice (docs/flee-model.md 4.6): a weighted pick among the
//! candidates of a location, from fixed weights where no candidate depends
//! on live counts, and Flee's `takeNextStep` along the chosen route.

use super::demographics;
use super::Draws;
use crate::rng::{uniform, AgentStream, Purpose};
use crate::world::{Places, World};
use corridor_model::Settings;

/// The capacity factor of `loc` from its live count, noted as a read that
/// depends on the order of the pass when `loc` has a capacity.
#[inline]
fn live_factor(p: &Places, s: &Settings, loc: u32) -> f64 {
    if p.order_matters(loc) {
        p.live_reads.note(loc, p.count_for_capacity(loc));
    }
    super::scores::cap_factor(p, s, loc)
}

/// Candidate lists up to this long are searched without branching on the draw.
const SHORT_LIST: usize = 8;

/// Index chosen by `u` ∈ [0, 1) among `n` weights summing to `total`, as
/// Python's `random.choices` does (first cumulative weight above `u·total`);
/// uniform when every weight is 0 (docs/flee-model.md 4.6.2).
#[inline]
pub(crate) fn weighted_pick(
    u: f64,
    total: f64,
    n: usize,
    weights: impl Iterator<Item = f64>,
) -> usize {
    let running = weights.scan(0.0, |acc: &mut f64, w| {
        *acc += w;
        Some(*acc)
    });
    pick_in_running_sums(u, total, n, running)
}

/// [`weighted_pick`] from the running sums of the weights (each summed from
/// 0.0 in order, as [`weighted_pick`] sums them), such as a table of them
/// kept for the day: the same index, without a chain of additions to wait on.
#[inline]
pub(crate) fn pick_in_running_sums(
    u: f64,
    total: f64,
    n: usize,
    running: impl Iterator<Item = f64>,
) -> usize {
    if total > 0.0 {
        let target = u * total;
        if n <= SHORT_LIST {
            // Which candidate wins is random, so an early exit is a branch
            // the processor mispredicts about every other time; counting the
            // places before the first hit gives the same index without one.
            let (mut found, mut before) = (false, 0);
            for acc in running {
                found |= target < acc;
                before += usize::from(!found);
            }
            return before.min(n - 1);
        }
        for (k, acc) in running.enumerate() {
            if target < acc {
                return k;
            }
        }
        n - 1
    } else {
        ((u * n as f64) as usize).min(n - 1)
    }
}

/// Route choice at a location whose candidate weights are fixed for the day
/// (no endpoint with a capacity): a pure function of (day, agent, draw
/// `k`), so the parallel scan can make it ahead of the serial pass.
pub(crate) fn pick_fixed(world: &World, stream: AgentStream, a: usize, loc: u32, k: u32) -> u32 {
    let range = world.net.candidates_of(loc);
    let table = demographics::weights_of(world, a);
    let total = table.total_over(range.clone());
    let u = stream.uniform(Purpose::Route, k);
    let running = &table.running[range.clone()];
    let pick = if table.rising && total > 0.0 {
        first_above(u * total, running)
    } else {
        pick_in_running_sums(u, total, range.len(), running.iter().copied())
    };
    world.net.candidates[range.start + pick].path
}

/// The index of the first of `running` above `target`, or the last one's:
/// what [`pick_in_running_sums`] finds when the sums never fall. Then the
/// sums not above `target` are the ones before the first hit, so counting
/// them (short lists) or a binary search gives the index without the chain
/// of the search that stops at the first hit.
#[inline]
fn first_above(target: f64, running: &[f64]) -> usize {
    let before = if target.is_nan() {
        running.len() // 0 × an infinite total: above no sum
    } else if running.len() <= SHORT_LIST {
        running.iter().filter(|&&acc| acc <= target).count()
    } else {
        running.partition_point(|&acc| acc <= target)
    };
    before.min(running.len() - 1)
}

/// Weighted choice among the candidates of `loc` for agent `a` (0: none),
/// with the capacity factor of live counts and pruning.
pub(crate) fn select_route(world: &World, a: usize, loc: u32, draws: &mut Draws) -> u32 {
    let range = world.net.candidates_of(loc);
    if range.is_empty() {
        return 0;
    }
    if !world.weights.live[loc as usize] {
        let path = pick_fixed(world, draws.stream, a, loc, draws.routes);
        draws.routes += 1;
        return path;
    }
    let s = &world.settings;
    let wp = s.weight_power;
    let base = demographics::weights_of(world, a).per_candidate;
    let matching = world.matching.as_ref();
    let mut weights = Buf::new();
    let mut total = 0.0;
    for i in range.clone() {
        let c = &world.net.candidates[i];
        let mut w = match matching {
            Some(m) => super::matching::weight(world, m, a, loc, i),
            None => base[i],
        };
        if world.places.capacity[c.end as usize] > 0 {
            let f = live_factor(&world.places, s, c.end);
            w *= if wp == 1.0 { f } else { f.powf(wp) };
        }
        weights.push(w);
        total += w;
    }
    let pt = s.pruning_threshold;
    if pt > 1.001 {
        let max = weights.iter().cloned().fold(0.0, f64::max);
        total = 0.0;
        for w in weights.iter_mut() {
            if *w < max / pt {
                *w = 0.0;
            }
            total += *w;
        }
    }
    let u = draws.stream.uniform(Purpose::Route, draws.routes);
    draws.routes += 1;
    let pick = weighted_pick(u, total, weights.len(), weights.iter().copied());
    world.net.candidates[range.start + pick].path
}

/// Like [`select_route`], among the candidates of `loc` whose first step is
/// not `avoid`, with draw `k`; 0 when none has any weight.
pub(crate) fn select_route_avoiding(
    world: &World,
    key: u64,
    a: usize,
    loc: u32,
    k: u32,
    avoid: u32,
) -> u32 {
    let range = world.net.candidates_of(loc);
    let s = &world.settings;
    let base = demographics::weights_of(world, a).per_candidate;
    let matching = world.matching.as_ref();
    let mut weights = Buf::new();
    let mut total = 0.0;
    for i in range.clone() {
        let c = &world.net.candidates[i];
        let mut w = match matching {
            Some(m) => super::matching::weight(world, m, a, loc, i),
            None => base[i],
        };
        if world.net.paths.get(c.path)[0] == avoid {
            w = 0.0;
        } else if world.places.capacity[c.end as usize] > 0 {
            w *= live_factor(&world.places, s, c.end).powf(s.weight_power);
        }
        weights.push(w);
        total += w;
    }
    if total <= 0.0 {
        return 0;
    }
    let u = uniform(key, world.gid(a), Purpose::Route, k);
    let pick = weighted_pick(u, total, weights.len(), weights.iter().copied());
    world.net.candidates[range.start + pick].path
}

/// Flee's `takeNextStep` (docs/flee-model.md 4.5): the link from `loc` to the
/// next waypoint of agent `a`'s route, advancing it, unless the final
/// waypoint is a nearly full camp or no active link leads there (then the
/// route is dropped).
pub(crate) fn take_next_step(world: &mut World, a: usize, loc: u32) -> Option<u32> {
    let (net, agents) = (&world.net, &mut world.agents);
    let path = agents.route[a];
    let pos = agents.route_pos[a] as usize;
    let waypoints = net.paths.get(path);
    let next = waypoints[pos];
    let last = *waypoints.last().expect("interned routes are non-empty");
    match net.active_link_to(loc, next) {
        Some(link) => {
            if world.places.camp[last as usize]
                && live_factor(&world.places, &world.settings, last) < 0.5
            {
                agents.route[a] = 0;
                return None;
            }
            if pos + 1 >= waypoints.len() {
                agents.route[a] = 0;
                agents.route_pos[a] = 0;
            } else {
                agents.route_pos[a] = (pos + 1) as u8;
            }
            Some(link)
        }
        None => {
            agents.route[a] = 0;
            None
        }
    }
}

/// A small inline buffer for candidate weights (most locations have few neighbours).
struct Buf {
    inline: [f64; 16],
    len: usize,
    heap: Vec<f64>,
}

impl Buf {
    #[inline]
    fn new() -> Self {
        Buf {
            inline: [0.0; 16],
            len: 0,
            heap: Vec::new(),
        }
    }
    #[inline]
    fn push(&mut self, w: f64) {
        if self.len < 16 {
            self.inline[self.len] = w;
        } else {
            if self.len == 16 {
                self.heap.extend_from_slice(&self.inline);
            }
            self.heap.push(w);
        }
        self.len += 1;
    }
    #[inline]
    fn len(&self) -> usize {
        self.len
    }
    #[inline]
    fn iter(&self) -> std::slice::Iter<'_, f64> {
        if self.len <= 16 {
            self.inline[..self.len].iter()
        } else {
            self.heap.iter()
        }
    }
    #[inline]
    fn iter_mut(&mut self) -> std::slice::IterMut<'_, f64> {
        if self.len <= 16 {
            self.inline[..self.len].iter_mut()
        } else {
            self.heap.iter_mut()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{scores, testkit};

    #[test]
    fn weighted_pick_follows_cumulative_weights() {
        let w = [1.0, 0.0, 3.0];
        assert_eq!(weighted_pick(0.0, 4.0, 3, w.iter().copied()), 0);
        assert_eq!(weighted_pick(0.2, 4.0, 3, w.iter().copied()), 0);
        assert_eq!(weighted_pick(0.25, 4.0, 3, w.iter().copied()), 2);
        assert_eq!(weighted_pick(0.999, 4.0, 3, w.iter().copied()), 2);
        // All zero: uniform over the candidates.
        assert_eq!(weighted_pick(0.5, 0.0, 4, [0.0; 4].into_iter()), 2);
    }

    #[test]
    fn short_lists_pick_as_the_cumulative_search_does() {
        // The search with an early exit, for any weights (zeros, NaN,
        // negative ones included), on both sides of SHORT_LIST.
        let searched = |u: f64, total: f64, w: &[f64]| {
            let target = u * total;
            let mut acc = 0.0;
            for (k, &x) in w.iter().enumerate() {
                acc += x;
                if target < acc {
                    return k;
                }
            }
            w.len() - 1
        };
        let mut seed = 1u64;
        let mut next = || {
            seed = crate::rng::mix64(seed);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let special = [0.0, f64::NAN, -0.5, 1e300, f64::INFINITY];
        for n in 1..=SHORT_LIST + 3 {
            for _ in 0..300 {
                let w: Vec<f64> = (0..n)
                    .map(|_| {
                        let x = next();
                        if x < 0.15 {
                            special[(x * 100.0) as usize % special.len()]
                        } else {
                            x
                        }
                    })
                    .collect();
                let total: f64 = w.iter().sum();
                for u in [0.0, next(), next(), 0.999_999] {
                    assert_eq!(
                        weighted_pick(u, total, n, w.iter().copied()),
                        if total > 0.0 {
                            searched(u, total, &w)
                        } else {
                            ((u * n as f64) as usize).min(n - 1)
                        },
                        "u {u} weights {w:?}"
                    );
                    // Sums that never fall (no weight below 0 or NaN): the
                    // count and the binary search find the same index.
                    if total > 0.0 && w.iter().all(|&x| x >= 0.0) {
                        let running: Vec<f64> = w
                            .iter()
                            .scan(0.0, |acc: &mut f64, &x| {
                                *acc += x;
                                Some(*acc)
                            })
                            .collect();
                        assert_eq!(
                            first_above(u * total, &running),
                            searched(u, total, &w),
                            "u {u} weights {w:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn inline_buffer_spills_to_the_heap() {
        let mut b = Buf::new();
        for i in 0..20 {
            b.push(i as f64);
        }
        assert_eq!(b.len(), 20);
        assert_eq!(b.iter().sum::<f64>(), 190.0);
        b.iter_mut().for_each(|w| *w = 1.0);
        assert_eq!(b.iter().sum::<f64>(), 20.0);
    }

    #[test]
    fn routes_are_followed_step_by_step_and_dropped_before_a_full_camp() {
        let mut w = testkit::world(testkit::line());
        scores::refresh(&mut w, 0).unwrap();
        scores::cache_totals(&mut w);
        w.create_agent(0);
        w.set_route(0, &[1, 2]);
        let link = take_next_step(&mut w, 0, 0).expect("A → B");
        assert_eq!(w.net.links[link as usize].to, 1);
        assert_eq!(w.agents.route_pos[0], 1);
        // The camp at the end fills up (capacity 10 × capacity_scaling 1.25):
        // the route is dropped at B.
        w.places.agents[2] = 13;
        assert_eq!(take_next_step(&mut w, 0, 1), None);
        assert_eq!(w.agents.route[0], 0);
        // From A the only candidates lead on through B.
        let mut draws = Draws::pass1(AgentStream::new(1, w.gid(0)));
        let path = select_route(&w, 0, 0, &mut draws);
        assert_eq!(w.net.paths.get(path)[0], 1);
        assert_eq!(draws.routes, 1);
    }

    /// A fixed pick reads the day's running sums: the index
    /// [`weighted_pick`] gives from the weights themselves, at every
    /// location, for draws across the whole range.
    #[test]
    fn fixed_picks_from_running_sums_are_the_weighted_picks() {
        let mut sc = testkit::line();
        sc.settings.awareness_level = 2;
        let mut w = testkit::world(sc);
        scores::refresh(&mut w, 0).unwrap();
        scores::cache_totals(&mut w);
        w.create_agent(0);
        let table = demographics::weights_of(&w, 0);
        // So the picks below take `first_above`.
        assert!(table.rising);
        for loc in 0..w.locations() as u32 {
            let range = w.net.candidates_of(loc);
            let weights = &table.per_candidate[range.clone()];
            let mut acc = 0.0;
            for (i, &x) in range.clone().zip(weights) {
                acc += x;
                assert_eq!(table.running[i], acc, "candidate {i}");
            }
            assert_eq!(table.total_over(range.clone()), acc);
            for k in 0..200 {
                let stream = AgentStream::new(crate::rng::day_key(3, k), 0);
                let u = stream.uniform(Purpose::Route, 0);
                let path = pick_fixed(&w, stream, 0, loc, 0);
                if range.is_empty() {
                    continue;
                }
                let n = range.len();
                let want = weighted_pick(u, acc, n, weights.iter().copied());
                assert_eq!(path, w.net.candidates[range.start + want].path);
            }
        }
    }
}
