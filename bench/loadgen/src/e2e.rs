//! End to end: a fleet of dashboards on the gateway while real orders are created through
//! it at fixed open-model rates; latency from each order's intended send time (and from its
//! event's `occurred_at`, set inside the transaction just before the commit) to each socket's
//! receipt, and every socket's `seq` checked for losses and duplicates.

use std::time::{Duration, Instant};

use anyhow::bail;
use serde::{Deserialize, Serialize};

use crate::{
    fleet::{Delivery, Fleet},
    intake::{self, Step},
    publish::Publisher,
};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct E2eStep {
    pub sockets: usize,
    pub rate: f64,
    pub intake: Step,
    pub delivery: Delivery,
}

/// Runs one rate on a connected fleet.
pub async fn run_step(
    fleet: &Fleet,
    target: &intake::Target,
    seq_reader: &Publisher,
    rate: f64,
    duration: Duration,
    first_index: u64,
) -> anyhow::Result<E2eStep> {
    let before = seq_reader.current_seq().await?;
    let delivered_before = fleet.delivered();
    let (step, _) = intake::run_step(target, rate, duration, 8_192, first_index).await;
    // Wait until the relay has published every created order.
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut after = seq_reader.current_seq().await?;
    while after < before + step.created && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
        after = seq_reader.current_seq().await?;
    }
    if after < before + step.created {
        bail!(
            "only {} of {} created orders were published within 15 s",
            after - before,
            step.created
        );
    }
    fleet
        .wait_for(
            delivered_before + (after - before) * fleet.len() as u64,
            Instant::now() + crate::fleet::DRAIN_DEADLINE,
        )
        .await;
    let delivery = fleet.collect(before + 1, after);
    tracing::info!(
        sockets = fleet.len(),
        rate,
        delivered = delivery.delivered,
        lost = delivery.lost,
        duplicated = delivery.duplicated,
        out_of_order = delivery.out_of_order,
        resumed = delivery.reconnects,
        dropped = delivery.sockets_lost,
        p50_ms = delivery.latency.p50_ms,
        p99_ms = delivery.latency.p99_ms,
        "end-to-end step"
    );
    Ok(E2eStep {
        sockets: fleet.len(),
        rate,
        intake: step,
        delivery,
    })
}
