//! The public REST API under `/api/v1`: sessions with the refresh cookie ([`auth`]) and the
//! resources owned by the services, forwarded after the permission check ([`resources`]).

pub mod auth;
pub mod resources;

use axum::Router;

use crate::state::AppState;

pub fn api(state: AppState) -> Router {
    Router::new()
        .merge(auth::router())
        .merge(resources::router())
        .with_state(state)
}
