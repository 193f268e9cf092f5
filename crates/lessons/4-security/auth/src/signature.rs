//! The server's check of the custom scheme's signatures ([`crate::signing`]),
//! with replay protection ([`crate::replay`]): a tower-layer [`Authenticator`].
//!
//! In this order: the key id is known, the signature was made for the server the
//! call reached, the timestamp is within the allowed clock skew, the signature
//! matches (over the method, the authority, the time, the nonce and the digest of
//! the message received), and the nonce is new. A captured call is good for
//! nothing else: not another method, not another server, not another message, not
//! later, not twice.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use hmac::Mac;
use tonic::Status;

use crate::digest::MessageDigest;
use crate::layer::Authenticator;
use crate::replay::{ReplayCache, Seen};
use crate::signing::{
    AUTHORITY, Clock, KEY_ID, NONCE, SIGNATURE, SignedCall, SigningKey, TIMESTAMP,
    parse_signed_call,
};

/// Live nonces the server remembers at most, per key (a flood beyond it is refused,
/// not forgotten, and fills only the flooding key's cache).
pub const REPLAY_CAPACITY_PER_KEY: usize = 100_000;

/// The authorities a server listening on `addr` is reached by, as clients dial it:
/// the address itself, and `localhost` when it is a loopback one (all loopback
/// names when it listens on every interface; name others with `--authority`).
pub fn reached_at(addr: std::net::SocketAddr) -> Vec<String> {
    let port = addr.port();
    let ip = addr.ip();
    if ip.is_unspecified() {
        vec![
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ]
    } else if ip.is_loopback() {
        vec![addr.to_string(), format!("localhost:{port}")]
    } else {
        vec![addr.to_string()]
    }
}

/// The one message a caller gets for any refused signature.
pub const INVALID_SIGNATURE: &str = "invalid signature";

/// Why [`SignatureCheck::check`] refused a call.
enum Refusal {
    /// Not a valid signature, for the reason given (logged, never sent).
    Invalid(String),
    /// A valid call the key's nonce cache has no room for.
    Full,
}

/// One key the server accepts, and the nonces signed with it.
struct KeyState {
    key: SigningKey,
    seen: Mutex<ReplayCache>,
}

/// The server's signature check.
///
/// Replay protection is **once per server process**: the nonces live in this
/// value's memory, so a restarted server, or another replica holding the same key
/// and reached at the same authority, accepts a captured call again while its
/// timestamp is inside the window. Replicas need a shared store to do better.
pub struct SignatureCheck {
    keys: HashMap<String, KeyState>,
    max_skew_secs: u64,
    clock: Clock,
    /// The highest clock reading yet: the server's "now" never goes backwards.
    latest: AtomicU64,
    authorities: Option<Vec<String>>,
}

impl SignatureCheck {
    /// Accepts calls signed by one of `keys`, timestamped within `max_skew_secs` of
    /// `clock` (either way), each nonce once, for any authority.
    pub fn new(
        keys: impl IntoIterator<Item = SigningKey>,
        max_skew_secs: u64,
        clock: Clock,
    ) -> Self {
        let mut check = Self {
            keys: HashMap::new(),
            max_skew_secs,
            clock,
            latest: AtomicU64::new(0),
            authorities: None,
        };
        check.keys = keys
            .into_iter()
            .map(|key| (key.id().to_owned(), KeyState::new(key)))
            .collect();
        check.with_replay_capacity(REPLAY_CAPACITY_PER_KEY)
    }

    /// Remembers at most `capacity` live nonces per key.
    pub fn with_replay_capacity(mut self, capacity: usize) -> Self {
        for state in self.keys.values_mut() {
            state.seen = Mutex::new(ReplayCache::new(capacity));
        }
        self
    }

    /// Accepts only calls signed for one of `authorities` (`host:port`, as clients
    /// dial this server); a call signed for another server is refused.
    pub fn only_for(mut self, authorities: impl IntoIterator<Item = String>) -> Self {
        self.authorities = Some(authorities.into_iter().collect());
        self
    }

    /// The server's time: the clock, but never earlier than a reading already
    /// used. A wall clock stepped back must not re-open the window for timestamps,
    /// and so for nonces, already forgotten.
    fn now(&self) -> u64 {
        let reading = (self.clock)();
        self.latest
            .fetch_max(reading, Ordering::SeqCst)
            .max(reading)
    }

