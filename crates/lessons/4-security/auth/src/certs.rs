//! Generating the workshop's certificates: one CA, one server, one client.
//!
//! The repository holds no certificate and no private key: anything committed would
//! either expire one day or leak a key everybody can read. `gen-certs` makes a fresh
//! set on demand, and demos and tests make their own in a temporary folder.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};

/// The file names `gen-certs` writes and every mode reads from `--certs DIR`.
pub mod files {
    /// The CA certificate: what clients trust, and what the mTLS server checks clients against.
    pub const CA_CERT: &str = "ca.pem";
    /// The server's certificate (leaf only; the CA is the trust anchor).
    pub const SERVER_CERT: &str = "server.pem";
    /// The server's private key (PKCS#8).
    pub const SERVER_KEY: &str = "server.key";
    /// The client's certificate, for mutual TLS.
    pub const CLIENT_CERT: &str = "client.pem";
    /// The client's private key (PKCS#8).
    pub const CLIENT_KEY: &str = "client.key";
}

/// Names the server certificate is valid for: what a client on this machine dials.
pub const SERVER_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The client certificate's common name by default: what the mTLS server greets.
pub const DEFAULT_CLIENT_NAME: &str = "workshop-client";

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
/// The CA's private key is used once, to sign, and then dropped: nobody can issue
/// more certificates under this CA, which is what a throw-away lab CA should allow.
#[derive(Clone)]
pub struct CertSet {
    /// The CA certificate.
    pub ca_cert: String,
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
        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::default();
        // A distinct name per CA, so a certificate from another set is reported as
        // "unknown issuer" rather than as a bad signature from a same-named CA.
        let ca_name = format!(
            "gRPC workshop CA {}",
            hex::encode(rand::random::<[u8; 4]>())
        );
        ca.distinguished_name = common_name(&ca_name);
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key)?;
        let issuer = Issuer::new(ca, ca_key);

        let mut server = CertificateParams::new(options.server_names.clone())?;
        server.distinguished_name = common_name("gRPC workshop server");
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        if options.server_expired {
            server.not_before = rcgen::date_time_ymd(1999, 1, 1);
            server.not_after = rcgen::date_time_ymd(2000, 1, 1);
        }
        let server_key = KeyPair::generate()?;
        let server_cert = server.signed_by(&server_key, &issuer)?;

        let mut client = CertificateParams::default();
        client.distinguished_name = common_name(&options.client_name);
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client_key = KeyPair::generate()?;
        let client_cert = client.signed_by(&client_key, &issuer)?;

        Ok(Self {
            ca_cert: ca_cert.pem(),
            server_cert: server_cert.pem(),
            server_key: server_key.serialize_pem(),
            client_cert: client_cert.pem(),
            client_key: client_key.serialize_pem(),
        })
    }
    // ANCHOR_END: generate

    /// Writes the five files into `dir` (created if missing); keys are readable by
    /// their owner only. Returns the paths written.
    pub fn write_to(&self, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut written = Vec::new();
        for (name, pem, secret) in [
            (files::CA_CERT, &self.ca_cert, false),
            (files::SERVER_CERT, &self.server_cert, false),
            (files::SERVER_KEY, &self.server_key, true),
            (files::CLIENT_CERT, &self.client_cert, false),
            (files::CLIENT_KEY, &self.client_key, true),
        ] {
            let path = dir.join(name);
            write_file(&path, pem, secret)
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path);
        }
        Ok(written)
    }
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
