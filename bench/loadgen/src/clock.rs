//! One monotonic clock for the whole process: every timestamp the load generator embeds in a
//! request or an event, and every receipt, is nanoseconds since the same instant.

use std::{
    sync::OnceLock,
    time::{Duration, Instant},
};

static EPOCH: OnceLock<Instant> = OnceLock::new();

/// The process's reference instant (fixed on first use).
pub fn epoch() -> Instant {
    *EPOCH.get_or_init(Instant::now)
}

/// Nanoseconds since [`epoch`].
pub fn now_ns() -> u64 {
    u64::try_from(epoch().elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// The instant `ns` nanoseconds after [`epoch`].
pub fn at_ns(ns: u64) -> Instant {
    epoch() + Duration::from_nanos(ns)
}

/// Microseconds from `from_ns` to `to_ns` (0 if the order is reversed).
pub fn micros_between(from_ns: u64, to_ns: u64) -> u64 {
    to_ns.saturating_sub(from_ns) / 1_000
}
