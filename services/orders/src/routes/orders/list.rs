//! `GET /v1/orders` (filtered, newest first, keyset pages) and `GET /v1/orders/stats` (counts
//! per status under the same filters). Agents only ever see orders assigned to them.

use axum::extract::State;
use lom_auth::{Permission, Principal, Scope};
use lom_contracts::OrderStatus;
use lom_platform::{Json, Problem, Query, openapi::Problems, problem::ProblemBody};
use serde::Deserialize;
use utoipa::IntoParams;

use super::schemas::{self, SEARCH_MAX};
use crate::{
    domain::parse_hyphenated,
    error::ApiResult,
    repository::{self, Assignee, Cursor, OrderFilter},
    state::AppState,
    views::{OrderPage, OrderStats},
};

const DEFAULT_LIMIT: i64 = 50;
/// Keep in step with the `limit` parameter's documented maximum.
const MAX_LIMIT: i64 = 200;

/// Filters shared by the list and the stats.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// Comma-separated statuses, e.g. `PENDING,CONFIRMED`.
    #[param(value_type = Option<Vec<OrderStatus>>, style = Form, explode = false)]
    status: Option<String>,
    /// `me`, `unassigned` or a user id.
    #[param(schema_with = schemas::assignee_filter)]
    assignee: Option<String>,
    /// Matches the order number, customer name or email (case-insensitive substring).
    #[param(schema_with = schemas::order_search)]
    q: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `next_cursor` of the previous page.
    #[param(schema_with = schemas::cursor)]
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

impl FilterQuery {
    fn parse(&self, principal: &Principal, scope: Scope) -> Result<OrderFilter, Problem> {
        let statuses = match self.status.as_deref() {
            None | Some("") => Vec::new(),
            Some(list) => list
                .split(',')
                .map(|name| name.trim().parse::<OrderStatus>())
                .collect::<Result<_, _>>()
                .map_err(|e| Problem::bad_request(format!("status: {e}")))?,
        };
        let assignee = match self.assignee.as_deref() {
            None | Some("") => None,
            Some("me") => Some(Assignee::User(principal.user_id)),
            Some("unassigned") => Some(Assignee::Unassigned),
            Some(id) => Some(Assignee::User(parse_hyphenated(id).ok_or_else(|| {
                Problem::bad_request("assignee: expected me, unassigned or a user id")
            })?)),
        };
        let q = match self.q.as_deref() {
            Some(q) if q.chars().count() > SEARCH_MAX => {
                return Err(Problem::bad_request(format!(
                    "q: must be at most {SEARCH_MAX} characters"
                )));
            }
            Some(q) if q.chars().any(char::is_control) => {
                return Err(Problem::bad_request(
                    "q: must not contain control characters",
                ));
            }
            Some(q) => Some(q.trim()).filter(|q| !q.is_empty()).map(str::to_owned),
            None => None,
        };
        Ok(OrderFilter {
            statuses,
            assignee,
            q,
            only_assigned_to: (scope == Scope::Assigned).then_some(principal.user_id),
        })
    }
}

impl PageQuery {
    fn parse(&self) -> Result<(Option<Cursor>, i64), Problem> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(Problem::bad_request(format!(
                "limit: must be between 1 and {MAX_LIMIT}"
            )));
        }
        let cursor = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(text) => Some(
                Cursor::decode(text)
                    .ok_or_else(|| Problem::bad_request("cursor: not a cursor from this API"))?,
            ),
        };
        Ok((cursor, limit))
    }
}

/// List orders, newest first.
#[utoipa::path(
    get,
    path = "/v1/orders",
    tag = "orders",
    params(FilterQuery, PageQuery),
    responses(
        (status = 200, description = "One page of orders", body = OrderPage),
        (status = 400, description = "A malformed filter or a limit above 200", body = ProblemBody, content_type = "application/problem+json"),
        Problems<401, 403>,
    )
)]
pub async fn list_orders(
    State(state): State<AppState>,
    principal: Principal,
    Query(filter): Query<FilterQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<OrderPage>> {
    let scope = principal.require(Permission::OrdersRead)?;
    let filter = filter.parse(&principal, scope)?;
    let (cursor, limit) = page.parse()?;
    let (items, more) = repository::list(&state.db, &filter, cursor, limit).await?;
    let next_cursor = more
        .then(|| items.last().map(|row| Cursor::after(row).encode()))
        .flatten();
    Ok(Json(OrderPage { items, next_cursor }))
}

/// Count orders per status under the same filters as the list.
#[utoipa::path(
    get,
    path = "/v1/orders/stats",
    tag = "orders",
    params(FilterQuery),
    responses(
        (status = 200, description = "Counts per status", body = OrderStats),
        Problems<400, 401, 403>,
    )
)]
pub async fn order_stats(
    State(state): State<AppState>,
    principal: Principal,
    Query(filter): Query<FilterQuery>,
) -> ApiResult<Json<OrderStats>> {
    let scope = principal.require(Permission::OrdersRead)?;
    let filter = filter.parse(&principal, scope)?;
    Ok(Json(repository::stats(&state.db, &filter).await?.into()))
}
