//! The nonce cache on its own: each nonce once, memory bounded, and no order of
//! arrival admits one twice.

use auth::signature::{ReplayCache, Seen};

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
    // At 31 only what expired went: room for exactly two again.
    assert_eq!(cache.remember("d", 40, 31), Seen::New);
    assert_eq!(cache.remember("e", 40, 31), Seen::New);
    assert_eq!(cache.remember("f", 40, 31), Seen::Full);
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
