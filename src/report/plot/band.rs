//! The profile PNG drawn a band of rows at a time, so that its pixel buffer
//! does not grow with the number of submissions (the legend makes the image
//! 26 rows taller per submission: 47 MB of pixels at 500 submissions).
//!
//! Byte for byte the PNG the `png` crate writes of the whole image
//! ([`super::encode_png`]; a test compares them): each band is drawn by
//! [`Band`], a backend that lays out and rasterises every shape on the
//! whole image and keeps only the pixels in its rows, and each row is
//! filtered and compressed exactly as the `png` crate does it with its
//! default options (Sub filter, `fdeflate`'s fast compression, stored
//! blocks when those would be smaller, one IDAT chunk up to 2 GiB).

use std::io::Cursor;
use std::ops::Range;

use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, DrawingErrorKind};

use crate::error::report::PlotError;

type BitMapError = <BitMapBackend<'static> as DrawingBackend>::ErrorType;
type Drawn = Result<(), DrawingErrorKind<BitMapError>>;

/// The rows `top..top + buffer height` of an image of `size` pixels. It
/// reports the whole image's size, so that every shape is clipped, laid
/// out and rasterised as on the whole image; each pixel is then kept only
/// if it falls in the band. Where the bitmap backend fills a rectangle or
/// copies a bitmap (integer rectangles, clipped), the band's bitmap backend
/// does it, moved up by `top`; every other shape is rasterised here, into
/// pixels, as the bitmap backend would (the `plotters_backend`
/// rasteriser).
pub(crate) struct Band<'a> {
    inner: BitMapBackend<'a>,
    size: (u32, u32),
    top: i32,
}

impl<'a> Band<'a> {
    /// `pixels` (RGB, `size.0` wide) holds the rows from `top` on.
    pub fn new(pixels: &'a mut [u8], size: (u32, u32), top: u32) -> Self {
        let rows = (pixels.len() / (3 * size.0 as usize)) as u32;
        Band {
            inner: BitMapBackend::with_buffer(pixels, (size.0, rows)),
            size,
            top: top as i32,
        }
    }

    fn moved(&self, (x, y): BackendCoord) -> BackendCoord {
        (x, y - self.top)
    }
}

impl DrawingBackend for Band<'_> {
    type ErrorType = BitMapError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Drawn {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        let moved = self.moved(point);
        self.inner.draw_pixel(moved, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        // The bitmap backend's own test: a one-pixel horizontal or vertical
        // line is a filled rectangle, anything else is rasterised.
        if (from.0 == to.0 || from.1 == to.1) && style.stroke_width() == 1 {
            let (from, to) = (self.moved(from), self.moved(to));
            return self.inner.draw_line(from, to, style);
        }
        plotters_backend::rasterizer::draw_line(self, from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        if fill {
            let (a, b) = (self.moved(upper_left), self.moved(bottom_right));
            return self.inner.draw_rect(a, b, style, true);
        }
        plotters_backend::rasterizer::draw_rect(self, upper_left, bottom_right, style, fill)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Drawn {
        let moved = self.moved(pos);
        self.inner.blit_bitmap(moved, size, src)
    }
}

/// A PNG (8-bit RGB) of `width` × `height` pixels whose rows `draw` fills a
/// band of at most `band` rows at a time: `draw(rows, pixels)` fills
/// `pixels` with the image's `rows`. In the rare case where stored blocks
/// are smaller than compressed ones, every band is drawn twice.
pub(crate) fn encode<F>(
    width: u32,
    height: u32,
    band: u32,
    mut draw: F,
) -> Result<Vec<u8>, PlotError>
where
    F: FnMut(Range<u32>, &mut [u8]) -> Result<(), PlotError>,
{
    let io = |e: std::io::Error| PlotError::Png(e.into());
    let row = 3 * width as usize;
    let mut pixels = vec![0u8; row * band.min(height) as usize];
    let mut filtered = vec![0u8; row + 1];
    let mut fast = fdeflate::Compressor::new(Cursor::new(Vec::new())).map_err(io)?;
    each_row((row, height, band), &mut pixels, &mut draw, |line| {
        sub_filter(line, &mut filtered);
        fast.write_data(&filtered)
    })?;
    let mut zlib = fast.finish().map_err(io)?.into_inner();
    let stored_size =
        fdeflate::StoredOnlyCompressor::<()>::compressed_size((row + 1) * height as usize);
    if zlib.len() > stored_size {
        // Stored blocks, unfiltered, as the `png` crate falls back to.
        drop(zlib);
        let mut stored =
            fdeflate::StoredOnlyCompressor::new(Cursor::new(Vec::new())).map_err(io)?;
        each_row((row, height, band), &mut pixels, &mut draw, |line| {
            stored.write_data(&[0])?;
            stored.write_data(line)
        })?;
        zlib = stored.finish().map_err(io)?.into_inner();
    }
    let mut bytes = Vec::new();
    {
        let mut encoder = ::png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(::png::ColorType::Rgb);
        encoder.set_depth(::png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        for chunk in zlib.chunks(i32::MAX as usize) {
            writer.write_chunk(::png::chunk::IDAT, chunk)?;
        }
        writer.finish()?;
    }
    Ok(bytes)
}

/// Draws the image (`width` bytes a row, `height` rows, `band` rows at a
/// time) band by band into `pixels` and hands each row to `row`.
fn each_row<F>(
    (width, height, band): (usize, u32, u32),
    pixels: &mut [u8],
    draw: &mut F,
    mut row: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> Result<(), PlotError>
where
    F: FnMut(Range<u32>, &mut [u8]) -> Result<(), PlotError>,
{
    let mut top = 0;
    while top < height {
        let rows = top..(top + band).min(height);
        let part = &mut pixels[..width * rows.len()];
        part.fill(0);
        draw(rows.clone(), part)?;
        for line in part.chunks(width) {
            row(line).map_err(|e| PlotError::Png(e.into()))?;
        }
        top = rows.end;
    }
    Ok(())
}

/// The PNG Sub filter of one RGB row: its type byte (1), then each byte
/// less the byte one pixel to its left.
fn sub_filter(line: &[u8], out: &mut [u8]) {
    out[0] = 1;
    let out = &mut out[1..];
    out[..3].copy_from_slice(&line[..3]);
    for i in 3..line.len() {
        out[i] = line[i].wrapping_sub(line[i - 3]);
    }
}
