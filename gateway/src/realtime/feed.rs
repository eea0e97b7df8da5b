//! The gateway's one subscription to `orders.events`, kept alive by reconnecting with backoff.
//! Events are delivered in `seq` order: a jump is filled from the history first. After a
//! reconnect to the same Redis server the gateway replays what it missed from the history;
//! when the server restarted (its `run_id` changed: history and `seq` may be gone) or the
//! history cannot cover the gap, it tells every dashboard to resync. Account revocations
//! arrive on the same subscription; on every (re)subscribe the kept ones are read again. So do
//! presence changes; on every (re)subscribe everyone's presence is read again.

use std::{sync::Arc, time::Duration};

use futures_util::StreamExt;
use lom_contracts::UserRevoked;
use redis::Client;
use socketioxide::SocketIo;

use super::{
    history::{Missed, PAGE},
    hub::{Hub, Outgoing},
};

/// Runs forever: subscribe to the order events and the account revocations, deliver,
/// reconnect.
pub async fn run(
    hub: Arc<Hub>,
    io: SocketIo,
    client: Client,
    channel: String,
    users_channel: String,
) {
    let mut backoff = Duration::from_millis(100);
    let mut server: Option<String> = None;
    let presence_channel = hub.presence.channel();
    loop {
        match client.get_async_pubsub().await {
            Ok(mut pubsub) => match pubsub
                .subscribe(&[&channel, &users_channel, &presence_channel])
                .await
            {
                Ok(()) => {
                    tracing::info!(%channel, "subscribed to the event stream");
                    metrics::gauge!("gateway_event_stream_up").set(1.0);
                    backoff = Duration::from_millis(100);
                    let run_id = hub.history.server_run_id().await.ok();
                    match (&server, &run_id) {
                        (None, _) => {}
                        (Some(before), Some(now)) if before == now => catch_up(&hub, &io).await,
                        _ => {
                            hub.resync_all(&io, "stream-restarted").await;
                            hub.set_last_seq(0);
                        }
                    }
                    server = run_id.or(server);
                    // Revocations announced while this gateway was not listening.
                    match hub.history.revocations().await {
                        Ok(revocations) => {
                            for revoked in revocations {
                                hub.revoke(&io, revoked).await;
                            }
                        }
                        Err(err) => tracing::warn!(error = %err, "could not read the revocations"),
                    }
                    hub.presence.reload(&io).await;
                    let mut messages = pubsub.into_on_message();
                    while let Some(message) = messages.next().await {
                        let json = match message.get_payload::<String>() {
                            Ok(json) => json,
                            Err(err) => {
                                tracing::warn!(error = %err, "unreadable event payload");
                                continue;
                            }
                        };
                        if message.get_channel_name() == presence_channel {
                            hub.presence.changed(&io, &json);
                        } else if message.get_channel_name() == users_channel {
                            match serde_json::from_str::<UserRevoked>(&json) {
                                Ok(revoked) => hub.revoke(&io, revoked).await,
                                Err(err) => {
                                    tracing::warn!(error = %err, "unreadable account message")
                                }
                            }
                        } else {
                            receive(&hub, &io, &json).await;
                        }
                    }
                    tracing::warn!("event stream subscription lost; reconnecting");
                    metrics::gauge!("gateway_event_stream_up").set(0.0);
                }
                Err(err) => tracing::warn!(error = %err, "subscribe failed"),
            },
            Err(err) => tracing::warn!(error = %err, "event stream unreachable"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(2));
    }
}

/// One event from the subscription, delivered after any events it skipped over.
async fn receive(hub: &Hub, io: &SocketIo, json: &str) {
    let event = match Outgoing::parse(json) {
        Ok(event) => event,
        Err(err) => {
            tracing::warn!(error = %err, "event does not match the contract; dropped");
            return;
        }
    };
    let last = hub.last_seq();
    if last != 0 && event.seq == last {
        return;
    }
    if last != 0 && event.seq < last {
        // The counter went backwards: Redis lost its data and the stream restarted.
        hub.resync_all(io, "stream-restarted").await;
    } else if last != 0 && event.seq > last + 1 && !fill_gap(hub, io, last, event.seq).await {
        hub.resync_all(io, "events-lost").await;
    }
    hub.deliver(io, event).await;
}

/// Delivers the events between `last` and `next` from the history; false if they are gone.
async fn fill_gap(hub: &Hub, io: &SocketIo, last: u64, next: u64) -> bool {
    let mut after = last;
    while after + 1 < next {
        let events = match hub.history.since(after, PAGE).await {
            Ok(Missed::Events(events)) if !events.is_empty() => events,
            Ok(_) => return false,
            Err(err) => {
                tracing::warn!(error = %err, "history unreachable while filling a gap");
                return false;
            }
        };
        let before = after;
        for (seq, json) in events.into_iter().take_while(|(seq, _)| *seq < next) {
            after = seq;
            match Outgoing::parse(&json) {
                Ok(event) => hub.deliver(io, event).await,
                Err(err) => tracing::warn!(seq, error = %err, "history event unreadable"),
            }
        }
        if after == before {
            return false;
        }
    }
    true
}

/// After a reconnect: deliver what was published while the subscription was down.
async fn catch_up(hub: &Hub, io: &SocketIo) {
    let (mut after, mut count) = (hub.last_seq(), 0);
    loop {
        match hub.history.since(after, PAGE).await {
            Ok(Missed::Events(events)) => {
                let last_page = events.len() < PAGE;
                count += events.len();
                for (seq, json) in events {
                    after = seq;
                    if let Ok(event) = Outgoing::parse(&json) {
                        hub.deliver(io, event).await;
                    }
                }
                if last_page {
                    break;
                }
            }
            Ok(Missed::Gone) | Err(_) => {
                hub.resync_all(io, "gateway-resubscribed").await;
                hub.set_last_seq(0);
                return;
            }
        }
    }
    tracing::info!(count, "caught up from the history after reconnecting");
}
