//! Beyond the tutorial: TLS you control.
//!
//! - [`server`]: a `tokio-rustls` acceptor in front of tonic's `Routes`, served by
//!   hyper-util; client certificates required and checked against a CRL, which
//!   is reloaded when its file changes ([`server::watch_crl`]).
//! - [`reload`]: the server certificate as a rustls `ResolvesServerCert` that
//!   swaps in new files without touching open connections.
//! - [`crl`]: issuing a CRL under the CA `auth gen-certs` keeps.
//! - [`greeter`]: the greeters served (unary, and a paced server stream).
//!
//! This file is the glue: flags, the lesson-kit halves, the demo.

pub mod crl;
pub mod demo;
pub mod greeter;
pub mod pki;
pub mod probe;
pub mod reload;
pub mod server;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use helloworld_proto::{v1, v2};
use lesson_kit::{Console, Lesson, ShutdownSignal};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::{CryptoProvider, ring};
use tonic::service::Routes;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};

use crate::greeter::Greeter;
use crate::reload::ReloadingCert;

/// The CRL's file name in a certificate folder.
pub const CRL_FILE: &str = "crl.pem";

/// The lesson; see the crate docs.
#[derive(Debug)]
pub struct TlsControl;

/// Server flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerFlags {
    /// Folder with server.pem, server.key, ca.pem and crl.pem (`auth gen-certs --out DIR`,
    /// then `tls-control revoke --certs DIR`).
    #[arg(long, value_name = "DIR")]
    pub certs: Option<PathBuf>,
    /// How often to look at the certificate, key and CRL files for changes.
    #[arg(long, default_value = "1s")]
    pub reload_every: humantime::Duration,
    /// Greetings per server stream.
    #[arg(long, default_value_t = 5)]
    pub messages: usize,
    /// Pause between streamed greetings.
    #[arg(long, default_value = "200ms")]
    pub every: humantime::Duration,
}

/// Client flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Folder with ca.pem, client.pem and client.key.
    #[arg(long, value_name = "DIR")]
    pub client_certs: Option<PathBuf>,
    /// The name to greet.
    #[arg(long, default_value = "jack")]
    pub name: String,
}

/// The crypto both sides use: ring, as the workspace's tonic (`tls-ring`).
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(ring::default_provider())
}

/// The greeters, v1 and v2.
pub fn routes(flags: &ServerFlags) -> Routes {
    let greeter = Greeter {
        messages: flags.messages,
        every: flags.every.into(),
    };
    Routes::new(v1::greeter_service_server::GreeterServiceServer::new(
        greeter.clone(),
    ))
    .add_service(v2::greeter_service_server::GreeterServiceServer::new(
        greeter,
    ))
}

/// A running TLS setup: the reloading certificate and the settings new handshakes use.
pub struct Tls {
    pub certs: Arc<ReloadingCert>,
    pub configs: watch::Receiver<Arc<ServerConfig>>,
    watchers: Vec<tokio::task::JoinHandle<()>>,
}

impl Tls {
    /// Loads `dir`'s server.pem, server.key, ca.pem and crl.pem and starts
    /// watching them every `every`.
    pub fn start(dir: &Path, every: Duration) -> anyhow::Result<Tls> {
        let provider = provider();
        let certs = ReloadingCert::new(
            dir.join(pki::SERVER_CERT),
            dir.join(pki::SERVER_KEY),
            provider.clone(),
        )
        .map_err(|e| anyhow::anyhow!("cannot load the server certificate: {e}"))?;
        let certs = Arc::new(certs);
        let (ca, crl) = (dir.join(pki::CA_CERT), dir.join(CRL_FILE));
        let seen = reload::stamp(std::slice::from_ref(&crl));
        let config = server::server_config(certs.clone(), &ca, &crl, provider.clone())
            .map_err(|e| anyhow::anyhow!("cannot set up TLS from {}: {e}", dir.display()))?;
        let (sender, configs) = watch::channel(Arc::new(config));
        let watchers = vec![
            tokio::spawn(certs.clone().watch(every)),
            tokio::spawn(server::watch_crl(
                certs.clone(),
                (ca, crl),
                seen,
                provider,
                every,
                sender,
            )),
        ];
        Ok(Tls {
            certs,
            configs,
            watchers,
        })
    }
}

impl Drop for Tls {
    fn drop(&mut self) {
        for watcher in &self.watchers {
            watcher.abort();
        }
    }
}

