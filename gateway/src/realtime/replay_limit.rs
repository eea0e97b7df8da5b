//! Bounds on replays, the one thing a socket can ask for that reads the Redis history: one
//! replay at a time per socket, and a steady rate per account across all its sockets and
//! reconnects (GCRA, `governor`). A dashboard needs one replay per reconnect; a client that
//! asks for more is told to wait (`resume`) or to refetch (a handshake's `last_seq`).

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

/// Replays an account may start per minute, after a burst of [`BURST`].
const PER_MINUTE: NonZeroU32 = NonZeroU32::new(30).expect("non-zero");
const BURST: NonZeroU32 = NonZeroU32::new(10).expect("non-zero");
/// Accounts remembered before idle ones are forgotten.
const TRACKED_ACCOUNTS: usize = 10_000;

pub struct ReplayLimiter {
    limiter: DefaultKeyedRateLimiter<Uuid>,
    clock: DefaultClock,
}

impl Default for ReplayLimiter {
    fn default() -> Self {
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(PER_MINUTE).allow_burst(BURST)),
            clock: DefaultClock::default(),
        }
    }
}

impl ReplayLimiter {
    /// Takes one replay for `user`, or says how long it must wait for the next.
    pub fn check(&self, user: Uuid) -> Result<(), Duration> {
        if self.limiter.len() > TRACKED_ACCOUNTS {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&user).map_err(|not_until| {
            metrics::counter!("gateway_replays_refused_total").increment(1);
            not_until.wait_time_from(self.clock.now())
        })
    }
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
        let limiter = ReplayLimiter::default();
        let busy = Uuid::now_v7();
        for _ in 0..BURST.get() {
            assert!(limiter.check(busy).is_ok());
        }
        let wait = limiter.check(busy).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(2));
        assert!(limiter.check(Uuid::now_v7()).is_ok());
    }
}
