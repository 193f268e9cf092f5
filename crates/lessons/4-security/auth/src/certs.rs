//! Generating the workshop's certificates: one CA, one server, one client.
//!
//! The repository holds no certificate and no private key: anything committed would
//! leak a key everybody can read. `gen-certs` makes a fresh set on demand, and
//! demos and tests make their own in a temporary folder.
//!
//! Every certificate expires: the CA after [`CA_VALIDITY_DAYS`], the server and
//! client certificates after [`LEAF_VALIDITY_DAYS`]. A stolen key is then only
//! good for a while, and re-issuing is a routine step rather than an emergency.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use rcgen::PublicKeyData;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use x509_parser::prelude::{FromDer, X509Certificate};

/// The file names `gen-certs` writes and every mode reads from `--certs DIR`.
pub mod files {
    /// The CA certificate: what clients trust, and what the mTLS server checks clients against.
    pub const CA_CERT: &str = "ca.pem";
    /// The CA's private key (PKCS#8), owner-only: it can sign new certificates, so
    /// it never goes to a server or a client.
    pub const CA_KEY: &str = "ca.key";
    /// The server's certificate (leaf only; the CA is the trust anchor).
    pub const SERVER_CERT: &str = "server.pem";
    /// The server's private key (PKCS#8).
    pub const SERVER_KEY: &str = "server.key";
    /// The client's certificate, for mutual TLS.
    pub const CLIENT_CERT: &str = "client.pem";
    /// The client's private key (PKCS#8).
    pub const CLIENT_KEY: &str = "client.key";
    /// The `custom` mode's signing secret: 32 random bytes as 64 hex digits, owner-only.
    pub const SECRET: &str = "secret";
}

/// Names the server certificate is valid for: what a client on this machine dials.
pub const SERVER_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The client certificate's common name by default: what the mTLS server greets.
pub const DEFAULT_CLIENT_NAME: &str = "workshop-client";

// ANCHOR: validity
/// How long the CA is valid: a year at most, then a new CA is made.
pub const CA_VALIDITY_DAYS: u64 = 365;

/// How long a server or client certificate is valid: 90 days, as Let's Encrypt
/// issues them. Short enough that a leaked key stops working soon.
pub const LEAF_VALIDITY_DAYS: u64 = 90;

/// Every certificate starts this long before it was made, so a peer whose clock
/// is a little behind does not see it as "not yet valid".
pub const CLOCK_SKEW: Duration = Duration::from_secs(60 * 60);

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// Sets `params` valid from [`CLOCK_SKEW`] before `now` for `days` days.
fn valid_for(params: &mut CertificateParams, now: Duration, days: u64) {
    // rcgen's dates are `time::OffsetDateTime`; counting from the epoch avoids
    // naming that crate.
    params.not_before = rcgen::date_time_ymd(1970, 1, 1) + (now - CLOCK_SKEW);
    params.not_after = params.not_before + DAY * days as u32;
}
// ANCHOR_END: validity

// ANCHOR: options
/// What to put in a generated set; the defaults are what the lessons use, tests
/// change them to build certificates that must be rejected.
#[derive(Debug, Clone)]
pub struct CertOptions {
    /// Subject alternative names of the server certificate (DNS names or IP addresses).
    pub server_names: Vec<String>,
    /// Common name (CN) of the client certificate: the client's identity.
    pub client_name: String,
    /// Make the server certificate one that expired in 2000 (for the expiry test).
    pub server_expired: bool,
}

impl Default for CertOptions {
    fn default() -> Self {
        Self {
            server_names: SERVER_NAMES.map(String::from).to_vec(),
            client_name: DEFAULT_CLIENT_NAME.to_owned(),
            server_expired: false,
        }
    }
}
// ANCHOR_END: options

/// A generated set, as PEM text.
///
/// The CA's private key is kept (`ca.key`, owner-only) so that new server and
/// client certificates can be issued under the same CA when the old ones expire,
/// without every client having to trust a new CA.
#[derive(Clone)]
pub struct CertSet {
    /// The CA certificate.
    pub ca_cert: String,
    /// The CA's private key.
    pub ca_key: String,
    /// The server certificate, signed by the CA.
    pub server_cert: String,
    /// The server's private key.
    pub server_key: String,
    /// The client certificate, signed by the CA.
    pub client_cert: String,
    /// The client's private key.
    pub client_key: String,
}

impl std::fmt::Debug for CertSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print private keys, not even in a test failure.
        f.debug_struct("CertSet").finish_non_exhaustive()
    }
}

