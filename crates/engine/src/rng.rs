//! Counter-based randomness: every draw is a pure function of
//! (seed, day, agent, purpose, k), so results do not depend on thread count,
//! scheduling or the order in which agents are visited.

/// What a draw is for; part of the key so streams never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// The daily "does this agent move" test.
    Move = 1,
    /// Choosing among candidate routes.
    Route = 2,
    /// The per-link walking-speed test during travel.
    Walk = 3,
    /// Where the i-th spawned agent of the day appears.
    Spawn = 4,
    /// Siege hazards (attempts, fire, drowning, screening); k says which.
    Hazard = 5,
    /// Demographic attributes drawn at spawn.
    Demography = 6,
    /// Who is bused out of a camp over capacity (siege relocations).
    Relocation = 7,
    /// The `connections` attribute of Flee's agent log (drawn at spawn; changes nothing else).
    Connections = 8,
    /// Demographic attributes drawn at spawn (docs/flee-model.md 15.2).
    Attributes = 9,
    /// Whether a resting agent in a camp leaves the run today (`camps_are_sicks`).
    Deactivation = 10,
}

/// SplitMix64's finaliser: a bijection on u64 with good avalanche.
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Key for one simulated day of one run; compute once per day.
#[inline]
pub fn day_key(seed: u64, day: i64) -> u64 {
    mix64(mix64(seed ^ 0x5851_f42d_4c95_7f2d) ^ (day as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// A uniform number in [0, 1) for (day key, agent, purpose, k).
#[inline(always)]
pub fn uniform(day_key: u64, agent: u64, purpose: Purpose, k: u32) -> f64 {
    AgentStream::new(day_key, agent).uniform(purpose, k)
}

/// The draws of one agent on one day: the (day, agent) half of the key,
/// hashed once for an agent that draws several numbers (a multi-hop day
/// draws a move test, a route and a walk for every hop).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentStream(u64);

impl AgentStream {
    /// The stream of `agent` (its global id) on the day of `day_key`.
    #[inline(always)]
    pub fn new(day_key: u64, agent: u64) -> Self {
        AgentStream(mix64(day_key ^ agent.wrapping_mul(0xd1b5_4a32_d192_ed03)))
    }

    /// The same number as [`uniform`] with this stream's day and agent.
    #[inline(always)]
    pub fn uniform(self, purpose: Purpose, k: u32) -> f64 {
        self.grid(purpose, k) as f64 * (1.0 / GRID as f64)
    }

    /// The draw of [`AgentStream::uniform`] as the integer `m` of `m / 2^53`
    /// (the number is exactly that), to compare with a [`below`] threshold.
    #[inline(always)]
    pub fn grid(self, purpose: Purpose, k: u32) -> u64 {
        let h =
            mix64(self.0 ^ ((purpose as u64) << 32 | k as u64).wrapping_mul(0xa24b_aed4_963e_e407));
        h >> 11
    }
}

/// Draws are the numbers `m / GRID` for integers `0 <= m < GRID`.
pub const GRID: u64 = 1 << 53;

/// How many draws lie below `p`: `m < below(p)` exactly when
/// `m / 2^53 < p` (so `uniform < p`), for every `p`, NaN and infinities
/// included. A test against a chance fixed for many agents then costs an
/// integer comparison instead of a conversion, a product and a float
/// comparison on every agent. Exact because `p · 2^53` is (a power of two
/// scales without rounding) and, for an integer `m` and a real `x`,
/// `m < x` exactly when `m < ceil(x)`.
pub fn below(p: f64) -> u64 {
    // NaN and chances of 0 or less: no draw is below (`m / 2^53 < NaN` is false).
    if p.is_nan() || p <= 0.0 {
        return 0;
    }
    let x = p * GRID as f64;
    if x >= GRID as f64 {
        GRID
    } else {
        x.ceil() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_uniform_and_independent_of_order() {
        let key = day_key(42, 3);
        let n = 200_000u64;
        let mut mean = 0.0;
        let mut buckets = [0u32; 10];
        for a in 0..n {
            let u = uniform(key, a, Purpose::Move, 0);
            assert!((0.0..1.0).contains(&u));
            mean += u;
            buckets[(u * 10.0) as usize] += 1;
        }
        mean /= n as f64;
        assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
        for b in buckets {
            // 20,000 expected per bucket, sd ≈ 134
            assert!((b as i64 - 20_000).abs() < 800, "bucket {b}");
        }
        assert_eq!(
            uniform(key, 7, Purpose::Route, 1),
            uniform(key, 7, Purpose::Route, 1)
        );
        assert_ne!(
            uniform(key, 7, Purpose::Route, 1),
            uniform(key, 7, Purpose::Route, 2)
        );
        assert_ne!(
            uniform(key, 7, Purpose::Route, 1),
            uniform(key, 7, Purpose::Walk, 1)
        );
        assert_ne!(day_key(42, 3), day_key(43, 3));
    }

    #[test]
    fn an_agents_stream_gives_the_numbers_of_the_whole_key() {
        // The key hashed in two rounds, (day, agent) then (purpose, k), as
        // every run so far has drawn it: caching the first round changes no number.
        let whole = |key: u64, agent: u64, purpose: Purpose, k: u32| {
            let h = mix64(key ^ agent.wrapping_mul(0xd1b5_4a32_d192_ed03));
            let h =
                mix64(h ^ ((purpose as u64) << 32 | k as u64).wrapping_mul(0xa24b_aed4_963e_e407));
            (h >> 11) as f64 / (1u64 << 53) as f64
        };
        for day in 0..5 {
            let key = day_key(7, day);
            for agent in [0u64, 1, 99, 1 << 40] {
                let stream = AgentStream::new(key, agent);
                for purpose in [Purpose::Move, Purpose::Route, Purpose::Walk] {
                    for k in 0..4 {
                        assert_eq!(stream.uniform(purpose, k), whole(key, agent, purpose, k));
                    }
                }
            }
        }
        assert_ne!(AgentStream::new(1, 2), AgentStream::new(1, 3));
    }

    #[test]
    fn thresholds_decide_as_the_float_comparison_does() {
        let step = 1.0 / GRID as f64;
        let mut chances = vec![
            f64::NAN,
            f64::NEG_INFINITY,
            -1.0,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            5e-324,
            step,
            0.001,
            0.3,
            0.5,
            1.0 - step,
            1.0,
            1.0 + 1e-12,
            2.0,
            1e300,
            f64::INFINITY,
        ];
        let mut seed = 3u64;
        for _ in 0..2000 {
            seed = mix64(seed);
            chances.push((seed >> 11) as f64 * step);
            chances.push(f64::from_bits(seed).abs().min(4.0));
        }
        for &p in &chances {
            let t = below(p);
            // Draws on both sides of the threshold, at the grid's ends and at random.
            let mut draws = vec![0, 1, GRID - 1, t.saturating_sub(1), t, t + 1];
            for _ in 0..8 {
                seed = mix64(seed);
                draws.push(seed >> 11);
            }
            for m in draws.into_iter().filter(|&m| m < GRID) {
                let u = m as f64 * step;
                assert_eq!(m < t, u < p, "p {p:e}, m {m}, threshold {t}");
            }
        }
        let stream = AgentStream::new(day_key(5, 2), 17);
        assert_eq!(
            stream.grid(Purpose::Move, 0) as f64 * step,
            stream.uniform(Purpose::Move, 0)
        );
    }
}
