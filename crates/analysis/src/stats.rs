//! Small statistics helpers that give numpy's numbers.
//!
//! * [`sum`] is numpy's pairwise summation (`np.sum`, `np.add.reduce` on a contiguous `float64`
//!   array), so [`mean`] is bit-identical to `np.mean`.
//! * [`sample_sd`] is `np.std(x, ddof=1)`: `sqrt(sum((x - mean)^2) / (n - 1))`.
//! * [`percentile`] is `np.percentile(x, q)` with the default `method="linear"`:
//!   with the values sorted ascending, the virtual index is `h = (n - 1) * q / 100`, and the
//!   result interpolates between `x[floor(h)]` and `x[floor(h) + 1]` with numpy's `_lerp`.

use serde::Serialize;

use crate::error::StatsError;

/// Block size below which numpy's pairwise summation switches to an unrolled loop.
const PW_BLOCKSIZE: usize = 128;

/// numpy's `pairwise_sum` for `float64`.
fn pairwise_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut res = 0.0;
        for &x in a {
            res += x;
        }
        res
    } else if n <= PW_BLOCKSIZE {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - (n % 8) {
            for (j, rj) in r.iter_mut().enumerate() {
                *rj += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &a[i..] {
            res += x;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&a[..n2]) + pairwise_sum(&a[n2..])
    }
}

/// Sum of the values as `np.sum` computes it (pairwise summation). The sum of no values is 0.
pub fn sum(xs: &[f64]) -> f64 {
    // numpy starts the reduction from the identity 0.0.
    0.0 + pairwise_sum(xs)
}

/// Arithmetic mean (`np.mean`). Errors on an empty slice.
pub fn mean(xs: &[f64]) -> Result<f64, StatsError> {
    if xs.is_empty() {
        return Err(StatsError::Empty);
    }
    Ok(sum(xs) / xs.len() as f64)
}

/// Sample standard deviation, `np.std(x, ddof=1)`. Errors with fewer than two values.
pub fn sample_sd(xs: &[f64]) -> Result<f64, StatsError> {
    if xs.len() < 2 {
        return Err(StatsError::TooFew {
            needed: 2,
            found: xs.len(),
        });
    }
    let m = mean(xs)?;
    let sq: Vec<f64> = xs.iter().map(|&x| (x - m) * (x - m)).collect();
    Ok((sum(&sq) / (xs.len() - 1) as f64).sqrt())
}

/// Checks for NaN and returns an ascending sorted copy.
fn sorted_copy(xs: &[f64]) -> Result<Vec<f64>, StatsError> {
    if xs.is_empty() {
        return Err(StatsError::Empty);
    }
    if let Some(index) = xs.iter().position(|x| x.is_nan()) {
        return Err(StatsError::NaN { index });
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    Ok(v)
}

/// numpy's `_lerp(a, b, t)`: `a + (b - a) * t`, or `b - (b - a) * (1 - t)` when `t >= 0.5`.
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let d = b - a;
    if t >= 0.5 {
        b - d * (1.0 - t)
    } else {
        a + d * t
    }
}

/// Percentile `q` (0 to 100) of already sorted values, numpy "linear" method.
fn percentile_sorted(sorted: &[f64], q: f64) -> Result<f64, StatsError> {
    if !(0.0..=100.0).contains(&q) {
        return Err(StatsError::BadPercentile(q));
    }
    let n = sorted.len();
    let h = (n - 1) as f64 * (q / 100.0);
    let lo = h.floor();
    let gamma = h - lo;
    let i = lo as usize; // 0 <= lo <= n - 1
    let below = sorted[i.min(n - 1)];
    let above = sorted[(i + 1).min(n - 1)];
    Ok(lerp(below, above, gamma))
}

/// The `q`-th percentile (`q` in `[0, 100]`) like `np.percentile(xs, q)` (linear interpolation).
///
/// Errors on an empty slice, on NaN values and on `q` outside `[0, 100]`.
pub fn percentile(xs: &[f64], q: f64) -> Result<f64, StatsError> {
    let v = sorted_copy(xs)?;
    percentile_sorted(&v, q)
}

/// Several percentiles at once (sorts once); same rules as [`percentile`].
pub fn percentiles(xs: &[f64], qs: &[f64]) -> Result<Vec<f64>, StatsError> {
    let v = sorted_copy(xs)?;
    qs.iter().map(|&q| percentile_sorted(&v, q)).collect()
}

/// Summary of a sample: count, mean, sample sd, extremes and the 5/50/95 % percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (`ddof = 1`); NaN when `n == 1`, as numpy and pandas give.
    pub sd: f64,
    pub min: f64,
    pub max: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

impl Summary {
    /// Summarises `xs`. Errors on an empty slice or NaN values; infinities are allowed.
    pub fn from_slice(xs: &[f64]) -> Result<Summary, StatsError> {
        let v = sorted_copy(xs)?;
        let mean = mean(xs)?;
        let sd = if xs.len() < 2 {
            f64::NAN
        } else {
            sample_sd(xs)?
        };
        Ok(Summary {
            n: xs.len(),
            mean,
            sd,
            min: v[0],
            max: v[v.len() - 1],
            p5: percentile_sorted(&v, 5.0)?,
            p50: percentile_sorted(&v, 50.0)?,
            p95: percentile_sorted(&v, 95.0)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_sum_matches_plain_sum_on_exact_values() {
        for n in [0usize, 1, 7, 8, 9, 16, 127, 128, 129, 300, 1000] {
            let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
            assert_eq!(sum(&xs), (n * n.saturating_sub(1) / 2) as f64, "n={n}");
        }
    }

    #[test]
    fn pairwise_sum_is_not_sequential_sum() {
        // 1e16 + 1 + 1 sequentially loses both ones (ties to even); numpy's 8 lanes put the
        // ones in r[2] and r[3], and the tree reduction adds (1 + 1) to 1e16 exactly.
        let mut xs = vec![0.0; 16];
        xs[0] = 1e16;
        xs[10] = 1.0;
        xs[11] = 1.0;
        let sequential = xs.iter().fold(0.0, |a, &b| a + b);
        assert_eq!(sequential, 1e16);
        assert_eq!(sum(&xs), 1e16 + 2.0);
    }

    #[test]
    fn mean_and_sd() {
        assert_eq!(mean(&[1.0, 2.0, 3.0, 4.0]).unwrap(), 2.5);
        assert_eq!(mean(&[]), Err(StatsError::Empty));
        let sd = sample_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert!((sd - 2.138089935299395).abs() < 1e-15, "{sd}");
        assert_eq!(
            sample_sd(&[1.0]),
            Err(StatsError::TooFew {
                needed: 2,
                found: 1
            })
        );
        assert_eq!(sample_sd(&[3.0, 3.0, 3.0]).unwrap(), 0.0);
    }

    #[test]
    fn percentiles_like_numpy_linear() {
        let xs = [4.0, 1.0, 3.0, 2.0];
        // np.percentile([1, 2, 3, 4], [0, 5, 25, 50, 75, 95, 100])
        let got = percentiles(&xs, &[0.0, 5.0, 25.0, 50.0, 75.0, 95.0, 100.0]).unwrap();
        let want = [1.0, 1.15, 1.75, 2.5, 3.25, 3.85, 4.0];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?}");
        }
        // Odd count: the median is the middle value exactly.
        assert_eq!(percentile(&[10.0, 30.0, 20.0], 50.0).unwrap(), 20.0);
        // np.percentile([0, 10], 5) = 0.5, np.percentile([0, 10], 95) = 9.5
        assert_eq!(percentile(&[0.0, 10.0], 5.0).unwrap(), 0.5);
        assert_eq!(percentile(&[0.0, 10.0], 95.0).unwrap(), 9.5);
        // A single value is every percentile.
        assert_eq!(percentile(&[7.0], 95.0).unwrap(), 7.0);
        // Five values: h = 4 * 0.05 = 0.2 -> 1 + 0.2 * (2 - 1)
        assert!((percentile(&[1.0, 2.0, 3.0, 4.0, 5.0], 5.0).unwrap() - 1.2).abs() < 1e-12);
        assert!((percentile(&[1.0, 2.0, 3.0, 4.0, 5.0], 95.0).unwrap() - 4.8).abs() < 1e-12);
    }

    #[test]
    fn percentile_errors() {
        assert_eq!(percentile(&[], 50.0), Err(StatsError::Empty));
        assert_eq!(
            percentile(&[1.0, f64::NAN], 50.0),
            Err(StatsError::NaN { index: 1 })
        );
        assert_eq!(
            percentile(&[1.0], 100.5),
            Err(StatsError::BadPercentile(100.5))
        );
        assert!(matches!(
            percentile(&[1.0], f64::NAN),
            Err(StatsError::BadPercentile(_))
        ));
    }

    #[test]
    fn summary() {
        let s = Summary::from_slice(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!(s.n, 3);
        assert_eq!(s.mean, 2.0);
        assert_eq!(s.sd, 1.0);
        assert_eq!((s.min, s.max, s.p50), (1.0, 3.0, 2.0));
        assert!((s.p5 - 1.1).abs() < 1e-12 && (s.p95 - 2.9).abs() < 1e-12);
        let one = Summary::from_slice(&[5.0]).unwrap();
        assert!(one.sd.is_nan());
        assert_eq!((one.mean, one.p5, one.p95), (5.0, 5.0, 5.0));
        assert_eq!(Summary::from_slice(&[]), Err(StatsError::Empty));
    }
}
