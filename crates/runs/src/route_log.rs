//! Flee's agent and link logs (docs/flee-model.md 17) and the two tables
//! planners place services with: daily entries per link (`link_flows.csv`)
//! and where the people of each origin are (`od.csv`).
//!
//! Every level of Flee's logs is written: agent level 2 adds a row per
//! intermediate hop (from [`Observer::hop`]), 3 numbers those rows' days,
//! link level 2 adds the cumulative entries per attribute value.
//!
//! A [`RouteLog`] is an [`Observer`]: it follows spawns, departures, arrivals
//! and bounces as events and reads the world once at the end of each day, so
//! the engine does no extra work for it and a run without logs does none at
//! all (the runner then observes nothing). The per-agent arrays exist only
//! while a log is on. The text of each file is built here; `files.rs` writes it.

use corridor_engine::events::{Event, Observer};
use corridor_engine::rng::{day_key, uniform, Purpose};
use corridor_engine::World;
use corridor_io::python_float;
use std::fmt::Write as _;

/// No link yet.
const NONE: u32 = u32::MAX;

/// Mean of Flee's Poisson `connections` draw for agents spawned from the
/// data (conflict-driven spawning uses `average_social_connectivity`).
const MEAN_CONNECTIONS: f64 = 3.0;

/// Header of `agents.out.0`, before the names of the agents' attributes.
pub const AGENTS_OUT_HEADER: &str = "#time,rank-agentid,original_location,current_location,gps_x,gps_y,is_travelling,distance_travelled,places_travelled,distance_moved_this_timestep,connections,";
/// Header of `links.out.0`.
pub const LINKS_OUT_HEADER: &str = "#time,start_location,end_location,cum_num_agents,attribute";

/// What the run logs, from `log_levels.agent` / `log_levels.link`
/// (docs/flee-model.md 17.1); 0 is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLevels {
    /// `agents.out.0`: 1 one row per agent per day; 2 also one row per
    /// intermediate hop; 3 tags those rows' day with the hop number (`t-h`).
    /// Higher levels are level 3, as in Flee.
    pub agent: u8,
    /// `links.out.0`, `link_flows.csv` and `od.csv`: 1 one `total` row per
    /// open link per day; 2 also one row per attribute value that entered the
    /// link. Higher levels are level 2, as in Flee.
    pub link: u8,
}

impl LogLevels {
    /// The levels a scenario's settings ask for; `None` when both are off.
    pub fn of(settings: &corridor_model::Settings) -> Option<LogLevels> {
        let levels = LogLevels {
            agent: settings.agent.clamp(0, 3) as u8,
            link: settings.link.clamp(0, 2) as u8,
        };
        (levels.agent > 0 || levels.link > 0).then_some(levels)
    }
}

/// The log files of a finished run (each present when its level asks for it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunLogs {
    /// `agents.out.0`.
    pub agents_out: Option<String>,
    /// `links.out.0`.
    pub links_out: Option<String>,
    /// `link_flows.csv`.
    pub link_flows_csv: Option<String>,
    /// `od.csv`.
    pub od_csv: Option<String>,
}

/// Per agent (creation order) and per link state of the logs, and their text so far.
#[derive(Debug, Clone)]
pub struct RouteLog {
    levels: LogLevels,
    seed: u64,
    /// Where each agent was created (Flee's `home_location`).
    home: Vec<u32>,
    /// The link of each agent's latest leg.
    leg: Vec<u32>,
    /// Km of completed links (a bounced one included); `None` before the first.
    distance: Vec<Option<f64>>,
    /// 1 + links completed.
    places: Vec<u32>,
    /// Km already covered on its link when the day began (0 if resting).
    start_progress: Vec<f64>,
    /// Day of creation.
    born: Vec<i64>,
    /// Last day the agent travelled (departed or was on a link); -1 never.
    moved: Vec<i64>,
    /// Km of links completed today.
    completed_today: Vec<f64>,
    connections: Vec<u8>,
    /// Mean of the `connections` draw of the agents created from now on.
    mean_connections: f64,
    /// Today's link entries (agent, link) and completions, by link id (resolved at day end).
    entries: Vec<(u32, u32)>,
    completions: Vec<(u32, u32)>,
    /// Today's intermediate hops (agent, link) in the order they happened
    /// (agent level ≥ 2).
    hops: Vec<(u32, u32)>,
    /// Cumulative entries per directed route (`route * 2 + reversed`).
    cumulative: Vec<u64>,
    /// Link level ≥ 2: per directed route and attribute (`connections`, then
    /// the demographic attributes), cumulative entries per value, values in
    /// first-seen order.
    by_value: Vec<Vec<Vec<(String, u64)>>>,
    /// Per location, its open links in Flee's list order (slot indices).
    order: Vec<Vec<usize>>,
    agents_out: String,
    links_out: String,
    flows: String,
}

