//! Flee's `Match*` rules (docs/flee-model.md 15.5, 15.6, 16.0): an agent
//! weighs a destination by how many agents of its own ethnicity (or
//! religion) rest there, relative to the place's population.
//!
//! Flee overwrites each location's attribute `<value>` every day (evolve
//! step 3, before anyone moves) with the number of agents there holding that
//! value; the rules read those counts all day. Here the counts are plain
//! arrays (location × value), refreshed once a day by one loop over the
//! agents, and the weights are computed per choice, since they depend on
//! the agent. Nothing here exists unless a rule is on.

use super::demographics::HazardClass;
use super::destination_rules::endpoint_score_from;
use super::scores::route_weight;
use crate::world::{World, ON_LINK};
use corridor_model::{Scenario, Settings};

/// Flee's stand-in population of a place with none (camps: their number
/// is a capacity), which makes camp factors nearly 0 (docs/flee-model.md 15.5).
const NO_POPULATION: f64 = 1e8;

/// One counted attribute: its index among the agents' attributes, and the
/// day's count per location and value.
#[derive(Debug, Clone)]
struct Counted {
    attr: usize,
    values: usize,
    counts: Vec<u32>,
    /// Per value, the value of the other counted attribute with the same
    /// name: Flee keeps both counts under one key, so they add up.
    twin: Vec<Option<u16>>,
}

impl Counted {
    fn new(attr: usize, values: usize, locations: usize) -> Counted {
        Counted {
            attr,
            values,
            counts: vec![0; values * locations],
            twin: vec![None; values],
        }
    }

    /// Agents holding value `v` at location `loc` today.
    #[inline]
    fn at(&self, loc: usize, v: u16) -> f64 {
        f64::from(self.counts[loc * self.values + v as usize])
    }
}

/// The day's counts of the attributes an active `Match*` rule reads.
#[derive(Debug, Clone)]
pub(crate) struct Matching {
    /// `ethnicity`, when an ethnicity rule is on.
    ethnicity: Option<Counted>,
    /// `religion`, with `MatchCampReligion`.
    religion: Option<Counted>,
    /// Whether agents on links or out of the run were found (and not
    /// counted) yet: Flee crashes then; corridor warns once.
    warned_on_link: bool,
}

/// Whether any ethnicity rule is on.
fn ethnicity_rule(s: &Settings) -> bool {
    s.MatchCampEthnicity || s.MatchTownEthnicity || s.MatchConflictEthnicity
}

/// Refuses a run whose `Match*` rules lack their demographics file (Flee
/// crashes building the ecosystem) or that combines them with `fixed_routes`.
pub(crate) fn check(sc: &Scenario, s: &Settings) -> Result<(), String> {
    let needs = [
        (s.MatchCampEthnicity, "ethnicity", "MatchCampEthnicity"),
        (s.MatchTownEthnicity, "ethnicity", "MatchTownEthnicity"),
        (
            s.MatchConflictEthnicity,
            "ethnicity",
            "MatchConflictEthnicity",
        ),
        (s.MatchCampReligion, "religion", "MatchCampReligion"),
    ];
    for (on, attr, rule) in needs {
        if on && sc.demographics.index_of(attr).is_none() {
            let have: Vec<&str> = sc
                .demographics
                .attributes
                .iter()
                .map(|a| a.name.as_str())
                .collect();
            let have = if have.is_empty() {
                "none".to_string()
            } else {
                have.join(", ")
            };
            return Err(format!(
                "move_rules.{rule} needs demographics_{attr}.csv in the input folder; the scenario's \
                 demographics files give: {have}\n  hint: add demographics_{attr}.csv (first column \
                 `{attr}`, then `Default` or per-location weights) or switch the rule off"
            ));
        }
    }
    if (ethnicity_rule(s) || s.MatchCampReligion) && s.fixed_routes {
        return Err(
            "move_rules.Match* rules cannot be combined with fixed_routes in corridor\n  hint: \
             switch fixed_routes or the Match* rules off"
                .into(),
        );
    }
    Ok(())
}

