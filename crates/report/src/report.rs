//! Assembling the report: figures, tables and the self-contained HTML page.

use crate::forecast::{Band, Forecast, SiegeForecast};
use crate::network::{ClosureRecord, NetworkView};
use crate::params::{settings_rows, ParamSpace};
use crate::plots::{
    colors, map_height, Bar, BarChart, Chart, Figure, LegendPos, Line, Points, StackedChart,
    TimeChart,
};
use crate::validation::{fmt_count, fmt_opt, EnsembleErrors};
use crate::ReportError;
use corridor_analysis::{ard_daily, ArdMode};
use corridor_model::Scenario;
use serde::Serialize;
use serde_json::{json, Value};

/// What a report is made from.
pub struct ReportInput<'a> {
    /// Page title (default: the scenario's name).
    pub title: Option<String>,
    /// The scenario, when known: the map, the settings and the siege setup come from it.
    pub scenario: Option<&'a Scenario>,
    /// Route closures recorded from one run of the scenario.
    pub closures: Option<&'a ClosureRecord>,
    pub forecast: &'a Forecast,
    /// The parameter ranges the ensemble sampled, if any.
    pub params: Option<&'a ParamSpace>,
    pub master_seed: Option<u64>,
    /// Where the runs came from, one line each ("20 replicates run by corridor", a folder).
    pub sources: Vec<String>,
    /// Program and version that made the report.
    pub generator: String,
}

/// A built report: its figures, its tables and the HTML page.
pub struct Report {
    pub figures: Vec<Figure>,
    pub errors: EnsembleErrors,
    pub network: Option<NetworkView>,
    pub html: String,
}

fn x_of(days: &[i64]) -> Vec<f64> {
    days.iter().map(|&d| d as f64).collect()
}

fn band_line(label: &str, color: plotters::style::RGBColor, b: &Band, n: usize) -> Line {
    Line {
        label: label.to_string(),
        color,
        values: b.mean.clone(),
        band: (n > 1).then(|| (b.p5.clone(), b.p95.clone())),
        dashed: false,
    }
}