impl CertSet {
    // ANCHOR: generate
    /// Creates a CA and a server and a client certificate signed by it.
    ///
    /// Keys are ECDSA P-256 (rcgen's default): small, fast, and accepted by rustls,
    /// BoringSSL (grpcio) and OpenSSL alike.
    pub fn generate(options: &CertOptions) -> anyhow::Result<Self> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?;
        let ca_key = KeyPair::generate()?;
        // A distinct name per CA, so a certificate from another set is reported as
        // "unknown issuer" rather than as a bad signature from a same-named CA.
        let ca_name = format!(
            "gRPC workshop CA {}",
            hex::encode(rand::random::<[u8; 4]>())
        );
        let mut ca = ca_params(&ca_name);
        valid_for(&mut ca, now, CA_VALIDITY_DAYS);
        let ca_cert = ca.self_signed(&ca_key)?.pem();
        let ca_key_pem = ca_key.serialize_pem();
        let issuer = Issuer::new(ca, ca_key);
        Self::issue_leaves(options, now, ca_cert, ca_key_pem, &issuer)
    }
    // ANCHOR_END: generate

    /// New server and client certificates (and keys) under the CA that `dir`'s
    /// `ca.pem` and `ca.key` hold: what `gen-certs --reissue` does before the old
    /// ones expire. Clients that trust `ca.pem` need no change.
    pub fn reissue(dir: &Path, options: &CertOptions) -> anyhow::Result<Self> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?;
        let read = |name: &str| {
            let path = dir.join(name);
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
        };
        let (ca_cert, ca_key_pem) = (read(files::CA_CERT)?, read(files::CA_KEY)?);
        let ca_key = KeyPair::from_pem(&ca_key_pem).context("ca.key holds no usable key")?;
        let der = {
            use rustls_pki_types::pem::PemObject;
            rustls_pki_types::CertificateDer::from_pem_slice(ca_cert.as_bytes())
                .context("ca.pem holds no certificate")?
        };
        let (_, parsed) = X509Certificate::from_der(&der)
            .map_err(|e| anyhow::anyhow!("ca.pem is not a certificate: {e}"))?;
        anyhow::ensure!(
            parsed.public_key().raw == ca_key.subject_public_key_info().as_slice(),
            "ca.key is not the key of ca.pem"
        );
        let ca_name = parsed
            .subject()
            .iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok())
            .context("ca.pem has no common name")?
            .to_owned();
        let leaves_end = now.as_secs() + LEAF_VALIDITY_DAYS * DAY.as_secs();
        let ca_end = parsed.validity().not_after.timestamp();
        anyhow::ensure!(
            u64::try_from(ca_end).unwrap_or(0) >= leaves_end,
            "the CA in ca.pem expires before new certificates would: run gen-certs without \
             --reissue to make a new CA (and give clients the new ca.pem)"
        );
        let issuer = Issuer::new(ca_params(&ca_name), ca_key);
        Self::issue_leaves(options, now, ca_cert, ca_key_pem, &issuer)
    }

    /// Signs a server and a client certificate with `issuer`, valid from `now`.
    fn issue_leaves(
        options: &CertOptions,
        now: Duration,
        ca_cert: String,
        ca_key: String,
        issuer: &Issuer<'_, KeyPair>,
    ) -> anyhow::Result<Self> {
        let mut server = CertificateParams::new(options.server_names.clone())?;
        server.distinguished_name = common_name("gRPC workshop server");
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        valid_for(&mut server, now, LEAF_VALIDITY_DAYS);
        if options.server_expired {
            server.not_before = rcgen::date_time_ymd(1999, 1, 1);
            server.not_after = rcgen::date_time_ymd(2000, 1, 1);
        }
        let server_key = KeyPair::generate()?;
        let server_cert = server.signed_by(&server_key, issuer)?;

        let mut client = CertificateParams::default();
        client.distinguished_name = common_name(&options.client_name);
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        client.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        valid_for(&mut client, now, LEAF_VALIDITY_DAYS);
        let client_key = KeyPair::generate()?;
        let client_cert = client.signed_by(&client_key, issuer)?;

        Ok(Self {
            ca_cert,
            ca_key,
            server_cert: server_cert.pem(),
            server_key: server_key.serialize_pem(),
            client_cert: client_cert.pem(),
            client_key: client_key.serialize_pem(),
        })
    }

    /// Writes the six files and the signing secret into `dir` (created if missing); keys are created
    /// readable by their owner only (mode 0600). Returns the paths written.
    pub fn write_to(&self, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        let mut written = self.write_files(
            dir,
            &[
                (files::CA_CERT, &self.ca_cert, false),
                (files::CA_KEY, &self.ca_key, true),
            ],
        )?;
        written.extend(self.write_leaves_to(dir)?);
        // A new signing secret for `custom`: random, never a passphrase.
        let secret = hex::encode(rand::random::<[u8; 32]>()) + "\n";
        written.extend(self.write_files(dir, &[(files::SECRET, &secret, true)])?);
        Ok(written)
    }

    /// Writes the server's and client's certificates and keys only, leaving the
    /// CA's files as they are (after [`CertSet::reissue`]).
    pub fn write_leaves_to(&self, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        self.write_files(
            dir,
            &[
                (files::SERVER_CERT, &self.server_cert, false),
                (files::SERVER_KEY, &self.server_key, true),
                (files::CLIENT_CERT, &self.client_cert, false),
                (files::CLIENT_KEY, &self.client_key, true),
            ],
        )
    }

    fn write_files(
        &self,
        dir: &Path,
        which: &[(&str, &String, bool)],
    ) -> anyhow::Result<Vec<PathBuf>> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut written = Vec::new();
        for &(name, pem, secret) in which {
            let path = dir.join(name);
            write_file(&path, pem, secret)
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path);
        }
        Ok(written)
    }
}
/// The CA's settings; the same for a new CA and for re-issuing under one.
fn ca_params(name: &str) -> CertificateParams {
    let mut ca = CertificateParams::default();
    ca.distinguished_name = common_name(name);
    // Path length 0: this CA signs leaves only, never another CA.
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca
}

fn common_name(name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    dn
}

fn write_file(path: &Path, contents: &str, secret: bool) -> std::io::Result<()> {
    // Remove first so a key file never keeps the looser mode of an older file.
    let _ = fs::remove_file(path);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    std::io::Write::write_all(&mut options.open(path)?, contents.as_bytes())
}

/// A generated set written into a fresh temporary folder, deleted on drop:
/// what demos and tests run on.
#[derive(Debug)]
pub struct TempCerts {
    dir: tempfile::TempDir,
    /// The PEM text that was written.
    pub set: CertSet,
}

impl TempCerts {
    /// Generates a set with `options` into a new temporary folder.
    pub fn generate(options: &CertOptions) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new().prefix("grpc-auth-").tempdir()?;
        let set = CertSet::generate(options)?;
        set.write_to(dir.path())?;
        Ok(Self { dir, set })
    }

    /// The folder holding the files named in [`files`].
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}
