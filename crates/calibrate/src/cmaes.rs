//! CMA-ES, the covariance matrix adaptation evolution strategy (Hansen 2016,
//! "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772), in the unit box.
//!
//! Why this optimiser: the calibration objective is an ensemble mean of a
//! stochastic simulation evaluated with common random numbers. It is
//! deterministic but piecewise constant at fine scales (agents are whole) and
//! has no gradient, so gradient and finite-difference methods are out, and
//! Nelder–Mead tends to collapse its simplex on the small steps. CMA-ES ranks
//! candidates only (invariant to monotone transformations of the error), samples
//! a whole generation at once (the candidates of a generation are simulated in
//! parallel) and is the standard choice for noisy black-box problems of 2–20
//! parameters. The maintained Rust crates considered (`argmin` with
//! Nelder–Mead or particle swarm) would add a large dependency tree for one
//! routine and evaluate candidates one at a time through their own executor;
//! this implementation is ~200 lines, uses no dependency and is reproducible
//! bit for bit from its seed.
//!
//! Details:
//! * default population `λ = 4 + ⌊3 ln n⌋`, `μ = ⌊λ/2⌋` log-weighted parents,
//!   the step-size and covariance learning rates of the tutorial (Table 1);
//! * the search runs in `[0, 1]^n`; a sample outside the box is evaluated at its
//!   projection onto the box, and ranked by that value plus `penalty · ‖x − proj(x)‖²`
//!   (the "projection + quadratic penalty" boundary handling), so the mean is
//!   pulled back into the box without distorting the objective inside it;
//! * the start point `x0` is evaluated first and is the best point so far, so
//!   the returned point is never worse than the start on the objective given;
//! * it stops when the budget cannot pay for another generation, or when
//!   `σ · max √eig(C)` falls below `tol_x` (the search has converged).

// Matrix code reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

use crate::rng::Rng;

/// Options of [`minimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct CmaesOptions {
    /// Initial step size, in unit-box coordinates.
    pub sigma0: f64,
    /// Population size; `None` = `4 + ⌊3 ln n⌋`.
    pub lambda: Option<usize>,
    /// Most objective evaluations, the start point included.
    pub max_evals: usize,
    /// Seed of the optimiser's own random numbers.
    pub seed: u64,
    /// Convergence tolerance on the search's spread (unit-box coordinates).
    pub tol_x: f64,
    /// Weight of the squared distance outside the box added for ranking.
    pub penalty: f64,
}

impl Default for CmaesOptions {
    fn default() -> Self {
        CmaesOptions {
            sigma0: 0.3,
            lambda: None,
            max_evals: 200,
            seed: 1,
            tol_x: 1e-4,
            penalty: 1.0,
        }
    }
}

/// One evaluated point.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    /// Generation (0 = the start point).
    pub generation: usize,
    /// The point evaluated (inside the box).
    pub x: Vec<f64>,
    pub f: f64,
}

/// Result of [`minimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct OptimResult {
    pub best_x: Vec<f64>,
    pub best_f: f64,
    pub evals: usize,
    pub generations: usize,
    /// Every evaluation, in order.
    pub history: Vec<Evaluated>,
    /// Why it stopped: `"budget"` or `"converged"`.
    pub stop: &'static str,
    pub lambda: usize,
}

/// Population size used for `n` parameters.
pub fn default_lambda(n: usize) -> usize {
    4 + (3.0 * (n.max(1) as f64).ln()).floor() as usize
}

/// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations:
/// returns (eigenvalues, eigenvectors as columns of `v`).
pub fn symmetric_eigen(a: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = a.len();
    let mut a: Vec<Vec<f64>> = a.to_vec();
    let mut v = vec![vec![0.0; n]; n];
    for (i, row) in v.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let diag: f64 = (0..n).map(|i| a[i][i] * a[i][i]).sum();
        if off <= 1e-30 * diag.max(1e-300) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k][p], a[k][q]);
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}

