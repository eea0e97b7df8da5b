//! §1b, mixed traffic: per step and per kind of operation, and the CPU per operation of each
//! process.

use std::fmt::{self, Write as _};

use super::{
    Results,
    format::{check, ms, thousands},
};
use crate::mixed::{KINDS, Kind};

/// The processes whose CPU per operation the table shows.
const PROCESSES: [&str; 5] = ["gateway", "orders-service", "postgres", "redis", "loadgen"];

pub fn write(md: &mut String, r: &Results) -> fmt::Result {
    writeln!(
        md,
        "## 1b. Mixed traffic: creates, status changes, assignments\n"
    )?;
    let mixed = &r.mixed;
    let share = |kind: Kind| KINDS.iter().filter(|&&k| k == kind).count() * 100 / KINDS.len();
    writeln!(
        md,
        "Open model as in §1 (operations due at a constant rate, latency from the due time), in a \
         fixed ratio: {} % creates (storefront), {} % status changes (`PATCH /orders/{{id}}`, \
         PENDING → CONFIRMED → PROCESSING → SHIPPED → DELIVERED) and {} % assignments (`POST \
         /orders/{{id}}/assign`, to the seeded agent or back to nobody), both by the dispatcher \
         with the `version` of the order's last answer. An order is written by one operation at \
         a time, so a 409 (conflict) is a fault, not a race of the generator's own; an update \
         finding no free order is not sent and counted. {} s per step; a step is sustained when \
         every operation succeeded, each kind's p99 ≤ {} ms and the creates' check (as in §1) \
         passed. CPU per operation: each process's CPU seconds over the step (sending and \
         stragglers; `postgres` = the backends of the orders database) divided by the \
         successful operations of all kinds.\n",
        share(Kind::Create),
        share(Kind::Status),
        share(Kind::Assign),
        mixed.duration_s,
        mixed.p99_limit_ms
    )?;
    writeln!(
        md,
        "| ops/s offered | kind | sent | ok | 409 | errors | no free order | ok/s | p50 ms | p99 ms |"
    )?;
    writeln!(md, "|---:|---|---:|---:|---:|---|---:|---:|---:|---:|")?;
    for s in &mixed.steps {
        for k in &s.kinds {
            let errors = if k.errors == 0 {
                "0".to_owned()
            } else {
                let kinds = k
                    .error_kinds
                    .iter()
                    .map(|(what, n)| format!("{n} {what}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("{} ({kinds})", k.errors)
            };
            writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                thousands(s.rate),
                k.kind.name(),
                k.sent,
                k.ok,
                k.conflicts,
                errors,
                k.no_free_order,
                thousands(k.achieved_per_s),
                ms(k.latency.p50_ms),
                ms(k.latency.p99_ms)
            )?;
        }
    }
    writeln!(
        md,
        "\n| ops/s offered | sustained | {} | creates checked |",
        PROCESSES.map(|p| format!("{p} CPU ms/op")).join(" | ")
    )?;
    writeln!(md, "|---:|---|{}---|", "---:|".repeat(PROCESSES.len()))?;
    for s in &mixed.steps {
        let cells: Vec<String> = PROCESSES
            .iter()
            .map(|p| {
                s.cpu_ms_per_op(p)
                    .map_or("?".to_owned(), |v| format!("{v:.3}"))
            })
            .collect();
        writeln!(
            md,
            "| {} | {} | {} | {} |",
            thousands(s.rate),
            if s.sustained(mixed.p99_limit_ms) {
                "yes"
            } else {
                "no"
            },
            cells.join(" | "),
            check(s.check.as_ref())
        )?;
    }
    writeln!(
        md,
        "\n**Max sustained mixed traffic: {} operations/s.**\n",
        thousands(mixed.max_sustained_per_s)
    )?;
    Ok(())
}
