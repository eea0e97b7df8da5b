//! One socket's life: the handshake (token verified, origin checked, refused with
//! `unauthorized`), its rooms, its token's expiry (watched by [`super::expiry`]), `subscribe`
//! to narrow what it receives and `resume` to replay what it missed.

use std::{fmt, sync::Arc};

use axum::http::header;
use lom_auth::{Permission, Principal, Scope};
use lom_contracts::OrderStatus;
use serde::Deserialize;
use serde_json::json;
use socketioxide::{
    SocketIo,
    extract::{AckSender, SocketRef, State, TryData},
    handler::ConnectHandler,
};

use super::{
    account_limit::{Replaying, whole_seconds},
    hub::{Hub, JoinedAt, TokenIssuedAt, user_room},
    presence::{
        PRESENCE_ROOM, SNAPSHOT_EVENT,
        socket::{SocketToken, on_close, on_open},
    },
    viewer::Viewer,
};

/// The handshake `auth` object.
#[derive(Debug, Deserialize)]
pub struct HandshakeAuth {
    token: String,
    #[serde(default)]
    last_seq: Option<u64>,
    /// Events waiting together may arrive as one `orders.batch`.
    #[serde(default)]
    batch: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscribeRequest {
    #[serde(default)]
    statuses: Option<Vec<OrderStatus>>,
    #[serde(default)]
    assignee: Option<AssigneeFilter>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AssigneeFilter {
    Me,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResumeRequest {
    last_seq: u64,
}

/// The one reason a handshake is refused, whatever went wrong (no oracle).
#[derive(Debug)]
pub struct Unauthorized;

impl fmt::Display for Unauthorized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unauthorized")
    }
}

/// Registers the namespace with its middleware.
pub fn register(io: &SocketIo) {
    io.ns("/", on_connect.with(authenticate));
}

async fn authenticate(
    socket: SocketRef,
    TryData(auth): TryData<HandshakeAuth>,
    State(hub): State<Arc<Hub>>,
) -> Result<(), Unauthorized> {
    if let Some(origin) = socket.req_parts().headers.get(header::ORIGIN)
        && !hub.allowed_origins.contains(origin)
    {
        tracing::warn!(sid = %socket.id, "socket refused: foreign origin");
        return Err(Unauthorized);
    }
    let auth = auth.map_err(|_| Unauthorized)?;
    let claims = hub.verifier.verify(&auth.token).await.map_err(|err| {
        tracing::warn!(sid = %socket.id, reason = %err, "socket refused");
        Unauthorized
    })?;
    let principal = Principal::from_claims(claims);
    let scope = principal
        .scope(Permission::OrdersRead)
        .ok_or(Unauthorized)?;
    if hub.revoked.refuses(principal.user_id, principal.issued_at) {
        tracing::warn!(sid = %socket.id, user_id = %principal.user_id, "socket refused: the session was ended");
        return Err(Unauthorized);
    }
    let viewer = Viewer::new(principal.user_id, scope, principal.expires_at);
    // Here, not in `on_connect`: socketioxide sends the CONNECT answer before it spawns the
    // connect handler, so a client's first `subscribe` (or an event broadcast meanwhile) could
    // arrive before handlers and rooms set up there exist, and be silently dropped. A socket
    // that resumes has its live events held from here until its replay (`on_connect`) is sent.
    let joined_at = hub.join(&socket, rooms(&viewer), auth.last_seq.is_some(), auth.batch);
    socket.extensions.insert(JoinedAt(joined_at));
    socket.on("subscribe", on_subscribe);
    socket.on("resume", on_resume);
    socket.on("presence.open", on_open);
    socket.on("presence.close", on_close);
    socket.extensions.insert(SocketToken(auth.token.into()));
    socket.extensions.insert(viewer);
    socket.extensions.insert(TokenIssuedAt(principal.issued_at));
    socket.extensions.insert(Replaying::default());
    Ok(())
}

async fn on_connect(
    socket: SocketRef,
    TryData(auth): TryData<HandshakeAuth>,
    State(hub): State<Arc<Hub>>,
) {
    let Some(viewer) = socket.extensions.get::<Viewer>() else {
        let _ = socket.disconnect();
        return;
    };
    metrics::gauge!("gateway_sockets").increment(1.0);
    let (sid, expires_at) = (socket.id, viewer.expires_at);
    hub.expiries.watch(sid, expires_at);
    socket.on_disconnect(async move |State(hub): State<Arc<Hub>>| {
        metrics::gauge!("gateway_sockets").decrement(1.0);
        hub.expiries.forget(sid, expires_at);
        hub.forget(sid);
        hub.presence.close(sid).await;
    });
    hub.presence.snapshot_for(&viewer, |payload| {
        let _ = socket.emit(SNAPSHOT_EVENT, payload);
    });
    if let Some(last_seq) = auth.ok().and_then(|a| a.last_seq) {
        let joined_at = socket
            .extensions
            .get::<JoinedAt>()
            .map_or(0, |JoinedAt(at)| at);
        let replaying = socket.extensions.get::<Replaying>().unwrap_or_default();
        match (hub.replays.check(viewer.user_id), replaying.start()) {
            (Ok(()), Some(_running)) => {
                // Everything after the join was held: the replay sends all it may see.
                hub.replay(&socket, &viewer, last_seq, joined_at, joined_at)
                    .await;
            }
            // Reconnecting faster than any dashboard does: refetch instead of replaying.
            _ => {
                hub.resync(&socket, "replay-limit");
                hub.release(&socket, joined_at).await;
            }
        }
    }
}

/// A filter names each status at most once (so at most every status once).
fn validated(request: SubscribeRequest) -> Result<SubscribeRequest, String> {
    if let Some(statuses) = &request.statuses {
        let mut seen = std::collections::HashSet::new();
        if statuses.len() > OrderStatus::ALL.len() || !statuses.iter().all(|s| seen.insert(*s)) {
            return Err(format!(
                "statuses must name each status at most once ({} at most)",
                OrderStatus::ALL.len()
            ));
        }
    }
    Ok(request)
}

/// The rooms of a socket's view, of its user, and of presence when it reads every order.
fn rooms(viewer: &Viewer) -> Vec<String> {
    let mut rooms = viewer.rooms();
    rooms.push(user_room(viewer.user_id));
    if viewer.scope == Scope::All {
        rooms.push(PRESENCE_ROOM.to_owned());
    }
    rooms
}

async fn on_subscribe(
    socket: SocketRef,
    TryData(request): TryData<SubscribeRequest>,
    State(hub): State<Arc<Hub>>,
    ack: AckSender,
) {
    let Some(viewer) = socket.extensions.get::<Viewer>() else {
        return;
    };
    let request = match request.map_err(|err| err.to_string()).and_then(validated) {
        Ok(request) => request,
        Err(err) => {
            let _ = ack.send(&json!({ "ok": false, "error": format!("invalid subscribe: {err}") }));
            return;
        }
    };
    let viewer = viewer.filtered(
        request.statuses,
        request.assignee == Some(AssigneeFilter::Me),
    );
    hub.rejoin(&socket, rooms(&viewer));
    let answer = json!({
        "ok": true,
        "statuses": viewer.statuses.as_ref().map(|s| s.iter().map(|x| x.as_str()).collect::<Vec<_>>()),
        "assignee": if viewer.mine { Some("me") } else { None },
    });
    socket.extensions.insert(viewer);
    let _ = ack.send(&answer);
}

async fn on_resume(
    socket: SocketRef,
    TryData(request): TryData<ResumeRequest>,
    State(hub): State<Arc<Hub>>,
    ack: AckSender,
) {
    let Some(viewer) = socket.extensions.get::<Viewer>() else {
        return;
    };
    let Ok(request) = request else {
        let _ = ack.send(&json!({ "ok": false, "error": "expected {last_seq: number}" }));
        return;
    };
    let replaying = socket.extensions.get::<Replaying>().unwrap_or_default();
    let Some(_running) = replaying.start() else {
        let _ = ack.send(&json!({ "ok": false, "error": "a replay is already running on this socket; wait for its answer" }));
        return;
    };
    if let Err(wait) = hub.replays.check(viewer.user_id) {
        let seconds = whole_seconds(wait);
        let _ = ack.send(&json!({
            "ok": false,
            "error": format!("too many replays for this account; try again in {seconds} s"),
            "retry_after": seconds,
        }));
        return;
    }
    let joined_at = socket
        .extensions
        .get::<JoinedAt>()
        .map_or(0, |JoinedAt(at)| at);
    let held_at = hub.hold(&socket);
    let outcome = hub
        .replay(&socket, &viewer, request.last_seq, joined_at, held_at)
        .await;
    let _ = ack.send(&json!({ "ok": true, "outcome": outcome, "last_seq": hub.last_seq() }));
}
