//! What users-service tells the gateways about accounts: that the sessions of one were ended
//! (deactivated, or its password reset). Access tokens issued at or before `revoked_at` are
//! refused from then on; tokens issued later work, and users-service never issues one for
//! the account in the revocation's own second.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The message on [`USERS_EVENTS_CHANNEL`](crate::keys::USERS_EVENTS_CHANNEL):
/// `{"type": "user.revoked", "user_id": "<uuid>", "revoked_at": <unix seconds>}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "user.revoked")]
pub struct UserRevoked {
    pub user_id: Uuid,
    /// Seconds since the epoch: tokens whose `iat` is at or before it are revoked.
    pub revoked_at: u64,
}

impl UserRevoked {
    /// Whether a token of `user` issued at `issued_at` (its `iat`) is revoked by this.
    pub fn revokes(&self, user: Uuid, issued_at: u64) -> bool {
        self.user_id == user && issued_at <= self.revoked_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_shape_is_tagged_and_tokens_of_the_revoked_second_are_refused() {
        let user = Uuid::now_v7();
        let revoked = UserRevoked {
            user_id: user,
            revoked_at: 1_000,
        };
        let json = serde_json::to_value(revoked).unwrap();
        assert_eq!(json["type"], "user.revoked");
        assert_eq!(json["revoked_at"], 1_000);
        assert_eq!(
            serde_json::from_value::<UserRevoked>(json).unwrap(),
            revoked
        );
        assert!(revoked.revokes(user, 999));
        assert!(revoked.revokes(user, 1_000));
        assert!(!revoked.revokes(user, 1_001));
        assert!(!revoked.revokes(Uuid::now_v7(), 999));
    }
}
