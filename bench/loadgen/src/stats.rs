//! Latency summaries: exact percentiles over every recorded sample (microseconds in,
//! milliseconds out).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Latency {
    pub count: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

/// Summarises `samples_us` (sorted in place).
pub fn summarize(samples_us: &mut [u64]) -> Latency {
    if samples_us.is_empty() {
        return Latency::default();
    }
    samples_us.sort_unstable();
    let count = samples_us.len();
    let at = |q: f64| -> f64 {
        // Nearest-rank percentile.
        let rank = (q * count as f64).ceil().max(1.0) as usize;
        samples_us[rank.min(count) - 1] as f64 / 1_000.0
    };
    let sum: u128 = samples_us.iter().map(|&v| u128::from(v)).sum();
    Latency {
        count: count as u64,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        p999_ms: at(0.999),
        max_ms: samples_us[count - 1] as f64 / 1_000.0,
        mean_ms: sum as f64 / count as f64 / 1_000.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut samples: Vec<u64> = (1..=1000).map(|v| v * 1_000).collect();
        let summary = summarize(&mut samples);
        assert_eq!(summary.count, 1000);
        assert!((summary.p50_ms - 500.0).abs() < f64::EPSILON);
        assert!((summary.p99_ms - 990.0).abs() < f64::EPSILON);
        assert!((summary.p999_ms - 999.0).abs() < f64::EPSILON);
        assert!((summary.max_ms - 1000.0).abs() < f64::EPSILON);
    }

    #[test]
    fn no_samples_give_zeroes() {
        assert_eq!(summarize(&mut []).count, 0);
    }
}
