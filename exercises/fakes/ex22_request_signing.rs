//! Exercise 22, a fake answer: signs correctly, but never looks at the key id and
//! judges the window by the caller's `now` alone, so a clock stepped back
//! re-admits a forgotten nonce.
//! fails: a_call_for_another_key_id_is_refused a_clock_stepped_back_does_not_readmit_a_forgotten_nonce

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

/// The MAC over the string to sign, ready to finalize or verify.
fn mac(secret: &[u8], path: &str, timestamp: u64, nonce: &str, key_id: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any size");
    mac.update(format!("{path}\n{timestamp}\n{nonce}\n{key_id}").as_bytes());
    mac
}

/// The signature of one call: lowercase hex HMAC-SHA256, keyed with `secret`, of
/// the four lines `path`, `timestamp`, `nonce`, `key_id` (no newline at the end).
pub fn sign(secret: &[u8], path: &str, timestamp: u64, nonce: &str, key_id: &str) -> String {
    hex::encode(
        mac(secret, path, timestamp, nonce, key_id)
            .finalize()
            .into_bytes(),
    )
}

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

    /// Accepts `call` at `now` (Unix seconds), or refuses it with UNAUTHENTICATED.
    pub fn check(&self, call: &SignedCall, now: u64) -> Result<(), Status> {
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
        // Judged under the lock, by a clock that never goes back: a nonce is only
        // forgotten once no `now` to come can admit its call again.
        if call.timestamp.abs_diff(now) > WINDOW_SECS {
            return Err(Status::unauthenticated("stale timestamp"));
        }
        while let Some((expires, _)) = seen.by_expiry.first()
            && *expires < now
        {
            let (_, nonce) = seen.by_expiry.pop_first().expect("just looked");
            seen.nonces.remove(&nonce);
        }
        if seen.nonces.contains_key(&call.nonce) {
            return Err(Status::unauthenticated(
                "replayed call: this nonce was already used",
            ));
        }
        if seen.nonces.len() >= self.capacity {
            return Err(Status::resource_exhausted(
                "too many calls: try again later",
            ));
        }
        let expires = call.timestamp + WINDOW_SECS;
        seen.nonces.insert(call.nonce.clone(), expires);
        seen.by_expiry.insert((expires, call.nonce.clone()));
        Ok(())
    }
}
