//! The HTTP API of users-service, one module per resource, merged here.

pub mod audit;
pub mod auth;
pub mod keys;
pub mod roles;
pub mod schemas;
pub mod users;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::router())
        .merge(audit::router())
        .merge(users::router())
        .merge(roles::router())
        .merge(keys::router())
}
