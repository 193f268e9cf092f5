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
//! The `now` given must never go backwards (the server's clock is held at its
//! highest reading): a nonce forgotten at `now` is then refused by the timestamp
//! check for good.

use std::collections::{BTreeSet, HashMap};

/// The nonces of one key seen within the window.
#[derive(Debug)]
pub struct ReplayCache {
    forget_after: HashMap<String, u64>,
    by_expiry: BTreeSet<(u64, String)>,
    capacity: usize,
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
        }
    }

    // ANCHOR: remember
    /// Records `nonce` at time `now`, keeping it until `forget_after`.
    pub fn remember(&mut self, nonce: &str, forget_after: u64, now: u64) -> Seen {
        // Forget what expired before `now`: the oldest first, and only those.
        while let Some((until, _)) = self.by_expiry.first()
            && *until < now
        {
            if let Some((_, old)) = self.by_expiry.pop_first() {
                self.forget_after.remove(&old);
            }
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
        assert_eq!(cache.remember("early", 10, 20), Seen::New);
    }
}
