//! Login throttling. Failures are counted per account and per client address within a
//! window; past a free allowance each further failure locks the key for a doubling time,
//! capped low for accounts (a stranger can slow a real user's login by a minute at most,
//! never lock them out for long) and higher for addresses. A lock answers 429 with
//! `Retry-After`, even for the right password, so guessing cannot continue through it.

use std::{net::IpAddr, time::Duration};

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

/// The throttle keys of one login attempt.
pub struct LoginThrottle<'a> {
    db: &'a PgPool,
    policy: ThrottlePolicy,
    account_key: String,
    address_key: String,
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

    /// 429 while the account or the address is locked.
    pub async fn check(&self) -> Result<(), crate::error::ApiError> {
        let keys = [self.account_key.clone(), self.address_key.clone()];
        let wait = throttle::locked_for(self.db, &keys).await?;
        if wait > 0 {
            return Err(Problem::too_many_requests(
                wait,
                format!("Too many failed sign-ins; try again in {wait} seconds."),
            )
            .into());
        }
        Ok(())
    }

    pub async fn failed(&self) -> Result<(), sqlx::Error> {
        for (key, rule) in [
            (&self.account_key, self.policy.account),
            (&self.address_key, self.policy.address),
        ] {
            let failures = throttle::count_failure(self.db, key, self.policy.window).await?;
            if let Some(lock) = rule.lock_after(failures) {
                throttle::lock(self.db, key, lock).await?;
                tracing::warn!(failures, lock_secs = lock.as_secs(), kind = %key.split(':').next().unwrap_or_default(), "sign-in throttled");
            }
        }
        Ok(())
    }

    /// A successful sign-in clears the account's counter (not the address's).
    pub async fn succeeded(&self) -> Result<(), sqlx::Error> {
        throttle::clear(self.db, &self.account_key).await
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
