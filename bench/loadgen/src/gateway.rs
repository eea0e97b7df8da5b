//! The gateway's REST side as the benchmarks use it: one pooled keep-alive HTTP client,
//! sign-in, and the body of a bench order (its customer name carries the intended send time).

use std::time::Duration;

use anyhow::{Context, bail};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::fleet::STAMP_PREFIX;

pub fn http_client() -> anyhow::Result<Client> {
    Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(10))
        .pool_idle_timeout(Duration::from_secs(60))
        .build()
        .context("building the HTTP client")
}

/// Signs in through the gateway and returns the access token.
pub async fn sign_in(
    http: &Client,
    gateway: &str,
    email: &str,
    password: &str,
) -> anyhow::Result<String> {
    let response = http
        .post(format!("{gateway}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .with_context(|| format!("reaching the gateway at {gateway}"))?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or_default();
    if status != StatusCode::OK {
        bail!("signing in as {email} failed: {status} {body}");
    }
    body["access_token"]
        .as_str()
        .map(str::to_owned)
        .context("the login answer has no access_token")
}

const SKUS: [(&str, &str, i64); 5] = [
    ("BENCH-TEA-01", "Jasmine tea 100 g", 12_900),
    ("BENCH-MUG-02", "Celadon mug", 45_000),
    ("BENCH-BAG-03", "Woven market bag", 32_500),
    ("BENCH-SOAP-04", "Lemongrass soap", 8_900),
    ("BENCH-MAT-05", "Rattan placemat", 19_900),
];

/// Bench customers are drawn from this many addresses (the upsert of a returning customer
/// is part of the shape; collisions on one row stay rare).
const CUSTOMERS: u64 = 50_000;

/// The `i`-th bench order, stamped with `stamp_ns` (intended send time).
pub fn order_body(i: u64, stamp_ns: u64) -> Value {
    let mix = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    let item_count = 1 + (mix % 3) as usize;
    let items: Vec<Value> = (0..item_count)
        .map(|k| {
            let (sku, name, price) = SKUS[(mix as usize + k) % SKUS.len()];
            json!({ "sku": sku, "name": name, "quantity": 1 + (k as u64 + mix) % 3, "unit_price": price })
        })
        .collect();
    json!({
        "customer": {
            "name": format!("{STAMP_PREFIX}{stamp_ns}"),
            "email": format!("bench-{}@example.com", mix % CUSTOMERS),
        },
        "shipping_address": {
            "line1": format!("{} Sukhumvit Road", 1 + mix % 999),
            "city": "Bangkok",
            "postal_code": "10110",
            "country": "TH",
        },
        "items": items,
        "priority": if mix.is_multiple_of(5) { "high" } else { "normal" },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bench_order_carries_its_stamp_and_valid_items() {
        let body = order_body(7, 123);
        assert_eq!(body["customer"]["name"], "bench 123");
        let items = body["items"].as_array().unwrap();
        assert!((1..=3).contains(&items.len()));
        assert!(items.iter().all(|i| i["quantity"].as_u64().unwrap() >= 1));
    }
}
