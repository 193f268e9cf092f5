//! Exercise 22, solved: sign each call, so it cannot be altered or replayed.

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

/// The MAC over the string to sign, ready to finalize or verify.
fn mac(secret: &[u8], path: &str, timestamp: u64, nonce: &str, key_id: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any size");
    mac.update(format!("{path}\n{timestamp}\n{nonce}\n{key_id}").as_bytes());
    mac
}

/// The signature of one call: lowercase hex HMAC-SHA256, keyed with `secret`, of
/// the four lines `path`, `timestamp`, `nonce`, `key_id` (no newline at the end).
pub fn sign(secret: &[u8], path: &str, timestamp: u64, nonce: &str, key_id: &str) -> String {
    // ANCHOR: sign
    hex::encode(
        mac(secret, path, timestamp, nonce, key_id)
            .finalize()
            .into_bytes(),
    )
    // ANCHOR_END: sign
}

impl Verifier {
    /// A verifier for calls signed with `secret`, known as `key_id`.
    pub fn new(key_id: &str, secret: &[u8]) -> Self {
        Self {
            key_id: key_id.to_owned(),
            secret: secret.to_vec(),
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Accepts `call` at `now` (Unix seconds), or refuses it with UNAUTHENTICATED.
    pub fn check(&self, call: &SignedCall, now: u64) -> Result<(), Status> {
        // ANCHOR: verify
        if call.key_id != self.key_id {
            return Err(Status::unauthenticated("unknown key id"));
        }
        if call.timestamp.abs_diff(now) > WINDOW_SECS {
            return Err(Status::unauthenticated("stale timestamp"));
        }
        let signature = hex::decode(&call.signature)
            .map_err(|_| Status::unauthenticated("malformed signature"))?;
        mac(
            &self.secret,
            &call.path,
            call.timestamp,
            &call.nonce,
            &call.key_id,
        )
        .verify_slice(&signature)
        .map_err(|_| Status::unauthenticated("bad signature"))?;
        let mut seen = self.seen.lock().expect("the nonce memory");
        // Forget nonces whose timestamp the window refuses anyway: bounded memory.
        seen.retain(|_, timestamp| timestamp.abs_diff(now) <= WINDOW_SECS);
        if seen.insert(call.nonce.clone(), call.timestamp).is_some() {
            return Err(Status::unauthenticated(
                "replayed call: this nonce was already used",
            ));
        }
        Ok(())
        // ANCHOR_END: verify
    }
}
