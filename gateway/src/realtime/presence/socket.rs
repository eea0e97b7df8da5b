//! The client events of presence: `presence.open {order_id}` (with an ack) checks that the
//! socket's user may read the order, by asking orders-service with the socket's own token
//! (which also tells the order's assignee), and records it; `presence.close` (with an ack)
//! forgets it. Both are limited per account like replays.

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use serde::Deserialize;
use serde_json::{Value, json};
use socketioxide::extract::{AckSender, SocketRef, State, TryData};
use uuid::Uuid;

use super::super::{account_limit::whole_seconds, hub::Hub, viewer::Viewer};
use crate::upstream::Service;

/// The access token a socket was opened with (kept in its extensions), for the calls the
/// gateway makes on its behalf.
#[derive(Clone)]
pub struct SocketToken(pub Arc<str>);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenRequest {
    order_id: Uuid,
}

/// Why an order cannot be opened.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// No such order, or not one this user may read (the same answer for both).
    NotFound,
    Unavailable,
}

fn refused(error: impl Into<String>) -> Value {
    json!({ "ok": false, "error": error.into() })
}

/// The limiter's answer as an ack, when the account asked too often.
fn limited(hub: &Hub, user: Uuid) -> Option<Value> {
    hub.presence.limiter.check(user).err().map(|wait| {
        let seconds = whole_seconds(wait);
        json!({
            "ok": false,
            "error": format!("too many presence changes for this account; try again in {seconds} s"),
            "retry_after": seconds,
        })
    })
}

/// The assignee of `order_id`, if the token's user may read the order.
async fn assignee_of(hub: &Hub, token: &str, order_id: Uuid) -> Result<Option<Uuid>, Refusal> {
    let mut headers = HeaderMap::new();
    let bearer =
        HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| Refusal::NotFound)?;
    headers.insert(header::AUTHORIZATION, bearer);
    let reply = hub
        .presence
        .upstreams()
        .send(
            Service::Orders,
            Method::GET,
            &format!("/v1/orders/{order_id}"),
            headers,
            Default::default(),
        )
        .await
        .map_err(|_| Refusal::Unavailable)?;
    match reply.status {
        StatusCode::OK => {
            #[derive(Deserialize)]
            struct Assigned {
                assignee_id: Option<Uuid>,
            }
            serde_json::from_slice::<Assigned>(&reply.body)
                .map(|order| order.assignee_id)
                .map_err(|_| Refusal::Unavailable)
        }
        StatusCode::NOT_FOUND | StatusCode::FORBIDDEN => Err(Refusal::NotFound),
        _ => Err(Refusal::Unavailable),
    }
}

pub async fn on_open(
    socket: SocketRef,
    TryData(request): TryData<OpenRequest>,
    State(hub): State<Arc<Hub>>,
    ack: AckSender,
) {
    let (Some(viewer), Some(SocketToken(token))) = (
        socket.extensions.get::<Viewer>(),
        socket.extensions.get::<SocketToken>(),
    ) else {
        return;
    };
    let answer = match request {
        Err(_) => refused("expected {order_id: uuid}"),
        Ok(request) => match limited(&hub, viewer.user_id) {
            Some(answer) => answer,
            None => match assignee_of(&hub, &token, request.order_id).await {
                Ok(assignee) => {
                    hub.presence
                        .open(socket.id, &viewer, request.order_id, assignee)
                        .await;
                    json!({ "ok": true })
                }
                Err(Refusal::NotFound) => refused("no such order"),
                Err(Refusal::Unavailable) => refused("orders are unavailable; try again shortly"),
            },
        },
    };
    let _ = ack.send(&answer);
}

pub async fn on_close(socket: SocketRef, State(hub): State<Arc<Hub>>, ack: AckSender) {
    let Some(viewer) = socket.extensions.get::<Viewer>() else {
        return;
    };
    let answer = match limited(&hub, viewer.user_id) {
        Some(answer) => answer,
        None => {
            hub.presence.close(socket.id).await;
            json!({ "ok": true })
        }
    };
    let _ = ack.send(&answer);
}
