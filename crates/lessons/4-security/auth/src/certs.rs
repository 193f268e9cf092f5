//! One CA, one server and one client certificate, made fresh by `gen-certs` (demos
//! and tests: in a temporary folder), never checked in. Every certificate expires.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use rcgen::ExtendedKeyUsagePurpose::{ClientAuth, ServerAuth};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, PublicKeyData,
};
use rustls_pki_types::{CertificateDer, pem::PemObject};
use x509_parser::prelude::{FromDer, X509Certificate};

/// The files `gen-certs` writes; all but the `.pem` files are owner-only, and the
/// CA's key (it signs new certificates) never leaves.
pub mod files {
    pub const CA_CERT: &str = "ca.pem";
    pub const CA_KEY: &str = "ca.key";
    pub const SERVER_CERT: &str = "server.pem";
    pub const SERVER_KEY: &str = "server.key";
    pub const CLIENT_CERT: &str = "client.pem";
    pub const CLIENT_KEY: &str = "client.key";
    pub const SECRET: &str = "secret";
}
use files::*;

/// The client certificate's common name by default: what the mTLS server greets.
pub const DEFAULT_CLIENT_NAME: &str = "workshop-client";

// ANCHOR: validity
/// How long the CA is valid: a year at most, then a new CA is made.
pub const CA_VALIDITY_DAYS: u64 = 365;

/// How long a server or client certificate is valid: 90 days, as Let's Encrypt
/// issues them, so a leaked key stops working soon.
pub const LEAF_VALIDITY_DAYS: u64 = 90;

/// Every certificate starts this long before it was made, for peers whose clock is behind.
pub const CLOCK_SKEW: Duration = Duration::from_secs(60 * 60);

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

fn valid_for(params: &mut CertificateParams, now: Duration, days: u64) {
    params.not_before = rcgen::date_time_ymd(1970, 1, 1) + (now - CLOCK_SKEW);
    params.not_after = params.not_before + DAY * days as u32;
}
// ANCHOR_END: validity

// ANCHOR: options
/// What to put in a generated set; tests change it to build certificates that must be rejected.
#[derive(Debug, Clone)]
pub struct CertOptions {
    /// The server certificate's names (DNS names or IP addresses).
    pub server_names: Vec<String>,
    /// The client certificate's common name: the client's identity.
    pub client_name: String,
    /// Make the server certificate one that expired in 2000 (for the expiry test).
    pub server_expired: bool,
}

impl Default for CertOptions {
    fn default() -> Self {
        let server_names = ["localhost", "127.0.0.1", "::1"].map(String::from).to_vec();
        Self {
            server_names,
            client_name: DEFAULT_CLIENT_NAME.to_owned(),
            server_expired: false,
        }
    }
}
// ANCHOR_END: options

