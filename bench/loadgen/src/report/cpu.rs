//! Where the CPU went: each process's CPU seconds per phase.

use std::fmt::{self, Write as _};

use super::Results;

pub fn write(md: &mut String, r: &Results) -> fmt::Result {
    writeln!(md, "## Where the CPU went\n")?;
    writeln!(
        md,
        "CPU seconds (user + system, from `/proc/<pid>/stat`) each process used during each \
         phase (`postgres`: the backends serving this run's databases, not the server's shared \
         processes), against the phase's wall time (2 cores = 2 CPU-seconds per second), and the \
         machine's 1-minute load average before and after (other work on the machine shows up \
         there).\n"
    )?;
    let columns = [
        "gateway",
        "orders-service",
        "postgres",
        "users-service",
        "redis",
        "node-hub",
        "loadgen",
    ];
    writeln!(
        md,
        "| phase | wall s | {} | load before → after |",
        columns.join(" | ")
    )?;
    writeln!(md, "|---|---:|{}---|", "---:|".repeat(columns.len()))?;
    for (phase, values) in &r.cpu {
        let get = |key: &str| {
            values
                .iter()
                .find(|(k, _)| k == key)
                .map_or("?", |(_, v)| v.as_str())
        };
        let cells: Vec<&str> = columns.iter().map(|c| get(c)).collect();
        writeln!(
            md,
            "| {phase} | {} | {} | {} → {} |",
            get("wall"),
            cells.join(" | "),
            get("load1-before"),
            get("load1-after")
        )?;
    }
    writeln!(md)?;
    Ok(())
}