impl RouteLog {
    /// A log of the run that `world` starts (its day-0 agents are already
    /// placed: they are the first agents, created at their current places).
    pub fn new(levels: LogLevels, world: &World, seed: u64) -> RouteLog {
        let mut log = RouteLog {
            levels,
            seed,
            home: Vec::new(),
            leg: Vec::new(),
            distance: Vec::new(),
            places: Vec::new(),
            start_progress: Vec::new(),
            born: Vec::new(),
            moved: Vec::new(),
            completed_today: Vec::new(),
            connections: Vec::new(),
            mean_connections: MEAN_CONNECTIONS,
            entries: Vec::new(),
            completions: Vec::new(),
            hops: Vec::new(),
            cumulative: vec![0; world.scenario().routes.len() * 2],
            by_value: Vec::new(),
            order: Vec::new(),
            agents_out: String::new(),
            links_out: String::new(),
            flows: String::from("day,start_location,end_location,entries\n"),
        };
        let agents = world.agents();
        for a in 0..agents.len() {
            let at = agents.location(a).unwrap_or(NONE);
            log.add_agent(a, at, 0);
        }
        // The agents of agents.csv come first and have no connections draw
        // (docs/flee-model.md 15.2).
        let listed = world.scenario().initial_agents.agents.len();
        log.connections[..listed.min(agents.len())].fill(0);
        // Conflict-driven spawning draws with the settings' mean (docs/flee-model.md 13.3).
        let s = world.settings();
        if s.conflict_driven_spawning.is_some() {
            log.mean_connections = s.average_social_connectivity;
        }
        if levels.agent > 0 {
            // Flee names the first agent's attributes; corridor names them even
            // when no agent exists on day 0.
            log.agents_out.push_str(AGENTS_OUT_HEADER);
            for name in world.attribute_names() {
                log.agents_out.push_str(name);
                log.agents_out.push(',');
            }
            log.agents_out.push('\n');
        }
        if levels.link >= 2 {
            let attributes = 1 + world.scenario().demographics.attributes.len();
            log.by_value = vec![vec![Vec::new(); attributes]; log.cumulative.len()];
        }
        if levels.link > 0 {
            log.links_out.push_str(LINKS_OUT_HEADER);
            log.links_out.push('\n');
        }
        log
    }

    /// Registers agent `a`, created at `home` on `day`, with its `connections` draw.
    fn add_agent(&mut self, a: usize, home: u32, day: i64) {
        if a >= self.home.len() {
            let n = a + 1;
            self.home.resize(n, NONE);
            self.leg.resize(n, NONE);
            self.distance.resize(n, None);
            self.places.resize(n, 1);
            self.start_progress.resize(n, 0.0);
            self.born.resize(n, day);
            self.moved.resize(n, -1);
            self.completed_today.resize(n, 0.0);
            self.connections.resize(n, 0);
        }
        self.home[a] = home;
        self.born[a] = day;
        let u = uniform(day_key(self.seed, day), a as u64, Purpose::Connections, 0);
        self.connections[a] = poisson(self.mean_connections, u);
    }

    /// The directed-route index of link `link` (its cumulative count's slot).
    fn route_slot(world: &World, link: u32) -> usize {
        let l = &world.network().links[link as usize];
        let route = &world.scenario().routes[l.route as usize];
        l.route as usize * 2 + usize::from(route.from != l.from)
    }

