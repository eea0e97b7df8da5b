//! A careless client: it sends a whole HTTP/1.1 request, waits a while, then resets the
//! connection without reading the answer — which makes the server drop the request's future
//! wherever it happens to be.

use std::{net::SocketAddr, time::Duration};

use tokio::{io::AsyncWriteExt, net::TcpStream};

/// One request, as raw as a client would send it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub method: &'static str,
    pub path: String,
    pub bearer: Option<String>,
    pub headers: Vec<(&'static str, String)>,
    pub json: Option<String>,
}

impl RawRequest {
    pub fn new(method: &'static str, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            bearer: None,
            headers: Vec::new(),
            json: None,
        }
    }

    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn json(mut self, body: impl ToString) -> Self {
        self.json = Some(body.to_string());
        self
    }

    pub(crate) fn to_bytes(&self, host: SocketAddr) -> Vec<u8> {
        let mut head = format!("{} {} HTTP/1.1\r\nhost: {host}\r\n", self.method, self.path);
        if let Some(token) = &self.bearer {
            head.push_str(&format!("authorization: Bearer {token}\r\n"));
        }
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        let body = self.json.as_deref().unwrap_or_default();
        if self.json.is_some() {
            head.push_str("content-type: application/json\r\n");
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body.as_bytes());
        bytes
    }
}

/// Sends `request` to `server`, waits `after`, then resets the connection (RST, no answer
/// read). Returns once the connection is gone.
pub async fn abandon(server: SocketAddr, request: &RawRequest, after: Duration) {
    let Ok(mut stream) = TcpStream::connect(server).await else {
        return;
    };
    let _ = stream.set_nodelay(true);
    if stream.write_all(&request.to_bytes(server)).await.is_err() {
        return;
    }
    tokio::time::sleep(after).await;
    // A zero linger makes the close a reset, as a killed client's would be.
    let _ = stream.set_zero_linger();
    drop(stream);
}
