//! Exercise 18, solved: encrypt the channel.

use std::time::Duration;

use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};

/// The name the test's server certificate is issued for.
pub const SERVER_NAME: &str = "localhost";

/// The server's TLS settings: present `cert_pem` with its private `key_pem`, and
/// drop a client that has not finished its handshake within `handshake_timeout`.
pub fn server_tls(cert_pem: &str, key_pem: &str, handshake_timeout: Duration) -> ServerTlsConfig {
    // ANCHOR: server
    ServerTlsConfig::new()
        .identity(Identity::from_pem(cert_pem, key_pem))
        .timeout(handshake_timeout)
    // ANCHOR_END: server
}

/// The client's TLS settings: trust `ca_pem`, expect a certificate for [`SERVER_NAME`].
pub fn client_tls(ca_pem: &str) -> ClientTlsConfig {
    // ANCHOR: client
    ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca_pem))
        .domain_name(SERVER_NAME)
    // ANCHOR_END: client
}
