//! The accounts whose sessions users-service ended recently (deactivated, password reset),
//! kept in memory from its announcements, so every REST request and every socket handshake is
//! checked without a lookup: an access token issued at or before its account's revocation is
//! refused; a newer one works. Filled from the `users:revocations` sorted set each time the
//! gateway (re)subscribes to `users.events`, then kept current by the announcements.

use std::{
    collections::HashMap,
    sync::RwLock,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use lom_auth::Principal;
use lom_contracts::UserRevoked;
use lom_platform::Problem;
use uuid::Uuid;

/// How long a revocation is remembered: longer than any access token lives.
pub const MEMORY: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Default)]
pub struct RevokedSessions {
    /// The latest revocation second of each account.
    latest: RwLock<HashMap<Uuid, u64>>,
}

impl RevokedSessions {
    /// Remembers one revocation (the later one wins), forgetting those past [`MEMORY`].
    pub fn record(&self, revoked: UserRevoked) {
        let mut latest = self.latest.write().unwrap_or_else(|e| e.into_inner());
        let at = latest.entry(revoked.user_id).or_default();
        *at = (*at).max(revoked.revoked_at);
        forget_old(&mut latest);
    }

    /// Adds every revocation of a full read of the sorted set.
    pub fn record_all(&self, revocations: impl IntoIterator<Item = UserRevoked>) {
        let mut latest = self.latest.write().unwrap_or_else(|e| e.into_inner());
        for revoked in revocations {
            let at = latest.entry(revoked.user_id).or_default();
            *at = (*at).max(revoked.revoked_at);
        }
        forget_old(&mut latest);
    }

    /// Whether a token of `user` issued at `issued_at` was revoked.
    pub fn refuses(&self, user: Uuid, issued_at: u64) -> bool {
        let latest = self.latest.read().unwrap_or_else(|e| e.into_inner());
        latest.get(&user).is_some_and(|at| issued_at <= *at)
    }

    /// 401 for a caller whose token was revoked.
    pub fn check(&self, caller: &Principal) -> Result<(), Problem> {
        if self.refuses(caller.user_id, caller.issued_at) {
            tracing::warn!(user_id = %caller.user_id, "request refused: the session was ended");
            return Err(Problem::unauthorized(
                "This session was ended (password reset or account deactivated); sign in again.",
            ));
        }
        Ok(())
    }
}

fn forget_old(latest: &mut HashMap<Uuid, u64>) {
    let horizon = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .saturating_sub(MEMORY)
        .as_secs();
    latest.retain(|_, at| *at >= horizon);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    #[test]
    fn tokens_up_to_the_revocation_are_refused_and_later_ones_work() {
        let sessions = RevokedSessions::default();
        let user = Uuid::now_v7();
        let at = now();
        sessions.record(UserRevoked {
            user_id: user,
            revoked_at: at,
        });
        assert!(sessions.refuses(user, at - 60));
        assert!(sessions.refuses(user, at));
        assert!(!sessions.refuses(user, at + 1));
        assert!(!sessions.refuses(Uuid::now_v7(), at - 60));
        // An older announcement arriving late does not move the line back.
        sessions.record(UserRevoked {
            user_id: user,
            revoked_at: at - 30,
        });
        assert!(sessions.refuses(user, at));
    }

    #[test]
    fn revocations_older_than_any_token_are_forgotten() {
        let sessions = RevokedSessions::default();
        let user = Uuid::now_v7();
        sessions.record_all([UserRevoked {
            user_id: user,
            revoked_at: now() - MEMORY.as_secs() - 10,
        }]);
        assert!(sessions.latest.read().unwrap().is_empty());
    }
}
