//! The lines of the two charts: intake latency and fan-out latency against the offered rate.

use super::Results;
use crate::chart::{self, Series};

pub fn intake_series(r: &Results) -> Vec<Series> {
    let steps = &r.intake.steps;
    let line = |f: fn(&crate::stats::Latency) -> f64, color| Series {
        points: steps.iter().map(|s| (s.rate, f(&s.latency))).collect(),
        color,
    };
    vec![
        line(|l| l.p50_ms, chart::BLUE),
        line(|l| l.p99_ms, chart::RED),
        line(|l| l.p999_ms, chart::DARK),
    ]
}

pub fn fanout_series(r: &Results) -> Vec<Series> {
    let mut series = Vec::new();
    for (result, (p50, p99)) in r
        .fanout
        .iter()
        .zip([(chart::BLUE, chart::RED), (chart::GREEN, chart::ORANGE)])
    {
        series.push(Series {
            points: result
                .steps
                .iter()
                .map(|s| (s.offered_per_s(), s.delivery.latency.p50_ms))
                .collect(),
            color: p50,
        });
        series.push(Series {
            points: result
                .steps
                .iter()
                .map(|s| (s.offered_per_s(), s.delivery.latency.p99_ms))
                .collect(),
            color: p99,
        });
    }
    series
}