fn safe_id(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn round_vec(v: &[f64], digits: i32) -> Vec<Value> {
    let m = 10f64.powi(digits);
    v.iter()
        .map(|x| {
            if x.is_finite() {
                json!((x * m).round() / m)
            } else {
                Value::Null
            }
        })
        .collect()
}

fn band_json(b: &Band) -> Value {
    json!({
        "mean": round_vec(&b.mean, 2),
        "sd": round_vec(&b.sd, 2),
        "p5": round_vec(&b.p5, 2),
        "p50": round_vec(&b.p50, 2),
        "p95": round_vec(&b.p95, 2),
    })
}

/// Builds every figure of the report.
fn figures(input: &ReportInput, network: Option<&NetworkView>) -> Vec<Figure> {
    let f = input.forecast;
    let n = f.runs.len();
    let mut figs = Vec::new();
    if let Some(view) = network {
        figs.push(Figure {
            id: "network".into(),
            title: format!("Route network: {}", view.name),
            width: 1100,
            height: map_height(view, 1100),
            chart: Chart::Map(Box::new(view.clone())),
        });
    }
    if let Some(s) = &f.siege {
        figs.extend(siege_figures(s, n));
    }
    if f.has_camp_data() || f.siege.is_none() {
        let x = x_of(&f.days);
        for c in &f.camps {
            figs.push(Figure {
                id: format!("camp-{}", safe_id(&c.name)),
                title: c.name.replace('_', " "),
                width: 520,
                height: 300,
                chart: Chart::Time(TimeChart {
                    x: x.clone(),
                    dates: f.dates.clone(),
                    y_label: "people in camp".into(),
                    lines: vec![
                        band_line("simulated (mean, 5–95 %)", colors::SIM, &c.sim, n),
                        Line {
                            label: "observed".into(),
                            color: colors::DATA,
                            values: c.data.clone(),
                            band: None,
                            dashed: true,
                        },
                    ],
                    points: vec![],
                    legend: Some(LegendPos::LowerRight),
                }),
            });
        }
        figs.push(Figure {
            id: "totals".into(),
            title: "All camps".into(),
            width: 1100,
            height: 380,
            chart: Chart::Time(TimeChart {
                x: x.clone(),
                dates: f.dates.clone(),
                y_label: "people".into(),
                lines: vec![
                    band_line(
                        "displaced agents created (simulation)",
                        colors::ALT,
                        &f.total_agents,
                        n,
                    ),
                    band_line(
                        "in camps, simulated (mean, 5–95 %)",
                        colors::SIM,
                        &f.in_camps_sim,
                        n,
                    ),
                    Line {
                        label: "in camps, observed (UNHCR)".into(),
                        color: colors::DATA,
                        values: f.in_camps_data.clone(),
                        band: None,
                        dashed: true,
                    },
                ],
                points: vec![],
                legend: Some(LegendPos::LowerRight),
            }),
        });
        if f.has_camp_data() {
            let per_run: Vec<Vec<f64>> = f
                .runs
                .iter()
                .map(|r| ard_daily(&r.out, ArdMode::Rescaled))
                .collect();
            let band = Band::from_runs(&per_run);
            let mean_n = ard_daily(&f.mean_output, ArdMode::Normal);
            let mean_r = ard_daily(&f.mean_output, ArdMode::Rescaled);
            figs.push(Figure {
                id: "ard-daily".into(),
                title: "Daily error (relative difference, Flee's ARD before averaging)".into(),
                width: 1100,
                height: 320,
                chart: Chart::Time(TimeChart {
                    x,
                    dates: f.dates.clone(),
                    y_label: "error".into(),
                    lines: vec![
                        band_line("rescaled, per run (mean, 5–95 %)", colors::SIM, &band, n),
                        Line {
                            label: "normal, ensemble mean".into(),
                            color: colors::ALT,
                            values: mean_n,
                            band: None,
                            dashed: false,
                        },
                        Line {
                            label: "rescaled, ensemble mean".into(),
                            color: colors::DATA,
                            values: mean_r,
                            band: None,
                            dashed: true,
                        },
                    ],
                    points: vec![],
                    legend: Some(LegendPos::UpperRight),
                }),
            });
        }
    }
    figs
}

fn siege_figures(s: &SiegeForecast, n: usize) -> Vec<Figure> {
    let x = x_of(&s.days);
    let mut figs = Vec::new();
    let fate = |name: &str| s.fate(name).cloned().unwrap_or_default();
    let layers = vec![
        ("in camps".to_string(), colors::CAMPS, fate("in_camps").mean),
        (
            "in transit".to_string(),
            colors::TRANSIT,
            fate("in_transit").mean,
        ),
        (
            "detained".to_string(),
            colors::DETAINED,
            fate("detained").mean,
        ),
        ("dead".to_string(), colors::SHOT, fate("dead").mean),
        ("trapped".to_string(), colors::TRAPPED, fate("trapped").mean),
    ];
    figs.push(Figure {
        id: "fates".into(),
        title: "Where people are: fates over time (ensemble mean, stacked)".into(),
        width: 1100,
        height: 400,
        chart: Chart::Stacked(StackedChart {
            x: x.clone(),
            dates: s.dates.clone(),
            y_label: "people".into(),
            layers,
        }),
    });
    let causes = [
        ("shot while leaving", "dead_shot", colors::SHOT, "shot"),
        (
            "drowned crossing",
            "dead_drowned",
            colors::DROWNED,
            "drowned",
        ),
        (
            "died in custody",
            "dead_in_custody",
            colors::CUSTODY,
            "in custody",
        ),
    ];
    figs.push(Figure {
        id: "casualties".into(),
        title: "Deaths by cause, cumulative (mean, 5–95 %)".into(),
        width: 700,
        height: 340,
        chart: Chart::Time(TimeChart {
            x: x.clone(),
            dates: s.dates.clone(),
            y_label: "people".into(),
            lines: causes
                .iter()
                .map(|(label, key, color, _)| band_line(label, *color, &fate(key), n))
                .collect(),
            points: vec![],
            legend: Some(LegendPos::UpperLeft),
        }),
    });
    figs.push(Figure {
        id: "casualties-total".into(),
        title: format!(
            "Deaths by cause by {} (mean, 5–95 %)",
            s.dates.last().cloned().unwrap_or_default()
        ),
        width: 400,
        height: 340,
        chart: Chart::Bars(BarChart {
            y_label: "people".into(),
            bars: causes
                .iter()
                .map(|(_, key, color, short)| {
                    let b = fate(key);
                    let last = b.len().saturating_sub(1);
                    Bar {
                        label: short.to_string(),
                        value: b.mean.get(last).copied().unwrap_or(0.0),
                        range: (n > 1).then(|| (b.p5[last], b.p95[last])),
                        color: *color,
                    }
                })
                .collect(),
        }),
    });
    let obs_points = |what: &str| -> Vec<crate::plots::Point> {
        s.observed
            .iter()
            .filter(|o| o.what == what)
            .map(|o| (o.day as f64, o.observed, None))
            .collect()
    };
    figs.push(Figure {
        id: "observed-displaced".into(),
        title: "Displaced people: simulated vs observed (IOM DTM)".into(),
        width: 1100,
        height: 380,
        chart: Chart::Time(TimeChart {
            x: x.clone(),
            dates: s.dates.clone(),
            y_label: "people displaced (cumulative, alive)".into(),
            lines: vec![
                band_line(
                    "displaced, simulated (mean, 5–95 %)",
                    colors::SIM,
                    &fate("displaced"),
                    n,
                ),
                band_line("in camps, simulated", colors::CAMPS, &fate("in_camps"), n),
            ],
            points: vec![
                Points {
                    label: "displaced, observed".into(),
                    color: colors::OBSERVED,
                    points: obs_points("displaced"),
                },
                Points {
                    label: "in camps, observed".into(),
                    color: colors::DATA,
                    points: obs_points("in_camps"),
                },
            ]
            .into_iter()
            .filter(|p| !p.points.is_empty())
            .collect(),
            legend: Some(LegendPos::LowerRight),
        }),
    });
    for (i, camp) in s.camps.iter().enumerate() {
        let pts = obs_points(camp);
        figs.push(Figure {
            id: format!("camp-{}", safe_id(camp)),
            title: camp.replace('_', " "),
            width: 520,
            height: 300,
            chart: Chart::Time(TimeChart {
                x: x.clone(),
                dates: s.dates.clone(),
                y_label: "people in camp".into(),
                lines: vec![band_line(
                    "simulated (mean, 5–95 %)",
                    colors::SIM,
                    &s.in_camp[i],
                    n,
                )],
                points: if pts.is_empty() {
                    vec![]
                } else {
                    vec![Points {
                        label: "observed".into(),
                        color: colors::OBSERVED,
                        points: pts,
                    }]
                },
                legend: Some(LegendPos::LowerRight),
            }),
        });
    }
    figs
}

#[derive(Serialize)]
struct Card {
    label: String,
    value: String,
    note: String,
}

#[derive(Serialize)]
struct FigureCtx {
    id: String,
    title: String,
    svg: minijinja::Value,
}

fn responsive(svg: &str) -> String {
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

/// Builds the report.
pub fn build(input: &ReportInput) -> Result<Report, ReportError> {
    let f = input.forecast;
    let n = f.runs.len();
    let network = input.scenario.map(|sc| {
        let mut v = NetworkView::new(sc, input.closures);
        let last = |b: &Band| {
            let i = b.len().saturating_sub(1);
            (b.mean[i], b.p5[i], b.p95[i])
        };
        let sizes: Vec<(String, f64, f64, f64)> = match &f.siege {
            Some(s) => s
                .camps
                .iter()
                .zip(&s.in_camp)
                .map(|(c, b)| {
                    let (m, lo, hi) = last(b);
                    (c.clone(), m, lo, hi)
                })
                .collect(),
            None => f
                .camps
                .iter()
                .map(|c| {
                    let (m, lo, hi) = last(&c.sim);
                    (c.name.clone(), m, lo, hi)
                })
                .collect(),
        };
        v.set_final_sizes(&sizes);
        v
    });
    let figs = figures(input, network.as_ref());
    let errors = EnsembleErrors::new(f);
    let mut rendered = std::collections::BTreeMap::new();
    for fig in &figs {
        rendered.insert(
            fig.id.clone(),
            FigureCtx {
                id: fig.id.clone(),
                title: fig.title.clone(),
                svg: minijinja::Value::from_safe_string(responsive(&fig.svg()?)),
            },
        );
    }
    let html = render_html(input, network.as_ref(), &errors, rendered, n)?;
    Ok(Report {
        figures: figs,
        errors,
        network,
        html,
    })
}

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:+.1} %", 100.0 * x)
    } else {
        "—".into()
    }
}

fn render_html(
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
                        "observed": fmt_count(o.observed),
                        "mean": fmt_count(o.mean),
                        "band": if n > 1 { format!("{} – {}", fmt_count(o.p5), fmt_count(o.p95)) } else { String::new() },
                        "error": pct(o.relative_error()),
                        "inside": n > 1 && o.p5 <= o.observed && o.observed <= o.p95,
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
    env.add_template("report.html", include_str!("../templates/report.html"))
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
