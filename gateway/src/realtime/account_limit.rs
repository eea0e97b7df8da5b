//! Bounds on what a socket may ask for that costs Redis or upstream work, per account across
//! all its sockets and reconnects (GCRA, `governor`): replays (one at a time per socket too; a
//! dashboard needs one per reconnect, a client that asks for more is told to wait (`resume`) or
//! to refetch (a handshake's `last_seq`)) and presence changes (a dashboard opens an order now
//! and then; a client that asks for more is told to wait).

use std::{
    num::NonZeroU32,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};
use uuid::Uuid;

/// Replays an account may start per minute, after a burst.
const REPLAYS_PER_MINUTE: NonZeroU32 = NonZeroU32::new(30).expect("non-zero");
const REPLAY_BURST: NonZeroU32 = NonZeroU32::new(10).expect("non-zero");
/// Presence changes (`presence.open`, `presence.close`) an account may make per minute, after a burst.
const PRESENCE_PER_MINUTE: NonZeroU32 = NonZeroU32::new(120).expect("non-zero");
const PRESENCE_BURST: NonZeroU32 = NonZeroU32::new(30).expect("non-zero");
/// Accounts remembered before idle ones are forgotten.
const TRACKED_ACCOUNTS: usize = 10_000;

/// One kind of request, limited per account.
pub struct AccountLimiter {
    limiter: DefaultKeyedRateLimiter<Uuid>,
    clock: DefaultClock,
    /// The counter of refusals.
    refused: &'static str,
}

impl AccountLimiter {
    fn new(per_minute: NonZeroU32, burst: NonZeroU32, refused: &'static str) -> Self {
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)),
            clock: DefaultClock::default(),
            refused,
        }
    }

    pub fn replays() -> Self {
        Self::new(
            REPLAYS_PER_MINUTE,
            REPLAY_BURST,
            "gateway_replays_refused_total",
        )
    }

    pub fn presence() -> Self {
        Self::new(
            PRESENCE_PER_MINUTE,
            PRESENCE_BURST,
            "gateway_presence_refused_total",
        )
    }

    /// Takes one request for `user`, or says how long it must wait for the next.
    pub fn check(&self, user: Uuid) -> Result<(), Duration> {
        if self.limiter.len() > TRACKED_ACCOUNTS {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&user).map_err(|not_until| {
            metrics::counter!(self.refused).increment(1);
            not_until.wait_time_from(self.clock.now())
        })
    }
}

/// Whole seconds to wait, rounded up (what a client is told).
pub fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// Marks a socket that is replaying (in its extensions).
#[derive(Debug, Clone, Default)]
pub struct Replaying(Arc<AtomicBool>);

impl Replaying {
    /// Starts a replay unless one is running; it ends when the returned guard is dropped.
    pub fn start(&self) -> Option<ReplayGuard> {
        (!self.0.swap(true, Ordering::AcqRel)).then(|| ReplayGuard(self.0.clone()))
    }
}

pub struct ReplayGuard(Arc<AtomicBool>);

impl Drop for ReplayGuard {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_replay_at_a_time_per_socket() {
        let replaying = Replaying::default();
        let first = replaying.start().expect("the first starts");
        assert!(replaying.start().is_none(), "a second waits for the first");
        drop(first);
        assert!(replaying.start().is_some(), "and may start once it ended");
    }

    #[test]
    fn an_account_gets_its_burst_then_waits_while_others_are_unaffected() {
        let limiter = AccountLimiter::replays();
        let busy = Uuid::now_v7();
        for _ in 0..REPLAY_BURST.get() {
            assert!(limiter.check(busy).is_ok());
        }
        let wait = limiter.check(busy).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(2));
        assert!(limiter.check(Uuid::now_v7()).is_ok());
    }
}
