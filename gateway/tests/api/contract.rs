//! The public document is the contract: schemathesis (pinned in `tools/schemathesis`, installed
//! by `make contract-deps`) runs every check on every operation of `/openapi.json` against the
//! real stack with an admin's token, and must find nothing.

use std::path::{Path, PathBuf};

use sqlx::PgPool;
use tokio::process::Command;

use crate::helpers::Stack;

/// Fixed so that CI runs are repeatable; `SCHEMATHESIS_SEED` explores others. One worker:
/// CPython 3.11's `ast` is not safe across the threads schemathesis would otherwise use
/// ("AST constructor recursion depth mismatch", seen here).
const DEFAULT_SEED: &str = "4";

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the gateway crate sits in the workspace")
}

fn schemathesis() -> PathBuf {
    std::env::var_os("SCHEMATHESIS").map_or_else(
        || workspace().join("tools/schemathesis/.venv/bin/schemathesis"),
        PathBuf::from,
    )
}

#[sqlx::test(migrations = false)]
async fn schemathesis_finds_nothing_wrong_with_the_public_api(pool: PgPool) {
    let binary = schemathesis();
    assert!(
        binary.exists(),
        "{} is missing: run `make contract-deps`",
        binary.display()
    );
    let stack = Stack::start(pool).await;
    let (_, admin) = stack.user("admin").await;
    let seed = std::env::var("SCHEMATHESIS_SEED").unwrap_or_else(|_| DEFAULT_SEED.to_owned());
    let output = Command::new(&binary)
        .arg("--config-file")
        .arg(workspace().join("tools/schemathesis/schemathesis.toml"))
        .arg("--no-color")
        .args(["run", &stack.url("/openapi.json")])
        .args(["--checks", "all", "--max-examples", "50", "--workers", "1"])
        .args(["--generation-database", "none", "--seed", &seed])
        .arg("--header")
        .arg(format!("Authorization: Bearer {admin}"))
        .kill_on_drop(true)
        .output()
        .await
        .expect("schemathesis runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis (seed {seed}) failed:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: serde_json::Value = stack
        .client
        .get(stack.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let operations: usize = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert!(
        report.contains(&format!("Tested: {operations}")),
        "not every one of the {operations} operations was tested:\n{report}"
    );
}