/// Serves [`routes`] with the TLS of `dir` until `shutdown`.
pub async fn serve_dir(
    listener: TcpListener,
    dir: &Path,
    flags: &ServerFlags,
    shutdown: ShutdownSignal,
) -> anyhow::Result<()> {
    let tls = Tls::start(dir, flags.reload_every.into())?;
    server::serve(
        listener,
        tls.configs.clone(),
        routes(flags),
        shutdown.wait(),
    )
    .await;
    Ok(())
}

/// A channel to `url` presenting `dir`'s client.pem, trusting its ca.pem.
pub async fn connect(url: &str, dir: &Path) -> anyhow::Result<Channel> {
    lesson_kit::addr::require_https(url)?;
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(read(pki::CA_CERT)?))
        .identity(Identity::from_pem(
            read(pki::CLIENT_CERT)?,
            read(pki::CLIENT_KEY)?,
        ))
        .domain_name("localhost");
    let channel = Channel::from_shared(url.to_owned())?
        .tls_config(tls)?
        .connect()
        .await
        .with_context(|| format!("cannot connect to {url}"))?;
    Ok(channel)
}

/// A status with its causes: a TLS refusal is only named in them
/// (`status Unknown: transport error: ...: received fatal alert: CertificateRevoked`).
pub fn describe(status: &tonic::Status) -> String {
    let mut text = format!("status {:?}: {}", status.code(), status.message());
    let mut cause = std::error::Error::source(status);
    while let Some(error) = cause {
        text.push_str(&format!(": {error}"));
        cause = error.source();
    }
    text
}

/// One unary SayHello: the greeting or the status.
pub async fn say_hello(channel: Channel, name: &str) -> Result<String, tonic::Status> {
    let mut client = v1::greeter_service_client::GreeterServiceClient::new(channel);
    let request = v1::SayHelloRequest { name: name.into() };
    Ok(client.say_hello(request).await?.into_inner().message)
}

impl Lesson for TlsControl {
    type ServerFlags = ServerFlags;
    type ClientFlags = ClientFlags;
    const TLS: bool = true;

    async fn serve(
        listener: TcpListener,
        flags: ServerFlags,
        _console: Console,
        shutdown: ShutdownSignal,
    ) -> anyhow::Result<()> {
        let dir = flags
            .certs
            .clone()
            .context("the server needs --certs DIR (`auth gen-certs --out DIR`, then `tls-control revoke --certs DIR`)")?;
        serve_dir(listener, &dir, &flags, shutdown).await
    }

    async fn client(url: String, flags: ClientFlags, console: Console) -> anyhow::Result<()> {
        let dir = flags
            .client_certs
            .context("the client needs --client-certs DIR (see `auth gen-certs`)")?;
        let channel = connect(&url, &dir).await?;
        let message = say_hello(channel, &flags.name)
            .await
            .map_err(|status| anyhow::anyhow!(describe(&status)))?;
        console.line(format!("Greeter client received: {message}"));
        Ok(())
    }
}

/// `tls-control revoke --certs DIR [CERT.pem ...]`: writes DIR/crl.pem, signed by
/// DIR/ca.key, revoking the certificates named (none: an empty CRL).
pub fn revoke(dir: &Path, revoked: &[PathBuf]) -> anyhow::Result<PathBuf> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let serials = revoked
        .iter()
        .map(|path| {
            crl::serial_of(&read(path)?).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let number = crl_number_now();
    let pem = crl::issue_crl(
        &read(&dir.join(pki::CA_CERT))?,
        &read(&dir.join(pki::CA_KEY))?,
        &serials,
        number,
    )
    .map_err(|e| anyhow::anyhow!("cannot issue the CRL: {e}"))?;
    let path = dir.join(CRL_FILE);
    write_replacing(&path, &pem, false)?;
    Ok(path)
}

/// Milliseconds since the epoch: a CRL number that grows with every CRL issued.
fn crl_number_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Writes `path` whole or not at all: a new file renamed over the old one, so a
/// server polling it never reads half a file. A `secret` file is owner-only from
/// its creation.
pub fn write_replacing(path: &Path, contents: &str, secret: bool) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(if secret { 0o600 } else { 0o644 })
        .open(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    file.write_all(contents.as_bytes())?;
    std::fs::rename(&partial, path).with_context(|| format!("cannot replace {}", path.display()))
}
