//! Remembering nonces, so a captured signed call cannot be sent again.
//!
//! A nonce only needs remembering while its timestamp is inside the accepted window:
//! after that the timestamp check refuses the call anyway. So every entry carries the
//! moment it can be forgotten, and expired entries are swept out (at most once per
//! second of the clock). Memory is bounded twice: by the window, and by a hard
//! capacity for a flood of valid calls within one window.

use std::collections::HashMap;

/// The nonces seen within the window.
#[derive(Debug)]
pub struct ReplayCache {
    forget_after: HashMap<(String, String), u64>,
    capacity: usize,
    last_sweep: u64,
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
            capacity,
            last_sweep: 0,
        }
    }

    // ANCHOR: remember
    /// Records `nonce` of key `key_id` at time `now`, keeping it until `forget_after`.
    pub fn remember(&mut self, key_id: &str, nonce: &str, forget_after: u64, now: u64) -> Seen {
        if now > self.last_sweep || self.forget_after.len() >= self.capacity {
            self.forget_after.retain(|_, until| *until >= now);
            self.last_sweep = now;
        }
        let entry = (key_id.to_owned(), nonce.to_ascii_lowercase());
        if self.forget_after.contains_key(&entry) {
            return Seen::Replayed;
        }
        if self.forget_after.len() >= self.capacity {
            return Seen::Full;
        }
        self.forget_after.insert(entry, forget_after);
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
        assert_eq!(cache.remember("k", "aa", 100, 50), Seen::New);
        assert_eq!(cache.remember("k", "AA", 100, 60), Seen::Replayed);
        assert_eq!(cache.remember("other", "aa", 100, 60), Seen::New);
    }

    #[test]
    fn forgets_expired_nonces_so_memory_stays_bounded() {
        let mut cache = ReplayCache::new(2);
        assert_eq!(cache.remember("k", "a", 10, 0), Seen::New);
        assert_eq!(cache.remember("k", "b", 20, 0), Seen::New);
        assert_eq!(cache.remember("k", "c", 30, 0), Seen::Full);
        assert_eq!(cache.remember("k", "c", 30, 11), Seen::New);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.remember("k", "d", 40, 31), Seen::New);
        assert_eq!(cache.len(), 1);
    }
}
