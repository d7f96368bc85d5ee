//! Agent attributes and the rules that read them (docs/flee-model.md 15.2,
//! 15.5): each new agent draws one value per `demographics_*.csv` table
//! (its location's column, else `Default`), and the age and gender rules
//! change the endpoint score the agent sees when it chooses a route.
//!
//! The rules only ever square an endpoint score or replace it by 1, so an
//! agent belongs to one of three classes for the whole run; each class has
//! its own route weights, refreshed with the day's scores. Nothing here runs
//! (and no array is allocated) for scenarios without demographics.

use super::route_choice::weighted_pick;
use super::scores::route_weight;
use crate::rng::{uniform, Purpose};
use crate::world::{WeightTable, World};
use corridor_model::{Scenario, Settings};

/// How an agent sees an endpoint's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum HazardClass {
    /// As it is.
    Plain = 0,
    /// Squared (children, the elderly, women).
    Squared = 1,
    /// Replaced by 1 (`BoysTakeRisk`: males over 14).
    One = 2,
}

/// An attribute an agent does not have (a demographic one for agents of
/// `agents.csv`, a column of `agents.csv` for the others); logged empty.
pub(crate) const ABSENT: u16 = u16::MAX;

/// The tables of a run, prepared per location, and the attributes of the
/// agents of `agents.csv` (docs/flee-model.md 15.4).
#[derive(Debug, Clone, Default)]
pub(crate) struct Demography {
    /// Per drawn attribute, per location: the sampling weights and their sum.
    weights: Vec<Vec<(Vec<f64>, f64)>>,
    /// Per attribute: the values as numbers (NaN where not a number).
    numbers: Vec<Vec<f64>>,
    /// Per attribute: the values as written; the table's first, then the
    /// strings of `agents.csv`.
    texts: Vec<Vec<String>>,
    /// Per attribute: how many of its values come from its table.
    from_table: Vec<usize>,
    /// The attribute names: the tables', then the other columns of `agents.csv`.
    names: Vec<String>,
    /// Per agent of `agents.csv`, its value of every attribute.
    pub(crate) listed: Vec<Vec<u16>>,
    age: Option<usize>,
    gender: Option<usize>,
    /// Whether any rule reads the attributes.
    rules: bool,
}

impl Demography {
    /// The prepared tables of `sc`; `None` when agents carry no attributes.
    pub(crate) fn new(sc: &Scenario, s: &Settings) -> Option<Demography> {
        let (d, listed) = (&sc.demographics, &sc.initial_agents);
        if d.is_empty() && listed.columns.is_empty() {
            return None;
        }
        let weights = d
            .attributes
            .iter()
            .map(|a| {
                sc.locations
                    .iter()
                    .map(|l| {
                        let w = a.weights_for(&l.name).unwrap_or(&[]).to_vec();
                        let total = w.iter().sum();
                        (w, total)
                    })
                    .collect()
            })
            .collect();
        let mut demo = Demography {
            weights,
            numbers: d
                .attributes
                .iter()
                .map(|a| {
                    (0..a.values.len())
                        .map(|k| a.number(k).unwrap_or(f64::NAN))
                        .collect()
                })
                .collect(),
            texts: d.attributes.iter().map(|a| a.values.clone()).collect(),
            from_table: d.attributes.iter().map(|a| a.values.len()).collect(),
            names: d.attributes.iter().map(|a| a.name.clone()).collect(),
            listed: Vec::new(),
            age: d.index_of("age"),
            gender: d.index_of("gender"),
            rules: s.WomenAvoidHazards
                || s.ChildrenAvoidHazards
                || s.ElderlyAvoidHazards
                || s.BoysTakeRisk,
        };
        demo.add_listed(listed);
        Some(demo)
    }

    /// Adds the columns of `agents.csv` that no table has, and the values of
    /// its agents: strings, kept as written (the reader keeps each column
    /// under `u16::MAX` distinct values).
    fn add_listed(&mut self, listed: &corridor_model::demographics::InitialAgents) {
        let mut column_attr = Vec::with_capacity(listed.columns.len());
        for c in &listed.columns {
            let k = match self.names.iter().position(|n| n == c) {
                Some(k) => k,
                None => {
                    self.names.push(c.clone());
                    self.numbers.push(Vec::new());
                    self.texts.push(Vec::new());
                    self.from_table.push(0);
                    self.names.len() - 1
                }
            };
            column_attr.push(k);
        }
        for agent in &listed.agents {
            let mut values = vec![ABSENT; self.names.len()];
            for (&k, v) in column_attr.iter().zip(&agent.values) {
                let texts = &mut self.texts[k];
                let at = texts[self.from_table[k]..].iter().position(|t| t == v);
                values[k] = match at {
                    Some(i) => (self.from_table[k] + i) as u16,
                    None => {
                        texts.push(v.clone());
                        self.numbers[k].push(f64::NAN);
                        (texts.len() - 1) as u16
                    }
                };
            }
            self.listed.push(values);
        }
    }

