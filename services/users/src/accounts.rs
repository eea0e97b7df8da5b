//! Changing an account by its rules, in one transaction: nobody deactivates themselves; the
//! last active administrator neither loses the role nor is deactivated (also when several such
//! changes arrive at the same instant); deactivating an
//! account or resetting its password ends its sessions (its refresh tokens at once, its access
//! tokens as soon as the gateways hear of the revocation, announced after the commit). Every
//! change is audited with the request id.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::{
    domain::DisplayName,
    error::{ApiResult, last_admin, self_deactivation, user_not_found},
    repository::{
        audit, refresh_tokens,
        users::{self, UserRow},
    },
    state::AppState,
};

/// What a `PATCH /v1/users/{id}` asks to change; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct AccountChange {
    pub display_name: Option<DisplayName>,
    /// The role ids and, for the audit row, their names.
    pub roles: Option<(Vec<i16>, Vec<String>)>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

impl AccountChange {
    /// Whether the change deactivates the account of `caller` itself.
    fn deactivates_self(&self, id: Uuid, caller: Uuid) -> bool {
        self.active == Some(false) && id == caller
    }

    /// Whether the change makes `current`, an active administrator, stop being one.
    fn removes_admin(&self, current: &UserRow) -> bool {
        let is_admin = |roles: &[String]| roles.iter().any(|role| role == "admin");
        current.is_active
            && is_admin(&current.roles)
            && (self.active == Some(false)
                || self
                    .roles
                    .as_ref()
                    .is_some_and(|(_, names)| !is_admin(names)))
    }
}

/// Applies `change` to account `id` on behalf of `caller`: 404 when there is no such account,
/// 409 `self-deactivation` or `last-admin` when a rule refuses it.
pub async fn change(
    state: &AppState,
    id: Uuid,
    caller: Uuid,
    change: AccountChange,
    request_id: Option<String>,
) -> ApiResult<()> {
    let revocations = state.revocations.clone();
    let pool = state.db.clone();
    lom_platform::db::detached(async move {
        let mut tx = pool.begin().await?;
        if !users::lock(&mut tx, id).await? {
            return Err(user_not_found().into());
        }
        let current = users::find(&mut *tx, id)
            .await?
            .ok_or_else(user_not_found)?;
        if change.deactivates_self(id, caller) {
            return Err(self_deactivation().into());
        }
        if change.removes_admin(&current) {
            // Changes that remove an administrator take turns, so two at the same instant
            // cannot each count the other's admin as remaining.
            users::serialize_admin_removals(&mut tx).await?;
            if users::count_other_active_admins(&mut tx, Some(id)).await? == 0 {
                return Err(last_admin().into());
            }
        }

        let mut changed = Map::new();
        if let Some(name) = &change.display_name {
            users::set_display_name(&mut tx, id, name).await?;
            changed.insert("display_name".into(), name.as_str().into());
        }
        if let Some((ids, names)) = &change.roles {
            users::replace_roles(&mut tx, id, ids, Some(caller)).await?;
            changed.insert("roles".into(), json!(names));
        }
        let mut revoked_at = None;
        if let Some(active) = change.active {
            users::set_active(&mut tx, id, active).await?;
            changed.insert("active".into(), active.into());
            if !active {
                refresh_tokens::revoke_user(&mut *tx, id, "deactivated").await?;
                revoked_at = Some(users::revoke_sessions(&mut tx, id).await?);
            }
        }
        if let Some(hash) = &change.password_hash {
            users::set_password_hash(&mut tx, id, hash).await?;
            refresh_tokens::revoke_user(&mut *tx, id, "password_reset").await?;
            revoked_at = Some(users::revoke_sessions(&mut tx, id).await?);
            changed.insert("password".into(), Value::from("reset"));
        }
        audit::record(
            &mut tx,
            audit::Entry {
                actor: Some(caller),
                action: audit::Action::UserUpdated,
                target: Some(id),
                details: Value::Object(changed),
                request_id: request_id.as_deref(),
            },
        )
        .await?;
        tx.commit().await?;
        if let Some(revoked_at) = revoked_at {
            revocations.announce(id, revoked_at).await;
        }
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn account(roles: &[&str], active: bool) -> UserRow {
        UserRow {
            id: Uuid::now_v7(),
            email: "a@example.com".into(),
            display_name: "a".into(),
            is_active: active,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            roles: roles.iter().map(|&role| role.to_owned()).collect(),
            permissions: Vec::new(),
            sessions_revoked_at: None,
        }
    }

    fn roles(names: &[&str]) -> Option<(Vec<i16>, Vec<String>)> {
        Some((Vec::new(), names.iter().map(|&n| n.to_owned()).collect()))
    }

    #[test]
    fn an_admin_stops_being_one_when_deactivated_or_stripped_of_the_role() {
        let admin = account(&["admin", "agent"], true);
        let deactivate = AccountChange {
            active: Some(false),
            ..AccountChange::default()
        };
        assert!(deactivate.removes_admin(&admin));
        let strip = AccountChange {
            roles: roles(&["agent"]),
            ..AccountChange::default()
        };
        assert!(strip.removes_admin(&admin));
        let keep = AccountChange {
            roles: roles(&["admin"]),
            active: Some(true),
            ..AccountChange::default()
        };
        assert!(!keep.removes_admin(&admin));
        assert!(!deactivate.removes_admin(&account(&["agent"], true)));
        assert!(!strip.removes_admin(&account(&["admin"], false)));
    }

    #[test]
    fn only_deactivating_ones_own_account_is_self_deactivation() {
        let (me, other) = (Uuid::now_v7(), Uuid::now_v7());
        let deactivate = AccountChange {
            active: Some(false),
            ..AccountChange::default()
        };
        assert!(deactivate.deactivates_self(me, me));
        assert!(!deactivate.deactivates_self(other, me));
        let rename = AccountChange::default();
        assert!(!rename.deactivates_self(me, me));
    }
}
