//! Loopback ports for servers a test starts itself.

/// A free TCP port on the loopback interface, for a server that must keep its port across
/// restarts or be named to its clients before it listens.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}
