//! Map labels placed without overlap: a deterministic greedy placement.
//!
//! Each label has candidate positions around its symbol (right, left, above,
//! below, the diagonals; then the same further out, joined by a leader line).
//! Labels are placed in order of priority (then input order); a candidate is
//! taken only if its box stays inside the frame and clear of every placed
//! label and every symbol, and among those the one crossing the fewest lines
//! wins, each ring further out counting as 0.6 of a crossing (earlier
//! candidates first on ties). A label with no free candidate is
//! dropped; the map still names it on hover.

/// A line segment in pixels, from one end to the other.
pub type Segment = ((f64, f64), (f64, f64));

/// An axis-aligned box in pixels (`x0 < x1`, `y0 < y1`, y downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left, top, right and bottom edges.
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    /// Do the two boxes share any interior area?
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Is `o` entirely inside this box?
    pub fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }

    /// Does the segment `a`–`b` pass through the box (Liang–Barsky clipping)?
    pub fn hits_segment(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// A label to place next to a symbol.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelRequest {
    /// The text as drawn.
    pub text: String,
    /// The symbol's centre in pixels.
    pub x: f64,
    pub y: f64,
    /// The symbol's radius (0 for a label with no symbol, such as a country name).
    pub r: f64,
    /// Font size in pixels.
    pub size: f64,
    /// Larger is placed first.
    pub priority: f64,
    /// Only the centred position (country names): no ring of candidates.
    pub centred: bool,
}

/// Where a label went.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLabel {
    /// Index into the requests.
    pub index: usize,
    /// The text's box.
    pub rect: Rect,
    /// Text position: `x` at the anchor, `y` at the baseline.
    pub tx: f64,
    pub ty: f64,
    /// SVG `text-anchor`: `start`, `middle` or `end`.
    pub anchor: &'static str,
    /// A leader line from the symbol's edge to the label, when set off.
    pub leader: Option<Segment>,
}

/// Estimated width of `text` at `size` px: DejaVu Sans averages ~0.6 em per
/// character; the estimate errs wide so boxes cover the rendered text.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.62 + 2.0
}

/// The box of a symbol of radius `r` at `(x, y)`.
pub fn symbol_box(x: f64, y: f64, r: f64) -> Rect {
    Rect {
        x0: x - r,
        y0: y - r,
        x1: x + r,
        y1: y + r,
    }
}

/// Places the labels; returns one entry per placed label (dropped ones are
/// missing), in placement order. `symbols` are boxes no label may cover,
/// `lines` segments labels avoid where they can, `frame` the drawable area.
pub fn place_labels(
    requests: &[LabelRequest],
    symbols: &[Rect],
    lines: &[Segment],
    frame: Rect,
) -> Vec<PlacedLabel> {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by(|&a, &b| {
        requests[b]
            .priority
            .total_cmp(&requests[a].priority)
            .then(a.cmp(&b))
    });
    let mut placed: Vec<PlacedLabel> = Vec::new();
    for i in order {
        let q = &requests[i];
        let w = text_width(&q.text, q.size);
        let h = q.size * 1.2;
        let mut best: Option<(f64, PlacedLabel)> = None;
        for (ring, cand) in candidates(q, w, h) {
            let free = frame.contains(&cand.rect)
                && !placed.iter().any(|p| p.rect.overlaps(&cand.rect))
                && !symbols.iter().any(|s| s.overlaps(&cand.rect));
            if !free {
                continue;
            }
            let crossings = lines
                .iter()
                .filter(|(a, b)| cand.rect.hits_segment(*a, *b))
                .count();
            // A label next to its symbol over one line reads better than one
            // set far off on a long leader: each ring out costs 0.6 crossings.
            let cost = crossings as f64 + RING_COST * ring as f64;
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, cand));
                if cost == 0.0 {
                    break;
                }
            }
        }
        if let Some((_, mut p)) = best {
            p.index = i;
            placed.push(p);
        }
    }
    placed
}

