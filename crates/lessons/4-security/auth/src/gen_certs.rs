//! Glue, not lesson: `gen-certs` writing a set ([`crate::certs`]) to files, `--reissue`
//! under a kept CA, and the temporary sets demos and tests use.

use std::fs;
use std::io::Write;
#[cfg(unix)]
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::Context;
use rcgen::{Issuer, KeyPair, PublicKeyData};
use rustls_pki_types::{CertificateDer, pem::PemObject};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::certs::files::{CA_CERT, CA_KEY};
use crate::certs::{CA_VALIDITY_DAYS, CertOptions, CertSet, DEFAULT_CLIENT_NAME};
use crate::certs::{LEAF_VALIDITY_DAYS, ca_params, leaves};

impl CertSet {
    /// New leaves under the CA in `dir` (`--reissue`): clients trusting its `ca.pem` need no change.
    pub fn reissue(dir: &Path, options: &CertOptions) -> anyhow::Result<Self> {
        let now = UNIX_EPOCH.elapsed()?;
        let der = CertificateDer::from_pem_slice(read(&dir.join(CA_CERT))?.as_bytes());
        let der = der.context("ca.pem holds no certificate")?;
        let ca_key = KeyPair::from_pem(&read(&dir.join(CA_KEY))?);
        let ca_key = ca_key.context("ca.key holds no usable key")?;
        let (_, ca) = X509Certificate::from_der(&der).context("ca.pem is not a certificate")?;
        let paired = ca.public_key().raw == ca_key.subject_public_key_info(); // public keys
        anyhow::ensure!(paired, "ca.key is not the key of ca.pem");
        let name = ca.subject().iter_common_name().next();
        let name = name.and_then(|cn| cn.as_str().ok());
        let name = name.context("ca.pem has no common name")?;
        let leaves_end = now.as_secs() + LEAF_VALIDITY_DAYS * 24 * 60 * 60;
        anyhow::ensure!(
            u64::try_from(ca.validity().not_after.timestamp()).unwrap_or(0) >= leaves_end,
            "the CA in ca.pem expires before new certificates would: run gen-certs without \
             --reissue to make a new CA (and give clients the new ca.pem)"
        );
        let issuer = Issuer::new(ca_params(name), ca_key);
        Ok(Self(leaves(options, now, &issuer)?))
    }

    /// Writes every file into `dir` afresh (never keeping an older file's looser mode),
    /// all but `.pem` files owner-only (0600) from creation.
    pub fn write_to(&self, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut written = Vec::new();
        for (name, text) in &self.0 {
            let path = dir.join(name);
            let _ = fs::remove_file(&path);
            let mut options = fs::OpenOptions::new();
            #[cfg(unix)]
            options.mode(if name.ends_with(".pem") { 0o644 } else { 0o600 });
            let file = options.write(true).create_new(true).open(&path);
            file.and_then(|mut file| file.write_all(text.as_bytes()))
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The text of `path`, or an error naming it.
pub fn read(path: &Path) -> anyhow::Result<String> {
    fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// A generated set in a temporary folder, deleted on drop: what demos and tests use.
pub fn temp_certs(options: &CertOptions) -> anyhow::Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new().prefix("grpc-auth-").tempdir()?;
    CertSet::generate(options)?.write_to(dir.path())?;
    Ok(dir)
}

/// `auth gen-certs`'s flags.
#[derive(Debug, clap::Args)]
pub struct GenCerts {
    /// Folder to write ca.pem, ca.key, server.pem, server.key, client.pem, client.key, secret into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Common name of the client certificate (what the mtls server greets).
    #[arg(long, default_value = DEFAULT_CLIENT_NAME)]
    client_name: String,
    /// Keep DIR's CA (ca.pem, ca.key): issue new server and client certificates under it.
    #[arg(long)]
    reissue: bool,
}

impl GenCerts {
    /// A new set (or new leaves with `--reissue`) in `--out`, and what to know about it.
    pub fn run(self) -> anyhow::Result<()> {
        let options = CertOptions {
            client_name: self.client_name,
            ..CertOptions::default()
        };
        let written = match self.reissue {
            true => CertSet::reissue(&self.out, &options)?.write_to(&self.out)?,
            false => CertSet::generate(&options)?.write_to(&self.out)?,
        };
        for path in written {
            match path.ends_with(CA_KEY) {
                true => eprintln!(
                    "kept the CA's private key in {} (owner-only): it signs new certificates, \
                     so never copy it to a server or a client",
                    path.display()
                ),
                false => println!("wrote {}", path.display()),
            }
        }
        if !self.reissue {
            eprintln!("the CA is valid for {CA_VALIDITY_DAYS} days");
        }
        eprintln!(
            "the server and client certificates are valid for {LEAF_VALIDITY_DAYS} days: before \
             they expire, run gen-certs --reissue (same CA) or gen-certs (a new CA)"
        );
        Ok(())
    }
}
