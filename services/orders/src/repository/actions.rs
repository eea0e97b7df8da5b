//! The order actions of the audit log (who did what to which order, when), read from the records
//! orders-service already keeps: each history table (status changes with creation, cancellation
//! and undo, assignments, priority and note changes, internal notes) and `order_audit` (a
//! deletion, an export). One keyset scan per table, newest first from its time index (or its
//! actor-then-time index), merged by time: a page reads at most a page from each table.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use sqlx::{PgPool, Postgres, QueryBuilder};
use utoipa::ToSchema;
use uuid::Uuid;

/// What an order action was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum OrderAction {
    /// A storefront placed the order.
    #[serde(rename = "order.created")]
    Created,
    /// The status moved along the status machine (`from`, `to`), other than a cancellation.
    #[serde(rename = "order.status_changed")]
    StatusChanged,
    /// The order was cancelled (`from`, and `reason_code`, `reason_text` when given).
    #[serde(rename = "order.cancelled")]
    Cancelled,
    /// A change was undone: `field` (`status` or `assignee`) went back `from` → `to`.
    #[serde(rename = "order.undone")]
    Undone,
    /// Assigned (`from` the previous assignee or null, `to`).
    #[serde(rename = "order.assigned")]
    Assigned,
    /// Unassigned (`from` the previous assignee).
    #[serde(rename = "order.unassigned")]
    Unassigned,
    #[serde(rename = "order.priority_changed")]
    PriorityChanged,
    /// The order's own note was set, changed or cleared (`from`, `to`).
    #[serde(rename = "order.note_changed")]
    NoteChanged,
    /// An internal note was written (`note_id`, `text`).
    #[serde(rename = "order.note_added")]
    NoteAdded,
    #[serde(rename = "order.deleted")]
    Deleted,
    /// Orders were downloaded as CSV (`filters`, `rows`); no single order.
    #[serde(rename = "orders.exported")]
    Exported,
}

/// A table the actions are read from; `rank` orders its rows among others at the same instant
/// (the status change last, as the headline of one change) and names it in a cursor.
struct Source {
    rank: i16,
    table: &'static str,
    at: &'static str,
    actor: &'static str,
    /// `action, order_id, details`, in that order.
    columns: &'static str,
}

const FIELD_CHANGES: Source = Source {
    rank: 1,
    table: "order_field_changes",
    at: "changed_at",
    actor: "actor_id",
    columns: "'order.' || field || '_changed', order_id, \
              jsonb_build_object('from', from_value, 'to', to_value)",
};

const ASSIGNMENTS: Source = Source {
    rank: 2,
    table: "order_assignments",
    at: "assigned_at",
    actor: "actor_id",
    columns: "CASE WHEN undo THEN 'order.undone' WHEN assignee_id IS NULL THEN 'order.unassigned' \
              ELSE 'order.assigned' END, order_id, \
              jsonb_build_object('from', previous_assignee_id, 'to', assignee_id) \
              || CASE WHEN undo THEN '{\"field\": \"assignee\"}'::jsonb ELSE '{}' END",
};

const STATUS_CHANGES: Source = Source {
    rank: 3,
    table: "order_status_history",
    at: "changed_at",
    actor: "actor_id",
    columns: "CASE WHEN undo THEN 'order.undone' WHEN from_status IS NULL THEN 'order.created' \
              WHEN to_status = 'CANCELLED' THEN 'order.cancelled' \
              ELSE 'order.status_changed' END, order_id, \
              jsonb_strip_nulls(jsonb_build_object('from', from_status, 'to', to_status, \
                  'reason_code', reason_code, 'reason_text', reason_text)) \
              || CASE WHEN undo THEN '{\"field\": \"status\"}'::jsonb ELSE '{}' END",
};

const NOTES: Source = Source {
    rank: 4,
    table: "order_notes",
    at: "created_at",
    actor: "author_id",
    columns: "'order.note_added', order_id, jsonb_build_object('note_id', id, 'text', body)",
};

const AUDIT: Source = Source {
    rank: 5,
    table: "order_audit",
    at: "at",
    actor: "actor_id",
    columns: "action, order_id, details",
};

const SOURCES: [Source; 5] = [FIELD_CHANGES, ASSIGNMENTS, STATUS_CHANGES, NOTES, AUDIT];

impl OrderAction {
    /// The table holding this action, and which of its rows are this action.
    fn source(self) -> (Source, &'static str) {
        match self {
            Self::Created => (STATUS_CHANGES, "NOT undo AND from_status IS NULL"),
            Self::StatusChanged => (
                STATUS_CHANGES,
                "NOT undo AND from_status IS NOT NULL AND to_status <> 'CANCELLED'",
            ),
            Self::Cancelled => (STATUS_CHANGES, "NOT undo AND to_status = 'CANCELLED'"),
            Self::Undone => (STATUS_CHANGES, "undo"),
            Self::Assigned => (ASSIGNMENTS, "NOT undo AND assignee_id IS NOT NULL"),
            Self::Unassigned => (ASSIGNMENTS, "NOT undo AND assignee_id IS NULL"),
            Self::PriorityChanged => (FIELD_CHANGES, "field = 'priority'"),
            Self::NoteChanged => (FIELD_CHANGES, "field = 'note'"),
            Self::NoteAdded => (NOTES, "true"),
            Self::Deleted => (AUDIT, "action = 'order.deleted'"),
            Self::Exported => (AUDIT, "action = 'orders.exported'"),
        }
    }

