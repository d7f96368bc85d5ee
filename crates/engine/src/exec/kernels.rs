//! The scans' inner loops over runs of agents whose global ids follow each
//! other: branch-free, so that the compiler turns them into vector code, and
//! compiled twice, for the baseline processor and for AVX-512 (whose 64-bit
//! multiplies in vector registers hash eight agents' draws at once), the
//! second chosen at run time where the processor has it. Integer hashing and
//! IEEE arithmetic give the same bits either way, so outputs do not depend
//! on the processor. Every agent of a run draws, whatever it does: a draw is
//! a pure function of the key, so drawing more changes no number.

use crate::rng::{AgentStream, Purpose, GRID};
use crate::world::ON_LINK;

/// The most agents a kernel handles in one call (the callers' buffers).
pub(crate) const RUN: usize = 256;

/// Pass 1's plain move tests ([`crate::rules::move_chance::plain`]) of a
/// run: `moves[i]` is 1 when agent `i` of `locs` (with `routes`, global id
/// `first + i`) rests and its move draw is below its threshold: the
/// place's from `thresholds` ([`crate::rng::below`] of its chance), every
/// draw with a route under way.
pub(crate) fn move_outcomes(
    key: u64,
    first: u64,
    locs: &[u32],
    routes: &[u32],
    thresholds: &[u64],
    moves: &mut [u8],
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512dq")
        && std::arch::is_x86_feature_detected!("avx512vl")
        && std::arch::is_x86_feature_detected!("avx512bw")
    {
        // SAFETY: the processor has the features `move_outcomes_wide` is compiled for.
        unsafe { move_outcomes_wide(key, first, locs, routes, thresholds, moves) };
        return;
    }
    move_outcomes_in(key, first, locs, routes, thresholds, moves);
}

/// [`move_outcomes_in`] compiled for AVX-512.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw")]
unsafe fn move_outcomes_wide(
    key: u64,
    first: u64,
    locs: &[u32],
    routes: &[u32],
    thresholds: &[u64],
    moves: &mut [u8],
) {
    move_outcomes_in(key, first, locs, routes, thresholds, moves);
}

/// The loop of [`move_outcomes`], inlined into each compilation of it.
#[inline(always)]
fn move_outcomes_in(
    key: u64,
    first: u64,
    locs: &[u32],
    routes: &[u32],
    thresholds: &[u64],
    moves: &mut [u8],
) {
    let Some(last) = thresholds.len().checked_sub(1) else {
        // No places: nobody rests.
        moves.fill(0);
        return;
    };
    let agents = locs.iter().zip(routes).zip(moves.iter_mut());
    for (i, ((&loc, &route), m)) in agents.enumerate() {
        let resting = loc & ON_LINK == 0;
        let here = thresholds[(loc as usize).min(last)];
        let t = if route != 0 { GRID } else { here };
        let draw = AgentStream::new(key, first + i as u64).grid(Purpose::Move, 0);
        *m = u8::from(resting & (draw < t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{below, day_key, mix64};

    /// The move tests of a run as one agent at a time would take them: a
    /// route under way always moves, else the draw is below the place's
    /// chance; travelling and inactive agents do not take the test.
    fn one_by_one(key: u64, first: u64, locs: &[u32], routes: &[u32], chances: &[f64]) -> Vec<u8> {
        let agents = locs.iter().zip(routes).enumerate();
        agents
            .map(|(i, (&loc, &route))| {
                if loc & ON_LINK != 0 {
                    return 0;
                }
                let p = if route != 0 {
                    1.0
                } else {
                    chances[loc as usize]
                };
                let u = AgentStream::new(key, first + i as u64).uniform(Purpose::Move, 0);
                u8::from(u < p)
            })
            .collect()
    }

    /// On this processor's widest path and on the baseline one, every
    /// length of run, chances from NaN to above 1 and agents resting,
    /// travelling and inactive.
    #[test]
    fn move_outcomes_are_the_one_by_one_tests_on_every_path() {
        let chances = [0.0, 1.0, f64::NAN, 0.3, 0.5, 1e-9, 0.999, 2.0, -1.0, 0.05];
        let thresholds: Vec<u64> = chances.iter().map(|&p| below(p)).collect();
        let mut seed = 11u64;
        let mut next = || {
            seed = mix64(seed);
            seed
        };
        for len in (0..=RUN).step_by(7).chain([1, 2, RUN - 1, RUN]) {
            for day in 0..3 {
                let (key, first) = (day_key(9, day), next() % (1 << 40));
                let locs: Vec<u32> = (0..len)
                    .map(|_| match next() % 5 {
                        0 => ON_LINK | (next() % 50) as u32,
                        1 => crate::world::INACTIVE,
                        _ => (next() % chances.len() as u64) as u32,
                    })
                    .collect();
                let routes: Vec<u32> = (0..len).map(|_| (next() % 3 == 0) as u32 * 7).collect();
                let want = one_by_one(key, first, &locs, &routes, &chances);
                let (mut wide, mut base) = (vec![9u8; len], vec![9u8; len]);
                move_outcomes(key, first, &locs, &routes, &thresholds, &mut wide);
                move_outcomes_in(key, first, &locs, &routes, &thresholds, &mut base);
                assert_eq!(wide, want, "len {len} day {day}");
                assert_eq!(base, want, "len {len} day {day}");
            }
        }
        // Without places nobody rests, so nobody moves.
        let mut moves = [1u8; 4];
        move_outcomes(
            1,
            0,
            &[ON_LINK, ON_LINK | 2, 0, 1],
            &[0; 4],
            &[],
            &mut moves,
        );
        assert_eq!(moves, [0; 4]);
    }
}
