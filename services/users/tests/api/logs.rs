//! TESTING.md 22 against the real binary: failed sign-ins are logged, and neither passwords
//! nor tokens ever appear in a log line.

use std::{process::Stdio, time::Duration};

use lom_auth::SigningKey;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;
use tokio::{io::AsyncReadExt, process::Command};

use crate::helpers::PASSWORD;

#[sqlx::test(migrations = false)]
async fn logs_record_failures_but_never_secrets(pool: PgPool) {
    let options = pool.connect_options();
    let url = format!(
        "postgres://{}@{}:{}/{}",
        options.get_username(),
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("postgres"),
    );
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (_, pem) = SigningKey::generate().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_users-service"))
        .env_clear()
        .env("USERS_DATABASE_URL", &url)
        .env("USERS_BIND", format!("127.0.0.1:{port}"))
        .env("USERS_JWT_PRIVATE_KEY", &pem)
        .env("LOM_ADMIN_EMAIL", "admin@example.com")
        .env("LOM_ADMIN_PASSWORD", PASSWORD)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();

    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the binary did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let wrong = "Wr0ng-Secret-Passphrase-7731";
    let response = client
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({"email": "admin@example.com", "password": wrong}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let session: serde_json::Value = client
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({"email": "admin@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = session["access_token"].as_str().unwrap().to_owned();
    let refresh = session["refresh_token"].as_str().unwrap().to_owned();
    client
        .get(format!("{base}/v1/auth/me"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    client
        .post(format!("{base}/v1/auth/refresh"))
        .json(&json!({"refresh_token": refresh}))
        .send()
        .await
        .unwrap();

    child.start_kill().unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .await
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .await
        .unwrap();
    let logs = out + &err;

    assert!(
        logs.contains("sign-in failed"),
        "failures are logged:\n{logs}"
    );
    for line in logs.lines().filter(|l| !l.trim().is_empty()) {
        let parsed: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        assert!(parsed.get("level").is_some());
    }
    for secret in [
        wrong,
        PASSWORD,
        &access,
        &refresh,
        pem.lines().nth(1).unwrap(),
    ] {
        assert!(!logs.contains(secret), "a secret leaked into the logs");
    }
}
