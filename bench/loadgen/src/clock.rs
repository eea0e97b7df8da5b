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

/// How far ahead of now a step's first send is due, so it is not already late.
pub const FIRST_SEND_LEAD: Duration = Duration::from_millis(2);

/// An open model's timetable: sends due at a constant rate, each sent when due whatever the
/// earlier ones are doing (latency then runs from the due time, not from the send).
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    start_ns: u64,
    interval_ns: f64,
}

impl Schedule {
    /// `rate` sends per second, the first `lead` from now.
    pub fn starting_in(rate: f64, lead: Duration) -> Self {
        Self {
            start_ns: now_ns() + u64::try_from(lead.as_nanos()).unwrap_or(u64::MAX),
            interval_ns: 1e9 / rate,
        }
    }

    /// When send `i` (from 0) is due.
    pub fn due_ns(&self, i: u64) -> u64 {
        self.start_ns + (i as f64 * self.interval_ns) as u64
    }

    /// Waits until send `i` is due; answers when that was.
    pub async fn wait_for(&self, i: u64) -> u64 {
        let due_ns = self.due_ns(i);
        tokio::time::sleep_until(at_ns(due_ns).into()).await;
        due_ns
    }

    /// The time since the first send was due.
    pub fn elapsed(&self) -> Duration {
        at_ns(self.start_ns).elapsed()
    }
}

/// Microseconds from `from_ns` to `to_ns` (0 if the order is reversed).
pub fn micros_between(from_ns: u64, to_ns: u64) -> u64 {
    to_ns.saturating_sub(from_ns) / 1_000
}
