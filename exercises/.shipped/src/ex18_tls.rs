//! Exercise 18: encrypt the channel (chapter 4, SSL/TLS).
//!
//! The server proves who it is with a certificate and key; the client trusts the
//! CA that signed that certificate and checks the certificate was issued for the
//! name it meant to reach. The test makes a fresh CA per run, so these functions
//! take PEM text rather than file paths.

use std::time::Duration;

use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};

/// The name the test's server certificate is issued for.
pub const SERVER_NAME: &str = "localhost";

// ANCHOR: server
/// The server's TLS settings: present `cert_pem` with its private `key_pem`, and
/// drop a client that has not finished its handshake within `handshake_timeout`.
pub fn server_tls(cert_pem: &str, key_pem: &str, handshake_timeout: Duration) -> ServerTlsConfig {
    // TODO: build an `Identity` from the certificate and key, and hand it to a
    // `ServerTlsConfig`. (The tutorial: `grpc.ssl_server_credentials(...)`.)
    // Without a handshake timeout, a peer that connects and never speaks keeps its
    // socket forever.
    todo!("server TLS settings")
}
// ANCHOR_END: server

// ANCHOR: client
/// The client's TLS settings: trust `ca_pem`, expect a certificate for [`SERVER_NAME`].
pub fn client_tls(ca_pem: &str) -> ClientTlsConfig {
    // TODO: trust the CA certificate, and name the server you expect: the test dials
    // `https://127.0.0.1:PORT`, but the certificate is for `localhost`.
    todo!("client TLS settings")
}
// ANCHOR_END: client
