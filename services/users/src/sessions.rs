//! Sign-in sessions: a short-lived access token (EdDSA JWT) plus an opaque refresh token that
//! is stored only as its SHA-256, rotated on every use, and chained in a family. Presenting a
//! token that was already rotated means it leaked — the whole family is revoked — unless it
//! comes within the short reuse grace while its successor is still unused: two tabs refreshed
//! at once, and the late one gets an access token without a new refresh token.

use aws_lc_rs::{digest, rand::SecureRandom};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use lom_auth::AccessClaims;
use lom_platform::Problem;
use serde_json::json;
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult},
    repository::{
        audit,
        refresh_tokens::{self, NewToken},
        users::{self, UserRow},
    },
    state::AppState,
};

/// What a successful login or refresh hands out.
#[derive(Debug)]
pub struct Session {
    pub access_token: String,
    pub expires_in: u64,
    /// The new refresh token; `None` for a concurrent refresh, whose presented token was just
    /// rotated by the other request (that one's answer carries the new token).
    pub refresh_token: Option<String>,
    pub refresh_expires_in: u64,
    pub user: UserRow,
}

/// The one answer for every refresh failure, so none can be told apart.
fn invalid_refresh() -> ApiError {
    Problem::unauthorized("The refresh token is invalid, expired or revoked.").into()
}

/// Starts a new session (and token family) for an active account.
pub async fn start(state: &AppState, user: UserRow) -> ApiResult<Session> {
    let (refresh_token, hash) = new_refresh_token()?;
    refresh_tokens::insert(
        &state.db,
        NewToken {
            id: Uuid::now_v7(),
            user_id: user.id,
            family_id: Uuid::now_v7(),
            parent_id: None,
            hash: &hash,
            expires_at: refresh_expiry(state),
        },
    )
    .await?;
    finish(state, user, Some(refresh_token)).await
}

/// Exchanges a refresh token for a new session in the same family.
pub async fn rotate(
    state: &AppState,
    presented: &str,
    request_id: Option<&str>,
) -> ApiResult<Session> {
    let hash = hash_token(presented);
    let mut tx = state.db.begin().await?;
    let Some(token) = refresh_tokens::lock_by_hash(&mut tx, &hash).await? else {
        return Err(invalid_refresh());
    };
    if token.revoked_at.is_some() {
        return Err(invalid_refresh());
    }
    if let Some(rotated_at) = token.rotated_at {
        let moments_ago = Utc::now() - rotated_at;
        let grace =
            chrono::Duration::from_std(state.settings.refresh_reuse_grace).unwrap_or_default();
        if moments_ago <= grace && refresh_tokens::successor_unused(&mut tx, token.id).await? {
            // Two refreshes raced (tabs without a shared lock): the session stays.
            let user = users::find(&mut *tx, token.user_id)
                .await?
                .filter(|u| u.is_active)
                .ok_or_else(invalid_refresh)?;
            tx.commit().await?;
            tracing::info!(user_id = %user.id, "concurrent refresh: new access token, refresh token kept");
            return finish(state, user, None).await;
        }
        let revoked = refresh_tokens::revoke_family(&mut *tx, token.family_id, "reuse").await?;
        audit::record(
            &mut tx,
            audit::Entry {
                actor: Some(token.user_id),
                action: audit::Action::RefreshReuseDetected,
                target: Some(token.user_id),
                details: json!({ "family_id": token.family_id, "revoked": revoked }),
                request_id,
            },
        )
        .await?;
        tx.commit().await?;
        tracing::warn!(user_id = %token.user_id, family_id = %token.family_id, "refresh token reuse: family revoked");
        return Err(invalid_refresh());
    }
    if token.expires_at <= Utc::now() {
        return Err(invalid_refresh());
    }
    let user = users::find(&mut *tx, token.user_id)
        .await?
        .filter(|u| u.is_active);
    let Some(user) = user else {
        refresh_tokens::revoke_family(&mut *tx, token.family_id, "inactive").await?;
        tx.commit().await?;
        return Err(invalid_refresh());
    };

    let (refresh_token, new_hash) = new_refresh_token()?;
    refresh_tokens::mark_rotated(&mut tx, token.id).await?;
    refresh_tokens::insert(
        &mut *tx,
        NewToken {
            id: Uuid::now_v7(),
            user_id: user.id,
            family_id: token.family_id,
            parent_id: Some(token.id),
            hash: &new_hash,
            expires_at: refresh_expiry(state),
        },
    )
    .await?;
    tx.commit().await?;
    finish(state, user, Some(refresh_token)).await
}

/// Ends the session a refresh token belongs to; unknown tokens are ignored (idempotent).
pub async fn end(state: &AppState, presented: &str) -> ApiResult<()> {
    let hash = hash_token(presented);
    if let Some((family_id, _)) = refresh_tokens::find_family_by_hash(&state.db, &hash).await? {
        refresh_tokens::revoke_family(&state.db, family_id, "logout").await?;
    }
    Ok(())
}

/// Signs an access token carrying the account's current roles and grants. Its `iat` is
/// always after the second of the account's last revocation (tokens of that second are
/// refused): within that second, this waits for the next one.
async fn access_token(state: &AppState, user: &UserRow) -> ApiResult<String> {
    if let Some(revoked) = user.sessions_revoked_at {
        let next_second = revoked.timestamp() + 1;
        let wait_ms = next_second * 1000 - Utc::now().timestamp_millis();
        if let Ok(wait_ms) = u64::try_from(wait_ms)
            && wait_ms > 0
        {
            tokio::time::sleep(std::time::Duration::from_millis(wait_ms.min(1_000))).await;
        }
    }
    let now = jsonwebtoken::get_current_timestamp();
    let claims = AccessClaims {
        sub: user.id,
        iss: state.settings.issuer.clone(),
        aud: state.settings.audience.clone(),
        iat: now,
        exp: now + state.settings.access_ttl.as_secs(),
        jti: Uuid::new_v4(),
        roles: user.roles.clone(),
        perms: user.permissions.clone(),
    };
    Ok(state.signer.sign(&claims)?)
}

async fn finish(
    state: &AppState,
    user: UserRow,
    refresh_token: Option<String>,
) -> ApiResult<Session> {
    Ok(Session {
        access_token: access_token(state, &user).await?,
        expires_in: state.settings.access_ttl.as_secs(),
        refresh_token,
        refresh_expires_in: state.settings.refresh_ttl.as_secs(),
        user,
    })
}

fn refresh_expiry(state: &AppState) -> chrono::DateTime<Utc> {
    let ttl = chrono::Duration::from_std(state.settings.refresh_ttl)
        .unwrap_or_else(|_| chrono::Duration::days(14));
    Utc::now() + ttl
}

/// 256 random bits, base64url; and the SHA-256 that is all we store.
fn new_refresh_token() -> ApiResult<(String, Vec<u8>)> {
    let mut bytes = [0u8; 32];
    aws_lc_rs::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| Problem::internal())?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    Ok((token, hash))
}

fn hash_token(token: &str) -> Vec<u8> {
    digest::digest(&digest::SHA256, token.as_bytes())
        .as_ref()
        .to_vec()
}
