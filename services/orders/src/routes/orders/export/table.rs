//! The CSV file of an export: UTF-8 with a byte-order mark (so spreadsheet programs read Thai
//! names right), one header line naming [`COLUMNS`], then one record per order, written in
//! chunks. A text cell that a spreadsheet would take for a formula (starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return) is prefixed with `'`, so it shows as text.

use std::{collections::HashMap, io};

use chrono::{DateTime, SecondsFormat, Utc};
use lom_contracts::OrderRow;
use uuid::Uuid;

pub const BOM: &str = "\u{FEFF}";

/// The columns, in order (documented with the route and in the README).
pub const COLUMNS: [&str; 13] = [
    "number",
    "created_at",
    "status",
    "priority",
    "customer_name",
    "customer_email",
    "items",
    "units",
    "total_minor",
    "currency",
    "assignee_id",
    "assignee_name",
    "updated_at",
];

/// The byte-order mark and the header line.
pub fn head() -> io::Result<Vec<u8>> {
    let mut bytes = BOM.as_bytes().to_vec();
    let mut writer = csv::Writer::from_writer(&mut bytes);
    writer.write_record(COLUMNS)?;
    writer.flush()?;
    drop(writer);
    Ok(bytes)
}

/// A run of records, turned into bytes when full.
pub struct Chunk {
    writer: csv::Writer<Vec<u8>>,
    rows: usize,
}

impl Chunk {
    pub fn new() -> Self {
        Self {
            writer: csv::Writer::from_writer(Vec::new()),
            rows: 0,
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Adds `order`, its assignee named from `names`.
    pub fn push(&mut self, order: &OrderRow, names: &HashMap<Uuid, String>) -> io::Result<()> {
        let assignee_name = order
            .assignee_id
            .and_then(|id| names.get(&id))
            .map_or("", String::as_str);
        self.writer.write_record([
            text(&order.number),
            time(order.created_at),
            order.status.as_str().to_owned(),
            order.priority.as_str().to_owned(),
            text(&order.customer_name),
            text(&order.customer_email),
            order.item_count.to_string(),
            order.unit_count.to_string(),
            order.total.to_string(),
            text(&order.currency),
            order
                .assignee_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            text(assignee_name),
            time(order.updated_at),
        ])?;
        self.rows += 1;
        Ok(())
    }

    pub fn into_bytes(self) -> io::Result<Vec<u8>> {
        self.writer
            .into_inner()
            .map_err(|err| io::Error::other(err.to_string()))
    }
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `value`, made inert for spreadsheets when it would start a formula.
fn text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_made_text_and_the_rest_is_kept() {
        for (given, shown) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+66 81", "'+66 81"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("สมชาย = ใจดี", "สมชาย = ใจดี"),
            ("a@b.example", "a@b.example"),
        ] {
            assert_eq!(text(given), shown);
        }
    }

    #[test]
    fn the_head_is_a_bom_and_the_column_names() {
        let head = String::from_utf8(head().unwrap()).unwrap();
        assert_eq!(head, format!("{BOM}{}\n", COLUMNS.join(",")));
    }
}