impl Matching {
    /// The counts for `sc` under `s`; `None` when no `Match*` rule is on (or
    /// the attribute is missing, which [`check`] refuses).
    pub(crate) fn new(sc: &Scenario, s: &Settings) -> Option<Matching> {
        let n = sc.locations.len();
        let counted = |name: &str| {
            let k = sc.demographics.index_of(name)?;
            Some(Counted::new(
                k,
                sc.demographics.attributes[k].values.len(),
                n,
            ))
        };
        let mut ethnicity = ethnicity_rule(s).then(|| counted("ethnicity")).flatten();
        let mut religion = s.MatchCampReligion.then(|| counted("religion")).flatten();
        if let (Some(e), Some(r)) = (ethnicity.as_mut(), religion.as_mut()) {
            let names = |c: &Counted| &sc.demographics.attributes[c.attr].values;
            let (en, rn) = (names(e), names(r));
            let find = |x: &String, among: &[String]| among.iter().position(|y| y == x);
            e.twin = en.iter().map(|x| find(x, rn).map(|k| k as u16)).collect();
            r.twin = rn.iter().map(|x| find(x, en).map(|k| k as u16)).collect();
            let shared: Vec<&str> = en
                .iter()
                .filter(|x| find(x, rn).is_some())
                .map(String::as_str)
                .collect();
            if !shared.is_empty() {
                tracing::warn!(
                    "demographics: ethnicity and religion share the value(s) {}; Flee counts both \
                     under one location attribute, so corridor adds the two counts as Flee does",
                    shared.join(", ")
                );
            }
        }
        (ethnicity.is_some() || religion.is_some()).then_some(Matching {
            ethnicity,
            religion,
            warned_on_link: false,
        })
    }
}

/// Counts the agents resting at each location per value (Flee's evolve
/// step 3), and makes every location choose per agent.
pub(crate) fn refresh(world: &mut World) {
    let Some(m) = world.matching.as_mut() else {
        return;
    };
    let agents = &world.agents;
    let n = agents.attr_count;
    let mut on_link = false;
    for c in [&mut m.ethnicity, &mut m.religion].into_iter().flatten() {
        c.counts.iter_mut().for_each(|x| *x = 0);
        for a in 0..agents.len() {
            let loc = agents.loc[a];
            if loc & ON_LINK != 0 {
                // On a link (Flee: a KeyError) or out of the run (Flee: the same).
                on_link = true;
                continue;
            }
            let v = agents.attrs[a * n + c.attr] as usize;
            c.counts[loc as usize * c.values + v] += 1;
        }
    }
    if on_link && !m.warned_on_link {
        m.warned_on_link = true;
        tracing::warn!(
            "Match* rules: agents spend the night on links (or left the run in a camp); Flee \
             crashes counting them (docs/flee-model.md 15.6), corridor counts only the agents \
             resting at locations"
        );
    }
    world.weights.live.iter_mut().for_each(|l| *l = true);
}

/// The factor of Flee's `getEndPointScore` for agent `a` at destination
/// `end`: ethnicity and religion shares, by the destination's kind.
pub(crate) fn factor(world: &World, m: &Matching, a: usize, end: u32) -> f64 {
    let (p, s) = (&world.places, &world.settings);
    let e = end as usize;
    let pop = if p.pop[e] >= 1 {
        p.pop[e] as f64
    } else {
        NO_POPULATION
    };
    let share = |c: &Option<Counted>, other: &Option<Counted>| {
        c.as_ref().map_or(0.0, |c| {
            let v = world.agents.attrs[a * world.agents.attr_count + c.attr];
            let twin = match (c.twin[v as usize], other) {
                (Some(w), Some(o)) => o.at(e, w),
                _ => 0.0,
            };
            (c.at(e, v) + twin) / pop
        })
    };
    let mut f = 1.0;
    if p.camp[e] {
        if s.MatchCampEthnicity {
            f *= 10.0 * share(&m.ethnicity, &m.religion);
        }
        if s.MatchCampReligion {
            f *= share(&m.religion, &m.ethnicity) * (1.0 / s.avg_religion_fraction);
        }
    } else if p.conflict[e] > 0.0 {
        if s.MatchConflictEthnicity {
            f *= 10.0 * share(&m.ethnicity, &m.religion);
        }
    } else if s.MatchTownEthnicity {
        f *= 10.0 * share(&m.ethnicity, &m.religion);
    }
    f
}

