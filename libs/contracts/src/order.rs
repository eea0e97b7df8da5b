//! The order as readers see it in lists and events: its status and priority vocabularies and
//! the list-row snapshot (with `version`, so a reader applies a snapshot only when it is newer).

use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A name that is not one of the known values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    pub expected: &'static str,
    pub got: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected one of {}, got {:?}", self.expected, self.got)
    }
}

impl std::error::Error for UnknownValue {}

/// Where an order is in its life. Which moves are legal is decided by orders-service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrderStatus {
    Pending,
    Confirmed,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        Self::Pending,
        Self::Confirmed,
        Self::Processing,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
    ];

    /// Delivered and cancelled orders are finished: nothing about them changes any more.
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Delivered | Self::Cancelled)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Confirmed => "CONFIRMED",
            Self::Processing => "PROCESSING",
            Self::Shipped => "SHIPPED",
            Self::Delivered => "DELIVERED",
            Self::Cancelled => "CANCELLED",
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderStatus {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownValue {
                expected: "PENDING, CONFIRMED, PROCESSING, SHIPPED, DELIVERED, CANCELLED",
                got: s.to_owned(),
            })
    }
}

/// How urgent an order is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    #[default]
    Normal,
    High,
}

impl Priority {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::High => "high",
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Priority {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "normal" => Ok(Self::Normal),
            "high" => Ok(Self::High),
            other => Err(UnknownValue {
                expected: "normal, high",
                got: other.to_owned(),
            }),
        }
    }
}

/// One order as a list shows it, and the snapshot every event carries.
/// Money is in integer minor units of `currency` (e.g. satang for THB).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct OrderRow {
    pub id: Uuid,
    /// Human-friendly unique number, e.g. `ORD-000123`.
    pub number: String,
    pub status: OrderStatus,
    pub priority: Priority,
    pub customer_name: String,
    pub customer_email: String,
    pub assignee_id: Option<Uuid>,
    /// Order total in minor units.
    #[cfg_attr(feature = "sqlx", sqlx(rename = "total_minor"))]
    pub total: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Lines (distinct items).
    pub item_count: i32,
    /// Units: the sum of the lines' quantities. Absent from events published before it existed.
    #[serde(default)]
    #[schema(required = true)]
    pub unit_count: i32,
    /// Bumped by every change; a reader keeps the snapshot with the highest version.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_through_its_name_and_json() {
        for status in OrderStatus::ALL {
            assert_eq!(status.as_str().parse::<OrderStatus>(), Ok(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }

    #[test]
    fn lowercase_status_names_are_not_statuses() {
        assert!("pending".parse::<OrderStatus>().is_err());
    }

    #[test]
    fn priorities_are_lowercase_on_the_wire() {
        assert_eq!(serde_json::to_string(&Priority::High).unwrap(), "\"high\"");
        assert_eq!("normal".parse::<Priority>(), Ok(Priority::Normal));
        assert!("urgent".parse::<Priority>().is_err());
    }
}
