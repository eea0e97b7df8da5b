//! The query parameters of order lists, in one place for every route that lists orders (the
//! list, the stats, an export): the filters, the sort and the page, each parsed into what the
//! repository takes, every malformed value a 400 naming the parameter.

use chrono::{DateTime, Utc};
use lom_auth::{Principal, Scope};
use lom_contracts::{OrderStatus, Priority};
use lom_platform::Problem;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::schemas::{self, SEARCH_MAX};
use crate::{
    domain::{OverdueAfter, parse_hyphenated},
    repository::{Assignee, Cursor, OrderFilter, Sort},
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
    /// Comma-separated priorities, e.g. `high`.
    #[param(value_type = Option<Vec<Priority>>, style = Form, explode = false)]
    priority: Option<String>,
    /// Created at or after this time (RFC 3339, e.g. `2026-12-01T00:00:00Z`).
    #[param(value_type = Option<String>, format = DateTime)]
    created_from: Option<String>,
    /// Created before this time (RFC 3339). A range that ends before it starts is empty.
    #[param(value_type = Option<String>, format = DateTime)]
    created_to: Option<String>,
    /// `true`: only overdue orders, PENDING or CONFIRMED for longer than their priority's
    /// threshold (`overdue_after_minutes` in the stats).
    overdue: Option<bool>,
}

/// How a list is ordered.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortParam {
    /// Newest first.
    #[default]
    Newest,
    /// Oldest first (first in, first out).
    Oldest,
    /// High priority first, then the oldest first.
    Priority,
    /// Due first: open orders (PENDING, CONFIRMED) by when they become overdue (`created_at`
    /// plus their priority's threshold), the most overdue first; then the others, oldest first.
    Due,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SortQuery {
    /// `newest` (default), `oldest`, `priority` or `due`.
    #[param(inline)]
    sort: Option<SortParam>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `next_cursor` of the previous page, sent with the same sort and filters.
    #[param(schema_with = schemas::cursor)]
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

fn comma_list<T: std::str::FromStr>(name: &str, value: Option<&str>) -> Result<Vec<T>, Problem>
where
    T::Err: std::fmt::Display,
{
    match value {
        None | Some("") => Ok(Vec::new()),
        Some(list) => list
            .split(',')
            .map(|item| item.trim().parse::<T>())
            .collect::<Result<_, _>>()
            .map_err(|e| Problem::bad_request(format!("{name}: {e}"))),
    }
}

fn time(name: &str, value: Option<&str>) -> Result<Option<DateTime<Utc>>, Problem> {
    value
        .map(|text| {
            DateTime::parse_from_rfc3339(text)
                .map(|at| at.with_timezone(&Utc))
                .map_err(|_| {
                    Problem::bad_request(format!(
                        "{name}: expected an RFC 3339 time such as 2026-12-01T00:00:00Z"
                    ))
                })
        })
        .transpose()
}

impl FilterQuery {
    /// The filter for `principal` (agents only ever see their own orders); `overdue_after`
    /// says when an order is overdue.
    pub fn parse(
        &self,
        principal: &Principal,
        scope: Scope,
        overdue_after: OverdueAfter,
    ) -> Result<OrderFilter, Problem> {
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
            statuses: comma_list("status", self.status.as_deref())?,
            assignee,
            q,
            only_assigned_to: (scope == Scope::Assigned).then_some(principal.user_id),
            priorities: comma_list("priority", self.priority.as_deref())?,
            created_from: time("created_from", self.created_from.as_deref())?,
            created_to: time("created_to", self.created_to.as_deref())?,
            overdue: (self.overdue == Some(true)).then_some(overdue_after),
        })
    }
}

impl SortQuery {
    /// The sort; `overdue_after` says when an order is due.
    pub fn sort(&self, overdue_after: OverdueAfter) -> Sort {
        match self.sort.unwrap_or_default() {
            SortParam::Newest => Sort::Newest,
            SortParam::Oldest => Sort::Oldest,
            SortParam::Priority => Sort::Priority,
            SortParam::Due => Sort::Due(overdue_after),
        }
    }
}

impl PageQuery {
    pub fn parse(&self) -> Result<(Option<Cursor>, i64), Problem> {
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
