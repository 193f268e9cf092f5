//! Exercise 19, solved: mutual TLS, the client proves who it is too.

use std::time::Duration;

use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};

/// The name the test's server certificate is issued for.
pub const SERVER_NAME: &str = "localhost";

/// The server's TLS settings: present `cert_pem`/`key_pem`, and accept only
/// clients with a certificate signed by the CA in `client_ca_pem`, each within
/// `handshake_timeout`.
pub fn server_tls(
    cert_pem: &str,
    key_pem: &str,
    client_ca_pem: &str,
    handshake_timeout: Duration,
) -> ServerTlsConfig {
    // ANCHOR: server
    ServerTlsConfig::new()
        .identity(Identity::from_pem(cert_pem, key_pem))
        .client_ca_root(Certificate::from_pem(client_ca_pem))
        .timeout(handshake_timeout)
    // ANCHOR_END: server
}

/// The client's TLS settings: trust `ca_pem` for the server, expect
/// [`SERVER_NAME`], and present `cert_pem`/`key_pem` when the server asks.
pub fn client_tls(ca_pem: &str, cert_pem: &str, key_pem: &str) -> ClientTlsConfig {
    // ANCHOR: client
    ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca_pem))
        .domain_name(SERVER_NAME)
        .identity(Identity::from_pem(cert_pem, key_pem))
    // ANCHOR_END: client
}
