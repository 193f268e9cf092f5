//! TLS you control: your own `tokio-rustls` acceptor in front of tonic.
//!
//! tonic's `Server` does TLS for you, with one fixed certificate and no
//! revocation check. Taking the TLS handshake into your own hands costs one
//! accept loop: accept TCP, run the rustls handshake, then serve tonic's
//! `Routes` on the encrypted stream with hyper, as tonic itself does inside.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::crypto::CryptoProvider;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, CertificateRevocationListDer};
use tokio_rustls::rustls::server::{ResolvesServerCert, WebPkiClientVerifier};
use tokio_rustls::rustls::{RootCertStore, ServerConfig};
use tonic::service::Routes;

use crate::reload::{Stamp, on_change};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// How long a new connection may take to finish its TLS handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// TLS settings: the certificate from `certs` at every handshake, and a client
/// certificate required, issued by the CA in `ca` and not revoked by the CRL in `crl`.
pub fn server_config(
    certs: Arc<dyn ResolvesServerCert>,
    ca: &Path,
    crl: &Path,
    provider: Arc<CryptoProvider>,
) -> Result<ServerConfig, Error> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca)? {
        roots.add(cert?)?;
    }
    let crls = CertificateRevocationListDer::pem_file_iter(crl)?.collect::<Result<Vec<_>, _>>()?;
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .with_crls(crls)
        .build()?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_cert_resolver(certs);
    // gRPC is HTTP/2: say so in ALPN, as tonic's own TLS does.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}

/// Builds new TLS settings whenever the CRL file changes from its time `seen`
/// (taken before the settings in `configs` were built), so that new handshakes
/// check clients against it; until it parses, the last good settings stay.
pub async fn watch_crl(
    certs: Arc<dyn ResolvesServerCert>,
    (ca, crl): (PathBuf, PathBuf),
    seen: Vec<Stamp>,
    provider: Arc<CryptoProvider>,
    every: Duration,
    configs: watch::Sender<Arc<ServerConfig>>,
) {
    on_change(
        std::slice::from_ref(&crl),
        seen,
        every,
        || match server_config(certs.clone(), &ca, &crl, provider.clone()) {
            Ok(config) => {
                configs.send_replace(Arc::new(config));
                println!("server: now checking clients against the new CRL");
            }
            Err(error) => println!("server: kept the old CRL: {error}"),
        },
    )
    .await
}

/// Serves `routes` over TLS on `listener` until `shutdown`, then lets every open
/// connection finish its calls (HTTP/2 GOAWAY) before returning. Each handshake
/// uses the TLS settings `configs` holds at that moment.
pub async fn serve(
    listener: TcpListener,
    configs: watch::Receiver<Arc<ServerConfig>>,
    routes: Routes,
    shutdown: impl Future<Output = ()>,
) {
    let routes = routes.prepare();
    // Each connection holds a receiver; `closed()` below waits for all of them.
    let (stopping, stop) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(error) => {
                    println!("server: accept failed: {error}");
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let acceptor = TlsAcceptor::from(configs.borrow().clone());
        let (routes, mut stop) = (routes.clone(), stop.clone());
        tokio::spawn(async move {
            let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                Ok(Err(error)) => return println!("server: refused a connection: {error}"),
                Err(_) => return println!("server: dropped a connection with no TLS handshake"),
            };
            let http = auto::Builder::new(TokioExecutor::new()).http2_only();
            let service = TowerToHyperService::new(routes);
            let connection = http.serve_connection(TokioIo::new(tls), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(stop);
    stopping.send_replace(());
    stopping.closed().await;
}
