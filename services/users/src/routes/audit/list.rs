//! `GET /v1/audit`: audit entries newest first, filtered by actor, action and time, paged by a
//! keyset cursor.

use axum::extract::State;
use chrono::{DateTime, Utc};
use lom_auth::{Permission, Principal};
use lom_platform::{Json, Problem, Query, openapi::Problems};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    error::ApiResult,
    repository::audit::{self, Action, Filter},
    routes::schemas,
    state::AppState,
    views::AuditEntryView,
};

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only what this account did.
    pub actor: Option<Uuid>,
    /// Only this kind of action.
    #[param(inline)]
    pub action: Option<Action>,
    /// From this instant on (inclusive), RFC 3339. A range ending before it starts is empty.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (exclusive), RFC 3339.
    pub to: Option<DateTime<Utc>>,
    /// The `next_cursor` of the previous page (empty or absent: the first page).
    #[param(schema_with = schemas::audit_cursor)]
    pub cursor: Option<String>,
    /// Entries per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// One page of entries; `next_cursor` is null on the last.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryView>,
    pub next_cursor: Option<String>,
}

/// Lists the audit log: who did what to which account, when, with which request.
#[utoipa::path(
    get, path = "/v1/audit", tag = "audit", params(AuditParams), security(("bearer" = [])),
    responses(
        (status = 200, body = AuditPage),
        Problems<400, 401, 403>,
    ),
)]
pub(super) async fn list_audit(
    caller: Principal,
    State(state): State<AppState>,
    Query(params): Query<AuditParams>,
) -> ApiResult<Json<AuditPage>> {
    caller.require_all(Permission::AuditRead)?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Problem::bad_request(format!("limit must be 1 to {MAX_LIMIT}")).into());
    }
    let before = params
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(|c| c.parse::<i64>().ok().filter(|id| *id > 0))
        .map(|id| id.ok_or_else(|| Problem::bad_request("cursor is not one this API gave")))
        .transpose()?;
    let filter = Filter {
        actor: params.actor,
        action: params.action,
        from: params.from,
        to: params.to,
        before,
    };
    let mut rows = audit::list(&state.db, &filter, limit + 1).await?;
    let next_cursor = if rows.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
        rows.truncate(rows.len() - 1);
        rows.last().map(|row| row.id.to_string())
    } else {
        None
    };
    Ok(Json(AuditPage {
        items: rows.into_iter().map(AuditEntryView::from).collect(),
        next_cursor,
    }))
}