    /// Number of attributes per agent.
    pub(crate) fn count(&self) -> usize {
        self.names.len()
    }

    /// The attribute names, in the order of an agent's values.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// The class of an agent with these attribute values under `s`'s rules.
    pub(crate) fn class(&self, s: &Settings, values: &[u16]) -> HazardClass {
        let age = self.age.map_or(f64::NAN, |k| {
            let v = values[k] as usize;
            self.numbers[k].get(v).copied().unwrap_or(f64::NAN)
        });
        let gender = self.gender.map_or("", |k| {
            let v = values[k] as usize;
            self.texts[k].get(v).map_or("", String::as_str)
        });
        let mut squared = false;
        if s.ChildrenAvoidHazards {
            if age < 19.0 {
                squared = true;
            }
            if s.BoysTakeRisk && gender == "male" && age > 14.0 {
                return HazardClass::One; // 1 stays 1 whatever squares it later
            }
        }
        if s.ElderlyAvoidHazards && age > 59.0 {
            squared = true;
        }
        if s.WomenAvoidHazards && gender == "female" {
            squared = true;
        }
        if squared {
            HazardClass::Squared
        } else {
            HazardClass::Plain
        }
    }
}

/// Draws the attributes of the agents in `slots` (just created, resting where
/// they were created) with the day's key, and their hazard classes.
pub(crate) fn assign(world: &mut World, slots: std::ops::Range<usize>, day_key: u64) {
    let Some(demo) = world.demography.as_ref() else {
        return;
    };
    let n = demo.count();
    for a in slots {
        let loc = world.agents.loc[a] as usize;
        let g = world.gid(a);
        for (k, by_location) in demo.weights.iter().enumerate() {
            let (w, total) = &by_location[loc];
            let u = uniform(day_key, g, Purpose::Attributes, k as u32);
            let v = weighted_pick(u, *total, w.len(), w.iter().copied());
            world.agents.attrs[a * n + k] = v as u16;
        }
        // The columns only agents.csv has.
        world.agents.attrs[a * n + demo.weights.len()..a * n + n].fill(ABSENT);
        if demo.rules {
            let class = demo.class(&world.settings, &world.agents.attrs[a * n..a * n + n]);
            world.agents.class[a] = class as u8;
        }
    }
}

/// Recomputes the route weights of the squared and the one classes from the
/// day's location scores (after [`super::scores::refresh`]).
pub(crate) fn refresh_class_weights(world: &mut World) {
    // The flood forecaster's awareness values are classes of their own.
    super::flood_forecast::refresh_awareness_weights(world);
    if !world.demography.as_ref().is_some_and(|d| d.rules) {
        return;
    }
    let (net, p, s, w) = (
        &world.net,
        &world.places,
        &world.settings,
        &mut world.weights,
    );
    for (c, f) in [|x: f64| x * x, |_: f64| 1.0].into_iter().enumerate() {
        let set = &mut w.by_class[c];
        let base = &mut set.per_candidate;
        base.clear();
        base.extend(
            net.candidates
                .iter()
                .map(|cand| route_weight(s, cand.distance, f(p.score[cand.end as usize]))),
        );
        set.sum(net);
    }
}

/// The route weights agent `a` chooses with.
#[inline]
pub(crate) fn weights_of<'w>(world: &'w World, a: usize) -> WeightTable<'w> {
    let w = &world.weights;
    if let Some(j) = super::flood_forecast::awareness_class(world, a) {
        return w.by_awareness[j].view();
    }
    match world.agents.class.get(a) {
        Some(&c) if c > 0 => w.by_class[c as usize - 1].view(),
        _ => w.base.view(),
    }
}

