//! Charts, drawn with plotters to SVG (for the HTML report) or PNG.
//!
//! PNG text is rasterised with the DejaVu Sans font embedded in this crate
//! (`assets/DejaVuSans.ttf`, Bitstream Vera licence) through ab_glyph, so a PNG
//! is the same on every machine. SVG output uses plain `<text>` elements.

use crate::ReportError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

mod charts;
mod map;

use charts::{draw_bars, draw_stacked, draw_time};
use map::draw_map;
pub use map::MapFigure;

/// DejaVu Sans, registered as plotters' `sans-serif`.
pub static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

fn ensure_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            // The font is valid (tested); a failure would only lose text.
            let _ = plotters::style::register_font("sans-serif", style, FONT);
        }
    });
}

/// Colours used across the report.
pub mod colors {
    use plotters::style::RGBColor;
    pub const SIM: RGBColor = RGBColor(31, 119, 180);
    pub const DATA: RGBColor = RGBColor(20, 20, 20);
    pub const OBSERVED: RGBColor = RGBColor(214, 39, 40);
    pub const TRAPPED: RGBColor = RGBColor(127, 127, 127);
    pub const TRANSIT: RGBColor = RGBColor(255, 187, 120);
    pub const DETAINED: RGBColor = RGBColor(148, 103, 189);
    pub const CAMPS: RGBColor = RGBColor(44, 160, 44);
    pub const HOSTS: RGBColor = RGBColor(152, 223, 138);
    pub const SHOT: RGBColor = RGBColor(214, 39, 40);
    pub const DROWNED: RGBColor = RGBColor(23, 190, 207);
    pub const CUSTODY: RGBColor = RGBColor(140, 86, 75);
    pub const CONFLICT: RGBColor = RGBColor(214, 39, 40);
    pub const TOWN: RGBColor = RGBColor(120, 120, 120);
    pub const ROUTE: RGBColor = RGBColor(170, 170, 170);
    pub const CLOSED: RGBColor = RGBColor(214, 39, 40);
    pub const PARTLY: RGBColor = RGBColor(255, 127, 14);
    pub const EXIT: RGBColor = RGBColor(44, 160, 44);
    pub const CROSSING: RGBColor = RGBColor(31, 119, 180);
    pub const ALT: RGBColor = RGBColor(255, 127, 14);
}

/// A line over days, optionally with a shaded band.
#[derive(Debug, Clone)]
pub struct Line {
    pub label: String,
    pub color: RGBColor,
    pub values: Vec<f64>,
    /// Lower and upper edge of a band drawn under the line.
    pub band: Option<(Vec<f64>, Vec<f64>)>,
    pub dashed: bool,
}

/// One marker: `(day, value, optional (low, high) whisker)`.
pub type Point = (f64, f64, Option<(f64, f64)>);

/// Observations as markers, optionally with a vertical range each.
#[derive(Debug, Clone)]
pub struct Points {
    pub label: String,
    pub color: RGBColor,
    /// `(day, value, optional (low, high) whisker)`.
    pub points: Vec<Point>,
}

/// Lines and points over days.
#[derive(Debug, Clone)]
pub struct TimeChart {
    pub x: Vec<f64>,
    /// Date of each x (same length), used for axis labels.
    pub dates: Vec<String>,
    pub y_label: String,
    pub lines: Vec<Line>,
    pub points: Vec<Points>,
    /// Where to draw the legend; `None` for no legend.
    pub legend: Option<LegendPos>,
}

/// Corner of the plot that holds a legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendPos {
    UpperLeft,
    UpperRight,
    LowerRight,
}

/// Areas stacked over days (bottom layer first).
#[derive(Debug, Clone)]
pub struct StackedChart {
    pub x: Vec<f64>,
    pub dates: Vec<String>,
    pub y_label: String,
    pub layers: Vec<(String, RGBColor, Vec<f64>)>,
}

/// One bar with an optional range.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub range: Option<(f64, f64)>,
    pub color: RGBColor,
}

/// Bars side by side.
#[derive(Debug, Clone)]
pub struct BarChart {
    pub y_label: String,
    pub bars: Vec<Bar>,
}

/// What a figure shows.
#[derive(Debug, Clone)]
pub enum Chart {
    Time(TimeChart),
    Stacked(StackedChart),
    Bars(BarChart),
    /// The route network on its map (the page's layout, drawn for export).
    Map(Box<MapFigure>),
}

