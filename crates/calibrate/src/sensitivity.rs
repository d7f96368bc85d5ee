//! Global sensitivity analysis: Morris elementary effects and Sobol indices.
//!
//! Both work in the unit cube of a [`ParameterSpace`] (log ranges sample the
//! logarithm) and evaluate each design point as the mean over `k` seeds, the
//! same seeds for every point (common random numbers), of the outputs named by
//! [`Scored::output_names`]: for Flee scenarios the ARD (rescaled, normal) over
//! the whole run and the agents in camps at the end; for siege scenarios the
//! error against the observations and the displaced, in camps, dead and
//! detained people at the end.
//!
//! * **Morris screening** ([`morris_design`], [`morris_analyze`]): `r` random
//!   one-at-a-time trajectories on a `p`-level grid, step `Δ = p / (2(p − 1))`
//!   (Morris 1991; Campolongo et al. 2007). For each parameter, `μ*` is the
//!   mean absolute elementary effect (overall importance), `μ` the mean effect
//!   (its sign shows the direction), `σ` their sd (non-linearity or
//!   interactions), with a bootstrap 95 % half-width of `μ*` over the
//!   trajectories. Cost: `r (d + 1)` points. Effects are per unit of the
//!   *normalised* range, so they compare across parameters.
//! * **Sobol indices** ([`saltelli_design`], [`sobol_analyze`]): Saltelli's
//!   sampling with matrices `A`, `B` and `A_B^(i)` (column `i` from `B`), the
//!   first-order estimator of Saltelli et al. (2010) and Jansen's total-order
//!   estimator, with bootstrap 95 % half-widths. `S1` is the share of the
//!   output variance due to the parameter alone, `ST` including all its
//!   interactions. Cost: `N (d + 2)` points. The base samples are pseudo-random.

use crate::calibrate::{run_many, CalibrateError, MeanSd};
use crate::objective::Scored;
use crate::rng::{replicate_seed, Rng};
use crate::space::ParameterSpace;
use corridor_model::Scenario;
use serde::Serialize;

/// A Morris design: `r` trajectories of `d + 1` points each.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisDesign {
    pub dim: usize,
    pub trajectories: usize,
    /// All points, trajectory after trajectory.
    pub points: Vec<Vec<f64>>,
    /// For trajectory `t` and step `s`: the parameter moved and the signed step.
    pub steps: Vec<Vec<(usize, f64)>>,
}

/// Builds `r` trajectories on a `levels`-level grid (`levels` ≥ 2, even is usual).
pub fn morris_design(dim: usize, r: usize, levels: usize, seed: u64) -> MorrisDesign {
    let p = levels.max(2);
    let delta = p as f64 / (2.0 * (p - 1) as f64);
    let mut rng = Rng::new(seed);
    let mut points = Vec::with_capacity(r * (dim + 1));
    let mut steps = Vec::with_capacity(r);
    for _ in 0..r {
        let mut x: Vec<f64> = (0..dim)
            .map(|_| rng.below(p) as f64 / (p - 1) as f64)
            .collect();
        points.push(x.clone());
        let mut traj = Vec::with_capacity(dim);
        for i in rng.permutation(dim) {
            let step = if x[i] + delta <= 1.0 + 1e-12 {
                delta
            } else {
                -delta
            };
            x[i] = (x[i] + step).clamp(0.0, 1.0);
            traj.push((i, step));
            points.push(x.clone());
        }
        steps.push(traj);
    }
    MorrisDesign {
        dim,
        trajectories: r,
        points,
        steps,
    }
}

/// Morris indices of one parameter for one output.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MorrisIndex {
    pub mu: f64,
    pub mu_star: f64,
    pub sigma: f64,
    /// Bootstrap 95 % half-width of `mu_star`.
    pub mu_star_conf: f64,
}

/// Morris indices from the outputs `y` at the design's points.
pub fn morris_analyze(design: &MorrisDesign, y: &[f64], seed: u64) -> Vec<MorrisIndex> {
    let d = design.dim;
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); d];
    for (t, traj) in design.steps.iter().enumerate() {
        let base = t * (d + 1);
        for (s, &(i, step)) in traj.iter().enumerate() {
            effects[i].push((y[base + s + 1] - y[base + s]) / step);
        }
    }
    let mut rng = Rng::new(seed ^ 0x5eed);
    effects
        .iter()
        .map(|e| {
            let abs: Vec<f64> = e.iter().map(|x| x.abs()).collect();
            let m = MeanSd::of(e);
            let mu_star = MeanSd::of(&abs).mean;
            let boots: Vec<f64> = (0..1000)
                .map(|_| {
                    (0..abs.len())
                        .map(|_| abs[rng.below(abs.len())])
                        .sum::<f64>()
                        / abs.len() as f64
                })
                .collect();
            MorrisIndex {
                mu: m.mean,
                mu_star,
                sigma: if e.len() > 1 { m.sd } else { f64::NAN },
                mu_star_conf: 1.96 * MeanSd::of(&boots).sd,
            }
        })
        .collect()
}

