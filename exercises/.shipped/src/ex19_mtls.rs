//! Exercise 19: mutual TLS, the client proves who it is too (chapter 4, mutual
//! TLS).
//!
//! With TLS the client checks the server. With mutual TLS the server also asks
//! for a client certificate and refuses any client whose certificate its CA did
//! not sign: the tutorial's `ssl_server_credentials(..., require_client_auth=True)`.

use std::time::Duration;

use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};

/// The name the test's server certificate is issued for.
pub const SERVER_NAME: &str = "localhost";

// ANCHOR: server
/// The server's TLS settings: present `cert_pem`/`key_pem`, and accept only
/// clients with a certificate signed by the CA in `client_ca_pem`, each within
/// `handshake_timeout`.
pub fn server_tls(
    cert_pem: &str,
    key_pem: &str,
    client_ca_pem: &str,
    handshake_timeout: Duration,
) -> ServerTlsConfig {
    // TODO: the server's identity, the CA its clients must be signed by, and the
    // handshake timeout.
    todo!("server mTLS settings")
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's TLS settings: trust `ca_pem` for the server, expect
/// [`SERVER_NAME`], and present `cert_pem`/`key_pem` when the server asks.
pub fn client_tls(ca_pem: &str, cert_pem: &str, key_pem: &str) -> ClientTlsConfig {
    // TODO: what to trust, which name to expect, and who the client is.
    todo!("client mTLS settings")
}
// ANCHOR_END: client
