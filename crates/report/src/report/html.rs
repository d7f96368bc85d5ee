//! The HTML page: summary cards, tables and figures filled into the template.

use crate::network::NetworkView;
use crate::params::settings_rows;
use crate::validation::{fmt_count, fmt_opt, EnsembleErrors};
use crate::ReportError;
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

/// What `build` hands the page besides the inputs.
pub(super) struct Extras {
    pub(super) figures: std::collections::BTreeMap<String, FigureCtx>,
    /// The interactive map (`MapLayout::svg`), empty without a scenario.
    pub(super) map_svg: String,
    /// Place names whose labels found no room (named on hover).
    pub(super) map_dropped: Vec<String>,
    /// Interactive chart data per figure id.
    pub(super) charts: Value,
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
    extras: Extras,
    n: usize,
) -> Result<String, ReportError> {
    let Extras {
        figures,
        map_svg,
        map_dropped,
        charts,
    } = extras;
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
            // A bare percentage needs its comparison said: what against what, how averaged.
            cards.push(Card {
                label: "displaced: typical error vs IOM counts".into(),
                value: format!("{:.1} %", 100.0 * e),
                note: format!(
                    "mean |simulated − observed| / observed over {} counts",
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
    let interventions: Vec<Value> = match (sc, &f.siege) {
        (Some(sc), Some(s)) => super::setup::interventions(sc, &s.dates, &s.days),
        (None, Some(s)) => s
            .interventions
            .iter()
            .map(|(d, note)| {
                let date = s
                    .days
                    .iter()
                    .position(|x| x == d)
                    .map(|i| s.dates[i].clone())
                    .unwrap_or_default();
                json!({"day": d, "date": date, "note": note, "what": ""})
            })
            .collect(),
        _ => Vec::new(),
    };
    // Interventions the run could not apply (a hold already lifted, a day after the end).
    let skipped: Vec<Value> = f
        .siege
        .as_ref()
        .map(|s| {
            s.skipped_interventions
                .iter()
                .map(|(d, what, why)| {
                    let date = s
                        .days
                        .iter()
                        .position(|x| x == d)
                        .map(|i| s.dates[i].clone())
                        .unwrap_or_else(|| "after the run".into());
                    json!({"day": d, "date": date, "what": what, "why": why})
                })
                .collect()
        })
        .unwrap_or_default();
    // Dates marked on every time chart: the scenario's key dates, and the days
    // interventions open or close a way out (one mark per day).
    let mut key_dates: Vec<(i64, String, &str)> = sc
        .and_then(|s| s.siege.as_ref())
        .map(|s| {
            s.key_dates
                .iter()
                .map(|k| (k.day, k.label.clone(), "key"))
                .collect()
        })
        .unwrap_or_default();
    for i in interventions.iter().filter(|i| i["major"] == true) {
        let day = i["day"].as_i64().unwrap_or(0);
        let note = i["note"].as_str().unwrap_or("");
        let label = if note.is_empty() {
            i["what"].as_str().unwrap_or("")
        } else {
            note
        };
        if !key_dates.iter().any(|(d, _, _)| *d == day) {
            key_dates.push((day, label.to_string(), "intervention"));
        }
    }
    key_dates.sort_by_key(|k| k.0);
    let key_dates: Vec<Value> = key_dates
        .into_iter()
        .map(|(day, label, kind)| json!({"day": day, "label": label, "kind": kind}))
        .collect();
    let settings: Vec<Value> = sc
        .map(|s| {
            settings_rows(&s.settings)
                .into_iter()
                .map(|(k, v)| {
                    // Rounded for reading; the exact value on hover.
                    let shown = match v.parse::<f64>() {
                        Ok(x) if v.contains('.') => crate::validation::fmt_num(x),
                        _ => v.clone(),
                    };
                    json!({"key": k, "value": shown, "exact": v})
                })
                .collect()
        })
        .unwrap_or_default();
    let siege_setup = sc.and_then(super::setup::siege_setup);
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
        "key_dates": key_dates,
        "charts": charts,
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
        people_per_agent => f.siege.as_ref().map(|s| s.people_per_agent),
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
        skipped_interventions => skipped,
        settings => settings,
        settings_note => settings_note,
        siege_setup => siege_setup,
        locations => locations,
        closed_routes => closed_routes,
        closures_recorded => network.is_some_and(|v| v.closures_recorded),
        map_svg => minijinja::Value::from_safe_string(map_svg),
        map_dropped => map_dropped,
        has_held_symbols => network.is_some_and(|v| v.locations.iter().any(|l| l.held)),
        has_camp_symbols => network.is_some_and(|v| v.locations.iter().any(|l| l.is_camp())),
        has_conflict_symbols => network.is_some_and(|v| v.locations.iter().any(|l| !l.held && l.kind == "conflict_zone")),
        route_legend => route_legend(network),
        geo_legend => geo_legend(input.geography),
        key_dates => key_dates,
        geography_source => input.geography.map(|g| g.source.clone()),
        uplot_js => minijinja::Value::from_safe_string(include_str!("../../assets/uplot/uPlot.iife.min.js").to_string()),
        uplot_css => minijinja::Value::from_safe_string(include_str!("../../assets/uplot/uPlot.min.css").to_string()),
        page_js => minijinja::Value::from_safe_string(include_str!("../../templates/report.js").to_string()),
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

/// Legend entries for the route styles the map uses (`svg.map .route-*` in the template).
fn route_legend(network: Option<&NetworkView>) -> Vec<Value> {
    let Some(v) = network else { return Vec::new() };
    let styles = [
        ("exit", "#d62728", 2.4, "", "exit from a held place"),
        ("checkpoint", "#e8871e", 2.0, "", "checkpoint on a road"),
        ("crossing", "#1f6fd1", 2.4, "5 3", "river crossing"),
        ("closed", "#9aa5ad", 1.3, "2 3", "closed throughout the run"),
        ("closed-some", "#7d8a96", 1.3, "6 3", "closed on some days"),
    ];
    styles
        .iter()
        .filter(|(class, ..)| {
            v.routes.iter().any(|r| match r.siege_role {
                Some(role) => role == *class,
                None if r.closed_throughout() => *class == "closed",
                None if r.closed_any() => *class == "closed-some",
                None => false,
            })
        })
        .map(|(_, color, width, dash, label)| json!({"color": color, "width": width, "dash": dash, "label": label}))
        .collect()
}

/// Legend entries for the scenario's own layers present on the map.
fn geo_legend(geography: Option<&crate::Geography>) -> Vec<Value> {
    use crate::geography::GeoKind;
    let Some(g) = geography else {
        return Vec::new();
    };
    [
        (GeoKind::River, "#5b9bd5", 3.0, ""),
        (GeoKind::FrontLine, "#b02a2a", 2.5, "8 4"),
        (GeoKind::HeldArea, "#d62728", 8.0, ""),
        (GeoKind::Road, "#b9a37a", 1.5, ""),
    ]
    .iter()
    .filter(|(k, ..)| g.features.iter().any(|f| f.kind == *k))
    .map(|(k, color, width, dash)| json!({"color": color, "width": width, "dash": dash, "label": k.legend()}))
    .collect()
}
