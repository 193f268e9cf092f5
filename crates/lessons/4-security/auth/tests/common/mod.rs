//! What every auth test needs: a real server on 127.0.0.1:0 and one-call clients.

#![allow(dead_code)] // each test file uses its own share

use std::sync::Arc;

use auth::certs::{CertOptions, TempCerts};
use auth::greeter::Greet;
use auth::layer::Authenticator;
use auth::tls::{client_tls, server_tls};
use auth::transport::{ClientSecurity, ServerSecurity, say_hello, serve};
use lesson_kit::RunningServer;
use tonic::{Code, Status};

/// A running server and the URL to reach it.
pub struct Server {
    pub running: RunningServer,
    pub url: String,
}

/// Starts the v1 greeter with `security` on a free port.
pub async fn start(security: ServerSecurity) -> Server {
    let tls = security.tls.is_some();
    let running =
        RunningServer::start(|listener, shutdown| serve(listener, security, shutdown.wait()))
            .await
            .expect("server starts");
    let url = running.url(tls);
    Server { running, url }
}

/// Server security with TLS from `certs` (mTLS when `mutual`) and optional call check.
pub fn tls_server(
    certs: &TempCerts,
    mutual: bool,
    authenticator: Option<Arc<dyn Authenticator>>,
) -> ServerSecurity {
    ServerSecurity {
        tls: Some(server_tls(certs.dir(), mutual).expect("server TLS loads")),
        authenticator,
        greet: if mutual {
            Greet::PeerCertificate
        } else {
            Greet::RequestName
        },
    }
}

/// Client security trusting `certs`' CA (and presenting its client certificate when `mutual`).
pub fn tls_client(certs: &TempCerts, mutual: bool) -> ClientSecurity {
    ClientSecurity {
        tls: Some(client_tls(certs.dir(), mutual).expect("client TLS loads")),
        ..ClientSecurity::default()
    }
}

/// A fresh default certificate set.
pub fn certs() -> TempCerts {
    TempCerts::generate(&CertOptions::default()).expect("certificates generate")
}

/// Calls `SayHello(name = "Jack")`.
pub async fn hello(url: &str, security: ClientSecurity) -> Result<String, Status> {
    say_hello(url, security, "Jack").await
}

/// Asserts a `SayHello(name = "Jack")` call with `security` is served.
pub async fn assert_served(url: &str, security: ClientSecurity) {
    assert_eq!(hello(url, security).await.unwrap(), "Hello, Jack!");
}

/// Asserts the call failed with `code` and a message containing `fragment`.
#[track_caller]
pub fn assert_refused(outcome: Result<String, Status>, code: Code, fragment: &str) {
    match outcome {
        Ok(message) => panic!("expected {code:?}, but the call succeeded: {message}"),
        Err(status) => {
            assert_eq!(status.code(), code, "{status:?}");
            assert!(
                status.message().contains(fragment),
                "{:?} does not mention {fragment:?}",
                status.message()
            );
        }
    }
}
