//! Request bodies the test suites share: a valid order as a storefront sends it.

use serde_json::{Value, json};

/// A valid `POST /orders` body, distinct per `n`: two items (2 × 19.99 and 1 × 3.50), a
/// customer with a phone number, a Bangkok address.
pub fn order_body(n: usize) -> Value {
    json!({
        "customer": {"name": format!("Customer {n}"), "email": format!("customer{n}@example.com"), "phone": "+66 2 123 4567"},
        "shipping_address": {"line1": format!("{n} Sukhumvit Road"), "city": "Bangkok", "postal_code": "10110", "country": "TH"},
        "items": [
            {"sku": "MUG-1", "name": "Mug", "quantity": 2, "unit_price": 1999},
            {"sku": "TEA-9", "name": "Tea", "quantity": 1, "unit_price": 350}
        ]
    })
}
