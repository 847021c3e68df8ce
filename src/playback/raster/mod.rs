//! Dots as pixels: an RGBA buffer the size of the messages canvas into which every dot is
//! stamped as a small anti-aliased disc, so tens of thousands of dots cost one pass over
//! their pixels and one copy to the screen instead of a path the browser must raster.
//! It remembers which rows and columns it touched, so the next frame clears and copies
//! only that band. Pure Rust: the browser layer hands the band to `putImageData`.

/// A band of the buffer, in device pixels: columns `x0..x1`, rows `y0..y1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Band {
    /// First column.
    pub x0: u32,
    /// First row.
    pub y0: u32,
    /// One past the last column.
    pub x1: u32,
    /// One past the last row.
    pub y1: u32,
}

impl Band {
    /// The smallest band holding both.
    pub fn union(self, other: Band) -> Band {
        Band {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.x1 - self.x0
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.y1 - self.y0
    }
}

/// An RGB colour from `#rrggbb` (black for anything else).
pub fn rgb(hex: &str) -> [u8; 3] {
    let h = hex.trim_start_matches('#');
    let byte = |i: usize| {
        h.get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .unwrap_or(0)
    };
    [byte(0), byte(2), byte(4)]
}

/// One dot to stamp: where (device pixels), its colour (an index into the palette) and
/// its layer (higher layers are stamped over lower ones).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stamp {
    /// Column of its centre.
    pub x: f32,
    /// Row of its centre.
    pub y: f32,
    /// Palette index.
    pub colour: u8,
    /// Layer (0, 1 or 2).
    pub layer: u8,
}

/// The dot buffer.
#[derive(Clone, Debug, Default)]
pub struct DotRaster {
    width: u32,
    height: u32,
    /// Pixels row by row, each the little-endian word of its RGBA bytes, not
    /// premultiplied (in memory, exactly what an `ImageData` holds).
    pixels: Vec<u32>,
    /// One bit per pixel: a bottom-layer dot was centred there this frame.
    centres: Vec<u64>,
    /// What the dots stamped since the last [`DotRaster::begin`] cover.
    touched: Option<Band>,
    /// Coverage (0..255) of a disc, `side × side`, centred on the middle pixel.
    mask: Vec<u8>,
    /// The disc's fully covered runs: (row, first column, one past the last), from
    /// its centre.
    spans: Vec<(i32, i32, i32)>,
    /// The disc's partly covered pixels: (column, row, coverage), from its centre.
    rims: Vec<(i32, i32, u8)>,
    side: i32,
    radius: f64,
    /// Dots stamped this frame (twins not counted).
    stamped: usize,
    /// Scratch: this frame's dots above the bottom layer.
    above: Vec<Stamp>,
}

impl DotRaster {
    /// An empty buffer.
    pub fn new() -> DotRaster {
        DotRaster::default()
    }

    /// Buffer width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Buffer height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Dots stamped this frame: those given less the twins of one already showing.
    pub fn stamped(&self) -> usize {
        self.stamped
    }

    /// The band the dots of this frame cover, if any.
    pub fn touched(&self) -> Option<Band> {
        self.touched
    }

    /// The pixels of rows `y0..y1` (whole rows: in memory, the bytes an `ImageData` of
    /// that band holds).
    pub fn rows(&self, y0: u32, y1: u32) -> &[u32] {
        let stride = self.width as usize;
        &self.pixels[y0 as usize * stride..y1 as usize * stride]
    }

