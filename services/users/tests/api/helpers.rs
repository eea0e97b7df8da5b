//! The test harness: `spawn_app` starts users-service on a fresh database with a seeded
//! admin and returns a `TestApp` with typed request helpers.

use std::time::Duration;

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;
use users_service::{configuration::Settings, startup::Application};

pub use users_service::test_support::{ADMIN_EMAIL, PASSWORD};

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: PgPool,
    pub signing_pem: String,
}

/// Settings for a test instance on the fresh database behind `pool`.
pub fn test_settings(pool: &PgPool) -> (Settings, String) {
    users_service::test_support::settings((*pool.connect_options()).clone())
}

pub async fn spawn_app(pool: PgPool) -> TestApp {
    let (settings, pem) = test_settings(&pool);
    spawn_with(pool, settings, pem).await
}

pub async fn spawn_with(pool: PgPool, settings: Settings, signing_pem: String) -> TestApp {
    let app = Application::build_with_pool(settings, pool.clone())
        .await
        .expect("users-service builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    TestApp {
        base,
        client,
        db: pool,
        signing_pem,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn patch_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/v1/auth/login",
            None,
            &json!({ "email": email, "password": password }),
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &Value) -> Response {
        self.post_json(
            "/v1/auth/refresh",
            None,
            &json!({ "refresh_token": refresh_token }),
        )
        .await
    }

    /// Logs in and returns the session body; panics unless 200.
    pub async fn session(&self, email: &str, password: &str) -> Value {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        response.json().await.expect("session json")
    }

    pub async fn token(&self, email: &str) -> String {
        self.session(email, PASSWORD).await["access_token"]
            .as_str()
            .expect("access token")
            .to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.token(ADMIN_EMAIL).await
    }

    /// Creates an account with `roles` (as the admin) and returns its id.
    pub async fn create_user(&self, email: &str, roles: &[&str]) -> String {
        let admin = self.admin_token().await;
        let response = self
            .post_json(
                "/v1/users",
                Some(&admin),
                &json!({ "email": email, "password": PASSWORD, "roles": roles }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create {email}");
        let body: Value = response.json().await.expect("user json");
        body["id"].as_str().expect("id").to_owned()
    }

    /// Creates one account per seeded role, named `<role>@example.com`.
    pub async fn create_staff(&self) {
        for role in ["dispatcher", "agent", "viewer", "storefront"] {
            self.create_user(&format!("{role}@example.com"), &[role])
                .await;
        }
    }
}

pub use lom_testing::{assert_problem, problem};