/// A generated set: each file's name (see [`files`]) and text.
pub struct CertSet(pub Vec<(&'static str, String)>);

impl CertSet {
    // ANCHOR: generate
    /// A new CA (ECDSA P-256, as every key), server and client certificates, a signing secret.
    pub fn generate(options: &CertOptions) -> anyhow::Result<Self> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?;
        let ca_key = KeyPair::generate()?;
        // A distinct name per CA: another set's certificate is an "unknown issuer".
        let mut ca = ca_params(&format!("gRPC workshop CA {:08x}", rand::random::<u32>()));
        valid_for(&mut ca, now, CA_VALIDITY_DAYS);
        let mut set = vec![
            (CA_CERT, ca.self_signed(&ca_key)?.pem()),
            (CA_KEY, ca_key.serialize_pem()),
        ];
        set.extend(leaves(options, now, &Issuer::new(ca, ca_key))?);
        set.push((SECRET, hex::encode(rand::random::<[u8; 32]>()) + "\n"));
        Ok(Self(set))
    }
    // ANCHOR_END: generate

    /// New leaves under the CA in `dir` (`--reissue`): clients trusting its `ca.pem` need no change.
    pub fn reissue(dir: &Path, options: &CertOptions) -> anyhow::Result<Self> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?;
        let read = |name: &str| {
            let path = dir.join(name);
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
        };
        let der = CertificateDer::from_pem_slice(read(CA_CERT)?.as_bytes());
        let der = der.context("ca.pem holds no certificate")?;
        let ca_key = KeyPair::from_pem(&read(CA_KEY)?).context("ca.key holds no usable key")?;
        let (_, ca) = X509Certificate::from_der(&der).context("ca.pem is not a certificate")?;
        let paired = ca.public_key().raw == ca_key.subject_public_key_info(); // public keys
        anyhow::ensure!(paired, "ca.key is not the key of ca.pem");
        let name = ca.subject().iter_common_name().next();
        let name = name.and_then(|cn| cn.as_str().ok());
        let name = name.context("ca.pem has no common name")?;
        let leaves_end = now.as_secs() + LEAF_VALIDITY_DAYS * DAY.as_secs();
        anyhow::ensure!(
            u64::try_from(ca.validity().not_after.timestamp()).unwrap_or(0) >= leaves_end,
            "the CA in ca.pem expires before new certificates would: run gen-certs without \
             --reissue to make a new CA (and give clients the new ca.pem)"
        );
        let issuer = Issuer::new(ca_params(name), ca_key);
        Ok(Self(leaves(options, now, &issuer)?))
    }

    /// Writes every file into `dir`, all but `.pem` files owner-only (0600) from creation.
    pub fn write_to(&self, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut written = Vec::new();
        for (name, text) in &self.0 {
            let path = dir.join(name);
            write_file(&path, text, !name.ends_with(".pem"))
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path);
        }
        Ok(written)
    }
}

fn leaves(
    options: &CertOptions,
    now: Duration,
    issuer: &Issuer<'_, KeyPair>,
) -> anyhow::Result<Vec<(&'static str, String)>> {
    let mut server = CertificateParams::new(options.server_names.clone())?;
    server.distinguished_name = common_name("gRPC workshop server");
    let mut client = CertificateParams::default();
    client.distinguished_name = common_name(&options.client_name);
    let mut set = Vec::new();
    let server = (server, ServerAuth, (SERVER_CERT, SERVER_KEY));
    let client = (client, ClientAuth, (CLIENT_CERT, CLIENT_KEY));
    for (mut leaf, usage, names) in [server, client] {
        leaf.extended_key_usages = vec![usage];
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        valid_for(&mut leaf, now, LEAF_VALIDITY_DAYS);
        if options.server_expired && names.0 == SERVER_CERT {
            leaf.not_before = rcgen::date_time_ymd(1999, 1, 1);
            leaf.not_after = rcgen::date_time_ymd(2000, 1, 1);
        }
        let key = KeyPair::generate()?;
        set.push((names.0, leaf.signed_by(&key, issuer)?.pem()));
        set.push((names.1, key.serialize_pem()));
    }
    Ok(set)
}

/// The CA's settings: path length 0, so it signs leaves only, never another CA.
fn ca_params(name: &str) -> CertificateParams {
    let mut ca = CertificateParams::default();
    ca.distinguished_name = common_name(name);
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca
}

fn common_name(name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    dn
}

/// Creates `path` afresh (never keeping an older file's looser mode), 0600 when `private`.
fn write_file(path: &Path, contents: &str, private: bool) -> std::io::Result<()> {
    let _ = fs::remove_file(path);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, if private { 0o600 } else { 0o644 });
    std::io::Write::write_all(&mut options.open(path)?, contents.as_bytes())
}

/// A generated set in a temporary folder, deleted on drop: what demos and tests use.
pub fn temp_certs(options: &CertOptions) -> anyhow::Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new().prefix("grpc-auth-").tempdir()?;
    CertSet::generate(options)?.write_to(dir.path())?;
    Ok(dir)
}
