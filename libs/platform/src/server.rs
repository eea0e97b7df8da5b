//! Serving an app: a [`Listener`] bound before the app is built (port 0 in tests, its port
//! known at once), TCP_NODELAY on every connection, peer addresses available to handlers,
//! and graceful shutdown on SIGTERM/SIGINT that lets in-flight requests finish, bounded by a
//! drain timeout so a connection that never ends cannot keep the process alive.

use std::{future::Future, net::SocketAddr, time::Duration};

use axum::{Router, serve::ListenerExt};
use tokio::net::TcpListener;

/// How long in-flight requests may take to finish after a shutdown signal.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// The socket a service listens on, bound when the service is built.
#[derive(Debug)]
pub struct Listener(TcpListener);

impl Listener {
    /// Binds `addr`; port 0 picks a free port.
    pub async fn bind(addr: SocketAddr) -> std::io::Result<Self> {
        TcpListener::bind(addr)
            .await
            .map(Self)
            .map_err(|err| std::io::Error::new(err.kind(), format!("binding {addr}: {err}")))
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.0
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    /// Serves `app` until `shutdown` resolves, then drains in-flight requests for at most
    /// [`DRAIN_TIMEOUT`].
    pub async fn serve(
        self,
        app: Router,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        serve(self.0, app, shutdown).await
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains in-flight requests for
/// at most [`DRAIN_TIMEOUT`].
async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::warn!(%err, "could not set TCP_NODELAY");
        }
    });
    let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
    let graceful = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stopping_tx.send(());
    });
    let deadline = async move {
        if stopping_rx.await.is_err() {
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(DRAIN_TIMEOUT).await;
    };
    tokio::select! {
        result = graceful => result,
        () = deadline => {
            tracing::warn!(timeout_secs = DRAIN_TIMEOUT.as_secs(), "drain timed out; stopping with requests still open");
            Ok(())
        }
    }
}

/// Resolves on the first SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutdown signal received; draining in-flight requests");
}
