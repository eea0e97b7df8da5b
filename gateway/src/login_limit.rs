//! The edge limit on sign-in attempts: each client address gets a burst and then a steady rate
//! (GCRA, `governor`) before `POST /api/v1/auth/login` reaches users-service, so however fast
//! one address sends, the Argon2 work it causes stays bounded. users-service's own throttle
//! still answers failed attempts per account and per address. The key is the TCP peer: the
//! gateway is the public entry point (behind a proxy, give the proxy the same limit).

use std::{net::IpAddr, num::NonZeroU32};

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};
use lom_platform::Problem;

/// Addresses remembered before idle ones are forgotten.
const TRACKED_ADDRESSES: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginRate {
    pub per_minute: NonZeroU32,
    pub burst: NonZeroU32,
}

pub struct LoginLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl LoginLimiter {
    pub fn new(rate: LoginRate) -> Self {
        let quota = Quota::per_minute(rate.per_minute).allow_burst(rate.burst);
        Self {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one attempt for `address`, or says how long it must wait.
    pub fn check(&self, address: IpAddr) -> Result<(), Problem> {
        if self.limiter.len() > TRACKED_ADDRESSES {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&address).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            metrics::counter!("gateway_login_rate_limited_total").increment(1);
            tracing::warn!(%address, wait_ms = wait.as_millis(), "sign-in attempts over the limit");
            Problem::too_many_requests(
                wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
                "Too many sign-in attempts from this address; try again shortly.",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn limiter(per_minute: u32, burst: u32) -> LoginLimiter {
        LoginLimiter::new(LoginRate {
            per_minute: NonZeroU32::new(per_minute).unwrap(),
            burst: NonZeroU32::new(burst).unwrap(),
        })
    }

    #[test]
    fn an_address_gets_its_burst_then_waits_while_others_are_unaffected() {
        let limiter = limiter(1, 3);
        let noisy = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        for _ in 0..3 {
            assert!(limiter.check(noisy).is_ok());
        }
        let refused = limiter.check(noisy).unwrap_err();
        assert_eq!(refused.status().as_u16(), 429);
        assert!(
            limiter
                .check(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)))
                .is_ok()
        );
    }
}
