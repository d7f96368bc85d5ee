//! The HTML page: summary cards, tables and figures filled into the template.

use crate::network::NetworkView;
use crate::params::settings_rows;
use crate::validation::{fmt_count, fmt_opt, EnsembleErrors};
use crate::ReportError;
use corridor_model::Scenario;
use serde::Serialize;
use serde_json::{json, Value};

use super::figures::{band_json, round_vec, safe_id};
use super::ReportInput;

#[derive(Serialize)]
struct Card {
    label: String,
    value: String,
    note: String,
}

#[derive(Serialize)]
pub(super) struct FigureCtx {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) svg: minijinja::Value,
}

pub(super) fn responsive(svg: &str) -> String {
    // plotters writes width/height attributes; let CSS size the picture.
    match svg.find('>') {
        Some(end) if svg.starts_with("<svg") => {
            let head = &svg[..end];
            let w = attr(head, "width");
            let h = attr(head, "height");
            match (w, h) {
                (Some(w), Some(h)) => format!(
                    "<svg viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"xMidYMid meet\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" style=\"width:100%;height:auto;max-width:{w}px\"{}",
                    &svg[end..]
                ),
                _ => svg.to_string(),
            }
        }
        _ => svg.to_string(),
    }
}

fn attr(head: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = head.find(&key)? + key.len();
    let len = head[start..].find('"')?;
    Some(head[start..start + len].to_string())
}

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:+.1} %", 100.0 * x)
    } else {
        "—".into()
    }
}

