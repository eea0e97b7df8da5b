//! A minimal Socket.IO v5 client over Engine.IO v4, WebSocket transport only: the handshake
//! (`0` open, `40{auth}` connect, `40`/`44` answer), pong for every ping, and the text of each
//! event packet (`42[...]`) handed to the caller unparsed — each event of an `orders.batch`
//! (sent to a socket whose `auth` has `batch: true`) as if it had come alone. Enough to act as
//! thousands of dashboards from one lean process.

use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, tungstenite::Message};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The WebSocket URL of a Socket.IO server whose HTTP base is `base` (`http://host:port`).
pub fn ws_url(base: &str) -> String {
    let base = base.trim_end_matches('/');
    let rest = base
        .strip_prefix("http://")
        .or_else(|| base.strip_prefix("ws://"))
        .unwrap_or(base);
    format!("ws://{rest}/socket.io/?EIO=4&transport=websocket")
}

/// Opens a socket and joins the default namespace with `auth` (a JSON object).
pub async fn connect(url: &str, auth: &str) -> anyhow::Result<Ws> {
    let (mut ws, _) = tokio::time::timeout(
        Duration::from_secs(10),
        tokio_tungstenite::connect_async(url),
    )
    .await
    .context("WebSocket connect timed out")?
    .context("WebSocket connect")?;
    if let MaybeTlsStream::Plain(tcp) = ws.get_ref() {
        let _ = tcp.set_nodelay(true);
    }
    let open = next_text(&mut ws).await?;
    if !open.starts_with('0') {
        bail!("expected the Engine.IO open packet, got {open:?}");
    }
    ws.send(Message::text(format!("40{auth}"))).await?;
    loop {
        let packet = next_text(&mut ws).await?;
        if packet.starts_with("40") {
            return Ok(ws);
        }
        if packet.starts_with("44") {
            bail!("connect refused: {packet}");
        }
        if packet == "2" {
            ws.send(Message::text("3")).await?;
        }
    }
}

async fn next_text(ws: &mut Ws) -> anyhow::Result<String> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .context("no answer from the Socket.IO server within 10 s")?
            .context("the server closed the socket")??;
        match message {
            Message::Text(text) => return Ok(text.as_str().to_owned()),
            Message::Close(frame) => bail!("the server closed the socket: {frame:?}"),
            _ => {}
        }
    }
}

/// What a socket received, packet by packet.
pub enum Packet<'a> {
    /// `42["name", payload]`: the event name and the whole packet text.
    Event { name: &'a str, text: &'a str },
    /// Anything else the caller need not see (pings are answered by [`Reader`]).
    Other,
}

/// Classifies one Engine.IO text frame.
pub fn classify(text: &str) -> Packet<'_> {
    let Some(rest) = text.strip_prefix("42[\"") else {
        return Packet::Other;
    };
    match rest.find('"') {
        Some(end) => Packet::Event {
            name: &rest[..end],
            text,
        },
        None => Packet::Other,
    }
}

/// Several events in one packet: `42["orders.batch",{"events":[{"seq":…},…]}]`.
pub const BATCH_EVENT: &str = "orders.batch";
const TYPE_KEY: &str = "\"type\":\"";
/// How each event object of a batch begins (the gateway serialises `seq` first). It cannot occur
/// inside a JSON string, whose quotes are escaped.
const EVENT_START: &str = "{\"seq\":";

/// The text of each event in an `orders.batch` packet, in order.
pub fn batched_events(text: &str) -> impl Iterator<Item = &str> {
    let mut starts: Vec<usize> = text.match_indices(EVENT_START).map(|(at, _)| at).collect();
    starts.push(text.len());
    (0..starts.len() - 1).map(move |i| &text[starts[i]..starts[i + 1]])
}

/// Why a socket stopped reading.
#[derive(Debug)]
pub enum Closed {
    /// Asked to stop.
    Stopped,
    /// The server closed it or the connection failed (why).
    Lost(String),
}

/// Reads packets until `stop` fires or the socket closes, answering pings; `on_event` sees
/// every event packet.
pub async fn read_events(
    mut ws: Ws,
    mut stop: tokio::sync::watch::Receiver<bool>,
    mut on_event: impl FnMut(&str, &str),
) -> Closed {
    loop {
        tokio::select! {
            biased;
            message = ws.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    let text = text.as_str();
                    if text == "2" {
                        if let Err(err) = ws.send(Message::text("3")).await {
                            return Closed::Lost(err.to_string());
                        }
                    } else if let Packet::Event { name, text } = classify(text) {
                        if name == BATCH_EVENT {
                            for event in batched_events(text) {
                                on_event(string_after(event, TYPE_KEY).unwrap_or(""), event);
                            }
                        } else {
                            on_event(name, text);
                        }
                    } else if text.starts_with('1') || text.starts_with("41") {
                        return Closed::Lost(format!("server closed: {text}"));
                    }
                }
                Some(Ok(Message::Close(frame))) => return Closed::Lost(format!("close frame {frame:?}")),
                Some(Ok(_)) => {}
                Some(Err(err)) => return Closed::Lost(err.to_string()),
                None => return Closed::Lost("end of stream".into()),
            },
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    let _ = ws.close(None).await;
                    return Closed::Stopped;
                }
            }
        }
    }
}

/// The number after `"key":` in `text` (first occurrence).
pub fn number_after(text: &str, key: &str) -> Option<u64> {
    let start = text.find(key)? + key.len();
    let digits = text[start..].bytes().take_while(u8::is_ascii_digit).count();
    text[start..start + digits].parse().ok()
}

/// The string value after `key` (which ends with the opening quote), up to the closing quote.
pub fn string_after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let start = text.find(key)? + key.len();
    let len = text[start..].find('"')?;
    Some(&text[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_packet_is_classified_with_its_name() {
        let text = r#"42["order.created",{"seq":12,"order":{"customer_name":"bench 99"}}]"#;
        let Packet::Event { name, .. } = classify(text) else {
            panic!("not an event");
        };
        assert_eq!(name, "order.created");
        assert_eq!(number_after(text, "\"seq\":"), Some(12));
        assert_eq!(string_after(text, "\"customer_name\":\"bench "), Some("99"));
    }

    #[test]
    fn each_event_of_a_batch_is_read_alone_in_order() {
        let text = r#"42["orders.batch",{"events":[{"seq":7,"type":"order.created","order":{"customer_name":"bench 1 {\"seq\":9"}},{"seq":8,"type":"order.left","order":{}}]}]"#;
        let events: Vec<_> = batched_events(text)
            .map(|e| (number_after(e, "\"seq\":"), string_after(e, TYPE_KEY)))
            .collect();
        assert_eq!(
            events,
            [
                (Some(7), Some("order.created")),
                (Some(8), Some("order.left"))
            ]
        );
    }

    #[test]
    fn pings_and_acks_are_not_events() {
        assert!(matches!(classify("2"), Packet::Other));
        assert!(matches!(classify("430[{}]"), Packet::Other));
    }

    #[test]
    fn the_websocket_url_follows_the_http_base() {
        assert_eq!(
            ws_url("http://127.0.0.1:9000/"),
            "ws://127.0.0.1:9000/socket.io/?EIO=4&transport=websocket"
        );
    }
}