/// What setting a label one ring further out costs, in lines crossed.
const RING_COST: f64 = 0.6;

/// Candidate positions, best first, with their ring (0: next to the symbol).
fn candidates(q: &LabelRequest, w: f64, h: f64) -> Vec<(usize, PlacedLabel)> {
    let mk = |cx: f64, cy: f64, anchor: &'static str, leader: bool| {
        // (cx, cy): the anchor point of the text box's middle line.
        let x0 = match anchor {
            "start" => cx,
            "end" => cx - w,
            _ => cx - w / 2.0,
        };
        let rect = Rect {
            x0,
            y0: cy - h / 2.0,
            x1: x0 + w,
            y1: cy + h / 2.0,
        };
        PlacedLabel {
            index: 0,
            rect,
            tx: cx,
            ty: cy + q.size * 0.35,
            anchor,
            leader: None,
        }
        .with_leader(leader, q)
    };
    if q.centred {
        // A country name: its spot, else nearby spots where it fits.
        let steps = [
            (0.0, 0.0),
            (0.0, -1.0),
            (0.0, 1.0),
            (-1.0, 0.0),
            (1.0, 0.0),
            (-1.0, -1.0),
            (1.0, -1.0),
            (-1.0, 1.0),
            (1.0, 1.0),
            (0.0, -2.0),
            (0.0, 2.0),
            (-2.0, 0.0),
            (2.0, 0.0),
        ];
        return steps
            .iter()
            .map(|(i, j)| {
                (
                    0,
                    mk(q.x + i * w * 0.75, q.y + j * h * 2.0, "middle", false),
                )
            })
            .collect();
    }
    let mut out = Vec::new();
    for (ring, gap) in [2.5, 14.0, 28.0, 44.0, 64.0].into_iter().enumerate() {
        let d = q.r + gap;
        let diag = d * std::f64::consts::FRAC_1_SQRT_2;
        let leader = ring > 0;
        out.extend(
            [
                mk(q.x + d, q.y, "start", leader),
                mk(q.x - d, q.y, "end", leader),
                mk(q.x, q.y - d - h / 2.0, "middle", leader),
                mk(q.x, q.y + d + h / 2.0, "middle", leader),
                mk(q.x + diag, q.y - diag - h / 3.0, "start", leader),
                mk(q.x + diag, q.y + diag + h / 3.0, "start", leader),
                mk(q.x - diag, q.y - diag - h / 3.0, "end", leader),
                mk(q.x - diag, q.y + diag + h / 3.0, "end", leader),
            ]
            .map(|c| (ring, c)),
        );
    }
    out
}

impl PlacedLabel {
    fn with_leader(mut self, leader: bool, q: &LabelRequest) -> PlacedLabel {
        if leader {
            // From the symbol's edge towards the nearest point of the box.
            let nx = q.x.clamp(self.rect.x0, self.rect.x1);
            let ny = q.y.clamp(self.rect.y0, self.rect.y1);
            let (dx, dy) = (nx - q.x, ny - q.y);
            let len = (dx * dx + dy * dy).sqrt().max(1e-9);
            let start = (q.x + dx / len * q.r, q.y + dy / len * q.r);
            self.leader = Some((start, (nx, ny)));
        }
        self
    }
}

