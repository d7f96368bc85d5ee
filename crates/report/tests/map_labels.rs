//! The report's map places every label of the shipped scenarios without
//! overlap: the placement returns the boxes, and they are checked here.

use corridor_report::geography::Geography;
use corridor_report::labels::{conflicts, text_width, Rect};
use corridor_report::plots::{Chart, MapFigure};
use corridor_report::{Figure, MapLayout, NetworkView};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn layout(dir: &Path) -> (MapLayout, NetworkView) {
    let config = corridor_runs::RunConfig {
        settings: None,
        seed: 1,
        hasten: None,
        days: None,
        threads: Some(1),
    };
    let (sc, _) = corridor_runs::load_scenario(dir, &config).unwrap();
    let mut view = NetworkView::new(&sc, None);
    // Camps at their capacity (or 10,000): symbols as large as they get.
    let sizes: Vec<(String, f64, f64, f64)> = view
        .locations
        .iter()
        .filter(|l| l.is_camp())
        .map(|l| {
            let v = l.capacity.unwrap_or(10_000) as f64;
            (l.name.clone(), v, v, v)
        })
        .collect();
    view.set_final_sizes(&sizes);
    let geo = Geography::beside(dir).unwrap();
    (MapLayout::new(&view, geo.as_ref()), view)
}

fn check(dir: &Path) -> MapLayout {
    let (m, view) = layout(dir);
    let symbols = m.symbol_boxes();
    assert_eq!(
        conflicts(&m.labels, &symbols),
        Vec::<String>::new(),
        "{}",
        dir.display()
    );
    let frame = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: m.width,
        y1: m.height,
    };
    for p in &m.labels {
        assert!(frame.contains(&p.rect), "{:?} leaves the map", p.rect);
        // The box covers the text as estimated for its font size.
        let q = &m.requests[p.index];
        assert!(p.rect.x1 - p.rect.x0 >= text_width(&q.text, q.size) - 1e-9);
    }
    // Every place is labelled (none dropped) on these maps.
    assert!(
        m.dropped.is_empty(),
        "{}: dropped {:?}",
        dir.display(),
        m.dropped
    );
    assert_eq!(
        m.labels
            .iter()
            .filter(|p| p.index < view.locations.len())
            .count(),
        view.locations.len()
    );
    m
}

#[test]
fn fallujah_labels_are_disjoint_and_clear_of_symbols() {
    let m = check(&repo().join("scenarios/fallujah-2016"));
    // Khalidiya and Habbaniyah, 5 km apart, get separate boxes.
    let find = |name: &str| {
        m.labels
            .iter()
            .find(|p| m.requests[p.index].text == name)
            .unwrap_or_else(|| panic!("{name} not labelled"))
    };
    assert!(!find("Khalidiya").rect.overlaps(&find("Habbaniyah").rect));
    // Held places are sized by the people inside: Fallujah (80,000) is the largest.
    let big = m.symbols.iter().max_by(|a, b| a.r.total_cmp(&b.r)).unwrap();
    assert_eq!(big.class, "held");
}

#[test]
fn mali2012_labels_are_disjoint_and_clear_of_symbols() {
    let m = check(&repo().join("data/flee/scenarios/mali2012"));
    let names: Vec<&str> = m
        .labels
        .iter()
        .map(|p| m.requests[p.index].text.as_str())
        .collect();
    for n in ["Tabareybarey", "Mangaize", "Tenenkou", "Mopti"] {
        assert!(names.contains(&n), "{n} not labelled");
    }
}

#[test]
fn mosul_labels_are_disjoint_and_clear_of_symbols() {
    // Five held districts, screening sites and a camp within ~15 km.
    let m = check(&repo().join("scenarios/mosul-2016"));
    // The country is named where there is room.
    assert!(m.labels.iter().any(|p| m.requests[p.index].text == "IRAQ"));
}

#[test]
fn the_map_has_borders_and_a_scale_bar() {
    let (m, view) = layout(&repo().join("data/flee/scenarios/mali2012"));
    let svg = m.svg(&view, None);
    assert!(svg.contains("<title>Mali</title>") && svg.contains("<title>Niger</title>"));
    assert!(svg.contains("class=\"scalebar\"") && svg.contains(" km</text>"));
    // ~111 km per degree of latitude: Mali's map spans ~12° in ≤ 760 px.
    assert!((1.0..4.0).contains(&m.km_per_px()), "{}", m.km_per_px());
}

/// The exported map (`network.svg`/`.png`) draws the page's layout: every
/// placed label (boxes checked disjoint above) where the layout put it, the
/// country borders and the scenario's layers.
#[test]
fn the_exported_map_draws_the_same_layout_with_borders() {
    for dir in ["data/flee/scenarios/mali2012", "scenarios/fallujah-2016"] {
        let dir = repo().join(dir);
        let (m, view) = layout(&dir);
        assert_eq!(
            conflicts(&m.labels, &m.symbol_boxes()),
            Vec::<String>::new()
        );
        let fig = MapFigure {
            view,
            layout: m.clone(),
            geography: Geography::beside(&dir).unwrap(),
        };
        let (width, height) = fig.size();
        let figure = Figure {
            id: "network".into(),
            title: "Route network".into(),
            width,
            height,
            chart: Chart::Map(Box::new(fig)),
        };
        let svg = figure.svg().unwrap();
        // Land polygons and a scale bar.
        assert!(
            svg.contains("fill=\"#F4F1EA\""),
            "{}: no land",
            dir.display()
        );
        assert!(svg.contains(" km\n</text>"));
        for p in &m.labels {
            let q = &m.requests[p.index];
            let text = q
                .text
                .replace('&', "&amp;")
                .replace('\'', "&apos;")
                .replace('"', "&quot;");
            let at = format!("<text x=\"{}\"", p.tx.round() as i32);
            let found = svg.split(&at).skip(1).any(|rest| {
                rest.split_once('>')
                    .is_some_and(|(_, t)| t.starts_with(&format!("\n{text}\n</text>")))
            });
            assert!(
                found,
                "{}: label {text} not drawn at x {}",
                dir.display(),
                p.tx
            );
        }
        assert!(figure.png().unwrap().len() > 10_000);
    }
    // Mali's map crosses borders: they are stroked in the border colour.
    let dir = repo().join("data/flee/scenarios/mali2012");
    let (m, view) = layout(&dir);
    let (width, height) = (1330, m.height as u32 + 34);
    let svg = Figure {
        id: "network".into(),
        title: "Mali".into(),
        width,
        height,
        chart: Chart::Map(Box::new(MapFigure {
            view,
            layout: m,
            geography: None,
        })),
    }
    .svg()
    .unwrap();
    assert!(svg.matches("stroke=\"#9A8F80\"").count() > 20, "no borders");
}
