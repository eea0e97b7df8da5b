//! A real users-service for other crates' tests (feature `test-support`): started in-process
//! on an ephemeral port, in its own schema of the caller's test database, with a seeded admin
//! and helpers to create staff and sign them in (as lom-testing's [`TestUser`]s). Never compiled into the service binary.

use std::{net::SocketAddr, time::Duration};

use ipnet::IpNet;
use lom_auth::SigningKey;
use lom_platform::{db::PoolSettings, http_stack::StackLimits};
use lom_testing::{Role, TestUser};
use secrecy::SecretString;
use serde_json::{Value, json};
use sqlx::{PgPool, postgres::PgConnectOptions};

use crate::{
    configuration::{AdminSeed, KeySource, Settings},
    startup::Application,
    throttle::ThrottlePolicy,
};

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const PASSWORD: &str = "correct horse battery staple";

/// Settings for a test instance on `database`: ephemeral port, a fresh signing key (its PEM
/// is returned too), the seeded admin, addresses taken from `X-Forwarded-For`.
/// The refresh reuse grace of test instances: short, so replay tests wait little.
pub const REFRESH_REUSE_GRACE: Duration = Duration::from_millis(300);

pub fn settings(database: PgConnectOptions) -> (Settings, String) {
    let (_, pem) = SigningKey::generate().expect("an Ed25519 key can be generated");
    let settings = Settings {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        database,
        pool: PoolSettings::default(),
        issuer: "lom-users".into(),
        audience: "lom".into(),
        access_ttl: Duration::from_secs(900),
        refresh_ttl: Duration::from_secs(3600),
        refresh_reuse_grace: REFRESH_REUSE_GRACE,
        signing_key: KeySource::Pem(SecretString::from(pem.clone())),
        admin_seed: Some(AdminSeed {
            email: ADMIN_EMAIL.into(),
            password: SecretString::from(PASSWORD),
        }),
        trusted_proxies: vec![IpNet::from(std::net::IpAddr::from([127, 0, 0, 1]))],
        throttle: ThrottlePolicy::default(),
        limits: StackLimits::default(),
        metrics_token: None,
        hashing_concurrency: 4,
        redis_url: SecretString::from("redis://127.0.0.1:6379"),
    };
    (settings, pem)
}

/// A running users-service.
pub struct RunningUsers {
    pub base_url: String,
    /// Its signing key, for tests that forge or expire tokens.
    pub signing_pem: String,
    client: reqwest::Client,
}

/// Starts users-service in schema `users_service` of the database behind `pool` (so it
/// coexists with the caller's own tables and migrations, and goes away with the database).
pub async fn spawn(pool: &PgPool) -> RunningUsers {
    spawn_in_schema(pool, "users_service").await
}

/// Starts users-service in schema `schema` of the database behind `pool`: a second one in
/// another schema has accounts and a signing key of its own (a foreign issuer).
pub async fn spawn_in_schema(pool: &PgPool, schema: &str) -> RunningUsers {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE SCHEMA IF NOT EXISTS \"{schema}\""
    )))
    .execute(pool)
    .await
    .expect("create the users-service schema");
    let options = (*pool.connect_options())
        .clone()
        .options([("search_path", schema)]);
    let (settings, signing_pem) = settings(options);
    let app = Application::build(settings)
        .await
        .expect("users-service builds");
    let base_url = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("an HTTP client");
    RunningUsers {
        base_url,
        signing_pem,
        client,
    }
}

impl RunningUsers {
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.base_url)
    }

    /// Signs in and returns the access token.
    pub async fn token(&self, email: &str) -> String {
        let session: Value = self
            .client
            .post(format!("{}/v1/auth/login", self.base_url))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .expect("login request")
            .json()
            .await
            .expect("login answer");
        session["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("login of {email} failed: {session}"))
            .to_owned()
    }

    /// Creates an account with `roles` and the shared test password; returns its id.
    pub async fn create_user(&self, email: &str, roles: &[&str]) -> uuid::Uuid {
        let admin = self.token(ADMIN_EMAIL).await;
        let user: Value = self
            .client
            .post(format!("{}/v1/users", self.base_url))
            .bearer_auth(admin)
            .json(&json!({ "email": email, "password": PASSWORD, "roles": roles }))
            .send()
            .await
            .expect("create request")
            .json()
            .await
            .expect("create answer");
        user["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("creating {email} failed: {user}"))
    }

    /// A new account with `role` and a unique e-mail address, signed in.
    pub async fn user(&self, role: Role) -> TestUser {
        let email = format!(
            "{}-{}@example.com",
            role.name(),
            uuid::Uuid::new_v4().simple()
        );
        let id = self.create_user(&email, &[role.name()]).await;
        let token = self.token(&email).await;
        TestUser { id, token }
    }

    /// Deactivates an account.
    pub async fn deactivate(&self, id: uuid::Uuid) {
        let admin = self.token(ADMIN_EMAIL).await;
        let status = self
            .client
            .patch(format!("{}/v1/users/{id}", self.base_url))
            .bearer_auth(admin)
            .json(&json!({ "active": false }))
            .send()
            .await
            .expect("deactivate request")
            .status();
        assert!(status.is_success(), "deactivating {id}: {status}");
    }
}
