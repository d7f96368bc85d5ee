//! The directed route network: links, each location's outgoing link slots
//! (in `routes.csv` order), closures, and the route candidates an agent at a
//! location can choose from (docs/flee-model.md 1.2, 2.3, 4.6.1).

use corridor_model::Route;

/// A directed link. Closing a link marks this object closed and puts a fresh
/// copy in its slot, so agents already on it bounce back while new agents use
/// the copy once it reopens (Flee's object semantics, docs/flee-model.md 2.3).
#[derive(Debug, Clone)]
pub struct Link {
    pub from: u32,
    pub to: u32,
    pub distance: f64,
    /// Per-link speed override (route attribute `max_move_speed`).
    pub speed: Option<f64>,
    pub walk_probability: f64,
    /// Set when the link was closed while in use: travellers return to `from`.
    pub closed: bool,
    /// Index of the scenario route this link came from.
    pub route: u32,
}

/// A position in a location's outgoing list.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    pub link: u32,
    /// Where the link leads (its `to`, kept here so that finding the link
    /// to a waypoint reads only the slots).
    pub to: u32,
    pub active: bool,
}

/// One route an agent may choose: the waypoints after the current location.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Interned path id (see [`Paths`]).
    pub path: u32,
    /// Final waypoint.
    pub end: u32,
    /// Total km along the path.
    pub distance: f64,
}

/// Interned waypoint lists, stored end to end (path `i` is
/// `waypoints[start[i]..start[i + 1]]`, one read away on every hop). Id 0 is
/// the empty route.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    waypoints: Vec<u32>,
    start: Vec<u32>,
    index: std::collections::HashMap<Vec<u32>, u32>,
}