/// Minimises `f` over `[0, 1]^n` from `x0`. `f` receives a batch of points
/// (one generation, all inside the box) and returns one value per point; the
/// caller may evaluate them in parallel. NaN values rank last.
pub fn minimize<F>(mut f: F, x0: &[f64], opts: &CmaesOptions) -> OptimResult
where
    F: FnMut(&[Vec<f64>]) -> Vec<f64>,
{
    let n = x0.len();
    assert!(n > 0, "CMA-ES needs at least one parameter");
    let clamp = |x: &[f64]| -> Vec<f64> { x.iter().map(|v| v.clamp(0.0, 1.0)).collect() };
    let lambda = opts.lambda.unwrap_or_else(|| default_lambda(n)).max(2);
    let mu = lambda / 2;
    let raw: Vec<f64> = (0..mu)
        .map(|i| ((mu as f64) + 0.5).ln() - ((i + 1) as f64).ln())
        .collect();
    let wsum: f64 = raw.iter().sum();
    let w: Vec<f64> = raw.iter().map(|x| x / wsum).collect();
    let mueff = 1.0 / w.iter().map(|x| x * x).sum::<f64>();
    let nf = n as f64;
    let cs = (mueff + 2.0) / (nf + mueff + 5.0);
    let ds = 1.0 + 2.0 * (((mueff - 1.0) / (nf + 1.0)).sqrt() - 1.0).max(0.0) + cs;
    let cc = (4.0 + mueff / nf) / (nf + 4.0 + 2.0 * mueff / nf);
    let c1 = 2.0 / ((nf + 1.3).powi(2) + mueff);
    let cmu = (1.0 - c1).min(2.0 * (mueff - 2.0 + 1.0 / mueff) / ((nf + 2.0).powi(2) + mueff));
    let chin = nf.sqrt() * (1.0 - 1.0 / (4.0 * nf) + 1.0 / (21.0 * nf * nf));

    let mut rng = Rng::new(opts.seed);
    let mut m = clamp(x0);
    let mut sigma = opts.sigma0;
    let mut c = vec![vec![0.0; n]; n];
    for (i, row) in c.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    let mut b = c.clone();
    let mut d = vec![1.0; n];
    let mut ps = vec![0.0; n];
    let mut pc = vec![0.0; n];

    let mut history = Vec::new();
    let f0 = f(std::slice::from_ref(&m))[0];
    history.push(Evaluated {
        generation: 0,
        x: m.clone(),
        f: f0,
    });
    let (mut best_x, mut best_f) = (m.clone(), f0);
    let mut evals = 1;
    let mut generation = 0;
    let stop = loop {
        if evals + lambda > opts.max_evals {
            break "budget";
        }
        if sigma * d.iter().cloned().fold(0.0, f64::max) < opts.tol_x {
            break "converged";
        }
        generation += 1;
        // Sample.
        let mut ys = Vec::with_capacity(lambda);
        let mut xs = Vec::with_capacity(lambda);
        for _ in 0..lambda {
            let z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
            let y: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| b[i][j] * d[j] * z[j]).sum())
                .collect();
            let x: Vec<f64> = (0..n).map(|i| m[i] + sigma * y[i]).collect();
            ys.push(y);
            xs.push(x);
        }
        let inside: Vec<Vec<f64>> = xs.iter().map(|x| clamp(x)).collect();
        let fs = f(&inside);
        evals += lambda;
        let mut rank: Vec<(f64, usize)> = fs
            .iter()
            .enumerate()
            .map(|(k, &fk)| {
                let out: f64 = xs[k]
                    .iter()
                    .zip(&inside[k])
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum();
                let v = if fk.is_nan() { f64::INFINITY } else { fk };
                (v + opts.penalty * out, k)
            })
            .collect();
        rank.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (k, x) in inside.iter().enumerate() {
            history.push(Evaluated {
                generation,
                x: x.clone(),
                f: fs[k],
            });
            if fs[k] < best_f {
                best_f = fs[k];
                best_x = x.clone();
            }
        }
        // Recombine.
        let yw: Vec<f64> = (0..n)
            .map(|i| (0..mu).map(|r| w[r] * ys[rank[r].1][i]).sum())
            .collect();
        for i in 0..n {
            m[i] += sigma * yw[i];
        }
        // C^{-1/2} y_w = B D^-1 B^T y_w
        let bty: Vec<f64> = (0..n)
            .map(|j| (0..n).map(|i| b[i][j] * yw[i]).sum::<f64>() / d[j])
            .collect();
        let cinv: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| b[i][j] * bty[j]).sum())
            .collect();
        let a = (cs * (2.0 - cs) * mueff).sqrt();
        for i in 0..n {
            ps[i] = (1.0 - cs) * ps[i] + a * cinv[i];
        }
        let psn = ps.iter().map(|x| x * x).sum::<f64>().sqrt();
        let hs = psn / (1.0 - (1.0 - cs).powi(2 * generation as i32)).sqrt()
            < (1.4 + 2.0 / (nf + 1.0)) * chin;
        let hsf = if hs { 1.0 } else { 0.0 };
        let ac = (cc * (2.0 - cc) * mueff).sqrt();
        for i in 0..n {
            pc[i] = (1.0 - cc) * pc[i] + hsf * ac * yw[i];
        }
        for i in 0..n {
            for j in 0..n {
                let rank_mu: f64 = (0..mu)
                    .map(|r| w[r] * ys[rank[r].1][i] * ys[rank[r].1][j])
                    .sum();
                c[i][j] = (1.0 - c1 - cmu) * c[i][j]
                    + c1 * (pc[i] * pc[j] + (1.0 - hsf) * cc * (2.0 - cc) * c[i][j])
                    + cmu * rank_mu;
            }
        }
        sigma *= ((cs / ds) * (psn / chin - 1.0)).exp();
        sigma = sigma.min(1.0);
        // Keep C symmetric and decompose.
        for i in 0..n {
            for j in 0..i {
                let s = 0.5 * (c[i][j] + c[j][i]);
                c[i][j] = s;
                c[j][i] = s;
            }
        }
        let (eig, vecs) = symmetric_eigen(&c);
        b = vecs;
        d = eig.iter().map(|&e| e.max(1e-20).sqrt()).collect();
    };
    OptimResult {
        best_x,
        best_f,
        evals,
        generations: generation,
        history,
        stop,
        lambda,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(f: impl Fn(&[f64]) -> f64) -> impl FnMut(&[Vec<f64>]) -> Vec<f64> {
        move |xs| xs.iter().map(|x| f(x)).collect()
    }

    #[test]
    fn eigen_of_a_known_matrix() {
        let a = vec![
            vec![2.0, 1.0, 0.0],
            vec![1.0, 2.0, 0.0],
            vec![0.0, 0.0, 5.0],
        ];
        let (mut e, v) = symmetric_eigen(&a);
        // A v = λ v for each column.
        for k in 0..3 {
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| a[i][j] * v[j][k]).sum();
                assert!((av - e[k] * v[i][k]).abs() < 1e-10);
            }
        }
        e.sort_by(f64::total_cmp);
        for (x, y) in e.iter().zip([1.0, 3.0, 5.0]) {
            assert!((x - y).abs() < 1e-10, "{e:?}");
        }
    }

    #[test]
    fn finds_the_minimum_of_a_shifted_ellipsoid() {
        let target = [0.3, 0.7, 0.55, 0.1];
        let f = |x: &[f64]| {
            x.iter()
                .zip(target)
                .enumerate()
                .map(|(i, (a, b))| 10f64.powi(i as i32) * (a - b).powi(2))
                .sum()
        };
        let opts = CmaesOptions {
            max_evals: 2000,
            tol_x: 1e-7,
            ..Default::default()
        };
        let r = minimize(batch(f), &[0.9, 0.1, 0.9, 0.9], &opts);
        assert!(r.best_f < 1e-8, "{r:?}");
        for (a, b) in r.best_x.iter().zip(target) {
            assert!((a - b).abs() < 1e-3, "{:?}", r.best_x);
        }
        assert!(r.evals <= 2000);
        assert_eq!(r.history.len(), r.evals);
    }

    #[test]
    fn rosenbrock_in_the_box() {
        // Minimum at (1, 1) in original coordinates; box [-2, 2]^2 -> unit (0.75, 0.75).
        let f = |u: &[f64]| {
            let x = 4.0 * u[0] - 2.0;
            let y = 4.0 * u[1] - 2.0;
            (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
        };
        let opts = CmaesOptions {
            max_evals: 3000,
            tol_x: 1e-9,
            seed: 3,
            ..Default::default()
        };
        let r = minimize(batch(f), &[0.2, 0.2], &opts);
        assert!(r.best_f < 1e-6, "{} at {:?}", r.best_f, r.best_x);
    }

    #[test]
    fn respects_bounds_and_budget_and_is_deterministic() {
        // Unconstrained minimum outside the box at 1.5: the best point is on the edge.
        let f = |x: &[f64]| (x[0] - 1.5).powi(2) + (x[1] - 0.5).powi(2);
        let opts = CmaesOptions {
            max_evals: 300,
            ..Default::default()
        };
        let a = minimize(batch(f), &[0.5, 0.5], &opts);
        let b = minimize(batch(f), &[0.5, 0.5], &opts);
        assert_eq!(a, b);
        assert!(a
            .history
            .iter()
            .all(|e| e.x.iter().all(|v| (0.0..=1.0).contains(v))));
        assert!((a.best_x[0] - 1.0).abs() < 1e-3, "{:?}", a.best_x);
        assert!(a.evals <= 300);
        // A tiny budget evaluates the start and stops; the start is the best so far.
        let t = minimize(
            batch(f),
            &[0.5, 0.5],
            &CmaesOptions {
                max_evals: 3,
                ..Default::default()
            },
        );
        assert_eq!((t.evals, t.stop), (1, "budget"));
        assert_eq!(t.best_x, vec![0.5, 0.5]);
    }
}
