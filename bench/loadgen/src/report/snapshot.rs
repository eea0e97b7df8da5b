//! The page a fixed run renders, compared with `snapshot.md` (`UPDATE_SNAPSHOT=1` rewrites it
//! after an intended change): every section populated, sustained and failed steps, losses.

use std::path::Path;

use super::{
    chart, render,
    results::{PgBench, Results},
};
use crate::{
    check::Check,
    e2e::E2eStep,
    fanout::{FanoutResult, FanoutStep},
    fleet::Delivery,
    intake::{IntakeResult, Step},
    memory::{ServiceRss, SocketMemory, SocketPoint},
    mixed::{Kind, KindStep, MixedResult, MixedStep},
    stats::Latency,
};

fn latency(p50_ms: f64) -> Latency {
    Latency {
        count: 1000,
        p50_ms,
        p99_ms: p50_ms * 4.0,
        p999_ms: p50_ms * 9.0,
        max_ms: p50_ms * 20.0,
        mean_ms: p50_ms * 1.5,
    }
}

fn delivery(sockets: usize, lost: u64) -> Delivery {
    Delivery {
        sockets,
        events: 100,
        expected_deliveries: 100 * sockets as u64,
        delivered: 100 * sockets as u64 - lost,
        lost,
        duplicated: 0,
        out_of_order: 0,
        resyncs: 0,
        reconnects: 2,
        sockets_lost: 1,
        latency: latency(1.5),
        from_occurred_at: Some(latency(0.8)),
    }
}

fn fanout(target: &str, max: f64) -> FanoutResult {
    FanoutResult {
        target: target.to_owned(),
        sockets: 1000,
        p99_limit_ms: 50.0,
        steps: [1000.0, 2000.0]
            .into_iter()
            .enumerate()
            .map(|(i, rate)| FanoutStep {
                rate,
                duration_s: 10.0,
                published: 10_000,
                publish_failures: 0,
                deliveries_per_s: rate * 990.0,
                delivery: delivery(1000, i as u64 * 7),
            })
            .collect(),
        max_sustained_deliveries_per_s: max,
    }
}

fn mixed() -> MixedResult {
    let kind = |kind, sent: u64, conflicts: u64, errors: u64, p50_ms: f64| KindStep {
        kind,
        sent,
        ok: sent - conflicts - errors,
        conflicts,
        errors,
        error_kinds: if errors == 0 {
            Default::default()
        } else {
            [("status 503".to_owned(), errors)].into()
        },
        no_free_order: u64::from(kind == Kind::Status && conflicts > 0),
        achieved_per_s: (sent - conflicts - errors) as f64 / 5.0,
        latency: latency(p50_ms),
    };
    let step = |rate: f64, conflicts: u64, errors: u64, check: Check| MixedStep {
        rate,
        duration_s: 5.0,
        kinds: vec![
            kind(Kind::Create, (rate * 2.5) as u64, 0, errors, 3.0),
            kind(Kind::Status, (rate * 1.5) as u64, conflicts, 0, 2.0),
            kind(Kind::Assign, rate as u64, 0, 0, 2.5),
        ],
        cpu_s: [
            ("gateway", 0.9),
            ("orders-service", 1.8),
            ("postgres", 4.5),
            ("redis", 0.3),
            ("loadgen", 0.6),
        ]
        .map(|(k, v)| (k.to_owned(), v * rate / 1000.0))
        .into(),
        check: Some(check),
    };
    MixedResult {
        duration_s: 5.0,
        p99_limit_ms: 50.0,
        max_sustained_per_s: 1000.0,
        steps: vec![
            step(
                1000.0,
                0,
                0,
                Check {
                    acked: 2500,
                    ..Check::default()
                },
            ),
            step(
                2000.0,
                3,
                2,
                Check {
                    acked: 4998,
                    duplicated: 1,
                    ..Check::default()
                },
            ),
        ],
    }
}

