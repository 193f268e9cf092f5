//! HMAC request signing: the wire format, the signer, and the header parser.
//!
//! Each call carries five metadata entries:
//!
//! | key | value |
//! |---|---|
//! | `x-auth-key-id` | which shared secret signed (`[A-Za-z0-9._-]`, 1–64) |
//! | `x-auth-authority` | the `host:port` the call was signed for (its `:authority`) |
//! | `x-auth-timestamp` | signing time, Unix seconds |
//! | `x-auth-nonce` | 32 random hex digits, never reused |
//! | `x-auth-signature` | hex HMAC-SHA256 of the string to sign |
//!
//! The string to sign is `path \n authority \n timestamp \n nonce \n key id \n
//! message digest`, the last being the hex SHA-256 of the request message's
//! protobuf bytes ([`crate::digest`]). So a signature is good for one method on one
//! server, one message, one moment and one use. The digest is not sent: each side
//! hashes the message it sends or received. The authority travels as its own entry
//! because grpcio's server API does not show a handler the `:authority` header;
//! our server checks the two are equal.

use std::fmt;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tonic::metadata::MetadataValue;
use tonic::{GrpcMethod, Request, Status};

use crate::digest::MessageDigest;

/// Metadata key naming the signing key.
pub const KEY_ID: &str = "x-auth-key-id";
/// Metadata key of the `host:port` the call was signed for.
pub const AUTHORITY: &str = "x-auth-authority";
/// Metadata key of the signing time.
pub const TIMESTAMP: &str = "x-auth-timestamp";
/// Metadata key of the one-time nonce.
pub const NONCE: &str = "x-auth-nonce";
/// Metadata key of the signature.
pub const SIGNATURE: &str = "x-auth-signature";

/// Seconds since the Unix epoch, as a parameter so tests choose the time.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The real clock.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
    })
}

/// A named shared secret. The secret never prints.
#[derive(Clone)]
pub struct SigningKey {
    id: String,
    secret: Vec<u8>,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({:?}, <redacted>)", self.id)
    }
}

impl SigningKey {
    /// A key named `id` (a valid key id) with a secret of 64 hex digits.
    pub fn new(id: impl Into<String>, secret: impl Into<Vec<u8>>) -> anyhow::Result<Self> {
        let (id, secret) = (id.into(), secret.into());
        anyhow::ensure!(
            valid_key_id(id.as_bytes()),
            "key ids are 1-64 of [A-Za-z0-9._-]"
        );
        // 32 random bytes as hex: a passphrase, however long, is guessable offline
        // from one captured signature.
        anyhow::ensure!(
            secret.len() == 64 && secret.iter().all(u8::is_ascii_hexdigit),
            "a signing secret is 32 random bytes as 64 hex digits, not a passphrase: \
             `auth gen-certs --out DIR` writes one to DIR/secret"
        );
        Ok(Self { id, secret })
    }

    /// The key's public name.
    pub fn id(&self) -> &str {
        &self.id
    }

    // ANCHOR: mac
    /// The HMAC of the string to sign for one call.
    pub(crate) fn mac(
        &self,
        path: &str,
        authority: &str,
        timestamp: u64,
        nonce: &str,
        message: MessageDigest,
    ) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC accepts keys of any length");
        let id = &self.id;
        let message = message.to_hex();
        let text = format!("{path}\n{authority}\n{timestamp}\n{nonce}\n{id}\n{message}");
        mac.update(text.as_bytes());
        mac
    }
    // ANCHOR_END: mac
}

// ANCHOR: signer
/// The client's call credentials for request signing.
#[derive(Clone)]
pub struct RequestSigner {
    key: SigningKey,
    clock: Clock,
    authority: Option<String>,
}

impl fmt::Debug for RequestSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestSigner")
            .field("key", &self.key)
            .field("authority", &self.authority)
            .finish()
    }
}

impl RequestSigner {
    /// Signs with `key`, taking the time from `clock`.
    pub fn new(key: SigningKey, clock: Clock) -> Self {
        Self {
            key,
            clock,
            authority: None,
        }
    }

    /// Signs for the server at `authority` (`host:port`, as dialled): the
    /// `:authority` of every call this signer signs.
    pub fn for_authority(mut self, authority: impl Into<String>) -> Self {
        self.authority = Some(authority.into());
        self
    }

    /// Adds the five signing entries to an outgoing call.
    ///
    /// The path comes from the `GrpcMethod` that tonic's generated client puts in
    /// the request's extensions, the message's digest from the [`DigestLayer`]
    /// the channel is wrapped in (so a call of more than one message cannot be signed).
    ///
    /// [`DigestLayer`]: crate::digest::DigestLayer
    pub fn sign<T>(&self, request: &mut Request<T>) -> Result<(), Status> {
        let method = request
            .extensions()
            .get::<GrpcMethod>()
            .ok_or_else(|| Status::internal("cannot sign: the call has no method path"))?;
        let message = *request.extensions().get::<MessageDigest>().ok_or_else(|| {
            Status::internal("cannot sign: no digest of one request message (DigestLayer)")
        })?;
        let path = format!("/{}/{}", method.service(), method.method());
        let authority = self
            .authority
            .clone()
            .ok_or_else(|| Status::internal("cannot sign: no authority to sign for"))?;
        let timestamp = (self.clock)();
        let nonce = hex::encode(rand::random::<[u8; 16]>());
        let signature = hex::encode(
            self.key
                .mac(&path, &authority, timestamp, &nonce, message)
                .finalize()
                .into_bytes(),
        );
        let metadata = request.metadata_mut();
        for (key, value) in [
            (KEY_ID, self.key.id().to_owned()),
            (AUTHORITY, authority),
            (TIMESTAMP, timestamp.to_string()),
            (NONCE, nonce),
            (SIGNATURE, signature),
        ] {
            let value: MetadataValue<_> = value
                .parse()
                .map_err(|_| Status::internal("cannot encode signing metadata"))?;
            metadata.insert(key, value);
        }
        Ok(())
    }
}
// ANCHOR_END: signer

