//! A TCP proxy that holds every chunk for a fixed delay in each direction: put it between a
//! service and PostgreSQL to turn sub-millisecond round trips into windows a test can hit.
//! It can also lose the answer to a COMMIT: PostgreSQL applies it, the service never hears.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

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

/// What the proxy does to the traffic besides delaying it.
#[derive(Clone, Copy)]
enum Fault {
    None,
    /// On a connection that has sent this marker, the next `COMMIT` reaches the server and the
    /// connection is cut before its answer comes back.
    LoseCommitAnswerAfter(&'static [u8]),
}

impl LatencyProxy {
    /// Listens on a free loopback port and forwards to `host:port`, `delay` each way.
    pub async fn start(host: &str, port: u16, delay: Duration) -> Self {
        Self::start_on("127.0.0.1:0".parse().expect("loopback"), host, port, delay).await
    }

    /// Listens on `addr` (a port the test reserved, so that clients can be told it before the
    /// proxy exists: a database "coming up") and forwards to `host:port`, `delay` each way.
    pub async fn start_on(addr: SocketAddr, host: &str, port: u16, delay: Duration) -> Self {
        Self::listen(addr, host, port, delay, Fault::None).await
    }

    /// Forwards to `host:port` without delay, except that on a connection which has sent
    /// `marker` (say `INSERT INTO orders`) the next `COMMIT` reaches PostgreSQL — which applies
    /// it — and the connection is cut before the answer comes back: a commit whose outcome the
    /// client cannot know.
    pub async fn losing_commit_answers(host: &str, port: u16, marker: &'static [u8]) -> Self {
        let loopback = "127.0.0.1:0".parse().expect("loopback");
        let fault = Fault::LoseCommitAnswerAfter(marker);
        Self::listen(loopback, host, port, Duration::ZERO, fault).await
    }

    async fn listen(
        addr: SocketAddr,
        host: &str,
        port: u16,
        delay: Duration,
        fault: Fault,
    ) -> Self {
        let upstream: Arc<str> = format!("{host}:{port}").into();
        let listener = TcpListener::bind(addr)
            .await
            .expect("bind the latency proxy");
        let addr = listener.local_addr().expect("proxy address");
        let mut tasks = JoinSet::new();
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((client, _)) = listener.accept().await {
                connections.spawn(forward(client, upstream.clone(), delay, fault));
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

async fn forward(client: TcpStream, upstream: Arc<str>, delay: Duration, fault: Fault) {
    let Ok(server) = TcpStream::connect(&*upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    // Set before a doomed COMMIT is forwarded, so that not a byte of its answer gets back.
    let cut = Arc::new(AtomicBool::new(false));
    // Either direction ending closes both: the connection is gone.
    tokio::select! {
        () = pump(client_read, server_write, delay, fault, &cut) => {}
        () = pump(server_read, client_write, delay, Fault::None, &cut) => {}
    }
}

async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    delay: Duration,
    fault: Fault,
    cut: &AtomicBool,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    let mut marked = false;
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let chunk = &buffer[..n];
        let doomed = match fault {
            Fault::None => false,
            Fault::LoseCommitAnswerAfter(marker) => {
                marked |= contains(chunk, marker);
                marked && contains(chunk, b"COMMIT")
            }
        };
        if doomed {
            cut.store(true, Ordering::SeqCst);
        }
        tokio::time::sleep(delay).await;
        if cut.load(Ordering::SeqCst) && !doomed {
            return;
        }
        if to.write_all(chunk).await.is_err() {
            return;
        }
        if doomed {
            // Let the server read the COMMIT before the connection closes under it.
            tokio::time::sleep(Duration::from_millis(200)).await;
            return;
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