/// A run with every section populated: sustained and unsustained steps, errors, losses.
fn fixture() -> Results {
    let step = |rate: f64, errors: u64, p50_ms: f64| Step {
        rate,
        duration_s: 10.0,
        sent: (rate * 10.0) as u64,
        created: (rate * 10.0) as u64 - errors,
        errors,
        error_kinds: if errors == 0 {
            Default::default()
        } else {
            [("503".to_owned(), errors - 1), ("timeout".to_owned(), 1)].into()
        },
        achieved_per_s: rate - errors as f64 / 10.0,
        latency: latency(p50_ms),
        check: Some(Check {
            acked: (rate * 10.0) as u64 - errors,
            events_missing: errors / 40,
            ..Check::default()
        }),
    };
    let rss = |service: &str, label: &str, rss_kib| ServiceRss {
        service: service.to_owned(),
        label: label.to_owned(),
        rss_kib,
    };
    let memory = |target: &str| SocketMemory {
        target: target.to_owned(),
        baseline_kib: 12_000,
        points: vec![
            SocketPoint {
                sockets: 1000,
                rss_kib: 25_000,
                per_socket_bytes: 13_312.0,
            },
            SocketPoint {
                sockets: 10_000,
                rss_kib: 260_000,
                per_socket_bytes: 25_395.2,
            },
        ],
    };
    Results {
        meta: [
            ("commit", "abc1234"),
            ("date", "2026-12-01"),
            ("command", "make bench"),
            ("rust_log", "info"),
            ("postgres", "17"),
            ("redis", "7.4"),
            ("node", "22"),
            ("socket_io", "4.8"),
            ("pgbench", "pgbench 17"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .to_vec(),
        intake: IntakeResult {
            duration_s: 10.0,
            p99_limit_ms: 50.0,
            max_sustained_per_s: 5000.0,
            steps: vec![
                step(1000.0, 0, 2.5),
                step(5000.0, 0, 12.0),
                step(8000.0, 40, 150.0),
            ],
        },
        mixed: mixed(),
        pgbench: vec![
            PgBench {
                clients: 8,
                tps: 9876.5,
                latency_ms: 0.81,
                failed: "0 (0.000%)".to_owned(),
            },
            PgBench {
                clients: 32,
                tps: 12_345.6,
                latency_ms: 2.6,
                failed: "0 (0.000%)".to_owned(),
            },
        ],
        e2e: vec![
            E2eStep {
                sockets: 1000,
                rate: 1000.0,
                intake: step(1000.0, 0, 3.0),
                delivery: delivery(1000, 0),
            },
            E2eStep {
                sockets: 100,
                rate: 500.0,
                intake: step(500.0, 0, 2.0),
                delivery: Delivery {
                    from_occurred_at: None,
                    ..delivery(100, 3)
                },
            },
        ],
        fanout: vec![fanout("gateway", 1_980_000.0), fanout("node", 990_000.0)],
        memory: vec![memory("gateway"), memory("node")],
        rss: vec![
            rss("users-service", "at start", 9000),
            rss("orders-service", "at start", 11_000),
            rss("gateway", "at start", 14_000),
            rss("gateway", "at the end", 40_000),
        ],
        cpu: vec![
            (
                "intake".to_owned(),
                [
                    ("wall", "30.0"),
                    ("gateway", "12.5"),
                    ("load1-before", "0.5"),
                ]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .to_vec(),
            ),
            ("e2e".to_owned(), Vec::new()),
        ],
        failed: vec![(
            "fanout-node".to_owned(),
            "exit status 1: Error: connecting 1000 sockets".to_owned(),
        )],
    }
}

#[test]
fn the_page_of_a_fixed_run_is_the_snapshot() {
    let range = |x: (f64, f64), y: (f64, f64)| chart::Range { x, y };
    let md = render(
        &fixture(),
        "Test CPU, 2 logical CPUs, 4 GiB RAM, Linux 6.0",
        "bench-charts",
        range((1000.0, 8000.0), (1.0, 1000.0)),
        range((1_000_000.0, 2_000_000.0), (0.1, 100.0)),
    )
    .unwrap();
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/report/snapshot.md");
    if std::env::var_os("UPDATE_SNAPSHOT").is_some() {
        std::fs::write(&snapshot, &md).unwrap();
    }
    assert_eq!(md, std::fs::read_to_string(&snapshot).unwrap());
}
