//! Resident memory of named processes (`name=pid`), at one moment of the run.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::save;
use crate::memory;

#[derive(Args)]
pub struct RssArgs {
    /// What the readings are (e.g. `idle after start`).
    #[arg(long)]
    label: String,
    /// `name=pid`, repeated.
    #[arg(long = "pid", required = true)]
    pids: Vec<String>,
    #[arg(long)]
    out: PathBuf,
}

pub fn run(args: &RssArgs) -> anyhow::Result<()> {
    let readings = args
        .pids
        .iter()
        .map(|entry| {
            let (name, pid) = entry.split_once('=').context("--pid takes name=pid")?;
            Ok(memory::ServiceRss {
                service: name.to_owned(),
                label: args.label.clone(),
                rss_kib: memory::rss_kib(pid.parse().context("pid")?)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    save(&args.out, &readings)
}