    /// Ends day `t`: resolves today's events and appends the day's rows.
    /// Call after the day's travel, before the next day.
    pub fn end_of_day(&mut self, world: &World, t: i64) {
        let agents = world.agents();
        let loc_name = |l: u32| world.scenario().locations[l as usize].name.as_str();
        // Agents created without an event (by a mechanism) start where they are.
        for a in self.home.len()..agents.len() {
            let at = agents.location(a).unwrap_or(NONE);
            self.add_agent(a, at, t);
        }
        let mut today = vec![0u64; self.cumulative.len()];
        let entries = std::mem::take(&mut self.entries);
        for &(a, link) in &entries {
            let slot = Self::route_slot(world, link);
            self.cumulative[slot] += 1;
            today[slot] += 1;
            if self.levels.link >= 2 {
                self.count_values(world, a as usize, slot);
            }
        }
        self.entries = entries;
        self.entries.clear();
        for &(a, link) in &self.completions {
            let a = a as usize;
            let km = world.network().links[link as usize].distance;
            self.distance[a] = Some(self.distance[a].unwrap_or(0.0) + km);
            self.places[a] += 1;
            self.completed_today[a] += km;
        }
        self.completions.clear();
        if self.levels.link > 0 {
            self.link_rows(world, t, &today);
        }
        // Each agent's hops stay in the order they happened.
        self.hops.sort_by_key(|&(a, _)| a);
        let mut hops = std::mem::take(&mut self.hops);
        let mut next_hop = 0;
        for a in 0..agents.len() {
            let travelling = agents.link(a);
            let end_progress = travelling.map_or(0.0, |_| agents.progress_km(a));
            if travelling.is_some() {
                self.moved[a] = t;
            }
            let day_km = self.completed_today[a] + end_progress - self.start_progress[a];
            let first_hop = next_hop;
            while hops.get(next_hop).is_some_and(|&(h, _)| h as usize == a) {
                next_hop += 1;
            }
            if self.levels.agent > 0 {
                self.agent_rows(world, a, t, day_km, &hops[first_hop..next_hop], &loc_name);
            }
            self.start_progress[a] = end_progress;
            self.completed_today[a] = 0.0;
        }
        hops.clear();
        self.hops = hops;
    }

    /// Counts agent `a`'s attribute values on its entry of directed route `slot`.
    fn count_values(&mut self, world: &World, a: usize, slot: usize) {
        let attributes = world.agents().attribute_count();
        for k in 0..=attributes {
            let value = match k {
                0 => self.connections.get(a).map(u8::to_string),
                _ => world.attribute_text(a, k - 1),
            };
            // An agent without a value has no such key in Flee: nothing to count.
            let (Some(value), Some(counts)) = (value, self.by_value[slot].get_mut(k)) else {
                continue;
            };
            match counts.iter_mut().find(|(v, _)| *v == value) {
                Some((_, n)) => *n += 1,
                None => counts.push((value, 1)),
            }
        }
    }

