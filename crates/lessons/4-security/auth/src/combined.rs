//! `combined`: TLS channel credentials and token call credentials together.
//!
//! TLS alone encrypts and proves the *server*; a token alone proves the *caller* but
//! travels readable. Together the token rides inside the encrypted channel, which
//! is what grpcio's `composite_channel_credentials(ssl, access_token)` builds and
//! what most production gRPC APIs do.

use std::sync::Arc;

use crate::credentials::CallCredentials;
use crate::greeter::Greet;
use crate::mode::{CertArgs, DemoCredentials, FromDemo, SecureMode};
use crate::tls::{client_tls, server_tls};
use crate::token::{TokenArgs, TokenCheck};
use crate::transport::{ClientSecurity, ServerSecurity};

/// The `combined` mode.
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

    fn server(flags: CombinedFlags) -> anyhow::Result<ServerSecurity> {
        Ok(ServerSecurity {
            tls: Some(server_tls(flags.certs.dir()?, false)?),
            authenticator: Some(Arc::new(TokenCheck::new(flags.token.resolve()?))),
            greet: Greet::RequestName,
        })
    }

    fn client(flags: CombinedFlags) -> anyhow::Result<ClientSecurity> {
        Ok(ClientSecurity {
            tls: Some(client_tls(flags.certs.dir()?, false)?),
            call: CallCredentials::Bearer(flags.token.resolve()?),
            allow_insecure_call_credentials: false,
        })
    }
}
// ANCHOR_END: mode
