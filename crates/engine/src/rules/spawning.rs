//! Data-driven spawning (docs/flee-model.md 4.2 B): where the day's new
//! agents appear, in proportion to population × conflict intensity × decay.

use crate::exec::CHUNK;
use crate::rng::{uniform, Purpose};
use crate::world::Places;
use corridor_model::Settings;
use rayon::prelude::*;

/// Spawn weight of every location at `time` into `out`: population ×
/// intensity × decay since the conflict began, 0 outside conflict.
pub(crate) fn refresh_weights(p: &Places, s: &Settings, time: i64, out: &mut [f64]) {
    for (i, w) in out.iter_mut().enumerate() {
        *w = if p.conflict[i] > 0.0 {
            p.pop[i] as f64 * p.conflict[i] * s.decay(time - p.time_of_conflict[i])
        } else {
            0.0
        } + super::food::spawn_weight(p, s, i, time);
    }
}

/// Locations of `n` new agents numbered from `base`, drawn by `weights`;
/// `None` when no location has weight.
pub(crate) fn locations(key: u64, base: u64, n: u64, weights: &[f64]) -> Option<Vec<u32>> {
    let mut cum = Vec::with_capacity(weights.len());
    let mut total = 0.0;
    for &w in weights {
        total += w;
        cum.push(total);
    }
    if total <= 0.0 {
        return None;
    }
    Some(
        (0..n as usize)
            .into_par_iter()
            .with_min_len(CHUNK)
            .map(|i| {
                let u = uniform(key, base + i as u64, Purpose::Spawn, 0) * total;
                let k = cum.partition_point(|&c| c <= u);
                k.min(cum.len() - 1) as u32
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    #[test]
    fn weights_follow_population_and_conflict() {
        let w = testkit::world(testkit::line());
        let mut out = vec![9.0; 3];
        refresh_weights(&w.places, &w.settings, 0, &mut out);
        // Only A is in conflict (intensity 1, population 1000).
        assert!(out[0] > 0.0);
        assert_eq!(&out[1..], &[0.0, 0.0]);
    }

    #[test]
    fn agents_appear_only_where_there_is_weight() {
        let locs = locations(7, 0, 1000, &[0.0, 3.0, 0.0, 1.0]).unwrap();
        assert_eq!(locs.len(), 1000);
        assert!(locs.iter().all(|&l| l == 1 || l == 3));
        let at1 = locs.iter().filter(|&&l| l == 1).count();
        assert!((650..850).contains(&at1), "{at1}");
        assert_eq!(locations(7, 0, 5, &[0.0, 0.0]), None);
    }
}
