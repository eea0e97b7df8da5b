//! Socket.IO keeps each connection's request head (headers, URI) for the socket's whole life.
//! hyper parses them as zero-copy slices of its connection read buffer (16 KB), so that buffer
//! would stay allocated as long as the socket: half of an idle socket's memory. This copies a
//! Socket.IO request's head into allocations of its own before the Socket.IO layer keeps it.

use axum::{
    extract::{OriginalUri, Request},
    http::{HeaderMap, HeaderName, HeaderValue, Uri},
};

/// The path prefix of the Socket.IO endpoint; other requests pass untouched.
const SOCKET_IO: &str = "/socket.io";

pub async fn own_request_head(mut request: Request) -> Request {
    if !request.uri().path().starts_with(SOCKET_IO) {
        return request;
    }
    let shared = std::mem::take(request.headers_mut());
    let mut owned = HeaderMap::with_capacity(shared.len());
    for (name, value) in &shared {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_str().as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            owned.append(name, value);
        }
    }
    *request.headers_mut() = owned;
    if let Ok(uri) = Uri::try_from(request.uri().to_string()) {
        // The router's copy of the URI is a slice of the same buffer.
        if let Some(OriginalUri(original)) = request.extensions_mut().get_mut::<OriginalUri>() {
            original.clone_from(&uri);
        }
        *request.uri_mut() = uri;
    }
    request
}

#[cfg(test)]
mod tests {
    use axum::body::Body;

    use super::*;

    #[tokio::test]
    async fn a_socket_io_head_is_copied_whole_and_other_requests_are_untouched() {
        let request = Request::builder()
            .uri("/socket.io/?EIO=4&transport=websocket")
            .header("origin", "http://localhost:3000")
            .header("x-custom", "a")
            .header("x-custom", "b")
            .body(Body::empty())
            .unwrap();
        let owned = own_request_head(request).await;
        assert_eq!(owned.uri(), "/socket.io/?EIO=4&transport=websocket");
        assert_eq!(owned.headers()["origin"], "http://localhost:3000");
        let custom: Vec<_> = owned.headers().get_all("x-custom").iter().collect();
        assert_eq!(custom, ["a", "b"]);
    }
}
