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
use std::sync::atomic::{AtomicU64, Ordering};

use hmac::Mac;
use tonic::Status;

use crate::credentials::CallCredentials;
use crate::layer::Authenticator;
use crate::mode::{CertArgs, DEFAULT_KEY_ID, DemoCredentials, FromDemo, SecureMode};
use crate::replay::{ReplayCache, Seen};
use crate::signing::{
    AUTHORITY, Clock, KEY_ID, NONCE, RequestSigner, SIGNATURE, SignedCall, SigningKey, TIMESTAMP,
    parse_signed_call, system_clock,
};
use crate::tls::{client_tls, server_tls};
use crate::transport::{CallFailed, ClientSecurity, ServerSecurity, say_hello, serve};
use tokio::net::TcpListener;

/// Live nonces the server remembers at most, per key (a flood beyond it is refused,
/// not forgotten, and fills only the flooding key's cache).
pub const REPLAY_CAPACITY_PER_KEY: usize = 100_000;

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
    pub fn verify(&self, path: &str, authority: &str, call: &SignedCall<'_>) -> Result<(), Status> {
        let state = self
            .keys
            .get(call.key_id)
            .ok_or_else(|| Status::unauthenticated("unknown key id"))?;
        // Signed for the server the call reached, and one this server answers to.
        let allowed = |a: &String| a.eq_ignore_ascii_case(call.authority);
        if !call.authority.eq_ignore_ascii_case(authority)
            || self
                .authorities
                .as_ref()
                .is_some_and(|a| !a.iter().any(allowed))
        {
            return Err(Status::unauthenticated(
                "signed for another server: x-auth-authority is not this server's authority",
            ));
        }
        let now = self.now();
        let skew = call.timestamp.abs_diff(now);
        if skew > self.max_skew_secs {
            return Err(Status::unauthenticated(format!(
                "stale timestamp: {skew}s away from the server's clock, more than the {}s allowed",
                self.max_skew_secs
            )));
        }
        // `verify_slice` compares in constant time.
        state
            .key
            .mac(path, call.authority, call.timestamp, call.nonce)
            .verify_slice(&call.signature)
            .map_err(|_| {
                Status::unauthenticated("bad signature: wrong secret, or signed for another call")
            })?;
        // Only a correctly signed call may take a slot, and only in its key's cache.
        let forget_after = call.timestamp.saturating_add(self.max_skew_secs);
        let mut seen = state.seen.lock().unwrap_or_else(|p| p.into_inner());
        match seen.remember(call.nonce, forget_after, now) {
            Seen::New => Ok(()),
            Seen::Replayed => Err(Status::unauthenticated(
                "replayed call: this nonce was already used",
            )),
            Seen::Full => Err(Status::resource_exhausted(
                "too many signed calls with this key within the skew window; retry later",
            )),
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
    fn authenticate(&self, uri: &http::Uri, headers: &http::HeaderMap) -> Result<(), Status> {
        let entry = |key| headers.get(key).map(http::HeaderValue::as_bytes);
        let call = parse_signed_call(
            entry(KEY_ID),
            entry(AUTHORITY),
            entry(TIMESTAMP),
            entry(NONCE),
            entry(SIGNATURE),
        )
        .map_err(|error| Status::unauthenticated(error.to_string()))?;
        // HTTP/2 carries `:authority` in the URI; HTTP/1-style clients send `host`.
        let authority = match uri.authority() {
            Some(authority) => authority.as_str(),
            None => headers
                .get(http::header::HOST)
                .and_then(|host| host.to_str().ok())
                .unwrap_or_default(),
        };
        self.verify(uri.path(), authority, &call)
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
    /// Accept only calls signed for this `host:port` (repeatable); any when absent.
    #[arg(long = "authority", value_name = "HOST:PORT")]
    authorities: Vec<String>,
    /// Serve over TLS with the certificates in DIR (see `gen-certs`); plaintext without.
    #[command(flatten)]
    certs: CertArgs,
}

/// `custom client` flags: the key, and the CA to trust for TLS.
#[derive(Debug, clap::Args)]
pub struct CustomClientFlags {
    #[command(flatten)]
    key: KeyArgs,
    /// Call over TLS, trusting the CA in DIR; plaintext without.
    #[command(flatten)]
    certs: CertArgs,
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

/// The demo runs in plaintext, as the interop suite's Python programs do; give
/// `--certs` to `server` and `client` for TLS.
impl FromDemo for CustomServerFlags {
    fn from_demo(credentials: &DemoCredentials) -> Self {
        Self {
            key: KeyArgs::from_demo(credentials),
            max_skew_secs: DEFAULT_MAX_SKEW_SECS,
            authorities: Vec::new(),
            certs: CertArgs::default(),
        }
    }
}

impl FromDemo for CustomClientFlags {
    fn from_demo(credentials: &DemoCredentials) -> Self {
        Self {
            key: KeyArgs::from_demo(credentials),
            certs: CertArgs::default(),
        }
    }
}

/// The `custom` mode: plaintext by default (the signature reveals no secret and
/// cannot be replayed, but the messages are readable), TLS with `--certs`.
#[derive(Debug)]
pub struct CustomMode;

impl SecureMode for CustomMode {
    type ServerFlags = CustomServerFlags;
    type ClientFlags = CustomClientFlags;
    const TLS: bool = false;

    fn client_tls(flags: &CustomClientFlags) -> bool {
        flags.certs.certs.is_some()
    }

    fn plaintext_credentials(flags: &CustomServerFlags) -> bool {
        flags.certs.certs.is_none()
    }

    fn check_server(flags: &CustomServerFlags) -> anyhow::Result<()> {
        Self::server_security(flags).map(drop)
    }

    async fn serve(
        listener: TcpListener,
        flags: CustomServerFlags,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        serve(listener, Self::server_security(&flags)?, shutdown).await
    }

    async fn say_hello(
        url: String,
        flags: CustomClientFlags,
        name: String,
    ) -> anyhow::Result<String> {
        let signer = RequestSigner::new(flags.key.resolve()?, system_clock());
        let tls = match &flags.certs.certs {
            Some(dir) => Some(client_tls(dir, false)?),
            None => None,
        };
        let security = ClientSecurity {
            tls,
            call: CallCredentials::Signed(signer),
            ..ClientSecurity::default()
        };
        Ok(say_hello(&url, security, &name).await.map_err(CallFailed)?)
    }
}

impl CustomMode {
    /// The server's TLS (with `--certs`) and signature check, from its flags.
    fn server_security(flags: &CustomServerFlags) -> anyhow::Result<ServerSecurity> {
        let key = flags.key.resolve()?;
        let mut check = SignatureCheck::new([key], flags.max_skew_secs, system_clock());
        if !flags.authorities.is_empty() {
            check = check.only_for(flags.authorities.clone());
        }
        let mut security = ServerSecurity::calls_checked_by(check);
        if let Some(dir) = &flags.certs.certs {
            security.tls = Some(server_tls(dir, false)?);
        }
        Ok(security)
    }
}