    /// The `agents.out` rows of agent `a` on day `t`: its row (none when it no
    /// longer takes part) and, at level ≥ 2, one row per link of `hops` (the
    /// same row naming the link; at level 3 its day is `t-<hop number>`).
    fn agent_rows<'n>(
        &mut self,
        world: &'n World,
        a: usize,
        t: i64,
        day_km: f64,
        hops: &[(u32, u32)],
        loc_name: &dyn Fn(u32) -> &'n str,
    ) {
        let agents = world.agents();
        let locations = &world.scenario().locations;
        // A link's name and the midpoint of its ends.
        let on_link = |link: u32| {
            let k = &world.network().links[link as usize];
            let (s, e) = (&locations[k.from as usize], &locations[k.to as usize]);
            (
                format!("L:{}:{}", s.name, e.name),
                (s.lat + e.lat) / 2.0,
                (s.lon + e.lon) / 2.0,
            )
        };
        let (place, x, y, travelling) = match (agents.location(a), agents.link(a)) {
            (Some(l), _) => {
                let loc = &locations[l as usize];
                (loc.name.clone(), loc.lat, loc.lon, false)
            }
            (None, Some(link)) => {
                let (name, x, y) = on_link(link);
                (name, x, y, true)
            }
            (None, None) => return,
        };
        let home = match self.home[a] {
            NONE => place.clone(),
            h => loc_name(h).to_string(),
        };
        let distance = self.distance[a].map_or("0".into(), python_float);
        // Python's integer 0 after the daily reset, 0.0 on the day of creation.
        let moved = if self.moved[a] == t {
            python_float(day_km)
        } else if self.born[a] == t {
            "0.0".into()
        } else {
            "0".into()
        };
        // Everything after the place and its coordinates, shared by the hop rows.
        let mut tail = format!(
            "{},{distance},{},{moved},{},",
            if travelling { "True" } else { "False" },
            self.places[a],
            self.connections[a],
        );
        for k in 0..agents.attribute_count() {
            tail.push_str(&world.attribute_text(a, k).unwrap_or_default());
            tail.push(',');
        }
        let out = &mut self.agents_out;
        let (x, y) = (python_float(x), python_float(y));
        let _ = writeln!(out, "{t},0-{a},{home},{place},{x},{y},{tail}");
        if self.levels.agent < 2 {
            return;
        }
        for (h, &(_, link)) in hops.iter().enumerate() {
            let (place, x, y) = on_link(link);
            let (x, y) = (python_float(x), python_float(y));
            match self.levels.agent {
                2 => write!(out, "{t}"),
                _ => write!(out, "{t}-{}", h + 1),
            }
            .and_then(|()| writeln!(out, ",0-{a},{home},{place},{x},{y},{tail}"))
            .unwrap_or(());
        }
    }

    /// The day's `links.out` rows (every active link, per location in file
    /// order) and its `link_flows.csv` rows (links entered today).
    fn link_rows(&mut self, world: &World, t: i64, today: &[u64]) {
        let net = world.network();
        let names = &world.scenario().locations;
        self.order.resize(world.locations(), Vec::new());
        for (l, order) in self.order.iter_mut().enumerate() {
            // Flee removes a closed link from its location's list and appends
            // it again when it reopens; the engine keeps its slot.
            let slots = &net.slots()[l];
            order.retain(|&s| slots[s].active);
            for (s, slot) in slots.iter().enumerate() {
                if slot.active && !order.contains(&s) {
                    order.push(s);
                }
            }
            for &s in order.iter() {
                let link = slots[s].link;
                let k = &net.links[link as usize];
                let slot = Self::route_slot(world, link);
                let (s, e) = (&names[k.from as usize].name, &names[k.to as usize].name);
                let _ = writeln!(
                    self.links_out,
                    "{t},{s},{e},{},total",
                    self.cumulative[slot]
                );
                // Level 2: the counts per attribute value (none at level 1).
                for (k, counts) in self.by_value.get(slot).into_iter().flatten().enumerate() {
                    let attribute = match k {
                        0 => "connections",
                        _ => world.scenario().demographics.attributes[k - 1]
                            .name
                            .as_str(),
                    };
                    for (value, n) in counts {
                        let _ = writeln!(self.links_out, "{t},{s},{e},{n},{attribute}:{value}");
                    }
                }
            }
        }
        for (slot, &n) in today.iter().enumerate() {
            if n > 0 {
                let route = &world.scenario().routes[slot / 2];
                let (from, to) = if slot % 2 == 0 {
                    (route.from, route.to)
                } else {
                    (route.to, route.from)
                };
                let (s, e) = (&names[from as usize].name, &names[to as usize].name);
                let _ = writeln!(self.flows, "{t},{s},{e},{n}");
            }
        }
    }

    /// Which logs are on.
    pub fn levels(&self) -> LogLevels {
        self.levels
    }

    /// The files of the run that ended with `world`.
    pub fn finish(self, world: &World) -> RunLogs {
        RunLogs {
            od_csv: self.od_csv(world),
            link_flows_csv: self.link_flows_csv().map(str::to_string),
            agents_out: (self.levels.agent > 0).then_some(self.agents_out),
            links_out: (self.levels.link > 0).then_some(self.links_out),
        }
    }

    /// `agents.out.0` so far (`None` unless `log_levels.agent` asks for it).
    pub fn agents_out(&self) -> Option<&str> {
        (self.levels.agent > 0).then_some(self.agents_out.as_str())
    }

    /// `links.out.0` so far (`None` unless `log_levels.link` asks for it).
    pub fn links_out(&self) -> Option<&str> {
        (self.levels.link > 0).then_some(self.links_out.as_str())
    }

    /// `link_flows.csv` so far: agents entering each directed link per day
    /// (links nobody entered that day are left out).
    pub fn link_flows_csv(&self) -> Option<&str> {
        (self.levels.link > 0).then_some(self.flows.as_str())
    }

    /// `od.csv` of `world` now: per origin (where agents were created) and
    /// destination (where they rest, or the end of the link they travel on),
    /// how many agents, and how many of them are still on the way.
    pub fn od_csv(&self, world: &World) -> Option<String> {
        if self.levels.link == 0 {
            return None;
        }
        let agents = world.agents();
        let n = world.locations();
        let mut table = std::collections::BTreeMap::<(u32, u32), (u64, u64)>::new();
        for a in 0..agents.len().min(self.home.len()) {
            let (to, travelling) = match (agents.location(a), agents.link(a)) {
                (Some(l), _) => (l, false),
                (None, Some(link)) => (world.network().links[link as usize].to, true),
                (None, None) => continue,
            };
            let from = self.home[a];
            if from as usize >= n {
                continue;
            }
            let cell = table.entry((from, to)).or_default();
            cell.0 += 1;
            cell.1 += u64::from(travelling);
        }
        let names = &world.scenario().locations;
        let mut out = String::from("origin,destination,agents,travelling\n");
        for ((from, to), (all, moving)) in table {
            let _ = writeln!(
                out,
                "{},{},{all},{moving}",
                names[from as usize].name, names[to as usize].name
            );
        }
        Some(out)
    }
}

