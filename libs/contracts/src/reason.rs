//! Why an order was cancelled: a code from a short fixed list, and free text (required for
//! `other`). Part of the status history and of the `order.updated` event of the cancellation.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::UnknownValue;

/// The reasons staff pick from when they cancel an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CancelReasonCode {
    CustomerRequest,
    OutOfStock,
    PaymentFailed,
    Duplicate,
    SuspectedFraud,
    Other,
}

impl CancelReasonCode {
    pub const ALL: [Self; 6] = [
        Self::CustomerRequest,
        Self::OutOfStock,
        Self::PaymentFailed,
        Self::Duplicate,
        Self::SuspectedFraud,
        Self::Other,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CustomerRequest => "customer_request",
            Self::OutOfStock => "out_of_stock",
            Self::PaymentFailed => "payment_failed",
            Self::Duplicate => "duplicate",
            Self::SuspectedFraud => "suspected_fraud",
            Self::Other => "other",
        }
    }
}

impl FromStr for CancelReasonCode {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|code| code.as_str() == s)
            .ok_or_else(|| UnknownValue {
                expected: "customer_request, out_of_stock, payment_failed, duplicate, \
                           suspected_fraud, other",
                got: s.to_owned(),
            })
    }
}

/// Why an order was cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelReason {
    pub code: CancelReasonCode,
    /// Free text: required with `other`, optional detail otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_wire_name() {
        for code in CancelReasonCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(code.as_str().parse(), Ok(code));
        }
        assert!("bored".parse::<CancelReasonCode>().is_err());
    }
}
