//! Thinning dense streams before they are drawn: when thousands of dots travel one edge,
//! many sit on the same pixel. A dot on a single edge is placed by how far along the
//! edge it is, so dots whose fraction falls in the same slot (a pixel of the edge's
//! length at the current zoom) are drawn once: the first one placed stands for the
//! rest. Only plain dots are thinned; redelivered and dead-lettered ones, and dots on
//! longer paths, are all placed.

use super::dots::{DotPath, DotStyle};
use super::{DrawnDot, Playback};
use crate::core::model::motion::Leg;
use crate::editor::geometry::bezier_point;

/// Which slots of each edge already have a dot this frame (kept between frames for its
/// capacity).
#[derive(Clone, Debug, Default)]
pub struct Thinning {
    /// First slot of each edge, and how many it has.
    edges: Vec<(usize, usize)>,
    bits: Vec<u64>,
}

impl Thinning {
    /// Lays out the slots for `pb`'s edges at `pixels_per_unit` screen pixels per world
    /// unit, all empty.
    fn reset(&mut self, pb: &Playback, pixels_per_unit: f64) {
        self.edges.clear();
        let mut next = 0;
        for i in 0..pb.geometry.edges() {
            let slots = pb.geometry.edge(i).map_or(0, |(_, len)| {
                (len * pixels_per_unit.max(0.01)).ceil() as usize + 1
            });
            self.edges.push((next, slots));
            next += slots;
        }
        self.bits.clear();
        self.bits.resize(next.div_ceil(64), 0);
    }

    /// Claims the slot of fraction `f` along edge `i`; false when it was taken.
    fn claim(&mut self, i: usize, f: f64) -> bool {
        let Some(&(first, slots)) = self.edges.get(i) else {
            return true;
        };
        if slots == 0 {
            return true;
        }
        let slot = first + (f * (slots - 1) as f64).round() as usize;
        let (word, bit) = (slot / 64, 1u64 << (slot % 64));
        let free = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        free
    }
}

impl Playback {
    /// The dots to draw at the render time, thinned (see the module): each dot drawn is
    /// handed to `each`. Returns how many dots are in flight (drawn or stood for).
    pub fn thinned_dots(
        &self,
        pixels_per_unit: f64,
        thinning: &mut Thinning,
        mut each: impl FnMut(DrawnDot),
    ) -> usize {
        thinning.reset(self, pixels_per_unit);
        let t = self.render_us;
        let mut count = 0;
        for d in self.tracker.dots.values() {
            let f = d.progress(t);
            if let (DotStyle::Producer(_), DotPath::Short(1, [Leg::Edge { edge }, ..])) =
                (d.style, &d.path)
            {
                let Some((curve, _)) = self.geometry.edge(edge.index()) else {
                    continue;
                };
                count += 1;
                if thinning.claim(edge.index(), f) {
                    let p = bezier_point(&curve, f);
                    each(DrawnDot {
                        x: p.x,
                        y: p.y,
                        style: d.style,
                    });
                }
                continue;
            }
            let Some(p) = self.geometry.point_on(d.path.legs(), f) else {
                continue;
            };
            count += 1;
            each(DrawnDot {
                x: p.x,
                y: p.y,
                style: d.style,
            });
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::kernel::time::SimTime;

    fn busy() -> Playback {
        let s = crate::gallery::stress::scaled(20_000);
        let mut pb = Playback::new(&s, s.seed).unwrap();
        let mut now = 0.0;
        for _ in 0..(5 * 60) {
            now += 1000.0 / 60.0;
            pb.frame(now, 1.0, true);
        }
        assert!(pb.sim.now() > SimTime::from_ms(4000.0));
        pb
    }

    #[test]
    fn a_dense_stream_is_drawn_once_per_slot_and_covers_the_same_pixels() {
        let pb = busy();
        let all: Vec<DrawnDot> = pb.drawn_dots().collect();
        let mut thinning = Thinning::default();
        let mut kept = Vec::new();
        let count = pb.thinned_dots(1.0, &mut thinning, |d| kept.push(d));
        assert_eq!(count, all.len(), "every dot in flight is counted");
        assert!(
            kept.len() * 2 < all.len(),
            "{} of {}",
            kept.len(),
            all.len()
        );
        // Every dot left out has a drawn one within a pixel and a half of it.
        let cell = |x: f64, y: f64| ((x / 2.0).floor() as i64, (y / 2.0).floor() as i64);
        let mut near = std::collections::HashSet::new();
        for d in &kept {
            let (cx, cy) = cell(d.x, d.y);
            for dx in -1..=1 {
                for dy in -1..=1 {
                    near.insert((cx + dx, cy + dy));
                }
            }
        }
        let far = all
            .iter()
            .filter(|d| !near.contains(&cell(d.x, d.y)))
            .count();
        assert_eq!(far, 0);
    }

    #[test]
    fn zooming_in_keeps_more_dots() {
        let pb = busy();
        let mut thinning = Thinning::default();
        let (mut near, mut far) = (0, 0);
        pb.thinned_dots(4.0, &mut thinning, |_| near += 1);
        pb.thinned_dots(0.25, &mut thinning, |_| far += 1);
        assert!(near > far, "{near} at ×4, {far} at ×0.25");
    }
}
