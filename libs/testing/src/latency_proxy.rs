//! A TCP proxy that holds every chunk for a fixed delay in each direction: put it between a
//! service and PostgreSQL to turn sub-millisecond round trips into windows a test can hit.

use std::{net::SocketAddr, time::Duration};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{
        TcpListener, TcpStream,
        tcp::{OwnedReadHalf, OwnedWriteHalf},
    },
    task::JoinSet,
};

/// Forwards connections on [`LatencyProxy::addr`] to the upstream; stops with its value.
pub struct LatencyProxy {
    addr: SocketAddr,
    tasks: JoinSet<()>,
}

impl LatencyProxy {
    /// Listens on a free loopback port and forwards to `host:port`, `delay` each way.
    pub async fn start(host: &str, port: u16, delay: Duration) -> Self {
        let upstream: std::sync::Arc<str> = format!("{host}:{port}").into();
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the latency proxy");
        let addr = listener.local_addr().expect("proxy address");
        let mut tasks = JoinSet::new();
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((client, _)) = listener.accept().await {
                connections.spawn(forward(client, upstream.clone(), delay));
            }
        });
        Self { addr, tasks }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for LatencyProxy {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}

async fn forward(client: TcpStream, upstream: std::sync::Arc<str>, delay: Duration) {
    let Ok(server) = TcpStream::connect(&*upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    // Either direction ending closes both: the connection is gone.
    tokio::select! {
        () = pump(client_read, server_write, delay) => {}
        () = pump(server_read, client_write, delay) => {}
    }
}

async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, delay: Duration) {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        tokio::time::sleep(delay).await;
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}
