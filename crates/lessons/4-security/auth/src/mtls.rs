//! `mtls`: mutual TLS, where the client proves its identity with a certificate too.
//!
//! The server requires a client certificate that chains to our CA; a client without
//! one, or with one from another CA, fails the handshake before any call is made.
//! Once in, the handler reads the verified certificate and greets its subject's
//! common name: the identity comes from the connection, not from the request.

use crate::greeter::Greet;
use crate::mode::{CertArgs, SecureMode};
use crate::tls::{client_tls, server_tls};
use crate::transport::{ClientSecurity, ServerSecurity};

/// The `mtls` mode.
#[derive(Debug)]
pub struct MtlsMode;

// ANCHOR: mode
impl SecureMode for MtlsMode {
    type ServerFlags = CertArgs;
    type ClientFlags = CertArgs;
    const TLS: bool = true;

    fn server(flags: CertArgs) -> anyhow::Result<ServerSecurity> {
        // `true`: require a client certificate issued by our CA.
        let tls = server_tls(flags.dir()?, true)?;
        Ok(ServerSecurity {
            tls: Some(tls),
            authenticator: None,
            greet: Greet::PeerCertificate,
        })
    }

    fn client(flags: CertArgs) -> anyhow::Result<ClientSecurity> {
        // `true`: present client.pem, proving client.key is ours.
        let tls = client_tls(flags.dir()?, true)?;
        Ok(ClientSecurity {
            tls: Some(tls),
            ..ClientSecurity::default()
        })
    }
}
// ANCHOR_END: mode
