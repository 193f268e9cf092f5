//! `custom`: a call-credentials scheme of our own, HMAC request signing.
//!
//! A bearer token is the secret itself: whoever sees one call can make any call.
//! Here client and server share a secret that never travels. Each call carries a
//! signature over its method, server, time and a nonce ([`crate::signing`]); the
//! server's [`crate::signature::SignatureCheck`] verifies it. This module holds
//! the mode: its flags, and the listed [`server`] and [`client`] it runs,
//! in plaintext by default or over TLS with `--certs`.

use std::path::PathBuf;

use tokio::net::TcpListener;

use crate::mode::{CertArgs, DEFAULT_KEY_ID, DemoCredentials, FromDemo, SecureMode, printed};
use crate::signature::{SignatureCheck, reached_at};
use crate::signing::{RequestSigner, SigningKey, system_clock};
use crate::tls::{client_tls, server_tls};

pub mod client;
pub mod server;

/// The shared key: `--key-id`, and the secret from `--secret-file`, else
/// `--secret` or `GRPC_DEMO_SECRET`.
#[derive(Clone, clap::Args)]
pub struct KeyArgs {
    /// Public name of the shared key, sent with every call.
    #[arg(long, default_value = DEFAULT_KEY_ID)]
    pub key_id: String,
    /// The shared secret: 64 hex digits (32 random bytes, see `gen-certs`).
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
    /// Also accept calls signed for this `host:port` (repeatable), besides the
    /// listen address (and `localhost` for a loopback one).
    #[arg(long = "authority", value_name = "HOST:PORT")]
    authorities: Vec<String>,
    /// Serve over TLS with the certificates in DIR (see `gen-certs`).
    #[command(flatten)]
    certs: CertArgs,
    /// Without `--certs`: check signed calls over plaintext, on a loopback address only.
    #[arg(long)]
    plaintext: bool,
}

/// `custom client` flags: the key, and the CA to trust for TLS.
#[derive(Debug, clap::Args)]
pub struct CustomClientFlags {
    #[command(flatten)]
    key: KeyArgs,
    /// Call over TLS, trusting the CA in DIR.
    #[command(flatten)]
    certs: CertArgs,
    /// Without `--certs`: send signed calls over plaintext, to a loopback server only.
    #[arg(long)]
    plaintext: bool,
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
            // Both halves of the demo share one process and 127.0.0.1.
            plaintext: true,
        }
    }
}

impl FromDemo for CustomClientFlags {
    fn from_demo(credentials: &DemoCredentials) -> Self {
        Self {
            key: KeyArgs::from_demo(credentials),
            certs: CertArgs::default(),
            plaintext: true,
        }
    }
}

/// The `custom` mode: plaintext by default, TLS with `--certs`. The signature
/// reveals no secret, and a captured call is refused again by the same server
/// process and by any server reached at another authority; but the messages are
/// readable, and the body is not signed, so over plaintext it can be altered.
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
        if let Some(dir) = &flags.certs.certs {
            server_tls(dir, false)?;
        }
        flags.key.resolve().map(drop)
    }

    async fn serve(
        listener: TcpListener,
        flags: CustomServerFlags,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let local = listener.local_addr()?;
        if flags.certs.certs.is_none() {
            // Plaintext shows every signed call, body and all, to the network.
            anyhow::ensure!(
                flags.plaintext && local.ip().is_loopback(),
                "refusing to serve signed calls in plaintext on {local}: pass --certs DIR for \
                 TLS, or --plaintext on a loopback address (127.0.0.1, [::1])"
            );
        }
        let key = flags.key.resolve()?;
        // Always only the authorities this server is reached by, and those named.
        let reached = reached_at(local);
        let check = SignatureCheck::new([key], flags.max_skew_secs, system_clock())
            .only_for(reached.into_iter().chain(flags.authorities));
        let certs = flags.certs.certs.as_deref();
        printed(server::serve(listener, check, certs, shutdown).await)
    }

    async fn say_hello(
        url: String,
        flags: CustomClientFlags,
        name: String,
    ) -> anyhow::Result<String> {
        let signer = RequestSigner::new(flags.key.resolve()?, system_clock());
        if let Some(dir) = &flags.certs.certs {
            client_tls(dir, false)?;
        } else if !(flags.plaintext && is_loopback_url(&url)) {
            anyhow::bail!(
                "refusing to send signed calls in plaintext to {url}: pass --certs DIR for TLS, \
                 or --plaintext to a server on a loopback address"
            );
        }
        let certs = flags.certs.certs.as_deref();
        printed(client::say_hello(&url, signer, certs, &name).await)
    }
}

/// Whether `url` names this machine: `localhost` or a loopback IP.
fn is_loopback_url(url: &str) -> bool {
    let Ok(uri) = url.parse::<http::Uri>() else {
        return false;
    };
    match uri
        .host()
        .map(|host| host.trim_start_matches('[').trim_end_matches(']'))
    {
        Some(host) if host.eq_ignore_ascii_case("localhost") => true,
        Some(host) => host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}