    /// The RGBA bytes of pixel (`x`, `y`).
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        self.pixels[y as usize * self.width as usize + x as usize].to_le_bytes()
    }

    /// Starts a frame of `width × height` pixels whose dots have radius `radius` (pixels):
    /// clears what the last frame drew and returns its band (which must be copied to the
    /// screen again, now empty, with this frame's). A new size clears everything and
    /// returns the whole buffer.
    pub fn begin(&mut self, width: u32, height: u32, radius: f64) -> Option<Band> {
        self.stamped = 0;
        if radius != self.radius {
            self.shape(radius);
        }
        if (width, height) != (self.width, self.height) {
            self.width = width;
            self.height = height;
            self.pixels.clear();
            self.pixels.resize(width as usize * height as usize, 0);
            self.centres.clear();
            self.centres
                .resize((width as usize * height as usize).div_ceil(64), 0);
            self.touched = None;
            return (width > 0 && height > 0).then_some(Band {
                x0: 0,
                y0: 0,
                x1: width,
                y1: height,
            });
        }
        let last = self.touched.take()?;
        let stride = self.width as usize;
        for y in last.y0..last.y1 {
            let row = y as usize * stride;
            self.pixels[row + last.x0 as usize..row + last.x1 as usize].fill(0);
        }
        let w = self.width as usize;
        let (a, b) = (
            last.y0 as usize * w / 64,
            (last.y1 as usize * w).div_ceil(64),
        );
        let b = b.min(self.centres.len());
        self.centres[a..b].fill(0);
        Some(last)
    }

    /// Works out the disc of radius `radius` pixels (at least one pixel across).
    fn shape(&mut self, radius: f64) {
        self.radius = radius;
        let radius = radius.max(0.5);
        let half = radius.ceil() as i32;
        self.side = 2 * half + 1;
        self.mask.clear();
        self.spans.clear();
        self.rims.clear();
        for y in -half..=half {
            let mut full: Option<(i32, i32)> = None;
            for x in -half..=half {
                let d = ((x * x + y * y) as f64).sqrt();
                let cover = ((radius + 0.5 - d).clamp(0.0, 1.0) * 255.0).round() as u8;
                self.mask.push(cover);
                match cover {
                    255 => full = Some(full.map_or((x, x + 1), |(a, _)| (a, x + 1))),
                    0 => {}
                    c => self.rims.push((x, y, c)),
                }
            }
            if let Some((a, b)) = full {
                self.spans.push((y, a, b));
            }
        }
    }

    /// Stamps every dot of a frame: the bottom layer first, each centre pixel once (a
    /// dense stream has many dots on one pixel, and the first to land there shows), then
    /// the few dots of higher layers over it, in layer order. `palette` gives the colours.
    pub fn paint(&mut self, dots: &[Stamp], palette: &[[u8; 3]]) {
        let colour = |d: &Stamp| palette.get(d.colour as usize).copied().unwrap_or([0; 3]);
        let mut above = std::mem::take(&mut self.above);
        above.clear();
        for d in dots {
            if d.layer == 0 {
                self.stamp_once(d.x as f64, d.y as f64, colour(d));
            } else {
                above.push(*d);
            }
        }
        crate::core::sort::sort_by_key(&mut above, |d| d.layer);
        for d in &above {
            self.stamped += 1;
            self.stamp(d.x as f64, d.y as f64, colour(d));
        }
        self.above = above;
    }

    /// [`DotRaster::stamp`], unless a dot is already centred on the same pixel.
    fn stamp_once(&mut self, x: f64, y: f64, colour: [u8; 3]) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        let (cx, cy) = (nearest(x), nearest(y));
        if cx >= 0 && cy >= 0 && cx < self.width as i64 && cy < self.height as i64 {
            let i = cy as usize * self.width as usize + cx as usize;
            let (word, bit) = (i / 64, 1u64 << (i % 64));
            if self.centres[word] & bit != 0 {
                return;
            }
            self.centres[word] |= bit;
        }
        self.stamped += 1;
        self.stamp(x, y, colour);
    }

    /// Stamps a dot of colour `colour` centred on pixel (`x`, `y`) (rounded), over what
    /// is there; a dot off the buffer is skipped, one on its edge is clipped.
    pub fn stamp(&mut self, x: f64, y: f64, colour: [u8; 3]) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        let half = self.side / 2;
        let (cx, cy) = (nearest(x), nearest(y));
        let (w, h) = (self.width as i64, self.height as i64);
        let (left, top) = (cx - half as i64, cy - half as i64);
        let (right, bottom) = (left + self.side as i64, top + self.side as i64);
        if right <= 0 || bottom <= 0 || left >= w || top >= h {
            return;
        }
        let (x0, y0) = (left.max(0), top.max(0));
        let (x1, y1) = (right.min(w), bottom.min(h));
        let stride = self.width as i64;
        if (x0, y0, x1, y1) == (left, top, right, bottom) {
            // Wholly inside: the full runs are fills, only the rim blends.
            let solid = rgba(colour);
            let centre = cy * stride + cx;
            for &(dy, a, b) in &self.spans {
                let row = centre + dy as i64 * stride;
                self.pixels[(row + a as i64) as usize..(row + b as i64) as usize].fill(solid);
            }
            for &(dx, dy, cover) in &self.rims {
                let at = (centre + dy as i64 * stride + dx as i64) as usize;
                self.pixels[at] = over(self.pixels[at], colour, cover);
            }
        } else {
            let side = self.side as usize;
            for py in y0..y1 {
                let mrow = (py - top) as usize * side;
                let row = (py * stride) as usize;
                for px in x0..x1 {
                    let cover = self.mask[mrow + (px - left) as usize];
                    if cover == 0 {
                        continue;
                    }
                    let at = row + px as usize;
                    self.pixels[at] = over(self.pixels[at], colour, cover);
                }
            }
        }
        let band = Band {
            x0: x0 as u32,
            y0: y0 as u32,
            x1: x1 as u32,
            y1: y1 as u32,
        };
        self.touched = Some(match self.touched {
            Some(t) => t.union(band),
            None => band,
        });
    }
}

/// An opaque pixel of `colour`.
#[inline]
fn rgba(colour: [u8; 3]) -> u32 {
    u32::from_le_bytes([colour[0], colour[1], colour[2], 255])
}

/// `x / 255`, rounded, for `x` up to 255 × 255 (no division).
#[inline]
fn div255(x: u32) -> u32 {
    (x + 128 + ((x + 128) >> 8)) >> 8
}

/// The pixel nearest to coordinate `v` (`floor(v + 0.5)`, without a library call).
#[inline]
fn nearest(v: f64) -> i64 {
    let v = v + 0.5;
    let t = v as i64;
    if (t as f64) > v {
        t - 1
    } else {
        t
    }
}

/// `colour` at coverage `cover` over the unpremultiplied RGBA pixel `dst`.
#[inline]
fn over(dst: u32, colour: [u8; 3], cover: u8) -> u32 {
    let d = dst.to_le_bytes();
    let da = d[3] as u32;
    if cover == 255 || da == 0 {
        return u32::from_le_bytes([colour[0], colour[1], colour[2], cover]);
    }
    let sa = cover as u32;
    if da == 255 {
        // Over an opaque pixel (the usual case in a dense stream): a plain mix.
        let keep = 255 - sa;
        let mix = |i: usize| div255(colour[i] as u32 * sa + d[i] as u32 * keep) as u8;
        return u32::from_le_bytes([mix(0), mix(1), mix(2), 255]);
    }
    // out alpha = sa + da (1 - sa); out colour = (c sa + d da (1 - sa)) / out alpha,
    // all in 0..255 fixed point.
    let keep = div255(da * (255 - sa));
    let oa = sa + keep;
    let mix = |i: usize| ((colour[i] as u32 * sa + d[i] as u32 * keep) / oa.max(1)) as u8;
    u32::from_le_bytes([mix(0), mix(1), mix(2), oa.min(255) as u8])
}

#[cfg(test)]
mod tests;
