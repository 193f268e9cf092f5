//! The `token` mode: call credentials alone, over a plaintext channel.
//!
//! It isolates the token mechanism ([`crate::token`]); a real deployment adds TLS
//! (`combined`). The client refuses to send the token over plaintext unless told
//! to with `--allow-insecure-token`, and the server warns when it listens where
//! other machines can reach it.

use tokio::net::TcpListener;
use tonic::Status;

use crate::mode::{DemoCredentials, FromDemo, SecureMode, printed};
use crate::token::TokenArgs;
use crate::transport::CallFailed;

pub mod client;
pub mod server;

/// The `token` mode: runs [`server`] and [`client`].
#[derive(Debug)]
pub struct TokenMode;

// ANCHOR: client_flags
/// `token client` flags.
#[derive(Debug, clap::Args)]
pub struct TokenClientFlags {
    #[command(flatten)]
    token: TokenArgs,
    /// Send the token even though this channel is not encrypted.
    #[arg(long)]
    allow_insecure_token: bool,
}
// ANCHOR_END: client_flags

impl FromDemo for TokenClientFlags {
    /// Both halves of the demo share one process and 127.0.0.1, so the demo opts
    /// in to plaintext; `token client` on its own refuses unless told the same.
    fn from_demo(credentials: &DemoCredentials) -> Self {
        Self {
            token: TokenArgs::from_demo(credentials),
            allow_insecure_token: true,
        }
    }
}

impl SecureMode for TokenMode {
    type ServerFlags = TokenArgs;
    type ClientFlags = TokenClientFlags;
    const TLS: bool = false;

    fn plaintext_credentials(_flags: &TokenArgs) -> bool {
        true
    }

    fn check_server(flags: &TokenArgs) -> anyhow::Result<()> {
        flags.resolve().map(drop)
    }

    async fn serve(
        listener: TcpListener,
        flags: TokenArgs,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let token = flags.resolve()?.expose().to_owned();
        printed(server::serve(listener, token, shutdown).await)
    }

    async fn say_hello(
        url: String,
        flags: TokenClientFlags,
        name: String,
    ) -> anyhow::Result<String> {
        let token = flags.token.resolve()?;
        if !flags.allow_insecure_token {
            return Err(CallFailed(Status::failed_precondition(format!(
                "refusing to send a bearer token over the plaintext channel to {url}: anyone on \
                 the path could read and reuse it. Use TLS (the `combined` mode), or pass \
                 --allow-insecure-token if you accept that risk"
            )))
            .into());
        }
        printed(client::say_hello(&url, token.expose(), &name).await)
    }
}
