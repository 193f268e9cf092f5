// ANCHOR: verify
//! The server's check of signed calls ([`crate::signing`]), which the server's
//! `DigestLayer` runs on every call, and its replay protection: a
//! nonce is remembered until its timestamp leaves the window (then the timestamp
//! check refuses it anyway), ordered by that moment so forgetting touches only the
//! front. Memory is bounded by the window and by a capacity for a flood within it.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use hmac::Mac;
use tonic::Status;

use crate::digest::MessageDigest;
use crate::signing::{
    AUTHORITY, Clock, KEY_ID, NONCE, SIGNATURE, SigningKey, TIMESTAMP, parse_signed_call,
};

/// Live nonces remembered per key; a flood beyond it is refused, not forgotten.
pub const REPLAY_CAPACITY_PER_KEY: usize = 100_000;

/// The one message a caller gets for any refused signature.
pub const INVALID_SIGNATURE: &str = "invalid signature";

/// The server's signature check. Replay protection is once per server process:
/// a restarted server or a replica reached at the same authority has its own nonces.
pub struct SignatureCheck {
    keys: HashMap<String, (SigningKey, Mutex<ReplayCache>)>,
    max_skew_secs: u64,
    clock: Clock,
    /// The highest clock reading yet: a clock stepped back cannot reopen the window.
    latest: AtomicU64,
    authorities: Option<Vec<String>>,
}

impl SignatureCheck {
    pub fn new<const N: usize>(keys: [SigningKey; N], max_skew_secs: u64, clock: Clock) -> Self {
        let cache = || Mutex::new(ReplayCache::new(REPLAY_CAPACITY_PER_KEY));
        let keys = keys.into_iter().map(|key| (key.id.clone(), (key, cache())));
        let (keys, latest, authorities) = (keys.collect(), AtomicU64::new(0), None);
        Self {
            keys,
            max_skew_secs,
            clock,
            latest,
            authorities,
        }
    }

    pub fn with_replay_capacity(mut self, capacity: usize) -> Self {
        for (_, seen) in self.keys.values_mut() {
            *seen = Mutex::new(ReplayCache::new(capacity));
        }
        self
    }

    pub fn only_for(mut self, authorities: impl IntoIterator<Item = String>) -> Self {
        self.authorities = Some(authorities.into_iter().collect());
        self
    }

    /// Checks one call: every refusal is the same `UNAUTHENTICATED "invalid
    /// signature"` (a full cache aside); the reason goes to the server's log only.
    pub fn authenticate<B>(&self, call: &http::Request<B>) -> Result<(), Status> {
        let path = call.uri().path();
        self.check(call).map_err(|reason| match reason {
            Some(reason) => {
                tracing::warn!(path, "refused: {reason}");
                Status::unauthenticated(INVALID_SIGNATURE)
            }
            None => Status::resource_exhausted(
                "too many signed calls with this key within the skew window; retry later",
            ),
        })
    }

    /// `Err(Some(reason))` for a bad call, `Err(None)` for a full cache.
    fn check<B>(&self, call: &http::Request<B>) -> Result<(), Option<String>> {
        let entry = |key| call.headers().get(key).map(http::HeaderValue::as_bytes);
        let [k, a, t, n, s] = [KEY_ID, AUTHORITY, TIMESTAMP, NONCE, SIGNATURE].map(entry);
        let signed = parse_signed_call(k, a, t, n, s).map_err(|key| Some(format!("bad {key}")))?;
        let message = call.extensions().get::<MessageDigest>();
        let message = message.ok_or(Some("no digest".into()))?;
        let known = self.keys.get(signed.key_id);
        let (key, seen) = known.ok_or(Some("unknown key id".into()))?;
        // HTTP/2 carries `:authority` in the URI: it must be what was signed, and ours.
        let reached = call.uri().authority().map_or("", |a| a.as_str());
        let ours = |a: &String| a.eq_ignore_ascii_case(signed.authority);
        let foreign = self
            .authorities
            .as_ref()
            .is_some_and(|a| !a.iter().any(ours));
        if foreign || !signed.authority.eq_ignore_ascii_case(reached) {
            return Err(Some(format!(
                "signed for another server ({})",
                signed.authority
            )));
        }
        // `verify_slice` compares in constant time.
        key.mac(call.uri().path(), &signed, *message)
            .verify_slice(&signed.signature)
            .map_err(|_| Some("bad signature".into()))?;
        // Only a correctly signed call takes a slot. The time is read under the
        // lock, never earlier than a reading already used.
        let mut seen = seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let reading = (self.clock)();
        let now = self
            .latest
            .fetch_max(reading, Ordering::SeqCst)
            .max(reading);
        let skew = signed.timestamp.abs_diff(now);
        if skew > self.max_skew_secs {
            return Err(Some(format!("timestamp {skew}s from the server's clock")));
        }
        let forget_after = signed.timestamp.saturating_add(self.max_skew_secs);
        match seen.remember(signed.nonce, forget_after, now) {
            Seen::New => Ok(()),
            Seen::Replayed => Err(Some("replayed nonce".into())),
            Seen::Full => Err(None),
        }
    }
}

// ANCHOR_END: verify
// ANCHOR: remember
/// The nonces of one key seen within the window.
#[derive(Debug, Default)]
pub struct ReplayCache {
    forget_after: HashMap<String, u64>,
    by_expiry: BTreeSet<(u64, String)>,
    capacity: usize,
    /// The latest lifetime swept: a nonce ending by then may be forgotten, so is refused.
    swept_up_to: Option<u64>,
}

/// What [`ReplayCache::remember`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    New,
    Replayed,
    /// No room: refuse rather than forget a live nonce early.
    Full,
}

impl ReplayCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            ..Self::default()
        }
    }

    /// Records `nonce` at time `now`, keeping it until `forget_after`.
    pub fn remember(&mut self, nonce: &str, forget_after: u64, now: u64) -> Seen {
        while let Some((until, _)) = self.by_expiry.first()
            && *until < now
        {
            let (until, old) = self.by_expiry.pop_first().expect("first exists");
            self.forget_after.remove(&old);
            self.swept_up_to = self.swept_up_to.max(Some(until));
        }
        // High-water mark: whatever order calls arrive in, none is admitted twice.
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
}
// ANCHOR_END: remember
