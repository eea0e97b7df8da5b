//! Fan-out: one fleet of sockets on a hub (the gateway, or the Node baseline) while events
//! are published into Redis at rising open-model rates; each step reports deliveries/s,
//! latency from the intended publish time, losses and duplicates.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::{
    clock,
    fleet::{Delivery, Fleet},
    publish::Publisher,
};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FanoutStep {
    /// Events published per second (deliveries offered = rate × sockets).
    pub rate: f64,
    pub duration_s: f64,
    pub published: u64,
    pub publish_failures: u64,
    /// Deliveries received per second, from the first due time until the last receipt.
    pub deliveries_per_s: f64,
    pub delivery: Delivery,
}

impl FanoutStep {
    pub fn offered_per_s(&self) -> f64 {
        self.rate * self.delivery.sockets as f64
    }

    pub fn sustained(&self, p99_limit_ms: f64) -> bool {
        self.publish_failures == 0
            && self.delivery.lost == 0
            && self.delivery.duplicated == 0
            && self.delivery.out_of_order == 0
            && self.delivery.sockets_lost == 0
            && self.delivery.latency.p99_ms <= p99_limit_ms
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FanoutResult {
    pub target: String,
    pub sockets: usize,
    pub p99_limit_ms: f64,
    pub steps: Vec<FanoutStep>,
    /// Offered deliveries/s of the highest sustained step (0 if none).
    pub max_sustained_deliveries_per_s: f64,
}

/// Publishes `rate` events/s for `duration` and judges what the fleet received.
pub async fn run_step(
    fleet: &Fleet,
    publisher: &Publisher,
    rate: f64,
    duration: Duration,
) -> anyhow::Result<FanoutStep> {
    let count = (rate * duration.as_secs_f64()).round().max(1.0) as u64;
    let first = publisher.current_seq().await? + 1;
    let delivered_before = fleet.delivered();
    let failures_before = publisher
        .failures
        .load(std::sync::atomic::Ordering::Relaxed);
    let schedule = clock::Schedule::starting_in(rate, clock::FIRST_SEND_LEAD);
    let mut tasks = Vec::with_capacity(count as usize);
    for i in 0..count {
        let due_ns = schedule.wait_for(i).await;
        let publisher = publisher.clone();
        tasks.push(tokio::spawn(
            async move { publisher.publish(i, due_ns).await },
        ));
    }
    for task in tasks {
        let _ = task.await;
    }
    let last = publisher.current_seq().await?;
    let expected = (last + 1).saturating_sub(first) * fleet.len() as u64;
    fleet
        .wait_for(
            delivered_before + expected,
            Instant::now() + crate::fleet::DRAIN_DEADLINE,
        )
        .await;
    let elapsed = schedule.elapsed().as_secs_f64();
    // Anything still in flight after the wait counts as lost.
    let delivery = fleet.collect(first, last);
    let step = FanoutStep {
        rate,
        duration_s: duration.as_secs_f64(),
        published: (last + 1).saturating_sub(first),
        publish_failures: publisher
            .failures
            .load(std::sync::atomic::Ordering::Relaxed)
            - failures_before,
        deliveries_per_s: delivery.delivered as f64 / elapsed.max(1e-9),
        delivery,
    };
    tracing::info!(
        rate,
        sockets = step.delivery.sockets,
        delivered = step.delivery.delivered,
        lost = step.delivery.lost,
        duplicated = step.delivery.duplicated,
        out_of_order = step.delivery.out_of_order,
        p50_ms = step.delivery.latency.p50_ms,
        p99_ms = step.delivery.latency.p99_ms,
        deliveries_per_s = step.deliveries_per_s as u64,
        "fan-out step"
    );
    Ok(step)
}

/// Rising rates until two steps in a row are not sustained, or one loses events.
pub async fn ramp(
    target: &str,
    fleet: &Fleet,
    publisher: &Publisher,
    rates: &[f64],
    duration: Duration,
    p99_limit_ms: f64,
) -> anyhow::Result<FanoutResult> {
    let mut result = FanoutResult {
        target: target.to_owned(),
        sockets: fleet.len(),
        p99_limit_ms,
        ..FanoutResult::default()
    };
    let mut misses = 0;
    for &rate in rates {
        let step = run_step(fleet, publisher, rate, duration).await?;
        let sustained = step.sustained(p99_limit_ms);
        let lossy = step.delivery.lost + step.delivery.sockets_lost > 0;
        if sustained {
            result.max_sustained_deliveries_per_s = step.offered_per_s();
        }
        misses = if sustained { 0 } else { misses + 1 };
        result.steps.push(step);
        if misses == 2 || lossy {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok(result)
}
