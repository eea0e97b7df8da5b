//! `seed-users`: makes sure one demo account per role exists with the shared demo password,
//! through users-service's own API as the admin (no SQL into its tables). Safe to repeat: an
//! existing account that drifted gets its demo password, role and active flag back, and one
//! that did not is left alone — a password reset ends its sessions, so re-seeding an
//! unchanged account would sign its people out.

use std::time::Duration;

use anyhow::{Context, bail};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// The demo accounts of SPEC §10 (the admin is seeded by users-service itself).
pub const DEMO_USERS: &[(&str, &str, &str)] = &[
    ("dispatcher@example.com", "Dao Dispatcher", "dispatcher"),
    ("agent@example.com", "Anan Agent", "agent"),
    ("viewer@example.com", "Vicky Viewer", "viewer"),
    ("storefront@example.com", "Demo Storefront", "storefront"),
];

#[derive(Debug, Clone)]
pub struct SeedOptions {
    /// users-service base URL, e.g. `http://127.0.0.1:3002`.
    pub users_url: String,
    pub admin_email: String,
    pub admin_password: String,
    /// The password every demo account gets.
    pub password: String,
}

pub async fn seed_users(options: &SeedOptions) -> anyhow::Result<()> {
    let http = Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .context("building the HTTP client")?;
    let base = options.users_url.trim_end_matches('/');

    let login = http
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({ "email": options.admin_email, "password": options.admin_password }))
        .send()
        .await
        .with_context(|| format!("reaching users-service at {base}"))?;
    if login.status() != StatusCode::OK {
        bail!(
            "signing in as the admin {} failed ({}): is LOM_ADMIN_PASSWORD the password this admin was created with?",
            options.admin_email,
            login.status()
        );
    }
    let login: Value = login.json().await?;
    let token = login["access_token"]
        .as_str()
        .context("the login answer has no access_token")?
        .to_owned();

    for (email, display_name, role) in DEMO_USERS {
        let created = http
            .post(format!("{base}/v1/users"))
            .bearer_auth(&token)
            .json(&json!({
                "email": email,
                "display_name": display_name,
                "password": options.password,
                "roles": [role],
            }))
            .send()
            .await?;
        match created.status() {
            StatusCode::CREATED => tracing::info!("created {email} ({role})"),
            StatusCode::CONFLICT => {
                let demo = Demo {
                    email,
                    role,
                    password: &options.password,
                };
                if reset_existing(&http, base, &token, &demo).await? {
                    tracing::info!(
                        "{email} ({role}) already existed; demo password and role reset"
                    );
                } else {
                    tracing::info!("{email} ({role}) already exists as seeded; left alone");
                }
            }
            status => {
                let body = created.text().await.unwrap_or_default();
                bail!("creating {email} failed: {status} {body}");
            }
        }
    }
    Ok(())
}

/// What a demo account should be.
struct Demo<'a> {
    email: &'a str,
    role: &'a str,
    password: &'a str,
}

/// Gives an existing demo account its role, active flag and password back when any of them
/// differs; true when it changed something.
async fn reset_existing(
    http: &Client,
    base: &str,
    token: &str,
    demo: &Demo<'_>,
) -> anyhow::Result<bool> {
    let found: Value = http
        .get(format!("{base}/v1/users"))
        .query(&[("q", demo.email), ("include_inactive", "true")])
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let account = found
        .as_array()
        .and_then(|users| {
            users.iter().find(|u| {
                u["email"]
                    .as_str()
                    .is_some_and(|e| e.eq_ignore_ascii_case(demo.email))
            })
        })
        .with_context(|| format!("{} exists but was not found in the user list", demo.email))?;
    let id = account["id"]
        .as_str()
        .with_context(|| format!("{} has no id in the user list", demo.email))?;
    let as_seeded = account["active"] == Value::Bool(true)
        && account["roles"] == json!([demo.role])
        && signs_in(http, base, demo).await?;
    if as_seeded {
        return Ok(false);
    }
    let response = http
        .patch(format!("{base}/v1/users/{id}"))
        .bearer_auth(token)
        .json(&json!({ "password": demo.password, "roles": [demo.role], "active": true }))
        .send()
        .await?;
    if !response.status().is_success() {
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        bail!("resetting {} failed: {status} {body}", demo.email);
    }
    Ok(true)
}

/// Whether the account takes the demo password now (a sign-in that is thrown away).
async fn signs_in(http: &Client, base: &str, demo: &Demo<'_>) -> anyhow::Result<bool> {
    let response = http
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({ "email": demo.email, "password": demo.password }))
        .send()
        .await?;
    match response.status() {
        StatusCode::OK => {
            // End the session this check opened.
            let session: Value = response.json().await?;
            if let Some(refresh) = session["refresh_token"].as_str() {
                http.post(format!("{base}/v1/auth/logout"))
                    .json(&json!({ "refresh_token": refresh }))
                    .send()
                    .await?;
            }
            Ok(true)
        }
        StatusCode::UNAUTHORIZED => Ok(false),
        status => bail!(
            "checking the demo password of {} failed: {status}",
            demo.email
        ),
    }
}
