//! Conflict-driven spawning (docs/flee-model.md 13): instead of a daily
//! total from the camp data, every location in conflict emits a number of
//! agents computed from its intensity, and they appear there.

use crate::rng::{uniform, Purpose};
use crate::world::Places;
use corridor_model::{ConflictSpawning, SpawnMode};

/// The day's new agents per location, in file order: `(location, count)` for
/// every location with `conflict > 0` and a count above 0 (13.3). Poisson
/// counts are drawn from the day's key, one stream per location.
pub(crate) fn counts(p: &Places, cfg: &ConflictSpawning, day_key: u64) -> Vec<(u32, u64)> {
    let mut out = Vec::new();
    for l in 0..p.len() {
        let c = p.conflict[l];
        if c <= 0.0 {
            continue;
        }
        let n = match cfg.mode {
            SpawnMode::Constant | SpawnMode::PopRatio => cfg.count(p.pop[l], c).max(0.0) as u64,
            SpawnMode::Poisson => poisson(cfg.count(p.pop[l], c), |k| {
                uniform(day_key, location_stream(l), Purpose::Spawn, k)
            }),
        };
        if n > 0 {
            out.push((l as u32, n));
        }
    }
    out
}

/// The stream of location `l`'s Poisson draws: agent numbers count up from 0,
/// so streams counted down from the top never meet them.
pub(crate) fn location_stream(l: usize) -> u64 {
    u64::MAX - l as u64
}

/// A Poisson draw with mean `lambda` from the uniforms `u(1), u(2), …`:
/// inversion for small means, Hörmann's PTRS (transformed rejection with
/// squeeze, 1993) above 10.
pub(crate) fn poisson(lambda: f64, mut u: impl FnMut(u32) -> f64) -> u64 {
    if lambda <= 0.0 || !lambda.is_finite() {
        return 0;
    }
    if lambda < 10.0 {
        let x = u(1);
        let mut p = (-lambda).exp();
        let mut cdf = p;
        let mut k = 0u64;
        while x >= cdf && k < 1000 {
            k += 1;
            p *= lambda / k as f64;
            cdf += p;
        }
        return k;
    }
    let slam = lambda.sqrt();
    let loglam = lambda.ln();
    let b = 0.931 + 2.53 * slam;
    let a = -0.059 + 0.02483 * b;
    let invalpha = 1.1239 + 1.1328 / (b - 3.4);
    let vr = 0.9277 - 3.6224 / (b - 2.0);
    let mut draw = 1;
    loop {
        let uu = u(draw) - 0.5;
        let v = u(draw + 1);
        draw += 2;
        let us = 0.5 - uu.abs();
        let k = ((2.0 * a / us + b) * uu + lambda + 0.43).floor();
        if us >= 0.07 && v <= vr {
            return k as u64;
        }
        if k < 0.0 || (us < 0.013 && v > us) {
            continue;
        }
        let lhs = (v * invalpha / (a / (us * us) + b)).ln();
        let rhs = -lambda + k * loglam - ln_factorial(k);
        if lhs <= rhs {
            return k as u64;
        }
    }
}

/// ln(k!) by Stirling's series (exact sums below 10).
fn ln_factorial(k: f64) -> f64 {
    if k < 10.0 {
        return (1..=k as u64).map(|i| (i as f64).ln()).sum();
    }
    let k1 = k + 1.0;
    (k1 - 0.5) * k1.ln() - k1 + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * k1)
        - 1.0 / (360.0 * k1.powi(3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::day_key;
    use crate::rules::testkit;

    fn cfg(mode: SpawnMode, rate: f64) -> ConflictSpawning {
        ConflictSpawning {
            mode,
            displaced_per_conflict_day: rate,
        }
    }

    #[test]
    fn only_conflict_zones_spawn_by_their_intensity() {
        // Flee's test_conflict_driven_spawning_post_conflict, one day: three
        // zones at N = 100; intensities 1, 0.5 and 0 (ended).
        let mut sc = testkit::line();
        sc.locations[1] = testkit::loc("B", "conflict_zone", 500);
        let mut w = testkit::world(sc);
        w.places.conflict[1] = 0.5;
        w.places.conflict[2] = 0.0;
        let c = counts(&w.places, &cfg(SpawnMode::Constant, 100.0), 1);
        assert_eq!(c, vec![(0, 100), (1, 50)]);
        // pop_ratio: int(0.01 × 1000 × 1) = 10 and int(0.01 × 500 × 0.5) = 2.
        let c = counts(&w.places, &cfg(SpawnMode::PopRatio, 0.01), 1);
        assert_eq!(c, vec![(0, 10), (1, 2)]);
        // A town never spawns, whatever its population.
        w.places.conflict[1] = -1.0;
        let c = counts(&w.places, &cfg(SpawnMode::PopRatio, 0.01), 1);
        assert_eq!(c, vec![(0, 10)]);
    }

    #[test]
    fn poisson_counts_have_the_mean_and_variance_of_the_intensity() {
        for lambda in [0.7, 4.0, 50.0, 250.0] {
            let n = 20_000u64;
            let draws: Vec<f64> = (0..n)
                .map(|d| {
                    let key = day_key(9, d as i64);
                    poisson(lambda, |k| uniform(key, 3, Purpose::Spawn, k)) as f64
                })
                .collect();
            let mean = draws.iter().sum::<f64>() / n as f64;
            let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            // The mean's standard error is sqrt(lambda / n); allow 5 of them.
            let se = (lambda / n as f64).sqrt();
            assert!(
                (mean - lambda).abs() < 5.0 * se,
                "lambda {lambda}: mean {mean}"
            );
            // The variance's relative standard error is about sqrt(2 / n) (1 %).
            assert!(
                (var / lambda - 1.0).abs() < 0.06,
                "lambda {lambda}: var {var}"
            );
        }
        assert_eq!(poisson(0.0, |_| 0.5), 0);
    }
}
