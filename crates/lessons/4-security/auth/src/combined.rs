//! `combined`: TLS channel credentials and token call credentials together.
//!
//! TLS alone encrypts and proves the *server*; a token alone proves the *caller* but
//! travels readable. Together the token rides inside the encrypted channel, which
//! is what grpcio's `composite_channel_credentials(ssl, access_token)` builds and
//! what most production gRPC APIs do.

use tokio::net::TcpListener;

use crate::mode::{CertArgs, DemoCredentials, FromDemo, SecureMode, printed};
use crate::tls::{client_tls, server_tls};
use crate::token::TokenArgs;

pub mod client;
pub mod server;

/// The `combined` mode: runs [`server`] and [`client`].
#[derive(Debug)]
pub struct CombinedMode;

/// `combined` flags, the same for both halves: certificates and the token.
#[derive(Debug, clap::Args)]
pub struct CombinedFlags {
    #[command(flatten)]
    certs: CertArgs,
    #[command(flatten)]
    token: TokenArgs,
}

impl FromDemo for CombinedFlags {
    fn from_demo(credentials: &DemoCredentials) -> Self {
        Self {
            certs: CertArgs::from_demo(credentials),
            token: TokenArgs::from_demo(credentials),
        }
    }
}

// ANCHOR: mode
impl SecureMode for CombinedMode {
    type ServerFlags = CombinedFlags;
    type ClientFlags = CombinedFlags;
    const TLS: bool = true;

    fn check_server(flags: &CombinedFlags) -> anyhow::Result<()> {
        server_tls(flags.certs.dir()?, false)?;
        flags.token.resolve().map(drop)
    }

    async fn serve(
        listener: TcpListener,
        flags: CombinedFlags,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let token = flags.token.resolve()?.expose().to_owned();
        printed(server::serve(listener, flags.certs.dir()?, token, shutdown).await)
    }

    async fn say_hello(url: String, flags: CombinedFlags, name: String) -> anyhow::Result<String> {
        client_tls(flags.certs.dir()?, false)?;
        let token = flags.token.resolve()?;
        printed(client::say_hello(&url, flags.certs.dir()?, token.expose(), &name).await)
    }
}
// ANCHOR_END: mode
