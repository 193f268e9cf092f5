//! The `token` mode: call credentials alone, over a plaintext channel.
//!
//! It isolates the token mechanism ([`crate::token`]); a real deployment adds TLS
//! (`combined`). The client refuses to send the token over plaintext unless told
//! to with `--allow-insecure-token`, and the server warns when it listens where
//! other machines can reach it.

use crate::credentials::CallCredentials;
use crate::mode::{DemoCredentials, FromDemo, SecureMode};
use crate::token::{TokenArgs, TokenCheck};
use crate::transport::{ClientSecurity, ServerSecurity};

/// The `token` mode.
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

    fn server(flags: TokenArgs) -> anyhow::Result<ServerSecurity> {
        Ok(ServerSecurity::calls_checked_by(TokenCheck::new(
            flags.resolve()?,
        )))
    }

    fn client(flags: TokenClientFlags) -> anyhow::Result<ClientSecurity> {
        Ok(ClientSecurity {
            tls: None,
            call: CallCredentials::Bearer(flags.token.resolve()?),
            allow_insecure_call_credentials: flags.allow_insecure_token,
        })
    }
}
