//! The run: the machine, the commit and the versions of everything measured.

use std::fmt::{self, Write as _};

use super::Results;

pub fn write(md: &mut String, r: &Results, machine: &str) -> fmt::Result {
    let meta = |key: &str| {
        r.meta
            .iter()
            .find(|(k, _)| k == key)
            .map_or("?", |(_, v)| v.as_str())
    };
    writeln!(md, "## The run\n")?;
    writeln!(md, "- machine: {machine}")?;
    writeln!(
        md,
        "- commit `{}`, {}; command `{}` (all parts on this one machine, over loopback)",
        meta("commit"),
        meta("date"),
        meta("command")
    )?;
    writeln!(
        md,
        "- release binaries, `RUST_LOG={}`, JSON logs to files; PostgreSQL {} (shared server, fresh \
         databases), private redis-server {} (no persistence), Node {} with socket.io {}, {}",
        meta("rust_log"),
        meta("postgres"),
        meta("redis"),
        meta("node"),
        meta("socket_io"),
        meta("pgbench")
    )?;
    writeln!(
        md,
        "- the load generator (`bench/loadgen`) runs on the same 2 cores as everything it measures"
    )?;
    for (phase, why) in &r.failed {
        writeln!(
            md,
            "- **phase `{phase}` failed** ({why}); its numbers below are partial or empty"
        )?;
    }
    writeln!(md)?;
    Ok(())
}
