//! Throw-away certificates for the TLS mistakes: two unrelated CAs, so one side can
//! trust the "wrong" one.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

/// A CA and one leaf certificate it signed, all PEM.
#[derive(Debug, Clone)]
pub struct Pki {
    /// The CA certificate a peer must trust.
    pub ca: String,
    /// The leaf (server or client) certificate.
    pub cert: String,
    /// The leaf's private key.
    pub key: String,
}

impl Pki {
    /// A fresh CA named `ca_name` and a leaf for `localhost` signed by it.
    pub fn new(ca_name: &str) -> anyhow::Result<Self> {
        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::default();
        ca.distinguished_name.push(DnType::CommonName, ca_name);
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign];
        let ca_cert = ca.self_signed(&ca_key)?;
        let issuer = Issuer::new(ca, ca_key);

        let leaf = CertificateParams::new(vec!["localhost".to_owned()])?;
        let leaf_key = KeyPair::generate()?;
        let leaf_cert = leaf.signed_by(&leaf_key, &issuer)?;
        Ok(Self {
            ca: ca_cert.pem(),
            cert: leaf_cert.pem(),
            key: leaf_key.serialize_pem(),
        })
    }
}
