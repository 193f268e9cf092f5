//! A throw-away certificate authority for the TLS exercises, made in memory per test.
//!
//! Generating the certificates in the test (instead of committing PEM files) keeps
//! private keys out of the repository and means they can never expire under CI.

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};

/// The name the server certificate is issued for; clients must ask for it.
pub const SERVER_NAME: &str = "localhost";

/// PEM-encoded material for one CA and the server and client certificates it signed.
#[derive(Debug, Clone)]
pub struct TestPki {
    /// The CA certificate clients trust (the tutorial's `ca.crt`).
    pub ca_cert: String,
    /// The server's certificate, for [`SERVER_NAME`] (`server.crt`).
    pub server_cert: String,
    /// The server's private key (`server.key`).
    pub server_key: String,
    /// A client certificate the same CA signed (`client.crt`, for mutual TLS).
    pub client_cert: String,
    /// Its private key (`client.key`).
    pub client_key: String,
}

impl TestPki {
    /// A fresh CA, a server certificate for [`SERVER_NAME`] and a client certificate.
    pub fn generate() -> Self {
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca_cert = ca_params.self_signed(&ca_key).expect("self-signed CA");
        let issuer = Issuer::new(ca_params, ca_key);

        let server_key = KeyPair::generate().expect("server key");
        let server_params =
            CertificateParams::new(vec![SERVER_NAME.to_owned()]).expect("server params");
        let server_cert = server_params
            .signed_by(&server_key, &issuer)
            .expect("CA-signed server certificate");
        let client_key = KeyPair::generate().expect("client key");
        let client_params =
            CertificateParams::new(vec!["workshop-client".to_owned()]).expect("client params");
        let client_cert = client_params
            .signed_by(&client_key, &issuer)
            .expect("CA-signed client certificate");
        Self {
            ca_cert: ca_cert.pem(),
            server_cert: server_cert.pem(),
            server_key: server_key.serialize_pem(),
            client_cert: client_cert.pem(),
            client_key: client_key.serialize_pem(),
        }
    }
}
