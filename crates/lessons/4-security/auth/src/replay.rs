//! Remembering nonces, so a captured signed call cannot be sent again.
//!
//! A nonce only needs remembering while its timestamp is inside the accepted window:
//! after that the timestamp check refuses the call anyway. So every entry carries the
//! moment it can be forgotten, and entries are kept ordered by that moment: forgetting
//! the expired ones touches only the front, never scans the rest. Memory is bounded
//! twice: by the window, and by a hard capacity for a flood of valid calls within one
//! window. The server keeps one cache per key ([`crate::signature::SignatureCheck`]), so
//! one key holder's flood fills only its own.
//!
//! Once a nonce is swept, the cache refuses every nonce whose lifetime ends at or
//! before the latest one swept, so the order in which concurrent calls reach the
//! cache (each with a `now` read before taking its lock) cannot admit one twice.

use std::collections::{BTreeSet, HashMap};

/// The nonces of one key seen within the window.
#[derive(Debug)]
pub struct ReplayCache {
    forget_after: HashMap<String, u64>,
    by_expiry: BTreeSet<(u64, String)>,
    capacity: usize,
    /// The latest `forget_after` swept so far: a nonce whose lifetime ends at or
    /// before it may have been forgotten, so it is refused, whatever `now` says.
    swept_up_to: Option<u64>,
}

/// What [`ReplayCache::remember`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// First use: remembered now.
    New,
    /// Already used within the window: a replay.
    Replayed,
    /// Too many live nonces to remember another; refuse rather than forget one early.
    Full,
}

impl ReplayCache {
    /// A cache for at most `capacity` live nonces.
    pub fn new(capacity: usize) -> Self {
        Self {
            forget_after: HashMap::new(),
            by_expiry: BTreeSet::new(),
            capacity,
            swept_up_to: None,
        }
    }

    // ANCHOR: remember
    /// Records `nonce` at time `now`, keeping it until `forget_after`.
    pub fn remember(&mut self, nonce: &str, forget_after: u64, now: u64) -> Seen {
        // Forget what expired before `now`: the oldest first, and only those.
        while let Some((until, _)) = self.by_expiry.first()
            && *until < now
        {
            if let Some((until, old)) = self.by_expiry.pop_first() {
                self.forget_after.remove(&old);
                self.swept_up_to = self.swept_up_to.max(Some(until));
            }
        }
        // A call the cache may already have forgotten cannot be told from a replay:
        // refuse it, so no order of arrival (or `now` read late) admits a nonce twice.
        if self.swept_up_to.is_some_and(|swept| forget_after <= swept) {
            return Seen::Replayed;
        }
        let nonce = nonce.to_ascii_lowercase();
        if self.forget_after.contains_key(&nonce) {
            return Seen::Replayed;
        }
        if self.forget_after.len() >= self.capacity {
            return Seen::Full;
        }
        self.forget_after.insert(nonce.clone(), forget_after);
        self.by_expiry.insert((forget_after, nonce));
        Seen::New
    }
    // ANCHOR_END: remember

    /// How many nonces are remembered now.
    pub fn len(&self) -> usize {
        self.forget_after.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.forget_after.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_nonce_twice_within_its_lifetime() {
        let mut cache = ReplayCache::new(10);
        assert_eq!(cache.remember("aa", 100, 50), Seen::New);
        assert_eq!(cache.remember("AA", 100, 60), Seen::Replayed);
        assert_eq!(cache.remember("bb", 100, 60), Seen::New);
    }

    #[test]
    fn forgets_expired_nonces_so_memory_stays_bounded() {
        let mut cache = ReplayCache::new(2);
        assert_eq!(cache.remember("a", 10, 0), Seen::New);
        assert_eq!(cache.remember("b", 20, 0), Seen::New);
        assert_eq!(cache.remember("c", 30, 0), Seen::Full);
        assert_eq!(cache.remember("c", 30, 11), Seen::New);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.remember("d", 40, 31), Seen::New);
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn expiry_order_not_arrival_order_decides_what_is_forgotten() {
        let mut cache = ReplayCache::new(10);
        assert_eq!(cache.remember("late", 50, 0), Seen::New);
        assert_eq!(cache.remember("early", 10, 0), Seen::New);
        assert_eq!(cache.remember("x", 60, 20), Seen::New);
        assert_eq!(cache.remember("late", 50, 20), Seen::Replayed);
        // Swept, so refused: it could be a replay the cache no longer remembers.
        assert_eq!(cache.remember("early", 10, 20), Seen::Replayed);
    }

    /// A call whose `now` was read before a later call swept its nonce must not be
    /// admitted a second time when it reaches the cache after that sweep.
    #[test]
    fn a_nonce_swept_by_a_later_call_is_not_admitted_again() {
        let mut cache = ReplayCache::new(10);
        assert_eq!(cache.remember("n", 100, 90), Seen::New);
        assert_eq!(cache.remember("m", 200, 101), Seen::New);
        assert_eq!(cache.remember("n", 100, 100), Seen::Replayed);
    }
}
