//! The test harness: `spawn_app` starts users-service on a fresh database with a seeded
//! admin and returns a `TestApp`: lom-testing's request client (it derefs to it) with the
//! sign-in and account helpers of these tests.

use lom_testing::{Api, Role};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;
use users_service::{configuration::Settings, startup::Application};

pub use users_service::test_support::{ADMIN_EMAIL, PASSWORD};

pub struct TestApp {
    pub api: Api,
    pub db: PgPool,
    pub signing_pem: String,
}

impl std::ops::Deref for TestApp {
    type Target = Api;

    fn deref(&self) -> &Api {
        &self.api
    }
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
    let api = Api::new(format!("http://127.0.0.1:{}", app.port()));
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        api,
        db: pool,
        signing_pem,
    }
}

impl TestApp {
    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post(
            "/v1/auth/login",
            None,
            &json!({ "email": email, "password": password }),
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &Value) -> Response {
        self.post(
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
            .post(
                "/v1/users",
                &admin,
                &json!({ "email": email, "password": PASSWORD, "roles": roles }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create {email}");
        let body: Value = response.json().await.expect("user json");
        body["id"].as_str().expect("id").to_owned()
    }

    /// Creates one account per seeded role, named `<role>@example.com`.
    pub async fn create_staff(&self) {
        for role in [
            Role::Dispatcher,
            Role::Agent,
            Role::Viewer,
            Role::Storefront,
        ] {
            let role = role.name();
            self.create_user(&format!("{role}@example.com"), &[role])
                .await;
        }
    }
}

pub use lom_testing::{assert_problem, problem};
