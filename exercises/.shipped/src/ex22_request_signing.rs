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

use std::collections::HashMap;
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

/// The server's side: one key, and the nonces it has seen (with their timestamps).
#[derive(Debug)]
pub struct Verifier {
    key_id: String,
    secret: Vec<u8>,
    seen: Mutex<HashMap<String, u64>>,
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
        Self {
            key_id: key_id.to_owned(),
            secret: secret.to_vec(),
            seen: Mutex::new(HashMap::new()),
        }
    }

    // ANCHOR: verify
    /// Accepts `call` at `now` (Unix seconds), or refuses it with UNAUTHENTICATED.
    ///
    /// In this order: the key id is ours; the timestamp is within
    /// [`WINDOW_SECS`] of `now`; the signature matches (compared in constant
    /// time); the nonce was not used before. Remember the nonce only once the
    /// call passed everything else, so forged calls cannot fill the memory.
    pub fn check(&self, call: &SignedCall, now: u64) -> Result<(), Status> {
        // TODO: refuse unknown keys, stale timestamps, bad signatures and replays.
        todo!("check the signed call")
    }
    // ANCHOR_END: verify
}
