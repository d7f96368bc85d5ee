//! DFlee's flood forecaster (docs/flee-model.md 18.7), with Flee's quirks:
//! while it acts (`flood_forecaster`, timescale `T > 1`, day `t ≤ E`),
//!
//! 1. every flood zone scores 0 (Flee reads a forecast key that is never set);
//! 2. every endpoint's score is multiplied by `fb² / T` and the agent's
//!    awareness weight, where `fb` sums `W[current level] · FW[d]` over the
//!    forecast days `d` with a forecast level above 0 — so an endpoint with no
//!    flooding forecast gets weight 0;
//! 3. the move chance is multiplied by `fm / T` and the awareness weight, where
//!    `fm` sums `W[forecast level] · FW[d]` over the days with a forecast
//!    level (after `int()`) above 0.
//!
//! `W` is `flood_loc_weights`, `FW` `flood_forecaster_weights` (by absolute
//! day), the awareness weight `flood_awareness_weights[int(floodawareness)]`.
//! The forecast is the whole `flood_level.csv` column. The terms are per
//! location and day, computed once at step A; only the awareness weight is
//! per agent: route weights are kept per awareness value while it acts.

use crate::world::{Places, World};
use corridor_model::flood::{by_level, highest_level, FloodRules};
use corridor_model::{Scenario, Settings};

/// The name of the agent attribute the forecaster reads.
pub(crate) const AWARENESS: &str = "floodawareness";

/// The forecaster's state: per location, the day's factors; per value of
/// the agents' `floodawareness` attribute, its awareness weight.
#[derive(Debug, Clone, Default)]
pub(crate) struct Forecast {
    /// Whether the forecaster acts today.
    pub active: bool,
    /// Per location: the endpoint factor `fb² / T` (term 2).
    pub endpoint: Vec<f64>,
    /// Per location: the move-chance factor `fm / T` (term 3).
    pub moving: Vec<f64>,
    /// Index of the `floodawareness` attribute among the agents' attributes.
    pub attribute: usize,
    /// Per value index of that attribute: `A[int(value)]`.
    pub awareness: Vec<f64>,
}

impl Forecast {
    /// The forecaster of a run; empty (never active) unless it acts on some day.
    pub(crate) fn new(sc: &Scenario, s: &Settings) -> Forecast {
        let Some(rules) = rules_of(s).filter(|r| r.forecasting_on(0)) else {
            return Forecast::default();
        };
        let a = rules.flood_awareness_weights.as_deref().unwrap_or(&[]);
        let Some(k) = sc.demographics.index_of(AWARENESS) else {
            return Forecast::default();
        };
        let attr = &sc.demographics.attributes[k];
        Forecast {
            active: false,
            endpoint: Vec::new(),
            moving: Vec::new(),
            attribute: k,
            awareness: (0..attr.values.len())
                .map(|j| {
                    // Checked at set-up (`check`): a whole index into `A`.
                    attr.number(j)
                        .and_then(|v| usize::try_from(v.trunc() as i64).ok())
                        .and_then(|i| a.get(i).copied())
                        .unwrap_or(0.0)
                })
                .collect(),
        }
    }
}

fn rules_of(s: &Settings) -> Option<&FloodRules> {
    s.flood_rules.as_ref().filter(|_| s.flood_mode())
}

