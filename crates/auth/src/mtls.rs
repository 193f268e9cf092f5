//! `mtls`: mutual TLS, where the client proves its identity with a certificate too.
//!
//! The server requires a client certificate that chains to our CA; a client without
//! one, or with one from another CA, fails the handshake before any call is made.
//! Once in, the handler reads the verified certificate and greets its subject's
//! common name: the identity comes from the connection, not from the request.

use lesson_kit::{Console, Lesson, ShutdownSignal};
use tokio::net::TcpListener;

use lesson_kit::cli::NoFlags;

use crate::cli::{CertArgs, DemoCredentials, SecureLesson};
use crate::greeter::Greet;
use crate::tls::{client_tls, server_tls};
use crate::transport::{ClientSecurity, ServerSecurity, run_client, run_server};

/// The `mtls` mode.
#[derive(Debug)]
pub struct MtlsLesson;

// ANCHOR: lesson
impl Lesson for MtlsLesson {
    type ServerFlags = CertArgs;
    type ClientFlags = CertArgs;
    const TLS: bool = true;

    fn serve(
        listener: TcpListener,
        flags: CertArgs,
        console: Console,
        shutdown: ShutdownSignal,
    ) -> impl Future<Output = anyhow::Result<()>> + Send + 'static {
        run_server(listener, console, shutdown, move || {
            Ok(ServerSecurity {
                tls: Some(server_tls(flags.dir()?, true)?),
                authenticator: None,
                greet: Greet::PeerCertificate,
            })
        })
    }

    fn client(
        url: String,
        flags: CertArgs,
        console: Console,
    ) -> impl Future<Output = anyhow::Result<()>> + Send {
        // No name to send: the server greets whoever the certificate says we are.
        run_client(url, String::new(), console, move || {
            Ok(ClientSecurity {
                tls: Some(client_tls(flags.dir()?, true)?),
                ..ClientSecurity::default()
            })
        })
    }
}
// ANCHOR_END: lesson

impl SecureLesson for MtlsLesson {
    type DemoFlags = NoFlags;

    fn demo_halves(_: NoFlags, credentials: &DemoCredentials) -> (CertArgs, CertArgs) {
        (credentials.cert_args(), credentials.cert_args())
    }
}
