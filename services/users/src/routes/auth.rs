//! `/v1/auth/*`: login, refresh, logout and the caller's own account. The gateway turns the
//! refresh token into an HttpOnly cookie; between services it travels in the body.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, State},
    http::{HeaderMap, StatusCode},
};
use lom_auth::Principal;
use lom_platform::{
    FieldError, Json, Problem, db, http_stack::RequestId, openapi::Problems, problem::ProblemBody,
};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::Email,
    error::{ApiError, ApiResult},
    repository::users,
    routes::schemas::{self, LOGIN_PASSWORD_MAX},
    sessions::{self, Session},
    state::AppState,
    throttle::LoginThrottle,
    views::UserView,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(schema_with = schemas::email, example = "dispatcher@example.com")]
    pub email: String,
    #[schema(example = "correct horse battery staple", format = Password, min_length = 1, max_length = 1024)]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A new session: the access token for `Authorization: Bearer`, and the refresh token the
/// gateway stores in the HttpOnly cookie.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// The new refresh token. Absent only from a refresh that raced another one with the same
    /// token (within the reuse grace): the presented token was rotated by that one, whose
    /// answer carries the new token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Seconds until the refresh token expires unless rotated first.
    pub refresh_expires_in: u64,
    pub user: UserView,
}

impl From<Session> for SessionResponse {
    fn from(s: Session) -> Self {
        Self {
            access_token: s.access_token,
            token_type: "Bearer",
            expires_in: s.expires_in,
            refresh_token: s.refresh_token,
            refresh_expires_in: s.refresh_expires_in,
            user: s.user.into(),
        }
    }
}

fn wrong_credentials() -> ApiError {
    Problem::unauthorized("The email or password is incorrect.").into()
}

/// Signs in with email and password.
///
/// Unknown email, wrong password and a deactivated account get the same 401 with the same
/// body and similar timing. Repeated failures for one account or one address give 429 with
/// `Retry-After`.
#[utoipa::path(
    post,
    path = "/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = SessionResponse),
        (status = 401, description = "Wrong email or password", body = ProblemBody, content_type = "application/problem+json"),
        Problems<422>,
        (status = 429, description = "Too many failures; see Retry-After", body = ProblemBody, content_type = "application/problem+json"),
    ),
)]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> ApiResult<Json<SessionResponse>> {
    let email = Email::parse(&request.email)
        .map_err(|message| Problem::validation(vec![FieldError::new("email", message)]))?;
    if !(1..=LOGIN_PASSWORD_MAX).contains(&request.password.chars().count()) {
        return Err(Problem::validation(vec![FieldError::new(
            "password",
            format!("must be 1 to {LOGIN_PASSWORD_MAX} characters"),
        )])
        .into());
    }
    let address = client_address(&state, peer, &headers);
    // Throttle bookkeeping and the new session are written whatever the client does meanwhile.
    db::detached(async move {
        let attempt = LoginThrottle::new(&state.db, state.settings.throttle, &email, address)
            .reserve()
            .await?;

        let credentials = users::credentials(&state.db, &email).await?;
        let password = SecretString::from(request.password);
        let matched = state
            .hasher
            .verify(
                &password,
                credentials.as_ref().map(|c| c.password_hash.as_str()),
            )
            .await;
        let account = credentials.filter(|c| matched && c.is_active);
        let Some(account) = account else {
            attempt.failed().await?;
            tracing::warn!(%address, "sign-in failed: wrong email or password, or inactive account");
            return Err(wrong_credentials());
        };
        attempt.succeeded().await?;
        let user = users::find(&state.db, account.id)
            .await?
            .ok_or_else(wrong_credentials)?;
        tracing::info!(user_id = %user.id, "signed in");
        Ok(Json(sessions::start(&state, user).await?.into()))
    })
    .await
}

/// Exchanges a refresh token for a new session; the presented token is used up.
///
/// Presenting a token that was already used revokes its whole family (reuse detection).
#[utoipa::path(
    post,
    path = "/v1/auth/refresh",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = SessionResponse),
        Problems<401>,
    ),
)]
async fn refresh(
    State(state): State<AppState>,
    RequestId(request_id): RequestId,
    Json(request): Json<RefreshRequest>,
) -> ApiResult<Json<SessionResponse>> {
    let session = db::detached(async move {
        sessions::rotate(&state, &request.refresh_token, request_id.as_deref()).await
    })
    .await?;
    Ok(Json(session.into()))
}

/// Ends the session the refresh token belongs to (its whole family). Always 204.
#[utoipa::path(
    post,
    path = "/v1/auth/logout",
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out")),
)]
async fn logout(
    State(state): State<AppState>,
    Json(request): Json<RefreshRequest>,
) -> ApiResult<StatusCode> {
    db::detached(async move { sessions::end(&state, &request.refresh_token).await }).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account, with its current roles and permissions.
#[utoipa::path(
    get,
    path = "/v1/auth/me",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = UserView),
        Problems<401>,
    ),
)]
async fn me(caller: Principal, State(state): State<AppState>) -> ApiResult<Json<UserView>> {
    let user = users::find(&state.db, caller.user_id)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| Problem::unauthorized("The account is no longer active."))?;
    Ok(Json(user.into()))
}

/// The caller's address: the peer, or — when the peer is a trusted proxy (a gateway) — the
/// last `X-Forwarded-For` entry, which that proxy wrote.
fn client_address(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    let proxied = state
        .settings
        .trusted_proxies
        .iter()
        .any(|net| net.contains(&peer.ip()));
    if proxied {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|ip| ip.trim().parse().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    peer.ip()
}
