//! Exercise 22: sign each call, so it cannot be altered or replayed (chapter 4,
//! custom auth).
//!
//! A bearer token can be reused by anyone who sees it, on any call, forever. Here
//! the client signs *this* call: an HMAC-SHA256, keyed by a secret both sides
//! share, over the string to sign — the method path, the timestamp, the nonce and
//! the key id, one per line, as `security/custom.md` shows. The server accepts a
//! call only if the signature matches, the timestamp is recent, and the nonce is
//! new. The test's client sends the `x-auth-*` metadata; its server builds a
//! [`SignedCall`] from it and asks [`Verifier::check`].

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tonic::Status;

/// The metadata keys a signed call carries, as `security/custom.md` lists them.
pub const KEY_ID: &str = "x-auth-key-id";
/// When the call was signed, in Unix seconds.
pub const TIMESTAMP: &str = "x-auth-timestamp";
/// Random hex, new for every call.
pub const NONCE: &str = "x-auth-nonce";
/// Hex HMAC-SHA256 of the string to sign.
pub const SIGNATURE: &str = "x-auth-signature";

/// How far a call's timestamp may be from the server's clock, either way.
pub const WINDOW_SECS: u64 = 300;

/// HMAC with SHA-256, the signature scheme both sides use.
pub type HmacSha256 = Hmac<Sha256>;

/// One call's signing entries, as the server read them from its metadata, and
/// the method path the call was made to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCall {
    /// The method path, e.g. `/tutorial.helloworld.v1.GreeterService/SayHello`.
    pub path: String,
    /// Which shared secret signed.
    pub key_id: String,
    /// When, in Unix seconds.
    pub timestamp: u64,
    /// New for every call.
    pub nonce: String,
    /// Hex HMAC-SHA256.
    pub signature: String,
}

/// Nonces a [`Verifier`] remembers at most: beyond it, new calls are refused
/// (not old nonces forgotten, which would let their calls be replayed).
pub const MAX_NONCES: usize = 100_000;

/// The server's side: one key, and the nonces it has seen.
#[derive(Debug)]
pub struct Verifier {
    key_id: String,
    secret: Vec<u8>,
    capacity: usize,
    seen: Mutex<Seen>,
}

/// The nonces of accepted calls, kept under one lock with the clock they are
/// judged by, so checking the window and remembering a nonce is one step.
#[derive(Debug, Default)]
struct Seen {
    /// Each remembered nonce, with the time its call leaves the window.
    nonces: HashMap<String, u64>,
    /// The same pairs ordered by that time: forgetting the expired ones reads
    /// only those, not every nonce.
    by_expiry: BTreeSet<(u64, String)>,
    /// The latest `now` yet: a clock stepped back must not re-admit a call
    /// whose nonce was already forgotten.
    latest: u64,
}

// ANCHOR: sign
/// The signature of one call: lowercase hex HMAC-SHA256, keyed with `secret`, of
/// the four lines `path`, `timestamp`, `nonce`, `key_id` (no newline at the end).
pub fn sign(secret: &[u8], path: &str, timestamp: u64, nonce: &str, key_id: &str) -> String {
    // TODO: compute the signature of the string to sign.
    todo!("sign the call")
}
// ANCHOR_END: sign

impl Verifier {
    /// A verifier for calls signed with `secret`, known as `key_id`.
    pub fn new(key_id: &str, secret: &[u8]) -> Self {
        Self::with_capacity(key_id, secret, MAX_NONCES)
    }

    /// The same, remembering at most `capacity` nonces.
    pub fn with_capacity(key_id: &str, secret: &[u8], capacity: usize) -> Self {
        Self {
            key_id: key_id.to_owned(),
            secret: secret.to_vec(),
            capacity,
            seen: Mutex::new(Seen::default()),
        }
    }

    // ANCHOR: verify
    /// Accepts `call` at `now` (Unix seconds), or refuses it with UNAUTHENTICATED.
    ///
    /// In this order: the key id is ours; the signature matches (compared in
    /// constant time); then, under the `seen` lock: `now` is raised to the latest
    /// seen, the timestamp is within [`WINDOW_SECS`] of it, expired nonces are
    /// forgotten (oldest first, via `by_expiry`), there is room, and the nonce is
    /// new. Remember the nonce only once the call passed everything else, so forged
    /// calls cannot fill the memory.
    pub fn check(&self, call: &SignedCall, now: u64) -> Result<(), Status> {
        // TODO: refuse unknown keys, stale timestamps, bad signatures and replays.
        todo!("check the signed call")
    }
    // ANCHOR_END: verify
}
