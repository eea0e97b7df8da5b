//! `POST /v1/orders/{id}/notes`: an internal note on an order — plain text, at most
//! [`NOTE_MAX`] characters, line breaks allowed — by whoever may change the order
//! (`orders:update`: agents on their own orders; viewers only read). The note becomes part of
//! the order's history and goes out as an `order.noted` event; the order itself (and its
//! `version`) does not change.

use axum::{extract::State, http::StatusCode};
use lom_auth::{Permission, Principal};
use lom_contracts::NoteAdded;
use lom_platform::{FieldError, Json, Path, Problem, db, openapi::Problems};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::in_scope;
use crate::{
    domain::Text,
    error::{ApiResult, order_not_found},
    repository,
    state::AppState,
    views::NoteView,
};

/// The longest note, in characters.
pub const NOTE_MAX: usize = 2000;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": "Customer called: leave it at the back door."}))]
pub struct NewNoteRequest {
    /// Plain text (never rendered as markup), 1 to 2000 characters, line breaks allowed, no
    /// other control characters.
    #[schema(min_length = 1, max_length = 2000)]
    text: String,
}

/// Write an internal note on an order.
#[utoipa::path(
    post,
    path = "/v1/orders/{id}/notes",
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    request_body = NewNoteRequest,
    responses(
        (status = 201, description = "The note, now in the order's history", body = NoteView),
        Problems<400, 401, 403, 404, 422>,
    )
)]
pub async fn add_note(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    Json(request): Json<NewNoteRequest>,
) -> ApiResult<(StatusCode, Json<NoteView>)> {
    let scope = principal.require(Permission::OrdersUpdate)?;
    let text = Text::multiline(&request.text, NOTE_MAX)
        .map_err(|message| Problem::validation(vec![FieldError::new("text", message)]))?;
    let author = principal.user_id;
    db::detached(async move {
        let mut tx = state.db.begin().await?;
        let order = repository::lock_current(&mut tx, id)
            .await?
            .filter(|order| in_scope(scope, order.assignee_id, author))
            .ok_or_else(order_not_found)?;
        let note = repository::insert_note(&mut tx, id, author, text.as_str()).await?;
        repository::write_note_event(
            &mut tx,
            &order,
            NoteAdded {
                id: note.id,
                author_id: note.author_id,
                text: note.body.clone(),
                created_at: note.created_at,
            },
        )
        .await?;
        db::commit(tx).await?;
        Ok((StatusCode::CREATED, Json(NoteView::new(id, note))))
    })
    .await
}
