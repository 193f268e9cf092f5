//! `combined`: TLS channel credentials and token call credentials together.
//!
//! TLS alone encrypts and proves the *server*; a token alone proves the *caller* but
//! travels readable. Together the token rides inside the encrypted channel, which
//! is what grpcio's `composite_channel_credentials(ssl, access_token)` builds and
//! what most production gRPC APIs do.

use std::sync::Arc;

use lesson_kit::{Console, Lesson, ShutdownSignal};
use tokio::net::TcpListener;

use crate::cli::{CertArgs, DemoCredentials, NameArgs, SecureLesson};
use crate::credentials::CallCredentials;
use crate::greeter::Greet;
use crate::tls::{client_tls, server_tls};
use crate::token::{TokenArgs, TokenCheck};
use crate::transport::{ClientSecurity, ServerSecurity, run_client, run_server};

/// The `combined` mode.
#[derive(Debug)]
pub struct CombinedLesson;

/// `combined server` flags.
#[derive(Debug, clap::Args)]
pub struct CombinedServerFlags {
    #[command(flatten)]
    certs: CertArgs,
    #[command(flatten)]
    token: TokenArgs,
}

/// `combined client` flags.
#[derive(Debug, clap::Args)]
pub struct CombinedClientFlags {
    #[command(flatten)]
    certs: CertArgs,
    #[command(flatten)]
    token: TokenArgs,
    #[command(flatten)]
    name: NameArgs,
}

// ANCHOR: lesson
impl Lesson for CombinedLesson {
    type ServerFlags = CombinedServerFlags;
    type ClientFlags = CombinedClientFlags;
    const TLS: bool = true;

    fn serve(
        listener: TcpListener,
        flags: CombinedServerFlags,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> impl Future<Output = anyhow::Result<()>> + Send + 'static {
        run_server(listener, console, shutdown, move || {
            Ok(ServerSecurity {
                tls: Some(server_tls(flags.certs.dir()?, false)?),
                authenticator: Some(Arc::new(TokenCheck::new(flags.token.resolve()?))),
                greet: Greet::RequestName,
            })
        })
    }

    fn client(
        url: String,
        flags: CombinedClientFlags,
        console: Console,
    ) -> impl Future<Output = anyhow::Result<()>> + Send {
        run_client(url, flags.name.name, console, move || {
            Ok(ClientSecurity {
                tls: Some(client_tls(flags.certs.dir()?, false)?),
                call: CallCredentials::Bearer(flags.token.resolve()?),
                allow_insecure_call_credentials: false,
            })
        })
    }
}
// ANCHOR_END: lesson

impl SecureLesson for CombinedLesson {
    type DemoFlags = NameArgs;

    fn demo_halves(
        name: NameArgs,
        credentials: &DemoCredentials,
    ) -> (CombinedServerFlags, CombinedClientFlags) {
        let (certs, token) = (
            credentials.cert_args(),
            TokenArgs::given(&credentials.token),
        );
        let server = CombinedServerFlags {
            certs: certs.clone(),
            token: token.clone(),
        };
        (server, CombinedClientFlags { certs, token, name })
    }
}
