//! `mtls`: mutual TLS, where the client proves its identity with a certificate too.
//!
//! The server requires a client certificate that chains to our CA; a client without
//! one, or with one from another CA, fails the handshake before any call is made.
//! Once in, the handler reads the verified certificate and greets its subject's
//! common name: the identity comes from the connection, not from the request.

use tokio::net::TcpListener;

use crate::mode::{CertArgs, SecureMode, printed};
use crate::tls::{client_tls, server_tls};

pub mod client;
pub mod server;

/// The `mtls` mode: runs [`server`] and [`client`].
#[derive(Debug)]
pub struct MtlsMode;

// ANCHOR: mode
impl SecureMode for MtlsMode {
    type ServerFlags = CertArgs;
    type ClientFlags = CertArgs;
    const TLS: bool = true;

    fn check_server(flags: &CertArgs) -> anyhow::Result<()> {
        // `true`: the client CA must load too.
        server_tls(flags.dir()?, true).map(drop)
    }

    async fn serve(
        listener: TcpListener,
        flags: CertArgs,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        printed(server::serve(listener, flags.dir()?, shutdown).await)
    }

    async fn say_hello(url: String, flags: CertArgs, name: String) -> anyhow::Result<String> {
        // `true`: client.pem and client.key must load and belong together.
        client_tls(flags.dir()?, true)?;
        printed(client::say_hello(&url, flags.dir()?, &name).await)
    }
}
// ANCHOR_END: mode