/// Sets the day's factors (Flee's step A, after the flood levels): empty
/// and inactive on days the forecaster does not act.
pub(crate) fn update(p: &mut Places, sc: &Scenario, s: &Settings, t: i64) {
    let f = &mut p.forecast;
    f.active = false;
    let (Some(rules), Some(table)) = (rules_of(s), &sc.flood) else {
        return;
    };
    // Without awareness values (refused by `check`) it cannot act.
    if !rules.forecasting_on(t) || f.awareness.is_empty() {
        return;
    }
    f.active = true;
    let n = p.flood_level.len();
    f.endpoint.clear();
    f.endpoint.resize(n, 0.0);
    f.moving.clear();
    f.moving.resize(n, 0.0);
    let w = rules.flood_loc_weights.as_deref().unwrap_or(&[]);
    let fw = rules.flood_forecaster_weights.as_deref().unwrap_or(&[]);
    let scale = rules.flood_forecaster_timescale as f64;
    // Locations without a column have a forecast of zeros: both sums stay 0.
    for (loc, column) in &table.columns {
        let l = *loc as usize;
        let now = by_level(w, p.flood_level[l]).unwrap_or(0.0);
        let (mut fb, mut fm) = (0.0, 0.0);
        for d in rules.forecast_days(t) {
            // Days and levels were checked against the lists at set-up.
            let d = d as usize;
            let level = column.get(d).copied().unwrap_or(0.0);
            let weight = fw.get(d).copied().unwrap_or(0.0);
            if level > 0.0 {
                fb += now * weight;
            }
            let whole = level.trunc() as i64;
            if whole > 0 {
                fm += by_level(w, whole).unwrap_or(0.0) * weight;
            }
        }
        f.endpoint[l] = fb * fb / scale;
        f.moving[l] = fm / scale;
    }
}

/// Term 1: a flood zone's location score is multiplied by 0 while the
/// forecaster acts (1 otherwise).
#[inline]
pub(crate) fn score_factor(p: &Places, l: usize) -> f64 {
    if p.forecast.active && p.flood_zone[l] {
        0.0
    } else {
        1.0
    }
}

/// Term 2 without the agent's awareness: the endpoint factor of `e` (1
/// while the forecaster does not act).
#[inline]
pub(crate) fn endpoint_factor(p: &Places, e: usize) -> f64 {
    if p.forecast.active {
        p.forecast.endpoint[e]
    } else {
        1.0
    }
}

/// The value index of agent `a`'s awareness while the forecaster acts: the
/// route weights it chooses with are those of that value.
#[inline]
pub(crate) fn awareness_class(world: &World, a: usize) -> Option<usize> {
    let f = &world.places.forecast;
    if !f.active {
        return None;
    }
    world.agents.attribute(a, f.attribute).map(usize::from)
}

/// Term 3: agent `a`'s move chance at `l` after the flood rules, times
/// `fm / T` and its awareness weight while the forecaster acts.
#[inline]
pub(crate) fn move_chance(world: &World, a: usize, l: usize, chance: f64) -> f64 {
    match awareness_class(world, a) {
        Some(j) => {
            let f = &world.places.forecast;
            chance * f.moving[l] * f.awareness[j]
        }
        None => chance,
    }
}

/// Route weights per awareness value, while the forecaster acts: each
/// candidate's endpoint score (with term 2) times the value's awareness
/// weight, through Flee's route weight; and their totals per location.
pub(crate) fn refresh_awareness_weights(world: &mut World) {
    let f = &world.places.forecast;
    if !f.active {
        return;
    }
    let (net, p, s, w) = (
        &world.net,
        &world.places,
        &world.settings,
        &mut world.weights,
    );
    let locations = &world.scenario.locations;
    let scores: Vec<f64> = (0..p.len() as u32)
        .flat_map(|from| {
            net.candidates_of(from).map(move |i| {
                super::destination_rules::endpoint_score(
                    p,
                    s,
                    locations,
                    from,
                    net.candidates[i].end,
                )
            })
        })
        .collect();
    w.by_awareness.resize(f.awareness.len(), Default::default());
    for (j, &aw) in f.awareness.iter().enumerate() {
        let set = &mut w.by_awareness[j];
        let base = &mut set.per_candidate;
        base.clear();
        base.extend(
            net.candidates
                .iter()
                .zip(&scores)
                .map(|(c, b)| super::scores::route_weight(s, c.distance, b * aw)),
        );
        set.sum(net);
    }
}

