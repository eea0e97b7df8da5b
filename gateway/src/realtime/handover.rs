//! The hand-over from replay to live delivery, per socket, so that a socket that resumes gets
//! each event it may see once and in `seq` order. A replay reads the history while the feed
//! keeps delivering; left alone, an event reaches the socket twice (it was in the history when
//! the replay read it, and the feed had not delivered it yet), or a live event overtakes the
//! replayed ones. So while a socket replays, the events the feed routes to it are held; when
//! the replay has sent the history through `seq` M, the held events after M follow, and the
//! feed's own copies of events up to M (when it lags behind the history) are skipped until it
//! passes M.
//!
//! The feed routes each event under [`Handovers::lock`], and a socket joins its rooms under the
//! same lock, so which events a socket got live is exactly "those after its join position".
//!
//! The held events are handed back in batches ([`Routing::release`]) that the hub sends
//! outside the lock, waiting for room in the socket's queue; the socket stays held until a
//! look under the lock finds nothing more held, so live events keep their place behind them.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard, PoisonError},
};

use serde_json::value::RawValue;
use socketioxide::socket::Sid;

enum State {
    /// Replaying: the socket's live events wait here, in feed order.
    Holding(Vec<Held>),
    /// The replay sent the history through this `seq`; the feed's copies are dropped.
    SentThrough(u64),
}

/// A live event held back while its socket replays.
pub struct Held {
    pub seq: u64,
    pub name: &'static str,
    pub payload: Box<RawValue>,
}

/// What [`Routing::release`] hands back.
pub enum Release {
    /// Held events to send (in order) before releasing again; the socket stays held meanwhile.
    Send(Vec<Held>),
    /// Nothing more was held: the socket takes live events again.
    Done,
}

/// What the feed does with one event for one socket.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    Emit,
    Hold,
    Skip,
}

#[derive(Default)]
pub struct Handovers(Mutex<HashMap<Sid, State>>);

impl Handovers {
    /// Taken for the delivery of one event, and for a socket joining its rooms.
    pub fn lock(&self) -> Routing<'_> {
        Routing(self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

pub struct Routing<'a>(MutexGuard<'a, HashMap<Sid, State>>);

impl Routing<'_> {
    /// Starts holding `sid`'s live events (a replay is about to read the history).
    pub fn hold(&mut self, sid: Sid) {
        self.0.insert(sid, State::Holding(Vec::new()));
    }

    /// Where the event `seq` goes for `sid`.
    pub fn route(&self, sid: Sid, seq: u64) -> Route {
        if self.0.is_empty() {
            return Route::Emit;
        }
        match self.0.get(&sid) {
            None => Route::Emit,
            Some(State::Holding(_)) => Route::Hold,
            Some(State::SentThrough(through)) if seq <= *through => Route::Skip,
            Some(State::SentThrough(_)) => Route::Emit,
        }
    }

    pub fn push(&mut self, sid: Sid, held: Held) {
        if let Some(State::Holding(events)) = self.0.get_mut(&sid) {
            events.push(held);
        }
    }

    /// Ends the hold of `sid` after its replay sent the history through `sent_through`, with
    /// the feed at `feed_at` — once nothing more is held: until then it hands back the held
    /// events after `sent_through` to send first, in order.
    pub fn release(&mut self, sid: Sid, sent_through: u64, feed_at: u64) -> Release {
        match self.0.get_mut(&sid) {
            Some(State::Holding(held)) if !held.is_empty() => Release::Send(
                std::mem::take(held)
                    .into_iter()
                    .filter(|h| h.seq > sent_through)
                    .collect(),
            ),
            Some(State::Holding(_)) => {
                self.0.remove(&sid);
                if sent_through > feed_at {
                    self.0.insert(sid, State::SentThrough(sent_through));
                }
                Release::Done
            }
            _ => Release::Done,
        }
    }