/// A Saltelli design: for each of `n` base rows, the points `A_j`, `B_j` and
/// `A_B^(i)_j` for `i = 0..d` (`d + 2` points per row, in that order).
pub fn saltelli_design(dim: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Rng::new(seed);
    let mut points = Vec::with_capacity(n * (dim + 2));
    for _ in 0..n {
        let a: Vec<f64> = (0..dim).map(|_| rng.uniform()).collect();
        let b: Vec<f64> = (0..dim).map(|_| rng.uniform()).collect();
        points.push(a.clone());
        points.push(b.clone());
        for i in 0..dim {
            let mut ab = a.clone();
            ab[i] = b[i];
            points.push(ab);
        }
    }
    points
}

/// Sobol indices of one parameter for one output.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SobolIndex {
    pub s1: f64,
    pub s1_conf: f64,
    pub st: f64,
    pub st_conf: f64,
}

fn sobol_estimate(dim: usize, y: &[f64], rows: &[usize]) -> Vec<(f64, f64)> {
    let w = dim + 2;
    let n = rows.len() as f64;
    let fa = |j: usize| y[j * w];
    let fb = |j: usize| y[j * w + 1];
    let all: Vec<f64> = rows.iter().flat_map(|&j| [fa(j), fb(j)]).collect();
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    let var = all.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / all.len() as f64;
    (0..dim)
        .map(|i| {
            let fab = |j: usize| y[j * w + 2 + i];
            let s1 = rows.iter().map(|&j| fb(j) * (fab(j) - fa(j))).sum::<f64>() / n / var;
            let st = rows.iter().map(|&j| (fa(j) - fab(j)).powi(2)).sum::<f64>() / (2.0 * n) / var;
            (s1, st)
        })
        .collect()
}

/// Sobol indices from outputs `y` at the points of [`saltelli_design`] with `n` rows.
pub fn sobol_analyze(dim: usize, n: usize, y: &[f64], seed: u64) -> Vec<SobolIndex> {
    let rows: Vec<usize> = (0..n).collect();
    let point = sobol_estimate(dim, y, &rows);
    let mut rng = Rng::new(seed ^ 0xb007);
    let boots: Vec<Vec<(f64, f64)>> = (0..500)
        .map(|_| {
            let r: Vec<usize> = (0..n).map(|_| rng.below(n)).collect();
            sobol_estimate(dim, y, &r)
        })
        .collect();
    (0..dim)
        .map(|i| {
            let s1: Vec<f64> = boots.iter().map(|b| b[i].0).collect();
            let st: Vec<f64> = boots.iter().map(|b| b[i].1).collect();
            SobolIndex {
                s1: point[i].0,
                s1_conf: 1.96 * MeanSd::of(&s1).sd,
                st: point[i].1,
                st_conf: 1.96 * MeanSd::of(&st).sd,
            }
        })
        .collect()
}

/// Which analysis to run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    Morris { trajectories: usize, levels: usize },
    Sobol { samples: usize },
}

/// Options of [`sensitivity`].
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityOptions {
    pub method: Method,
    /// Seeds per point (common to all points).
    pub seeds: usize,
    pub master_seed: u64,
    /// Simulated days; `None` = the scenario's length.
    pub days: Option<u32>,
}

/// The indices of one parameter for one output.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Index {
    Morris(MorrisIndex),
    Sobol(SobolIndex),
}

/// Results of a sensitivity analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityReport {
    pub scenario: String,
    pub method: String,
    pub parameters: Vec<String>,
    pub outputs: Vec<String>,
    pub seeds: Vec<u64>,
    pub days: usize,
    /// Unit-cube design points and their parameter values.
    pub points: Vec<Vec<f64>>,
    pub values: Vec<Vec<f64>>,
    /// `y[point][output]`, the mean over seeds.
    pub y: Vec<Vec<f64>>,
    /// `indices[output][parameter]`.
    pub indices: Vec<Vec<Index>>,
    /// Mean and sd of each output over the design.
    pub output_spread: Vec<MeanSd>,
}