/// Agent `a`'s weight of candidate `i` (from `from`) without the capacity
/// factor: its hazard class's view of the score, the per-candidate rules
/// and the matching factor.
pub(crate) fn weight(world: &World, m: &Matching, a: usize, from: u32, i: usize) -> f64 {
    let c = &world.net.candidates[i];
    let score = world.places.score[c.end as usize];
    let seen = match world.agents.class.get(a) {
        Some(&k) if k == HazardClass::Squared as u8 => score * score,
        Some(&k) if k == HazardClass::One as u8 => 1.0,
        _ => score,
    };
    let (p, s, locs) = (&world.places, &world.settings, &world.scenario.locations);
    let b = endpoint_score_from(seen, p, s, locs, from, c.end) * factor(world, m, a, c.end);
    route_weight(s, c.distance, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::AgentStream;
    use crate::rules::{route_choice, scores, testkit, Draws};
    use corridor_model::demographics::{Attribute, Demographics};

    /// Two ethnicities, drawn by location: everyone made at A is `a`, at B `b`.
    fn groups() -> Demographics {
        Demographics {
            attributes: vec![Attribute {
                name: "ethnicity".into(),
                values: vec!["a".into(), "b".into()],
                numeric: false,
                default: Some(vec![1.0, 0.0]),
                by_location: vec![("B".into(), vec![0.0, 1.0])],
            }],
        }
    }

    /// Conflict zone A (1000) — town B (500) — camp C, with `n_b` agents of
    /// group b resting at B and one of group a and one of b at C.
    fn world_with(n_b: usize, set: impl Fn(&mut Settings)) -> World<'static> {
        let mut sc = testkit::line();
        sc.demographics = groups();
        set(&mut sc.settings);
        let mut w = testkit::world(sc);
        w.create_agent(0); // group a, at A
        w.create_agent(2); // group a, will sit at C
        for _ in 0..n_b {
            w.create_agent(1);
        }
        w.create_agent(1); // group b, moved to C below
        let n = w.agents.len();
        super::super::demographics::assign(&mut w, 0..n, 7);
        w.move_agent(n - 1, 2);
        scores::refresh(&mut w, 0).unwrap();
        scores::cache_totals(&mut w);
        refresh(&mut w);
        w
    }

    #[test]
    fn counts_and_factors_follow_flee_s_formulas() {
        let w = world_with(4, |s| {
            s.MatchTownEthnicity = true;
            s.MatchCampEthnicity = true;
            s.MatchConflictEthnicity = true;
        });
        let m = w.matching.as_ref().unwrap();
        let e = m.ethnicity.as_ref().unwrap();
        // A: 1 of a; B: 4 of b; C: 1 of a and 1 of b.
        assert_eq!(e.counts, vec![1, 0, 0, 4, 1, 1]);
        // Agent 0 (group a) sees town B: nobody of a there, factor 0.
        assert_eq!(factor(&w, m, 0, 1), 0.0);
        // Agent 2 (group b) sees B: 10 × 4 / 500.
        assert!((factor(&w, m, 2, 1) - 10.0 * 4.0 / 500.0).abs() < 1e-15);
        // The camp has no population: 10 × 1 / 1e8.
        assert!((factor(&w, m, 0, 2) - 10.0 / 1e8).abs() < 1e-20);
        // Conflict zone A (pop 1000, conflict on): 10 × 1 / 1000 for group a, 0 for b.
        assert!((factor(&w, m, 0, 0) - 0.01).abs() < 1e-15);
        assert_eq!(factor(&w, m, 2, 0), 0.0);
        // Every location now chooses per agent.
        assert!(w.weights.live.iter().all(|&l| l));
    }

    #[test]
    fn only_the_rule_of_the_destination_s_kind_applies() {
        let w = world_with(4, |s| s.MatchCampEthnicity = true);
        let m = w.matching.as_ref().unwrap();
        assert_eq!(factor(&w, m, 0, 1), 1.0);
        assert_eq!(factor(&w, m, 0, 0), 1.0);
        assert!(factor(&w, m, 0, 2) < 1e-6);
    }

    #[test]
    fn religion_divides_by_the_average_fraction() {
        let mut sc = testkit::line();
        let mut d = groups();
        d.attributes[0].name = "religion".into();
        sc.demographics = d;
        sc.settings.MatchCampReligion = true;
        sc.settings.avg_religion_fraction = 0.5;
        sc.locations[2] = testkit::loc("C", "town", 200);
        let mut w = testkit::world(sc);
        for _ in 0..3 {
            w.create_agent(2);
        }
        super::super::demographics::assign(&mut w, 0..3, 1);
        w.places.camp[2] = true; // a camp with a population: P = 200
        refresh(&mut w);
        let m = w.matching.as_ref().unwrap();
        assert!((factor(&w, m, 0, 2) - (3.0 / 200.0) / 0.5).abs() < 1e-15);
    }

    #[test]
    fn a_destination_without_the_agent_s_group_is_never_chosen() {
        // From B, the candidates are A (conflict) and C (camp). With the town and
        // conflict rules, group b (absent from A, camp rule off) weighs A at 0.
        let w = world_with(4, |s| {
            s.MatchConflictEthnicity = true;
        });
        let from_b: Vec<usize> = w.net.candidates_of(1).collect();
        let m = w.matching.as_ref().unwrap();
        let to_a = from_b
            .iter()
            .copied()
            .find(|&i| w.net.candidates[i].end == 0)
            .unwrap();
        assert_eq!(weight(&w, m, 2, 1, to_a), 0.0);
        assert!(weight(&w, m, 0, 1, to_a) > 0.0);
        // Group b from B never picks A.
        for k in 0..200u64 {
            let mut draws = Draws::pass1(AgentStream::new(k, w.gid(2)));
            let path = route_choice::select_route(&w, 2, 1, &mut draws);
            assert_ne!(w.net.paths.get(path)[0], 0, "draw {k}");
        }
    }

    #[test]
    fn a_value_name_in_both_attributes_counts_both_as_flee_does() {
        let mut sc = testkit::line();
        let mut d = groups();
        let mut religion = d.attributes[0].clone();
        religion.name = "religion".into();
        religion.values = vec!["b".into(), "c".into()];
        d.attributes.push(religion);
        sc.demographics = d;
        sc.settings.MatchCampEthnicity = true;
        sc.settings.MatchCampReligion = true;
        sc.settings.avg_religion_fraction = 1.0;
        let mut w = testkit::world(sc);
        for _ in 0..2 {
            w.create_agent(1); // ethnicity b, religion b (B's column: the second value, "c")
        }
        super::super::demographics::assign(&mut w, 0..2, 1);
        // Agent 0: ethnicity "b"; agent 1: religion "b" instead of "c".
        w.agents.attrs[2 + 1] = 0;
        w.move_agent(0, 2);
        w.move_agent(1, 2);
        refresh(&mut w);
        let m = w.matching.as_ref().unwrap();
        // At C key "b" counts two ethnicity-b agents and one religion-b agent: 3;
        // agent 0's religion "c" is its own alone: 1.
        let f = factor(&w, m, 0, 2);
        let want = (10.0 * 3.0 / 1e8) * (1.0 / 1e8);
        // Without the shared name agent 0 would see 2 and 1.
        assert!(f > (10.0 * 2.0 / 1e8) * (1.0 / 1e8) * 1.4);
        assert!((f - want).abs() < want * 1e-12, "{f} vs {want}");
    }

    #[test]
    fn every_candidate_at_zero_gives_a_uniform_choice() {
        let mut w = world_with(4, |s| {
            s.MatchConflictEthnicity = true;
            s.MatchCampEthnicity = true;
        });
        // Nobody of any group anywhere: every weight from B is 0.
        let m = w.matching.as_mut().unwrap();
        m.ethnicity
            .as_mut()
            .unwrap()
            .counts
            .iter_mut()
            .for_each(|c| *c = 0);
        let mut ends = [0; 3];
        for k in 0..400u64 {
            let mut draws = Draws::pass1(AgentStream::new(k, w.gid(2)));
            let path = route_choice::select_route(&w, 2, 1, &mut draws);
            ends[w.net.paths.get(path)[0] as usize] += 1;
        }
        assert!(ends[0] > 150 && ends[2] > 150, "{ends:?}");
    }

    #[test]
    fn missing_files_and_fixed_routes_are_refused() {
        let mut sc = testkit::line();
        sc.settings.MatchTownEthnicity = true;
        let e = check(&sc, &sc.settings).unwrap_err();
        assert!(
            e.contains("demographics_ethnicity.csv") && e.contains("none"),
            "{e}"
        );
        sc.demographics = groups();
        assert!(check(&sc, &sc.settings).is_ok());
        sc.settings.MatchCampReligion = true;
        let e = check(&sc, &sc.settings).unwrap_err();
        assert!(
            e.contains("demographics_religion.csv") && e.contains("ethnicity"),
            "{e}"
        );
        sc.settings.MatchCampReligion = false;
        sc.settings.fixed_routes = true;
        assert!(check(&sc, &sc.settings).is_err());
    }
}
