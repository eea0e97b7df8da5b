//! Orders, users and roles: each route checks the caller's token (verified, and not revoked
//! by a password reset or deactivation since it was issued) and the permission SPEC §5
//! requires before the request is forwarded; the owning service checks again (an agent's
//! assigned-only scope is enforced there). Methods a path does not support answer 405 with
//! `Allow`, without reaching a service.

use axum::{
    Router,
    extract::{Request, State},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use lom_auth::{Permission, Principal};

use crate::{state::AppState, upstream::Service};

/// What a route requires of the caller beyond a valid token.
#[derive(Debug, Clone, Copy)]
enum Requires {
    SignedIn,
    Any(Permission),
}

/// A handler that authorises the caller and forwards to `$service` (`streamed`: a download,
/// passed through as it arrives).
macro_rules! to {
    ($service:expr, $requires:expr) => {
        |caller: Principal, State(state): State<AppState>, request: Request| {
            forward($service, $requires, Answer::Whole, caller, state, request)
        }
    };
    ($service:expr, $requires:expr, streamed) => {
        |caller: Principal, State(state): State<AppState>, request: Request| {
            forward(
                $service,
                $requires,
                Answer::Streamed,
                caller,
                state,
                request,
            )
        }
    };
}

/// How a service's answer is passed on.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Whole,
    Streamed,
}

pub fn router() -> Router<AppState> {
    use Permission::*;
    use Requires::*;
    use Service::{Orders, Users};
    Router::new()
        .route(
            "/api/v1/orders",
            get(to!(Orders, Any(OrdersRead))).post(to!(Orders, Any(OrdersCreate))),
        )
        .route("/api/v1/orders/stats", get(to!(Orders, Any(OrdersRead))))
        .route("/api/v1/orders/workload", get(to!(Orders, Any(OrdersRead))))
        .route("/api/v1/orders/metrics", get(to!(Orders, Any(OrdersRead))))
        .route("/api/v1/orders/bulk", post(to!(Orders, Any(OrdersUpdate))))
        .route("/api/v1/orders/audit", get(to!(Orders, Any(AuditRead))))
        .route(
            "/api/v1/orders/export",
            get(to!(Orders, Any(OrdersExport), streamed)),
        )
        .route(
            "/api/v1/orders/{id}",
            get(to!(Orders, Any(OrdersRead)))
                .patch(to!(Orders, Any(OrdersUpdate)))
                .delete(to!(Orders, Any(OrdersDelete))),
        )
        .route(
            "/api/v1/orders/{id}/assign",
            post(to!(Orders, Any(OrdersAssign))),
        )
        .route(
            "/api/v1/orders/{id}/cancel",
            post(to!(Orders, Any(OrdersUpdate))),
        )
        .route(
            "/api/v1/orders/{id}/undo",
            post(to!(Orders, Any(OrdersUpdate))),
        )
        .route(
            "/api/v1/orders/{id}/notes",
            post(to!(Orders, Any(OrdersUpdate))),
        )
        .route(
            "/api/v1/users",
            get(to!(Users, Any(UsersRead))).post(to!(Users, Any(UsersManage))),
        )
        .route(
            "/api/v1/users/assignable",
            get(to!(Users, Any(OrdersAssign))),
        )
        .route("/api/v1/users/names", get(to!(Users, Any(OrdersRead))))
        .route(
            "/api/v1/users/{id}",
            get(to!(Users, Any(UsersRead))).patch(to!(Users, Any(UsersManage))),
        )
        .route("/api/v1/roles", get(to!(Users, SignedIn)))
        .route("/api/v1/audit", get(to!(Users, Any(AuditRead))))
}

async fn forward(
    service: Service,
    requires: Requires,
    answer: Answer,
    caller: Principal,
    state: AppState,
    request: Request,
) -> Response {
    if let Err(problem) = state.revoked.check(&caller) {
        return problem.into_response();
    }
    if let Requires::Any(permission) = requires
        && let Err(problem) = caller.require(permission)
    {
        return problem.into_response();
    }
    match answer {
        Answer::Whole => state.upstreams.forward(service, request).await,
        Answer::Streamed => state.upstreams.stream(service, request).await,
    }
}
