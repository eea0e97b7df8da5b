//! `/api/v1/auth/*`: sessions for browsers. The refresh token never appears in a body here: it
//! lives in an HttpOnly, SameSite=Strict cookie scoped to `/api/v1/auth` (and `Secure` unless
//! configured off for plain-http development). Refresh and logout, which act on that cookie,
//! also refuse a foreign `Origin`.

use std::net::SocketAddr;

use axum::{
    Router,
    body::Bytes,
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use lom_auth::Principal;
use lom_platform::Problem;
use serde_json::{Value, json};

use crate::{
    state::AppState,
    upstream::{Reply, Service, pass_identity},
};

pub const REFRESH_COOKIE: &str = "lom_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/refresh", post(refresh))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/auth/me", get(me))
}

/// Forwards the credentials (within the per-address attempt rate); on success moves the
/// refresh token into the cookie.
async fn login(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>()
        && let Err(problem) = state.login_limiter.check(peer.ip())
    {
        return problem.into_response();
    }
    let body = match axum::body::to_bytes(body, state.settings.limits.body_limit_bytes).await {
        Ok(body) => body,
        Err(_) => return Problem::from_status(StatusCode::PAYLOAD_TOO_LARGE).into_response(),
    };
    let mut headers = HeaderMap::new();
    if let Some(ct) = parts.headers.get(header::CONTENT_TYPE) {
        headers.insert(header::CONTENT_TYPE, ct.clone());
    }
    pass_identity(&parts.headers, &parts.extensions, &mut headers);
    let reply = state
        .upstreams
        .send(
            Service::Users,
            Method::POST,
            "/v1/auth/login",
            headers,
            body,
        )
        .await;
    session_response(&state, reply, parts.uri.path(), false)
}

/// Exchanges the refresh cookie for a new access token and a rotated cookie.
async fn refresh(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if let Err(problem) = same_origin(&state, &parts.headers) {
        return problem.into_response();
    }
    let Some(token) = refresh_cookie(&parts.headers) else {
        return with_cleared_cookie(
            &state,
            Problem::unauthorized("No session: sign in again.").into_response(),
        );
    };
    let mut headers = json_headers();
    pass_identity(&parts.headers, &parts.extensions, &mut headers);
    let body = Bytes::from(json!({ "refresh_token": token }).to_string());
    let reply = state
        .upstreams
        .send(
            Service::Users,
            Method::POST,
            "/v1/auth/refresh",
            headers,
            body,
        )
        .await;
    session_response(&state, reply, parts.uri.path(), true)
}

/// Ends the session of the refresh cookie (its whole token family) and clears the cookie.
async fn logout(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if let Err(problem) = same_origin(&state, &parts.headers) {
        return problem.into_response();
    }
    if let Some(token) = refresh_cookie(&parts.headers) {
        let mut headers = json_headers();
        pass_identity(&parts.headers, &parts.extensions, &mut headers);
        let body = Bytes::from(json!({ "refresh_token": token }).to_string());
        let reply = state
            .upstreams
            .send(
                Service::Users,
                Method::POST,
                "/v1/auth/logout",
                headers,
                body,
            )
            .await;
        match reply {
            Ok(reply) if reply.status.is_success() => {}
            Ok(reply) => return reply.into_public_response(Service::Users, parts.uri.path()),
            Err(problem) => return problem.into_response(),
        }
    }
    with_cleared_cookie(&state, StatusCode::NO_CONTENT.into_response())
}

/// The signed-in account (forwarded with the bearer token, unless it was revoked).
async fn me(caller: Principal, State(state): State<AppState>, request: Request) -> Response {
    if let Err(problem) = state.revoked.check(&caller) {
        return problem.into_response();
    }
    state.upstreams.forward(Service::Users, request).await
}

/// Turns users-service's session answer into ours: the refresh token goes into the cookie
/// (an answer without one — a refresh that raced another — leaves the cookie as the other
/// sets it), the body keeps `access_token, token_type, expires_in, user`. A refused refresh
/// (`clear_on_401`) also clears the dead cookie.
fn session_response(
    state: &AppState,
    reply: Result<Reply, Problem>,
    path: &str,
    clear_on_401: bool,
) -> Response {
    let reply = match reply {
        Ok(reply) => reply,
        Err(problem) => return problem.into_response(),
    };
    if reply.status != StatusCode::OK {
        let unauthorized = clear_on_401 && reply.status == StatusCode::UNAUTHORIZED;
        let response = reply.into_public_response(Service::Users, path);
        return if unauthorized {
            with_cleared_cookie(state, response)
        } else {
            response
        };
    }
    let Ok(mut session) = serde_json::from_slice::<Value>(&reply.body) else {
        tracing::error!("users-service answered a session that is not JSON");
        return Problem::internal().into_response();
    };
    let Some(object) = session.as_object_mut() else {
        return Problem::internal().into_response();
    };
    let token = object.remove("refresh_token");
    let max_age = object
        .remove("refresh_expires_in")
        .and_then(|v| v.as_i64())
        .unwrap_or(0);
    let mut response = axum::Json(session).into_response();
    match token {
        Some(Value::String(token)) => {
            let cookie = session_cookie(state, token, CookieDuration::seconds(max_age));
            append_cookie(&mut response, &cookie);
        }
        // A refresh that raced another with the same cookie: that one's answer sets the new
        // cookie, so this one leaves it alone.
        None => {}
        Some(_) => {
            tracing::error!("users-service answered a refresh token that is not a string");
            return Problem::internal().into_response();
        }
    }
    response
}

fn session_cookie(state: &AppState, value: String, max_age: CookieDuration) -> Cookie<'static> {
    Cookie::build((REFRESH_COOKIE, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.cookie_secure)
        .path(COOKIE_PATH)
        .max_age(max_age)
        .build()
}

fn with_cleared_cookie(state: &AppState, mut response: Response) -> Response {
    let cookie = session_cookie(state, String::new(), CookieDuration::ZERO);
    append_cookie(&mut response, &cookie);
    response
}

fn append_cookie(response: &mut Response, cookie: &Cookie<'_>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

fn refresh_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == REFRESH_COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

/// A browser request carrying `Origin` must come from an allowed origin (CSRF defence in
/// depth; SameSite=Strict already keeps the cookie off cross-site requests).
fn same_origin(state: &AppState, headers: &HeaderMap) -> Result<(), Problem> {
    match headers.get(header::ORIGIN) {
        None => Ok(()),
        Some(origin) if state.settings.allowed_origins.contains(origin) => Ok(()),
        Some(_) => Err(Problem::forbidden(
            "This origin may not use the session cookie.",
        )),
    }
}

fn json_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers
}
