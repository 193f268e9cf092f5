// ANCHOR: mac
//! HMAC request signing. Five metadata entries: the key id, the authority dialled
//! (grpcio's server API does not show `:authority`, so it travels too), a timestamp,
//! a nonce and the HMAC-SHA256 of `path \n authority \n timestamp \n nonce \n key id
//! \n digest`, the digest being the request message's SHA-256 ([`crate::digest`]).

use std::fmt;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tonic::metadata::MetadataValue;
use tonic::{GrpcMethod, Request, Status};

use crate::digest::MessageDigest;

pub const KEY_ID: &str = "x-auth-key-id";
pub const AUTHORITY: &str = "x-auth-authority";
pub const TIMESTAMP: &str = "x-auth-timestamp";
pub const NONCE: &str = "x-auth-nonce";
pub const SIGNATURE: &str = "x-auth-signature";

/// Seconds since the Unix epoch, a parameter so tests choose the time.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// A named shared secret that never prints.
#[derive(Clone)]
pub struct SigningKey {
    pub id: String,
    secret: Vec<u8>,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({:?}, <redacted>)", self.id)
    }
}

impl SigningKey {
    /// A key named `id` with a secret of 64 hex digits: a passphrase, however
    /// long, can be guessed offline from one captured signature.
    pub fn new(id: impl Into<String>, secret: impl Into<Vec<u8>>) -> anyhow::Result<Self> {
        let (id, secret) = (id.into(), secret.into());
        anyhow::ensure!(
            field(KEY_ID, Some(id.as_bytes()), 1..=64, key_id_byte).is_ok(),
            "key ids are 1-64 of [A-Za-z0-9._-]"
        );
        anyhow::ensure!(
            secret.len() == 64 && secret.iter().all(u8::is_ascii_hexdigit),
            "a signing secret is 32 random bytes as 64 hex digits, not a passphrase: \
             `auth gen-certs --out DIR` writes one to DIR/secret"
        );
        Ok(Self { id, secret })
    }

    /// The HMAC of the string to sign for one call.
    pub fn mac(&self, path: &str, call: &SignedCall, message: MessageDigest) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        let (id, authority, time, nonce) =
            (call.key_id, call.authority, call.timestamp, call.nonce);
        let digest = hex::encode(message.0);
        mac.update(format!("{path}\n{authority}\n{time}\n{nonce}\n{id}\n{digest}").as_bytes());
        mac
    }
}

// ANCHOR_END: mac
// ANCHOR: signer
/// The client's call credentials: signs each call for one server.
#[derive(Clone)]
pub struct RequestSigner {
    key: SigningKey,
    clock: Clock,
    authority: Option<String>,
}

impl RequestSigner {
    pub fn new(key: SigningKey, clock: Clock) -> Self {
        Self {
            key,
            clock,
            authority: None,
        }
    }

    /// Signs for the server at `authority` (`host:port`, as dialled).
    pub fn for_authority(mut self, authority: impl Into<String>) -> Self {
        self.authority = Some(authority.into());
        self
    }

    /// Adds the five entries; the digest comes from the `DigestLayer` around the channel.
    pub fn sign<T>(&self, request: &mut Request<T>) -> Result<(), Status> {
        let cannot = |what| Status::internal(format!("cannot sign: {what}"));
        let extensions = request.extensions();
        let method = extensions
            .get::<GrpcMethod>()
            .ok_or_else(|| cannot("no method"))?;
        let path = format!("/{}/{}", method.service(), method.method());
        let message = *extensions
            .get::<MessageDigest>()
            .ok_or_else(|| cannot("no digest"))?;
        let authority = self
            .authority
            .as_deref()
            .ok_or_else(|| cannot("no authority"))?;
        let (timestamp, nonce) = ((self.clock)(), hex::encode(rand::random::<[u8; 16]>()));
        let (key_id, signature) = (self.key.id.as_str(), [0; 32]);
        let nonce = nonce.as_str();
        let call = SignedCall {
            key_id,
            authority,
            timestamp,
            nonce,
            signature,
        };
        let signature = hex::encode(self.key.mac(&path, &call, message).finalize().into_bytes());
        let time = timestamp.to_string();
        for (key, value) in [
            (KEY_ID, key_id),
            (AUTHORITY, authority),
            (TIMESTAMP, &time),
            (NONCE, nonce),
            (SIGNATURE, &signature),
        ] {
            let value: MetadataValue<_> = value.parse().map_err(|_| cannot("bad metadata"))?;
            request.metadata_mut().insert(key, value);
        }
        Ok(())
    }
}

// ANCHOR_END: signer
// ANCHOR: parse
/// The five entries of a signed call, well formed but not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCall<'a> {
    pub key_id: &'a str,
    pub authority: &'a str,
    pub timestamp: u64,
    pub nonce: &'a str,
    pub signature: [u8; 32],
}

/// Reads the five entries from raw bytes: a call, or the key of one missing or malformed.
pub fn parse_signed_call<'a>(
    key_id: Option<&'a [u8]>,
    authority: Option<&'a [u8]>,
    timestamp: Option<&'a [u8]>,
    nonce: Option<&'a [u8]>,
    signature: Option<&'a [u8]>,
) -> Result<SignedCall<'a>, &'static str> {
    let key_id = field(KEY_ID, key_id, 1..=64, key_id_byte)?;
    let authority = field(AUTHORITY, authority, 1..=255, u8::is_ascii_graphic)?;
    let timestamp = field(TIMESTAMP, timestamp, 1..=19, u8::is_ascii_digit)?;
    let nonce = field(NONCE, nonce, 16..=64, u8::is_ascii_hexdigit)?;
    let hex_tag = field(SIGNATURE, signature, 64..=64, u8::is_ascii_hexdigit)?;
    let mut tag = [0u8; 32];
    hex::decode_to_slice(hex_tag, &mut tag).map_err(|_| SIGNATURE)?;
    let timestamp = timestamp.parse().map_err(|_| TIMESTAMP)?;
    Ok(SignedCall {
        key_id,
        authority,
        timestamp,
        nonce,
        signature: tag,
    })
}

fn field<'a>(
    key: &'static str,
    value: Option<&'a [u8]>,
    length: std::ops::RangeInclusive<usize>,
    allowed: fn(&u8) -> bool,
) -> Result<&'a str, &'static str> {
    let value = value.filter(|v| length.contains(&v.len()) && v.iter().all(allowed));
    std::str::from_utf8(value.ok_or(key)?).map_err(|_| key)
}

fn key_id_byte(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || b"._-".contains(b)
}
// ANCHOR_END: parse