impl Paths {
    pub fn new() -> Self {
        let mut p = Paths {
            start: vec![0, 0],
            ..Paths::default()
        };
        p.index.insert(Vec::new(), 0);
        p
    }
    pub fn intern(&mut self, path: &[u32]) -> u32 {
        if let Some(&id) = self.index.get(path) {
            return id;
        }
        let id = (self.start.len() - 1) as u32;
        self.waypoints.extend_from_slice(path);
        self.start.push(self.waypoints.len() as u32);
        self.index.insert(path.to_vec(), id);
        id
    }
    #[inline]
    pub fn get(&self, id: u32) -> &[u32] {
        let i = id as usize;
        &self.waypoints[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// Networks with up to this many locations find the link between two places
/// in a table of every pair (at most 256 KiB; ukraine2022's 37 places take
/// 5.5 KiB): one read, where searching the slots ends at an unpredictable
/// place and cost a tenth of a run's time.
const PAIR_TABLE_MAX: usize = 256;

/// No active link between a pair of places, in [`Network`]'s pair table.
const NO_LINK: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub struct Network {
    pub links: Vec<Link>,
    /// Outgoing slots per location; changed only through [`Network::close_where`]
    /// and [`Network::open_where`], which keep the pair table in step.
    slots: Vec<Vec<Slot>>,
    /// `pair_link[from · n + to]`: the first active link from `from` to
    /// `to` ([`NO_LINK`]: none), for networks of up to [`PAIR_TABLE_MAX`]
    /// places (empty for larger ones, which search the slots).
    pair_link: Vec<u32>,
    /// Route candidates per location (CSR: `cand_start[l]..cand_start[l+1]`).
    pub cand_start: Vec<u32>,
    pub candidates: Vec<Candidate>,
    pub paths: Paths,
}

impl Network {
    /// Builds directed links from routes: each route gives A→B and B→A, with
    /// `forced_redirection` 2 creating the pair from B, and 1 creating it twice
    /// (Flee's duplicate-link quirk, docs/flee-model.md 1.2).
    pub fn build(n_locations: usize, routes: &[Route]) -> Network {
        let mut net = Network {
            links: Vec::new(),
            slots: vec![Vec::new(); n_locations],
            pair_link: Vec::new(),
            cand_start: vec![0; n_locations + 1],
            candidates: Vec::new(),
            paths: Paths::new(),
        };
        for (i, r) in routes.iter().enumerate() {
            let pairs: &[(u32, u32)] = match r.forced_redirection {
                1 => &[(r.from, r.to), (r.from, r.to)],
                2 => &[(r.to, r.from)],
                _ => &[(r.from, r.to)],
            };
            for &(a, b) in pairs {
                net.add_link(a, b, r, i as u32);
                net.add_link(b, a, r, i as u32);
            }
        }
        net.index_pairs();
        net
    }

    /// The outgoing slots of every location, in `routes.csv` order.
    #[inline]
    pub fn slots(&self) -> &[Vec<Slot>] {
        &self.slots
    }

    /// Fills the pair table from the slots (after any change to them).
    fn index_pairs(&mut self) {
        let n = self.slots.len();
        self.pair_link.clear();
        if n > PAIR_TABLE_MAX {
            return;
        }
        self.pair_link.resize(n * n, NO_LINK);
        for (from, slots) in self.slots.iter().enumerate() {
            // Backwards, so the first active slot to a place is written last.
            for s in slots.iter().rev().filter(|s| s.active) {
                self.pair_link[from * n + s.to as usize] = s.link;
            }
        }
    }

    fn add_link(&mut self, from: u32, to: u32, r: &Route, route: u32) {
        let id = self.links.len() as u32;
        self.links.push(Link {
            from,
            to,
            distance: r.distance_km,
            speed: r.max_move_speed,
            walk_probability: r.walk_probability,
            closed: false,
            route,
        });
        self.slots[from as usize].push(Slot {
            link: id,
            to,
            active: true,
        });
    }

    /// Deactivates every active slot matching `pred`; returns how many closed.
    /// With `bounce`, agents on the old link object return to its start.
    pub fn close_where(&mut self, bounce: bool, mut pred: impl FnMut(&Link) -> bool) -> usize {
        let mut n = 0;
        for l in 0..self.slots.len() {
            for s in 0..self.slots[l].len() {
                let slot = self.slots[l][s];
                if !slot.active || !pred(&self.links[slot.link as usize]) {
                    continue;
                }
                let mut copy = self.links[slot.link as usize].clone();
                copy.closed = false;
                if bounce {
                    self.links[slot.link as usize].closed = true;
                }
                let new_id = self.links.len() as u32;
                self.links.push(copy);
                self.slots[l][s] = Slot {
                    link: new_id,
                    active: false,
                    ..slot
                };
                n += 1;
            }
        }
        self.index_pairs();
        n
    }

    /// Reactivates every inactive slot matching `pred`; returns how many opened.
    pub fn open_where(&mut self, mut pred: impl FnMut(&Link) -> bool) -> usize {
        let mut n = 0;
        for l in 0..self.slots.len() {
            for s in 0..self.slots[l].len() {
                let slot = self.slots[l][s];
                if !slot.active && pred(&self.links[slot.link as usize]) {
                    self.slots[l][s].active = true;
                    n += 1;
                }
            }
        }
        self.index_pairs();
        n
    }

    /// The first active link from `loc` to `to`.
    #[inline]
    pub fn active_link_to(&self, loc: u32, to: u32) -> Option<u32> {
        if !self.pair_link.is_empty() {
            let (n, to) = (self.slots.len(), to as usize);
            let link = if to < n {
                self.pair_link[loc as usize * n + to]
            } else {
                NO_LINK
            };
            return (link != NO_LINK).then_some(link);
        }
        self.slots[loc as usize]
            .iter()
            .find(|s| s.active && s.to == to)
            .map(|s| s.link)
    }

    /// Active outgoing links of `loc`, in order.
    #[inline]
    pub fn active_links(&self, loc: u32) -> impl Iterator<Item = u32> + '_ {
        self.slots[loc as usize]
            .iter()
            .filter(|s| s.active)
            .map(|s| s.link)
    }

    #[inline]
    pub fn candidates_of(&self, loc: u32) -> std::ops::Range<usize> {
        self.cand_start[loc as usize] as usize..self.cand_start[loc as usize + 1] as usize
    }

    /// Rebuilds route candidates after the network changed (docs/flee-model.md 4.6.1):
    /// depth-first over active links up to `awareness` non-marker hops, every
    /// prefix a candidate, never revisiting a location already on the path.
    pub fn rebuild_candidates(&mut self, awareness: i64, is_marker: &[bool]) {
        let awareness = awareness.max(1);
        let n = self.slots.len();
        let mut cands = Vec::new();
        let mut start = Vec::with_capacity(n + 1);
        let mut origin = Vec::new();
        for l in 0..n as u32 {
            start.push(cands.len() as u32);
            origin.clear();
            origin.push(l);
            let links: Vec<u32> = self.active_links(l).collect();
            for link in links {
                self.expand(link, 0.0, &mut origin, 1, awareness, is_marker, &mut cands);
            }
        }
        start.push(cands.len() as u32);
        self.cand_start = start;
        self.candidates = cands;
    }

    #[allow(clippy::too_many_arguments)]
    fn expand(
        &mut self,
        link: u32,
        prior: f64,
        origin: &mut Vec<u32>,
        mut step: i64,
        awareness: i64,
        is_marker: &[bool],
        out: &mut Vec<Candidate>,
    ) {
        let (end, dist) = {
            let l = &self.links[link as usize];
            (l.to, l.distance)
        };
        if !is_marker[end as usize] {
            let mut path: Vec<u32> = origin[1..].to_vec();
            path.push(end);
            let id = self.paths.intern(&path);
            out.push(Candidate {
                path: id,
                end,
                distance: prior + dist,
            });
        } else {
            step -= 1;
        }
        if awareness > step {
            let next_links: Vec<u32> = self.active_links(end).collect();
            origin.push(end);
            for next in next_links {
                let next_end = self.links[next as usize].to;
                if origin[..origin.len() - 1].contains(&next_end) {
                    continue;
                }
                self.expand(
                    next,
                    prior + dist,
                    origin,
                    step + 1,
                    awareness,
                    is_marker,
                    out,
                );
            }
            origin.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first active slot from `loc` to `to`, searched.
    fn searched(net: &Network, loc: u32, to: u32) -> Option<u32> {
        net.slots[loc as usize]
            .iter()
            .find(|s| s.active && s.to == to)
            .map(|s| s.link)
    }

    /// A network of `n` places: a ring, chords, and duplicate links
    /// (`forced_redirection` 1), so that some pairs have two slots.
    fn network(n: u32) -> Network {
        let route = |from: u32, to: u32, forced: u8| Route {
            from,
            to,
            distance_km: 10.0 + f64::from(from),
            forced_redirection: forced,
            max_move_speed: None,
            walk_probability: 0.0,
        };
        let mut routes: Vec<Route> = (0..n).map(|l| route(l, (l + 1) % n, 0)).collect();
        routes.extend((0..n).step_by(3).map(|l| route(l, (l + n / 2) % n, 1)));
        routes.extend((0..n).step_by(5).map(|l| route(l, (l + 2) % n, 2)));
        Network::build(n as usize, &routes)
    }

    /// Every pair's link, as the pair table gives it (or the slots, in a
    /// network too large for the table), is the first active slot's, after
    /// closures and reopenings too.
    #[test]
    fn the_link_between_two_places_is_the_first_active_slots() {
        for n in [2, 7, 40, PAIR_TABLE_MAX as u32, PAIR_TABLE_MAX as u32 + 1] {
            let mut net = network(n);
            assert_eq!(net.pair_link.is_empty(), n as usize > PAIR_TABLE_MAX);
            let check = |net: &Network, stage: &str| {
                for loc in 0..n {
                    for to in 0..n {
                        let got = net.active_link_to(loc, to);
                        assert_eq!(got, searched(net, loc, to), "{stage}: {loc} → {to} of {n}");
                    }
                    // A place that is not one gives no link.
                    assert_eq!(net.active_link_to(loc, n + 3), None);
                }
            };
            check(&net, "built");
            let closed = net.close_where(true, |l| l.from % 4 == 1);
            assert!(closed > 0);
            check(&net, "closed");
            // Both duplicate slots of a pair closed, without bouncing.
            net.close_where(false, |l| l.from == 0 && l.to == n / 2);
            check(&net, "duplicates closed");
            assert!(net.open_where(|l| l.from % 4 == 1) > 0);
            check(&net, "reopened");
        }
    }
}
