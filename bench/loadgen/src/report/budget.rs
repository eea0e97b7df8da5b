//! SPEC §11 line by line: each budget, what was measured and the verdict.

use std::fmt::{self, Write as _};

use super::{
    Results,
    format::{ms, thousands, verdict},
};

pub fn write(md: &mut String, r: &Results) -> fmt::Result {
    let best_pg = r.best_pgbench_tps();
    let intake_max = r.intake.max_sustained_per_s;
    let at_1000 = r
        .intake
        .steps
        .iter()
        .find(|s| (s.rate - 1000.0).abs() < 0.5);
    let e2e_1000 = r
        .e2e
        .iter()
        .find(|s| s.sockets == 1000 && (s.rate - 1000.0).abs() < 0.5);
    let (gateway_fanout, node_fanout) = (&r.fanout[0], &r.fanout[1]);
    writeln!(md, "## SPEC §11, line by line\n")?;
    writeln!(md, "| budget | measured | verdict |")?;
    writeln!(md, "|---|---|---|")?;
    writeln!(
        md,
        "| intake ≥ 5 000 orders/s sustained | {} orders/s (highest step with p99 ≤ {} ms and no error); database ceiling {} tx/s | {} |",
        thousands(intake_max),
        r.intake.p99_limit_ms,
        thousands(best_pg),
        verdict(intake_max >= 5000.0)
    )?;
    match at_1000 {
        Some(s) => writeln!(
            md,
            "| intake p99 < 20 ms at 1 000 orders/s | p99 {} ms ({} errors) | {} |",
            ms(s.latency.p99_ms),
            s.errors,
            verdict(s.latency.p99_ms < 20.0 && s.errors == 0)
        )?,
        None => writeln!(
            md,
            "| intake p99 < 20 ms at 1 000 orders/s | the ramp stopped before 1 000/s | **not met** |"
        )?,
    }
    match e2e_1000 {
        Some(s) => {
            let commit = s.delivery.from_occurred_at.clone().unwrap_or_default();
            let complete = s.delivery.lost + s.delivery.duplicated == 0;
            writeln!(
                md,
                "| commit → dashboard p50 < 2 ms at 1 000 orders/s, 1 000 dashboards | p50 {} ms (from `occurred_at`, just before the commit) | {} |",
                ms(commit.p50_ms),
                verdict(commit.p50_ms < 2.0 && complete)
            )?;
            writeln!(
                md,
                "| commit → dashboard p99 < 10 ms, same load | p99 {} ms; {} lost, {} duplicated of {} deliveries | {} |",
                ms(commit.p99_ms),
                s.delivery.lost,
                s.delivery.duplicated,
                thousands(s.delivery.expected_deliveries as f64),
                verdict(commit.p99_ms < 10.0 && complete)
            )?;
        }
        None => writeln!(
            md,
            "| commit → dashboard at 1 000 orders/s, 1 000 dashboards | not run | **not measured** |"
        )?,
    }
    writeln!(
        md,
        "| broadcast to 1 000 sockets ≥ 1 M deliveries/s | {} deliveries/s sustained to {} sockets (Node baseline: {}) | {} |",
        thousands(gateway_fanout.max_sustained_deliveries_per_s),
        gateway_fanout.sockets,
        thousands(node_fanout.max_sustained_deliveries_per_s),
        verdict(gateway_fanout.max_sustained_deliveries_per_s >= 1_000_000.0)
    )?;
    writeln!(
        md,
        "| each event serialised once; per-socket filtering constant-time | by reading `gateway/src/realtime/hub.rs`: the payload is parsed and serialised once per event and the rooms are computed once per event, but socketioxide copies it into a `42[…]` frame per socket (< 1 % of CPU in the profile) | partly; not a number |"
    )?;
    let gateway_memory = &r.memory[0];
    for point in &gateway_memory.points {
        writeln!(
            md,
            "| idle memory ≤ 20 KB per socket ({} sockets) | {} bytes per socket | {} |",
            thousands(point.sockets as f64),
            thousands(point.per_socket_bytes),
            verdict(point.per_socket_bytes <= 20_000.0)
        )?;
    }
    for service in ["users-service", "orders-service", "gateway"] {
        let readings: Vec<_> = r.rss.iter().filter(|s| s.service == service).collect();
        let worst = readings.iter().map(|s| s.rss_kib).max().unwrap_or(0);
        let text = readings
            .iter()
            .map(|s| format!("{:.1} MB {}", s.rss_kib as f64 / 1024.0, s.label))
            .collect::<Vec<_>>()
            .join("; ");
        writeln!(
            md,
            "| {service} < 30 MB resident when idle | {text} | {} |",
            verdict(worst as f64 / 1024.0 < 30.0)
        )?;
    }
    writeln!(md)?;
    Ok(())
}
