//! CPU time of the processes a step is measured against, from `/proc/<pid>/stat` (user +
//! system): named processes (`name=pid`), the PostgreSQL backends serving one database, and
//! the load generator itself; the difference of two samples is each one's CPU seconds.

use std::{collections::BTreeMap, process::Command};

use anyhow::Context;
use sqlx::PgPool;

/// What to sample.
pub struct Meter {
    named: Vec<(String, u32)>,
    /// The database whose backends count as `postgres` (the meter's own connection excluded).
    database: PgPool,
    ticks_per_s: f64,
}

/// Clock ticks used so far, per process.
pub struct Sample {
    named: BTreeMap<String, u64>,
    backends: BTreeMap<u32, u64>,
}

impl Meter {
    /// `entries` are `name=pid`.
    pub fn new(entries: &[String], database: PgPool) -> anyhow::Result<Self> {
        let named = entries
            .iter()
            .map(|entry| {
                let (name, pid) = entry.split_once('=').context("--pid takes name=pid")?;
                Ok((name.to_owned(), pid.parse().context("pid")?))
            })
            .collect::<anyhow::Result<_>>()?;
        let ticks_per_s = Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(100.0);
        Ok(Self {
            named,
            database,
            ticks_per_s,
        })
    }

    pub async fn sample(&self) -> anyhow::Result<Sample> {
        let mut named: BTreeMap<String, u64> = self
            .named
            .iter()
            .map(|(name, pid)| (name.clone(), ticks(&pid.to_string())))
            .collect();
        named.insert("loadgen".to_owned(), ticks("self"));
        let pids: Vec<i32> = sqlx::query_scalar(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() \
             AND pid <> pg_backend_pid()",
        )
        .fetch_all(&self.database)
        .await
        .context("listing the database's backends")?;
        let backends = pids
            .into_iter()
            .filter_map(|pid| u32::try_from(pid).ok())
            .map(|pid| (pid, ticks(&pid.to_string())))
            .collect();
        Ok(Sample { named, backends })
    }

    /// CPU seconds per process from `before` to `after` (`postgres`: the backends present at
    /// the end, from 0 for those that connected in between).
    pub fn seconds(&self, before: &Sample, after: &Sample) -> BTreeMap<String, f64> {
        let mut seconds: BTreeMap<String, f64> = after
            .named
            .iter()
            .map(|(name, &t)| {
                let start = before.named.get(name).copied().unwrap_or(0);
                (
                    name.clone(),
                    t.saturating_sub(start) as f64 / self.ticks_per_s,
                )
            })
            .collect();
        let postgres: u64 = after
            .backends
            .iter()
            .map(|(pid, &t)| t.saturating_sub(before.backends.get(pid).copied().unwrap_or(0)))
            .sum();
        seconds.insert("postgres".to_owned(), postgres as f64 / self.ticks_per_s);
        seconds
    }
}

/// User + system ticks of `/proc/<pid>/stat` (0 for a process that is gone).
fn ticks(pid: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| parse_ticks(&stat))
        .unwrap_or(0)
}

/// utime + stime: fields 14 and 15, counted after the command name (which may hold spaces
/// and parentheses, so from the last `)`).
fn parse_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_system_ticks_are_read_after_the_command_name() {
        let stat = "4242 (tokio (rt) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 567 0 0 20 0 9 0 100 1000 50";
        assert_eq!(parse_ticks(stat), Some(1234 + 567));
        assert_eq!(parse_ticks("garbage"), None);
    }

    #[test]
    fn this_process_has_a_readable_stat() {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
        assert!(parse_ticks(&stat).is_some(), "{stat}");
    }
}
