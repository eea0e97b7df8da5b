//! The faults of a chaos run as the orchestrating script logged them (`control/faults.tsv`:
//! name, when it struck, when the part answered again, in ms since the epoch), the time windows
//! the report attributes outcomes to (a fault's window runs from its kill to the next fault),
//! and the services' resident memory (their pids are in `pids/<name>`, rewritten on restart).

use std::{
    path::Path,
    time::{SystemTime, UNIX_EPOCH},
};

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// Wall-clock milliseconds since the epoch (the script's clock too).
pub fn wall_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}

/// One fault: what, when it struck, when the part was back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fault {
    pub name: String,
    pub down_ms: u64,
    pub up_ms: u64,
}

impl Fault {
    pub fn downtime_s(&self) -> f64 {
        self.up_ms.saturating_sub(self.down_ms) as f64 / 1000.0
    }
}

/// Reads the fault log (absent: no fault happened).
pub fn read_log(path: &Path) -> anyhow::Result<Vec<Fault>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
    };
    parse_log(&text)
}

fn parse_log(text: &str) -> anyhow::Result<Vec<Fault>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.split('\t');
            let (Some(name), Some(down), Some(up)) = (fields.next(), fields.next(), fields.next())
            else {
                anyhow::bail!("fault log line {line:?}: expected name, down_ms, up_ms");
            };
            Ok(Fault {
                name: name.to_owned(),
                down_ms: down.trim().parse().context("down_ms")?,
                up_ms: up.trim().parse().context("up_ms")?,
            })
        })
        .collect()
}

/// The windows of a run, in order: "before the faults" from `start_ms`, then one per fault
/// up to the next (the last one up to `end_ms`).
#[derive(Debug, Clone)]
pub struct Windows {
    pub names: Vec<String>,
    starts: Vec<u64>,
}

impl Windows {
    pub fn new(start_ms: u64, faults: &[Fault]) -> Self {
        let mut names = vec!["(load before the faults)".to_owned()];
        let mut starts = vec![start_ms];
        for fault in faults {
            names.push(fault.name.clone());
            starts.push(fault.down_ms);
        }
        Self { names, starts }
    }

    /// The window `at_ms` falls in (anything before the start counts in the first).
    pub fn of(&self, at_ms: u64) -> usize {
        self.starts.partition_point(|start| *start <= at_ms).max(1) - 1
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }
}

/// Resident memory of one service, before and after.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rss {
    pub service: String,
    pub before_kib: u64,
    pub after_kib: u64,
}

impl Rss {
    /// After over before.
    pub fn ratio(&self) -> f64 {
        self.after_kib as f64 / self.before_kib.max(1) as f64
    }
}

/// The resident memory (KiB) of each named service, by the pid in `pids/<name>`.
pub fn read_rss(pids: &Path, services: &[String]) -> anyhow::Result<Vec<(String, u64)>> {
    services
        .iter()
        .map(|name| {
            let path = pids.join(name);
            let pid: u32 = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?
                .trim()
                .parse()
                .with_context(|| format!("the pid in {}", path.display()))?;
            Ok((name.clone(), crate::memory::rss_kib(pid)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fault_log_reads_back() {
        let faults =
            parse_log("orders-service SIGKILL\t1000\t4500\nredis SIGKILL\t9000\t9800\n\n").unwrap();
        assert_eq!(faults.len(), 2);
        assert_eq!(faults[0].name, "orders-service SIGKILL");
        assert!((faults[0].downtime_s() - 3.5).abs() < 1e-9);
        assert!(parse_log("broken line").is_err());
    }

    #[test]
    fn an_instant_falls_in_the_window_of_the_last_fault_before_it() {
        let faults = parse_log("a\t1000\t2000\nb\t5000\t6000\n").unwrap();
        let windows = Windows::new(100, &faults);
        assert_eq!(windows.len(), 3);
        assert_eq!(windows.of(50), 0);
        assert_eq!(windows.of(999), 0);
        assert_eq!(windows.of(1000), 1);
        assert_eq!(windows.of(4999), 1);
        assert_eq!(windows.of(7000), 2);
    }
}
