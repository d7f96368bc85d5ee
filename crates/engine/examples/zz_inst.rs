// TEMPORARY instrumentation (not to be committed).
use corridor_engine::events::{Event, Observer};
use corridor_engine::{RunOptions, Simulation};
use std::collections::BTreeMap;
use std::io::Write;

struct Obs {
    spawned: BTreeMap<u32, u64>,
    deps: Vec<u32>,
}
impl Observer for Obs {
    fn event(&mut self, _d: i64, e: &Event) {
        if let Event::Spawned { location, .. } = e {
            *self.spawned.entry(*location).or_default() += 1;
        }
        if let Event::Departed { link, .. } = e {
            self.deps.push(*link);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let settings = std::path::PathBuf::from(&args[2]);
    let seed: u64 = args[3].parse().unwrap();
    let out = &args[4];
    let (sc, _) = corridor_io::read_flee_scenario(&dir, Some(&settings)).unwrap();
    let mut sim = Simulation::new(&sc, &RunOptions { seed, days: None }).unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    let names: Vec<String> = sc.locations.iter().map(|l| l.name.clone()).collect();
    let mut dep: BTreeMap<String, u64> = BTreeMap::new();
    loop {
        let mut obs = Obs { spawned: BTreeMap::new(), deps: Vec::new() };
        let t = sim.day();
        if sim.step(&mut obs).unwrap().is_none() {
            break;
        }
        for &l in &obs.deps {
            let lk = &sim.network().links[l as usize];
            *dep.entry(format!("{}>{}", names[lk.from as usize], names[lk.to as usize])).or_default() += 1;
        }
        let counts = sim.location_counts();
        let mut s = format!("{{\"t\": {t}, \"spawned\": {{");
        s += &obs
            .spawned
            .iter()
            .map(|(l, n)| format!("\"{}\": {n}", names[*l as usize]))
            .collect::<Vec<_>>()
            .join(", ");
        s += "}, \"counts\": {";
        s += &counts
            .iter()
            .enumerate()
            .map(|(i, n)| format!("\"{}\": {n}", names[i]))
            .collect::<Vec<_>>()
            .join(", ");
        s += &format!("}}, \"onlinks\": {}, \"dep\": {{", sim.travelling());
        s += &dep.iter().map(|(k, n)| format!("\"{k}\": {n}")).collect::<Vec<_>>().join(", ");
        s += "}}";
        writeln!(f, "{s}").unwrap();
    }
}
