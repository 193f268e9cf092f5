//! Exercise 11, solved: sign each request (chapter 4, custom auth).
//!
//! A bearer token proves who you are but not *what* you sent: anyone who sees it
//! can reuse it on another request. Here the client sends an HMAC-SHA256 of the
//! request's `name`, keyed by a secret both sides share, in the `x-signature`
//! metadata; the server recomputes it and refuses any request whose signature
//! does not match, so a changed name is caught. The test's server reads the
//! [`SIGNATURE_HEADER`] metadata and calls [`verify`] before greeting.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The metadata key that carries the hex signature.
pub const SIGNATURE_HEADER: &str = "x-signature";

/// HMAC with SHA-256, the signature scheme both sides use.
pub type HmacSha256 = Hmac<Sha256>;

// ANCHOR: sign
/// The signature of `name` under `secret`: lowercase hex of HMAC-SHA256.
pub fn sign(secret: &[u8], name: &str) -> String {
    // Any key length is valid for HMAC, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any size");
    mac.update(name.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}
// ANCHOR_END: sign

// ANCHOR: verify
/// Whether `signature_hex` is the signature of `name` under `secret`.
pub fn verify(secret: &[u8], name: &str, signature_hex: &str) -> bool {
    let Ok(signature) = hex::decode(signature_hex) else {
        return false;
    };
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any size");
    mac.update(name.as_bytes());
    mac.verify_slice(&signature).is_ok()
}
// ANCHOR_END: verify
