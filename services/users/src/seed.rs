//! The first administrator: created on start from `LOM_ADMIN_EMAIL`/`LOM_ADMIN_PASSWORD` when
//! no active admin exists, so a fresh install can be signed into and nothing is hard-coded.

use anyhow::{Context, bail};
use secrecy::ExposeSecret;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    configuration::AdminSeed,
    domain::{DisplayName, Email, NewPassword, PasswordHasher},
    repository::{audit, roles, users},
};

/// Creates the admin of `seed` unless an active admin already exists; true when created.
pub async fn ensure_admin(
    db: &PgPool,
    hasher: &PasswordHasher,
    seed: &AdminSeed,
) -> anyhow::Result<bool> {
    let email = Email::parse(&seed.email).map_err(|m| anyhow::anyhow!("LOM_ADMIN_EMAIL {m}"))?;
    let password = NewPassword::parse(seed.password.expose_secret())
        .map_err(|m| anyhow::anyhow!("LOM_ADMIN_PASSWORD {m}"))?;

    let mut tx = db.begin().await?;
    // One seeding at a time, even with several instances starting together.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('users.seed_admin'))")
        .execute(&mut *tx)
        .await?;
    if users::count_other_active_admins(&mut tx, None).await? > 0 {
        return Ok(false);
    }
    if users::credentials(db, &email).await?.is_some() {
        bail!(
            "LOM_ADMIN_EMAIL {email} belongs to an existing account that is not an active admin; choose another email or grant it the admin role"
        );
    }
    let admin_role = roles::resolve(&mut *tx, &["admin".to_owned()])
        .await?
        .into_iter()
        .flatten()
        .next()
        .context("the admin role is missing: migrations did not run")?;
    let hash = hasher.hash(&password).await?;
    let id = Uuid::now_v7();
    let name = DisplayName::parse("Administrator").map_err(anyhow::Error::msg)?;
    users::insert(&mut tx, id, &email, &name, &hash).await?;
    users::replace_roles(&mut tx, id, &[admin_role], None).await?;
    audit::record(
        &mut tx,
        audit::Entry {
            actor: None,
            action: audit::Action::AdminSeeded,
            target: Some(id),
            details: json!({ "email": email.as_str() }),
            request_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %id, "seeded the first administrator");
    Ok(true)
}
