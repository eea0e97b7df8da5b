//! `GET /v1/orders/export`: the orders of a view (the list's filters) as a CSV download, for
//! callers holding `orders:export` as well as `orders:read` (agents' scope still applies).
//! Counted first, in the same snapshot the rows are then read from: a view of more than the cap
//! (`ORDERS_EXPORT_MAX_ROWS`, default 100 000) is refused with 422 `export-too-large` before any
//! byte is sent. The export is recorded in `order_audit`, then streamed: rows go out in chunks
//! as PostgreSQL sends them, so memory stays flat whatever the row count, and a client that
//! stops reading holds the query back instead of filling memory.

mod table;

use std::{collections::HashMap, io};

use axum::{
    body::{Body, Bytes},
    extract::{RawQuery, State},
    http::header,
    response::{IntoResponse, Response},
};
use lom_auth::{Permission, Principal};
use lom_contracts::OrderRow;
use lom_platform::{Query, http_stack::RequestId, openapi::Problems, problem::ProblemBody};
use serde_json::json;
use sqlx::{Postgres, Transaction};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::query::{FilterQuery, SortQuery};
use crate::{
    error::{ApiResult, export_too_large},
    repository::{self, AuditAction, AuditEntry, OrderFilter, Sort, export},
    state::AppState,
    users::Forwarded,
};

/// Records per chunk sent (about 20 kB); as many rows wait read ahead of the client.
const ROWS_PER_CHUNK: usize = 128;

/// Download the orders of a view as CSV.
///
/// The view is the list's: the same filters and sort (newest first unless `sort` says
/// otherwise), within the caller's scope. The file is UTF-8 with a byte-order mark, comma-separated with
/// a header line; its columns, in order: `number`, `created_at` (RFC 3339, UTC), `status`,
/// `priority`, `customer_name`, `customer_email`, `items` (lines), `units` (the sum of the
/// quantities), `total_minor` (the total in minor units of `currency`, e.g. satang),
/// `currency`, `assignee_id` (empty when unassigned), `assignee_name`, `updated_at`. A text
/// cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so
/// a spreadsheet shows it as text. A view of more orders than the cap (100 000 unless
/// configured) is refused with 422 `export-too-large` before any byte is sent: narrow the
/// filters. Every export is recorded in the audit log (who, which filters, how many rows).
#[utoipa::path(
    get,
    path = "/v1/orders/export",
    tag = "orders",
    params(FilterQuery, SortQuery),
    responses(
        (status = 200, description = "The CSV file, streamed", content_type = "text/csv", body = String,
         headers(("content-disposition" = String, description = "attachment; filename=\"orders-<UTC time>.csv\""))),
        (status = 400, description = "A malformed filter", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`export-too-large`: the view holds more orders than the cap; `max_rows` says how many fit", body = ProblemBody, content_type = "application/problem+json"),
        Problems<401, 403>,
    )
)]
pub async fn export_orders(
    State(state): State<AppState>,
    principal: Principal,
    forwarded: Forwarded,
    RequestId(request_id): RequestId,
    RawQuery(raw_query): RawQuery,
    Query(filter): Query<FilterQuery>,
    Query(sort): Query<SortQuery>,
) -> ApiResult<Response> {
    let scope = principal.require(Permission::OrdersRead)?;
    principal.require(Permission::OrdersExport)?;
    let filter = filter.parse(&principal, scope, state.settings.overdue_after)?;
    let sort = sort.sort(state.settings.overdue_after);
    let names = state.users.names(&forwarded).await?;
    let cap = state.settings.export_max_rows;
    let mut snapshot = export::snapshot(&state.db).await?;
    let rows = export::count_up_to(&mut snapshot, &filter, cap + 1).await?;
    if rows > cap {
        return Err(export_too_large(cap).into());
    }
    repository::record_audit(
        &state.db,
        AuditEntry {
            actor: principal.user_id,
            action: AuditAction::Exported,
            order: None,
            details: json!({ "query": raw_query.unwrap_or_default(), "rows": rows }),
            request_id: request_id.as_deref(),
        },
    )
    .await?;
    let filename = format!(
        "attachment; filename=\"orders-{}.csv\"",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, filename),
        ],
        stream_csv(snapshot, filter, sort, names),
    )
        .into_response())
}

/// The body: a task reads the rows in `snapshot` and hands them over through a short queue;
/// the body turns them into CSV chunks as the client asks for more, so rows are read only as
/// fast as the client takes them. A failure half-way ends the body with an error (the client
/// sees a broken download, never a file that looks complete).
fn stream_csv(
    mut snapshot: Transaction<'static, Postgres>,
    filter: OrderFilter,
    sort: Sort,
    names: HashMap<Uuid, String>,
) -> Body {
    let (sender, receiver) = mpsc::channel(ROWS_PER_CHUNK);
    tokio::spawn(async move { export::send_rows(&mut snapshot, &filter, sort, &sender).await });
    let body = Csv {
        receiver,
        names,
        head_sent: false,
        ended: false,
    };
    Body::from_stream(futures_util::stream::unfold(body, Csv::next_chunk))
}

/// The body's state: rows still to come, and how far the file is written.
struct Csv {
    receiver: mpsc::Receiver<sqlx::Result<OrderRow>>,
    names: HashMap<Uuid, String>,
    head_sent: bool,
    ended: bool,
}

impl Csv {
    /// The next piece of the file: the head first, then up to [`ROWS_PER_CHUNK`] records.
    async fn next_chunk(mut self) -> Option<(io::Result<Bytes>, Self)> {
        if self.ended {
            return None;
        }
        if !self.head_sent {
            self.head_sent = true;
            return Some((table::head().map(Bytes::from), self));
        }
        let mut chunk = table::Chunk::new();
        while chunk.rows() < ROWS_PER_CHUNK {
            let pushed = match self.receiver.recv().await {
                None => break,
                Some(Ok(order)) => chunk.push(&order, &self.names),
                Some(Err(err)) => {
                    tracing::error!(error = %err, "export failed half-way");
                    Err(io::Error::other("export failed"))
                }
            };
            if let Err(err) = pushed {
                self.ended = true;
                return Some((Err(err), self));
            }
        }
        if chunk.rows() == 0 {
            return None;
        }
        Some((chunk.into_bytes().map(Bytes::from), self))
    }
}
