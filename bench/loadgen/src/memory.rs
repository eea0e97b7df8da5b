//! Resident memory: a process's `VmRSS` from `/proc/<pid>/status`, and the memory a hub
//! spends per idle socket (its growth while fleets connect, divided by the sockets).

use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::fleet::{Fleet, FleetOptions};

/// `VmRSS` of `pid`, in KiB.
pub fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS line")
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SocketPoint {
    pub sockets: usize,
    pub rss_kib: u64,
    pub per_socket_bytes: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SocketMemory {
    pub target: String,
    pub baseline_kib: u64,
    pub points: Vec<SocketPoint>,
}

/// Connects idle sockets up to each of `counts` (cumulatively) and measures `pid`'s growth.
pub async fn per_socket(
    target: &str,
    options: &FleetOptions,
    pid: u32,
    counts: &[usize],
    settle: Duration,
) -> anyhow::Result<SocketMemory> {
    tokio::time::sleep(settle).await;
    let baseline_kib = rss_kib(pid)?;
    let mut result = SocketMemory {
        target: target.to_owned(),
        baseline_kib,
        points: Vec::new(),
    };
    let mut fleets = Vec::new();
    let mut connected = 0;
    for &count in counts {
        let more = count.saturating_sub(connected);
        let fleet = Fleet::connect(&FleetOptions {
            sockets: more,
            ..options.clone()
        })
        .await?;
        connected += fleet.len();
        fleets.push(fleet);
        tokio::time::sleep(settle).await;
        let rss = rss_kib(pid)?;
        let point = SocketPoint {
            sockets: connected,
            rss_kib: rss,
            per_socket_bytes: rss.saturating_sub(baseline_kib) as f64 * 1024.0 / connected as f64,
        };
        tracing::info!(
            target,
            sockets = connected,
            rss_kib = rss,
            per_socket_bytes = point.per_socket_bytes as u64,
            "memory per idle socket"
        );
        result.points.push(point);
    }
    let lost: u64 = fleets.iter().map(Fleet::sockets_lost).sum();
    for fleet in fleets {
        fleet.close().await;
    }
    anyhow::ensure!(lost == 0, "{lost} idle sockets were disconnected");
    Ok(result)
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ServiceRss {
    pub service: String,
    pub label: String,
    pub rss_kib: u64,
}
