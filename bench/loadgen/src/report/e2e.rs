//! §2, end to end: each order to every dashboard, with losses and duplicates.

use std::fmt::{self, Write as _};

use super::{
    Results,
    format::{ms, thousands},
};

pub fn write(md: &mut String, r: &Results) -> fmt::Result {
    writeln!(md, "## 2. End to end: order to every dashboard\n")?;
    writeln!(
        md,
        "Dashboards are Socket.IO clients (`bench/loadgen/src/sio.rs`, Engine.IO v4 over \
         WebSocket) signed in as the viewer through the gateway, receiving every order, while \
         orders are created through the gateway at a fixed open-model rate for {} s. \
         *send → socket* runs from the order's due time (stamped in the customer name) to each \
         socket's receipt of `order.created`; *commit → socket* from the event's `occurred_at` \
         (set inside the transaction just before the commit, wall clock). Every socket's `seq` is \
         checked against the published range: lost (not received within {} s after the last \
         publication) and duplicated must be 0. A socket the gateway evicts as too slow comes \
         back as a dashboard does, with `last_seq`, and is counted as resumed.\n",
        r.e2e.first().map_or(0.0, |s| s.intake.duration_s),
        crate::fleet::DRAIN_DEADLINE.as_secs()
    )?;
    writeln!(
        md,
        "| dashboards | orders/s | orders | deliveries expected | delivered | lost | duplicated | sockets resumed / dropped | POST p99 ms | send → socket p50 / p99 / p99.9 ms | commit → socket p50 / p99 / p99.9 ms |"
    )?;
    writeln!(md, "|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|")?;
    for s in &r.e2e {
        let d = &s.delivery;
        let c = d.from_occurred_at.clone().unwrap_or_default();
        writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} / {} | {} | {} / {} / {} | {} / {} / {} |",
            thousands(s.sockets as f64),
            thousands(s.rate),
            s.intake.created,
            thousands(d.expected_deliveries as f64),
            thousands(d.delivered as f64),
            d.lost,
            d.duplicated,
            d.reconnects,
            d.sockets_lost,
            ms(s.intake.latency.p99_ms),
            ms(d.latency.p50_ms),
            ms(d.latency.p99_ms),
            ms(d.latency.p999_ms),
            ms(c.p50_ms),
            ms(c.p99_ms),
            ms(c.p999_ms)
        )?;
    }
    writeln!(md)?;
    Ok(())
}