/// The text of attribute `k`'s value `v` as Flee logs it (numbers as floats).
/// Values of `agents.csv` are strings, written as they are; an absent value is `None`.
pub(crate) fn value_text(world: &World, k: usize, v: u16) -> Option<String> {
    let d = world.demography.as_ref()?;
    if v == ABSENT {
        return None;
    }
    if v as usize >= d.from_table[k] {
        return Some(d.texts[k][v as usize].clone());
    }
    let x = d.numbers[k][v as usize];
    let numeric = world.scenario.demographics.attributes[k].numeric;
    Some(if numeric && x.is_finite() {
        format!("{x:?}")
    } else {
        d.texts[k][v as usize].clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{scores, testkit};
    use corridor_model::demographics::{Attribute, Demographics};

    fn people() -> Demographics {
        Demographics {
            attributes: vec![
                Attribute {
                    name: "age".into(),
                    values: vec!["5".into(), "16".into(), "30".into(), "70".into()],
                    numeric: true,
                    default: Some(vec![1.0, 1.0, 1.0, 1.0]),
                    by_location: vec![("B".into(), vec![0.0, 0.0, 1.0, 0.0])],
                },
                Attribute {
                    name: "gender".into(),
                    values: vec!["male".into(), "female".into()],
                    numeric: false,
                    default: Some(vec![0.5, 0.5]),
                    by_location: vec![],
                },
            ],
        }
    }

    #[test]
    fn classes_follow_flee_s_rule_order() {
        let mut sc = testkit::line();
        sc.demographics = people();
        let mut s = sc.settings.clone();
        let d = Demography::new(&sc, &s).unwrap();
        let class = |s: &Settings, age: u16, gender: u16| d.class(s, &[age, gender]);
        assert_eq!(class(&s, 0, 0), HazardClass::Plain);
        s.ChildrenAvoidHazards = true;
        assert_eq!(class(&s, 0, 0), HazardClass::Squared);
        assert_eq!(class(&s, 2, 0), HazardClass::Plain);
        s.BoysTakeRisk = true;
        // Any male over 14, adults and elderly included.
        assert_eq!(class(&s, 1, 0), HazardClass::One);
        assert_eq!(class(&s, 3, 0), HazardClass::One);
        assert_eq!(class(&s, 1, 1), HazardClass::Squared);
        s.ElderlyAvoidHazards = true;
        assert_eq!(class(&s, 3, 1), HazardClass::Squared);
        assert_eq!(class(&s, 3, 0), HazardClass::One);
        s.WomenAvoidHazards = true;
        // Squared once, not twice.
        assert_eq!(class(&s, 2, 1), HazardClass::Squared);
        assert_eq!(class(&s, 2, 0), HazardClass::One);
    }

    #[test]
    fn attributes_come_from_the_location_column_and_set_the_weights() {
        let mut sc = testkit::line();
        sc.demographics = people();
        sc.settings.WomenAvoidHazards = true;
        let mut w = testkit::world(sc);
        for _ in 0..400 {
            w.create_agent(0);
            w.create_agent(1);
        }
        let n = w.agents.len();
        assign(&mut w, 0..n, 99);
        let ages: Vec<u16> = (0..n)
            .map(|a| w.agents().attribute(a, 0).unwrap())
            .collect();
        // Everyone made at B is 30 (B's own column); at A all four ages occur.
        assert!(ages.iter().skip(1).step_by(2).all(|&v| v == 2));
        for v in 0..4 {
            assert!(
                ages.iter().step_by(2).any(|&x| x == v),
                "age {v} never drawn at A"
            );
        }
        let women = (0..n)
            .filter(|&a| w.agents().attribute(a, 1) == Some(1))
            .count();
        assert!(
            (women as f64 / n as f64 - 0.5).abs() < 0.06,
            "{women} of {n}"
        );
        // Women see squared scores: the conflict zone A (score 0.25) weighs less for them.
        scores::refresh(&mut w, 0).unwrap();
        scores::cache_totals(&mut w);
        refresh_class_weights(&mut w);
        let woman = (0..n)
            .find(|&a| w.agents().attribute(a, 1) == Some(1))
            .unwrap();
        let man = (0..n)
            .find(|&a| w.agents().attribute(a, 1) == Some(0))
            .unwrap();
        let to_a = w
            .net
            .candidates_of(1)
            .find(|&i| w.net.candidates[i].end == 0)
            .unwrap();
        let wb = weights_of(&w, woman).per_candidate;
        let mb = weights_of(&w, man).per_candidate;
        assert!(wb[to_a] < mb[to_a], "{} vs {}", wb[to_a], mb[to_a]);
        assert_eq!(value_text(&w, 0, 2).as_deref(), Some("30.0"));
        assert_eq!(value_text(&w, 1, 1).as_deref(), Some("female"));
    }
}
