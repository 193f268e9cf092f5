//! A server certificate that follows its files.
//!
//! rustls asks a `ResolvesServerCert` for the certificate at every handshake.
//! This one hands out whatever it holds right now and swaps in a new certificate
//! and key when their files change. A handshake takes the `Arc` it was given, so
//! connections that are already up keep their session; only new handshakes see
//! the new certificate.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};
use tokio::sync::watch;
use tokio_rustls::rustls::crypto::CryptoProvider;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::{ClientHello, ResolvesServerCert};
use tokio_rustls::rustls::sign::CertifiedKey;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Reads a PEM certificate chain and its PEM private key; fails if they do not match.
pub fn load(cert: &Path, key: &Path, provider: &CryptoProvider) -> Result<CertifiedKey, Error> {
    let chain = CertificateDer::pem_file_iter(cert)?.collect::<Result<Vec<_>, _>>()?;
    if chain.is_empty() {
        return Err(format!("{} holds no certificate", cert.display()).into());
    }
    let key = PrivateKeyDer::from_pem_file(key)?;
    Ok(CertifiedKey::from_der(chain, key, provider)?)
}

/// The SHA-256 of a certificate's DER bytes, in hex: how the logs and tests name it.
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    hex::encode(Sha256::digest(cert.as_ref()))
}

/// The server's certificate, swapped whole when its files change.
#[derive(Debug)]
pub struct ReloadingCert {
    cert_file: PathBuf,
    key_file: PathBuf,
    provider: Arc<CryptoProvider>,
    current: RwLock<Arc<CertifiedKey>>,
    // The files' stamps from just before they were loaded.
    loaded: Vec<Stamp>,
    // The fingerprint of the certificate now served, for whoever wants to know.
    served: watch::Sender<String>,
}

impl ReloadingCert {
    /// Loads the files once; an error here stops the server from starting.
    pub fn new(
        cert_file: PathBuf,
        key_file: PathBuf,
        provider: Arc<CryptoProvider>,
    ) -> Result<Self, Error> {
        let loaded = stamp(&[cert_file.clone(), key_file.clone()]);
        let key = load(&cert_file, &key_file, &provider)?;
        let (served, _) = watch::channel(fingerprint(&key.cert[0]));
        Ok(Self {
            cert_file,
            key_file,
            provider,
            current: RwLock::new(Arc::new(key)),
            loaded,
            served,
        })
    }

    /// The fingerprint served now, updated at every swap.
    pub fn served(&self) -> watch::Receiver<String> {
        self.served.subscribe()
    }

    /// Loads the files again and swaps them in; on failure (a half-written file, a
    /// key that is not the certificate's) keeps serving the old certificate.
    pub fn reload(&self) -> Result<String, Error> {
        let key = load(&self.cert_file, &self.key_file, &self.provider)?;
        let served = fingerprint(&key.cert[0]);
        *self.current.write().unwrap() = Arc::new(key);
        self.served.send_replace(served.clone());
        Ok(served)
    }

    /// Reloads whenever the certificate or key file changes, checking every `every`.
    /// Replace files whole (write a new file, rename it over the old): a file
    /// rewritten in place can be read half-written, and a same-size rewrite
    /// within the same few milliseconds looks unchanged.
    pub async fn watch(self: Arc<Self>, every: Duration) {
        let files = [self.cert_file.clone(), self.key_file.clone()];
        on_change(&files, self.loaded.clone(), every, || match self.reload() {
            Ok(served) => println!("server: now serving certificate sha256:{}", &served[..16]),
            Err(error) => println!("server: kept the old certificate: {error}"),
        })
        .await
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.read().unwrap().clone())
    }
}

/// What tells a file changed: its modification time, and its inode and size,
/// because the time is coarse (a few ms): two writes in a row can share it, but
/// a file replaced by rename has a new inode.
pub type Stamp = Option<(SystemTime, u64, u64)>;

/// The [`Stamp`]s of `files` (`None` for one that cannot be read).
pub fn stamp(files: &[PathBuf]) -> Vec<Stamp> {
    let one = |path: &PathBuf| -> std::io::Result<(SystemTime, u64, u64)> {
        let metadata = path.metadata()?;
        Ok((metadata.modified()?, metadata.ino(), metadata.len()))
    };
    files.iter().map(|path| one(path).ok()).collect()
}

/// Calls `changed` each time one of `files` gets a [`Stamp`] other than the last
/// one seen (at first `seen`: take it before reading the files, so a change made
/// while they were read is not missed), looking every `every`.
pub async fn on_change(
    files: &[PathBuf],
    mut seen: Vec<Stamp>,
    every: Duration,
    mut changed: impl FnMut(),
) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        // Times before contents, again: a write landing in between shows up at
        // the next tick.
        let now = stamp(files);
        if now != seen {
            seen = now;
            changed();
        }
    }
}