    // ANCHOR: verify
    /// Verifies one parsed call that reached this server at `authority`.
    ///
    /// Every refusal reaches the caller as the same `UNAUTHENTICATED: invalid
    /// signature`: which key ids exist, or how far the server's clock is from the
    /// caller's, is for the server's log only.
    pub fn verify(
        &self,
        path: &str,
        authority: &str,
        call: &SignedCall<'_>,
        message: Option<MessageDigest>,
    ) -> Result<(), Status> {
        self.check(path, authority, call, message)
            .map_err(|refusal| match refusal {
                Refusal::Invalid(reason) => {
                    tracing::warn!(key_id = call.key_id, %authority, path, "refused: {reason}");
                    Status::unauthenticated(INVALID_SIGNATURE)
                }
                Refusal::Full => Status::resource_exhausted(
                    "too many signed calls with this key within the skew window; retry later",
                ),
            })
    }

    fn check(
        &self,
        path: &str,
        authority: &str,
        call: &SignedCall<'_>,
        message: Option<MessageDigest>,
    ) -> Result<(), Refusal> {
        let invalid = |reason: String| Refusal::Invalid(reason);
        let message = message.ok_or_else(|| {
            invalid("the body is not one uncompressed message, so it has no digest".into())
        })?;
        let state = self
            .keys
            .get(call.key_id)
            .ok_or_else(|| invalid("unknown key id".into()))?;
        // Signed for the server the call reached, and one this server answers to.
        let allowed = |a: &String| a.eq_ignore_ascii_case(call.authority);
        if !call.authority.eq_ignore_ascii_case(authority)
            || self
                .authorities
                .as_ref()
                .is_some_and(|a| !a.iter().any(allowed))
        {
            return Err(invalid(format!(
                "signed for another server ({}), not this server's authority",
                call.authority
            )));
        }
        let now = self.now();
        let skew = call.timestamp.abs_diff(now);
        if skew > self.max_skew_secs {
            return Err(invalid(format!(
                "stale timestamp: {skew}s away from the server's clock, more than the {}s allowed",
                self.max_skew_secs
            )));
        }
        // `verify_slice` compares in constant time.
        state
            .key
            .mac(path, call.authority, call.timestamp, call.nonce, message)
            .verify_slice(&call.signature)
            .map_err(|_| {
                invalid("bad signature: wrong secret, or signed for another call or message".into())
            })?;
        // Only a correctly signed call may take a slot, and only in its key's cache.
        let forget_after = call.timestamp.saturating_add(self.max_skew_secs);
        let mut seen = state.seen.lock().unwrap_or_else(|p| p.into_inner());
        match seen.remember(call.nonce, forget_after, now) {
            Seen::New => Ok(()),
            Seen::Replayed => Err(invalid("replayed call: this nonce was already used".into())),
            Seen::Full => Err(Refusal::Full),
        }
    }
    // ANCHOR_END: verify
}

impl KeyState {
    fn new(key: SigningKey) -> Self {
        Self {
            key,
            seen: Mutex::new(ReplayCache::new(REPLAY_CAPACITY_PER_KEY)),
        }
    }
}

impl Authenticator for SignatureCheck {
    fn authenticate(&self, parts: &http::request::Parts) -> Result<(), Status> {
        let (uri, headers) = (&parts.uri, &parts.headers);
        let entry = |key| headers.get(key).map(http::HeaderValue::as_bytes);
        let signed = parse_signed_call(
            entry(KEY_ID),
            entry(AUTHORITY),
            entry(TIMESTAMP),
            entry(NONCE),
            entry(SIGNATURE),
        )
        .map_err(|error| {
            // Malformed or missing entries look like any other bad signature.
            tracing::warn!(path = uri.path(), "refused: {error}");
            Status::unauthenticated(INVALID_SIGNATURE)
        })?;
        // HTTP/2 carries `:authority` in the URI; HTTP/1-style clients send `host`.
        let authority = match uri.authority() {
            Some(authority) => authority.as_str(),
            None => headers
                .get(http::header::HOST)
                .and_then(|host| host.to_str().ok())
                .unwrap_or_default(),
        };
        let message = parts.extensions.get::<MessageDigest>().copied();
        self.verify(uri.path(), authority, &signed, message)
    }
}