pub(super) fn render_html(
    input: &ReportInput,
    network: Option<&NetworkView>,
    errors: &EnsembleErrors,
    figures: std::collections::BTreeMap<String, FigureCtx>,
    n: usize,
) -> Result<String, ReportError> {
    let f = input.forecast;
    let sc = input.scenario;
    let name = sc
        .map(|s| s.name.clone())
        .unwrap_or_else(|| "corridor runs".to_string());
    let title = input.title.clone().unwrap_or_else(|| name.clone());
    let last = f.days.len().saturating_sub(1);
    let mut cards = Vec::new();
    let runs_note = if n > 1 {
        format!("{n} runs; band = 5–95 % of runs")
    } else {
        "1 run (no band)".to_string()
    };
    if let Some(s) = &f.siege {
        let lf = |k: &str| s.fate(k).map(|b| (b.mean[last], b.p5[last], b.p95[last]));
        let range = |v: Option<(f64, f64, f64)>| match v {
            Some((m, lo, hi)) if n > 1 => (
                fmt_count(m),
                format!("5–95 %: {} – {}", fmt_count(lo), fmt_count(hi)),
            ),
            Some((m, _, _)) => (fmt_count(m), String::new()),
            None => ("—".into(), String::new()),
        };
        for (label, key) in [
            ("displaced (alive, left home)", "displaced"),
            ("in camps", "in_camps"),
            ("still trapped", "trapped"),
            ("detained at screening", "detained"),
            ("dead", "dead"),
        ] {
            let (value, note) = range(lf(key));
            cards.push(Card {
                label: format!(
                    "{label}, {}",
                    s.dates.get(last).cloned().unwrap_or_default()
                ),
                value,
                note,
            });
        }
        if let Some(e) = s.mean_abs_relative_error("displaced") {
            cards.push(Card {
                label: "mean |error| vs IOM displaced".into(),
                value: format!("{:.1} %", 100.0 * e),
                note: format!(
                    "{} observations",
                    s.observed.iter().filter(|o| o.what == "displaced").count()
                ),
            });
        }
    } else {
        let u = f.in_camps_data[last];
        let b = &f.in_camps_sim;
        cards.push(Card {
            label: format!("in camps on {}, simulated", f.dates[last]),
            value: fmt_count(b.mean[last]),
            note: if n > 1 {
                format!(
                    "5–95 %: {} – {}",
                    fmt_count(b.p5[last]),
                    fmt_count(b.p95[last])
                )
            } else {
                String::new()
            },
        });
        cards.push(Card {
            label: format!("in camps on {}, observed", f.dates[last]),
            value: fmt_count(u),
            note: "refugees in camps (UNHCR)".into(),
        });
        let e = &errors.mean_forecast.overall;
        cards.push(Card {
            label: "ARD rescaled (ensemble mean)".into(),
            value: format!("{:.4}", e.ard_rescaled),
            note: if n > 1 {
                format!(
                    "runs: {:.4} ± {:.4}",
                    errors.ard_rescaled.mean, errors.ard_rescaled.sd
                )
            } else {
                String::new()
            },
        });
        cards.push(Card {
            label: "ARD normal (ensemble mean)".into(),
            value: format!("{:.4}", e.ard_normal),
            note: if n > 1 {
                format!(
                    "runs: {:.4} ± {:.4}",
                    errors.ard_normal.mean, errors.ard_normal.sd
                )
            } else {
                String::new()
            },
        });
    }
    // Error table rows, preformatted.
    let mt = &errors.mean_forecast;
    let err_rows: Vec<Value> = mt
        .camps
        .iter()
        .chain(std::iter::once(&mt.overall))
        .map(|r| {
            let b = if r.camp == "all camps" {
                Some(&f.in_camps_sim)
            } else {
                f.camps.iter().find(|c| c.name == r.camp).map(|c| &c.sim)
            };
            let band = b.map(|b| {
                if n > 1 {
                    format!("{} – {}", fmt_count(b.p5[last]), fmt_count(b.p95[last]))
                } else {
                    String::new()
                }
            });
            json!({
                "camp": r.camp,
                "total": r.camp == "all camps",
                "observed": fmt_count(r.observed_last),
                "simulated": fmt_count(r.simulated_last),
                "band": band.unwrap_or_default(),
                "ard_normal": format!("{:.4}", r.ard_normal),
                "ard_rescaled": format!("{:.4}", r.ard_rescaled),
                "mase": r.mase.iter().map(|m| fmt_opt(*m)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let runs: Vec<Value> = errors
        .runs
        .iter()
        .map(|r| {
            json!({
                "label": r.label,
                "seed": r.seed.map(|s| s.to_string()).unwrap_or_default(),
                "ard_normal": format!("{:.4}", r.ard_normal),
                "ard_rescaled": format!("{:.4}", r.ard_rescaled),
                "params": r.params.iter().map(|p| format!("{p:.4}")).collect::<Vec<_>>(),
            })
        })
        .collect();
    let observed: Vec<Value> = f
        .siege
        .as_ref()
        .map(|s| {
            s.observed
                .iter()
                .map(|o| {
                    json!({
                        "date": o.date, "day": o.day, "what": o.what,
                        "observed": o.observed.map(fmt_count).unwrap_or_else(|| "–".into()),
                        "interval": corridor_engine::siege::report_interval_text(o.low, o.high),
                        "mean": fmt_count(o.mean),
                        "band": if n > 1 { format!("{} – {}", fmt_count(o.p5), fmt_count(o.p95)) } else { String::new() },
                        "error": pct(o.relative_error()),
                        "inside": o.band_meets(),
                        "within": if o.within() { "✓" } else { "✗" },
                        "source": o.source,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let mape: Vec<Value> = f
        .siege
        .as_ref()
        .map(|s| {
            let mut kinds: Vec<&str> = Vec::new();
            for o in &s.observed {
                if !kinds.contains(&o.what.as_str()) {
                    kinds.push(&o.what);
                }
            }
            kinds
                .iter()
                .filter_map(|k| {
                    s.mean_abs_relative_error(k)
                        .map(|e| json!({"what": k, "error": format!("{:.1} %", 100.0 * e)}))
                })
                .collect()
        })
        .unwrap_or_default();
    let interventions: Vec<Value> = f
        .siege
        .as_ref()
        .map(|s| {
            s.interventions
                .iter()
                .map(|(d, note)| {
                    let date = s
                        .days
                        .iter()
                        .position(|x| x == d)
                        .map(|i| s.dates[i].clone())
                        .unwrap_or_default();
                    json!({"day": d, "date": date, "note": note})
                })
                .collect()
        })
        .unwrap_or_default();
    let settings: Vec<Value> = sc
        .map(|s| {
            settings_rows(&s.settings)
                .into_iter()
                .map(|(k, v)| json!({"key": k, "value": v}))
                .collect()
        })
        .unwrap_or_default();
    let siege_setup = sc.and_then(siege_setup);
    let locations: Vec<Value> = network
        .map(|v| {
            v.locations
                .iter()
                .map(|l| {
                    json!({
                        "name": l.name, "kind": l.kind.replace('_', " "), "country": l.country,
                        "lat": format!("{:.4}", l.lat), "lon": format!("{:.4}", l.lon),
                        "population": l.population.map(|p| fmt_count(p as f64)).unwrap_or_default(),
                        "capacity": l.capacity.map(|p| fmt_count(p as f64)).unwrap_or_default(),
                        "held": l.held,
                        "final": l.final_mean.map(fmt_count).unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let closed_routes: Vec<Value> = network
        .map(|v| {
            v.routes
                .iter()
                .filter(|r| r.closed_any() || r.siege_role.is_some())
                .map(|r| {
                    let fmt = |p: &[[i64; 2]]| {
                        p.iter()
                            .map(|[a, b]| {
                                if a == b {
                                    format!("d{a}")
                                } else {
                                    format!("d{a}–d{b}")
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    json!({
                        "from": r.from, "to": r.to, "km": format!("{}", r.distance_km),
                        "role": r.siege_role.unwrap_or(""),
                        "forward": fmt(&r.closed_forward), "backward": fmt(&r.closed_backward),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let params: Vec<Value> = input
        .params
        .map(|p| {
            p.parameters()
                .iter()
                .map(|q| json!({"path": q.path, "low": q.low, "high": q.high, "log": q.log}))
                .collect()
        })
        .unwrap_or_default();
    let data = json!({
        "generator": input.generator,
        "scenario": name,
        "master_seed": input.master_seed,
        "runs": n,
        "days": f.days,
        "dates": f.dates,
        "camps": f.camps.iter().map(|c| json!({
            "name": c.name, "data": round_vec(&c.data, 2), "sim": band_json(&c.sim)
        })).collect::<Vec<_>>(),
        "in_camps": {"sim": band_json(&f.in_camps_sim), "data": round_vec(&f.in_camps_data, 2)},
        "siege": f.siege.as_ref().map(|s| json!({
            "camps": s.camps,
            "fates": s.fates.iter().map(|(k, b)| json!({"fate": k, "band": band_json(b)})).collect::<Vec<_>>(),
            "in_camp": s.in_camp.iter().map(band_json).collect::<Vec<_>>(),
            "observed": s.observed,
        })),
        "errors": errors,
        "parameters": input.params.map(|p| &p.space),
        "network": network.map(|v| v.geojson()),
    });
    let data_text = serde_json::to_string(&data)
        .map_err(|e| ReportError::Plot(e.to_string()))?
        .replace("</", "<\\/");
    let (settings_note, scenario_info) = match sc {
        Some(s) => (
            String::new(),
            json!({
                "name": s.name, "start": s.start_date, "days": s.days,
                "locations": s.locations.len(), "routes": s.routes.len(),
                "hasten": s.settings.hasten, "siege": s.siege.is_some(),
            }),
        ),
        None => (
            "The report was built from output files only; pass the scenario too to show its settings and map.".to_string(),
            Value::Null,
        ),
    };
    let ctx = minijinja::context! {
        title => title,
        generator => input.generator,
        scenario => scenario_info,
        sources => input.sources,
        master_seed => input.master_seed,
        n => n,
        runs_note => runs_note,
        first_date => f.dates.first().cloned().unwrap_or_default(),
        last_date => f.dates.last().cloned().unwrap_or_default(),
        cards => cards,
        figures => figures,
        siege => f.siege.is_some(),
        has_camp_data => f.has_camp_data(),
        camp_ids => f.camps.iter().map(|c| format!("camp-{}", safe_id(&c.name))).collect::<Vec<_>>(),
        siege_camp_ids => f.siege.as_ref().map(|s| s.camps.iter().map(|c| format!("camp-{}", safe_id(c))).collect::<Vec<_>>()).unwrap_or_default(),
        mase_models => mt.mase_models,
        err_rows => err_rows,
        err_days => mt.days,
        ard_normal => errors.ard_normal,
        ard_rescaled => errors.ard_rescaled,
        runs => runs,
        param_names => errors.param_names,
        params => params,
        params_source => input.params.map(|p| p.source.clone()),
        observed_within => f.siege.as_ref().filter(|s| !s.observed.is_empty()).map(|s| format!(
            "{} of {} observations",
            s.observed.iter().filter(|o| o.within()).count(),
            s.observed.len()
        )),
        band_covers => match input.params {
            Some(p) => format!("5–95 % over {n} runs: seeds and the ranges in {}", p.source),
            None => format!("5–95 % over {n} runs: seeds only"),
        },
        observed => observed,
        mape => mape,
        interventions => interventions,
        settings => settings,
        settings_note => settings_note,
        siege_setup => siege_setup,
        locations => locations,
        closed_routes => closed_routes,
        closures_recorded => network.is_some_and(|v| v.closures_recorded),
        data_json => minijinja::Value::from_safe_string(data_text),
    };
    let mut env = minijinja::Environment::new();
    env.add_template("report.html", include_str!("../../templates/report.html"))
        .map_err(|e| ReportError::Template(e.to_string()))?;
    let tmpl = env
        .get_template("report.html")
        .map_err(|e| ReportError::Template(e.to_string()))?;
    tmpl.render(ctx)
        .map_err(|e| ReportError::Template(format!("{e:#}")))
}

/// The siege section of a scenario as small tables for the settings section.
fn siege_setup(sc: &Scenario) -> Option<Value> {
    let s = sc.siege.as_ref()?;
    let name = |i: u32| sc.locations[i as usize].name.clone();
    Some(json!({
        "people_per_agent": s.people_per_agent,
        "screened_share": s.screened_share,
        "populations": s.populations.iter().map(|p| json!({"place": name(p.location), "people": fmt_count(p.people as f64)})).collect::<Vec<_>>(),
        "holds": s.holds.iter().map(|h| json!({"place": name(h.location), "attempt_rate": h.attempt_rate, "until": h.until_day})).collect::<Vec<_>>(),
        "exits": s.exits.iter().map(|e| json!({"from": name(e.from), "to": name(e.to), "open": e.open, "turned_back": e.turned_back, "shot": e.shot, "weight": e.weight})).collect::<Vec<_>>(),
        "crossings": s.crossings.iter().map(|c| json!({"from": name(c.from), "to": name(c.to), "capacity": c.capacity_per_day.map(|x| x.to_string()).unwrap_or_else(|| "unlimited".into()), "drowning": c.drowning})).collect::<Vec<_>>(),
        "screenings": s.screenings.iter().map(|x| json!({"place": name(x.location), "active": x.active, "hold": format!("{}–{} days", x.hold_min_days, x.hold_max_days), "not_released": x.not_released, "death_in_custody": x.death_in_custody})).collect::<Vec<_>>(),
    }))
}