/// Runs the design of `opts.method` over `space` on `base` and computes the indices.
pub fn sensitivity(
    base: &Scenario,
    space: &ParameterSpace,
    opts: &SensitivityOptions,
) -> Result<SensitivityReport, CalibrateError> {
    let d = space.dim();
    if opts.seeds == 0 {
        return Err(CalibrateError::Setup("at least one seed is needed".into()));
    }
    let days = opts.days.unwrap_or(base.days) as usize;
    let seeds: Vec<u64> = (0..opts.seeds as u64)
        .map(|i| replicate_seed(opts.master_seed, i))
        .collect();
    let (points, method, morris) = match opts.method {
        Method::Morris {
            trajectories,
            levels,
        } => {
            if trajectories < 2 || levels < 2 {
                return Err(CalibrateError::Setup(
                    "Morris needs at least 2 trajectories and 2 levels".into(),
                ));
            }
            let des = morris_design(d, trajectories, levels, opts.master_seed);
            (
                des.points.clone(),
                format!("Morris ({trajectories} trajectories, {levels} levels)"),
                Some(des),
            )
        }
        Method::Sobol { samples } => {
            if samples < 4 {
                return Err(CalibrateError::Setup(
                    "Sobol needs at least 4 base samples".into(),
                ));
            }
            (
                saltelli_design(d, samples, opts.master_seed),
                format!("Sobol/Saltelli ({samples} base samples)"),
                None,
            )
        }
    };
    let values: Vec<Vec<f64>> = points.iter().map(|x| space.to_values(x)).collect();
    let scenarios: Vec<Scenario> = values
        .iter()
        .map(|v| space.apply(base, v))
        .collect::<Result<_, _>>()?;
    let runs = run_many(&scenarios, &seeds, days as u32)?;
    let names = Scored::output_names(base.siege.is_some());
    let y: Vec<Vec<f64>> = runs
        .iter()
        .map(|rs| {
            (0..names.len())
                .map(|o| {
                    MeanSd::of(&rs.iter().map(|r| r.outputs(days)[o].1).collect::<Vec<_>>()).mean
                })
                .collect()
        })
        .collect();
    let indices: Vec<Vec<Index>> = (0..names.len())
        .map(|o| {
            let col: Vec<f64> = y.iter().map(|row| row[o]).collect();
            match (&morris, opts.method) {
                (Some(des), _) => morris_analyze(des, &col, opts.master_seed)
                    .into_iter()
                    .map(Index::Morris)
                    .collect(),
                (None, Method::Sobol { samples }) => {
                    sobol_analyze(d, samples, &col, opts.master_seed)
                        .into_iter()
                        .map(Index::Sobol)
                        .collect()
                }
                _ => unreachable!(),
            }
        })
        .collect();
    let output_spread = (0..names.len())
        .map(|o| MeanSd::of(&y.iter().map(|row| row[o]).collect::<Vec<_>>()))
        .collect();
    Ok(SensitivityReport {
        scenario: base.name.clone(),
        method,
        parameters: space.names().iter().map(|s| s.to_string()).collect(),
        outputs: names.iter().map(|s| s.to_string()).collect(),
        seeds,
        days,
        points,
        values,
        y,
        indices,
        output_spread,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morris_ranks_a_synthetic_function() {
        // x0 strong and linear, x1 non-linear, x2 inert, x3 weak.
        let f = |x: &[f64]| 10.0 * x[0] + 5.0 * (3.0 * x[1]).sin() + 0.0 * x[2] + 0.5 * x[3];
        let des = morris_design(4, 20, 4, 11);
        assert_eq!(des.points.len(), 20 * 5);
        assert!(des.points.iter().flatten().all(|v| (0.0..=1.0).contains(v)));
        let y: Vec<f64> = des.points.iter().map(|x| f(x)).collect();
        let idx = morris_analyze(&des, &y, 11);
        assert!((idx[0].mu - 10.0).abs() < 1e-9 && idx[0].sigma.abs() < 1e-9);
        assert_eq!(idx[2].mu_star, 0.0);
        assert!((idx[3].mu_star - 0.5).abs() < 1e-9);
        assert!(
            idx[1].mu_star > idx[3].mu_star && idx[1].sigma > 0.1,
            "{idx:?}"
        );
        assert!(idx[0].mu_star > idx[1].mu_star);
    }

    #[test]
    fn sobol_on_the_ishigami_function() {
        let pi = std::f64::consts::PI;
        let f = |u: &[f64]| {
            let x: Vec<f64> = u.iter().map(|v| -pi + 2.0 * pi * v).collect();
            x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
        };
        let n = 8192;
        let pts = saltelli_design(3, n, 5);
        let y: Vec<f64> = pts.iter().map(|x| f(x)).collect();
        let idx = sobol_analyze(3, n, &y, 5);
        // Analytical values (a = 7, b = 0.1).
        let s1 = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            assert!((idx[i].s1 - s1[i]).abs() < 0.05, "{i}: {idx:?}");
            assert!((idx[i].st - st[i]).abs() < 0.05, "{i}: {idx:?}");
            assert!(idx[i].s1_conf > 0.0 && idx[i].s1_conf < 0.1);
        }
    }
}
