//! Certificates for the demo and tests, in the files `auth gen-certs` writes
//! (ca.pem, ca.key, server.pem, server.key, client.pem, client.key), so a folder
//! from either works with `--certs`. Made with rcgen directly: a CA that may sign
//! CRLs, a server certificate for localhost, client certificates by name.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};

pub const CA_CERT: &str = "ca.pem";
pub const CA_KEY: &str = "ca.key";
pub const SERVER_CERT: &str = "server.pem";
pub const SERVER_KEY: &str = "server.key";
pub const CLIENT_CERT: &str = "client.pem";
pub const CLIENT_KEY: &str = "client.key";

const DAY: Duration = Duration::from_secs(24 * 60 * 60);
/// Valid from an hour ago: a client whose clock is a little behind still accepts.
const CLOCK_SKEW: Duration = Duration::from_secs(60 * 60);

/// A certificate and its private key, PEM.
#[derive(Clone)]
pub struct Pem {
    pub cert: String,
    pub key: String,
}

impl std::fmt::Debug for Pem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a private key, not even in a test failure.
        f.debug_struct("Pem").finish_non_exhaustive()
    }
}

/// A CA whose key we hold: it issues leaves and signs CRLs.
pub struct Ca {
    issuer: Issuer<'static, KeyPair>,
    pub pem: Pem,
}

fn valid_for(params: &mut CertificateParams, days: u32) -> anyhow::Result<()> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?;
    params.not_before = rcgen::date_time_ymd(1970, 1, 1) + (now - CLOCK_SKEW);
    params.not_after = params.not_before + DAY * days;
    Ok(())
}

fn named(name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    dn
}

impl Ca {
    /// A new CA, valid for a year.
    pub fn new(name: &str) -> anyhow::Result<Ca> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::default();
        params.distinguished_name = named(name);
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        valid_for(&mut params, 365)?;
        let cert = params.self_signed(&key)?.pem();
        let pem = Pem {
            cert,
            key: key.serialize_pem(),
        };
        Ok(Ca {
            issuer: Issuer::new(params, key),
            pem,
        })
    }

    /// The CA in `dir`'s ca.pem and ca.key.
    pub fn from_dir(dir: &Path) -> anyhow::Result<Ca> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))
        };
        let pem = Pem {
            cert: read(CA_CERT)?,
            key: read(CA_KEY)?,
        };
        let key = KeyPair::from_pem(&pem.key).context("ca.key holds no usable key")?;
        let issuer =
            Issuer::from_ca_cert_pem(&pem.cert, key).context("ca.pem is no CA certificate")?;
        Ok(Ca { issuer, pem })
    }

    /// A server certificate for localhost, 127.0.0.1 and ::1, valid for 90 days.
    pub fn server(&self) -> anyhow::Result<Pem> {
        let mut params =
            CertificateParams::new(["localhost", "127.0.0.1", "::1"].map(String::from).to_vec())?;
        params.distinguished_name = named("gRPC workshop server");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.leaf(params)
    }

    /// A client certificate whose common name is `name`, valid for 90 days.
    pub fn client(&self, name: &str) -> anyhow::Result<Pem> {
        let mut params = CertificateParams::default();
        params.distinguished_name = named(name);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        self.leaf(params)
    }

    fn leaf(&self, mut params: CertificateParams) -> anyhow::Result<Pem> {
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        valid_for(&mut params, 90)?;
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer)?.pem();
        Ok(Pem {
            cert,
            key: key.serialize_pem(),
        })
    }
}

/// Writes a new CA, a server and a `client_name` client certificate into `dir`
/// (keys readable by their owner only), as `auth gen-certs --out DIR` does.
pub fn write_set(dir: &Path, client_name: &str) -> anyhow::Result<Ca> {
    let ca = Ca::new("gRPC workshop CA (tls-control)")?;
    write_pair(dir, (CA_CERT, CA_KEY), &ca.pem)?;
    write_pair(dir, (SERVER_CERT, SERVER_KEY), &ca.server()?)?;
    write_pair(dir, (CLIENT_CERT, CLIENT_KEY), &ca.client(client_name)?)?;
    Ok(ca)
}

/// Writes `pem` as `names` (certificate, key) in `dir`, each file replaced whole,
/// the key last and owner-only.
pub fn write_pair(dir: &Path, names: (&str, &str), pem: &Pem) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    crate::write_replacing(&dir.join(names.0), &pem.cert, false)?;
    crate::write_replacing(&dir.join(names.1), &pem.key, true)
}
