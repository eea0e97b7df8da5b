//! Reading the bounded event history kept in Redis (a sorted set of event JSON scored by
//! `seq`, written by orders-service in the same atomic step that publishes).

use redis::{AsyncCommands, Client, RedisError, aio::ConnectionManager};

/// How many events one read of the history returns at most.
pub const PAGE: usize = 512;

/// Events after a position, or the news that they are gone.
#[derive(Debug, PartialEq, Eq)]
pub enum Missed {
    /// The events after the position, in order (possibly none; at most a page).
    Events(Vec<(u64, String)>),
    /// Some events after the position are no longer kept (or the stream restarted):
    /// the reader must refetch.
    Gone,
}

#[derive(Clone)]
pub struct History {
    connection: ConnectionManager,
    key: String,
}

impl History {
    /// Connects lazily; calls fail fast while Redis is down.
    pub fn new(client: Client, key: String) -> Result<Self, RedisError> {
        Ok(Self {
            connection: lom_platform::redis::bounded(client.get_connection_info().clone())?,
            key,
        })
    }

    /// Up to `limit` of the events after `last_seq`, in order, if the history still covers
    /// every event after it. Long histories are read page by page (the next page after the
    /// last `seq` returned) so that no answer outgrows the bounded connection's timeout, nor
    /// a replay's memory.
    pub async fn since(&self, last_seq: u64, limit: usize) -> Result<Missed, RedisError> {
        let mut connection = self.connection.clone();
        let oldest: Vec<(String, f64)> = connection.zrange_withscores(&self.key, 0, 0).await?;
        let newest: Vec<(String, f64)> = connection.zrange_withscores(&self.key, -1, -1).await?;
        let events: Vec<(String, f64)> = connection
            .zrangebyscore_limit_withscores(
                &self.key,
                format!("({last_seq}"),
                "+inf",
                0,
                isize::try_from(limit).unwrap_or(isize::MAX),
            )
            .await?;
        let events: Vec<(u64, String)> = events
            .into_iter()
            .map(|(json, score)| (score_to_seq(score), json))
            .collect();
        let bounds = oldest
            .first()
            .zip(newest.first())
            .map(|((_, old), (_, new))| (score_to_seq(*old), score_to_seq(*new)));
        Ok(classify(last_seq, bounds, events))
    }

    /// The Redis server's `run_id`: it changes when the server restarts (and, without
    /// persistence, loses the history and restarts `seq`).
    pub async fn server_run_id(&self) -> Result<String, RedisError> {
        let mut connection = self.connection.clone();
        let info: String = redis::cmd("INFO")
            .arg("server")
            .query_async(&mut connection)
            .await?;
        Ok(info
            .lines()
            .find_map(|line| line.strip_prefix("run_id:"))
            .unwrap_or_default()
            .trim()
            .to_owned())
    }

    /// Every account revocation still kept in `users:revocations` (the last day's at most).
    pub async fn revocations(&self) -> Result<Vec<lom_contracts::UserRevoked>, RedisError> {
        let mut connection = self.connection.clone();
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .saturating_sub(crate::revocations::MEMORY)
            .as_secs();
        let entries: Vec<(String, f64)> = connection
            .zrangebyscore_withscores(lom_contracts::keys::REVOCATIONS_KEY, since, "+inf")
            .await?;
        Ok(entries
            .into_iter()
            .filter_map(|(user, at)| {
                Some(lom_contracts::UserRevoked {
                    user_id: user.parse().ok()?,
                    revoked_at: score_to_seq(at),
                })
            })
            .collect())
    }

    pub async fn ping(&self) -> Result<(), RedisError> {
        let mut connection = self.connection.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut connection)
            .await
            .map(drop)
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn score_to_seq(score: f64) -> u64 {
    // Scores are integral (seqs, unix seconds) well below 2^53, so the conversion is exact.
    score as u64
}

/// Whether `events` (all held after `last_seq`) are exactly the missed ones, given the
/// oldest and newest `seq` the history holds.
fn classify(last_seq: u64, bounds: Option<(u64, u64)>, events: Vec<(u64, String)>) -> Missed {
    let contiguous = events
        .iter()
        .zip(last_seq + 1..)
        .all(|((seq, _), expected)| *seq == expected);
    match bounds {
        // An empty history: nothing to replay to a new reader; a reader that saw events
        // before cannot be told what happened since (Redis lost its data).
        None if last_seq == 0 => Missed::Events(Vec::new()),
        None => Missed::Gone,
        // The stream restarted behind the reader's back.
        Some((_, newest)) if newest < last_seq => Missed::Gone,
        Some((oldest, _)) if oldest > last_seq + 1 => Missed::Gone,
        Some(_) if contiguous => Missed::Events(events),
        Some(_) => Missed::Gone,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(seqs: &[u64]) -> Vec<(u64, String)> {
        seqs.iter().map(|s| (*s, format!("e{s}"))).collect()
    }

    #[test]
    fn a_position_inside_the_history_gets_exactly_what_follows() {
        assert_eq!(
            classify(5, Some((1, 8)), held(&[6, 7, 8])),
            Missed::Events(held(&[6, 7, 8]))
        );
        assert_eq!(classify(8, Some((1, 8)), held(&[])), Missed::Events(vec![]));
        assert_eq!(classify(0, None, held(&[])), Missed::Events(vec![]));
    }

    #[test]
    fn a_position_older_than_the_history_is_gone() {
        assert_eq!(classify(2, Some((5, 6)), held(&[5, 6])), Missed::Gone);
    }

    #[test]
    fn a_hole_in_the_history_is_gone() {
        assert_eq!(classify(2, Some((1, 5)), held(&[3, 5])), Missed::Gone);
    }

    #[test]
    fn a_restarted_or_emptied_stream_is_gone_for_a_reader_that_was_ahead() {
        assert_eq!(classify(500, Some((1, 3)), held(&[])), Missed::Gone);
        assert_eq!(classify(500, None, held(&[])), Missed::Gone);
    }
}
