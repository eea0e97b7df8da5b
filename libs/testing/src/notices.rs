//! Counts the warnings PostgreSQL sends back on the connections of the current thread (sqlx
//! logs them as `sqlx::postgres::notice` events), such as "there is already a transaction in
//! progress".

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use tracing::{Event, Level, Subscriber, subscriber::DefaultGuard};
use tracing_subscriber::{Layer, layer::Context, prelude::*};

const TARGET: &str = "sqlx::postgres::notice";

/// Counts notices of WARNING severity or worse while it lives. It hooks the current thread's
/// default subscriber, so the code under test must run on this thread (a current-thread
/// runtime, as `#[tokio::test]` builds).
pub struct PostgresNotices {
    count: Arc<AtomicUsize>,
    _guard: DefaultGuard,
}

impl PostgresNotices {
    pub fn count() -> Self {
        let count = Arc::new(AtomicUsize::new(0));
        let layer = Counter {
            count: Arc::clone(&count),
        };
        let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(layer));
        Self {
            count,
            _guard: guard,
        }
    }

    /// The warnings seen so far.
    pub fn warnings(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

struct Counter {
    count: Arc<AtomicUsize>,
}

impl<S: Subscriber> Layer<S> for Counter {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let metadata = event.metadata();
        if metadata.target() == TARGET && *metadata.level() <= Level::WARN {
            self.count.fetch_add(1, Ordering::SeqCst);
        }
    }
}
