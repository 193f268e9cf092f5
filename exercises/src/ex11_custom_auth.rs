//! Exercise 11: sign each request (chapter 4, custom auth).
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
    // TODO: key an `HmacSha256` with the secret, feed it the name's bytes, and
    // hex-encode the result.
    // HINT: `HmacSha256::new_from_slice(secret)`, `.update(name.as_bytes())`,
    //       `hex::encode(mac.finalize().into_bytes())`.
    todo!("sign the name")
}
// ANCHOR_END: sign

// ANCHOR: verify
/// Whether `signature_hex` is the signature of `name` under `secret`.
pub fn verify(secret: &[u8], name: &str, signature_hex: &str) -> bool {
    // TODO: decode the hex (bad hex is simply "not valid") and let the MAC check it.
    // HINT: `mac.verify_slice(&bytes).is_ok()` compares in constant time; comparing
    //       two strings with `==` would leak, through timing, how much matched.
    todo!("verify the signature")
}
// ANCHOR_END: verify
