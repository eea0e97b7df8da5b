//! `GET /v1/orders/metrics`: the floor's KPIs for the dashboard's KPI page, scoped like the
//! board (an agent counts only the orders assigned to it).

use axum::extract::State;
use chrono::FixedOffset;
use lom_auth::{Permission, Principal, Scope};
use lom_platform::{Json, Problem, Query, openapi::Problems, problem::ProblemBody};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    error::ApiResult,
    repository::metrics::{self, MetricsScope},
    state::AppState,
    views::OrderMetrics,
};

/// The offsets in use on Earth: UTC−12:00 to UTC+14:00, in minutes. Keep in step with the
/// parameter's documented bounds.
const OFFSETS: std::ops::RangeInclusive<i32> = -720..=840;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MetricsQuery {
    /// Where "today" starts: the caller's offset from UTC in minutes east (`420` in Bangkok;
    /// a browser's is `-new Date().getTimezoneOffset()`); default 0.
    #[param(minimum = -720, maximum = 840, example = 420)]
    utc_offset: Option<i32>,
}

impl MetricsQuery {
    fn utc_offset(&self) -> Result<FixedOffset, Problem> {
        let minutes = self.utc_offset.unwrap_or(0);
        OFFSETS
            .contains(&minutes)
            .then(|| FixedOffset::east_opt(minutes * 60))
            .flatten()
            .ok_or_else(|| Problem::bad_request("utc_offset: must be minutes between -720 and 840"))
    }
}

/// The KPIs: orders per minute over the last 60 minutes, orders by status, time from PENDING to
/// CONFIRMED and to SHIPPED for orders that got there today (median, p90), open orders by age
/// (with how many are overdue) and per assignee, all from one snapshot. For everyone who reads orders; an agent's figures
/// count its own orders only.
#[utoipa::path(
    get,
    path = "/v1/orders/metrics",
    tag = "orders",
    params(MetricsQuery),
    responses(
        (status = 200, description = "The KPIs", body = OrderMetrics),
        (status = 400, description = "`utc_offset` is not a whole number of minutes from -720 to 840", body = ProblemBody, content_type = "application/problem+json"),
        Problems<401, 403>,
    )
)]
pub async fn order_metrics(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<MetricsQuery>,
) -> ApiResult<Json<OrderMetrics>> {
    let scope = match principal.require(Permission::OrdersRead)? {
        Scope::All => MetricsScope::Everyone,
        Scope::Assigned => MetricsScope::AssignedTo(principal.user_id),
    };
    let utc_offset = query.utc_offset()?;
    let mut tx = state.db.begin().await?;
    let clock = metrics::snapshot(&mut tx, utc_offset).await?;
    let overdue_after = state.settings.overdue_after;
    let rows = metrics::read(&mut tx, clock, scope, overdue_after).await?;
    tx.rollback().await?;
    Ok(Json(OrderMetrics::new(
        rows,
        utc_offset,
        scope == MetricsScope::Everyone,
        overdue_after,
    )))
}