/// Refuses a run whose forecaster would crash Flee (18.7): agents without a
/// `floodawareness` attribute, a value that is not a whole index into
/// `flood_awareness_weights`, or `flood_forecaster_weights` (or the flood
/// table) too short for the last day forecast. Also the combinations corridor
/// does not implement with it.
pub(crate) fn check(sc: &Scenario, s: &Settings, days: u32) -> Result<(), String> {
    let Some(rules) = rules_of(s) else {
        return Ok(());
    };
    let Some(last) = rules.last_forecast_day(days) else {
        return Ok(());
    };
    let key = "move_rules.flood_rules";
    let fw = rules.flood_forecaster_weights.as_deref().unwrap_or(&[]);
    if fw.len() as i64 <= last {
        return Err(format!(
            "{key}.flood_forecaster_weights has {} elements but the forecaster looks at day {last} \
             (Flee indexes the list by day and crashes)\n  hint: give one weight per day 0 to {last} \
             or more, or lower flood_forecaster_end_time",
            fw.len()
        ));
    }
    if let Some(table) = &sc.flood {
        if table.days() as i64 <= last {
            return Err(format!(
                "flood_level.csv has {} days of levels but the forecaster looks at day {last}\n  \
                 hint: add rows up to day {last}, or lower flood_forecaster_end_time",
                table.days()
            ));
        }
        // Term 3 looks flood_loc_weights up at the forecast levels.
        let w = rules.flood_loc_weights.as_deref().unwrap_or(&[]);
        let (max, top) = (table.max_level(last as usize + 1), highest_level(w));
        if max > top {
            return Err(format!(
                "the forecaster looks up flood_loc_weights at forecast level {max} (levels 0 to {top} \
                 can be; Flee crashes)\n  hint: add elements to {key}.flood_loc_weights or lower the \
                 levels of flood_level.csv up to day {last}"
            ));
        }
    }
    let Some(k) = sc.demographics.index_of(AWARENESS) else {
        return Err(format!(
            "{key}.flood_forecaster needs a `{AWARENESS}` attribute on every agent (Flee crashes \
             with a KeyError without one)\n  hint: add input_csv/demographics_{AWARENESS}.csv \
             (values 0.0, 1.0, 2.0 with their shares), or switch the forecaster off"
        ));
    };
    let a = rules.flood_awareness_weights.as_deref().unwrap_or(&[]);
    let attr = &sc.demographics.attributes[k];
    for (j, text) in attr.values.iter().enumerate() {
        let index = attr.number(j).filter(|v| v.is_finite()).map(|v| v.trunc());
        if !index.is_some_and(|i| i >= 0.0 && (i as usize) < a.len()) {
            return Err(format!(
                "{AWARENESS} value {text:?} cannot index {key}.flood_awareness_weights ({} elements; \
                 Flee reads the weight at int(value) and crashes)\n  hint: give one weight per \
                 awareness value 0, 1, 2, ..., or use whole values from 0 in \
                 demographics_{AWARENESS}.csv",
                a.len()
            ));
        }
    }
    if s.fixed_routes {
        return Err(format!(
            "{key}.flood_forecaster together with move_rules.fixed_routes is not implemented in \
             corridor\n  hint: switch one of them off"
        ));
    }
    if s.WomenAvoidHazards || s.ChildrenAvoidHazards || s.ElderlyAvoidHazards || s.BoysTakeRisk {
        return Err(format!(
            "{key}.flood_forecaster together with the demographic hazard rules (WomenAvoidHazards, \
             ChildrenAvoidHazards, ElderlyAvoidHazards, BoysTakeRisk) is not implemented in corridor\n  \
             hint: switch the rules or the forecaster off"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{move_chance, scores, testkit};
    use corridor_model::demographics::{Attribute, Demographics};
    use corridor_model::flood::FloodLevels;

    /// Flood zone F (1000 people) — 10 km — town T — 10 km — camp C, with
    /// dflee_example's lists and the weather example's forecaster (T = 5,
    /// E = 5, FW[d] = 1 − d/10); F at level 2 from day 1 to 5, T flooded
    /// (level 1) on day 4 only; awareness 0, 1, 2 weighing 0, 0.5, 1.
    fn forecasting() -> corridor_model::Scenario {
        let mut sc = testkit::flood_line();
        let rules = sc.settings.flood_rules.as_mut().expect("flood rules");
        rules.flood_forecaster = true;
        rules.flood_forecaster_timescale = 5;
        rules.flood_forecaster_end_time = 5;
        rules.flood_forecaster_weights = Some((0..11).map(|d| 1.0 - d as f64 / 10.0).collect());
        rules.flood_awareness_weights = Some(vec![0.0, 0.5, 1.0]);
        sc.flood = Some(FloodLevels {
            columns: vec![
                (0, vec![1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 0.0, 0.0]),
                (1, vec![0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]),
            ],
        });
        sc.demographics = Demographics {
            attributes: vec![Attribute {
                name: AWARENESS.into(),
                values: vec!["0.0".into(), "1.0".into(), "2.0".into()],
                numeric: true,
                default: Some(vec![1.0, 1.0, 1.0]),
                by_location: vec![],
            }],
        };
        sc.days = 8;
        sc
    }

    /// The world of `sc` on day `t`, with one agent of each awareness at F
    /// and at T (agents 0–2 at F, 3–5 at T).
    fn on_day(sc: corridor_model::Scenario, t: i64) -> World<'static> {
        let mut w = testkit::world(sc);
        for loc in [0, 0, 0, 1, 1, 1] {
            w.create_agent(loc);
        }
        for a in 0..6 {
            w.agents.attrs[a] = (a % 3) as u16;
        }
        let sc = w.scenario;
        super::super::flood::update(&mut w.places, sc, &w.settings.clone(), t);
        scores::refresh(&mut w, t).unwrap();
        scores::cache_totals(&mut w);
        super::super::demographics::refresh_class_weights(&mut w);
        w
    }

    #[test]
    fn the_move_chance_term_gives_the_specs_probe() {
        // t = 3: F at level 2 (flood_movechances → 0.7), forecast 2 on days 4
        // and 5: p = 0.7 × (0.2·0.6 + 0.2·0.5)/5 × A[2] = 0.0308.
        let w = on_day(forecasting(), 3);
        assert!(w.places.forecast.active);
        let p = |a: usize, loc: u32| move_chance::of_agent(&w, &[], a, loc, false, || false);
        assert!((p(2, 0) - 0.0308).abs() < 1e-12, "{}", p(2, 0));
        assert!((p(1, 0) - 0.0154).abs() < 1e-12, "{}", p(1, 0));
        assert_eq!(p(0, 0), 0.0);
        // T: town chance 0.3 (validation settings), T's forecast level 1 on day
        // 4: W[1]·FW[4] / 5 = 0.5·0.6/5 = 0.06, times A[2].
        let town = w.settings.default_movechance;
        assert!((p(5, 1) - town * 0.06).abs() < 1e-12, "{}", p(5, 1));
        // A route under way still returns 1 first.
        assert_eq!(move_chance::of_agent(&w, &[], 0, 0, true, || false), 1.0);
        // Day 6 is after E: the forecaster is off, F (level 0) keeps its chance.
        let w = on_day(forecasting(), 6);
        assert!(!w.places.forecast.active);
        let p = move_chance::of_agent(&w, &[], 0, 0, false, || false);
        assert_eq!(p, w.settings.default_movechance);
    }

    #[test]
    fn the_score_term_zeroes_flood_zones_while_active() {
        let w = on_day(forecasting(), 3);
        assert_eq!(w.places.score[0], 0.0);
        assert!(w.places.score[1] > 0.0 && w.places.score[2] > 0.0);
        // Day 6: F unflooded keeps W[0] = 1.
        let w = on_day(forecasting(), 6);
        assert_eq!(w.places.score[0], 1.0);
    }

    #[test]
    fn the_endpoint_term_is_squared_over_t_and_weighed_by_awareness() {
        let w = on_day(forecasting(), 3);
        let f = &w.places.forecast;
        // F: current level 2 → W = 0.2, forecast flooded on days 4 and 5:
        // fb = 0.2·(0.6 + 0.5) = 0.22; fb²/5.
        assert!((f.endpoint[0] - 0.22f64.powi(2) / 5.0).abs() < 1e-12);
        // T: level 0 now (W[0] = 1), forecast 1 on day 4: fb = 0.6.
        assert!((f.endpoint[1] - 0.36 / 5.0).abs() < 1e-12);
        // C: no forecast flooding: weight 0, the safe place is unattractive.
        assert_eq!(f.endpoint[2], 0.0);
        // From T, agents see F (score 0) and C (factor 0): every candidate
        // is 0, so Flee's choice is uniform.
        for j in 0..3 {
            assert_eq!(
                w.weights.by_awareness[j]
                    .view()
                    .total_over(w.net.candidates_of(1)),
                0.0,
                "awareness {j}"
            );
        }
        // From F the one candidate, T, weighs route_weight(b·fb·A) per awareness.
        let to_t = w
            .net
            .candidates_of(0)
            .find(|&i| w.net.candidates[i].end == 1)
            .unwrap();
        let b = w.places.score[1] * f.endpoint[1];
        for (j, aw) in [0.0, 0.5, 1.0].into_iter().enumerate() {
            let want = scores::route_weight(&w.settings, 10.0, b * aw);
            let got = w.weights.by_awareness[j].per_candidate[to_t];
            assert!((got - want).abs() < 1e-15, "awareness {j}: {got} vs {want}");
        }
        assert!(w.weights.by_awareness[2].per_candidate[to_t] > 0.0);
        let mine = super::super::demographics::weights_of(&w, 2).per_candidate;
        assert_eq!(mine[to_t], w.weights.by_awareness[2].per_candidate[to_t]);
        // Off: the factor is 1 and agents use the common weights.
        let w = on_day(forecasting(), 6);
        assert_eq!(endpoint_factor(&w.places, 1), 1.0);
        assert_eq!(awareness_class(&w, 2), None);
    }

    #[test]
    fn what_flee_crashes_on_is_refused() {
        let sc = forecasting();
        assert_eq!(check(&sc, &sc.settings, 8), Ok(()));
        // No floodawareness attribute.
        let mut bare = sc.clone();
        bare.demographics = Demographics::default();
        let e = check(&bare, &bare.settings, 8).unwrap_err();
        assert!(e.contains("floodawareness"), "{e}");
        // An awareness value past the weights.
        let mut short = sc.clone();
        let r = short.settings.flood_rules.as_mut().unwrap();
        r.flood_awareness_weights = Some(vec![0.0, 0.5]);
        let e = check(&short, &short.settings, 8).unwrap_err();
        assert!(e.contains("\"2.0\""), "{e}");
        // Forecaster weights that end before the last day forecast (E = 5).
        let mut short = sc.clone();
        let r = short.settings.flood_rules.as_mut().unwrap();
        r.flood_forecaster_weights = Some(vec![1.0; 5]);
        let e = check(&short, &short.settings, 8).unwrap_err();
        assert!(e.contains("day 5"), "{e}");
        // A run of 1 day forecasts up to day 4 only.
        assert_eq!(check(&short, &short.settings, 1), Ok(()));
        // Timescale 1: the forecaster never acts, nothing is needed.
        let mut idle = bare.clone();
        let r = idle.settings.flood_rules.as_mut().unwrap();
        r.flood_forecaster_timescale = 1;
        assert_eq!(check(&idle, &idle.settings, 8), Ok(()));
    }
}
