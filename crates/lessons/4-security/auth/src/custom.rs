//! `custom`: a call-credentials scheme of our own, HMAC request signing.
//!
//! A bearer token is the secret itself: whoever sees one call can make any call.
//! Here client and server share a secret that never travels. Each call carries a
//! signature over its method, time and a nonce ([`crate::signing`]), and the
//! server checks, in this order: the key id is known, the timestamp is within the
//! allowed clock skew, the signature matches, and the nonce is new ([`crate::replay`]).
//! A captured call is good for nothing else: not another method, not later, not twice.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use hmac::Mac;
use tonic::Status;

use crate::cli::{DEFAULT_KEY_ID, DemoCredentials};
use crate::credentials::CallCredentials;
use crate::layer::Authenticator;
use crate::mode::{FromDemo, SecureMode};
use crate::replay::{ReplayCache, Seen};
use crate::signing::{
    Clock, KEY_ID, NONCE, RequestSigner, SIGNATURE, SignedCall, SigningKey, TIMESTAMP,
    parse_signed_call, system_clock,
};
use crate::transport::{ClientSecurity, ServerSecurity};

/// Live nonces the server remembers at most (a flood beyond it is refused, not forgotten).
pub const REPLAY_CAPACITY: usize = 100_000;

/// The server's signature check.
pub struct SignatureCheck {
    keys: HashMap<String, SigningKey>,
    max_skew_secs: u64,
    clock: Clock,
    seen: Mutex<ReplayCache>,
}

impl SignatureCheck {
    /// Accepts calls signed by one of `keys`, timestamped within `max_skew_secs` of
    /// `clock` (either way), each nonce once.
    pub fn new(
        keys: impl IntoIterator<Item = SigningKey>,
        max_skew_secs: u64,
        clock: Clock,
    ) -> Self {
        Self {
            keys: keys.into_iter().map(|k| (k.id().to_owned(), k)).collect(),
            max_skew_secs,
            clock,
            seen: Mutex::new(ReplayCache::new(REPLAY_CAPACITY)),
        }
    }

    // ANCHOR: verify
    /// Verifies one parsed call to `path`.
    pub fn verify(&self, path: &str, call: &SignedCall<'_>) -> Result<(), Status> {
        let key = self
            .keys
            .get(call.key_id)
            .ok_or_else(|| Status::unauthenticated("unknown key id"))?;
        let now = (self.clock)();
        let skew = call.timestamp.abs_diff(now);
        if skew > self.max_skew_secs {
            return Err(Status::unauthenticated(format!(
                "stale timestamp: {skew}s away from the server's clock, more than the {}s allowed",
                self.max_skew_secs
            )));
        }
        // `verify_slice` compares in constant time.
        key.mac(path, call.timestamp, call.nonce)
            .verify_slice(&call.signature)
            .map_err(|_| {
                Status::unauthenticated("bad signature: wrong secret, or signed for another call")
            })?;
        // Only a correctly signed call may take a slot in the replay cache.
        let forget_after = call.timestamp.saturating_add(self.max_skew_secs);
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        match seen.remember(call.key_id, call.nonce, forget_after, now) {
            Seen::New => Ok(()),
            Seen::Replayed => Err(Status::unauthenticated(
                "replayed call: this nonce was already used",
            )),
            Seen::Full => Err(Status::resource_exhausted(
                "too many signed calls within the skew window; retry later",
            )),
        }
    }
    // ANCHOR_END: verify
}

impl Authenticator for SignatureCheck {
    fn authenticate(&self, path: &str, headers: &http::HeaderMap) -> Result<(), Status> {
        let entry = |key| headers.get(key).map(http::HeaderValue::as_bytes);
        let call = parse_signed_call(
            entry(KEY_ID),
            entry(TIMESTAMP),
            entry(NONCE),
            entry(SIGNATURE),
        )
        .map_err(|error| Status::unauthenticated(error.to_string()))?;
        self.verify(path, &call)
    }
}

/// The shared key: `--key-id`, and the secret from `--secret-file`, else
/// `--secret` or `GRPC_DEMO_SECRET`.
#[derive(Clone, clap::Args)]
pub struct KeyArgs {
    /// Public name of the shared key, sent with every call.
    #[arg(long, default_value = DEFAULT_KEY_ID)]
    pub key_id: String,
    /// The shared secret (at least 16 bytes).
    #[arg(long, env = "GRPC_DEMO_SECRET", hide_env_values = true)]
    pub secret: Option<String>,
    /// A file holding the shared secret (wins over --secret and GRPC_DEMO_SECRET).
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
}

impl std::fmt::Debug for KeyArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyArgs")
            .field("key_id", &self.key_id)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("secret_file", &self.secret_file)
            .finish()
    }
}

impl KeyArgs {
    /// The key the flags name.
    pub fn resolve(&self) -> anyhow::Result<SigningKey> {
        let secret = match (&self.secret, &self.secret_file) {
            (_, Some(path)) => std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read secret file {}: {e}", path.display()))?
                .trim()
                .to_owned(),
            (Some(secret), None) => secret.clone(),
            (None, None) => anyhow::bail!(
                "no secret: pass --secret-file PATH, set GRPC_DEMO_SECRET, or pass --secret SECRET"
            ),
        };
        SigningKey::new(self.key_id.clone(), secret)
    }
}

/// `custom server` flags.
#[derive(Debug, clap::Args)]
pub struct CustomServerFlags {
    #[command(flatten)]
    key: KeyArgs,
    /// How far a call's timestamp may be from the server's clock, in seconds.
    #[arg(long, default_value_t = DEFAULT_MAX_SKEW_SECS)]
    max_skew_secs: u64,
}

/// The window the server allows by default: five minutes either way.
pub const DEFAULT_MAX_SKEW_SECS: u64 = 300;

impl FromDemo for KeyArgs {
    fn from_demo(credentials: &DemoCredentials) -> Self {
        Self {
            key_id: DEFAULT_KEY_ID.to_owned(),
            secret: Some(credentials.secret.clone()),
            secret_file: None,
        }
    }
}

impl FromDemo for CustomServerFlags {
    fn from_demo(credentials: &DemoCredentials) -> Self {
        Self {
            key: KeyArgs::from_demo(credentials),
            max_skew_secs: DEFAULT_MAX_SKEW_SECS,
        }
    }
}

/// The `custom` mode. Plaintext on purpose: the signature reveals no secret and
/// cannot be replayed (but the messages are readable: add TLS for privacy).
#[derive(Debug)]
pub struct CustomMode;

impl SecureMode for CustomMode {
    type ServerFlags = CustomServerFlags;
    type ClientFlags = KeyArgs;
    const TLS: bool = false;

    fn server(flags: CustomServerFlags) -> anyhow::Result<ServerSecurity> {
        let key = flags.key.resolve()?;
        let check = SignatureCheck::new([key], flags.max_skew_secs, system_clock());
        Ok(ServerSecurity::calls_checked_by(check))
    }

    fn client(flags: KeyArgs) -> anyhow::Result<ClientSecurity> {
        let signer = RequestSigner::new(flags.resolve()?, system_clock());
        Ok(ClientSecurity {
            call: CallCredentials::Signed(signer),
            ..ClientSecurity::default()
        })
    }
}
