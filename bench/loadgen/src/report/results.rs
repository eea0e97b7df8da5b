//! What one run measured, read from its results folder: the JSON of each benchmark,
//! pgbench's output, the CPU accounting per phase, the phases that failed and the run's
//! metadata.

use std::path::Path;

use anyhow::Context;
use serde::de::DeserializeOwned;

use crate::{
    e2e::E2eStep,
    fanout::FanoutResult,
    intake::IntakeResult,
    memory::{ServiceRss, SocketMemory},
    mixed::MixedResult,
};

/// Everything one run measured.
pub struct Results {
    pub meta: Vec<(String, String)>,
    pub intake: IntakeResult,
    pub pgbench: Vec<PgBench>,
    pub mixed: MixedResult,
    pub e2e: Vec<E2eStep>,
    pub fanout: Vec<FanoutResult>,
    pub memory: Vec<SocketMemory>,
    pub rss: Vec<ServiceRss>,
    /// Per phase: `(key, value)` lines of `cpu-<phase>.txt`.
    pub cpu: Vec<(String, Vec<(String, String)>)>,
    /// Phases whose load generator failed (`failed-<phase>.txt`), with why; a failed phase
    /// without results reads as empty.
    pub failed: Vec<(String, String)>,
}

pub struct PgBench {
    pub clients: u32,
    pub tps: f64,
    pub latency_ms: f64,
    pub failed: String,
}

/// `<phase>.json`, or empty when the phase failed before writing it.
fn load_phase<T: DeserializeOwned + Default>(
    dir: &Path,
    phase: &str,
    failed: &[(String, String)],
) -> anyhow::Result<T> {
    let name = format!("{phase}.json");
    if !dir.join(&name).exists() && failed.iter().any(|(p, _)| p == phase) {
        return Ok(T::default());
    }
    load(dir, &name)
}

fn load<T: DeserializeOwned>(dir: &Path, name: &str) -> anyhow::Result<T> {
    let path = dir.join(name);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

pub fn read(dir: &Path) -> anyhow::Result<Results> {
    let meta = std::fs::read_to_string(dir.join("meta.txt"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let mut pgbench = Vec::new();
    let mut cpu = Vec::new();
    let mut failed = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if let Some(phase) = name
            .strip_prefix("cpu-")
            .and_then(|n| n.strip_suffix(".txt"))
        {
            let lines = std::fs::read_to_string(&path)?
                .lines()
                .filter_map(|l| l.rsplit_once(' '))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            cpu.push((phase.to_owned(), lines));
        }
        if let Some(phase) = name
            .strip_prefix("failed-")
            .and_then(|n| n.strip_suffix(".txt"))
        {
            let why = std::fs::read_to_string(&path)?.trim().to_owned();
            failed.push((phase.to_owned(), why));
        }
        if let Some(clients) = name
            .strip_prefix("pgbench-c")
            .and_then(|n| n.strip_suffix(".txt"))
        {
            let text = std::fs::read_to_string(&path)?;
            let field = |prefix: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(prefix))
                    .map(|v| v.trim().to_owned())
                    .unwrap_or_default()
            };
            let number = |s: String| {
                s.split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<f64>().ok())
                    .unwrap_or(0.0)
            };
            pgbench.push(PgBench {
                clients: clients.parse().unwrap_or(0),
                tps: number(field("tps = ")),
                latency_ms: number(field("latency average = ")),
                failed: field("number of failed transactions: "),
            });
        }
    }
    pgbench.sort_by_key(|p| p.clients);
    let order = [
        "memory-gateway",
        "memory-node",
        "intake",
        "mixed",
        "e2e",
        "fanout-gateway",
        "fanout-node",
    ];
    cpu.sort_by_key(|(phase, _)| order.iter().position(|o| o == phase).unwrap_or(order.len()));
    let mut rss: Vec<ServiceRss> = load(dir, "rss-start.json")?;
    rss.extend(load::<Vec<ServiceRss>>(dir, "rss-end.json")?);
    failed.sort();
    let f = &failed;
    Ok(Results {
        meta,
        intake: load_phase(dir, "intake", f)?,
        pgbench,
        mixed: load_phase(dir, "mixed", f)?,
        e2e: load_phase(dir, "e2e", f)?,
        fanout: vec![
            load_phase(dir, "fanout-gateway", f)?,
            load_phase(dir, "fanout-node", f)?,
        ],
        memory: vec![
            load_phase(dir, "memory-gateway", f)?,
            load_phase(dir, "memory-node", f)?,
        ],
        rss,
        cpu,
        failed,
    })
}

impl Results {
    /// The highest pgbench throughput of the run (0 without pgbench).
    pub fn best_pgbench_tps(&self) -> f64 {
        self.pgbench.iter().map(|p| p.tps).fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mixed::MixedResult;

    #[test]
    fn a_failed_phase_without_results_reads_as_empty_and_a_missing_one_is_an_error() {
        let dir = std::env::temp_dir().join(format!("lom-results-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let failed = vec![("mixed".to_owned(), "exit status 1".to_owned())];
        let mixed: MixedResult = load_phase(&dir, "mixed", &failed).unwrap();
        assert!(mixed.steps.is_empty());
        assert!(load_phase::<IntakeResult>(&dir, "intake", &failed).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
