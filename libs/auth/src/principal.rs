//! The authenticated caller of a request, taken from `Authorization: Bearer <access token>`
//! and verified by the service's [`JwtVerifier`]. Identity never comes from anything else a
//! client sends (no trusted identity headers).

use std::sync::Arc;

use axum::{
    extract::{FromRef, FromRequestParts},
    http::{header, request::Parts},
};
use lom_platform::Problem;
use uuid::Uuid;

use crate::{
    claims::AccessClaims,
    permission::{Permission, Scope, scope_of},
    verifier::{AuthError, JwtVerifier},
};

/// A verified caller: who, which roles, which grants.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: Uuid,
    pub roles: Vec<String>,
    pub grants: Vec<String>,
    /// Seconds since the epoch when the token was issued (its `iat`).
    pub issued_at: u64,
    /// Seconds since the epoch when the token expires.
    pub expires_at: u64,
}

impl Principal {
    pub fn from_claims(claims: AccessClaims) -> Self {
        Self {
            user_id: claims.sub,
            roles: claims.roles,
            grants: claims.perms,
            issued_at: claims.iat,
            expires_at: claims.exp,
        }
    }

    /// The widest scope the caller holds for `permission`, if any.
    pub fn scope(&self, permission: Permission) -> Option<Scope> {
        scope_of(self.grants.iter().map(String::as_str), permission)
    }

    /// The caller's scope for `permission`, or 403.
    pub fn require(&self, permission: Permission) -> Result<Scope, Problem> {
        self.scope(permission).ok_or_else(|| {
            Problem::forbidden(format!("This action needs the {permission} permission."))
        })
    }

    /// 403 unless the caller holds `permission` for every record.
    pub fn require_all(&self, permission: Permission) -> Result<(), Problem> {
        match self.require(permission)? {
            Scope::All => Ok(()),
            Scope::Assigned => Err(Problem::forbidden(format!(
                "This action needs the {permission} permission for all records."
            ))),
        }
    }
}

/// The problem a failed authentication answers with. Unverifiable tokens are 401 with one
/// fixed detail (no oracle for attackers); an unreachable key source is 503.
pub fn auth_problem(err: &AuthError) -> Problem {
    match err {
        AuthError::KeysUnavailable(_) => {
            Problem::unavailable("Tokens cannot be verified right now; try again shortly.")
        }
        AuthError::Missing => Problem::unauthorized("A bearer access token is required."),
        _ => Problem::unauthorized("The access token is invalid or expired."),
    }
}

/// Reads the bearer token of a request, if any.
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl<S> FromRequestParts<S> for Principal
where
    Arc<JwtVerifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Arc::<JwtVerifier>::from_ref(state);
        let result = match bearer_token(parts) {
            None => Err(AuthError::Missing),
            Some(token) => verifier.verify(token).await,
        };
        result.map(Self::from_claims).map_err(|err| {
            tracing::warn!(reason = %err, "authentication failed");
            auth_problem(&err)
        })
    }
}
