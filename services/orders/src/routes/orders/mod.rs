//! `/v1/orders`: list, stats, read, create, update, assign and delete orders.

mod assign;
mod create;
mod delete;
mod extract;
mod get;
mod list;
mod update;

use lom_auth::Scope;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::list_orders, create::create_order))
        .routes(routes!(list::order_stats))
        .routes(routes!(
            get::get_order,
            update::update_order,
            delete::delete_order
        ))
        .routes(routes!(assign::assign_order))
}

/// Whether a caller with `scope` may see an order assigned to `assignee`.
fn in_scope(scope: Scope, assignee: Option<Uuid>, caller: Uuid) -> bool {
    scope == Scope::All || assignee == Some(caller)
}