/// The five entries of a signed call, checked for shape but not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCall<'a> {
    /// Which key signed.
    pub key_id: &'a str,
    /// For which server (`host:port`).
    pub authority: &'a str,
    /// When, in Unix seconds.
    pub timestamp: u64,
    /// The one-time value.
    pub nonce: &'a str,
    /// The HMAC-SHA256 tag.
    pub signature: [u8; 32],
}

/// Why the signing entries cannot even be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// An entry is absent.
    Missing(&'static str),
    /// An entry is present but not of its format.
    Malformed(&'static str),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing(key) => write!(f, "missing {key} metadata"),
            Self::Malformed(key) => write!(f, "malformed {key} metadata: {}", format_of(key)),
        }
    }
}

fn format_of(key: &str) -> &'static str {
    match key {
        KEY_ID => "expected 1-64 of [A-Za-z0-9._-]",
        AUTHORITY => "expected host:port, 1-255 visible ASCII",
        TIMESTAMP => "expected Unix seconds",
        NONCE => "expected 16-64 hex digits",
        _ => "expected 64 hex digits (HMAC-SHA256)",
    }
}

// ANCHOR: parse
/// Reads the five signing entries, each given as raw bytes (or absent).
///
/// Pure and total: any bytes in, a [`SignedCall`] or a [`ParseError`] out.
pub fn parse_signed_call<'a>(
    key_id: Option<&'a [u8]>,
    authority: Option<&'a [u8]>,
    timestamp: Option<&'a [u8]>,
    nonce: Option<&'a [u8]>,
    signature: Option<&'a [u8]>,
) -> Result<SignedCall<'a>, ParseError> {
    let key_id = field(KEY_ID, key_id, valid_key_id)?;
    let authority = field(AUTHORITY, authority, |a| {
        (1..=255).contains(&a.len()) && a.iter().all(u8::is_ascii_graphic)
    })?;
    let timestamp = field(TIMESTAMP, timestamp, |t| {
        (1..=19).contains(&t.len()) && t.iter().all(u8::is_ascii_digit)
    })?;
    let nonce = field(NONCE, nonce, |n| {
        (16..=64).contains(&n.len()) && n.iter().all(u8::is_ascii_hexdigit)
    })?;
    let signature = field(SIGNATURE, signature, |s| s.len() == 64)?;
    let mut tag = [0u8; 32];
    hex::decode_to_slice(signature, &mut tag).map_err(|_| ParseError::Malformed(SIGNATURE))?;
    Ok(SignedCall {
        key_id,
        authority,
        // At most 19 digits always fits in a u64.
        timestamp: timestamp
            .parse()
            .map_err(|_| ParseError::Malformed(TIMESTAMP))?,
        nonce,
        signature: tag,
    })
}
// ANCHOR_END: parse

/// One entry: present, of the right shape, and therefore ASCII.
fn field<'a>(
    key: &'static str,
    value: Option<&'a [u8]>,
    well_formed: impl Fn(&[u8]) -> bool,
) -> Result<&'a str, ParseError> {
    let value = value.ok_or(ParseError::Missing(key))?;
    if !well_formed(value) {
        return Err(ParseError::Malformed(key));
    }
    std::str::from_utf8(value).map_err(|_| ParseError::Malformed(key))
}

fn valid_key_id(id: &[u8]) -> bool {
    (1..=64).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_well_formed_entries_and_names_the_bad_one() {
        let sig = "ab".repeat(32);
        let ok = parse_signed_call(
            Some(b"k1"),
            Some(b"localhost:50051"),
            Some(b"1700000000"),
            Some(b"00112233445566778899aabbccddeeff"),
            Some(sig.as_bytes()),
        )
        .unwrap();
        assert_eq!(
            (ok.key_id, ok.authority, ok.timestamp),
            ("k1", "localhost:50051", 1_700_000_000)
        );
        assert_eq!(ok.signature, [0xab; 32]);
        let bad = parse_signed_call(Some(b"k1"), Some(b"h:1"), Some(b"-5"), None, None);
        assert_eq!(bad, Err(ParseError::Malformed(TIMESTAMP)));
        let spaced = parse_signed_call(Some(b"k1"), Some(b"h :1"), Some(b"5"), None, None);
        assert_eq!(spaced, Err(ParseError::Malformed(AUTHORITY)));
        let missing = parse_signed_call(Some(b"k1"), Some(b"h:1"), Some(b"5"), None, None);
        assert_eq!(missing, Err(ParseError::Missing(NONCE)));
    }

    #[test]
    fn keys_never_print_their_secret() {
        let secret = "5f0c2a9d8e7b41c3a6d2f0e19b8c7a655f0c2a9d8e7b41c3a6d2f0e19b8c7a65";
        let key = SigningKey::new("k1", secret).unwrap();
        assert!(!format!("{key:?}").contains("5f0c"));
        assert!(SigningKey::new("k1", b"short".to_vec()).is_err());
        assert!(SigningKey::new("bad id", secret).is_err());
    }
}
