//! §1, order intake: the ramp, the database ceiling beside it and the latency chart.

use std::fmt::{self, Write as _};

use super::{
    Results,
    format::{check, ms, thousands},
};
use crate::chart;

pub fn write(md: &mut String, r: &Results, charts: &str, range: &chart::Range) -> fmt::Result {
    let intake_max = r.intake.max_sustained_per_s;
    let best_pg = r.best_pgbench_tps();
    writeln!(md, "## 1. Order intake (open model)\n")?;
    writeln!(
        md,
        "`POST /api/v1/orders` through the gateway as the storefront account, each with its own \
         `Idempotency-Key`, 1–3 items, customers drawn from 50 000 addresses. Orders are due at a \
         constant rate and sent when due whatever the earlier ones are doing; latency runs from \
         the due time to the full response (coordinated omission avoided). {} s per step at rising \
         rates; a step is sustained when every order was created and p99 ≤ {} ms, and the ramp \
         stops after two unsustained steps in a row. After each step the load generator checks \
         every 201 it got against PostgreSQL (exactly one row with the answered id and number) \
         and the Redis event history (exactly one `order.created` for it, read from the `seq` \
         the step began at; the bench sizes `ORDERS_EVENT_HISTORY` above the largest step and \
         the check fails if the history was trimmed into the step); any mismatch fails the run.\n",
        r.intake.duration_s, r.intake.p99_limit_ms
    )?;
    writeln!(
        md,
        "| orders/s offered | sent | created | errors | created/s | p50 ms | p99 ms | p99.9 ms | max ms | sustained | checked |"
    )?;
    writeln!(md, "|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|")?;
    for s in &r.intake.steps {
        let errors = if s.errors == 0 {
            "0".to_owned()
        } else {
            let kinds = s
                .error_kinds
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{} ({kinds})", s.errors)
        };
        writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            thousands(s.rate),
            s.sent,
            s.created,
            errors,
            thousands(s.achieved_per_s),
            ms(s.latency.p50_ms),
            ms(s.latency.p99_ms),
            ms(s.latency.p999_ms),
            ms(s.latency.max_ms),
            if s.sustained(r.intake.p99_limit_ms) {
                "yes"
            } else {
                "no"
            },
            check(s.check.as_ref())
        )?;
    }
    writeln!(
        md,
        "\n**Max sustained intake: {} orders/s.**\n",
        thousands(intake_max)
    )?;
    writeln!(
        md,
        "Database ceiling, same run: pgbench on a fresh database with the orders schema, running \
         the intake transaction statement for statement (`bench/create-order.pgbench`: claim the \
         idempotency key, the one-statement insert of customer, address, order, items and history, \
         the outbox row with its NOTIFY, the stored response), \
         prepared statements, 2 threads:\n"
    )?;
    writeln!(md, "| clients | tx/s | mean latency ms | failed |")?;
    writeln!(md, "|---:|---:|---:|---|")?;
    for p in &r.pgbench {
        writeln!(
            md,
            "| {} | {} | {} | {} |",
            p.clients,
            thousands(p.tps),
            ms(p.latency_ms),
            p.failed
        )?;
    }
    let fraction = if best_pg > 0.0 {
        intake_max / best_pg
    } else {
        0.0
    };
    writeln!(
        md,
        "\n**Intake through the gateway = {:.0} % of the database ceiling** ({} / {} tx/s).\n",
        fraction * 100.0,
        thousands(intake_max),
        thousands(best_pg)
    )?;
    writeln!(
        md,
        "![intake latency versus offered rate]({charts}/intake-latency.png)\n\n\
         Log-log: x = offered orders/s from {} to {}, y = latency from {} ms to {} ms, grid lines \
         at powers of ten; blue p50, red p99, black p99.9.\n",
        thousands(range.x.0),
        thousands(range.x.1),
        range.y.0,
        range.y.1
    )?;
    Ok(())
}
