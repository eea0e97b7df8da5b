//! §3, fan-out: the gateway against the Node baseline, and the latency chart.

use std::fmt::{self, Write as _};

use super::{
    Results,
    format::{ms, thousands},
};
use crate::chart;

pub fn write(md: &mut String, r: &Results, charts: &str, range: &chart::Range) -> fmt::Result {
    let (gateway_fanout, node_fanout) = (&r.fanout[0], &r.fanout[1]);
    writeln!(
        md,
        "## 3. Fan-out: gateway versus a minimal Node socket.io hub\n"
    )?;
    writeln!(
        md,
        "Synthetic `order.created` events in the exact envelope of `lom-contracts`, published \
         straight into Redis by the same atomic step as orders-service (INCR `seq`, history, \
         PUBLISH; the Node hub gets its own channel and keys), at rising open-model rates for {} s \
         per step, to {} sockets on each hub, from the same client in the same run. The \
         baseline (`bench/node-hub`) parses each event once and `io.emit`s it (socket.io encodes \
         once per broadcast); it checks no token and has no rooms. Latency runs from the due \
         publish time to each socket's receipt. Sustained: nothing lost or duplicated, p99 ≤ {} ms; the ramp stops after two \
         unsustained steps in a row, or at the first loss.\n",
        gateway_fanout.steps.first().map_or(0.0, |s| s.duration_s),
        gateway_fanout.sockets,
        gateway_fanout.p99_limit_ms
    )?;
    writeln!(
        md,
        "| hub | events/s | deliveries/s offered | deliveries/s received | lost | duplicated | sockets dropped | p50 ms | p99 ms | p99.9 ms | sustained |"
    )?;
    writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")?;
    for result in &r.fanout {
        for s in &result.steps {
            let d = &s.delivery;
            writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                result.target,
                thousands(s.rate),
                thousands(s.offered_per_s()),
                thousands(s.deliveries_per_s),
                d.lost,
                d.duplicated,
                d.sockets_lost,
                ms(d.latency.p50_ms),
                ms(d.latency.p99_ms),
                ms(d.latency.p999_ms),
                if s.sustained(result.p99_limit_ms) {
                    "yes"
                } else {
                    "no"
                }
            )?;
        }
    }
    let ratio = if node_fanout.max_sustained_deliveries_per_s > 0.0 {
        format!(
            "{:.2}×",
            gateway_fanout.max_sustained_deliveries_per_s
                / node_fanout.max_sustained_deliveries_per_s
        )
    } else {
        "n/a".to_owned()
    };
    writeln!(
        md,
        "\n**Max sustained: gateway {} deliveries/s, Node baseline {} deliveries/s; gateway / Node = {ratio}.**\n",
        thousands(gateway_fanout.max_sustained_deliveries_per_s),
        thousands(node_fanout.max_sustained_deliveries_per_s)
    )?;
    writeln!(
        md,
        "![fan-out latency versus offered deliveries]({charts}/fanout-latency.png)\n\n\
         Log-log: x = offered deliveries/s from {} to {}, y = latency from {} ms to {} ms; \
         gateway blue p50 and red p99, Node baseline green p50 and orange p99.\n",
        thousands(range.x.0),
        thousands(range.x.1),
        range.y.0,
        range.y.1
    )?;
    Ok(())
}
