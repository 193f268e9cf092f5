//! Loading PEM files, with errors that say what is wrong and where.
//!
//! tonic's `Certificate::from_pem` and `Identity::from_pem` accept any bytes and only
//! fail later, inside the handshake or `tls_config`, with messages like "Error parsing
//! TLS certificate". So we parse first with `rustls-pki-types`' PEM API (the
//! maintained successor of the archived `rustls-pemfile`) and report: a missing file
//! (with its path), a file without a certificate, a file without a private key, and a
//! key that does not belong to the certificate.

use std::fmt;
use std::path::{Path, PathBuf};

use rcgen::PublicKeyData;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tonic::transport::{Certificate, Identity};
use x509_parser::certificate::X509Certificate;

/// Why a certificate or key file cannot be used.
#[derive(Debug)]
pub enum PemError {
    /// The file cannot be read (missing, unreadable).
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file has no `-----BEGIN CERTIFICATE-----` block.
    NoCertificate {
        /// The file.
        path: PathBuf,
    },
    /// The file has no `-----BEGIN PRIVATE KEY-----` (or RSA / EC) block.
    NoPrivateKey {
        /// The file.
        path: PathBuf,
    },
    /// A block is there but is not valid PEM/DER.
    Malformed {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
    /// The private key is not the one the certificate was issued for.
    KeyMismatch {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
    },
}

impl fmt::Display for PemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            Self::NoCertificate { path } => write!(
                f,
                "{} holds no certificate (expected a -----BEGIN CERTIFICATE----- block)",
                path.display()
            ),
            Self::NoPrivateKey { path } => write!(
                f,
                "{} holds no private key (expected a -----BEGIN PRIVATE KEY----- block)",
                path.display()
            ),
            Self::Malformed { path, reason } => {
                write!(f, "{} is not valid PEM: {reason}", path.display())
            }
            Self::KeyMismatch { cert, key } => write!(
                f,
                "the private key in {} does not match the certificate in {}",
                key.display(),
                cert.display()
            ),
        }
    }
}

/// The OS error is part of the message already, so there is no separate `source`.
impl std::error::Error for PemError {}

// ANCHOR: load_ca
/// Loads the CA certificate(s) to trust, checked to hold at least one certificate.
pub fn load_ca(path: &Path) -> Result<Certificate, PemError> {
    let pem = read(path)?;
    certificates(path, &pem)?;
    Ok(Certificate::from_pem(pem))
}
// ANCHOR_END: load_ca

// ANCHOR: load_identity
/// Loads a certificate chain and its private key, checked to belong together.
pub fn load_identity(cert_path: &Path, key_path: &Path) -> Result<Identity, PemError> {
    let cert_pem = read(cert_path)?;
    let key_pem = read(key_path)?;
    let chain = certificates(cert_path, &cert_pem)?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|error| match error {
        rustls_pki_types::pem::Error::NoItemsFound => PemError::NoPrivateKey {
            path: key_path.to_owned(),
        },
        other => malformed(key_path, other),
    })?;
    let (_, leaf) =
        x509_parser::parse_x509_certificate(&chain[0]).map_err(|error| PemError::Malformed {
            path: cert_path.to_owned(),
            reason: error.to_string(),
        })?;
    if !key_matches_certificate(&key, &leaf) {
        return Err(PemError::KeyMismatch {
            cert: cert_path.to_owned(),
            key: key_path.to_owned(),
        });
    }
    Ok(Identity::from_pem(cert_pem, key_pem))
}
// ANCHOR_END: load_identity

fn read(path: &Path) -> Result<Vec<u8>, PemError> {
    std::fs::read(path).map_err(|source| PemError::Read {
        path: path.to_owned(),
        source,
    })
}

fn certificates(path: &Path, pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, PemError> {
    let chain = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| malformed(path, error))?;
    if chain.is_empty() {
        return Err(PemError::NoCertificate {
            path: path.to_owned(),
        });
    }
    Ok(chain)
}

fn malformed(path: &Path, error: rustls_pki_types::pem::Error) -> PemError {
    PemError::Malformed {
        path: path.to_owned(),
        reason: error.to_string(),
    }
}

/// Whether `key`'s public half is the public key the certificate carries.
///
/// A key rcgen cannot load (an algorithm it does not know) counts as not matching.
fn key_matches_certificate(key: &PrivateKeyDer<'_>, cert: &X509Certificate<'_>) -> bool {
    let Ok(key) = rcgen::KeyPair::try_from(key) else {
        return false;
    };
    cert.tbs_certificate.subject_pki.raw == key.subject_public_key_info().as_slice()
}
