//! Squarified treemap layout (Bruls, Huizing and van Wijk, 2000): weights
//! become rectangles of proportional area with aspect ratios near 1.

/// A rectangle in SVG units.
#[derive(Debug, Clone, Copy)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}
impl Rect {
    /// The rectangle mirrored across the diagonal (x and y, w and h swapped).
    fn transposed(self) -> Rect {
        Rect {
            x: self.y,
            y: self.x,
            w: self.h,
            h: self.w,
        }
    }
}

/// Lays out `weights` (largest first) in `r`, squarified (Bruls, Huizing, van Wijk).
pub fn squarify(weights: &[f64], r: Rect) -> Vec<Rect> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 || r.w <= 0.0 || r.h <= 0.0 {
        return vec![
            Rect {
                w: 0.0,
                h: 0.0,
                ..r
            };
            weights.len()
        ];
    }
    let scale = r.w * r.h / total;
    let areas: Vec<f64> = weights.iter().map(|w| w * scale).collect();
    let mut out = Vec::with_capacity(areas.len());
    let mut rest = r;
    let mut start = 0;
    while start < areas.len() {
        let side = rest.w.min(rest.h);
        let mut end = start + 1;
        while end < areas.len()
            && worst(&areas[start..=end], side) <= worst(&areas[start..end], side)
        {
            end += 1;
        }
        let row = &areas[start..end];
        let sum: f64 = row.iter().sum();
        // Lay the row along the shorter side: a tall rectangle is laid out
        // as its transpose (a wide one), and the results turned back.
        let tall = rest.w < rest.h;
        let r = if tall { rest.transposed() } else { rest };
        let width = if r.h > 0.0 { sum / r.h } else { 0.0 };
        let mut y = r.y;
        for a in row {
            let h = if width > 0.0 { a / width } else { 0.0 };
            let cell = Rect {
                x: r.x,
                y,
                w: width,
                h,
            };
            out.push(if tall { cell.transposed() } else { cell });
            y += h;
        }
        let left = Rect {
            x: r.x + width,
            w: (r.w - width).max(0.0),
            ..r
        };
        rest = if tall { left.transposed() } else { left };
        start = end;
    }
    out
}

/// The worst aspect ratio of a row of areas laid along a side.
fn worst(row: &[f64], side: f64) -> f64 {
    let sum: f64 = row.iter().sum();
    let (min, max) = row
        .iter()
        .fold((f64::MAX, 0.0_f64), |(lo, hi), a| (lo.min(*a), hi.max(*a)));
    if sum <= 0.0 || min <= 0.0 {
        return f64::MAX;
    }
    let s2 = sum * sum;
    let w2 = side * side;
    (w2 * max / s2).max(s2 / (w2 * min))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squarified_rectangles_fill_the_area_in_proportion() {
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 6.0,
            h: 4.0,
        };
        let weights = [6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.0];
        let rects = squarify(&weights, r);
        assert_eq!(rects.len(), weights.len());
        for (w, r) in weights.iter().zip(&rects) {
            assert!((r.w * r.h - w).abs() < 1e-9, "{r:?} for {w}");
            assert!(
                r.x >= -1e-9 && r.y >= -1e-9 && r.x + r.w <= 6.0 + 1e-9 && r.y + r.h <= 4.0 + 1e-9
            );
        }
        // The paper's example: the first two are laid side by side as 3 × 2 each.
        assert!((rects[0].w - 3.0).abs() < 1e-9 && (rects[0].h - 2.0).abs() < 1e-9);
    }
}
