//! Tests of the dot buffer: disc shape, clipping, blending, layers, twins.

use super::*;

fn pixel(r: &DotRaster, x: u32, y: u32) -> [u8; 4] {
    r.pixel(x, y)
}

#[test]
fn a_dot_is_an_opaque_disc_with_soft_edges() {
    let mut r = DotRaster::new();
    r.begin(40, 30, 3.5);
    r.stamp(20.2, 10.4, [10, 20, 30]);
    assert_eq!(pixel(&r, 20, 10), [10, 20, 30, 255]);
    assert_eq!(pixel(&r, 23, 10), [10, 20, 30, 255]);
    // Beyond the radius: untouched; on the rim: partly covered.
    assert_eq!(pixel(&r, 25, 10)[3], 0);
    assert!((1..255).contains(&pixel(&r, 23, 12)[3]));
    assert_eq!(
        r.touched(),
        Some(Band {
            x0: 16,
            y0: 6,
            x1: 25,
            y1: 15
        })
    );
}

#[test]
fn the_next_frame_clears_what_the_last_drew_and_says_where() {
    let mut r = DotRaster::new();
    r.begin(40, 30, 3.5);
    r.stamp(5.0, 5.0, [255, 0, 0]);
    r.stamp(30.0, 20.0, [0, 255, 0]);
    let last = r.begin(40, 30, 3.5).unwrap();
    assert_eq!((last.x0, last.y0, last.x1, last.y1), (1, 1, 35, 25));
    assert!(r.rows(0, 30).iter().all(|&b| b == 0));
    assert_eq!(r.touched(), None);
    assert_eq!(r.begin(40, 30, 3.5), None, "nothing drawn, nothing to copy");
}

#[test]
fn dots_off_the_buffer_are_skipped_and_on_its_edge_clipped() {
    let mut r = DotRaster::new();
    r.begin(10, 10, 3.5);
    r.stamp(-20.0, 5.0, [1, 2, 3]);
    r.stamp(f64::NAN, 5.0, [1, 2, 3]);
    assert_eq!(r.touched(), None);
    r.stamp(0.0, 9.0, [1, 2, 3]);
    assert_eq!(pixel(&r, 0, 9), [1, 2, 3, 255]);
    assert_eq!(
        r.touched(),
        Some(Band {
            x0: 0,
            y0: 5,
            x1: 5,
            y1: 10
        })
    );
}

#[test]
fn a_later_dot_paints_over_an_earlier_one() {
    let mut r = DotRaster::new();
    r.begin(20, 20, 3.5);
    r.stamp(10.0, 10.0, [255, 0, 0]);
    r.stamp(11.0, 10.0, [0, 0, 255]);
    assert_eq!(pixel(&r, 10, 10), [0, 0, 255, 255]);
    // A rim pixel of the second over the body of the first blends and stays opaque.
    let rim = pixel(&r, 8, 12);
    assert_eq!(rim[3], 255);
    assert!(rim[0] > 0 && rim[2] > 0, "{rim:?}");
}

#[test]
fn a_new_size_starts_clean_and_copies_everything() {
    let mut r = DotRaster::new();
    r.begin(10, 10, 2.0);
    r.stamp(5.0, 5.0, [9, 9, 9]);
    let all = r.begin(20, 8, 2.0).unwrap();
    assert_eq!((all.width(), all.height()), (20, 8));
    assert!(r.rows(0, 8).iter().all(|&b| b == 0));
}

#[test]
fn a_frame_stamps_higher_layers_over_lower_ones_whatever_the_order() {
    let mut r = DotRaster::new();
    r.begin(50, 50, 3.5);
    let palette = [[255, 0, 0], [0, 0, 255]];
    let dots = [
        Stamp {
            x: 20.0,
            y: 30.0,
            colour: 1,
            layer: 2,
        },
        Stamp {
            x: 20.0,
            y: 30.0,
            colour: 0,
            layer: 0,
        },
        Stamp {
            x: 20.0,
            y: 5.0,
            colour: 0,
            layer: 0,
        },
    ];
    r.paint(&dots, &palette);
    assert_eq!(pixel(&r, 20, 30), [0, 0, 255, 255]);
    assert_eq!(pixel(&r, 20, 5), [255, 0, 0, 255]);
}

#[test]
fn dots_on_one_pixel_are_stamped_once_and_look_the_same() {
    let (mut once, mut twice) = (DotRaster::new(), DotRaster::new());
    once.begin(30, 30, 3.5);
    twice.begin(30, 30, 3.5);
    let a = Stamp {
        x: 10.2,
        y: 10.0,
        colour: 0,
        layer: 0,
    };
    let b = Stamp {
        x: 9.9,
        y: 10.3,
        colour: 0,
        layer: 0,
    };
    once.paint(&[a], &[[1, 200, 3]]);
    twice.paint(&[a, b], &[[1, 200, 3]]);
    assert_eq!(once.rows(0, 30), twice.rows(0, 30));
    assert_eq!(twice.stamped(), 1);
    // On the bottom layer the first dot on a pixel shows; a higher layer shows over it.
    let palette = [[1, 200, 3], [9, 9, 9]];
    twice.paint(&[Stamp { colour: 1, ..a }], &palette);
    assert_eq!(pixel(&twice, 10, 10), [1, 200, 3, 255]);
    twice.paint(
        &[Stamp {
            colour: 1,
            layer: 1,
            ..a
        }],
        &palette,
    );
    assert_eq!(pixel(&twice, 10, 10), [9, 9, 9, 255]);
    // The next frame forgets where dots were.
    twice.begin(30, 30, 3.5);
    twice.paint(&[a], &[[1, 200, 3]]);
    assert_eq!(once.rows(0, 30), twice.rows(0, 30));
}

#[test]
fn clipped_and_whole_dots_have_the_same_shape() {
    let mut r = DotRaster::new();
    r.begin(40, 40, 3.5);
    r.stamp(20.0, 20.0, [5, 6, 7]);
    let whole: Vec<[u8; 4]> = (16..25)
        .flat_map(|y| (16..25).map(move |x| (x, y)))
        .map(|(x, y)| pixel(&r, x, y))
        .collect();
    let mut edge = DotRaster::new();
    edge.begin(40, 40, 3.5);
    edge.stamp(4.0, 20.0, [5, 6, 7]);
    let clipped: Vec<[u8; 4]> = (16..25)
        .flat_map(|y| (0..9).map(move |x| (x, y)))
        .map(|(x, y)| pixel(&edge, x, y))
        .collect();
    assert_eq!(whole, clipped);
}

#[test]
fn rounding_and_mixing_without_division_agree_with_the_plain_sums() {
    for v in [-2.5, -2.4, -0.5, -0.2, 0.0, 0.49, 0.5, 3.5, 7.2] {
        assert_eq!(nearest(v), (v + 0.5f64).floor() as i64, "{v}");
    }
    for x in (0..=255 * 255).step_by(7) {
        assert_eq!(div255(x), (x as f64 / 255.0).round() as u32, "{x}");
    }
}

#[test]
fn colours_come_from_hex() {
    assert_eq!(rgb("#34d399"), [0x34, 0xd3, 0x99]);
    assert_eq!(rgb("nonsense"), [0, 0, 0]);
}
