//! For the CSV export's tests: many orders seeded straight into an orders database, a client
//! that reads a download's first bytes and then stops, and whether the export's query is still
//! being sent.

use std::net::SocketAddr;

use sqlx::PgPool;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
};

use crate::RawRequest;

/// Adds `count` live orders to the orders database `db`, one second apart, the newest a second
/// ago, all of one customer whose name and email are as long as allowed (about 600 bytes a CSV
/// line: a few ten thousand orders outgrow what sockets buffer on the way to a client).
pub async fn seed_orders(db: &PgPool, count: i64) {
    sqlx::query(
        "WITH c AS (INSERT INTO customers (id, name, email) \
                    VALUES (gen_random_uuid(), 'Seeded Customer ' || repeat('n', 180), \
                            'seeded.' || repeat('e', 230) || '@example.com') RETURNING id), \
              a AS (INSERT INTO addresses (id, customer_id, line1, city, postal_code, country) \
                    SELECT gen_random_uuid(), id, '1 Seed Road', 'Bangkok', '10110', 'TH' FROM c \
                    RETURNING id, customer_id) \
         INSERT INTO orders (id, customer_id, shipping_address_id, currency, total_minor, \
                             item_count, unit_count, created_at) \
         SELECT gen_random_uuid(), a.customer_id, a.id, 'THB', 1000, 1, 1, \
                now() - make_interval(secs => g) \
         FROM a, generate_series(1, $1) AS g",
    )
    .bind(count)
    .execute(db)
    .await
    .expect("seed orders");
}

/// Whether the export's `SELECT` of rows is running on `db`'s database right now.
pub async fn export_query_running(db: &PgPool) -> bool {
    sqlx::query_scalar(
        "SELECT count(*) > 0 FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' \
           AND query LIKE 'SELECT o.id, o.number%ORDER BY o.created_at DESC, o.id DESC'",
    )
    .fetch_one(db)
    .await
    .expect("read pg_stat_activity")
}

/// A client that has read the start of an answer and reads no more: its receive buffer is
/// small and fixed, so what the server sends beyond it waits in the server.
pub struct StalledReader {
    /// Everything read: the status line, the headers and the start of the body.
    pub head: Vec<u8>,
    _stream: TcpStream,
}

impl StalledReader {
    /// Sends `request` to `server` and reads until at least `bytes` have arrived (an answer
    /// shorter than that fails the test: the connection is closed after it).
    pub async fn open(server: SocketAddr, request: &RawRequest, bytes: usize) -> Self {
        let socket = TcpSocket::new_v4().expect("a socket");
        socket
            .set_recv_buffer_size(4096)
            .expect("a small receive buffer");
        let mut stream = socket.connect(server).await.expect("connect");
        let request = request.clone().header("connection", "close");
        stream
            .write_all(&request.to_bytes(server))
            .await
            .expect("send the request");
        let mut head = vec![0; bytes];
        stream.read_exact(&mut head).await.expect("the first bytes");
        Self {
            head,
            _stream: stream,
        }
    }
}
