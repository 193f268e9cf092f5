//! `tls`: server-authenticated TLS, the tutorial's "SSL/TLS" channel credentials.
//!
//! The server proves its identity with a certificate for `localhost` / `127.0.0.1`
//! / `::1`; the client trusts only our generated CA (not the system's roots), checks
//! the certificate names the host it dialled, and encrypts everything. The client
//! stays anonymous: anyone who trusts the CA may call.

use std::path::Path;
use std::time::Duration;

use tonic::transport::{ClientTlsConfig, ServerTlsConfig};

use tokio::net::TcpListener;

use crate::certs::files;
use crate::mode::{CertArgs, SecureMode, printed};
use crate::pem::{load_ca, load_identity};

pub mod client;
pub mod server;

/// How long a client may take to finish its TLS handshake. Handshakes run side by
/// side, so a silent client cannot block others; the timeout also frees its slot.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

// ANCHOR: server_tls
/// The server's TLS settings from a `gen-certs` folder: its certificate and key, and
/// with `require_client_cert` the CA that client certificates must chain to.
pub fn server_tls(dir: &Path, require_client_cert: bool) -> anyhow::Result<ServerTlsConfig> {
    let identity = load_identity(&dir.join(files::SERVER_CERT), &dir.join(files::SERVER_KEY))?;
    let mut config = ServerTlsConfig::new()
        .identity(identity)
        .timeout(HANDSHAKE_TIMEOUT);
    if require_client_cert {
        config = config.client_ca_root(load_ca(&dir.join(files::CA_CERT))?);
    }
    Ok(config)
}
// ANCHOR_END: server_tls

// ANCHOR: client_tls
/// The client's TLS settings: trust only the folder's CA, and with
/// `present_client_cert` prove our own identity with the client certificate.
///
/// The name checked against the server's certificate is the host of the URL dialled.
pub fn client_tls(dir: &Path, present_client_cert: bool) -> anyhow::Result<ClientTlsConfig> {
    let mut config = ClientTlsConfig::new().ca_certificate(load_ca(&dir.join(files::CA_CERT))?);
    if present_client_cert {
        config = config.identity(load_identity(
            &dir.join(files::CLIENT_CERT),
            &dir.join(files::CLIENT_KEY),
        )?);
    }
    Ok(config)
}
// ANCHOR_END: client_tls

/// The `tls` mode: runs [`server`] and [`client`].
#[derive(Debug)]
pub struct TlsMode;

impl SecureMode for TlsMode {
    type ServerFlags = CertArgs;
    type ClientFlags = CertArgs;
    const TLS: bool = true;

    fn check_server(flags: &CertArgs) -> anyhow::Result<()> {
        server_tls(flags.dir()?, false).map(drop)
    }

    async fn serve(
        listener: TcpListener,
        flags: CertArgs,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        printed(server::serve(listener, flags.dir()?, shutdown).await)
    }

    async fn say_hello(url: String, flags: CertArgs, name: String) -> anyhow::Result<String> {
        client_tls(flags.dir()?, false)?;
        printed(client::say_hello(&url, flags.dir()?, &name).await)
    }
}
