//! How the page writes numbers (milliseconds to three significant digits, thousands grouped
//! with a narrow no-break space), verdicts, correctness checks, and the machine it ran on.

use crate::check::Check;

pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "{model}, {cores} logical CPUs, {mem_gib:.0} GiB RAM, Linux {}",
        kernel.trim()
    )
}

pub fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

pub fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// A step's correctness check, as one table cell.
pub fn check(check: Option<&Check>) -> String {
    check.map_or_else(
        || "not checked".to_owned(),
        |c| {
            format!(
                "{}{} acked, {} missing, {} duplicated, {}/{} events missing/duplicated",
                if c.passed() { "" } else { "**failed**: " },
                c.acked,
                c.missing,
                c.duplicated,
                c.events_missing,
                c.events_duplicated
            )
        },
    )
}

pub fn verdict(met: bool) -> &'static str {
    if met { "**met**" } else { "**not met**" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(1_234_567.0), "1\u{202f}234\u{202f}567");
        assert_eq!(thousands(999.0), "999");
    }
}
