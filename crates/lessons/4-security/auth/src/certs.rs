//! One CA, one server and one client certificate, made fresh by `gen-certs` (demos
//! and tests: in a temporary folder), never checked in. Every certificate expires.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::ExtendedKeyUsagePurpose::{ClientAuth, ServerAuth};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};

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

/// A generated set: each file's name (see [`files`]) and text.
pub struct CertSet(pub Vec<(&'static str, String)>);

impl CertSet {
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
}

pub fn leaves(
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
pub fn ca_params(name: &str) -> CertificateParams {
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
