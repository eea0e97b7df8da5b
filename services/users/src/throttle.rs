//! Login throttling. Failures are counted per account and per client address within a
//! window; past a free allowance each further failure locks the key for a doubling time,
//! capped low for accounts (a stranger can slow a real user's login by a minute at most,
//! never lock them out for long) and higher for addresses. A lock answers 429 with
//! `Retry-After`, even for the right password, so guessing cannot continue through it.
//! Each attempt is reserved before its password is verified, so simultaneous guesses get no
//! more verifications than sequential ones would.

use std::{
    net::IpAddr,
    time::{Duration, Instant},
};

use lom_platform::Problem;
use sqlx::PgPool;

use crate::{domain::Email, repository::throttle};

/// When one kind of key gets locked, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub free_failures: i32,
    pub base_lock: Duration,
    pub max_lock: Duration,
}

impl Rule {
    /// The lock that `failures` failures in the window earn, if any.
    pub fn lock_after(&self, failures: i32) -> Option<Duration> {
        let over = failures.checked_sub(self.free_failures)?;
        let over = u32::try_from(over).ok()?;
        let factor = 2u32.saturating_pow(over.min(16));
        Some(self.base_lock.saturating_mul(factor).min(self.max_lock))
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    pub account: Rule,
    pub address: Rule,
    pub window: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            account: Rule {
                free_failures: 5,
                base_lock: Duration::from_secs(5),
                max_lock: Duration::from_secs(60),
            },
            address: Rule {
                free_failures: 30,
                base_lock: Duration::from_secs(30),
                max_lock: Duration::from_secs(300),
            },
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// A reservation left by a process that died mid-attempt stops counting after this long (a
/// verification takes well under a second).
const STALE_RESERVATION: Duration = Duration::from_secs(30);
/// How long an attempt waits for the attempts ahead of it before it gives up with 429.
const BUSY_WAIT: Duration = Duration::from_secs(5);
const BUSY_POLL: Duration = Duration::from_millis(20);

/// The throttle keys of one login attempt.
pub struct LoginThrottle<'a> {
    db: &'a PgPool,
    policy: ThrottlePolicy,
    account_key: String,
    address_key: String,
}

/// An attempt allowed to verify its password, ended by [`Reserved::failed`] or
/// [`Reserved::succeeded`]; one that never ends (a database error meanwhile, a crash) stops
/// counting after `STALE_RESERVATION`.
pub struct Reserved<'a> {
    throttle: LoginThrottle<'a>,
}

impl<'a> LoginThrottle<'a> {
    pub fn new(db: &'a PgPool, policy: ThrottlePolicy, email: &Email, address: IpAddr) -> Self {
        Self {
            db,
            policy,
            account_key: format!("account:{email}"),
            address_key: format!("ip:{address}"),
        }
    }

    fn allowance(&self, rule: Rule) -> throttle::Allowance {
        throttle::Allowance {
            free_failures: rule.free_failures,
            window: self.policy.window,
            stale_after: STALE_RESERVATION,
        }
    }

    /// Reserves the attempt before its password is verified, so that simultaneous attempts
    /// cannot get more verifications than the policy allows: 429 while the address or the
    /// account is locked. While as many of the key's attempts as it may still fail are being
    /// verified, this one waits for them (they end within milliseconds, or lock the key).
    pub async fn reserve(self) -> Result<Reserved<'a>, crate::error::ApiError> {
        let deadline = Instant::now() + BUSY_WAIT;
        loop {
            if self.try_reserve().await? {
                return Ok(Reserved { throttle: self });
            }
            let keys = [self.account_key.clone(), self.address_key.clone()];
            let locked = throttle::locked_for(self.db, &keys).await?;
            if locked > 0 || Instant::now() >= deadline {
                let wait = locked.max(1);
                return Err(Problem::too_many_requests(
                    wait,
                    format!("Too many failed sign-ins; try again in {wait} seconds."),
                )
                .into());
            }
            tokio::time::sleep(BUSY_POLL).await;
        }
    }

    /// Reserves the address, then the account; false (and nothing reserved) when either
    /// refuses.
    async fn try_reserve(&self) -> Result<bool, sqlx::Error> {
        let address = self.allowance(self.policy.address);
        if !throttle::reserve(self.db, &self.address_key, address).await? {
            return Ok(false);
        }
        let account = self.allowance(self.policy.account);
        if !throttle::reserve(self.db, &self.account_key, account).await? {
            throttle::release(self.db, &self.address_key).await?;
            return Ok(false);
        }
        Ok(true)
    }
}

impl Reserved<'_> {
    /// Counts the failure on both keys, locking those that reach their policy's lock.
    pub async fn failed(self) -> Result<(), sqlx::Error> {
        let throttle = &self.throttle;
        for (key, rule) in [
            (&throttle.account_key, throttle.policy.account),
            (&throttle.address_key, throttle.policy.address),
        ] {
            let (failures, lock) =
                throttle::record_failure(throttle.db, key, |failures| rule.lock_after(failures))
                    .await?;
            if let Some(lock) = lock {
                tracing::warn!(failures, lock_secs = lock.as_secs(), kind = %key.split(':').next().unwrap_or_default(), "sign-in throttled");
            }
        }
        Ok(())
    }

    /// A successful sign-in clears the account's counter; the address keeps its failures.
    pub async fn succeeded(self) -> Result<(), sqlx::Error> {
        let throttle = &self.throttle;
        throttle::clear(throttle.db, &throttle.account_key).await?;
        throttle::release(throttle.db, &throttle.address_key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_start_after_the_free_failures_and_double_up_to_the_cap() {
        let rule = ThrottlePolicy::default().account;
        assert_eq!(rule.lock_after(4), None);
        assert_eq!(rule.lock_after(5), Some(Duration::from_secs(5)));
        assert_eq!(rule.lock_after(6), Some(Duration::from_secs(10)));
        assert_eq!(rule.lock_after(8), Some(Duration::from_secs(40)));
        assert_eq!(rule.lock_after(9), Some(Duration::from_secs(60)));
        assert_eq!(rule.lock_after(10_000), Some(Duration::from_secs(60)));
    }
}
