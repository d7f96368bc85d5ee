//! Checks of the network as a whole, for both formats: routes to run on,
//! camps and conflict zones people can reach, no loop of zero length.

use super::Diagnostics;
use crate::error::{InputErrorKind, Warning};
use corridor_model::{LocationKind, Scenario};
use std::path::Path;

/// Union-find root with path halving.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Checks the network of `sc`, read from `locations` and `routes`.
pub(super) fn network(sc: &Scenario, locations: &Path, routes: &Path, d: &mut Diagnostics) {
    if sc.routes.is_empty() {
        d.errors.push(
            InputErrorKind::Malformed {
                path: routes.to_path_buf(),
                line: None,
                message: "no routes: nobody could move anywhere".into(),
                hint: "list the routes as `name1,name2,distance` rows (Flee's routes.csv format)"
                    .into(),
            }
            .into(),
        );
        return;
    }
    let n = sc.locations.len();
    let mut linked = vec![false; n];
    let mut parent: Vec<usize> = (0..n).collect();
    // Zero-length routes form a loop when one joins two places already joined
    // by zero-length routes: travel along it costs nothing.
    let mut zero: Vec<usize> = (0..n).collect();
    for r in &sc.routes {
        let (a, b) = (r.from as usize, r.to as usize);
        let name = |i: usize| sc.locations[i].name.as_str();
        if a == b {
            d.warnings.push(Warning::new(
                routes,
                None,
                format!("a route joins '{}' to itself; it leads nowhere", name(a)),
            ));
            continue;
        }
        linked[a] = true;
        linked[b] = true;
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra] = rb;
        if r.distance_km == 0.0 {
            let (za, zb) = (root(&mut zero, a), root(&mut zero, b));
            if za == zb {
                d.warnings.push(Warning::new(
                    routes,
                    None,
                    format!(
                        "routes of distance 0 form a loop through '{}' and '{}'; \
                         assumed intended (people travel them at no cost)",
                        name(a),
                        name(b)
                    ),
                ));
            }
            zero[za] = zb;
        }
    }
    // Where people come from: conflict zones, places with a conflict
    // onset, and besieged populations.
    let mut source = vec![false; n];
    for (i, l) in sc.locations.iter().enumerate() {
        source[i] = l.kind == LocationKind::Conflict;
    }
    for (loc, values) in &sc.conflicts.columns {
        if values.iter().any(|v| *v > 0.0) {
            source[*loc as usize] = true;
        }
    }
    // In flood mode people come from flooded locations (docs/flee-model.md 18.4).
    for (loc, levels) in sc.flood.iter().flat_map(|f| &f.columns) {
        if levels.iter().any(|v| *v >= 1.0) {
            source[*loc as usize] = true;
        }
    }
    if let Some(siege) = &sc.siege {
        for p in &siege.populations {
            source[p.location as usize] = true;
        }
    }
    let mut fed = vec![false; n];
    for (i, &is_source) in source.iter().enumerate() {
        if is_source {
            let r = root(&mut parent, i);
            fed[r] = true;
        }
    }
    for (i, l) in sc.locations.iter().enumerate() {
        if l.kind.is_camp() {
            let r = root(&mut parent, i);
            if !fed[r] {
                d.warnings.push(Warning::new(
                    locations,
                    None,
                    format!(
                        "camp '{}' is unreachable: no route leads to it from a conflict zone or \
                         besieged place; it will stay as locations.csv has it",
                        l.name
                    ),
                ));
            }
        } else if source[i] && !linked[i] {
            d.warnings.push(Warning::new(
                locations,
                None,
                format!(
                    "'{}' is unreachable: no route joins it to anywhere, so people there \
                     cannot leave",
                    l.name
                ),
            ));
        }
    }
}