impl Observer for RouteLog {
    fn hop(&mut self, _day: i64, agent: u64, link: u32) {
        if self.levels.agent >= 2 {
            self.hops.push((agent as u32, link));
        }
    }

    fn event(&mut self, day: i64, event: &Event) {
        match *event {
            Event::Spawned { agent, location } => self.add_agent(agent as usize, location, day),
            Event::Departed { agent, link } => {
                let a = agent as usize;
                if a < self.leg.len() {
                    self.leg[a] = link;
                    self.moved[a] = day;
                }
                self.entries.push((agent as u32, link));
            }
            Event::Arrived { agent, .. } | Event::Bounced { agent, .. } => {
                let a = agent as usize;
                if a < self.leg.len() && self.leg[a] != NONE {
                    self.completions.push((agent as u32, self.leg[a]));
                    self.moved[a] = day;
                }
            }
            _ => {}
        }
    }
}

/// A Poisson(`mean`) number from one uniform `u` (inversion), capped at 255.
fn poisson(mean: f64, u: f64) -> u8 {
    let mut p = (-mean).exp();
    let mut cdf = p;
    let mut k = 0u32;
    while u > cdf && k < 255 {
        k += 1;
        p *= mean / k as f64;
        cdf += p;
    }
    k as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_draws_have_the_mean_and_spread_of_the_distribution() {
        let n = 20_000u64;
        let draws: Vec<f64> = (0..n)
            .map(|a| poisson(3.0, uniform(day_key(7, 0), a, Purpose::Connections, 0)) as f64)
            .collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n as f64;
        // sd of the mean ≈ sqrt(3 / 20000) ≈ 0.012.
        assert!((mean - 3.0).abs() < 0.05, "mean {mean}");
        assert!((var - 3.0).abs() < 0.2, "variance {var}");
        assert_eq!(poisson(3.0, 0.0), 0);
    }
}