    /// The tables to read for this action (an undo is a status change or an assignment).
    fn sources(self) -> Vec<(Source, &'static str)> {
        match self {
            Self::Undone => vec![(ASSIGNMENTS, "undo"), self.source()],
            _ => vec![self.source()],
        }
    }
}

/// Where a page ends: the last action's time, table and id within the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionCursor {
    pub at: DateTime<Utc>,
    pub source: i16,
    pub id: i64,
}

impl ActionCursor {
    pub fn after(row: &ActionRow) -> Self {
        Self {
            at: row.at,
            source: row.source,
            id: row.id,
        }
    }

    /// `<microseconds since the epoch>_<table rank 1–5>_<id>`.
    pub fn encode(&self) -> String {
        format!("{}_{}_{}", self.at.timestamp_micros(), self.source, self.id)
    }

    pub fn decode(text: &str) -> Option<Self> {
        let mut parts = text.split('_');
        let (micros, source, id) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |s: &str, max: usize| {
            (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        // Up to 17 digits: at most year 5138, inside PostgreSQL's timestamp range.
        if parts.next().is_some() || !digits(micros, 17) || !digits(id, 18) {
            return None;
        }
        let source = source.parse().ok().filter(|s| (1..=5).contains(s))?;
        Some(Self {
            at: DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            source,
            id: id.parse().ok().filter(|id| *id > 0)?,
        })
    }
}

/// Which actions to read: all conditions hold; `after` is where the previous page ended.
#[derive(Debug, Default)]
pub struct ActionFilter {
    pub actor: Option<Uuid>,
    pub action: Option<OrderAction>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub after: Option<ActionCursor>,
}

/// One action as read, with its order's number.
#[derive(Debug, sqlx::FromRow)]
pub struct ActionRow {
    pub source: i16,
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Uuid,
    pub action: String,
    pub order_id: Option<Uuid>,
    pub order_number: Option<String>,
    pub details: Value,
}

/// Up to `limit` actions matching `filter`, newest first.
pub async fn list_actions(
    db: &PgPool,
    filter: &ActionFilter,
    limit: i64,
) -> sqlx::Result<Vec<ActionRow>> {
    let sources = match filter.action {
        Some(action) => action.sources(),
        None => SOURCES.into_iter().map(|s| (s, "true")).collect(),
    };
    let mut query = QueryBuilder::<Postgres>::new(
        "SELECT a.source, a.id, a.at, a.actor_id, a.action, a.order_id, \
                o.number AS order_number, a.details FROM (",
    );
    for (n, (source, rows)) in sources.iter().enumerate() {
        if n > 0 {
            query.push(" UNION ALL ");
        }
        push_scan(&mut query, source, rows, filter, limit);
    }
    query.push(
        ") a (source, id, at, actor_id, action, order_id, details) \
         LEFT JOIN orders o ON o.id = a.order_id ORDER BY a.at DESC, a.source DESC, a.id DESC LIMIT ",
    );
    query.push_bind(limit);
    query.build_query_as().fetch_all(db).await
}

/// The newest `limit` rows of one table that match: a backward scan of its time index (or of
/// its actor index), bounded by the cursor and the time range.
fn push_scan(
    query: &mut QueryBuilder<Postgres>,
    source: &Source,
    rows: &str,
    filter: &ActionFilter,
    limit: i64,
) {
    let Source {
        rank,
        table,
        at,
        actor,
        columns,
    } = source;
    query.push(format_args!(
        "(SELECT {rank}::smallint AS source, id, {at} AS at, {actor} AS actor_id, {columns} \
         FROM {table} WHERE {rows}"
    ));
    if let Some(actor_id) = filter.actor {
        query
            .push(format_args!(" AND {actor} = "))
            .push_bind(actor_id);
    }
    if let Some(from) = filter.from {
        query.push(format_args!(" AND {at} >= ")).push_bind(from);
    }
    if let Some(to) = filter.to {
        query.push(format_args!(" AND {at} < ")).push_bind(to);
    }
    if let Some(cursor) = filter.after {
        // Newer tables' rows at the cursor's instant came before it, older tables' after it.
        match rank.cmp(&cursor.source) {
            std::cmp::Ordering::Less => query
                .push(format_args!(" AND {at} <= "))
                .push_bind(cursor.at),
            std::cmp::Ordering::Greater => query
                .push(format_args!(" AND {at} < "))
                .push_bind(cursor.at),
            std::cmp::Ordering::Equal => query
                .push(format_args!(" AND ({at}, id) < ("))
                .push_bind(cursor.at)
                .push(", ")
                .push_bind(cursor.id)
                .push(")"),
        };
    }
    query
        .push(format_args!(" ORDER BY {at} DESC, id DESC LIMIT "))
        .push_bind(limit)
        .push(")");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips() {
        let cursor = ActionCursor {
            at: DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap(),
            source: 3,
            id: 42,
        };
        assert_eq!(cursor.encode(), "1764000000123456_3_42");
        assert_eq!(ActionCursor::decode(&cursor.encode()), Some(cursor));
    }

    #[test]
    fn garbage_is_not_a_cursor() {
        for bad in [
            "",
            "1764000000123456",
            "1764000000123456_3",
            "1764000000123456_0_42",
            "1764000000123456_6_42",
            "1764000000123456_3_0",
            "1764000000123456_3_42_1",
            "+1764000000123456_3_42",
            "-1_3_42",
            "123456789012345678_3_42",
            "1764000000123456_3_1234567890123456789",
            "1764000000123456_3_x",
        ] {
            assert_eq!(ActionCursor::decode(bad), None, "{bad}");
        }
    }
}