/// A chart with its size and title.
#[derive(Debug, Clone)]
pub struct Figure {
    /// File-name-safe identifier (`camp-Niamey`, `network`).
    pub id: String,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub chart: Chart,
}

fn anchored(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", size).into_font()).pos(Pos::new(h, v))
}

fn draw_err<E: std::fmt::Display>(e: E) -> ReportError {
    ReportError::Plot(e.to_string())
}

/// A short number for axes: 12,000 → 12k; 1,500,000 → 1.5M.
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        trim(format!("{:.1}", v / 1e6)) + "M"
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1e3 {
        trim(format!("{:.1}", v / 1e3)) + "k"
    } else if a >= 10.0 || v == 0.0 {
        format!("{v:.0}")
    } else {
        trim(format!("{v:.2}"))
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn date_label(dates: &[String], x0: f64, x: f64) -> String {
    let i = (x - x0).round();
    if i < 0.0 {
        return String::new();
    }
    match dates.get(i as usize) {
        // 2016-05-22 -> 22 May 16? keep ISO month-day, with the year on January.
        Some(d) if d.len() >= 10 => {
            let months = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let m: usize = d[5..7].parse().unwrap_or(1);
            let day: u32 = d[8..10].parse().unwrap_or(1);
            format!("{day} {} {}", months[m.clamp(1, 12) - 1], &d[2..4])
        }
        Some(d) => d.clone(),
        None => format!("d{x:.0}"),
    }
}

fn finite_max(vals: impl Iterator<Item = f64>) -> f64 {
    vals.filter(|v| v.is_finite()).fold(0.0, f64::max)
}

impl Figure {
    /// The figure as an SVG document (plain `<text>`), scaled to its container
    /// when embedded in HTML.
    pub fn svg(&self) -> Result<String, ReportError> {
        ensure_font();
        let mut s = String::new();
        {
            let root =
                SVGBackend::with_string(&mut s, (self.width, self.height)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(draw_err)?;
        }
        Ok(s)
    }

    /// The figure as PNG bytes.
    pub fn png(&self) -> Result<Vec<u8>, ReportError> {
        ensure_font();
        let (w, h) = (self.width, self.height);
        let mut buf = vec![0u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(draw_err)?;
        }
        let img = image::RgbImage::from_raw(w, h, buf)
            .ok_or_else(|| ReportError::Plot("bitmap size mismatch".into()))?;
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageOutputFormat::Png)
            .map_err(draw_err)?;
        Ok(out.into_inner())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ReportError> {
        root.fill(&WHITE).map_err(draw_err)?;
        let root = root
            .titled(&self.title, ("sans-serif", 17).into_font().color(&BLACK))
            .map_err(draw_err)?;
        match &self.chart {
            Chart::Time(c) => draw_time(&root, c),
            Chart::Stacked(c) => draw_stacked(&root, c),
            Chart::Bars(c) => draw_bars(&root, c),
            Chart::Map(v) => draw_map(&root, v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Figure {
        Figure {
            id: "t".into(),
            title: "Test".into(),
            width: 400,
            height: 260,
            chart: Chart::Time(TimeChart {
                x: vec![0.0, 1.0, 2.0],
                dates: vec![
                    "2012-03-01".into(),
                    "2012-03-02".into(),
                    "2012-03-03".into(),
                ],
                y_label: "people".into(),
                lines: vec![Line {
                    label: "sim".into(),
                    color: colors::SIM,
                    values: vec![1.0, 5.0, 9.0],
                    band: Some((vec![0.0, 4.0, 7.0], vec![2.0, 6.0, 11.0])),
                    dashed: false,
                }],
                points: vec![Points {
                    label: "obs".into(),
                    color: colors::OBSERVED,
                    points: vec![(1.0, 4.0, None)],
                }],
                legend: Some(LegendPos::UpperLeft),
            }),
        }
    }

    #[test]
    fn svg_and_png_render_and_are_deterministic() {
        let f = chart();
        let svg = f.svg().unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<text") && svg.contains("Test"));
        let png = f.png().unwrap();
        assert_eq!(&png[1..4], b"PNG");
        assert_eq!(png, f.png().unwrap());
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short_number(0.0), "0");
        assert_eq!(short_number(1500.0), "1.5k");
        assert_eq!(short_number(80000.0), "80k");
        assert_eq!(short_number(2_500_000.0), "2.5M");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(
            date_label(&["2016-05-22".to_string()], 0.0, 0.0),
            "22 May 16"
        );
    }
}