    /// The feed delivered `seq`: sockets whose replay it has caught up with take live events again.
    pub fn passed(&mut self, seq: u64) {
        if !self.0.is_empty() {
            self.0.retain(
                |_, state| !matches!(state, State::SentThrough(through) if *through <= seq),
            );
        }
    }

    /// The stream restarted or lost events (everyone resyncs): no skipping by the old numbers.
    pub fn restart(&mut self) {
        self.0.retain(|_, state| matches!(state, State::Holding(_)));
    }

    /// `sid` disconnected.
    pub fn forget(&mut self, sid: Sid) {
        self.0.remove(&sid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Releases `sid` as the hub does, returning the seqs it would send.
    fn release(routing: &mut Routing<'_>, sid: Sid, sent_through: u64, feed_at: u64) -> Vec<u64> {
        let mut sent = Vec::new();
        while let Release::Send(batch) = routing.release(sid, sent_through, feed_at) {
            sent.extend(batch.iter().map(|h| h.seq));
        }
        sent
    }

    fn held(seq: u64) -> Held {
        Held {
            seq,
            name: "order.updated",
            payload: serde_json::value::to_raw_value(&seq).unwrap(),
        }
    }

    #[test]
    fn a_replaying_socket_gets_the_held_events_after_the_replay_and_no_copy_of_a_replayed_one() {
        let handovers = Handovers::default();
        let (sid, other) = (Sid::new(), Sid::new());
        let mut routing = handovers.lock();
        routing.hold(sid);
        assert_eq!(routing.route(other, 11), Route::Emit);
        assert_eq!(routing.route(sid, 11), Route::Hold);
        routing.push(sid, held(11));
        routing.push(sid, held(12));
        // The replay read the history through 12 (the feed was at 12): nothing is left to send.
        let later = release(&mut routing, sid, 12, 12);
        assert!(later.is_empty());
        assert_eq!(routing.route(sid, 13), Route::Emit);
    }

    #[test]
    fn when_the_feed_lags_behind_the_history_its_copies_are_skipped_until_it_passes() {
        let handovers = Handovers::default();
        let sid = Sid::new();
        let mut routing = handovers.lock();
        routing.hold(sid);
        routing.push(sid, held(10));
        // The replay sent through 12 while the feed had delivered only 10.
        let later = release(&mut routing, sid, 12, 10);
        assert!(later.is_empty());
        assert_eq!(routing.route(sid, 11), Route::Skip);
        routing.passed(11);
        assert_eq!(routing.route(sid, 12), Route::Skip);
        routing.passed(12);
        assert_eq!(routing.route(sid, 13), Route::Emit);
    }

    #[test]
    fn held_events_after_the_replay_follow_it_in_order() {
        let handovers = Handovers::default();
        let sid = Sid::new();
        let mut routing = handovers.lock();
        routing.hold(sid);
        for seq in [8, 9, 10] {
            routing.push(sid, held(seq));
        }
        let later = release(&mut routing, sid, 8, 10);
        assert_eq!(later, [9, 10]);
        routing.forget(sid);
        routing.restart();
        assert_eq!(routing.route(sid, 1), Route::Emit);
    }

    #[test]
    fn events_held_while_earlier_ones_are_sent_stay_held_and_follow_them() {
        let handovers = Handovers::default();
        let sid = Sid::new();
        let mut routing = handovers.lock();
        routing.hold(sid);
        routing.push(sid, held(5));
        let Release::Send(first) = routing.release(sid, 4, 5) else {
            panic!("the held event is handed back");
        };
        assert_eq!(first.iter().map(|h| h.seq).collect::<Vec<_>>(), [5]);
        // While 5 is being sent (outside the lock), 6 arrives: it is held, not emitted.
        assert_eq!(routing.route(sid, 6), Route::Hold);
        routing.push(sid, held(6));
        assert_eq!(release(&mut routing, sid, 4, 6), [6]);
        assert_eq!(routing.route(sid, 7), Route::Emit);
    }
}
