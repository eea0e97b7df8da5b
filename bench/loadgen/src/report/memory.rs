//! §4, memory: resident bytes per idle socket, and each process when idle.

use std::fmt::{self, Write as _};

use super::{Results, format::thousands};

pub fn write(md: &mut String, r: &Results) -> fmt::Result {
    writeln!(md, "## 4. Memory\n")?;
    writeln!(
        md,
        "Resident memory per idle socket: the hub's `VmRSS` (`/proc/<pid>/status`) before any \
         bench socket, then with idle authenticated sockets connected (cumulative), after a \
         settling pause.\n"
    )?;
    writeln!(
        md,
        "| hub | sockets | RSS before (MB) | RSS with sockets (MB) | bytes per socket |"
    )?;
    writeln!(md, "|---|---:|---:|---:|---:|")?;
    for m in &r.memory {
        for p in &m.points {
            writeln!(
                md,
                "| {} | {} | {:.1} | {:.1} | {} |",
                m.target,
                thousands(p.sockets as f64),
                m.baseline_kib as f64 / 1024.0,
                p.rss_kib as f64 / 1024.0,
                thousands(p.per_socket_bytes)
            )?;
        }
    }
    writeln!(md, "\nEach process's resident memory when idle:\n")?;
    writeln!(md, "| process | when | RSS (MB) |")?;
    writeln!(md, "|---|---|---:|")?;
    for s in &r.rss {
        writeln!(
            md,
            "| {} | {} | {:.1} |",
            s.service,
            s.label,
            s.rss_kib as f64 / 1024.0
        )?;
    }
    writeln!(md)?;
    Ok(())
}
