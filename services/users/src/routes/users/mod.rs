//! `/v1/users`: staff accounts (list, create, read, change), the assignable staff list and
//! everyone's display name, one file per action. Reading needs `users:read`, changing
//! `users:manage`, the assignable list `orders:assign`, the names `orders:read`.

mod assignable;
mod create;
mod get;
mod list;
mod names;
mod update;

use lom_platform::FieldError;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{error::ApiResult, repository::roles, state::AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::list_users, create::create_user))
        .routes(routes!(assignable::list_assignable))
        .routes(routes!(assignable::get_assignable))
        .routes(routes!(names::list_names))
        .routes(routes!(get::get_user, update::update_user))
}

/// Role ids for `names`; unknown, duplicate or missing roles are field errors.
async fn resolve_roles(
    state: &AppState,
    names: &[String],
    errors: &mut Vec<FieldError>,
) -> ApiResult<Vec<i16>> {
    if names.is_empty() {
        errors.push(FieldError::new("roles", "must name at least one role"));
        return Ok(Vec::new());
    }
    if names.len() > 16 {
        errors.push(FieldError::new("roles", "must name at most 16 roles"));
        return Ok(Vec::new());
    }
    // A name that cannot be a role (control characters such as NUL, overlong) is reported
    // without asking the database, which could not even store it.
    let plausible: Vec<String> = names
        .iter()
        .filter(|n| n.len() <= 64 && !n.chars().any(char::is_control))
        .cloned()
        .collect();
    let found = roles::resolve(&state.db, &plausible).await?;
    let ids: Vec<Option<i16>> = names
        .iter()
        .map(|n| plausible.iter().position(|p| p == n).and_then(|i| found[i]))
        .collect();
    let mut resolved = Vec::new();
    for (i, (name, id)) in names.iter().zip(ids).enumerate() {
        match id {
            Some(id) if !resolved.contains(&id) => resolved.push(id),
            Some(_) => errors.push(FieldError::new(format!("roles[{i}]"), "is named twice")),
            None => errors.push(FieldError::new(
                format!("roles[{i}]"),
                format!("no role is named {name:?}"),
            )),
        }
    }
    Ok(resolved)
}