/// Pairs of placed labels whose boxes overlap, and labels over a symbol: the
/// two checks the tests make on every map (empty when the placement is clean).
pub fn conflicts(placed: &[PlacedLabel], symbols: &[Rect]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, a) in placed.iter().enumerate() {
        for b in &placed[k + 1..] {
            if a.rect.overlaps(&b.rect) {
                out.push(format!("labels {} and {} overlap", a.index, b.index));
            }
        }
        for (j, s) in symbols.iter().enumerate() {
            if a.rect.overlaps(s) {
                out.push(format!("label {} covers symbol {j}", a.index));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(text: &str, x: f64, y: f64, priority: f64) -> LabelRequest {
        LabelRequest {
            text: text.into(),
            x,
            y,
            r: 4.0,
            size: 12.0,
            priority,
            centred: false,
        }
    }

    #[test]
    fn close_symbols_get_disjoint_labels() {
        // Khalidiya and Habbaniyah are ~5 px apart at the Fallujah scale.
        let reqs = vec![
            req("Khalidiya", 100.0, 100.0, 1.0),
            req("Habbaniyah", 105.0, 101.0, 2.0),
            req("Camp", 110.0, 98.0, 0.5),
        ];
        let symbols: Vec<Rect> = reqs.iter().map(|q| symbol_box(q.x, q.y, q.r)).collect();
        let frame = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 400.0,
            y1: 300.0,
        };
        let placed = place_labels(&reqs, &symbols, &[], frame);
        assert_eq!(placed.len(), 3);
        assert_eq!(conflicts(&placed, &symbols), Vec::<String>::new());
        // Highest priority first.
        assert_eq!(placed[0].index, 1);
    }

    #[test]
    fn a_label_avoids_a_line_through_its_first_choice() {
        let reqs = vec![req("Al Salam Junction", 100.0, 100.0, 1.0)];
        let symbols = vec![symbol_box(100.0, 100.0, 4.0)];
        let line = ((100.0, 100.0), (300.0, 100.0)); // a route going right
        let frame = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 400.0,
            y1: 300.0,
        };
        let p = place_labels(&reqs, &symbols, &[line], frame);
        assert_eq!(p.len(), 1);
        assert!(!p[0].rect.hits_segment(line.0, line.1), "{:?}", p[0].rect);
    }

    #[test]
    fn a_label_crosses_one_line_rather_than_sit_far_off() {
        // A short line through the middle of every position of the first two
        // rings: the third ring is free, but a position next to the symbol
        // over one line is better than one set far off on a leader.
        let reqs = vec![req("Fallujah", 100.0, 100.0, 1.0)];
        let symbols = vec![symbol_box(100.0, 100.0, 4.0)];
        let frame = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 400.0,
            y1: 300.0,
        };
        let cands = candidates(&reqs[0], text_width("Fallujah", 12.0), 14.4);
        let lines: Vec<Segment> = cands
            .iter()
            .filter(|(ring, _)| *ring < 2)
            .map(|(_, c)| {
                let (x, y) = ((c.rect.x0 + c.rect.x1) / 2.0, (c.rect.y0 + c.rect.y1) / 2.0);
                ((x - 0.5, y), (x + 0.5, y))
            })
            .collect();
        let crossed = |r: &Rect| lines.iter().filter(|(a, b)| r.hits_segment(*a, *b)).count();
        // The set-up: some position of ring 0 is crossed once, ring 2 has a free one.
        assert!(cands.iter().any(|(k, c)| *k == 0 && crossed(&c.rect) == 1));
        assert!(cands.iter().any(|(k, c)| *k == 2 && crossed(&c.rect) == 0));
        let p = place_labels(&reqs, &symbols, &lines, frame);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].leader, None, "set off on a leader: {:?}", p[0].rect);
        assert_eq!(crossed(&p[0].rect), 1);
    }

    #[test]
    fn a_label_that_cannot_fit_is_dropped() {
        let reqs = vec![req("Tabareybarey", 10.0, 10.0, 1.0)];
        let frame = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 20.0,
            y1: 20.0,
        };
        assert!(place_labels(&reqs, &[], &[], frame).is_empty());
    }

    #[test]
    fn segments_are_clipped_exactly() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        assert!(r.hits_segment((-5.0, 5.0), (15.0, 5.0)));
        assert!(!r.hits_segment((-5.0, 15.0), (15.0, 12.0)));
        assert!(r.hits_segment((5.0, 5.0), (6.0, 6.0)));
    }
}
