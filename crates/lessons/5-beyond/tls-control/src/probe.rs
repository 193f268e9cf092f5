//! A bare TLS client for looking at what the server presents: the certificate a
//! new handshake gets, and whether the server then refuses the client's own.

use std::path::Path;
use std::sync::Arc;

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

use crate::reload::fingerprint;

/// What one handshake showed.
#[derive(Debug)]
pub struct Handshake {
    /// The SHA-256 fingerprint of the certificate the server presented.
    pub served: String,
    /// What the server did with our certificate: `Ok` if it kept the connection
    /// open, else the error reading from it (a TLS alert such as `CertificateRevoked`).
    pub accepted: std::io::Result<()>,
}

/// Connects to `addr`, trusting `ca`, presenting `cert`/`key`, offering `h2`.
pub async fn handshake(
    addr: std::net::SocketAddr,
    ca: &Path,
    cert: &Path,
    key: &Path,
) -> anyhow::Result<Handshake> {
    let mut roots = RootCertStore::empty();
    for ca in CertificateDer::pem_file_iter(ca)? {
        roots.add(ca?)?;
    }
    let chain = CertificateDer::pem_file_iter(cert)?.collect::<Result<Vec<_>, _>>()?;
    let mut config = ClientConfig::builder_with_provider(crate::provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, PrivateKeyDer::from_pem_file(key)?)?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    let tcp = TcpStream::connect(addr).await?;
    let mut tls = TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("localhost")?, tcp)
        .await?;
    let served = fingerprint(&tls.get_ref().1.peer_certificates().expect("a certificate")[0]);
    // TLS 1.3: the server checks our certificate after our side has finished; its
    // verdict is what comes next. An HTTP/2 server speaks first (SETTINGS).
    let mut first = [0u8; 1];
    let accepted = tls.read(&mut first).await.map(|_| ());
    Ok(Handshake { served, accepted })
}
