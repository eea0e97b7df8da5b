//! Latency-versus-load charts as PNG, drawn without any text (no font is needed, none is
//! downloaded): log-log axes, a faint grid line at every power of ten, one coloured line per
//! series. The legend and the axis ranges are written in the markdown next to the image.

use std::path::Path;

use anyhow::{Context, anyhow};
use plotters::prelude::*;

/// One line: `(x, y)` points with x > 0 and y > 0.
pub struct Series {
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
}

/// The range a chart shows, powers of ten around the data.
#[derive(Debug, Clone, Copy)]
pub struct Range {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

pub const BLUE: RGBColor = RGBColor(31, 119, 180);
pub const RED: RGBColor = RGBColor(214, 39, 40);
pub const DARK: RGBColor = RGBColor(30, 30, 30);
pub const ORANGE: RGBColor = RGBColor(255, 127, 14);
pub const GREEN: RGBColor = RGBColor(44, 160, 44);

fn decade_bounds(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let min = values.clone().fold(f64::INFINITY, f64::min).max(1e-3);
    let max = values.fold(0.0, f64::max).max(min * 10.0);
    (
        10f64.powf(min.log10().floor()),
        10f64.powf(max.log10().ceil()),
    )
}

/// Draws `series` into a PNG at `path`; returns the ranges shown.
pub fn draw(path: &Path, series: &[Series]) -> anyhow::Result<Range> {
    let all = series.iter().flat_map(|s| s.points.iter().copied());
    let range = Range {
        x: decade_bounds(all.clone().map(|(x, _)| x)),
        y: decade_bounds(all.map(|(_, y)| y)),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let root = BitMapBackend::new(path, (800, 500)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let area = root.margin(20, 20, 20, 20);
    let mut chart = ChartBuilder::on(&area)
        .build_cartesian_2d(
            (range.x.0..range.x.1).log_scale(),
            (range.y.0..range.y.1).log_scale(),
        )
        .map_err(|e| anyhow!("{e}"))?;
    let grid = RGBColor(200, 200, 200);
    let mut decade = range.x.0;
    while decade <= range.x.1 * 1.0001 {
        chart
            .draw_series(LineSeries::new(
                [(decade, range.y.0), (decade, range.y.1)],
                grid.stroke_width(1),
            ))
            .map_err(|e| anyhow!("{e}"))?;
        decade *= 10.0;
    }
    let mut decade = range.y.0;
    while decade <= range.y.1 * 1.0001 {
        chart
            .draw_series(LineSeries::new(
                [(range.x.0, decade), (range.x.1, decade)],
                grid.stroke_width(1),
            ))
            .map_err(|e| anyhow!("{e}"))?;
        decade *= 10.0;
    }
    for s in series {
        let points: Vec<_> = s
            .points
            .iter()
            .copied()
            .filter(|(x, y)| *x > 0.0 && *y > 0.0)
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), s.color.stroke_width(3)))
            .map_err(|e| anyhow!("{e}"))?;
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 5, s.color.filled())))
            .map_err(|e| anyhow!("{e}"))?;
    }
    root.present().map_err(|e| anyhow!("{e}"))?;
    Ok(range)
}
