//! A tls-control server on 127.0.0.1:0 in this process, over a fresh folder of
//! certificates, stopped when dropped.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lesson_kit::shutdown::{self, ShutdownTrigger};
use tls_control::pki::{self, Ca};
use tls_control::probe::{Handshake, handshake};
use tls_control::reload::fingerprint;
use tls_control::{Tls, revoke};
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tonic::service::Routes;

/// How often the test servers look at their files.
pub const RELOAD_EVERY: Duration = Duration::from_millis(10);

pub struct TestServer {
    pub folder: tempfile::TempDir,
    pub ca: Ca,
    pub tls: Tls,
    pub addr: SocketAddr,
    stop: Option<ShutdownTrigger>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// A CA, a server certificate, `client.pem` for "workshop-client", an empty
    /// CRL, and `routes` served with them.
    pub async fn start(routes: Routes) -> TestServer {
        let folder = tempfile::tempdir().unwrap();
        let ca = pki::write_set(folder.path(), "workshop-client").unwrap();
        revoke(folder.path(), &[]).unwrap();
        let tls = Tls::start(folder.path(), RELOAD_EVERY).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = shutdown::channel();
        let task = tokio::spawn(tls_control::server::serve(
            listener,
            tls.configs.clone(),
            routes,
            stopped.wait(),
        ));
        TestServer {
            folder,
            ca,
            tls,
            addr,
            stop: Some(stop),
            task,
        }
    }

    pub fn dir(&self) -> &Path {
        self.folder.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir().join(name)
    }

    pub fn url(&self) -> String {
        format!("https://localhost:{}", self.addr.port())
    }

    /// A handshake presenting `cert`/`key` from the folder.
    pub async fn handshake_as(&self, cert: &str, key: &str) -> Handshake {
        handshake(
            self.addr,
            &self.file(pki::CA_CERT),
            &self.file(cert),
            &self.file(key),
        )
        .await
        .unwrap()
    }

    /// A handshake as the folder's client.pem.
    pub async fn handshake(&self) -> Handshake {
        self.handshake_as(pki::CLIENT_CERT, pki::CLIENT_KEY).await
    }

    /// The fingerprint of the server.pem on disk now.
    pub fn server_pem_fingerprint(&self) -> String {
        let cert = CertificateDer::from_pem_file(self.file(pki::SERVER_CERT)).unwrap();
        fingerprint(&cert)
    }

    /// Stops the server gracefully and waits until it has.
    pub async fn stop(mut self) {
        self.stop.take().unwrap().trigger();
        (&mut self.task).await.unwrap();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
